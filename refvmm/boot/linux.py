"""A Linux x86 boot-protocol loader (Documentation/x86/boot.rst, zero-page.rst): a bzImage's
protected-mode part, or an uncompressed ELF vmlinux, entered at its 32-bit entry with
``boot_params`` (the zero page) built here: the setup header, an e820 map, the command
line, the initrd and a SETUP_RNG_SEED setup_data entry. No real-mode setup code runs.

32-bit entry (boot.rst, "32-bit Boot Protocol"): protected mode, paging off, IF 0, a GDT
with flat 4 GiB __BOOT_CS (0x10, execute/read) and __BOOT_DS (0x18, read/write), CS =
__BOOT_CS, DS = ES = SS = __BOOT_DS, ESI the address of boot_params, EBP = EDI = EBX = 0.
"""

from __future__ import annotations

import dataclasses
import hashlib
import struct

from ..cpu.state import CS, CpuState, Segment
from ..machine import Machine
from . import elf

# setup header fields (boot.rst, "The real-mode kernel header": offset in the image and in
# boot_params alike)
SETUP_SECTS = 0x1F1
SYSSIZE = 0x1F4
BOOT_FLAG = 0x1FE  # 0xAA55
JUMP = 0x200  # its second byte + 0x202 is where the setup header ends
HEADER = 0x202  # "HdrS"
VERSION = 0x206
TYPE_OF_LOADER = 0x210
LOADFLAGS = 0x211
CODE32_START = 0x214
RAMDISK_IMAGE = 0x218
RAMDISK_SIZE = 0x21C
CMD_LINE_PTR = 0x228  # 2.02+
INITRD_ADDR_MAX = 0x22C  # 2.03+
KERNEL_ALIGNMENT = 0x230  # 2.05+
CMDLINE_SIZE = 0x238  # 2.06+
SETUP_DATA = 0x250  # 2.09+
INIT_SIZE = 0x260  # 2.10+
HEADER_END_MIN = 0x264  # the fields read here all lie below this

# boot_params outside the setup header (zero-page.rst)
EXT_MEM_K = 0x002  # screen_info.ext_mem_k
ORIG_VIDEO_MODE = 0x006
ORIG_VIDEO_COLS = 0x007
ORIG_VIDEO_LINES = 0x00E
ORIG_VIDEO_IS_VGA = 0x00F
ORIG_VIDEO_POINTS = 0x010
ALT_MEM_K = 0x1E0
E820_ENTRIES = 0x1E8
E820_TABLE = 0x2D0  # 128 entries of 20 bytes: u64 address, u64 size, u32 type
E820_MAX = 128
BOOT_PARAMS_SIZE = 0x1000

LOADED_HIGH = 0x01  # loadflags: the protected-mode part is loaded at 1 MiB (a bzImage)
TYPE_UNDEFINED = 0xFF  # type_of_loader: a boot loader with no assigned id
SETUP_RNG_SEED = 9  # setup_data type
E820_RAM, E820_RESERVED = 1, 2
MIN_VERSION = 0x0202  # cmd_line_ptr, the first protocol a 32-bit entry can be given a command line by

# Where this loader puts things (below 1 MiB, clear of the BIOS data area and the EBDA).
GDT_ADDRESS = 0x5000
SETUP_DATA_ADDRESS = 0x6000
BOOT_PARAMS_ADDRESS = 0x7000
CMDLINE_ADDRESS = 0x20000
EBDA = 0x9FC00  # usable memory below 1 MiB ends here, as on a PC
BZIMAGE_LOAD = 0x100000
BOOT_CS, BOOT_DS = 0x10, 0x18


class LinuxBootError(ValueError):
    pass


@dataclasses.dataclass(frozen=True)
class SetupHeader:
    """What the loader reads from a bzImage's setup header."""

    version: int  # 0x020C is protocol 2.12
    setup_sects: int  # 512-byte sectors of real-mode code after the boot sector
    loadflags: int
    code32_start: int
    initrd_addr_max: int
    cmdline_size: int
    init_size: int  # linear memory the kernel needs from its load address while it starts
    header_end: int  # offset just past the setup header
    protected_mode: slice  # the 32-bit kernel in the file

    @property
    def version_text(self) -> str:
        return f"{self.version >> 8}.{self.version & 0xFF:02d}"


def is_bzimage(image: bytes) -> bool:
    return image[HEADER : HEADER + 4] == b"HdrS"


