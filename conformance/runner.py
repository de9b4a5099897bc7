"""Run guest tests on engine configurations and judge the results.

Every engine's final state is checked against the test's hand-worked expectations;
an engine under test is also diffed against the reference oracle: the real CPU
(``kvm`` when it ran, else ``native`` where the test is eligible for it), else
``unicorn``; Unicorn is itself diffed against the real CPU where that ran. The
known-divergence list then decides what is expected.

An engine that cannot run a particular test says so (a ``not-applicable`` exit with
the reason, as the native oracle does for privileged code): that is ``n/a``, neither a
result nor a failure, and such a state is nobody's reference.

A run that produced no result is that engine's outcome, never anyone else's: an
engine that crashed or stopped with an error is ``error``, one stopped by its
wall-clock limit ``timeout`` (where it stopped depends on the host, so its state is
not compared). An engine whose reference produced no result is not diffed against
it; with no hand-worked expectations either, nothing judged it and it is
``unjudged``. None of these is a success.
"""

from __future__ import annotations

import functools
import shlex
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from . import divergences as D
from . import layout as L
from .compare import Difference, check_expectations, diff_states
from .engines import Engine, EngineError, resolve
from .format import TestFormatError, TestSpec, parse_file
from .image import Image
from .runtime import build_image
from .state import FinalState
from .undefined import final_mask, final_register_masks, mask_at

REFERENCE_ORDER = ("kvm", "native", "unicorn")
REAL_CPU = ("kvm", "native")  # oracles that are the hardware: they judge Unicorn too
STATUSES = ("pass", "fail", "known", "stale", "error", "timeout", "unjudged", "n/a", "skip")
OK_STATUSES = ("pass", "known", "n/a", "skip")
JUDGED_STATUSES = ("pass", "fail", "known", "stale")  # something was compared
NO_RESULT = ("error", "timeout")  # exits that are not a result of the guest
NOT_APPLICABLE = "not-applicable"  # the exit of an engine that cannot run this test


@dataclass
class Outcome:
    test_id: str
    path: str
    engine: str
    # pass, fail, known (listed divergence), stale (listed, no longer diverges), error,
    # timeout, unjudged (nothing to compare it with), n/a (this engine cannot run this
    # test), skip (this engine cannot run here)
    status: str
    differences: list[Difference] = field(default_factory=list)
    message: str = ""
    state: FinalState | None = None
    reference: str = ""  # the oracle an engine under test was diffed against
    seconds: float = 0.0

    @property
    def category(self) -> str:
        return self.test_id.split("/", 1)[0] if "/" in self.test_id else "(top)"

    @property
    def ok(self) -> bool:
        return self.status in OK_STATUSES

    @property
    def reproduce(self) -> str:
        target = f"--id {self.test_id}" if self.test_id.startswith("gen/") else shlex.quote(self.path)
        return f"conformance run {target} --engine {shlex.quote(self.engine)}"


