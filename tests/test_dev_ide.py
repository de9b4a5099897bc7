"""The primary IDE channel with one PIO disk, driven through its ports as a BIOS or driver does."""

import os

import pytest

from refvmm.devices.base import PortBus
from refvmm.devices.ide import IdeDisk, default_geometry

SECTORS = 2 * 16 * 63  # two cylinders of the default 16-head, 63-sector geometry


def make(tmp_path, sectors=SECTORS):
    path = tmp_path / "disk.img"
    path.write_bytes(b"".join(bytes([i & 0xFF]) * 512 for i in range(sectors)))
    irqs = []
    disk = IdeDisk(path, irq=lambda line, level: irqs.append((line, level)))
    bus = PortBus()
    bus.attach(disk)
    return path, disk, bus, irqs


def read_words(bus, n=256):
    return [bus.read(0x1F0, 2) for _ in range(n)]


def lba_command(bus, command, lba, count):
    bus.write(0x1F2, 1, count)
    bus.write(0x1F3, 1, lba & 0xFF)
    bus.write(0x1F4, 1, lba >> 8 & 0xFF)
    bus.write(0x1F5, 1, lba >> 16 & 0xFF)
    bus.write(0x1F6, 1, 0xE0 | lba >> 24)  # LBA, device 0
    bus.write(0x1F7, 1, command)


def chs_command(bus, command, cyl, head, sector, count):
    bus.write(0x1F2, 1, count)
    bus.write(0x1F3, 1, sector)
    bus.write(0x1F4, 1, cyl & 0xFF)
    bus.write(0x1F5, 1, cyl >> 8)
    bus.write(0x1F6, 1, 0xA0 | head)
    bus.write(0x1F7, 1, command)


def test_identify(tmp_path):
    _, disk, bus, irqs = make(tmp_path)
    bus.write(0x1F6, 1, 0xA0)
    assert bus.read(0x1F7, 1) == 0x50  # DRDY | DSC
    bus.write(0x1F7, 1, 0xEC)
    assert irqs == [(14, True)]
    assert bus.read(0x3F6, 1) == 0x58  # alternate status: DRQ, interrupt still pending
    assert disk.irq_level
    assert bus.read(0x1F7, 1) == 0x58
    assert irqs == [(14, True), (14, False)]
    words = read_words(bus)
    assert bus.read(0x1F7, 1) == 0x50  # DRQ gone after 256 words
    assert words[0] == 0x0040
    assert (words[1], words[3], words[6]) == (2, 16, 63)
    # "REFVMM HARDDISK" padded with spaces: 'R','E' -> 0x5245, 'F','V' -> 0x4656, ...
    assert words[27:30] == [0x5245, 0x4656, 0x4D4D]
    model = b"".join(w.to_bytes(2, "big") for w in words[27:47]).decode()
    assert model == "REFVMM HARDDISK".ljust(40)
    assert words[49] & 0x0200  # LBA
    assert words[60] | words[61] << 16 == SECTORS == 2016
    assert (words[60], words[61]) == (0x07E0, 0x0000)
    raw = b"".join(w.to_bytes(2, "little") for w in words)
    assert raw[510] == 0xA5 and sum(raw) % 256 == 0  # integrity word


def test_identify_32_bit_reads(tmp_path):
    _, disk, bus, _ = make(tmp_path)
    bus.write(0x1F7, 1, 0xEC)
    dwords = [bus.read(0x1F0, 4) for _ in range(128)]
    assert b"".join(d.to_bytes(4, "little") for d in dwords) == disk.identify()
    assert not bus.read(0x1F7, 1) & 0x08


def test_read_sectors_lba(tmp_path):
    _, _, bus, irqs = make(tmp_path)
    lba_command(bus, 0x20, 1000, 2)
    assert irqs[-1] == (14, True)
    assert bus.read(0x1F7, 1) == 0x58
    assert read_words(bus) == [(1000 & 0xFF) * 0x0101] * 256  # sector n is filled with byte n & 0xFF
    assert irqs[-1] == (14, True)  # the second sector is ready
    assert bus.read(0x1F7, 1) == 0x58
    assert read_words(bus) == [(1001 & 0xFF) * 0x0101] * 256
    assert bus.read(0x1F7, 1) == 0x50
    assert bus.read(0x1F3, 1) == 1001 & 0xFF and bus.read(0x1F4, 1) == 1001 >> 8  # last sector


def test_write_then_read_back_lba(tmp_path):
    path, _, bus, irqs = make(tmp_path)
    lba_command(bus, 0x30, 5, 1)
    assert bus.read(0x1F7, 1) == 0x58 and irqs == []  # DRQ for the data, no interrupt yet
    pattern = [(i * 0x0102 + 0x0300) & 0xFFFF for i in range(256)]
    for w in pattern:
        bus.write(0x1F0, 2, w)
    assert irqs == [(14, True)]
    assert bus.read(0x1F7, 1) == 0x50
    assert irqs == [(14, True), (14, False)]
    expected = b"".join(w.to_bytes(2, "little") for w in pattern)
    assert path.read_bytes()[5 * 512 : 6 * 512] == expected
    assert path.read_bytes()[4 * 512 : 5 * 512] == bytes([4]) * 512  # neighbours untouched
    lba_command(bus, 0x20, 5, 1)
    bus.read(0x1F7, 1)
    assert read_words(bus) == pattern