def parse_header(image: bytes) -> SetupHeader:
    """The setup header of a bzImage; LinuxBootError says in one line why it is not usable."""
    if len(image) < 0x200 or not is_bzimage(image):
        if len(image) >= 0x200 and image[BOOT_FLAG : BOOT_FLAG + 2] == b"\x55\xaa":
            raise LinuxBootError("a boot sector without the HdrS header: a kernel from before protocol 2.00")
        if len(image) < HEADER + 4:
            raise LinuxBootError(f"not a bzImage: {len(image)} bytes, too short for the setup header")
        raise LinuxBootError("not a bzImage: no boot-protocol header (HdrS at 0x202)")
    (version,) = struct.unpack_from("<H", image, VERSION) if len(image) >= VERSION + 2 else (0,)
    if version < MIN_VERSION:
        raise LinuxBootError(
            f"boot protocol {version >> 8}.{version & 0xFF:02d} is too old:"
            " the 32-bit entry needs 2.02 or later"
        )
    header_end = HEADER + image[JUMP + 1]
    if len(image) < max(header_end, CMD_LINE_PTR + 4):
        raise LinuxBootError(
            f"truncated: the setup header ends at {header_end:#x}, the file at {len(image):#x}"
        )
    fields = image[: max(header_end, HEADER_END_MIN)].ljust(HEADER_END_MIN, b"\0")

    def field(offset: int, fmt: str, since: int, default: int) -> int:
        return struct.unpack_from(fmt, fields, offset)[0] if version >= since else default

    setup_sects = image[SETUP_SECTS] or 4  # 0 means 4 (boot.rst note 1)
    start = (setup_sects + 1) * 512
    syssize = field(SYSSIZE, "<I", 0x0204, 0)  # in 16-byte paragraphs; rounded up
    if len(image) <= start or (syssize and len(image) < start + syssize * 16 - 15):
        need = start + syssize * 16
        raise LinuxBootError(f"truncated: the kernel needs {need:#x} bytes, the file has {len(image):#x}")
    loadflags = image[LOADFLAGS]
    if not loadflags & LOADED_HIGH:
        raise LinuxBootError("a zImage (loaded low, below 1 MiB) is not supported: give a bzImage")
    return SetupHeader(
        version=version,
        setup_sects=setup_sects,
        loadflags=loadflags,
        code32_start=field(CODE32_START, "<I", 0x0200, BZIMAGE_LOAD),
        initrd_addr_max=field(INITRD_ADDR_MAX, "<I", 0x0203, 0x37FFFFFF),
        cmdline_size=field(CMDLINE_SIZE, "<I", 0x0206, 255),
        init_size=field(INIT_SIZE, "<I", 0x020A, 0),
        header_end=header_end,
        protected_mode=slice(start, len(image)),
    )


def e820_map(ram_size: int) -> list[tuple[int, int, int]]:
    """A PC's memory map for ``ram_size`` bytes of RAM: conventional memory up to the EBDA,
    the EBDA, video memory and ROMs reserved, then everything above 1 MiB."""
    return [
        (0, EBDA, E820_RAM),
        (EBDA, 0xA0000 - EBDA, E820_RESERVED),
        (0xE0000, 0x20000, E820_RESERVED),
        (0x100000, ram_size - 0x100000, E820_RAM),
    ]


def synthetic_header() -> bytes:
    """The setup header given to an ELF vmlinux, which has none of its own: protocol 2.15,
    loaded high, by an undefined loader. ``boot_params`` carries it at 0x1F1."""
    header = bytearray(HEADER_END_MIN)
    struct.pack_into("<H", header, BOOT_FLAG, 0xAA55)
    header[JUMP : JUMP + 2] = b"\xeb" + bytes([HEADER_END_MIN - HEADER])
    header[HEADER : HEADER + 4] = b"HdrS"
    struct.pack_into("<H", header, VERSION, 0x020F)
    header[LOADFLAGS] = LOADED_HIGH
    struct.pack_into("<I", header, INITRD_ADDR_MAX, 0x37FFFFFF)
    struct.pack_into("<I", header, CMDLINE_SIZE, 2047)
    return bytes(header[SETUP_SECTS:])


def boot_params(
    setup_header: bytes,
    ram_size: int,
    command_line_address: int,
    initrd: tuple[int, int] = (0, 0),
    setup_data: int = 0,
) -> bytes:
    """The zero page: ``setup_header`` (the image's bytes from 0x1F1 to the header's end) with
    the loader's fields written, the e820 map, the memory sizes and an 80x25 VGA text screen."""
    params = bytearray(BOOT_PARAMS_SIZE)
    params[SETUP_SECTS : SETUP_SECTS + len(setup_header)] = setup_header
    params[TYPE_OF_LOADER] = TYPE_UNDEFINED
    struct.pack_into("<I", params, CMD_LINE_PTR, command_line_address)
    struct.pack_into("<II", params, RAMDISK_IMAGE, *initrd)
    if struct.unpack_from("<H", params, VERSION)[0] >= 0x0209:
        struct.pack_into("<Q", params, SETUP_DATA, setup_data)
    ext_kib = (ram_size - 0x100000) // 1024
    struct.pack_into("<H", params, EXT_MEM_K, min(ext_kib, 0xFFFF))
    struct.pack_into("<I", params, ALT_MEM_K, ext_kib)
    params[ORIG_VIDEO_MODE], params[ORIG_VIDEO_COLS], params[ORIG_VIDEO_LINES] = 3, 80, 25
    params[ORIG_VIDEO_IS_VGA], params[ORIG_VIDEO_POINTS] = 1, 16
    table = e820_map(ram_size)
    params[E820_ENTRIES] = len(table)
    for i, entry in enumerate(table):
        struct.pack_into("<QQI", params, E820_TABLE + 20 * i, *entry)
    return bytes(params)


