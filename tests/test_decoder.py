"""refvmm.cpu.decoder: hand-checked SDM cases plus a differential test against capstone."""

from __future__ import annotations

import contextlib

import capstone
import pytest
from hypothesis import given
from hypothesis import strategies as st

from refvmm.cpu import CReg, DecodeError, DReg, FarPtr, Imm, Incomplete, Mem, Reg, Rel, SReg, decode
from refvmm.cpu.opcodes import GROUPS, ONE_BYTE, PREFIXED, PREFIXES, TWO_BYTE


def d(hexbytes: str, bits: int = 32):
    return decode(bytes.fromhex(hexbytes), bits)


def ud(hexbytes: str, bits: int = 32) -> None:
    with pytest.raises(DecodeError) as e:
        d(hexbytes, bits)
    assert e.value.vector == 6


# --- hand-written cases (expected values from SDM Vol. 2 ch. 2 and the instruction pages) -------------


def test_modrm16_bp_di_disp8():
    # 8B 43 FE: mod=01 reg=000 rm=011 -> [bp+di+disp8]; BP base defaults to SS (SDM Table 2-1).
    i = d("8b43fe", 16)
    assert (i.length, i.mnemonic, i.operand_size, i.address_size) == (3, "mov", 16, 16)
    assert i.operands == (Reg("ax", 16), Mem("ss", "bp", "di", 1, -2, 16, 16))


def test_modrm16_mod0_rm6_is_disp16():
    i = d("8b0e3412", 16)  # mov cx, [0x1234]: no base, DS
    assert i.length == 4
    assert i.operands[1] == Mem("ds", None, None, 1, 0x1234, 16, 16)


def test_sib_no_base():
    # 8B 04 8D disp32: SIB scale=4 index=ecx base=101 with mod=0 -> [ecx*4+disp32], no base.
    i = d("8b048d78563412")
    assert i.length == 7
    assert i.operands[1] == Mem("ds", None, "ecx", 4, 0x12345678, 32, 32)


def test_esp_base_needs_sib_and_defaults_to_ss():
    i = d("8b4c2404")  # mov ecx, [esp+4]; SIB index=100 means no index
    assert i.length == 4
    assert i.operands[1] == Mem("ss", "esp", None, 1, 4, 32, 32)


def test_67_switches_address_size():
    i = d("678b07")  # 32-bit code, 16-bit addressing: rm=7 -> [bx]
    assert (i.length, i.address_size) == (3, 16)
    assert i.operands[1] == Mem("ds", "bx", None, 1, 0, 32, 16)
    i = d("678b0578563412", 16)  # 16-bit code, 32-bit addressing: mod=0 rm=5 -> disp32
    assert (i.length, i.address_size) == (7, 32)
    assert i.operands[1] == Mem("ds", None, None, 1, 0x12345678, 16, 32)


def test_66_makes_iz_16_bits():
    i = d("6681c03412")  # add ax, 0x1234
    assert (i.length, i.operand_size) == (5, 16)
    assert i.operands == (Reg("ax", 16), Imm(0x1234, 16))
    assert d("83c0ff").operands[1] == Imm(0xFFFFFFFF, 32)  # Ibs is sign-extended to the operand size


def test_moffs_follows_address_size():
    assert d("a178563412").length == 5
    i = d("67a13412")  # moffs16 under 67 in 32-bit code
    assert i.length == 4
    assert i.operands == (Reg("eax", 32), Mem("ds", None, None, 1, 0x1234, 32, 16))
    i = d("64a23412", 16)
    assert i.operands[0] == Mem("fs", None, None, 1, 0x1234, 8, 16)


def test_enter_iw_ib():
    i = d("c8100001")
    assert (i.length, i.mnemonic, i.operands) == (4, "enter", (Imm(0x10, 16), Imm(1, 8)))


def test_far_jmp_ap_both_sizes():
    i = d("ea78563412cdab")
    assert (i.length, i.mnemonic, i.operands) == (7, "jmpf", (FarPtr(0xABCD, 0x12345678, 32),))
    i = d("ea3412cdab", 16)
    assert (i.length, i.operands) == (5, (FarPtr(0xABCD, 0x1234, 16),))
    assert d("66ea3412cdab").length == 6


def test_rel_branches():
    assert d("75fe").operands == (Rel(-2, 32),) and d("75fe").cond == 5
    i = d("66e8fcff")  # call rel16 in 32-bit code: 4 bytes, IP truncated to 16 bits
    assert (i.length, i.operands) == (4, (Rel(-4, 16),))
    assert d("0f8400000000").mnemonic == "je"
    assert d("e3fe", 16).mnemonic == "jcxz" and d("67e3fe", 16).mnemonic == "jecxz"


def test_fifteen_byte_limit():
    # Redundant prefixes are legal (a repeated 66 does not toggle back); only the total length is limited.
    assert d("66" * 11 + "81c03412").length == 15
    assert d("3e" * 14 + "90").length == 15
    with pytest.raises(DecodeError) as e:
        d("3e" * 15 + "90")
    assert e.value.vector == 13
    with pytest.raises(DecodeError) as e:
        d("66" * 12 + "81c03412")  # 16 bytes; #GP even though all bytes are present
    assert e.value.vector == 13


