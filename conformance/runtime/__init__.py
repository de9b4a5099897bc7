"""Build a runnable image from a parsed test: runtime stubs, tables, body, data."""

from __future__ import annotations

import struct
from collections.abc import Iterable

import capstone

from .. import layout as L
from ..assemble import AssemblyError, assemble
from ..format import TestFormatError, TestSpec
from ..image import Image
from . import stubs, tables

# The most bytes of code a body may assemble to: RAM above its first byte, less the reserved end.
MAX_BODY = L.NEVER_EXECUTED - L.TEST_BASE
EXIT_SEQUENCE = f"\n__test_end:\n    out {L.PORT_EXIT:#x}, al\n__test_halt:\n    hlt\n    jmp __test_halt\n"
USER_PORTS = frozenset({L.PORT_DEBUG, L.PORT_EXIT})


def default_registers(mode: str) -> dict[str, int]:
    regs = dict.fromkeys(("eax", "ecx", "edx", "ebx", "ebp", "esi", "edi"), 0)
    if mode == "real16":
        seg = L.TEST_BASE >> 4
        regs.update(cs=seg, ss=seg, ds=seg, es=seg, fs=seg, gs=seg)
        regs.update(esp=L.TEST_STACK_TOP - L.TEST_BASE, eflags=0x2)
    elif mode == "pm16":
        d = L.SEL_DATA16
        regs.update(cs=L.SEL_CODE16, ss=d, ds=d, es=d, fs=d, gs=d)
        regs.update(esp=L.TEST_STACK_TOP - L.TEST_BASE, eflags=0x2)
    elif mode == "user32":
        d = L.SEL_UDATA32
        regs.update(cs=L.SEL_UCODE32, ss=d, ds=d, es=d, fs=d, gs=d)
        regs.update(esp=L.TEST_STACK_TOP, eflags=0x202)
    else:
        d = L.SEL_KDATA32
        regs.update(cs=L.SEL_KCODE32, ss=d, ds=d, es=d, fs=d, gs=d)
        regs.update(esp=L.TEST_STACK_TOP, eflags=0x2)
    return regs


# the legacy prefixes: segment overrides, operand and address size, LOCK, REPNE, REP
LEGACY_PREFIXES = b"\x26\x2e\x36\x3e\x64\x65\x66\x67\xf0\xf2\xf3"


def resume_table(body: bytes, origin: int, bits: int, labels: Iterable[int] = ()) -> bytes:
    """(address, next address, software-interrupt vector or -1) per body instruction. Where
    capstone cannot decode (an opcode or a prefix the processor rejects with #UD), the
    instruction runs to the next label: a test that resumes after such a fault labels the
    instruction after it."""
    md = capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_16 if bits == 16 else capstone.CS_MODE_32)
    marks = sorted(a for a in labels if origin <= a <= origin + len(body))
    rows = []
    at = origin
    while at < origin + len(body):
        for addr, size, _mn, _ops in md.disasm_lite(body[at - origin :], at):
            raw = body[addr - origin : addr - origin + size]
            op = raw.lstrip(LEGACY_PREFIXES)
            vec = {0xCC: 3, 0xCE: 4, 0xF1: 1}.get(op[0], 0xFFFFFFFF) if op else 0xFFFFFFFF
            if op[:1] == b"\xcd" and len(op) > 1:
                vec = op[1]
            rows.append((addr, addr + size, vec))
            at = addr + size
        following = next((a for a in marks if a > at), None)
        if at >= origin + len(body) or following is None:
            break
        rows.append((at, following, 0xFFFFFFFF))  # undecodable: it ends where the next label is
        at = following
    rows = rows[: L.RESUME_MAX]
    return struct.pack("<I", len(rows)) + b"".join(struct.pack("<III", *r) for r in rows)


def _test_labels(labels: dict[str, int]) -> list[int]:
    """The addresses of the labels a test wrote (not the harness's own, ``__test_end`` ...)."""
    return [a for name, a in labels.items() if not name.startswith("__")]


