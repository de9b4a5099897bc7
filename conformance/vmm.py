"""The VMM's engines as conformance engines: build a Machine from the image, run, report."""

from __future__ import annotations

from refvmm.cpu.state import Segment
from refvmm.engines.interp import EngineStop, Interpreter
from refvmm.machine import Machine

from .image import Image
from .ports import PortBus
from .state import FinalState, read_exception_log

_ENGINES = {"interp": Interpreter}


class VmmEngine:
    kind = "engine"

    def __init__(self, name: str, options: str = ""):
        if name not in _ENGINES:
            raise ValueError(f"unknown VMM engine {name!r}")
        if options:
            raise ValueError(f"{name} takes no options")
        self.name = name
        self._factory = _ENGINES[name]

    def unavailable(self) -> str | None:
        return None

    def run(self, image: Image) -> FinalState:
        bus = PortBus(image.port_in)
        machine = Machine(image.ram_size, bus)
        machine.load(image.chunks)
        cpu = machine.cpu
        cpu.seg = [Segment(0, 0, 0xFFFF, 0x93, False) for _ in range(6)]
        cpu.seg[1].access = 0x9B
        cpu.eip = image.entry
        cpu.eflags = 0x2
        message = ""
        try:
            reason = self._factory().run(machine, image.budget)
        except EngineStop as stop:
            reason, message = stop.reason, str(stop)
        if reason == "stopped":
            reason = bus.exit or "end"
        elif reason == "budget":
            message = f"no exit after {image.budget} instructions"
        return FinalState(
            engine=self.name,
            exit=reason,
            message=message,
            regs=cpu.snapshot(),
            memory={a: bytes(machine.ram[a : a + n]) for a, n in image.compare},
            ports=list(bus.writes),
            debug=bus.debug.decode("latin-1"),
            exceptions=read_exception_log(lambda a, n: bytes(machine.ram[a : a + n])),
            instructions=machine.retired,
        )
