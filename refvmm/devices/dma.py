"""The PC/AT pair of Intel 8237A DMA controllers with their page registers.

DMA1 (channels 0-3, byte transfers) is at ports 0x00-0x0F. DMA2 (channels 4-7, word transfers) has
its address lines A0-A3 wired to the bus's A1-A4, so its register n is at 0xC0 + 2n (the even ports
0xC0-0xDE); DMA1 is cascaded into DMA2's channel 4. The page registers (a 74LS612 on the AT) at
0x81-0x8F give each channel its address bits above the 8237A's 16: bits 16-23 for a byte channel,
bits 17-23 for a word channel, which shifts its 16-bit address left by one (page bit 0 is unused).
The ports in 0x81-0x8F that are no channel's page register are plain read/write bytes; 0x80 is left
to the POST code port.

Modelled: the base and current address and word count registers, written (base and current at once)
and read (current) a byte at a time through the byte pointer flip-flop; the mode register (verify,
write, read; autoinitialize; address decrement; demand, single, block or cascade); the single-channel
and all-channel mask registers, clear mask and master clear; the request register; the status
register (terminal count bits 0-3, cleared by reading it; request bits 4-7); the command register,
stored, with its controller-disable bit honoured; the temporary register read. A device moves data
with ``write_to_memory`` (a write transfer, device to memory) and ``read_from_memory`` (a read
transfer, memory to device): each moves bytes (words on DMA2) until the data runs out or the count
reaches terminal count. At terminal count the channel's TC status bit is set and its request bit
cleared, and either the base registers are reloaded (autoinitialize) or the channel is masked.
A transfer happens only while the channel is unmasked and in single, demand or block mode, its
controller enabled, its transfer type verify or the device's direction, and, for DMA1, DMA2's
channel 4 unmasked and DMA2 enabled (DMA1 reaches the bus only through that cascade). Verify
transfers count without touching memory. Addresses wrap within their 64K (128K for words) page, as
the page registers do not count. Memory past the end of guest RAM ignores writes and reads as 0xFF.

Not modelled: timing and priority (a transfer completes within the call that asks for it), so the
request bits never show a device's DREQ, only software requests; software requests are recorded and
cleared by terminal count but start no transfer; memory-to-memory transfers (command bit 0), so the
temporary register stays 0; the other command bits (compressed timing, rotating priority, extended
write, DREQ/DACK polarity) have no effect. Reads of the write-only registers float (0xFF).
"""

from __future__ import annotations

from collections.abc import Callable

from .base import ByteDevice

# Register numbers within one 8237A (its A3-A0).
STATUS = 0x08  # read: status; write: command
REQUEST = 0x09
SINGLE_MASK = 0x0A
MODE = 0x0B
CLEAR_FLIP_FLOP = 0x0C
TEMPORARY = 0x0D  # read: temporary register; write: master clear
CLEAR_MASK = 0x0E
ALL_MASK = 0x0F

# Mode register bits (bits 1-0 select the channel).
TYPE = 0x0C
VERIFY, WRITE, READ, TYPE_ILLEGAL = 0x00, 0x04, 0x08, 0x0C  # WRITE: device to memory; READ: memory to device
AUTOINIT = 0x10
DECREMENT = 0x20
MODE_SELECT = 0xC0
CASCADE = 0xC0  # demand 0x00, single 0x40, block 0x80

# Command register bits.
MEM_TO_MEM = 0x01
DISABLE = 0x04

# Request and single mask register bit 2: set (1) or reset (0) the selected channel's bit.
SET_BIT = 0x04

# Page register port of each channel; the AT's other ports in 0x81-0x8F are spare latches.
PAGE_PORTS = {0x87: 0, 0x83: 1, 0x81: 2, 0x82: 3, 0x8F: 4, 0x8B: 5, 0x89: 6, 0x8A: 7}
SCRATCH_PORTS = tuple(port for port in range(0x81, 0x90) if port not in PAGE_PORTS)

DMA1_BASE = 0x00
DMA2_BASE = 0xC0
CASCADE_CHANNEL = 0  # DMA2's channel 0, channel 4 overall, takes DMA1's hold request


class _Channel:
    def __init__(self) -> None:
        self.base_address = 0
        self.base_count = 0
        self.current_address = 0
        self.current_count = 0
        self.mode = 0
        self.page = 0
        self.eop = False  # the last transfer ended at terminal count


