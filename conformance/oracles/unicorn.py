"""Unicorn as a reference execution, at the guest's own privilege, with no monitor.

What the oracle takes from Unicorn: every instruction's execution, including
segment loads, privilege checks, paging, CR2 and which exception is raised, with
EIP at the faulting instruction for faults and after it for traps.

What the oracle computes itself (``delivery.py``), because Unicorn does none of it:

* delivery of every interrupt and exception through the IVT or IDT, including the
  stack switch through the TSS and the frame pushed;
* #UD for invalid opcodes (Unicorn stops with UC_ERR_INSN_INVALID instead);
* whether a vector came from a software INT n (read from the instruction bytes
  before EIP), which decides the gate DPL check and the error code;
* faults raised during delivery (IDT limit, gate and segment checks, page faults
  on the new stack) with their exact error codes, and #DF / triple fault.

What the oracle reads from Unicorn's saved CPU context, at offsets found by
experiment when it first runs (``_error_code_offset``, ``_old_exception_offset``):

* the error code of an exception Unicorn raised (#TS, #NP, #SS, #GP, #PF), which
  QEMU keeps in ``error_code`` and Unicorn's hook does not pass on. Should the
  offset not be found (another Unicorn build), the oracle pushes
  ``layout.UNKNOWN_ERROR_CODE`` so the guest sees a frame of the right shape, the log
  reader reports that error code as unknown, and the stack slot it was written to
  is reported as unknown memory (``FinalState.unknown_memory``), which no
  comparison looks at.

EFLAGS at a fault: Unicorn's instruction counting (a code hook on every
instruction, which ``emu_start(count=...)`` installs) materialises the flags at the
start of an instruction that follows a flag-setting one and makes that form the
current one, but a fault raised in the middle of the instruction restores QEMU's
lazy-flags state from the instruction's start record, so the flags computed for the
frame mix the two (after ``add al, 0xd1; mov ds, bx`` with a selector that faults,
CF reads 0). The oracle therefore runs a test again when it took a fault, with a code
hook at each faulting instruction that records EFLAGS at its start (which Unicorn
computes correctly for a hook), and delivers each fault with those flags: a fault
leaves EFLAGS as the instruction found them. A run whose faults move once the flags
are right is run again, up to ``REPLAYS`` times.

Physical memory beyond RAM is open bus, as on a PC and in the VMM's machine: reads
give all ones and writes are dropped (an MMIO region over the rest of the 4 GiB
space; Unicorn alone stops with UC_ERR_READ_UNMAPPED or UC_ERR_WRITE_UNMAPPED).
Unicorn cannot execute from MMIO: code that jumps there stops the oracle with
UC_ERR_FETCH_PROT (the VMM fetches all ones, FF FF, and raises #UD). Turning such a
page into RAM holding all ones would need part of the MMIO region unmapped, which
Unicorn 2.1 gets wrong (the #UD at the region's first page lands two bytes late).

CR2: ``emu_start`` probes the address it is told to stop at (``layout.NEVER_EXECUTED``,
the top of RAM), and where the guest's page tables leave that page unmapped the probe
leaves ``PROBE_CR2`` in CR2 with no page fault delivered; the oracle puts back the CR2
the guest's last fault or MOV left (``_Run.settle_cr2``), as the processor loads CR2
only when it delivers a #PF (guest_tests/paging/cr2_kept_with_the_top_page_unmapped.asm).

Every run is bounded by the image's time limit (``conformance.deadline``: a watcher
thread calls ``emu_stop``), and reported as ``timeout`` when it hits it.

Known gaps: delivery from virtual-8086 mode and through task gates is reported as
an error, and segment bases for the frame come from the descriptor tables (a
segment whose hidden base differs from its descriptor would be misread). The EFLAGS
image pushed for a fault carries RF = 1, as the SDM (vol. 3A 17.3.1.1, "Instruction-
Breakpoint Exception Condition") says for every fault but an instruction breakpoint
and the host CPU does (the native oracle). Unicorn keeps the RF that the handler's
IRET loads where the processor clears it as the next instruction completes, so the
oracle pushes RF = 0 for any other event and reports it 0 at the end; an event raised
by the very first instruction after such an IRET would carry 1 on the processor.
"""

from __future__ import annotations

import ctypes
import functools
import struct

import capstone
import unicorn
from unicorn import x86_const as X

from refvmm.hw import divide_guard

from .. import layout as L
from ..deadline import Deadline
from ..image import Image
from ..ports import PortBus
from ..runtime import LEGACY_PREFIXES
from ..state import FinalState, fpu_state, read_exception_log, rewritten
from .delivery import EFLAGS_RF, EFLAGS_VM, Delivery, Descriptor, Fault, TripleFault, Unsupported
from .recording_handler import resume_table

