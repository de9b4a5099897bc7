"""The 82077AA floppy controller with its DMA channel, driven through the ports as a BIOS does.

Expected values are worked from the Intel 82077AA datasheet: MSR RQM 80h, DIO 40h, NON-DMA 20h, CB
10h; ST0 IC in bits 7-6 (00 normal, 01 abnormal, 10 invalid, 11 polling), SE 20h, EC 10h, H 04h;
ST1 EN 80h, OR 10h, ND 04h, NW 02h, MA 01h; ST2 WC 10h; ST3 WP 40h, T0 10h, with bits 5 and 3 always
1; the result phase table for the ending C H R N; a 1.44M medium has 80 cylinders, 2 heads and 18
sectors per track, so C/H/R is LBA (C * 2 + H) * 18 + R - 1, recorded at 500 kbps (CCR 00h).
"""

import os

import pytest

from refvmm.devices.base import PortBus
from refvmm.devices.dma import Dma
from refvmm.devices.fdc import Fdc
from refvmm.devices.ide import IdeDisk
from refvmm.devices.misc import PostPort

MSR, FIFO, DOR, DIR = 0x3F4, 0x3F5, 0x3F2, 0x3F7
SIZE_1440K = 80 * 2 * 18 * 512


def sector(lba: int) -> bytes:
    """Sector ``lba`` of the test image: 128 groups of LBA high, LBA low, group number, 0xA5."""
    return b"".join(bytes([lba >> 8, lba & 0xFF, i, 0xA5]) for i in range(128))


IMAGE = b"".join(sector(lba) for lba in range(2880))


class Rig:
    def __init__(self, image, tmp_path=None):
        if tmp_path is not None:
            self.path = tmp_path / "floppy.img"
            self.path.write_bytes(image)
            image = self.path
        self.memory = bytearray(1 << 20)
        self.dma = Dma(self.memory)
        self.irqs = []
        self.fdc = Fdc(image, irq=lambda line, level: self.irqs.append((line, level)), dma=self.dma)
        self.bus = PortBus()
        self.bus.attach(self.dma)
        self.bus.attach(self.fdc)
        for port, value in ((0x0D, 0), (0xDA, 0), (0xD6, 0xC0), (0xD4, 0x00)):
            self.bus.write(port, 1, value)  # SeaBIOS's DMA set-up: channel 4 cascades DMA1

    def out(self, port, value):
        self.bus.write(port, 1, value)

    def inp(self, port):
        return self.bus.read(port, 1)

    def send(self, *command):
        for byte in command:
            assert self.inp(MSR) & 0xC0 == 0x80  # RQM with DIO = 0: the FDC takes a byte
            self.out(FIFO, byte)

    def result(self):
        data = []
        while self.inp(MSR) & 0xC0 == 0xC0:  # RQM with DIO = 1: a result byte waits
            data.append(self.inp(FIFO))
        return data

    def sense(self):
        self.send(0x08)
        return self.result()

    def raised(self):
        """IRQ 6 rising edges so far."""
        return self.irqs.count((6, True))

    def program_dma(self, address, length, mode=0x46):
        """Channel 2 as a BIOS programs it. Mode 0x46: single, write (to memory); 0x4A: single, read."""
        for port, value in (
            (0x0A, 0x06),  # mask channel 2
            (0x0C, 0),  # clear the flip-flop
            (0x0B, mode),
            (0x04, address & 0xFF),
            (0x04, address >> 8 & 0xFF),
            (0x81, address >> 16),
            (0x05, (length - 1) & 0xFF),
            (0x05, (length - 1) >> 8),
            (0x0A, 0x02),  # unmask channel 2
        ):
            self.out(port, value)

    def start(self):
        """The bring-up a BIOS does: reset through the DOR with drive 0's motor on, the four SENSE
        INTERRUPT STATUS for the reset, 500 kbps, SPECIFY (DMA mode), RECALIBRATE."""
        self.out(DOR, 0x08)  # reset held, DMA gate on
        self.out(DOR, 0x1C)  # motor 0, DMA gate, out of reset, drive 0
        assert [self.sense() for _ in range(4)] == [[0xC0, 0], [0xC1, 0], [0xC2, 0], [0xC3, 0]]
        self.out(DIR, 0x00)  # CCR: 500 kbps
        self.send(0x03, 0xDF, 0x02)  # SPECIFY: SRT 0Dh, HUT 0Fh, HLT 01h, ND 0
        self.send(0x07, 0x00)
        assert self.sense() == [0x20, 0]

    def seek(self, cylinder, head=0):
        self.send(0x0F, head << 2, cylinder)
        assert self.sense() == [0x20, cylinder]  # SE, drive 0: ST0's H bit is always 0 after a seek

    def read(self, c, h, r, eot, mt=False, hds=None, n=2, mfm=True):
        hds = h if hds is None else hds
        self.send((0x80 if mt else 0) | (0x40 if mfm else 0) | 0x06, hds << 2, c, h, r, n, eot, 0x1B, 0xFF)
        return self.result()


