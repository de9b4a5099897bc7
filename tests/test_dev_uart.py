"""The 16550A UART driven as a BIOS or an OS driver drives it; expected values from the PC16550D
datasheet."""

import pytest

from refvmm.devices.base import PortBus
from refvmm.devices.uart import Uart

BASE = 0x3F8
RBR = THR = DLL = BASE
IER = DLM = BASE + 1
IIR = FCR = BASE + 2
LCR, MCR, LSR, MSR, SCR = BASE + 3, BASE + 4, BASE + 5, BASE + 6, BASE + 7


class Rig:
    def __init__(self):
        self.out = []
        self.irqs = []
        self.uart = Uart(
            base=BASE,
            irq_line=4,
            irq=lambda line, level: self.irqs.append((line, level)),
            output=self.out.append,
        )
        self.bus = PortBus()
        self.bus.attach(self.uart)

    def inb(self, port):
        return self.bus.read(port, 1)

    def outb(self, port, value):
        self.bus.write(port, 1, value)

    @property
    def line(self):
        return self.uart.irq_level


@pytest.fixture
def rig():
    return Rig()


def test_reset_state(rig):
    assert rig.inb(IER) == 0
    assert rig.inb(IIR) == 0x01  # no interrupt pending, FIFOs off
    assert rig.inb(LCR) == 0
    assert rig.inb(MCR) == 0
    assert rig.inb(LSR) == 0x60  # THRE and TEMT


def test_scratch_register_detection(rig):
    for value in (0x55, 0xAA):
        rig.outb(SCR, value)
        assert rig.inb(SCR) == value


def test_loopback_detection_as_linux_does(rig):
    # Linux autoconfig: MCR = LOOP | OUT2 | RTS, expect MSR high nibble = DCD | CTS.
    rig.outb(MCR, 0x10 | 0x0A)
    assert rig.inb(MSR) & 0xF0 == 0x90
    rig.outb(MCR, 0x10 | 0x05)  # DTR and OUT1 loop to DSR and RI
    assert rig.inb(MSR) & 0xF0 == 0x60


def test_loopback_data_returns_and_is_not_output(rig):
    rig.outb(MCR, 0x10)
    rig.outb(THR, 0x5A)
    assert rig.inb(LSR) == 0x61  # DR, THRE, TEMT
    assert rig.inb(RBR) == 0x5A
    assert rig.inb(LSR) == 0x60
    assert rig.out == []


def test_loopback_overrun_without_fifo(rig):
    rig.outb(MCR, 0x10)
    rig.outb(THR, 0x01)
    rig.outb(THR, 0x02)
    assert rig.inb(LSR) == 0x63  # DR, OE, THRE, TEMT
    assert rig.inb(LSR) == 0x61  # OE clears on reading LSR
    assert rig.inb(RBR) == 0x02


def test_msr_deltas_in_loopback(rig):
    rig.outb(MCR, 0x10)
    rig.inb(MSR)
    rig.outb(MCR, 0x11)  # DTR -> DSR rises
    assert rig.inb(MSR) == 0x22  # DSR | DDSR
    assert rig.inb(MSR) == 0x20  # deltas clear on read
    rig.outb(MCR, 0x14)  # OUT1 -> RI rises, DTR drops
    assert rig.inb(MSR) == 0x42  # RI, DDSR; TERI only on RI's trailing edge
    rig.outb(MCR, 0x10)
    assert rig.inb(MSR) == 0x04


def test_msr_outside_loopback_is_a_ready_terminal(rig):
    assert rig.inb(MSR) == 0xB0  # DCD, DSR, CTS


def test_fifo_enable_and_iir_top_bits(rig):
    rig.outb(FCR, 0x07)  # enable, reset both FIFOs
    assert rig.inb(IIR) == 0xC1
    rig.outb(FCR, 0x00)
    assert rig.inb(IIR) == 0x01


def test_divisor_latch(rig):
    rig.outb(LCR, 0x80)
    rig.outb(DLL, 0x01)  # 115200 baud
    rig.outb(DLM, 0x00)
    rig.outb(LCR, 0x03)  # 8N1, DLAB off
    assert rig.inb(LCR) == 0x03
    assert rig.inb(IER) == 0x00  # offset 1 is IER again, untouched
    rig.outb(THR, ord("x"))
    assert rig.out == [b"x"]  # offset 0 is THR again
    rig.outb(LCR, 0x83)
    assert (rig.inb(DLL), rig.inb(DLM)) == (0x01, 0x00)
    rig.outb(DLL, 0x0C)
    rig.outb(DLM, 0x01)
    assert (rig.inb(DLL), rig.inb(DLM)) == (0x0C, 0x01)
    assert rig.out == [b"x"]


