"""The reviewed table of architecturally undefined EFLAGS results, and the mask it gives.

Source: Intel SDM vol. 2 (each instruction's "Flags Affected"). Each row says which
flags an instruction leaves defined and which undefined; ``final_mask`` walks the
test body in address order and returns the flags whose last writer left them
undefined. A test never masks flags on its own.

Count-dependent rows (shifts and rotates) are resolved from an immediate count;
with a CL count the conservative answer (undefined) is used.
"""

from __future__ import annotations

import functools

import capstone

CF, PF, AF, ZF, SF, OF = 1 << 0, 1 << 2, 1 << 4, 1 << 6, 1 << 7, 1 << 11
ARITH = CF | PF | AF | ZF | SF | OF
FLAG_NAMES = {CF: "cf", PF: "pf", AF: "af", ZF: "zf", SF: "sf", OF: "of"}

# mnemonic -> (flags written with a defined value, flags left undefined)
TABLE: dict[str, tuple[int, int]] = {
    # all six defined
    **dict.fromkeys(
        [
            "add",
            "adc",
            "sub",
            "sbb",
            "cmp",
            "neg",
            "cmpxchg",
            "xadd",
            "cmpsb",
            "cmpsw",
            "cmpsd",
            "scasb",
            "scasw",
            "scasd",
        ],
        (ARITH, 0),
    ),
    **dict.fromkeys(["inc", "dec"], (ARITH & ~CF, 0)),
    # logic: OF = CF = 0, SF ZF PF by result, AF undefined (vol. 2 AND/OR/XOR/TEST)
    **dict.fromkeys(["and", "or", "xor", "test"], (ARITH & ~AF, AF)),
    # MUL/IMUL: CF OF defined; SF ZF AF PF undefined
    **dict.fromkeys(["mul", "imul"], (CF | OF, SF | ZF | AF | PF)),
    # DIV/IDIV: all six undefined
    **dict.fromkeys(["div", "idiv"], (0, ARITH)),
    # BSF/BSR: ZF defined, the rest undefined
    **dict.fromkeys(["bsf", "bsr"], (ZF, CF | OF | SF | AF | PF)),
    # BT family: CF defined; OF SF AF PF undefined (ZF unaffected)
    **dict.fromkeys(["bt", "bts", "btr", "btc"], (CF, OF | SF | AF | PF)),
    # BCD
    **dict.fromkeys(["aaa", "aas"], (AF | CF, OF | SF | ZF | PF)),
    **dict.fromkeys(["aam", "aad"], (SF | ZF | PF, OF | AF | CF)),
    **dict.fromkeys(["daa", "das"], (CF | AF | SF | ZF | PF, OF)),
    # whole-register loads of the flags
    **dict.fromkeys(["popf", "popfd", "iret", "iretd"], (ARITH, 0)),
    "sahf": (ARITH & ~OF, 0),  # loads SF ZF AF PF CF from AH; OF is left as it was
    "cmpxchg8b": (ZF, 0),
    **dict.fromkeys(["lar", "lsl", "verr", "verw", "arpl"], (ZF, 0)),
    **dict.fromkeys(["clc", "stc", "cmc"], (CF, 0)),
}

# the flags an instruction reads (vol. 2, each instruction's Operation; vol. 1 B.1 for the
# condition codes): where one of them is undefined as it starts, its result is too
_CONDITION_READS = {
    "o": OF, "no": OF, "b": CF, "nb": CF, "c": CF, "nc": CF, "ae": CF, "nae": CF,
    "e": ZF, "z": ZF, "ne": ZF, "nz": ZF, "be": CF | ZF, "na": CF | ZF, "a": CF | ZF,
    "nbe": CF | ZF, "s": SF, "ns": SF, "p": PF, "np": PF, "pe": PF, "po": PF,
    "l": SF | OF, "nge": SF | OF, "ge": SF | OF, "nl": SF | OF,
    "le": ZF | SF | OF, "ng": ZF | SF | OF, "g": ZF | SF | OF, "nle": ZF | SF | OF,
    "u": PF, "nu": PF,  # FCMOVU / FCMOVNU
}  # fmt: skip
READS: dict[str, int] = {
    **dict.fromkeys(["adc", "sbb", "rcl", "rcr", "cmc", "salc"], CF),
    **dict.fromkeys(["daa", "das"], AF | CF),
    **dict.fromkeys(["aaa", "aas"], AF),
    "lahf": SF | ZF | AF | PF | CF,
    **dict.fromkeys(["pushf", "pushfd", "pushfw"], ARITH),
    "into": OF,
    **dict.fromkeys(["loope", "loopz", "loopne", "loopnz"], ZF),
    **{
        f"{kind}{cc}": bits for kind in ("j", "set", "cmov", "fcmov") for cc, bits in _CONDITION_READS.items()
    },
}


