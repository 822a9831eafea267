# Normalise an xl transcript (transcript.sh): what differs from run to run
# on any hypervisor is masked, so what remains differs only where the
# hypervisor or the toolstack answers differently.
# column spacing
s/[[:space:]]+/ /g
s/ $//
# uuids
s/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/UUID/g
# xl list: Name ID Mem VCPUs State Time(s)
s/^(Domain-0|xudomu) [0-9]+ [0-9]+ ([0-9]+) ([-a-z]{6}) [0-9]+\.[0-9]$/\1 ID MEM \2 \3 TIME/
# running or blocked is a matter of timing
s/^((Domain-0|xudomu) ID MEM [0-9]+) [-r][-b]([-a-z]{4}) TIME$/\1 xx\3 TIME/
# xl vcpu-list: Name ID VCPU CPU State Time(s) Affinity (Hard / Soft)
s/^(Domain-0|xudomu) [0-9]+ ([0-9]+) ([0-9]+|-) [-r][-b]([-a-z]) [0-9]+\.[0-9] /\1 ID \2 CPU xx\4 TIME /
# domain ids in messages ("Rebooting domain 1", "Domain 2 has been ...")
s/([Dd]omain) [0-9]+/\1 N/g
# a hotplug script killed by libxl's 40 s limit: a loaded host, not an answer
/async_exec_timeout: killing execution of .* because of timeout$/d
# xl info: figures of memory, time and build
s/^(total_memory|free_memory|sharing_freed_memory|sharing_used_memory|outstanding_claims|cpu_mhz|host|cc_compile_date|cc_compile_by|cc_compile_domain|xen_changeset|build_id|xen_commandline|dom0_mem)( ?:).*/\1\2 X/
# xl shutdown -w: whether xl saw the domain shut down before its monitor
# destroyed it is a race in xl
s/^Domain N has been (destroyed|shut down, reason code 0)$/Domain N has been shut down or destroyed/
# process ids, and domain ids in parentheses
s/\(domid [0-9]+\)/(domid N)/g
s/\[pid [0-9]+\]/[pid N]/g