@pytest.fixture
def rig():
    rig = Rig(IMAGE)
    rig.start()
    return rig


def test_power_on_state():
    rig = Rig(IMAGE)
    assert rig.fdc.drive_type == 4  # 1.44M
    assert rig.inp(MSR) == 0x80
    assert rig.inp(DOR) == 0x0C  # not in reset, DMA gate on, motors off
    assert rig.inp(DIR) == 0x7F  # drive not selected with its motor off: no change line; 6-0 undriven
    rig.out(DOR, 0x1C)
    assert rig.inp(DIR) == 0xFF  # the change line is set at power-on
    assert rig.inp(0x3F0) == 0xFF and rig.inp(0x3F1) == 0xFF  # SRA, SRB: PS/2 modes only
    assert rig.inp(0x3F3) == 0xFC
    assert rig.sense() == [0x80] and rig.irqs == []  # nothing pending at power-on


def test_reset_through_dor():
    rig = Rig(IMAGE)
    rig.out(DOR, 0x08)
    assert rig.inp(MSR) == 0x00 and rig.irqs == []  # held in reset
    rig.out(DOR, 0x1C)
    assert rig.irqs == [(6, True)] and rig.inp(MSR) == 0x80
    rig.send(0x08)
    assert rig.inp(MSR) == 0xD0  # RQM, DIO, CB: result phase
    assert rig.result() == [0xC0, 0]
    assert rig.irqs == [(6, True), (6, False)]
    assert [rig.sense() for _ in range(3)] == [[0xC1, 0], [0xC2, 0], [0xC3, 0]]
    assert rig.sense() == [0x80]  # nothing left: invalid-command status alone


def test_reset_interrupt_gated_by_dma_gate_and_dsr_reset():
    rig = Rig(IMAGE)
    rig.out(DOR, 0x00)
    rig.out(DOR, 0x04)  # out of reset, DMA gate off: INT is not driven
    assert rig.irqs == [] and not rig.fdc.irq_level
    rig.out(DOR, 0x0C)
    assert rig.irqs == [(6, True)]  # the pending interrupt shows once the gate opens
    assert rig.sense() == [0xC0, 0]
    rig.out(MSR, 0x80)  # DSR software reset
    assert rig.irqs[-1] == (6, True) and rig.inp(MSR) == 0x80
    assert [rig.sense() for _ in range(4)] == [[0xC0, 0], [0xC1, 0], [0xC2, 0], [0xC3, 0]]


def test_specify_and_dumpreg(rig):
    rig.send(0x03)
    assert rig.inp(MSR) == 0x90  # RQM, CB: command phase
    rig.send(0xAF, 0x1E)
    assert rig.inp(MSR) == 0x80 and rig.raised() == 2  # no result phase, no interrupt
    rig.send(0x0E)
    # PCN 0-3, SRT|HUT, HLT|ND, SC/EOT, LOCK|perpendicular, CONFIGURE (EFIFO after reset), PRETRK
    assert rig.result() == [0, 0, 0, 0, 0xAF, 0x1E, 0, 0x00, 0x20, 0]


