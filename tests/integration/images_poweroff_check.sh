# Run inside the Dom0 initramfs by /init, which powers off (poweroff -f)
# when this script returns: Linux asks XENPF_enter_acpi_sleep for S5 and
# the hypervisor switches the machine off through the FADT's PM1 blocks.
echo "images-poweroff: Dom0 up, powering off"
