"""An MC146818 real-time clock with 128 bytes of CMOS RAM, at ports 0x70 (index) and 0x71 (data).

The clock runs on virtual time: the time of day is ``start_time`` plus the virtual seconds since
the device was made, and the once-a-second update and the periodic interrupt fall on whole
multiples of their periods from that moment. The update cycle itself is instantaneous: UIP reads 1
for the 244 us before each update, which keeps the datasheet's promise that UIP=0 means no update
for at least 244 us.
"""

from __future__ import annotations

import datetime

from .base import ByteDevice, IrqLine, VirtualClock

NS = 1_000_000_000
UIP_LEAD_NS = 244_000
IRQ_LINE = 8

SEC, SEC_ALARM, MIN, MIN_ALARM, HOUR, HOUR_ALARM, WEEKDAY, DAY, MONTH, YEAR = range(10)
REG_A, REG_B, REG_C, REG_D = 0x0A, 0x0B, 0x0C, 0x0D
CENTURY = 0x32  # IBM's choice of NVRAM byte for the century
TIME_REGS = (SEC, MIN, HOUR, WEEKDAY, DAY, MONTH, YEAR, CENTURY)

A_UIP = 0x80
B_SET, B_PIE, B_AIE, B_UIE, B_SQWE, B_DM, B_24H, B_DSE = 0x80, 0x40, 0x20, 0x10, 0x08, 0x04, 0x02, 0x01
C_IRQF, C_PF, C_AF, C_UF = 0x80, 0x40, 0x20, 0x10
D_VRT = 0x80

DEFAULT_START = (2000, 1, 1, 0, 0, 0)