_REGS = {
    "eax": X.UC_X86_REG_EAX,
    "ecx": X.UC_X86_REG_ECX,
    "edx": X.UC_X86_REG_EDX,
    "ebx": X.UC_X86_REG_EBX,
    "esp": X.UC_X86_REG_ESP,
    "ebp": X.UC_X86_REG_EBP,
    "esi": X.UC_X86_REG_ESI,
    "edi": X.UC_X86_REG_EDI,
    "eip": X.UC_X86_REG_EIP,
    "eflags": X.UC_X86_REG_EFLAGS,
    "cs": X.UC_X86_REG_CS,
    "ss": X.UC_X86_REG_SS,
    "ds": X.UC_X86_REG_DS,
    "es": X.UC_X86_REG_ES,
    "fs": X.UC_X86_REG_FS,
    "gs": X.UC_X86_REG_GS,
    "cr0": X.UC_X86_REG_CR0,
    "cr2": X.UC_X86_REG_CR2,
    "cr3": X.UC_X86_REG_CR3,
    "cr4": X.UC_X86_REG_CR4,
}
_TABLES = {
    "gdtr": X.UC_X86_REG_GDTR,
    "idtr": X.UC_X86_REG_IDTR,
    "ldtr": X.UC_X86_REG_LDTR,
    "tr": X.UC_X86_REG_TR,
}


# what CR2 holds after Unicorn probed emu_start's "until" address (L.NEVER_EXECUTED) on a
# page the guest does not map: the byte before it (found by experiment, as 0xFFFFFFFE for
# an "until" of 0xFFFFFFFF); a guest fault or MOV that gives CR2 exactly this is taken for it
PROBE_CR2 = L.NEVER_EXECUTED - 1
CHUNK = 5_000_000  # instructions per emu_start (the count Unicorn takes is bounded)
REPLAYS = 4  # runs again with the flags at faults recorded (see the module docstring)
# Exceptions whose saved EIP is the faulting instruction (not #DB: a trap there, and
# not #DF, which is delivered with the EIP of the instruction that caused it)
_FAULTS = L.FAULT_VECTORS


def _fpu(uc: unicorn.Uc) -> dict[str, int]:
    """The x87 state: Unicorn's FPTAG is the full tag word (11 for an empty register)
    and its FP0-FP7 the physical registers, as (significand, sign and exponent)."""
    tags = uc.reg_read(X.UC_X86_REG_FPTAG)
    valid = sum(1 << n for n in range(8) if tags >> (2 * n) & 3 != 3)
    registers = []
    for n in range(8):
        significand, exponent = uc.reg_read(X.UC_X86_REG_FP0 + n)
        registers.append((exponent & 0xFFFF) << 64 | significand)
    return fpu_state(uc.reg_read(X.UC_X86_REG_FPCW), uc.reg_read(X.UC_X86_REG_FPSW), valid, registers)


def _context_bytes(ctx) -> bytes:
    return ctypes.string_at(ctx.context, ctx.size)


@functools.cache
def _old_exception_offset() -> int | None:
    """Where Unicorn's saved context keeps QEMU's ``old_exception``, found by experiment.

    QEMU remembers the last contributory exception to turn a second one raised
    *during its delivery* into #DF, and forgets it when delivery completes. With an
    interrupt hook Unicorn never completes delivery, so every later contributory
    fault (a second #DE, #GP ...) reaches the hook as vector 8. The oracle resets
    the field after each delivery. Calibrated here, not hard-coded, because the
    layout depends on the Unicorn build: two #DE in a row must read [0, 0].
    """

    def probe(patch_at: int | None) -> tuple[list[int], list[bytes]]:
        uc = unicorn.Uc(unicorn.UC_ARCH_X86, unicorn.UC_MODE_32)
        uc.mem_map(0, 0x1000)
        uc.mem_write(0, bytes.fromhex("f7f190f7f190"))  # div ecx; nop; twice
        seen: list[int] = []
        contexts = [_context_bytes(uc.context_save())]

        def on_intr(uc, vector, _data):
            seen.append(vector)
            uc.reg_write(X.UC_X86_REG_EIP, uc.reg_read(X.UC_X86_REG_EIP) + 2)
            ctx = uc.context_save()
            contexts.append(_context_bytes(ctx))
            if patch_at is not None:
                ctypes.memmove(ctx.context.value + patch_at, b"\xff\xff\xff\xff", 4)
                uc.context_restore(ctx)

        uc.hook_add(unicorn.UC_HOOK_INTR, on_intr)
        uc.emu_start(0, 6)
        return seen, contexts

    seen, (before, after, *_) = probe(None)
    if seen == [0, 0]:
        return None  # this Unicorn build does not need the reset
    candidates = [
        i
        for i in range(0, min(len(before), len(after)) - 3, 4)
        if before[i : i + 4] == b"\xff\xff\xff\xff" and after[i : i + 4] == b"\0\0\0\0"
    ]
    for offset in candidates:
        if probe(offset)[0] == [0, 0]:
            return offset
    return None


