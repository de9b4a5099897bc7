"""The x87 arithmetic core against the host CPU's x87, bit for bit: results, exception
flags and condition codes, over operands drawn by class (zeros, denormals, pseudo-
denormals, the smallest and largest normals, infinities, NaNs, unsupported encodings,
halfway cases) in every rounding mode and precision control, with every exception masked
(an unmasked one would trap in the test process)."""

from __future__ import annotations

import pytest
import x87_host as host
from hypothesis import example, given
from hypothesis import strategies as st

from refvmm.cpu.x87 import arith, compare, constants, convert
from refvmm.cpu.x87.encoding import BIAS, C0, C1, C2, C3, EXCEPTIONS, INT_BIT, SF, pack

pytestmark = pytest.mark.skipif(not host.SUPPORTED, reason=host.REASON)

# --- operands by class ---
_EXPONENTS = st.one_of(
    st.sampled_from([0, 1, 2, 0x7FFE, 0x7FFD, 0x7FFF, BIAS, BIAS - 1, BIAS + 1, BIAS + 63, BIAS - 64]),
    # the edges of single and double: their smallest normals and denormals, their largest
    st.sampled_from([BIAS - 126, BIAS - 149, BIAS + 127, BIAS - 1022, BIAS - 1074, BIAS + 1023]).flatmap(
        lambda e: st.integers(e - 2, e + 2)
    ),
    st.integers(BIAS - 80, BIAS + 80),
    st.integers(0, 0x7FFF),
)
_SIGNIFICANDS = st.one_of(
    st.sampled_from([INT_BIT, INT_BIT | 1, (1 << 64) - 1, 0, 1, 1 << 62, 3 << 62, INT_BIT | 1 << 61]),
    # halfway and near-halfway for 24 and 53 bits
    st.builds(
        lambda top, low, k: INT_BIT | top << k | low,
        st.integers(0, 1 << 20),
        st.sampled_from([0, 1, (1 << 10) - 1, 1 << 10, 1 << 39, (1 << 39) - 1, (1 << 39) + 1]),
        st.sampled_from([40, 41, 11, 12]),
    ),
    # few significant bits: sums and products land on exact and halfway cases
    st.builds(lambda m, k: INT_BIT | m << (63 - k), st.integers(0, 255), st.integers(8, 63)),
    st.integers(INT_BIT, (1 << 64) - 1),
    st.integers(0, (1 << 64) - 1),
)
_SPECIAL = st.sampled_from(
    [
        pack(0, 0x7FFF, INT_BIT),  # infinity
        pack(1, 0x7FFF, 3 << 62),  # the real indefinite
        pack(0, 0x7FFF, INT_BIT | 1),  # an SNaN
        pack(0, 0x7FFF, 3 << 62 | 5),  # a QNaN
        pack(0, 0x7FFF, 0),  # a pseudo-infinity
        pack(0, 0x7FFF, 1 << 62),  # a pseudo-NaN
        pack(0, 0, INT_BIT | 1),  # a pseudo-denormal
        pack(0, 0x1234, 1 << 40),  # an unnormal
    ]
).flatmap(lambda x: st.sampled_from([x, x | 1 << 79]))
EXTENDED = st.one_of(
    st.builds(pack, st.integers(0, 1), _EXPONENTS, _SIGNIFICANDS),
    _SPECIAL,
    st.integers(0, (1 << 80) - 1),
)


@st.composite
def _pairs(draw):
    """Two operands; often with exponents close enough that rounding is exercised."""
    a = draw(EXTENDED)
    if draw(st.booleans()):
        e = (a >> 64 & 0x7FFF) + draw(st.integers(-70, 70))
        b = pack(draw(st.integers(0, 1)), min(max(e, 0), 0x7FFF), draw(_SIGNIFICANDS))
    else:
        b = draw(EXTENDED)
    return (a, b) if draw(st.booleans()) else (b, a)


