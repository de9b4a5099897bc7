"""State diffs, expectation checks and the undefined-flags table."""

from conformance.compare import check_expectations, diff_states
from conformance.format import parse_text
from conformance.runtime import build_image
from conformance.state import UNKNOWN, ExceptionRecord, FinalState
from conformance.undefined import AF, CF, OF, SF, ZF, final_mask, final_register_masks, mask_at


def state(**kw):
    base = dict(engine="e", exit="end", regs={"eax": 1, "eflags": 0x2}, memory={0x18000: bytes(8)})
    base.update(kw)
    return FinalState(**base)


def test_diff_names_registers_flags_bitwise_and_memory_ranges():
    a = state()
    b = state(
        regs={"eax": 2, "eflags": 0x2 | 1 | 0x800},
        memory={0x18000: bytes([0, 1, 2, 0, 0, 0, 0, 9])},
    )
    diffs = {d.field: (d.expected, d.actual) for d in diff_states(a, b, flags_mask=0)}
    assert diffs["eax"] == ("0x1", "0x2")
    assert diffs["eflags.cf"] == ("0", "1") and diffs["eflags.of"] == ("0", "1")
    assert diffs["mem[0x18001..0x18002]"] == ("00 00", "01 02") and diffs["mem[0x18007]"] == (
        "00",
        "09",
    )
    assert "eflags.of" not in {d.field for d in diff_states(a, b, flags_mask=OF)}


def test_unknown_error_codes_are_not_compared_but_known_ones_are():
    ex = lambda err: [ExceptionRecord(13, err, 0x10000, 8, 2, 0)]  # noqa: E731
    assert diff_states(state(exceptions=ex(0x50)), state(exceptions=ex(UNKNOWN)), 0) == []
    diffs = diff_states(state(exceptions=ex(0x50)), state(exceptions=ex(0x58)), 0)
    assert [str(d) for d in diffs] == ["exceptions[0].error: expected 0x50, got 0x58"]


def test_flags_undefined_at_an_exception_come_from_what_ran_before_it():
    # shl al, 1 (AF undefined); bound ax, [si] faults at 2: its frame holds AF undefined
    code = bytes.fromhex("d0e06204")
    assert mask_at(code, 0x100, 16, 0x102) == AF
    assert mask_at(code, 0x100, 16, 0x100) == 0  # nothing ran before the first
    # add al, 1 after the shift defines every flag again
    assert mask_at(bytes.fromhex("d0e004016204"), 0x100, 16, 0x104) == 0
    # a branch anywhere: whatever the code may leave undefined (the add is skipped)
    assert mask_at(bytes.fromhex("d0e0740204016204"), 0x100, 16, 0x106) == AF


def test_undefined_flags_in_a_pushed_frame_are_not_compared():
    frame = lambda flags: bytes(4) + (0x1234).to_bytes(4, "little") + flags.to_bytes(4, "little")  # noqa: E731
    record = lambda flags: [ExceptionRecord(5, None, 0x1234, 8, flags, 0)]  # noqa: E731
    a = state(memory={0x1FFE0: frame(0x56)}, exceptions=record(0x56))
    b = state(memory={0x1FFE0: frame(0x46)}, exceptions=record(0x46))
    assert [d.field for d in diff_states(a, b, 0)] == ["mem[0x1ffe8]"]
    assert diff_states(a, b, 0, frame_mask=lambda eip: AF if eip == 0x1234 else 0) == []
    # a flag that is defined there is still compared
    c = state(memory={0x1FFE0: frame(0x57)}, exceptions=record(0x57))
    assert [d.field for d in diff_states(a, c, 0, frame_mask=lambda eip: AF)] == ["mem[0x1ffe8]"]


