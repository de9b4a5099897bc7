"""IA-32 opcode maps as data, in the style of Intel SDM Vol. 2 Appendix A.

Each entry is ``Op(mnemonic, operands, flags)``. ``operands`` uses the SDM's
addressing-method + operand-type notation, e.g. ``"Ev,Iz"``:

  E  ModRM r/m (register or memory)     G  ModRM.reg general register
  M  ModRM memory only (mod=3 is #UD)   R  ModRM r/m register only
  S  ModRM.reg segment register         C/D  ModRM.reg control/debug register
  I  immediate (Ibs: Ib sign-extended to the operand size)
  J  relative offset                    A  direct far pointer (seg:offset)
  O  moffs, no ModRM                    X/Y  DS:eSI / ES:eDI string operands
  Z  register in the opcode's low 3 bits ("Z" in SDM A.2.1)
  b/w/d/q byte/word/dword/qword, v/z operand size, p far pointer, s 6-byte
  pseudo-descriptor, a BOUND pair. Fixed: AL CL DX eAX ES CS SS DS FS GS 1.
  x87 (``X87_MEMORY``, ``X87_REGISTER``): ST is ST(0), STi the ST(i) of ModRM.rm; memory
  Mt is an 80-bit operand, Me the environment (14 or 28 bytes by operand size), Mf the
  whole state of FSAVE/FRSTOR (94 or 108 bytes).
  ``Rv/Mw`` is the SDM's register-of-operand-size or 16-bit memory (SLDT, 8C).

A mnemonic "a/b" picks a by 16-bit and b by 32-bit operand size ("A" flag:
by address size). Flags: L = LOCK allowed (with a memory destination),
S = string instruction (F2/F3 mean REPNE/REP), G = ModRM.reg selects from
GROUPS[opcode], X = x87 escape (D8-DF: ModRM selects from X87_MEMORY or X87_REGISTER).
"""

from __future__ import annotations

from typing import NamedTuple


class Op(NamedTuple):
    mnemonic: str
    operands: str = ""
    flags: str = ""


GROUP = Op("", "", "G")
ESC = Op("esc", "", "X")  # an x87 escape slot the FPU does not define: #NM or #UD

# Condition codes 0-15 in SDM order (Jcc/SETcc/CMOVcc tttn field).
CONDITIONS = ("o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g")
ALU = ("add", "or", "adc", "sbb", "and", "sub", "xor", "cmp")
SHIFTS = ("rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar")

