"""The VMM's engines as conformance engines: build a Machine from the image, run, report."""

from __future__ import annotations

import time

from refvmm.engines import make_engine
from refvmm.engines.interp import EngineStop
from refvmm.machine import Machine

from .image import Image
from .ports import PortBus
from .state import FinalState, read_exception_log

CHUNK = 200_000  # instructions between two checks of the time limit


class VmmEngine:
    kind = "engine"

    def __init__(self, name: str, options: str = ""):
        config = f"{name}:{options}" if options else name
        make_engine(config)  # a bad configuration is refused now, in one line
        self.name = config
        self._factory = lambda: make_engine(config)

    def unavailable(self) -> str | None:
        return None

    def run(self, image: Image) -> FinalState:
        bus = PortBus(image.port_in)
        machine = Machine(image.ram_size, bus)
        machine.load(image.chunks)
        cpu = machine.cpu
        cpu.reset(0, image.entry)
        message = ""
        engine = self._factory()
        started = time.monotonic()
        try:
            while True:  # the time limit is checked between chunks of the budget
                left = image.budget - machine.retired
                reason = engine.run(machine, min(left, CHUNK))
                if reason != "budget" or machine.retired >= image.budget:
                    break
                if time.monotonic() - started >= image.timeout:
                    reason, message = "timeout", f"no exit after {image.timeout:g} s"
                    break
        except EngineStop as stop:
            reason, message = stop.reason, str(stop)
        if reason == "stopped":
            reason = bus.exit or "end"
        elif reason == "budget" and not message:
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