PAIRS = _pairs()
# every exception masked; precision control 24, 53 and 64 bits (and the reserved 01);
# the four rounding modes
CONTROL = st.builds(lambda pc, rc: 0x7F | pc << 8 | rc << 10, st.integers(0, 3), st.integers(0, 3))

ARITH = EXCEPTIONS | SF | C1  # what an arithmetic instruction defines of the status word


def _t(x: int) -> bytes:
    return x.to_bytes(10, "little")


def _v(b: bytes) -> int:
    return int.from_bytes(b, "little")


def host_st0(body: str, cw: int, *operands: int) -> tuple[int, int]:
    """The status word and ST(0) after ``body``, with ST(0) = operands[0], ST(1) = ..."""
    loads = "".join(f"fld tbyte ptr [rdi + {16 * (i + 1)}];" for i in reversed(range(len(operands))))
    sw, out = host.run(loads + body, cw, *(_t(x) for x in operands))
    return sw, _v(out[0])


def _check(op: str, model, a: int, b: int, cw: int) -> None:
    sw, want = host_st0(f"{op} st(0), st(1)", cw, a, b)
    got, flags = model(a, b, cw)
    assert (hex(got), hex(flags & ARITH)) == (hex(want), hex(sw & ARITH)), (op, hex(a), hex(b), hex(cw))


@host.EXAMPLES
@given(PAIRS, CONTROL)
def test_add(ab, cw):
    _check("fadd", arith.add, *ab, cw)


@host.EXAMPLES
@given(PAIRS, CONTROL)
def test_sub(ab, cw):
    _check("fsub", arith.sub, *ab, cw)


@host.EXAMPLES
@given(PAIRS, CONTROL)
def test_subr(ab, cw):
    _check("fsubr", lambda a, b, cw: arith.sub(b, a, cw), *ab, cw)


@host.EXAMPLES
@given(PAIRS, CONTROL)
def test_mul(ab, cw):
    _check("fmul", arith.mul, *ab, cw)


@host.EXAMPLES
@given(PAIRS, CONTROL)
def test_div(ab, cw):
    _check("fdiv", arith.div, *ab, cw)


@host.EXAMPLES
@given(PAIRS, CONTROL)
def test_divr(ab, cw):
    _check("fdivr", lambda a, b, cw: arith.div(b, a, cw), *ab, cw)


def host_stack(body: str, cw: int, *operands: int) -> tuple[int, int, int, bytes]:
    """The status word, ST(0), ST(1) and the 16 bytes stored at offset 64 after ``body``."""
    loads = "".join(f"fld tbyte ptr [rdi + {16 * (i + 1)}];" for i in reversed(range(len(operands))))
    sw, out = host.run(loads + body, cw, *(_t(x) for x in operands))
    return sw, _v(out[0]), _v(out[1]), out[3]


def _same(got, want, context) -> None:
    got = tuple(hex(x) if isinstance(x, int) else x for x in got)
    want = tuple(hex(x) if isinstance(x, int) else x for x in want)
    assert got == want, tuple(hex(x) if isinstance(x, int) else x for x in context)


ALL_CC = C0 | C1 | C2 | C3


@host.EXAMPLES
@given(EXTENDED, CONTROL)
@example(pack(0, BIAS + 1, INT_BIT), 0x7F)  # sqrt(2)
def test_sqrt(a, cw):
    sw, want = host_st0("fsqrt", cw, a)
    got, flags = arith.sqrt(a, cw)
    _same((got, flags & ARITH), (want, sw & ARITH), (a, cw))


@host.EXAMPLES
@given(EXTENDED, CONTROL)
def test_rndint(a, cw):
    sw, want = host_st0("frndint", cw, a)
    got, flags = arith.round_to_integer(a, cw)
    _same((got, flags & ARITH), (want, sw & ARITH), (a, cw))


