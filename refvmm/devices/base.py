"""What every device model shares: the port interface, interrupt lines, virtual time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

# The rate virtual time runs at: one retired instruction is this many nanoseconds.
NS_PER_INSTRUCTION = 10


class VirtualClock:
    """Nanoseconds of guest time, derived from a retired-instruction counter."""

    def __init__(self, instructions: Callable[[], int]):
        self._instructions = instructions

    def now(self) -> int:
        return self._instructions() * NS_PER_INSTRUCTION


IrqLine = Callable[[int, bool], None]  # (line, level): raise (True) or lower (False) an IRQ


class Device(Protocol):
    """A device claims ports; reads return ``size`` bytes, writes take them."""

    ports: tuple[int, ...]

    def read(self, port: int, size: int) -> int: ...
    def write(self, port: int, size: int, value: int) -> None: ...


class PortBus:
    """Routes port I/O to devices; unclaimed ports read all ones and ignore writes."""

    def __init__(self) -> None:
        self._devices: dict[int, Device] = {}

    def attach(self, device: Device) -> None:
        for port in device.ports:
            if port in self._devices:
                raise ValueError(f"port {port:#x} is already claimed by {type(self._devices[port]).__name__}")
            self._devices[port] = device

    def read(self, port: int, size: int) -> int:
        device = self._devices.get(port)
        return device.read(port, size) if device else (1 << (8 * size)) - 1

    def write(self, port: int, size: int, value: int) -> bool:
        device = self._devices.get(port)
        if device:
            device.write(port, size, value)
        return False


class ByteDevice:
    """A device with 8-bit registers. A wider access is split into byte cycles on consecutive ports,
    as the ISA bus does; bytes from ports the device does not claim float high."""

    ports: tuple[int, ...] = ()

    def read_byte(self, port: int) -> int:
        raise NotImplementedError

    def write_byte(self, port: int, value: int) -> None:
        raise NotImplementedError

    def read(self, port: int, size: int) -> int:
        value = 0
        for i in range(size):
            byte = self.read_byte(port + i) if port + i in self.ports else 0xFF
            value |= (byte & 0xFF) << (8 * i)
        return value

    def write(self, port: int, size: int, value: int) -> None:
        for i in range(size):
            if port + i in self.ports:
                self.write_byte(port + i, (value >> (8 * i)) & 0xFF)
