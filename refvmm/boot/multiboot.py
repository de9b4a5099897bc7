"""A multiboot (version 1) loader: the kernel image's multiboot header says where to load
it and where to enter; the machine is then in the state the specification promises.

Multiboot specification 0.6.96, section 3: the header is in the first 8 KiB, 32-bit
aligned (magic 0x1BADB002, flags, checksum). With flags bit 16 the header gives the load
addresses (a.out kludge); otherwise the ELF program headers do. On entry: EAX =
0x2BADB002, EBX = the physical address of the multiboot information structure, CS a
flat 32-bit code segment, DS/ES/FS/GS/SS flat data segments, A20 on, paging off, IF 0.
"""

from __future__ import annotations

import struct

from ..cpu.state import CS, CpuState, Segment
from ..machine import Machine
from . import elf

MAGIC = 0x1BADB002
LOADER_MAGIC = 0x2BADB002
INFO_ADDRESS = 0x9000  # where the multiboot information structure is written


class MultibootError(ValueError):
    pass


def has_header(image: bytes) -> bool:
    try:
        _header(image)
    except MultibootError:
        return False
    return True


def _header(image: bytes) -> tuple[int, tuple[int, ...]]:
    for offset in range(0, min(len(image), 8192) - 11, 4):
        magic, flags, checksum = struct.unpack_from("<III", image, offset)
        if magic == MAGIC and (magic + flags + checksum) & 0xFFFFFFFF == 0:
            if not flags & 0x10000:
                return offset, (flags,)
            if offset + 32 > len(image):
                raise MultibootError(
                    f"the multiboot header at {offset:#x} is cut short: its load addresses (flags bit 16)"
                    f" need 32 bytes, the file ends after {len(image) - offset}"
                )
            return offset, (flags, *struct.unpack_from("<5I", image, offset + 12))
    raise MultibootError("no multiboot header in the first 8 KiB")


def _elf_segments(image: bytes) -> tuple[int, list[tuple[int, bytes, int]]]:
    if not elf.is_elf32(image):
        raise MultibootError("not a 32-bit ELF file, and its multiboot header gives no load addresses")
    try:
        return elf.segments(image)
    except elf.ElfError as exc:
        raise MultibootError(str(exc)) from None


def _kludge_segments(image: bytes, offset: int, fields: tuple[int, ...]) -> list[tuple[int, bytes, int]]:
    """The one segment the multiboot header's load addresses (the a.out kludge) describe."""
    header_addr, load_addr, load_end, bss_end, _entry = fields
    start = offset - (header_addr - load_addr)
    if header_addr < load_addr or start < 0:
        raise MultibootError(
            f"the multiboot header's header_addr {header_addr:#x} and load_addr {load_addr:#x} put the"
            " load address before the start of the file"
        )
    end = len(image) if load_end == 0 else start + (load_end - load_addr)
    if load_end and load_end < load_addr:
        raise MultibootError(
            f"the multiboot header's load_end {load_end:#x} is below load_addr {load_addr:#x}"
        )
    if end > len(image):
        raise MultibootError(
            f"the multiboot header's load_end {load_end:#x} lies past the end of the file"
            f" ({len(image):#x} bytes)"
        )
    memsz = (bss_end or load_addr + (end - start)) - load_addr
    if memsz < end - start:
        raise MultibootError(f"the multiboot header's bss_end {bss_end:#x} is below its load_end")
    return [(load_addr, image[start:end], memsz)]


def load(machine: Machine, image: bytes, command_line: str = "") -> None:
    """Load a multiboot kernel; MultibootError (a ValueError) says in one line what is wrong with it."""
    offset, (flags, *fields) = _header(image)
    if fields:
        segments, entry = _kludge_segments(image, offset, tuple(fields)), fields[4]
    else:
        entry, segments = _elf_segments(image)
    for address, data, memsz in segments:
        if address + max(memsz, len(data)) > len(machine.ram):
            raise MultibootError(f"the kernel needs memory up to {address + memsz:#x}, beyond RAM")
        machine.ram[address : address + memsz] = bytes(memsz)
        machine.ram[address : address + len(data)] = data
    ram_kib = len(machine.ram) // 1024
    line = command_line.encode() + b"\0"
    info = struct.pack("<4I", 0x1 | 0x4, 640, ram_kib - 1024, 0) + struct.pack("<I", INFO_ADDRESS + 0x80)
    machine.ram[INFO_ADDRESS : INFO_ADDRESS + len(info)] = info
    machine.ram[INFO_ADDRESS + 0x80 : INFO_ADDRESS + 0x80 + len(line)] = line
    enter(machine.cpu, entry)


def enter(cpu: CpuState, entry: int) -> None:
    cpu.reset()
    cpu.cr[0] = 0x11  # PE, ET
    cpu.seg = [Segment(0x10, 0, 0xFFFFFFFF, 0x93, True) for _ in range(6)]
    cpu.seg[CS] = Segment(0x08, 0, 0xFFFFFFFF, 0x9B, True)
    cpu.gpr[0], cpu.gpr[3] = LOADER_MAGIC, INFO_ADDRESS
    cpu.eip = entry
    cpu.eflags = 0x2
