"""From one semantic template and one decoded instruction to Python source.

Every instruction's behaviour is written once, as a template in
``refvmm.cpu.semantics``. This module specialises a template for one decoded
instruction (operand registers, sizes, addressing form, its address) into Python
statements. ``compile.compile_instruction`` compiles one instruction's statements into
a function for the interpreter; the binary translator (``refvmm.engines.bt``) joins
the statements of a block's instructions into one function.

This docstring is the reference for the template language; ``tests/test_templates.py``
compiles every template in every form the decoder produces for it.

Choosing a template (``compile.template_key``)
  A key is a mnemonic, or ``mnemonic:kinds`` with one letter per operand (r register,
  m memory, i immediate, s segment register, c control register, d debug register,
  j relative, p far pointer). Jcc, SETcc and CMOVcc use the mnemonics ``jcc``,
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
  string literal, nor a name after a dot (``F.ADD``); f-strings are refused, since
  Python versions tokenise them differently. The tokens:

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

EIP
  ``cpu.eip = NEXT`` is appended to the statements unless the template sets EIP
  itself: a template whose text names ``cpu.eip`` (jumps, string instructions that
  repeat, INTO), or an instruction whose properties say it transfers control
  (``refvmm.cpu.properties``: far transfers, IRET, SYSENTER and INT n, whose helpers
  set EIP or raise), gets nothing appended. The translator relies on the appended
  ``cpu.eip = ...`` being the last statement.
"""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass

from .decoder import CReg, DReg, FarPtr, Imm, Instruction, Mem, Reg, Rel, SReg
from .properties import properties

GPR32 = {n: i for i, n in enumerate(("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"))}
GPR16 = {n: i for i, n in enumerate(("ax", "cx", "dx", "bx", "sp", "bp", "si", "di"))}
GPR8L = {"al": 0, "cl": 1, "dl": 2, "bl": 3}
GPR8H = {"ah": 0, "ch": 1, "dh": 2, "bh": 3}
SEGMENTS = {n: i for i, n in enumerate(("es", "cs", "ss", "ds", "fs", "gs"))}

WRITE_TARGETS = frozenset(("D", "S", "CX", "ACC"))
READ_ONCE = frozenset(("D", "S", "S2"))


class Unsupported(Exception):
    """The template set has no behaviour for this instruction form yet."""


class TemplateError(ValueError):
    """A template breaks the rules of the template language (see the module docstring)."""


def reg_read(name: str) -> str:
    if name in GPR32:
        return f"g[{GPR32[name]}]"
    if name in GPR16:
        return f"(g[{GPR16[name]}] & 0xFFFF)"
    if name in GPR8L:
        return f"(g[{GPR8L[name]}] & 0xFF)"
    if name in GPR8H:
        return f"(g[{GPR8H[name]}] >> 8 & 0xFF)"
    raise Unsupported(f"register {name}")


def reg_write(name: str, value: str) -> str:
    if name in GPR32:
        return f"g[{GPR32[name]}] = ({value}) & 0xFFFFFFFF"
    if name in GPR16:
        i = GPR16[name]
        return f"g[{i}] = g[{i}] & 0xFFFF0000 | ({value}) & 0xFFFF"
    if name in GPR8L:
        i = GPR8L[name]
        return f"g[{i}] = g[{i}] & 0xFFFFFF00 | ({value}) & 0xFF"
    if name in GPR8H:
        i = GPR8H[name]
        return f"g[{i}] = g[{i}] & 0xFFFF00FF | (({value}) & 0xFF) << 8"
    raise Unsupported(f"register {name}")