def _protected_probe(code: bytes) -> unicorn.Uc:
    """A Unicorn in flat 32-bit protected mode (GDT at 0x1000: null, code 0x08, data
    0x10) with ``code`` at 0x2000 and the page tables of ``_pf_probe``'s mapping."""
    uc = unicorn.Uc(unicorn.UC_ARCH_X86, unicorn.UC_MODE_32)
    uc.mem_map(0, 0x10000)
    gdt = (0, 0x00CF9A000000FFFF, 0x00CF92000000FFFF)
    uc.mem_write(0x1000, b"".join(struct.pack("<Q", d) for d in gdt))
    uc.reg_write(X.UC_X86_REG_GDTR, (0, 0x1000, 8 * len(gdt) - 1, 0))
    uc.reg_write(X.UC_X86_REG_CR0, 0x11)
    uc.reg_write(X.UC_X86_REG_CS, 0x08)
    for reg in (X.UC_X86_REG_SS, X.UC_X86_REG_DS, X.UC_X86_REG_ES):
        uc.reg_write(reg, 0x10)
    uc.mem_write(0x2000, code)
    return uc


def _context_at_fault(uc: unicorn.Uc, length: int) -> bytes:
    saved: list[bytes] = []

    def on_intr(uc, _vector, _data):
        ctx = uc.context_save()
        saved.append(_context_bytes(ctx))
        uc.emu_stop()

    uc.hook_add(unicorn.UC_HOOK_INTR, on_intr)
    uc.emu_start(0x2000, 0x2000 + length, count=10)
    return saved[0] if saved else b""


def _offsets_of(raw: bytes, value: int) -> set[int]:
    return {i for i in range(0, len(raw) - 3, 4) if struct.unpack_from("<I", raw, i)[0] == value}


@functools.cache
def _error_code_offset() -> int | None:
    """Where Unicorn's saved context keeps the error code of the exception being
    raised (QEMU's ``error_code``), found by experiment: MOV DS with selectors beyond
    the GDT limit raises #GP(selector & 0xFFFC) (RPL 3, so the register holding the
    selector differs from the error code); a write to a page whose PDE is not present
    must then read #PF error code 2. None when no single offset fits."""
    candidates: set[int] | None = None
    for selector in (0x1237, 0x567B, 0x0ABF):
        uc = _protected_probe(b"\x8e\xdb\x90")  # mov ds, bx; nop
        uc.reg_write(X.UC_X86_REG_EBX, selector)
        found = _offsets_of(_context_at_fault(uc, 3), selector & 0xFFFC)
        candidates = found if candidates is None else candidates & found
    if not candidates or len(candidates) != 1:
        return None
    (offset,) = candidates
    uc = _protected_probe(b"\xc7\x00\x01\x00\x00\x00\x90")  # mov dword [eax], 1; nop
    uc.mem_write(0x3000, struct.pack("<I", 0x4000 | 0x3))  # PDE 0 -> page table 0x4000
    uc.mem_write(0x4000, b"".join(struct.pack("<I", (i << 12) | 0x3) for i in range(16)))
    uc.reg_write(X.UC_X86_REG_CR3, 0x3000)
    uc.reg_write(X.UC_X86_REG_CR0, 0x80000011)
    uc.reg_write(X.UC_X86_REG_EAX, 0x400000)  # PDE 1 is not present
    raw = _context_at_fault(uc, 7)
    if len(raw) < offset + 4 or struct.unpack_from("<I", raw, offset)[0] != 2:
        return None
    return offset


