#!/usr/bin/env python3
"""Write the hand-made seed inputs of tests/fuzz/hv_*_corpus.

Each input follows the decoding of its harness (see the comments there):
a preemption byte, then operations. Run from the repository root; the
files are committed, this script only documents how they were made.
"""
import os
import struct

P, W, U, A, D = 1, 2, 4, 8, 16          # fz_entry's flag bits (hv_fuzz.c)


def entry(frame, flags):
    return bytes([frame]) + struct.pack('<H', flags)


def owner(fdom):
    """A privileged caller's page-owner byte (hv_fuzz_mm_ops.c: SELF, d1, d2, none); none otherwise."""
    return b'' if fdom is None else bytes([fdom])


def mmu_update(reqs, dom=0, done=0, fdom=None):
    """reqs: (table, idx 0-7, frame, flags) -> plain MMU_NORMAL_PT_UPDATE requests."""
    out = bytes([dom << 7 | 0, len(reqs) - 1])
    for table, idx, frame, flags in reqs:
        out += bytes([0, table, idx]) + entry(frame, flags)
    return out + bytes([done]) + owner(fdom)


def mmuext(ops, dom=0, done=0, fdom=None):
    """ops: (cmd index of hv_fuzz_mm_ops.c's table, frame[, (va bytes, ents byte) for SET_LDT])."""
    out = bytes([dom << 7 | 1, len(ops) - 1])
    for cmd, frame, *ldt in ops:
        out += bytes([cmd, frame])
        if cmd == 6:
            out += bytes([1])
        if cmd == 10:
            out += bytes([frame + 1])
        if cmd == 8:
            out += bytes([1])
        if cmd == 11:
            out += bytes(ldt[0][0]) + bytes([ldt[0][1]])
    return out + bytes([done]) + owner(fdom)


def update_va(idx, frame, flags, dom=0, flush=1):
    return bytes([dom << 7 | 2]) + bytes(idx) + bytes([1]) + entry(frame, flags) + bytes([flush])


def memory(cmd, frames, dom=0, out_order=None, op=3):
    """op: the harness's number for memory_op (3 in hv_mm_fuzz, 2 in hv_gnttab_fuzz)."""
    out = bytes([dom << 7 | op, cmd, len(frames), 1, 1]) + bytes(frames)
    if cmd == 3:
        out += bytes([out_order or 0])
    return out


PIN_L1, PIN_L2, PIN_L3, PIN_L4, UNPIN, BASEPTR, USER_BASEPTR = range(7)


def tree(l4, l3, l2, l1, data, dom=0, data_flags=P | W, fdom=None):
    """Fill a four-level tree as plain memory, then pin its L4 and load it."""
    return (mmu_update([(l1, 0, data, data_flags), (l1, 1, l4, P), (l2, 0, l1, P | W),
                        (l3, 0, l2, P | W), (l4, 0, l3, P | W)], dom, fdom=fdom) +
            mmuext([(PIN_L4, l4), (BASEPTR, l4)], dom, fdom=fdom))


