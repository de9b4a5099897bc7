"""A built test image: what every engine is given to run."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import layout as L


@dataclass
class Image:
    """Physical memory contents plus what the harness needs to read the result.

    Every engine starts the image in real mode with all registers zero, EFLAGS =
    0x2 and CS:IP = 0000:``entry``; the runtime takes it from there.
    """

    test_id: str
    mode: str
    chunks: list[tuple[int, bytes]]
    ram_size: int = L.RAM_SIZE
    entry: int = L.RUNTIME
    compare: list[tuple[int, int]] = field(default_factory=list)
    port_in: dict[int, list[int]] = field(default_factory=dict)
    budget: int = 1_000_000
    timeout: float = 10.0  # seconds of host time before a run is stopped
    body_origin: int = 0  # address the body was assembled at (EIP space)
    body_base: int = L.TEST_BASE  # physical address of the body's first byte
    body: bytes = b""
    bits: int = 32
    labels: dict[str, int] = field(default_factory=dict)

    def memory(self) -> bytearray:
        """The image as a flat bytearray of ``ram_size`` bytes."""
        ram = bytearray(self.ram_size)
        for addr, blob in self.chunks:
            ram[addr : addr + len(blob)] = blob
        return ram