def test_chs_write_and_read(tmp_path):
    path, _, bus, _ = make(tmp_path)
    # C/H/S 1/2/3 with 16 heads, 63 sectors per track: (1 * 16 + 2) * 63 + 3 - 1 = 1136.
    chs_command(bus, 0x31, 1, 2, 3, 1)
    for i in range(128):
        bus.write(0x1F0, 4, 0xDEADBEEF + i)
    assert bus.read(0x1F7, 1) == 0x50
    data = b"".join((0xDEADBEEF + i).to_bytes(4, "little") for i in range(128))
    assert path.read_bytes()[1136 * 512 : 1137 * 512] == data
    lba_command(bus, 0x21, 1136, 1)
    bus.read(0x1F7, 1)
    assert b"".join(w.to_bytes(2, "little") for w in read_words(bus)) == data
    # Reading across a track: 0/0/63 then 0/1/1 are LBA 62 and 63.
    chs_command(bus, 0x20, 0, 0, 63, 2)
    assert read_words(bus, 1) == [0x3E3E]
    read_words(bus, 255)
    assert read_words(bus, 1) == [0x3F3F]
    read_words(bus, 255)
    assert (bus.read(0x1F3, 1), bus.read(0x1F6, 1) & 0x0F) == (1, 1)  # ended at 0/1/1


def test_initialize_device_parameters_changes_translation(tmp_path):
    _, _, bus, _ = make(tmp_path)
    bus.write(0x1F2, 1, 32)
    bus.write(0x1F6, 1, 0xA0 | 3)  # 4 heads, 32 sectors per track
    bus.write(0x1F7, 1, 0x91)
    assert bus.read(0x1F7, 1) == 0x50
    chs_command(bus, 0x20, 2, 1, 5, 1)  # (2 * 4 + 1) * 32 + 4 = 292
    assert read_words(bus, 1) == [(292 & 0xFF) * 0x0101]


def test_nien_masks_interrupt(tmp_path):
    _, disk, bus, irqs = make(tmp_path)
    bus.write(0x3F6, 1, 0x02)  # nIEN
    lba_command(bus, 0x20, 0, 1)
    assert irqs == [] and not disk.irq_level
    bus.write(0x3F6, 1, 0x00)  # unmasking shows the pending interrupt
    assert irqs == [(14, True)]
    bus.read(0x1F7, 1)
    assert irqs == [(14, True), (14, False)]


def test_other_commands(tmp_path):
    _, _, bus, irqs = make(tmp_path)
    for command in (0xEF, 0x10):  # SET FEATURES, RECALIBRATE
        bus.write(0x1F7, 1, command)
        assert bus.read(0x1F7, 1) == 0x50 and bus.read(0x1F1, 1) == 0
    bus.write(0x1F7, 1, 0xC8)  # READ DMA: not supported
    assert bus.read(0x1F7, 1) == 0x51  # DRDY | DSC | ERR
    assert bus.read(0x1F1, 1) == 0x04  # ABRT
    lba_command(bus, 0x20, SECTORS, 1)  # past the end
    assert bus.read(0x1F7, 1) & 0x01 and bus.read(0x1F1, 1) == 0x10  # IDNF
    assert len(irqs) == 2 * 4


def test_slave_absent_and_soft_reset(tmp_path):
    _, _, bus, irqs = make(tmp_path)
    bus.write(0x1F6, 1, 0xB0)  # device 1
    assert bus.read(0x1F7, 1) == 0 and bus.read(0x3F6, 1) == 0
    bus.write(0x1F7, 1, 0xEC)
    assert irqs == [] and bus.read(0x1F7, 1) == 0
    bus.write(0x3F6, 1, 0x04)  # SRST
    assert bus.read(0x3F6, 1) & 0x80  # BSY while held
    bus.write(0x3F6, 1, 0x00)
    assert bus.read(0x1F7, 1) == 0x50
    # The ATA signature: sector count 1, LBA low 1, cylinder 0, diagnostic code 01h, device 0.
    assert [bus.read(p, 1) for p in range(0x1F1, 0x1F7)] == [0x01, 0x01, 0x01, 0x00, 0x00, 0xA0]


def test_bytes_image_is_private_copy():
    image = bytes(1024)
    disk = IdeDisk(image)
    disk.write_sector(1, b"\x55" * 512)
    assert disk.read_sector(1) == b"\x55" * 512 and image == bytes(1024)


def test_default_geometry():
    assert default_geometry(SECTORS) == (2, 16, 63)
    assert default_geometry(64) == (1, 1, 63)
    assert default_geometry(10) == (1, 1, 10)
    assert default_geometry(1 << 28) == (16383, 16, 63)


@pytest.mark.parametrize(
    "content, message",
    [(None, "no such file"), (b"", "empty"), (b"\0" * 700, "700 bytes is not a multiple of 512")],
)
def test_bad_images_rejected(tmp_path, content, message):
    path = tmp_path / "bad.img"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ValueError) as info:
        IdeDisk(path, irq=None)
    text = str(info.value)
    assert message in text and str(path) in text and "\n" not in text


def test_bad_bytes_image_rejected():
    with pytest.raises(ValueError, match="not a multiple of 512"):
        IdeDisk(b"\0" * 513)


def test_an_image_file_the_host_will_not_let_us_write_aborts_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "access", lambda path, mode: False)  # as for a file without write permission
    path, disk, bus, irqs = make(tmp_path)
    before = path.read_bytes()
    lba_command(bus, 0x30, 5, 1)
    assert bus.read(0x1F7, 1) == 0x51  # DRDY DSC ERR, no DRQ
    assert bus.read(0x1F1, 1) == 0x04  # ABRT
    lba_command(bus, 0x20, 5, 1)  # reads still work
    assert read_words(bus, 1) == [0x0505]
    assert path.read_bytes() == before