def _bcd(n: int) -> int:
    return (n // 10) << 4 | n % 10


def _unbcd(b: int) -> int:
    return (b >> 4) * 10 + (b & 0x0F)


class Cmos(ByteDevice):
    ports = (0x70, 0x71)

    def __init__(
        self,
        irq: IrqLine | None = None,
        clock: VirtualClock | None = None,
        memory_bytes: int = 16 << 20,
        start_time: tuple[int, int, int, int, int, int] = DEFAULT_START,
        floppy_type: int = 0,
    ):
        self._irq = irq
        self._clock = clock
        self.ram = bytearray(128)
        self.index = 0
        self.nmi_masked = False
        self.ram[REG_A] = 0x26  # 32.768 kHz time base, 1024 Hz periodic rate: what BIOSes program
        self.ram[REG_B] = B_24H  # 24-hour BCD, nothing enabled
        self._irq_level = False
        # Time keeping: updates happen at origin + k seconds; update k=base_k produced base_time.
        self._origin = self._now()
        self._base_time = datetime.datetime(*start_time)
        self._base_k = 0
        self._update_k = 0  # the last update processed
        self._periodic_k = 0  # the last periodic tick processed, counted at the current rate
        self._store_time(self._base_time)
        self._init_nvram(memory_bytes, floppy_type)

    def _now(self) -> int:
        return self._clock.now() if self._clock else 0

    # --- NVRAM configuration bytes (IBM AT layout)

    def _init_nvram(self, memory_bytes: int, floppy_type: int) -> None:
        kb = memory_bytes // 1024
        base_kb = min(kb, 640)
        ext_kb = min(max(kb - 1024, 0), 0xFFFF)
        above_16m = min(max(memory_bytes - (16 << 20), 0) // (64 << 10), 0xFFFF)
        self.ram[0x10] = floppy_type << 4  # drive A's type in the high nibble, no drive B
        self.ram[0x12] = 0x00  # no AT-type hard disks
        # equipment: bit 0 diskette drives present (bits 7-6: count - 1); bit 1 the math
        # coprocessor (the virtual CPU's x87); bits 5-4 zero, a display adapter with its own BIOS
        self.ram[0x14] = 0x03 if floppy_type else 0x02
        self.ram[0x15], self.ram[0x16] = base_kb & 0xFF, base_kb >> 8
        self.ram[0x17], self.ram[0x18] = ext_kb & 0xFF, ext_kb >> 8
        self.ram[0x30], self.ram[0x31] = ext_kb & 0xFF, ext_kb >> 8
        self.ram[0x34], self.ram[0x35] = above_16m & 0xFF, above_16m >> 8
        checksum = sum(self.ram[0x10:0x2E])
        self.ram[0x2E], self.ram[0x2F] = checksum >> 8 & 0xFF, checksum & 0xFF  # big-endian, as AT BIOS

    # --- time registers

    def _encode(self, n: int) -> int:
        return n if self.ram[REG_B] & B_DM else _bcd(n)

    def _decode(self, b: int) -> int:
        return b if self.ram[REG_B] & B_DM else _unbcd(b)

    def _encode_hour(self, hour: int) -> int:
        if self.ram[REG_B] & B_24H:
            return self._encode(hour)
        pm = 0x80 if hour >= 12 else 0  # 12-hour mode: 1..12, bit 7 = PM
        return self._encode((hour - 1) % 12 + 1) | pm

    def _decode_hour(self, b: int) -> int:
        if self.ram[REG_B] & B_24H:
            return self._decode(b)
        return self._decode(b & 0x7F) % 12 + (12 if b & 0x80 else 0)

    def _store_time(self, t: datetime.datetime) -> None:
        r = self.ram
        r[SEC], r[MIN], r[HOUR] = self._encode(t.second), self._encode(t.minute), self._encode_hour(t.hour)
        r[WEEKDAY] = self._encode(t.isoweekday() % 7 + 1)  # Sunday = 1
        r[DAY], r[MONTH] = self._encode(t.day), self._encode(t.month)
        r[YEAR], r[CENTURY] = self._encode(t.year % 100), self._encode(t.year // 100)

    def _load_time(self) -> datetime.datetime | None:
        r = self.ram
        try:
            return datetime.datetime(
                self._decode(r[CENTURY]) * 100 + self._decode(r[YEAR]),
                self._decode(r[MONTH]),
                self._decode(r[DAY]),
                self._decode_hour(r[HOUR]),
                self._decode(r[MIN]),
                self._decode(r[SEC]),
            )
        except ValueError:
            return None  # an impossible date: keep counting from the old time

    def _time_at(self, k: int) -> datetime.datetime:
        return self._base_time + datetime.timedelta(seconds=k - self._base_k)

    def _alarm_matches(self) -> bool:
        # An alarm byte with its top two bits set (0xC0-0xFF) matches any value.
        r = self.ram
        return all(
            r[alarm] & 0xC0 == 0xC0 or r[alarm] == r[reg]
            for reg, alarm in ((SEC, SEC_ALARM), (MIN, MIN_ALARM), (HOUR, HOUR_ALARM))
        )

    # --- events

    def _periodic_period_units(self) -> int:
        """The periodic interrupt period as a multiple of 1/32768 s; 0 when off."""
        rs = self.ram[REG_A] & 0x0F
        if rs == 0:
            return 0
        if rs <= 2:
            rs += 7  # with a 32.768 kHz base, rates 1 and 2 repeat 8 and 9 (256 and 128 Hz)
        return 1 << (rs - 1)

    def _periodic_ticks(self, now: int) -> int:
        units = self._periodic_period_units()
        return (now - self._origin) * 32768 // (NS * units) if units else 0

    def poll(self) -> None:
        """Bring flags and IRQ 8 up to the clock's present."""
        now = self._now()
        flags = 0
        if self._periodic_period_units():
            k = self._periodic_ticks(now)
            if k > self._periodic_k:
                flags |= C_PF
            self._periodic_k = k
        k = (now - self._origin) // NS
        if k > self._update_k:
            if self.ram[REG_B] & B_SET:
                self._base_k += k - self._update_k  # updates are inhibited: the time stands still
            else:
                flags |= C_UF
                # An alarm matches once a day at most, so the last day's updates are enough.
                for j in range(max(self._update_k + 1, k - 86400 + 1), k + 1):
                    self._store_time(self._time_at(j))
                    if self._alarm_matches():
                        flags |= C_AF
            self._update_k = k
        self.ram[REG_C] |= flags
        self._update_irq()

    def next_event_ns(self) -> int | None:
        """The next virtual time at which an enabled interrupt can become pending, or None."""
        b = self.ram[REG_B]
        events = []
        units = self._periodic_period_units()
        if b & B_PIE and units:
            k = self._periodic_ticks(self._now()) + 1
            events.append(self._origin + -(-k * NS * units // 32768))  # first ns at or after tick k
        if b & (B_UIE | B_AIE) and not b & B_SET:
            events.append(self._origin + (self._update_k + 1) * NS)
        return min(events, default=None)

    def _update_irq(self) -> None:
        c, b = self.ram[REG_C], self.ram[REG_B]
        level = bool(c & b & (C_PF | C_AF | C_UF))  # flag and enable bits share positions
        self.ram[REG_C] = (c | C_IRQF) if level else (c & ~C_IRQF)
        if level != self._irq_level:
            self._irq_level = level
            if self._irq:
                self._irq(IRQ_LINE, level)

    @property
    def irq_level(self) -> bool:
        return self._irq_level

    # --- port interface

    def read_byte(self, port: int) -> int:
        if port == 0x70:
            return 0xFF  # the index register is write-only
        self.poll()
        i = self.index
        if i == REG_A:
            now = self._now()
            near_update = NS - (now - self._origin) % NS <= UIP_LEAD_NS
            uip = near_update and not self.ram[REG_B] & B_SET
            return self.ram[REG_A] | (A_UIP if uip else 0)
        if i == REG_C:
            value = self.ram[REG_C]
            self.ram[REG_C] = 0  # reading C acknowledges every flag and drops IRQ 8
            self._update_irq()
            return value
        if i == REG_D:
            return D_VRT  # the battery is always good
        return self.ram[i]

    def write_byte(self, port: int, value: int) -> None:
        if port == 0x70:
            self.index = value & 0x7F
            self.nmi_masked = bool(value & 0x80)
            return
        self.poll()
        i = self.index
        if i == REG_A:
            self.ram[REG_A] = value & 0x7F  # UIP is read-only
            self._periodic_k = self._periodic_ticks(self._now())  # count ticks afresh at the new rate
        elif i == REG_B:
            was_set = self.ram[REG_B] & B_SET
            if value & B_SET:
                value &= ~B_UIE  # setting SET clears UIE
            format_changed = (self.ram[REG_B] ^ value) & (B_DM | B_24H)
            self.ram[REG_B] = value
            if was_set and not value & B_SET:
                self._restart_time()
            elif format_changed and not value & B_SET:
                # The chip leaves the old digits for software to rewrite; we re-encode the kept time.
                self._store_time(self._time_at(self._update_k))
        elif i in (REG_C, REG_D):
            pass  # read-only
        else:
            self.ram[i] = value
            if i in TIME_REGS and not self.ram[REG_B] & B_SET:
                self._restart_time()
        self._update_irq()

    def _restart_time(self) -> None:
        """Count on from the time the guest wrote, keeping the update phase."""
        t = self._load_time()
        if t is not None:
            self._base_time, self._base_k = t, self._update_k
        self._store_time(self._time_at(self._update_k))
