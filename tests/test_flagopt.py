"""The translator's partial evaluation of flags, on statements as codegen makes them:
what it may leave out or read directly, and what it must leave alone."""

from refvmm.engines.flagopt import drop_dead_flag_writes, inline_flag_reads, rename_locals

ADD = ["a = g[0]", "b = g[1]", "r = (a + b) & 4294967295", "g[0] = (r) & 0xFFFFFFFF",
       "cpu.lazy = (F.ADD, a, b, r, 32, 0)", "cpu.eip = 2"]  # fmt: skip
SUB = ["a = g[2]", "b = 0x3", "r = (a - b) & 4294967295", "g[2] = (r) & 0xFFFFFFFF",
       "cpu.lazy = (F.SUB, a, b, r, 32, 0)", "cpu.eip = 5"]  # fmt: skip
LOAD = ["ea1 = ((g[6]) & 0xffffffff)", "lin1 = seg_linear(cpu, 3, ea1, 4, False)",
        "g[0] = (m.read(lin1, 4, u)) & 0xFFFFFFFF", "cpu.eip = 7"]  # fmt: skip
JB = ["cpu.eip = (9 + 4) & 4294967295 if condition(cpu, 2) else 9"]
JO = ["cpu.eip = (9 + 4) & 4294967295 if condition(cpu, 0) else 9"]
SHL = ["n = (g[1] & 0xFF) & 31", "if n:", "    a = g[0]", "    r = (a << n) & 4294967295",
       "    g[0] = (r) & 0xFFFFFFFF", "    cpu.lazy = (F.SHL, a, n, r, 32, (a >> (32 - n)) & 1)",
       "cpu.eip = 11"]  # fmt: skip


def block(*bodies):
    return [rename_locals(body, i) for i, body in enumerate(bodies)]


def test_locals_get_their_instruction_s_suffix():
    assert rename_locals(ADD, 3)[:3] == ["a_3 = g[0]", "b_3 = g[1]", "r_3 = (a_3 + b_3) & 4294967295"]
    assert rename_locals(LOAD, 1)[1] == "lin1_1 = seg_linear(cpu, 3, ea1_1, 4, False)"


def test_a_record_replaced_before_anyone_looks_is_left_out():
    add, sub = drop_dead_flag_writes(block(ADD, SUB), [False, False])
    assert (
        not any(line.startswith("cpu.lazy") for line in add)
        and "cpu.lazy = (F.SUB, a_1, b_1, r_1, 32, 0)" in sub
    )


def test_a_record_is_kept_when_the_block_may_return_between():
    # a load marked as a place the block may return (the translator marks every memory access)
    add, _load, _sub = drop_dead_flag_writes(block(ADD, LOAD, SUB), [False, True, False])
    assert "cpu.lazy = (F.ADD, a_0, b_0, r_0, 32, 0)" in add


def test_a_record_is_kept_when_its_own_instruction_may_end_the_block():
    # a flag-setting store that rewrites the code after it: the block returns right after it
    add, _sub = drop_dead_flag_writes(block(ADD, SUB), [True, False])
    assert "cpu.lazy = (F.ADD, a_0, b_0, r_0, 32, 0)" in add


def test_a_fault_between_does_not_keep_a_record():
    # a faulting block is replayed on the interpreter's path, which computes every flag
    add, _load, _sub = drop_dead_flag_writes(block(ADD, LOAD, SUB), [False, False, False])
    assert not any(line.startswith("cpu.lazy") for line in add)


def test_a_condition_reads_the_writer_s_locals():
    # JB after SUB: CF = a < b (unsigned borrow); a memory load between leaves flags alone
    _sub, _load, jb = inline_flag_reads(block(SUB, LOAD, JB))
    assert jb == ["cpu.eip = (9 + 4) & 4294967295 if (a_0 < b_0) else 9"]


def test_what_is_not_inlined():
    # OF is not among the flags read directly; a conditional record cannot be relied on
    assert inline_flag_reads(block(SUB, JO))[1] == JO
    assert inline_flag_reads(block(SUB, SHL, JB))[2] == JB