def rng_seed_setup_data(seed: bytes) -> bytes:
    """A setup_data entry (u64 next, u32 type, u32 len, data) of type SETUP_RNG_SEED: the
    kernel credits it as entropy, instead of gathering its own for millions of instructions."""
    return struct.pack("<QII", 0, SETUP_RNG_SEED, len(seed)) + seed


# A GDT with the boot protocol's flat segments at 0x10 and 0x18.
GDT = bytes(16) + struct.pack("<Q", 0x00CF9B000000FFFF) + struct.pack("<Q", 0x00CF93000000FFFF)


def load(machine: Machine, image: bytes, initrd: bytes = b"", command_line: str = "") -> str:
    """Load a bzImage or an ELF vmlinux with its initrd and command line and set the CPU at
    its 32-bit entry. Returns what was loaded, for a person ("bzImage, boot protocol 2.12").
    The RNG seed is fixed (derived from the image), so a boot is the same every time."""
    ram = machine.ram
    line = command_line.encode()
    if elf.is_elf32(image):
        try:
            entry, segments = elf.segments(image)
        except elf.ElfError as exc:
            raise LinuxBootError(str(exc)) from None
        header, limit, cmdline_max, what = synthetic_header(), 0x37FFFFFF, 2047, "ELF vmlinux"
        kernel_end = max(address + memsz for address, _data, memsz in segments)
    else:
        parsed = parse_header(image)
        entry, what = BZIMAGE_LOAD, f"bzImage, boot protocol {parsed.version_text}"
        segments = [(BZIMAGE_LOAD, image[parsed.protected_mode], len(image[parsed.protected_mode]))]
        header = image[SETUP_SECTS : parsed.header_end]
        limit, cmdline_max = parsed.initrd_addr_max, parsed.cmdline_size
        kernel_end = BZIMAGE_LOAD + max(parsed.init_size, len(image[parsed.protected_mode]))
    if len(line) > cmdline_max:
        raise LinuxBootError(
            f"the command line is {len(line)} bytes; this kernel takes at most {cmdline_max}"
        )
    if kernel_end > len(ram):
        raise LinuxBootError(
            f"the kernel needs memory up to {kernel_end:#x} ({-(-kernel_end >> 20)} MiB), beyond RAM"
        )
    for address, data, memsz in segments:
        ram[address : address + memsz] = bytes(memsz)
        ram[address : address + len(data)] = data
    initrd_at = 0
    if initrd:
        top = min(len(ram), limit + 1)
        initrd_at = (top - len(initrd)) & ~0xFFF
        if initrd_at < kernel_end:
            raise LinuxBootError(
                f"no room for the initrd ({len(initrd):,} bytes) between the kernel's end {kernel_end:#x}"
                f" and {top:#x}: give more memory"
            )
        ram[initrd_at : initrd_at + len(initrd)] = initrd
    seed = hashlib.sha256(b"refvmm rng seed" + hashlib.sha256(image).digest()).digest()
    setup = rng_seed_setup_data(seed)
    ram[SETUP_DATA_ADDRESS : SETUP_DATA_ADDRESS + len(setup)] = setup
    ram[CMDLINE_ADDRESS : CMDLINE_ADDRESS + len(line) + 1] = line + b"\0"
    params = boot_params(header, len(ram), CMDLINE_ADDRESS, (initrd_at, len(initrd)), SETUP_DATA_ADDRESS)
    ram[BOOT_PARAMS_ADDRESS : BOOT_PARAMS_ADDRESS + len(params)] = params
    ram[GDT_ADDRESS : GDT_ADDRESS + len(GDT)] = GDT
    enter(machine.cpu, entry)
    return what


def enter(cpu: CpuState, entry: int) -> None:
    cpu.reset()
    cpu.cr[0] = 0x11  # PE, ET
    cpu.gdtr = (GDT_ADDRESS, len(GDT) - 1)
    cpu.seg = [Segment(BOOT_DS, 0, 0xFFFFFFFF, 0x93, True) for _ in range(6)]
    cpu.seg[CS] = Segment(BOOT_CS, 0, 0xFFFFFFFF, 0x9B, True)
    cpu.gpr[6] = BOOT_PARAMS_ADDRESS  # ESI; the others stay 0
    cpu.eip = entry
    cpu.eflags = 0x2
