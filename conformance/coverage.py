"""Opcode and addressing-form coverage of the corpus, from the instructions it executes.

Every test is run on the interpreter with a recorder that keeps the bytes of each
instruction it executes; the bytes are decoded again by capstone (so the report
does not trust the VMM's decoder) and counted against:

* the valid IA-32 integer and system opcodes of the one-byte and 0F maps (group
  opcodes count per ModRM.reg slot; prefixes and SSE are out), in 16- and 32-bit
  operand size where the operand size matters;
* the x87 escapes D8-DF by form (``x87_slot``): each memory-form ModRM.reg, each
  register-form ModRM.reg taking ST(i), and each ModRM byte of the register rows
  that name one instruction apiece (D9 E8 FLD1 ...), the transcendentals included,
  but not the aliases of blank slots (``opcodes.X87_ALIASES``), which capstone does
  not decode (``tests/test_x87_instructions.py`` runs them on the host);
  the environment and state images (FLDENV, FNSTENV, FRSTOR, FNSAVE) in both
  operand sizes;
* every ModRM form of 16-bit addressing (mod 0-2 x r/m) and every ModRM and SIB
  form of 32-bit addressing (mod 0-2 x r/m, and with a SIB byte: mod x base x
  whether there is an index, and each scale).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import capstone

from refvmm.cpu import opcodes as O
from refvmm.engines.core import EngineStop
from refvmm.engines.interp import Interpreter
from refvmm.machine import Machine

from .format import TestFormatError, parse_file
from .ports import PortBus
from .runner import test_root
from .runtime import build_image

_PREFIXES = O.PREFIXES


def _sized(op: O.Op) -> bool:
    """Whether the form behaves differently at 16 and 32 bits of operand size."""
    if "/" in op.mnemonic and "A" not in op.flags:
        return True
    return any("v" in t or t.endswith("z") or t in ("eAX", "Ibs") for t in op.operands.split(",") if t)


def _entry(opcode: int) -> O.Op | None:
    return (O.TWO_BYTE if opcode > 0xFF else O.ONE_BYTE).get(opcode & 0xFF)


# x87 forms as the ``reg`` of a coverage key: memory forms 0-7 (ModRM.reg), register
# forms taking ST(i) 8-15, and the register rows that are one instruction per ModRM byte
# 16 + 8 * reg + rm
_X87_ROW, _X87_BYTE = 8, 16


def _x87_forms() -> dict[tuple, bool]:
    forms: dict[tuple, bool] = {}
    for opcode in range(0xD8, 0xE0):
        for reg, op in enumerate(O.X87_MEMORY[opcode]):
            if op.mnemonic != "esc":
                forms[(opcode, reg)] = op.operands in ("Me", "Mf")  # the 14/28 and 94/108-byte images
        for reg, row in enumerate(O.X87_REGISTER[opcode]):
            if isinstance(row, O.Op):
                if row.mnemonic != "esc" and (opcode, reg) not in O.X87_ALIASES:
                    forms[(opcode, _X87_ROW + reg)] = False
                continue
            for rm, op in enumerate(row):
                if op.mnemonic != "esc":
                    forms[(opcode, _X87_BYTE + 8 * reg + rm)] = False
    return forms


def x87_slot(opcode: int, modrm: int) -> int:
    """The coverage key's ``reg`` of an x87 instruction (see ``_x87_forms``)."""
    reg = modrm >> 3 & 7
    if modrm < 0xC0:
        return reg
    if isinstance(O.X87_REGISTER[opcode][reg], O.Op):
        return _X87_ROW + reg
    return _X87_BYTE + 8 * reg + (modrm & 7)


def universe() -> dict[tuple, bool]:
    """Opcode forms -> whether both operand sizes are expected."""
    forms: dict[tuple, bool] = _x87_forms()
    for table, prefix in ((O.ONE_BYTE, 0), (O.TWO_BYTE, 0x0F00)):
        for opcode, op in table.items():
            if "X" in op.flags or op.mnemonic in ("ud1",):
                continue
            if "G" in op.flags:
                for reg, slot in enumerate(O.GROUPS.get(prefix | opcode, ())):
                    if slot is not None:
                        forms[(prefix | opcode, reg)] = _sized(slot)
            else:
                forms[(prefix | opcode, None)] = _sized(op)
    return forms


def addressing_universe() -> set[tuple]:
    forms = {("a16", mod, rm) for mod in range(3) for rm in range(8)}
    forms |= {("a32", mod, rm) for mod in range(3) for rm in range(8) if rm != 4}
    forms |= {("sib", mod, base, has_index) for mod in range(3) for base in range(8) for has_index in (0, 1)}
    forms |= {("scale", scale) for scale in range(4)}
    return forms


