"""A 16550A UART (PC16550D datasheet): registers, 16-byte FIFOs, loopback, interrupts.

Transmission takes no virtual time: a byte written to THR goes straight to ``output`` (or, in
loopback, to the receiver), so THRE and TEMT always read 1. Received bytes come from ``feed()``;
they wait in a host-side backlog and enter the receiver only as it has room, so scripted input is
never lost to an overrun.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from .base import ByteDevice, IrqLine, VirtualClock

# Register offsets from the base port.
RBR_THR_DLL, IER_DLM, IIR_FCR, LCR, MCR, LSR, MSR, SCR = range(8)

IER_ERBFI, IER_ETBEI, IER_ELSI, IER_EDSSI = 0x01, 0x02, 0x04, 0x08
LCR_DLAB = 0x80
MCR_DTR, MCR_RTS, MCR_OUT1, MCR_OUT2, MCR_LOOP = 0x01, 0x02, 0x04, 0x08, 0x10
LSR_DR, LSR_OE, LSR_THRE, LSR_TEMT = 0x01, 0x02, 0x20, 0x40
MSR_DCTS, MSR_DDSR, MSR_TERI, MSR_DDCD = 0x01, 0x02, 0x04, 0x08
FCR_ENABLE, FCR_RX_RESET, FCR_TX_RESET = 0x01, 0x02, 0x04

IIR_NONE, IIR_MODEM, IIR_THRE, IIR_RX_DATA, IIR_RX_LINE, IIR_RX_TIMEOUT = 0x01, 0x00, 0x02, 0x04, 0x06, 0x0C
IIR_FIFOS_ON = 0xC0

FIFO_SIZE = 16
RX_TRIGGER = (1, 4, 8, 14)  # by FCR bits 7:6

# With no loopback the modem inputs are a terminal that is always ready: CTS, DSR and DCD high.
MSR_EXTERNAL = 0xB0


class Uart(ByteDevice):
    def __init__(
        self,
        base: int = 0x3F8,
        irq_line: int = 4,
        irq: IrqLine | None = None,
        output: Callable[[bytes], None] | None = None,
        clock: VirtualClock | None = None,
    ):
        self.base = base
        self.ports = tuple(range(base, base + 8))
        self._irq_line = irq_line
        self._irq = irq
        self._output = output
        self._clock = clock  # unused: with instant transmission nothing here depends on time
        self._pending: deque[int] = deque()  # fed input not yet in the receiver
        self._rx: deque[int] = deque()
        self._irq_level = False
        self.ier = self.lcr = self.mcr = self.scr = 0
        self.dll, self.dlm = 0x0C, 0x00  # 9600 baud; the reset value is undefined
        self._fcr = 0
        self._lsr_errors = 0  # OE, cleared by reading LSR
        self._rbr = 0  # last byte read: an empty receiver reads it again
        self._thre_pending = True
        self._msr_delta = 0
        self._msr_lines = MSR_EXTERNAL

    # --- input from the host

    def feed(self, data: bytes) -> None:
        """Queue bytes as if they arrived on the serial line."""
        self._pending.extend(data)
        self._fill_rx()
        self._update_irq()

    # --- state helpers

    @property
    def fifo_enabled(self) -> bool:
        return bool(self._fcr & FCR_ENABLE)

    def _rx_capacity(self) -> int:
        return FIFO_SIZE if self.fifo_enabled else 1  # without FIFOs only the RBR holds a byte

    def _fill_rx(self) -> None:
        if self.mcr & MCR_LOOP:
            return  # in loopback the serial input is disconnected from the receiver
        while self._pending and len(self._rx) < self._rx_capacity():
            self._rx.append(self._pending.popleft())

    def _receive(self, byte: int) -> None:
        """A byte arriving at the receiver (loopback only): a full receiver overruns."""
        if len(self._rx) < self._rx_capacity():
            self._rx.append(byte)
        elif self.fifo_enabled:
            self._lsr_errors |= LSR_OE  # FIFO full: the shift register's byte is lost
        else:
            self._rx[-1] = byte  # 16450 mode: the new byte overwrites RBR
            self._lsr_errors |= LSR_OE

    def _modem_lines(self) -> int:
        if self.mcr & MCR_LOOP:
            # Loopback wires DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD.
            m = self.mcr
            return (
                (0x10 if m & MCR_RTS else 0)
                | (0x20 if m & MCR_DTR else 0)
                | (0x40 if m & MCR_OUT1 else 0)
                | (0x80 if m & MCR_OUT2 else 0)
            )
        return MSR_EXTERNAL

    def _update_msr(self) -> None:
        new = self._modem_lines()
        changed = new ^ self._msr_lines
        delta = 0
        if changed & 0x10:
            delta |= MSR_DCTS
        if changed & 0x20:
            delta |= MSR_DDSR
        if changed & 0x40 and not new & 0x40:
            delta |= MSR_TERI  # trailing edge of RI only
        if changed & 0x80:
            delta |= MSR_DDCD
        self._msr_delta |= delta
        self._msr_lines = new

    def _interrupt_id(self) -> int:
        """The highest-priority pending, enabled interrupt, as IIR bits 3:0."""
        if self.ier & IER_ELSI and self._lsr_errors:
            return IIR_RX_LINE
        if self.ier & IER_ERBFI and self._rx:
            if not self.fifo_enabled or len(self._rx) >= RX_TRIGGER[self._fcr >> 6]:
                return IIR_RX_DATA
            # Below the trigger level the 16550 raises a timeout after four idle character times;
            # with no character timing modelled that time has always passed.
            return IIR_RX_TIMEOUT
        if self.ier & IER_ETBEI and self._thre_pending:
            return IIR_THRE
        if self.ier & IER_EDSSI and self._msr_delta:
            return IIR_MODEM
        return IIR_NONE

    def _update_irq(self) -> None:
        # On the PC, OUT2 enables the UART's interrupt driver onto the ISA IRQ line; in loopback
        # the OUT pins are forced inactive, so the line is gated off there too.
        level = self._interrupt_id() != IIR_NONE and bool(self.mcr & MCR_OUT2) and not self.mcr & MCR_LOOP
        if level != self._irq_level:
            self._irq_level = level
            if self._irq:
                self._irq(self._irq_line, level)

    @property
    def irq_level(self) -> bool:
        return self._irq_level

    # --- port interface

    def read_byte(self, port: int) -> int:
        reg = port - self.base
        dlab = self.lcr & LCR_DLAB
        if reg == RBR_THR_DLL:
            if dlab:
                return self.dll
            if self._rx:
                self._rbr = self._rx.popleft()
                self._fill_rx()
                self._update_irq()
            return self._rbr
        if reg == IER_DLM:
            return self.dlm if dlab else self.ier
        if reg == IIR_FCR:
            iid = self._interrupt_id()
            if iid == IIR_THRE:
                self._thre_pending = False  # reading IIR with THRE as the source clears it
                self._update_irq()
            return iid | (IIR_FIFOS_ON if self.fifo_enabled else 0)
        if reg == LCR:
            return self.lcr
        if reg == MCR:
            return self.mcr
        if reg == LSR:
            value = LSR_THRE | LSR_TEMT | self._lsr_errors | (LSR_DR if self._rx else 0)
            self._lsr_errors = 0
            self._update_irq()
            return value
        if reg == MSR:
            value = self._msr_lines | self._msr_delta
            self._msr_delta = 0
            self._update_irq()
            return value
        return self.scr

    def write_byte(self, port: int, value: int) -> None:
        reg = port - self.base
        dlab = self.lcr & LCR_DLAB
        if reg == RBR_THR_DLL:
            if dlab:
                self.dll = value
            elif self.mcr & MCR_LOOP:
                self._receive(value)
            elif self._output:
                self._output(bytes([value]))
            # The byte leaves at once, so the holding register is empty again right away.
            self._thre_pending = True
        elif reg == IER_DLM:
            if dlab:
                self.dlm = value
            else:
                # Enabling ETBEI while THR is empty (always, here) raises a THRE interrupt.
                if value & IER_ETBEI and not self.ier & IER_ETBEI:
                    self._thre_pending = True
                self.ier = value & 0x0F
        elif reg == IIR_FCR:
            if (value ^ self._fcr) & FCR_ENABLE:
                self._rx.clear()  # changing the FIFO mode clears both FIFOs
            if value & FCR_ENABLE:
                if value & FCR_RX_RESET:
                    self._rx.clear()
                self._fcr = value & 0xC9  # reset bits self-clear; the rest need FCR0 set to take
            else:
                self._fcr = 0
            self._fill_rx()
        elif reg == LCR:
            self.lcr = value
        elif reg == MCR:
            self.mcr = value & 0x1F
            self._update_msr()
            self._fill_rx()
        elif reg == LSR:
            pass  # factory test only
        elif reg == MSR:
            pass  # read only
        else:
            self.scr = value
        self._update_irq()
