"""The templates and their language (``refvmm.cpu.codegen``): every key compiles in every
form the decoder produces for it, compiled code names only what the namespace holds, and
the specialiser substitutes tokens, never comments or strings."""

import builtins
import contextlib
import re
import symtable
from collections import defaultdict

import pytest
from forms import forms

from refvmm.cpu import codegen
from refvmm.cpu import flags as F
from refvmm.cpu.codegen import Record, Specialiser, TemplateError, Unsupported
from refvmm.cpu.compile import NAMESPACE, handler_source, template_key
from refvmm.cpu.decoder import Instruction, Mem, Reg, decode
from refvmm.cpu.semantics import TEMPLATES

# Mnemonics of decodable forms with no behaviour yet (they raise Unsupported): none.
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
    # __warningregistry__: Python's, when a warning (a ResourceWarning from a collection)
    # is raised while compiled code runs
    own = {"__builtins__", "__warningregistry__"}
    assert set(NAMESPACE) - own - globals_ == set(), "names no template uses"


def test_every_token_is_documented():
    documented = set(re.findall(r"``([A-Z][A-Z0-9]*)\b", codegen.__doc__))
    assert documented >= codegen.TOKENS


# -- the specialiser, on small templates ----------------------------------------------


def _ins(*operands, size=32, asz=32, mnemonic="t") -> Instruction:
    return Instruction(2, mnemonic, 0, size, asz, None, None, False, None, tuple(operands))


EAX, EBX = Reg("eax", 32), Reg("ebx", 32)
MEM = Mem("ds", "ebx", None, 1, 8, 32, 32)


def spec(template: str, *operands, **kw) -> list[str]:
    return Specialiser(_ins(*operands, **kw), 0x100, 32).specialise(template).lines


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
        "a = m.read(lin0, 4, u, True)",  # the read of a read-modify-write, walked as a write
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


# -- what the specialiser records, and the translator's hooks ---------------------------


def facts(template: str, *operands, **kw):
    return Specialiser(_ins(*operands, mnemonic=kw.pop("mnemonic", "mov")), 0x100, 32, **kw).specialise(
        template
    )


def test_a_flag_record_is_written_and_recorded():
    spec = facts("a = D\nb = S\nr = (a + b) & MASK\nFLAGS(ADD, a, b, r, W, 0)  # add", EAX, EBX)
    assert spec.lines[3] == f"cpu.lazy = ({F.ADD}, a, b, r, 32, 0)  # add"
    assert (
        spec.records == (Record(F.ADD, ("a", "b", "r", "32", "0"), 3, True),)
        and spec.result == spec.records[0]
    )
    # a record in a branch is conditional, and is no result
    spec = facts("a = D\nif a:\n    FLAGS(LOGIC, a, 0, a, W, 0)", EAX)
    assert spec.lines[2] == f"    cpu.lazy = ({F.LOGIC}, a, 0, a, 32, 0)" and not spec.records[0].top
    assert spec.result is None


@pytest.mark.parametrize(
    "template",
    [
        "a = D\nFLAGS(ADD, a, 0, a + 1, W, 0)",  # a field that is an expression
        "a = D\nFLAGS(ADD, a, 0, D2, W, 0)",  # a name that is no local
        "a = D\na += 1\nFLAGS(ADD, a, 0, a, W, 0)",  # a local assigned twice
        "a = D\nFLAGS(ADD, a, 0, a, W, 0)\nset_cf_of(cpu, 0, 0)",  # a helper has the last word
        "a = D\nFLAGS(ADD, a, 0, a, W, 0)\ncpu.arith = 0",
    ],
)
def test_a_record_a_later_instruction_cannot_rely_on_is_no_result(template):
    spec = facts(template, EAX)
    assert spec.records and spec.result is None


def test_the_translator_s_names_for_locals_registers_and_readers():
    asked = []

    def reader(cc):
        asked.append(cc)
        return "(X)"

    ins = Instruction(2, "cmovcc", 0, 32, 32, None, None, False, None, (MEM,), 4)
    spec = Specialiser(ins, 0x100, 32, suffix="_4", registers=[f"_r{i}" for i in range(8)], reader=reader)
    spec = spec.specialise("c = CARRY\na = D\nif COND:\n    D := a + c\nFLAGS(INC, a, 1, a, W, c)\nb = COND")
    assert spec.lines == [
        "ea0_4 = ((_r3 + 8) & 0xffffffff)",
        "lin0_4 = seg_linear(cpu, 3, ea0_4, 4, True)",
        "c_4 = (X)",
        "a_4 = m.read(lin0_4, 4, u, True)",
        "if (X):",
        "    m.write(lin0_4, 4, a_4 + c_4, u)",
        f"cpu.lazy = ({F.INC}, a_4, 1, a_4, 32, c_4)",
        "b_4 = condition(cpu, 4)",  # after the template's own record: never offered
        "cpu.eip = 258",
    ]
    assert asked == [None, 4] and spec.readers == ((None, True), (4, True), (4, False))
    assert spec.registers == {3} and spec.result == Record(F.INC, ("a_4", "1", "a_4", "32", "c_4"), 6, True)


