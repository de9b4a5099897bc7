"""The 8254 PIT driven through its ports, in virtual time.

CLK is 1.193182 MHz, so CLK edge k falls at k * 838.0951 ns. Per the Intel 8254 datasheet a count
written is loaded into the counting element on the next CLK, so a count written at time 0 (edge 0)
is loaded at edge 1: in mode 2 with count N, OUT is low during edge N and rises again at edge 1+N,
1+2N, ...; in mode 0 OUT goes high at edge 1+N ("N+1 CLK pulses after the initial count is written").
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refvmm.devices.base import NS_PER_INSTRUCTION, VirtualClock
from refvmm.devices.pic import PicPair
from refvmm.devices.pit import Pit

# First whole ns at or after CLK edge k: ceil(k * 10**9 / 1193182), worked out by hand.
EDGE_41_NS = 34_362  # 41 * 838.0951 = 34361.9
EDGE_101_NS = 84_648  # 101 * 838.0951 = 84647.6
EDGE_1001_NS = 838_934  # 1001 * 838.0951 = 838933.2
EDGE_2001_NS = 1_677_029  # 2001 * 838.0951 = 1677028.3


class Rig:
    def __init__(self) -> None:
        self.instructions = 0
        self.irqs: list[tuple[int, bool]] = []
        self.pit = Pit(VirtualClock(lambda: self.instructions), self._irq)

    def _irq(self, line: int, level: bool) -> None:
        self.irqs.append((line, level))

    def at(self, ns: int) -> None:
        """Advance virtual time to the first instruction boundary at or after ``ns``."""
        self.instructions = -(-ns // NS_PER_INSTRUCTION)

    def at_edge(self, k: int) -> None:
        self.at(-(-k * 10**9 // 1_193_182))

    def out(self, port: int, value: int) -> None:
        self.pit.write(port, 1, value)

    def inb(self, port: int) -> int:
        return self.pit.read(port, 1)


@pytest.fixture
def rig() -> Rig:
    return Rig()


def test_mode2_rate_generator_raises_irq0_every_n_ticks(rig):
    rig.out(0x43, 0x34)  # channel 0, lo/hi, mode 2, binary
    rig.out(0x40, 0xE8)
    rig.out(0x40, 0x03)  # N = 1000
    assert rig.irqs == [(0, True)]  # mode 2 control word: OUT goes high
    assert rig.pit.next_event_ns() == EDGE_1001_NS
    rig.at_edge(1000)
    rig.pit.poll()
    assert rig.irqs == [(0, True)]
    rig.at(EDGE_1001_NS)
    rig.pit.poll()
    assert rig.irqs[1:] == [(0, False), (0, True)]  # one rising edge
    assert rig.pit.next_event_ns() == EDGE_2001_NS


def test_mode2_through_the_pic_every_period(rig):
    rig.out(0x43, 0x34)
    rig.out(0x40, 0xE8)
    rig.out(0x40, 0x03)
    pic = PicPair()
    rig.pit.irq = pic.set_irq
    for port, value in ((0x20, 0x11), (0x21, 0x08), (0x21, 0x04), (0x21, 0x01)):
        pic.write(port, 1, value)
    for k in range(1, 6):
        edge = 1 + 1000 * k
        rig.at_edge(edge - 1)  # OUT's one-CLK low pulse; the rising edge is not there yet
        rig.pit.poll()
        assert not pic.pending()
        rig.at_edge(edge)
        rig.pit.poll()
        assert pic.pending() and pic.acknowledge() == 0x08
        pic.write(0x20, 1, 0x20)


def test_mode0_interrupt_on_terminal_count(rig):
    rig.out(0x43, 0x30)  # channel 0, lo/hi, mode 0
    rig.out(0x40, 100)
    rig.out(0x40, 0)
    assert rig.irqs == []  # OUT low from the control word; the line was already low
    assert rig.pit.next_event_ns() == EDGE_101_NS
    rig.at(EDGE_41_NS)
    rig.out(0x43, 0x00)  # latch channel 0: loaded at edge 1, 40 CLKs later it holds 60
    assert (rig.inb(0x40), rig.inb(0x40)) == (60, 0)
    rig.at_edge(100)
    rig.pit.poll()
    assert rig.irqs == []
    rig.at(EDGE_101_NS)
    rig.pit.poll()
    assert rig.irqs == [(0, True)]
    assert rig.pit.next_event_ns() is None  # OUT stays high until reprogrammed
    rig.at(10 * EDGE_1001_NS)
    rig.pit.poll()
    assert rig.irqs == [(0, True)]
    rig.out(0x43, 0x30)  # a new mode 0 control word sets OUT low
    assert rig.irqs[-1] == (0, False)


def test_latch_then_read_lo_hi(rig):
    rig.out(0x43, 0x34)
    rig.out(0x40, 0x00)
    rig.out(0x40, 0x10)  # N = 0x1000
    rig.at_edge(101)
    rig.out(0x43, 0x00)  # latch: 100 CLKs after load, 0x1000 - 100 = 0x0F9C
    rig.at_edge(500)
    rig.out(0x43, 0x00)  # a second latch before the read is ignored
    assert rig.inb(0x40) == 0x9C
    rig.at_edge(900)
    assert rig.inb(0x40) == 0x0F
    rig.at_edge(1001)  # unlatched: reads follow the counter, 0x1000 - 1000 = 0x0C18
    assert (rig.inb(0x40), rig.inb(0x40)) == (0x18, 0x0C)


def test_lsb_only_and_msb_only_access(rig):
    rig.out(0x43, 0x14)  # channel 0, LSB only, mode 2
    rig.out(0x40, 100)
    rig.at_edge(11)
    assert rig.inb(0x40) == 90 and rig.inb(0x40) == 90
    rig.out(0x43, 0x24)  # MSB only: count 0x0200
    rig.out(0x40, 0x02)
    assert rig.pit.next_event_ns() == -(-(12 + 0x200) * 10**9 // 1_193_182)
    rig.at_edge(12 + 0x100)
    assert rig.inb(0x40) == 0x01


def test_bcd_count(rig):
    rig.out(0x43, 0x35)  # channel 0, lo/hi, mode 2, BCD
    rig.out(0x40, 0x00)
    rig.out(0x40, 0x10)  # 1000 decimal
    assert rig.pit.next_event_ns() == EDGE_1001_NS
    rig.at_edge(101)
    assert (rig.inb(0x40), rig.inb(0x40)) == (0x00, 0x09)  # 900, in BCD


def test_mode3_square_wave_on_port61_out2(rig):
    rig.out(0x61, 0x03)  # gate 2 and speaker enable
    rig.out(0x43, 0xB6)  # channel 2, lo/hi, mode 3
    rig.out(0x42, 10)
    rig.out(0x42, 0)
    # Loaded at edge 1; even N: high for N/2 = 5 CLKs, low for 5, repeating.
    expected = {1: 1, 5: 1, 6: 0, 10: 0, 11: 1, 15: 1, 16: 0, 21: 1}
    for edge, level in expected.items():
        rig.at_edge(edge)
        assert (rig.inb(0x61) >> 5) & 1 == level, edge
        assert rig.pit.speaker() == bool(level)
    rig.out(0x42, 5)  # odd N: high (N+1)/2 = 3 CLKs, low (N-1)/2 = 2; loaded on the next edge
    rig.out(0x42, 0)
    base = 21 + 1
    for offset, level in ((0, 1), (2, 1), (3, 0), (4, 0), (5, 1)):
        rig.at_edge(base + offset)
        assert (rig.inb(0x61) >> 5) & 1 == level, offset


def test_mode3_channel0_irq_edges_each_period(rig):
    rig.out(0x43, 0x36)  # channel 0, lo/hi, mode 3
    rig.out(0x40, 0xE8)
    rig.out(0x40, 0x03)
    assert rig.pit.next_event_ns() == -(-501 * 10**9 // 1_193_182)  # falls at edge 1 + 500
    rig.at_edge(501)
    rig.pit.poll()
    assert rig.irqs == [(0, True), (0, False)]
    assert rig.pit.next_event_ns() == EDGE_1001_NS
    rig.at(EDGE_1001_NS)
    rig.pit.poll()
    assert rig.irqs[-1] == (0, True)


def test_port61_gate_and_out2_mode0(rig):
    # Linux's PIT calibration: gate 2 high, speaker off, channel 2 mode 0, wait for OUT2.
    rig.out(0x61, (rig.inb(0x61) & ~0x02) | 0x01)
    assert rig.inb(0x61) & 0x03 == 0x01
    rig.out(0x43, 0xB0)
    rig.out(0x42, 0xE8)
    rig.out(0x42, 0x03)
    rig.at_edge(1000)
    assert not rig.inb(0x61) & 0x20
    rig.at_edge(1001)
    assert rig.inb(0x61) & 0x20
    assert not rig.pit.speaker()  # speaker data enable (bit 1) is off


def test_gate_low_suspends_mode0(rig):
    rig.out(0x61, 0x01)
    rig.out(0x43, 0xB0)
    rig.out(0x42, 0xE8)
    rig.out(0x42, 0x03)
    rig.at_edge(500)
    rig.out(0x61, 0x00)  # gate low: counting stops
    rig.at_edge(800)
    rig.out(0x61, 0x01)  # 300 CLKs of pause push terminal count from edge 1001 to about 1301
    rig.at_edge(1299)
    assert not rig.inb(0x61) & 0x20
    rig.at_edge(1302)
    assert rig.inb(0x61) & 0x20


def test_gate_low_forces_out_high_in_mode2_and_reloads(rig):
    rig.out(0x43, 0xB4)  # channel 2, lo/hi, mode 2; gate 2 is still low
    rig.out(0x42, 10)
    rig.out(0x42, 0)
    rig.at_edge(50)
    assert rig.inb(0x61) & 0x20 and (rig.inb(0x42), rig.inb(0x42)) == (10, 0)  # not counting
    rig.out(0x61, 0x01)  # rising gate: count reloaded on the next CLK (edge 51)
    rig.at_edge(60)
    assert not rig.inb(0x61) & 0x20  # the one-CLK low pulse: count reached 1 at edge 51 + 9
    rig.at_edge(61)
    assert rig.inb(0x61) & 0x20


def test_refresh_bit_toggles_with_virtual_time(rig):
    first = rig.inb(0x61) & 0x10
    rig.at(15_085)
    assert rig.inb(0x61) & 0x10 != first


@given(st.integers(min_value=2, max_value=0x10000), st.integers(min_value=0, max_value=5000))
def test_mode2_events_fall_every_n_clks(n, start_edge):
    rig = Rig()
    rig.at_edge(start_edge)
    rig.out(0x43, 0x34)
    rig.out(0x40, n & 0xFF)
    rig.out(0x40, (n >> 8) & 0xFF)  # 0x10000 is written as 0
    for k in range(1, 4):
        expected = -(-(start_edge + 1 + k * n) * 10**9 // 1_193_182)  # edge loaded + k*N
        assert rig.pit.next_event_ns() == expected
        rig.at(expected)
        rig.pit.poll()
        assert rig.irqs.count((0, True)) == 1 + k  # the control word's rise, then one per period