def undefined_read(
    code: bytes, origin: int, bits: int, faulted: frozenset[int] = frozenset()
) -> tuple[int, str, int] | None:
    """The first instruction of the straight reading of ``code``, up to its first transfer
    of control, that reads a flag the instructions before it leave undefined (those at
    ``faulted`` wrote none): (address, mnemonic, the flags), or None. What such a program
    does from there on is undefined."""
    mask = 0  # what the instructions before this one leave undefined, as final_mask has it
    for insn in _disassembler(bits).disasm(code, origin):
        name = insn.mnemonic.split()[-1]
        if mask & READS.get(name, 0):
            return insn.address, name, mask & READS[name]
        # a branch to its own fall-through (JO +0) leaves the reading as it is
        if set(insn.groups) & _TRANSFERS and branch_target(insn, bits) != insn.address + insn.size:
            return None
        if insn.address not in faulted:
            defined, undefined = _effect_of(insn.mnemonic, insn.op_str)
            mask = (mask & ~defined) | undefined
    return None


_SHIFTS = {"shl", "sal", "shr", "sar"}
_ROTATES = {"rol", "ror", "rcl", "rcr"}
_DOUBLE_SHIFTS = {"shld", "shrd"}


def _count(op_str: str) -> int | None:
    last = op_str.rsplit(",", 1)[-1].strip() if "," in op_str else "1"
    try:
        return int(last, 0) & 0x1F
    except ValueError:
        return None  # CL


_REG8 = frozenset(["al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"])
_REG16 = frozenset(["ax", "cx", "dx", "bx", "sp", "bp", "si", "di"])


def _width(op_str: str) -> int:
    first = op_str.split(",", 1)[0].strip()
    if first in _REG8 or first.startswith("byte"):
        return 8
    if first in _REG16 or first.startswith("word"):
        return 16
    return 32


def effect(mnemonic: str, op_str: str) -> tuple[int, int]:
    """(defined, undefined) flags written by one instruction."""
    if mnemonic in TABLE:
        return TABLE[mnemonic]
    if mnemonic in _SHIFTS | _ROTATES | _DOUBLE_SHIFTS:
        n = _count(op_str)
        if n == 0:
            return 0, 0
        width = _width(op_str)
        if mnemonic in _DOUBLE_SHIFTS and width == 16 and (n is None or n > 16):
            return 0, ARITH  # result and flags undefined (vol. 2 SHLD/SHRD)
        if mnemonic in _ROTATES:
            if n == 1:
                return CF | OF, 0
            return (CF, OF) if n is not None else (0, CF | OF)
        if n is None:
            return 0, ARITH
        written = ARITH & ~AF
        undef = AF | (0 if n == 1 else OF)
        if mnemonic in _SHIFTS and n >= width:
            undef |= CF  # vol. 2 SAL/SAR/SHL/SHR: CF undefined when count >= width
        return written & ~undef, undef
    return 0, 0


def _effect_of(mnemonic: str, op_str: str) -> tuple[int, int]:
    words = mnemonic.split()
    mnemonic = words[-1]  # drop rep/lock prefixes
    if words[0].startswith("rep") and mnemonic[:4] in ("cmps", "scas"):
        return 0, 0  # may run zero times and leave every flag as it was
    return effect(mnemonic, op_str)


@functools.lru_cache(maxsize=8192)
def _decoded(code: bytes, eip: int, bits: int) -> tuple[str, str] | None:
    insn = next(_disassembler(bits).disasm_lite(code, eip), None)
    return None if insn is None else (insn[2], insn[3])


