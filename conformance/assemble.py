"""Keystone front end: known-encoding workarounds, label addresses, a content-hash cache.

Keystone 0.9.2 mis-encodes a few instructions (checked by tests/test_assemble.py,
which fails when keystone stops doing so and a workaround can go):

* 32-bit code: PUSH/POP of a segment register, LGDT/LIDT/SGDT/SIDT, PUSHF/POPF and
  IRET get a spurious 0x66 prefix; ``ljmp``/``lcall`` with an immediate pointer
  assemble to the 16-bit form (ptr16:16), truncating the offset.
* 16-bit code: RET, RETF and CALL rel get a spurious 0x66 prefix, so they push and
  pop 4 bytes. (Near JMP/Jcc rel32 get one too; that form is still a correct jump
  within the segment, so it is left alone.)
* PUSH of an immediate or a label gets the wrong operand size in both modes
  (``push 5`` in 16-bit code pushes a dword, ``push dword 5`` a word, and
  ``push label`` in 32-bit code a word). Every immediate PUSH is emitted as 0x68
  with an explicit size.

Such lines are rewritten to an exact encoding before keystone sees them. Keystone
also reports no line numbers, so a failed assembly is bisected to the first line
that does not assemble.
"""

from __future__ import annotations

import ast
import hashlib
import itertools
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import keystone

from .cache import cache_root

# Part of the cache key: a change to this file (a new rewrite) invalidates the cache.
CACHE_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]

_SREG_PUSH = {
    "es": "0x06",
    "cs": "0x0e",
    "ss": "0x16",
    "ds": "0x1e",
    "fs": "0x0f, 0xa0",
    "gs": "0x0f, 0xa8",
}
_SREG_POP = {"es": "0x07", "ss": "0x17", "ds": "0x1f", "fs": "0x0f, 0xa1", "gs": "0x0f, 0xa9"}
# 0F 01 /r with the ModRM reg field carried by "add [mem], reg" (opcode 0x01 /r).
_DESC_TABLE_REG = {"sgdt": "eax", "sidt": "ecx", "lgdt": "edx", "lidt": "ebx"}
_REGISTERS = frozenset(
    [
        "al",
        "cl",
        "dl",
        "bl",
        "ah",
        "ch",
        "dh",
        "bh",
        "ax",
        "cx",
        "dx",
        "bx",
        "sp",
        "bp",
        "si",
        "di",
        "eax",
        "ecx",
        "edx",
        "ebx",
        "esp",
        "ebp",
        "esi",
        "edi",
        "es",
        "cs",
        "ss",
        "ds",
        "fs",
        "gs",
    ]
)
_SERIAL = itertools.count()  # names of the labels rewritten lines need
_LABEL_RE = re.compile(r"^\s*([A-Za-z_.][\w.$]*)\s*:(?!:)")
_FAR_IMM_RE = re.compile(r"^(ljmp|lcall)\s+([^,:\[\]]+?)\s*:\s*([^,:\[\]]+?)$", re.I)


