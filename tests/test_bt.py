"""The binary translator: blocks joined from the instruction templates, exact to the
instruction in counts, faults, self-modifying code and device timing. The corpus (all
of guest_tests and the generated programs) runs on ``bt`` as on every engine; these
tests look at what only a translator can get wrong."""

import re
from pathlib import Path

import pytest

from conformance.assemble import assemble
from conformance.runner import run_test
from refvmm.cpu import flags as F
from refvmm.cpu.semantics import TEMPLATES
from refvmm.cpu.state import Segment
from refvmm.engines.bt import Translator
from refvmm.engines.interp import Interpreter
from refvmm.machine import Machine

BASE = 0x10000
ADD_BASIC = Path(__file__).resolve().parent.parent / "guest_tests" / "alu" / "add_basic.asm"


def machine(source: str, **regs) -> Machine:
    """A flat 32-bit CPL 0 machine with ``source`` at BASE and ESP at 0x8000."""
    m = Machine(1 << 20)
    m.load([(BASE, assemble(source, 32, BASE).code)])
    cpu = m.cpu
    cpu.reset(0, BASE)
    cpu.cr[0] = 0x11
    cpu.seg = [Segment(0x10, 0, 0xFFFFFFFF, 0x93, True) for _ in range(6)]
    cpu.seg[1] = Segment(0x08, 0, 0xFFFFFFFF, 0x9B, True)
    cpu.gpr[4] = 0x8000
    for i, name in enumerate(("eax", "ecx", "edx", "ebx")):
        cpu.gpr[i] = regs.get(name, 0)
    return m


def on_interp_and_bt(source: str, budget: int = 1000, **regs) -> list[tuple[str, int, dict]]:
    """(how the run stopped, instructions retired, registers) on the interpreter and on bt,
    each from the same start, the run taken up again after each budget."""
    runs = []
    for engine in (Interpreter(), Translator(hot=1)):
        m = machine(source, **regs)
        while (stop := engine.run(m, budget)) == "budget":
            pass
        runs.append((stop, m.retired, m.cpu.snapshot()))
    return runs


def test_templates_leave_underscored_names_to_the_translator():
    # A block keeps its own state in _cw, _done and _room between the joined statements.
    assert not [key for key, text in TEMPLATES.items() if re.search(r"\b_\w", text)]


def test_a_loop_body_is_one_block_up_to_its_jump():
    m = machine("mov ecx, 10\nl:\nadd eax, ecx\nxor ebx, eax\ndec ecx\njnz l\nhlt")
    bt = Translator(hot=1)
    assert bt.run(m, 1000) == "halt"
    assert m.cpu.gpr[0] == 55 and m.retired == 1 + 4 * 10 + 1  # 10 + 9 + ... + 1; HLT retires
    # blocks: MOV..JNZ from the entry, ADD..JNZ from the loop head, and HLT
    assert bt.translated == 3
    loop = next(b for b in bt._blocks.values() if b.heres[0] == BASE + 5)
    assert loop.length == 4 and loop.source.count("cpu.eip =") == 1  # JNZ's alone
    assert "while True:" in loop.source  # JNZ branches back to the block's start: it loops itself
    # Flags as partial evaluation: DEC takes CF straight from XOR (a logic result: 0) and
    # JNZ takes ZF from DEC's result, so no condition is computed, and the flag records of
    # ADD and XOR, which no one can see, are left out. DEC's is kept: it leaves the block.
    assert "condition(" not in loop.source and "cpu.carry()" not in loop.source
    kinds = [line.split("(")[1].split(",")[0] for line in loop.source.splitlines() if "cpu.lazy = (" in line]
    assert kinds == [str(F.DEC)] and "cpu.arith" not in loop.source


def test_the_budget_is_exact_inside_a_block():
    m = machine("l:\ninc eax\ninc eax\ninc eax\ninc eax\ninc eax\njmp l")
    bt = Translator(hot=1)
    for budget in (7, 1, 3, 13):
        assert bt.run(m, budget) == "budget"
    assert m.retired == 24
    assert m.cpu.gpr[0] == 20  # four passes of five INCs and a JMP: 24 instructions


