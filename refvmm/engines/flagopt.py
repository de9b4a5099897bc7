"""Partial evaluation of the arithmetic flags inside a translated block.

The instructions' statements (from ``refvmm.cpu.codegen``) record flags lazily: an ALU
instruction's template says ``FLAGS(ADD, a, b, r, W, 0)`` and its statements store
``cpu.lazy = (kind, a, b, r, size, carry)``; a reader (COND: ``condition(cpu, cc)``,
CARRY: ``cpu.carry()``) computes the flags it needs from that record. Within a block the
translator knows which instruction wrote the record a reader will see, so it can:

- read CF, ZF, SF and CF|ZF for a condition, and CF for a carry, straight from the
  writer's locals (each instruction's locals have their own suffix, given by the
  specialiser), with the formulas of ``refvmm.cpu.flags`` written in (``Known``, the
  specialiser's reader hook: instructions are specialised in order, so what is known
  at a reader comes from the instructions before it);
- leave out a flag record that a later instruction replaces before anyone can see it
  (``drop_dead_records``).

All of it works on what the specialiser recorded (``codegen.Specialised``) and on the
instructions' properties (``refvmm.cpu.properties``), never on the statements' text:

- an instruction *sets the flags* for a later reader when its ``result`` is a record
  (its last word on the flags, unconditional, with fields that are constants or locals
  assigned once);
- it *leaves the flags alone* when it writes no record, names no flag state
  (``cpu.arith``, ``cpu.arith_flags()``, ``cpu.eflags``), calls nothing outside
  ``properties.FLAG_NEUTRAL_CALLS`` and its properties write no arithmetic flag;
- it *may see the flags* when it has a COND or CARRY that was not filled in, names flag
  state, calls anything not known to leave the flags alone, or its properties say it
  reads an arithmetic flag it never writes and it has no reader at all (a reader filled
  in reads the writer's locals, not the flags; a flag an instruction reads and may also
  write, as a shift by a count that may be 0 does, is read only to be left as it was,
  which a later instruction that replaces every flag makes invisible). Its statements
  can reach the flags only through those, so the properties are a second opinion;
  ``tests/test_flagopt.py`` holds the two to agree.

A record is left out only when a later instruction writes an unconditional record (all
six flags) and nothing between may see the flags, and the block cannot return between
the two, nor right after the earlier instruction itself: after an instruction that may
write memory the block returns if it wrote translated code, and the flags must then be
whole. A fault needs no care: the core replays a faulting block on the interpreter's
path.
"""

from __future__ import annotations

from ..cpu import flags as F
from ..cpu.codegen import Record, Specialised
from ..cpu.properties import Properties


def leaves_flags(spec: Specialised, props: Properties) -> bool:
    """Neither writes nor may write an arithmetic flag."""
    return not (spec.records or spec.flag_state or spec.flag_calls or props.writes & F.ARITH)


def reads_flags(spec: Specialised, props: Properties) -> bool:
    """May see the flags an earlier instruction left."""
    return (
        any(not filled for _cc, filled in spec.readers)
        or spec.flag_state
        or spec.flag_calls
        or bool(props.reads & ~props.writes & F.ARITH and not spec.readers)
    )


class Known:
    """The flag record a reader will see, while a block's instructions are specialised
    in order: ``reader`` is the specialiser's hook, ``after`` is told each instruction."""

    def __init__(self) -> None:
        self.record: Record | None = None

    def reader(self, cc: int | None) -> str | None:
        """An expression for condition ``cc`` (CF for None) from the record's fields, or None."""
        record = self.record
        if record is None:
            return None
        kind, fields = record.kind, record.fields
        if cc is None:
            return f"(1 if {F.formula(kind, 'C', *fields)} else 0)"
        text = F.condition_text(cc, {flag: F.formula(kind, flag, *fields) for flag in "CZS"})
        return None if text is None else f"({text})"

    def after(self, spec: Specialised, props: Properties) -> None:
        if spec.result is not None:
            self.record = spec.result
        elif not leaves_flags(spec, props):
            self.record = None  # something else may set or materialise the flags


def drop_dead_records(
    specs: list[Specialised], props: list[Properties], exits: list[bool]
) -> list[list[str]]:
    """Each instruction's lines without the unconditional flag records that no one can
    see: a later instruction writes an unconditional record, nothing between may see
    the flags, and the block cannot return between (``exits[k]``: the block may return
    right after instruction k, which wrote translated code)."""

    def replaced(i: int) -> bool:
        if exits[i]:
            return False
        for j in range(i + 1, len(specs)):
            if reads_flags(specs[j], props[j]):
                return False
            if any(record.top for record in specs[j].records):
                return True
            if exits[j]:
                return False
        return False

    out = []
    for i, spec in enumerate(specs):
        dead = {record.line for record in spec.records if record.top}
        if dead and replaced(i):
            out.append([line for k, line in enumerate(spec.lines) if k not in dead])
        else:
            out.append(spec.lines)
    return out