def test_what_the_statements_reach_is_recorded():
    load = facts("a = S\nD := a", EAX, MEM)
    assert load.memory and not load.writes_memory and not load.calls
    store = facts("D := S", MEM, EAX)
    assert store.memory and store.writes_memory
    lea = facts("D := EA1", EAX, MEM)
    assert not lea.memory and lea.registers == {0, 3}
    helper = facts("push(cpu, m, D, W, u)", EAX, mnemonic="push")  # property m: the helper writes
    assert helper.memory and helper.writes_memory and helper.calls == {"push"} and not helper.flag_calls
    assert facts("raise CpuFault(6)", mnemonic="ud2").raises
    flags = facts("cpu.arith = cpu.arith_flags() & ~1")
    assert flags.flag_state and not flags.calls and flags.registers == set()
    assert facts("x = int.from_bytes(D.to_bytes(4, 'little'), 'big')", EAX).calls == {
        "int.from_bytes",
        ".to_bytes",
    }
    assert facts("x = 1", EAX).eip_last and facts("cpu.eip = NEXT", EAX).eip_last
    assert not facts("if D:\n    cpu.eip = NEXT", EAX).eip_last


@pytest.mark.parametrize(
    "template",
    [
        "cpu.lazy = None",  # the record only through FLAGS
        "x = condition(cpu, CC)",  # readers only through COND and CARRY
        "x = cpu.carry()",
        "x = g",  # registers only as g[n]
        "x = g[D]",
        "FLAGS(FOO, D, 0, 0, W, 0)",  # a kind flags.py does not know
        "FLAGS(ADD, D, 0, 0, W)",
        "x = 1; FLAGS(ADD, D, 0, 0, W, 0)",
        "_x = D",  # the translator's names
        "W = 1",
    ],
)
def test_flag_and_register_constructs_that_break_the_rules_are_refused(template):
    with pytest.raises(TemplateError):
        spec(template, EAX, EBX)


def _flat_machine():
    from refvmm.cpu.state import Segment
    from refvmm.machine import Machine

    m = Machine(1 << 20)
    cpu = m.cpu
    cpu.reset(0, 0x1000)
    cpu.cr[0] = 0x11
    cpu.seg = [Segment(0x10, 0, 0xFFFFFFFF, 0x93, True) for _ in range(6)]
    cpu.seg[1] = Segment(0x08, 0, 0xFFFFFFFF, 0x9B, True)
    cpu.gpr[:] = [0x100, 3, 0x200, 0x3000, 0x8000, 0x7000, 0x5000, 0x6000]
    return m


def _recording(phys_write, writes: list[int]):
    def write(addr: int, size: int, value: int) -> None:
        writes.append(addr)
        phys_write(addr, size, value)

    return write


def test_the_record_of_what_runs_agrees_with_running_it():
    # every form run once: one that wrote memory says it may; one the translator may keep
    # in register locals (no memory, no calls, no raise) runs without the machine at all
    from refvmm.cpu.compile import compile_instruction
    from refvmm.cpu.properties import properties

    wrote, registers_only = set(), 0
    for ins, bits in forms():
        try:
            key = template_key(ins)
        except Unsupported:
            continue
        if properties(ins).timed:
            continue
        spec = Specialiser(ins, 0x1000, bits).specialise(TEMPLATES[key])
        handler, _ = compile_instruction(ins, 0x1000, bits)
        m = _flat_machine()
        writes: list[int] = []
        m.phys_write = _recording(m.phys_write, writes)
        if not (spec.memory or spec.calls or spec.raises):
            registers_only += 1
            handler(m.cpu, None, m.cpu.gpr, False)
            continue
        with contextlib.suppress(Exception):  # a fault: what it wrote before it still counts
            handler(m.cpu, m, m.cpu.gpr, False)
        if writes:
            wrote.add(key)
            assert spec.writes_memory, (key, ins)
    assert registers_only > 100 and {"push", "stosb", "bts:mr", "cmpxchg8b", "sgdt", "enter"} <= wrote