ONE_BYTE: dict[int, Op] = {
    0x06: Op("push", "ES"),
    0x07: Op("pop", "ES"),
    0x0E: Op("push", "CS"),
    0x16: Op("push", "SS"),
    0x17: Op("pop", "SS"),
    0x1E: Op("push", "DS"),
    0x1F: Op("pop", "DS"),
    0x27: Op("daa"),
    0x2F: Op("das"),
    0x37: Op("aaa"),
    0x3F: Op("aas"),
    0x60: Op("pusha/pushad"),
    0x61: Op("popa/popad"),
    0x62: Op("bound", "Gv,Ma"),
    0x63: Op("arpl", "Ew,Gw"),
    0x68: Op("push", "Iz"),
    0x69: Op("imul", "Gv,Ev,Iz"),
    0x6A: Op("push", "Ibs"),
    0x6B: Op("imul", "Gv,Ev,Ibs"),
    0x6C: Op("insb", "Yb,DX", "S"),
    0x6D: Op("insw/insd", "Yv,DX", "S"),
    0x6E: Op("outsb", "DX,Xb", "S"),
    0x6F: Op("outsw/outsd", "DX,Xv", "S"),
    0x80: GROUP,
    0x81: GROUP,
    0x82: GROUP,  # alias of 80, valid outside 64-bit mode
    0x83: GROUP,
    0x84: Op("test", "Eb,Gb"),
    0x85: Op("test", "Ev,Gv"),
    0x86: Op("xchg", "Eb,Gb", "L"),
    0x87: Op("xchg", "Ev,Gv", "L"),
    0x88: Op("mov", "Eb,Gb"),
    0x89: Op("mov", "Ev,Gv"),
    0x8A: Op("mov", "Gb,Eb"),
    0x8B: Op("mov", "Gv,Ev"),
    0x8C: Op("mov", "Rv/Mw,Sw"),
    0x8D: Op("lea", "Gv,M"),
    0x8E: Op("mov", "Sw,Rv/Mw"),  # r/m16 load; a register source is named at operand size
    0x8F: GROUP,
    0x90: Op("nop"),
    0x98: Op("cbw/cwde"),
    0x99: Op("cwd/cdq"),
    0x9A: Op("callf", "Ap"),
    0x9B: Op("wait"),
    0x9C: Op("pushf/pushfd"),
    0x9D: Op("popf/popfd"),
    0x9E: Op("sahf"),
    0x9F: Op("lahf"),
    0xA0: Op("mov", "AL,Ob"),
    0xA1: Op("mov", "eAX,Ov"),
    0xA2: Op("mov", "Ob,AL"),
    0xA3: Op("mov", "Ov,eAX"),
    0xA4: Op("movsb", "Yb,Xb", "S"),
    0xA5: Op("movsw/movsd", "Yv,Xv", "S"),
    0xA6: Op("cmpsb", "Xb,Yb", "S"),
    0xA7: Op("cmpsw/cmpsd", "Xv,Yv", "S"),
    0xA8: Op("test", "AL,Ib"),
    0xA9: Op("test", "eAX,Iz"),
    0xAA: Op("stosb", "Yb,AL", "S"),
    0xAB: Op("stosw/stosd", "Yv,eAX", "S"),
    0xAC: Op("lodsb", "AL,Xb", "S"),
    0xAD: Op("lodsw/lodsd", "eAX,Xv", "S"),
    0xAE: Op("scasb", "AL,Yb", "S"),
    0xAF: Op("scasw/scasd", "eAX,Yv", "S"),
    0xC0: GROUP,
    0xC1: GROUP,
    0xC2: Op("ret", "Iw"),
    0xC3: Op("ret"),
    0xC4: Op("les", "Gv,Mp"),
    0xC5: Op("lds", "Gv,Mp"),
    0xC6: GROUP,
    0xC7: GROUP,
    0xC8: Op("enter", "Iw,Ib"),
    0xC9: Op("leave"),
    0xCA: Op("retf", "Iw"),
    0xCB: Op("retf"),
    0xCC: Op("int3"),
    0xCD: Op("int", "Ib"),
    0xCE: Op("into"),
    0xCF: Op("iret/iretd"),
    0xD0: GROUP,
    0xD1: GROUP,
    0xD2: GROUP,
    0xD3: GROUP,
    0xD4: Op("aam", "Ib"),
    0xD5: Op("aad", "Ib"),
    # D6: reserved in the SDM's opcode map, but every processor runs it outside 64-bit mode
    # (the host CPU through the native oracle: guest_tests/alu/salc_sets_al_from_carry.asm)
    0xD6: Op("salc"),
    0xD7: Op("xlatb"),
    0xE0: Op("loopne", "Jb"),
    0xE1: Op("loope", "Jb"),
    0xE2: Op("loop", "Jb"),
    0xE3: Op("jcxz/jecxz", "Jb", "A"),
    0xE4: Op("in", "AL,Ib"),
    0xE5: Op("in", "eAX,Ib"),
    0xE6: Op("out", "Ib,AL"),
    0xE7: Op("out", "Ib,eAX"),
    0xE8: Op("call", "Jz"),
    0xE9: Op("jmp", "Jz"),
    0xEA: Op("jmpf", "Ap"),
    0xEB: Op("jmp", "Jb"),
    0xEC: Op("in", "AL,DX"),
    0xED: Op("in", "eAX,DX"),
    0xEE: Op("out", "DX,AL"),
    0xEF: Op("out", "DX,eAX"),
    0xF1: Op("int1"),
    0xF4: Op("hlt"),
    0xF5: Op("cmc"),
    0xF6: GROUP,
    0xF7: GROUP,
    0xF8: Op("clc"),
    0xF9: Op("stc"),
    0xFA: Op("cli"),
    0xFB: Op("sti"),
    0xFC: Op("cld"),
    0xFD: Op("std"),
    0xFE: GROUP,
    0xFF: GROUP,
}
# 00-3D: the eight ALU ops in the six classic forms; CMP is the only one that cannot be locked.
for _i, _m in enumerate(ALU):
    _lock = "" if _m == "cmp" else "L"
    for _j, _spec in enumerate(("Eb,Gb", "Ev,Gv", "Gb,Eb", "Gv,Ev", "AL,Ib", "eAX,Iz")):
        ONE_BYTE[_i * 8 + _j] = Op(_m, _spec, _lock if _j < 2 else "")
