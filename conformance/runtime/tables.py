"""The runtime's system tables: GDT, IDT, IVT, TSS and page tables, as bytes.

Written into the image by the harness rather than built by guest code, so they are
the same on every engine and unit tests can decode them.
"""

from __future__ import annotations

import struct

from .. import layout as L


def segment_descriptor(base: int, limit: int, access: int, flags: int) -> int:
    """A code/data/system descriptor as a 64-bit integer.

    ``access`` is byte 5 (P, DPL, S, type); ``flags`` is the high nibble of byte 6
    (G, D/B, L, AVL).
    """
    return (
        (limit & 0xFFFF)
        | ((base & 0xFFFFFF) << 16)
        | ((access & 0xFF) << 40)
        | (((limit >> 16) & 0xF) << 48)
        | ((flags & 0xF) << 52)
        | (((base >> 24) & 0xFF) << 56)
    )


def gate_descriptor(selector: int, offset: int, gate_type: int, dpl: int, present: bool = True) -> int:
    """An IDT/call gate: ``gate_type`` 0xE = 32-bit interrupt gate, 0xF = 32-bit trap gate."""
    access = (0x80 if present else 0) | (dpl << 5) | gate_type
    return (offset & 0xFFFF) | (selector << 16) | (access << 40) | (((offset >> 16) & 0xFFFF) << 48)


# Runtime GDT (index -> descriptor). Entries from FIRST_FREE_GDT_INDEX up are free.
FLAT = 0xFFFFF


def gdt_entries() -> dict[int, int]:
    return {
        0: 0,
        1: segment_descriptor(0, FLAT, 0x9A, 0xC),  # 0x08 kernel code, flat, 32-bit
        2: segment_descriptor(0, FLAT, 0x92, 0xC),  # 0x10 kernel data, flat
        3: segment_descriptor(0, FLAT, 0xFA, 0xC),  # 0x18 user code (RPL 3: 0x1b)
        4: segment_descriptor(0, FLAT, 0xF2, 0xC),  # 0x20 user data (RPL 3: 0x23)
        5: segment_descriptor(L.TSS, L.TSS_LIMIT, 0x89, 0x0),  # 0x28 32-bit TSS, available
        6: segment_descriptor(L.TEST_BASE, 0xFFFF, 0x9A, 0x0),  # 0x30 16-bit code
        7: segment_descriptor(L.TEST_BASE, 0xFFFF, 0x92, 0x0),  # 0x38 16-bit data/stack
        8: segment_descriptor(0, 0xFFFF, 0x9A, 0x0),  # 0x40 16-bit code, base 0
        9: segment_descriptor(0, 0xFFFF, 0x92, 0x0),  # 0x48 16-bit data, base 0
    }


# IDT gates callable from CPL 3 (everything else is DPL 0) and the one trap gate.
USER_VECTORS = frozenset({3, 4, 0x80, 0x81})
TRAP_GATE_VECTORS = frozenset({0x81})


def idt_bytes(stub_address) -> bytes:
    """256 32-bit gates to the protected-mode recording stubs (``stub_address(v)``)."""
    out = bytearray()
    for v in range(256):
        kind = 0xF if v in TRAP_GATE_VECTORS else 0xE
        dpl = 3 if v in USER_VECTORS else 0
        out += struct.pack("<Q", gate_descriptor(L.SEL_KCODE32, stub_address(v), kind, dpl))
    return bytes(out)


def ivt_bytes(stub_offset) -> bytes:
    """256 real-mode vectors (offset, segment 0) to the real-mode recording stubs."""
    return b"".join(struct.pack("<HH", stub_offset(v), 0) for v in range(256))


def tss_bytes(user_ports: frozenset[int]) -> bytes:
    """A 32-bit TSS with SS0:ESP0 on the kernel stack and an I/O bitmap for ports < 0x100."""
    tss = bytearray(L.TSS_LIMIT + 1)
    struct.pack_into("<II", tss, 4, L.KERNEL_STACK_TOP, L.SEL_KDATA32)  # ESP0, SS0
    struct.pack_into("<H", tss, 0x66, L.TSS_IOMAP_OFFSET)
    bitmap = bytearray(b"\xff" * 0x20)
    for port in user_ports:
        bitmap[port // 8] &= ~(1 << (port % 8)) & 0xFF
    tss[L.TSS_IOMAP_OFFSET : L.TSS_IOMAP_OFFSET + 0x20] = bitmap
    tss[L.TSS_IOMAP_OFFSET + 0x20] = 0xFF  # the byte past the bitmap must be all ones
    return bytes(tss)


def page_tables() -> tuple[bytes, bytes]:
    """(page directory, page table): identity-map 0-4 MiB with 4 KiB pages.

    Pages below USER_START are supervisor-only (the runtime); the rest are
    user-accessible and writable. Accessed and dirty bits start clear.
    """
    pd = bytearray(4096)
    struct.pack_into("<I", pd, 0, L.PAGE_TABLE | 0x7)
    pt = bytearray(4096)
    for page in range(1024):
        user = 0x4 if page * 4096 >= L.USER_START else 0
        struct.pack_into("<I", pt, 4 * page, (page * 4096) | 0x3 | user)
    return bytes(pd), bytes(pt)
