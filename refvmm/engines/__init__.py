"""The VMM's execution engines. Each runs a Machine for a budget of instructions and
returns why it stopped; all give the same results, instruction counts and device timing."""

from .bt import Translator
from .interp import Interpreter

# The engine configurations, by the names the CLI, the harness and the tests use.
ENGINES = {"interp": Interpreter, "bt": Translator}