for _r in range(8):
    ONE_BYTE[0x40 + _r] = Op("inc", "Zv")
    ONE_BYTE[0x48 + _r] = Op("dec", "Zv")
    ONE_BYTE[0x50 + _r] = Op("push", "Zv")
    ONE_BYTE[0x58 + _r] = Op("pop", "Zv")
    ONE_BYTE[0xB0 + _r] = Op("mov", "Zb,Ib")
    ONE_BYTE[0xB8 + _r] = Op("mov", "Zv,Iv")
    ONE_BYTE[0xD8 + _r] = Op("esc", "", "X")
    if _r:
        ONE_BYTE[0x90 + _r] = Op("xchg", "Zv,eAX")
for _c, _cc in enumerate(CONDITIONS):
    ONE_BYTE[0x70 + _c] = Op("j" + _cc, "Jb")

# Prefix bytes; the decoder consumes these before looking at the maps.
PREFIXES = frozenset((0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67, 0xF0, 0xF2, 0xF3))
SEGMENT_PREFIXES = {0x26: "es", 0x2E: "cs", 0x36: "ss", 0x3E: "ds", 0x64: "fs", 0x65: "gs"}

# Encodings whose meaning depends on a mandatory prefix (last F2/F3 wins).
PREFIXED: dict[tuple[int, int], Op] = {(0xF3, 0x90): Op("pause")}