def mm_seeds():
    seeds = {}
    seeds['tree'] = (bytes([0]) + tree(1, 2, 3, 4, 5) +
                     update_va([0, 0, 0, 2], 7, P | W) +
                     mmu_update([(4, 3, 1, P | W)]) +          # a writable L4 mapping: refused
                     mmu_update([(4, 3, 2, P)]) +              # read-only: fine
                     mmuext([(UNPIN, 1), (USER_BASEPTR, 1)]) +
                     memory(1, [5]))
    seeds['tree-preempted'] = bytes([1]) + seeds['tree'][1:]
    seeds['tree-abandoned'] = bytes([0x81]) + seeds['tree'][1:]
    seeds['memory'] = (bytes([0]) + memory(0, [0, 0, 0]) + memory(2, [9, 10]) +
                       memory(3, [6, 7], out_order=1) + memory(1, [8, 9, 40]) +
                       memory(0, [0], dom=1) + memory(1, [33], dom=1))
    seeds['two-domains'] = (bytes([2]) + tree(33, 34, 35, 36, 36, dom=1, data_flags=P) + tree(10, 11, 12, 13, 14) +
                            mmu_update([(13, 5, 33, P)]) +      # B's frame in A's L1: refused
                            mmuext([(UNPIN, 33), (BASEPTR, 10)], dom=1))
    seeds['relink'] = (bytes([3]) + tree(1, 2, 3, 4, 5) + mmuext([(PIN_L1, 20)]) +
                       mmu_update([(3, 1, 20, P)]) +            # a second L1 under the L2
                       mmu_update([(2, 1, 3, P)]) +             # the L2 twice
                       mmu_update([(1, 0, 0, 0)]) +             # cut the tree: devalidate
                       mmuext([(BASEPTR, 1), (UNPIN, 1)]) + memory(1, [2, 3, 4]))
    # descriptor tables: a GDT in frame 6 (9 entries), descriptors written into it (a TSS is
    # refused), a writable mapping of it refused; an LDT over the read-only data page
    SET_LDT = 11

    def set_gdt(ents_byte, frames):
        return bytes([4, ents_byte]) + bytes(frames)

    def update_desc(frame, slot, kind):
        return bytes([5, frame, slot, 1, kind])
    seeds['descriptors'] = (bytes([0]) + tree(1, 2, 3, 4, 5, data_flags=P) + set_gdt(3, [6, 7, 8]) +
                            update_desc(6, 0, 0) + update_desc(6, 1, 2) + update_desc(6, 2, 1) +
                            mmu_update([(4, 6, 6, P | W)]) +
                            mmuext([(SET_LDT, 0, ([0, 0, 0, 0, 1], 1))]) + update_desc(5, 1, 1) +
                            set_gdt(0, [0, 0, 0]) + mmu_update([(4, 6, 6, P | W)]))
    # A is privileged (bit 5): it maps B's frame writable and an I/O frame through a foreign
    # page owner, is refused the interrupt controller, pins one of B's frames for B; B
    # cannot make the frame A maps writable a table
    SELF_, D2 = 0, 2
    seeds['dom0-foreign'] = (bytes([0x20]) + tree(1, 2, 3, 4, 5, fdom=SELF_) +
                             mmu_update([(4, 6, 33, P | W)], fdom=D2) + mmu_update([(4, 7, 41, P)], fdom=SELF_) +
                             mmu_update([(4, 5, 192, P)], fdom=SELF_) + mmuext([(PIN_L1, 34)], fdom=D2) +
                             mmuext([(PIN_L1, 33)], dom=1) + mmuext([(UNPIN, 34)], fdom=D2) +
                             mmu_update([(4, 6, 0, 0)], fdom=SELF_))
    return seeds


# hv_gnttab_fuzz: operation numbers (b % 12) and their arguments
VA = bytes([1])                       # pick_addr: a guest address follows


def va(slot):
    return bytes([0, 0, 0, slot, 1])  # fz_va: L4/L3/L2 index 0, L1 index `slot`


def setup_table(dom=0, frames=1):
    return bytes([dom << 7 | 10, 0, frames])


def set_version(dom, v):
    return bytes([dom << 7 | 10, 2, v - 1])


def status_frames(dom, n):
    return bytes([dom << 7 | 10, 3, n])


def swap(dom, a, b):
    return bytes([dom << 7 | 10, 4, a, b])


def query(dom):
    return bytes([dom << 7 | 10, 1])


def grant(dom, ref, frame, readonly=False, to_other=True):
    """The granter writes entry `ref`: permit_access to the other domain."""
    return bytes([dom << 7 | 8, ref, 0x80 | (4 if readonly else 0), 0 if to_other else 5, frame, 0, 0])


def gmap(dom, ref, slot, readonly=False, by_pte=None, own=False):
    f = 2 | (4 if readonly else 0) | (0x10 if by_pte is not None else 0)
    addr = bytes([by_pte, slot, 1]) if by_pte is not None else VA + va(slot)
    return bytes([dom << 7 | 3, 0, f, ref, 5 if own else 0]) + addr


