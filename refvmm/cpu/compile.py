"""From a decoded instruction to a compiled Python function, through its template.

The interpreter runs these one at a time; a translator joins the same specialised
statements into blocks. Either way the behaviour comes from ``semantics`` alone.
"""

from __future__ import annotations

from . import arith, model, segments, stack, system, transfers
from . import flags as F
from .codegen import Specialiser, Unsupported
from .decoder import Instruction
from .exceptions import CpuFault
from .properties import keys
from .semantics import TEMPLATES

NAMESPACE = {
    "F": F,
    "CpuFault": CpuFault,
    "SoftwareInterrupt": transfers.SoftwareInterrupt,
    "far_call": transfers.far_call,
    "sysenter": transfers.sysenter,
    "sysexit": transfers.sysexit,
    "far_transfer": transfers.far_transfer,
    "far_return": transfers.far_return,
    "interrupt_return": transfers.interrupt_return,
    **{
        name: getattr(module, name)
        for module in (segments, stack, arith, system, model)
        for name in dir(module)
        if not name.startswith("_")
    },
}


def template_for(ins: Instruction) -> str:
    for key in keys(ins):
        if key in TEMPLATES:
            return TEMPLATES[key]
    kinds = keys(ins)[0].partition(":")[2]
    raise Unsupported(f"no semantics for {ins.mnemonic} ({kinds or 'no operands'})")


# Compiled handlers by (instruction, EIP, code size): a handler depends on nothing else, so
# code that is rewritten with the same bytes, copied, or met again after its page's cache
# entries were dropped is not compiled again. Cleared when full, to bound memory.
_COMPILED: dict[tuple[Instruction, int, int], tuple] = {}
_COMPILED_MAX = 200_000


def compile_instruction(ins: Instruction, here: int, code_bits: int):
    """(handler, source) for one decoded instruction at EIP ``here``."""
    key = (ins, here, code_bits)
    compiled = _COMPILED.get(key)
    if compiled is None:
        if len(_COMPILED) >= _COMPILED_MAX:
            _COMPILED.clear()
        compiled = _COMPILED[key] = _compile(ins, here, code_bits)
    return compiled


def _compile(ins: Instruction, here: int, code_bits: int):
    lines = Specialiser(ins, here, code_bits).specialise(template_for(ins))
    source = "def handler(cpu, m, g, u):\n" + "\n".join("    " + line for line in lines) + "\n"
    scope: dict = {}
    exec(compile(source, f"<{ins.mnemonic}@{here:#x}>", "exec"), NAMESPACE, scope)
    return scope["handler"], source