TWO_BYTE: dict[int, Op] = {
    0x00: GROUP,
    0x01: GROUP,
    0x02: Op("lar", "Gv,Rv/Mw"),
    0x03: Op("lsl", "Gv,Rv/Mw"),
    0x06: Op("clts"),
    0x08: Op("invd"),
    0x09: Op("wbinvd"),
    0x0B: Op("ud2"),
    0x20: Op("mov", "Rd,Cd"),
    0x21: Op("mov", "Rd,Dd"),
    0x22: Op("mov", "Cd,Rd"),
    0x23: Op("mov", "Dd,Rd"),
    0x30: Op("wrmsr"),
    0x31: Op("rdtsc"),
    0x32: Op("rdmsr"),
    0x33: Op("rdpmc"),
    0x34: Op("sysenter"),
    0x35: Op("sysexit"),
    0xA0: Op("push", "FS"),
    0xA1: Op("pop", "FS"),
    0xA2: Op("cpuid"),
    0xA3: Op("bt", "Ev,Gv"),
    0xA4: Op("shld", "Ev,Gv,Ib"),
    0xA5: Op("shld", "Ev,Gv,CL"),
    0xA8: Op("push", "GS"),
    0xA9: Op("pop", "GS"),
    0xAA: Op("rsm"),
    0xAB: Op("bts", "Ev,Gv", "L"),
    0xAC: Op("shrd", "Ev,Gv,Ib"),
    0xAD: Op("shrd", "Ev,Gv,CL"),
    0xAF: Op("imul", "Gv,Ev"),
    0xB0: Op("cmpxchg", "Eb,Gb", "L"),
    0xB1: Op("cmpxchg", "Ev,Gv", "L"),
    0xB2: Op("lss", "Gv,Mp"),
    0xB3: Op("btr", "Ev,Gv", "L"),
    0xB4: Op("lfs", "Gv,Mp"),
    0xB5: Op("lgs", "Gv,Mp"),
    0xB6: Op("movzx", "Gv,Eb"),
    0xB7: Op("movzx", "Gv,Ew"),
    0xB9: Op("ud1", "Gv,Ev"),
    0xBA: GROUP,
    0xBB: Op("btc", "Ev,Gv", "L"),
    0xBC: Op("bsf", "Gv,Ev"),
    0xBD: Op("bsr", "Gv,Ev"),
    0xBE: Op("movsx", "Gv,Eb"),
    0xBF: Op("movsx", "Gv,Ew"),
    0xC0: Op("xadd", "Eb,Gb", "L"),
    0xC1: Op("xadd", "Ev,Gv", "L"),
    0xC7: GROUP,
}
# 0F 18-1F: hint space executed as NOP Ev (0F 1F /0 is the documented multi-byte NOP; 0F 18 /0-3 are the
# SSE PREFETCHh hints, which have no architectural effect, the rest is reserved-NOP).
for _b in range(0x18, 0x20):
    TWO_BYTE[_b] = Op("nop", "Ev")
for _c, _cc in enumerate(CONDITIONS):
    TWO_BYTE[0x40 + _c] = Op("cmov" + _cc, "Gv,Ev")
    TWO_BYTE[0x80 + _c] = Op("j" + _cc, "Jz")
    TWO_BYTE[0x90 + _c] = Op("set" + _cc, "Eb")
for _r in range(8):
    TWO_BYTE[0xC8 + _r] = Op("bswap", "Zv")  # 16-bit operand size names a 16-bit register (result undefined)

_UD = None  # undefined group slot: #UD

# ModRM.reg group tables, keyed by opcode (0x0Fxx for two-byte), SDM Table A-6.
GROUPS: dict[int, tuple[Op | None, ...]] = {
    0x8F: (Op("pop", "Ev"), _UD, _UD, _UD, _UD, _UD, _UD, _UD),
    0xC6: (Op("mov", "Eb,Ib"), _UD, _UD, _UD, _UD, _UD, _UD, _UD),
    0xC7: (Op("mov", "Ev,Iz"), _UD, _UD, _UD, _UD, _UD, _UD, _UD),
    0xF6: (
        Op("test", "Eb,Ib"),
        Op("test", "Eb,Ib"),  # /1: undocumented alias of /0 that hardware executes as TEST
        Op("not", "Eb", "L"),
        Op("neg", "Eb", "L"),
        Op("mul", "Eb"),
        Op("imul", "Eb"),
        Op("div", "Eb"),
        Op("idiv", "Eb"),
    ),
    0xF7: (
        Op("test", "Ev,Iz"),
        Op("test", "Ev,Iz"),
        Op("not", "Ev", "L"),
        Op("neg", "Ev", "L"),
        Op("mul", "Ev"),
        Op("imul", "Ev"),
        Op("div", "Ev"),
        Op("idiv", "Ev"),
    ),
    0xFE: (Op("inc", "Eb", "L"), Op("dec", "Eb", "L"), _UD, _UD, _UD, _UD, _UD, _UD),
    0xFF: (
        Op("inc", "Ev", "L"),
        Op("dec", "Ev", "L"),
        Op("call", "Ev"),
        Op("callf", "Mp"),
        Op("jmp", "Ev"),
        Op("jmpf", "Mp"),
        Op("push", "Ev"),
        _UD,
    ),
    0x0F00: (
        Op("sldt", "Rv/Mw"),
        Op("str", "Rv/Mw"),
        Op("lldt", "Ew"),
        Op("ltr", "Ew"),
        Op("verr", "Ew"),
        Op("verw", "Ew"),
        _UD,
        _UD,
    ),
    # 0F 01 with mod=3 encodes VMX/MONITOR/XGETBV/RDTSCP etc.: out of scope, and the M operands make it #UD.
    0x0F01: (
        Op("sgdt", "Ms"),
        Op("sidt", "Ms"),
        Op("lgdt", "Ms"),
        Op("lidt", "Ms"),
        Op("smsw", "Rv/Mw"),
        _UD,
        Op("lmsw", "Ew"),
        Op("invlpg", "Mb"),
    ),
    0x0FBA: (
        _UD,
        _UD,
        _UD,
        _UD,
        Op("bt", "Ev,Ib"),
        Op("bts", "Ev,Ib", "L"),
        Op("btr", "Ev,Ib", "L"),
        Op("btc", "Ev,Ib", "L"),
    ),
    0x0FC7: (_UD, Op("cmpxchg8b", "Mq", "L"), _UD, _UD, _UD, _UD, _UD, _UD),
}
for _op, _spec in ((0x80, "Eb,Ib"), (0x81, "Ev,Iz"), (0x82, "Eb,Ib"), (0x83, "Ev,Ibs")):
    GROUPS[_op] = tuple(Op(m, _spec, "" if m == "cmp" else "L") for m in ALU)
