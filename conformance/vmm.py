"""The VMM's engines as conformance engines: build a Machine from the image, run, report.

The run is bounded by the image's time limit as well as its budget: a watcher thread
asks the machine to stop (the engines look at ``stop_requested`` before every
instruction or block), and a run stopped that way is a ``timeout``.
"""

from __future__ import annotations

from refvmm.engines import make_engine
from refvmm.engines.core import EngineStop
from refvmm.engines.interp import Interpreter
from refvmm.machine import Machine

from .deadline import Deadline
from .image import Image
from .ports import PortBus
from .state import FinalState, fpu_state, read_exception_log, rewritten

# FinalState.extra: the virtualization holes an unsound engine ran directly in the test's
# body and in the runtime around it, as "name@virtual-CPL" separated by ", "
# (refvmm.cpu.properties.HOLES names them)
HOLES_RUN = "holes run directly"
HOLES_RUN_BY_RUNTIME = "holes run directly by the runtime"
CODE_WRITES = "writes to code"  # stores that reached bytes the engine had run as code


def _machine(image: Image) -> tuple[Machine, PortBus]:
    bus = PortBus(image.port_in)
    machine = Machine(image.ram_size, bus)
    machine.load(image.chunks)
    machine.cpu.reset(0, image.entry)
    machine.cpu.fpu.init()  # the x87 as FNINIT leaves it: how a Linux process and Unicorn start
    return machine, bus


def executed(image: Image) -> list[tuple]:
    """The instructions the interpreter runs on ``image`` within its budget and time limit,
    in order, each as (CS, EIP, code size, instruction bytes, registers before); an
    instruction that faulted is there once."""
    machine, _bus = _machine(image)
    engine = Interpreter(trace=image.budget)
    deadline = Deadline(image.timeout, machine.request_stop)
    try:
        engine.run(machine, image.budget)
    except EngineStop:
        pass
    finally:
        deadline.close()
    return list(engine.trace)


class VmmEngine:
    kind = "engine"

    def __init__(self, name: str, options: str = ""):
        config = f"{name}:{options}" if options else name
        engine = make_engine(config)  # a bad configuration is refused now, in one line
        self.name = config
        # what the engine promises, so the harness compares it (refvmm.engines)
        self.exact_counts = engine.exact_counts
        self.exact_timing = engine.exact_timing
        self._factory = lambda: make_engine(config)
        self._unavailable = getattr(engine, "unavailable", lambda: None)

    def unavailable(self) -> str | None:
        return self._unavailable()

    def run(self, image: Image) -> FinalState:
        machine, bus = _machine(image)
        cpu = machine.cpu
        message = ""
        engine = self._factory()

        deadline = Deadline(image.timeout, machine.request_stop)
        try:
            reason = engine.run(machine, image.budget)
        except EngineStop as exc:
            reason, message = exc.reason, str(exc)
        finally:
            deadline.close()
        if reason == "stopped":
            if bus.exit:
                reason = bus.exit
            elif deadline.expired:
                reason, message = "timeout", f"no exit after {image.timeout:g} s (wall-clock limit)"
            else:
                reason = "end"
        elif reason == "budget":
            message = f"no exit after {image.budget} instructions"
        extra = {}
        if machine.code_writes:
            extra[CODE_WRITES] = machine.code_writes
        if getattr(engine, "unsound", False):  # naive-de: which holes it ran, for the report
            body = range(image.body_base, image.body_base + len(image.body))
            for key, inside in ((HOLES_RUN, True), (HOLES_RUN_BY_RUNTIME, False)):
                holes = {(name, cpl) for at, name, cpl in engine.ran_directly if (at in body) == inside}
                extra[key] = ", ".join(f"{name}@{cpl}" for name, cpl in sorted(holes))
        return FinalState(
            engine=self.name,
            exit=reason,
            message=message,
            regs=cpu.snapshot(),
            memory={a: bytes(machine.ram[a : a + n]) for a, n in image.compare},
            code=rewritten(
                image.body, bytes(machine.ram[image.body_base : image.body_base + len(image.body)])
            ),
            ports=list(bus.writes),
            debug=bus.debug.decode("latin-1"),
            exceptions=read_exception_log(lambda a, n: bytes(machine.ram[a : a + n])),
            instructions=machine.retired,
            fpu=fpu_state(cpu.fpu.cw, cpu.fpu.status_word(), cpu.fpu.valid, cpu.fpu.regs),
            extra=extra,
        )
