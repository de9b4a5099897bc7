"""From one semantic template and one decoded instruction to Python source.

Every instruction's behaviour is written once, as a template in
``refvmm.cpu.semantics``. This module specialises a template for one decoded
instruction (operand registers, sizes, addressing form, its address) into Python
statements, and records while it does what the binary translator needs to know about
them (``Specialised``). ``compile.compile_instruction`` compiles one instruction's
statements into a function for the interpreter; the binary translator
(``refvmm.engines.bt``) joins the statements of a block's instructions into one
function, and reads only those records and the instructions' properties, never the
statements' text.

This docstring is the reference for the template language; ``tests/test_templates.py``
compiles every template in every form the decoder produces for it.

Choosing a template (``compile.template_key``)
  A key is a mnemonic, or ``mnemonic:kinds`` with one letter per operand (r register,
  m memory, i immediate, s segment register, c control register, d debug register,
  j relative, p far pointer, f x87 register). Jcc, SETcc and CMOVcc use the mnemonics ``jcc``,
  ``setcc`` and ``cmovcc`` (the condition is the ``CC`` token). The first key present
  of ``mnemonic:kinds`` (all operands), ``mnemonic:k`` (the first operand's kind only)
  and ``mnemonic`` is used: ``mov:rc`` (MOV from CR) before ``mov``, ``push:s`` for
  any push of a segment register, ``jmp:j`` before ``jmp``. No key at all raises
  ``Unsupported``.

The language
  A template is Python statements, one per line (blank lines are dropped), run with
  the parameters ``cpu`` (the CpuState), ``m`` (the machine), ``g`` (``cpu.gpr``, the
  eight general registers) and ``u`` (True for a CPL 3 access), and the names of
  ``compile.NAMESPACE`` as globals. Each template is tokenised once (``tokenize``,
  cached by its text): only NAME tokens are replaced, never text in a comment or a
  string literal, nor a name after a dot (``cpu.seg``); f-strings are refused, since
  Python versions tokenise them differently. Besides the tokens below, the specialiser
  writes two kinds of name itself:

  - ``g[n]``, with n a number, is general register n (``g`` is never named otherwise);
    the translator may name the registers differently (locals, in a loop);
  - a name the template assigns (``x = ...``, ``x += ...`` at the start of a
    statement) is a local of the instruction, and the translator gives each
    instruction's locals their own suffix (``a_3``). Templates assign no token, no
    parameter and no name with a leading underscore (those are the translator's).

  The tokens:

  Operands, read at the place they appear:
    ``D`` ``S`` ``S2``  operand 0, 1, 2. A register is its value (``g[0]``,
                     ``(g[3] >> 8 & 0xFF)``), an immediate its value (as decoded:
                     sign-extended to the operand size where the encoding says so),
                     a memory operand ``m.read(lin0, size, u)``, a
                     segment register its selector, ``cpu.cr[n]`` / ``cpu.dr[n]``, a
                     relative operand its signed offset, a far pointer a
                     ``(selector, offset)`` tuple.
    ``ACC``          the accumulator of the operand size (AL, AX or EAX)
    ``CX``           the count register of the address size (CX or ECX)
  Addresses and segments:
    ``EA0`` ``EA1``  the effective address (offset, masked to the address size) of
                     memory operand 0 or 1, as an expression evaluated where it
                     appears (``pop:m`` addresses its destination after ESP moved)
    ``LIN0`` ``LIN1``  the linear address of memory operand 0 or 1 (below), checked
                     for a write when the template writes it or the instruction's
                     properties say a helper does (``w``)
    ``MSEG0``        the segment register number of memory operand 0
    ``DSEG``         the segment override, else DS (XLAT)
    ``SEGSRC``       the source segment of a string instruction (its eSI operand's)
    ``SEG0``         the number of segment register operand 0 (ES=0 ... GS=5)
    ``CREG0`` ``DREG0``  the number of control / debug register operand 0
    ``DREG1``        the number of debug register operand 1 (MOV from DRn)
    ``F0`` ``F1``    the index i of x87 register operand 0 or 1, ST(i)
    ``MBYTES0``      the bytes of memory operand 0 (an x87 image: 14 to 108)
    ``FOP``          the x87 opcode as the FPU records it: the low 3 bits of the first
                     opcode byte, then the ModRM byte (11 bits)
  Sizes and constants of the decoded instruction:
    ``W`` ``MASK`` ``SIGN``  the operand width in bits, its mask and its sign bit
    ``SSIGN``        the sign bit of operand 1's width (MOVSX)
    ``OSZ`` ``ASZ``  the operand and address size (16 or 32)
    ``OMASK`` ``AMASK``  the operand-size mask (EIP wraps at 16 bits with a 16-bit
                     operand size) and the address-size mask
    ``HERE`` ``NEXT``  EIP of this instruction and of the next one (in the code
                     segment's size)
    ``CC``           the condition code (0-15) of Jcc, SETcc, CMOVcc
    ``REP``          the repeat prefix: ``'rep'``, ``'repne'`` or ``None``
  Reading the arithmetic flags:
    ``COND``         whether the instruction's condition holds: ``condition(cpu, CC)``
    ``CARRY``        CF as 0 or 1: ``cpu.carry()``
                     Either is a place the translator may fill with an expression over
                     the locals of the instruction that set the flags (see Flags).

  Writes are whole lines: ``D := expr`` writes operand 0, ``S := expr`` operand 1
  (XCHG, XADD), ``CX := expr`` the count register and ``ACC := expr`` the
  accumulator, with indentation and a trailing comment kept. A register write keeps
  the bits outside the register (AH, the upper word); a memory write is
  ``m.write(lin0, size, expr, u)``; writing an immediate, a relative operand and so
  on is ``Unsupported``. The form must begin its line and end on it; ``X :=``
  anywhere else, or for another token, is a ``TemplateError`` (``:=`` after a local
  name is Python's own).

Memory operands and the read-once rule
  The first mention of memory operand n (by ``D``/``S``, a write, or ``LINn``) puts
  ``ean = <effective address>`` and ``linn = seg_linear(cpu, seg, ean, size,
  write)`` before the template's statements, with ``size`` the operand's bytes (the
  operand size for LEA's sizeless operand): the segment checks (limit, type, and
  the write check when the template writes that operand with ``D :=`` / ``S :=``)
  and the linear address happen once, before the instruction does anything. ``LINn``
  is that ``linn``. Each read or write is then an access through the page tables
  (and to a device, for MMIO) at the place it appears, so naming a memory operand
  twice would read it twice. A template therefore names each of ``D``, ``S`` and
  ``S2`` as a read at most once in its text, whatever the operand's kind (the
  specialiser raises ``TemplateError`` otherwise): to use a value twice, read it
  into a local (``a = D``). A read after a write sees the value written.

Flags
  ``FLAGS(kind, a, b, r, size, carry)`` is a whole line: it records an arithmetic
  operation for the lazy flags (``refvmm.cpu.flags``), ``kind`` a kind's name there
  (ADD, SUB, LOGIC ...) and the others expressions: the operands, the masked result,
  the width and the carry in. It is written as ``cpu.lazy = (<kind's number>, a, b,
  r, size, carry)``. The lazy record and its readers are named only through FLAGS,
  COND and CARRY (``cpu.lazy``, ``cpu.record``, ``cpu.carry`` and ``condition`` in a
  template are a ``TemplateError``), so the translator knows each of them; a template
  may name ``cpu.arith``, ``cpu.arith_flags()`` and ``cpu.eflags`` (CLC, BT, LAHF ...),
  which the translator takes to read and write every flag.

  For each instruction the specialiser records its FLAGS lines (kind, the fields'
  expressions, the line, and whether it is at the top level, so unconditional) and
  which of them, if any, is its result: the last thing in its text that touches the
  flags (a FLAGS, the flag state above, or a call not in
  ``properties.FLAG_NEUTRAL_CALLS``), at the top level, with fields that are numbers,
  constants of the instruction (``W`` ...) or locals assigned once, so that a later
  instruction may read them. A COND or CARRY is offered to the translator (the
  ``reader`` hook) only when nothing in the text before it touches the flags.

What else the specialiser records (``Specialised``)
  The general registers the statements name; whether they reach memory or the machine
  (a memory operand, or ``m`` in the text), may write memory (an operand write,
  ``m.write`` in the text, or the properties' ``m``: a helper that writes memory),
  what they call and whether they raise; and whether the last line stores EIP.

EIP
  ``cpu.eip = NEXT`` is appended to the statements unless the template sets EIP
  itself: a template whose text names ``cpu.eip`` (jumps, string instructions that
  repeat, INTO), or an instruction whose properties say it transfers control
  (``refvmm.cpu.properties``: far transfers, IRET, SYSENTER and INT n, whose helpers
  set EIP or raise), gets nothing appended. ``Specialised.eip_last`` says whether the
  last statement stores EIP (the one appended, or a jump's own), which the translator
  leaves out inside a block.
"""

