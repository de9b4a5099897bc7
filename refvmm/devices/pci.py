"""PCI configuration mechanism #1 (ports 0xCF8 and 0xCFC-0xCFF) with an i440FX/PIIX3 bus 0.

0xCF8 is a 32-bit address register: bit 31 enables configuration cycles, bits 23-16 select the
bus, 15-11 the device, 10-8 the function and 7-2 the dword register. Only 32-bit accesses reach it.
0xCFC-0xCFF is the data window; any byte lane and width works, lane ``n`` being byte ``n`` of the
selected dword. Absent functions read all ones and ignore writes. Port 0xCF9 (the PIIX3 reset
control register) is not claimed here.
"""

from __future__ import annotations

from .base import ByteDevice

ADDRESS = 0xCF8
DATA = 0xCFC
ENABLE = 0x8000_0000

# PCI command register bits software may set: I/O space, memory space, bus master, parity error
# response, SERR# enable, interrupt disable.
COMMAND_WRITABLE = 0x0547
STATUS_RW1C = 0xF900  # error bits in the status register: writing 1 clears them


class PciFunction:
    """One function's 256-byte configuration space. Identity registers are read-only; the
    command register, cache line size, latency timer, interrupt line and the device-specific
    area (0x40-0xFF, latched without side effects) are writable; status error bits are write-1-to-clear."""

    def __init__(
        self,
        vendor: int,
        device: int,
        class_code: int,
        revision: int = 0,
        header_type: int = 0,
        command: int = 0,
        status: int = 0,
    ):
        self.config = bytearray(256)
        self.wmask = bytearray(256)
        self._set(0x00, 2, vendor)
        self._set(0x02, 2, device)
        self._set(0x04, 2, command)
        self._set(0x06, 2, status)
        self.config[0x08] = revision
        self._set(0x09, 3, class_code)  # prog-if, subclass, base class
        self.config[0x0E] = header_type
        self.wmask[0x04] = COMMAND_WRITABLE & 0xFF
        self.wmask[0x05] = COMMAND_WRITABLE >> 8
        self.wmask[0x0C] = 0xFF  # cache line size
        self.wmask[0x0D] = 0xFF  # latency timer
        self.wmask[0x3C] = 0xFF  # interrupt line
        self.wmask[0x40:] = b"\xff" * 0xC0

    def _set(self, offset: int, size: int, value: int) -> None:
        self.config[offset : offset + size] = value.to_bytes(size, "little")

    def read_byte(self, offset: int) -> int:
        return self.config[offset]

    def write_byte(self, offset: int, value: int) -> None:
        if offset in (0x06, 0x07):
            self.config[offset] &= ~(value & (STATUS_RW1C >> (8 * (offset - 0x06)))) & 0xFF
            return
        mask = self.wmask[offset]
        self.config[offset] = (self.config[offset] & ~mask) | (value & mask)


def i440fx_host_bridge() -> PciFunction:
    """82441FX PMC: 8086:1237, host bridge (class 06/00), revision 02; PCICMD 0006, PCISTS 0280."""
    return PciFunction(0x8086, 0x1237, 0x060000, revision=0x02, command=0x0006, status=0x0280)


def piix3_isa_bridge() -> PciFunction:
    """82371SB PIIX3 function 0: 8086:7000, ISA bridge (class 06/01), multifunction header;
    PCICMD 0007, PCISTS 0200."""
    return PciFunction(0x8086, 0x7000, 0x060100, header_type=0x80, command=0x0007, status=0x0200)


class PciHost(ByteDevice):
    """The host bridge's configuration ports and bus 0: 00:00.0 i440FX, 00:01.0 PIIX3.
    More functions can be attached with ``add``."""

    ports = (ADDRESS, DATA, DATA + 1, DATA + 2, DATA + 3)

    def __init__(self) -> None:
        self.address = 0
        self.functions: dict[tuple[int, int, int], PciFunction] = {}
        self.add(0, 0, i440fx_host_bridge())
        self.add(1, 0, piix3_isa_bridge())

    def add(self, device: int, function: int, fn: PciFunction, bus: int = 0) -> None:
        self.functions[(bus, device, function)] = fn

    def _selected(self) -> tuple[PciFunction | None, int]:
        if not self.address & ENABLE:
            return None, 0
        key = ((self.address >> 16) & 0xFF, (self.address >> 11) & 0x1F, (self.address >> 8) & 0x07)
        return self.functions.get(key), self.address & 0xFC

    def read(self, port: int, size: int) -> int:
        if port == ADDRESS:
            return self.address if size == 4 else (1 << (8 * size)) - 1
        return super().read(port, size)

    def write(self, port: int, size: int, value: int) -> None:
        if port == ADDRESS:
            if size == 4:
                self.address = value & 0x80FF_FFFC  # reserved bits 30-24 and 1-0 read 0
            return
        super().write(port, size, value)

    def read_byte(self, port: int) -> int:
        if port == ADDRESS or port - DATA not in range(4):
            return 0xFF  # 0xCF9-0xCFB are not ours; byte access to 0xCF8 is not the address register
        fn, reg = self._selected()
        return fn.read_byte(reg + port - DATA) if fn else 0xFF

    def write_byte(self, port: int, value: int) -> None:
        if port - DATA not in range(4):
            return
        fn, reg = self._selected()
        if fn:
            fn.write_byte(reg + port - DATA, value)
