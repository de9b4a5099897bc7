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