@dataclass
class Coverage:
    opcodes: set[tuple] = field(default_factory=set)  # (opcode, reg or None, operand size)
    addressing: set[tuple] = field(default_factory=set)


def classify(code: bytes, bits: int, into: Coverage) -> None:
    md = capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_16 if bits == 16 else capstone.CS_MODE_32)
    md.detail = True
    insn = next(md.disasm(code, 0), None)
    if insn is None:
        return
    prefixes = set()
    i = 0
    while i < len(code) and code[i] in _PREFIXES:
        prefixes.add(code[i])
        i += 1
    osize = bits if 0x66 not in prefixes else 48 - bits
    asize = bits if 0x67 not in prefixes else 48 - bits
    if i >= len(code):
        return
    if code[i] == 0x0F and i + 1 < len(code):
        opcode, rest = 0x0F00 | code[i + 1], code[i + 2 :]
    else:
        opcode, rest = code[i], code[i + 1 :]
    entry = _entry(opcode)
    reg = (insn.modrm >> 3) & 7 if entry is not None and "G" in entry.flags else None
    if 0xD8 <= opcode <= 0xDF:
        reg = x87_slot(opcode, insn.modrm)
    into.opcodes.add((opcode, reg, osize))
    if not _has_modrm(opcode) or not rest:
        return
    modrm = rest[0]
    mod, rm = modrm >> 6, modrm & 7
    if mod == 3:
        return
    if asize == 16:
        into.addressing.add(("a16", mod, rm))
    elif rm != 4:
        into.addressing.add(("a32", mod, rm))
    elif len(rest) > 1:
        sib = rest[1]
        into.addressing.add(("sib", mod, sib & 7, int((sib >> 3) & 7 != 4)))
        if (sib >> 3) & 7 != 4:
            into.addressing.add(("scale", sib >> 6))


def _has_modrm(opcode: int) -> bool:
    op = _entry(opcode)
    if op is None:
        return False
    if "G" in op.flags:
        return True
    return any(t[:1] in ("E", "G", "M", "R", "S", "C", "D") for t in op.operands.split(",") if t)


def record_test(path: str) -> set[tuple[bytes, int]]:
    """The instructions (bytes, code size) one test executes on the interpreter."""
    try:
        image = build_image(parse_file(Path(path), test_root(Path(path))))
    except TestFormatError:
        return set()
    machine = Machine(image.ram_size, PortBus(image.port_in))
    machine.load(image.chunks)
    machine.cpu.reset(0, image.entry)
    engine = Interpreter(record=set())
    with contextlib.suppress(EngineStop):
        engine.run(machine, image.budget)
    body = range(image.body_base, image.body_base + len(image.body))
    return {(code, bits) for code, bits, linear in engine.fetcher.record if linear in body}


def measure(paths: Iterable[Path], jobs: int = 1) -> Coverage:
    cov = Coverage()
    names = [str(p) for p in paths]
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            results = list(pool.map(record_test, names, chunksize=32))
    else:
        results = [record_test(n) for n in names]
    for executed in results:
        for code, bits in executed:
            classify(code, bits, cov)
    return cov


@dataclass
class Report:
    covered: int
    total: int
    missing: list[str]

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.total if self.total else 100.0


def opcode_report(cov: Coverage, x87_only: bool = False) -> Report:
    """Every opcode form, or (``x87_only``) the x87 escapes' alone."""
    missing, covered, total = [], 0, 0
    for (opcode, reg), sized in sorted(universe().items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        if x87_only and not 0xD8 <= opcode <= 0xDF:
            continue
        sizes = (16, 32) if sized else (None,)
        for size in sizes:
            total += 1
            wanted = (size,) if size else (16, 32)
            if any((opcode, reg, s) in cov.opcodes for s in wanted):
                covered += 1
            else:
                missing.append(_name(opcode, reg) + (f" o{size}" if size else ""))
    return Report(covered, total, missing)


def _name(opcode: int, reg: int | None) -> str:
    name = f"{opcode:02x}" if opcode < 0x100 else f"0f {opcode & 0xFF:02x}"
    if 0xD8 <= opcode <= 0xDF:
        if reg >= _X87_BYTE:
            return f"{name} {0xC0 + reg - _X87_BYTE:02x}"
        return f"{name} /{reg % 8} {'st(i)' if reg >= _X87_ROW else 'm'}"
    return name + (f" /{reg}" if reg is not None else "")


def addressing_report(cov: Coverage) -> Report:
    forms = addressing_universe()
    missing = sorted(str(f) for f in forms - cov.addressing)
    return Report(len(forms & cov.addressing), len(forms), missing)
