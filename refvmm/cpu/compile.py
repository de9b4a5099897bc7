"""From a decoded instruction to a compiled Python function, through its template.

The interpreter runs these one at a time; the binary translator joins the same
specialised statements into blocks. Either way the behaviour comes from ``semantics``
alone; the template language is described in ``codegen``.
"""

from __future__ import annotations

from . import arith, fpu, model, segments, stack, system, transfers
from . import flags as F
from .codegen import Specialiser, Unsupported
from .decoder import FarPtr, Imm, Instruction, Rel
from .exceptions import CpuFault, SoftwareInterrupt
from .properties import keys, properties
from .semantics import TEMPLATES

# The globals of compiled code: exactly the names templates use (tests/test_templates.py
# holds it to that), each from the module that defines it.
_HELPERS = {
    arith: (
        "ascii_adjust",
        "ascii_divide",
        "ascii_multiply",
        "bit_memory",
        "bound",
        "cmpxchg8b",
        "decimal_adjust",
        "divide",
        "imul2",
        "multiply",
        "set_cf_of",
    ),
    F: ("condition",),
    fpu: fpu.HELPERS,
    model: ("cpuid", "rdmsr", "wrmsr"),
    segments: (
        "access_rights",
        "arpl",
        "check_protected",
        "load_far_pointer",
        "load_segment",
        "seg_linear",
        "segment_limit",
        "verify",
    ),
    stack: (
        "enter",
        "leave",
        "pop",
        "pop_all",
        "pop_flags",
        "push",
        "push_all",
        "push_flags",
        "push_selector",
        "release_stack",
    ),
    system: (
        "check_cpl0",
        "check_iopl",
        "debug_register",
        "lmsw",
        "load_ldt",
        "load_table_register",
        "load_task_register",
        "port_in",
        "port_out",
        "store_table_register",
        "string_op",
        "write_cr",
    ),
    transfers: (
        "check_int_n",
        "far_call",
        "far_return",
        "far_transfer",
        "interrupt_return",
        "sysenter",
        "sysexit",
    ),
}
NAMESPACE: dict[str, object] = {
    "CpuFault": CpuFault,
    "SoftwareInterrupt": SoftwareInterrupt,
    **{name: getattr(module, name) for module, names in _HELPERS.items() for name in names},
}


def template_key(ins: Instruction) -> str:
    """The key of ``ins``'s template in ``TEMPLATES``: the first of ``mnemonic:kinds``,
    ``mnemonic:k`` (the first operand's kind) and ``mnemonic`` that is there (the rules
    are in ``codegen``'s docstring; ``properties.keys`` gives them)."""
    for key in keys(ins):
        if key in TEMPLATES:
            return key
    kinds = keys(ins)[0].partition(":")[2]
    raise Unsupported(f"no semantics for {ins.mnemonic} ({kinds or 'no operands'})")


def template_for(ins: Instruction) -> str:
    """The template for ``ins`` (see ``template_key``)."""
    return TEMPLATES[template_key(ins)]


# Compiled handlers by (instruction, EIP, code size): a handler depends on nothing else, so
# code that is rewritten with the same bytes, copied, or met again after its page's cache
# entries were dropped is not compiled again. Cleared when full, to bound memory.
_COMPILED: dict[tuple[Instruction, int, int], tuple] = {}
_COMPILED_MAX = 200_000
# Handler factories by their source: one per instruction form (the values of one instance,
# its EIP, immediates, displacements and targets, are the factory's arguments), so code met
# for the first time costs a specialisation and a call, not a compilation.
_FACTORIES: dict[str, object] = {}


# Forms by (code size, the bytes of their structure): what code met for the first time
# needs to make its handler without decoding (see ``Form``).
FORMS: dict[int, dict[bytes, Form]] = {16: {}, 32: {}}
_FORMS_MAX = 100_000


def forget_compiled() -> None:
    """Drop every compiled handler and form (for measuring code met for the first time)."""
    _COMPILED.clear()
    _FACTORIES.clear()
    for forms in FORMS.values():
        forms.clear()


class Form:
    """One instruction form, found by the bytes of its structure: its handler factory and
    how an instance's arguments come from its bytes and EIP, so a new instance costs a
    lookup and a call. ``ins`` is the first instance decoded (the form's length and
    properties are every instance's; its values are its own)."""

    __slots__ = ("ins", "props", "factory", "recipe")

    def __init__(self, ins: Instruction, factory, recipe: tuple) -> None:
        self.ins, self.factory, self.recipe = ins, factory, recipe
        self.props = properties(ins)

    def arguments(self, code: bytes, here: int) -> list[int]:
        out = []
        for kind, at, n, signed, mask in self.recipe:
            if kind == 0:  # a field of the bytes
                out.append(int.from_bytes(code[at : at + n], "little", signed=signed) & mask)
            elif kind == 1:  # EIP
                out.append(here)
            elif kind == 2:  # the next EIP
                # unwrapped: the core compiles a 16-bit instance that ends at 0xFFFF alone
                out.append((here + self.ins.length) & 0xFFFFFFFF)
            else:  # the same in every instance
                out.append(at)
        return out