from __future__ import annotations

import io
import keyword
import tokenize
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from . import flags as F
from .decoder import CReg, DReg, FarPtr, FReg, Imm, Instruction, Mem, Reg, Rel, SReg
from .properties import FLAG_NEUTRAL_CALLS, properties

# general registers by name: (index in ``g``, which part: 32, 16, 8 for the low byte, 0 for the high)
_REGISTERS = {
    **{n: (i, 32) for i, n in enumerate(("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"))},
    **{n: (i, 16) for i, n in enumerate(("ax", "cx", "dx", "bx", "sp", "bp", "si", "di"))},
    **{n: (i, 8) for i, n in enumerate(("al", "cl", "dl", "bl"))},
    **{n: (i, 0) for i, n in enumerate(("ah", "ch", "dh", "bh"))},
}
SEGMENTS = {n: i for i, n in enumerate(("es", "cs", "ss", "ds", "fs", "gs"))}
REGISTER_FILE = tuple(f"g[{i}]" for i in range(8))  # how statements name the registers by default
_READS: dict[tuple[str, ...], dict[str, tuple[int, str]]] = {}  # by the registers' names


def _reads(names: Sequence[str]) -> dict[str, tuple[int, str]]:
    """What reading each register by name is, for the registers named ``names``: its index
    and the expression."""
    names = tuple(names)
    reads = _READS.get(names)
    if reads is None:
        reads = _READS[names] = {}
        for name, (index, part) in _REGISTERS.items():
            g = names[index]
            text = (
                g
                if part == 32
                else f"({g} & 0xFFFF)"
                if part == 16
                else f"({g} & 0xFF)"
                if part == 8
                else None
            )
            reads[name] = (index, text or f"({g} >> 8 & 0xFF)")
    return reads