class AssemblyError(Exception):
    """An assembly failure, with the 1-based source line when it could be found."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Assembled:
    code: bytes
    labels: dict[str, int] = field(default_factory=dict)


def strip_comment(line: str) -> str:
    return line.split(";", 1)[0].rstrip()


def rewrite_line(line: str, bits: int) -> str:
    """Return ``line`` with keystone's known mis-encodings replaced by exact bytes."""
    code = strip_comment(line)
    label = ""
    m = _LABEL_RE.match(code)
    if m:
        label, code = code[: m.end()], code[m.end() :]
    text = code.strip()
    low = " ".join(text.lower().split())
    out = None
    parts = low.split(" ", 1)
    op, arg = parts[0], (parts[1].strip() if len(parts) > 1 else "")
    if op == "push" and arg in _SREG_PUSH:  # keystone adds 0x66 (FS, GS in 16-bit code)
        out = f".byte {_SREG_PUSH[arg]}"
    elif op == "pop" and arg in _SREG_POP:
        out = f".byte {_SREG_POP[arg]}"
    elif bits == 32:
        if op in _DESC_TABLE_REG and arg:
            mem = re.sub(r"^(fword|qword|dword)\s+ptr\s+", "", text.split(None, 1)[1], flags=re.I)
            out = f".byte 0x0f\nadd dword ptr {mem}, {_DESC_TABLE_REG[op]}"
        elif low in ("pushf", "popf", "iret"):
            out = {"pushf": ".byte 0x9c", "popf": ".byte 0x9d", "iret": ".byte 0xcf"}[low]
        else:
            fm = _FAR_IMM_RE.match(text)
            if fm:
                opcode = "0xea" if fm.group(1).lower() == "ljmp" else "0x9a"
                out = f".byte {opcode}\n.long {fm.group(3)}\n.word {fm.group(2)}"
    if out is None and low.startswith("push ") and "[" not in low:
        value = text.split(None, 1)[1].strip()
        width = 16 if bits == 16 else 32
        m = re.match(r"^(d?word)\s+(.*)$", value, re.I)
        if m:
            width, value = (32 if m.group(1).lower() == "dword" else 16), m.group(2).strip()
        if value.lower() not in _REGISTERS:
            prefix = "0x66, " if width != bits else ""
            out = f".byte {prefix}0x68\n" + (".word" if width == 16 else ".long") + f" {value}"
    if out is None and bits == 16:
        op, _, arg = low.partition(" ")
        if low == "ret":
            out = ".byte 0xc3"
        elif op == "ret":
            out = f".byte 0xc2\n.word {text.split(None, 1)[1]}"
        elif op == "call" and arg and "[" not in arg and arg not in _REGISTERS and ":" not in arg:
            here = f"__call_{next(_SERIAL)}"
            target = text.split(None, 1)[1].strip()
            out = f"{here}:\n.byte 0xe8\n.word {target} - {here} - 3"
        elif low == "retf":
            out = ".byte 0xcb"
        elif low.startswith("retf "):
            out = f".byte 0xca\n.word {text.split(None, 1)[1]}"
    if out is None:
        return strip_comment(line)  # keystone reads ';' as a statement separator
    return (label + "\n" if label else "") + out


def labels_in(source: str) -> list[str]:
    names = []
    for line in source.splitlines():
        m = _LABEL_RE.match(strip_comment(line))
        if m and m.group(1) not in names:
            names.append(m.group(1))
    return names


def _sizes(lines: list[str], bits: int):
    """Each line with the code size it is assembled in: ``bits``, until a ``.code16`` or
    ``.code32`` line switches it (code for virtual-8086 mode in a 32-bit body)."""
    for line in lines:
        directive = strip_comment(line).strip().lower()
        if directive in (".code16", ".code32"):
            bits = int(directive[-2:])
        yield line, bits


def _ks(bits: int) -> keystone.Ks:
    mode = {16: keystone.KS_MODE_16, 32: keystone.KS_MODE_32}[bits]
    return keystone.Ks(keystone.KS_ARCH_X86, mode)


def _raw(lines: list[str], bits: int, origin: int, resolve_missing: bool = False) -> bytes:
    ks = _ks(bits)
    if resolve_missing:
        ks.sym_resolver = lambda _sym, value: value.__setitem__(0, 0) or True  # noqa: B023
    text = "\n".join(rewrite_line(line, size) for line, size in _sizes(lines, bits))
    try:
        encoding, _ = ks.asm(text, origin)
    except keystone.KsError as exc:
        raise AssemblyError(str(exc)) from None
    except TypeError:  # keystone returns None for some operand forms it cannot parse
        raise AssemblyError("keystone produced no encoding") from None
    if encoding is None and any(
        line.strip() and not line.strip().startswith(";") for line in text.splitlines()
    ):
        # keystone gives up on some forms (``fld dword [x]``, with no ``ptr``) without an error
        raise AssemblyError("keystone produced no encoding")
    return bytes(encoding or b"")


def _locate_error(lines: list[str], bits: int, origin: int) -> tuple[int, str] | None:
    """Binary-search the shortest failing prefix; return (1-based line, message)."""
    lo, hi = 0, len(lines)  # prefix of length lo assembles; length hi fails
    try:
        _raw(lines, bits, origin, resolve_missing=True)
        return None  # only fails as a whole: an undefined symbol, most likely
    except AssemblyError:
        pass
    while hi - lo > 1:
        mid = (lo + hi) // 2
        try:
            _raw(lines[:mid], bits, origin, resolve_missing=True)
            lo = mid
        except AssemblyError:
            hi = mid
    try:
        _raw(lines[:hi], bits, origin, resolve_missing=True)
        return None
    except AssemblyError as exc:
        return hi, exc.message


