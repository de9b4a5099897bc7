"""The templates and their language (``refvmm.cpu.codegen``): every key compiles in every
form the decoder produces for it, compiled code names only what the namespace holds, and
the specialiser substitutes tokens, never comments or strings."""

import builtins
import re
import symtable
from collections import defaultdict

import pytest
from forms import forms

from refvmm.cpu import codegen
from refvmm.cpu.codegen import Specialiser, TemplateError, Unsupported
from refvmm.cpu.compile import NAMESPACE, handler_source, template_key
from refvmm.cpu.decoder import Instruction, Mem, Reg, decode
from refvmm.cpu.semantics import TEMPLATES

# Mnemonics of decodable forms with no behaviour yet (they raise Unsupported): none today.
UNSUPPORTED: set[str] = set()


@pytest.fixture(scope="module")
def compiled():
    """Every form specialised and compiled: the keys used (with the sizes and operand
    kinds each was compiled in), the globals the handlers reference (free names that
    are not parameters or locals: symtable's view), and the forms that are Unsupported."""
    keys: dict[str, set] = defaultdict(set)  # key -> {(operand size, address size, code size, kinds)}
    names: set[str] = set()
    unsupported: dict[str, str] = {}
    for ins, bits in forms():
        try:
            key = template_key(ins)
            source = handler_source(ins, 0x1000, bits)
        except Unsupported as exc:
            unsupported[ins.mnemonic] = str(exc)
            continue
        compile(source, f"<{ins}>", "exec")
        table = symtable.symtable(source, "<handler>", "exec").get_children()[0]
        names |= {s.get_name() for s in table.get_symbols() if s.is_global() and s.is_referenced()}
        kinds = tuple(type(op).__name__ for op in ins.operands)
        keys[key].add((ins.operand_size, ins.address_size, bits, kinds))
    return keys, names, unsupported


def test_every_decodable_form_compiles_or_is_unsupported(compiled):
    _keys, _names, unsupported = compiled
    assert set(unsupported) == UNSUPPORTED, unsupported


def test_every_template_key_is_compiled(compiled):
    keys, _names, _unsupported = compiled
    assert set(TEMPLATES) - set(keys) == set()


def test_keys_are_compiled_in_both_address_and_code_sizes(compiled):
    keys, _names, _unsupported = compiled
    for key, seen in keys.items():
        if any("Mem" in kinds for _o, _a, _b, kinds in seen):
            assert {a for _o, a, _b, kinds in seen if "Mem" in kinds} == {16, 32}, key
        assert {b for _o, _a, b, _k in seen} == {16, 32}, key


def test_the_namespace_holds_exactly_the_names_templates_use(compiled):
    _keys, names, _unsupported = compiled
    globals_ = {name for name in names if not hasattr(builtins, name)}
    assert globals_ - set(NAMESPACE) == set(), "names compiled code needs"
    assert set(NAMESPACE) - {"__builtins__"} - globals_ == set(), "names no template uses"


def test_every_token_is_documented():
    documented = set(re.findall(r"``([A-Z][A-Z0-9]*)\b", codegen.__doc__))
    assert documented >= codegen.TOKENS


# -- the specialiser, on small templates ----------------------------------------------


def _ins(*operands, size=32, asz=32, mnemonic="t") -> Instruction:
    return Instruction(2, mnemonic, 0, size, asz, None, None, False, None, tuple(operands))


EAX, EBX = Reg("eax", 32), Reg("ebx", 32)
MEM = Mem("ds", "ebx", None, 1, 8, 32, 32)


def spec(template: str, *operands, **kw) -> list[str]:
    return Specialiser(_ins(*operands, **kw), 0x100, 32).specialise(template)


def test_tokens_in_comments_strings_and_attributes_stay_as_written():
    body = spec('x = D + W  # D and W\ny = "D S W"\nz = F.W\nw = D2 + SD', EAX, EBX)
    assert body == [
        "x = g[0] + 32  # D and W",
        'y = "D S W"',
        "z = F.W",
        "w = D2 + SD",
        "cpu.eip = 258",
    ]


def test_write_forms_keep_indentation_and_a_trailing_comment():
    body = spec("if S:\n    D := 1  # one\nCX := CX - 1\nACC := 2", EAX, EBX, asz=16)
    assert body == [
        "if g[3]:",
        "    g[0] = (1) & 0xFFFFFFFF  # one",
        "g[1] = g[1] & 0xFFFF0000 | ((g[1] & 0xFFFF) - 1) & 0xFFFF",
        "g[0] = (2) & 0xFFFFFFFF",
        "cpu.eip = 258",
    ]


def test_a_memory_operand_is_checked_once_before_the_template_and_read_where_named():
    body = spec("a = D\nD := a + 1\nb = LIN0", MEM, EAX)
    assert body == [
        "ea0 = ((g[3] + 8) & 0xffffffff)",
        "lin0 = seg_linear(cpu, 3, ea0, 4, True)",
        "a = m.read(lin0, 4, u)",
        "m.write(lin0, 4, a + 1, u)",
        "b = lin0",
        "cpu.eip = 258",
    ]


@pytest.mark.parametrize(
    "template",
    ["x = D + D", "x = S\ny = S", "x = 1; D := 2", "x = (\n    D := 1)", "W := 3", "x = f'{D}'"],
)
def test_templates_that_break_the_rules_are_refused(template):
    with pytest.raises(TemplateError):
        spec(template, EAX, EBX)


def test_eip_is_appended_unless_the_template_sets_it():
    # an instruction whose properties say it transfers control sets EIP in its helper
    assert spec("x = 1", EAX, mnemonic="retf")[-1] == "x = 1"
    assert spec("cpu.eip = NEXT", EAX) == ["cpu.eip = 258"]
    assert spec("x = 1", EAX)[-1] == "cpu.eip = 258"
    assert spec("x = 1  # transfers", EAX)[-1] == "cpu.eip = 258"  # a comment is only a comment


def test_keys_fall_back_from_all_kinds_to_the_first_kind_to_the_mnemonic(monkeypatch):
    ins = _ins(EAX, MEM, mnemonic="frob")
    monkeypatch.setitem(TEMPLATES, "frob", "pass")
    assert template_key(ins) == "frob"
    monkeypatch.setitem(TEMPLATES, "frob:r", "pass")
    assert template_key(ins) == "frob:r"
    monkeypatch.setitem(TEMPLATES, "frob:rm", "pass")
    assert template_key(ins) == "frob:rm"
    assert template_key(decode(bytes.fromhex("0f20c0"), 32)) == "mov:rc"  # mov eax, cr0
    assert template_key(decode(bytes.fromhex("89d8"), 32)) == "mov"  # mov eax, ebx
    assert template_key(decode(bytes.fromhex("0f94c0"), 32)) == "setcc"  # sete al