def gunmap(dom, slot, handle, by_pte=None):
    addr = bytes([by_pte, slot, 1]) if by_pte is not None else VA + va(slot)
    return bytes([dom << 7 | 5, 0, 1 if by_pte is not None else 0]) + addr + bytes([handle])


def greplace(dom, slot, new_slot, handle):
    return bytes([dom << 7 | 6, 0, 2]) + VA + va(slot) + va(new_slot) + bytes([handle])


def gcopy(dom, ref, dest_frame):
    """Copy 8 bytes from the other domain's grant ref to our frame dest_frame."""
    return bytes([dom << 7 | 7, 0, 1, ref, 0, 1, dest_frame, 5, 1])


def gnttab_seeds():
    seeds = {}
    a_tree = tree(1, 2, 3, 4, 5)
    b_tree = tree(33, 34, 35, 36, 36, dom=1, data_flags=P)
    seeds['map-unmap'] = (bytes([0]) + a_tree + setup_table(1) + grant(1, 0, 33) + grant(1, 1, 34, True) +
                          gmap(0, 0, 5) + gunmap(0, 5, 0) +
                          gmap(0, 1, 6, readonly=True, by_pte=4) + gmap(0, 1, 7, readonly=False) +
                          gcopy(0, 1, 8) + greplace(0, 6, 9, 0) + gunmap(0, 6, 0, by_pte=4) +
                          query(1) + swap(1, 0, 1))
    seeds['v2-status'] = (bytes([1]) + a_tree + set_version(1, 2) + setup_table(1, 2) +
                          status_frames(1, 1) + grant(1, 3, 34) + gmap(0, 3, 5) + gmap(0, 3, 6) +
                          set_version(1, 1) + gunmap(0, 5, 0) + gunmap(0, 6, 1))
    seeds['teardown-mapped'] = (bytes([0x02]) + a_tree + b_tree + setup_table(1) + setup_table(0) +
                                grant(1, 0, 36, True) + grant(0, 0, 5) + gmap(0, 0, 5, True) +
                                gmap(1, 0, 2) +
                                mmuext([(UNPIN, 1)]))
    seeds['self-grant'] = (bytes([0]) + a_tree + setup_table(0) + grant(0, 0, 6, to_other=False) +
                           gmap(0, 0, 5, own=True) + mmu_update([(4, 6, 6, P | W)]) + gunmap(0, 5, 0) +
                           mmuext([(PIN_L1, 6)]))
    # unmap_and_replace must not move a grant entry: here the read-only handle's slot would get
    # the writable entry (a writable grant PTE without a writable pin)
    seeds['regress-replace-moves-grant'] = (bytes([0]) + a_tree + setup_table(1) + grant(1, 0, 33) +
                                            gmap(0, 0, 5) + gmap(0, 0, 6, readonly=True) +
                                            greplace(0, 6, 5, 1) + gunmap(0, 6, 1) + gunmap(0, 5, 0))
    # the machine's 8 free frames go to A, then B's table cannot get its first frame
    seeds['regress-table-creation-leak'] = (bytes([0]) + memory(2, [0, 0, 0, 0], op=2) + memory(2, [0, 0, 0, 0], op=2) +
                                            setup_table(1) + query(1) + setup_table(1))
    return seeds


# hv_evtchn_fuzz: each operation is (domain << 7 | vcpu, op number 0-15, arguments)
def ev(dom, op, *args, vcpu=0, flag=0):
    return bytes([dom << 7 | flag | vcpu, op]) + bytes(args)


OTHER, SELF = 0, 5                    # pick_dom bytes


