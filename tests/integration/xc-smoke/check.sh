# Run inside the Dom0 initramfs by /init (paravane.test=): libxenctrl end
# to end (xc_smoke.c), then one line the test target waits for.
/tests/xc-smoke
rc=$?
if [ $rc = 0 ]; then echo "xc-smoke: PASS"; else echo "xc-smoke: FAIL (exit $rc)"; fi
