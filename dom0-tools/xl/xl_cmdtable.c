/*
 * xl_cmdtable.c - the commands xl has, in the order `xl help` lists them
 * (Xen 4.17's order, leaving out what we do not have yet), with the help
 * line, usage and option text of Xen's `xl help CMD`.
 * `help` itself is handled before the table (xl.c), as in Xen's list.
 */
#include <string.h>
#include "xl.h"

const struct xl_cmd xl_cmds[] = {
	/* xl create, shutdown, reboot (xl_create.c, xl_shutdown.c) */
	{ "create", main_create, true, true,
	  "Create a domain from config file <filename>",
	  "<ConfigFile> [options] [vars]\n",
	  "-h                      Print this help.\n"
	  "-p                      Leave the domain paused after it is created.\n"
	  "-c                      Connect to the console after the domain is created.\n"
	  "-f FILE, --defconfig=FILE\n"
	  "                     Use the given configuration file.\n"
	  "-q, --quiet             Quiet.\n"
	  "-n, --dryrun            Dry run - prints the resulting configuration\n"
	  "                         (deprecated in favour of global -N option).\n"
	  "-d                      Enable debug messages.\n"
	  "-F                      Run in foreground until death of the domain.\n"
	  "-e                      Do not wait in the background for the death of the domain.\n" },
	{ "list", main_list, false, false,
	  "List information about all/some domains",
	  "[options] [Domain]\n",
	  "-l, --long              Output all VM details\n"
	  "-v, --verbose           Prints out UUIDs and security context\n"
	  "-Z, --context           Prints out security context\n"
	  "-c, --cpupool           Prints the cpupool the domain is in\n"
	  "-n, --numa              Prints out NUMA node affinity\n" },
	{ "destroy", main_destroy, false, true,
	  "Terminate a domain immediately",
	  "[options] <Domain>\n",
	  "-f                      Permit destroying domain 0, which will only succeed\n"
	  "                        when run from disaggregated toolstack domain with a\n"
	  "                        hardware domain distinct from domain 0.\n" },
	{ "shutdown", main_shutdown, false, true,
	  "Issue a shutdown signal to a domain",
	  "[options] <-a|Domain>\n",
	  "-a, --all               Shutdown all guest domains.\n"
	  "-h                      Print this help.\n"
	  "-F                      Fallback to ACPI power event for HVM guests with\n"
	  "                        no PV drivers.\n"
	  "-w, --wait              Wait for guest(s) to shutdown.\n" },
	{ "reboot", main_reboot, false, true,
	  "Issue a reboot signal to a domain",
	  "[options] <-a|Domain>\n",
	  "-a, --all               Shutdown all guest domains.\n"
	  "-h                      Print this help.\n"
	  "-F                      Fallback to ACPI reset event for HVM guests with\n"
	  "                        no PV drivers.\n"
	  "-w, --wait              Wait for guest(s) to reboot.\n" },
	{ "pause", main_pause, false, true,
	  "Pause execution of a domain", "<Domain>", NULL },
	{ "unpause", main_unpause, false, true,
	  "Unpause a paused domain", "<Domain>", NULL },
	/* ---- vCPUs, memory, scheduling, console, the hypervisor's log, in
	 * Xen's relative order (one block: info to rename come after) ---- */
	{ "console", main_console, false, false,
	  "Attach to domain's console",
	  "[options] <Domain>\n"
	  "-t <type>       console type, pv , serial or vuart\n"
	  "-n <number>     console number", NULL },
	{ "mem-max", main_memmax, false, true,
	  "Set the maximum amount reservation for a domain",
	  "<Domain> <MemMB['b'[bytes]|'k'[KB]|'m'[MB]|'g'[GB]|'t'[TB]]>", NULL },
	{ "mem-set", main_memset, false, true,
	  "Set the current memory usage for a domain",
	  "<Domain> <MemMB['b'[bytes]|'k'[KB]|'m'[MB]|'g'[GB]|'t'[TB]]>", NULL },
	{ "vcpu-list", main_vcpulist, false, false,
	  "List the VCPUs for all/some domains", "[Domain, ...]", NULL },
	{ "vcpu-pin", main_vcpupin, true, true,
	  "Set which CPUs a VCPU can use",
	  "[option] <Domain> <VCPU|all> <Hard affinity|-|all> <Soft affinity|-|all>",
	  "-f, --force        undo an override pinning done by the kernel\n"
	  "--ignore-global-affinity-masks Ignore global masks in xl.conf\n" },
	{ "vcpu-set", main_vcpuset, false, true,
	  "Set the number of active VCPUs allowed for the domain",
	  "[option] <Domain> <vCPUs>",
	  "-i, --ignore-host  Don't limit the vCPU based on the host CPU count\n" },
	{ "sched-credit", main_sched_credit, false, true,
	  "Get/set credit scheduler parameters",
	  "[-d <Domain> [-w[=WEIGHT]|-c[=CAP]]] [-s [-t TSLICE] [-r RATELIMIT]] [-p CPUPOOL]",
	  "-d DOMAIN, --domain=DOMAIN        Domain to modify\n"
	  "-w WEIGHT, --weight=WEIGHT        Weight (int)\n"
	  "-c CAP, --cap=CAP                 Cap (int)\n"
	  "-s         --schedparam           Query / modify scheduler parameters\n"
	  "-t TSLICE, --tslice_ms=TSLICE     Set the timeslice, in milliseconds\n"
	  "-r RLIMIT, --ratelimit_us=RLIMIT  Set the scheduling rate limit, in microseconds\n"
	  "-m DLY, --migration_delay_us=DLY  Set the migration delay, in microseconds\n"
	  "-p CPUPOOL, --cpupool=CPUPOOL     Restrict output to CPUPOOL\n" },
	{ "dmesg", main_dmesg, false, false,
	  "Read and/or clear dmesg buffer", "[-c]",
	  "  -c                        Clear dmesg buffer as well as printing it\n" },
	{ "top", main_top, false, false,
	  "Monitor a host and the domains in real time", "", NULL },
	{ "info", main_info, false, false,
	  "Get information about Xen host",
	  "-n, --numa         List host NUMA topology information", NULL },
	{ "domid", main_domid, false, false,
	  "Convert a domain name to domain id", "<DomainName>", NULL },
	{ "domname", main_domname, false, false,
	  "Convert a domain id to domain name", "<DomainId>", NULL },
	{ "rename", main_rename, false, true,
	  "Rename a domain", "<Domain> <NewDomainName>", NULL },
	{ "uptime", main_uptime, false, false,
	  "Print uptime for all/some domains", "[-s] [Domain]", NULL },
	/* split devices (xl_block.c, xl_network.c, xl_devices.c) */
	{ "network-attach", main_networkattach, true, true,
	  "Create a new virtual network device",
	  "<Domain> [type=<type>] [mac=<mac>] [bridge=<bridge>] [ip=<ip>] [script=<script>] "
	  "[backend=<BackDomain>] [vifname=<name>] [rate=<rate>] [model=<model>] [accel=<accel>] "
	  "[mtu=<mtu>]\n", NULL },
	{ "network-list", main_networklist, false, false,
	  "List virtual network interfaces for a domain",
	  "<Domain(s)>\n", NULL },
	{ "network-detach", main_networkdetach, true, true,
	  "Destroy a domain's virtual network device",
	  "<Domain> <DevId|mac>\n", NULL },
	{ "block-attach", main_blockattach, true, true,
	  "Create a new virtual block device",
	  "<Domain> <disk-spec-component(s)>...\n", NULL },
	{ "block-list", main_blocklist, false, false,
	  "List virtual block devices for a domain",
	  "<Domain(s)>\n", NULL },
	{ "block-detach", main_blockdetach, true, true,
	  "Destroy a domain's virtual block device",
	  "[option] <Domain> <DevId>\n",
	  "-f, --force        do not wait for the domain to release the device\n" },
	/* end of split devices */
	{ "debug-keys", main_debug_keys, false, false,
	  "Send debug keys to Xen", "<Keys>", NULL },
};

const unsigned int xl_nr_cmds = sizeof(xl_cmds) / sizeof(xl_cmds[0]);

/* The command named exactly name, or NULL. */
const struct xl_cmd *xl_cmd_find(const char *name)
{
	for (unsigned int i = 0; i < xl_nr_cmds; i++)
		if (!strcmp(xl_cmds[i].name, name))
			return &xl_cmds[i];
	return NULL;
}