def test_seek_recalibrate_and_sense_drive_status(rig):
    rig.send(0x0F, 0x00)
    assert rig.inp(MSR) == 0x90
    rig.out(FIFO, 10)
    assert rig.inp(MSR) == 0x80 and rig.fdc.irq_level  # no result phase; the interrupt says done
    assert rig.sense() == [0x20, 10]
    rig.send(0x04, 0x00)
    assert rig.result() == [0x28]  # ST3: bits 5 and 3, not on track 0
    rig.send(0x0E)
    assert rig.result()[:4] == [10, 0, 0, 0]
    rig.send(0x07, 0x00)
    assert rig.sense() == [0x20, 0]
    rig.send(0x04, 0x04)
    assert rig.result() == [0x3C]  # T0, head 1 as given


def test_disk_change_line():
    rig = Rig(IMAGE)
    rig.out(DOR, 0x1C)
    rig.send(0x07, 0x00)  # recalibrate from cylinder 0: no step pulse
    assert rig.sense() == [0x20, 0] and rig.inp(DIR) & 0x80
    rig.seek(0)
    assert rig.inp(DIR) & 0x80  # a seek to the same cylinder steps nowhere
    rig.seek(1)
    assert rig.inp(DIR) == 0x7F  # the step pulse cleared it
    rig.fdc.eject()
    assert rig.inp(DIR) == 0xFF
    rig.fdc.insert(IMAGE)
    assert rig.inp(DIR) == 0xFF  # stays set until the next step
    rig.seek(0)
    assert rig.inp(DIR) == 0x7F


def test_read_sectors_through_dma(rig):
    rig.program_dma(0x20000, 3 * 512)
    rig.send(0x46, 0x00, 0, 0, 1, 2, 18, 0x1B)
    assert rig.raised() == 2  # reset and recalibrate only, until the last byte
    rig.out(FIFO, 0xFF)
    assert rig.raised() == 3 and rig.inp(MSR) == 0xD0
    # TC after sector 3, which is before EOT: normal termination, R + 1.
    assert rig.result() == [0x00, 0x00, 0x00, 0, 0, 4, 2]
    assert not rig.fdc.irq_level
    assert rig.memory[0x20000:0x20600] == sector(0) + sector(1) + sector(2)
    assert rig.memory[0x20600] == 0
    assert rig.inp(0x08) == 0x04  # DMA status: TC on channel 2


def test_read_multi_track_through_dma(rig):
    rig.seek(2)
    rig.program_dma(0x30000, 4 * 512)
    # MT: 2/0/17, 2/0/18, then side 1: 2/1/1, 2/1/2 = LBAs (2*2+0)*18+16 = 88, 89, then 90, 91.
    assert rig.read(2, 0, 17, 18, mt=True) == [0x04, 0x00, 0x00, 2, 1, 3, 2]  # ended on head 1
    assert rig.memory[0x30000:0x30800] == b"".join(sector(lba) for lba in (88, 89, 90, 91))


@pytest.mark.parametrize(
    "mt, h, r, count, expected",
    [
        (False, 0, 17, 2, [0x00, 0, 0, 3, 0, 1, 2]),  # MT 0, final sector = EOT: C + 1, R = 1
        (True, 0, 18, 1, [0x00, 0, 0, 2, 1, 1, 2]),  # MT 1, head 0: H's LSB complemented, R = 1
        (True, 1, 18, 1, [0x04, 0, 0, 3, 0, 1, 2]),  # MT 1, head 1: C + 1, H complemented, R = 1
    ],
)
def test_result_phase_table_at_eot(rig, mt, h, r, count, expected):
    rig.seek(2)
    rig.program_dma(0x40000, count * 512)
    assert rig.read(2, h, r, 18, mt=mt) == expected
    first = (2 * 2 + h) * 18 + r - 1
    assert rig.memory[0x40000 : 0x40000 + count * 512] == b"".join(sector(first + i) for i in range(count))


def test_read_past_eot_without_terminal_count(rig):
    rig.program_dma(0x20000, 4 * 512)
    # Sectors 1 and 2, then no TC: EN and abnormal termination; the table's C + 1, R = 1.
    assert rig.read(0, 0, 1, 2) == [0x40, 0x80, 0x00, 1, 0, 1, 2]
    assert rig.memory[0x20000:0x20400] == sector(0) + sector(1) and rig.memory[0x20400] == 0
    assert rig.inp(0x08) == 0x00  # channel 2 not at TC
    rig.out(0x0C, 0)
    assert rig.inp(0x05) | rig.inp(0x05) << 8 == 2047 - 1024