def test_undefined_mask_follows_the_last_flag_writer():
    assert final_mask(bytes.fromhex("21d8"), 0, 32) == AF  # and eax, ebx
    assert final_mask(bytes.fromhex("21d801d8"), 0, 32) == 0  # then add: all defined
    assert final_mask(bytes.fromhex("f7e3"), 0, 32) == SF | ZF | AF | 0x4  # mul ebx: PF too
    assert final_mask(bytes.fromhex("c1e001"), 0, 32) == AF  # shl eax, 1
    assert final_mask(bytes.fromhex("c1e004"), 0, 32) == AF | OF  # shl eax, 4
    assert final_mask(bytes.fromhex("f9c1e000"), 0, 32) == 0  # shl eax, 0 keeps flags
    assert final_mask(bytes.fromhex("0fbcc3"), 0, 32) == CF | OF | SF | AF | 0x4  # bsf
    assert final_mask(bytes.fromhex("c0e009"), 0, 32) == CF | AF | OF  # shl al, 9: count >= width
    assert final_mask(bytes.fromhex("660fa4d811"), 0, 32) == 0x8D5  # shld ax, bx, 17: all six


def test_undefined_mask_follows_a_branch_that_lands_off_the_straight_reading():
    # JNO +1 skips the 00 that starts ADD [ECX+0], CH, and lands on IMUL EAX, [EAX], imm32
    # (69 00 90909090): a straight reading never sees the IMUL and its undefined flags
    code = bytes.fromhex("710100690090909090")
    assert final_mask(code, 0x10000, 32) == SF | ZF | AF | 0x4
    # a loop whose branch lands on one of the instructions read keeps the last writer's mask
    loop = bytes.fromhex("f7e34975fb01d8")  # l: mul ebx; dec ecx; jnz l; add eax, ebx
    assert final_mask(loop, 0, 32) == 0


def test_a_16bit_double_shift_by_cl_leaves_its_destination_undefined():
    assert final_register_masks(bytes.fromhex("660fa5d8"), 0, 32) == {"eax": 0xFFFF}  # shld ax, bx, cl
    assert final_register_masks(bytes.fromhex("660fa4d810"), 0, 32) == {}  # shld ax, bx, 16: defined


def test_a_partial_write_defines_only_its_part():
    # smsw eax leaves EAX[31:16] undefined; str ax then defines the low half only
    assert final_register_masks(bytes.fromhex("0f01e0660f00c8"), 0, 32) == {"eax": 0xFFFF0000}
    assert final_register_masks(bytes.fromhex("0f01e00f00c8"), 0, 32) == {}  # str eax: all of it
    assert final_register_masks(bytes.fromhex("0f01e0b012"), 0, 32) == {"eax": 0xFFFF0000}  # mov al


def test_expecting_an_undefined_flag_is_reported():
    spec = parse_text("; mode: pm32\n; expect: af=0 zf=1\n    and eax, 0\n", "t.asm", "t.asm")
    image = build_image(spec)
    diffs = check_expectations(
        spec, image, state(regs={"eflags": 0x46}), final_mask(image.body, image.body_origin, 32)
    )
    assert [d.field for d in diffs] == ["eflags.af"] and "undefined" in diffs[0].actual


def test_sahf_leaves_of_as_it_was():
    from conformance.undefined import OF, effect

    defined, undefined = effect("sahf", "")
    assert not defined & OF and not undefined


def test_an_instruction_that_faulted_writes_no_flags_to_the_mask():
    # AAA leaves OF SF ZF PF undefined; the ADD after it faulted (a run logged a fault at
    # its address), so it defined nothing and AAA's flags stay masked
    code = bytes.fromhex("37009000000000")  # aaa; add [eax+0], dl
    assert final_mask(code, 0x10000, 32) == 0
    assert final_mask(code, 0x10000, 32, frozenset({0x10001})) == OF | SF | ZF | 0x4


def test_code_a_run_rewrote_has_its_undefined_flags_masked_too():
    from conformance.runner import undefined_masks

    image = build_image(parse_text("; mode: pm32\n    mov eax, 1\n    nop\n", "t", "t"))
    unchanged = state()
    assert undefined_masks(image, {"a": unchanged}, frozenset())[0] == 0
    # a run left SHL EAX, 4 (AF and OF undefined) where MOV EAX, 1 was
    rewritten = state(code=bytes.fromhex("c1e0049090") + image.body[5:])
    flags, _registers, at = undefined_masks(image, {"a": unchanged, "b": rewritten}, frozenset())
    assert flags == AF | OF and at(image.body_origin + len(image.body)) & AF
