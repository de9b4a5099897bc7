"""Run-time helpers the generated instruction code calls: segmentation, the stack,
conditions, segment-register loads. Each follows the Intel SDM; the templates in
``semantics`` are the only callers.
"""

from __future__ import annotations

from ..machine import CpuFault
from . import flags as F
from .state import CS, SS, CpuState, Segment

# -- segmentation --


def seg_linear(cpu: CpuState, s: int, offset: int, size: int, write: bool) -> int:
    """The linear address of ``size`` bytes at seg:offset, after the SDM's checks
    (vol. 3A 5.3: limit, expand-down; 3.4.5.1: type; a null selector is #GP(0))."""
    seg = cpu.seg[s]
    fault = 12 if s == SS else 13
    last = offset + size - 1
    if cpu.cr[0] & 1 and not cpu.eflags_other & (1 << 17):
        access = seg.access
        if not access & 0x80:  # null or not present: the load would have faulted unless null
            raise CpuFault(fault, 0)
        if access & 0x08:  # code: never writable, readable only with R
            if write or not access & 0x02:
                raise CpuFault(fault, 0)
        elif write and not access & 0x02:
            raise CpuFault(fault, 0)
        if access & 0x0C == 0x04:  # expand-down data
            top = 0xFFFFFFFF if seg.big else 0xFFFF
            if offset <= seg.limit or last > top:
                raise CpuFault(fault, 0)
            return (seg.base + offset) & 0xFFFFFFFF
    if last > seg.limit:
        raise CpuFault(fault, 0)
    return (seg.base + offset) & 0xFFFFFFFF


# -- the stack --