for _op, _spec in (
    (0xC0, "Eb,Ib"),
    (0xC1, "Ev,Ib"),
    (0xD0, "Eb,1"),
    (0xD1, "Ev,1"),
    (0xD2, "Eb,CL"),
    (0xD3, "Ev,CL"),
):
    # /6 is an undocumented alias of SHL (/4); hardware executes it, capstone names it "sal".
    GROUPS[_op] = tuple(Op(m, _spec) for m in SHIFTS)


# -- the x87 escapes D8-DF (SDM vol. 2 Appendix A.4, tables) --
# X87_MEMORY[opcode][reg] for mod 0-2; X87_REGISTER[opcode][reg] for mod 3, an Op for the
# whole row (its STi is ModRM.rm) or a tuple of eight by ModRM.rm. Undefined slots are ESC.
# Rows the SDM leaves blank that the processor executes as an alias (as QEMU and the
# host processor do) are named by the instruction they alias: DC D0-DF FCOM/FCOMP,
# DD C8 and DF C8 FXCH, DE D0 FCOMP, D9 D8 and DF D0-DF FSTP; DF C0 is FFREEP.
_ARITH = ("add", "mul", "com", "comp", "sub", "subr", "div", "divr")
_E = ESC
_M = Op("esc", "M", "X")  # a memory slot: its address is decoded for the length


def _row(*names: str) -> tuple[Op, ...]:
    return tuple(Op(n) if n else _E for n in names)


# the register rows (opcode, ModRM.reg) that are such aliases
X87_ALIASES = frozenset(
    {(0xD9, 3), (0xDC, 2), (0xDC, 3), (0xDD, 1), (0xDE, 2), (0xDF, 0), (0xDF, 1), (0xDF, 2), (0xDF, 3)}
)

