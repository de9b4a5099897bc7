"""The VMM's execution engines. Each runs a Machine for a budget of instructions and
returns why it stopped. interp and bt give the same results, instruction counts and
device timing; de+bt the same results (its backend counts REP iterations); naive-de is
wrong where x86 is not virtualizable, by design."""

from .bt import Translator
from .de import DirectExecution, NaiveDirectExecution
from .interp import Interpreter

# The engines, by the names the CLI, the harness and the tests use.
ENGINES = {
    "interp": Interpreter,
    "bt": Translator,
    "de+bt": DirectExecution,
    "naive-de": NaiveDirectExecution,
}


def make_engine(config: str):
    """An engine from its configuration: NAME or NAME:OPTIONS (``bt:noopt``, ``bt:block=8``).
    A ValueError says in one line what is wrong with it."""
    name, _, options = config.partition(":")
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}: the VMM has {', '.join(sorted(ENGINES))}")
    return ENGINES[name].configured(options)


def statistics(engine) -> dict[str, int]:
    """What an engine counted, by name (bt: blocks translated; de+bt: instructions and
    milliseconds in DE and BT, traps by kind, hidden page faults, traced writes,
    switches); empty if it keeps none."""
    stats = dict(getattr(engine, "stats", {}) or {})
    for where, seconds in (getattr(engine, "seconds", None) or {}).items():
        stats[f"ms in {where}"] = round(seconds * 1000)
    for owner in (engine, getattr(engine, "bt", None)):
        if isinstance(getattr(owner, "translated", None), int):
            stats["blocks translated"] = owner.translated
    shadow = getattr(engine, "shadow", None)
    if shadow is not None:
        stats.update({"shadow rebuilds": shadow.rebuilds, "traced writes emulated": shadow.traced_writes})
    return stats
