"""The runtime's tables and image layout, decoded independently of any engine."""

import struct

import pytest

from conformance import layout as L
from conformance.format import MODES, parse_text
from conformance.oracles.delivery import Descriptor
from conformance.runtime import build_image, resume_table, tables


def test_gdt_descriptors_decode_to_the_documented_segments():
    gdt = {sel: Descriptor(raw) for sel, raw in ((8 * i, d) for i, d in tables.gdt_entries().items())}
    assert (gdt[0x08].base, gdt[0x08].limit, gdt[0x08].is_code, gdt[0x08].dpl, gdt[0x08].big) == (
        0,
        0xFFFFFFFF,
        True,
        0,
        True,
    )
    assert (gdt[0x20].dpl, gdt[0x20].is_code) == (3, False)
    assert (gdt[0x28].type, gdt[0x28].base, gdt[0x28].limit) == (9, L.TSS, L.TSS_LIMIT)
    assert (gdt[0x30].base, gdt[0x30].limit, gdt[0x30].big) == (L.TEST_BASE, 0xFFFF, False)


def test_idt_gates_point_at_the_stubs_with_documented_dpl_and_types():
    idt = tables.idt_bytes(lambda v: 0x2000 + v)
    for v in (0, 13, 0x80, 0x81, 0xFF):
        g = Descriptor(struct.unpack_from("<Q", idt, 8 * v)[0])
        offset = (g.raw & 0xFFFF) | ((g.raw >> 48) << 16)
        assert offset == 0x2000 + v and (g.raw >> 16) & 0xFFFF == L.SEL_KCODE32
        assert g.dpl == (3 if v in (0x80, 0x81) else 0)
        assert g.type == (0xF if v == 0x81 else 0xE)


def test_tss_io_bitmap_allows_only_the_listed_ports():
    tss = tables.tss_bytes(frozenset({0xE9, 0xF4}))
    base = struct.unpack_from("<H", tss, 0x66)[0]
    allowed = [p for p in range(256) if not tss[base + p // 8] >> (p % 8) & 1]
    assert allowed == [0xE9, 0xF4] and tss[base + 32] == 0xFF
    assert struct.unpack_from("<II", tss, 4) == (L.KERNEL_STACK_TOP, L.SEL_KDATA32)


def test_page_tables_identity_map_with_supervisor_runtime_pages():
    pd, pt = tables.page_tables()
    assert struct.unpack_from("<I", pd, 0)[0] == L.PAGE_TABLE | 7
    pte = lambda n: struct.unpack_from("<I", pt, 4 * n)[0]  # noqa: E731
    assert pte(0x0F) == 0xF003 and pte(0x10) == 0x10007 and pte(0x3FF) == 0x3FF007


def test_resume_table_marks_software_interrupts():
    code = bytes.fromhex("cd80ccf7f1ce")  # int 0x80; int3; div ecx; into
    raw = resume_table(code, 0x10000, 32)
    rows = [struct.unpack_from("<III", raw, 4 + 12 * i) for i in range(struct.unpack_from("<I", raw)[0])]
    assert rows == [
        (0x10000, 0x10002, 0x80),
        (0x10002, 0x10003, 3),
        (0x10003, 0x10005, 0xFFFFFFFF),
        (0x10005, 0x10006, 4),
    ]


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_builds_an_image_whose_chunks_do_not_overlap(mode):
    image = build_image(parse_text(f"; mode: {mode}\n    nop\n", "t.asm", "t.asm"))
    spans = sorted((a, a + len(b)) for a, b in image.chunks)
    for (a0, a1), (b0, _b1) in zip(spans, spans[1:]):
        assert a1 <= b0, f"chunk at {a0:#x} overlaps the one at {b0:#x}"
    assert spans[-1][1] <= L.RAM_SIZE