X87_MEMORY: dict[int, tuple[Op, ...]] = {
    0xD8: tuple(Op("f" + n, "Md") for n in _ARITH),
    0xDA: tuple(Op("fi" + n, "Md") for n in _ARITH),
    0xDC: tuple(Op("f" + n, "Mq") for n in _ARITH),
    0xDE: tuple(Op("fi" + n, "Mw") for n in _ARITH),
    0xD9: (
        Op("fld", "Md"),
        _M,
        Op("fst", "Md"),
        Op("fstp", "Md"),
        Op("fldenv", "Me"),
        Op("fldcw", "Mw"),
        Op("fnstenv", "Me"),
        Op("fnstcw", "Mw"),
    ),
    # /1 of DB, DD and DF is FISTTP, an SSE3 instruction: the model does not claim SSE3
    0xDB: (
        Op("fild", "Md"),
        _M,
        Op("fist", "Md"),
        Op("fistp", "Md"),
        _M,
        Op("fld", "Mt"),
        _M,
        Op("fstp", "Mt"),
    ),
    0xDD: (
        Op("fld", "Mq"),
        _M,
        Op("fst", "Mq"),
        Op("fstp", "Mq"),
        Op("frstor", "Mf"),
        _M,
        Op("fnsave", "Mf"),
        Op("fnstsw", "Mw"),
    ),
    0xDF: (
        Op("fild", "Mw"),
        _M,
        Op("fist", "Mw"),
        Op("fistp", "Mw"),
        Op("fbld", "Mt"),
        Op("fild", "Mq"),
        Op("fbstp", "Mt"),
        Op("fistp", "Mq"),
    ),
}
X87_REGISTER: dict[int, tuple] = {
    0xD8: tuple(Op("f" + n, "STi" if "com" in n else "ST,STi") for n in _ARITH),
    0xD9: (
        Op("fld", "STi"),
        Op("fxch", "STi"),
        _row("fnop", "", "", "", "", "", "", ""),
        Op("fstp", "STi"),
        _row("fchs", "fabs", "", "", "ftst", "fxam", "", ""),
        _row("fld1", "fldl2t", "fldl2e", "fldpi", "fldlg2", "fldln2", "fldz", ""),
        _row("f2xm1", "fyl2x", "fptan", "fpatan", "fxtract", "fprem1", "fdecstp", "fincstp"),
        _row("fprem", "fyl2xp1", "fsqrt", "fsincos", "frndint", "fscale", "fsin", "fcos"),
    ),
    0xDA: (
        Op("fcmovb", "ST,STi"),
        Op("fcmove", "ST,STi"),
        Op("fcmovbe", "ST,STi"),
        Op("fcmovu", "ST,STi"),
        _E,
        _row("", "fucompp", "", "", "", "", "", ""),
        _E,
        _E,
    ),
    0xDB: (
        Op("fcmovnb", "ST,STi"),
        Op("fcmovne", "ST,STi"),
        Op("fcmovnbe", "ST,STi"),
        Op("fcmovnu", "ST,STi"),
        # FENI and FDISI (8087) and FSETPM (80287) do nothing on later processors
        _row("fneni", "fndisi", "fnclex", "fninit", "fnsetpm", "", "", ""),
        Op("fucomi", "ST,STi"),
        Op("fcomi", "ST,STi"),
        _E,
    ),
    0xDC: tuple(
        Op("f" + n, "STi" if "com" in n else "STi,ST")
        for n in ("add", "mul", "com", "comp", "subr", "sub", "divr", "div")
    ),
    0xDD: (
        Op("ffree", "STi"),
        Op("fxch", "STi"),
        Op("fst", "STi"),
        Op("fstp", "STi"),
        Op("fucom", "STi"),
        Op("fucomp", "STi"),
        _E,
        _E,
    ),
    0xDE: (
        Op("faddp", "STi,ST"),
        Op("fmulp", "STi,ST"),
        Op("fcomp", "STi"),
        _row("", "fcompp", "", "", "", "", "", ""),
        Op("fsubrp", "STi,ST"),
        Op("fsubp", "STi,ST"),
        Op("fdivrp", "STi,ST"),
        Op("fdivp", "STi,ST"),
    ),
    0xDF: (
        Op("ffreep", "STi"),
        Op("fxch", "STi"),
        Op("fstp", "STi"),
        Op("fstp", "STi"),
        (Op("fnstsw", "AX"), _E, _E, _E, _E, _E, _E, _E),
        Op("fucomip", "ST,STi"),
        Op("fcomip", "ST,STi"),
        _E,
    ),
}
