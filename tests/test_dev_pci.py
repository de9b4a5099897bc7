"""PCI configuration mechanism #1, driven as a BIOS scans bus 0."""

import pytest

from refvmm.devices.base import PortBus
from refvmm.devices.pci import PciHost


def cfg_addr(bus, dev, fn, reg):
    return 0x8000_0000 | bus << 16 | dev << 11 | fn << 8 | (reg & 0xFC)


@pytest.fixture
def bus():
    b = PortBus()
    b.attach(PciHost())
    return b


def cfg_read(bus, dev, fn, reg, size=4):
    bus.write(0xCF8, 4, cfg_addr(0, dev, fn, reg))
    return bus.read(0xCFC + (reg & 3), size)


def test_address_register_reads_back(bus):
    bus.write(0xCF8, 4, 0x8000_0800)
    assert bus.read(0xCF8, 4) == 0x8000_0800
    bus.write(0xCF8, 4, 0xFFFF_FFFF)
    assert bus.read(0xCF8, 4) == 0x80FF_FFFC  # reserved bits read 0


def test_host_bridge_identity(bus):
    assert cfg_read(bus, 0, 0, 0x00) == 0x1237_8086
    assert cfg_read(bus, 0, 0, 0x08) == 0x0600_0002  # class 06/00/00, revision 02
    assert cfg_read(bus, 0, 0, 0x0C) == 0x0000_0000  # header type 0, single function
    assert cfg_read(bus, 0, 0, 0x04) == 0x0280_0006  # PCISTS, PCICMD defaults


def test_piix3_identity(bus):
    assert cfg_read(bus, 1, 0, 0x00) == 0x7000_8086
    assert cfg_read(bus, 1, 0, 0x08) == 0x0601_0000  # ISA bridge
    assert cfg_read(bus, 1, 0, 0x0E, 1) == 0x80  # multifunction header
    assert cfg_read(bus, 1, 0, 0x0C) == 0x0080_0000


def test_scan_bus_0(bus):
    found = {}
    for dev in range(32):
        for fn in range(8):
            vendor_device = cfg_read(bus, dev, fn, 0)
            if vendor_device & 0xFFFF != 0xFFFF:
                found[(dev, fn)] = vendor_device
            if fn == 0 and (vendor_device == 0xFFFF_FFFF or not cfg_read(bus, dev, 0, 0x0E, 1) & 0x80):
                break
    assert found == {(0, 0): 0x1237_8086, (1, 0): 0x7000_8086}


def test_absent_slot_bus_and_disabled(bus):
    assert cfg_read(bus, 2, 0, 0) == 0xFFFF_FFFF
    assert cfg_read(bus, 0, 1, 0) == 0xFFFF_FFFF
    bus.write(0xCF8, 4, cfg_addr(1, 0, 0, 0))
    assert bus.read(0xCFC, 4) == 0xFFFF_FFFF
    bus.write(0xCF8, 4, 0x0000_0000)  # enable bit clear
    assert bus.read(0xCFC, 4) == 0xFFFF_FFFF


def test_byte_lanes(bus):
    bus.write(0xCF8, 4, cfg_addr(0, 0, 0, 0))
    assert bus.read(0xCFE, 2) == 0x1237  # device ID
    assert bus.read(0xCFE, 1) == 0x37
    assert bus.read(0xCFF, 1) == 0x12
    assert bus.read(0xCFD, 1) == 0x80
    bus.write(0xCF8, 4, cfg_addr(0, 1, 0, 0x08))
    assert bus.read(0xCFF, 1) == 0x06  # base class
    assert bus.read(0xCFE, 1) == 0x01  # subclass
    assert bus.read(0xCF9, 1) == 0xFF  # not ours (PIIX3 reset control)


def test_writes_respect_masks(bus):
    bus.write(0xCF8, 4, cfg_addr(0, 0, 0, 0))
    bus.write(0xCFC, 4, 0)  # vendor/device are read-only
    assert bus.read(0xCFC, 4) == 0x1237_8086
    bus.write(0xCF8, 4, cfg_addr(0, 0, 0, 0x04))
    bus.write(0xCFC, 2, 0xFFFF)
    assert bus.read(0xCFC, 2) == 0x0547  # only the implemented command bits stick
    bus.write(0xCFE, 2, 0xFFFF)  # status: error bits are write-1-to-clear, 0280 has none set
    assert bus.read(0xCFE, 2) == 0x0280
    bus.write(0xCF8, 4, cfg_addr(0, 1, 0, 0x60))  # PIIX3 PIRQ route control: latched
    bus.write(0xCFD, 1, 0x0B)
    assert bus.read(0xCFC, 4) == 0x0000_0B00
    bus.write(0xCF8, 4, cfg_addr(0, 0, 0, 0x08))
    bus.write(0xCFC, 4, 0xFFFF_FFFF)  # class and revision are read-only
    assert bus.read(0xCFC, 4) == 0x0600_0002


def test_narrow_access_to_address_port_ignored(bus):
    bus.write(0xCF8, 4, 0x8000_0000)
    bus.write(0xCF8, 1, 0x08)
    assert bus.read(0xCF8, 4) == 0x8000_0000
