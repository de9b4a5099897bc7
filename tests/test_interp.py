"""The interpreter against the Unicorn oracle on generated operand values (hypothesis).

Each example is a small guest program run on both engines through the harness;
the comparison masks what the SDM leaves undefined (conformance/undefined.py).
"""

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.compare import diff_states
from conformance.format import parse_text
from conformance.oracles.unicorn import UnicornOracle
from conformance.runtime import build_image
from conformance.undefined import final_mask
from conformance.vmm import VmmEngine
from refvmm.cpu.codegen import Unsupported
from refvmm.cpu.compile import compile_instruction
from refvmm.cpu.decoder import decode
from refvmm.cpu.state import CpuState

EDGES = [0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x12345678]
values = st.one_of(st.sampled_from(EDGES), st.integers(0, 0xFFFFFFFF))
REGS = {8: ("al", "bl"), 16: ("ax", "bx"), 32: ("eax", "ebx")}


def both(body: str, regs: str) -> list:
    image = build_image(parse_text(f"; mode: pm32\n; regs: {regs}\n{body}\n", "t.asm", "t.asm"))
    reference, state = UnicornOracle().run(image), VmmEngine("interp").run(image)
    return diff_states(reference, state, final_mask(image.body, image.body_origin, 32))


@given(
    op=st.sampled_from(["add", "adc", "sub", "sbb", "and", "or", "xor", "cmp", "test", "xadd"]),
    size=st.sampled_from([8, 16, 32]),
    a=values,
    b=values,
    carry=st.booleans(),
)
def test_two_operand_alu(op, size, a, b, carry):
    d, s = REGS[size]
    body = f"    {'stc' if carry else 'clc'}\n    {op} {d}, {s}"
    assert both(body, f"eax={a:#x} ebx={b:#x}") == []


@given(
    op=st.sampled_from(["shl", "shr", "sar", "rol", "ror", "rcl", "rcr"]),
    size=st.sampled_from([8, 16, 32]),
    a=values,
    count=st.integers(0, 40),
    carry=st.booleans(),
)
def test_shifts_and_rotates(op, size, a, count, carry):
    d, _s = REGS[size]
    body = f"    {'stc' if carry else 'clc'}\n    mov cl, {count}\n    {op} {d}, cl"
    assert both(body, f"eax={a:#x}") == []


@given(
    op=st.sampled_from(["mul", "imul", "div", "idiv"]),
    size=st.sampled_from([8, 16, 32]),
    a=values,
    b=values,
    d=values,
)
def test_multiply_and_divide(op, size, a, b, d):
    _r, s = REGS[size]
    assert both(f"    {op} {s}", f"eax={a:#x} ebx={b:#x} edx={d:#x}") == []


@pytest.mark.parametrize("code", ["0fa3c2", "f3a4", "c8080001", "0f33", "d9c0"])
def test_decoded_forms_compile_from_their_templates(code):
    ins = decode(bytes.fromhex(code) + bytes(8), 32)
    handler, source = compile_instruction(ins, 0x1000, 32)
    assert callable(handler) and "    def handler(cpu, m, g, u):" in source


def test_instances_of_one_form_share_their_compiled_code():
    # mov eax, imm32 at two addresses with two immediates: one form, compiled once
    a = decode(bytes.fromhex("b811111111") + bytes(8), 32)
    b = decode(bytes.fromhex("b822222222") + bytes(8), 32)
    ha, sa = compile_instruction(a, 0x1000, 32)
    hb, sb = compile_instruction(b, 0x2345, 32)
    assert sa == sb and ha.__code__ is hb.__code__ and ha is not hb
    cpu = CpuState()
    hb(cpu, None, cpu.gpr, False)
    assert cpu.gpr[0] == 0x22222222 and cpu.eip == 0x234A


def test_a_form_without_semantics_names_itself_instead_of_guessing():
    ins = dataclasses.replace(decode(bytes.fromhex("90") + bytes(8), 32), mnemonic="frob")
    with pytest.raises(Unsupported, match="no semantics for frob"):
        compile_instruction(ins, 0x1000, 32)
