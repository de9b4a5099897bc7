"""The x87 register state: initial values from the SDM, the tag word, stack faults, the
control word's reserved bits and the FSTENV/FSAVE images, against the host processor
where it can show them."""

from __future__ import annotations

import pytest
import x87_host as host
from hypothesis import given
from hypothesis import strategies as st
from test_x87_arith import EXTENDED

from refvmm.cpu.state import CpuState
from refvmm.cpu.x87 import image
from refvmm.cpu.x87.encoding import C1, EXCEPTIONS, INDEFINITE, SF, TOP_MASK
from refvmm.cpu.x87.state import MASKED_STACK_RESULT, STACK_OVERFLOW, STACK_UNDERFLOW, X87State

needs_host = pytest.mark.skipif(not host.SUPPORTED, reason=host.REASON)


def _loaded(values: list[int]) -> X87State:
    """A state after FNINIT and FLD of each value, as the host routine leaves it."""
    x = X87State()
    x.init()
    for v in values:
        x.push(v)
    return x


def test_initial_values():
    x = X87State()  # RESET: SDM vol. 3A table 9-1
    assert (x.cw, x.status_word(), x.tag_word()) == (0x0040, 0, 0x5555)
    x.init()  # FNINIT
    assert (x.cw, x.status_word(), x.tag_word(), x.fip, x.fdp, x.fop) == (0x037F, 0, 0xFFFF, 0, 0, 0)


def test_stack_and_checkpoint():
    cpu = CpuState()
    x = cpu.fpu
    x.init()
    saved = cpu.save()
    x.push(1)
    x.push(2)
    assert (x.top, x.st(0), x.st(1), x.empty(2)) == (6, 2, 1, True)
    x.free(1)
    assert x.empty(1) and x.can_push()
    x.pop()
    assert (x.top, x.empty(0)) == (7, True)
    cpu.restore(saved)
    assert (x.top, x.valid, x.tag_word()) == (0, 0, 0xFFFF)


def test_report_and_summary():
    x = X87State()
    x.init()
    x.set_control_word(0x037E)  # IE unmasked
    x.report(STACK_UNDERFLOW | C1, C1)
    assert x.status_word() == 0x8000 | 0x80 | 0x41 | C1  # B, ES, SF, IE, C1
    x.clear_exceptions()
    assert x.status_word() == C1


@needs_host
@host.EXAMPLES
@given(st.lists(EXTENDED, min_size=0, max_size=8))
def test_tag_word_and_images(values):
    loads = "".join(f"fld tbyte ptr [rdi + {16 * (i + 1)}];" for i in range(min(len(values), 3)))
    # more than three values: reload the first ones
    loads += "".join(f"fld tbyte ptr [rdi + {16 * (i % 3 + 1)}];" for i in range(3, len(values)))
    values = [values[i % 3] for i in range(len(values))]
    x = _loaded(values)
    ops = [v.to_bytes(10, "little") for v in values[:3]]
    sw, out = host.run(loads + "fnsave [rsi + 64]", 0x037F, *ops)
    got = out[3][:108]
    # the pointers are the host's own (its RIP, CS): the layout is what is checked
    x.fip, x.fcs, x.fop = (int.from_bytes(got[n : n + 2 + 2 * (n == 12)], "little") for n in (12, 16, 18))
    x.fdp, x.fds = int.from_bytes(got[20:24], "little"), int.from_bytes(got[24:26], "little")
    want = image.store_state(x, True, True)
    n = 28 + 10 * len(values)  # the registers in use (empty ones keep stale contents)
    assert want[:n].hex() == got[:n].hex()
    sw, out = host.run(loads + ".byte 0x66; fnstenv [rsi + 64]", 0x037F, *ops)
    assert image.store_environment(x, False, True)[:6] == out[3][:6]  # CW, SW, TW


@needs_host
def test_stack_faults():
    sw, out = host.run("fld1;" * 8 + "fldpi", 0x037F)
    assert (sw & (EXCEPTIONS | SF | C1), int.from_bytes(out[0], "little")) == (STACK_OVERFLOW, INDEFINITE)
    sw, out = host.run("fld1; fadd st(0), st(3)", 0x037F)
    assert (sw & (EXCEPTIONS | SF | C1), int.from_bytes(out[0], "little")) == (
        STACK_UNDERFLOW,
        MASKED_STACK_RESULT,
    )
    assert sw & TOP_MASK == 7 << 11


@needs_host
@host.EXAMPLES
@given(st.integers(0, 0xFFFF))
def test_control_word_reserved_bits(cw):
    sw, out = host.run("fldcw [rdi + 16]; fnstcw [rsi + 64]; fldcw [rdi]", 0x037F, cw.to_bytes(2, "little"))
    x = X87State()
    x.set_control_word(cw)
    assert hex(x.cw) == hex(int.from_bytes(out[3][:2], "little"))


@pytest.mark.parametrize("bits32", [False, True])
@pytest.mark.parametrize("protected", [False, True])
def test_image_round_trip(bits32, protected):
    x = _loaded([1, 2 << 70, INDEFINITE])
    x.set_control_word(0x0E7F)
    x.report(0x21 | C1)
    x.fip, x.fop = (0x12345678, 0x5AB) if bits32 else (0x9ABCD, 0x5AB)
    x.fdp = 0x87654321 if bits32 else 0x5432A
    x.fcs, x.fds = (0x1B, 0x23) if protected else (0, 0)
    if not protected and not bits32:
        x.fip, x.fdp = x.fip & 0xFFFFF, x.fdp & 0xFFFFF
    if protected and not bits32:
        x.fip, x.fdp, x.fop = x.fip & 0xFFFF, x.fdp & 0xFFFF, 0
    data = image.store_state(x, bits32, protected)
    assert len(data) == (108 if bits32 else 94)
    y = X87State()
    image.load_state(y, data, bits32, protected)
    assert y == x