def push(cpu: CpuState, m, value: int, size: int, u: bool) -> None:
    ss = cpu.seg[SS]
    mask = 0xFFFFFFFF if ss.big else 0xFFFF
    sp = (cpu.gpr[4] - size // 8) & mask
    m.write(seg_linear(cpu, SS, sp, size // 8, True), size // 8, value, u)
    cpu.gpr[4] = (cpu.gpr[4] & ~mask) | sp


def pop(cpu: CpuState, m, size: int, u: bool) -> int:
    ss = cpu.seg[SS]
    mask = 0xFFFFFFFF if ss.big else 0xFFFF
    sp = cpu.gpr[4] & mask
    value = m.read(seg_linear(cpu, SS, sp, size // 8, False), size // 8, u)
    cpu.gpr[4] = (cpu.gpr[4] & ~mask) | ((sp + size // 8) & mask)
    return value


# -- conditions (tttn, SDM vol. 2 appendix B) --


def condition(cpu: CpuState, cc: int) -> bool:
    f = cpu.arith_flags()
    base = cc >> 1
    if base == 0:
        r = bool(f & F.OF)
    elif base == 1:
        r = bool(f & F.CF)
    elif base == 2:
        r = bool(f & F.ZF)
    elif base == 3:
        r = bool(f & (F.CF | F.ZF))
    elif base == 4:
        r = bool(f & F.SF)
    elif base == 5:
        r = bool(f & F.PF)
    elif base == 6:
        r = bool(f & F.SF) != bool(f & F.OF)
    else:
        r = bool(f & F.ZF) or (bool(f & F.SF) != bool(f & F.OF))
    return r != bool(cc & 1)


# -- descriptors and segment loads --


def read_descriptor(cpu: CpuState, m, selector: int, error: int) -> tuple[int, int]:
    """(descriptor, its linear address); #GP(selector) beyond the table limit."""
    if selector & 4:
        base, limit = cpu.ldtr.base, cpu.ldtr.limit
    else:
        base, limit = cpu.gdtr
    index = selector & 0xFFF8
    if index + 7 > limit:
        raise CpuFault(13, error)
    return m.read_qword(base + index), base + index


def descriptor_segment(selector: int, raw: int) -> Segment:
    base = ((raw >> 16) & 0xFFFFFF) | ((raw >> 56) & 0xFF) << 24
    limit = (raw & 0xFFFF) | ((raw >> 48) & 0xF) << 16
    if (raw >> 55) & 1:
        limit = (limit << 12) | 0xFFF
    return Segment(selector, base, limit, (raw >> 40) & 0xFF, bool((raw >> 54) & 1))


def set_accessed(m, address: int, raw: int) -> None:
    if not (raw >> 40) & 1:
        m.write(address + 5, 1, ((raw >> 40) & 0xFF) | 1)


def load_segment(cpu: CpuState, m, s: int, selector: int) -> None:
    """MOV/POP to a data or stack segment register (SDM vol. 2 MOV, protected-mode checks)."""
    selector &= 0xFFFF
    if not cpu.cr[0] & 1 or cpu.eflags_other & (1 << 17):
        seg = cpu.seg[s]
        seg.real_mode_load(selector)
        if cpu.eflags_other & (1 << 17):
            seg.limit, seg.access, seg.big = 0xFFFF, 0xF3, False
        return
    cpl = cpu.cpl
    if selector & 0xFFFC == 0:
        if s == SS:
            raise CpuFault(13, 0)
        cpu.seg[s] = Segment(selector, 0, 0, 0, False)  # null: any use faults
        return
    raw, address = read_descriptor(cpu, m, selector, selector & 0xFFFC)
    access = (raw >> 40) & 0xFF
    rpl, dpl = selector & 3, (access >> 5) & 3
    err = selector & 0xFFFC
    if s == SS:
        if rpl != cpl or dpl != cpl or access & 0x18 != 0x10 or not access & 0x02:
            raise CpuFault(13, err)
        if not access & 0x80:
            raise CpuFault(12, err)
    else:
        if not access & 0x10 or (access & 0x0A) == 0x08:  # system, or execute-only code
            raise CpuFault(13, err)
        conforming_code = access & 0x0C == 0x0C
        if not conforming_code and (rpl > dpl or cpl > dpl):
            raise CpuFault(13, err)
        if not access & 0x80:
            raise CpuFault(11, err)
    set_accessed(m, address, raw)
    cpu.seg[s] = descriptor_segment(selector, raw | (1 << 40))


def far_jump(cpu: CpuState, m, selector: int, offset: int) -> None:
    """JMP/CALL far to a code segment (no call gates or task switches here)."""
    selector &= 0xFFFF
    if not cpu.cr[0] & 1 or cpu.eflags_other & (1 << 17):
        cpu.seg[CS].real_mode_load(selector)
        cpu.eip = offset & 0xFFFF if not cpu.seg[CS].big else offset
        return
    if selector & 0xFFFC == 0:
        raise CpuFault(13, 0)
    err = selector & 0xFFFC
    raw, address = read_descriptor(cpu, m, selector, err)
    access = (raw >> 40) & 0xFF
    if access & 0x18 != 0x18:
        raise CpuFault(13, err)  # gates and TSSs are not modelled yet
    dpl, rpl, cpl = (access >> 5) & 3, selector & 3, cpu.cpl
    if access & 0x04:
        if dpl > cpl:
            raise CpuFault(13, err)
    elif rpl > cpl or dpl != cpl:
        raise CpuFault(13, err)
    if not access & 0x80:
        raise CpuFault(11, err)
    seg = descriptor_segment((selector & 0xFFFC) | cpl, raw | (1 << 40))
    if offset > seg.limit:
        raise CpuFault(13, 0)
    set_accessed(m, address, raw)
    cpu.seg[CS] = seg
    cpu.eip = offset


# -- flags helpers --

PARITY = bytes(1 if bin(i).count("1") % 2 == 0 else 0 for i in range(256))


def set_cf_of(cpu: CpuState, cf: int, of: int) -> None:
    cpu.arith = (cpu.arith_flags() & ~(F.CF | F.OF)) | (F.CF if cf else 0) | (F.OF if of else 0)


# -- privilege checks --


def check_cpl0(cpu: CpuState) -> None:
    if cpu.cpl != 0:
        raise CpuFault(13, 0)


def iopl(cpu: CpuState) -> int:
    return (cpu.eflags_other >> 12) & 3


def check_iopl(cpu: CpuState) -> None:
    """CLI/STI: #GP(0) when CPL > IOPL in protected mode (no VME/PVI modelled)."""
    if cpu.protected and cpu.cpl > iopl(cpu):
        raise CpuFault(13, 0)


# -- stack instructions --


def push_selector(cpu: CpuState, m, selector: int, size: int, u: bool) -> None:
    push(cpu, m, selector & 0xFFFF, size, u)  # a 32-bit push writes the selector zero-extended


def push_all(cpu: CpuState, m, size: int, u: bool) -> None:
    sp = cpu.gpr[4]
    mask = (1 << size) - 1
    for i in range(8):
        push(cpu, m, (sp if i == 4 else cpu.gpr[i]) & mask, size, u)


def pop_all(cpu: CpuState, m, size: int, u: bool) -> None:
    mask = (1 << size) - 1
    for i in reversed(range(8)):
        value = pop(cpu, m, size, u)
        if i != 4:
            cpu.gpr[i] = (cpu.gpr[i] & ~mask) | value


def push_flags(cpu: CpuState, m, size: int, u: bool) -> None:
    if cpu.v86 and iopl(cpu) < 3:
        raise CpuFault(13, 0)
    value = cpu.eflags & ~(1 << 16 | 1 << 17)  # RF and VM read as 0 in the image
    push(cpu, m, value & ((1 << size) - 1), size, u)


def pop_flags(cpu: CpuState, m, size: int, u: bool) -> None:
    """POPF: which bits change depends on CPL and IOPL (SDM vol. 2 POPF)."""
    if cpu.v86 and iopl(cpu) < 3:
        raise CpuFault(13, 0)
    value = pop(cpu, m, size, u)
    old = cpu.eflags
    changeable = 0x3F7FD5 & ~(1 << 16 | 1 << 17)  # never RF/VM through POPF
    if cpu.protected and cpu.cpl > 0:
        changeable &= ~(3 << 12)  # IOPL
        if cpu.cpl > iopl(cpu):
            changeable &= ~(1 << 9)  # IF
    if size == 16:
        changeable &= 0xFFFF
    cpu.eflags = (old & ~changeable) | (value & changeable)


def leave(cpu: CpuState, m, size: int, u: bool) -> None:
    mask = 0xFFFFFFFF if cpu.seg[SS].big else 0xFFFF
    cpu.gpr[4] = (cpu.gpr[4] & ~mask) | (cpu.gpr[5] & mask)
    value = pop(cpu, m, size, u)
    cpu.gpr[5] = value if size == 32 else (cpu.gpr[5] & 0xFFFF0000) | value


def release_stack(cpu: CpuState, count: int) -> None:
    mask = 0xFFFFFFFF if cpu.seg[SS].big else 0xFFFF
    cpu.gpr[4] = (cpu.gpr[4] & ~mask) | ((cpu.gpr[4] + count) & mask)


# -- multiply and divide (SDM vol. 2 MUL, IMUL, DIV, IDIV) --


def _signed(value: int, bits: int) -> int:
    return value - ((value >> (bits - 1) & 1) << bits)


def _pair(cpu: CpuState, bits: int) -> int:
    if bits == 8:
        return cpu.gpr[0] & 0xFFFF
    if bits == 16:
        return (cpu.gpr[2] & 0xFFFF) << 16 | cpu.gpr[0] & 0xFFFF
    return cpu.gpr[2] << 32 | cpu.gpr[0]


def _set_pair(cpu: CpuState, bits: int, low: int, high: int) -> None:
    mask = (1 << bits) - 1
    if bits == 8:
        cpu.gpr[0] = cpu.gpr[0] & 0xFFFF0000 | (high & 0xFF) << 8 | low & 0xFF
    elif bits == 16:
        cpu.gpr[0] = cpu.gpr[0] & 0xFFFF0000 | low & mask
        cpu.gpr[2] = cpu.gpr[2] & 0xFFFF0000 | high & mask
    else:
        cpu.gpr[0], cpu.gpr[2] = low & mask, high & mask


def multiply(cpu: CpuState, src: int, bits: int, signed: bool) -> None:
    a = cpu.gpr[0] & ((1 << bits) - 1)
    if signed:
        product = _signed(a, bits) * _signed(src, bits)
        overflow = product != _signed(product & ((1 << bits) - 1), bits)
    else:
        product = a * src
        overflow = product >> bits != 0
    product &= (1 << (2 * bits)) - 1
    _set_pair(cpu, bits, product, product >> bits)
    low = product & ((1 << bits) - 1)
    cpu.record(F.MUL, int(overflow), 0, low, bits)


def imul2(cpu: CpuState, a: int, b: int, bits: int) -> int:
    product = _signed(a, bits) * _signed(b, bits)
    low = product & ((1 << bits) - 1)
    cpu.record(F.MUL, int(product != _signed(low, bits)), 0, low, bits)
    return low


def divide(cpu: CpuState, src: int, bits: int, signed: bool) -> None:
    if src == 0:
        raise CpuFault(0)
    dividend = _pair(cpu, bits)
    if signed:
        n, d = _signed(dividend, 2 * bits), _signed(src, bits)
        q = abs(n) // abs(d) * (1 if (n < 0) == (d < 0) else -1)  # truncates toward zero
        r = n - q * d
        if not -(1 << (bits - 1)) <= q < (1 << (bits - 1)):
            raise CpuFault(0)
    else:
        q, r = divmod(dividend, src)
        if q >> bits:
            raise CpuFault(0)
    _set_pair(cpu, bits, q, r) if bits != 8 else _set_pair(cpu, 8, q, r)


# -- control registers and system tables --


def write_cr(cpu: CpuState, m, number: int, value: int) -> None:
    check_cpl0(cpu)
    value &= 0xFFFFFFFF
    if number == 0:
        if value & 0x80000000 and not value & 1:
            raise CpuFault(13, 0)
        value |= 0x10  # ET is fixed at 1
        m.flush_tlb()
    elif number in (3, 4):
        m.flush_tlb()
    cpu.cr[number] = value


def load_table_register(m, linear: int, size: int, u: bool) -> tuple[int, int]:
    """LGDT/LIDT: a 16-bit operand size loads a 24-bit base."""
    limit = m.read(linear, 2, u)
    base = m.read(linear + 2, 4, u)
    return (base & (0xFFFFFF if size == 16 else 0xFFFFFFFF), limit)


def load_task_register(cpu: CpuState, m, selector: int) -> None:
    check_cpl0(cpu)
    if not cpu.protected or cpu.v86:
        raise CpuFault(6)
    err = selector & 0xFFFC
    if selector & 4 or err == 0:
        raise CpuFault(13, err)
    raw, address = read_descriptor(cpu, m, selector, err)
    access = (raw >> 40) & 0xFF
    if access & 0x1F not in (0x01, 0x09):  # available 16- or 32-bit TSS
        raise CpuFault(13, err)
    if not access & 0x80:
        raise CpuFault(11, err)
    m.write(address + 5, 1, access | 0x02)  # busy
    cpu.tr = descriptor_segment(selector, raw | (0x02 << 40))


def load_ldt(cpu: CpuState, m, selector: int) -> None:
    check_cpl0(cpu)
    if not cpu.protected or cpu.v86:
        raise CpuFault(6)
    selector &= 0xFFFF
    err = selector & 0xFFFC
    if err == 0:
        cpu.ldtr = Segment(selector, 0, 0, 0x02, False)  # null: later LDT references fault
        return
    if selector & 4:
        raise CpuFault(13, err)
    raw, _address = read_descriptor(cpu, m, selector, err)
    access = (raw >> 40) & 0xFF
    if access & 0x1F != 0x02:
        raise CpuFault(13, err)
    if not access & 0x80:
        raise CpuFault(11, err)
    cpu.ldtr = descriptor_segment(selector, raw)


# -- I/O --


def io_allowed(cpu: CpuState, m, port: int, size: int) -> bool:
    """CPL <= IOPL, or every bit of the TSS I/O permission bitmap clear (vol. 1 19.5)."""
    if not cpu.protected or (cpu.cpl <= iopl(cpu) and not cpu.v86):
        return True
    tr = cpu.tr
    if tr.access & 0x0F not in (0x09, 0x0B) or tr.limit < 103:
        return False
    base = m.read(tr.base + 0x66, 2)
    last = base + (port + size - 1) // 8
    if last + 1 > tr.limit:
        return False
    bits = m.read(tr.base + base + port // 8, 2)
    return not (bits >> (port % 8)) & ((1 << size) - 1)


def port_in(cpu: CpuState, m, port: int, bits: int) -> int:
    port &= 0xFFFF
    if not io_allowed(cpu, m, port, bits // 8):
        raise CpuFault(13, 0)
    return m.io.read(port, bits // 8)


def port_out(cpu: CpuState, m, port: int, value: int, bits: int) -> None:
    port &= 0xFFFF
    if not io_allowed(cpu, m, port, bits // 8):
        raise CpuFault(13, 0)
    if m.io.write(port, bits // 8, value & ((1 << bits) - 1)):
        m.stop_requested = True


# -- string instructions (SDM vol. 2 MOVS ... with REP/REPE/REPNE) --


STRING_CHUNK = 4096  # iterations of a REP string instruction per step


def string_op(cpu: CpuState, m, op: str, size: int, rep: str | None, asz: int, src_seg: int, u: bool) -> bool:
    """Up to STRING_CHUNK iterations; True when the instruction is complete. Otherwise
    (and on a fault mid-way) the registers hold the progress so far and EIP stays on
    the instruction, as when the CPU takes an interrupt between iterations, so a huge
    count cannot stall the engine between two budget checks."""
    amask = 0xFFFF if asz == 16 else 0xFFFFFFFF
    step = -size if cpu.eflags_other & 0x400 else size
    g = cpu.gpr
    bits = 8 * size
    for _ in range(STRING_CHUNK):
        if rep and not g[1] & amask:
            return True
        si, di = g[6] & amask, g[7] & amask
        if op == "movs":
            value = m.read(seg_linear(cpu, src_seg, si, size, False), size, u)
            m.write(seg_linear(cpu, 0, di, size, True), size, value, u)
        elif op == "stos":
            m.write(seg_linear(cpu, 0, di, size, True), size, g[0], u)
        elif op == "lods":
            value = m.read(seg_linear(cpu, src_seg, si, size, False), size, u)
            g[0] = value if size == 4 else (g[0] & ~((1 << bits) - 1)) | value
        elif op in ("cmps", "scas"):
            b = m.read(seg_linear(cpu, 0, di, size, False), size, u)
            if op == "cmps":
                a = m.read(seg_linear(cpu, src_seg, si, size, False), size, u)
            else:
                a = g[0] & ((1 << bits) - 1)
            cpu.record(F.SUB, a, b, (a - b) & ((1 << bits) - 1), bits)
        elif op == "ins":
            value = port_in(cpu, m, g[2] & 0xFFFF, bits)
            m.write(seg_linear(cpu, 0, di, size, True), size, value, u)
        elif op == "outs":
            value = m.read(seg_linear(cpu, src_seg, si, size, False), size, u)
            port_out(cpu, m, g[2] & 0xFFFF, value, bits)
        if op in ("movs", "lods", "cmps", "outs"):
            g[6] = (g[6] & ~amask) | ((si + step) & amask)
        if op in ("movs", "stos", "cmps", "scas", "ins"):
            g[7] = (g[7] & ~amask) | ((di + step) & amask)
        if not rep:
            return True
        g[1] = (g[1] & ~amask) | ((g[1] - 1) & amask)
        if op in ("cmps", "scas"):
            zf = bool(cpu.arith_flags() & F.ZF)
            if (rep == "rep" and not zf) or (rep == "repne" and zf):
                return True
    return not g[1] & amask


# -- bit strings (SDM vol. 2 BT/BTS/BTR/BTC: a register offset reaches beyond the operand) --


def bit_memory(
    cpu: CpuState, m, s: int, ea: int, offset: int, bits: int, amask: int, u: bool, op: str
) -> None:
    signed = offset - ((offset >> 31 & 1) << 32) if bits == 32 else offset - ((offset >> 15 & 1) << 16)
    ea = (ea + (signed >> (5 if bits == 32 else 4)) * (bits // 8)) & amask
    linear = seg_linear(cpu, s, ea, bits // 8, op != "bt")
    value = m.read(linear, bits // 8, u)
    n = signed & (bits - 1)
    bit = value >> n & 1
    cpu.arith = cpu.arith_flags() & ~F.CF | bit
    if op == "bts":
        m.write(linear, bits // 8, value | 1 << n, u)
    elif op == "btr":
        m.write(linear, bits // 8, value & ~(1 << n), u)
    elif op == "btc":
        m.write(linear, bits // 8, value ^ 1 << n, u)


def cmpxchg8b(cpu: CpuState, m, linear: int, u: bool) -> None:
    value = m.read(linear, 4, u) | m.read(linear + 4, 4, u) << 32
    g = cpu.gpr
    if value == (g[2] << 32 | g[0]):
        m.write(linear, 4, g[3], u)
        m.write(linear + 4, 4, g[1], u)
        cpu.arith = cpu.arith_flags() | F.ZF
    else:
        m.write(linear, 4, value & 0xFFFFFFFF, u)  # the locked cycle writes back
        m.write(linear + 4, 4, value >> 32, u)
        g[0], g[2] = value & 0xFFFFFFFF, value >> 32
        cpu.arith = cpu.arith_flags() & ~F.ZF


def enter(cpu: CpuState, m, size: int, alloc: int, level: int, u: bool) -> None:
    level &= 31
    big = cpu.seg[SS].big
    mask = 0xFFFFFFFF if big else 0xFFFF
    push(cpu, m, cpu.gpr[5] & ((1 << size) - 1), size, u)
    frame = cpu.gpr[4] & mask
    bp = cpu.gpr[5]
    for _ in range(1, level):
        bp = (bp & ~mask) | ((bp - size // 8) & mask)
        push(cpu, m, m.read(seg_linear(cpu, SS, bp & mask, size // 8, False), size // 8, u), size, u)
    if level:
        push(cpu, m, frame, size, u)
    cpu.gpr[5] = frame if size == 32 else (cpu.gpr[5] & 0xFFFF0000) | (frame & 0xFFFF)
    cpu.gpr[4] = (cpu.gpr[4] & ~mask) | ((cpu.gpr[4] - alloc) & mask)


# -- descriptor inspection (LAR, LSL, VERR, VERW never fault on the selector) --


def _visible(cpu: CpuState, m, selector: int) -> int | None:
    if selector & 0xFFFC == 0:
        return None
    base, limit = (cpu.ldtr.base, cpu.ldtr.limit) if selector & 4 else cpu.gdtr
    if (selector & 0xFFF8) + 7 > limit:
        return None
    raw = m.read_qword(base + (selector & 0xFFF8))
    access = (raw >> 40) & 0xFF
    dpl = (access >> 5) & 3
    conforming = access & 0x1C == 0x1C
    if not conforming and (dpl < cpu.cpl or dpl < selector & 3):
        return None
    return raw


def _set_zf(cpu: CpuState, ok: bool) -> None:
    cpu.arith = (cpu.arith_flags() & ~F.ZF) | (F.ZF if ok else 0)


def access_rights(cpu: CpuState, m, selector: int, size: int) -> int | None:
    if not cpu.protected or cpu.v86:
        raise CpuFault(6)
    raw = _visible(cpu, m, selector & 0xFFFF)
    ok = raw is not None and ((raw >> 44) & 1 or (raw >> 40) & 0xF in (1, 2, 3, 4, 5, 9, 0xB, 0xC))
    _set_zf(cpu, bool(ok))
    if not ok:
        return None
    return (raw >> 32) & (0x00FFFF00 if size == 32 else 0xFF00)


def segment_limit(cpu: CpuState, m, selector: int) -> int | None:
    if not cpu.protected or cpu.v86:
        raise CpuFault(6)
    raw = _visible(cpu, m, selector & 0xFFFF)
    ok = raw is not None and ((raw >> 44) & 1 or (raw >> 40) & 0xF in (1, 2, 3, 9, 0xB))
    _set_zf(cpu, bool(ok))
    return descriptor_segment(0, raw).limit if ok else None


def verify(cpu: CpuState, m, selector: int, write: bool) -> None:
    if not cpu.protected or cpu.v86:
        raise CpuFault(6)
    raw = _visible(cpu, m, selector & 0xFFFF)
    ok = False
    if raw is not None and (raw >> 44) & 1:
        access = (raw >> 40) & 0xFF
        ok = (
            bool(access & 0x02) and not access & 0x08 if write else (not access & 0x08 or bool(access & 0x02))
        )
    _set_zf(cpu, ok)


def store_table_register(m, linear: int, table: tuple[int, int], size: int, u: bool) -> None:
    base, limit = table
    m.write(linear, 2, limit, u)
    m.write(linear + 2, 4, base & (0xFFFFFF if size == 16 else 0xFFFFFFFF), u)


def load_far_pointer(cpu: CpuState, m, s: int, linear: int, size: int, u: bool) -> int:
    """LDS/LES/LFS/LGS/LSS: load the segment register; return the offset."""
    offset = m.read(linear, size // 8, u)
    load_segment(cpu, m, s, m.read(linear + size // 8, 2, u))
    return offset


def arpl(cpu: CpuState, dest: int, src: int) -> int:
    if not cpu.protected or cpu.v86:
        raise CpuFault(6)
    if dest & 3 < src & 3:
        _set_zf(cpu, True)
        return (dest & ~3) | (src & 3)
    _set_zf(cpu, False)
    return dest


def bound(cpu: CpuState, m, index: int, linear: int, size: int, u: bool) -> None:
    lower = m.read(linear, size // 8, u)
    upper = m.read(linear + size // 8, size // 8, u)
    sign = 1 << (size - 1)
    i, lo, hi = ((v ^ sign) - sign for v in (index, lower, upper))
    if i < lo or i > hi:
        raise CpuFault(5)


def lmsw(cpu: CpuState, m, value: int) -> None:
    check_cpl0(cpu)
    cpu.cr[0] = (cpu.cr[0] & ~0xE) | (value & 0xF) | (cpu.cr[0] & 1)  # cannot clear PE


# -- BCD (SDM vol. 2 DAA DAS AAA AAS AAM AAD) --


def decimal_adjust(cpu: CpuState, subtract: bool) -> None:
    g = cpu.gpr
    al, flags = g[0] & 0xFF, cpu.arith_flags()
    cf, af = flags & F.CF, flags & F.AF
    new_cf, new_af = 0, 0
    result = al
    if (al & 0xF) > 9 or af:
        result = (result - 6 if subtract else result + 6) & 0xFF
        new_cf = cf or (al < 6 if subtract else al > 0xF9)
        new_af = F.AF
    if al > 0x99 or cf:
        result = (result - 0x60 if subtract else result + 0x60) & 0xFF
        new_cf = 1
    g[0] = (g[0] & ~0xFF) | result
    cpu.arith = (
        (F.CF if new_cf else 0)
        | new_af
        | (F.PF if PARITY[result] else 0)
        | (F.ZF if result == 0 else 0)
        | (F.SF if result & 0x80 else 0)
    )


def ascii_adjust(cpu: CpuState, subtract: bool) -> None:
    g = cpu.gpr
    ax, flags = g[0] & 0xFFFF, cpu.arith_flags()
    if (ax & 0xF) > 9 or flags & F.AF:
        ax = (ax - 6) & 0xFFFF if subtract else (ax + 0x106) & 0xFFFF
        if subtract:
            ax = (ax - 0x100) & 0xFFFF
        adjusted = F.AF | F.CF
    else:
        adjusted = 0
    g[0] = (g[0] & 0xFFFF0000) | (ax & 0xFF0F)
    cpu.arith = (flags & ~(F.AF | F.CF)) | adjusted


def ascii_multiply(cpu: CpuState, base: int) -> None:
    if base == 0:
        raise CpuFault(0)
    g = cpu.gpr
    al = g[0] & 0xFF
    result = al % base
    g[0] = (g[0] & 0xFFFF0000) | (al // base) << 8 | result
    _logic_flags(cpu, result)


def ascii_divide(cpu: CpuState, base: int) -> None:
    g = cpu.gpr
    result = ((g[0] & 0xFF) + ((g[0] >> 8) & 0xFF) * base) & 0xFF
    g[0] = (g[0] & 0xFFFF0000) | result
    _logic_flags(cpu, result)


def _logic_flags(cpu: CpuState, result: int) -> None:
    cpu.lazy = None
    cpu.arith = (
        (F.PF if PARITY[result] else 0) | (F.ZF if result == 0 else 0) | (F.SF if result & 0x80 else 0)
    )


# -- model-specific: CPUID, time stamp, MSRs (the virtual CPU model, documented in semantics) --

CPUID_LEAVES = {
    0: (1, 0x56666552, 0x36387841, 0x4D4D5F33),  # max leaf 1, "RefVMM_x86" in EBX EDX ECX
    1: (0x00000633, 0, 0, 0x00008930),  # family 6 model 3; EDX: TSC, MSR, CX8, SEP, CMOV (no FPU)
}


def cpuid(cpu: CpuState) -> None:
    g = cpu.gpr
    a, b, c, d = CPUID_LEAVES.get(g[0], (0, 0, 0, 0))
    g[0], g[3], g[1], g[2] = a, b, c, d


MSRS = frozenset({0x10, 0x174, 0x175, 0x176})


def rdmsr(cpu: CpuState, m) -> None:
    check_cpl0(cpu)
    number = cpu.gpr[1]
    if number not in MSRS:
        raise CpuFault(13, 0)
    value = m.retired if number == 0x10 else m.msrs.get(number, 0)
    cpu.gpr[0], cpu.gpr[2] = value & 0xFFFFFFFF, (value >> 32) & 0xFFFFFFFF


def wrmsr(cpu: CpuState, m) -> None:
    check_cpl0(cpu)
    number = cpu.gpr[1]
    if number not in MSRS or number == 0x10:
        raise CpuFault(13, 0)
    m.msrs[number] = cpu.gpr[2] << 32 | cpu.gpr[0]
