"""x87 cases worked by hand from the SDM, and the unmasked responses the host cannot show
(an unmasked exception would trap in the test process)."""

from __future__ import annotations

import pytest

from refvmm.cpu.x87 import arith, compare, constants, convert
from refvmm.cpu.x87.encoding import (
    C0,
    C1,
    C2,
    C3,
    DE,
    IE,
    INDEFINITE,
    INT_BIT,
    OE,
    ONE,
    PE,
    POS_INF,
    PSEUDO_DENORMAL,
    PSEUDO_INFINITY,
    PSEUDO_NAN,
    UE,
    UNNORMAL,
    ZE,
    classify,
    pack,
)

MASKED = 0x7F
THREE = pack(0, 0x4000, 3 << 62)


def cw(pc: int = 3, rc: int = 0, masks: int = 0x3F) -> int:
    return 0x40 | masks | pc << 8 | rc << 10


# 1/3 = 1.0101...b * 2**-2: the bit after p bits is 1 for p even (24, 64), 0 for p odd (53)
@pytest.mark.parametrize(
    "pc, rc, significand, flags",
    [
        (3, 0, 0xAAAAAAAAAAAAAAAB, PE | C1),
        (3, 1, 0xAAAAAAAAAAAAAAAA, PE),
        (3, 2, 0xAAAAAAAAAAAAAAAB, PE | C1),
        (3, 3, 0xAAAAAAAAAAAAAAAA, PE),
        (2, 0, 0xAAAAAAAAAAAAA800, PE),
        (2, 1, 0xAAAAAAAAAAAAA800, PE),
        (2, 2, 0xAAAAAAAAAAAAB000, PE | C1),
        (2, 3, 0xAAAAAAAAAAAAA800, PE),
        (0, 0, 0xAAAAAB0000000000, PE | C1),
        (0, 1, 0xAAAAAA0000000000, PE),
        (0, 2, 0xAAAAAB0000000000, PE | C1),
        (0, 3, 0xAAAAAA0000000000, PE),
    ],
)
def test_one_third(pc, rc, significand, flags):
    assert arith.div(ONE, THREE, cw(pc, rc)) == (pack(0, 0x3FFD, significand), flags)


def test_sqrt_two():
    two = pack(0, 0x4000, INT_BIT)
    # sqrt(2) = 1.6A09E667F3BCC908B2FB...h: the 64 bits B504F333F9DE6484, then 0101...
    assert arith.sqrt(two, cw()) == (pack(0, 0x3FFF, 0xB504F333F9DE6484), PE)
    assert arith.sqrt(two, cw(rc=2)) == (pack(0, 0x3FFF, 0xB504F333F9DE6485), PE | C1)


@pytest.mark.parametrize("rc, last", [(0, 0x35), (1, 0x34), (2, 0x35), (3, 0x34)])
def test_fldpi(rc, last):
    # pi = C90FDAA22168C234 C4C6...h: nearest and up round up, down and chop truncate
    assert constants.load_constant("pi", cw(rc=rc)) == pack(0, 0x4000, 0xC90FDAA22168C200 | last)


def test_overflow():
    big, four = pack(0, 0x7FFE, INT_BIT), pack(0, 0x4001, INT_BIT)
    assert arith.mul(big, four, cw()) == (POS_INF, OE | PE | C1)
    assert arith.mul(big, four, cw(rc=3)) == (pack(0, 0x7FFE, (1 << 64) - 1), OE | PE)
    assert arith.mul(big, four, cw(pc=0, rc=1)) == (pack(0, 0x7FFE, 0xFFFFFF << 40), OE | PE)
    # unmasked: the exponent is reduced by 24576 (SDM vol. 1 4.9.1.4)
    assert arith.mul(big, four, cw(masks=0x37)) == (pack(0, 0x7FFE + 2 - 24576, INT_BIT), OE)
    # a store to memory is not done
    assert convert.store_real(big, 32, cw(masks=0x37)) == (None, OE)
    assert convert.store_real(big, 32, cw()) == (0x7F800000, OE | PE | C1)


def test_underflow():
    tiny, quarter = pack(0, 1, INT_BIT), pack(0, 0x3FFD, INT_BIT)
    # exact and tiny: masked, no flag at all; the result denormal
    assert arith.mul(tiny, quarter, cw()) == (pack(0, 0, 1 << 61), 0)
    # unmasked: UE, and the exponent raised by 24576 (SDM vol. 1 4.9.1.5)
    assert arith.mul(tiny, quarter, cw(masks=0x2F)) == (pack(0, 1 - 2 + 24576, INT_BIT), UE)
    # tiny and inexact: UE and PE (and DE: the operand is a denormal); 5 * 2**-16446 lies
    # halfway between the denormals 2 and 3 (in units of 2**-16445) and rounds to even
    five_tiny, half = pack(0, 0, 5), pack(0, 0x3FFE, INT_BIT)
    assert arith.mul(five_tiny, half, cw()) == (pack(0, 0, 2), DE | UE | PE)
    assert arith.mul(five_tiny, half, cw(rc=2)) == (pack(0, 0, 3), DE | UE | PE | C1)
    # a denormal operand raises DE
    assert arith.mul(five_tiny, ONE, cw()) == (five_tiny, DE)


