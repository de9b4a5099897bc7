"""x87 operand sweeps: each arithmetic, square root, rounding and store form on operands
drawn by class (signed zeros, denormals, the smallest and largest normals of each
precision, halfway cases of each precision, infinities, quiet and signalling NaNs,
random normals), under every rounding control and precision control, exceptions
masked.

A program loads its operands as extended reals, runs one instruction, and stores the
result (an extended real, or the stored bits of FST/FIST/FBSTP) and, for a comparison,
the condition codes C0, C2 and C3 (and FXAM's C1, the sign; the SDM leaves C0, C2 and
C3 undefined after the others), then ends with FNINIT. The exception flags and the
rounded-up bit C1 are not kept: the
reference oracle, Unicorn, raises almost none of them (``conformance/divergences.toml``
shows it against the host processor), so this corpus compares values and condition
codes, and ``tests/test_x87_arith.py`` holds the flags to the host processor's bit for
bit. The unsupported encodings (pseudo-NaN, pseudo-infinity, unnormal), which Unicorn
does not recognise, are left to that test and to guest_tests/x87 for the same reason,
as is FPREM, which Unicorn computes in the host's double precision."""

from __future__ import annotations

import random

VERSION = 1
COUNT = 440  # 20 programs an operation
DATA = 0x18000
OUT = 0x18100
BIAS = 16383

BINARY = ("fadd", "fsub", "fsubr", "fmul", "fdiv", "fdivr")
UNARY = ("fsqrt", "frndint", "fscale", "fxtract", "fchs", "fabs")
STORES = (
    "fst dword ptr",
    "fst qword ptr",
    "fist word ptr",
    "fist dword ptr",
    "fistp qword ptr",
    "fbstp tbyte ptr",
)
COMPARES = ("fcom st(1)", "fucom st(1)", "ftst", "fxam")
OPS = BINARY + UNARY + STORES + COMPARES


def _real(sign: int, exponent: int, significand: int) -> int:
    return sign << 79 | exponent << 64 | significand


def _normal(rng: random.Random, exponent: int) -> int:
    return _real(rng.getrandbits(1), exponent, 1 << 63 | rng.getrandbits(63))


def _operand(rng: random.Random) -> int:
    """An extended real of a class drawn at random."""
    sign = rng.getrandbits(1)
    kind = rng.randrange(11)
    if kind == 0:  # zero
        return _real(sign, 0, 0)
    if kind == 1:  # an extended denormal
        return _real(sign, 0, rng.getrandbits(rng.randrange(1, 63)) | 1)
    if kind == 2:  # the smallest normal of each precision's range, or of the format
        exponent = rng.choice((1, BIAS - 126, BIAS - 1022))
        return _real(sign, exponent, 1 << 63)
    if kind == 3:  # the largest finite value at 24, 53 or 64 bits
        bits = rng.choice((24, 53, 64))
        exponent = rng.choice((0x7FFE, BIAS + 127, BIAS + 1023))
        return _real(sign, exponent, ((1 << bits) - 1) << (64 - bits))
    if kind == 4:  # a halfway case of 24, 53 or 64 bits (and its neighbours)
        bits = rng.choice((24, 53, 64))
        half = 1 << (63 - bits) if bits < 64 else 0
        significand = 1 << 63 | rng.getrandbits(63) & ~((1 << (64 - bits)) - 1) | half
        significand += rng.choice((0, 0, 1, -1)) if bits < 64 else 0
        return _real(sign, BIAS + rng.randrange(-8, 8), significand & ((1 << 64) - 1) | 1 << 63)
    if kind == 5:  # an infinity
        return _real(sign, 0x7FFF, 1 << 63)
    if kind == 6:  # a quiet NaN, or the indefinite
        return _real(sign, 0x7FFF, 3 << 62 | rng.getrandbits(62) * rng.getrandbits(1))
    if kind == 7:  # a signalling NaN
        return _real(sign, 0x7FFF, 1 << 63 | rng.getrandbits(61) | 1)
    if kind == 8:  # near an integer: for FRNDINT, FIST, FBSTP
        n = rng.choice((0, 1, 2, 3, 0x7FFF, 0x8000, 0x7FFFFFFF, 10**18 - 1, 10**18, 2**63 - 1))
        n = max(n, 1)
        top = n.bit_length() - 1
        significand = (n << (63 - top)) + rng.choice((0, 1 << (62 - top) if top < 62 else 0, -1))
        return _real(sign, BIAS + top, significand & ((1 << 64) - 1) | 1 << 63)
    return _normal(rng, BIAS + rng.randrange(-70, 70))  # an ordinary normal


def _tbyte(value: int) -> str:
    return " ".join(f"{value >> (16 * i) & 0xFFFF:#06x}" for i in range(5))


def program(seed: int) -> str:
    rng = random.Random(seed)
    op = OPS[seed % len(OPS)]
    rc, pc = rng.randrange(4), rng.choice((0, 2, 3))
    cw = 0x003F | pc << 8 | rc << 10  # every exception masked
    a, b = _operand(rng), _operand(rng)
    if op == "fscale":  # a scale of a size that lands near the range's ends or inside it
        b = _real(rng.getrandbits(1), BIAS + rng.randrange(0, 15), 1 << 63 | rng.getrandbits(63))
    lines = [
        "; mode: pm32",
        f"; data: {DATA:#x} dw {cw:#06x}",
        f"; data: {DATA + 0x10:#x} dw {_tbyte(a)}",
        f"; data: {DATA + 0x20:#x} dw {_tbyte(b)}",
        f"; compare: {OUT:#x} 32",
        "    fninit",
        f"    fldcw word ptr [{DATA:#x}]",
        f"    fld tbyte ptr [{DATA + 0x20:#x}]",
        f"    fld tbyte ptr [{DATA + 0x10:#x}]",
    ]
    if op in BINARY:
        lines.append(f"    {op} st(0), st(1)")
    elif op in STORES:
        lines.append(f"    {op} [{OUT + 0x10:#x}]")
    else:
        lines.append(f"    {op}")
    if op in COMPARES:  # C3 C2 C0 (the other instructions leave them undefined), FXAM's sign in C1
        codes = 0x4700 if op == "fxam" else 0x4500
        lines += ["    fnstsw ax", f"    and ax, {codes:#x}", f"    mov [{OUT + 0x1C:#x}], ax"]
    lines += [f"    fstp tbyte ptr [{OUT:#x}]", "    fninit"]
    return "\n".join(lines) + "\n"
