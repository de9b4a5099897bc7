"""Operand sweeps: every ALU, shift/rotate and multiply/divide form at 8, 16 and 32
bits, register, memory and immediate operands, with values drawn to hit the edges
(0, 1, sign boundaries, carries out of bits 3/7/15/31, counts 0/1/width/above)."""

from __future__ import annotations

import random

VERSION = 1
COUNT = 4000
DATA = 0x18000

BINARY = ("add", "adc", "sub", "sbb", "and", "or", "xor", "cmp", "test")
UNARY = ("inc", "dec", "neg", "not")
SHIFTS = ("shl", "shr", "sar", "rol", "ror", "rcl", "rcr")
MULDIV = ("mul", "imul", "div", "idiv")
SIZES = (8, 16, 32)
PTR = {8: "byte", 16: "word", 32: "dword"}
REGS = {
    8: ("al", "bl", "dl", "ah", "bh", "dh"),
    16: ("ax", "bx", "dx", "si", "di", "bp"),
    32: ("eax", "ebx", "edx", "esi", "edi", "ebp"),
}
EDGES = (0, 1, 2, 7, 8, 9, 0xF, 0x10, 0x7F, 0x80, 0x81, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000,
         0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFFFFFE, 0xFFFFFFFF)  # fmt: skip

COMBOS = (
    [(op, size, form) for op in BINARY for size in SIZES for form in ("rr", "ri", "mr", "rm", "mi")]
    + [(op, size, form) for op in UNARY for size in SIZES for form in ("r", "m")]
    + [(op, size, form) for op in SHIFTS for size in SIZES for form in ("ri", "rc", "mi", "mc")]
    + [(op, size, form) for op in MULDIV for size in SIZES for form in ("r", "m")]
)


def _value(rng: random.Random, bits: int = 32) -> int:
    v = rng.choice(EDGES) if rng.random() < 0.6 else rng.getrandbits(32)
    if rng.random() < 0.3:
        v = (v + rng.choice((-1, 1))) & 0xFFFFFFFF
    return v & ((1 << bits) - 1) if bits < 32 else v


def program(seed: int) -> str:
    rng = random.Random(seed)
    op, size, form = COMBOS[seed % len(COMBOS)]
    regs = dict(zip(("eax", "ebx", "ecx", "edx", "esi", "edi", "ebp"), (_value(rng) for _ in range(7))))
    dst, src = rng.sample(REGS[size], 2)
    mem = f"{PTR[size]} ptr [{DATA:#x}]"
    if op in SHIFTS:
        count = rng.choice((0, 1, 2, size - 1, size, size + 1, 31, 32, 33, rng.randrange(64)))
        target = dst if form[0] == "r" else mem
        if form[1] == "c":
            regs["ecx"] = (regs["ecx"] & ~0xFF) | count
            body = f"{op} {target}, cl"
        else:
            body = f"{op} {target}, {count & 0xFF}"
    elif op in BINARY:
        imm = _value(rng, size)
        body = {
            "rr": f"{op} {dst}, {src}",
            "ri": f"{op} {dst}, {imm:#x}",
            "mr": f"{op} {mem}, {src}",
            "rm": f"{op} {dst}, {mem}",
            "mi": f"{op} {mem}, {imm:#x}",
        }[form]
    else:  # unary, multiply and divide: one operand
        body = f"{op} {src if form == 'r' else mem}"
    carry = "stc" if rng.random() < 0.5 else "clc"
    lines = [
        "; mode: pm32",
        "; regs: " + " ".join(f"{k}={v:#x}" for k, v in regs.items()),
        f"; data: {DATA:#x} dd {_value(rng):#x}",
        f"; compare: {DATA:#x} 4",
        f"    {carry}",
        f"    {body}",
    ]
    return "\n".join(lines) + "\n"


assert len(COMBOS) == len(set(COMBOS)) and len(COMBOS) < COUNT, "every form is generated"
