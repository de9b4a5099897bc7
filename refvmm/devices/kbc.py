"""The 8042 keyboard controller (ports 0x60/0x64) with a scripted PS/2 keyboard behind it.

Port 0x64 reads the status register and takes controller commands; port 0x60 reads the output
buffer and takes either a command's parameter byte or a byte for the keyboard. Commands finish at
once, so the input buffer is never seen full (IBF reads 0). The auxiliary (mouse) port, scan-code
translation and the controller's RAM beyond the command byte are not modelled.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from .base import ByteDevice, IrqLine

DATA = 0x60
STATUS = 0x64  # read: status register; write: controller command

# Status register bits
OBF = 0x01  # output buffer full: a byte waits at port 0x60
IBF = 0x02  # input buffer full: never set here, commands complete at once
SYS = 0x04  # system flag: set by a passed self-test (0xAA) or command byte bit 2
A2 = 0x08  # the last write was to 0x64 (command), not 0x60 (data)
UNLOCKED = 0x10  # keyboard inhibit switch: 1 = keyboard not inhibited

# Command byte bits
CMD_KBD_INT = 0x01  # raise IRQ 1 when the output buffer fills
CMD_SYS = 0x04
CMD_KBD_DISABLE = 0x10  # keyboard clock held low: keyboard bytes stay queued in the keyboard

# Output port bits
OUT_RESET = 0x01  # active low: 0 resets the processor
OUT_A20 = 0x02

KBD_ACK = 0xFA
KBD_RESEND = 0xFE
KBD_BAT_OK = 0xAA

# Controller commands that take a parameter byte at port 0x60.
_WRITE_COMMAND_BYTE = 0x60
_WRITE_OUTPUT_PORT = 0xD1
_WRITE_KBD_OUTPUT = 0xD2  # the byte is put in the output buffer as if the keyboard sent it


class Kbc(ByteDevice):
    """An i8042 with a keyboard. ``irq(1, level)`` follows OBF gated by command byte bit 0;
    ``a20(enabled)`` is called when output port bit 1 changes; ``reset()`` when the controller
    pulses the processor reset line (output port bit 0 written low, or command 0xFE)."""

    ports = (DATA, STATUS)

    def __init__(
        self,
        irq: IrqLine | None = None,
        a20: Callable[[bool], None] | None = None,
        reset: Callable[[], None] | None = None,
        a20_enabled: bool = False,
    ):
        self._irq = irq
        self._a20 = a20
        self._reset = reset
        self.command_byte = CMD_KBD_INT
        self.output_port = 0xCC | OUT_RESET | (OUT_A20 if a20_enabled else 0)  # bits 2,3,6,7 float high
        self._status = UNLOCKED
        self._obuf = 0
        self._obf = False
        self._controller: deque[int] = deque()  # controller replies, ahead of keyboard bytes
        self._keyboard: deque[int] = deque()  # bytes the keyboard has sent or will send
        self._pending: int | None = None  # controller command waiting for its parameter
        self._kbd_pending: int | None = None  # keyboard command waiting for its parameter
        self._irq_level = False
        # Keyboard state
        self.scanning = True
        self.leds = 0
        self.scancode_set = 2
        self.typematic = 0x2B

    # ---- state -------------------------------------------------------------------------------

    @property
    def a20_enabled(self) -> bool:
        return bool(self.output_port & OUT_A20)

    @property
    def irq_level(self) -> bool:
        return self._irq_level

    def press(self, scancodes: bytes) -> None:
        """The keyboard sends ``scancodes`` (make/break codes as the guest should see them).
        Dropped while the keyboard's scanning is disabled (0xF5), as a real keyboard would."""
        if self.scanning:
            self._keyboard.extend(scancodes)
            self._fill()

    def _fill(self) -> None:
        """Move the next byte into the empty output buffer: controller replies first, then keyboard
        bytes unless the keyboard interface is disabled."""
        if not self._obf:
            if self._controller:
                self._obuf = self._controller.popleft()
                self._obf = True
            elif self._keyboard and not self.command_byte & CMD_KBD_DISABLE:
                self._obuf = self._keyboard.popleft()
                self._obf = True
        self._update_irq()

    def _update_irq(self) -> None:
        level = self._obf and bool(self.command_byte & CMD_KBD_INT)
        if level != self._irq_level:
            self._irq_level = level
            if self._irq:
                self._irq(1, level)

    def _reply(self, *data: int) -> None:
        self._controller.extend(data)
        self._fill()

    def _kbd_reply(self, *data: int) -> None:
        self._keyboard.extend(data)
        self._fill()

    # ---- ports -------------------------------------------------------------------------------

    def read_byte(self, port: int) -> int:
        if port == STATUS:
            return self._status | (OBF if self._obf else 0)
        value = self._obuf  # an empty buffer reads the last byte again
        self._obf = False
        self._update_irq()  # the line drops, and rises again if another byte is waiting
        self._fill()
        return value

    def write_byte(self, port: int, value: int) -> None:
        if port == STATUS:
            self._status |= A2
            self._pending = None
            self._command(value)
            return
        self._status &= ~A2
        pending, self._pending = self._pending, None
        if pending == _WRITE_COMMAND_BYTE:
            self.command_byte = value
            self._status = (self._status & ~SYS) | (SYS if value & CMD_SYS else 0)
            self._fill()
        elif pending == _WRITE_OUTPUT_PORT:
            self._write_output_port(value)
        elif pending == _WRITE_KBD_OUTPUT:
            self._reply(value)
        else:
            self._keyboard_write(value)

    # ---- controller --------------------------------------------------------------------------

    def _command(self, cmd: int) -> None:
        if cmd == 0x20:  # read command byte
            self._reply(self.command_byte)
        elif cmd in (_WRITE_COMMAND_BYTE, _WRITE_OUTPUT_PORT, _WRITE_KBD_OUTPUT):
            self._pending = cmd
        elif cmd == 0xAA:  # controller self-test
            self._status |= SYS
            self._reply(0x55)
        elif cmd == 0xAB:  # keyboard interface test: 0x00 = no error
            self._reply(0x00)
        elif cmd == 0xAD:  # disable keyboard interface
            self.command_byte |= CMD_KBD_DISABLE
        elif cmd == 0xAE:  # enable keyboard interface
            self.command_byte &= ~CMD_KBD_DISABLE
            self._fill()
        elif cmd == 0xD0:  # read output port
            self._reply(self.output_port)
        elif cmd == 0xDD:  # HP/Phoenix extension: A20 off
            self._write_output_port(self.output_port & ~OUT_A20)
        elif cmd == 0xDF:  # A20 on
            self._write_output_port(self.output_port | OUT_A20)
        elif cmd >= 0xF0 and not cmd & OUT_RESET and self._reset:
            # 0xF0-0xFF pulse output port bits 0-3 low where the command's bit is 0; only the
            # reset line (bit 0) is wired to anything.
            self._reset()
        # Other commands (aux port, input port, test inputs, controller RAM) are ignored.

    def _write_output_port(self, value: int) -> None:
        old_a20 = self.a20_enabled
        # The reset line is a pulse: the processor reset it starts does not latch it low.
        self.output_port = value | OUT_RESET
        if self.a20_enabled != old_a20 and self._a20:
            self._a20(self.a20_enabled)
        if not value & OUT_RESET and self._reset:
            self._reset()

    # ---- keyboard ----------------------------------------------------------------------------

    def _keyboard_write(self, value: int) -> None:
        pending, self._kbd_pending = self._kbd_pending, None
        if pending == 0xED:  # LED state
            self.leds = value & 0x07
            self._kbd_reply(KBD_ACK)
        elif pending == 0xF0:  # scan code set: 0 asks for the current set
            if value == 0:
                self._kbd_reply(KBD_ACK, self.scancode_set)
            elif value in (1, 2, 3):
                self.scancode_set = value
                self._kbd_reply(KBD_ACK)
            else:
                self._kbd_reply(KBD_RESEND)
        elif pending == 0xF3:  # typematic rate/delay
            self.typematic = value & 0x7F
            self._kbd_reply(KBD_ACK)
        elif value in (0xED, 0xF0, 0xF3):
            self._kbd_pending = value
            self._kbd_reply(KBD_ACK)
        elif value == 0xEE:  # echo
            self._kbd_reply(0xEE)
        elif value == 0xF2:  # identify: an MF2 keyboard
            self._kbd_reply(KBD_ACK, 0xAB, 0x83)
        elif value == 0xF4:  # enable scanning
            self.scanning = True
            self._kbd_reply(KBD_ACK)
        elif value in (0xF5, 0xF6):  # disable scanning / set defaults; both restore defaults
            self._keyboard.clear()
            self.scanning = value == 0xF6
            self._defaults()
            self._kbd_reply(KBD_ACK)
        elif value == 0xFF:  # reset and basic assurance test
            self._keyboard.clear()
            self.scanning = True
            self._defaults()
            self.leds = 0
            self._kbd_reply(KBD_ACK, KBD_BAT_OK)
        else:
            self._kbd_reply(KBD_RESEND)

    def _defaults(self) -> None:
        self.scancode_set = 2
        self.typematic = 0x2B
