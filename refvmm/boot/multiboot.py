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

MAGIC = 0x1BADB002
LOADER_MAGIC = 0x2BADB002
INFO_ADDRESS = 0x9000  # where the multiboot information structure is written


class MultibootError(ValueError):
    pass


def _header(image: bytes) -> tuple[int, tuple[int, ...]]:
    for offset in range(0, min(len(image), 8192) - 11, 4):
        magic, flags, checksum = struct.unpack_from("<III", image, offset)
        if magic == MAGIC and (magic + flags + checksum) & 0xFFFFFFFF == 0:
            fields = struct.unpack_from("<5I", image, offset + 12) if flags & 0x10000 else ()
            return offset, (flags, *fields)
    raise MultibootError("no multiboot header in the first 8 KiB")


def _elf_segments(image: bytes) -> tuple[int, list[tuple[int, bytes, int]]]:
    if image[:4] != b"\x7fELF" or image[4] != 1:
        raise MultibootError("not a 32-bit ELF file, and its multiboot header gives no load addresses")
    entry, phoff = struct.unpack_from("<II", image, 24)
    phentsize, phnum = struct.unpack_from("<HH", image, 42)
    segments = []
    for i in range(phnum):
        kind, offset, _vaddr, paddr, filesz, memsz = struct.unpack_from("<6I", image, phoff + i * phentsize)
        if kind == 1:  # PT_LOAD
            segments.append((paddr, image[offset : offset + filesz], memsz))
    return entry, segments


def load(machine: Machine, image: bytes, command_line: str = "") -> None:
    offset, (flags, *fields) = _header(image)
    if fields:
        header_addr, load_addr, load_end, bss_end, entry = fields
        start = offset - (header_addr - load_addr)
        end = len(image) if load_end == 0 else start + (load_end - load_addr)
        memsz = (bss_end or load_addr + (end - start)) - load_addr
        segments = [(load_addr, image[start:end], memsz)]
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