def evtchn_seeds():
    seeds = {}
    # d1 offers port 1 to d2, d2 binds it (its port 1), both send, d1 closes, d2 sends to the
    # now unbound end, closes; IPIs and VIRQs on both vCPUs; status of the other domain
    seeds['interdomain'] = (bytes([0]) + ev(0, 0, OTHER) + ev(1, 1, OTHER, 1) + ev(0, 6, 1) + ev(1, 7, 1) +
                            ev(0, 3, 1, vcpu=1) + ev(0, 2, 0, 1) + ev(0, 2, 1, 0) + ev(0, 2, 0, 0) +
                            ev(1, 8, OTHER, 1, flag=0x40) + ev(0, 4, 1) + ev(1, 6, 1) + ev(1, 5, 1) +
                            ev(0, 9, 2, 1) + ev(0, 10, 2) + ev(0, 14, 2, 3))
    # FIFO: control blocks on both vCPUs, an event array, priorities, sends, scribbles, reset back to 2L
    seeds['fifo'] = (bytes([1]) + ev(0, 12, 0, 0, 0) + ev(0, 12, 0, 1, 1) + ev(0, 13, 2) +
                     ev(0, 3, 0) + ev(0, 3, 1) + ev(0, 14, 1, 0) + ev(0, 6, 1) + ev(0, 6, 2) +
                     ev(0, 15, 4, 0, 0, 7) + ev(0, 10, 1) + ev(0, 0, OTHER) + ev(1, 1, OTHER, 3) +
                     ev(1, 6, 1) + ev(0, 11) + ev(0, 6, 1))
    # many ports, then a preempted reset of the other domain and of itself, then sends
    seeds['reset'] = (bytes([0x85]) + b''.join(ev(0, 3, 0) for _ in range(20)) +
                      b''.join(ev(1, 0, SELF) for _ in range(10)) + ev(0, 11, SELF, flag=0x40) + ev(1, 11) +
                      ev(0, 11, OTHER, flag=0x40) + ev(0, 6, 5) + ev(1, 6, 3))
    # a closed VIRQ port must leave its vCPU's virq_to_port (caught when close forgot it)
    seeds['virq-close'] = (bytes([0]) + ev(0, 2, 0, 0) + ev(0, 4, 1) + ev(0, 2, 1, 1, vcpu=1) +
                           ev(0, 9, 1, 1) + ev(0, 5, 1) + ev(0, 2, 1, 1, vcpu=1))
    # refusals: foreign and missing frames, out-of-range ports, bad vCPUs and VIRQs
    seeds['refusals'] = (bytes([0]) + ev(0, 12, 0, 6, 0) + ev(0, 12, 0, 0x87, 0) + ev(0, 13, 6) +
                         ev(0, 12, 250, 0, 0) + ev(0, 2, 25, 0) + ev(0, 2, 0, 2) + ev(0, 3, 2) +
                         ev(0, 4, 230) + ev(0, 6, 231) + ev(0, 10, 239) + ev(0, 1, 7, 1) +
                         ev(0, 5, 0) + ev(0, 0, 0x3f) + ev(0, 14, 1, 17))
    return seeds


def pv_ctl(vec=0, user=False, iopl=1, priv=True, cr4=False, dr7=False, strbuf=False, short_rcx=False,
           cs=0, tf=False, df=False, ec_zero=True, page_end=False, offset=0, regs=None):
    """hv_pvemu_fuzz.c's 48-byte control block (see fuzz_emulate and fuzz_ptwr)."""
    b0 = vec | user << 3 | iopl << 4 | priv << 6 | cr4 << 7
    b1 = dr7 | strbuf << 1 | short_rcx << 2 | cs << 3 | tf << 6 | df << 7
    r = regs if regs is not None else bytes(range(0x10, 0x10 + 40))
    r = bytearray(r)
    r[6] = offset   # ctl[8]: the ptwr store's offset in the entry
    return bytes([b0, b1]) + bytes(r) + bytes([0, 1 if ec_zero else 0, page_end, 0x10, 0, 0])


