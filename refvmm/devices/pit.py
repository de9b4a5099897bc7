"""The Intel 8254 programmable interval timer at 0x40-0x43, and port 0x61 (channel 2 gate, speaker).

The counters' CLK is 1.193182 MHz of VIRTUAL time: CLK edge k happens at k / 1.193182 MHz after
virtual time 0, so every engine sees the same counts. Channel 0's OUT drives IRQ 0; the machine
calls ``poll()`` to bring the IRQ line up to ``clock.now()`` and ``next_event_ns()`` to know when
to call it next. Modes 0, 2 and 3 are modelled; 1, 4 and 5 count down but keep OUT high.
"""

from __future__ import annotations

from .base import IrqLine, VirtualClock

PIT_HZ = 1_193_182
NS_PER_S = 1_000_000_000
REFRESH_NS = 15_085  # port 0x61 bit 4 toggles once per DRAM refresh request (about 15 us)


def ticks_at(ns: int) -> int:
    """How many CLK edges have happened by virtual time ``ns``."""
    return ns * PIT_HZ // NS_PER_S


def tick_ns(tick: int) -> int:
    """The first whole nanosecond at or after CLK edge ``tick``."""
    return -(-tick * NS_PER_S // PIT_HZ)


def from_bcd(value: int) -> int:
    return sum(((value >> (4 * i)) & 0xF) * 10**i for i in range(4))


def to_bcd(value: int) -> int:
    return sum((value // 10**i % 10) << (4 * i) for i in range(4))


class Channel:
    """One counter. ``load`` is the CLK edge at which the initial count entered the counting
    element (datasheet: "loaded on the next CLK pulse" after the count is written), or None while
    no count is in effect; everything else is computed from it."""

    def __init__(self, gate: bool):
        self.gate = gate
        self.gate_low_at = 0  # CLK edge at which the gate last fell
        self.mode, self.rw, self.bcd = 0, 3, False
        self.count = 0  # initial count as written (binary); 0 means the maximum
        self.load: int | None = None
        self.latched: list[int] = []  # bytes of a latched count still to be read
        self.read_msb = self.write_msb = False  # lo/hi flip-flops; reads and writes are independent
        self.lsb = 0

    @property
    def period(self) -> int:
        return self.count or (10_000 if self.bcd else 0x10000)

    def _elapsed(self, tick: int) -> int:
        """CLK edges counted since load: gate low suspends counting (modes 0, 2, 3)."""
        assert self.load is not None
        if not self.gate:
            tick = min(tick, max(self.gate_low_at, self.load))
        return tick - self.load

    def out(self, tick: int) -> bool:
        if self.load is None or tick < self.load:
            return self.mode != 0  # OUT after the control word: low in mode 0, high otherwise
        if not self.gate and self.mode in (2, 3):
            return True  # datasheet: gate low forces OUT high immediately in modes 2 and 3
        d, n = self._elapsed(tick), self.period
        if self.mode == 0:
            return d >= n  # terminal count: OUT goes high and stays high
        if self.mode == 2:
            return d % n != n - 1  # low for one CLK when the count reaches 1
        if self.mode == 3:
            return d % n < (n + 1) // 2  # high (N+1)/2 counts, low (N-1)/2
        return True

    def value(self, tick: int) -> int:
        """The counting element as a read sees it."""
        if self.load is None or tick < self.load:
            ce = self.count  # not loaded yet (datasheet: undefined); report the initial count
        else:
            d, n = self._elapsed(tick), self.period
            if self.mode == 2:
                ce = n - d % n
            elif self.mode == 3:
                half = d % n
                half -= (n + 1) // 2 if half >= (n + 1) // 2 else 0
                ce = (n & ~1) - 2 * half  # counts down by two in each half cycle
            else:
                ce = n - d  # mode 0 keeps counting (wrapping) after terminal count
        ce %= 10_000 if self.bcd else 0x10000
        return to_bcd(ce) if self.bcd else ce

    def rising_edges(self, after: int, upto: int) -> int:
        """OUT rising edges at CLK edges in (after, upto], for a counter whose gate is high."""
        if self.load is None:
            return 0
        n = self.period
        if self.mode == 0:
            return int(after < self.load + n <= upto)
        if self.mode in (2, 3):  # OUT rises as each period ends: at load + k*N, k >= 1
            return max(0, (upto - self.load) // n) - max(0, (after - self.load) // n)
        return 0

    def next_change(self, tick: int) -> int | None:
        """The first CLK edge after ``tick`` at which OUT changes (for mode 2: rises)."""
        if self.load is None:
            return None
        n = self.period
        if self.mode == 0:
            return self.load + n if tick < self.load + n else None
        if self.mode not in (2, 3):
            return None
        k = max(0, (tick - self.load) // n)
        start = self.load + k * n
        edges = [start + n] if self.mode == 2 else [start + (n + 1) // 2, start + n]
        return next(e for e in edges if e > tick)

    def control(self, mode: int, rw: int, bcd: bool) -> None:
        self.mode = mode & 3 if mode & 2 else mode  # modes 6 and 7 are 2 and 3
        self.rw, self.bcd = rw, bcd
        self.load = None  # counting stops until a new count is written
        self.latched = []
        self.read_msb = self.write_msb = False

    def write(self, byte: int, tick: int) -> None:
        if self.rw == 3 and not self.write_msb:
            self.lsb, self.write_msb = byte, True
            if self.mode == 0:
                self.load = None  # datasheet: writing the first byte disables counting; OUT low
            return
        if self.rw == 1:
            count = byte
        elif self.rw == 2:
            count = byte << 8
        else:
            count, self.write_msb = self.lsb | byte << 8, False
        self.count = from_bcd(count) if self.bcd else count
        # The new count takes effect on the next CLK. (In modes 2 and 3 the datasheet loads it at the
        # end of the current period instead; restarting now is a simplification.)
        self.load = tick + 1

    def latch(self, tick: int) -> None:
        if not self.latched:  # a second latch before the count is read is ignored
            value = self.value(tick)
            lo, hi = value & 0xFF, value >> 8
            self.latched = {1: [lo], 2: [hi], 3: [lo, hi]}[self.rw]

    def read(self, tick: int) -> int:
        if self.latched:
            return self.latched.pop(0)
        value = self.value(tick)
        if self.rw == 1:
            return value & 0xFF
        if self.rw == 2:
            return value >> 8
        self.read_msb = not self.read_msb
        return value & 0xFF if self.read_msb else value >> 8

    def set_gate(self, level: bool, tick: int) -> None:
        if level == self.gate:
            return
        if not level:
            self.gate_low_at = tick
        elif self.load is not None:
            if self.mode in (2, 3):
                self.load = tick + 1  # a rising gate reloads the initial count on the next CLK
            else:
                self.load += max(0, tick - max(self.gate_low_at, self.load))  # resume where it paused
        self.gate = level


class Pit:
    """The 8254 (channel 0 -> IRQ 0, channel 1 unused, channel 2 -> speaker) and port 0x61."""

    ports = (0x40, 0x41, 0x42, 0x43, 0x61)

    def __init__(self, clock: VirtualClock, irq: IrqLine):
        self.clock, self.irq = clock, irq
        self.channels = [Channel(gate=True), Channel(gate=True), Channel(gate=False)]
        self.port61 = 0  # bits 0-3 as written: gate 2, speaker data enable, parity/IOCHK enables
        self.irq_level = False
        self.polled_tick = 0

    def _tick(self) -> int:
        return ticks_at(self.clock.now())

    def poll(self) -> None:
        """Bring IRQ 0 up to now. Any OUT rising edge since the last poll is delivered as a low-high
        pulse and the line is left high, so the CPU can see it before a later poll lowers it. In mode
        2 the one-CLK low pulse is treated as instantaneous: the line stays high between edges."""
        ch, tick = self.channels[0], self._tick()
        edges = ch.rising_edges(self.polled_tick, tick)
        self.polled_tick = tick
        if edges:
            if self.irq_level:
                self.irq(0, False)
            self.irq(0, True)
            self.irq_level = True
            return
        level = True if ch.mode == 2 and ch.load is not None else ch.out(tick)
        if level != self.irq_level:
            self.irq(0, level)
            self.irq_level = level

    def next_event_ns(self) -> int | None:
        """Virtual time at which channel 0's OUT next changes, or None if it never will unaided."""
        tick = self.channels[0].next_change(self._tick())
        return None if tick is None else tick_ns(tick)

    def speaker(self) -> bool:
        """The speaker input: OUT2 ANDed with port 0x61 bit 1."""
        return bool(self.port61 & 2) and self.channels[2].out(self._tick())

    def read(self, port: int, size: int) -> int:
        tick = self._tick()
        if port == 0x61:
            refresh = (self.clock.now() // REFRESH_NS) & 1
            value = self.port61 & 0x0F | refresh << 4 | self.channels[2].out(tick) << 5
        elif port in (0x40, 0x41, 0x42):
            value = self.channels[port - 0x40].read(tick)
        else:
            value = 0xFF  # the control word register cannot be read
        return value | ((1 << (8 * size)) - 1) & ~0xFF  # wider reads: upper bytes float high

    def write(self, port: int, size: int, value: int) -> None:
        self.poll()  # deliver edges under the old programming first
        tick, value = self._tick(), value & 0xFF
        if port == 0x61:
            self.port61 = value & 0x0F
            self.channels[2].set_gate(bool(value & 1), tick)
        elif port in (0x40, 0x41, 0x42):
            self.channels[port - 0x40].write(value, tick)
        elif port == 0x43 and value >> 6 != 3:  # the read-back command (SC=11) is not modelled
            ch = self.channels[value >> 6]
            rw = (value >> 4) & 3
            if rw == 0:
                ch.latch(tick)
            else:
                ch.control((value >> 1) & 7, rw, bool(value & 1))
        self.poll()