class _UnicornCpu:
    """The delivery layer's view of a Unicorn instance."""

    def __init__(self, uc: unicorn.Uc):
        self.uc = uc

    def get(self, reg: str) -> int:
        if reg == "tr_sel":
            return self.uc.reg_read(X.UC_X86_REG_TR)[0]
        if reg == "tr_type":  # Unicorn's flags are the descriptor's high dword, type at bit 8
            return (self.uc.reg_read(X.UC_X86_REG_TR)[3] >> 8) & 0xF
        return self.uc.reg_read(_REGS[reg])

    def table(self, name: str) -> tuple[int, int]:
        _sel, base, limit, _flags = self.uc.reg_read(_TABLES[name])
        return base, limit

    def read(self, addr: int, size: int) -> bytes:
        return bytes(self.uc.mem_read(addr, size))

    def write(self, addr: int, data: bytes) -> None:
        self.uc.mem_write(addr, data)

    def set_cr2(self, value: int) -> None:
        self.uc.reg_write(X.UC_X86_REG_CR2, value)

    def switch_task(self, tr, descriptor, cr3, eflags, eip, gprs, segs, ldt, ldt_raw) -> None:
        uc = self.uc
        uc.reg_write(X.UC_X86_REG_TR, (tr, *_cache(descriptor)))
        uc.reg_write(X.UC_X86_REG_LDTR, (ldt, *_cache(ldt_raw)))
        uc.reg_write(X.UC_X86_REG_CR0, uc.reg_read(X.UC_X86_REG_CR0) | 0x8)  # TS
        if cr3 is not None:
            uc.reg_write(X.UC_X86_REG_CR3, cr3)
        for name, value in zip(("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"), gprs):
            uc.reg_write(_REGS[name], value)
        es, cs, ss, ds, fs, gs = segs
        self.enter(cs, eip, eflags, ss, gprs[4], cs & 3)
        for reg, selector in (
            (X.UC_X86_REG_ES, es),
            (X.UC_X86_REG_DS, ds),
            (X.UC_X86_REG_FS, fs),
            (X.UC_X86_REG_GS, gs),
        ):
            uc.reg_write(reg, selector)

    def enter(
        self, cs: int, eip: int, eflags: int, ss: int | None, esp: int, cpl: int, null_data: bool = False
    ) -> None:
        uc = self.uc
        cr0 = uc.reg_read(X.UC_X86_REG_CR0)
        from_v86 = cr0 & 1 and uc.reg_read(X.UC_X86_REG_EFLAGS) & EFLAGS_VM
        if from_v86:  # leave virtual-8086 mode first, so the loads below are protected-mode ones
            uc.reg_write(X.UC_X86_REG_EFLAGS, eflags)
        if cr0 & 1 and (from_v86 or cpl != (uc.reg_read(X.UC_X86_REG_CS) & 3)):
            if cpl != 0:
                raise Unsupported(f"entering CPL {cpl} from a hook")
            # Unicorn has no way to set CPL, and loading a CPL-0 SS at CPL 3 faults.
            # In real mode a segment load makes CPL 0; go there and back.
            uc.reg_write(X.UC_X86_REG_CR0, cr0 & ~1)
            uc.reg_write(X.UC_X86_REG_SS, 0)
            uc.reg_write(X.UC_X86_REG_CR0, cr0)
        if ss is not None:
            uc.reg_write(X.UC_X86_REG_SS, ss)
        uc.reg_write(X.UC_X86_REG_ESP, esp)
        uc.reg_write(X.UC_X86_REG_CS, cs)
        uc.reg_write(X.UC_X86_REG_EIP, eip)
        uc.reg_write(X.UC_X86_REG_EFLAGS, eflags)
        if null_data:
            for reg in (X.UC_X86_REG_ES, X.UC_X86_REG_DS, X.UC_X86_REG_FS, X.UC_X86_REG_GS):
                uc.reg_write(reg, 0)


# legacy prefixes an IRET may carry (the operand-size one decides its frame's width)
_PREFIXES = frozenset((0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67, 0xF2, 0xF3))


def _software_sites(image: Image) -> list[tuple[int, int, int]]:
    """(EIP, EIP after, vector) of each INT n, INT3, INTO and ICEBP of the body, prefixes
    included: the resume table's, and past where the table ends (bytes capstone cannot
    decode, such as a LOCK that Unicorn runs anyway) those of a sweep that steps over
    each byte it cannot decode."""
    table = resume_table(image)
    rows = [r for r in table if r[2] != 0xFFFFFFFF]
    body, origin = image.body, image.body_origin
    at = table[-1][1] if table else origin
    while at < origin + len(body):
        insn = next(_SWEEP[image.bits].disasm_lite(body[at - origin : at - origin + 15], at), None)
        if insn is None:
            at += 1
            continue
        op = body[at - origin : at - origin + insn[1]].lstrip(LEGACY_PREFIXES)
        vec = op[1] if op[:1] == b"\xcd" and len(op) > 1 else _ONE_BYTE_INTERRUPTS.get(op[:1])
        if vec is not None:
            rows.append((at, at + insn[1], vec))
        at += insn[1]
    return rows


_ONE_BYTE_INTERRUPTS = {b"\xcc": 3, b"\xce": 4, b"\xf1": 1}  # INT3, INTO, ICEBP
_SWEEP = {
    bits: capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_16 if bits == 16 else capstone.CS_MODE_32)
    for bits in (16, 32)
}


