"""The fuzzer: its programs assemble, its causes are narrow, and a campaign finds,
attributes, shrinks and saves an engine's bug reproducibly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance import cli
from conformance.format import parse_text
from conformance.fuzz import campaign, divergence, judge
from conformance.fuzz.catalogue import ROBIN_IRVINE, TARGETS
from conformance.fuzz.program import programs
from conformance.runtime import build_image
from conformance.undefined import AF, PF, along, undefined_read

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_every_target_draws_programs_that_assemble(data):
    target = data.draw(st.sampled_from(sorted(TARGETS)))
    program = data.draw(programs(TARGETS[target]))
    for text in (program.text(), program.control()):
        build_image(parse_text(text, "fuzz.asm", "fuzz/x.asm"))  # raises on a bad program
    assert all(line in program.text() for line in program.focal)


def test_the_catalogue_holds_robin_and_irvines_instructions():
    names = {t.name for t in ROBIN_IRVINE}
    assert {"sgdt", "sidt", "sldt", "smsw", "pushf", "popf", "lar", "lsl", "verr", "verw", "str"} <= names
    assert {"push sreg", "pop sreg", "far call", "far jmp", "far ret", "int n", "mov sreg"} <= names


def _verdict(text: str, engine: str = "interp") -> judge.Verdict:
    return judge.run(text, "fuzz/t.asm", [engine], ["unicorn"])[engine]


def test_a_cause_explains_only_where_the_oracle_is_at_fault():
    # Unicorn ignores the I/O bitmap: at CPL 3 with IOPL 0, OUT to port 0x80 must #GP
    denied = "; mode: user32\n; on-exception: resume\n    mov al, 1\n    out 0x80, al\n"
    v = _verdict(denied)
    assert v.cause == "unicorn: no I/O permission bitmap" and not v.finding
    # IOPL 3 allows the OUT: the VMM performs it too, so there is nothing to explain
    allowed = (
        "; mode: user32\n; regs: eflags=0x3202\n; on-exception: resume\n    mov al, 1\n    out 0x80, al\n"
    )
    assert _verdict(allowed).status == "pass"
    # a difference of another kind is a finding, even in a program with that OUT in it
    both = (
        "; mode: user32\n; compare: 0x18000 8\n; on-exception: resume\n    out 0x80, al\n    sgdt [0x18000]\n"
    )
    v = _verdict(both, "fake_engine:WrongSgdt")
    assert v.finding and not v.cause and v.unexplained == ["mem[0x18000]"]


def test_not_implemented_is_named_not_a_crash():
    v = _verdict("; mode: pm32\n    sgdt [0x18000]\n", "fake_engine:LacksSgdt")
    assert v.cause == "refvmm: not implemented: sgdt" and not v.finding


def test_a_campaign_finds_shrinks_and_attributes(tmp_path):
    results = campaign.run(["sgdt", "cli/sti"], ["fake_engine:WrongSgdt"], ["unicorn"], 40, None, 7, 1)
    findings = [f for r in results for f in r.findings]
    sgdt = [f for f in findings if f.target == "sgdt"]
    assert sgdt, "the engine's SGDT bug was not found"
    body = [line.strip() for line in sgdt[0].text.splitlines() if not line.startswith(";")]
    assert len(body) <= 2 and any(line.startswith("sgdt") for line in body), body  # shrunk to SGDT
    assert not [f for f in findings if f.target == "cli/sti"]  # a CLI/STI program with SGDT is not CLI's
    again = campaign.run(["sgdt"], ["fake_engine:WrongSgdt"], ["unicorn"], 20, None, 7, 1)
    assert sgdt[0].text in {f.text for r in again for f in r.findings}  # reproducible from the seed


def test_a_target_is_found_where_its_context_differs_already():
    # every program differs in ESP, with SGDT or without: SGDT's own difference (memory) is
    # still the target's, as naive-de's VERW result is in a context whose POPF differs
    engine = "fake_engine:WrongSgdtEverywhereEsp"
    results = campaign.run(["sgdt"], [engine], ["unicorn"], 20, None, 7, 1)
    sgdt = [f for r in results for f in r.findings if f.target == "sgdt"]
    assert sgdt and "sgdt" in sgdt[0].text and "mem" in sgdt[0].signature


@pytest.mark.parametrize(
    "load",
    [
        "mov ds, word ptr [eax - 0x6f6f6f70]",
        "les dx, [eax - 0x6f6f6f70]",  # the segment of a far-pointer load is not an operand
    ],
)
def test_the_selector_past_the_limit_cause_takes_every_segment_load(load):
    # pm16: DS's limit is 0xFFFF, so the offset faults #GP(0); Unicorn reads open bus past
    # it and faults on the selector 0xFFFF
    v = _verdict(f"; mode: pm16\n; on-exception: resume\n    {load}\n")
    assert v.cause == "unicorn: #GP(selector) for a selector read past the limit" and not v.finding


@pytest.mark.parametrize(
    "engine, text, cause, may_agree",
    [
        # pm16: the 94-byte image at DS:0xFFA3 runs two bytes past the limit: #GP(0); the
        # host CPU has loaded the tag word by then, the VMM nothing
        (
            "interp",
            "; mode: pm16\n; on-exception: resume\n; regs: ebx=0x8000 esi=0x8000\n"
            "    frstor [bx + si - 0x5d]\n",
            "architecture: x87 state after a faulting FLDENV or FRSTOR",
            False,
        ),
        # FSTP m80 at 0xFFFFFFF7: #GP(0) on the VMM; the host CPU (AMD EPYC) writes the first
        # bytes' page instead and takes #PF there, which the SDM allows as well
        (
            "interp",
            "; mode: pm32-paged\n; on-exception: resume\n; regs: ecx=3\n"
            "    fld1\n    fstp tbyte ptr [ecx - 0xc]\n",
            "architecture: an access past 4 GiB (implementation-specific)",
            True,
        ),
        # pm16, SP = 0xFFF1: POPA's 16 bytes end past the limit, #SS(0); an AMD host has
        # loaded the registers from what it read (zeros), the VMM none
        (
            "interp",
            "; mode: pm16\n; on-exception: resume\n; regs: ecx=3 ebx=0x8000\n    inc sp\n    popa\n",
            "host CPU: AMD's POPA loads registers before its #SS",
            True,
        ),
        # ENTER 0x9090, 16 with EBP at 16 MiB: the first nested frame pointer is read from a
        # page user32 does not map (#PF); the host CPU has pushed EBP by then
        (
            "interp",
            "; mode: user32\n; on-exception: resume\n; compare: 0x1ffb0 0x40\n"
            "    mov ebp, 0x1000000\n    enter 0x9090, 0x90\n",
            "host CPU: a faulting ENTER leaves its pushes below ESP",
            True,
        ),
        # FUCOMIP of an empty ST(0), then DAS: the unordered CF the backend does not set
        # gives another AL
        ("de+bt", "; mode: user32\n    fucomip st(0)\n    das\n", "de+bt: its Unicorn backend's x87", False),
        # FUCOMI of an empty ST(0): unordered (ZF, PF, CF set) and OF, SF, AF cleared; the
        # Unicorn backend flags no underflow and leaves the SF and AF of the DEC before it
        (
            "de+bt",
            "; mode: user32\n; regs: eax=0\n    dec eax\n    fucomi st(0)\n",
            "de+bt: its Unicorn backend's x87",
            False,
        ),
    ],
)
def test_causes_against_the_host_cpu(engine, text, cause, may_agree):
    # may_agree: the SDM allows what the VMM does too, so another host CPU may do the same
    v = judge.run(text, "fuzz/t.asm", [engine], ["native"])[engine]
    if v.status == "unjudged":
        pytest.skip(f"the native oracle cannot run it here: {v.detail}")
    if may_agree and v.status == "pass":
        pytest.skip("this host CPU does what the VMM does")
    assert v.cause == cause and not v.finding


def test_flags_left_undefined_are_followed_where_a_branch_went():
    from conformance.compare import Difference
    from conformance.fuzz.causes import _left_undefined_on_path
    from conformance.runner import Outcome, engine_for, run_image

    def left_undefined(jump: str) -> bool:
        # AAD leaves CF and OF undefined; the ADD after the JNS defines them, where it runs
        body = f"    aad 0x71\n    {jump} l_over\n    add al, 0\nl_over:\n    nop\n"
        text = "; mode: pm32\n; regs: eax=0x0102\n" + body
        image = build_image(parse_text(text, "fuzz/t.asm", "fuzz/t.asm"))
        state = run_image(engine_for("interp"), image)
        differences = [Difference("eflags.cf", "1", "0"), Difference("eflags.of", "1", "0")]
        engine = Outcome("t", "t", "interp", "fail", differences, "", state)
        return _left_undefined_on_path(engine, Outcome("t", "t", "native", "pass", [], "", state), image)

    assert left_undefined("jns")  # AL = 0x73: SF clear, the branch goes over the ADD
    assert not left_undefined("js")  # not taken: the ADD runs and defines both


def test_a_rep_of_billions_of_iterations_is_unicorns_count_not_a_hang():
    from dataclasses import replace

    from conformance.fuzz.causes import rep_outlasts_the_budget
    from conformance.runner import Outcome, engine_for, run_image

    # ECX = 0xFFFFFFFF: one instruction for the interpreter, 2,000 for Unicorn's budget
    text = "; mode: pm32\n; budget: 2000\n; regs: ecx=0xffffffff esi=0x18000 edi=0x18000\n    repe cmpsb\n"
    image = replace(build_image(parse_text(text, "fuzz/t.asm", "fuzz/t.asm")), timeout=0.5)
    mine, theirs = (run_image(engine_for(e), image) for e in ("interp", "unicorn"))
    assert mine.exit == "timeout" and theirs.exit == "budget"
    engine = Outcome("t", "t", "interp", "timeout", [], "", mine)

    def judged(reference) -> bool:
        return rep_outlasts_the_budget(engine, Outcome("t", "t", "unicorn", "pass", [], "", reference), image)

    assert judged(theirs)
    assert not judged(replace(theirs, regs={**theirs.regs, "ecx": 0}))  # the REP had ended
    assert not judged(replace(theirs, exit="end"))  # Unicorn finished: the hang is the engine's


def test_the_command_saves_findings_and_reports_them(tmp_path, capsys):
    report = tmp_path / "fuzz.json"
    args = ["-e", "fake_engine:WrongSgdt", "-t", "sgdt", "-t", "smsw", "--examples", "20", "--seed", "3"]
    status = cli.main(["fuzz", *args, "-j", "1", "--save", str(tmp_path / "found"), "--json", str(report)])
    assert status == 1
    out = capsys.readouterr().out
    assert "FINDING sgdt [fake_engine:WrongSgdt]" in out and "replay: conformance run" in out
    data = json.loads(report.read_text())
    saved = data["findings"][0]["file"]
    assert data["targets"]["sgdt"]["findings"] == 1 and data["programs_per_second"] > 0
    text = Path(saved).read_text()
    assert "; Replay: conformance run" in text
    # the saved reproducer is an ordinary corpus test, and still shows the bug
    assert cli.main(["run", saved, "-e", "unicorn", "-e", "fake_engine:WrongSgdt"]) == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["-t", "nope"], "--target 'nope': not in the catalogue"),
        (["-m", "v86"], "--mode 'v86': one of"),
        (["-e", "nope"], "unknown engine 'nope'"),
        (["--json", "/no/such/dir/x.json"], "no such folder"),
    ],
)
def test_bad_arguments_are_one_line_errors(args, message, capsys):
    assert cli.main(["fuzz", *args]) == 2
    out = capsys.readouterr().out
    assert message in out and out.count("\n") <= 2 and "Traceback" not in out


def test_the_read_modify_write_cause_needs_a_read_modify_write():
    rmw = "; mode: user32\n; on-exception: resume\n    add [eax], al\n"  # page 0 is supervisor-only
    assert _verdict(rmw).cause == "unicorn: read-modify-write #PF as a read"
    read = "; mode: user32\n; on-exception: resume\n    mov al, [eax]\n"  # a read: W/R = 0 everywhere
    assert _verdict(read).status == "pass"


def test_random_bytes_programs_assemble_and_run():
    from conformance.fuzz.random_bytes import RandomProgram

    v = _verdict(RandomProgram("pm16", bytes.fromhex("d6f1")).text())  # SALC, then ICEBP
    assert v.cause == "unicorn: ICEBP raises #UD" and not v.finding


def test_batches_carry_the_modes_and_share_the_examples():
    jobs = list(campaign.jobs(["sgdt", "smsw", "lar"], 10, 0, ["interp"], ["unicorn"], 0.0, 0.0, ("pm16",)))
    assert {j.modes for j in jobs} == {("pm16",)}
    assert sum(j.examples for j in jobs) == 10 and {j.target for j in jobs} == {"sgdt", "smsw", "lar"}


def test_the_limit_cause_needs_a_limited_segment():
    # RETF to a code segment of limit 0xFFF at offset 0x19000: #GP(0); Unicorn checks no limits
    pad = "; data: 0x19000 db 0xe6 0xf4\n"  # out 0xf4, al: where Unicorn lands, the test ends
    header = "; mode: pm32\n; gdt: 10=0x9f0000000fff\n; on-exception: resume\n" + pad
    text = header + "    push 0x50\n    push 0x19000\n    retf\n"
    assert _verdict(text).cause == "unicorn: no segment limit checks"
    from conformance.fuzz.causes import _limited_segments

    flat = build_image(parse_text("; mode: pm32\n; gdt: 10=0xcf9b000000ffff\n    nop\n", "t.asm", "t.asm"))
    assert not _limited_segments(flat)


def test_the_cs_accessed_bit_explains_a_copy_of_the_register_in_memory():
    # LAR of the runtime's CS (0x08) reads the accessed bit Unicorn never sets; the INT's
    # handler saves EDX with PUSHAD in the compared stack, where the copy differs in bit 8 too
    # (LAR's bits 16-19 are the limit's, left undefined by the SDM, hence the AND)
    text = (
        "; mode: pm32\n; on-exception: resume\n; compare: 0x1ffb0 0x40\n"
        "    mov eax, 0x8\n    lar edx, eax\n    and edx, 0xfff0ffff\n    int 0x80\n"
    )
    v = _verdict(text)
    assert v.cause == "unicorn: no accessed bit on a CS load" and not v.finding


def test_the_null_ltr_cause_needs_an_ltr_that_faults():
    # LTR 0: #GP(0) on the VMM, TR loaded on Unicorn (SDM vol. 2 LTR)
    text = "; mode: pm32\n; on-exception: resume\n    xor eax, eax\n    ltr ax\n    str ebx\n"
    assert _verdict(text).cause == "unicorn: LTR of a null selector"
    # a wrong result of another instruction beside it is a finding
    both = "; mode: pm32\n; compare: 0x18000 8\n; on-exception: resume\n    sgdt [0x18000]\n    ltr ax\n"
    v = _verdict(both.replace("    ltr ax\n", "    xor eax, eax\n    ltr ax\n"), "fake_engine:WrongSgdt")
    assert v.finding and not v.cause


def test_the_ret_imm16_cause_needs_only_esp_to_differ_by_64k():
    # RET 0x9090 on a 32-bit stack: ESP gains 0x9094 (SDM vol. 2 RET); Unicorn adds to SP only
    text = "; mode: pm32\n    call f\n    jmp done\nf:\n    ret 0x9090\ndone:\n"
    v = _verdict(text)
    assert v.cause == "unicorn: RET imm16 adds to SP only" and not v.finding
    # the same difference without a RET imm16 in the program is a finding
    plain = "; mode: pm32\n    add esp, 0x9094\n"
    v = _verdict(plain, "fake_engine:WrongEsp")
    assert v.finding and not v.cause


def test_the_limit_cause_takes_a_shutdown_from_a_frame_past_a_16bit_stack():
    # SP = 2 on the runtime's 16-bit stack: #UD's frame straddles the limit; Unicorn
    # delivers it, the VMM shuts down (guest_tests/interrupts/pm16_frame_past_stack_limit_shuts_down.asm)
    text = "; mode: pm16\n; on-exception: resume\n    mov sp, 2\n    ud2\n"
    v = _verdict(text)
    assert v.cause == "unicorn: no segment limit checks" and not v.finding
    # with room for the frame and the handler below SP, nothing differs
    assert _verdict(text.replace("sp, 2", "sp, 0x800")).status == "pass"


def test_a_cause_sees_the_instruction_a_branch_reached_beyond_the_body():
    # JMP +16 leaves the two-byte body for the zeros after it: ADD [EAX], AL, a
    # read-modify-write whose #PF Unicorn reports as a read
    text = "; mode: user32\n; on-exception: resume\n; budget: 200\n    .byte 0xeb, 0x10\n"
    v = _verdict(text)
    assert v.cause == "unicorn: read-modify-write #PF as a read" and not v.finding


def test_the_x87_stack_fault_cause_needs_the_engine_to_flag_one():
    # FCOM with an empty ST(0) after FNINIT: stack underflow, IE and SF (SDM vol. 1 8.5.1.1)
    text = "; mode: pm32\n    fninit\n    fcom dword ptr [0x18000]\n"
    v = _verdict(text)
    assert v.cause == "unicorn: no x87 stack faults" and not v.finding
    # an FSW that differs in another way is a finding
    v = _verdict(text, "fake_engine:WrongFsw")
    assert v.finding and not v.cause


def test_reading_an_undefined_flag_is_the_architectures_cause():
    # SHL AL, 1 leaves AF undefined and DAS reads it: AL may end 0 or 0xFA
    reads = "; mode: pm32\n    shl al, 1\n    das\n"
    v = _verdict(reads, "fake_engine:ForcedEax")
    assert v.cause == "architecture: reads an undefined flag" and not v.finding
    # ADD defines AF again before DAS: the same difference is a finding
    defined = "; mode: pm32\n    shl al, 1\n    add al, 0\n    das\n"
    v = _verdict(defined, "fake_engine:ForcedEax")
    assert v.finding and not v.cause


def test_an_undefined_read_is_found_on_the_straight_reading_only():
    # imul byte [esi] (PF undefined); jnp: the condition reads it
    assert undefined_read(bytes.fromhex("f62e7b90"), 0, 32) == (2, "jnp", PF)
    # a faulting IMUL wrote no flags
    assert undefined_read(bytes.fromhex("f62e7b90"), 0, 32, frozenset({0})) is None
    # past a JMP the reading is no longer what runs; a JMP +0 leaves it as it is
    assert undefined_read(bytes.fromhex("f62eeb01907b90"), 0, 32) is None
    assert undefined_read(bytes.fromhex("f62eeb007b90"), 0, 32) == (4, "jnp", PF)


def test_the_decode_causes_need_the_prefix_or_the_opcode():
    # LOCK ENTER: #UD on the VMM, run by Unicorn
    v = _verdict("; mode: pm32\n; on-exception: resume\n    .byte 0xf0, 0xc8, 0x10, 0x00, 0x00\n")
    assert v.cause == "unicorn: LOCK not refused as decoded" and not v.finding
    # 8F /2: #UD on the VMM, a POP on Unicorn
    v = _verdict("; mode: pm32\n; on-exception: resume\n    .byte 0x8f, 0x10\n")
    assert v.cause == "unicorn: 8F /1-/7 run as POP" and not v.finding
    # a plain POP to memory is no cause: nothing to explain
    assert _verdict("; mode: pm32\n; on-exception: resume\n    pop dword ptr [0x18000]\n").status == "pass"


def test_the_x87_stack_fault_cause_takes_fcomi_flags_and_undecoded_aliases():
    # FUCOMI with an empty stack: unordered, ZF PF CF set, with IE and SF (SDM vol. 2 FCOMI)
    v = _verdict("; mode: pm32\n    fninit\n    fucomi st(0), st(1)\n")
    assert v.cause == "unicorn: no x87 stack faults" and not v.finding
    # DC D0: an alias of FCOM ST(0) that capstone does not decode
    v = _verdict("; mode: pm32\n    fninit\n    .byte 0xdc, 0xd0\n    nop\n")
    assert v.cause == "unicorn: no x87 stack faults" and not v.finding


def test_the_count_cause_needs_a_write_to_code_and_both_runs_out_of_budget():
    # the ADD writes its own bytes (DS:0 is the body's start in pm16)
    smc = "; mode: pm16\n; budget: 2000\nl:\n    add [bx+si], al\n    inc cx\n    jmp l\n"
    v = _verdict(smc)
    assert v.cause == "unicorn: instructions counted twice after a write to code" and not v.finding
    # the same loop on data: the counts agree
    data = (
        "; mode: pm16\n; budget: 2000\n; regs: ebx=0x8000\nl:\n    add [bx+si], al\n    inc cx\n    jmp l\n"
    )
    assert _verdict(data).status == "pass"


def test_the_oracle_finds_its_exit_after_the_test_loads_a_gdt_of_open_bus():
    # LGDT of all ones: the oracle can no longer read CS's base from the GDT, yet it
    # reports EIP after the exit's OUT as every engine does
    assert _verdict("; mode: pm32\n    lgdt [0x90909090]\n").status == "pass"


def test_the_segment_causes_need_a_null_or_a_code_segment_at_the_fault():
    # LES loads a null ES from the zeros at 0x18000; STOSB through it is #GP(0)
    null = (
        "; mode: pm32\n; on-exception: resume\n; regs: ebx=0x18000 edi=0x18000\n"
        "    les eax, [ebx]\n    stosb\n"
    )
    assert _verdict(null).cause == "unicorn: no null-selector check"
    # a store through CS: #GP(0), a code segment is not writable
    assert _verdict("; mode: pm32\n; on-exception: resume\n    mov byte ptr cs:[0x18000], al\n").cause == (
        "unicorn: no segment type checks"
    )
    # a load through CS is allowed everywhere: nothing to explain
    assert _verdict("; mode: pm32\n    mov al, byte ptr cs:[0x18000]\n").status == "pass"


def test_the_test_alias_cause_needs_group_3_reg_1():
    v = _verdict("; mode: pm32\n; on-exception: resume\n    .byte 0xf7, 0xc8, 0, 0, 0, 0x80\n")
    assert v.cause == "unicorn: F6 /1 and F7 /1 raise #UD" and not v.finding


def test_the_real_mode_wrap_cause_needs_unicorn_past_64k():
    # JNO back from IP 3 to 0xFF84: the VMM runs on to 0xFFFF and wraps to the body again
    text = "; mode: real16\n; budget: 2000\n    .byte 0x48, 0x71, 0x81\n" + "    nop\n" * 15
    v = _verdict(text)
    assert v.cause == "unicorn: no IP wrap in real mode" and not v.finding


def test_the_far_return_cause_needs_a_user_page_fault_at_a_far_return():
    text = "; mode: user32\n; on-exception: resume\n    mov esp, 0x100\n    retf\n    mov esp, 0x1fff0\n"
    v = _verdict(text)
    assert v.cause == "unicorn: far returns read the stack as the kernel" and not v.finding


def test_the_task_switch_and_gate_causes():
    # a TSS of zeros: the new task's null SS, #TS, and no stack to take it on
    zero_tss = "; mode: pm32\n; gdt: 10=0x0000890184000067\n    ljmp 0x50:0\n"
    assert _verdict(zero_tss).cause == "unicorn: a new task's #TS delivered without a stack switch"
    gate = (
        "; mode: pm32\n; on-exception: resume\n; gdt: 10=0x00018c0000582000 11=0x00cf1a000000ffff\n"
        "    ljmp 0x50:0\n"
    )
    assert _verdict(gate).cause == "unicorn: #GP for a JMP through a gate to a missing segment"


_DENORMAL = "; data: 0x18000 dd 1 0\n"


def test_a_difference_is_judged_at_the_instruction_that_began_it():
    # FLD of a denormal double sets DE on the VMM, not on Unicorn; the FSW is then stored
    # and added to: the final state differs in memory and registers, which no cause of
    # final differences explains, but the first divergence is the FLD's FSW alone
    text = (
        "; mode: pm32\n" + _DENORMAL + "; compare: 0x18100 4\n"
        "    fld qword ptr [0x18000]\n    fnstsw ax\n    add eax, 5\n    mov [0x18100], eax\n"
    )
    v = _verdict(text)
    assert v.cause == "unicorn: no x87 denormal-operand flag" and not v.finding
    assert "first divergence after" in v.detail and "(fld qword ptr [0x18000]): fsw" in v.detail


def test_the_bisection_follows_unicorns_double_count_after_a_write_to_code():
    # the MOV rewrites the NOP after it, in the block Unicorn is running: Unicorn counts
    # the MOV twice, and the bisection must look past that to the FLD
    text = (
        "; mode: pm32\n" + _DENORMAL + "    mov byte ptr [next], 0x90\nnext:\n    nop\n"
        "    nop\nhere:\n    fld qword ptr [0x18000]\n"
    )
    image = build_image(parse_text(text, "fuzz/t.asm", "fuzz/t.asm"))
    d = divergence.first(image, "interp", "unicorn")
    assert d is not None and d.eip == image.labels["here"]
    assert [x.field for x in d.differences] == ["fsw"]


def test_undefined_flags_are_followed_along_the_instructions_run():
    regs = {"ecx": 0}
    run = [
        (8, 0x10000, 32, bytes.fromhex("d3e0"), regs),  # shl eax, cl with CL = 0: no flag changes
        (8, 0x10002, 32, bytes.fromhex("d0e0"), regs),  # shl al, 1: AF undefined
        (8, 0x10004, 32, bytes.fromhex("2f"), regs),  # das reads AF
    ]
    masks, first = along(run)
    assert masks[:2] == [0, 0] and masks[2] & AF and first == (2, 0x10004, "das", AF)
    assert along(run[:1] + run[2:])[1] is None  # with CL = 0 nothing before DAS left AF undefined


@pytest.mark.parametrize(
    "text, cause",
    [
        # #UD for SYSRET outside 64-bit mode: Unicorn's frame holds other flags
        ("; mode: pm32\n; on-exception: resume\n    add al, 0\n    .byte 0x0f, 0x07\n", "SYSRET's #UD"),
        # STOSB into the block being run: Unicorn restarts it and sets AF
        (
            "; mode: pm32\n; regs: eax=0x90 edi=0x10003\n"
            "    add al, 0\n    stosb\n    nop\n    pushfd\n    pop ebx\n",
            "an instruction that writes none",
        ),
        # a dword at 0xFFFFFFFE runs past 4 GiB: #GP(0), where Unicorn wraps
        ("; mode: pm32\n; on-exception: resume\n    mov eax, [0xfffffffe]\n", "past 4 GiB"),
        # Unicorn counts the iterations: its budget runs out inside the REP
        ("; mode: pm32\n; budget: 60\n; regs: ecx=0x100 edi=0x18000\n    rep stosb\n    mov ebx, 1\n", "REP"),
        # no counters: #GP(0), where Unicorn's RDPMC is #UD
        ("; mode: pm32\n; on-exception: resume\n    rdpmc\n", "RDPMC is #UD"),
        # 0x12345678 does not fit a word: IE, which Unicorn leaves clear
        (
            "; mode: pm32\n; data: 0x18000 dd 0x12345678\n"
            "    fild dword ptr [0x18000]\n    fist word ptr [0x18010]\n",
            "FIST out of range",
        ),
        # BP from the 32-bit stack pointer, EBP's upper half kept
        ("; mode: pm32\n; regs: ebp=0x5a5a0000\n    .byte 0x66, 0xc8, 0x08, 0x00, 0x00\n", "16-bit ENTER"),
        # LEAVE pops at EBP = 0xFFFFFFFF: #SS(0), where Unicorn wraps
        ("; mode: pm32\n; on-exception: resume\n; regs: ebp=0xffffffff\n    leave\n", "past 4 GiB"),
        # #UD for 8F /1 with ESP = 0 on a paged machine shuts down; Unicorn pops
        ("; mode: pm32-paged\n; on-exception: resume\n    mov esp, 0\n    .byte 0x8f, 0x08\n", "8F /1-/7"),
        # LDS read from the middle of ADD (the loop returns into it) nulls DS
        (
            "; mode: pm32\n; on-exception: resume\n; regs: esi=0x18000 ecx=3\n"
            "    .byte 0x00, 0x00, 0x00, 0x00, 0x00, 0xc5, 0x01, 0x00, 0x06, 0xe0\n",
            "null-selector",
        ),
        # a #PF at a user RETF on a page that is not present: Unicorn's error code lacks U/S
        ("; mode: user32\n; on-exception: resume\n    mov esp, 0x1000000\n    retf\n", "as the kernel"),
        # XCHG rewrites itself into ICEBP (F1), which the program runs later: Unicorn's #UD
        # is found in the body as the run left it
        (
            "; mode: pm16\n; on-exception: resume\n; budget: 2000\n"
            "; regs: ebx=0x8000 esi=0x8000 edi=0x8000 ebp=0x8000 ecx=3\n"
            "    .byte 0x87, 0x00, 0x18, 0x00, 0xc2\n" + "    nop\n" * 15,
            "ICEBP",
        ),
        # FIST of 1.5: inexact, PE, which Unicorn never raises
        (
            "; mode: pm32\n; data: 0x18000 dd 0x3fc00000\n"
            "    fld dword ptr [0x18000]\n    fist dword ptr [0x18010]\n",
            "precision exception",
        ),
        # VEX (C5 with a register ModRM): #UD on both, Unicorn entering MMX state first
        ("; mode: pm32\n; on-exception: resume\n    .byte 0xc5, 0xc4, 0x60\n", "MMX and SSE"),
        # FXSAVE: the modelled CPU has no FXSR
        ("; mode: pm32\n; on-exception: resume\n; regs: eax=0x18000\n    fxsave [eax]\n", "MMX and SSE"),
        # FRSTOR's 108 bytes from 0xFFFFFF95 run past 4 GiB
        ("; mode: pm32\n; on-exception: resume\n; regs: eax=0\n    frstor [eax - 0x6b]\n", "past 4 GiB"),
        # the TSC's count moved to a register no mask covers: the VMM's virtual time is not
        # Unicorn's
        ("; mode: pm32\n    rdtsc\n    lea ebx, [eax + 1]\n", "model-specific value"),
        # RDTSC's count itself, where a later ADD AX unmasks part of it
        ("; mode: pm32\n    rdtsc\n    add ax, 0\n", "model-specific value"),
        # 3DNow!'s escape (PFMUL): #UD here, Unicorn enters MMX state
        ("; mode: pm32\n; on-exception: resume\n    .byte 0x0f, 0x0f, 0xc1, 0xb4\n", "MMX and SSE"),
        # RET to linear 0, where the runtime's bytes read as LOCK ADC [EAX], AL with EAX =
        # 0xFFFFFFFF: a read-modify-write #PF outside the body, W/R = 0 on Unicorn
        (
            "; mode: pm32-paged\n; on-exception: resume\n; budget: 2000\n"
            "; regs: ebx=0x18000 esi=0x18000 edi=0x18000 ebp=0x18000 ecx=3\n; compare: 0x1ffb0 0x40\n"
            "    .byte 0x80, 0x00, 0xcd, 0x48, 0xa9, 0x00, 0x00, 0x00, 0x00, 0xc3\n" + "    nop\n" * 15,
            "read-modify-write #PF as a read (at the first",
        ),
        # POP EDI, INSB, CALL [EAX]: the run reaches the runtime's code with DS null, and a
        # read through it there is #GP, where Unicorn reads
        (
            "; mode: pm32\n; on-exception: resume\n; budget: 2000\n"
            "; regs: ebx=0x18000 esi=0x18000 edi=0x18000 ebp=0x18000 ecx=3\n; compare: 0x1ffb0 0x40\n"
            "    .byte 0x5f, 0x6c, 0xff, 0x10\n" + "    nop\n" * 15,
            "null-selector check (at the first",
        ),
        # a loop over RETF (#GP), SLDT, PUSH ES, ADD ... LOOPNE: Unicorn's flags change at the
        # SLDT, whose Flags Affected are none
        (
            "; mode: pm32\n; on-exception: resume\n; budget: 2000\n"
            "; regs: ebx=0x18000 esi=0x18000 edi=0x18000 ebp=0x18000 ecx=3\n; compare: 0x1ffb0 0x40\n"
            "    .byte 0xcb, 0x0f, 0x00, 0x00, 0x06, 0x00, 0x00, 0x01, 0x01, 0xe0\n" + "    nop\n" * 15,
            "an instruction that writes none",
        ),
        # BSWAP of a 16-bit register leaves it undefined; the #UD handler's PUSHAD stores it
        # (the #UD raised before decoding is counted, not traced: the record is found before)
        (
            "; mode: pm16\n; on-exception: resume\n; regs: ecx=3\n; compare: 0x1ffb0 0x40\n"
            "    .byte 0x0f, 0xc9, 0xc6, 0x90\n",
            "model-specific value",
        ),
        # IMUL, read from the middle of the ADD a branch returns into, leaves ZF, SF and PF
        # undefined; the #GP frame of the LJMP after it pushes them
        (
            "; mode: pm32\n; on-exception: resume\n; regs: ebx=0x18000\n; compare: 0x1ffb0 0x40\n"
            "    .byte 0x00, 0x6b, 0x00, 0x00, 0xea, 0x06, 0x71, 0x81\n    nop\n    nop\n    nop\n",
            "undefined flag",
        ),
        # a loop of #UD at ENCLV after an ADD that crosses into the body's page: Unicorn
        # delivers one of them with CF and AF set that the ADD left clear
        (
            "; mode: pm32\n; on-exception: resume\n; budget: 2000\n"
            "; regs: ebx=0x18000 esi=0x18000 edi=0x18000 ebp=0x18000 ecx=3\n; compare: 0x1ffb0 0x40\n"
            "    .byte 0xcb, 0x0f, 0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x26, 0xe0\n" + "    nop\n" * 10,
            "a fault's frame with flags of its own",
        ),
        # INT 0xF1's frame on the stack holds F1 (the flags image), where the loop's return
        # runs: ICEBP on the stack, #DB here and #UD on Unicorn
        (
            "; mode: pm16\n; on-exception: resume\n; budget: 2000\n"
            "; regs: ebx=0x8000 esi=0x8000 edi=0x8000 ebp=0x8000 ecx=3\n; compare: 0x1ffb0 0x40\n"
            "    .byte 0xcd, 0xf1, 0x00, 0x00, 0x00, 0x00, 0xe0\n" + "    nop\n" * 10,
            "ICEBP raises #UD (at the first",
        ),
        # the loop's stores leave F6 0D 00 (TEST [DI], 0 as F6 /1) where it runs: #UD on
        # Unicorn alone
        (
            "; mode: pm16\n; on-exception: resume\n; budget: 2000\n"
            "; regs: ebx=0x8000 esi=0x8000 edi=0x8000 ebp=0x8000 ecx=3\n; compare: 0x1ffb0 0x40\n"
            "    .byte 0x00, 0x00, 0xf6, 0x10, 0x00, 0x00, 0x18, 0x48, 0x03, 0xc2, 0x06\n" + "    nop\n" * 10,
            "opcode decoding (at the first",
        ),
        # the loop pushes C6 FF 00 (C6 /7, reserved) where it then runs: the engine's #UD
        # there is not traced, so the bytes are read from the state the run left
        (
            "; mode: pm16\n; on-exception: resume\n; budget: 2000\n"
            "; regs: ebx=0x8000 esi=0x8000 edi=0x8000 ebp=0x8000 ecx=3\n; compare: 0x1ffb0 0x40\n"
            "    .byte 0x00, 0x00, 0x00, 0x00, 0x58, 0x60, 0x00, 0x00, 0x1f, 0x7d\n" + "    nop\n" * 10,
            "opcode decoding (at the first",
        ),
        # MOV SP, ES and a JNO back: the run reaches the end of the 16-bit code segment and
        # goes on at 0x10000, past the limit
        (
            "; mode: pm16\n; on-exception: resume\n; budget: 2000\n"
            "; regs: ebx=0x8000 esi=0x8000 edi=0x8000 ebp=0x8000 ecx=3\n; compare: 0x1ffb0 0x40\n"
            "    .byte 0x00, 0x00, 0x00, 0x00, 0x8c, 0xe4, 0x71\n" + "    nop\n" * 10,
            "no segment limit checks (at the first",
        ),
        # PUSH EBP (0x20000) and IRETD in a loop: the stack comes to hold EIP 0x20000 under
        # an EFLAGS image with VM set
        (
            "; mode: pm32\n; on-exception: resume\n; budget: 2000\n"
            "; regs: ebx=0x18000 esi=0x18000 edi=0x18000 ebp=0x18000 ecx=3\n; compare: 0x1ffb0 0x40\n"
            "    .byte 0x00, 0x00, 0xbd, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x55, 0xcf, 0x71\n"
            + "    nop\n"
            * 10,
            "IRETD to virtual-8086 mode",
        ),
        # FBSTP [BX + SI] with an address-size prefix: BX + SI = 0x10000 wraps to 0, the
        # runtime's page, supervisor-only: #PF, CR2 another byte of the ten on Unicorn
        (
            "; mode: user32\n; on-exception: resume\n; regs: ebx=0x18000 esi=0x18000\n"
            "    .byte 0x67, 0xdf, 0x30\n",
            "CR2 names another byte",
        ),
        # FILD of a zero word, then FDIVR of a zero dword: 0 / 0, IE here and ZE on Unicorn
        (
            "; mode: real16\n; on-exception: resume\n; regs: esi=0x8000\n    .byte 0xdf, 0x04, 0xd8, 0x3c\n",
            "ZE for 0 / 0",
        ),
    ],
)
def test_causes_judged_at_the_first_divergence(text, cause):
    v = _verdict(text)
    assert cause in v.cause and not v.finding


def test_the_4g_cause_reads_the_accesses_from_the_registers_the_instruction_began_with():
    from types import SimpleNamespace

    from conformance.fuzz.causes import _accesses

    def accesses(code: str, **regs):
        before = SimpleNamespace(regs=regs)
        return _accesses(SimpleNamespace(code=bytes.fromhex(code), eip=0x10000, before=before))

    assert accesses("8b40fc", eax=0) == [(0xFFFFFFFC, 4)]  # mov eax, [eax - 4]: ends at 4 GiB - 1
    assert accesses("8b40fd", eax=0) == [(0xFFFFFFFD, 4)]  # one byte past it
    assert accesses("50", esp=2) == [(0xFFFFFFFE, 4)]  # push eax with ESP = 2 wraps
    assert accesses("6650", esp=2) == [(0, 2)]  # push ax: two bytes, at 0
