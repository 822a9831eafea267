# Several CPUs (docs/smp.md): bring-up on QEMU's -smp 2 and -smp 4, maxcpus=,
# guest tests with idle CPUs around, and CPU-bound test domains sharing
# several CPUs by weight, with Dom0 pinned (hard affinity).
# Debian's Linux as Dom0 with two vCPUs on two CPUs is images-boot-paravane.

SMP_QRUN   := tests/integration/qemu-run.sh
SMP_SPIN   := $(BUILD)/guests/spin.elf
SMP_TOTAL  := tests/integration/smp/sched-total.sh
SMP_OK     := -x PANIC -x exception -x 'warning:' -x 'did not start'

SMP_TESTS := smp-boot-2 smp-boot-4 smp-maxcpus smp-guest-sched smp-guest-evtchn smp-sched-weights-2 \
             smp-sched-equal-4
TESTS += $(addprefix integ-,$(SMP_TESTS))
.PHONY: $(addprefix integ-,$(SMP_TESTS))

integ-smp-boot-2: $(HV)
	$(SMP_QRUN) -n $@ -q "-smp 2" -a "noreboot" -e '^time: one-shot timer OK' \
		-e '^smp: 2 CPUs up \(APIC ids 0 1\)$$' -e '^No initial domain' -e '^System halted' $(SMP_OK) -s pass

integ-smp-boot-4: $(HV)
	$(SMP_QRUN) -n $@ -q "-smp 4" -a "noreboot" -e '^smp: 4 CPUs up \(APIC ids 0 1 2 3\)$$' \
		-e '^No initial domain' -e '^System halted' $(SMP_OK) -s pass

integ-smp-maxcpus: $(HV)
	$(SMP_QRUN) -n $@ -q "-smp 4" -a "noreboot maxcpus=2" \
		-e '^smp: 2 CPUs up \(APIC ids 0 1\), limited by maxcpus$$' -e '^No initial domain' $(SMP_OK) -s pass

# One-vCPU test kernels while other CPUs idle: wake-ups, timers and events cross CPUs.
integ-smp-guest-sched: $(HV) $(BUILD)/guests/sched.elf
	$(SMP_QRUN) -n $@ -M 512M -q "-smp 4" -a "noreboot loglvl=all guest_loglvl=all" -i "$(BUILD)/guests/sched.elf" \
		-e '^smp: 4 CPUs up' -e 'guest-test sched: [1-9][0-9]* passed, 0 failed' $(SMP_OK) -s pass

integ-smp-guest-evtchn: $(HV) $(BUILD)/guests/evtchn.elf
	$(SMP_QRUN) -n $@ -M 512M -q "-smp 2" -a "noreboot loglvl=all guest_loglvl=all" -i "$(BUILD)/guests/evtchn.elf" \
		-e '^smp: 2 CPUs up' -e 'guest-test evtchn: [1-9][0-9]* passed, 0 failed' $(SMP_OK) -s pass

# Two CPUs, weights 256:512:512: 0.4, 0.8 and 0.8 of a CPU, i.e. 200:400:400 of
# the time used, which adds up to both CPUs; Dom0 pinned to CPU 0 stays there.
# Shares within 10% (sched-total.sh says why not 5%).
integ-smp-sched-weights-2: $(HV) $(SMP_SPIN)
	$(SMP_QRUN) -n $@ -M 512M -t 180 -q "-smp 2" -a "noreboot test_domains test_weights=256,512,512 dom0_vcpus_pin sched_report=6" \
		-i "$(SMP_SPIN),$(SMP_SPIN),$(SMP_SPIN)" -e '^smp: 2 CPUs up' -e '^Dom2: kernel' -e '^sched-report d' \
		$(SMP_OK) -s pass && \
	sh $(SMP_TOTAL) $(BUILD)/test-logs/$@.log 2 6 10 256,512,512 d0=0

# Four CPUs, five equal spinners: 0.8 of a CPU each, every one moving between CPUs.
integ-smp-sched-equal-4: $(HV) $(SMP_SPIN)
	$(SMP_QRUN) -n $@ -M 512M -t 180 -q "-smp 4" -a "noreboot test_domains sched_report=6" \
		-i "$(SMP_SPIN),$(SMP_SPIN),$(SMP_SPIN),$(SMP_SPIN),$(SMP_SPIN)" -e '^smp: 4 CPUs up' -e '^Dom4: kernel' \
		-e '^sched-report d' $(SMP_OK) -s pass && \
	sh $(SMP_TOTAL) $(BUILD)/test-logs/$@.log 4 6 10 256,256,256,256,256