# The most bytes an assembly may produce unless told otherwise (the harness's own code is
# far smaller; a test body is held to the memory above its origin, see runtime.build_image).
DEFAULT_MAX_SIZE = 16 << 20
_MAX_INSTRUCTION = 15  # bytes: the architectural limit of one instruction
_DATA_WIDTH = {
    ".byte": 1,
    ".word": 2,
    ".short": 2,
    ".hword": 2,
    ".value": 2,
    ".2byte": 2,
    ".long": 4,
    ".int": 4,
    ".4byte": 4,
    ".quad": 8,
    ".8byte": 8,
    ".octa": 16,
}
_STRINGS = frozenset({".ascii", ".asciz", ".string"})
_SIZED = frozenset({".fill", ".space", ".skip", ".zero", ".org", ".align", ".balign", ".p2align"})
_SYMBOLS = frozenset({".set", ".equ", ".equiv"})
_NO_BYTES = frozenset(
    {".intel_syntax", ".att_syntax", ".code16", ".code32", ".globl", ".global", ".local", ".type", ".size"}
)
_REFUSED = {
    ".incbin": "it reads a file of the host into the guest",
    ".macro": "the size of what a macro expands to cannot be bounded before assembling",
    ".irp": "the size of what it expands to cannot be bounded before assembling",
    ".irpc": "the size of what it expands to cannot be bounded before assembling",
}
_NUMBER_RE = re.compile(r"\b(?:0[xX][0-9a-fA-F]+|0[bB][01]+|[0-9][0-9a-fA-F]*[hH]|[0-9]+)\b")
_ALLOWED_AST = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.Constant,
    ast.Name,
    ast.Load,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.FloorDiv,
    ast.Mod,
    ast.LShift,
    ast.RShift,
    ast.BitAnd,
    ast.BitOr,
    ast.BitXor,
    ast.Invert,
    ast.USub,
    ast.UAdd,
)


def _number(match: re.Match) -> str:
    text = match.group(0)
    if text[-1] in "hH" and not text.lower().startswith("0x"):
        return str(int(text[:-1], 16))
    if len(text) > 1 and text[0] == "0" and text[1].isdigit():
        return str(int(text, 8))  # GNU as: a leading 0 is octal
    return str(int(text, 0))


def constant(expr: str, symbols: dict[str, int]) -> int | None:
    """The value of an integer expression of numbers and known symbols, or None."""
    text = _NUMBER_RE.sub(_number, expr.strip()).replace("/", "//")
    if not text or len(text) > 200:
        return None
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError):
        return None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_AST) or (
            isinstance(node, ast.Constant) and not isinstance(node.value, int)
        ):
            return None
        if isinstance(node, ast.Name) and node.id not in symbols:
            return None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.LShift):
            shift = constant(ast.unparse(node.right), symbols)
            if shift is None or not 0 <= shift <= 64:
                return None
    try:
        value = eval(compile(tree, "<size>", "eval"), {"__builtins__": {}}, dict(symbols))  # noqa: S307
    except (ArithmeticError, ValueError, TypeError):
        return None
    return value if isinstance(value, int) else None


def _arguments(text: str) -> list[str]:
    return [a.strip() for a in text.split(",")] if text.strip() else []


