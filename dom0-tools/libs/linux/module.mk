# libs/linux: Linux's Xen device interfaces declared once (linux_xen.h),
# the device layer every library calls through (lx_dev.c) and the log
# helper (d0_log.c). Linked into libxenctrl (libs/ctrl) and xenstored.
include dom0-tools/lib.mk

LX_DIR := dom0-tools/libs/linux
LX_SRCS := $(LX_DIR)/lx_dev.c $(LX_DIR)/d0_log.c
LX_CFLAGS := -I$(LX_DIR)
$(call dom0_lib,d0linux,$(LX_SRCS),$(LX_CFLAGS),)