def effective_address(mem: Mem, const=None) -> str:
    """The offset of a memory operand; ``const`` (a Specialiser's) names the displacement
    when the handler is made per form, where it is there even when 0."""
    parts = []
    for name, scale in ((mem.base, 1), (mem.index, mem.scale)):
        if name is None:
            continue
        term = reg_read(name)
        parts.append(term if scale == 1 else f"{term} * {scale}")
    if const is not None:
        parts.append(const("disp", mem.disp & 0xFFFFFFFF))
    elif mem.disp or not parts:
        parts.append(str(mem.disp & 0xFFFFFFFF))
    mask = 0xFFFF if mem.address_size == 16 else 0xFFFFFFFF
    return f"(({' + '.join(parts)}) & {mask:#x})"


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
    return effective_address(op, sp.disp_namer(index))


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
    "D": lambda sp: sp.read(0, "D" in sp.writes),
    "S": lambda sp: sp.read(1, "S" in sp.writes),
    "S2": lambda sp: sp.read(2, False),
    "ACC": lambda sp: reg_read(sp.accumulator()),
    "CX": lambda sp: reg_read(sp.counter()),
    "EA0": lambda sp: _ea(sp, 0),
    "EA1": lambda sp: _ea(sp, 1),
    "LIN0": lambda sp: sp.mem_linear(0, _memory(sp, 0), "D" in sp.writes or sp.props.writes_memory),
    "LIN1": lambda sp: sp.mem_linear(1, _memory(sp, 1), "S" in sp.writes or sp.props.writes_memory),
    "MSEG0": lambda sp: str(SEGMENTS[sp.operand(0).segment]),
    "DSEG": lambda sp: str(SEGMENTS[sp.ins.segment or "ds"]),
    "SEGSRC": _segsrc,
    "SEG0": lambda sp: str(SEGMENTS[sp.operand(0).name]),
    "CREG0": lambda sp: str(sp.operand(0).number),
    "DREG0": lambda sp: str(sp.operand(0).number),
    "W": lambda sp: str(sp.ins.operand_size),
    "MASK": lambda sp: str((1 << sp.ins.operand_size) - 1),
    "SIGN": lambda sp: str(1 << (sp.ins.operand_size - 1)),
    "SSIGN": lambda sp: str(1 << (_width_of(sp.operand(1)) - 1)),
    "OSZ": lambda sp: str(sp.ins.operand_size),
    "ASZ": lambda sp: str(sp.ins.address_size),
    "OMASK": lambda sp: str(0xFFFF if sp.ins.operand_size == 16 else 0xFFFFFFFF),
    "AMASK": lambda sp: str(0xFFFF if sp.ins.address_size == 16 else 0xFFFFFFFF),
    "HERE": lambda sp: sp.const("here", sp.here),
    "NEXT": lambda sp: sp.const("next", sp.next),
    "CC": lambda sp: str(sp.ins.cond),
    "REP": lambda sp: repr(sp.ins.rep),
}
TOKENS = frozenset(_SLOTS)


# -- templates, tokenised once ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Line:
    """One template line: ``parts`` alternates literal text and token names (odd
    indices); for a write form, ``target`` is the written token, ``parts`` its
    expression, and ``indent`` and ``suffix`` (a trailing comment) surround the write."""

    target: str | None
    parts: tuple[str, ...]
    indent: str = ""
    suffix: str = ""


@dataclass(frozen=True, slots=True)
class Template:
    lines: tuple[_Line, ...]
    writes: frozenset[str]  # the write targets of its write forms
    sets_eip: bool  # names ``cpu.eip``: no ``cpu.eip = NEXT`` is appended


_PARSED: dict[str, Template] = {}


def parse(template: str) -> Template:
    """The template tokenised into literal text and token slots (cached by its text)."""
    parsed = _PARSED.get(template)
    if parsed is None:
        parsed = _PARSED[template] = _parse(template)
    return parsed


def _parse(template: str) -> Template:
    lines = [line for line in template.strip("\n").splitlines() if line.strip()]
    text = "\n".join(lines) + "\n"
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError) as exc:
        raise TemplateError(f"{exc}: {template!r}") from None
    slots: dict[int, list[tuple[int, int, str]]] = {row: [] for row in range(1, len(lines) + 1)}
    writes: dict[int, tuple[str, int, int]] = {}  # row -> (target, its column, the expression's column)
    comments: dict[int, int] = {}  # row -> column of a comment
    reads: dict[str, int] = {}
    line_start = True
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
            raise TemplateError(f"an f-string in a template (write the expression outside it): {template!r}")
        starts, line_start = line_start, False
        if kind != tokenize.NAME or name not in TOKENS or (i and tokens[i - 1].string == "."):
            continue
        after = tokens[i + 1]
        if after.string == ":=":
            if name not in WRITE_TARGETS or not starts:
                raise TemplateError(f"{name} := must begin a line, for D, S, CX or ACC: {template!r}")
            end = next(t for t in tokens[i:] if t.type == tokenize.NEWLINE)
            if end.start[0] != tok.start[0]:
                raise TemplateError(f"{name} := must end on its line: {template!r}")
            writes[tok.start[0]] = (name, tok.start[1], tokens[i + 2].start[1])
            continue
        if name in READ_ONCE:
            reads[name] = reads.get(name, 0) + 1
            if reads[name] > 1:
                raise TemplateError(f"{name} is read twice (read it into a local once): {template!r}")
        slots[tok.start[0]].append((tok.start[1], tok.end[1], name))

    def split(line: str, begin: int, end: int, row: int) -> tuple[str, ...]:
        parts, at = [], begin
        for start, stop, name in slots[row]:
            if begin <= start < end:
                parts += [line[at:start], name]
                at = stop
        return (*parts, line[at:end])

    out = []
    for row, line in enumerate(lines, 1):
        if row in writes:
            target, column, begin = writes[row]
            end = len(line[: comments.get(row, len(line))].rstrip())
            out.append(_Line(target, split(line, begin, end, row), line[:column], line[end:]))
        else:
            out.append(_Line(None, split(line, 0, len(line), row)))
    sets_eip = any("cpu.eip" in line for line in lines)
    return Template(tuple(out), frozenset(target for target, _, _ in writes.values()), sets_eip)


