"""The VMM's execution engines. Each runs a Machine for a budget of instructions and
returns why it stopped; all give the same results, instruction counts and device timing."""

from .bt import Translator
from .de import DirectExecution
from .interp import Interpreter


class NaiveDE:
    """``naive-de``: the unsound control group (``de.DirectExecution(naive=True)``)."""

    configured = staticmethod(DirectExecution.naive_configured)
    unavailable = staticmethod(DirectExecution.unavailable)


# The engines, by the names the CLI, the harness and the tests use.
ENGINES = {"interp": Interpreter, "bt": Translator, "de+bt": DirectExecution, "naive-de": NaiveDE}


def make_engine(config: str):
    """An engine from its configuration: NAME or NAME:OPTIONS (``bt:noopt``, ``bt:block=8``).
    A ValueError says in one line what is wrong with it."""
    name, _, options = config.partition(":")
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}: the VMM has {', '.join(sorted(ENGINES))}")
    return ENGINES[name].configured(options)
