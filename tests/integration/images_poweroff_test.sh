#!/bin/sh
# images_poweroff_test.sh KERNEL_ENV WORKDIR HYPERVISOR_ELF
#
# Dom0's poweroff ends QEMU (issue 7): boot Paravane WITHOUT
# qemu_debug_exit, let Dom0's /init run `poweroff -f`, and require that
# QEMU exits by itself with status 0 (ACPI S5: the machine switched off)
# within the timeout, after the hypervisor's "Powering off (ACPI S5" line.
# A hypervisor that only halts makes QEMU run into the timeout (exit 124).
set -u
env_file=$1 work=$2 hv=$3
HV_EXIT= \
BOOT_EXIT=0 \
BOOT_NAME=poweroff \
BOOT_SCRIPT=tests/integration/images_poweroff_check.sh:/tests/images_poweroff_check.sh \
BOOT_PASS='^Powering off (ACPI S5, asked by Dom0)\.$' \
BOOT_SHOW='^images-poweroff:\|^Powering off' \
IMAGES_BOOT_TIMEOUT=${IMAGES_BOOT_TIMEOUT:-240} \
	sh tests/integration/images_boot_test.sh paravane "$env_file" "$work" "$hv"