@pytest.mark.parametrize("op, nearest", [("fprem", False), ("fprem1", True)])
@host.EXAMPLES
@given(ab=PAIRS, cw=CONTROL)
def test_remainder(op, nearest, ab, cw):
    sw, want = host_st0(op, cw, *ab)
    got, flags = arith.remainder(*ab, cw, nearest=nearest)
    _same((got, flags & (ARITH | ALL_CC)), (want, sw & (ARITH | ALL_CC)), (*ab, cw))


@host.EXAMPLES
@given(PAIRS, CONTROL)
def test_scale(ab, cw):
    sw, want = host_st0("fscale", cw, *ab)
    got, flags = arith.scale(*ab, cw)
    _same((got, flags & ARITH), (want, sw & ARITH), (*ab, cw))


@host.EXAMPLES
@given(EXTENDED, CONTROL)
def test_extract(a, cw):
    sw, significand, exponent, _ = host_stack("fxtract", cw, a)
    got, flags = arith.extract(a, cw)
    _same((*got, flags & ARITH), (exponent, significand, sw & ARITH), (a, cw))


@pytest.mark.parametrize("op, quiet", [("fcom", False), ("fucom", True)])
@host.EXAMPLES
@given(ab=PAIRS, cw=CONTROL)
def test_compare(op, quiet, ab, cw):
    sw, *_ = host_stack(f"{op} st(1)", cw, *ab)
    cc, flags = compare.compare(*ab, cw, quiet=quiet)
    _same(((cc | flags) & (ARITH | ALL_CC),), (sw & (ARITH | ALL_CC),), (*ab, cw))


@pytest.mark.parametrize("op, quiet", [("fcomi", False), ("fucomi", True)])
@host.EXAMPLES
@given(ab=PAIRS)
def test_compare_eflags(op, quiet, ab):
    sw, _, _, mem = host_stack(f"{op} st(0), st(1); pushfq; pop rax; mov [rsi + 64], rax", 0x37F, *ab)
    cc, flags = compare.compare(*ab, 0x37F, quiet=quiet)
    want = (int.from_bytes(mem[:8], "little") & 0x8D5, sw & ARITH)  # OF SF ZF AF PF CF
    _same((compare.eflags_of(cc), flags & ARITH), want, ab)


@host.EXAMPLES
@given(EXTENDED, CONTROL)
def test_tst_and_xam(a, cw):
    sw, *_ = host_stack("ftst", cw, a)
    cc, flags = compare.test(a, cw)
    _same(((cc | flags) & (ARITH | ALL_CC),), (sw & (ARITH | ALL_CC),), (a, cw))
    sw, *_ = host_stack("fxam", cw, a)
    _same((compare.examine(a),), (sw & ALL_CC,), (a,))


def test_xam_empty():
    sw, *_ = host_stack("fxam", 0x37F)
    assert sw & (C3 | C2 | C0) == compare.examine(0, empty=True) & (C3 | C2 | C0)


@host.EXAMPLES
@given(EXTENDED)
def test_chs_abs(a):
    for op, model in (("fchs", compare.negate), ("fabs", compare.absolute)):
        sw, want = host_st0(op, 0x37F, a)
        _same((model(a), sw & ARITH), (want, 0), (a,))


# --- loads and stores ---
def _ieee(width: int, frac_bits: int):
    """Single or double reals by class: every exponent edge, NaNs of both kinds."""
    top = (1 << (width - 1 - frac_bits)) - 1
    return st.builds(
        lambda s, e, f: s << (width - 1) | e << frac_bits | f,
        st.integers(0, 1),
        st.one_of(st.sampled_from([0, 1, 2, top - 1, top]), st.integers(0, top)),
        st.one_of(
            st.sampled_from([0, 1, 1 << (frac_bits - 1), (1 << frac_bits) - 1, 1 << (frac_bits - 2)]),
            st.integers(0, (1 << frac_bits) - 1),
        ),
    )


_MEM = {32: ("dword", _ieee(32, 23)), 64: ("qword", _ieee(64, 52))}
STORE = EXCEPTIONS | SF | C1


