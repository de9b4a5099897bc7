"""The fuzzer's report: a table per target, the causes that explained examples, the
findings saved as corpus tests with a replay command each, and the same as JSON."""

from __future__ import annotations

import json
import re
import shlex
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .campaign import CONTEXT, BatchResult, Finding


@dataclass
class Summary:
    seed: int
    engines: list[str]
    oracles: list[str]
    seconds: float
    targets: list[str]
    results: list[BatchResult]
    groups: dict[str, str]  # target -> group
    saved: dict[str, str] = field(default_factory=dict)  # finding ident -> file

    @property
    def examples(self) -> int:
        return sum(r.examples for r in self.results)

    @property
    def runs(self) -> int:
        return sum(r.runs for r in self.results)

    def findings(self) -> list[Finding]:
        """One finding per (target, engine, fields, context), the first in time."""
        seen: dict[tuple, Finding] = {}
        for f in sorted((f for r in self.results for f in r.findings), key=lambda f: f.seconds):
            seen.setdefault((f.target, f.engine, f.signature, f.context), f)
        return list(seen.values())

    def causes(self) -> Counter:
        total: Counter = Counter()
        for r in self.results:
            total.update(r.causes)
        return total

    def program_errors(self) -> list[str]:
        return [e for r in self.results for e in r.program_errors]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "context"


def save(summary: Summary, folder: Path) -> None:
    """Each finding as a corpus test, ``folder/TARGET/ID.asm``, named in ``summary.saved``."""
    for f in summary.findings():
        path = folder / _slug(f.target) / f"{f.ident}.asm"
        path.parent.mkdir(parents=True, exist_ok=True)
        engines = " ".join(f"-e {shlex.quote(e)}" for e in [*summary.oracles, f.engine])
        head = [
            f"; Found by conformance fuzz: {f.engine} differs from {f.reference or 'the oracles'} "
            f"in {', '.join(f.signature)} ({f.target}, {f.context})",
            f"; Seed {summary.seed}, example {f.example} of its target, {f.seconds:.1f} s into the run.",
            f"; Replay: conformance run {shlex.quote(str(path))} {engines}",
        ]
        path.write_text("\n".join(head) + "\n" + f.text)
        summary.saved[f.ident] = str(path)


def print_report(console: Console, summary: Summary) -> None:
    findings = summary.findings()
    by_target: dict[str, list[Finding]] = {}
    for f in findings:
        by_target.setdefault(f.target, []).append(f)
    examples = Counter()
    for r in summary.results:
        examples[r.target] += r.examples
    table = Table(
        title=f"conformance fuzz: {', '.join(summary.engines)} against {', '.join(summary.oracles)}"
    )
    for column in ("instruction", "group", "examples", "findings", "first found", "reproducer"):
        table.add_column(column, justify="right" if column in ("examples", "findings") else "left")
    for target in [*summary.targets, CONTEXT]:
        found = by_target.get(target, [])
        if target == CONTEXT and not found:
            continue
        first = min(found, key=lambda f: f.seconds) if found else None
        when = f"example {first.example}, {first.seconds:.1f} s" if first else "-"
        table.add_row(
            target,
            summary.groups.get(target, ""),
            str(examples[target]) if target != CONTEXT else "",
            str(len(found)),
            when,
            first.ident if first else "",
        )
    console.print(table)
    causes = summary.causes()
    if causes:
        explained = Table(title="examples explained by a reviewed cause (not findings)")
        explained.add_column("cause")
        explained.add_column("examples", justify="right")
        for cause, n in causes.most_common():
            explained.add_row(cause, str(n))
        console.print(explained)
    for f in findings[:20]:
        console.print(f"FINDING {f.target} [{f.engine}] {f.context}: {', '.join(f.signature)}", markup=False)
        for line in f.detail.splitlines()[:8]:
            console.print(f"    {line}", markup=False)
        path = summary.saved.get(f.ident)
        if path:
            engines = " ".join(f"-e {shlex.quote(e)}" for e in [*summary.oracles, f.engine])
            console.print(f"    replay: conformance run {shlex.quote(path)} {engines}", markup=False)
    for error in summary.program_errors()[:5]:
        console.print(f"fuzzer error (a drawn program did not assemble): {error}", markup=False)
    rate = summary.runs / summary.seconds if summary.seconds else 0.0
    console.print(
        f"{summary.examples:,} examples ({summary.runs:,} programs run with shrinking) in "
        f"{summary.seconds:.0f} s: {rate:.1f} programs/s; seed {summary.seed}; "
        f"{len(findings)} findings",
        markup=False,
    )


def write_json(path: Path, summary: Summary) -> None:
    data = {
        "seed": summary.seed,
        "engines": summary.engines,
        "oracles": summary.oracles,
        "seconds": summary.seconds,
        "examples": summary.examples,
        "programs_run": summary.runs,
        "programs_per_second": summary.runs / summary.seconds if summary.seconds else 0.0,
        "targets": {
            t: {
                "group": summary.groups.get(t, ""),
                "examples": sum(r.examples for r in summary.results if r.target == t),
                "findings": sum(1 for f in summary.findings() if f.target == t),
            }
            for t in summary.targets
        },
        "causes": dict(summary.causes()),
        "findings": [
            {**asdict(f), "id": f.ident, "file": summary.saved.get(f.ident)} for f in summary.findings()
        ],
        "program_errors": summary.program_errors(),
    }
    path.write_text(json.dumps(data, indent=1) + "\n")
