"""The primary IDE/ATA channel (command block 0x1F0-0x1F7, control block 0x3F6, IRQ 14) with one PIO hard
disk as device 0, backed by a host image file or by bytes in memory. Every command completes at once, so
BSY is only ever seen while SRST is held."""

from __future__ import annotations

import os

from .base import ByteDevice, IrqLine
from .media import SECTOR, SectorImage

# Status register bits.
BSY, DRDY, DF, DSC, DRQ, ERR = 0x80, 0x40, 0x20, 0x10, 0x08, 0x01
# Error register bits.
ABRT, IDNF = 0x04, 0x10
# Device control register bits.
NIEN, SRST = 0x02, 0x04
# Drive/head register bits.
LBA, DEV = 0x40, 0x10

CMD_READ = (0x20, 0x21)  # READ SECTORS (with and without retries)
CMD_WRITE = (0x30, 0x31)  # WRITE SECTORS
CMD_IDENTIFY = 0xEC
CMD_INIT_PARAMS = 0x91  # INITIALIZE DEVICE PARAMETERS
CMD_SET_FEATURES = 0xEF
CMD_RECALIBRATE = range(0x10, 0x20)

MODEL = "REFVMM HARDDISK"
SERIAL = "REFVMM0001"
FIRMWARE = "1.0"

LBA28_MAX = (1 << 28) - 1


def _ata_string(text: str, length: int) -> list[int]:
    """An IDENTIFY string: ASCII padded with spaces, the first character of each pair in the high byte."""
    raw = text.encode("ascii").ljust(length, b" ")[:length]
    return [raw[i] << 8 | raw[i + 1] for i in range(0, length, 2)]