def _candidates(image: Image, opcode: int) -> list[int]:
    """Every address of the image where an instruction of the one-byte ``opcode`` (IRET,
    HLT) may start: the byte, or a prefix before it (the runtime and the test's code are
    identity-mapped in every mode)."""
    out = set()
    for addr, blob in image.chunks:
        at = blob.find(bytes([opcode]))
        while at >= 0:
            out.add(addr + at)
            start = at
            while start > 0 and at - start < 3 and blob[start - 1] in _PREFIXES:
                start -= 1
                out.add(addr + start)
            at = blob.find(bytes([opcode]), at + 1)
    return sorted(out)


def _clear_rf(uc, _address, _size, _data) -> None:
    uc.reg_write(X.UC_X86_REG_EFLAGS, uc.reg_read(X.UC_X86_REG_EFLAGS) & ~EFLAGS_RF)


def _open_bus_read(_uc, _offset: int, size: int, _data) -> int:
    return (1 << (8 * size)) - 1


def _open_bus_write(_uc, _offset: int, _size: int, _value: int, _data) -> None:
    pass


def _cache(raw: int) -> tuple[int, int, int]:
    """(base, limit, flags) of a descriptor as Unicorn holds a segment's hidden part: the
    flags are the descriptor's high dword, access byte at bit 8."""
    d = Descriptor(raw)
    return d.base, d.limit, (raw >> 32) & 0x00F0FF00


