"""Instruction forms (``compile.Form``): a new instance of a known form gets its handler
from its bytes without decoding. The recipe must give, for any instance, exactly the
arguments the specialiser takes from that instance decoded in full."""

from hypothesis import given
from hypothesis import strategies as st

from refvmm.cpu.codegen import Unsupported
from refvmm.cpu.compile import FORMS, _form, forget_compiled, learn_form
from refvmm.cpu.decoder import DecodeError, Incomplete, decode_form


def _decoded(code: bytes, bits: int):
    try:
        ins, fields, structure = decode_form(code, bits)
        _form(ins, 0x1000, bits)
    except (DecodeError, Incomplete, Unsupported):
        return None
    return ins, fields, structure


@given(
    code=st.binary(min_size=16, max_size=16),
    other=st.binary(min_size=16, max_size=16),
    bits=st.sampled_from([16, 32]),
    here=st.integers(0, 0xFFFFFFF0),
)
def test_a_form_gives_every_instance_its_own_arguments(code, other, bits, here):
    first = _decoded(code, bits)
    if first is None or first[0].kind == "x87":
        return
    ins, fields, structure = first
    forget_compiled()
    # 16-bit instances within 16 bytes of the 64 KiB end are compiled alone (core.Fetcher)
    eip = (lambda x: min(x & 0xFFFF, 0xFFF0)) if bits == 16 else (lambda x: x & 0xFFFFFFFF)
    learn_form(ins, fields, code[:structure], code, eip(here), bits)
    form = FORMS[bits].get(code[:structure])
    if form is None:
        return  # a form without a recipe is decoded every time
    # another instance: the same structure, other values
    instance = code[:structure] + other[: 16 - structure]
    again = _decoded(instance, bits)
    assert again is not None and again[2] == structure and again[0].length == ins.length
    there = eip(here * 7 + 3)
    source, params, _ = _form(again[0], there, bits)
    assert source == _form(ins, there, bits)[0]  # one source for the form
    assert form.arguments(instance, there) == params


def test_common_forms_are_learned():
    forget_compiled()
    # add eax, imm32; lea eax, [eax+ebx*4+disp32]; jmp rel8; jmp far ptr16:32
    examples = ("0501000000", "8d849844332211", "ebfe", "ea001000000800")
    for code in map(bytes.fromhex, examples):
        code = code.ljust(16, b"\x90")
        ins, fields, structure = decode_form(code, 32)
        learn_form(ins, fields, code[:structure], code, 0x1000, 32)
        assert code[:structure] in FORMS[32]