def pvemu_seeds():
    """Instruction forms each worker handles, and the ptwr store forms (same bytes feed both)."""
    seeds = {}
    UD, DBG = 3, 5
    insns = {
        'cpuid-forced': (dict(vec=UD), '0f0b78656e0fa2'),
        'cpuid-faulting': ({}, '0fa2'),
        'rdtsc': ({}, '0f31'), 'rdtscp': ({}, '0f01f9'),
        'rdmsr': ({}, '0f32'), 'wrmsr': ({}, '0f30'),
        'in-dx': ({}, 'ec'), 'in-imm': (dict(iopl=3), 'e540'), 'out-dx': ({}, 'ee'), 'out-imm': ({}, 'e680'),
        'in-user': (dict(user=True, iopl=3), 'ed'),
        'rep-insb': (dict(strbuf=True, short_rcx=True), 'f36c'), 'rep-insd-df': (dict(strbuf=True, short_rcx=True, df=True), 'f36d'),
        'rep-outsw': (dict(strbuf=True, short_rcx=True), '66f36f'),
        'mov-from-cr0': ({}, '0f20c0'), 'mov-from-cr3': ({}, '0f20d8'), 'mov-from-cr4-r9': ({}, '410f20e1'),
        'mov-to-cr0': ({}, '0f22c0'), 'mov-to-cr3': ({}, '0f22d8'), 'mov-to-cr4': ({}, '0f22e0'),
        'mov-from-dr7': ({}, '0f21f8'), 'mov-to-dr7': (dict(cr4=True), '0f23f8'), 'mov-to-dr0': ({}, '0f23c0'),
        'mov-to-dr6': ({}, '0f23f0'), 'mov-to-dr7-armed': (dict(dr7=True), '0f23f8'),
        'xsetbv': ({}, '0f01d1'), 'hlt': (dict(tf=True), 'f4'), 'clts': ({}, '0f06'), 'wbinvd': (dict(priv=False), '0f09'),
        'cli-user': (dict(user=True, iopl=3), 'fa'), 'sti': ({}, 'fb'),
        'prefixes': ({}, '2e3e66f2f3410f20c0'), 'lock-rdmsr': ({}, 'f00f32'),
        'page-end': (dict(page_end=True), '0f'), 'page-end-in': (dict(page_end=True), 'e5'),
        'gdt-cs': (dict(cs=3), '0f32'), 'compat-cs': (dict(cs=2), 'ec'), 'ldt-cs': (dict(cs=6), 'ec'),
        'debug-vector': (dict(vec=DBG), 'ec'), 'gp-errcode': (dict(ec_zero=False), '0f32'),
        # the writable page-table assist's forms (fuzz_ptwr reads the same bytes)
        'ptwr-mov': (dict(), '488907'), 'ptwr-lock-or': (dict(), 'f0480907'),
        'ptwr-cmpxchg': (dict(), 'f0480fb10f'), 'ptwr-xchg': (dict(), '488707'),
        'ptwr-bts': (dict(), 'f0480fab07'), 'ptwr-mov-imm': (dict(), '48c70701020304'),
        'ptwr-mov16-off2': (dict(offset=2), '66894702'), 'ptwr-and-imm8': (dict(offset=4), '836704fe'),
        'ptwr-btr-imm': (dict(), '0fba3705'), 'ptwr-sib-disp32': (dict(), '48893c2544332211'),
        'ptwr-mov8-ah': (dict(offset=7), '882707'),
    }
    for name, (kw, hexb) in insns.items():
        seeds[name] = pv_ctl(**kw) + bytes.fromhex(hexb)
    return seeds


def vop(who, cmd, vid, body=b'', bad_arg=False):
    """hv_vcpu_fuzz.c's vcpu_op: who 0-2 = domain A's vCPUs, 3 = B's; cmd index of its table."""
    b = (who % 4) << 5 | (0x80 if who == 3 else 0) | 0
    return bytes([b, cmd | vid << 4]) + body + bytes([0 if bad_arg else 1])


