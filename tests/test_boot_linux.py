"""The Linux boot-protocol loader (refvmm/boot/linux.py). Offsets are the boot protocol's
own (Documentation/x86/boot.rst, "The real-mode kernel header"; zero-page.rst), written
out here by hand rather than taken from the module, so a wrong constant there fails here.
A small bzImage and a small ELF vmlinux written here check the 32-bit entry end to end."""

import struct

import pytest

from conformance.assemble import assemble
from refvmm.boot import linux
from refvmm.boot.session import Boot
from refvmm.cli import main
from refvmm.pc import PC

# The kernel prints the command line (boot_params.hdr.cmd_line_ptr at 0x228), then the
# setup_data type at boot_params.hdr.setup_data (0x250) and the initrd's first byte
# (ramdisk_image at 0x218) as characters, after reloading DS and CS from the loader's GDT.
PRINT_CMDLINE = """
    mov ebx, esi
    mov esp, 0x90000  # the boot protocol gives no stack
    mov ax, 0x18
    mov ds, ax
    push 0x10
    push reload
    retf
reload:
    mov esi, [ebx + 0x228]
    mov dx, 0x3f8
next:
    lodsb
    test al, al
    jz done
    out dx, al
    jmp next
done:
    mov esi, [ebx + 0x250]
    mov al, [esi + 8]
    add al, 0x30
    out dx, al
    mov esi, [ebx + 0x218]
    test esi, esi
    jz stop
    mov al, [esi]
    out dx, al
stop:
    cli
    hlt
"""


def code(origin: int) -> bytes:
    return assemble(PRINT_CMDLINE, 32, origin).code