def _runtime(mode: str):
    real = assemble(stubs.real_source(mode), 16, L.RUNTIME)
    prot = assemble(stubs.protected_source(mode), 32, stubs.RUNTIME32)
    if L.RUNTIME + len(real.code) > stubs.RUNTIME32 or stubs.RUNTIME32 + len(prot.code) > L.LOG:
        raise RuntimeError("runtime stubs outgrew their space")  # a harness bug, not a test's
    return real, prot


def handler_labels(mode: str) -> dict[str, int]:
    """Addresses of the protected-mode runtime's labels (``pm_stop``, ``pm_halt`` ...) for
    ``mode``, for an oracle that reproduces what its recording handler does."""
    return dict(_runtime(mode)[1].labels)


def build_image(spec: TestSpec) -> Image:
    """Assemble ``spec`` and lay out the image; raises TestFormatError on bad input."""
    try:
        body = assemble(spec.body + EXIT_SEQUENCE, spec.bits, spec.origin, MAX_BODY)
    except AssemblyError as exc:
        line = spec.body_first_line + exc.line - 1 if exc.line else None
        raise TestFormatError(spec.path, line, f"assembly failed: {exc.message}") from None
    real, prot = _runtime(spec.mode)

    regs = default_registers(spec.mode)
    regs.update(spec.regs)
    regs["eip"] = spec.origin
    block = bytearray(0x40)
    for name, off in L.REG_OFFSETS.items():
        struct.pack_into("<I", block, off, regs[name] & 0xFFFFFFFF)
    if spec.mode == "real16":
        farptr = struct.pack("<HH", regs["eip"], regs["cs"])
    else:
        farptr = struct.pack("<IH", regs["eip"], regs["cs"])

    gdt = tables.gdt_entries()
    gdt.update(spec.gdt)
    gdt_blob = b"".join(struct.pack("<Q", gdt.get(i, 0)) for i in range(L.GDT_ENTRIES))
    pd, pt = tables.page_tables()
    chunks = [
        (L.IVT, tables.ivt_bytes(lambda v: real.labels[f"rm_stub_{v}"])),
        (L.REGBLOCK, bytes(block)),
        (L.MODE_FLAGS, struct.pack("<I", 1 if spec.stop_on_exception else 0)),
        (stubs.FARPTR, farptr),
        (L.GDTR_PTR, struct.pack("<HI", 8 * L.GDT_ENTRIES - 1, L.GDT)),
        (L.IDTR_PTR, struct.pack("<HI", L.IDT_LIMIT, L.IDT)),
        (L.IVTR_PTR, struct.pack("<HI", 0x3FF, L.IVT)),
        (L.GDT, gdt_blob),
        (L.TSS, tables.tss_bytes(USER_PORTS)),
        (L.IDT, tables.idt_bytes(lambda v: prot.labels[f"pm_stub_{v}"])),
        (L.RUNTIME, real.code),
        (stubs.RUNTIME32, prot.code),
        (L.RESUME, resume_table(body.code, spec.origin, spec.bits, _test_labels(body.labels))),
        (L.PAGE_DIR, pd),
        (L.PAGE_TABLE, pt),
        (L.TEST_BASE, body.code),
    ]
    for addr, blob in spec.data:
        if addr < L.TEST_BASE or addr + len(blob) > L.RAM_SIZE:
            raise TestFormatError(spec.path, None, f"data at {addr:#x} is outside the test's memory")
        if addr < L.TEST_BASE + len(body.code):
            raise TestFormatError(spec.path, None, f"data at {addr:#x} overlaps the test's code")
        chunks.append((addr, blob))
    for addr, size in spec.compare:
        if addr + size > L.RAM_SIZE or size <= 0:
            raise TestFormatError(spec.path, None, f"compared region {addr:#x}+{size} is outside RAM")
    return Image(
        test_id=spec.test_id,
        mode=spec.mode,
        chunks=chunks,
        compare=list(spec.compare),
        port_in={k: list(v) for k, v in spec.port_in.items()},
        budget=spec.budget,
        body_origin=spec.origin,
        body=body.code,
        bits=spec.bits,
        labels=body.labels,
    )
