"""One encoding of each instruction form the opcode maps can decode, for tests that
specialise or compile every template.

Every opcode of ``refvmm.cpu.opcodes`` (one-byte, two-byte, mandatory-prefix and
ModRM group entries) is encoded with each prefix set below and, where it takes a
ModRM byte, with ModRM bytes that cover every ``reg`` field with the register form
and a memory form (for the x87 escapes, every register-form ModRM byte), in 16- and
32-bit code. The bytes after the ModRM byte (SIB,
displacement, immediate) are fixed filler.
"""

from __future__ import annotations

from collections.abc import Iterator

from refvmm.cpu.decoder import DecodeError, Imm, Instruction, Mem, Reg, decode
from refvmm.cpu.opcodes import ONE_BYTE, PREFIXED, TWO_BYTE

HIGH_BYTE = frozenset(("ah", "ch", "dh", "bh"))
FILLER = bytes(range(0x11, 0x21))
# none; operand size; address size; both with a segment override; REP, REPNE (string
# forms only); LOCK (memory forms only)
PREFIX_SETS = ((), (0x66,), (0x67,), (0x66, 0x67, 0x64), (0xF3,), (0xF2,), (0xF0,))
# For each reg field: the register form, with r/m = 7 - reg (so AL..BL and AH..BH both
# appear), and one memory form: a base, SIB, displacement only, EBP/BP (SS) with disp8
# or disp16/32, in 32-bit and 16-bit addressing.
_MEMORY = ((0, 0), (0, 4), (0, 5), (1, 5), (2, 6), (0, 6), (1, 2), (2, 7))  # (mod, r/m) by reg
MODRMS = tuple(
    bytes([mod << 6 | reg << 3 | rm]) for reg in range(8) for mod, rm in ((3, 7 - reg), _MEMORY[reg])
)
# the x87 escapes D8-DF name an instruction by the whole register-form ModRM byte
X87_MODRMS = MODRMS + tuple(bytes([0xC0 | n]) for n in range(64))


def _takes_modrm(opcode: bytes) -> bool:
    try:
        return decode(opcode + FILLER, 32).modrm is not None
    except DecodeError:  # a byte after the opcode that is a ModRM byte, and a bad one for it
        return True


def opcodes() -> Iterator[tuple[bytes, bool]]:
    """(opcode bytes with any mandatory prefix, whether a ModRM byte follows)."""
    for table, escape in ((ONE_BYTE, b""), (TWO_BYTE, b"\x0f")):
        for byte in sorted(table):
            yield escape + bytes([byte]), _takes_modrm(escape + bytes([byte]))
    for prefix, byte in sorted(PREFIXED):
        yield bytes([prefix, byte]), _takes_modrm(bytes([prefix, byte]))


def signature(ins: Instruction) -> tuple:
    """What a template's specialisation depends on, without the values that only change
    numbers in it (which register of a size, displacement, immediate): instructions
    with one signature specialise alike."""
    ops = tuple(
        ("Mem", op.segment, op.base is None, op.index is None, op.size, op.address_size)
        if isinstance(op, Mem)
        else ("Reg", op.size, op.name in HIGH_BYTE)
        if isinstance(op, Reg)
        else ("Imm", op.size)
        if isinstance(op, Imm)
        else op
        for op in ins.operands
    )
    return (ins.mnemonic, ins.cond, ins.operand_size, ins.address_size, ins.segment, ins.rep, ops)


def forms() -> Iterator[tuple[Instruction, int]]:
    """(decoded instruction, code size) for one instance of each decodable form."""
    seen = set()
    for code_bits in (16, 32):
        for opcode, modrm in opcodes():
            for prefixes in PREFIX_SETS:
                x87 = len(opcode) == 1 and 0xD8 <= opcode[0] <= 0xDF
                for tail in (X87_MODRMS if x87 else MODRMS) if modrm else (b"",):
                    try:
                        ins = decode(bytes(prefixes) + opcode + tail + FILLER, code_bits)
                    except DecodeError:
                        continue
                    key = (signature(ins), code_bits)
                    if key not in seen:
                        seen.add(key)
                        yield ins, code_bits
