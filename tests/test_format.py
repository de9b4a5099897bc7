"""The guest test header parser and its one-line errors."""

import pytest

from conformance.format import TestFormatError, parse_text
from conformance.runtime import build_image

GOOD = """\
; a title
; mode: pm32
; regs: eax=1 ebx=0x10 eflags=0x202
; data: 0x18000 dd 0x11223344 5
; compare: 0x18000 8
; port-in: 0x60=0x1c 0x9c
; gdt: 10=0x00cf92000000ffff
; on-exception: resume
; expect: eax=2 cf=0 mem32[0x18004]=5 exit=end
; expect-exceptions: 13/0x50@here 0@0x10000
; expect-ports: 0x80=1
; expect-debug: ok\\n
here:
    add eax, 1
"""


def test_parses_every_key():
    spec = parse_text(GOOD, "t.asm", "cat/t.asm")
    assert spec.title == "a title" and spec.mode == "pm32" and spec.category == "cat"
    assert spec.regs == {"eax": 1, "ebx": 0x10, "eflags": 0x202}
    assert spec.data == [(0x18000, bytes.fromhex("4433221105000000"))]
    assert spec.compare == [(0x18000, 8)]
    assert spec.port_in == {0x60: [0x1C, 0x9C]}
    assert spec.gdt == {10: 0x00CF92000000FFFF}
    assert not spec.stop_on_exception
    assert [(e.target, e.value) for e in spec.expect] == [
        ("eax", 2),
        ("cf", 0),
        ("mem32[0x18004]", 5),
        ("exit", "end"),
    ]
    assert [(x.vector, x.error, x.where) for x in spec.expect_exceptions] == [
        (13, 0x50, "here"),
        (0, "any", "0x10000"),
    ]
    assert spec.expect_ports == [(0x80, 1)]
    assert spec.expect_debug == "ok\n"
    assert spec.body_first_line == 13


@pytest.mark.parametrize(
    "text,line,cause",
    [
        ("; mode: pm64\nnop\n", 1, "unknown mode 'pm64'"),
        ("; mode: pm32\n; mdoe: pm32\nnop\n", 2, "unknown header key 'mdoe'"),
        ("; mode: pm32\n; regs: eax=zz\nnop\n", 2, "regs:"),
        ("; mode: pm32\n; regs: xax=1\nnop\n", 2, "unknown register 'xax'"),
        ("; mode: pm32\n; gdt: 3=0\nnop\n", 2, "not free"),
        ("; mode: pm32\n; expect: foo=1\nnop\n", 2, "unknown expectation target"),
        ("nop\n", None, "no 'mode:' line"),
        ("; mode: pm32\n; budget: 0\nnop\n", 2, "budget: a budget is a positive number of instructions"),
        ("; mode: pm32\n; budget: -5\nnop\n", 2, "a budget is a positive number"),
        ("; mode: pm32\n; budget: lots\nnop\n", 2, "budget:"),
        ("; mode: pm32\n; Expect: eax=5\nnop\n", 2, "header key 'Expect' is written in lowercase: 'expect'"),
        ("; MODE: pm32\nnop\n", 1, "header key 'MODE' is written in lowercase"),
        ("; mode: pm32\n; expect: exit=timeout\nnop\n", 2, "exit=timeout cannot be expected"),
        ("; mode: pm32\n; expect: exit=error\nnop\n", 2, "exit=error cannot be expected"),
        ("; mode: pm32\n    mov eax, 5\n    nop\0\n    mov eax, 6\n", 3, "a NUL byte"),
        ("; mode: pm32\n", None, "no instructions"),
    ],
)
def test_header_errors_are_one_line_with_file_and_line(text, line, cause):
    with pytest.raises(TestFormatError) as info:
        parse_text(text, "bad.asm", "bad.asm")
    msg = str(info.value)
    assert "\n" not in msg and msg.startswith("bad.asm") and cause in msg
    assert info.value.line == line


def test_assembly_error_points_at_the_file_line():
    spec = parse_text("; mode: pm32\n; title\n    nop\n    frob eax\n", "bad.asm", "bad.asm")
    with pytest.raises(TestFormatError) as info:
        build_image(spec)
    assert str(info.value).startswith("bad.asm:4: assembly failed")


def test_data_may_not_overlap_code():
    spec = parse_text("; mode: pm32\n; data: 0x10000 db 1\nnop\n", "d.asm", "d.asm")
    with pytest.raises(TestFormatError, match="overlaps the test's code"):
        build_image(spec)


def test_a_capitalised_word_that_is_no_key_is_free_text():
    spec = parse_text("; Note: the title\n; mode: pm32\n; SDM: vol. 2\nnop\n", "t.asm", "t.asm")
    assert spec.title == "Note: the title" and spec.mode == "pm32"


@pytest.mark.parametrize(
    "body,line,cause",
    [
        ("    nop\n    .fill 100000000\n", 4, "may take up to 100,000,015 bytes"),
        ("    .fill 0x400000, 1, 0x90\n", 3, "more than the 4,128,752 it has room for"),
        ("    .rept 1000\n    .fill 0x10000\n    .endr\n", 4, "more than the 4,128,752"),
        ("    .fill n\n", 3, "the count of .fill must be a constant expression"),
        ('    .incbin "/dev/zero"\n', 3, ".incbin is not allowed in a test: it reads a file of the host"),
        ("    .macro m\n    nop\n    .endm\n", 3, ".macro is not allowed"),
        ("    .ds.b 100000000\n", 3, "directive .ds.b is not supported"),
    ],
)
def test_a_body_is_bounded_before_it_is_assembled(body, line, cause):
    # 4 MiB of RAM less the 64 KiB below the body and the 16 reserved bytes at the top
    # is 4,128,752 bytes; each line is held to what it could at most assemble to (15 bytes
    # for an instruction, the architectural limit)
    spec = parse_text("; mode: pm32\n; a title\n" + body, "big.asm", "big.asm")
    with pytest.raises(TestFormatError) as info:
        build_image(spec)
    msg = str(info.value)
    assert "\n" not in msg and msg.startswith(f"big.asm:{line}: assembly failed") and cause in msg


def test_a_body_of_constant_size_directives_within_the_bound_assembles():
    spec = parse_text(
        "; mode: pm32\n    .set n, 3\n    .fill n * 2, 1, 0x90\n    .rept 2\n    .byte 1, 2\n    .endr\n",
        "t.asm",
        "t.asm",
    )
    assert build_image(spec).body.startswith(bytes([0x90] * 6 + [1, 2, 1, 2]))
