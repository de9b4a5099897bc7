"""Arithmetic flags, computed lazily, and the condition codes.

An ALU instruction records what it did (``kind``, operands, result, size, carry in)
instead of computing six flags it will usually not need; ``compute`` turns a record into
CF PF AF ZF SF OF when something reads EFLAGS, ``carry`` gives CF alone and
``condition`` tests a condition code. Each formula follows the Intel SDM vol. 2 "Flags
Affected" of the instructions using that kind; where the SDM leaves a flag undefined the
value here is what the conformance table masks (conformance/undefined.py), so it is never
compared.

Every formula is written once, in ``FORMULAS``, as an expression over a record's fields;
``compute``, ``carry`` and ``condition`` are made from those expressions when this module
is loaded, and the binary translator (``refvmm.engines.flagopt``) writes the same
expressions with the writing instruction's values in (``formula``, ``condition_text``)
when it reads a flag straight from the instruction that set it. The condition codes are
one table too (``CONDITIONS``), and the parity of a byte one table (``PARITY``).
"""

from __future__ import annotations

CF, PF, AF, ZF, SF, OF = 1 << 0, 1 << 2, 1 << 4, 1 << 6, 1 << 7, 1 << 11
ARITH = CF | PF | AF | ZF | SF | OF
BITS = {"C": CF, "P": PF, "A": AF, "Z": ZF, "S": SF, "O": OF}

# Lazy-flag kinds. ``a`` and ``b`` are the operands, ``r`` the masked result.
ADD, ADC, SUB, SBB, LOGIC, INC, DEC, NEG, SHL, SHR, SAR, MUL, SHRD = range(13)
KINDS = {
    "ADD": ADD,
    "ADC": ADC,
    "SUB": SUB,
    "SBB": SBB,
    "LOGIC": LOGIC,
    "INC": INC,
    "DEC": DEC,
    "NEG": NEG,
    "SHL": SHL,
    "SHR": SHR,
    "SAR": SAR,
    "MUL": MUL,
    "SHRD": SHRD,
}

# PF of a result: the PF bit when its low byte has an even number of bits set
PARITY = bytes(PF if bin(i).count("1") % 2 == 0 else 0 for i in range(256))

# Each flag of a recorded operation, as a Python expression that is true when the flag is
# set, over the record's fields: {a} and {b} the operands, {r} the result (masked to
# {size} bits), {c} the carry in (the CF that INC and DEC keep, the carry ADC and SBB add,
# for shifts the last bit shifted out, worked out by the instruction itself) and {sign}
# the sign bit of the size. PF, ZF and SF come from the result for every kind but MUL.
RESULT = {"P": "PARITY[{r} & 0xFF] != 0", "Z": "{r} == 0", "S": "{r} >> {size} - 1 & 1 == 1"}
_ADD_SUB_AF = "({a} ^ {b} ^ {r}) & 0x10 != 0"
_NONE = {"C": "False", "O": "False", "A": "False"}
FORMULAS: dict[int, dict[str, str]] = {
    ADD: {"C": "{a} + {b} >= 1 << {size}", "O": "({a} ^ {r}) & ({b} ^ {r}) & {sign} != 0", "A": _ADD_SUB_AF},
    ADC: {
        "C": "{a} + {b} + {c} >= 1 << {size}",
        "O": "({a} ^ {r}) & ({b} ^ {r}) & {sign} != 0",
        "A": _ADD_SUB_AF,
    },
    SUB: {"C": "{a} < {b}", "O": "({a} ^ {b}) & ({a} ^ {r}) & {sign} != 0", "A": _ADD_SUB_AF},
    SBB: {"C": "{a} < {b} + {c}", "O": "({a} ^ {b}) & ({a} ^ {r}) & {sign} != 0", "A": _ADD_SUB_AF},
    # AND OR XOR TEST: CF = OF = 0, AF undefined (left 0)
    LOGIC: _NONE,
    INC: {"C": "{c} & 1 == 1", "O": "{r} == {sign}", "A": "({a} ^ 1 ^ {r}) & 0x10 != 0"},
    DEC: {"C": "{c} & 1 == 1", "O": "{a} == {sign}", "A": "({a} ^ 1 ^ {r}) & 0x10 != 0"},
    NEG: {"C": "{a} != 0", "O": "{a} == {sign}", "A": "({a} ^ {r}) & 0x10 != 0"},
    # shifts: {b} is the count (1..31 after masking); OF is defined for a count of 1
    SHL: {"C": "{c} & 1 == 1", "O": "{b} == 1 and {r} >> {size} - 1 & 1 != {c} & 1", "A": "False"},
    SHR: {"C": "{c} & 1 == 1", "O": "{b} == 1 and {a} >> {size} - 1 & 1 == 1", "A": "False"},
    SAR: {"C": "{c} & 1 == 1", "O": "False", "A": "False"},
    # the bits shifted in come from the source: OF is a change of sign (vol. 2 SHRD)
    SHRD: {"C": "{c} & 1 == 1", "O": "{b} == 1 and ({a} ^ {r}) >> {size} - 1 & 1 == 1", "A": "False"},
    # {a}: nonzero when the upper half is significant (CF = OF = 1); SF ZF AF PF undefined
    MUL: {"C": "{a} != 0", "O": "{a} != 0", "A": "False", "P": "False", "Z": "False", "S": "False"},
}
for _kind in FORMULAS:
    FORMULAS[_kind] = {**RESULT, **FORMULAS[_kind]}