def test_root(path: Path) -> Path | None:
    """The ``guest_tests`` folder a test lives in, which its id is relative to."""
    for parent in path.resolve().parents:
        if parent.name == "guest_tests":
            return parent
    return None


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Every ``.asm`` file named or below a named folder, sorted, without duplicates."""
    found: dict[Path, None] = {}
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*.asm")):
                found.setdefault(f, None)
        else:
            found.setdefault(p, None)
    return list(found)


_ENGINES: dict[str, Engine] = {}


def engine_for(name: str) -> Engine:
    if name not in _ENGINES:
        _ENGINES[name] = resolve(name)
    return _ENGINES[name]


def run_image(engine: Engine, image: Image) -> FinalState:
    """Run, turning an engine crash into an ``error`` state rather than a traceback."""
    if not isinstance(image.budget, int) or image.budget < 1:
        return FinalState(engine=engine.name, exit="error", message=f"budget {image.budget!r}: not positive")
    if not image.timeout > 0:
        return FinalState(
            engine=engine.name, exit="error", message=f"time limit {image.timeout!r}: not positive"
        )
    try:
        state = engine.run(image)
    except Exception as exc:  # an engine bug must not take other tests down
        return FinalState(
            engine=engine.name, exit="error", message=f"engine crashed: {type(exc).__name__}: {exc}"
        )
    if not isinstance(state, FinalState):
        return FinalState(
            engine=engine.name,
            exit="error",
            message=f"engine returned {type(state).__name__}, not a FinalState",
        )
    return state


def run_test(path: str | Path, engines: list[str], divergence_list: dict | None = None) -> list[Outcome]:
    path = Path(path)
    known = D.load() if divergence_list is None else divergence_list
    try:
        spec = parse_file(path, test_root(path))
        image = build_image(spec)
    except TestFormatError as exc:
        return [Outcome(_test_id(path), str(path), e, "error", message=str(exc)) for e in engines]
    return run_spec(spec, image, engines, known)


def run_spec(spec: TestSpec, image: Image, engines: list[str], known: dict) -> list[Outcome]:
    """Run a parsed test on ``engines`` and judge each, ``known`` being the divergence list."""
    path = spec.path
    states: dict[str, FinalState] = {}
    outcomes: dict[str, Outcome] = {}
    seconds: dict[str, float] = {}
    for name in engines:
        try:
            engine = engine_for(name)
        except EngineError as exc:
            outcomes[name] = Outcome(spec.test_id, str(path), name, "error", message=str(exc))
            continue
        reason = engine.unavailable()
        if reason:
            outcomes[name] = Outcome(spec.test_id, str(path), name, "skip", message=reason)
            continue
        started = time.perf_counter()
        states[name] = run_image(engine, image)
        seconds[name] = time.perf_counter() - started

    # an instruction that faulted on any run wrote no flags there
    faulted = frozenset(
        e.eip for state in states.values() for e in state.exceptions if e.vector in L.FAULT_VECTORS
    )
    masks = undefined_masks(image, states, faulted)
    for name in [n for n, state in states.items() if state.exit == NOT_APPLICABLE]:
        state = states.pop(name)
        outcomes[name] = Outcome(
            spec.test_id, str(path), name, "n/a", [], state.message, state, "", seconds[name]
        )
    compared = {
        name: _against_reference(name, states, spec.test_id, masks, known)
        for name, state in states.items()
        if state.exit not in NO_RESULT
    }
    references = {ref for _diffs, _notes, ref in compared.values() if ref}
    expectations = _has_expectations(spec)
    for name, state in states.items():
        entry = known.get((name, spec.test_id))
        if state.exit in NO_RESULT:
            status, message = state.exit, state.message
            if state.exit == "timeout":
                message += ": not compared (where a run stops on the clock is not deterministic)"
            elif entry is not None and entry.covers("exit"):
                status, message = "known", f"{entry.reason} ({state.message})"
            outcomes[name] = Outcome(
                spec.test_id, str(path), name, status, [], message, state, "", seconds[name]
            )
            continue
        ref_diffs, notes, ref_name = compared[name]
        diffs = check_expectations(spec, image, state, masks[0]) + ref_diffs + _count_diffs(name, states)
        # checked: by hand-worked values or a reference of its own; an oracle that is only
        # the reference of others is used, not checked, and its listed divergences stand
        checked = expectations or bool(ref_name)
        judged = checked or name in references
        status = _verdict(entry, diffs, judged=checked)
        message = "; ".join(notes)
        if status == "stale":
            message = f"listed as a known divergence ({entry.reason}) but no longer diverges"
        elif status == "known":
            message = entry.reason
        elif status == "pass" and not judged:
            status = "unjudged"
            why = "no hand-worked expectations" + ("" if notes else " and no reference oracle ran")
            message = "; ".join([*notes, f"nothing judged it: {why}"])
        outcomes[name] = Outcome(
            spec.test_id, str(path), name, status, diffs, message, state, ref_name, seconds[name]
        )
    return [outcomes[e] for e in engines]


def _test_id(path: Path) -> str:
    root = test_root(path)
    return path.resolve().relative_to(root).as_posix() if root else path.name


def _against_reference(
    name: str, states: dict[str, FinalState], test: str, masks: tuple, known: dict
) -> tuple[list[Difference], list[str], str]:
    """Differences from the reference oracle (none for an oracle, unless the real CPU
    judges it), leaving out fields where that oracle is a listed divergence."""
    # a run stopped by its budget is compared only with references that count to it
    stopped = states[name].exit == "budget"
    ref_name = next(
        (
            n
            for r in REFERENCE_ORDER
            for n in states
            if _base(n) == r and n != name and not (stopped and not _honours_budget(n))
        ),
        "",
    )
    if not ref_name or (engine_for(name).kind == "oracle" and not _judges_oracles(name, ref_name)):
        return [], [], ""
    reference = states[ref_name]
    if reference.exit in NO_RESULT:  # the oracle's failure, not this engine's
        what = "timed out" if reference.exit == "timeout" else "stopped with an error"
        return [], [f"not compared with {ref_name}: it {what} ({reference.message})"], ""
    diffs, notes = adjudicate(name, states, ref_name, *masks)
    oracle_known = known.get((ref_name, test))
    if oracle_known:  # the oracle is known wrong there: do not hold it against the engine
        ignored = [d.field for d in diffs if oracle_known.covers(d.field)]
        diffs = [d for d in diffs if not oracle_known.covers(d.field)]
        if ignored:
            notes.append(f"not compared with {ref_name} (known divergence): " + ", ".join(ignored))
    return diffs, notes, ref_name


def undefined_masks(image: Image, states: dict[str, FinalState], faulted: frozenset[int]) -> tuple:
    """(EFLAGS mask, register masks, the EFLAGS mask at an EIP) of what the SDM leaves
    undefined, over the body as assembled and as each run that rewrote it left it (code
    the run made may have run)."""
    bodies = dict.fromkeys([image.body, *(s.code for s in states.values() if s.code)])
    origin, bits = image.body_origin, image.bits
    flags, registers = 0, {}
    for body in bodies:
        flags |= final_mask(body, origin, bits, faulted)
        for reg, bits_ in final_register_masks(body, origin, bits).items():
            registers[reg] = registers.get(reg, 0) | bits_

    @functools.cache
    def at(eip: int) -> int:
        mask = 0
        for body in bodies:
            mask |= mask_at(body, origin, bits, eip, faulted)
        return mask

    return flags, registers, at


def _honours_budget(name: str) -> bool:
    """Whether an engine stops at the image's instruction budget (the host CPU and KVM
    stop on time alone: where another engine ran out of budget they run on)."""
    return getattr(engine_for(name), "honours_budget", True)


def _count_diffs(name: str, states: dict[str, FinalState]) -> list[Difference]:
    """Engines that promise exact instruction counts (``exact_counts``) must retire the same
    number of instructions: where they do not, each of them gets the difference, since the
    counts alone do not say which is right."""
    if not getattr(engine_for(name), "exact_counts", False):
        return []
    counts = {
        other: state.instructions
        for other, state in states.items()
        if state.exit not in NO_RESULT and getattr(engine_for(other), "exact_counts", False)
    }
    if len(set(counts.values())) <= 1:
        return []
    others = ", ".join(f"{other} {count:,}" for other, count in counts.items() if other != name)
    return [Difference("instructions", f"the count of {others}", f"{counts[name]:,}")]


def _verdict(entry: D.Divergence | None, diffs: list[Difference], judged: bool) -> str:
    if entry is None:
        return "fail" if diffs else "pass"
    if not diffs:
        # an oracle's listed divergence with nothing here to check it against stays known
        return "stale" if judged else "known"
    return "known" if all(entry.covers(d.field) for d in diffs) else "fail"


def _has_expectations(spec) -> bool:
    return bool(spec.expect) or any(
        x is not None for x in (spec.expect_exceptions, spec.expect_ports, spec.expect_debug)
    )


def _base(config: str) -> str:
    return config.partition(":")[0]


def _judges_oracles(name: str, reference: str) -> bool:
    """kvm judges every other oracle; native judges Unicorn (kvm outranks it)."""
    return _base(reference) == "kvm" or (_base(reference) == "native" and _base(name) == "unicorn")


def adjudicate(
    name: str,
    states: dict[str, FinalState],
    reference: str,
    mask: int,
    reg_masks: dict | None = None,
    frame_mask: Callable[[int], int] | None = None,
) -> tuple[list[Difference], list[str]]:
    """Differences of engine ``name`` from ``reference``, each with a verdict when the
    real CPU and Unicorn both ran; plus notes on Unicorn fields the real CPU refutes.

    With the real CPU (kvm, or native on the tests it can run) as the reference and
    Unicorn beside it, a field where the engine differs from the CPU is a bug of the
    engine if Unicorn agrees with the CPU, or a shared divergence if Unicorn agrees
    with the engine; a field where only Unicorn differs is an oracle bug, reported as
    a note and not held against the engine. The undefined-flag masks decide, as
    everywhere, what is compared.
    """
    diffs = [
        Difference(d.field, f"{d.expected} ({reference})", d.actual)
        for d in diff_states(states[reference], states[name], mask, reg_masks, frame_mask)
    ]
    notes: list[str] = []
    other = "unicorn"
    if (
        _base(reference) not in REAL_CPU
        or other not in states
        or name == other
        or states[other].exit in NO_RESULT
    ):
        return diffs, notes
    against_unicorn = {d.field for d in diff_states(states[other], states[name], mask, reg_masks, frame_mask)}
    for d in diffs:
        d.verdict = (
            f"{name} bug: {reference} and unicorn agree"
            if d.field in against_unicorn
            else f"{reference} differs from unicorn too"
        )
    unicorn_vs_cpu = {
        d.field for d in diff_states(states[reference], states[other], mask, reg_masks, frame_mask)
    }
    refuted = sorted(unicorn_vs_cpu - {d.field for d in diffs})
    if refuted:
        notes.append(f"unicorn bug, {reference} agrees with {name}: {', '.join(refuted)}")
    return diffs, notes


def _run_one(args: tuple[str, list[str]]) -> list[Outcome]:
    return run_test(args[0], args[1])


def _run_chunk(work: list[tuple[str, list[str]]]) -> list[list[Outcome]]:
    return [run_test(path, engines) for path, engines in work]


def _died(path: str, engines: list[str]) -> list[Outcome]:
    message = "the worker process running this test died (a crash in native code?)"
    return [Outcome(_test_id(Path(path)), path, e, "error", message=message) for e in engines]


def _isolated(path: str, engines: list[str]) -> list[Outcome]:
    """One test in a process of its own, so that a crash takes down only this test."""
    try:
        with ProcessPoolExecutor(max_workers=1) as pool:
            return pool.submit(_run_one, (path, engines)).result()
    except BrokenProcessPool:
        return _died(path, engines)


def run_many(paths: list[Path], engines: list[str], jobs: int = 1) -> Iterator[list[Outcome]]:
    """Yield each test's outcomes in order. With ``jobs`` > 1 the tests run in worker
    processes; should one die (a crash in native code), the tests it had not reported
    are run again one per process, and the one that crashes is an ``error``."""
    work = [(str(p), engines) for p in paths]
    if jobs <= 1 or len(work) <= 1:
        known = D.load()
        for p, e in work:
            yield run_test(p, e, known)
        return
    size = max(1, min(16, len(work) // (jobs * 4) or 1))
    chunks = [work[i : i + size] for i in range(0, len(work), size)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_run_chunk, chunk) for chunk in chunks]
        for future, chunk in zip(futures, chunks):
            try:
                results = future.result()
            except BrokenProcessPool:
                results = [_isolated(p, e) for p, e in chunk]
            yield from results