_DEFAULT_READS = _reads(REGISTER_FILE)


WRITE_TARGETS = frozenset(("D", "S", "CX", "ACC"))
READ_ONCE = frozenset(("D", "S", "S2"))
# the attributes of the CPU that hold or compute the arithmetic flags: a template names
# ``cpu.arith``, ``cpu.arith_flags()`` or ``cpu.eflags`` as it likes (the optimiser then
# leaves the flags alone around it), and the lazy record and its readers only through
# FLAGS, COND and CARRY, which the translator can see
_FLAG_STATE = frozenset(("arith", "arith_flags", "eflags"))
_FLAG_CONSTRUCTS = {"lazy": "FLAGS(...)", "record": "FLAGS(...)", "carry": "CARRY", "condition": "COND"}
# tokens that are a constant of the instruction, so a flag record may name them for later
_CONSTANTS = frozenset(("W", "MASK", "SIGN", "SSIGN", "OSZ", "ASZ", "OMASK", "AMASK", "CC"))


class Unsupported(Exception):
    """The template set has no behaviour for this instruction form yet."""


class TemplateError(ValueError):
    """A template breaks the rules of the template language (see the module docstring)."""


# -- what a specialisation gives ------------------------------------------------------


class Record(NamedTuple):
    """A flag record (``FLAGS``) as the statements write it: ``kind`` (a number of
    ``refvmm.cpu.flags``) and the expressions of its fields (a, b, r, size, carry in),
    the index of its line, and whether that line is at the top level (unconditional)."""

    kind: int
    fields: tuple[str, str, str, str, str]
    line: int
    top: bool


class Specialised:
    """One instruction's statements and what the translator needs to know about them,
    recorded while its template was specialised (nothing here is read back from ``lines``):

    - ``registers``: the general registers the statements name;
    - ``memory``: they reach memory or the machine; ``writes_memory``: they may write
      memory (an operand, ``m.write``, or a helper: property m);
    - ``calls``: the functions and methods the template calls; ``raises``;
    - ``flag_state``: the template names cpu.arith, cpu.arith_flags or cpu.eflags;
      ``flag_calls``: it calls something not known to leave the flags alone;
    - ``records``: its flag records; ``result``: the one that gives the flags the
      instruction leaves, when it is the instruction's last word on the flags,
      unconditional, with fields that are constants or locals assigned once (so a later
      instruction may read them);
    - ``readers``: its COND and CARRY in order, as (cc, or None for CARRY; whether the
      ``reader`` hook filled it in);
    - ``eip_last``: its last line stores EIP at the top level."""

    __slots__ = (
        "lines",
        "registers",
        "memory",
        "writes_memory",
        "readers",
        "eip_last",
        "_template",
        "_records",
        "_shift",
    )

    def __init__(self, lines, registers, memory, writes_memory, readers, eip_last, template, records, shift):
        self.lines: list[str] = lines
        self.registers: set[int] = registers
        self.memory: bool = memory
        self.writes_memory: bool = writes_memory
        self.readers: tuple[tuple[int | None, bool], ...] = readers
        self.eip_last: bool = eip_last
        self._template: Template = template
        self._records = records  # (kind, fields, line in the body, indent, whether it is the result)
        self._shift = shift  # the prologue's lines, before the body

    @property
    def calls(self) -> frozenset[str]:
        return self._template.calls

    @property
    def raises(self) -> bool:
        return self._template.raises

    @property
    def flag_state(self) -> bool:
        return self._template.flag_state

    @property
    def flag_calls(self) -> bool:
        return self._template.flag_calls

    @property
    def records(self) -> tuple[Record, ...]:
        shift = self._shift
        return tuple(
            Record(kind, fields, line + shift, not indent) for kind, fields, line, indent, _ in self._records
        )

    @property
    def result(self) -> Record | None:
        shift = self._shift
        for kind, fields, line, _indent, result in self._records:
            if result:
                return Record(kind, fields, line + shift, True)
        return None

    def __repr__(self) -> str:
        return f"Specialised({self.lines!r})"


# -- the tokens: what each becomes for one instruction --------------------------------


def _memory(sp: Specialiser, index: int) -> Mem:
    op = sp.operand(index)
    if not isinstance(op, Mem):
        raise Unsupported("a register where memory is required")
    return op


def _ea(sp: Specialiser, index: int) -> str:
    op = sp.operand(index)
    if not isinstance(op, Mem):
        raise Unsupported("EA of a register")
    return sp.effective_address(op, index)


