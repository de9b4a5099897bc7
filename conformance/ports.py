"""The deterministic port bus every engine routes IN/OUT through."""

from __future__ import annotations

from collections import deque

from . import layout as L


class PortBus:
    """Scripted reads, recorded writes, a debug console and the two exit ports.

    Reads return the next scripted value for the port (header ``port-in``), 0xE9
    for the debug port (the Bochs/QEMU convention), and all ones otherwise, as an
    unclaimed ISA port reads. Writes are recorded in order, except the harness's
    own exit-port writes, which end the run.
    """

    def __init__(self, port_in: dict[int, list[int]] | None = None):
        self._inputs = {p: deque(v) for p, v in (port_in or {}).items()}
        self.writes: list[tuple[int, int, int]] = []
        self.debug = bytearray()
        self.exit: str | None = None

    def read(self, port: int, size: int) -> int:
        queue = self._inputs.get(port)
        if queue:
            return queue.popleft() & ((1 << (8 * size)) - 1)
        if port == L.PORT_DEBUG:
            return L.PORT_DEBUG
        return (1 << (8 * size)) - 1

    def write(self, port: int, size: int, value: int) -> bool:
        """Record a write; return True when it ends the run."""
        if port == L.PORT_EXIT:
            self.exit = "end"
            return True
        if port == L.PORT_EXIT_EXCEPTION:
            self.exit = "exception"
            return True
        value &= (1 << (8 * size)) - 1
        self.writes.append((port, size, value))
        if port == L.PORT_DEBUG:
            self.debug.append(value & 0xFF)
        return False