# the kinds whose ZF and SF are RESULT's, which ``condition`` reads from the record itself
_RESULT_KINDS = tuple(k for k, f in FORMULAS.items() if all(f[x] == RESULT[x] for x in "ZS"))

# The condition codes (SDM vol. 2, Jcc, "tttn"): by cc >> 1, the condition over the flags
# that holds when cc is even; an odd cc is its negation.
CONDITIONS = ("{O}", "{C}", "{Z}", "{C} or {Z}", "{S}", "{P}", "{S} != {O}", "{Z} or {S} != {O}")


def _needs(text: str) -> set[str]:
    return {letter for letter in BITS if "{" + letter + "}" in text}


def formula(kind: int, flag: str, a: str, b: str, r: str, size: str, c: str) -> str:
    """The expression for ``flag`` (a letter of CPAZSO) of a record of ``kind``, true when the
    flag is set, with the fields' expressions written in."""
    return FORMULAS[kind][flag].format(a=a, b=b, r=r, c=c, size=size, sign=f"(1 << {size} - 1)")


def condition_text(cc: int, flags: dict[str, str]) -> str | None:
    """The expression for condition code ``cc`` from expressions for the flags it reads
    (``flags``: letter -> expression), or None when one of them is not given."""
    text = CONDITIONS[cc >> 1]
    if not _needs(text) <= flags.keys():
        return None
    text = text.format(**{letter: f"({flags[letter]})" for letter in _needs(text)})
    return f"not ({text})" if cc & 1 else text


# -- compute, carry and condition, made from the formulas -------------------------------

_FIELDS = {"a": "a", "b": "b", "r": "r", "c": "c", "size": "size"}


def _source() -> str:
    names = {v: k for k, v in KINDS.items()}
    # the commonest kinds first: each function tests the kind in this order
    order = [SUB, ADD, DEC, INC, LOGIC, ADC, SBB, SHL, SHR, SAR, SHRD, NEG, MUL]
    assert sorted(order) == sorted(FORMULAS)
    out = [
        "def compute(kind, a, b, r, size, c=0):",
        '    """The six arithmetic flags of one recorded operation of ``size`` bits."""',
    ]
    for kind in order:
        terms = " | ".join(f"({letter}F if {formula(kind, letter, **_FIELDS)} else 0)" for letter in "CPAZSO")
        out += [f"    if kind == {kind}:  # {names[kind]}", f"        return {terms}"]
    out += ["    raise ValueError(f'no flag kind {kind}')", ""]
    out += [
        "def carry(kind, a, b, r, size, c=0):",
        '    """CF (0 or 1) of one recorded operation: the readers of CF alone (INC, DEC, ADC,',
        '    SBB, RCL, RCR, JB and the like) need no other flag."""',
    ]
    for kind in order:
        out += [
            f"    if kind == {kind}:  # {names[kind]}",
            f"        return 1 if {formula(kind, 'C', **_FIELDS)} else 0",
        ]
    out += ["    raise ValueError(f'no flag kind {kind}')", ""]
    # condition: ZF, SF and CF straight from a record; anything else from the flags
    record = {
        "C": "carry(kind, a, b, r, size, c) == 1",
        "Z": RESULT["Z"].format(r="r"),
        "S": RESULT["S"].format(r="r", size="size"),
    }
    word = {letter: f"f & {bit} != 0" for letter, bit in BITS.items()}
    others = tuple(k for k in FORMULAS if k not in _RESULT_KINDS)
    test = f"lazy[0] != {others[0]}" if len(others) == 1 else f"lazy[0] not in {others}"
    out += [
        "def condition(cpu, cc):",
        '    """Whether condition code ``cc`` (0-15, Jcc\'s tttn) holds."""',
        "    base = cc >> 1",
        "    lazy = cpu.lazy",
        f"    if lazy is not None and {test}:",
        "        kind, a, b, r, size, c = lazy",
    ]
    # JE/JNE, then JB/JAE, JBE/JA and JS/JNS
    for base in (2, 1, 3, 4):
        text = condition_text(base << 1, record)
        out += [f"        if base == {base}:", f"            return ({text}) != (cc & 1)"]
    out.append("    f = cpu.arith_flags()")
    for base in range(8):
        out += [f"    if base == {base}:", f"        return ({condition_text(base << 1, word)}) != (cc & 1)"]
    out += ["    raise ValueError(f'no condition code {cc}')", ""]
    return "\n".join(out)


SOURCE = _source()  # the source of compute, carry and condition, as they were made
_scope: dict = {"PARITY": PARITY, **{f"{letter}F": bit for letter, bit in BITS.items()}}
exec(compile(SOURCE, "<refvmm.cpu.flags>", "exec"), _scope)
compute = _scope["compute"]
carry = _scope["carry"]
condition = _scope["condition"]


def set_zf(cpu, ok: bool) -> None:
    """Set or clear ZF alone (LAR, LSL, VERR, VERW, ARPL, CMPXCHG8B)."""
    cpu.arith = (cpu.arith_flags() & ~ZF) | (ZF if ok else 0)
