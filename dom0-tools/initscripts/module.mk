# The init script that starts Dom0's daemons as Debian's xencommons does
# (dom0-tools/initscripts/xencommons, POSIX sh): xenstored, then
# xenconsoled; settings in /etc/default/xencommons. `make install
# DESTDIR=dir` puts it in /etc/init.d. Dom0's test images start the same
# daemons with tests/images/rc-xenstored.sh and rc-xenconsoled.sh.
INITSCRIPTS_DIR := dom0-tools/initscripts
.PHONY: install-initscripts
install: install-initscripts
install-initscripts: $(INITSCRIPTS_DIR)/xencommons
	install -d $(DESTDIR)/etc/init.d
	install -m 755 $(INITSCRIPTS_DIR)/xencommons $(DESTDIR)/etc/init.d/xencommons

# test-install-initscripts: installed into a scratch tree, the script run
# there (XENCOMMONS_ROOT) over fake daemons that record their arguments:
# outside Dom0 it starts nothing; in Dom0 xenstored, Dom0's nodes, then
# xenconsoled with Xen's log directory; a second start starts nothing;
# stop leaves xenstored; a failing xenstored stops the start; usage.
.PHONY: test-install-initscripts
test-install-initscripts: $(INITSCRIPTS_DIR)/xencommons tests/unit/dom0-tools/initscripts/xencommons_test.sh
	rm -rf $(BUILD)/install-initscripts-test
	$(MAKE) --no-print-directory install-initscripts DESTDIR=$(abspath $(BUILD)/install-initscripts-test) >/dev/null
	sh tests/unit/dom0-tools/initscripts/xencommons_test.sh $(abspath $(BUILD)/install-initscripts-test)
TESTS += test-install-initscripts