def along(
    executed: list[tuple], faulted: frozenset[int] = frozenset(), entries: frozenset = frozenset()
) -> tuple[list[int], tuple | None]:
    """Over the instructions a run executed, in order (``conformance.vmm.executed``: CS,
    EIP, code size, bytes, registers before), wherever they were: the flags left
    undefined after each prefix (element k: after k instructions; a shift or rotate by CL
    resolved from the CL it ran with), and the first instruction that reads one of them,
    as (its index, EIP, mnemonic, the flags), or None. Those at ``faulted`` wrote none.
    ``entries`` are the (CS, EIP) where exceptions and interrupts are delivered: the flags
    a delivery pushes keep what was undefined in them, and the IRET that pops them gives
    it back."""
    mask, masks, first, frames = 0, [0], None, []
    for index, (_cs, eip, bits, code, regs) in enumerate(executed):
        decoded = _decoded(code, eip, bits)
        if decoded is not None:
            mnemonic, op_str = decoded
            name = mnemonic.split()[-1]
            if first is None and mask & READS.get(name, 0):
                first = (index, eip, name, mask & READS[name])
            if name in ("iret", "iretd") and frames:
                mask = frames.pop()
            elif eip not in faulted:
                if (name in _SHIFTS or name in _ROTATES) and op_str.endswith(", cl"):
                    op_str = f"{op_str[:-2]}{regs.get('ecx', 0) & 0xFF}"
                defined, undefined = _effect_of(mnemonic, op_str)
                mask = (mask & ~defined) | undefined
        following = executed[index + 1] if index + 1 < len(executed) else None
        if following is not None and (following[0], following[1]) in entries:
            frames.append(mask)
        masks.append(mask)
    return masks, first


def _disassembler(bits: int) -> capstone.Cs:
    md = capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_16 if bits == 16 else capstone.CS_MODE_32)
    md.detail = True  # for the groups and the branch targets
    return md


def branch_target(insn, bits: int) -> int | None:
    """Where a relative branch (capstone's, with details) goes, wrapped to the code size;
    None for any other instruction."""
    if capstone.CS_GRP_BRANCH_RELATIVE not in insn.groups:
        return None
    return insn.operands[0].imm & (0xFFFF if bits == 16 else 0xFFFFFFFF)


def final_mask(code: bytes, origin: int, bits: int, faulted: frozenset[int] = frozenset()) -> int:
    """EFLAGS bits undefined at the end of a straight-line reading of ``code``, where the
    instructions at ``faulted`` (a run took a fault there) write no flags: a fault leaves
    them as the instruction found them. Where a relative branch lands off that reading
    (inside an instruction, or outside the code), the instructions that run are not the
    ones read: then every flag that an instruction on any path from the start may leave
    undefined is masked too (``_off_the_reading``)."""
    md = _disassembler(bits)
    end = origin + len(code)
    mask = 0
    reading: set[int] = set()
    targets: set[int] = set()
    for insn in md.disasm(code, origin):
        reading.add(insn.address)
        target = branch_target(insn, bits)
        if target is not None:
            targets.add(target)
        if insn.address not in faulted:
            defined, undefined = _effect_of(insn.mnemonic, insn.op_str)
            mask = (mask & ~defined) | undefined
    # paths that keep to the reading run only its instructions: only a branch of the
    # reading that lands off it can lead elsewhere
    if targets - reading - {end}:
        for mnemonic, op_str in _off_the_reading(md, code, origin, bits, reading):
            mask |= _effect_of(mnemonic, op_str)[1]
    return mask


def mask_at(code: bytes, origin: int, bits: int, eip: int, faulted: frozenset[int] = frozenset()) -> int:
    """EFLAGS bits that may be undefined as the instruction at ``eip`` starts: what an
    exception frame pushed there holds. The straight reading up to ``eip`` when nothing
    but that reading can have run before it (``eip`` on the reading, and no instruction
    of it that transfers control); else every flag an instruction of ``code``, or of a
    path through it, may leave undefined."""
    md = _disassembler(bits)
    end = origin + len(code)
    reading = list(md.disasm(code, origin))
    straight = not any(set(insn.groups) & _TRANSFERS for insn in reading)
    if straight and origin <= eip <= end and (eip == end or any(i.address == eip for i in reading)):
        return final_mask(code[: eip - origin], origin, bits, faulted)
    mask = 0
    for insn in reading:
        mask |= _effect_of(insn.mnemonic, insn.op_str)[1]
    for mnemonic, op_str in _off_the_reading(md, code, origin, bits, set(), force=True):
        mask |= _effect_of(mnemonic, op_str)[1]
    return mask


_TRANSFERS = frozenset(
    (
        capstone.CS_GRP_JUMP,
        capstone.CS_GRP_CALL,
        capstone.CS_GRP_RET,
        capstone.CS_GRP_INT,
        capstone.CS_GRP_IRET,
    )
)


