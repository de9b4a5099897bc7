"""The interpreter: one instruction at a time, each compiled from its template.

The execution core (``core``) does everything between instructions; the interpreter
runs straight-line code: fetched and compiled instructions (``core.Fetcher``) one
after another, until one whose properties end a block or the room the core gave.
"""

from __future__ import annotations

from collections import deque

from ..cpu.state import CR0_PG, CS
from ..machine import Machine
from . import core
from .core import Stop


class Interpreter:
    name = "interp"
    exact_counts = True  # retires exactly the instructions the architecture does
    exact_timing = True  # device events at the same instruction counts on every run

    def __init__(self, trace: int = 0, record: set | None = None) -> None:
        # the last ``trace`` instructions: (CS, EIP, code size, instruction bytes, registers before)
        self.trace: deque | None = deque(maxlen=trace) if trace else None
        self.fetcher = core.Fetcher(record, self.trace)

    @classmethod
    def configured(cls, options: str) -> Interpreter:
        if options:
            raise ValueError(f"{cls.name} takes no options, not {options!r}")
        return cls()

    def run(self, m: Machine, budget: int) -> Stop:
        """Execute up to ``budget`` instructions; return why the run stopped (EngineStop for a
        triple fault and for what the model does not cover)."""
        return core.run(self, m, budget)

    def execute(self, m: Machine, cpl: int, bits: int, room: int, blocks: bool = False) -> int:
        """Run up to ``room`` instructions from EIP, to the first that ends a run (with
        ``blocks``, a block: the translator sees every block start); return how many ran
        (0: the first reads time or devices, which the core runs itself). What an
        instruction raises carries ``completed``, the count before it."""
        cpu = m.cpu
        g = cpu.gpr
        cs = cpu.seg[CS]
        user = cpl == 3
        cache = self.fetcher.cache
        flat = not cpu.cr[0] & CR0_PG  # CS, CPL and paging hold until a block-ending instruction
        done = 0
        try:
            while True:
                here = cpu.eip
                entry = None
                if flat and here <= cs.limit:
                    entry = cache.get(((cs.base + here) & 0xFFFFFFFF, bits, cpl, here))
                if entry is None:
                    entry = self.fetcher.fetch(m, here, cpl, bits)
                if entry.timed:
                    return done
                if self.trace is not None:
                    core.trace_entry(self.trace, m, entry.ins, bits)
                entry.handler(cpu, m, g, user)
                done += 1
                if entry.ends or done == room or blocks and entry.ends_block:
                    return done
        except Exception as exc:
            exc.completed = done
            raise