class Specialiser:
    """Turns (template, instruction) into Python statements. With ``per_form``, the values
    of this one instruction (its EIP and the next, immediates, displacements, relative
    and far targets) are names ``_k0``, ``_k1`` ... whose values are ``params``, so every
    instruction of the same form gets the same statements (compiled once, see
    ``compile``)."""

    def __init__(self, ins: Instruction, here: int, code_bits: int, per_form: bool = False):
        self.ins = ins
        self.props = properties(ins)
        self.here = here
        self.next = (here + ins.length) & (0xFFFFFFFF if code_bits == 32 else 0xFFFF)
        self.prologue: list[str] = []
        self.linear: dict[int, str] = {}
        self.writes: frozenset[str] = frozenset()
        self.params: list[int] | None = [] if per_form else None
        self._named: dict[str, str] = {}

    def disp_namer(self, index: int):
        """What ``effective_address`` names memory operand ``index``'s displacement with."""
        if self.params is None:
            return None
        return lambda what, value: self.const(f"{what}{index}", value)

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

    def width(self) -> int:
        return self.ins.operand_size

    def accumulator(self) -> str:
        return {8: "al", 16: "ax", 32: "eax"}[self.width()]

    def counter(self) -> str:
        return "cx" if self.ins.address_size == 16 else "ecx"

    def mem_linear(self, index: int, op: Mem, write: bool) -> str:
        if index not in self.linear:
            name = f"lin{index}"
            size = (op.size or self.width()) // 8
            seg = SEGMENTS[op.segment]
            self.prologue.append(f"ea{index} = {effective_address(op, self.disp_namer(index))}")
            self.prologue.append(f"{name} = seg_linear(cpu, {seg}, ea{index}, {size}, {write})")
            self.linear[index] = name
        return self.linear[index]

    def read(self, index: int, writes: bool) -> str:
        op = self.operand(index)
        if isinstance(op, Reg):
            return reg_read(op.name)
        if isinstance(op, Imm):
            value = op.value & ((1 << max(op.size, self.width())) - 1)
            return self.const(f"imm{index}", value, f"{value:#x}")
        if isinstance(op, Mem):
            lin = self.mem_linear(index, op, writes)
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
            return reg_write(op.name, value)
        if isinstance(op, Mem):
            lin = self.mem_linear(index, op, True)
            return f"m.write({lin}, {(op.size or self.width()) // 8}, {value}, u)"
        raise Unsupported(f"write to {op!r}")

    def operand(self, index: int):
        try:
            return self.ins.operands[index]
        except IndexError:
            raise Unsupported(f"{self.ins.mnemonic} has no operand {index}") from None

    def specialise(self, template: str) -> list[str]:
        parsed = parse(template)
        self.writes = parsed.writes
        body = []
        for line in parsed.lines:
            parts = line.parts
            if len(parts) == 1:
                text = parts[0]
            else:
                filled = list(parts)
                for i in range(1, len(filled), 2):
                    filled[i] = _SLOTS[filled[i]](self)
                text = "".join(filled)
            target = line.target
            if target is None:
                body.append(text)
            elif target == "D" or target == "S":
                body.append(line.indent + self.write(0 if target == "D" else 1, text) + line.suffix)
            else:
                name = self.counter() if target == "CX" else self.accumulator()
                body.append(line.indent + reg_write(name, text) + line.suffix)
        if not (parsed.sets_eip or self.props.control):
            body.append(f"cpu.eip = {self.const('next', self.next)}")
        return self.prologue + body