def test_incomplete():
    for code in ("", "66", "0f", "8b", "8b04", "8b0425", "e8000000"):
        with pytest.raises(Incomplete):
            d(code)


def test_lock():
    i = d("f00100")
    assert i.lock and i.mnemonic == "add"
    ud("f001c0")  # register destination
    ud("f08b00")  # MOV is not lockable
    ud("f03900")  # CMP is not lockable
    assert d("f00fc70e").mnemonic == "cmpxchg8b"


def test_memory_only_operands():
    ud("8dc0")  # LEA with mod=3
    ud("0f01d0")  # LGDT register form (mod=3) is not LGDT
    ud("c4c0")
    ud("0fc7c8")
    assert d("8d4c2404").operands[1].size is None


def test_ud2_decodes_and_group_holes():
    # UD2 is a defined opcode: the decoder returns it, executing it raises #UD.
    assert (d("0f0b").mnemonic, d("0f0b").length) == ("ud2", 2)
    ud("ffff")  # FF /7
    ud("fe10")  # FE /2
    ud("8f08")  # 8F /1
    ud("0fba00")  # 0F BA /0
    assert d("d6").mnemonic == "salc"  # reserved in the SDM's map, run by every processor


def test_bound_arpl_les():
    i = d("6204", 16)  # bound ax, [si]
    assert (i.mnemonic, i.operands[1].size) == ("bound", 32)
    assert d("6206").operands[1].size == 64
    ud("62c0")
    i = d("63c8")
    assert (i.mnemonic, i.operands) == ("arpl", (Reg("ax", 16), Reg("cx", 16)))
    assert d("c406").operands[1].size == 48


def test_system():
    i = d("0f20d8")
    assert (i.mnemonic, i.operand_size, i.operands[0]) == ("mov", 32, Reg("eax", 32))
    assert d("0f2200", 16).operands == (d("0f22c0").operands)  # mod is ignored for MOV CR
    ud("0f20c8")  # CR1
    ud("8ec8")  # MOV CS, r/m
    assert d("8ed8", 16).operands == (SReg("ds"), Reg("ax", 16))
    assert d("8cd8").operands == (Reg("eax", 32), SReg("ds"))
    assert d("8c18").operands[0].size == 16  # memory store is always 16 bits
    assert d("0f0118").mnemonic == "lidt" and d("0f0118").operands[0].size == 48
    for code, name in (("0fa2", "cpuid"), ("0f31", "rdtsc"), ("0f32", "rdmsr"), ("0f30", "wrmsr")):
        assert d(code).mnemonic == name
    assert d("0fc9").operands == (Reg("ecx", 32),) and d("0fc9").mnemonic == "bswap"


def test_strings_and_rep():
    i = d("f3a5", 16)
    assert (i.mnemonic, i.rep) == ("movsw", "rep")
    assert i.operands == (Mem("es", "di", None, 1, 0, 16, 16), Mem("ds", "si", None, 1, 0, 16, 16))
    assert d("26f2ae").operands[1].segment == "es" and d("26f2ae").rep == "repne"
    assert d("2ea4").operands[1].segment == "cs"  # only the source can be overridden
    assert d("f390").mnemonic == "pause"
    assert d("f30100").rep is None  # REP on a non-string instruction is ignored


def test_x87_escape_lengths():
    i = d("dd0500000000")
    assert (i.kind, i.length) == ("x87", 6)
    assert d("d9c0").length == 2


# --- differential test against capstone ----------------------------------------------------------------

_CS = {}
for _bits, _mode in ((16, capstone.CS_MODE_16), (32, capstone.CS_MODE_32)):
    _CS[_bits] = capstone.Cs(capstone.CS_ARCH_X86, _mode)
    _CS[_bits].detail = True

# Every mnemonic the decoder can produce, i.e. the covered set.
_TABLES = [
    *ONE_BYTE.values(),
    *TWO_BYTE.values(),
    *PREFIXED.values(),
    *(o for g in GROUPS.values() for o in g),
]
COVERED = {n for op in _TABLES if op and "X" not in op.flags for n in op.mnemonic.split("/") if n}

# Pure naming differences, capstone -> SDM (each checked by hand against capstone 5.0 output).
CAPSTONE_NAMES = {
    "pushal": "pushad",  # 60 in 32-bit code
    "popal": "popad",
    "pushaw": "pusha",  # 60 in 16-bit code
    "popaw": "popa",
    "lcall": "callf",  # 9A / FF /3 (SDM Table A-6 calls FF /3 "CALLF")
    "ljmp": "jmpf",
}
CAPSTONE_PREFIX_WORDS = {"rep", "repe", "repne", "lock", "xacquire", "xrelease", "bnd", "notrack"}
SKIP_GROUPS = {"fpu", "sse1", "sse2", "sse3", "ssse3", "sse41", "sse42", "mmx", "3dnow", "avx", "avx2", "vm"}