def bzimage(
    version: int = 0x020C, setup_sects: int = 2, loadflags: int = 0x01, body: bytes | None = None
) -> bytes:
    body = code(0x100000) if body is None else body
    image = bytearray((setup_sects + 1) * 512)
    image[0x1F1] = setup_sects
    struct.pack_into("<I", image, 0x1F4, -(-len(body) // 16))  # syssize, in 16-byte paragraphs
    struct.pack_into("<H", image, 0x1FE, 0xAA55)  # boot_flag
    image[0x200:0x202] = b"\xeb\x66"  # jump: the header ends at 0x202 + 0x66 = 0x268
    image[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", image, 0x206, version)
    image[0x211] = loadflags
    struct.pack_into("<I", image, 0x214, 0x100000)  # code32_start
    struct.pack_into("<I", image, 0x22C, 0x37FFFFFF)  # initrd_addr_max
    struct.pack_into("<I", image, 0x238, 255)  # cmdline_size
    struct.pack_into("<I", image, 0x260, 0x20000)  # init_size
    return bytes(image) + body


def vmlinux(paddr: int = 0x1000000) -> bytes:
    body = code(paddr)
    header = bytearray(52)
    header[:7] = b"\x7fELF\x01\x01\x01"
    struct.pack_into("<HHIIIIIHHHHHH", header, 16, 2, 3, 1, paddr, 52, 0, 0, 52, 32, 1, 0, 0, 0)
    program = struct.pack("<8I", 1, 0x1000, 0xC0000000 + paddr, paddr, len(body), len(body) + 64, 5, 0x1000)
    return (bytes(header) + program).ljust(0x1000, b"\0") + body


def test_the_setup_header_fields():
    header = linux.parse_header(bzimage())
    assert header.version == 0x020C and header.version_text == "2.12"
    assert header.setup_sects == 2 and header.protected_mode.start == 3 * 512
    assert header.code32_start == 0x100000 and header.init_size == 0x20000
    assert header.cmdline_size == 255 and header.initrd_addr_max == 0x37FFFFFF
    assert header.header_end == 0x268


def test_setup_sects_zero_means_four():
    image = bytearray(bzimage(setup_sects=4))
    image[0x1F1] = 0
    assert linux.parse_header(bytes(image)).protected_mode.start == 5 * 512


def test_boot_params_layout():
    header = bzimage()[0x1F1:0x268]
    params = linux.boot_params(header, 32 << 20, 0x20000, (0x1F00000, 0x1234), 0x6000)
    assert len(params) == 4096
    assert params[0x202:0x206] == b"HdrS" and params[0x1F1] == 2  # the image's header, at its own offsets
    assert params[0x210] == 0xFF  # type_of_loader: undefined
    assert struct.unpack_from("<I", params, 0x228)[0] == 0x20000  # cmd_line_ptr
    assert struct.unpack_from("<II", params, 0x218) == (0x1F00000, 0x1234)  # ramdisk_image, ramdisk_size
    assert struct.unpack_from("<Q", params, 0x250)[0] == 0x6000  # setup_data (protocol 2.09+)
    assert struct.unpack_from("<I", params, 0x1E0)[0] == 31 * 1024  # alt_mem_k: KiB above 1 MiB
    assert struct.unpack_from("<H", params, 0x002)[0] == 31 * 1024  # screen_info.ext_mem_k
    assert params[0x006] == 3 and params[0x007] == 80 and params[0x00E] == 25  # 80x25 text mode
    entries = params[0x1E8]
    table = [struct.unpack_from("<QQI", params, 0x2D0 + 20 * i) for i in range(entries)]
    assert table == [
        (0, 0x9FC00, 1),
        (0x9FC00, 0x400, 2),
        (0xE0000, 0x20000, 2),
        (0x100000, (32 << 20) - 0x100000, 1),
    ]


def test_setup_data_is_not_given_to_a_protocol_before_2_09():
    header = bytearray(bzimage(version=0x0208)[0x1F1:0x268])
    params = linux.boot_params(bytes(header), 16 << 20, 0x20000, setup_data=0x6000)
    assert struct.unpack_from("<Q", params, 0x250)[0] == 0


def test_the_rng_seed_setup_data():
    entry = linux.rng_seed_setup_data(bytes(range(32)))
    assert struct.unpack_from("<QII", entry) == (0, 9, 32) and entry[16:] == bytes(range(32))


def test_the_32_bit_entry_state():
    pc = PC(ram_size=16 << 20)
    assert linux.load(pc.machine, bzimage(), command_line="quiet") == "bzImage, boot protocol 2.12"
    cpu = pc.machine.cpu
    assert cpu.eip == 0x100000 and cpu.gpr[6] == 0x7000  # ESI: boot_params
    assert [cpu.gpr[i] for i in (3, 5, 7)] == [0, 0, 0]  # EBX, EBP, EDI
    assert cpu.seg[1].selector == 0x10 and all(cpu.seg[i].selector == 0x18 for i in (0, 2, 3))
    assert cpu.cr[0] & 1 and not cpu.cr[0] & 0x80000000 and not cpu.eflags & 0x200  # PE, no paging, IF 0
    ram = pc.machine.ram
    assert ram[0x20000:0x20006] == b"quiet\0"
    assert ram[0x100000 : 0x100000 + 16] == bzimage()[3 * 512 : 3 * 512 + 16]


@pytest.mark.parametrize("make", [bzimage, vmlinux], ids=["bzImage", "vmlinux"])
def test_a_kernel_runs_from_its_32_bit_entry(make, tmp_path):
    kernel, initrd = tmp_path / "kernel", tmp_path / "initrd"
    kernel.write_bytes(make())
    initrd.write_bytes(b"I" * 5000)
    log = Boot(kernel=kernel, initrd=initrd, command_line="console=ttyS0 quiet", memory_mib=20).run()
    assert log.reason == "halt", log.summary()
    assert log.serial == "console=ttyS0 quiet9I"  # the line, SETUP_RNG_SEED, the initrd
    assert set(log.images) == {"kernel", "initrd"}


def test_the_initrd_goes_at_the_top_of_memory(tmp_path):
    pc = PC(ram_size=16 << 20)
    linux.load(pc.machine, bzimage(), initrd=b"x" * 5000)
    address, size = struct.unpack_from("<II", pc.machine.ram, 0x7000 + 0x218)
    assert size == 5000 and address % 4096 == 0 and address + size <= 16 << 20 < address + size + 4096


@pytest.mark.parametrize(
    "image, message",
    [
        (b"just text\n" * 100, "not a bzImage: no boot-protocol header (HdrS at 0x202)"),
        (b"\0" * 100, "not a bzImage: 100 bytes, too short for the setup header"),
        (bzimage()[:0x300], "truncated: the kernel needs"),
        (bzimage()[:-40], "truncated: the kernel needs"),
        (bzimage(version=0x0201), "boot protocol 2.01 is too old: the 32-bit entry needs 2.02 or later"),
        (bzimage(loadflags=0), "a zImage (loaded low, below 1 MiB) is not supported"),
    ],
)
def test_bad_headers(image, message):
    with pytest.raises(linux.LinuxBootError) as error:
        linux.parse_header(image)
    assert message in str(error.value)


def test_a_boot_sector_before_protocol_2_00():
    image = bytearray(1024)
    image[0x1FE:0x200] = b"\x55\xaa"
    with pytest.raises(linux.LinuxBootError, match="a kernel from before protocol 2.00"):
        linux.parse_header(bytes(image))


def test_a_kernel_bigger_than_memory_and_a_long_command_line():
    pc = PC(ram_size=2 << 20)
    with pytest.raises(linux.LinuxBootError, match="beyond RAM"):
        linux.load(pc.machine, vmlinux())
    with pytest.raises(
        linux.LinuxBootError, match="the command line is 300 bytes; this kernel takes at most 255"
    ):
        linux.load(PC(ram_size=16 << 20).machine, bzimage(), command_line="x" * 300)


@pytest.mark.parametrize(
    "contents, argv, message",
    [
        (bzimage()[:0x300], [], "truncated: the kernel needs"),
        (bzimage(version=0x0200), [], "boot protocol 2.00 is too old"),
        (b"\0" * 510 + b"\x55\xaa", [], "a kernel from before protocol 2.00"),
        (
            b"plain text\n" * 80,
            [],
            "no multiboot header in the first 8 KiB, and no Linux boot",
        ),
        (vmlinux()[:0x1010], [], "ELF segment 0"),
        (bzimage(), ["--memory", "1"], "memory of 1 MiB"),
        (bzimage(), ["--initrd", "/no/initrd"], "/no/initrd: cannot read the initrd image"),
    ],
)
def test_bad_input_is_one_line_naming_the_file(tmp_path, contents, argv, message):
    kernel = tmp_path / "vmlinuz"
    kernel.write_bytes(contents)
    with pytest.raises(SystemExit) as exit_:
        main(["boot", "--kernel", str(kernel), *argv])
    text = str(exit_.value.code)
    assert text.startswith("refvmm: ") and message in text and "\n" not in text
    if "memory" not in message and "initrd" not in message:
        assert str(kernel) in text


def test_the_cli_boots_a_bzimage(tmp_path, capsys):
    kernel = tmp_path / "bzImage"
    kernel.write_bytes(bzimage())
    assert main(["boot", "--kernel", str(kernel), "--append", "hello there"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "hello there9"
    assert "bzImage, boot protocol 2.12" in captured.err


def test_the_fetch_scripts_initramfs_is_a_newc_archive():
    """ci/fetch_guests.py writes the Linux guest's initramfs itself (no cpio on the host):
    read it back by the newc format (the kernel's Documentation/driver-api/early-userspace)."""
    from conformance.boots.catalogue import fetch_guests

    archive = fetch_guests()._cpio(
        [("init", 0o100755, b"#!/bin/sh\n", 0), ("dev/console", 0o20600, b"", 0x501)]
    )
    found, at = [], 0
    while True:
        assert archive[at : at + 6] == b"070701"
        fields = [int(archive[at + 6 + 8 * i : at + 14 + 8 * i], 16) for i in range(13)]
        name_size, size = fields[11], fields[6]
        name = archive[at + 110 : at + 110 + name_size - 1].decode()
        at = (at + 110 + name_size + 3) & ~3
        data = archive[at : at + size]
        at = (at + size + 3) & ~3
        if name == "TRAILER!!!":
            break
        found.append((name, fields[1], data, (fields[9] << 8) | fields[10]))
    assert found == [("init", 0o100755, b"#!/bin/sh\n", 0), ("dev/console", 0o20600, b"", 0x501)]
    assert len(archive) % 512 == 0
