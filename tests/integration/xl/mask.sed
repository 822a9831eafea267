# Fields of the xl transcript that change from run to run, masked before
# the comparison with the golden files (run.sh): list's CPU times (Dom0's
# runs; on Paravane a domain that never ran shows time too, see
# docs/toolstack.md "xl"), uptimes, free memory, the kernel's build
# string, the CPU's speed and feature words, the hypervisor's build date.
s/^\(.* [-rbpscd]\{6\}\) \{1,\}[0-9]\{1,\}\.[0-9]/\1 TIME/
s/[0-9]\{1,\}:[0-9][0-9]:[0-9][0-9]$/H:MM:SS/
s/^\(free_memory *: \)[0-9]\{1,\}/\1N/
s/^\(version *: \).*/\1VERSION/
s/^\(cpu_mhz *: \).*/\1MHZ/
s/^\(hw_caps *: \).*/\1CAPS/
s/^\(cc_compile_date *: \).*/\1DATE/
s/"cpu_time": [0-9]*/"cpu_time": N/
s/^ [0-9][0-9]:[0-9][0-9]:[0-9][0-9] up .*, \([^,]* ([0-9]*)\)$/ HH:MM:SS up UPTIME, \1/
# Debian's Xen build (a stable update changes them; Paravane's stay)
s/^\(build_id *: \)[0-9a-f]\{40\}$/\1ID/
s/^\(xen_extra *: \)\.[0-9]\{1,\}$/\1.N/
s/^\(xen_version *: 4\.17\)\.[0-9]\{1,\}$/\1.N/
s/^\(cc_compiler *: \).*(Debian .*/\1DEBIAN-GCC/
# Dom0's allowance (Paravane's moves by a page or so between boots; the
# test domain's 2048 stays)
s/"max_memkb": [0-9]\{6,\}/"max_memkb": N/