def size_bound(lines: list[str], origin: int) -> list[tuple[int, int]]:
    """An upper bound of the bytes each line assembles to, as (1-based line, bytes) for
    the lines that produce any. Raises AssemblyError for what cannot be bounded."""
    out: list[tuple[int, int]] = []
    symbols: dict[str, int] = {}
    repeat = [1]
    for number, line in enumerate(lines, 1):
        code = strip_comment(line).split("#", 1)[0]
        while True:  # labels, several on a line
            m = _LABEL_RE.match(code)
            if not m:
                break
            code = code[m.end() :]
        statement = code.strip()
        if not statement:
            continue
        word, rest = (statement.split(None, 1) + [""])[:2]
        word = word.lower()
        assignment = re.fullmatch(r"([A-Za-z_.][\w.$]*)\s*=\s*(.+)", statement)

        def need(expr: str, what: str, line=line, number=number) -> int:
            value = constant(expr, symbols)
            if value is None:
                raise AssemblyError(
                    f"{what} must be a constant expression (the harness bounds the size of a body"
                    f" before assembling it): {line.strip()!r}",
                    number,
                )
            return value

        size = 0
        if assignment and not word.startswith("."):
            value = constant(assignment.group(2), symbols)
            if value is not None:
                symbols[assignment.group(1)] = value
        elif word in _REFUSED:
            raise AssemblyError(f"{word} is not allowed in a test: {_REFUSED[word]}", number)
        elif word == ".rept":
            repeat.append(repeat[-1] * max(0, need(rest, "the count of .rept")))
        elif word == ".endr":
            if len(repeat) > 1:
                repeat.pop()
        elif word in _SYMBOLS:
            args = _arguments(rest)
            if len(args) == 2:
                value = constant(args[1], symbols)
                if value is not None:
                    symbols[args[0]] = value
        elif word in _NO_BYTES:
            pass
        elif word in _DATA_WIDTH:
            size = _DATA_WIDTH[word] * max(1, len(_arguments(rest)))
        elif word in _STRINGS:
            size = len(rest) + 1
        elif word in _SIZED:
            args = _arguments(rest) or ["0"]
            if word == ".fill":
                size = max(0, need(args[0], "the count of .fill"))
                size *= min(8, max(0, need(args[1], "the size of .fill"))) if len(args) > 1 else 1
            elif word == ".org":
                size = max(0, need(args[0], "the address of .org") - origin)
            elif word == ".p2align":
                power = need(args[0], "the power of .p2align")
                if not 0 <= power <= 30:
                    raise AssemblyError(f".p2align {power}: give 0 to 30", number)
                size = (1 << power) - 1
            elif word in (".align", ".balign"):
                size = max(0, need(args[0], f"the alignment of {word}") - 1)
            else:
                size = max(0, need(args[0], f"the size of {word}"))
        elif word.startswith("."):
            raise AssemblyError(
                f"directive {word} is not supported in a test (the harness bounds the size of"
                f" a body before assembling it): {line.strip()!r}",
                number,
            )
        else:
            size = _MAX_INSTRUCTION
        if size and repeat[-1]:
            out.append((number, size * repeat[-1]))
    return out


def _check_statements(lines: list[str], origin: int = 0, max_size: int = DEFAULT_MAX_SIZE) -> None:
    """Reject what makes keystone hang, or assemble until memory runs out, instead of failing."""
    for number, line in enumerate(lines, 1):
        code = strip_comment(line)
        m = _LABEL_RE.match(code)
        statement = (code[m.end() :] if m else code).strip()
        if statement.startswith("["):
            raise AssemblyError(
                f"a statement cannot start with '[' (keystone hangs on it): {line.strip()!r}", number
            )
    total = 0
    for number, size in size_bound(lines, origin):
        total += size
        if total > max_size:
            raise AssemblyError(
                f"the code may take up to {total:,} bytes by this line, more than the {max_size:,}"
                f" it has room for: {lines[number - 1].strip()!r}",
                number,
            )


def assemble_uncached(source: str, bits: int, origin: int, max_size: int = DEFAULT_MAX_SIZE) -> Assembled:
    lines = source.splitlines()
    _check_statements(lines, origin, max_size)
    names = labels_in(source)
    trailer = [f".long {n}" for n in names]
    try:
        blob = _raw(lines + trailer, bits, origin)
    except AssemblyError as exc:
        where = _locate_error(lines, bits, origin)
        if where:
            line, msg = where
            raise AssemblyError(f"{msg}: {lines[line - 1].strip()!r}", line) from None
        raise AssemblyError(f"{exc.message} (an undefined label?)") from None
    n = 4 * len(names)
    code, table = (blob[:-n], blob[-n:]) if n else (blob, b"")
    labels = {name: int.from_bytes(table[4 * i : 4 * i + 4], "little") for i, name in enumerate(names)}
    return Assembled(code, labels)


def cache_dir() -> Path:
    return cache_root() / "asm"


def assemble(source: str, bits: int, origin: int, max_size: int = DEFAULT_MAX_SIZE) -> Assembled:
    """Assemble ``source``, reusing an earlier result with the same content hash; refuse
    (AssemblyError) a source that could assemble to more than ``max_size`` bytes."""
    key = hashlib.sha256(
        f"{CACHE_VERSION}\0{keystone.__version__}\0{bits}\0{origin}\0{source}".encode()
    ).hexdigest()
    path = cache_dir() / key[:2] / f"{key}.json"
    try:
        data = json.loads(path.read_text())
        cached = Assembled(bytes.fromhex(data["code"]), data["labels"])
    except (OSError, ValueError, KeyError):
        cached = None
    if cached is not None:
        if len(cached.code) > max_size:
            raise AssemblyError(
                f"the code takes {len(cached.code):,} bytes, more than the {max_size:,} it has room for"
            )
        return cached
    result = assemble_uncached(source, bits, origin, max_size)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "w") as fh:
            json.dump({"code": result.code.hex(), "labels": result.labels}, fh)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache only costs time
    return result
