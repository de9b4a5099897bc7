"""A fuzzing campaign: hypothesis draws programs around each target instruction in
turn, runs each on the engines and the oracles, and shrinks what it finds.

The work is cut into batches, one target each, of at most ``BATCH`` examples under a
seed derived from the campaign's seed, the target and the batch's number, so a run is
reproducible from its seed (and a time-bounded run repeats the batches it reached).
Batches run in worker processes. In a batch, a *finding* for the target is an example
where an engine differs from the oracles, no reviewed cause explains it, and a field
differs that does not in the same program without the target instruction: hypothesis
then shrinks it to a minimal program that still needs the target. A difference the
program shows without its target is recorded too, under "(context)", since it is a
finding all the same.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed

from . import judge
from .catalogue import TARGETS
from .contexts import MODES
from .program import Program, programs
from .random_bytes import NAME as RANDOM
from .random_bytes import random_programs

BATCH = 100
CONTEXT = "(context)"


class _TimeUp(BaseException):
    """Raised inside a batch when the campaign's time is up (hypothesis lets it through)."""


@dataclass
class Finding:
    target: str
    engine: str
    context: str  # the program's context, described
    signature: tuple[str, ...]  # the fields that differ
    text: str  # the minimal program
    detail: str  # the differences
    reference: str
    example: int  # the target's examples before it, counting from 1
    seconds: float  # since the campaign began

    @property
    def ident(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()[:10]


@dataclass
class BatchResult:
    target: str
    examples: int = 0  # examples generated (not counting shrinking)
    runs: int = 0  # programs run, shrinking included
    findings: list[Finding] = field(default_factory=list)
    causes: Counter = field(default_factory=Counter)  # explained examples by cause
    program_errors: list[str] = field(default_factory=list)
    started: float = 0.0
    seconds: float = 0.0


@dataclass(frozen=True)
class Job:
    target: str
    batch: int
    examples: int
    seed: int
    engines: tuple[str, ...]
    oracles: tuple[str, ...]
    deadline: float  # time.time() after which the batch stops; 0: none
    began: float  # the campaign's start, for the findings' times
    modes: tuple[str, ...] = MODES


def batch_seed(seed: int, target: str, batch: int) -> int:
    digest = hashlib.sha256(f"{seed}/{target}/{batch}".encode()).digest()
    return int.from_bytes(digest[:8], "little")


def run_batch(job: Job) -> BatchResult:
    result = BatchResult(job.target, started=time.time())
    strategy = (
        random_programs(job.modes) if job.target == RANDOM else programs(TARGETS[job.target], job.modes)
    )
    last: list[Finding] = []
    seen_contexts: set[tuple] = set()

    def judge_program(program: Program, generating: bool) -> None:
        if job.deadline and time.time() > job.deadline:
            raise _TimeUp
        result.runs += 1
        if generating:
            result.examples += 1
        try:
            verdicts = judge.run(
                program.text(), f"fuzz/{program.ident}.asm", list(job.engines), list(job.oracles)
            )
        except judge.ProgramError as exc:  # the fuzzer drew what does not assemble: its own bug
            result.program_errors.append(str(exc))
            return
        failing = [v for v in verdicts.values() if v.finding]
        for v in verdicts.values():
            if v.cause and generating:
                result.causes[v.cause] += 1
        if not failing:
            return
        if program.control() is None:  # random bytes: every difference is the program's
            last[:] = [_finding(job.target, failing[0], program, program.text(), result, job)]
            raise AssertionError(f"{failing[0].engine} differs")
        control = judge.run(
            program.control(), f"fuzz/{program.ident}-control.asm", list(job.engines), list(job.oracles)
        )
        # the target is needed where the program differs in a field the control does not:
        # a context that differs already (naive-de's POPF of IF) hides no target behind it
        needs_target = [v for v in failing if not set(v.unexplained) <= set(control[v.engine].unexplained)]
        if not needs_target:
            # the program differs without its target: a finding of its context
            for v in failing:
                c = control[v.engine]
                key = (v.engine, c.signature(), program.context.describe())
                if generating and c.finding and key not in seen_contexts:
                    seen_contexts.add(key)
                    result.findings.append(_finding(CONTEXT, c, program, program.control(), result, job))
            return
        v = needs_target[0]
        last[:] = [_finding(job.target, v, program, program.text(), result, job)]
        raise AssertionError(f"{v.engine} differs")

    @settings(
        max_examples=job.examples,
        database=None,
        deadline=None,
        phases=(Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        print_blob=False,
    )
    @hypothesis_seed(job.seed)
    @given(strategy)
    def batch(program: Program) -> None:
        judge_program(program, generating=not last)

    try:
        batch()
    except _TimeUp:
        pass
    except AssertionError:
        if last:  # the minimal example is the last one hypothesis ran
            result.findings.append(last[0])
    result.seconds = time.time() - result.started
    return result


def _finding(
    target: str, v: judge.Verdict, program: Program, text: str, result: BatchResult, job: Job
) -> Finding:
    return Finding(
        target=target,
        engine=v.engine,
        context=program.context.describe(),
        signature=v.signature(),
        text=text,
        detail=v.detail,
        reference=v.reference,
        example=result.examples,
        seconds=time.time() - job.began,
    )


def jobs(
    targets: list[str],
    examples: int | None,
    seed: int,
    engines: list[str],
    oracles: list[str],
    deadline: float,
    began: float,
    modes: tuple[str, ...] = MODES,
):
    """Batches round-robin over the targets until ``examples`` are given out (or, with
    none, for as long as the caller takes them)."""
    given_out, batch = 0, 0
    share = BATCH if examples is None else max(1, min(BATCH, -(-examples // len(targets))))
    while examples is None or given_out < examples:
        for target in targets:
            n = share if examples is None else min(share, examples - given_out)
            if n <= 0:
                return
            given_out += n
            yield Job(
                target,
                batch,
                n,
                batch_seed(seed, target, batch),
                tuple(engines),
                tuple(oracles),
                deadline,
                began,
                modes,
            )
        batch += 1


def run(
    targets: list[str],
    engines: list[str],
    oracles: list[str],
    examples: int | None,
    seconds: float | None,
    seed: int,
    workers: int,
    on_batch=None,
    modes: tuple[str, ...] = MODES,
) -> list[BatchResult]:
    began = time.time()
    deadline = began + seconds if seconds else 0.0
    work = jobs(targets, examples, seed, engines, oracles, deadline, began, modes)
    results: list[BatchResult] = []
    if workers <= 1:
        for job in work:
            if deadline and time.time() > deadline:
                break
            results.append(run_batch(job))
            if on_batch:
                on_batch(results[-1])
        return results
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending = set()
        for job in work:
            if deadline and time.time() > deadline:
                break
            pending.add(pool.submit(run_batch, job))
            if len(pending) >= 2 * workers:
                done = _collect(pending, results, on_batch)
                pending -= done
        _collect(pending, results, on_batch, wait_all=True)
    return results


def _collect(pending, results, on_batch, wait_all: bool = False):
    done, _ = wait(pending, return_when=ALL_COMPLETED if wait_all else FIRST_COMPLETED)
    for future in done:
        results.append(future.result())
        if on_batch:
            on_batch(results[-1])
    return done
