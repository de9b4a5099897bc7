"""The MC146818 RTC/CMOS driven through ports 0x70/0x71 as a BIOS or OS does, on virtual time.
Expected values are worked out by hand from the datasheet and the IBM AT CMOS layout."""

import pytest

from refvmm.devices.base import NS_PER_INSTRUCTION, PortBus, VirtualClock
from refvmm.devices.cmos import Cmos

MS = 1_000_000
S = 1_000_000_000


class Rig:
    def __init__(self, **kwargs):
        self.instructions = 0
        self.irqs = []
        clock = VirtualClock(lambda: self.instructions)
        self.cmos = Cmos(irq=lambda line, level: self.irqs.append((line, level)), clock=clock, **kwargs)
        self.bus = PortBus()
        self.bus.attach(self.cmos)

    def advance(self, ns):
        assert ns % NS_PER_INSTRUCTION == 0
        self.instructions += ns // NS_PER_INSTRUCTION
        self.cmos.poll()

    def advance_to(self, ns):
        self.instructions = -(-ns // NS_PER_INSTRUCTION)  # the first instruction boundary at or after
        self.cmos.poll()

    def read(self, index):
        self.bus.write(0x70, 1, index)
        return self.bus.read(0x71, 1)

    def write(self, index, value):
        self.bus.write(0x70, 1, index)
        self.bus.write(0x71, 1, value)

    def time(self):
        return [self.read(i) for i in (0, 2, 4, 6, 7, 8, 9, 0x32)]


LEAP = (2024, 2, 29, 23, 59, 58)  # a Thursday


def test_time_in_bcd():
    rig = Rig(start_time=LEAP)
    assert rig.read(0x0B) & 0x04 == 0  # BCD by default
    # sec, min, hour, weekday (Sunday = 1, so Thursday = 5), day, month, year, century
    assert rig.time() == [0x58, 0x59, 0x23, 0x05, 0x29, 0x02, 0x24, 0x20]


def test_time_advances_with_virtual_time_over_leap_day():
    rig = Rig(start_time=LEAP)
    rig.advance(1 * S)
    assert rig.read(0) == 0x59
    rig.advance(1 * S)
    assert rig.time() == [0x00, 0x00, 0x00, 0x06, 0x01, 0x03, 0x24, 0x20]  # Friday 1 March


def test_time_in_binary():
    rig = Rig(start_time=LEAP)
    rig.write(0x0B, 0x06)  # DM = binary, 24-hour
    assert rig.time() == [58, 59, 23, 5, 29, 2, 24, 20]


@pytest.mark.parametrize(
    "hour, reg_b, expected",
    [
        (23, 0x00, 0x91),  # 11 PM, BCD
        (0, 0x00, 0x12),  # midnight is 12 AM
        (12, 0x00, 0x92),  # noon is 12 PM
        (9, 0x00, 0x09),
        (23, 0x04, 0x8B),  # 11 PM, binary
        (23, 0x02, 0x23),  # 24-hour BCD
    ],
)
def test_hour_formats(hour, reg_b, expected):
    rig = Rig(start_time=(2001, 6, 1, hour, 0, 0))
    rig.write(0x0B, reg_b)
    assert rig.read(4) == expected


def test_register_d_and_default_register_a():
    rig = Rig()
    assert rig.read(0x0D) == 0x80
    assert rig.read(0x0A) == 0x26


def test_set_bit_stops_the_clock_and_time_can_be_written():
    rig = Rig(start_time=(2000, 1, 1, 0, 0, 0))
    rig.write(0x0B, 0x82)  # SET, 24-hour BCD
    for index, value in ((0, 0x56), (2, 0x34), (4, 0x12), (7, 0x15), (8, 0x08), (9, 0x99), (0x32, 0x19)):
        rig.write(index, value)
    rig.advance(5 * S)
    assert rig.read(0) == 0x56  # no updates while SET
    rig.write(0x0B, 0x02)
    rig.advance(1 * S)
    assert rig.time()[:3] == [0x57, 0x34, 0x12]
    assert rig.read(7) == 0x15 and rig.read(9) == 0x99


def test_uip_is_set_just_before_each_update():
    rig = Rig()
    assert rig.read(0x0A) & 0x80 == 0
    rig.advance_to(S - 300_000)  # more than 244 us before the update
    assert rig.read(0x0A) == 0x26
    rig.advance_to(S - 100_000)
    assert rig.read(0x0A) == 0xA6
    rig.advance_to(S)
    assert rig.read(0x0A) == 0x26
    assert rig.read(0) == 0x01


def test_register_c_clears_on_read_and_lowers_irq8():
    rig = Rig()
    rig.write(0x0A, 0x20)  # periodic off, so PF stays clear
    rig.write(0x0B, 0x12)  # UIE, 24-hour
    assert rig.irqs == []
    rig.advance(S)
    assert rig.irqs == [(8, True)]
    assert rig.read(0x0C) == 0x90  # IRQF | UF
    assert rig.irqs == [(8, True), (8, False)]
    assert rig.read(0x0C) == 0x00


def test_flags_set_without_enables_but_no_irq():
    rig = Rig()
    rig.advance(S)  # update-ended flag with UIE off; periodic flag at the default 1024 Hz with PIE off
    assert rig.read(0x0C) == 0x50  # PF | UF, no IRQF
    assert rig.irqs == []


def count_interrupts(rig, duration, step):
    count = 0
    for _ in range(duration // step):
        rig.advance(step)
        if rig.cmos.irq_level:
            count += 1
            assert rig.read(0x0C) & 0x80
            assert not rig.cmos.irq_level
    return count


def test_periodic_interrupt_1024_hz():
    rig = Rig()
    rig.write(0x0A, 0x26)  # rate select 6: 32768 >> 5 = 1024 Hz
    rig.write(0x0B, 0x42)  # PIE, 24-hour
    assert count_interrupts(rig, S, 100_000) == 1024  # period 976.5625 us, polled every 100 us


@pytest.mark.parametrize("rs, per_second", [(0x0F, 2), (0x0A, 64), (0x01, 256), (0x02, 128), (0x00, 0)])
def test_periodic_rates(rs, per_second):
    rig = Rig()
    rig.write(0x0A, 0x20 | rs)
    rig.write(0x0B, 0x42)
    assert count_interrupts(rig, S, 100_000) == per_second


def test_periodic_interrupt_by_next_event():
    rig = Rig()
    rig.write(0x0B, 0x42)
    count = 0
    while (when := rig.cmos.next_event_ns()) <= S:
        rig.advance_to(when)
        assert rig.cmos.irq_level  # every event the device names raises IRQ 8
        assert rig.read(0x0C) & 0xE0 == 0xC0  # IRQF | PF (UF too on the last, at exactly 1 s)
        count += 1
    assert count == 1024


def test_update_ended_once_per_second():
    rig = Rig(start_time=(2000, 1, 1, 0, 0, 0))
    rig.write(0x0A, 0x20)  # periodic off
    rig.write(0x0B, 0x12)
    seconds = []
    for _ in range(3500):
        rig.advance(MS)
        if rig.cmos.irq_level:
            assert rig.read(0x0C) == 0x90
            seconds.append(rig.read(0))
    assert seconds == [0x01, 0x02, 0x03]


def test_next_event_without_interrupts_enabled():
    rig = Rig()
    assert rig.cmos.next_event_ns() is None
    rig.write(0x0B, 0x12)
    assert rig.cmos.next_event_ns() == S


def test_alarm_interrupt():
    rig = Rig(start_time=(2000, 1, 1, 0, 0, 0))
    rig.write(0x0A, 0x20)
    rig.write(0x01, 0x05)  # seconds alarm 5
    rig.write(0x03, 0xC0)  # minutes: don't care
    rig.write(0x05, 0xFF)  # hours: don't care
    rig.write(0x0B, 0x22)  # AIE
    rig.advance(4 * S)
    assert not rig.cmos.irq_level
    rig.read(0x0C)
    rig.advance(S)
    assert rig.cmos.irq_level
    assert rig.read(0x0C) == 0xB0  # IRQF | AF | UF (UF set though not enabled)
    rig.advance(59 * S)
    assert not rig.cmos.irq_level
    rig.advance(S)  # 00:01:05
    assert rig.cmos.irq_level


def test_index_port_nmi_mask_and_nvram():
    rig = Rig()
    rig.bus.write(0x70, 1, 0x80 | 0x40)
    assert rig.cmos.nmi_masked
    rig.bus.write(0x71, 1, 0xAB)
    rig.bus.write(0x70, 1, 0x40)
    assert not rig.cmos.nmi_masked
    assert rig.bus.read(0x71, 1) == 0xAB


def word(rig, lo):
    return rig.read(lo) | rig.read(lo + 1) << 8


def test_memory_bytes_16_mib():
    rig = Rig(memory_bytes=16 << 20)
    assert word(rig, 0x15) == 640
    assert word(rig, 0x17) == 15 * 1024  # 0x3C00 KB above 1 MiB
    assert word(rig, 0x30) == 15 * 1024
    assert word(rig, 0x34) == 0
    assert rig.read(0x10) == 0


def test_memory_bytes_128_mib():
    rig = Rig(memory_bytes=128 << 20)
    assert word(rig, 0x15) == 640
    assert word(rig, 0x17) == 0xFFFF  # 127 MiB in KB does not fit: capped
    assert word(rig, 0x30) == 0xFFFF
    assert word(rig, 0x34) == 0x0700  # 112 MiB / 64 KiB


@pytest.mark.parametrize(
    "memory, floppy, checksum",
    [
        (16 << 20, 0, 0x00C0),  # equipment 0x02 (the coprocessor); base 0x80 + 0x02; extended 0x00 + 0x3C
        (128 << 20, 0, 0x0282),  # 0x02 + 0x80 + 0x02 + 0xFF + 0xFF
        (16 << 20, 4, 0x0101),  # a 1.44M drive A: 0x40 at 0x10, equipment 0x03; + 0xBE
    ],
)
def test_checksum(memory, floppy, checksum):
    rig = Rig(memory_bytes=memory, floppy_type=floppy)
    assert rig.read(0x10) == floppy << 4 and rig.read(0x14) == (3 if floppy else 2)
    assert rig.read(0x2E) << 8 | rig.read(0x2F) == checksum  # high byte first
    assert sum(rig.read(i) for i in range(0x10, 0x2E)) == checksum
