"""The reviewed causes of differences that are not the engine's bug: where the
oracle is known wrong, each with its evidence. An example whose differences a cause
explains is counted under the cause, never as a finding; anything else is a finding.

A cause is narrow: it names the oracle and holds only where that oracle's defect is
at work, as the exception logs and the instruction at the point of divergence show
(an engine's exception at an instruction the oracle ran through, at a CPL and IOPL
that make it architectural). Each has the corpus test that gives its evidence and
lists the same divergence in ``conformance/divergences.toml``. One cause is the
architecture's, for every reference: a program that reads a flag the SDM leaves
undefined has no defined result.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from types import SimpleNamespace
from typing import NamedTuple

import capstone

from .. import layout as L
from .. import vmm
from ..format import FLAG_BITS
from ..image import Image
from ..oracles.native import host_cpu
from ..oracles.native_eligibility import EXTENSION_GROUPS
from ..runner import Outcome
from ..runtime import LEGACY_PREFIXES
from ..state import ExceptionRecord
from ..undefined import ALIASES, IMPLICIT_TABLE, along, final_register_masks, undefined_read
from ..vmm import CODE_WRITES
from .divergence import stubs

COUNTED_TWICE = "unicorn: instructions counted twice after a write to code"
LEFT_UNDEFINED_ON_PATH = "architecture: leaves a flag undefined (on the path it ran)"
PAST_4G = "architecture: an access past 4 GiB (implementation-specific)"
PAST_4G_REASON = (
    "an access whose offset plus size wraps past 4 GiB runs past the limit of a 4 GiB segment: "
    "the engine raises #GP(0) (#SS(0) for the stack) where the reference wraps it (Unicorn "
    "always, the host CPU for some instructions), and the SDM allows either"
)
PAST_4G_EVIDENCE = (
    "Intel SDM vol. 3A 5.3: 'When the effective limit is FFFFFFFFH (4 GBytes), these accesses "
    "may or may not cause the indicated exceptions. Behavior is implementation-specific and may "
    "vary from one execution to another.' The host CPU (AMD EPYC) raises #GP(0) for a MOV "
    "there (guest_tests/segments/access_past_4g_gp.asm) and #PF at the wrapped page for an "
    "FSTP m80 at 0xFFFFFFF7"
)


@dataclass(frozen=True)
class Cause:
    name: str
    oracle: str  # the reference it holds for, or "any" (architecture: no oracle is wrong)
    reason: str
    evidence: str
    applies: Callable[[Outcome, Outcome, Image], bool]


class _Insn(NamedTuple):
    mnemonic: str  # with its prefixes, as capstone names it ("rep insb")
    operands: str
    groups: frozenset[int]
    read_modify_write: bool  # its memory operand is read and written


# instructions that write a memory operand without reading it (SDM vol. 2): every other
# written memory operand is read first
_STORES = ("mov", "movs", "stos", "set", "pop", "sgdt", "sidt", "sldt", "str", "smsw", "ins", "f", "enter")
# capstone marks these memory operands read-only, though the rotate or shift writes them back
_SHIFTS = ("rol", "ror", "rcl", "rcr", "shl", "sal", "shr", "sar")


@lru_cache(maxsize=4096)
def _decode(body: bytes, origin: int, bits: int) -> dict[int, _Insn]:
    """The body's instructions by address: decoded once per program for every cause."""
    md = capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_16 if bits == 16 else capstone.CS_MODE_32)
    md.detail = True
    out = {}
    for i in md.disasm(body, origin):
        rmw = not i.mnemonic.split()[-1].startswith(_STORES) and any(
            op.type == capstone.x86.X86_OP_MEM and (op.access & capstone.CS_AC_WRITE or i.mnemonic in _SHIFTS)
            for op in i.operands
        )
        out[i.address] = _Insn(i.mnemonic, i.op_str, frozenset(i.groups), rmw)
    return out


def _code(image: Image) -> dict[int, _Insn]:
    return _decode(image.body, image.body_origin, image.bits)


@lru_cache(maxsize=1024)
def _readings(body: bytes, origin: int, bits: int) -> tuple[_Insn, ...]:
    """The instruction that starts at each byte of the body: what a branch into the middle
    of the straight reading runs."""
    found = (_decode(body[at : at + 16], origin + at, bits).get(origin + at) for at in range(len(body)))
    return tuple(i for i in found if i is not None)


def _insn_at(image: Image, eip: int) -> _Insn | None:
    """The instruction at ``eip``: the body's as read straight, or else the image's bytes
    there (code a branch reached off that reading, or beyond the body: RAM is zero where
    the image puts nothing)."""
    insn = _code(image).get(eip)
    if insn is not None:
        return insn
    window = _bytes_at(image, eip)
    return _decode(window, eip, image.bits).get(eip) if window else None


def _bytes_at(image: Image, eip: int) -> bytes:
    """The image's 16 bytes at ``eip`` (RAM is zero where the image puts nothing), or b""
    outside RAM."""
    at = image.body_base + eip - image.body_origin
    if not 0 <= at < image.ram_size:
        return b""
    window = bytearray(16)
    for addr, blob in image.chunks:
        lo, hi = max(addr, at), min(addr + len(blob), at + 16)
        if lo < hi:
            window[lo - at : hi - at] = blob[lo - addr : hi - addr]
    return bytes(window)


def _refused(engine: Outcome, reference: Outcome, image: Image, test: Callable[[bytes, bytes], bool]) -> bool:
    """The engine's first exception that the reference lacks is #UD, at an instruction
    whose (prefixes, rest of the bytes) pass ``test``."""
    record = _first_extra_fault(engine, reference, 6)
    code = _bytes_at(image, record.eip) if record else b""
    rest = code.lstrip(LEGACY_PREFIXES)
    return bool(rest) and test(code[: len(code) - len(rest)], rest)


# opcodes Unicorn decodes otherwise than the processor, as tests of (prefixes, the rest)
def _locked(prefixes: bytes, rest: bytes) -> bool:
    return b"\xf0" in prefixes


def _test_alias_bytes(_prefixes: bytes, rest: bytes) -> bool:  # F6 /1, F7 /1: TEST
    return len(rest) > 1 and rest[0] in (0xF6, 0xF7) and (rest[1] >> 3) & 7 == 1


def _group11_bytes(_prefixes: bytes, rest: bytes) -> bool:  # C6 /7, C7 /7 but XABORT, XBEGIN
    return len(rest) > 1 and rest[0] in (0xC6, 0xC7) and (rest[1] >> 3) & 7 == 7 and rest[1] != 0xF8


def _group5_bytes(_prefixes: bytes, rest: bytes) -> bool:  # FF /7
    return len(rest) > 1 and rest[0] == 0xFF and (rest[1] >> 3) & 7 == 7


def _pop_group_bytes(_prefixes: bytes, rest: bytes) -> bool:  # 8F /1-/7
    return len(rest) > 1 and rest[0] == 0x8F and (rest[1] >> 3) & 7 != 0


def _lock_refused(engine: Outcome, reference: Outcome, image: Image) -> bool:
    return _refused(engine, reference, image, _locked)


