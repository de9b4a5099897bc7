"""System instructions: privilege checks, control and table registers, I/O with the
permission bitmap, and string instructions (which include INS/OUTS)."""

from __future__ import annotations

from . import flags as F
from .exceptions import CpuFault
from .segments import descriptor_segment, read_descriptor, seg_linear
from .state import EFLAGS_TF, CpuState, Segment


def check_cpl0(cpu: CpuState) -> None:
    if cpu.cpl != 0:
        raise CpuFault(13, 0)


def iopl(cpu: CpuState) -> int:
    return (cpu.eflags_other >> 12) & 3


def check_iopl(cpu: CpuState) -> None:
    """CLI/STI: #GP(0) when CPL > IOPL in protected mode (no VME/PVI modelled)."""
    if cpu.protected and cpu.cpl > iopl(cpu):
        raise CpuFault(13, 0)


def write_cr(cpu: CpuState, m, number: int, value: int) -> None:
    value &= 0xFFFFFFFF
    if number == 0:
        if value & 0x80000000 and not value & 1:
            raise CpuFault(13, 0)
        value |= 0x10  # ET is fixed at 1
        m.flush_tlb()
    elif number in (3, 4):
        if number == 4 and value & 0x3:
            # VME and PVI: the model has no virtual-8086 mode extensions (CPUID says so),
            # and setting a bit of a feature the CPU lacks is #GP(0) (SDM vol. 3A 2.5)
            raise CpuFault(13, 0)
        m.flush_tlb()
    cpu.cr[number] = value


def load_table_register(m, linear: int, size: int, u: bool) -> tuple[int, int]:
    """LGDT/LIDT: a 16-bit operand size loads a 24-bit base."""
    limit = m.read(linear, 2, u)
    base = m.read(linear + 2, 4, u)
    return (base & (0xFFFFFF if size == 16 else 0xFFFFFFFF), limit)


def debug_register(cpu: CpuState, n: int) -> int:
    """The debug register MOV DRn reaches (SDM vol. 3B 18.2.2): DR4 and DR5 are DR6 and DR7,
    or #UD with debug extensions (CR4.DE) on."""
    if n in (4, 5):
        if cpu.cr[4] & 0x8:
            raise CpuFault(6)
        return n + 2
    return n


def store_table_register(m, linear: int, table: tuple[int, int], size: int, u: bool) -> None:
    base, limit = table
    m.write(linear, 2, limit, u)
    m.write(linear + 2, 4, base & (0xFFFFFF if size == 16 else 0xFFFFFFFF), u)


def load_task_register(cpu: CpuState, m, selector: int) -> None:
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


def lmsw(cpu: CpuState, m, value: int) -> None:
    cpu.cr[0] = (cpu.cr[0] & ~0xE) | (value & 0xF) | (cpu.cr[0] & 1)  # cannot clear PE


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


STRING_CHUNK = 4096  # iterations of a REP string instruction per step


def string_op(cpu: CpuState, m, op: str, size: int, rep: str | None, asz: int, src_seg: int, u: bool) -> bool:
    """Up to STRING_CHUNK iterations; True when the instruction is complete. Otherwise
    (and on a fault mid-way) the registers hold the progress so far and EIP stays on
    the instruction, as when the CPU takes an interrupt between iterations, so a huge
    count cannot stall the engine between two budget checks."""
    amask = 0xFFFF if asz == 16 else 0xFFFFFFFF
    step = -size if cpu.eflags_other & 0x400 else size
    try:
        return _iterations(cpu, m, op, size, rep, amask, step, src_seg, u)
    except CpuFault as fault:
        fault.keeps_progress = True  # each iteration is complete or not started
        raise


def _iterations(cpu: CpuState, m, op: str, size: int, rep, amask: int, step: int, src_seg: int, u: bool):
    g = cpu.gpr
    bits = 8 * size
    # with TF set, one iteration: the single-step trap comes between iterations
    for _ in range(1 if cpu.eflags_other & EFLAGS_TF else STRING_CHUNK):
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