def context(cr3, in_kernel=True, user_l4=None, gdt_ents=0, gdt=(0, 0, 0, 0), rip=0, rsp=1,
            dr=b'\x00', vm_assist=0, trap13=3):
    """put_context's bytes: addresses are fz_addr codes (0 = the argument area, 4 = the hypervisor's hole)."""
    f = (1 if in_kernel else 0) | (0x10 if user_l4 is not None else 0)
    g = 2 if gdt_ents else 0
    out = bytes([f, g, cr3]) + (bytes([user_l4]) if user_l4 is not None else b'')
    if gdt_ents:
        out += struct.pack('<H', gdt_ents)
    out += bytes(gdt) + bytes([3])                 # gdt frames, ldt_base 0
    out += bytes([rip, rsp]) + struct.pack('<H', 0x20)   # rip, rsp, rflags IF
    out += struct.pack('<H', 0xe02b) + bytes([1])  # kernel_ss, kernel_sp
    out += bytes([0, 0, 0])                        # callbacks
    out += bytes([14, 0]) + struct.pack('<H', 0xe033) + bytes([0]) + bytes([13, trap13]) + struct.pack('<H', 0xe033) + bytes([0])
    return out + dr + bytes([vm_assist])


def pin_l4(frame, who=0):
    return bytes([(who << 5) | 4, 0, 3, frame, 0])


def pdev(who, cmd, words=b'\x00' * 6, extra=b''):
    return bytes([(who << 5) | 3, cmd]) + words + extra + bytes([1])