def test_a_fault_inside_a_block_is_taken_at_its_instruction_with_its_esp():
    # #DE at the DIV, after two pushes: EIP on the DIV, ESP as the DIV found it, the
    # instructions before it done and counted (SDM Vol. 3, 6.5). The IDT is empty, so the
    # delivery itself faults on to a triple fault; what counts is the state left behind.
    m = machine("push eax\npush ebx\nmov edx, 7\ndiv ecx\nmov edx, 9", eax=5, ebx=6, ecx=0)
    m.cpu.idtr = (0, 0)
    with pytest.raises(Exception, match="triple fault"):
        Translator(hot=1).run(m, 100)
    assert m.cpu.gpr[2] == 7 and m.cpu.gpr[4] == 0x8000 - 8
    assert m.cpu.eip == BASE + 2 + 5  # the DIV: two one-byte pushes and a five-byte MOV before it


def test_a_store_into_the_running_block_is_seen_by_the_next_instruction():
    m = machine(f"mov byte ptr [{BASE + 8:#x}], 0x22\nmov al, 0x11\nmov bl, 7\nhlt")
    assert m.phys_read(BASE + 7, 2) == 0x11B0  # C6 05 addr 22 is 7 bytes; MOV AL, 0x11 (B0 11) follows
    bt = Translator(hot=1)
    assert bt.run(m, 100) == "halt"
    assert m.cpu.gpr[0] & 0xFF == 0x22 and m.cpu.gpr[3] == 7


def test_code_written_from_outside_is_translated_again():
    m = machine("mov eax, 1\nhlt")
    bt = Translator(hot=1)
    bt.run(m, 10)
    m.phys_write(BASE + 1, 1, 2)  # MOV EAX, 2 now
    m.cpu.eip, m.cpu.halted = BASE, False
    bt.run(m, 10)
    assert m.cpu.gpr[0] == 2 and bt.translated == 2  # MOV and HLT are one block, made twice


def test_a_rep_string_instruction_ending_a_block_runs_to_completion():
    # REP STOSB runs in chunks, leaving EIP on itself between them; the block before it
    # must not be run again from its start.
    m = machine("mov edi, 0x20000\nmov ecx, 10000\nmov al, 0xAB\ncld\nrep stosb\nhlt")
    assert Translator(hot=1).run(m, 100) == "halt"
    assert m.cpu.gpr[1] == 0 and m.ram[0x20000 : 0x20000 + 10000] == b"\xab" * 10000


@pytest.mark.parametrize("budget", [1, 5, 255, 256, 257, 1000])
def test_counts_and_state_match_the_interpreter_at_every_budget(budget):
    source = "mov ecx, 300\nl:\npush ecx\nadd eax, ecx\npop edx\nrdtsc\nloop l\nhlt"
    runs = on_interp_and_bt(source, budget)
    assert runs[0] == runs[1]


def test_an_interrupt_held_by_sti_is_taken_after_one_more_instruction():
    # STI; NOP; INC...: a request pending while IF was 0 is taken after the NOP (the
    # interrupt shadow of STI, SDM Vol. 2 STI), not at the end of a block of INCs.
    from refvmm.pc import PC

    source = "sti\nnop\ninc ebx\ninc ebx\ninc ebx\nhlt\nirq:\nmov ecx, ebx\nhlt"
    code = assemble(source, 16, 0x7C00).code
    handler = 0x7C00 + code.index(bytes.fromhex("6689d9"))  # MOV ECX, EBX in 16-bit code
    pc = PC(ram_size=1 << 20)
    pc.machine.load([(0x7C00, code), (0x21 * 4, handler.to_bytes(2, "little") + bytes(2))])
    pc.machine.cpu.reset(0, 0x7C00)
    pc.machine.cpu.gpr[1] = 0x1234
    pc.pic.write(0x20, 1, 0x11)  # ICW1-4: vectors 0x20-0x27, 8086 mode; IRQ 1 unmasked
    for value in (0x20, 0x04, 0x01, 0xFD):
        pc.pic.write(0x21, 1, value)
    pc.pic.set_irq(1, True)
    Translator(hot=1).run(pc.machine, 100)
    assert pc.machine.cpu.gpr[1] == 0  # the handler (vector 0x21) ran, and saw no INC


@pytest.mark.parametrize("engine", ["interp", "bt"])
def test_refvmm_run_on_each_engine(engine, capsys):
    from refvmm.cli import main

    assert main(["run", str(ADD_BASIC), "--engine", engine]) == 0
    assert "exit: end after" in capsys.readouterr().out


