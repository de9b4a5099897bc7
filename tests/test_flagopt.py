"""The translator's partial evaluation of flags, on blocks specialised as the translator
specialises them: what it may leave out or read directly, and what it must leave alone.
Each optimisation has a test here that fails without it."""

from forms import forms

from conformance.assemble import assemble
from refvmm.cpu import flags as F
from refvmm.cpu.codegen import Specialiser
from refvmm.cpu.compile import template_for
from refvmm.cpu.decoder import decode
from refvmm.cpu.properties import properties
from refvmm.engines.bt import specialise_block
from refvmm.engines.flagopt import drop_dead_records

BASE = 0x10000


def instructions(source: str):
    """(instruction, EIP) of each line of 32-bit ``source``, in order."""
    code = assemble(source, 32, BASE).code
    out, offset = [], 0
    while offset < len(code):
        ins = decode(code[offset : offset + 16], 32)
        out.append((ins, BASE + offset))
        offset += ins.length
    return out


def block(source: str, optimise: bool = True) -> list[list[str]]:
    """Each instruction's lines as the translator puts them in a block: readers filled
    in, and the records no one can see left out (an instruction that may write memory
    may end the block, as the translator marks it)."""
    items = instructions(source)
    specs = specialise_block(items, 32, optimise)
    exits = [i < len(specs) - 1 and spec.writes_memory for i, spec in enumerate(specs)]
    return drop_dead_records(specs, [properties(ins) for ins, _ in items], exits)


def records(lines: list[str], kind: int) -> list[str]:
    return [line for line in lines if line.strip().startswith(f"cpu.lazy = ({kind}, ")]


def test_locals_get_their_instruction_s_suffix():
    add, load = block("add eax, ecx\nmov eax, [esi]")
    assert add[:3] == ["a_0 = g[0]", "b_0 = g[1]", "r_0 = (a_0 + b_0) & 4294967295"]
    assert load[1] == "lin1_1 = seg_linear(cpu, 3, ea1_1, 4, False)"
    plain, _ = block("add eax, ecx\nmov eax, [esi]", optimise=False)
    assert plain[0] == "a = g[0]"


def test_a_record_replaced_before_anyone_looks_is_left_out():
    add, sub = block("add eax, ecx\nsub edx, 3")
    assert records(add, F.ADD) == [] and records(sub, F.SUB) == ["cpu.lazy = (2, a_1, b_1, r_1, 32, 0)"]


def test_a_record_is_kept_when_the_block_may_return_between():
    # a store may rewrite the code after it: the block returns there, with ADD's flags
    add, _store, _sub = block("add eax, ecx\nmov [esi], eax\nsub edx, 3")
    assert records(add, F.ADD) == ["cpu.lazy = (0, a_0, b_0, r_0, 32, 0)"]


def test_a_record_is_kept_when_its_own_instruction_may_end_the_block():
    # a flag-setting store that rewrites the code after it (guest_tests/control/smc_*.asm)
    add, _sub = block("add [ebx], eax\nsub edx, 3")
    assert len(records(add, F.ADD)) == 1


def test_a_fault_between_does_not_keep_a_record():
    # a load may fault, and a faulting block is replayed on the interpreter's path,
    # which computes every flag; a load never makes the block return
    add, _load, _sub = block("add eax, ecx\nmov eax, [esi]\nsub edx, 3")
    assert records(add, F.ADD) == []


def test_what_may_see_the_flags_keeps_a_record():
    # a condition that is not read directly (OF), the flag state (CMC), a helper not
    # known to leave the flags alone (MUL's), a carry read after a conditional record
    for between in ("seto bl", "cmc", "imul ebx", "shl eax, cl\nrcl ebx, 1"):
        add, *_ = block(f"add eax, ecx\n{between}\nsub edx, 3")
        assert len(records(add, F.ADD)) == 1, between
    # a helper known to leave the flags alone does not
    add, *_ = block("add eax, ecx\npop ebx\nsub edx, 3")
    assert records(add, F.ADD) == []


def test_a_condition_reads_the_writer_s_locals():
    # JB after SUB: CF = a < b (unsigned borrow), from flags.FORMULAS; a load between
    # and a helper that leaves the flags alone change nothing
    _sub, _load, _pop, jb = block("sub edx, 3\nmov eax, [esi]\npop ecx\nl:\njb l")
    borrow = F.formula(F.SUB, "C", "a_0", "b_0", "r_0", "32", "0")
    assert borrow == "a_0 < b_0" and jb == [f"cpu.eip = (65544 + -2) & 4294967295 if (({borrow})) else 65544"]
    # ZF and CF|ZF from a logic result: CF is 0 there
    _test, jbe = block("test eax, eax\nl:\njbe l")
    assert "condition(" not in jbe[0] and "(r_0 == 0)" in jbe[0]


def test_a_carry_reads_the_writer_s_locals_and_its_record_goes():
    add, adc = block("add eax, ecx\nadc edx, 0")
    assert adc[0] == "c_1 = (1 if a_0 + b_0 >= 1 << 32 else 0)"
    assert records(add, F.ADD) == [] and len(records(adc, F.ADC)) == 1


def test_a_condition_after_a_filled_reader_still_reads_directly():
    # SETB reads CF from CMP's locals and leaves the flags alone: CMOVZ reads ZF too
    _cmp, setb, cmovz = block("cmp eax, ebx\nsetb cl\ncmovz esi, edi")
    assert "condition(" not in setb[0] and cmovz[1] == "if ((r_0 == 0)):"


def test_what_is_not_inlined():
    # OF is not among the flags read directly; a conditional record cannot be relied on;
    # nor can a record after which a helper may have changed the flags
    assert block("sub edx, 3\nl:\njo l")[1] == [
        "cpu.eip = (65541 + -2) & 4294967295 if condition(cpu, 0) else 65541"
    ]
    assert "condition(cpu, 2)" in block("sub edx, 3\nshl eax, cl\nl:\njb l")[2][0]
    assert "condition(cpu, 2)" in block("sub edx, 3\nimul ebx\nl:\njb l")[2][0]
    assert "cpu.carry()" in block("sub edx, 3\nbt eax, ecx\nadc eax, 0")[2][0]


def test_a_rotate_through_carry_reads_cf_from_the_writer():
    # RCR's CARRY comes before its own flag write (the specialiser offers only those)
    spec = specialise_block(instructions("sub edx, 3\nrcr ebx, 1"), 32, True)[1]
    assert spec.readers == ((None, True),) and "    t_1 = a_1 | (1 if a_0 < b_0 else 0) << 32" in spec.lines


def test_properties_and_statements_agree_on_reading_flags():
    # the optimiser sees the flags read only through a reader, the flag state or a call:
    # every instruction whose properties read a flag it never writes has one of them
    for ins, bits in forms():
        props = properties(ins)
        if props.reads & ~props.writes & F.ARITH:
            spec = Specialiser(ins, 0x1000, bits).specialise(template_for(ins))
            assert spec.readers or spec.flag_state or spec.flag_calls, ins