def learn_form(ins: Instruction, fields: tuple, structure: bytes, code: bytes, here: int, code_bits: int):
    """Remember the form of ``ins`` (decoded from ``code`` at EIP ``here``, its values in
    ``fields``) under ``structure``; return its handler for this instance."""
    source, params, quantities = _form(ins, here, code_bits)
    factory = function_of(source, "make", f"<{ins.mnemonic}>", _FACTORIES)
    recipe = _recipe(ins, fields, quantities, params)
    forms = FORMS[code_bits]
    if recipe is not None:
        form = Form(ins, factory, recipe)
        if form.arguments(code, here) == params:  # the recipe gives back what the specialiser took
            if len(forms) >= _FORMS_MAX:
                forms.clear()
            forms[structure] = form
    return factory(*params)


def _recipe(ins: Instruction, fields: tuple, quantities: list[str], params: list[int]) -> tuple | None:
    """How each of the specialiser's quantities comes from an instance (None when one is
    not understood: that form is decoded every time)."""
    by_operand: dict[int, list] = {}
    for operand, at, n, signed in fields:
        by_operand.setdefault(operand, []).append((at, n, signed))
    out = []
    for what, value in zip(quantities, params):
        if what == "here":
            out.append((1, 0, 0, False, 0))
            continue
        if what == "next":
            out.append((2, 0, 0, False, 0))
            continue
        if what.startswith(("disp", "imm")):
            index = int(what[4:] if what.startswith("disp") else what[3:])
        elif what == "rel":
            index = next((i for i, op in enumerate(ins.operands) if isinstance(op, Rel)), -1)
        elif what in ("offset", "selector"):
            index = next((i for i, op in enumerate(ins.operands) if isinstance(op, FarPtr)), -1)
        else:
            return None
        found = by_operand.get(index)
        if not found:  # a value the opcode itself gives (SHL r, 1): the same in every instance
            out.append((3, value, 0, False, 0))
            continue
        if what == "selector":
            found = found[1:]
        at, n, signed = found[0]
        if what.startswith("disp"):
            mask = 0xFFFFFFFF
        elif what.startswith("imm"):
            op = ins.operands[index]
            mask = (1 << op.size) - 1 if isinstance(op, Imm) else 0xFFFFFFFF
        elif what == "rel":
            mask = -1
        else:
            mask = 0xFFFFFFFF
        out.append((0, at, n, signed, mask))
    return tuple(out)


def compile_instruction(ins: Instruction, here: int, code_bits: int):
    """(handler, source) for one decoded instruction at EIP ``here``: the handler of its
    form, made for this instance."""
    key = (ins, here, code_bits)
    compiled = _COMPILED.get(key)
    if compiled is None:
        if len(_COMPILED) >= _COMPILED_MAX:
            _COMPILED.clear()
        source, params = form_source(ins, here, code_bits)
        factory = function_of(source, "make", f"<{ins.mnemonic}>", _FACTORIES)
        compiled = _COMPILED[key] = (factory(*params), source)
    return compiled


def function_of(source: str, name: str, filename: str, cache: dict, limit: int = _COMPILED_MAX):
    """The function ``name`` that ``source`` defines, compiled in the templates' namespace
    once per source (``cache``, emptied when it holds ``limit``)."""
    function = cache.get(source)
    if function is None:
        if len(cache) >= limit:
            cache.clear()
        scope: dict = {}
        exec(compile(source, filename, "exec"), NAMESPACE, scope)
        function = cache[source] = scope[name]
    return function


def handler_source(ins: Instruction, here: int, code_bits: int) -> str:
    """The source of the handler for one decoded instruction at EIP ``here``, its values
    written in (what the translator joins into blocks)."""
    lines = Specialiser(ins, here, code_bits).specialise(template_for(ins)).lines
    return "def handler(cpu, m, g, u):\n" + "\n".join("    " + line for line in lines) + "\n"


def form_source(ins: Instruction, here: int, code_bits: int) -> tuple[str, list[int]]:
    """The source of a factory ``make(_k0, _k1, ...)`` returning the handler of the
    instruction's form, and this instance's arguments for it."""
    source, params, _ = _form(ins, here, code_bits)
    return source, params


def _form(ins: Instruction, here: int, code_bits: int) -> tuple[str, list[int], list[str]]:
    """``form_source``, and what each argument is (``Specialiser.quantities``)."""
    specialiser = Specialiser(ins, here, code_bits, per_form=True)
    lines = specialiser.specialise(template_for(ins)).lines
    params = specialiser.params
    names = ", ".join(f"_k{i}" for i in range(len(params)))
    body = "\n".join("        " + line for line in lines)
    source = f"def make({names}):\n    def handler(cpu, m, g, u):\n{body}\n    return handler\n"
    return source, params, specialiser.quantities()