def test_refvmm_run_refuses_a_trace_on_the_translator():
    from refvmm.cli import main

    with pytest.raises(SystemExit, match="use it with --engine interp"):
        main(["run", str(ADD_BASIC), "--engine", "bt", "--trace", "5"])


def test_configurations_of_the_translator():
    from refvmm.engines import make_engine

    plain = make_engine("bt:noopt,block=2")
    m = machine("mov ecx, 3\nl:\nadd eax, ecx\ndec ecx\njnz l\nhlt")
    assert plain.run(m, 100) == "halt" and m.cpu.gpr[0] == 6
    sources = [b.source for b in plain._blocks.values()]
    assert all(b.length <= 2 for b in plain._blocks.values())
    assert not any("while True" in s or "a_0" in s for s in sources)  # no loops, no renaming
    for bad in ("bt:fast", "bt:block=0", "interp:noopt", "qemu"):
        with pytest.raises(ValueError):
            make_engine(bad)


def test_a_loop_of_register_arithmetic_keeps_registers_in_locals():
    m = machine("mov ecx, 1000\nl:\nadd eax, ecx\nxor ebx, eax\ndec ecx\njnz l\nhlt")
    bt = Translator(hot=1)
    assert bt.run(m, 100_000) == "halt"
    assert m.cpu.gpr[0] == 500_500 and m.cpu.gpr[1] == 0  # 1 + 2 + ... + 1000, written back
    loop = next(b for b in bt._blocks.values() if "while True" in b.source)
    assert "_r0 = g[0]" in loop.source and "g[0] = _r0" in loop.source
    # with memory in the loop (which can fault) the registers stay in the register file
    m = machine("mov ecx, 10\nl:\nadd eax, [0x20000]\ndec ecx\njnz l\nhlt")
    bt = Translator(hot=1)
    assert bt.run(m, 1000) == "halt"
    loop = next(b for b in bt._blocks.values() if "while True" in b.source)
    assert "_r0" not in loop.source


def test_a_direct_call_goes_on_in_the_same_block():
    source = "mov ecx, 5\nl:\ncall f\ndec ecx\njnz l\nhlt\nf:\ninc eax\nret"
    runs = []
    for engine in (Interpreter(), Translator(hot=1)):
        m = machine(source)
        assert engine.run(m, 1000) == "halt"
        runs.append((m.retired, m.cpu.snapshot()))
    assert runs[0] == runs[1] and runs[1][1]["eax"] == 5 and runs[1][0] == 1 + 5 * 5 + 1
    call = next(b for b in engine._blocks.values() if b.heres[0] == BASE + 5)  # CALL at l
    # MOV ECX (5 bytes), CALL (5), DEC (1), JNZ rel8 (2), HLT (1): f is at +14
    assert call.heres == (BASE + 5, BASE + 14, BASE + 15)  # CALL, then INC and RET at f


def test_code_runs_on_the_interpreter_until_it_repeats():
    # bt translates a block at its HOT-th run: the entry and HLT run once, the loop ten times
    m = machine("mov ecx, 10\nl:\nadd eax, ecx\nxor ebx, eax\ndec ecx\njnz l\nhlt")
    bt = Translator(hot=4)
    assert bt.run(m, 1000) == "halt" and m.cpu.gpr[0] == 55
    assert bt.translated == 1 and next(iter(bt._blocks.values())).heres[0] == BASE + 5


SMC = sorted((ADD_BASIC.parent.parent / "control").glob("smc_*.asm"))


@pytest.mark.parametrize("path", SMC, ids=lambda path: path.stem)
def test_self_modifying_code_on_every_translator_configuration(path):
    # a store (a flag-setting one too) that rewrites an instruction later in its own block
    engines = ["bt:hot=1", "bt:hot=1,block=3", "bt:hot=1,noopt", "bt:hot=1,block=1"]
    assert [(o.engine, o.status) for o in run_test(path, engines, {})] == [(e, "pass") for e in engines]


