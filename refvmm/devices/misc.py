"""Small port devices: the debug console ports, the POST code port, System Control Port A
and the x87 error latch at port 0xF0."""

from __future__ import annotations

from collections.abc import Callable

from .base import ByteDevice


class DebugPorts(ByteDevice):
    """Bochs port 0xE9 and QEMU's isa-debugcon at 0x402: each byte written goes to ``output``.
    Reading returns 0xE9, which is how guests detect that the port is there."""

    ports = (0xE9, 0x402)

    def __init__(self, output: Callable[[bytes], None]):
        self._output = output

    def read_byte(self, port: int) -> int:
        return 0xE9

    def write_byte(self, port: int, value: int) -> None:
        self._output(bytes([value]))


class PostPort(ByteDevice):
    """Port 0x80: BIOSes write progress (POST) codes here; a POST card latches and shows the last."""

    ports = (0x80,)

    def __init__(self) -> None:
        self.last: int | None = None  # None until the first code is written

    def read_byte(self, port: int) -> int:
        return 0xFF if self.last is None else self.last

    def write_byte(self, port: int, value: int) -> None:
        self.last = value


class SystemControlA(ByteDevice):
    """Port 0x92 (PS/2 System Control Port A): bit 1 gates A20 without the keyboard controller,
    bit 0 resets the processor. Other bits (security lock, disk activity lights) are only latched."""

    ports = (0x92,)
    A20 = 0x02
    RESET = 0x01

    def __init__(
        self,
        reset: Callable[[], None],
        on_change: Callable[[bool], None] | None = None,
        a20: bool = False,
    ):
        self._reset = reset
        self._on_change = on_change
        self._value = self.A20 if a20 else 0

    @property
    def a20(self) -> bool:
        return bool(self._value & self.A20)

    def read_byte(self, port: int) -> int:
        return self._value

    def write_byte(self, port: int, value: int) -> None:
        old_a20 = self.a20
        # Bit 0 is a pulse: the reset it starts also clears it, so it is not latched and reads 0.
        self._value = value & ~self.RESET
        if self.a20 != old_a20 and self._on_change:
            self._on_change(self.a20)
        if value & self.RESET:
            self._reset()


class CoprocessorError(ByteDevice):
    """The PC's wiring of the x87's FERR# (the AT's IRQ 13 and port 0xF0, as the PIIX
    keeps them). With CR0.NE clear, a waiting x87 instruction that finds an unmasked
    exception pending asserts FERR# and waits for an interrupt before it; the latch raises
    IRQ 13. The handler's write to port 0xF0 clears the latch and, while FERR# is still
    asserted, asserts IGNNE#, with which waiting instructions go on despite the pending
    exception; IGNNE# drops with FERR#, when the handler clears the exception (FNCLEX,
    FNINIT ...)."""

    ports = (0xF0,)
    IRQ = 13

    def __init__(self, irq: Callable[[int, bool], None]):
        self._irq = irq
        self.ferr = False  # FERR#, as last driven by the CPU
        self.ignne = False

    def wait(self) -> None:
        """A waiting instruction asserts FERR# and waits (IGNNE# being clear)."""
        self.ferr = True
        self._irq(self.IRQ, True)

    def drop(self) -> None:
        """FERR# not asserted (no exception pending): IGNNE# follows it down."""
        self.ferr = self.ignne = False

    # FERR# and IGNNE# change within x87 instructions: the machine's checkpoint keeps them
    # with the CPU state, so an instruction rolled back and run again finds them as it did
    def save(self) -> tuple[bool, bool]:
        return self.ferr, self.ignne

    def restore(self, saved: tuple[bool, bool]) -> None:
        self.ferr, self.ignne = saved

    def read_byte(self, port: int) -> int:
        return 0xFF  # write-only

    def write_byte(self, port: int, value: int) -> None:
        self._irq(self.IRQ, False)
        self.ignne = self.ferr
