"""The interpreter: one instruction at a time, each compiled from its template.

Fetch and decode go through a cache keyed by physical address, CPL and code size
and checked against the bytes in memory, so self-modifying code is seen. The
handler for an instruction is the Python source ``codegen`` generates from its
template in ``semantics``, compiled once and kept with the cache entry.
"""

from __future__ import annotations

from ..cpu import flags as F
from ..cpu import helpers, transfers
from ..cpu.codegen import Specialiser, Unsupported
from ..cpu.decoder import DecodeError, Incomplete, Instruction, decode
from ..cpu.semantics import TEMPLATES
from ..cpu.state import CS
from ..machine import CpuFault, Machine

_KINDS = {
    "Reg": "r",
    "Mem": "m",
    "Imm": "i",
    "SReg": "s",
    "CReg": "c",
    "DReg": "d",
    "Rel": "j",
    "FarPtr": "p",
}
NAMESPACE = {
    "F": F,
    "CpuFault": CpuFault,
    "SoftwareInterrupt": transfers.SoftwareInterrupt,
    "far_call": transfers.far_call,
    "far_return": transfers.far_return,
    "interrupt_return": transfers.interrupt_return,
    **{name: getattr(helpers, name) for name in dir(helpers) if not name.startswith("_")},
}


class EngineStop(Exception):
    """The run cannot go on: ``reason`` is the exit reason, ``str()`` the message."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def template_for(ins: Instruction) -> str:
    name = ins.mnemonic
    if ins.cond is not None:
        name = "jcc" if name.startswith("j") else "setcc" if name.startswith("set") else "cmovcc"
    kinds = "".join(_KINDS[type(op).__name__] for op in ins.operands)
    for key in (f"{name}:{kinds}", f"{name}:{kinds[:1]}", name):
        if key in TEMPLATES:
            return TEMPLATES[key]
    raise Unsupported(f"no semantics for {ins.mnemonic} ({kinds or 'no operands'})")


def compile_instruction(ins: Instruction, here: int, code_bits: int):
    lines = Specialiser(ins, here, code_bits).specialise(template_for(ins))
    source = "def handler(cpu, m, g, u):\n" + "\n".join("    " + line for line in lines) + "\n"
    scope: dict = {}
    exec(compile(source, f"<{ins.mnemonic}@{here:#x}>", "exec"), NAMESPACE, scope)
    return scope["handler"], source


class Interpreter:
    name = "interp"

    def __init__(self) -> None:
        self._cache: dict[tuple[int, int, int, int], tuple[bytes, object]] = {}

    def fetch(self, m: Machine, here: int) -> tuple[Instruction, object]:
        cpu = m.cpu
        cs = cpu.seg[CS]
        if here > cs.limit:
            raise CpuFault(13, 0)
        linear = (cs.base + here) & 0xFFFFFFFF
        user = cpu.cpl == 3
        physical = m.translate(linear, False, user)
        bits = cpu.code_bits
        key = (physical, bits, cpu.cpl, here)
        entry = self._cache.get(key)
        if entry is not None:
            raw, compiled = entry
            if m.ram[physical : physical + len(raw)] == raw:
                return compiled
        code = bytes(m.ram[physical : min(physical + 16, (physical | 0xFFF) + 1)])
        while True:
            try:
                ins = decode(code, bits)
                break
            except Incomplete:
                more = m.translate(linear + len(code), False, user)
                code += bytes(m.ram[more : more + 16 - len(code)])
        if here + ins.length - 1 > cs.limit:
            raise CpuFault(13, 0)
        handler, _source = compile_instruction(ins, here, bits)
        compiled = (ins, handler)
        if len(code) <= 0x1000 - (physical & 0xFFF):
            self._cache[key] = (code[: ins.length], compiled)
        return compiled

    def run(self, m: Machine, budget: int) -> str:
        """Execute up to ``budget`` instructions; return the exit reason.

        Reasons: "stopped" (an I/O write asked to stop), "halt", "budget",
        "triple-fault"; EngineStop for what the model does not cover."""
        cpu = m.cpu
        g = cpu.gpr
        end = m.retired + budget
        while m.retired < end:
            if m.stop_requested:
                return "stopped"
            if cpu.halted:
                return "halt"
            here = cpu.eip
            try:
                try:
                    ins, handler = self.fetch(m, here)
                    handler(cpu, m, g, cpu.cpl == 3)
                except DecodeError as exc:
                    raise CpuFault(exc.vector, 0 if exc.vector == 13 else None) from None
            except CpuFault as fault:
                cpu.eip = here
                error = fault.error if fault.vector in transfers.ERROR_CODE else None
                if fault.vector in transfers.ERROR_CODE and error is None:
                    error = 0
                self._deliver(m, fault.vector, error, False, here, here)
            except transfers.SoftwareInterrupt as soft:
                self._deliver(m, soft.vector, None, True, soft.next_eip, here)
            except Unsupported as exc:
                raise EngineStop("error", f"not implemented: {exc} at {here:#x}") from None
            except transfers.NotModelled as exc:
                raise EngineStop("error", f"not modelled: {exc} at {here:#x}") from None
            m.retired += 1
            if m.stop_requested:
                return "stopped"
        return "budget"

    def _deliver(self, m: Machine, vector: int, error, software: bool, return_eip: int, here: int) -> None:
        try:
            transfers.deliver(m.cpu, m, vector, error, software, return_eip, here)
        except transfers.TripleFault:
            raise EngineStop("triple-fault", f"triple fault delivering vector {vector}") from None
        except transfers.NotModelled as exc:
            raise EngineStop("error", f"not modelled: {exc}") from None