def vcpu_seeds():
    seeds = {}
    INIT, UP, DOWN, ISUP, RUNSTATE, RSAREA, PERIODIC, STOPPER, SINGLE, STOPSINGLE, VINFO = 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    # vCPU 1 started on a pinned empty L4, brought up, its timers; a second initialise refused
    seeds['init-up'] = (bytes([0]) + pin_l4(5) + vop(0, INIT, 1, context(5)) + vop(0, UP, 1) +
                        vop(1, PERIODIC, 1, struct.pack('<H', 20) + bytes([1])) + vop(1, SINGLE, 1, b'\x01\x00\x01') +
                        vop(0, INIT, 1, context(5)) + vop(0, ISUP, 1) + vop(1, DOWN, 1) + vop(0, DOWN, 0))
    # contexts that must be refused: unvalidated/foreign/hypervisor CR3s, code in the hole, user mode
    # without user tables, a breakpoint on the hypervisor, GDT past the limit, bad vm_assist
    seeds['init-refused'] = (bytes([0]) + pin_l4(5) + vop(0, INIT, 1, context(6)) + vop(0, INIT, 1, context(40)) +
                             vop(0, INIT, 1, context(0)) + vop(0, INIT, 1, context(5, rip=4)) + vop(0, INIT, 1, context(5, trap13=4)) +
                             vop(0, INIT, 1, context(5, in_kernel=False)) +
                             vop(0, INIT, 1, context(5, dr=bytes([0x01 | 0 << 6, 4]))) +
                             vop(0, INIT, 1, context(5, gdt_ents=8000, gdt=(7, 8, 9, 10))) +
                             vop(0, INIT, 1, context(5, vm_assist=0x3f, dr=b'\x20') + b'\x3f') +
                             vop(0, INIT, 2, context(5)) + vop(3, INIT, 1, context(5)))
    # a GDT of own frames for vCPU 1, and a user L4
    seeds['init-gdt'] = (bytes([0]) + pin_l4(5) + pin_l4(6) +
                         vop(0, INIT, 1, context(5, user_l4=6, gdt_ents=40, gdt=(9, 0, 0, 0))) + vop(0, UP, 1))
    # vcpu_info: a good one, then again (refused), past the page, a table frame, a foreign frame;
    # vCPU 2 has none until it registers one
    seeds['vcpu-info'] = (bytes([0]) + pin_l4(5) +
                          vop(0, VINFO, 0, bytes([7]) + struct.pack('<H', 64) + b'\x01') +
                          vop(0, VINFO, 0, bytes([8]) + struct.pack('<H', 0) + b'\x01') +
                          vop(0, VINFO, 1, bytes([8]) + struct.pack('<H', 4090) + b'\x01') +
                          vop(0, VINFO, 1, bytes([8]) + struct.pack('<H', 4040) + b'\x01') +
                          vop(0, VINFO, 1, bytes([5]) + struct.pack('<H', 0) + b'\x01') +
                          vop(0, VINFO, 1, bytes([40]) + struct.pack('<H', 0) + b'\x01') +
                          vop(0, VINFO, 1, bytes([9]) + struct.pack('<H', 8) + b'\x00') +
                          vop(0, INIT, 2, context(5)) +
                          vop(0, VINFO, 2, bytes([10]) + struct.pack('<H', 128) + b'\x01') +
                          vop(0, INIT, 2, context(5)) + vop(0, UP, 2) + bytes([0]) + bytes([1, 0, 3, 10, 0]))
    # runstate areas, timers with tiny periods, unknown sub-ops, bad argument pointers, other vCPUs' timers
    seeds['timers'] = (bytes([0]) + vop(0, RSAREA, 0, bytes([0])) + vop(0, RSAREA, 0, bytes([4])) +
                       vop(0, PERIODIC, 0, struct.pack('<H', 5) + b'\x00') +
                       vop(0, PERIODIC, 0, struct.pack('<H', 2000) + b'\x01') + vop(0, STOPPER, 0) +
                       vop(0, SINGLE, 0, b'\x00\x00\x03') + vop(0, SINGLE, 1, b'\x01\x00\x00') +
                       vop(0, STOPSINGLE, 0) + vop(0, 12, 0) + vop(0, 15, 0) + vop(0, RUNSTATE, 0, bad_arg=True) +
                       vop(0, RUNSTATE, 3, b'\x09') + bytes([7, 0x10, 0x00]))
    # physdev: IOPL in and out of range, I/O bitmaps at the limit and in the hole, EOI maps
    # (own, twice, a pinned table, foreign), IRQ queries, dom0-only sub-ops from an unprivileged domain
    W = lambda *v: b''.join(bytes([1]) + struct.pack('<H', x) for x in v) + b'\x00\x00' * (6 - len(v))
    seeds['physdev'] = (bytes([0]) + pin_l4(5) + pdev(0, 0, W(3)) + pdev(0, 0, W(4)) +
                        pdev(0, 1, W(0), bytes([0, 0]) + struct.pack('<H', 100)) +
                        pdev(0, 1, W(0), bytes([4, 1, 0])) + pdev(0, 1, W(0), bytes([0, 1, 1])) +
                        pdev(0, 2, W(0), bytes([5])) + pdev(0, 3, W(0), bytes([40])) +
                        pdev(0, 2, W(0), bytes([11])) + pdev(0, 3, W(0), bytes([12])) +
                        pdev(4, 2, W(0), bytes([34])) +
                        pdev(0, 4, W(255)) + pdev(0, 4, W(256)) + pdev(0, 5, W(3)) + pdev(0, 6, W(0), bytes([0])) +
                        pdev(0, 8, W(1)) + pdev(0, 9, W(1)) + pdev(0, 10, W(0)) + pdev(0, 15, W(0)))
    seeds['physdev-dom0'] = (bytes([0x20]) + pdev(0, 6, W(1, 2), bytes([0])) + pdev(0, 6, W(1, 2), bytes([2])) +
                             pdev(0, 7, W(1), bytes([1])) + pdev(0, 8, W(3)) + pdev(0, 9, W(7)) + pdev(0, 11, W(0)))
    return seeds


# ---- hv_ctl: domctl and sysctl (hv_ctl_fuzz.c) ----------------------------
# A call: [kind: 0x80 DomU, 0x40 sysctl, 0x20 bad version, bits 0-3 pointer slots]
# [cmd] [domain: index into hv_ctl_fuzz.c's ids] [n] n union bytes, then a reap byte
# (0 mod 4: dead domains leave the list).
def ctl(kind, cmd, dom=0, body=b'', reap=1):
    return bytes([kind, cmd, dom, len(body)]) + body + bytes([reap])


