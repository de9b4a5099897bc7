"""The loadable segments of a 32-bit ELF file (what the multiboot and Linux loaders copy)."""

from __future__ import annotations

import struct

ELF_HEADER = 52  # bytes of a 32-bit ELF file header
PROGRAM_HEADER = 32  # bytes of a 32-bit ELF program header


class ElfError(ValueError):
    pass


def is_elf32(image: bytes) -> bool:
    return image[:4] == b"\x7fELF" and len(image) > 4 and image[4] == 1


def segments(image: bytes) -> tuple[int, list[tuple[int, bytes, int]]]:
    """The entry point and each PT_LOAD segment as (physical address, file bytes, memory size)."""
    if not is_elf32(image):
        raise ElfError("not a 32-bit ELF file")
    if len(image) < ELF_HEADER:
        raise ElfError(f"the ELF header is cut short: {len(image)} bytes of {ELF_HEADER}")
    entry, phoff = struct.unpack_from("<II", image, 24)
    phentsize, phnum = struct.unpack_from("<HH", image, 42)
    if phnum and phentsize < PROGRAM_HEADER:
        raise ElfError(f"ELF program headers of {phentsize} bytes: a 32-bit one is {PROGRAM_HEADER}")
    if phoff + phnum * phentsize > len(image):
        raise ElfError(
            f"the ELF program headers ({phnum} at {phoff:#x}) lie past the end of the file"
            f" ({len(image):#x} bytes)"
        )
    found = []
    for i in range(phnum):
        kind, offset, _vaddr, paddr, filesz, memsz = struct.unpack_from("<6I", image, phoff + i * phentsize)
        if kind != 1:  # PT_LOAD only
            continue
        if offset + filesz > len(image):
            raise ElfError(
                f"ELF segment {i}: {filesz:#x} bytes at {offset:#x} lie past the end of the file"
                f" ({len(image):#x} bytes)"
            )
        if memsz < filesz:
            raise ElfError(f"ELF segment {i}: memory size {memsz:#x} is less than its file size {filesz:#x}")
        found.append((paddr, image[offset : offset + filesz], memsz))
    if not found:
        raise ElfError("the ELF file has no loadable segment")
    return entry, found