def _x87_register(sp: Specialiser, index: int) -> int:
    op = sp.operand(index)
    if not isinstance(op, FReg):
        raise Unsupported("an x87 register is required")
    return op.index


def _modrm_byte(ins: Instruction) -> int:
    m = ins.modrm
    return m.mod << 6 | m.reg << 3 | m.rm


def _segsrc(sp: Specialiser) -> str:
    for op in sp.ins.operands:
        if isinstance(op, Mem) and op.base in ("esi", "si"):
            return str(SEGMENTS[op.segment])
    return str(SEGMENTS["ds"])


def _width_of(op) -> int:
    if isinstance(op, (Reg, Mem, Imm)) and op.size:
        return op.size
    raise Unsupported(f"width of {op!r}")


_SLOTS = {
    "D": lambda sp: sp.read(0, "D" in sp.writes, not sp.props.conditional_write),
    "S": lambda sp: sp.read(1, "S" in sp.writes),
    "S2": lambda sp: sp.read(2, False),
    "ACC": lambda sp: sp.reg_read(sp.accumulator()),
    "CX": lambda sp: sp.reg_read(sp.counter()),
    "EA0": lambda sp: _ea(sp, 0),
    "EA1": lambda sp: _ea(sp, 1),
    "LIN0": lambda sp: sp.mem_linear(0, _memory(sp, 0), "D" in sp.writes or sp.props.writes_memory),
    "LIN1": lambda sp: sp.mem_linear(1, _memory(sp, 1), "S" in sp.writes or sp.props.writes_memory),
    "MSEG0": lambda sp: str(SEGMENTS[sp.operand(0).segment]),
    "DSEG": lambda sp: str(SEGMENTS[sp.ins.segment or "ds"]),
    "SEGSRC": _segsrc,
    "SEG0": lambda sp: str(SEGMENTS[sp.operand(0).name]),
    "CREG0": lambda sp: str(sp.operand(0).number),
    "F0": lambda sp: str(_x87_register(sp, 0)),
    "F1": lambda sp: str(_x87_register(sp, 1)),
    "MBYTES0": lambda sp: str(_memory(sp, 0).size // 8),
    "FOP": lambda sp: str((sp.ins.opcode & 7) << 8 | _modrm_byte(sp.ins)),
    "DREG0": lambda sp: str(sp.operand(0).number),
    "DREG1": lambda sp: str(sp.operand(1).number),
    "W": lambda sp: str(sp.ins.operand_size),
    "MASK": lambda sp: str((1 << sp.ins.operand_size) - 1),
    "SIGN": lambda sp: str(1 << (sp.ins.operand_size - 1)),
    "SSIGN": lambda sp: str(1 << (_width_of(sp.operand(1)) - 1)),
    "OSZ": lambda sp: str(sp.ins.operand_size),
    "ASZ": lambda sp: str(sp.ins.address_size),
    "OMASK": lambda sp: str(0xFFFF if sp.ins.operand_size == 16 else 0xFFFFFFFF),
    "AMASK": lambda sp: str(0xFFFF if sp.ins.address_size == 16 else 0xFFFFFFFF),
    "HERE": lambda sp: sp.const("here", sp.here),
    "NEXT": lambda sp: sp.next_eip(),
    "CC": lambda sp: str(sp.ins.cond),
    "REP": lambda sp: repr(sp.ins.rep),
    # the flag readers: each is a place the translator may fill (see Specialiser.reader)
    "COND": lambda sp: sp.condition(True),
    "CARRY": lambda sp: sp.carry(True),
}
TOKENS = frozenset(_SLOTS)
# a reader after the template has touched the flags reads what it wrote: never filled in
_READ_AFTER_WRITE = {"COND": lambda sp: sp.condition(False), "CARRY": lambda sp: sp.carry(False)}


def _local(name: str):
    return lambda sp: name + sp.suffix


def _register(index: int):
    return lambda sp: sp.register(index)


# -- templates, tokenised once ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Line:
    """One template line: ``parts`` alternates literal text and slot fillers (odd
    indices: ``filler(specialiser) -> text``). For a write form, ``target`` is the written
    token and ``parts`` its expression; for ``FLAGS``, ``target`` is ``"FLAGS"``, ``kind``
    the record's kind, ``fields`` the parts of each field and ``result`` whether it is
    the template's result. ``indent`` and ``suffix`` (a trailing comment) surround either."""

    target: str | None
    parts: tuple
    indent: str = ""
    suffix: str = ""
    kind: int = 0
    fields: tuple = ()
    result: bool = False


@dataclass(frozen=True, slots=True)
class Template:
    lines: tuple[_Line, ...]
    plain: tuple[_Line, ...]  # the lines with the locals and registers as written (no suffix, g[n])
    writes: frozenset[str]  # the write targets of its write forms
    sets_eip: bool  # names ``cpu.eip``: no ``cpu.eip = NEXT`` is appended
    eip_last: bool  # its last line stores ``cpu.eip`` at the top level
    registers: frozenset[int]  # ``g[n]`` it names
    machine: bool  # names ``m``
    stores: bool  # calls ``m.write``
    calls: frozenset[str]  # ``name``, ``obj.name`` or ``.name`` of each call
    raises: bool
    flag_state: bool
    flag_calls: bool  # a call not in properties.FLAG_NEUTRAL_CALLS
    result: bool  # its last word on the flags is a FLAGS a later instruction may read


_PARSED: dict[str, Template] = {}


def parse(template: str) -> Template:
    """The template tokenised into literal text and token slots (cached by its text)."""
    parsed = _PARSED.get(template)
    if parsed is None:
        parsed = _PARSED[template] = _parse(template)
    return parsed


_ASSIGN = frozenset(("=", "+=", "-=", "*=", "//=", "%=", "&=", "|=", "^=", ">>=", "<<=", "**="))


def _assigned(tokens: list[tokenize.TokenInfo]) -> dict[str, int]:
    """The names a template assigns (``x = ...``, ``x += ...`` at the start of a
    statement), with how often."""
    counts: dict[str, int] = {}
    starts = True
    for i, tok in enumerate(tokens):
        if tok.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            starts = True
            continue
        if tok.type in (tokenize.COMMENT, tokenize.NL):
            continue
        if starts and tok.type == tokenize.NAME and tokens[i + 1].string in _ASSIGN:
            counts[tok.string] = counts.get(tok.string, 0) + 1
        starts = False
    return counts


def _parse(template: str) -> Template:
    lines = [line for line in template.strip("\n").splitlines() if line.strip()]
    text = "\n".join(lines) + "\n"
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError) as exc:
        raise TemplateError(f"{exc}: {template!r}") from None

    def refuse(message: str):
        raise TemplateError(f"{message}: {template!r}")

    assigned = _assigned(tokens)
    for name in assigned:
        if name in TOKENS or name in ("cpu", "m", "g", "u") or name.startswith("_"):
            refuse(f"{name} is not a name a template may assign")
    # per row: (start column, end column, filler, what it is: a token, ("local", name) ...)
    slots: dict[int, list[tuple[int, int, object, object]]] = {row: [] for row in range(1, len(lines) + 1)}
    writes: dict[int, tuple[str, int, int]] = {}  # row -> (target, its column, the expression's column)
    records: dict[int, tuple[int, int, int, list[tuple[int, int]]]] = {}  # row -> (kind, column, end, fields)
    comments: dict[int, int] = {}  # row -> column of a comment
    reads: dict[str, int] = {}
    calls: set[str] = set()
    registers: set[int] = set()
    machine = stores = raises = flag_state = flag_calls = False
    touched = False  # the flags were written or may have been, textually before here
    last_event: int | None = None  # the row of the last FLAGS, or -1 for any other touch
    eip_rows: set[int] = set()  # rows whose statement stores cpu.eip at the top level
    line_start = True
    depth = 0
    sets_eip = False
    for i, tok in enumerate(tokens):
        kind, name = tok.type, tok.string
        if kind in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            line_start = True
            continue
        if kind in (tokenize.COMMENT, tokenize.NL):
            if kind == tokenize.COMMENT:
                comments[tok.start[0]] = tok.start[1]
            continue
        if (
            kind == tokenize.STRING
            and "f" in name[: name.find(name[-1])].lower()
            or tokenize.tok_name[kind] == "FSTRING_START"
        ):
            refuse("an f-string in a template (write the expression outside it)")
        starts, line_start = line_start, False
        if kind == tokenize.OP:
            depth += name in "([{" and 1 or name in ")]}" and -1 or 0
        if kind != tokenize.NAME:
            continue
        row = tok.start[0]
        before = tokens[i - 1].string if i else ""
        after = tokens[i + 1]
        if before == ".":
            owner = tokens[i - 2]
            if owner.string == "cpu" and (i < 3 or tokens[i - 3].string != "."):
                if name in _FLAG_CONSTRUCTS:
                    refuse(f"cpu.{name}: write {_FLAG_CONSTRUCTS[name]}")
                if name in _FLAG_STATE:
                    flag_state = touched = True
                    last_event = -1
                    continue
                if name == "eip":
                    sets_eip = True
                    if owner.start[1] == 0 and after.string == "=":
                        eip_rows.add(row)
            if after.string == "(":  # a method: of a name (``m.read``), or of a value (``.bit_length``)
                named = (
                    owner.type == tokenize.NAME
                    and owner.string not in TOKENS
                    and owner.string not in assigned
                )
                dotted = f"{owner.string}.{name}" if named else f".{name}"
                calls.add(dotted)
                if dotted not in FLAG_NEUTRAL_CALLS:
                    flag_calls = touched = True
                    last_event = -1
                stores = stores or dotted == "m.write"
            continue
        if keyword.iskeyword(name):
            raises = raises or name == "raise"
            continue
        if name == "FLAGS" and after.string == "(":
            if not starts:
                refuse("FLAGS(...) must begin a line")
            records[row] = _record_fields(tokens, i, refuse)  # its fields are tokens as any others
            touched = True
            last_event = row
            continue
        if name == "condition":
            refuse("condition(...): write COND")
        if after.string == "(":
            calls.add(name)
            if name not in FLAG_NEUTRAL_CALLS:
                flag_calls = touched = True
                last_event = -1
            # a call's arguments are read before it runs: a reader among them is still fine
        if name == "g":
            index = tokens[i + 2] if after.string == "[" else None
            if index is None or index.type != tokenize.NUMBER or tokens[i + 3].string != "]":
                refuse("name a general register as g[n], n a number")
            n = int(index.string, 0)
            registers.add(n)
            slots[row].append((tok.start[1], tokens[i + 3].end[1], _register(n), ("register", n)))
            continue
        if name == "m":
            machine = True
            continue
        if name in assigned:
            if not (after.string == "=" and depth > 0):  # a keyword argument is not the local
                slots[row].append((tok.start[1], tok.end[1], _local(name), ("local", name)))
            continue
        if name not in TOKENS:
            continue
        if after.string == ":=":
            if name not in WRITE_TARGETS or not starts:
                refuse(f"{name} := must begin a line, for D, S, CX or ACC")
            end = next(t for t in tokens[i:] if t.type == tokenize.NEWLINE)
            if end.start[0] != row:
                refuse(f"{name} := must end on its line")
            writes[row] = (name, tok.start[1], tokens[i + 2].start[1])
            continue
        if name in READ_ONCE:
            reads[name] = reads.get(name, 0) + 1
            if reads[name] > 1:
                refuse(f"{name} is read twice (read it into a local once)")
        filler = _READ_AFTER_WRITE[name] if touched and name in _READ_AFTER_WRITE else _SLOTS[name]
        slots[row].append((tok.start[1], tok.end[1], filler, name))

    def split(line: str, begin: int, end: int, row: int, plain: bool = False) -> tuple:
        parts, at, text = [], begin, ""
        for start, stop, filler, what in slots[row]:
            if begin <= start < end:
                text += line[at:start]
                if plain and isinstance(what, tuple):  # a local or a register, as written
                    text += line[start:stop]
                else:
                    parts += [text, filler]
                    text = ""
                at = stop
        return (*parts, text + line[at:end])

    def stable(row: int, begin: int, end: int) -> bool:
        """A field that is a number, a constant of the instruction or a local assigned
        once: still its value after the instruction, for a later one to read."""
        inside = [what for start, _stop, _f, what in slots[row] if begin <= start < end]
        literal = "".join(split(lines[row - 1], begin, end, row)[::2]).strip()
        if not inside:
            try:
                int(literal, 0)
            except ValueError:
                return False
            return True
        if len(inside) != 1 or literal:
            return False
        what = inside[0]
        if isinstance(what, tuple):
            return what[0] == "local" and assigned[what[1]] == 1
        return what in _CONSTANTS

    out: dict[bool, list[_Line]] = {False: [], True: []}  # named, plain
    for row, line in enumerate(lines, 1):
        code_end = len(line[: comments.get(row, len(line))].rstrip())
        for plain in (False, True):
            if row in writes:
                target, column, begin = writes[row]
                parts = split(line, begin, code_end, row, plain)
                out[plain].append(_Line(target, parts, line[:column], line[code_end:]))
            elif row in records:
                kind, column, end, spans = records[row]
                if end != code_end:
                    refuse("FLAGS(...) must be the whole statement")
                fields = tuple(split(line, a, b, row, plain) for a, b in spans)
                result = row == last_event and column == 0 and all(stable(row, a, b) for a, b in spans)
                out[plain].append(_Line("FLAGS", (), line[:column], line[code_end:], kind, fields, result))
            else:
                out[plain].append(_Line(None, split(line, 0, len(line), row, plain)))
    last_row = len(lines)
    return Template(
        lines=tuple(out[False]),
        plain=tuple(out[True]),
        writes=frozenset(target for target, _, _ in writes.values()),
        sets_eip=sets_eip,
        eip_last=last_row in eip_rows,
        registers=frozenset(registers),
        machine=machine,
        stores=stores,
        calls=frozenset(calls),
        raises=raises,
        flag_state=flag_state,
        flag_calls=flag_calls,
        result=any(line.result for line in out[False]),
    )


