"""``--random-bytes``: random instruction bytes in every start mode, in the manner of
sandsifter. Hypothesis draws the bytes (so a finding shrinks to the fewest); each
exception is logged and the program resumes at the next instruction, so one program
runs several. There is no target to attribute a difference to: a difference is
explained by a reviewed cause or it is a finding."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from hypothesis import strategies as st

from .contexts import DATA, DATA16, DATA_SIZE, MODES, STACK_COMPARED

NAME = "random bytes"
MAX_BYTES = 16
PAD = 15  # NOPs after the bytes: what an instruction takes as operands, the exit is not


@dataclass(frozen=True)
class Context:
    mode: str

    def describe(self) -> str:
        return self.mode


@dataclass(frozen=True)
class RandomProgram:
    mode: str
    code: bytes
    target: str = NAME

    @property
    def context(self) -> Context:
        return Context(self.mode)

    def text(self) -> str:
        data = DATA16 if self.mode in ("pm16", "real16") else DATA
        regs = " ".join(f"{r}={data:#x}" for r in ("ebx", "esi", "edi", "ebp"))
        return (
            f"; mode: {self.mode}\n; on-exception: resume\n; budget: 2000\n; regs: {regs} ecx=3\n"
            f"; compare: {DATA:#x} {DATA_SIZE:#x}\n; compare: {STACK_COMPARED[0]:#x} {STACK_COMPARED[1]:#x}\n"
            f"    .byte {', '.join(f'{b:#04x}' for b in self.code)}\n" + "    nop\n" * PAD
        )

    def control(self) -> None:
        return None  # nothing to take away: every byte is the target

    @property
    def ident(self) -> str:
        return hashlib.sha256(self.text().encode()).hexdigest()[:10]


def random_programs(modes: tuple[str, ...] = MODES) -> st.SearchStrategy[RandomProgram]:
    return st.builds(RandomProgram, st.sampled_from(modes), st.binary(min_size=1, max_size=MAX_BYTES))
