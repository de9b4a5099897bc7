"""The unmasked responses of the x87 core against the host processor: the operation runs
with some exceptions unmasked and FNSAVE stores the state before the exception is taken,
so the register or memory destination shows what the processor wrote (the biased result
of an unmasked OE or UE; nothing for IE, ZE, DE, or a store to memory)."""

from __future__ import annotations

import pytest
import x87_host as host
from hypothesis import given
from hypothesis import strategies as st
from test_x87_arith import _MEM, _NEAR_INT, ALL_CC, EXTENDED, PAIRS, _same, _t

from refvmm.cpu.x87 import arith, compare, convert
from refvmm.cpu.x87.encoding import C1, EXCEPTIONS, SF

pytestmark = pytest.mark.skipif(not host.SUPPORTED, reason=host.REASON)

# any masks, any precision and rounding control
CONTROL = st.builds(
    lambda m, pc, rc: 0x40 | m | pc << 8 | rc << 10,
    st.integers(0, 0x3F),
    st.integers(0, 3),
    st.integers(0, 3),
)
FLAGS = EXCEPTIONS | SF | C1

_LOAD2 = "fld tbyte ptr [rdi + 32]; fld tbyte ptr [rdi + 16]"
_BINARY = {
    "fadd": arith.add,
    "fsub": arith.sub,
    "fsubr": lambda a, b, cw: arith.sub(b, a, cw),
    "fmul": arith.mul,
    "fdiv": arith.div,
    "fdivr": lambda a, b, cw: arith.div(b, a, cw),
}


@pytest.mark.parametrize("op", sorted(_BINARY))
@host.EXAMPLES
@given(ab=PAIRS, cw=CONTROL)
def test_binary(op, ab, cw):
    a, b = ab
    sw, regs, _, _ = host.run_unmasked(_LOAD2, f"{op} st(0), st(1)", cw, _t(a), _t(b))
    got, flags = _BINARY[op](a, b, cw)
    _same((a if got is None else got, flags & FLAGS), (regs[0], sw & FLAGS), (a, b, cw))


_UNARY = {"fsqrt": arith.sqrt, "frndint": arith.round_to_integer}


@pytest.mark.parametrize("op", sorted(_UNARY))
@host.EXAMPLES
@given(a=EXTENDED, cw=CONTROL)
def test_unary(op, a, cw):
    sw, regs, _, _ = host.run_unmasked("fld tbyte ptr [rdi + 16]", op, cw, _t(a))
    got, flags = _UNARY[op](a, cw)
    _same((a if got is None else got, flags & FLAGS), (regs[0], sw & FLAGS), (a, cw))


@pytest.mark.parametrize("op", ["fprem", "fprem1", "fscale"])
@host.EXAMPLES
@given(ab=PAIRS, cw=CONTROL)
def test_two_registers(op, ab, cw):
    a, b = ab
    sw, regs, _, _ = host.run_unmasked(_LOAD2, op, cw, _t(a), _t(b))
    if op == "fscale":
        got, flags = arith.scale(a, b, cw)
        mask = FLAGS
    else:
        got, flags = arith.remainder(a, b, cw, nearest=op == "fprem1")
        mask = FLAGS | ALL_CC
    _same((a if got is None else got, flags & mask), (regs[0], sw & mask), (a, b, cw))


@host.EXAMPLES
@given(ab=PAIRS, cw=CONTROL)
def test_compare(ab, cw):
    a, b = ab
    sw, _, _, _ = host.run_unmasked(_LOAD2, "fcom st(1)", cw, _t(a), _t(b))
    cc, flags = compare.compare(a, b, cw)
    _same(((cc | flags) & (FLAGS | ALL_CC),), (sw & (FLAGS | ALL_CC),), (a, b, cw))


@host.EXAMPLES
@given(a=EXTENDED, cw=CONTROL)
def test_extract(a, cw):
    sw, regs, _, _ = host.run_unmasked("fld tbyte ptr [rdi + 16]", "fxtract", cw, _t(a))
    got, flags = arith.extract(a, cw)
    # done: the exponent below the pushed significand; stopped: the operand alone
    want = (regs[1], regs[0]) if sw >> 11 & 7 == 6 else (regs[0],)
    _same((*((a,) if got is None else got), flags & FLAGS), (*want, sw & FLAGS), (a, cw))


_STORES = {
    "fst dword ptr [rsi + 176]": lambda a, cw: convert.store_real(a, 32, cw) + (4,),
    "fst qword ptr [rsi + 176]": lambda a, cw: convert.store_real(a, 64, cw) + (8,),
    "fist word ptr [rsi + 176]": lambda a, cw: convert.store_integer(a, 16, cw) + (2,),
    "fist dword ptr [rsi + 176]": lambda a, cw: convert.store_integer(a, 32, cw) + (4,),
    "fistp qword ptr [rsi + 176]": lambda a, cw: convert.store_integer(a, 64, cw) + (8,),
    "fisttp dword ptr [rsi + 176]": lambda a, cw: convert.store_integer(a, 32, cw, True) + (4,),
    "fbstp tbyte ptr [rsi + 176]": lambda a, cw: convert.store_bcd(a, cw) + (10,),
}


@pytest.mark.parametrize("op", sorted(_STORES))
@host.EXAMPLES
@given(a=st.one_of(EXTENDED, _NEAR_INT), cw=CONTROL)
def test_store(op, a, cw):
    sw, _, _, mem = host.run_unmasked("fld tbyte ptr [rdi + 16]", op, cw, _t(a))
    got, flags, size = _STORES[op](a, cw)
    stored = None if mem[:size] == b"\xa5" * size else int.from_bytes(mem[:size], "little")
    _same((got, flags & FLAGS), (stored, sw & FLAGS), (a, cw))


@pytest.mark.parametrize("width", [32, 64])
@host.EXAMPLES
@given(data=st.data(), cw=CONTROL)
def test_load_real(width, data, cw):
    size, values = _MEM[width]
    bits = data.draw(values)
    sw, regs, _, _ = host.run_unmasked(
        "", f"fld {size} ptr [rdi + 16]", cw, bits.to_bytes(width // 8, "little")
    )
    got, flags = convert.load_real(bits, width, cw)
    pushed = sw >> 11 & 7 == 7  # TOP moved from 0 to 7
    _same((got, flags & FLAGS), (regs[0] if pushed else None, sw & FLAGS), (bits, cw))