def _record_fields(
    tokens: list[tokenize.TokenInfo], i: int, refuse
) -> tuple[int, int, int, list[tuple[int, int]]]:
    """``FLAGS(kind, a, b, r, size, carry)`` at token ``i``: the kind, the construct's
    column and end column, and the column span of each of the five fields."""
    row = tokens[i].start[0]
    depth, spans, start = 0, [], tokens[i + 2].start[1]
    for j in range(i + 1, len(tokens)):
        tok = tokens[j]
        if tok.start[0] != row:
            refuse("FLAGS(...) must end on its line")
        if tok.type == tokenize.OP and tok.string in "([{":
            depth += 1
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth -= 1
            if depth == 0:
                spans.append((start, tok.start[1]))
                end = tok.end[1]
                break
        elif depth == 1 and tok.string == ",":
            spans.append((start, tok.start[1]))
            start = tokens[j + 1].start[1]
    kind_token = tokens[i + 2]
    if len(spans) != 6 or kind_token.string not in F.KINDS or spans[0][1] != kind_token.end[1]:
        refuse("write FLAGS(kind, a, b, r, size, carry), kind a name in refvmm.cpu.flags")
    return F.KINDS[kind_token.string], tokens[i].start[1], end, spans[1:]


class Specialiser:
    """Turns (template, instruction) into Python statements. With ``per_form``, the values
    of this one instruction (its EIP and the next, immediates, displacements, relative
    and far targets) are names ``_k0``, ``_k1`` ... whose values are ``params``, so every
    instruction of the same form gets the same statements (compiled once, see
    ``compile``).

    The translator's hooks: ``suffix`` is added to every local name the statements assign
    (the template's and the memory operands' ``ean`` and ``linn``); ``registers`` are the
    eight names the statements use for the general registers (``g[0]`` ... by default);
    ``reader(cc)`` is asked for the text of each COND (``cc`` its condition code) and
    CARRY (``cc`` None) that the template reads before it touches the flags, and gives
    an expression, or None for the plain ``condition(cpu, cc)`` / ``cpu.carry()``."""

    def __init__(
        self,
        ins: Instruction,
        here: int,
        code_bits: int,
        per_form: bool = False,
        *,
        suffix: str = "",
        registers: Sequence[str] = REGISTER_FILE,
        reader: Callable[[int | None], str | None] | None = None,
    ):
        self.ins = ins
        self.props = properties(ins)
        self.here, self.code_bits = here, code_bits
        # a branch's target is wrapped by its operand size (OMASK); the next instruction's
        # EIP is wrapped only in real-address mode (``next_eip``)
        self.next = (here + ins.length) & 0xFFFFFFFF
        # the mode and privilege checks (properties r and p) before any operand is touched
        self.prologue: list[str] = ["check_protected(cpu)"] if self.props.protected_only else []
        if self.props.privileged:
            self.prologue.append("check_cpl0(cpu)")
        self.linear: dict[int, str] = {}
        self.writes: frozenset[str] = frozenset()
        self.params: list[int] | None = [] if per_form else None
        self._named: dict[str, str] = {}
        self.suffix = suffix
        self.names = registers
        self._reads = _DEFAULT_READS if registers is REGISTER_FILE else _reads(registers)
        self.reader = reader
        self.registers: set[int] = set()
        self.readers: tuple[tuple[int | None, bool], ...] = ()
        self.stores = False

    def quantities(self) -> list[str]:
        """What each of ``params`` is ("here", "next", "disp0", "imm1", "rel", "selector",
        "offset"), in their order."""
        return list(self._named)

    def next_eip(self) -> str:
        """NEXT, the EIP after the instruction. In 16-bit code one that ends at 0xFFFF
        leaves EIP 0x10000, where the next fetch meets the CS limit in protected and
        virtual-8086 mode; real-address mode wraps IP to 0, as the 8086 did. Such an
        instance is specialised alone (never per form: the core keeps it out of forms)."""
        if self.code_bits == 16 and self.next > 0xFFFF:
            return f"({self.next:#x} if cpu.protected else {self.next & 0xFFFF:#x})"
        return self.const("next", self.next)

    def const(self, what: str, value, text: str | None = None) -> str:
        """An instance value: ``text`` (or the value) in the statements, or a name for it
        when specialising per form."""
        if self.params is None:
            return text if text is not None else str(value)
        name = self._named.get(what)  # each quantity one name, however often it is named
        if name is None:
            name = self._named[what] = f"_k{len(self.params)}"
            self.params.append(value)
        return name

    # -- general registers, named here and nowhere else --

    def register(self, index: int) -> str:
        self.registers.add(index)
        return self.names[index]

    def reg_read(self, name: str) -> str:
        try:
            index, text = self._reads[name]
        except KeyError:
            raise Unsupported(f"register {name}") from None
        self.registers.add(index)
        return text

    def reg_write(self, name: str, value: str) -> str:
        try:
            index, part = _REGISTERS[name]
        except KeyError:
            raise Unsupported(f"register {name}") from None
        self.registers.add(index)
        g = self.names[index]
        if part == 32:
            return f"{g} = ({value}) & 0xFFFFFFFF"
        if part == 16:
            return f"{g} = {g} & 0xFFFF0000 | ({value}) & 0xFFFF"
        if part == 8:
            return f"{g} = {g} & 0xFFFFFF00 | ({value}) & 0xFF"
        return f"{g} = {g} & 0xFFFF00FF | (({value}) & 0xFF) << 8"

    def effective_address(self, mem: Mem, index: int) -> str:
        """The offset of memory operand ``index``; made per form, its displacement is a
        name even when 0."""
        parts = []
        for name, scale in ((mem.base, 1), (mem.index, mem.scale)):
            if name is None:
                continue
            term = self.reg_read(name)
            parts.append(term if scale == 1 else f"{term} * {scale}")
        if self.params is not None:
            parts.append(self.const(f"disp{index}", mem.disp & 0xFFFFFFFF))
        elif mem.disp or not parts:
            parts.append(str(mem.disp & 0xFFFFFFFF))
        mask = 0xFFFF if mem.address_size == 16 else 0xFFFFFFFF
        return f"(({' + '.join(parts)}) & {mask:#x})"

    # -- the flag readers --

    def condition(self, fill: bool) -> str:
        cc = self.ins.cond
        text = self.reader(cc) if fill and self.reader is not None else None
        self.readers += ((cc, text is not None),)
        return text if text is not None else f"condition(cpu, {cc})"

    def carry(self, fill: bool) -> str:
        text = self.reader(None) if fill and self.reader is not None else None
        self.readers += ((None, text is not None),)
        return text if text is not None else "cpu.carry()"

    # -- operands --

    def width(self) -> int:
        return self.ins.operand_size

    def accumulator(self) -> str:
        return {8: "al", 16: "ax", 32: "eax"}[self.width()]

    def counter(self) -> str:
        return "cx" if self.ins.address_size == 16 else "ecx"

    def mem_linear(self, index: int, op: Mem, write: bool) -> str:
        if index not in self.linear:
            ea, name = f"ea{index}{self.suffix}", f"lin{index}{self.suffix}"
            size = (op.size or self.width()) // 8
            seg = SEGMENTS[op.segment]
            self.prologue.append(f"{ea} = {self.effective_address(op, index)}")
            self.prologue.append(f"{name} = seg_linear(cpu, {seg}, {ea}, {size}, {write})")
            self.linear[index] = name
        return self.linear[index]

    def read(self, index: int, writes: bool, walk_as_write: bool = True) -> str:
        op = self.operand(index)
        if isinstance(op, Reg):
            return self.reg_read(op.name)
        if isinstance(op, Imm):
            value = op.value & ((1 << max(op.size, self.width())) - 1)
            return self.const(f"imm{index}", value, f"{value:#x}")
        if isinstance(op, Mem):
            lin = self.mem_linear(index, op, writes)
            if writes and walk_as_write:  # a read-modify-write: walked as a write
                return f"m.read({lin}, {(op.size or self.width()) // 8}, u, True)"
            return f"m.read({lin}, {(op.size or self.width()) // 8}, u)"
        if isinstance(op, SReg):
            return f"cpu.seg[{SEGMENTS[op.name]}].selector"
        if isinstance(op, CReg):
            return f"cpu.cr[{op.number}]"
        if isinstance(op, DReg):
            return f"cpu.dr[{op.number}]"
        if isinstance(op, Rel):
            return self.const("rel", op.offset)
        if isinstance(op, FarPtr):
            selector = self.const("selector", op.selector, f"{op.selector:#x}")
            return f"({selector}, {self.const('offset', op.offset, f'{op.offset:#x}')})"
        raise Unsupported(f"operand {op!r}")

    def write(self, index: int, value: str) -> str:
        op = self.operand(index)
        if isinstance(op, Reg):
            return self.reg_write(op.name, value)
        if isinstance(op, Mem):
            lin = self.mem_linear(index, op, True)
            self.stores = True
            return f"m.write({lin}, {(op.size or self.width()) // 8}, {value}, u)"
        raise Unsupported(f"write to {op!r}")

    def operand(self, index: int):
        try:
            return self.ins.operands[index]
        except IndexError:
            raise Unsupported(f"{self.ins.mnemonic} has no operand {index}") from None

    def _fill(self, parts: tuple) -> str:
        if len(parts) == 1:
            return parts[0]
        filled = list(parts)
        for i in range(1, len(filled), 2):
            filled[i] = filled[i](self)
        return "".join(filled)

    def specialise(self, template: str) -> Specialised:
        parsed = parse(template)
        self.writes = parsed.writes
        # without the translator's names, the template's locals and registers stand as written
        plain = not self.suffix and self.names is REGISTER_FILE
        fill = self._fill
        body = []
        records = []  # (kind, fields, line, indent, whether it is the result)
        for line in parsed.plain if plain else parsed.lines:
            target = line.target
            if target == "FLAGS":
                fields = [field[0] if len(field) == 1 else fill(field) for field in line.fields]
                records.append((line.kind, tuple(fields), len(body), line.indent, line.result))
                body.append(f"{line.indent}cpu.lazy = ({line.kind}, {', '.join(fields)}){line.suffix}")
                continue
            parts = line.parts
            if len(parts) == 1:
                text = parts[0]
            else:
                filled = list(parts)
                for i in range(1, len(filled), 2):
                    filled[i] = filled[i](self)
                text = "".join(filled)
            if target is None:
                body.append(text)
            elif target == "D" or target == "S":
                body.append(line.indent + self.write(0 if target == "D" else 1, text) + line.suffix)
            else:
                name = self.counter() if target == "CX" else self.accumulator()
                body.append(line.indent + self.reg_write(name, text) + line.suffix)
        eip_last = parsed.eip_last
        if not (parsed.sets_eip or self.props.control):
            body.append(f"cpu.eip = {self.next_eip()}")
            eip_last = True
        shift = len(self.prologue)
        if shift:
            body = self.prologue + body
        registers = self.registers
        if parsed.registers:
            registers |= parsed.registers
        return Specialised(
            body,
            registers,
            bool(self.linear) or parsed.machine,
            self.stores or parsed.stores or self.props.helper_writes,
            self.readers,
            eip_last,
            parsed,
            records,
            shift,
        )