def test_transmit_goes_to_output_at_once(rig):
    for ch in b"ok\n":
        assert rig.inb(LSR) & 0x20
        rig.outb(THR, ch)
    assert b"".join(rig.out) == b"ok\n"
    assert rig.inb(LSR) & 0x60 == 0x60


def test_thre_interrupt_on_enabling_etbei(rig):
    rig.outb(MCR, 0x08)  # OUT2 connects the interrupt to the ISA line
    rig.outb(IER, 0x02)
    assert rig.irqs == [(4, True)]
    assert rig.inb(IIR) == 0x02
    assert rig.inb(IIR) == 0x01  # reading IIR with THRE as the source cleared it
    assert rig.irqs == [(4, True), (4, False)]
    rig.outb(THR, 0x41)  # THR empties again at once: THRE interrupt again
    assert rig.line and rig.inb(IIR) == 0x02
    rig.outb(IER, 0x00)
    assert not rig.line


def test_out2_gates_the_irq_line(rig):
    rig.outb(IER, 0x02)
    assert rig.inb(IIR) == 0x02  # pending inside the UART ...
    assert rig.irqs == []  # ... but OUT2 is low, so the PC sees nothing
    rig.outb(IER, 0x00)
    rig.outb(MCR, 0x08)
    rig.outb(IER, 0x02)
    assert rig.line


def test_receive_interrupt_and_dr(rig):
    rig.outb(MCR, 0x0B)  # DTR, RTS, OUT2
    rig.outb(IER, 0x01)
    assert not rig.line
    rig.uart.feed(b"A")
    assert rig.line
    assert rig.inb(LSR) & 0x01
    assert rig.inb(IIR) == 0x04
    assert rig.inb(RBR) == 0x41
    assert rig.inb(LSR) & 0x01 == 0
    assert rig.inb(IIR) == 0x01
    assert not rig.line


def test_interrupt_priority(rig):
    rig.outb(MCR, 0x08)
    rig.outb(IER, 0x0F)
    rig.uart.feed(b"z")
    assert rig.inb(IIR) == 0x04  # received data outranks THRE
    rig.inb(RBR)
    assert rig.inb(IIR) == 0x02
    assert rig.inb(IIR) == 0x01


def test_line_status_interrupt_outranks_data(rig):
    rig.outb(MCR, 0x18)  # loopback: the UART interrupts, the ISA line stays low
    rig.outb(IER, 0x05)
    rig.outb(THR, 1)
    rig.outb(THR, 2)  # overrun
    assert rig.inb(IIR) == 0x06
    assert rig.inb(LSR) & 0x02
    assert rig.inb(IIR) == 0x04
    assert not rig.line


def test_fifo_receive_trigger_and_timeout(rig):
    rig.outb(MCR, 0x08)
    rig.outb(FCR, 0xC7)  # FIFOs on, trigger level 14
    rig.outb(IER, 0x01)
    rig.uart.feed(b"abc")
    assert rig.inb(IIR) == 0xCC  # below trigger: character timeout
    rig.uart.feed(bytes(range(11)))
    assert rig.inb(IIR) == 0xC4  # 14 bytes: trigger level reached
    data = bytearray()
    while rig.inb(LSR) & 0x01:
        data.append(rig.inb(RBR))
    assert bytes(data) == b"abc" + bytes(range(11))
    assert rig.inb(IIR) == 0xC1 and not rig.line


def test_fed_input_beyond_the_fifo_is_not_lost(rig):
    data = bytes(range(40))
    rig.outb(FCR, 0x01)
    rig.uart.feed(data)
    got = bytearray()
    while rig.inb(LSR) & 0x01:
        got.append(rig.inb(RBR))
    assert bytes(got) == data
    rig.outb(FCR, 0x00)  # without FIFOs only RBR holds a byte, but nothing is lost either
    rig.uart.feed(b"xyz")
    got.clear()
    while rig.inb(LSR) & 0x01:
        got.append(rig.inb(RBR))
    assert bytes(got) == b"xyz"


def test_fifo_reset_clears_receiver(rig):
    rig.outb(FCR, 0x01)
    rig.outb(MCR, 0x10)
    for b in b"junk":
        rig.outb(THR, b)
    assert rig.inb(LSR) & 0x01
    rig.outb(FCR, 0x03)  # enable + receiver FIFO reset
    assert rig.inb(LSR) & 0x01 == 0
    assert rig.inb(IIR) == 0xC1


def test_other_base_and_irq():
    irqs = []
    uart = Uart(base=0x2F8, irq_line=3, irq=lambda line, level: irqs.append((line, level)))
    assert uart.ports == tuple(range(0x2F8, 0x300))
    uart.write(0x2FC, 1, 0x08)
    uart.write(0x2F9, 1, 0x02)
    assert irqs == [(3, True)]
