/* Interfaces between the x86 files of the hypervisor. */
#ifndef ASM_X86_H
#define ASM_X86_H

#include <asm/cpu.h>
#include <asm/layout.h>
#include <boot_info.h>

#define VEC_TIMER     0xf0
#define VEC_SPURIOUS  0xff

static inline void *phys_to_virt(uint64_t pa) { return (void *)(HV_DIRECTMAP_BASE + pa); }
static inline uint64_t virt_to_phys(const void *va) { return (uint64_t)va - HV_DIRECTMAP_BASE; }

/* boot/multiboot.c: copy the loader's information; false if the magic is unknown. */
bool multiboot_parse(uint32_t magic, uint32_t info, struct boot_info *bi);

/* serial.c, vga.c */
void serial_init(uint16_t port, unsigned baud);
void serial_write(const char *s, size_t len);
void vga_init(void);
void vga_write(const char *s, size_t len);
extern bool console_serial_on, console_vga_on;

/* desc.c: GDT, TSS with IST stacks, IDT for this CPU. */
void desc_init(void);

/*
 * pv/traps.c: a trap taken in guest context; the exit path before the
 * return to a guest, which says whether the frame changed (another vCPU's,
 * or bounced to a handler) and whether it may leave by SYSRET (a frame
 * bounced to a handler in this entry, or a hypercall's return to its
 * SYSCALL, pv_bounced(): RCX and R11 are then set for it).
 */
#define PV_EXIT_CHANGED  1u
#define PV_EXIT_SYSRET   2u
void pv_guest_trap(struct cpu_regs *regs);
unsigned pv_exit_to_guest(struct cpu_regs *regs);
void pv_bounced(void);
void pv_iret_faulted(struct cpu_regs *hv_frame);
void enter_guest(struct cpu_regs *frame) NORETURN;

/* pv/hypercall.c, from entry.S: 1: leave by SYSRET. */
int pv_syscall_handler(struct cpu_regs *regs);
void pv_syscall32_handler(struct cpu_regs *regs);

/* traps.c */
int trap_handler(struct cpu_regs *regs);   /* 1: leave by SYSRET (pv_exit_to_guest) */
void dump_regs(const struct cpu_regs *regs);
void backtrace_from(uint64_t rip, uint64_t rbp);

/* mm.c: direct map of all RAM, ioremap; drops the boot identity map. */
void mm_init(uint64_t max_phys);
void *ioremap(uint64_t phys, size_t size);

/* mm.c: the machine-to-phys table guests read at HV_M2P_BASE. */
void m2p_set(uint64_t mfn, uint64_t pfn);
uint64_t m2p_extent_mfn(uint64_t i);

/* apic.c */
void apic_init(void);
void apic_eoi(void);
void apic_timer_start(uint32_t count, bool periodic);
void apic_timer_stop(void);
uint32_t apic_timer_current(void);
bool apic_irr_pending(void);
void apic_timer_set_divide_1(void);

/* time.c */
void time_init(void);
void time_selftest(void);
/* rtc.c: the wallclock from the CMOS clock, once at boot. */
void rtc_init_wallclock(void);
void timer_interrupt(void);
extern uint64_t tsc_khz;
extern uint64_t apic_timer_khz;

#endif