class _Run:
    def __init__(
        self,
        uc: unicorn.Uc,
        bus: PortBus,
        watch: frozenset[int] = frozenset(),
        software: dict[tuple[int, int], int] | None = None,
    ):
        self.uc = uc
        # (EIP after, vector) -> length of each INT n, INT3, INTO and ICEBP of the body,
        # prefixes included, from the image's resume table (the bytes before EIP cannot
        # tell a prefix from the end of the instruction before)
        self.software = software or {}
        # the linear address of the body's software interrupt, or of the instruction after
        # one, that began last (``on_site``): a fault of that next instruction, whose EIP and
        # vector match the interrupt's, is no software interrupt
        self.site: int | None = None
        # the end of a HLT of the image that began in this emu_start (``on_hlt``)
        self.hlt_end: int | None = None
        self.bus = bus
        self.cpu = _UnicornCpu(uc)
        self.delivery = Delivery(self.cpu)
        self.exit: str | None = None
        self.message = ""
        self.exit_eip: int | None = None
        self.exit_port = 0
        self.faults: set[int] = set()  # linear addresses of the instructions that faulted
        self.watch = watch  # ... whose EFLAGS at the start the code hook records
        self.started: tuple[int, int] | None = None  # (linear address, EFLAGS) of the last
        self.unknown: list[int] = []  # physical bytes holding an error code not known
        self.rf_targets: set[int] = set()  # where an IRET that loaded RF returned (on_iret)
        # CR2 as the guest's own faults and moves left it (``settle_cr2``)
        self.cr2 = uc.reg_read(X.UC_X86_REG_CR2)

    def _stop(self, reason: str, message: str = "") -> None:
        self.exit, self.message = reason, message
        self.uc.emu_stop()

    def deliver(self, vector: int, error: int | None, software_length: int = 0, fault: bool = False) -> bool:
        try:
            self.delivery.deliver(vector, error, software_length, fault)
            offset = _old_exception_offset()
            if offset is not None:  # delivery is complete: forget the exception
                ctx = self.uc.context_save()
                ctypes.memmove(ctx.context.value + offset, b"\xff\xff\xff\xff", 4)
                self.uc.context_restore(ctx)
            return True
        except TripleFault:
            self._stop("triple-fault", f"triple fault delivering vector {vector}")
        except Unsupported as exc:
            self._stop("error", f"oracle cannot deliver vector {vector}: {exc}")
        except Fault as f:  # pragma: no cover - deliver() converts these
            self._stop("error", f"unexpected fault {f.vector} in delivery")
        return False

    def on_hlt(self, uc, address, size, _data):
        self.hlt_end = address + size

    def on_site(self, uc, address, _size, _data):
        self.site = address

    def on_start(self, uc, address, _size, _data):
        """Code hook at a watched instruction: its EFLAGS as it starts."""
        self.started = (address, uc.reg_read(X.UC_X86_REG_EFLAGS))

    def _linear_eip(self) -> int | None:
        try:
            base = self.delivery.segment_base(self.cpu.get("cs"))
        except (Fault, Unsupported, unicorn.UcError):
            return None
        return (base + self.cpu.get("eip")) & 0xFFFFFFFF

    def _error_code(self) -> int:
        offset = _error_code_offset()
        if offset is None:
            return L.UNKNOWN_ERROR_CODE
        raw = _context_bytes(self.uc.context_save())
        return struct.unpack_from("<I", raw, offset)[0]

    def settle_cr2(self) -> None:
        """Undo the CR2 that Unicorn's probe of emu_start's "until" address leaves behind
        (``PROBE_CR2``) when the guest's page tables do not map it: the processor writes
        CR2 only when it delivers a #PF. Any other value is the guest's (a fault, a MOV)."""
        cr2 = self.uc.reg_read(X.UC_X86_REG_CR2)
        if cr2 == PROBE_CR2 and self.cr2 != PROBE_CR2:
            self.uc.reg_write(X.UC_X86_REG_CR2, self.cr2)
        else:
            self.cr2 = cr2

    def on_interrupt(self, uc, vector, _data):
        self.settle_cr2()  # before the delivery: the handler may read CR2
        self.hlt_end = None  # a HLT that began (at CPL 3: #GP) did not halt
        eip = uc.reg_read(X.UC_X86_REG_EIP)
        length = self.software.get((eip, vector))
        if length and self.site is not None and self.site == self._linear_eip():
            length = 0  # the instruction after the INT n began: this is its own fault
        elif not length:
            length = self.delivery.software_length(vector)
        error = None
        if vector in L.ERROR_CODE_VECTORS and not length:
            error = self._error_code()
        if vector in _FAULTS and not length:
            linear = self._linear_eip()
            if linear is not None:
                self.faults.add(linear)
                if self.started is not None and self.started[0] == linear and linear in self.watch:
                    uc.reg_write(X.UC_X86_REG_EFLAGS, self.started[1])  # as the instruction found them
        fault = vector in _FAULTS and not length
        if self.deliver(vector, error, length, fault) and self.delivery.pushed_error == L.UNKNOWN_ERROR_CODE:
            self.unknown.extend(self.delivery.error_slot)

    def on_iret(self, uc, address, _size, _data):
        """A code hook at each byte 0xCF of the image (an IRET, maybe): when the IRET pops RF,
        clear it as the instruction it returns to starts, as the processor does when that
        instruction completes (Unicorn keeps it, and its PUSHF copies it into the image)."""
        target = self._iret_rf_target(address)
        if target is not None and target not in self.rf_targets:
            # the hook stays: wherever it fires, RF is due to be clear (no hook is deleted
            # from inside its own callback, which ctypes does not survive)
            self.rf_targets.add(target)
            uc.hook_add(unicorn.UC_HOOK_CODE, _clear_rf, None, target, target)

    def _iret_rf_target(self, linear: int) -> int | None:
        """Where the IRET at ``linear`` returns to (linear), when it is an IRETD whose frame
        has RF set; else None."""
        d = self.delivery
        try:
            code = d.read_linear(linear, 4)
            at = 0
            while at < 3 and code[at] in _PREFIXES:
                at += 1
            if code[at] != 0xCF:
                return None
            protected = bool(self.cpu.get("cr0") & 1) and not d.v86()
            code32 = protected and d.descriptor(self.cpu.get("cs"), 0).big
            if code32 == (0x66 in code[:at]):
                return None  # IRET with a 16-bit FLAGS image: RF stays as it is
            ss = self.cpu.get("ss")
            if protected and ss & 0xFFFC:
                stack = d.descriptor(ss, 0)
                base, mask = stack.base, 0xFFFFFFFF if stack.big else 0xFFFF
            else:
                base, mask = (ss << 4 if not protected else 0), 0xFFFF
            esp = self.cpu.get("esp")
            eip, cs, eflags = struct.unpack(
                "<III", b"".join(d.read_linear(base + (esp + 4 * i & mask), 4) for i in range(3))
            )
            if not eflags & EFLAGS_RF:
                return None
            if not protected or eflags & EFLAGS_VM:
                return ((cs & 0xFFFF) << 4) + (eip & 0xFFFF)
            return (d.descriptor(cs & 0xFFFF, 0).base + eip) & 0xFFFFFFFF if cs & 0xFFFC else None
        except (Fault, Unsupported, unicorn.UcError):
            return None

    def on_invalid(self, uc, _data):
        # Unicorn (QEMU) stops at INT 6 (CD 06) as if it were an invalid opcode: it is a
        # software interrupt to vector 6, returning after itself
        length = self._int6_length()
        if length:
            uc.reg_write(X.UC_X86_REG_EIP, (self.cpu.get("eip") + length) & 0xFFFFFFFF)
        return self.deliver(6, None, length, fault=not length)

    def _int6_length(self) -> int:
        """The length of the INT 6 at CS:EIP (with legacy prefixes other than LOCK), or 0."""
        linear = self._linear_eip()
        if linear is None:
            return 0
        code = b""
        for i in range(15):  # byte by byte: the code may end at an unmapped page
            try:
                code += self.delivery.read_linear(linear + i, 1)
            except (Fault, Unsupported, unicorn.UcError):
                break
        body = code.lstrip(bytes((0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67, 0xF2, 0xF3)))
        return len(code) - len(body) + 2 if body[:2] == b"\xcd\x06" else 0

    def on_in(self, uc, port, size, _data):
        return self.bus.read(port, size)

    def on_out(self, uc, port, size, value, _data):
        if self.bus.write(port, size, value):
            self.exit_eip = uc.reg_read(X.UC_X86_REG_EIP)
            self.exit_port = port
            self._stop(self.bus.exit)