class _Controller:
    """One 8237A: four channels and the registers they share."""

    def __init__(self) -> None:
        self.channels = [_Channel() for _ in range(4)]
        self.master_clear()

    def master_clear(self) -> None:
        """Master clear, like a hardware reset: command, status, request, temporary registers and the
        byte pointer flip-flop cleared, all four channels masked. Address, count and mode are kept."""
        self.command = 0
        self.status = 0  # bits 0-3: terminal count reached
        self.request = 0  # software request bits, one per channel
        self.temporary = 0
        self.mask = 0x0F
        self.high_byte = False  # the byte pointer flip-flop: the next address/count access is the high byte


class Dma(ByteDevice):
    """The two 8237As of a PC/AT over ``memory`` (guest physical RAM). Channels are numbered 0-7;
    devices call ``write_to_memory``, ``read_from_memory``, ``terminal_count`` and ``masked``."""

    ports = (*range(DMA1_BASE, DMA1_BASE + 0x10), *range(0x81, 0x90), *range(DMA2_BASE, 0xE0, 2))

    def __init__(self, memory: bytearray, on_store: Callable[[int, int], None] | None = None):
        self.memory = memory
        # told (address, length) before a transfer writes memory: the machine drops cached
        # translations of code there, as it does for CPU writes
        self._on_store = on_store
        self._controllers = (_Controller(), _Controller())
        self._scratch = dict.fromkeys(SCRATCH_PORTS, 0)

    def _channel(self, channel: int) -> tuple[_Controller, _Channel]:
        if not 0 <= channel < 8:
            raise ValueError(f"DMA channel {channel}: there are channels 0-7")
        controller = self._controllers[channel >> 2]
        return controller, controller.channels[channel & 3]

    @staticmethod
    def _register(port: int) -> tuple[int, int]:
        """(controller, register) for a controller port."""
        if port < DMA2_BASE:
            return 0, port - DMA1_BASE
        return 1, (port - DMA2_BASE) >> 1

    # -- port interface ---------------------------------------------------------------------------------
    def read_byte(self, port: int) -> int:
        if port in PAGE_PORTS:
            return self._channel(PAGE_PORTS[port])[1].page
        if port in self._scratch:
            return self._scratch[port]
        unit, reg = self._register(port)
        controller = self._controllers[unit]
        if reg < STATUS:
            channel = controller.channels[reg >> 1]
            return self._next_byte(controller, channel.current_count if reg & 1 else channel.current_address)
        if reg == STATUS:
            value = controller.request << 4 | controller.status
            controller.status = 0  # reading the status register clears the terminal count bits
            return value
        if reg == TEMPORARY:
            return controller.temporary
        return 0xFF  # write-only registers: the 8237A does not drive the bus

    def write_byte(self, port: int, value: int) -> None:
        if port in PAGE_PORTS:
            self._channel(PAGE_PORTS[port])[1].page = value
            return
        if port in self._scratch:
            self._scratch[port] = value
            return
        unit, reg = self._register(port)
        controller = self._controllers[unit]
        if reg < STATUS:
            self._write_base(controller, controller.channels[reg >> 1], reg & 1, value)
            return
        bit = 1 << (value & 3)
        if reg == STATUS:
            controller.command = value
        elif reg == REQUEST:
            controller.request = controller.request | bit if value & SET_BIT else controller.request & ~bit
        elif reg == SINGLE_MASK:
            controller.mask = controller.mask | bit if value & SET_BIT else controller.mask & ~bit
        elif reg == MODE:
            controller.channels[value & 3].mode = value & 0xFC
        elif reg == CLEAR_FLIP_FLOP:
            controller.high_byte = False
        elif reg == TEMPORARY:
            controller.master_clear()
        elif reg == CLEAR_MASK:
            controller.mask = 0
        elif reg == ALL_MASK:
            controller.mask = value & 0x0F

    @staticmethod
    def _next_byte(controller: _Controller, word: int) -> int:
        high = controller.high_byte
        controller.high_byte = not high
        return word >> 8 & 0xFF if high else word & 0xFF

    @staticmethod
    def _write_base(controller: _Controller, channel: _Channel, count: int, value: int) -> None:
        """A write goes to the base and the current register together, low byte then high byte."""
        high = controller.high_byte
        controller.high_byte = not high

        def merge(word: int) -> int:
            return (word & 0x00FF) | value << 8 if high else (word & 0xFF00) | value

        if count:
            channel.base_count = merge(channel.base_count)
            channel.current_count = merge(channel.current_count)
        else:
            channel.base_address = merge(channel.base_address)
            channel.current_address = merge(channel.current_address)

    # -- device side ------------------------------------------------------------------------------------
    def write_to_memory(self, channel: int, data: bytes) -> int:
        """A device on ``channel`` delivers ``data`` (a write transfer, device to memory). Returns how
        many bytes the controller took: all of them, fewer if the count reached terminal count (on a
        word channel, whole words only), or none if the channel is not being serviced."""
        return self._transfer(channel, WRITE, bytes(data), len(data))[0]

    def read_from_memory(self, channel: int, n: int) -> bytes:
        """A device on ``channel`` asks for up to ``n`` bytes (a read transfer, memory to device). Fewer
        come back if the count reaches terminal count, none if the channel is not being serviced; a
        verify transfer gives bytes of 0xFF, the undriven bus, one for each byte counted."""
        return self._transfer(channel, READ, b"", n)[1]

    def terminal_count(self, channel: int) -> bool:
        """Whether the channel's last transfer ended at terminal count (the 8237A's EOP to the device)."""
        return self._channel(channel)[1].eop

    def masked(self, channel: int) -> bool:
        controller, _ = self._channel(channel)
        return bool(controller.mask & 1 << (channel & 3))

    def _serviced(self, channel: int, direction: int) -> bool:
        controller, state = self._channel(channel)
        kind = state.mode & TYPE
        if controller.command & DISABLE or controller.mask & 1 << (channel & 3):
            return False
        if state.mode & MODE_SELECT == CASCADE or kind not in (VERIFY, direction):
            return False
        if channel < 4:  # DMA1 gets the bus only through DMA2's cascade channel
            master = self._controllers[1]
            return not (master.command & DISABLE or master.mask & 1 << CASCADE_CHANNEL)
        return True

    def _transfer(self, channel: int, direction: int, data: bytes, n: int) -> tuple[int, bytes]:
        controller, state = self._channel(channel)
        state.eop = False
        if not self._serviced(channel, direction):
            return 0, b""
        width = 1 if channel < 4 else 2
        units = min(n // width, state.current_count + 1)  # count N means N + 1 transfers
        step = -1 if state.mode & DECREMENT else 1
        kind = state.mode & TYPE
        out = bytearray()
        for i in range(units):
            address = self._physical(channel, state.page, (state.current_address + step * i) & 0xFFFF)
            if kind == WRITE:
                self._store(address, data[i * width : (i + 1) * width])
            elif kind == READ:
                out += self._load(address, width)
            elif direction == READ:
                out += b"\xff" * width  # verify: DACK without a memory cycle
        state.current_address = (state.current_address + step * units) & 0xFFFF
        at_tc = units == state.current_count + 1
        state.current_count = (state.current_count - units) & 0xFFFF
        if at_tc:
            self._terminal_count(controller, channel & 3, state)
        return units * width, bytes(out)

    @staticmethod
    def _physical(channel: int, page: int, address: int) -> int:
        """A byte channel's page gives A23-A16; a word channel's page bits 7-1 give A23-A17, and its
        16-bit address counts words (A16-A1)."""
        return page << 16 | address if channel < 4 else (page & 0xFE) << 16 | address << 1

    @staticmethod
    def _terminal_count(controller: _Controller, index: int, state: _Channel) -> None:
        """The count went from 0 to 0FFFFh: report TC, then reload (autoinitialize) or mask the channel."""
        controller.status |= 1 << index
        controller.request &= ~(1 << index)
        state.eop = True
        if state.mode & AUTOINIT:
            state.current_address, state.current_count = state.base_address, state.base_count
        else:
            controller.mask |= 1 << index

    def _store(self, address: int, data: bytes) -> None:
        end = min(address + len(data), len(self.memory))
        if address < end:
            if self._on_store:
                self._on_store(address, end - address)
            self.memory[address:end] = data[: end - address]

    def _load(self, address: int, size: int) -> bytes:
        return bytes(self.memory[address : address + size]).ljust(size, b"\xff")