def test_unmasked_invalid_zero_divide_denormal_write_nothing():
    minus_one = ONE | 1 << 79
    assert arith.sqrt(minus_one, cw()) == (INDEFINITE, IE)
    assert arith.sqrt(minus_one, cw(masks=0x3E)) == (None, IE)
    assert arith.div(ONE, 0, cw(masks=0x3B)) == (None, ZE)
    assert arith.div(ONE, 0, cw()) == (POS_INF, ZE)
    assert arith.add(pack(0, 0, 1), ONE, cw(masks=0x3D)) == (None, DE)


def test_nan_propagation():
    snan, qnan = pack(0, 0x7FFF, INT_BIT | 5), pack(0, 0x7FFF, 3 << 62 | 1)
    big_snan = pack(1, 0x7FFF, INT_BIT | 7)
    assert arith.add(snan, qnan, cw()) == (qnan, IE)  # the QNaN source (SDM table 4-7)
    assert arith.add(snan, big_snan, cw()) == (big_snan | 1 << 62, IE)  # larger significand
    assert arith.mul(snan, ONE, cw()) == (snan | 1 << 62, IE)  # quietened
    assert arith.mul(qnan, ONE, cw()) == (qnan, 0)
    assert arith.add(POS_INF, POS_INF | 1 << 79, cw()) == (INDEFINITE, IE)


def test_unsupported_encodings():
    unnormal, pseudo_nan = pack(0, 0x4000, 1 << 62), pack(0, 0x7FFF, 1)
    pseudo_inf, pseudo_denormal = pack(0, 0x7FFF, 0), pack(0, 0, INT_BIT)
    assert [classify(x) for x in (unnormal, pseudo_nan, pseudo_inf, pseudo_denormal)] == [
        UNNORMAL,
        PSEUDO_NAN,
        PSEUDO_INFINITY,
        PSEUDO_DENORMAL,
    ]
    for x in (unnormal, pseudo_nan, pseudo_inf):
        assert arith.add(x, ONE, cw()) == (INDEFINITE, IE)
        assert compare.examine(x) == 0
    # a pseudo-denormal is an operand like the normal of exponent 1, with DE
    assert arith.mul(pseudo_denormal, ONE, cw()) == (pack(0, 1, INT_BIT), DE)


def test_remainders():
    five = pack(0, 0x4001, 5 << 61)
    # 5 = 1 * 3 + 2 (C1 = Q0); 5 = 2 * 3 - 1 nearest (C3 = Q1)
    assert arith.remainder(five, THREE, cw()) == (pack(0, 0x4000, INT_BIT), C1)
    assert arith.remainder(five, THREE, cw(), nearest=True) == (pack(1, 0x3FFF, INT_BIT), C3)
    # exponents 64 apart: a partial remainder, C2 set
    huge = pack(0, 0x3FFF + 64, INT_BIT)
    assert arith.remainder(huge, ONE, cw())[1] & C2


def test_compare_codes():
    assert compare.compare(ONE, THREE, cw()) == (C0, 0)
    assert compare.compare(THREE, ONE, cw()) == (0, 0)
    assert compare.compare(0, 1 << 79, cw()) == (C3, 0)  # +0 = -0
    qnan = pack(0, 0x7FFF, 3 << 62)
    assert compare.compare(qnan, ONE, cw()) == (C3 | C2 | C0, IE)  # ordered: invalid
    assert compare.compare(qnan, ONE, cw(), quiet=True) == (C3 | C2 | C0, 0)
    assert compare.compare(qnan, ONE, cw(masks=0x3E)) == (C3 | C2 | C0, IE)


def test_integer_and_bcd_stores():
    assert convert.store_integer(pack(0, 0x3FFF + 15, INT_BIT), 16, cw()) == (0x8000, IE)  # 32768
    assert convert.store_integer(pack(1, 0x3FFF + 15, INT_BIT), 16, cw()) == (0x8000, 0)  # -32768
    half = pack(0, 0x3FFE, INT_BIT)  # 0.5 rounds to even 0; up to 1 with C1
    assert convert.store_integer(half, 32, cw()) == (0, PE)
    assert convert.store_integer(half, 32, cw(rc=2)) == (1, PE | C1)
    assert convert.store_integer(pack(0, 0x3FFF, 3 << 62), 32, cw(), truncate=True) == (1, PE)  # 1.5
    assert convert.store_bcd(convert.load_integer(10**18 - 1, 64), cw()) == (0x999999999999999999, 0)
    assert convert.store_bcd(convert.load_integer(10**18, 64), cw()) == (convert.BCD_INDEFINITE, IE)
    assert convert.load_bcd(1 << 79 | 0x1234) == convert.load_integer(-1234 & (1 << 64) - 1, 64)


def test_massive_scale():
    # FSCALE beyond even the biased range: a signed infinity or zero (SDM vol. 1 8.5.4)
    far = pack(0, 0x3FFF + 20, INT_BIT)  # 2**20
    assert arith.scale(ONE, far, cw(masks=0x37)) == (POS_INF, OE | PE | C1)
    assert arith.scale(ONE | 1 << 79, far | 1 << 79, cw(masks=0x2F)) == (1 << 79, UE | PE)
    assert arith.scale(ONE, pack(0, 0x3FFF + 14, INT_BIT | 1 << 62), cw(masks=0x37)) == (
        pack(0, 0x3FFF + 24576 - 24576, INT_BIT),
        OE,
    )