def known_capstone_error(code: bytes, bits: int, ours, cs) -> str | None:
    """Cases where capstone 5 is wrong by the Intel SDM; returns the reason, or None."""
    body = code.lstrip(bytes(PREFIXES))
    # SDM Vol. 2A LOCK: "An undefined opcode exception will also be generated if the LOCK prefix is used
    # with any instruction not in the above list" (or whose destination is not memory); capstone ignores it.
    if isinstance(ours, DecodeError) and ours.vector == 6 and 0xF0 in code[: len(code) - len(body)]:
        prefixes = code[: len(code) - len(body)].replace(b"\xf0", b"")
        with contextlib.suppress(DecodeError, Incomplete):
            decode(prefixes + body, bits)
            return "LOCK on a non-lockable instruction or register destination is #UD"
    # SDM Vol. 2B MOV, Protected Mode Exceptions: "#UD If attempt is made to load the CS register."
    if body[:1] == b"\x8e" and len(body) > 1 and (body[1] >> 3) & 7 == 1:
        return "MOV CS, r/m is #UD"
    # SDM Vol. 2B MOV (Control Registers): "#UD If an attempt is made to access CR1, CR5, CR6, or CR7."
    if body[:2] in (b"\x0f\x20", b"\x0f\x22") and len(body) > 2 and (body[2] >> 3) & 7 in (1, 5, 6, 7):
        return "MOV CR1/CR5-7 is #UD"
    # SDM Vol. 2B UD: "0F B9 /r UD1 r32, r/m32" has a ModRM byte; capstone decodes 0F B9 as 2 bytes.
    if body[:2] == b"\x0f\xb9":
        return "UD1 has a ModRM byte"
    # SDM Table A-6 names FF /3 and FF /5 CALLF/JMPF; capstone prints "call"/"jmp" for them in 32-bit mode.
    name = getattr(ours, "mnemonic", None)
    if name in ("callf", "jmpf") and ours.length == cs.size and name == capstone_name(cs) + "f":
        return "far indirect CALL/JMP with 32-bit operand size named as near"
    # SDM Vol. 2A CBW/CWDE, CWD/CDQ: with a 16-bit operand size the names are CBW and CWD
    # (capstone names 98/99 by the 32-bit form in 16-bit code).
    if getattr(ours, "mnemonic", None) in ("cbw", "cwd") and cs.mnemonic in ("cwde", "cdq"):
        return "98/99 named by the wrong operand size"
    return None


def capstone_name(cs) -> str:
    words = [w for w in cs.mnemonic.split() if w not in CAPSTONE_PREFIX_WORDS]
    name = words[-1] if words else cs.mnemonic
    return CAPSTONE_NAMES.get(name, name)


def reg_names(insn) -> list[str]:
    names = []
    for o in insn.operands:
        if isinstance(o, Reg | SReg):
            names.append(o.name)
        elif isinstance(o, CReg | DReg):
            names.append(("cr" if isinstance(o, CReg) else "dr") + str(o.number))
    return sorted(names)


_INTERESTING = sorted(ONE_BYTE) + [0x0F] * 40  # bias towards the two-byte map
_prefixes = st.lists(st.sampled_from(sorted(PREFIXES)), max_size=4).map(bytes)
_opcode = st.one_of(
    st.sampled_from(_INTERESTING).map(lambda b: bytes([b])),
    st.sampled_from(sorted(TWO_BYTE)).map(lambda b: bytes([0x0F, b])),
    st.binary(min_size=1, max_size=2),
)
_code = st.tuples(_prefixes, _opcode, st.binary(min_size=0, max_size=12)).map(b"".join)


@given(code=_code, bits=st.sampled_from((16, 32)))
def test_matches_capstone(code: bytes, bits: int):
    try:
        ours = decode(code, bits)
    except (DecodeError, Incomplete) as e:
        ours = e
    cs = next(_CS[bits].disasm(code, 0, 1), None)
    if cs is None:
        return
    name = capstone_name(cs)
    if name not in COVERED or SKIP_GROUPS & {cs.group_name(g) for g in cs.groups}:
        if ours.__class__.__name__ == "Instruction" and ours.kind == "x87" and name.startswith("f"):
            assert ours.length == cs.size, (code.hex(), cs.mnemonic, cs.op_str)
        return
    if known_capstone_error(code, bits, ours, cs):
        return
    assert not isinstance(ours, Exception), (code.hex(), bits, cs.mnemonic, cs.op_str, repr(ours))
    assert (ours.length, ours.mnemonic) == (cs.size, name), (code.hex(), bits, cs.mnemonic, cs.op_str, ours)
    if name == "nop":
        return  # hint NOPs: capstone shows the ignored ModRM.reg as a second register
    cs_regs = sorted(cs.reg_name(o.reg) for o in cs.operands if o.type == capstone.x86.X86_OP_REG)
    assert reg_names(ours) == cs_regs, (code.hex(), bits, cs.mnemonic, cs.op_str, ours)