class UnicornOracle:
    name = "unicorn"
    kind = "oracle"

    def __init__(self, options: str = "") -> None:
        if options:
            raise ValueError(f"unicorn takes no options, not {options!r}")

    def unavailable(self) -> str | None:
        return divide_guard.install()

    def run(self, image: Image) -> FinalState:
        divide_guard.install()  # once per process: unavailable() says if it failed
        current: list[unicorn.Uc] = []

        def stop() -> None:
            if current:
                current[-1].emu_stop()

        watch: frozenset[int] = frozenset()
        with Deadline(image.timeout, stop) as deadline:
            for _ in range(REPLAYS + 1):
                state, faults = self._run_once(image, watch, current, deadline)
                if state.exit == "timeout" or faults <= watch:
                    return state
                watch |= faults
        state.exit = "error"
        state.message = (
            f"oracle: the faults still moved after {REPLAYS} runs with the flags at faults recorded"
        )
        return state

    def _run_once(
        self, image: Image, watch: frozenset[int], current: list, deadline: Deadline
    ) -> tuple[FinalState, set[int]]:
        # UC_MODE_32, then real mode by hand: in UC_MODE_16 every segment-register
        # write is a real-mode load (base = selector << 4) even in protected mode,
        # which the delivery layer cannot use.
        uc = unicorn.Uc(unicorn.UC_ARCH_X86, unicorn.UC_MODE_32)
        uc.reg_write(X.UC_X86_REG_CR0, 0x10)
        uc.reg_write(X.UC_X86_REG_CR4, 0)
        for reg in (X.UC_X86_REG_CS, X.UC_X86_REG_SS, X.UC_X86_REG_DS, X.UC_X86_REG_ES):
            uc.reg_write(reg, 0)
        for reg in (X.UC_X86_REG_FS, X.UC_X86_REG_GS):
            uc.reg_write(reg, 0)
        uc.reg_write(X.UC_X86_REG_EFLAGS, 0x2)
        # GDTR and IDTR as at power-up (SDM vol. 3A table 10-1: base 0, limit 0xFFFF);
        # Unicorn starts them with limit 0
        for reg in (X.UC_X86_REG_GDTR, X.UC_X86_REG_IDTR):
            uc.reg_write(reg, (0, 0, 0xFFFF, 0))
        # the x87 as FNINIT leaves it, as the VMM's engines start (Unicorn's own reset
        # leaves a control word of 0, every exception unmasked)
        uc.reg_write(X.UC_X86_REG_FPCW, 0x37F)
        uc.reg_write(X.UC_X86_REG_FPSW, 0)
        uc.reg_write(X.UC_X86_REG_FPTAG, 0xFFFF)
        uc.mem_map(0, image.ram_size)
        uc.mmio_map(image.ram_size, (1 << 32) - image.ram_size, _open_bus_read, None, _open_bus_write, None)
        for addr, blob in image.chunks:
            uc.mem_write(addr, blob)
        bus = PortBus(image.port_in)
        sites = _software_sites(image)
        run = _Run(uc, bus, watch, {(nxt, vec): nxt - addr for addr, nxt, vec in sites})
        to_linear = image.body_base - image.body_origin
        for linear in sorted({to_linear + a for addr, nxt, _vec in sites for a in (addr, nxt)}):
            uc.hook_add(unicorn.UC_HOOK_CODE, run.on_site, None, linear, linear)
        uc.hook_add(unicorn.UC_HOOK_INTR, run.on_interrupt)
        uc.hook_add(unicorn.UC_HOOK_INSN_INVALID, run.on_invalid)
        uc.hook_add(unicorn.UC_HOOK_INSN, run.on_in, None, 1, 0, X.UC_X86_INS_IN)
        uc.hook_add(unicorn.UC_HOOK_INSN, run.on_out, None, 1, 0, X.UC_X86_INS_OUT)
        for linear in sorted(watch):
            uc.hook_add(unicorn.UC_HOOK_CODE, run.on_start, None, linear, linear)
        for linear in _candidates(image, 0xCF):
            uc.hook_add(unicorn.UC_HOOK_CODE, run.on_iret, None, linear, linear)
        hlt_sites = frozenset(_candidates(image, 0xF4))
        for linear in hlt_sites:
            uc.hook_add(unicorn.UC_HOOK_CODE, run.on_hlt, None, linear, linear)
        current[:] = [uc]
        remaining, begin = image.budget, image.entry
        try:
            while run.exit is None:
                if deadline.expired:
                    run.exit, run.message = "timeout", f"no exit after {image.timeout:g} s (wall-clock limit)"
                    break
                chunk = min(remaining, CHUNK)
                # "until" must be an address Unicorn can translate: with 0xFFFFFFFF it
                # probes that address and leaves CR2 = 0xFFFFFFFE behind under paging.
                # Unicorn's own timeout is not used (its timer thread hangs the process
                # after a few hundred runs): the deadline's thread calls emu_stop.
                run.hlt_end = None
                uc.emu_start(begin, L.NEVER_EXECUTED, timeout=0, count=chunk)
                run.settle_cr2()
                if run.exit is not None:
                    break
                regs = {name: uc.reg_read(reg) for name, reg in _REGS.items()}
                remaining -= chunk
                if deadline.expired:
                    continue  # reported at the top of the loop
                if self._after_hlt(run, regs, hlt_sites):
                    run.exit = "halt"
                elif remaining <= 0:
                    run.exit, run.message = "budget", f"no exit after {image.budget} instructions"
                begin = regs["eip"]  # UC_MODE_32: emu_start's address sets EIP
        except unicorn.UcError as exc:
            if run.exit is None:
                run.exit, run.message = "error", f"unicorn: {exc}"
        regs = {name: uc.reg_read(reg) for name, reg in _REGS.items()}
        regs["eflags"] &= ~EFLAGS_RF  # cleared by the last instruction's completion (see above)
        if run.exit_eip is not None:
            regs["eip"] = run.exit_eip + self._out_length(run, regs)
        unknown = sorted(set(run.unknown))
        state = FinalState(
            engine=self.name,
            exit=run.exit,
            message=run.message,
            regs=regs,
            memory={a: bytes(uc.mem_read(a, n)) for a, n in image.compare},
            code=rewritten(image.body, bytes(uc.mem_read(image.body_base, len(image.body)))),
            ports=list(bus.writes),
            debug=bus.debug.decode("latin-1"),
            exceptions=read_exception_log(lambda a, n: bytes(uc.mem_read(a, n))),
            unknown_memory=[(a, 1) for a in unknown],
            fpu=_fpu(uc),
        )
        return state, run.faults

    @staticmethod
    def _code(run: _Run, regs: dict, offset: int, size: int) -> bytes:
        try:
            base = run.delivery.segment_base(regs["cs"])
            return run.delivery.read_linear(base + ((regs["eip"] + offset) & 0xFFFFFFFF), size)
        except (Fault, Unsupported, unicorn.UcError):
            return b""

    def _after_hlt(self, run: _Run, regs: dict, sites: frozenset[int]) -> bool:
        """Whether the run stopped after a HLT: F4 before EIP, and where that byte is one of
        the image's, a HLT that began there (not an instruction that ends in the byte,
        FRSTOR [EAX - 0x0C000000], stopped by the count)."""
        if self._code(run, regs, -1, 1) != b"\xf4":
            return False
        linear = run._linear_eip()
        return linear is None or linear - 1 not in sites or run.hlt_end == linear

    def _out_length(self, run: _Run, regs: dict) -> int:
        """Length of the OUT at the stop EIP, so every engine reports EIP after it."""
        code = self._code(run, {**regs, "eip": run.exit_eip}, 0, 15)
        n = 0
        while n < len(code) and code[n] in LEGACY_PREFIXES:  # a REP or segment prefix too
            n += 1
        if n < len(code) and code[n] in (0xE6, 0xE7):
            return n + 2
        if n < len(code) and code[n] in (0xEE, 0xEF):
            return n + 1
        # the bytes cannot be read where the descriptor tables say CS is (the test loaded
        # a GDT of its own after CS): the exits of the runtime and of a body are OUT imm8,
        # AL, two bytes; a port above 0xFF can only be OUT DX, one
        return 1 if run.exit_port > 0xFF else 2