def _test_alias(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """Unicorn's #UD (the reference's first exception the engine lacks) at F6 /1 or F7 /1."""
    return _refused(reference, engine, image, _test_alias_bytes)


def _group11_reserved(engine: Outcome, reference: Outcome, image: Image) -> bool:
    return _refused(engine, reference, image, _group11_bytes)


def _group5_reserved(engine: Outcome, reference: Outcome, image: Image) -> bool:
    return _refused(engine, reference, image, _group5_bytes)


def _pop_group_reserved(engine: Outcome, reference: Outcome, image: Image) -> bool:
    return _refused(engine, reference, image, _pop_group_bytes)


def _mnemonic(image: Image, eip: int) -> str:
    insn = _insn_at(image, eip)
    return insn.mnemonic if insn else ""


def _mnemonics_at(image: Image, eip: int, *outcomes: Outcome) -> set[str]:
    """The mnemonic at ``eip`` in the image and in the body as each run left it (where
    the run rewrote its code)."""
    names = {_mnemonic(image, eip)}
    at = eip - image.body_origin
    for outcome in outcomes:
        code = outcome.state.code if outcome.state else b""
        if code and 0 <= at < len(code):
            insn = _decode(code[at : at + 16], eip, image.bits).get(eip)
            names.add(insn.mnemonic if insn else "")
    return names


def _runs(image: Image, mnemonic: str) -> bool:
    return any(i.mnemonic == mnemonic for i in _code(image).values())


def _first_extra(engine: Outcome, reference: Outcome):
    """The engine's first exception (vector and EIP) the reference does not have, or None."""
    theirs = {(e.vector, e.eip) for e in reference.state.exceptions}
    return next((e for e in engine.state.exceptions if (e.vector, e.eip) not in theirs), None)


def _first_extra_fault(engine: Outcome, reference: Outcome, vector: int):
    """``_first_extra``, if it is ``vector`` with error code 0 (none in real mode)."""
    record = _first_extra(engine, reference)
    return record if record and record.vector == vector and record.error in (0, None) else None


def _extension(engine: Outcome, reference: Outcome, image: Image) -> bool:
    record = _first_extra_fault(engine, reference, 6)
    if record is None:
        return False
    if _extension_opcode(_bytes_at(image, record.eip).lstrip(LEGACY_PREFIXES)):
        return True
    insn = _insn_at(image, record.eip)
    # FISTTP is SSE3's, though capstone files it with the x87
    return insn is not None and (bool(insn.groups & EXTENSION_GROUPS) or insn.mnemonic == "fisttp")


def _extension_opcode(rest: bytes) -> bool:
    """Whether the bytes after the legacy prefixes begin, by the opcode map alone, an
    instruction of an extension the modelled CPU lacks: SYSCALL; LES/LDS with a register
    operand (VEX where there is AVX); the two-byte map's MMX and SSE rows, some of which
    capstone leaves ungrouped; 3DNow!'s 0F 0D (PREFETCH/PREFETCHW, PRFCHW), 0F 0E (FEMMS)
    and 0F 0F (its escape: AMD's, MMX registers), and group 15,
    0F AE (FXSAVE, FXRSTOR, LDMXCSR, STMXCSR, XSAVE, the fences and CLFLUSH)."""
    if len(rest) < 2:
        return False
    if rest[0] in (0xC4, 0xC5):
        return rest[1] >> 6 == 3
    return rest[0] == 0x0F and (rest[1] in (0x05, 0x0D, 0x0E, 0x0F, 0xAE) or _sse_row(rest[1]))


def _sse_row(op: int) -> bool:
    """Whether 0F ``op`` is in the MMX/SSE part of the two-byte opcode map (SDM vol. 2
    Appendix A, Table A-3: 0F 10-17, 28-2F, 50-7F but 77 (EMMS, MMX too), C2-C6, D0-FF,
    and the three-byte escapes 38 and 3A)."""
    return (
        0x10 <= op <= 0x17
        or 0x28 <= op <= 0x2F
        or 0x50 <= op <= 0x7F
        or 0xC2 <= op <= 0xC6
        or op >= 0xD0
        or op in (0x38, 0x3A)
    )


def _rmw_write_fault(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """At the first exception that differs: a #PF at the same instruction, a read-modify-write,
    whose error code differs only in W/R, set by the engine."""
    for mine, theirs in zip(engine.state.exceptions, reference.state.exceptions):
        if mine == theirs:
            continue
        same = (
            (mine.vector, mine.eip, mine.cr2)
            == (theirs.vector, theirs.eip, theirs.cr2)
            == (14, mine.eip, mine.cr2)
        )
        return (
            same
            and _write_bit_only(mine, theirs)
            and (insn := _insn_at(image, mine.eip)) is not None
            and insn.read_modify_write
        )
    return False


def _write_bit_only(mine: ExceptionRecord, theirs: ExceptionRecord) -> bool:
    """The two #PF error codes differ in W/R alone, which the engine set."""
    if not isinstance(mine.error, int) or not isinstance(theirs.error, int):
        return False
    return mine.error ^ theirs.error == 2 and bool(mine.error & 2)


def descriptor_limit(raw: int) -> int:
    """A code or data descriptor's limit in bytes (SDM vol. 3A 3.4.5)."""
    limit = raw & 0xFFFF | (raw >> 48 & 0xF) << 16
    return limit << 12 | 0xFFF if raw >> 55 & 1 else limit


_SEGMENT_LOADS = ("mov", "pop", "lds", "les", "lfs", "lgs", "lss")


def _loads_segment(insn: _Insn) -> bool:
    """MOV or POP to a segment register (named first among the operands)."""
    return insn.mnemonic in _SEGMENT_LOADS and re.match(r"(?:[defgs]s)\b", insn.operands) is not None


def _loads_selector(insn: _Insn) -> bool:
    """Any instruction that reads a selector into a segment register: those of
    ``_loads_segment`` and the far-pointer loads, whose segment is implicit."""
    return _loads_segment(insn) or insn.mnemonic in _SEGMENT_LOADS[2:]


def _limited_segments(image: Image) -> bool:
    """Whether the test can have a segment short of 4 GiB: a 16-bit mode, or a descriptor
    of its own (the header's GDT entries or an LDT in its data) with a smaller limit."""
    if image.bits == 16:
        return True
    if any(_loads_segment(i) or i.mnemonic.split()[-1] in _FAR for i in _code(image).values()):
        return True  # it may load one of the runtime's 16-bit segments
    descriptors = []
    for addr, blob in image.chunks:
        if addr == L.GDT:  # the test's own entries, not the runtime's
            blob = blob[8 * L.FIRST_FREE_GDT_INDEX :]
        elif addr < L.TEST_DATA:
            continue
        descriptors += [int.from_bytes(blob[i : i + 8], "little") for i in range(0, len(blob) - 7, 8)]
    return any(d >> 44 & 1 and descriptor_limit(d) != 0xFFFFFFFF for d in descriptors)


def _frame_past_a_16bit_stack(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """The engine shut down delivering an exception whose dword frame would straddle the
    end of a 16-bit stack (SP below 16 and not a multiple of 4), where Unicorn went on."""
    if engine.state.exit != "triple-fault" or reference.state.exit == "triple-fault" or image.bits != 16:
        return False
    sp = engine.state.regs.get("esp", 0) & 0xFFFF
    return sp < 16 and sp & 3 != 0


def _limits(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """A #GP(0) or #SS(0), the faults of a limit check, where Unicorn went on, in a test
    that has a limited segment; or a shutdown from an exception frame past the limit of a
    16-bit stack."""
    record = _first_extra_fault(engine, reference, 13) or _first_extra_fault(engine, reference, 12)
    if record is None:
        return _frame_past_a_16bit_stack(engine, reference, image)
    if not _limited_segments(image):
        return False
    name = _mnemonic(image, record.eip).removeprefix("rep ")
    if name in _IO and record.cs & 3 > (record.eflags >> 12) & 3:
        return False  # the I/O bitmap's #GP(0), not a limit's
    return name not in ("rdmsr", "wrmsr")


_FAR = ("lcall", "ljmp", "retf", "iret", "iretd", "iretw", "retfw", "retfd")


def _limit_error(engine: Outcome, reference: Outcome, image: Image, kind: Callable) -> bool:
    """At the first exception that differs: the same #GP at the same instruction, of the
    ``kind`` asked for, with error code 0 from the engine (a target or a memory operand
    past the limit) and a selector from Unicorn."""
    for mine, theirs in zip(engine.state.exceptions, reference.state.exceptions):
        if mine == theirs:
            continue
        return (
            (mine.vector, mine.eip) == (theirs.vector, theirs.eip) == (13, mine.eip)
            and mine.error == 0
            and isinstance(theirs.error, int)
            and theirs.error != 0
            and kind(_insn_at(image, mine.eip))
        )
    return False


def _far_limit_error(engine: Outcome, reference: Outcome, image: Image) -> bool:
    return _limit_error(engine, reference, image, lambda i: i is not None and i.mnemonic.split()[-1] in _FAR)


def _selector_past_limit_error(engine: Outcome, reference: Outcome, image: Image) -> bool:
    return _limit_error(engine, reference, image, lambda i: i is not None and _loads_selector(i))


def _cs_accessed_bit(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """Only registers differ, each in bit 8 alone (the type's accessed bit as LAR reads it),
    in a program that runs LAR; memory may differ only where such a register was stored
    (a byte differing in its bit 0: bit 8 of a stored dword, such as a handler's PUSHAD)."""
    if not _runs(image, "lar"):
        return False
    mine, theirs = engine.state.regs, reference.state.regs
    differing = [r for r in mine if mine.get(r) != theirs.get(r)]
    if not differing or engine.state.exceptions != reference.state.exceptions:
        return False
    if not all((mine[r] ^ theirs.get(r, 0)) == 0x100 for r in differing):
        return False
    ours, other = engine.state.memory, reference.state.memory
    if ours.keys() != other.keys():
        return False
    return all(a ^ b in (0, 1) for address in ours for a, b in zip(ours[address], other[address]))


def _null_selector_rpl(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """Only DS, ES, FS or GS differ: 0 on the engine, a null selector with an RPL (1 to 3) on
    Unicorn, after the runtime's handler returned to an outer level (an exception at CPL > 0)."""
    mine, theirs = engine.state.regs, reference.state.regs
    differing = {r for r in mine if mine.get(r) != theirs.get(r)}
    if not differing or not differing <= {"ds", "es", "fs", "gs"}:
        return False
    outward = any(e.cs & 3 for e in engine.state.exceptions)
    return outward and all(mine[r] == 0 and theirs.get(r, 0) in (1, 2, 3) for r in differing)


def _ret_imm16_sp(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """Only ESP differs, by a multiple of 64 KiB (the carry out of SP lost), in a program
    that runs RET or RETF with an immediate."""
    mine, theirs = engine.state.regs, reference.state.regs
    differing = {r for r in mine if mine.get(r) != theirs.get(r)}
    if differing - {"esp", "sp"} or "esp" not in differing or (mine["esp"] - theirs["esp"]) & 0xFFFF:
        return False
    if engine.state.exceptions != reference.state.exceptions or engine.state.memory != reference.state.memory:
        return False
    return any(
        i.mnemonic.split()[-1] in ("ret", "retf", "retfd") and i.operands for i in _code(image).values()
    )


_X87_IE, _X87_SF = 0x01, 0x40


# FCOMI and its kin write ZF, PF and CF: all three set (unordered) after a stack fault
_FCOMI = ("fcomi", "fcompi", "fucomi", "fucompi")


def _x87_stack_fault(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """Only the x87 state differs (and ZF, PF and CF, in a program that runs FCOMI or its
    kin, or an x87 alias capstone does not decode, such as DC D0), the engine having
    flagged a stack fault (IE and SF in FSW) that Unicorn did not: an x87 instruction ran,
    in the body or where a branch took it."""
    if any(not d.field.startswith(_x87_fields(image)) for d in engine.differences):
        return False
    mine, theirs = engine.state.fpu.get("fsw", 0), reference.state.fpu.get("fsw", 0)
    return mine & (_X87_IE | _X87_SF) == _X87_IE | _X87_SF and not theirs & _X87_SF


def _x87_fields(image: Image) -> tuple[str, ...]:
    """The fields an x87 stack fault reaches: the x87 state, the ZF, PF and CF that
    FCOMI and its kin write, in a program that runs one (and the OF, SF and AF they
    clear, which Unicorn's leave as they were: x87/fcomi_eflags.asm, listed), and memory,
    in a program that stores from the x87 (the masked response stores the indefinite)."""
    fields = ("fsw", "ftw", "fpu")
    code = _code(image).values()
    if any(i.mnemonic in _FCOMI for i in code) or _undecoded_x87(image):
        fields += ("eflags.cf", "eflags.pf", "eflags.zf", "eflags.of", "eflags.sf", "eflags.af")
    if any(i.mnemonic in _X87_STORES and "[" in i.operands for i in code):
        fields += ("mem",)  # the indefinite the masked response stores
    return fields


_X87_STORES = ("fst", "fstp", "fist", "fistp", "fbstp")


def _undecoded_x87(image: Image) -> bool:
    """Where capstone stops reading the body, an x87 escape (D8 to DF)."""
    md = capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_16 if image.bits == 16 else capstone.CS_MODE_32)
    end = sum(size for _a, size, _m, _o in md.disasm_lite(image.body, image.body_origin))
    return end < len(image.body) and 0xD8 <= image.body[end] <= 0xDF


# FLDENV and FRSTOR (D9 /4, DD /4): the x87 state they load is undefined after a fault
_X87_LOADS = ("fldenv", "frstor")


def _x87_load_faulted(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """Only the x87 registers differ, and an FLDENV or FRSTOR raised the same exception in
    both runs: the SDM leaves what a handler sees of the x87 state undefined then (part of
    the image may have been loaded)."""
    fields = [d.field for d in engine.differences]
    if not fields or any(f not in ("fcw", "fsw", "ftw") and not f.startswith("fpu.") for f in fields):
        return False
    theirs = {(e.vector, e.eip) for e in reference.state.exceptions}
    return any(
        (e.vector, e.eip) in theirs and _mnemonic(image, e.eip) in _X87_LOADS for e in engine.state.exceptions
    )


def _backend_x87_stack_fault(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """de+bt, on its Unicorn backend, ran user code whose x87 stack fault (IE and SF in
    FSW) the reference flagged and the backend did not; only the x87 state differs, or,
    after an FCOMI and its kin, what follows from the flags it wrote."""
    if engine.engine.partition(":")[0] != "de+bt" or image.mode != "user32":
        return False
    # after an FCOMI, whose EFLAGS differ then, whatever reads them may differ too
    compares = any(i.mnemonic in _FCOMI for i in _code(image).values())
    if not compares and any(not d.field.startswith(_x87_fields(image)) for d in engine.differences):
        return False
    mine, theirs = engine.state.fpu.get("fsw", 0), reference.state.fpu.get("fsw", 0)
    return theirs & (_X87_IE | _X87_SF) == _X87_IE | _X87_SF and not mine & _X87_SF


def _sysenter(engine: Outcome, reference: Outcome, image: Image) -> bool:
    return _runs(image, "sysenter")


def _icebp(engine: Outcome, reference: Outcome, image: Image) -> bool:
    faults = reference.state.exceptions
    return any(e.vector == 6 and "int1" in _mnemonics_at(image, e.eip, engine, reference) for e in faults)


def _msr(engine: Outcome, reference: Outcome, image: Image) -> bool:
    record = _first_extra_fault(engine, reference, 13)
    return record is not None and _mnemonic(image, record.eip) in ("rdmsr", "wrmsr")


def _ltr_null(engine: Outcome, reference: Outcome, image: Image) -> bool:
    record = _first_extra_fault(engine, reference, 13)
    return record is not None and _mnemonic(image, record.eip) == "ltr"


_IO = ("in", "out", "insb", "insw", "insd", "outsb", "outsw", "outsd")


def _io_bitmap(engine: Outcome, reference: Outcome, image: Image) -> bool:
    record = _first_extra_fault(engine, reference, 13)
    if record is None or _mnemonic(image, record.eip).removeprefix("rep ") not in _IO:
        return False
    return record.cs & 3 > (record.eflags >> 12) & 3  # CPL > IOPL: the bitmap decides


def _reads_undefined(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """The program reads a flag that the SDM leaves undefined where it is read (a Jcc on PF
    after IMUL, DAS after a shift), on the straight reading before any transfer."""
    faulted = frozenset(
        e.eip for o in (engine, reference) for e in o.state.exceptions if e.vector in L.FAULT_VECTORS
    )
    return undefined_read(image.body, image.body_origin, image.bits, faulted) is not None


def _segments_of(insn: _Insn) -> tuple[str, ...]:
    """The segment registers of an instruction's memory operands as capstone shows them
    (DS where none is shown; ES for a string instruction's destination, and the source's
    segment too for MOVS and CMPS)."""
    name = insn.mnemonic.split()[-1][:4]
    # the source: MOVS's second operand, CMPS's first
    operands = {"movs": insn.operands.split(",")[-1], "cmps": insn.operands.split(",")[0]}
    found = re.search(r"\b([c-gs]s):\[", operands.get(name, insn.operands))
    source = found.group(1) if found else "ds"
    if name in ("movs", "cmps"):
        return source, "es"
    if name in ("stos", "scas", "insb", "insw", "insd"):
        return ("es",)
    return (source,)


def _null_selector(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """The engine's first extra fault is #GP(0) at an instruction with a memory operand
    whose segment register is null (0 to 3) in the engine's final state, and that the
    program loads (MOV, POP, LES ... to it, read from any byte of the body)."""
    record = _first_extra_fault(engine, reference, 13)
    insn = _insn_at(image, record.eip) if record else None
    if insn is None or "[" not in insn.operands:
        return False

    def loaded(segment: str) -> bool:
        return any(
            (_loads_segment(i) and i.operands.split(",")[0] == segment) or i.mnemonic == "l" + segment
            for i in _readings(image.body, image.body_origin, image.bits)
        )

    return any(
        loaded(segment) and segment not in ("cs", "ss") and engine.state.regs.get(segment, 4) & 0xFFFC == 0
        for segment in _segments_of(insn)
    )


def _store_through_cs(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """The engine's first extra fault is #GP(0) at an instruction that writes memory
    through a CS override."""
    record = _first_extra_fault(engine, reference, 13)
    insn = _insn_at(image, record.eip) if record else None
    if insn is None or "cs:[" not in insn.operands:
        return False
    destination = insn.operands.split(",")[0]
    return "cs:[" in destination and insn.mnemonic.split()[-1] not in ("cmp", "test", "bt", "push")


def _backend_store_through_cs(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """de+bt, on its Unicorn backend, ran user code that stores through a CS override
    where the reference raised #GP(0) (``_store_through_cs``, the roles swapped)."""
    de = engine.engine.partition(":")[0] == "de+bt" and image.mode == "user32"
    return de and _store_through_cs(reference, engine, image)


def _real_mode_ip_wrap(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """A real-mode test where Unicorn ended with IP past 0xFFFF: it ran off the end of the
    64 KiB code segment instead of wrapping to offset 0."""
    return image.mode == "real16" and reference.state.regs.get("eip", 0) > 0xFFFF


def _far_return_user_stack(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """The engine's first exception that the reference lacks is a user-mode #PF (U/S set
    in the error code) at a far RET or IRET, where Unicorn read the stack regardless, or
    both took that #PF (the page is not present) and Unicorn's error code lacks U/S."""
    first = _first_extra(engine, reference)
    if first is None:
        pairs = zip(engine.state.exceptions, reference.state.exceptions)
        same_fault = (
            (e, r) for e, r in pairs if (e.vector, e.eip) == (r.vector, r.eip) and e.error != r.error
        )
        mine, theirs = next(same_fault, (None, None))
        if mine is None or not isinstance(mine.error, int) or theirs.error != mine.error & ~4:
            return False
        first = mine
    if first.vector != 14 or not isinstance(first.error, int) or not first.error & 4:
        return False
    return _mnemonic(image, first.eip).split()[-1] in ("retf", "retfd", "retfw", "iret", "iretd", "iretw")


def _rotate_through_carry_on_code(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """A program that rewrote its own code and runs RCL or RCR on memory."""
    if not (engine.state.code or reference.state.code):
        return False
    return any(i.mnemonic in ("rcl", "rcr") and "[" in i.operands for i in _code(image).values())


def _new_task_ts_without_stack_switch(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """The engine shut down delivering #TS where Unicorn went on (its handler ran on the
    new task's ESP, often into open bus, so what it logged means nothing), in a program
    that makes a far transfer (a task switch, through a TSS or a task gate)."""
    if engine.state.exit != "triple-fault" or "delivering vector 10" not in engine.state.message:
        return False
    if reference.state.exit == "triple-fault":
        return False
    return any(i.mnemonic.split()[-1] in _FAR or i.mnemonic == "int" for i in _code(image).values())


def _jmp_gate_not_present(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """At the first exception that differs: #NP from the engine and #GP from Unicorn, with
    the same error code, at a far JMP."""
    for mine, theirs in zip(engine.state.exceptions, reference.state.exceptions):
        if mine == theirs:
            continue
        return (
            (mine.vector, theirs.vector) == (11, 13)
            and (mine.eip, mine.error) == (theirs.eip, theirs.error)
            and _mnemonic(image, mine.eip).split()[-1] == "ljmp"
        )
    return False


def _count_after_code_writes(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """Both runs stopped by the budget, in a program that wrote to bytes it had run as
    code: Unicorn counts the storing instruction again when the store drops its own
    translation, so it stops short of the budget's instruction."""
    return (
        engine.state.exit == reference.state.exit == "budget" and engine.state.extra.get(CODE_WRITES, 0) > 0
    )


def _sysret_ud_flags(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """At the first exception that differs: #UD from the engine at a SYSRET (0F 07) where
    the reference raised #GP, or #UD too with EFLAGS images that differ in arithmetic
    flags only."""
    for mine, theirs in zip(engine.state.exceptions, reference.state.exceptions):
        if mine == theirs:
            continue
        flags_only = theirs.vector == 6 and not (mine.eflags ^ theirs.eflags) & ~0x8D5  # CF PF AF ZF SF OF
        return (
            (mine.vector, mine.eip, mine.cs) == (6, theirs.eip, theirs.cs)
            and (flags_only or theirs.vector == 13)
            and _bytes_at(image, mine.eip).lstrip(LEGACY_PREFIXES)[:2] == b"\x0f\x07"
        )
    return False


def _memory_range(field: str) -> tuple[int, int] | None:
    """The first and last address of a difference in memory (``mem[A]``, ``mem[A..B]``),
    or None for any other field."""
    if not field.startswith("mem["):
        return None
    low, _, high = field.removeprefix("mem[").rstrip("]").partition("..")
    return int(low, 16), int(high or low, 16)


def _left_undefined_on_path(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """Only arithmetic flags differ, each left undefined by the instructions the run
    executed (wherever a branch took it: the body's straight reading may see a later
    writer that the run jumped over)."""
    flags = [x.field.removeprefix("eflags.") for x in engine.differences]
    if not flags or not all(f in FLAG_BITS for f in flags):
        return False
    faulted = frozenset(e.eip for e in engine.state.exceptions if e.vector in L.FAULT_VECTORS)
    masks, _first = along(vmm.executed(image), faulted, frozenset(stubs(image)))
    return all(masks[-1] >> FLAG_BITS[f] & 1 for f in flags)


def _wraps_past_4g(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """The engine's first exception that differs is #GP(0) or #SS(0) at an instruction
    whose access wraps past 4 GiB (its registers as the interpreter's path ran it), where
    the reference (the host CPU: it cannot be cut at a count) took another or none."""
    record = _first_extra_fault(engine, reference, 13) or _first_extra_fault(engine, reference, 12)
    if record is None or record.error != 0 or image.bits != 32:
        return False
    for _cs, eip, bits, code, regs in vmm.executed(image):
        if eip == record.eip and bits == 32:
            ran = SimpleNamespace(code=code, eip=eip, before=SimpleNamespace(regs=regs))
            return any(offset + size > 1 << 32 for offset, size in _accesses(ran))
    return False


def _popa_loads_before_its_fault_on_amd(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """The host CPU is AMD's; both runs raised the same exceptions, one of them #SS(0) at a
    POPA or POPAD whose pops run past the stack's limit; only general registers POPA loads
    differ (and the runtime handler's frame, which saves them): AMD's POPA has loaded
    them when it faults, where the engine loads nothing."""
    if reference.engine.partition(":")[0] != "native" or "AuthenticAMD" not in host_cpu():
        return False
    mine = engine.state.exceptions
    if not mine or mine != reference.state.exceptions:
        return False
    if not any(
        e.vector == 12 and e.error == 0 and _mnemonic(image, e.eip) in ("popal", "popaw") for e in mine
    ):
        return False
    loaded = {"eax", "ecx", "edx", "ebx", "ebp", "esi", "edi"}
    return all(d.field in loaded or d.field.startswith("mem[") for d in engine.differences)


def _enter_pushes_before_its_fault(engine: Outcome, reference: Outcome, image: Image) -> bool:
    """Both runs raised the same exceptions, one of them a fault at an ENTER, and only
    memory just below the stack pointer differs (within the frame ENTER pushes: EBP, up
    to 31 frame pointers, the frame's own): the host CPU has written what it pushed before
    the fault (a nested frame pointer read from an unmapped page), the engine nothing."""
    if reference.engine.partition(":")[0] != "native":
        return False
    mine = engine.state.exceptions
    if not mine or mine != reference.state.exceptions:
        return False
    if not any(e.vector in L.FAULT_VECTORS and _mnemonic(image, e.eip) == "enter" for e in mine):
        return False
    esp = reference.state.regs.get("esp", 0)
    ranges = [_memory_range(d.field) for d in engine.differences]
    return bool(ranges) and all(r and esp - 4 * 33 <= r[0] <= r[1] < esp for r in ranges)


CAUSES: tuple[Cause, ...] = (
    Cause(
        "architecture: reads an undefined flag",
        "any",
        "the program reads a flag (a condition, a carry, AF for a decimal adjust, PUSHF's image) "
        "that the instruction before it leaves undefined: what it does from there on is not "
        "defined, and processors differ",
        "Intel SDM vol. 2, Flags Affected of each writer (conformance/undefined.py: TABLE, READS); "
        "SHL AL, 1 then DAS: the host CPU gives AL = 0xFA, Unicorn and the VMM 0",
        _reads_undefined,
    ),
    Cause(
        "architecture: x87 state after a faulting FLDENV or FRSTOR",
        "any",
        "an FLDENV or FRSTOR raised an exception (the same in both runs) and only x87 registers "
        "differ: the SDM leaves the x87 state a handler sees then undefined (part of the image "
        "may be loaded; the host CPU loads the tag word of a 16-bit FRSTOR past the limit)",
        "Intel SDM vol. 2 FLDENV (after a page or limit fault during it, the x87 state the handler "
        "sees may differ from the image's); for FRSTOR, the host CPU through the native oracle "
        "(a 16-bit image two bytes past DS's limit: #GP(0), and the tag word loaded)",
        _x87_load_faulted,
    ),
    Cause(
        "unicorn: SYSENTER is a no-op",
        "unicorn",
        "Unicorn runs SYSENTER as a hook-only instruction: no transfer to IA32_SYSENTER_EIP, "
        "and no #GP(0) when IA32_SYSENTER_CS is 0",
        "guest_tests/de/syscall_sysenter_loop.asm, guest_tests/sensitive/sysenter_without_cs_msr_gp.asm",
        _sysenter,
    ),
    Cause(
        "unicorn: ICEBP raises #UD",
        "unicorn",
        "Unicorn raises #UD for INT1 (ICEBP, F1) instead of delivering #DB as a trap",
        "guest_tests/interrupts/icebp_int1_is_debug_trap.asm; Intel SDM vol. 2 INT n/INTO/INT3/INT1",
        _icebp,
    ),
    Cause(
        "unicorn: LTR of a null selector",
        "unicorn",
        "Unicorn's LTR loads TR with a null selector instead of raising #GP(0)",
        "guest_tests/segments/ltr_null_selector_gp.asm; Intel SDM vol. 2 LTR, Operation",
        _ltr_null,
    ),
    Cause(
        "unicorn: MSRs the CPU model lacks",
        "unicorn",
        "Unicorn reads 0 from (and ignores writes to) an MSR the modelled CPU does not implement "
        "instead of raising #GP(0)",
        "Intel SDM vol. 2 RDMSR/WRMSR: #GP(0) if ECX specifies a reserved or unimplemented MSR; "
        "the README's CPU model lists the MSRs",
        _msr,
    ),
    Cause(
        "unicorn: no I/O permission bitmap",
        "unicorn",
        "Unicorn ignores the TSS I/O permission bitmap: I/O at CPL > IOPL to a denied port is "
        "performed instead of raising #GP(0)",
        "guest_tests/io/user_out_denied_port_gp.asm; Intel SDM vol. 1 section 19.5.2",
        _io_bitmap,
    ),
    Cause(
        "unicorn: read-modify-write #PF as a read",
        "unicorn",
        "Unicorn reports W/R = 0 in the error code of a #PF taken by the read of a read-modify-write "
        "instruction (INC, ADD, SHL, BTS, XCHG ... on memory); the processor walks that read as a "
        "write and reports W/R = 1",
        "guest_tests/paging/pf_read_modify_write_is_a_write.asm (the host CPU through the native oracle)",
        _rmw_write_fault,
    ),
    Cause(
        "unicorn: no segment limit checks",
        "unicorn",
        "Unicorn checks no segment limits: an access or a transfer past a segment's limit goes "
        "ahead where the processor raises #GP(0) (#SS(0) for the stack)",
        "guest_tests/segments/ (the limit tests, listed in conformance/divergences.toml), "
        "guest_tests/interrupts/pm16_frame_past_stack_limit_shuts_down.asm; "
        "Intel SDM vol. 3A section 5.3",
        _limits,
    ),
    Cause(
        "unicorn: #GP(selector) for a far target past the limit",
        "unicorn",
        "Unicorn raises #GP with the new CS selector as error code when a far CALL, JMP, RET or "
        "IRET targets an offset past the code segment's limit; the processor raises #GP(0)",
        "Intel SDM vol. 2 CALL, JMP, RET, IRET: 'IF (E)IP not within code segment limit THEN #GP(0)'",
        _far_limit_error,
    ),
    Cause(
        "unicorn: #GP(selector) for a selector read past the limit",
        "unicorn",
        "Unicorn checks no limit of a 16-bit data segment: a segment load whose memory operand "
        "lies past the limit reads a selector there (open bus) and faults on it, where the "
        "processor raises #GP(0) for the operand",
        "Intel SDM vol. 2 MOV, Protected Mode Exceptions ('#GP(0) If a memory operand effective "
        "address is outside the CS, DS, ES, FS, or GS segment limit'); "
        "guest_tests/segments/data_limit_violation_gp.asm",
        _selector_past_limit_error,
    ),
    Cause(
        "unicorn: no accessed bit on a CS load",
        "unicorn",
        "Unicorn does not set the accessed bit of a code descriptor when CS is loaded, so LAR "
        "reads its type with bit 8 clear",
        "guest_tests/sensitive/lar_sees_cs_accessed_bit.asm; Intel SDM vol. 3A section 3.4.5.1",
        _cs_accessed_bit,
    ),
    Cause(
        "unicorn: a null selector's RPL kept on a return outward",
        "unicorn",
        "On a return to an outer privilege level Unicorn leaves a null DS, ES, FS or GS selector "
        "with its RPL (1 to 3) where the processor loads 0",
        "guest_tests/interrupts/iret_to_user_nulls_null_fs.asm (listed in conformance/divergences.toml)",
        _null_selector_rpl,
    ),
    Cause(
        "unicorn: RET imm16 adds to SP only",
        "unicorn",
        "Unicorn adds the immediate of RET and RETF imm16 to SP alone, so on a 32-bit stack the "
        "carry out of bit 15 is lost; the processor adds it to ESP",
        "guest_tests/stack/ret_imm16_releases_on_32bit_stack.asm (the host CPU through the native "
        "oracle; listed in conformance/divergences.toml); Intel SDM vol. 2 RET, Operation",
        _ret_imm16_sp,
    ),
    Cause(
        "unicorn: no x87 stack faults",
        "unicorn",
        "Unicorn detects no x87 stack overflow or underflow: an empty operand or a ninth push "
        "sets neither IE nor SF in FSW (and an FCOMI after one differs in the EFLAGS it writes "
        "and in the OF, SF and AF that Unicorn's FCOMI does not clear)",
        "guest_tests/x87/stack_faults_masked.asm (the host CPU through the native oracle; listed "
        "in conformance/divergences.toml); Intel SDM vol. 1 section 8.5.1.1",
        _x87_stack_fault,
    ),
    Cause(
        "unicorn: LOCK not refused as decoded",
        "unicorn",
        "Unicorn does not raise #UD for a LOCK prefix on an instruction that cannot take it (or "
        "with a register destination) before it touches the operands: it reads the memory operand "
        "first (#PF) or runs the instruction",
        "guest_tests/interrupts/lock_prefix_ud.asm (listed in conformance/divergences.toml); "
        "Intel SDM vol. 2 LOCK",
        _lock_refused,
    ),
    Cause(
        "unicorn: F6 /1 and F7 /1 raise #UD",
        "unicorn",
        "Unicorn raises #UD for F6 /1 and F7 /1, which processors run as TEST r/m, imm",
        "guest_tests/alu/test_group3_reg1_alias.asm (the host CPU through the native oracle; "
        "listed in conformance/divergences.toml)",
        _test_alias,
    ),
    Cause(
        "unicorn: SYSRET's #UD",
        "unicorn",
        "Unicorn's #UD for SYSRET outside 64-bit mode pushes arithmetic flags other than those "
        "the instructions before it left, and in real mode it raises #GP instead",
        "guest_tests/interrupts/sysret_ud_keeps_flags.asm (listed in conformance/divergences.toml); "
        "Intel SDM vol. 3A 6.5 (a fault reports the state before the instruction) and vol. 2 "
        "SYSRET, Real-Address Mode Exceptions (#UD)",
        _sysret_ud_flags,
    ),
    Cause(
        "unicorn: C6 /7 and C7 /7 run as MOV",
        "unicorn",
        "Unicorn runs C6 /7 and C7 /7 with an r/m other than F8 (the XABORT and XBEGIN row, RTM "
        "only) as MOV r/m, imm instead of raising #UD",
        "guest_tests/interrupts/group11_reserved_ud.asm (listed in conformance/divergences.toml); "
        "Intel SDM vol. 2 Appendix A, Table A-6, group 11",
        _group11_reserved,
    ),
    Cause(
        "unicorn: FF /7 not refused",
        "unicorn",
        "Unicorn does not raise #UD for opcode FF with ModRM reg field 7, reserved in group 5; "
        "it reads the memory operand",
        "guest_tests/interrupts/group5_reserved_ud.asm (listed in conformance/divergences.toml); "
        "Intel SDM vol. 2 Appendix A, Table A-6, group 5",
        _group5_reserved,
    ),
    Cause(
        "unicorn: 8F /1-/7 run as POP",
        "unicorn",
        "Unicorn runs opcode 8F with a reserved ModRM reg field as POP r/m instead of raising #UD",
        "guest_tests/interrupts/pop_group_reserved_ud.asm (listed in conformance/divergences.toml); "
        "Intel SDM vol. 2 Appendix A, Table A-6, group 1A",
        _pop_group_reserved,
    ),
    Cause(
        "unicorn: far returns read the stack as the kernel",
        "unicorn",
        "Unicorn reads the stack of a far RET or IRET at CPL 3 as a supervisor access: where the "
        "stack is on a supervisor page it pops it instead of raising #PF, and where the page is "
        "not present its #PF's error code lacks U/S",
        "guest_tests/paging/user_retf_from_supervisor_stack_pf.asm (listed in "
        "conformance/divergences.toml); Intel SDM vol. 3A section 4.6",
        _far_return_user_stack,
    ),
    Cause(
        "unicorn: RCL/RCR that rewrites running code is done twice",
        "unicorn",
        "Unicorn redoes an RCL or RCR whose store rewrites the code it is running after the "
        "first try changed CF, so the new CF is rotated in",
        "guest_tests/control/smc_rcl_rewrites_code.asm (the host CPU through the native oracle; "
        "listed in conformance/divergences.toml)",
        _rotate_through_carry_on_code,
    ),
    Cause(
        "unicorn: a new task's #TS delivered without a stack switch",
        "unicorn",
        "Unicorn delivers a #TS raised by the new task's null or unusable SS to the handler "
        "without a stack switch; the processor takes it as from CPL 3, through the new TSS's "
        "SS0:ESP0, and shuts down when that is unusable too",
        "guest_tests/tasks/new_task_null_ss_shuts_down.asm (listed in conformance/divergences.toml); "
        "Intel SDM vol. 3A 7.3 and table 7-1",
        _new_task_ts_without_stack_switch,
    ),
    Cause(
        "unicorn: #GP for a JMP through a gate to a missing segment",
        "unicorn",
        "Unicorn raises #GP(selector) for a far JMP through a call gate to a code segment that "
        "is not present, where the processor raises #NP(selector)",
        "guest_tests/segments/call_gate_to_not_present_code_np.asm (listed in "
        "conformance/divergences.toml); Intel SDM vol. 2 JMP, Operation",
        _jmp_gate_not_present,
    ),
    Cause(
        "unicorn: no IP wrap in real mode",
        "unicorn",
        "Unicorn does not wrap IP at 64 KiB in real-address mode: code that runs off offset "
        "0xFFFF goes on at CS:0x10000 instead of CS:0",
        "guest_tests/realmode/ip_wraps_at_64k.asm (listed in conformance/divergences.toml)",
        _real_mode_ip_wrap,
    ),
    Cause(
        COUNTED_TWICE,
        "unicorn",
        "Unicorn counts an instruction that writes to code it has translated twice (the store "
        "ends the translated block and runs again), so a run stopped by its budget stops short",
        "l: add [bx+si], al; inc cx; jmp l in pm16 with budget 2000: BX+SI = 0 points at the ADD "
        "itself and Unicorn ends with CX = 0x1EA against the VMM's 0x28E (the same loop on data "
        "agrees); tests/test_fuzz.py",
        _count_after_code_writes,
    ),
    Cause(
        "unicorn: no null-selector check",
        "unicorn",
        "Unicorn performs a memory access through a null DS, ES, FS or GS selector where the "
        "processor raises #GP(0)",
        "guest_tests/segments/null_segment_use_gp.asm (listed in conformance/divergences.toml); "
        "Intel SDM vol. 2 MOV, LODS, STOS, Protected Mode Exceptions",
        _null_selector,
    ),
    Cause(
        "unicorn: no segment type checks",
        "unicorn",
        "Unicorn writes through a CS override where the processor raises #GP(0): a code segment "
        "is not writable",
        "guest_tests/segments/store_through_cs_gp.asm (the host CPU through the native oracle; "
        "listed in conformance/divergences.toml)",
        _store_through_cs,
    ),
    Cause(
        "de+bt: its Unicorn backend's x87",
        "any",
        "de+bt runs user code directly on its Unicorn backend, whose x87 detects no stack "
        "overflow or underflow (the cause above, met by the engine instead of the oracle; its "
        "FCOMI leaves OF, SF and AF besides)",
        "guest_tests/x87/user_mode_across_traps.asm (listed for de+bt in conformance/divergences.toml)",
        _backend_x87_stack_fault,
    ),
    Cause(
        "de+bt: its Unicorn backend's segment types",
        "any",
        "de+bt runs user code directly on its Unicorn backend, which checks no segment types: a "
        "store through a CS override goes ahead (Unicorn's own cause, met by the engine)",
        "guest_tests/segments/store_through_cs_gp_user.asm (listed for de+bt in "
        "conformance/divergences.toml)",
        _backend_store_through_cs,
    ),
    Cause(
        "unicorn: MMX and SSE",
        "unicorn",
        "Unicorn executes MMX and SSE instructions (and SSE3's FISTTP, AVX's VEX prefixes and "
        "SYSCALL), which the modelled CPU lacks (its CPUID reports none of them), where the VMM "
        "raises #UD",
        "Intel SDM vol. 2: #UD if CPUID.01H:EDX.MMX[bit 23] (or .SSE, .SSE2, ECX.SSE3) = 0; the "
        "README's CPU model; guest_tests/x87/fisttp_is_ud.asm, "
        "guest_tests/interrupts/ud_for_extensions_the_model_lacks.asm",
        _extension,
    ),
    Cause(PAST_4G, "any", PAST_4G_REASON, PAST_4G_EVIDENCE, _wraps_past_4g),
    Cause(
        "host CPU: AMD's POPA loads registers before its #SS",
        "native",
        "a POPA or POPAD whose pops run past the stack segment's limit raises #SS(0) on both, "
        "and the host CPU, an AMD processor, has loaded the general registers from the part it "
        "read; the engine, as the SDM has a fault leave the state before the instruction, loads "
        "none",
        "Intel SDM vol. 2 POPA (#SS(0) if the starting or ending stack address is not within the "
        "stack segment) and vol. 3A 6.5 (a fault reports the state before the instruction); "
        "Unicorn also loads them; the host CPU named in the report (AuthenticAMD)",
        _popa_loads_before_its_fault_on_amd,
    ),
    Cause(
        "host CPU: a faulting ENTER leaves its pushes below ESP",
        "native",
        "an ENTER faults (a nested frame pointer read from a page that is not present) and only "
        "the memory below the stack pointer differs: the host CPU has pushed EBP (and the frame "
        "pointers before the one that faulted) and then restored ESP, the engine, whose ENTER "
        "checks every access before it writes, has written nothing; the SDM has a fault restore "
        "the registers, and says nothing of stack memory below ESP",
        "Intel SDM vol. 2 ENTER, Operation (the pushes in order) and vol. 3A 6.5; the host CPU "
        "named in the report",
        _enter_pushes_before_its_fault,
    ),
    Cause(
        LEFT_UNDEFINED_ON_PATH,
        "any",
        "the runs differ only in arithmetic flags that an instruction on the path the run took "
        "(where a branch went, past code the body's straight reading sees) leaves undefined, "
        "and that no later instruction on it wrote",
        "Intel SDM vol. 2, Flags Affected of each writer (conformance/undefined.py: along); "
        "AAD 0x71 then JNS over an ADD: the host CPU leaves CF and OF set, the VMM clear",
        _left_undefined_on_path,
    ),
)


# -- judged at the first divergence (``divergence``): the instruction that began it --

_X87_DE = 0x02


def _unprefixed(d) -> bytes:
    """The divergent instruction's bytes after its legacy prefixes."""
    return d.code.lstrip(bytes(LEGACY_PREFIXES))


def _opcode(d) -> int | None:
    """The divergent instruction's first byte after its legacy prefixes."""
    code = _unprefixed(d)
    return code[0] if code else None


def _x87_at(d) -> bool:
    op = _opcode(d)
    return op is not None and 0xD8 <= op <= 0xDF


def _fsw(d) -> tuple[int, int]:
    return d.engine.fpu.get("fsw", 0), d.reference.fpu.get("fsw", 0)


def _x87_stack_fault_at(d, image: Image) -> bool:
    """An x87 instruction began the divergence, the engine flagging a stack fault there
    (IE and SF) that Unicorn did not: what it stored (the indefinite), the flags FCOMI
    wrote and all that followed come from the masked response Unicorn does not make."""
    mine, theirs = _fsw(d)
    return _x87_at(d) and mine & (_X87_IE | _X87_SF) == _X87_IE | _X87_SF and not theirs & _X87_SF


def _fsw_flags_at(d, allowed: int, set_by_engine: int) -> bool:
    """Only FSW differs, in ``allowed`` bits alone, and the engine set one of
    ``set_by_engine`` that the reference did not."""
    mine, theirs = _fsw(d)
    return (
        [x.field for x in d.differences] == ["fsw"]
        and not (mine ^ theirs) & ~allowed
        and bool(mine & ~theirs & set_by_engine)
    )


def _x87_zero_by_zero_at(d, image: Image) -> bool:
    """An x87 division began the divergence (FDIV, FDIVR, FIDIV, FIDIVR and their pops:
    D8-DE with reg 6 or 7) and only FSW differs, the engine having set IE where Unicorn
    set ZE instead: 0 / 0 is an invalid operation, not a division by zero."""
    body = _unprefixed(d)
    if not _x87_at(d) or len(body) < 2 or (body[1] >> 3) & 6 != 6:
        return False
    mine, theirs = _fsw(d)
    return _fsw_flags_at(d, _X87_IE | _X87_ZE, _X87_IE) and theirs & _X87_ZE and not mine & _X87_ZE


_X87_ZE = 0x04


def _x87_denormal_at(d, image: Image) -> bool:
    """An x87 instruction began the divergence and only FSW differs, by DE alone, which
    the engine set: a denormal operand, which Unicorn does not flag."""
    return _x87_at(d) and _fsw_flags_at(d, _X87_DE, _X87_DE)


def _fist_out_of_range_at(d, image: Image) -> bool:
    """FIST or FISTP to memory began the divergence and only FSW differs, by IE alone, which
    the engine set: a value too large for the integer, whose indefinite both stored."""
    body = _unprefixed(d)
    if len(body) < 2 or body[1] >> 6 == 3 or (body[0], body[1] >> 3 & 7) not in _FIST_FORMS:
        return False
    return _fsw_flags_at(d, _X87_IE, _X87_IE)


# FIST m32 and m16 (DB /2, DF /2), FISTP m32, m16 and m64 (DB /3, DF /3, DF /7)
_FIST_FORMS = frozenset(((0xDB, 2), (0xDB, 3), (0xDF, 2), (0xDF, 3), (0xDF, 7)))


def _rdpmc_at(d, image: Image) -> bool:
    """RDPMC began the divergence, the engine raising #GP(0) (the modelled CPU has no
    counters) where Unicorn raised #UD (its RDPMC is unimplemented)."""
    body = _unprefixed(d)
    return body[:2] == b"\x0f\x33" and d.engine_vector == 13 and d.reference_vector == 6


def _enter16_sets_all_of_ebp_at(d, image: Image) -> bool:
    """A 16-bit ENTER began the divergence and only EBP differs: the engine set BP and
    kept EBP's upper half, Unicorn loaded all of EBP from the 32-bit stack pointer."""
    body = _unprefixed(d)
    if body[:1] != b"\xc8" or [x.field for x in d.differences] != ["ebp"]:
        return False
    mine, theirs, before = (s.regs.get("ebp", 0) for s in (d.engine, d.reference, d.before))
    return mine & 0xFFFF == theirs & 0xFFFF and mine >> 16 == before >> 16


def _x87_precision_at(d, image: Image) -> bool:
    """An x87 instruction began the divergence and only FSW differs, by PE (and C1, which
    says the inexact result was rounded up), the engine having set PE: Unicorn raises no
    precision exception."""
    return _x87_at(d) and _fsw_flags_at(d, _X87_PE | _X87_C1, _X87_PE)


_X87_PE, _X87_C1 = 0x20, 0x200


def _x87_loaded_words_at(d, image: Image) -> bool:
    """FLDCW, FLDENV or FRSTOR began the divergence and only the control and status
    words differ: the engine's FCW is the reference's with its reserved bits as the
    processor keeps them (bit 6 set, 7 and 13-15 clear), its FSW the reference's with ES
    and B made to say whether an unmasked exception is pending."""
    body = _unprefixed(d)
    if (
        len(body) < 2
        or (body[0], body[1] >> 3 & 7) not in ((0xD9, 5), (0xD9, 4), (0xDD, 4))
        or body[1] >> 6 == 3
    ):
        return False
    if any(x.field not in ("fcw", "fsw") for x in d.differences):
        return False
    mine, theirs = d.engine.fpu, d.reference.fpu
    fcw_ok = mine.get("fcw") == theirs.get("fcw", 0) & 0x1F7F | 0x40
    fsw_ok = not (mine.get("fsw", 0) ^ theirs.get("fsw", 0)) & ~0x8080
    return fcw_ok and fsw_ok


def _x87_image_reserved_words_at(d, image: Image) -> bool:
    """FNSTENV or FNSAVE began the divergence and only memory differs, each difference a
    word of ones from the engine where the reference wrote zeros: the image's reserved
    words (its 32-bit formats)."""
    body = _unprefixed(d)
    if len(body) < 2 or (body[0], body[1] >> 3 & 7) not in ((0xD9, 6), (0xDD, 6)) or body[1] >> 6 == 3:
        return False
    return bool(d.differences) and all(
        x.field.startswith("mem[") and x.actual == "ff ff" and x.expected.split(" (")[0] == "00 00"
        for x in d.differences
    )


def _rep_iterations_counted_at(d, image: Image) -> bool:
    """A REP string instruction began the divergence: the engine completed it within the
    count where Unicorn is still on it, having counted its iterations as instructions."""
    body = _unprefixed(d)
    prefixes = d.code[: len(d.code) - len(body)]
    return (
        bool(body)
        and body[0] in _STRING_OPCODES
        and (0xF2 in prefixes or 0xF3 in prefixes)
        and d.reference.regs.get("eip") == d.eip != d.engine.regs.get("eip")
    )


REP_COUNTED = "unicorn: counts REP iterations as instructions"


def rep_outlasts_the_budget(engine: Outcome, reference: Outcome | None, image: Image) -> bool:
    """The engine ran out of time where Unicorn ran out of budget inside a REP string
    instruction (ECX not 0): the engine counts it as one instruction and was still on
    its billions of iterations."""
    if engine.status != "timeout" or None in (engine.state, reference and reference.state):
        return False
    state = reference.state
    if state.exit != "budget" or not state.regs.get("ecx"):
        return False
    if engine.state.regs.get("eip") != state.regs.get("eip"):
        return False  # the engine timed out elsewhere
    code = _bytes_at(image, state.regs.get("eip", 0))
    body = code.lstrip(LEGACY_PREFIXES)
    prefixes = code[: len(code) - len(body)]
    return bool(body) and body[0] in _STRING_OPCODES and (0xF2 in prefixes or 0xF3 in prefixes)


_STRING_OPCODES = frozenset(
    (0x6C, 0x6D, 0x6E, 0x6F, 0xA4, 0xA5, 0xA6, 0xA7, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF)
)


def _accesses(d) -> list[tuple[int, int]]:
    """The (offset, size) of the divergent instruction's explicit memory operands and of
    its stack access, from the registers it started with (32-bit code)."""
    insn = next(_DETAILED[32].disasm(d.code, d.eip), None)
    if insn is None:
        return []
    regs = d.before.regs

    def value(reg: int) -> int:
        if not reg:
            return 0
        name = insn.reg_name(reg)
        full = regs.get("e" + name[-2:] if len(name) == 2 else name, 0)
        return full & (0xFFFF if len(name) == 2 else 0xFFFFFFFF)

    out = []
    wrap = 0xFFFF if insn.addr_size == 2 else 0xFFFFFFFF  # an address-size prefix: 16-bit offsets
    for op in insn.operands:
        if op.type == capstone.x86.X86_OP_MEM:
            ea = op.mem.disp + value(op.mem.base) + value(op.mem.index) * op.mem.scale
            out.append((ea & wrap, op.size))
    esp, width = regs.get("esp", 0), 2 if 0x66 in d.code[:4] else 4
    name = insn.mnemonic
    if name in _X87_IMAGES and out:  # capstone sizes these by their first field
        out[0] = (out[0][0], _X87_IMAGES[name][width == 2])
    if name.startswith("push") or name == "call":
        size = 8 * width if name in ("pushal", "pushaw") else width
        out.append(((esp - size) & 0xFFFFFFFF, size))
    elif name.startswith("pop") or name in ("ret", "retf", "iretd"):
        out.append((esp, width))
    elif name == "leave":  # ESP := EBP, then the pop
        out.append((regs.get("ebp", 0), width))
    return out


# the x87 images' sizes in bytes, 32-bit and 16-bit format (SDM vol. 1 8.1.10)
_X87_IMAGES = {"fldenv": (28, 14), "fnstenv": (28, 14), "frstor": (108, 94), "fnsave": (108, 94)}


def _wraps_past_4g_at(d, image: Image) -> bool:
    """The engine raised #GP(0) or #SS(0) at the instruction that began the divergence (or
    shut down delivering one), where Unicorn went on, and one of its accesses runs past
    4 GiB (its offset plus its size wraps): past the limit of a 4 GiB segment, which the
    SDM lets a processor check or not."""
    if d.bits != 32:
        return False
    if d.engine_vector not in (12, 13) or d.reference_vector in (12, 13):
        return False
    if d.reference.exit == "triple-fault":
        return False
    return any(offset + size > 1 << 32 for offset, size in _accesses(d))


def _flags_of_no_writer_at(d, image: Image) -> bool:
    """The runs agreeing before it, the reference changed arithmetic flags where it
    should not have: still on the instruction with every register as before but those
    flags (counted and not completed: Unicorn restarting an instruction whose store
    reached the block it was running, with flags of its own making), or past one whose
    Flags Affected are none (``_NO_FLAGS``, SDM vol. 2) with only flags differing (and
    EIP, for a conditional branch that went by them)."""
    before, after = d.before.regs, d.reference.regs
    if (after["eflags"] ^ before["eflags"]) & ~_ARITH_FLAGS or after["eflags"] == before["eflags"]:
        return False
    if {r for r in after if after.get(r) != before.get(r)} == {"eflags"}:
        return True  # still on it
    insn = next(_LITE[d.bits].disasm_lite(d.code, d.eip), None)
    name = insn[2].split()[-1] if insn else ""
    branch = name.startswith(("j", "loop"))
    if not (branch or name in _NO_FLAGS or name.rstrip("bwd") in ("stos", "lods", "movs", "ins", "outs")):
        return False
    return all(x.field.startswith("eflags.") or branch and x.field == "eip" for x in d.differences)


# instructions whose Flags Affected are none (SDM vol. 2), by capstone's mnemonic; string
# instructions and conditional branches are taken by their stem in _flags_of_no_writer_at
_CONDITIONS = ("o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g")
_NO_FLAGS = frozenset(
    ("mov", "movzx", "movsx", "lea", "nop", "xchg", "push", "pop", "pushal", "popal", "pushaw",
     "popaw", "call", "ret", "retf", "leave", "enter", "in", "out", "cwd", "cdq", "cbw", "cwde",
     "bswap", "not", "lahf", "xlatb", "cld", "std", "cli", "sti", "sgdt", "sidt", "sldt", "str",
     "smsw", "lgdt", "lidt", "lldt", "ltr", "lmsw", "clts", "invlpg", "cpuid", "rdtsc", "rdmsr",
     "wrmsr", *(f"set{c}" for c in _CONDITIONS))
)  # fmt: skip
_ARITH_FLAGS = 0x8D5  # CF PF AF ZF SF OF
_LITE = {
    16: capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_16),
    32: capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_32),
}
_DETAILED = {
    bits: capstone.Cs(capstone.CS_ARCH_X86, mode)
    for bits, mode in ((16, capstone.CS_MODE_16), (32, capstone.CS_MODE_32))
}
for _md in _DETAILED.values():
    _md.detail = True


def _restart_at(d, image: Image) -> bool:
    """The reference counted the divergent instruction twice (a slip of the bisection at
    it): Unicorn restarted it, its store having reached the block it was running, and the
    restart ran on what the first attempt had already stored."""
    return d.retired in d.slips


def _extension_at(d, image: Image) -> bool:
    """An MMX, SSE, AVX, TSX, FXSR or 3DNow! instruction (or SYSCALL) began the
    divergence: the modelled CPU lacks them (the VMM raises #UD), Unicorn runs them or
    enters MMX state first."""
    if _extension_opcode(_unprefixed(d)):
        return True
    insn = next(_DETAILED[d.bits].disasm(d.code, d.eip), None)
    return insn is not None and bool(set(insn.groups) & EXTENSION_GROUPS)


def _rmw_write_fault_at(d, image: Image) -> bool:
    """A read-modify-write on memory began the divergence, wherever it ran (outside the
    body too), both delivering #PF there with the same CR2, the error codes differing only
    in W/R, which the engine set."""
    logs = [[e for e in log if e.eip == d.eip and e.vector == 14] for log in (d.engine_log, d.reference_log)]
    if d.engine_vector != 14 or d.reference_vector != 14 or not all(logs):
        return False
    mine, theirs = logs[0][-1], logs[1][-1]
    insn = _decode(d.code, d.eip, d.bits).get(d.eip)
    return (
        insn is not None
        and insn.read_modify_write
        and mine.cr2 == theirs.cr2
        and _write_bit_only(mine, theirs)
    )


def _null_selector_at(d, image: Image) -> bool:
    """The instruction that began the divergence, wherever it ran (the runtime's handler
    too), accesses memory through a DS, ES, FS or GS that is null in protected mode (the
    runs agree on it there): the engine delivered #GP, Unicorn went on."""
    regs = d.before.regs
    if d.engine_vector != 13 or d.reference_vector is not None:
        return False
    if not regs.get("cr0", 0) & 1 or regs.get("eflags", 0) & 0x20000:
        return False
    insn = _decode(d.code, d.eip, d.bits).get(d.eip)
    if insn is None or insn.mnemonic.startswith("lea"):
        return False
    if "[" not in insn.operands and insn.mnemonic.split()[-1] != "xlatb":  # XLAT: DS:[EBX + AL]
        return False
    return any(s not in ("cs", "ss") and regs.get(s, 4) & 0xFFFC == 0 for s in _segments_of(insn))


def _cr2_within_the_access_at(d, image: Image) -> bool:
    """Both delivered #PF at the instruction that began the divergence and only CR2
    differs, each value a byte of one of its accesses: Unicorn names another byte of the
    same multi-byte store (the lowest of PUSHAD's 32, the last of FBSTP's 10) than the
    first one the processor writes."""
    if d.engine_vector != 14 or d.reference_vector != 14 or [x.field for x in d.differences] != ["cr2"]:
        return False
    mine, theirs = d.engine.regs.get("cr2", 0), d.reference.regs.get("cr2", 0)
    return any(
        offset <= mine < offset + size and offset <= theirs < offset + size for offset, size in _accesses(d)
    )


def _fault_frame_flags_at(d, image: Image) -> bool:
    """Both delivered the same fault at the instruction that began the divergence, the
    engine with the arithmetic flags the runs had before it, the reference with others:
    only the handler's flags and the frame's bytes differ."""
    if d.engine_vector not in L.FAULT_VECTORS or d.engine_vector != d.reference_vector:
        return False
    before, mine, theirs = (s.regs.get("eflags", 0) for s in (d.before, d.engine, d.reference))
    if (mine ^ before) & _ARITH_FLAGS or not (theirs ^ before) & _ARITH_FLAGS:
        return False
    frame = d.engine.regs.get("esp", 0)
    ranges = [_memory_range(x.field) for x in d.differences if not x.field.startswith("eflags.")]
    return all(r and frame <= r[0] <= r[1] < frame + 16 for r in ranges)


def _icebp_at(d, image: Image) -> bool:
    """ICEBP (F1) began the divergence, wherever it ran (code the run wrote on its stack):
    the engine delivered #DB, Unicorn #UD."""
    return _unprefixed(d)[:1] == b"\xf1" and (d.engine_vector, d.reference_vector) == (1, 6)


def _decoding_at(d, image: Image) -> bool:
    """The instruction that began the divergence, wherever it ran (code the run wrote), is
    one Unicorn decodes otherwise: #UD from the engine alone at a reserved encoding or a
    LOCK it cannot take, or from Unicorn alone at F6 /1 or F7 /1."""
    rest = _unprefixed(d)
    prefixes = d.code[: len(d.code) - len(rest)]
    if d.engine_vector == 6 and d.reference_vector != 6:
        return any(t(prefixes, rest) for t in (_locked, _group11_bytes, _group5_bytes, _pop_group_bytes))
    return d.reference_vector == 6 and d.engine_vector != 6 and _test_alias_bytes(prefixes, rest)


def _fetch_past_cs_limit_at(d, image: Image) -> bool:
    """The instruction that began the divergence lies past CS's limit (16-bit code run
    off the end of its segment): the engine raised #GP(0) at its fetch, Unicorn, which
    checks no limits, ran it. CS's limit is its descriptor's in the image's GDT."""
    regs = d.before.regs
    if d.engine_vector != 13 or d.reference_vector == 13 or not regs.get("cr0", 0) & 1:
        return False
    selector = regs.get("cs", 0)
    if selector & 4 or regs.get("eflags", 0) & 0x20000:
        return False
    memory = image.memory()
    raw = int.from_bytes(memory[L.GDT + (selector & ~7) : L.GDT + (selector & ~7) + 8], "little")
    insn = next(_LITE[d.bits].disasm_lite(d.code, d.eip), None)
    size = insn[1] if insn else 1
    return d.eip + size - 1 > descriptor_limit(raw)


def _read_state(state, address: int, size: int) -> bytes | None:
    """``size`` bytes at ``address`` of a state's memory (the regions it holds), or None."""
    for start, blob in state.memory.items():
        if start <= address and address + size <= start + len(blob):
            return blob[address - start : address - start + size]
    return None


def _iret_to_v86_eip_at(d, image: Image) -> bool:
    """An IRETD at CPL 0 began the divergence, popping an EFLAGS image with VM set and an
    EIP beyond 0xFFFF: the engine raised #GP(0), Unicorn entered virtual-8086 mode with
    the EIP's low 16 bits."""
    regs = d.before.regs
    body = _unprefixed(d)
    wide = (0x66 in d.code[: len(d.code) - len(body)]) != (d.bits == 32)
    if body[:1] != b"\xcf" or not wide or regs.get("cs", 0) & 3 or d.engine_vector != 13:
        return False
    frame = _read_state(d.before, regs.get("esp", 0), 12)  # SS is flat where CPL 0 runs 32-bit code
    if frame is None:
        return False
    eip, _cs, eflags = struct.unpack("<3I", frame)
    return bool(eflags >> 17 & 1 and eip > 0xFFFF and d.reference.regs.get("eflags", 0) >> 17 & 1)


def _salc_carry_at(d, image: Image) -> bool:
    """SALC (D6) began the divergence, the engine's AL the carry the runs had before it
    (0xFF for CF = 1, else 0) and Unicorn's not, Unicorn's flags changed besides (SALC
    writes none): Unicorn ran it on a carry, and left flags, of a lazy state its own
    state before the instruction does not hold."""
    if _unprefixed(d)[:1] != b"\xd6" or any(
        x.field not in ("eax", "ax", "al") and not x.field.startswith("eflags.") for x in d.differences
    ):
        return False
    carry = 0xFF if d.before.regs.get("eflags", 0) & 1 else 0
    return d.engine.regs.get("eax", 0) & 0xFF == carry != d.reference.regs.get("eax", 0) & 0xFF


def _ret_imm16_sp_at(d, image: Image) -> bool:
    """RET or RETF with an immediate began the divergence and only ESP differs, by a
    multiple of 64 KiB: Unicorn added the immediate to SP alone."""
    body = _unprefixed(d)
    if body[:1] not in (b"\xc2", b"\xca") or [x.field for x in d.differences] != ["esp"]:
        return False
    return not (d.engine.regs.get("esp", 0) - d.reference.regs.get("esp", 0)) & 0xFFFF


def _reserved_control_register_at(d, image: Image) -> bool:
    """MOV to or from CR1, CR5, CR6 or CR7 (0F 20 or 0F 22, ModRM reg 1, 5, 6, 7) began
    the divergence at CPL > 0: the engine raised #UD, Unicorn #GP(0)."""
    body = _unprefixed(d)
    return (
        len(body) > 2
        and body[:2] in (b"\x0f\x20", b"\x0f\x22")
        and (body[2] >> 3) & 7 in (1, 5, 6, 7)
        and (d.engine_vector, d.reference_vector) == (6, 13)
    )


def _far_pops_across_sp_wrap_at(d, image: Image) -> bool:
    """A far RET or IRET on a 16-bit stack began the divergence, its pops running past SP
    0xFFFF: SP wraps between them, which Unicorn does not do."""
    if image.bits != 16:
        return False
    body = _unprefixed(d)
    wide = 0x66 in d.code[: len(d.code) - len(body)]
    size = {0xCA: 4, 0xCB: 4, 0xCF: 6}.get(body[0] if body else -1)
    if size is None:
        return False
    return (d.before.regs.get("esp", 0) & 0xFFFF) + size * (2 if wide else 1) > 0x10000


def _reads_undefined_on_path(d, image: Image) -> bool:
    """On the path the run took (the body, and code a branch reached beyond it), an
    instruction at or before the divergence read a flag the instructions before it left
    undefined."""
    return d.undefined_read is not None and d.undefined_read[0] <= d.retired


_GPRS = ("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi")


def _reads_a_model_specific_value_at(d, image: Image) -> bool:
    """RDTSC or CPUID began the divergence, only the registers it writes differing; or the
    instruction that began it reads a register in which the runs already differed (the
    masks hid it), and an instruction on the path before it left that register
    model-specific or undefined (RDTSC's count, CPUID's identification, LAR's bits 19:16,
    BSWAP of a 16-bit register): the SDM defines nothing that follows from its value (an
    address made from the TSC, flags computed from it)."""
    insn = next(_DETAILED[d.bits].disasm(d.code, d.eip), None)
    if insn is not None and insn.mnemonic in IMPLICIT_TABLE:
        # the value itself: a later write to part of the register (ADD DL) leaves the
        # straight reading's mask on the rest of it only
        return {x.field for x in d.differences} <= set(IMPLICIT_TABLE[insn.mnemonic])
    if d.engine_before is None or insn is None:
        return False
    mine, theirs = d.engine_before.regs, d.before.regs
    differing = {r for r in _GPRS if mine.get(r) != theirs.get(r)}
    if not differing:
        return False
    left: set[str] = set()
    for _cs, eip, bits, code, _regs in d.path:
        left |= set(final_register_masks(code, eip, bits))
    try:
        read = {ALIASES.get(insn.reg_name(r)) for r in insn.regs_access()[0]}
    except capstone.CsError:  # an instruction capstone has no access details for
        return False
    return bool(read & differing & left)


UNDEFINED_ON_PATH = "architecture: reads an undefined flag (on the path it ran)"
AT_DIVERGENCE: tuple[Cause, ...] = (
    Cause(
        UNDEFINED_ON_PATH,
        "any",
        "an instruction the run executed, in the body or where a branch took it, reads a flag "
        "the instructions executed before it leave undefined: what it does from there on is "
        "not defined",
        "Intel SDM vol. 2, Flags Affected of each writer (conformance/undefined.py: along)",
        _reads_undefined_on_path,
    ),
    Cause(
        "architecture: reads a model-specific value (on the path it ran)",
        "any",
        "the instruction where the runs part reads a register that an instruction before it "
        "left model-specific or undefined (the TSC's count, CPUID's identification, LAR's bits "
        "19:16, a 16-bit BSWAP), the runs differing in it already: what it computes from it is "
        "not defined",
        "Intel SDM vol. 2: RDTSC, CPUID, LAR, BSWAP (conformance/undefined.py: IMPLICIT_TABLE, DEST_TABLE)",
        _reads_a_model_specific_value_at,
    ),
    Cause(
        "unicorn: read-modify-write #PF as a read (at the first divergence)",
        "unicorn",
        "the instruction that began the divergence is a read-modify-write of memory, run where a "
        "branch took the run; Unicorn reports W/R = 0 for the #PF its read takes, the processor 1",
        "guest_tests/paging/pf_read_modify_write_is_a_write.asm (the host CPU through the native oracle)",
        _rmw_write_fault_at,
    ),
    Cause(
        "unicorn: no null-selector check (at the first divergence)",
        "unicorn",
        "the instruction that began the divergence accesses memory through a null DS, ES, FS or GS "
        "in protected mode: the processor raises #GP(0), Unicorn performs the access",
        "guest_tests/segments/null_segment_use_gp.asm (listed in conformance/divergences.toml); "
        "Intel SDM vol. 2 MOV, LODS, STOS, Protected Mode Exceptions",
        _null_selector_at,
    ),
    Cause(
        "unicorn: opcode decoding (at the first divergence)",
        "unicorn",
        "the instruction that began the divergence, run where the program wrote it, is one of "
        "the encodings Unicorn decodes otherwise (each a cause above): LOCK not refused, C6 /7 "
        "and C7 /7 run as MOV, FF /7 not refused, 8F /1-/7 run as POP, F6 /1 and F7 /1 raising "
        "#UD where they are TEST",
        "the corpus tests of those causes (listed in conformance/divergences.toml); Intel SDM "
        "vol. 2 Appendix A, Table A-6",
        _decoding_at,
    ),
    Cause(
        "unicorn: no segment limit checks (at the first divergence)",
        "unicorn",
        "the instruction that began the divergence lies past CS's limit (16-bit code run off the "
        "end of its segment): the processor raises #GP(0) at its fetch, Unicorn runs it",
        "Intel SDM vol. 3A 5.3 (limit checking covers instruction fetches); "
        "guest_tests/segments/ (the limit tests, listed in conformance/divergences.toml)",
        _fetch_past_cs_limit_at,
    ),
    Cause(
        "unicorn: IRETD to virtual-8086 mode keeps EIP's low 16 bits",
        "unicorn",
        "an IRETD at CPL 0 pops an EFLAGS image with VM set and an EIP beyond 0xFFFF: the engine "
        "raises #GP(0) before loading anything, Unicorn enters virtual-8086 mode at the EIP's "
        "low 16 bits",
        "guest_tests/v86/iretd_to_v86_eip_beyond_64k.asm (listed in conformance/divergences.toml); "
        "Intel SDM vol. 2 IRET, RETURN-TO-VIRTUAL-8086-MODE",
        _iret_to_v86_eip_at,
    ),
    Cause(
        "unicorn: SALC on a carry its state does not hold",
        "unicorn",
        "the instruction that began the divergence is SALC (D6): the engine set AL from the "
        "carry both runs had before it, Unicorn from another (and changed flags, which SALC "
        "does not write), a lazy-flags state of its own seen after a run through a fault's "
        "handler and code that crosses into the body's page",
        "guest_tests/alu/salc_sets_al_from_carry.asm (the host CPU through the native oracle: "
        "AL from CF, flags kept); the reference's own state one instruction earlier",
        _salc_carry_at,
    ),
    Cause(
        "unicorn: RET imm16 adds to SP only (at the first divergence)",
        "unicorn",
        "the instruction that began the divergence is RET or RETF imm16 on a 32-bit stack, run "
        "where a branch took the run: Unicorn adds the immediate to SP alone, the processor to ESP",
        "guest_tests/stack/ret_imm16_releases_on_32bit_stack.asm (the host CPU through the native "
        "oracle; listed in conformance/divergences.toml); Intel SDM vol. 2 RET, Operation",
        _ret_imm16_sp_at,
    ),
    Cause(
        "unicorn: #GP for a reserved control register at CPL > 0",
        "unicorn",
        "MOV to or from CR1, CR5, CR6 or CR7 at CPL 3: the processor raises #UD (the register "
        "does not exist), Unicorn #GP(0) (the privilege check first)",
        "guest_tests/interrupts/mov_reserved_cr_at_cpl3_is_ud.asm (the host CPU, an AMD EPYC, "
        "raises #UD, SIGILL, for MOV RAX, CR1 and CR5 in a user process, #GP for CR0; listed in "
        "conformance/divergences.toml); Intel SDM vol. 2 MOV (control registers): #UD if an "
        "attempt is made to access CR1, CR5, CR6 or CR7",
        _reserved_control_register_at,
    ),
    Cause(
        "unicorn: ICEBP raises #UD (at the first divergence)",
        "unicorn",
        "the instruction that began the divergence is INT1 (ICEBP, F1), run where the program "
        "wrote it: Unicorn raises #UD instead of delivering #DB as a trap",
        "guest_tests/interrupts/icebp_int1_is_debug_trap.asm; Intel SDM vol. 2 INT n/INTO/INT3/INT1",
        _icebp_at,
    ),
    Cause(
        "unicorn: no x87 stack faults (at the first divergence)",
        "unicorn",
        "the instruction that began the divergence is an x87 one that the engine found with an "
        "empty operand or a full stack (IE and SF set) and Unicorn did not: the masked "
        "response's indefinite, stored or compared, is where the runs part",
        "guest_tests/x87/stack_faults_masked.asm (the host CPU through the native oracle)",
        _x87_stack_fault_at,
    ),
    Cause(
        "unicorn: MMX and SSE (at the first divergence)",
        "unicorn",
        "the instruction that began the divergence is an MMX, SSE, AVX, TSX or 3DNow! one "
        "(capstone's groups, or the MMX and SSE rows of the 0F map, or 0F 0D): the modelled CPU "
        "lacks them and raises #UD, Unicorn runs them (or enters MMX state before its #UD)",
        "Intel SDM vol. 2 Appendix A, Table A-3; the README's CPU model; "
        "guest_tests/interrupts/ud_for_extensions_the_model_lacks.asm",
        _extension_at,
    ),
    Cause(
        "unicorn: ZE for 0 / 0",
        "unicorn",
        "Unicorn's FDIV and FDIVR of zero by zero set FSW.ZE (division by zero) where the "
        "processor sets IE (an invalid operation) and returns the indefinite",
        "Intel SDM vol. 2 FDIV/FDIVR, FPU Exceptions (#IA: +/-0 / +/-0; #Z: a finite non-zero "
        "dividend by +/-0); guest_tests/x87/zero_by_zero_is_invalid.asm, where the host CPU "
        "through the native oracle sets IE (listed in conformance/divergences.toml)",
        _x87_zero_by_zero_at,
    ),
    Cause(
        "unicorn: no x87 denormal-operand flag",
        "unicorn",
        "Unicorn does not set FSW.DE for a denormal operand (FLD of a denormal single or double, "
        "arithmetic on one)",
        "Intel SDM vol. 2 FLD, Floating-Point Exceptions (#D: source operand is a denormal "
        "value); guest_tests/x87/fld_denormal_sets_de.asm, where the host CPU through the native "
        "oracle sets DE",
        _x87_denormal_at,
    ),
    Cause(
        "unicorn: no invalid operation for FIST out of range",
        "unicorn",
        "Unicorn's FIST and FISTP of a value too large for the integer store the integer "
        "indefinite but leave FSW.IE clear",
        "Intel SDM vol. 2 FIST/FISTP (#IA: the source is too large for the destination format); "
        "guest_tests/x87/loads_stores.asm, where the host CPU through the native oracle sets IE "
        "(listed in conformance/divergences.toml)",
        _fist_out_of_range_at,
    ),
    Cause(
        "unicorn: RDPMC is #UD",
        "unicorn",
        "Unicorn raises #UD for RDPMC; the modelled CPU has no performance counters, so RDPMC "
        "raises #GP(0) for every counter number",
        "Intel SDM vol. 2 RDPMC (#GP(0) if ECX does not specify a valid counter); the README's "
        "CPU model; guest_tests/interrupts/rdpmc_gp_without_counters.asm (listed in "
        "conformance/divergences.toml)",
        _rdpmc_at,
    ),
    Cause(
        "unicorn: a 16-bit ENTER loads all of EBP",
        "unicorn",
        "a 16-bit ENTER on a 32-bit stack sets BP from the stack pointer and keeps EBP's upper "
        "half; Unicorn loads all of EBP from ESP",
        "Intel SDM vol. 2 ENTER (BP := FrameTemp[15:0] for a 16-bit operand size); "
        "guest_tests/stack/enter16_on_32bit_stack.asm, where the host CPU through the native "
        "oracle keeps the upper half (listed in conformance/divergences.toml)",
        _enter16_sets_all_of_ebp_at,
    ),
    Cause(
        "unicorn: no x87 precision exception",
        "unicorn",
        "Unicorn never sets FSW.PE for an inexact result (a rounded FADD, FIST of a value with "
        "a fraction), nor C1 for one rounded up",
        "Intel SDM vol. 1 4.9.1.6 and 8.1.3.1; guest_tests/x87/unary.asm and "
        "precision_control.asm, where the host CPU through the native oracle sets both (listed "
        "in conformance/divergences.toml)",
        _x87_precision_at,
    ),
    Cause(
        "unicorn: x87 control and status words as loaded",
        "unicorn",
        "Unicorn's FLDCW, FLDENV and FRSTOR keep the control word's reserved bits as loaded (the "
        "processor reads bit 6 as 1, bits 7 and 13-15 as 0) and leave the status word's ES and "
        "B as loaded (the processor sets them when a loaded exception flag is unmasked)",
        "guest_tests/x87/fcw_reserved_bits.asm and fldenv_control_and_summary_bits.asm (the host "
        "CPU through the native oracle; listed in conformance/divergences.toml)",
        _x87_loaded_words_at,
    ),
    Cause(
        "unicorn: zeros in the x87 image's reserved words",
        "unicorn",
        "Unicorn's FNSTENV and FNSAVE write 0 into the reserved upper words of the 32-bit "
        "image's control, status, tag and selector dwords, where the processor writes 0xFFFF",
        "guest_tests/x87/fnstenv_reserved_words.asm (the host CPU; listed in conformance/divergences.toml)",
        _x87_image_reserved_words_at,
    ),
    Cause(
        "unicorn: CR2 names another byte of a multi-byte store",
        "unicorn",
        "for a store of several bytes to a page that is not present, Unicorn puts another byte "
        "of the access in CR2 than the first one the processor writes (PUSHAD's lowest, "
        "FBSTP's last)",
        "guest_tests/paging/pf_pushad_cr2_first_push.asm and x87/fbstp_page_fault_cr2.asm (the "
        "host CPU through the native oracle; listed in conformance/divergences.toml)",
        _cr2_within_the_access_at,
    ),
    Cause(
        "unicorn: a fault's frame with flags of its own",
        "unicorn",
        "Unicorn delivers a fault (seen: #UD of ENCLV, 0F 01 C0, after a page-crossing ADD in a "
        "loop of faults) with arithmetic flags other than those the instruction found, in the "
        "handler's EFLAGS and in the frame; a fault reports the state before the instruction",
        "Intel SDM vol. 3A 6.5 (faults: the state before the faulting instruction); the "
        "reference's own state one instruction earlier holds the flags the engine pushed; "
        "guest_tests/interrupts/sysret_ud_keeps_flags.asm (the same defect for SYSRET)",
        _fault_frame_flags_at,
    ),
    Cause(
        "unicorn: no SP wrap between a far return's pops",
        "unicorn",
        "on a 16-bit stack, a far RET or IRET whose pops run past SP 0xFFFF reads the rest at "
        "SS:0x10000 and beyond where SP wraps to 0",
        "guest_tests/realmode/retf_sp_wraps_between_pops.asm (listed in "
        "conformance/divergences.toml); Intel SDM vol. 2 RET and vol. 3A 20.1.1",
        _far_pops_across_sp_wrap_at,
    ),
    Cause(
        REP_COUNTED,
        "unicorn",
        "Unicorn counts each iteration of a REP string instruction against the instruction "
        "budget, so a run with a budget stops inside one where the engine has completed it",
        "Intel SDM vol. 2 REP: one instruction however many iterations; refvmm/engines/de.py "
        "(the Unicorn backend's count, not exact for the same reason)",
        _rep_iterations_counted_at,
    ),
    Cause(
        PAST_4G,
        "any",
        PAST_4G_REASON,
        PAST_4G_EVIDENCE,
        _wraps_past_4g_at,
    ),
    Cause(
        "unicorn: a restarted instruction sees its own first attempt",
        "unicorn",
        "Unicorn counted the instruction twice: its store reached the block being run, and "
        "Unicorn restarted it after part of the store was done, so the restart read what the "
        "first attempt wrote (an XCHG with memory whose unaligned word store overwrote the "
        "instruction before it and its own opcode)",
        "Intel SDM vol. 3A 11.6 (a store to code is seen by later instructions; the one storing "
        "completes as fetched) and vol. 2 XCHG; control/smc_rcl_rewrites_code.asm, where the "
        "host CPU through the native oracle shows the instruction done once",
        _restart_at,
    ),
    Cause(
        "unicorn: arithmetic flags changed by an instruction that writes none",
        "unicorn",
        "Unicorn changes CF, PF, AF, ZF, SF or OF at an instruction whose Flags Affected are "
        "none, the runs agreeing before it: seen where it restarts an instruction whose store "
        "reaches the block it is running (the restart sees flags of its own making; the RCL/RCR "
        "cause is a case of the same)",
        "guest_tests/control/smc_string_store_keeps_flags.asm and smc_rcl_rewrites_code.asm (the "
        "host CPU through the native oracle; listed in conformance/divergences.toml)",
        _flags_of_no_writer_at,
    ),
)
# the count after a write to code is followed by the bisection itself (a slip), and is
# not a cause once the runs are compared instruction by instruction
_NOT_AT_DIVERGENCE = (COUNTED_TWICE, LEFT_UNDEFINED_ON_PATH)  # whole runs only
BY_NAME = {c.name: c for c in (*CAUSES, *AT_DIVERGENCE)}


def _log(log: list, vector: int | None, d) -> list:
    """The exception log a little after the divergence, with the exception delivered
    there (its error code unknown) where the handler did not log it: it logged garbage
    (its frame went to open bus), or the delivery shut the run down."""
    if any(e.vector >= 256 for e in log):
        log = []
    if vector is None or any(e.vector == vector and e.eip == d.eip for e in log):
        return log
    eflags = d.before.regs.get("eflags", 0)
    return [*log, ExceptionRecord(vector, None, d.eip, d.cs, eflags, 0)]


def explain_divergence(d, outcome: Outcome, image: Image) -> str | None:
    """The cause that explains the first divergence ``d`` of ``outcome`` from its
    reference: the causes of final differences, applied to the states there (as they
    are, then with the exceptions the handler logged a little later), and those that
    judge the instruction that began it."""
    base = outcome.reference.partition(":")[0]

    def judged(name: str, state, status: str, differences: list) -> Outcome:
        return Outcome(outcome.test_id, outcome.path, name, status, differences, "", state)

    logged = (
        replace(d.engine, exceptions=_log(d.engine_log, d.engine_vector, d)),
        replace(d.reference, exceptions=_log(d.reference_log, d.reference_vector, d)),
    )
    for mine, theirs in ((d.engine, d.reference), logged):
        engine = judged(outcome.engine, mine, "fail", d.differences)
        reference = judged(outcome.reference, theirs, "pass", [])
        for cause in CAUSES:
            usable = cause.name not in _NOT_AT_DIVERGENCE and cause.oracle in (base, "any")
            if usable and cause.applies(engine, reference, image):
                return cause.name
    for cause in AT_DIVERGENCE:
        if cause.oracle in (base, "any") and cause.applies(d, image):
            return cause.name
    return None


def explain(outcome: Outcome, reference: Outcome | None, image: Image) -> str | None:
    """The cause that explains ``outcome``'s differences from ``reference``, or None."""
    if reference is None or reference.state is None or outcome.state is None:
        return None
    base = reference.engine.partition(":")[0]
    for cause in CAUSES:
        if cause.oracle in (base, "any") and cause.applies(outcome, reference, image):
            return cause.name
    return None