def test_read_stops_with_nd_past_the_last_sector(rig):
    rig.program_dma(0x20000, 4 * 512)
    # EOT 20 on an 18-sector track: 17 and 18 move (LBAs 16, 17), then sector 19 is not found.
    assert rig.read(0, 0, 17, 20) == [0x40, 0x04, 0x00, 0, 0, 19, 2]
    assert rig.memory[0x20000:0x20400] == sector(16) + sector(17)


def test_write_round_trip_to_file(tmp_path):
    rig = Rig(IMAGE, tmp_path)
    rig.start()
    pattern = bytes((i * 13 + 5) & 0xFF for i in range(1024))
    rig.memory[0x40000:0x40400] = pattern
    rig.seek(5)
    rig.program_dma(0x40000, 1024, mode=0x4A)  # single, read (memory to device)
    rig.send(0xC5, 0x04, 5, 1, 3, 2, 18, 0x1B, 0xFF)  # WRITE DATA, MT MFM, head 1: 5/1/3 and 5/1/4
    assert rig.result() == [0x04, 0x00, 0x00, 5, 1, 5, 2]
    data = rig.path.read_bytes()
    # 5/1/3 is LBA (5*2+1)*18+2 = 200.
    assert data[200 * 512 : 202 * 512] == pattern
    assert data[199 * 512 : 200 * 512] == sector(199) and data[202 * 512 : 203 * 512] == sector(202)
    assert len(data) == SIZE_1440K
    rig.program_dma(0x50000, 1024)
    assert rig.read(5, 1, 3, 18) == [0x04, 0x00, 0x00, 5, 1, 5, 2]
    assert rig.memory[0x50000:0x50400] == pattern


def test_write_terminal_count_mid_sector_fills_with_zeros(rig):
    rig.memory[0x40000:0x40258] = b"\x11" * 512 + b"\x22" * 88
    rig.program_dma(0x40000, 600, mode=0x4A)
    rig.send(0x45, 0x00, 0, 0, 1, 2, 18, 0x1B, 0xFF)
    assert rig.result() == [0x00, 0x00, 0x00, 0, 0, 3, 2]  # TC in sector 2: normal, R = 3
    assert rig.fdc.read_sector(0) == b"\x11" * 512
    assert rig.fdc.read_sector(1) == b"\x22" * 88 + bytes(424)
    assert rig.fdc.read_sector(2) == sector(2)


def test_non_dma_read_through_fifo(rig):
    rig.send(0x03, 0xDF, 0x03)  # SPECIFY with ND: non-DMA mode
    before = rig.raised()
    rig.send(0x46, 0x00, 0, 0, 1, 2, 2, 0x1B, 0xFF)
    data = bytearray()
    while rig.inp(MSR) == 0xF0:  # RQM, DIO, NON-DMA, CB: execution phase, a byte to read
        data.append(rig.inp(FIFO))
    assert bytes(data) == sector(0) + sector(1)
    assert rig.inp(MSR) == 0xD0  # NON-DMA drops with the result phase
    # No TC in non-DMA mode: past EOT gives EN and abnormal termination; C + 1, R = 1.
    assert rig.result() == [0x40, 0x80, 0x00, 1, 0, 1, 2]
    assert rig.raised() - before == 1024 + 1  # an interrupt for every byte, then the result's
    assert rig.memory == bytearray(len(rig.memory))  # no DMA


def test_non_dma_write_through_fifo(tmp_path):
    rig = Rig(IMAGE, tmp_path)
    rig.start()
    rig.send(0x03, 0xDF, 0x03)
    rig.send(0x45, 0x00, 0, 0, 5, 2, 5, 0x1B, 0xFF)
    for i in range(512):
        assert rig.inp(MSR) == 0xB0  # RQM, NON-DMA, CB, DIO = 0: a byte wanted
        rig.out(FIFO, i & 0xFF)
    assert rig.result() == [0x40, 0x80, 0x00, 1, 0, 1, 2]
    assert rig.path.read_bytes()[4 * 512 : 5 * 512] == bytes(i & 0xFF for i in range(512))