def default_geometry(sectors: int) -> tuple[int, int, int]:
    """(cylinders, heads, sectors per track) for the CHS view of the disk: 16 heads and 63 sectors per
    track, halving the heads (and for a disk under one track, shrinking the track) until one cylinder
    fits; at most 16383 cylinders, as IDENTIFY word 1 reports for large disks."""
    heads, spt = 16, 63
    while heads > 1 and sectors < heads * spt:
        heads //= 2
    spt = min(spt, sectors)
    return min(sectors // (heads * spt), 16383), heads, spt


class IdeDisk(ByteDevice):
    """Device 0 on the primary channel. ``image`` is bytes (a private in-memory copy) or a path to an
    existing image file, opened read/write so that sectors the guest writes land in the file.

    Modelled: the task file registers (data as 16-bit, or 32-bit as two words, PIO; error/features;
    sector count, 0 meaning 256; LBA low/mid/high = sector number and cylinder low/high; drive/head with
    the LBA bit 6 and device select bit 4), status and alternate status, device control (nIEN gates
    INTRQ, SRST resets the device with BSY shown while it is held). Commands: IDENTIFY DEVICE, READ
    SECTORS and WRITE SECTORS in LBA28 or CHS, INITIALIZE DEVICE PARAMETERS (changes the CHS translation),
    SET FEATURES and RECALIBRATE accepted; anything else ends with ERR and ABRT. INTRQ is raised for each
    sector (for reads when the sector is ready, for writes once it has been taken) and at the end of a
    non-data command, and cleared by reading the status register or writing a command. Device 1 is
    absent: with it selected status reads 0 and commands are ignored."""

    ports = tuple(range(0x1F0, 0x1F8)) + (0x3F6,)
    IRQ = 14

    def __init__(self, image: bytes | bytearray | str | os.PathLike, irq: IrqLine | None = None):
        self._irq = irq
        self.medium = SectorImage(image, "disk")
        size = self.medium.size
        if size == 0:
            raise ValueError(f"{self.medium.name}: empty (0 bytes)")
        if size % SECTOR:
            raise ValueError(f"{self.medium.name}: size {size} bytes is not a multiple of {SECTOR}")
        self.sectors = size // SECTOR
        self.cylinders, self.heads, self.spt = default_geometry(self.sectors)
        self._default_chs = (self.cylinders, self.heads, self.spt)
        self._irq_level = False
        self._pending = False
        self.control = 0
        self._reset()

    def close(self) -> None:
        self.medium.close()

    def read_sector(self, lba: int) -> bytes:
        return self.medium.read_sector(lba)

    def write_sector(self, lba: int, data: bytes) -> None:
        self.medium.write_sector(lba, data)

    # -- state ------------------------------------------------------------------------------------------
    def _reset(self) -> None:
        """Power-on or software reset: the ATA signature in the task file and diagnostic code 01h."""
        self.error = 0x01
        self.features = 0
        self.nsect, self.sector, self.lcyl, self.hcyl = 1, 1, 0, 0
        self.select = 0xA0
        self.status = DRDY | DSC
        self._buffer = bytearray()
        self._pos = 0
        self._command: int | None = None
        self._lba = 0
        self._remaining = 0
        self._set_pending(False)

    @property
    def irq_level(self) -> bool:
        return self._irq_level

    def _set_pending(self, pending: bool) -> None:
        self._pending = pending
        level = pending and not self.control & NIEN
        if level != self._irq_level:
            self._irq_level = level
            if self._irq:
                self._irq(self.IRQ, level)

    @property
    def _slave(self) -> bool:
        return bool(self.select & DEV)

    def _status(self) -> int:
        if self.control & SRST:
            return BSY
        return 0 if self._slave else self.status

    # -- port interface ---------------------------------------------------------------------------------
    def read(self, port: int, size: int) -> int:
        return self._read_data(size) if port == 0x1F0 else super().read(port, size)

    def write(self, port: int, size: int, value: int) -> None:
        if port == 0x1F0:
            self._write_data(size, value)
        else:
            super().write(port, size, value)

    def read_byte(self, port: int) -> int:
        if port == 0x1F7:
            status = self._status()
            if not self._slave:
                self._set_pending(False)
            return status
        if port == 0x3F6:
            return self._status()
        return {
            0x1F1: self.error,
            0x1F2: self.nsect,
            0x1F3: self.sector,
            0x1F4: self.lcyl,
            0x1F5: self.hcyl,
            0x1F6: self.select,
        }.get(port, 0xFF)

    def write_byte(self, port: int, value: int) -> None:
        if port == 0x3F6:
            was_reset = self.control & SRST
            self.control = value
            if was_reset and not value & SRST:
                self._reset()
            elif value & SRST:
                self._set_pending(False)
            else:
                self._set_pending(self._pending)  # nIEN may have changed
            return
        if self.control & SRST:
            return
        if port == 0x1F1:
            self.features = value
        elif port == 0x1F2:
            self.nsect = value
        elif port == 0x1F3:
            self.sector = value
        elif port == 0x1F4:
            self.lcyl = value
        elif port == 0x1F5:
            self.hcyl = value
        elif port == 0x1F6:
            self.select = value | 0xA0  # bits 7 and 5 are obsolete and read as one
        elif port == 0x1F7 and not self._slave:
            self._execute(value)

    # -- data port --------------------------------------------------------------------------------------
    def _read_data(self, size: int) -> int:
        if self._slave or not self.status & DRQ or self._command == 0x30:
            return (1 << (8 * size)) - 1
        chunk = self._buffer[self._pos : self._pos + size]
        self._pos += size
        value = int.from_bytes(chunk.ljust(size, b"\xff"), "little")
        if self._pos >= len(self._buffer):
            self._sector_read()
        return value

    def _write_data(self, size: int, value: int) -> None:
        if self._slave or not self.status & DRQ or self._command != 0x30:
            return
        data = (value & ((1 << (8 * size)) - 1)).to_bytes(size, "little")
        self._buffer[self._pos : self._pos + size] = data[: SECTOR - self._pos]
        self._pos += size
        if self._pos >= SECTOR:
            self._sector_written()

    # -- commands ---------------------------------------------------------------------------------------
    def _execute(self, command: int) -> None:
        self._set_pending(False)
        self.error = 0
        self.status = DRDY | DSC
        self._command = None
        self._buffer = bytearray()
        self._pos = 0
        if command == CMD_IDENTIFY:
            self._command = command
            self._remaining = 1
            self._buffer = bytearray(self.identify())
            self.status |= DRQ
            self._set_pending(True)
        elif command in CMD_READ or command in CMD_WRITE:
            lba = self._address()
            count = self.nsect or 256
            if lba is None or lba + count > self._addressable():
                self._abort(IDNF)
                return
            self._lba, self._remaining = lba, count
            if command in CMD_READ:
                self._command = 0x20
                self._load_sector()
                self._set_pending(True)
            elif self.medium.read_only:
                self._abort(ABRT)  # an image file the host does not let us write
            else:
                self._command = 0x30
                self._buffer = bytearray(SECTOR)
                self.status |= DRQ  # the first sector's data is asked for without an interrupt
        elif command == CMD_INIT_PARAMS:
            heads, spt = (self.select & 0x0F) + 1, self.nsect
            if spt == 0:
                self._abort(ABRT)
                return
            self.heads, self.spt = heads, spt
            self.cylinders = min(self.sectors // (heads * spt), 65535)
            self._set_pending(True)
        elif command == CMD_SET_FEATURES or command in CMD_RECALIBRATE:
            self._set_pending(True)
        else:
            self._abort(ABRT)

    def _abort(self, error: int) -> None:
        self.error = error
        self.status = DRDY | DSC | ERR
        self._command = None
        self._set_pending(True)

    def _addressable(self) -> int:
        return min(self.sectors, LBA28_MAX + 1)

    def _address(self) -> int | None:
        """The command's starting sector from the task file, or None for an invalid CHS address."""
        if self.select & LBA:
            return (self.select & 0x0F) << 24 | self.hcyl << 16 | self.lcyl << 8 | self.sector
        cyl, head, sec = self.hcyl << 8 | self.lcyl, self.select & 0x0F, self.sector
        if sec == 0 or sec > self.spt or head >= self.heads or cyl >= max(self.cylinders, 1):
            return None
        return (cyl * self.heads + head) * self.spt + sec - 1

    def _set_address(self, lba: int) -> None:
        """Leave the address of the last sector transferred in the task file, as ATA asks."""
        if self.select & LBA:
            self.sector, self.lcyl, self.hcyl = lba & 0xFF, lba >> 8 & 0xFF, lba >> 16 & 0xFF
            self.select = (self.select & 0xF0) | (lba >> 24 & 0x0F)
        else:
            cyl, rest = divmod(lba, self.heads * self.spt)
            head, sec = divmod(rest, self.spt)
            self.sector, self.lcyl, self.hcyl = sec + 1, cyl & 0xFF, cyl >> 8 & 0xFF
            self.select = (self.select & 0xF0) | head

    def _load_sector(self) -> None:
        self._buffer = bytearray(self.read_sector(self._lba))
        self._pos = 0
        self._set_address(self._lba)
        self.status = DRDY | DSC | DRQ

    def _sector_read(self) -> None:
        self._remaining -= 1
        if self._command == 0x20 and self._remaining:
            self._lba += 1
            self._load_sector()
            self._set_pending(True)
        else:
            self.status = DRDY | DSC
            self._command = None
            self._buffer = bytearray()

    def _sector_written(self) -> None:
        self.write_sector(self._lba, bytes(self._buffer))
        self._set_address(self._lba)
        self._remaining -= 1
        self._pos = 0
        if self._remaining:
            self._lba += 1
            self._buffer = bytearray(SECTOR)
            self.status = DRDY | DSC | DRQ
        else:
            self.status = DRDY | DSC
            self._command = None
        self._set_pending(True)

    def identify(self) -> bytes:
        """The 256 IDENTIFY DEVICE words, little-endian, with the integrity word (255) filled in."""
        w = [0] * 256
        cyls, heads, spt = self._default_chs
        w[0] = 0x0040  # fixed device
        w[1], w[3], w[6] = cyls, heads, spt
        w[10:20] = _ata_string(SERIAL, 20)
        w[23:27] = _ata_string(FIRMWARE, 8)
        w[27:47] = _ata_string(MODEL, 40)
        w[47] = 0x8000  # READ/WRITE MULTIPLE not supported (0 sectors per block)
        w[49] = 0x0200  # LBA supported
        w[51] = 0x0200  # PIO mode 2 timing
        w[53] = 0x0001  # words 54-58 valid
        w[54], w[55], w[56] = self.cylinders, self.heads, self.spt
        chs_capacity = self.cylinders * self.heads * self.spt
        w[57], w[58] = chs_capacity & 0xFFFF, chs_capacity >> 16
        capacity = self._addressable()
        w[60], w[61] = capacity & 0xFFFF, capacity >> 16
        w[80] = 0x007E  # ATA-1 to ATA-6
        w[82], w[83], w[84] = 0x0000, 0x4000, 0x4000
        w[85], w[86], w[87] = 0x0000, 0x0000, 0x4000
        w[255] = 0x00A5
        data = bytearray(b"".join(x.to_bytes(2, "little") for x in w))
        data[511] = -sum(data[:511]) & 0xFF  # checksum: all 512 bytes sum to 0 mod 256
        return bytes(data)
