# libs/ctrl: libxenctrl (xc_*, xenevtchn_*, xengnttab_*) over Linux's
# Xen devices, with the headers in include/ (Xen 4.17's names) and the
# hypercall structures from hypervisor/include/public. Built as
# libxenctrl.a (with the device layer of libs/linux inside, so one archive
# is enough to link) and libxenctrl.so.4.17 (Debian's soname).
include dom0-tools/lib.mk

XC_DIR := dom0-tools/libs/ctrl
XC_SRCS := $(addprefix $(XC_DIR)/,xc_core.c xc_domain.c xc_physinfo.c xc_memory.c \
	   xc_foreign.c xc_evtchn.c xc_gnttab.c xc_version.c) $(DOM0_LX_SRCS)
# The PV builder's calls (one line, so other additions merge cleanly).
XC_SRCS += $(addprefix $(XC_DIR)/,xc_vcpu_context.c xc_mmuext.c xc_evtchn_unbound.c xc_fmem_resource.c)
# vCPUs, scheduling, the console ring (xl's and xenconsoled's calls).
XC_SRCS += $(addprefix $(XC_DIR)/,xc_vcpu.c xc_sched.c xc_console.c)
XC_INCLUDES := -I$(XC_DIR)/include -Ihypervisor/include -Idom0-tools/libs/linux
XC_HDRS := $(wildcard $(XC_DIR)/include/*.h) $(XC_DIR)/xc_private.h
$(call dom0_lib,xenctrl,$(XC_SRCS),$(XC_INCLUDES),$(XC_HDRS))
XC_SONAME := libxenctrl.so.4.17
XC_SO_LDFLAGS := -Wl,--version-script=$(XC_DIR)/libxenctrl.map
$(call dom0_lib_so,xenctrl,$(XC_SONAME),$(XC_SO_LDFLAGS))
$(BUILD)/lib/$(XC_SONAME): $(XC_DIR)/libxenctrl.map

# Unit tests against a fake device layer (tests/unit/dom0-tools/libs/ctrl/xenctrl_test.c),
# with the library's sources built in under ASan and UBSan.
XC_UNIT_BIN := $(BUILD)/tests/xenctrl_test
$(XC_UNIT_BIN): tests/unit/dom0-tools/libs/ctrl/xenctrl_test.c $(XC_SRCS) $(XC_HDRS) $(wildcard dom0-tools/libs/linux/*.h)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(XC_INCLUDES) -fsanitize=address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer -o $@ $< $(XC_SRCS) -lcmocka

.PHONY: unit-xenctrl
unit-xenctrl: $(XC_UNIT_BIN)
	$(XC_UNIT_BIN)

ALL_TARGETS += $(XC_UNIT_BIN)
TESTS += unit-xenctrl

# Every prototype in include/ is Xen 4.17's (Debian's libxen-dev headers,
# fetched into the cache like the Xen hypervisor; compared by gcc -aux-info).
.PHONY: test-xenctrl-signatures
test-xenctrl-signatures: tests/unit/dom0-tools/libs/ctrl/xenctrl_signatures.sh $(XC_HDRS)
	sh tests/unit/dom0-tools/libs/ctrl/xenctrl_signatures.sh "$$(sh tests/images/fetch-deb.sh libxen-dev)/usr/include"
TESTS += test-xenctrl-signatures
APT_PACKAGES += libcmocka-dev

# `make install DESTDIR=dir`: libxenctrl where Debian's Xen packages put
# theirs (libxenmisc4.17 and libxen-dev): the shared object and its
# links and the archive in /usr/lib/<multiarch>, the headers in
# /usr/include, the hypervisor's public headers they include under
# /usr/include/paravane/public, and xencontrol.pc (Cflags name that
# directory: `pkg-config --cflags --libs xencontrol`).
XC_PREFIX  ?= /usr
XC_LIBDIR  ?= $(XC_PREFIX)/lib/$(shell $(HOST_CC) -print-multiarch)
XC_INCDIR  ?= $(XC_PREFIX)/include
XC_VERSION := 4.17.0
XC_PUBLIC_HDRS := $(wildcard hypervisor/include/public/*.h)

.PHONY: install install-libxenctrl
install: install-libxenctrl
install-libxenctrl: $(BUILD)/lib/libxenctrl.a $(BUILD)/lib/$(XC_SONAME)
	install -d $(DESTDIR)$(XC_LIBDIR)/pkgconfig $(DESTDIR)$(XC_INCDIR)/paravane/public
	install -m 644 $(BUILD)/lib/libxenctrl.a $(DESTDIR)$(XC_LIBDIR)/
	install -m 644 $(BUILD)/lib/$(XC_SONAME) $(DESTDIR)$(XC_LIBDIR)/$(XC_SONAME).0
	ln -sf $(XC_SONAME).0 $(DESTDIR)$(XC_LIBDIR)/$(XC_SONAME)
	ln -sf $(XC_SONAME) $(DESTDIR)$(XC_LIBDIR)/libxenctrl.so
	install -m 644 $(wildcard $(XC_DIR)/include/*.h) $(DESTDIR)$(XC_INCDIR)/
	install -m 644 $(XC_PUBLIC_HDRS) $(DESTDIR)$(XC_INCDIR)/paravane/public/
	sed -e 's|@LIBDIR@|$(XC_LIBDIR)|; s|@INCDIR@|$(XC_INCDIR)|; s|@VERSION@|$(XC_VERSION)|' \
		$(XC_DIR)/xencontrol.pc.in >$(DESTDIR)$(XC_LIBDIR)/pkgconfig/xencontrol.pc

# The installed tree works: xc-smoke builds against the installed headers
# (through pkg-config) and links to the installed shared object.
XC_INSTALL_TEST := $(BUILD)/install-test
.PHONY: test-install-libxenctrl
test-install-libxenctrl:
	rm -rf $(XC_INSTALL_TEST)
	$(MAKE) --no-print-directory install DESTDIR=$(abspath $(XC_INSTALL_TEST)) >/dev/null
	cflags=$$(PKG_CONFIG_SYSROOT_DIR=$(abspath $(XC_INSTALL_TEST)) \
		PKG_CONFIG_LIBDIR=$(abspath $(XC_INSTALL_TEST))$(XC_LIBDIR)/pkgconfig \
		pkg-config --cflags --libs xencontrol) && \
	$(HOST_CC) $(HOST_CFLAGS) -Idom0-tools/libs/linux -o $(XC_INSTALL_TEST)/xc-smoke \
		$(XCS_DIR)/xc_smoke.c $$cflags && \
	readelf -d $(XC_INSTALL_TEST)/xc-smoke | grep -q 'NEEDED.*\[libxenctrl.so.4.17\]' && \
	echo "test-install-libxenctrl: PASS ($$cflags)"
TESTS += test-install-libxenctrl
APT_PACKAGES += pkg-config

# The PV builder's calls, against a fake device layer of their own.
XC_PVB_UNIT_BIN := $(BUILD)/tests/xenctrl_builder_test
$(XC_PVB_UNIT_BIN): tests/unit/dom0-tools/libs/ctrl/xenctrl_builder_test.c $(XC_SRCS) $(XC_HDRS) $(wildcard dom0-tools/libs/linux/*.h)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(XC_INCLUDES) -fsanitize=address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer -o $@ $< $(XC_SRCS) -lcmocka

.PHONY: unit-xenctrl-builder
unit-xenctrl-builder: $(XC_PVB_UNIT_BIN)
	$(XC_PVB_UNIT_BIN)
ALL_TARGETS += $(XC_PVB_UNIT_BIN)
TESTS += unit-xenctrl-builder