@pytest.mark.parametrize("width", [32, 64])
@host.EXAMPLES
@given(data=st.data(), cw=CONTROL)
def test_load_real(width, data, cw):
    size, values = _MEM[width]
    bits = data.draw(values)
    sw, out = host.run(f"fld {size} ptr [rdi + 16]", cw, bits.to_bytes(width // 8, "little"))
    got, flags = convert.load_real(bits, width, cw)
    _same((got, flags & STORE), (_v(out[0]), sw & STORE), (bits, cw))


@pytest.mark.parametrize("width", [32, 64])
@host.EXAMPLES
@given(a=EXTENDED, cw=CONTROL)
def test_store_real(width, a, cw):
    size, _ = _MEM[width]
    sw, _, _, mem = host_stack(f"fst {size} ptr [rsi + 64]", cw, a)
    got, flags = convert.store_real(a, width, cw)
    _same((got, flags & STORE), (_v(mem[: width // 8]), sw & STORE), (a, cw))


_INT = {16: "word", 32: "dword", 64: "qword"}


@pytest.mark.parametrize("width", [16, 32, 64])
@host.EXAMPLES
@given(data=st.data())
def test_load_integer(width, data):
    n = data.draw(st.one_of(st.integers(0, (1 << width) - 1), st.sampled_from([0, 1, 1 << (width - 1)])))
    sw, out = host.run(f"fild {_INT[width]} ptr [rdi + 16]", 0x37F, n.to_bytes(width // 8, "little"))
    _same((convert.load_integer(n, width), 0), (_v(out[0]), sw & STORE), (n,))


# integers: values near the range of each width, and halfway cases
_NEAR_INT = st.builds(
    lambda s, e, m: pack(s, e, m),
    st.integers(0, 1),
    st.integers(BIAS - 3, BIAS + 66),
    st.one_of(_SIGNIFICANDS, st.sampled_from([INT_BIT, (1 << 64) - 1, INT_BIT | 1 << 62, 3 << 62])),
)


@pytest.mark.parametrize("width", [16, 32, 64])
@pytest.mark.parametrize("op", ["fist", "fisttp"])
@host.EXAMPLES
@given(a=st.one_of(EXTENDED, _NEAR_INT), cw=CONTROL)
def test_store_integer(width, op, a, cw):
    if op == "fist" and width == 64:
        op = "fistp"  # there is no FIST m64
    sw, _, _, mem = host_stack(f"{op} {_INT[width]} ptr [rsi + 64]", cw, a)
    got, flags = convert.store_integer(a, width, cw, truncate=op == "fisttp")
    _same((got, flags & STORE), (_v(mem[: width // 8]), sw & STORE), (a, cw))


_BCD = st.builds(
    lambda s, digits: s << 79 | int(digits, 16),
    st.integers(0, 1),
    st.text("0123456789", min_size=1, max_size=18),
)


@host.EXAMPLES
@given(_BCD)
def test_load_bcd(bits):
    sw, out = host.run("fbld tbyte ptr [rdi + 16]", 0x37F, _t(bits))
    _same((convert.load_bcd(bits), 0), (_v(out[0]), sw & STORE), (bits,))


@host.EXAMPLES
@given(a=st.one_of(EXTENDED, _NEAR_INT), cw=CONTROL)
def test_store_bcd(a, cw):
    sw, _, _, mem = host_stack("fbstp tbyte ptr [rsi + 64]", cw, a)
    got, flags = convert.store_bcd(a, cw)
    _same((got, flags & STORE), (_v(mem[:10]), sw & STORE), (a, cw))


@pytest.mark.parametrize("name", ["one", "zero", "pi", "l2t", "l2e", "lg2", "ln2"])
@pytest.mark.parametrize("rc", range(4))
def test_constants(name, rc):
    cw = 0x37F | rc << 10
    sw, want = host_st0("fld1" if name == "one" else f"fld{name[:1] if name == 'zero' else name}", cw)
    _same((constants.load_constant(name, cw), 0), (want, sw & STORE), (rc,))
