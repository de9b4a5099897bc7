"""Partial evaluation of the arithmetic flags inside a translated block.

The instructions' statements (from ``refvmm.cpu.codegen``) record flags lazily: an ALU
instruction stores ``cpu.lazy = (F.KIND, a, b, r, size, carry)`` and a reader computes
the flags it needs from that record. Within a block the translator knows which
instruction wrote the record a reader will see, so it can:

- give each instruction's local names their own suffix, so a later instruction can use
  an earlier one's operands and result;
- leave out a flag record that a later instruction replaces before anyone can see it;
- read CF, ZF and SF for a condition or a carry straight from the writer's locals.

What counts as seeing the flags is decided conservatively from the statements' text:
any condition, any method of the CPU, EFLAGS, the record itself, and any call that is
given the CPU. A record is only left out when the block cannot return between it and
the instruction that replaces it (a write to translated code returns at once).
"""

from __future__ import annotations

import re

from ..cpu import flags as F

MACHINE = re.compile(r"\bm\b")  # statements that can reach memory name the machine
# reading the flags: a condition, a method of the CPU (arith_flags, carry ...), EFLAGS, or
# the flag state itself; any other call that is given the CPU counts as a reader too
_FLAG_READ = re.compile(r"condition\(|cpu\.\w+\(|eflags|cpu\.lazy\b(?! =)|cpu\.arith\b(?! =)|\w\(cpu\b")
_FLAG_WRITE = re.compile(r"cpu\.(lazy|arith) = ")
_ASSIGNED = re.compile(r"^\s*([a-z]\w*) = ", re.M)
_RECORD = re.compile(r"^cpu\.lazy = \(F\.(\w+), (.*)\)$")
_LOGIC = re.compile(r"^cpu\.arith = .*\(0x40 if (\w+) == 0 else 0\) \| \(0x80 if \1 & (\d+) else 0\)$")
_OPERAND = re.compile(r"^(?:[a-z]\w*|\d+|0x[0-9a-f]+)$")
_READER = re.compile(r"condition\(cpu, (\d+)\)|cpu\.carry\(\)")
_NEUTRAL = re.compile(r"\b(?:seg_linear|push|pop)\(cpu\b")  # given the CPU, but leave the flags alone


def _text(body: list[str]) -> str:
    return "\n".join(body)


def rename_locals(body: list[str], index: int) -> list[str]:
    """The statements with every local name they assign suffixed by the instruction's index."""
    names = set(_ASSIGNED.findall(_text(body))) - {"cpu", "m", "g", "u"}
    if not names:
        return body
    pattern = re.compile(r"(?<![\w.\"'])(" + "|".join(sorted(names, key=len, reverse=True)) + r")\b(?![\"'])")
    return [pattern.sub(lambda found: f"{found.group(1)}_{index}", line) for line in body]


def drop_dead_flag_writes(bodies: list[list[str]], exits: list[bool]) -> list[list[str]]:
    """Leave out a flag record when a later instruction sets all the flags and nothing
    between reads them or may leave the block: ``exits[k]`` says the block may return
    right after instruction k (it wrote translated code), where the flags must be whole.
    A fault needs no care: the core replays a faulting block on the interpreter's path."""

    def sets_all(body):
        top = [line for line in body if not line.startswith(" ")]
        return any(line.startswith("cpu.lazy = (") for line in top) or (
            "cpu.lazy = None" in top and any(line.startswith("cpu.arith = ") for line in top)
        )

    out = [list(body) for body in bodies]
    for i in range(len(bodies) - 1):
        if exits[i]:
            continue
        for j in range(i + 1, len(bodies)):
            if _FLAG_READ.search(_NEUTRAL.sub("", _text(bodies[j]))):
                break
            if sets_all(bodies[j]):
                out[i] = [line for line in out[i] if not _FLAG_WRITE.match(line)]
                break
            if exits[j]:
                break
    return out


def _split(args: str) -> list[str]:
    """Split a tuple's text at its top-level commas."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(args):
        depth += ch in "([" and 1 or ch in ")]" and -1 or 0
        if ch == "," and depth == 0:
            parts.append(args[start:i].strip())
            start = i + 1
    return parts + [args[start:].strip()]


def _flags_of(body: list[str]) -> dict[str, str] | None:
    """Expressions for CF, ZF and SF from the flag record an instruction writes at its top
    level from its own locals, or None."""
    top = {line.split(" = ")[0] for line in body if not line.startswith(" ") and " = " in line}
    writes = [line for line in body if _FLAG_WRITE.search(line)]
    if not writes:
        return None
    for line in body:
        if line.startswith(" ") or line != writes[-1]:
            continue  # only the instruction's last word on the flags counts
        record = _RECORD.match(line)
        if record:
            kind, fields = record.group(1), _split(record.group(2))
            if len(fields) != 5 or not all(_OPERAND.match(f) for f in fields):
                return None
            a, b, r, size, c = fields
            if any(f[0].isalpha() and f not in top for f in (a, b, r, c)) or not size.isdigit():
                return None
            mask = (1 << int(size)) - 1
            carry = {
                "ADD": f"{a} + {b} > {mask}",
                "ADC": f"{a} + {b} + {c} > {mask}",
                "SUB": f"{a} < {b}",
                "SBB": f"{a} < {b} + {c}",
                "NEG": f"{a} != 0",
            }.get(kind, f"{c} & 1 == 1" if kind in ("INC", "DEC", "SHL", "SHR", "SAR", "SHRD") else None)
            if kind == "MUL" or carry is None or not hasattr(F, kind):
                return None
            return {"cf": carry, "zf": f"{r} == 0", "sf": f"{r} >> {int(size) - 1} & 1 == 1"}
        logic = _LOGIC.match(line)
        if logic and "cpu.lazy = None" in body:
            r, sign = logic.groups()
            return {"cf": "False", "zf": f"{r} == 0", "sf": f"{r} & {sign} != 0"}
    return None


def _condition(flags: dict[str, str], cc: int) -> str | None:
    base = cc >> 1
    expr = {1: flags["cf"], 2: flags["zf"], 3: f"({flags['cf']}) or ({flags['zf']})", 4: flags["sf"]}.get(
        base
    )
    if expr is None:
        return None
    return f"(not ({expr}))" if cc & 1 else f"({expr})"


def inline_flag_reads(bodies: list[list[str]]) -> list[list[str]]:
    """Replace ``condition(cpu, CC)`` (for CF, ZF, SF and CF|ZF) and ``cpu.carry()`` by
    expressions over the locals of the instruction that wrote the flag record, when that
    instruction is earlier in the block and nothing between touches the flags."""
    out = [list(body) for body in bodies]
    for j, body in enumerate(bodies):
        first_write = next((k for k, line in enumerate(body) if _FLAG_WRITE.search(line)), len(body))
        if not any(_READER.search(line) for line in body[:first_write]):
            continue
        flags = None
        for i in range(j - 1, -1, -1):
            flags = _flags_of(bodies[i])
            if flags is not None:
                break
            text = _NEUTRAL.sub("", _text(bodies[i]))
            if _FLAG_WRITE.search(text) or _FLAG_READ.search(text):
                break  # something else may set or materialise the flags
        if flags is None:
            continue

        def inline(found: re.Match, flags=flags) -> str:
            if found.group(1) is None:  # cpu.carry()
                return f"(1 if {flags['cf']} else 0)"
            return _condition(flags, int(found.group(1))) or found.group(0)

        out[j] = [_READER.sub(inline, line) if k < first_write else line for k, line in enumerate(body)]
    return out
