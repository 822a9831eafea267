# Run inside the Dom0 initramfs by /init: a user's `poweroff`, as typed in
# the login shell of `make run` (its /etc/profile). Linux then asks
# XENPF_enter_acpi_sleep for S5 and the hypervisor switches the machine off
# through the FADT's PM1 blocks.
. /etc/profile
echo "images-poweroff: Dom0 up, powering off"
poweroff
sleep 60
echo "images-poweroff: still running 60 s after poweroff"