def test_msr_phases_and_invalid_commands(rig):
    assert rig.inp(MSR) == 0x80
    rig.send(0x4A)
    assert rig.inp(MSR) == 0x90
    rig.send(0x00)
    assert rig.inp(MSR) == 0xD0
    assert len(rig.result()) == 7 and rig.inp(MSR) == 0x80
    raised = rig.raised()
    for code in (0x1F, 0x02, 0x16, 0x8F, 0xFF):  # invalid, READ TRACK, VERIFY, RELATIVE SEEK
        rig.send(code)
        assert rig.inp(MSR) == 0xD0
        assert rig.result() == [0x80]
    assert rig.raised() == raised and rig.inp(MSR) == 0x80


@pytest.mark.parametrize(
    "args, expected",
    [
        ({"c": 0, "h": 0, "r": 19, "eot": 19}, [0x40, 0x04, 0x00, 0, 0, 19, 2]),  # ND: no sector 19
        ({"c": 5, "h": 0, "r": 1, "eot": 1}, [0x40, 0x04, 0x10, 5, 0, 1, 2]),  # ND, WC: head on cyl 0
        ({"c": 0, "h": 1, "r": 1, "eot": 1, "hds": 0}, [0x40, 0x04, 0x00, 0, 1, 1, 2]),  # H != head
        ({"c": 0, "h": 0, "r": 1, "eot": 1, "n": 3}, [0x40, 0x04, 0x00, 0, 0, 1, 3]),  # N != 2
        ({"c": 0, "h": 0, "r": 1, "eot": 1, "mfm": False}, [0x40, 0x01, 0x00, 0, 0, 1, 2]),  # FM: MA
    ],
)
def test_read_errors(rig, args, expected):
    rig.program_dma(0x20000, 512)
    assert rig.read(**args) == expected
    assert rig.raised() == 3  # the result phase still interrupts
    assert rig.memory[0x20000:0x20200] == bytes(512)


def test_wrong_data_rate_finds_no_address_marks(rig):
    rig.out(DIR, 0x02)  # CCR: 250 kbps, not the 1.44M medium's 500
    rig.program_dma(0x20000, 512)
    assert rig.read(0, 0, 1, 1) == [0x40, 0x01, 0x00, 0, 0, 1, 2]
    rig.send(0x4A, 0x00)
    assert rig.result()[:3] == [0x40, 0x01, 0x00]
    rig.out(MSR, 0x00)  # DSR: 500 kbps again
    assert rig.read(0, 0, 1, 1) == [0x00, 0x00, 0x00, 1, 0, 1, 2]  # TC at EOT: C + 1, R = 1


def test_dma_not_serviced_is_an_overrun(rig):
    rig.program_dma(0x20000, 512)
    rig.out(0x0A, 0x06)  # mask channel 2
    assert rig.read(0, 0, 1, 1) == [0x40, 0x10, 0x00, 0, 0, 1, 2]  # OR, R unchanged
    rig.out(0x0A, 0x02)
    rig.out(DOR, 0x14)  # DMA gate off: DRQ and INT undriven
    raised = rig.raised()
    assert rig.read(0, 0, 1, 1) == [0x40, 0x10, 0x00, 0, 0, 1, 2]
    assert rig.raised() == raised
    assert rig.memory[0x20000:0x20200] == bytes(512)


def test_write_protect(tmp_path):
    rig = Rig(IMAGE, tmp_path)
    rig.start()
    rig.fdc.write_protected = True
    rig.send(0x04, 0x00)
    assert rig.result() == [0x78]  # WP, bit 5, T0, bit 3
    rig.program_dma(0x40000, 512, mode=0x4A)
    rig.send(0x45, 0x00, 0, 0, 1, 2, 18, 0x1B, 0xFF)
    assert rig.result() == [0x40, 0x02, 0x00, 0, 0, 1, 2]  # NW
    assert rig.path.read_bytes() == IMAGE


