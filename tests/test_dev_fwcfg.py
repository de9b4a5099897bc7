"""QEMU fw_cfg through its legacy I/O ports, read the way SeaBIOS does."""

import struct

from refvmm.devices.base import PortBus
from refvmm.devices.fwcfg import FwCfg


def make():
    dev = FwCfg()
    bus = PortBus()
    bus.attach(dev)
    return bus, dev


def read_item(bus, key, n):
    bus.write(0x510, 2, key)
    return bytes(bus.read(0x511, 1) for _ in range(n))


def test_signature_and_id():
    bus, _ = make()
    assert read_item(bus, 0x0000, 4) == b"QEMU"
    assert read_item(bus, 0x0000, 6) == b"QEMU\0\0"  # past the end reads 0
    assert read_item(bus, 0x0001, 4) == b"\x01\0\0\0"  # traditional interface, no DMA


def test_reselect_rewinds():
    bus, _ = make()
    bus.write(0x510, 2, 0)
    assert bus.read(0x511, 1) == ord("Q")
    assert bus.read(0x511, 1) == ord("E")
    bus.write(0x510, 2, 0)
    assert bus.read(0x511, 1) == ord("Q")


def test_unknown_item_reads_zero():
    bus, _ = make()
    assert read_item(bus, 0x1234, 3) == b"\0\0\0"


def test_empty_directory():
    bus, _ = make()
    assert read_item(bus, 0x0019, 4) == b"\0\0\0\0"


def test_directory_and_file():
    bus, dev = make()
    assert dev.add_file("etc/boot-menu-wait", b"\x00\x10") == 0x20
    assert dev.add_sercon_port(0x3F8) == 0x21
    raw = read_item(bus, 0x0019, 4 + 2 * 64)
    assert raw[:4] == b"\0\0\0\x02"  # count, big-endian
    e0, e1 = raw[4:68], raw[68:132]
    # size (BE u32), select (BE u16), reserved, name
    assert e0[:8] == b"\0\0\0\x02\0\x20\0\0"
    assert e0[8:] == b"etc/boot-menu-wait".ljust(56, b"\0")
    assert e1[:8] == b"\0\0\0\x02\0\x21\0\0"
    assert e1[8:].rstrip(b"\0") == b"etc/sercon-port"
    # SeaBIOS: find the name, select it, read size bytes, decode as a little-endian integer.
    size, select = struct.unpack(">IH", e1[:6])
    assert int.from_bytes(read_item(bus, select, size), "little") == 0x3F8


def test_selector_needs_16_bit_write_and_data_writes_ignored():
    bus, dev = make()
    dev.add_file("opt/x", b"abc")
    bus.write(0x510, 2, 0x20)
    bus.write(0x510, 1, 0x00)  # byte write does not reselect
    bus.write(0x511, 1, 0x55)  # ignored
    assert bytes(bus.read(0x511, 1) for _ in range(4)) == b"abc\0"
