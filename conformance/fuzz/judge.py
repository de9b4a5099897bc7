"""Run one program on the engines and the oracles and say where each engine differs.

A program is judged as the corpus is (``runner.run_spec``: the same reference order,
masks and adjudication), with no per-test divergence list; instead a difference is
*explained* when a reviewed cause (``causes``) accounts for it. What is left is a
finding: an unexplained difference, an engine crash, or a run past its time limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import layout as L
from .. import vmm
from ..format import TestFormatError, parse_text
from ..runner import Outcome, run_spec
from ..runtime import build_image
from ..undefined import along
from . import causes, divergence

NOT_IMPLEMENTED = "not implemented"  # how the VMM names what it lacks yet


class ProgramError(Exception):
    """A program the fuzzer drew that does not assemble: the fuzzer's bug, not a finding."""


@dataclass
class Verdict:
    engine: str
    status: str  # the runner's status
    unexplained: list[str] = field(default_factory=list)  # fields, or "crash" / "hang"
    cause: str = ""  # the reviewed cause that explains the differences
    detail: str = ""  # the differences, one per line
    reference: str = ""

    @property
    def finding(self) -> bool:
        return bool(self.unexplained)

    def signature(self) -> tuple[str, ...]:
        """What distinguishes this finding from another of the same target."""
        return tuple(sorted({f.split("[")[0].split(".")[0] for f in self.unexplained}))


def run(text: str, test_id: str, engines: list[str], oracles: list[str]) -> dict[str, Verdict]:
    try:
        spec = parse_text(text, test_id, test_id)
        image = build_image(spec)
    except TestFormatError as exc:
        raise ProgramError(str(exc)) from None
    outcomes = run_spec(spec, image, [*oracles, *engines], {})
    by_name = {o.engine: o for o in outcomes}
    return {name: _verdict(by_name[name], by_name, image) for name in engines}


def _at_first_divergence(v: Verdict, outcome: Outcome, image) -> None:
    """An unexplained difference: find where the runs part and judge the causes there.
    Against a reference that cannot be cut at a count (the host CPU), the path the run
    took is looked at whole: a read of a flag it left undefined makes what follows
    undefined."""
    d = divergence.first(image, outcome.engine, outcome.reference)
    if d is divergence.COUNTED_TWICE:
        v.cause = causes.COUNTED_TWICE
        v.detail += "\nthe runs agree once the instructions the reference counted twice are followed"
        return
    if d is divergence.AGREEMENT:
        v.cause = causes.UNDEFINED_ON_PATH
        v.detail += "\nthe runs agree once the flags the path they ran leaves undefined are masked"
        return
    if d is None:
        faulted = frozenset(e.eip for e in outcome.state.exceptions if e.vector in L.FAULT_VECTORS)
        if along(vmm.executed(image), faulted, frozenset(divergence.stubs(image)))[1] is not None:
            v.cause = causes.UNDEFINED_ON_PATH
        return
    v.detail += "\n" + divergence.describe(d)
    v.cause = causes.explain_divergence(d, outcome, image) or ""


def _verdict(outcome: Outcome, outcomes: dict[str, Outcome], image) -> Verdict:
    v = Verdict(outcome.engine, outcome.status, reference=outcome.reference)
    if outcome.status == "error" and outcome.message.startswith(NOT_IMPLEMENTED):
        # a documented gap of the VMM (its open issues), reported under its name
        v.cause, v.detail = f"refvmm: {outcome.message.partition(' at ')[0]}", outcome.message
    elif outcome.status == "error":
        v.unexplained, v.detail = ["crash"], outcome.message
    elif outcome.status == "unjudged":  # the oracles gave nothing to compare: say why, by kind
        reference = next(
            (o for o in outcomes.values() if o.engine != outcome.engine and o.status == "error"), None
        )
        v.cause = f"unjudged: {reference.engine} {_kind(reference.message)}" if reference else "unjudged"
        v.detail = outcome.message
    elif outcome.status == "timeout":
        v.detail = outcome.message
        if causes.rep_outlasts_the_budget(outcome, outcomes.get("unicorn"), image):
            v.cause = causes.REP_COUNTED
        else:
            v.unexplained = ["hang"]
    elif outcome.status == "fail":
        v.detail = "\n".join(f"{d.field}: expected {d.expected}, got {d.actual}" for d in outcome.differences)
        v.cause = causes.explain(outcome, outcomes.get(outcome.reference), image) or ""
        if not v.cause:
            _at_first_divergence(v, outcome, image)
        if not v.cause:
            v.unexplained = [d.field for d in outcome.differences]
    return v


def _kind(message: str) -> str:
    """An oracle's error, without the addresses that make each one different."""
    return re.sub(r"0x[0-9a-f]+|\b\d+\b", "N", message)[:80]