def test_read_only_file_is_write_protected(tmp_path, monkeypatch):
    path = tmp_path / "ro.img"
    path.write_bytes(IMAGE)
    monkeypatch.setattr(os, "access", lambda p, mode: False)  # as for a file without write permission
    rig = Rig(path)
    assert rig.fdc.write_protected
    rig.start()
    rig.program_dma(0x40000, 512, mode=0x4A)
    rig.send(0x45, 0x00, 0, 0, 1, 2, 18, 0x1B, 0xFF)
    assert rig.result() == [0x40, 0x02, 0x00, 0, 0, 1, 2]
    assert path.read_bytes() == IMAGE


def test_no_index_pulses_hang_the_controller_until_reset(rig):
    rig.out(DOR, 0x0C)  # motor 0 off: the drive is not selected
    rig.program_dma(0x20000, 512)
    raised = rig.raised()
    rig.send(0x46, 0x00, 0, 0, 1, 2, 18, 0x1B, 0xFF)
    assert rig.inp(MSR) == 0x10 and rig.raised() == raised  # CB only, for ever
    rig.out(DOR, 0x08)
    rig.out(DOR, 0x1C)
    assert rig.inp(MSR) == 0x80 and rig.sense() == [0xC0, 0]
    rig.out(DOR, 0x0C)
    rig.send(0x07, 0x00)
    assert rig.sense() == [0x70, 0]  # no TRK0 from an unselected drive: SE, EC, abnormal


def test_implied_seek(rig):
    rig.send(0x13, 0x00, 0x60, 0x00)  # CONFIGURE: EIS, FIFO disabled, polling on, PRETRK 0
    assert rig.inp(MSR) == 0x80
    rig.program_dma(0x20000, 512)
    assert rig.read(3, 0, 1, 18) == [0x20, 0x00, 0x00, 3, 0, 2, 2]  # SE after the implied seek
    assert rig.memory[0x20000:0x20200] == sector(3 * 2 * 18)  # 3/0/1 = LBA 108
    rig.send(0x0E)
    assert rig.result()[0] == 3  # PCN


def test_read_id_follows_the_rotation(rig):
    rig.send(0x4A, 0x00)
    assert rig.result() == [0x00, 0x00, 0x00, 0, 0, 1, 2]
    rig.send(0x4A, 0x00)
    assert rig.result() == [0x00, 0x00, 0x00, 0, 0, 2, 2]
    rig.program_dma(0x20000, 512)
    rig.read(0, 0, 5, 18)
    rig.send(0x4A, 0x04)
    assert rig.result() == [0x04, 0x00, 0x00, 0, 1, 6, 2]  # sector 5 has just passed
    assert rig.raised() == 2 + 4


def test_format_track(tmp_path):
    rig = Rig(IMAGE, tmp_path)
    rig.start()
    rig.seek(1)
    rig.memory[0x60000 : 0x60000 + 72] = b"".join(bytes([1, 0, r, 2]) for r in range(1, 19))
    rig.program_dma(0x60000, 72, mode=0x4A)
    rig.send(0x4D, 0x00, 2, 18, 0x54, 0xE5)  # FORMAT: N 2, SC 18, GPL 54h, filler E5h
    assert rig.result()[:3] == [0x00, 0x00, 0x00] and rig.raised() == 4
    data = rig.path.read_bytes()
    # Cylinder 1 head 0 is LBAs (1*2+0)*18 = 36 to 53.
    assert data[36 * 512 : 54 * 512] == b"\xe5" * 18 * 512
    assert data[35 * 512 : 36 * 512] == sector(35) and data[54 * 512 : 55 * 512] == sector(54)
    rig.send(0x0E)
    assert rig.result()[6] == 18  # SC of the last format


