# Grant tables between two domains (tests/guests/gnt_mapper.c as Dom0,
# gnt_granter.c as domain 1 through the test-only `test_domains` option):
# both must report no failure, and domain 1's teardown, when Dom0 destroys
# it after it powered off, must be logged with two of its grants still
# mapped by Dom0. (A domain's own mappings go when it is destroyed, as on
# Xen 4.17, not when it shuts down: Dom0's last one is never torn down.)

integ-gnttab-two-domains: $(HV) $(BUILD)/guests/gnt_mapper.elf $(BUILD)/guests/gnt_granter.elf
	$(QRUN) -n $@ -M 512M -t 300 -a "noreboot test_domains loglvl=all guest_loglvl=all" \
		-i "$(BUILD)/guests/gnt_mapper.elf,$(BUILD)/guests/gnt_granter.elf" \
		-e '^Dom1: ' \
		-e 'guest-test gnt_granter: [1-9][0-9]* passed, 0 failed' \
		-e 'gnttab: d1: 0 mappings torn down; 2 of its grants still held by others' \
		-e 'guest-test gnt_mapper: [1-9][0-9]* passed, 0 failed' \
		-x PANIC -x exception -x FAIL -s pass

TESTS += integ-gnttab-two-domains
.PHONY: integ-gnttab-two-domains
