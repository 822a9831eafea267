# Run inside the Dom0 initramfs by /init (paravane.test=): the PV builder
# end to end (pv_build_smoke.c) with the stock kernel and the DomU initrd
# the image carries, then one line the test target waits for.
/tests/pv-build-smoke /usr/share/paravane/domu-vmlinuz /usr/share/paravane/domu-initrd.gz
rc=$?
if [ $rc = 0 ]; then echo "pv-build-smoke: ALL PASS"; else echo "pv-build-smoke: ALL FAIL (exit $rc)"; fi
