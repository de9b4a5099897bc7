"""An Intel 82077AA floppy disk controller in PC-AT mode (ports 0x3F0-0x3F5 and 0x3F7, IRQ 6, DMA
channel 2) with one drive, drive 0, holding a raw sector image. Port 0x3F6 belongs to the IDE channel.

The image's size gives its format: 160K (40 cylinders, 1 head, 8 sectors per track), 180K (40/1/9),
320K (40/2/8), 360K (40/2/9), 720K (80/2/9), 1.2M (80/2/15), 1.44M (80/2/18) or 2.88M (80/2/36), all
MFM with 512-byte sectors (N = 2), and the drive is the kind that takes it (``drive_type``, the CMOS
0x10 nibble: 1 = 360K, 2 = 1.2M, 3 = 720K, 4 = 1.44M, 5 = 2.88M; 0 with no image, when no drive is
attached). Every track is taken to be formatted the standard way: sector IDs C H R N equal to the
physical cylinder, the head, 1 to sectors-per-track, and 2, recorded at the medium's data rate (250
kbps for 160K-360K and 720K, 500 kbps for 1.2M and 1.44M, 1 Mbps for 2.88M).

Modelled, following the 82077AA datasheet: the DOR (drive select, reset, DMA gate, motor enables; the
drive is selected only while DOR selects drive 0 with its motor enable set, as the drive select
outputs are gated by the motor bits); the TDR tape select bits; the MSR with RQM, DIO, NON-DMA and CB
through the command, execution and result phases; the DSR (software reset, data rate) and CCR (data
rate); the DIR disk change bit, set at power-on and when the medium is ejected and cleared by a step
pulse to the selected drive with a medium in it (so a seek to another cylinder, not a recalibrate
from cylinder 0); SRA and SRB, which PC-AT mode leaves undriven (they read 0xFF). A DOR reset (bit 2
going 0) holds the controller in reset (MSR reads 0) until the bit goes back to 1; then, as after a
DSR software reset, the polling interrupt is raised with four SENSE INTERRUPT STATUS results pending,
ST0 = 0C0h + drive and PCN 0 for drives 0-3. A reset clears the PCNs (the drive's head stays where it
is), the CONFIGURE values (EFIFO, FIFOTHR and PRETRK survive if LOCKed) and the PERPENDICULAR MODE GAP
and WGATE bits; SPECIFY values, the data rate and LOCK survive. INT is gated by the DOR DMA gate bit,
raised when a result phase begins (READ DATA, WRITE DATA, READ ID, FORMAT TRACK), at the end of SEEK
and RECALIBRATE, and for each byte the FIFO has or wants in non-DMA execution; reading a result byte,
SENSE INTERRUPT STATUS, or a FIFO access in non-DMA execution lowers it. Starting any command but SENSE
INTERRUPT STATUS discards interrupt status not yet sensed, as the datasheet warns it will be lost.

Commands: SPECIFY (its ND bit selects non-DMA mode), SENSE DRIVE STATUS, RECALIBRATE (at most 79 step
pulses; without TRK0 from a selected drive it ends with SE, EC and abnormal termination), SENSE
INTERRUPT STATUS (80h alone when nothing is pending), SEEK, READ DATA and WRITE DATA (MT, MFM; SK is
accepted and has no effect, as the medium has no deleted sectors), READ ID, FORMAT TRACK, VERSION
(90h), CONFIGURE (EIS enables implied seeks, which set SE in ST0), LOCK, PERPENDICULAR MODE (stored),
DUMPREG, and invalid commands (ST0 = 80h). READ DATA and WRITE DATA move sectors R to EOT, then, with
MT, sectors 1 to EOT of head 1, through DMA channel 2 or, in non-DMA mode, byte by byte through the
FIFO. The DMA's terminal count ends the command normally after the sector it falls in (a write fills
the rest of that sector with zeros); running past the last sector without it ends the command with
EN (the only ending in non-DMA mode); a DMA channel that does not take or give data (masked, wrong
transfer type, no DMA controller, DOR DMA gate off) ends it with OR. The ending C H R N follow the
datasheet's result phase table. A sector whose ID is not on the track under the head gives ND (with WC
when C differs from the track's cylinder); a track with no readable IDs (beyond the medium, the
second side of a single-sided medium, a data rate other than the medium's, or FM) gives MA; a write
to a write-protected medium gives NW. READ ID returns the ID of the next sector to pass under the
head (after sector R, sector R + 1). FORMAT TRACK takes SC IDs of four bytes (through DMA or the FIFO)
and fills each sector they name with the filler byte.

A path image is opened read/write so that writes reach the file; a file without write permission is
opened read-only and write-protects the medium (``write_protected``, which can also be set, like the
tab on a diskette). Bytes make a private copy. ``eject()`` and ``insert(image)`` change the medium.

Not modelled: time. The motor needs no spin-up, heads no settling, and every command finishes within
the write of its last byte, so the DRV BUSY bits of the MSR never show, the execution phase is seen
only in non-DMA mode, and a BIOS waiting for IRQ 6 finds it at once. A data command that would wait
forever for index pulses (no drive selected, motor off, no medium) leaves the controller busy until a
reset. The FIFO (threshold and enable only change timing), perpendicular recording, power-down,
deleted data marks, CRC errors, and a format written at another data rate or with IDs the image's
layout cannot hold (such IDs are dropped) are not modelled. READ TRACK, READ/WRITE DELETED DATA,
VERIFY, the SCAN commands and RELATIVE SEEK are taken as invalid commands.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .base import ByteDevice, IrqLine
from .dma import Dma
from .media import SECTOR, SectorImage

SIZE_CODE = 2  # N: 128 << 2 = 512-byte sectors
DMA_CHANNEL = 2
DRIVE = 0  # the one drive's number
RECALIBRATE_STEPS = 79  # step pulses RECALIBRATE gives before it stops with EC
VERSION_82077AA = 0x90

# Registers.
SRA, SRB, DOR, TDR, MSR, FIFO, DIR = 0x3F0, 0x3F1, 0x3F2, 0x3F3, 0x3F4, 0x3F5, 0x3F7
DSR = MSR  # written at 0x3F4
CCR = DIR  # written at 0x3F7

# DOR bits.
DOR_SELECT = 0x03
DOR_NRESET = 0x04  # 0 holds the controller in reset
DOR_DMA_GATE = 0x08  # PC-AT mode: 0 leaves INT and DRQ undriven
DOR_MOTOR0 = 0x10
# DSR bits.
DSR_SW_RESET = 0x80
RATE_MASK = 0x03  # data rate in DSR and CCR bits 1-0
RATE_500K, RATE_300K, RATE_250K, RATE_1M = 0, 1, 2, 3
# MSR bits.
RQM, DIO, NON_DMA, CB = 0x80, 0x40, 0x20, 0x10
# DIR bits.
DSKCHG = 0x80
DIR_UNDRIVEN = 0x7F  # PC-AT mode drives only DIR bit 7
TDR_UNDRIVEN = 0xFC  # and only the tape select bits of the TDR

# ST0.
IC_NORMAL, IC_ABNORMAL, IC_INVALID, IC_POLLING = 0x00, 0x40, 0x80, 0xC0
SE = 0x20  # seek end
EC = 0x10  # equipment check
ST0_HEAD = 0x04
# ST1.
EN, DE, OR, ND, NW, MA = 0x80, 0x20, 0x10, 0x04, 0x02, 0x01
# ST2.
WC = 0x10
# ST3.
ST3_WP, ST3_READY, ST3_T0, ST3_TWO_SIDE = 0x40, 0x20, 0x10, 0x08  # READY and bit 3 always read 1

# CONFIGURE byte 2.
EIS = 0x40  # enable implied seeks
EFIFO = 0x20  # 1 = FIFO disabled (the reset default)
POLL = 0x10  # 1 = polling disabled
FIFOTHR = 0x0F
# PERPENDICULAR MODE byte 1.
PERP_OW = 0x80  # write the drive bits D3-D0 (bits 5-2)
PERP_DRIVES = 0x3C
PERP_GAP_WGATE = 0x03

# Command codes (the first byte with its flag bits masked).
MT, MFM = 0x80, 0x40
CMD_READ_DATA = 0x06
CMD_WRITE_DATA = 0x05
CMD_READ_ID = 0x0A
CMD_FORMAT_TRACK = 0x0D
CMD_RECALIBRATE = 0x07
CMD_SENSE_INTERRUPT = 0x08
CMD_SPECIFY = 0x03
CMD_SENSE_DRIVE = 0x04
CMD_SEEK = 0x0F
CMD_VERSION = 0x10
CMD_CONFIGURE = 0x13
CMD_PERPENDICULAR = 0x12
CMD_LOCK = 0x14
CMD_DUMPREG = 0x0E
LOCK_BIT = 0x80

# (code, mask of the bits that must match, parameter bytes after the command byte)
COMMANDS = (
    (CMD_READ_DATA, 0x1F, 8),  # MT MFM SK 0 0 1 1 0
    (CMD_WRITE_DATA, 0x3F, 8),  # MT MFM 0 0 0 1 0 1
    (CMD_READ_ID, 0xBF, 1),  # 0 MFM 0 0 1 0 1 0
    (CMD_FORMAT_TRACK, 0xBF, 5),  # 0 MFM 0 0 1 1 0 1
    (CMD_RECALIBRATE, 0xFF, 1),
    (CMD_SENSE_INTERRUPT, 0xFF, 0),
    (CMD_SPECIFY, 0xFF, 2),
    (CMD_SENSE_DRIVE, 0xFF, 1),
    (CMD_SEEK, 0xFF, 2),
    (CMD_VERSION, 0xFF, 0),
    (CMD_CONFIGURE, 0xFF, 3),
    (CMD_PERPENDICULAR, 0xFF, 1),
    (CMD_LOCK, 0x7F, 0),  # LOCK 0 0 1 0 1 0 0
    (CMD_DUMPREG, 0xFF, 0),
)

# Controller phases.
IDLE, COMMAND, EXECUTION, RESULT, HUNG = range(5)


@dataclass(frozen=True)
class FloppyFormat:
    cylinders: int
    heads: int
    sectors: int  # per track
    drive_type: int  # CMOS 0x10 nibble of the drive that takes the medium
    rate: int  # data rate code the medium is recorded at

    @property
    def size(self) -> int:
        return self.cylinders * self.heads * self.sectors * SECTOR


FORMATS = {
    f.size: (name, f)
    for name, f in (
        ("160K", FloppyFormat(40, 1, 8, 1, RATE_250K)),
        ("180K", FloppyFormat(40, 1, 9, 1, RATE_250K)),
        ("320K", FloppyFormat(40, 2, 8, 1, RATE_250K)),
        ("360K", FloppyFormat(40, 2, 9, 1, RATE_250K)),
        ("720K", FloppyFormat(80, 2, 9, 3, RATE_250K)),
        ("1.2M", FloppyFormat(80, 2, 15, 2, RATE_500K)),
        ("1.44M", FloppyFormat(80, 2, 18, 4, RATE_500K)),
        ("2.88M", FloppyFormat(80, 2, 36, 5, RATE_1M)),
    )
}
DRIVE_CYLINDERS = {1: 40, 2: 80, 3: 80, 4: 80, 5: 80}  # how far the head can step


@dataclass
class _Transfer:
    """A data command between its command and result phases: the ID registers C H R N it is looking
    for next, and the data of the sector under way in non-DMA mode."""

    command: int
    drive: int  # DS1-DS0 from the command
    head: int  # HDS: the head selected on the drive
    mfm: bool
    cyl: int = 0
    hd: int = 0
    rec: int = 0
    size: int = SIZE_CODE
    eot: int = 0
    multitrack: bool = False
    seek_end: int = 0  # SE after an implied seek
    count: int = 0  # FORMAT TRACK: IDs still to come
    filler: int = 0
    lba: int = 0
    buffer: bytearray | None = None
    pos: int = 0


class Fdc(ByteDevice):
    """The 82077AA at 0x3F0 with drive 0. ``image`` is a path, bytes, or None for no drive; ``irq(6,
    level)`` follows the INT output; ``dma`` is the DMA controller whose channel 2 serves the FDC."""

    ports = (SRA, SRB, DOR, TDR, MSR, FIFO, DIR)
    IRQ = 6

    def __init__(
        self,
        image: bytes | bytearray | str | os.PathLike | None,
        irq: IrqLine | None = None,
        dma: Dma | None = None,
    ):
        self._irq = irq
        self._dma = dma
        self.medium: SectorImage | None = None
        self.format: FloppyFormat | None = None
        self.write_protected = False
        self.drive_type = 0
        if image is not None:
            self._load(image)
            assert self.format
            self.drive_type = self.format.drive_type
        self._track = 0  # the drive's head position, which only step pulses move
        self._angle = 0  # the next sector (0-based) to pass under the head
        self._disk_changed = image is not None  # the drive's change line: set at power-on
        # Registers that only a hardware reset sets. The DOR starts with the controller running and
        # DMA/interrupts enabled, as SeaBIOS expects of a PC: it resets the controller only when it
        # finds the reset bit clear, and then waits for IRQ 6.
        self.dor = DOR_NRESET | DOR_DMA_GATE
        self.tdr = 0
        self.rate = RATE_250K
        self._specify = [0, 0]  # SRT|HUT, HLT|ND
        self._lock = False
        self._config = EFIFO
        self._pretrk = 0
        self._perpendicular = 0  # D3-D0 GAP WGATE, as DUMPREG shows them
        self._eot_sc = 0  # EOT of the last READ/WRITE DATA, or SC of the last FORMAT TRACK
        self._id = [0, 0, 0, 0]  # the C H R N registers
        self._int = False
        self._irq_level = False
        self._latch = 0  # the last byte on the data register
        self._pending: list[tuple[int, int]] = []  # (ST0, PCN) for SENSE INTERRUPT STATUS
        self._xfer: _Transfer | None = None
        self._reset_core()

    # -- media ------------------------------------------------------------------------------------------
    def _load(self, image: bytes | bytearray | str | os.PathLike) -> None:
        medium = SectorImage(image, "floppy")
        try:
            self.format = self._format_of(medium.name, medium.size)
        except ValueError:
            medium.close()
            raise
        self.medium, self.write_protected = medium, medium.read_only

    @staticmethod
    def _format_of(name: str, size: int) -> FloppyFormat:
        if size not in FORMATS:
            known = ", ".join(n for n, _ in FORMATS.values())
            raise ValueError(f"floppy image {name}: size {size} bytes is not a floppy format ({known})")
        return FORMATS[size][1]

    def eject(self) -> None:
        """Take the medium out: the drive's change line is set."""
        self.close()
        self.medium = None
        self.format = None
        self._disk_changed = True

    def insert(self, image: bytes | bytearray | str | os.PathLike) -> None:
        """Put a medium in the drive (its change line stays set until a step pulse)."""
        if not self.drive_type:
            raise ValueError("no floppy drive: the controller was made without an image")
        self.eject()
        self._load(image)
        self._angle = 0

    def close(self) -> None:
        if self.medium:
            self.medium.close()

    def read_sector(self, lba: int) -> bytes:
        return self.medium.read_sector(lba)

    def write_sector(self, lba: int, data: bytes) -> None:
        self.medium.write_sector(lba, data)

    # -- drive ------------------------------------------------------------------------------------------
    def _selected(self) -> bool:
        """The drive sees DS0 only while the DOR selects drive 0 with its motor enable set."""
        return bool(self.drive_type) and self.dor & DOR_SELECT == DRIVE and bool(self.dor & DOR_MOTOR0)

    def _spinning(self) -> bool:
        """Index pulses come only from a selected drive with a medium in it."""
        return self._selected() and self.format is not None

    def _step(self, steps: int) -> None:
        if not steps or not self._selected():
            return
        self._track = max(0, min(DRIVE_CYLINDERS[self.drive_type] - 1, self._track + steps))
        if self.format is not None:
            self._disk_changed = False  # a step pulse with a medium in resets the change line

    def _readable(self, head: int, mfm: bool) -> bool:
        """Whether the track under ``head`` has IDs the controller can read."""
        fmt = self.format
        return (
            fmt is not None
            and mfm
            and self.rate == fmt.rate
            and head < fmt.heads
            and self._track < fmt.cylinders
        )

    def _find(self, t: _Transfer) -> tuple[int | None, int, int]:
        """The LBA of the sector whose ID is C H R N on the track under the head, else (None, ST1, ST2)."""
        if not self._readable(t.head, t.mfm):
            return None, MA, 0
        fmt = self.format
        assert fmt
        if (t.cyl, t.hd, t.size) == (self._track, t.head, SIZE_CODE) and 1 <= t.rec <= fmt.sectors:
            return (self._track * fmt.heads + t.head) * fmt.sectors + t.rec - 1, 0, 0
        return None, ND, WC if t.cyl != self._track else 0

    # -- interrupt --------------------------------------------------------------------------------------
    @property
    def irq_level(self) -> bool:
        return self._irq_level

    def _set_int(self, level: bool) -> None:
        self._int = level
        self._update_irq()

    def _update_irq(self) -> None:
        level = self._int and bool(self.dor & DOR_DMA_GATE)
        if level != self._irq_level:
            self._irq_level = level
            if self._irq:
                self._irq(self.IRQ, level)

    # -- reset ------------------------------------------------------------------------------------------
    def _reset_core(self) -> None:
        """What a DOR or DSR reset clears (SPECIFY values, data rate, LOCK and the TDR are kept)."""
        self._phase = IDLE
        self._command = bytearray()
        self._code = 0
        self._params = 0
        self._result = b""
        self._result_pos = 0
        self._xfer = None
        self._pending = []
        self._set_int(False)
        self._pcn = [0, 0, 0, 0]
        if self._lock:
            self._config &= EFIFO | FIFOTHR  # EIS and POLL return to their defaults
        else:
            self._config = EFIFO
            self._pretrk = 0
        self._perpendicular &= ~PERP_GAP_WGATE

    def _reset_done(self) -> None:
        """Leaving reset, the polling routine finds each drive's ready line changed: one interrupt,
        and a SENSE INTERRUPT STATUS result for each of the four drives."""
        self._pending = [(IC_POLLING | drive, 0) for drive in range(4)]
        self._set_int(True)

    @property
    def _in_reset(self) -> bool:
        return not self.dor & DOR_NRESET

    # -- port interface ---------------------------------------------------------------------------------
    def read_byte(self, port: int) -> int:
        if port == MSR:
            return self._msr()
        if port == FIFO:
            return self._read_fifo()
        if port == DOR:
            return self.dor
        if port == TDR:
            return TDR_UNDRIVEN | self.tdr
        if port == DIR:
            return (DSKCHG if self._selected() and self._disk_changed else 0) | DIR_UNDRIVEN
        return 0xFF  # SRA and SRB exist in PS/2 and Model 30 modes only

    def write_byte(self, port: int, value: int) -> None:
        if port == DOR:
            old, self.dor = self.dor, value
            if not value & DOR_NRESET:
                if old & DOR_NRESET:
                    self._reset_core()
            elif not old & DOR_NRESET:
                self._reset_done()
            self._update_irq()  # the DMA gate may have changed
        elif port == TDR:
            self.tdr = value & 0x03
        elif port == DSR:
            self.rate = value & RATE_MASK
            if value & DSR_SW_RESET and not self._in_reset:  # self-clearing: reset, then run
                self._reset_core()
                self._reset_done()
        elif port == CCR:
            self.rate = value & RATE_MASK
        elif port == FIFO:
            self._write_fifo(value)

    def _msr(self) -> int:
        if self._in_reset:
            return 0
        if self._phase == IDLE:
            return RQM
        if self._phase == COMMAND:
            return RQM | CB
        if self._phase == RESULT:
            return RQM | DIO | CB
        if self._phase == EXECUTION:  # only non-DMA execution lasts beyond a port access
            assert self._xfer
            return RQM | NON_DMA | CB | (DIO if self._xfer.command == CMD_READ_DATA else 0)
        return CB  # hung: waiting for index pulses that never come

    def _read_fifo(self) -> int:
        if self._in_reset:
            return self._latch
        if self._phase == RESULT:
            self._latch = self._result[self._result_pos]
            self._result_pos += 1
            self._set_int(False)  # reading the result acknowledges the interrupt
            if self._result_pos == len(self._result):
                self._phase = IDLE
        elif self._phase == EXECUTION and self._xfer and self._xfer.command == CMD_READ_DATA:
            t = self._xfer
            assert t.buffer is not None
            self._latch = t.buffer[t.pos]
            t.pos += 1
            self._set_int(False)
            if t.pos == len(t.buffer):
                self._pio_sector_done(t)
            else:
                self._set_int(True)
        return self._latch

    def _write_fifo(self, value: int) -> None:
        if self._in_reset:
            return
        self._latch = value
        if self._phase == EXECUTION and self._xfer and self._xfer.command != CMD_READ_DATA:
            self._pio_byte_in(self._xfer, value)
        elif self._phase == IDLE:
            self._start_command(value)
        elif self._phase == COMMAND:
            self._command.append(value)
            if len(self._command) == 1 + self._params:
                self._execute()

    # -- command phase ----------------------------------------------------------------------------------
    def _start_command(self, value: int) -> None:
        if value != CMD_SENSE_INTERRUPT:
            self._pending = []  # status left unsensed is lost when another command starts
            self._set_int(False)
        spec = next(((code, params) for code, mask, params in COMMANDS if value & mask == code), None)
        if spec is None:
            self._results([IC_INVALID])
            return
        code, params = spec
        self._command = bytearray([value])
        self._code = code
        self._params = params
        self._phase = COMMAND
        if not params:
            self._execute()

    def _execute(self) -> None:
        cmd, code = self._command, self._code
        if code in (CMD_READ_DATA, CMD_WRITE_DATA):
            self._read_write(cmd, code)
        elif code == CMD_READ_ID:
            self._read_id(cmd)
        elif code == CMD_FORMAT_TRACK:
            self._format_track(cmd)
        elif code == CMD_RECALIBRATE:
            self._recalibrate(cmd[1] & 3)
        elif code == CMD_SEEK:
            self._seek(cmd[1] & 3, cmd[2])
            self._seek_end(SE | (cmd[1] & 3), cmd[1] & 3)  # ST0's H bit always reads 0 after a seek
        elif code == CMD_SENSE_INTERRUPT:
            self._set_int(False)
            self._results(list(self._pending.pop(0)) if self._pending else [IC_INVALID])
        elif code == CMD_SPECIFY:
            self._specify = [cmd[1], cmd[2]]
            self._phase = IDLE
        elif code == CMD_SENSE_DRIVE:
            self._results([self._st3(cmd[1])])
        elif code == CMD_VERSION:
            self._results([VERSION_82077AA])
        elif code == CMD_CONFIGURE:
            self._config, self._pretrk = cmd[2] & 0x7F, cmd[3]
            self._phase = IDLE
        elif code == CMD_PERPENDICULAR:
            drives = cmd[1] if cmd[1] & PERP_OW else self._perpendicular  # D3-D0 only change with OW
            self._perpendicular = drives & PERP_DRIVES | cmd[1] & PERP_GAP_WGATE
            self._phase = IDLE
        elif code == CMD_LOCK:
            self._lock = bool(cmd[0] & LOCK_BIT)
            self._results([0x10 if self._lock else 0x00])  # 0 0 0 LOCK 0 0 0 0
        elif code == CMD_DUMPREG:
            self._results(
                [
                    *self._pcn,
                    *self._specify,
                    self._eot_sc,
                    (LOCK_BIT if self._lock else 0) | self._perpendicular,
                    self._config,
                    self._pretrk,
                ]
            )

    def _results(self, data: list[int], interrupt: bool = False) -> None:
        self._result = bytes(data)
        self._result_pos = 0
        self._phase = RESULT
        if interrupt:
            self._set_int(True)

    def _st3(self, select: int) -> int:
        st3 = ST3_READY | ST3_TWO_SIDE | select & 0x07
        if self._selected():  # TRK0 and WP come from the drive, which answers only while selected
            if self._track == 0:
                st3 |= ST3_T0
            if self.format is not None and self.write_protected:
                st3 |= ST3_WP
        return st3

    # -- seeks ------------------------------------------------------------------------------------------
    def _seek(self, drive: int, cylinder: int) -> None:
        """Step from the PCN to ``cylinder``; the drive moves only if it is the one selected."""
        self._step(cylinder - self._pcn[drive])
        self._pcn[drive] = cylinder

    def _recalibrate(self, drive: int) -> None:
        self._pcn[drive] = 0
        st0 = SE | drive
        if self._selected():
            self._step(-min(self._track, RECALIBRATE_STEPS))  # no pulse at all if TRK0 is already on
        if not self._selected() or self._track:
            st0 |= IC_ABNORMAL | EC  # TRK0 not seen within 79 step pulses
        self._seek_end(st0, drive)

    def _seek_end(self, st0: int, drive: int) -> None:
        self._pending.append((st0, self._pcn[drive]))
        self._phase = IDLE
        self._set_int(True)

    # -- data commands ----------------------------------------------------------------------------------
    @property
    def _non_dma(self) -> bool:
        return bool(self._specify[1] & 1)

    def _new_transfer(self, cmd: bytearray, command: int) -> _Transfer:
        c, h, r, n = self._id
        return _Transfer(command, cmd[1] & 3, cmd[1] >> 2 & 1, bool(cmd[0] & MFM), c, h, r, n)

    def _read_write(self, cmd: bytearray, command: int) -> None:
        t = self._new_transfer(cmd, command)
        t.cyl, t.hd, t.rec, t.size, t.eot = cmd[2], cmd[3], cmd[4], cmd[5], cmd[6]
        t.multitrack = bool(cmd[0] & MT)
        self._eot_sc = t.eot
        if not self._spinning():
            self._hang()
            return
        if self._config & EIS:
            self._seek(t.drive, t.cyl)
            t.seek_end = SE
        if command == CMD_WRITE_DATA and self.write_protected:
            self._end(t, IC_ABNORMAL, NW)
            return
        self._xfer = t
        self._phase = EXECUTION
        self._run(t)

    def _hang(self) -> None:
        self._xfer = None
        self._phase = HUNG

    def _run(self, t: _Transfer) -> None:
        """Find each sector in turn and move it: at once through DMA, or by setting the FIFO up for the
        host in non-DMA mode (the host's last byte of the sector brings the next one here)."""
        while True:
            lba, st1, st2 = self._find(t)
            if lba is None:
                self._end(t, IC_ABNORMAL, st1, st2)
                return
            if self._non_dma:
                t.lba, t.pos = lba, 0
                t.buffer = bytearray(self.read_sector(lba)) if t.command == CMD_READ_DATA else bytearray()
                self._set_int(True)  # RQM: a byte is ready, or wanted
                return
            head = t.head
            if t.command == CMD_READ_DATA:
                moved, tc = self._to_memory(self.read_sector(lba))
                if moved < SECTOR and not tc:
                    self._end(t, IC_ABNORMAL, OR)  # the DMA did not take the data in time
                    return
            else:
                data, tc = self._from_memory(SECTOR)
                if len(data) < SECTOR and not tc:
                    self._end(t, IC_ABNORMAL, OR)
                    return
                self.write_sector(lba, data.ljust(SECTOR, b"\0"))  # TC mid-sector: zeros to its end
            more = self._next_sector(t)
            if tc:
                self._end(t, IC_NORMAL, head=head)
                return
            if not more:
                self._end(t, IC_ABNORMAL, EN, head=head)  # past the last sector with no terminal count
                return

    def _next_sector(self, t: _Transfer) -> bool:
        """Advance the ID registers past the sector just transferred, as the result phase table has
        them; False when the command has run out of sectors (EOT reached on the last head)."""
        assert self.format
        self._angle = t.rec % self.format.sectors  # sector R has just passed: R + 1 comes next
        if t.rec != t.eot:
            t.rec = (t.rec + 1) & 0xFF
            return True
        t.rec = 1
        if t.multitrack and t.head == 0:
            t.hd ^= 1  # on to side 1 of the same cylinder
            t.head = 1
            return True
        if t.multitrack:
            t.hd ^= 1
        t.cyl = (t.cyl + 1) & 0xFF
        return False

    def _pio_sector_done(self, t: _Transfer) -> None:
        head = t.head
        if not self._next_sector(t):
            self._end(t, IC_ABNORMAL, EN, head=head)
            return
        self._run(t)

    def _pio_byte_in(self, t: _Transfer, value: int) -> None:
        assert t.buffer is not None
        t.buffer.append(value)
        self._set_int(False)
        if t.command == CMD_WRITE_DATA and len(t.buffer) == SECTOR:
            self.write_sector(t.lba, bytes(t.buffer))
            self._pio_sector_done(t)
        elif t.command == CMD_FORMAT_TRACK and len(t.buffer) == 4:
            self._format_sector(t, bytes(t.buffer))
            t.buffer = bytearray()
            if t.count:
                self._set_int(True)
            else:
                self._end(t, IC_NORMAL)
        else:
            self._set_int(True)

    def _to_memory(self, data: bytes) -> tuple[int, bool]:
        if self._dma is None or not self.dor & DOR_DMA_GATE:
            return 0, False  # DRQ undriven: nobody answers
        moved = self._dma.write_to_memory(DMA_CHANNEL, data)
        return moved, self._dma.terminal_count(DMA_CHANNEL)

    def _from_memory(self, n: int) -> tuple[bytes, bool]:
        if self._dma is None or not self.dor & DOR_DMA_GATE:
            return b"", False
        data = self._dma.read_from_memory(DMA_CHANNEL, n)
        return data, self._dma.terminal_count(DMA_CHANNEL)

    def _end(self, t: _Transfer, ic: int, st1: int = 0, st2: int = 0, head: int | None = None) -> None:
        """Enter the result phase of a data command: ST0 ST1 ST2 C H R N, and the interrupt."""
        head = t.head if head is None else head
        self._xfer = None
        self._id = [t.cyl, t.hd, t.rec, t.size]
        st0 = ic | t.seek_end | (ST0_HEAD if head else 0) | t.drive
        self._results([st0, st1, st2, *self._id], interrupt=True)

    def _read_id(self, cmd: bytearray) -> None:
        t = self._new_transfer(cmd, CMD_READ_ID)
        if not self._spinning():
            self._hang()
            return
        if not self._readable(t.head, t.mfm):
            self._end(t, IC_ABNORMAL, MA)  # no ID address mark within two index pulses
            return
        assert self.format
        t.cyl, t.hd, t.rec, t.size = self._track, t.head, self._angle + 1, SIZE_CODE
        self._angle = (self._angle + 1) % self.format.sectors
        self._end(t, IC_NORMAL)

    def _format_track(self, cmd: bytearray) -> None:
        t = self._new_transfer(cmd, CMD_FORMAT_TRACK)
        t.count, t.filler = cmd[3], cmd[5]
        self._eot_sc = t.count
        if not self._spinning():
            self._hang()
            return
        if self.write_protected:
            self._end(t, IC_ABNORMAL, NW)
            return
        if not t.count:
            self._end(t, IC_NORMAL)
            return
        if self._non_dma:
            t.buffer = bytearray()
            self._xfer = t
            self._phase = EXECUTION
            self._set_int(True)
            return
        while t.count:
            ident, tc = self._from_memory(4)
            if len(ident) < 4 and not tc:
                self._end(t, IC_ABNORMAL, OR)
                return
            self._format_sector(t, ident.ljust(4, b"\0"))
            if tc:
                break
        self._end(t, IC_NORMAL)

    def _format_sector(self, t: _Transfer, ident: bytes) -> None:
        """Write the next sector's ID and fill its data field; an ID the image cannot hold is dropped."""
        t.count -= 1
        t.cyl, t.hd, t.rec, t.size = ident
        fmt = self.format
        assert fmt
        if (
            self._track < fmt.cylinders
            and t.head < fmt.heads
            and (t.cyl, t.hd, t.size) == (self._track, t.head, SIZE_CODE)
            and 1 <= t.rec <= fmt.sectors
        ):
            lba = (self._track * fmt.heads + t.head) * fmt.sectors + t.rec - 1
            self.write_sector(lba, bytes([t.filler]) * SECTOR)
