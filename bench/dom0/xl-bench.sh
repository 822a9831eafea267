# Run inside Dom0 by /init (paravane.test=), for bench/xl.sh: time the
# toolstack's everyday commands. With Debian's xl in the image
# (/usr/lib/xen-4.17/bin/xl, on Xen 4.17) that xl and Xen's xenconsoled;
# else ours (/usr/sbin/xl; the image's rc script started our
# xenconsoled): bench_toolstack (lib.sh).
#   list0     xl list, Dom0 alone: mean of 20 runs
#   create    xl create of Debian's stock bzImage (the file /boot holds,
#             xz inside) with the DomU initramfs, until the guest's
#             console log shows its /init ("paravane-domU: init reached")
#   returned  when xl create itself returned (the rest is the guest's boot)
#   list1     xl list with that DomU running: mean of 20 runs
#   destroy   xl destroy of it, until xl returns
#   create_elf, destroy_elf   the same with the kernel pre-extracted
#             (ELF vmlinux): the difference is the builder's unpacking
# Prints "xlbench: NAME MS" lines, then "xlbench: DONE".
. /tests/bench-lib.sh
bench_toolstack xlbench
list20() {
	a=$(now_ms)
	i=0
	while [ $i -lt 20 ]; do $XL list >/dev/null; i=$((i + 1)); done
	echo $((($(now_ms) - a) / 20))
}
# create NAME KERNEL: prints "returned_ms init_ms", or fails
create() {
	cat >/etc/xen/$1.cfg <<CFG
name = "$1"
memory = 128
vcpus = 1
kernel = "$2"
ramdisk = "/usr/share/paravane/domu-initrd.gz"
cmdline = "console=hvc0"
on_poweroff = "destroy"
CFG
	a=$(now_ms)
	$XL create /etc/xen/$1.cfg >/tmp/create.out 2>&1 || { cat /tmp/create.out; return 1; }
	r=$(now_ms)
	end=$((a + 300000))
	until grep -q 'paravane-domU: init reached' "$CONSLOG/guest-$1.log" 2>/dev/null; do
		[ "$(now_ms)" -ge $end ] && { echo "xlbench: $1 never reached /init"; return 1; }
		usleep 100000
	done
	echo "$((r - a)) $(($(now_ms) - a))"
}
destroy() {
	a=$(now_ms)
	$XL destroy "$1" || return 1
	echo $(($(now_ms) - a))
}
sleep 2
echo "xlbench: list0 $(list20)"
set -- $(create bz /usr/share/paravane/domu-vmlinuz) || exit 1
echo "xlbench: returned $1"
echo "xlbench: create $2"
echo "xlbench: list1 $(list20)"
echo "xlbench: destroy $(destroy bz)"
sleep 2
set -- $(create elf /tests/domu-vmlinux) || exit 1
echo "xlbench: returned_elf $1"
echo "xlbench: create_elf $2"
echo "xlbench: destroy_elf $(destroy elf)"
echo "xlbench: DONE"
