# libs/linux: Linux's Xen device interfaces declared once (linux_xen.h),
# the device layer every library calls through (lx_dev.c) and the log
# helper (d0_log.c). Linked into libxenctrl (libs/ctrl) and xenstored.
include dom0-tools/lib.mk

$(call dom0_lib,d0linux,$(DOM0_LX_SRCS),-Idom0-tools/libs/linux,)