def test_version_lock_configure_perpendicular_across_reset(rig):
    rig.send(0x10)
    assert rig.result() == [0x90]
    rig.send(0x13, 0x00, 0x57, 0x05)  # EIS, FIFO on, polling off, FIFOTHR 7; PRETRK 5
    rig.send(0x12, 0xBF)  # OW, D3-D0 all set, GAP, WGATE
    assert rig.inp(MSR) == 0x80
    rig.send(0x94)
    assert rig.result() == [0x10]
    rig.send(0x0E)
    assert rig.result() == [0, 0, 0, 0, 0xDF, 0x02, 0, 0x80 | 0x3F, 0x57, 0x05]
    rig.out(DOR, 0x18)
    rig.out(DOR, 0x1C)
    [rig.sense() for _ in range(4)]
    rig.send(0x0E)
    # Locked: EFIFO, FIFOTHR and PRETRK kept, EIS and POLL back to 0; GAP and WGATE cleared.
    assert rig.result() == [0, 0, 0, 0, 0xDF, 0x02, 0, 0x80 | 0x3C, 0x07, 0x05]
    rig.send(0x14)
    assert rig.result() == [0x00]
    rig.out(MSR, 0x80)
    [rig.sense() for _ in range(4)]
    rig.send(0x12, 0x03)  # OW clear: D3-D0 kept, GAP and WGATE set
    rig.send(0x0E)
    assert rig.result() == [0, 0, 0, 0, 0xDF, 0x02, 0, 0x3F, 0x20, 0x00]


def test_unsensed_status_is_lost_to_the_next_command(rig):
    rig.send(0x0F, 0x00, 7)
    assert rig.fdc.irq_level
    rig.send(0x10)
    assert not rig.fdc.irq_level and rig.result() == [0x90]
    assert rig.sense() == [0x80]


@pytest.mark.parametrize(
    "cylinders, heads, sectors, drive_type",
    [
        (40, 1, 8, 1),  # 160K in a 360K drive
        (40, 1, 9, 1),  # 180K
        (40, 2, 8, 1),  # 320K
        (40, 2, 9, 1),  # 360K
        (80, 2, 9, 3),  # 720K
        (80, 2, 15, 2),  # 1.2M
        (80, 2, 18, 4),  # 1.44M
        (80, 2, 36, 5),  # 2.88M
    ],
)
def test_formats_give_the_drive_type(cylinders, heads, sectors, drive_type):
    assert Fdc(bytes(cylinders * heads * sectors * 512)).drive_type == drive_type


def test_360k_geometry_and_single_sided_media():
    # 360K: 40 cylinders, 2 heads, 9 sectors, 250 kbps. 1/1/9 is LBA (1*2+1)*9+8 = 35.
    image = b"".join(sector(lba) for lba in range(720))
    rig = Rig(image)
    rig.start()
    rig.out(DIR, 0x02)
    rig.seek(1)
    rig.program_dma(0x20000, 512)
    assert rig.read(1, 1, 9, 9) == [0x04, 0x00, 0x00, 2, 1, 1, 2]  # TC at EOT: C + 1, R = 1
    assert rig.memory[0x20000:0x20200] == sector(35)
    single = Rig(bytes(160 * 1024))  # 40/1/8: side 1 holds no IDs
    single.start()
    single.out(DIR, 0x02)
    single.program_dma(0x20000, 512)
    assert single.read(0, 1, 1, 8) == [0x44, 0x01, 0x00, 0, 1, 1, 2]


def test_bad_images(tmp_path):
    with pytest.raises(ValueError, match="size 1000 bytes") as info:
        Fdc(bytes(1000))
    assert "1.44M" in str(info.value)
    with pytest.raises(ValueError, match="no such file"):
        Fdc(tmp_path / "missing.img")


def test_no_drive():
    fdc = Fdc(None)
    assert fdc.drive_type == 0
    bus = PortBus()
    bus.attach(fdc)
    bus.write(DOR, 1, 0x1C)
    assert bus.read(DIR, 1) == 0x7F
    with pytest.raises(ValueError, match="no floppy drive"):
        fdc.insert(IMAGE)


def test_bytes_image_is_a_private_copy():
    image = bytearray(IMAGE)
    fdc = Fdc(image)
    fdc.write_sector(3, b"\x55" * 512)
    assert fdc.read_sector(3) == b"\x55" * 512 and image == IMAGE


def test_shares_the_bus_with_ide_and_post_port():
    bus = PortBus()
    bus.attach(IdeDisk(bytes(1024)))  # 0x3F6
    bus.attach(Fdc(IMAGE))
    bus.attach(Dma(bytearray(1024)))
    bus.attach(PostPort())  # 0x80