def ctl_seeds():
    create = (struct.pack('<I', 0) + bytes(16) + struct.pack('<IIIIiiIII', 0, 0, 2, 1023, -1, -1, 1, 0, 0) +
              bytes(8))
    seeds = {}
    # create d2, look at it, pause and unpause it, limits, affinity, destroy (continuing twice), reap
    seeds['create-destroy'] = (bytes([2]) + ctl(0, 1, 0, create) + ctl(0, 5, 2) + ctl(0, 3, 2) + ctl(0, 3, 2) +
                               ctl(0, 4, 2) + ctl(0, 11, 2, struct.pack('<Q', 65536)) +
                               ctl(0, 15, 2, struct.pack('<I', 2)) +
                               ctl(0x02, 9, 2, struct.pack('<I', 1) + bytes(4) + bytes(8) + struct.pack('<I', 8)) +
                               ctl(0, 2, 2) + ctl(0, 5, 2) + ctl(0, 2, 2, reap=0) + ctl(0, 5, 2))
    # the DomU asks for everything: refused before any worker, nothing copied back
    domu = b''.join(ctl(0x80, c, d) for c, d in ((1, 0), (2, 0), (3, 1), (5, 1), (12, 1), (13, 6), (22, 1),
                                                 (82, 1), (16, 0), (2, 11)))
    domu += b''.join(ctl(0xc0, c) for c in (1, 3, 4, 6, 8, 16, 17, 18, 26, 29, 250))
    domu += ctl(0xa0, 5, 0) + ctl(0xe0, 3)
    seeds['domu-refused'] = bytes([0]) + domu
    # Dom0's sysctls with buffers: the log ring, domain lists, topology, CPU policies, the audit
    seeds['sysctls'] = (bytes([0]) + ctl(0x41, 1, 0, struct.pack('<BBHIQI', 0, 1, 0, 0, 0, 64)) +
                        ctl(0x40, 3) + ctl(0x40, 4) + ctl(0x42, 6, 0, struct.pack('<HHIQ', 0, 0, 4, 0)) +
                        ctl(0x41, 16, 0, struct.pack('<I', 8)) + ctl(0x41, 17, 0, struct.pack('<I', 2)) +
                        ctl(0x40, 18, 0, struct.pack('<I', 3)) + ctl(0x40, 250))
    # a DomU's vCPU context: set (a context in guest memory), get, info, affinity; tsc, address size, handle
    seeds['vcpus'] = (bytes([1]) + ctl(0, 1, 0, create) + ctl(0x02, 12, 2, struct.pack('<II', 0, 0)) +
                      ctl(0x02, 12, 2, struct.pack('<II', 1, 0)) + ctl(0x02, 13, 2, struct.pack('<II', 0, 0)) +
                      ctl(0, 14, 2, struct.pack('<I', 0)) +
                      ctl(0x02, 25, 2, struct.pack('<II', 0, 1) + bytes(8) + struct.pack('<I', 16)) +
                      ctl(0, 35, 2, struct.pack('<I', 64)) + ctl(0, 36, 2) + ctl(0, 60, 2, struct.pack('<I', 1)) +
                      ctl(0, 59, 2) + ctl(0, 17, 2, bytes(range(16))) + ctl(0, 27, 2) + ctl(0, 2, 2, reap=0))
    return seeds


def write(dirname, seeds):
    os.makedirs(dirname, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(dirname, name), 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    write('tests/fuzz/hv_mm_corpus', mm_seeds())
    write('tests/fuzz/hv_gnttab_corpus', gnttab_seeds())
    write('tests/fuzz/hv_evtchn_corpus', evtchn_seeds())
    write('tests/fuzz/hv_pvemu_corpus', pvemu_seeds())
    write('tests/fuzz/hv_vcpu_corpus', vcpu_seeds())
    write('tests/fuzz/hv_ctl_corpus', ctl_seeds())
