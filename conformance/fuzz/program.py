"""A fuzzed program: a context, the target instruction's lines, and the statements
drawn around it; rendered as an ordinary guest test."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from hypothesis import strategies as st

from .catalogue import TARGETS, Target
from .contexts import MODES, Context, contexts

GDT_COMPARED = "; compare: 0x650 0x20"  # the drawn slots' descriptors


@dataclass(frozen=True)
class Program:
    target: str
    context: Context
    before: tuple[tuple[str, ...], ...]
    focal: tuple[str, ...]
    after: tuple[tuple[str, ...], ...]

    def text(self, with_focal: bool = True) -> str:
        statements = [*self.before, *([self.focal] if with_focal else []), *self.after]
        lines = [line for s in statements for line in s]
        body = "".join(f"    {line}\n" for line in lines) or "    nop\n"
        # the drawn descriptors are all accessed already: only LTR (the busy bit) writes them
        compared = [GDT_COMPARED] if any(line.startswith("ltr") for line in lines) else []
        return "\n".join([*self.context.header(), *compared]) + "\n" + body

    def control(self) -> str:
        """The program without its target: what a divergence must not need to be the target's."""
        return self.text(with_focal=False)

    @property
    def ident(self) -> str:
        """A stable id: the hash of the program's text."""
        return hashlib.sha256(self.text().encode()).hexdigest()[:10]


def _lines(target: Target, ctx: Context) -> st.SearchStrategy[tuple[str, ...]]:
    return target.lines(ctx).map(tuple)


@st.composite
def programs(draw, target: Target, modes: tuple[str, ...] = MODES) -> Program:
    ctx = draw(contexts(modes))
    others = st.sampled_from(tuple(TARGETS.values())).flatmap(lambda t: _lines(t, ctx))
    before = draw(st.lists(others, max_size=2))
    focal = draw(_lines(target, ctx))
    after = draw(st.lists(others, max_size=1))
    return Program(target.name, ctx, tuple(before), focal, tuple(after))