def _off_the_reading(
    md: capstone.Cs, code: bytes, origin: int, bits: int, reading: set[int], force: bool = False
):
    """Every instruction on a path from the start of ``code``, following the relative
    branches that land within it, when a branch on such a path lands off the straight
    ``reading`` (or with ``force``); else nothing."""
    end = origin + len(code)
    seen: dict[int, tuple[str, str]] = {}
    irregular = False
    starts = [origin]
    while starts:
        at = starts.pop()
        while origin <= at < end and at not in seen:
            insn = next(md.disasm(code[at - origin :], at, 1), None)
            if insn is None:
                break
            seen[at] = (insn.mnemonic, insn.op_str)
            target = branch_target(insn, bits)
            if target is not None:
                irregular = irregular or (target not in reading and target != end)
                if origin <= target < end:
                    starts.append(target)
                if insn.mnemonic == "jmp":
                    break
            at += insn.size
    return list(seen.values()) if irregular or force else []


# mnemonic -> the bits of a 32-bit register destination the SDM leaves undefined
DEST_TABLE: dict[str, int] = {
    "smsw": 0xFFFF0000,  # vol. 2 SMSW: with a 32-bit register, bits 31:16 are undefined
    "lar": 0x000F0000,  # vol. 2 LAR: a 32-bit destination gets bits 19:16 undefined (00FxFF00H)
}
# mnemonic -> registers whose whole value is model-specific (the CPU model or time)
IMPLICIT_TABLE: dict[str, tuple[str, ...]] = {
    "cpuid": ("eax", "ebx", "ecx", "edx"),  # vol. 2 CPUID: identification differs by processor
    "rdtsc": ("eax", "edx"),  # vol. 2 RDTSC: the time-stamp counter
}
# write the destination only on success (LAR/LSL) or on a condition (CMOVcc)
_CONDITIONS = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"]
_MAYBE_WRITING = frozenset(["lsl", *(f"cmov{c}" for c in _CONDITIONS)])
_NON_WRITING = frozenset(["cmp", "test", "push", "bt", "verr", "verw", "out", "lldt", "ltr", "lmsw"])
ALIASES = {
    **{r: r for r in ("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi")},
    **{r: "e" + r for r in ("ax", "cx", "dx", "bx", "sp", "bp", "si", "di")},
    **{f"{c}{h}": f"e{c}x" for c in "abcd" for h in "lh"},
}


def final_register_masks(code: bytes, origin: int, bits: int) -> dict[str, int]:
    """Register bits left undefined at the end of a straight-line reading of ``code``."""
    md = capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_16 if bits == 16 else capstone.CS_MODE_32)
    masks: dict[str, int] = {}
    for _addr, _size, mnemonic, op_str in md.disasm_lite(code, origin):
        for reg in IMPLICIT_TABLE.get(mnemonic, ()):
            masks[reg] = 0xFFFFFFFF
        first = op_str.split(",", 1)[0].strip()
        reg = ALIASES.get(first)
        if reg is None or mnemonic in _NON_WRITING:
            continue
        if mnemonic in DEST_TABLE and first == reg:
            masks[reg] = masks.get(reg, 0) | DEST_TABLE[mnemonic]
        elif mnemonic in _MAYBE_WRITING:
            continue  # may leave the register as it was: its undefined bits stay undefined
        elif mnemonic == "bswap" and first != reg:
            masks[reg] = 0xFFFF  # vol. 2 BSWAP: with a 16-bit register the result is undefined
        elif mnemonic in ("shld", "shrd") and first != reg and (_count(op_str) or 17) > 16:
            # vol. 2 SHLD/SHRD: 16-bit operand, count above 16: undefined; with a CL count,
            # conservatively undefined, as for the flags (the host CPU, Unicorn and the VMM
            # give three different results for shld ax, bx, cl with CL = 20)
            masks[reg] = 0xFFFF
        elif reg in masks:  # written: defined again, but only in the part of it named
            masks[reg] &= ~_bits_written(first, reg)
            if not masks[reg]:
                del masks[reg]
    return masks


def _bits_written(name: str, reg: str) -> int:
    """The bits of ``reg`` a write to ``name`` (itself, or its 16- or 8-bit part) defines."""
    if name == reg:
        return 0xFFFFFFFF
    if name[-1] in "lh":
        return 0xFF if name[-1] == "l" else 0xFF00
    return 0xFFFF


def describe(mask: int) -> str:
    return " ".join(name for bit, name in sorted(FLAG_NAMES.items()) if mask & bit) or "none"