def test_a_loop_that_calls_a_helper_keeps_registers_in_the_register_file():
    # PUSH and POP reach memory through helpers given the register file: no locals
    m = machine("mov ecx, 10\nl:\npush ecx\nadd eax, ecx\npop edx\ndec ecx\njnz l\nhlt")
    bt = Translator(hot=1)
    assert bt.run(m, 1000) == "halt" and m.cpu.gpr[0] == 55
    loop = next(b for b in bt._blocks.values() if "while True" in b.source)
    assert "_r0" not in loop.source and "g[0] = (r_1) & 0xFFFFFFFF" in loop.source
    # PUSH may write code: the block looks after it, and not after the POP, which only reads
    assert loop.source.count("m.code_writes != _cw") == 1


SIDE_EXIT = "l:\nadd eax, 1\ncmp eax, 5\nje done\nadd ebx, 2\njmp l\ndone:\nhlt"
SIDE_EXIT_IN_LOCALS = "l:\nadd eax, ecx\ndec ecx\njz done\njmp l\ndone:\nhlt"


def test_a_conditional_branch_inside_a_block_is_a_side_exit():
    # JE goes on in the block at its fall-through and returns when taken, so the JMP back
    # makes the whole body one block that runs its iterations itself
    m = machine(SIDE_EXIT)
    bt = Translator(hot=1)
    assert bt.run(m, 1000) == "halt"
    assert m.cpu.gpr[0] == 5 and m.cpu.gpr[3] == 8
    assert m.retired == 4 * 5 + 3 + 1  # four passes of five, then ADD, CMP, JE taken; HLT
    loop = next(b for b in bt._blocks.values() if b.heres[0] == BASE)
    assert loop.length == 5 and "while True:" in loop.source
    assert bt.translated == 2  # the loop and HLT


@pytest.mark.parametrize(
    ("source", "eax"), [(SIDE_EXIT, 5), (SIDE_EXIT_IN_LOCALS, 9 * 10 // 2)], ids=["memory", "locals"]
)
@pytest.mark.parametrize("budget", [1, 2, 3, 4, 7, 1000])
def test_a_side_exit_leaves_counts_and_state_as_the_interpreter_does(source, eax, budget):
    # taken or not, at every place the budget can cut a pass; in the register loop the
    # side exit stores the registers the block kept in locals
    runs = on_interp_and_bt(source, budget, ecx=9)
    assert runs[0] == runs[1] and runs[0][2]["eax"] == eax


def test_a_write_beside_translated_code_keeps_its_blocks():
    # data on the page of a loop: the loop is translated once, however often the data is
    # written; a write to the loop's own bytes is still seen (test_code_written_from_outside)
    data = BASE + 0x40
    m = machine(f"mov ecx, 50\nl:\nmov [{data:#x}], ecx\ndec ecx\njnz l\nhlt")
    bt = Translator(hot=1)
    assert bt.run(m, 1000) == "halt"
    assert m.phys_read(data, 4) == 1 and bt.translated == 3  # the entry, the loop, HLT


def test_a_timed_instruction_ending_a_chained_block_sees_the_exact_count():
    # the loop block returns when JNZ falls through and RDTSC's block runs next in the same
    # run: RDTSC reads the instructions retired before it, as on the interpreter
    source = "mov ecx, 5\nl:\nadd ebx, 1\ndec ecx\njnz l\nrdtsc\nhlt"
    runs = on_interp_and_bt(source)
    assert runs[0] == runs[1] and runs[0][0] == "halt" and runs[0][2]["eax"] == 1 + 3 * 5


class CountingBus:
    def __init__(self):
        self.reads = 0

    def read(self, port, size):
        self.reads += 1
        return self.reads

    def write(self, port, size, value):
        return False


def test_a_fault_after_a_port_read_in_a_block_does_not_read_the_port_again():
    # IN ends its block and renews the checkpoint: the DIV's fault rolls back to after it
    runs = []
    for engine in (Interpreter(), Translator(hot=1)):
        m = machine("inc ebx\nin al, 0x80\ndiv ecx\nhlt", ecx=0)
        m.io = bus = CountingBus()
        m.cpu.idtr = (0, 0)
        with pytest.raises(Exception, match="triple fault"):
            engine.run(m, 100)
        runs.append((bus.reads, m.retired, m.cpu.snapshot()))
    assert runs[0] == runs[1] and runs[0][0] == 1 and runs[0][2]["eax"] & 0xFF == 1
