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
    if bits == 32:
        parts = low.split(" ", 1)
        op, arg = parts[0], (parts[1].strip() if len(parts) > 1 else "")
        if op == "push" and arg in _SREG_PUSH:
            out = f".byte {_SREG_PUSH[arg]}"
        elif op == "pop" and arg in _SREG_POP:
            out = f".byte {_SREG_POP[arg]}"
        elif op in _DESC_TABLE_REG and arg:
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


def _ks(bits: int) -> keystone.Ks:
    mode = {16: keystone.KS_MODE_16, 32: keystone.KS_MODE_32}[bits]
    return keystone.Ks(keystone.KS_ARCH_X86, mode)


def _raw(lines: list[str], bits: int, origin: int, resolve_missing: bool = False) -> bytes:
    ks = _ks(bits)
    if resolve_missing:
        ks.sym_resolver = lambda _sym, value: value.__setitem__(0, 0) or True  # noqa: B023
    text = "\n".join(rewrite_line(line, bits) for line in lines)
    try:
        encoding, _ = ks.asm(text, origin)
    except keystone.KsError as exc:
        raise AssemblyError(str(exc)) from None
    except TypeError:  # keystone returns None for some operand forms it cannot parse
        raise AssemblyError("keystone produced no encoding") from None
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


def _check_statements(lines: list[str]) -> None:
    """Reject what makes keystone hang instead of failing."""
    for number, line in enumerate(lines, 1):
        code = strip_comment(line)
        m = _LABEL_RE.match(code)
        statement = (code[m.end() :] if m else code).strip()
        if statement.startswith("["):
            raise AssemblyError(
                f"a statement cannot start with '[' (keystone hangs on it): {line.strip()!r}", number
            )


def assemble_uncached(source: str, bits: int, origin: int) -> Assembled:
    lines = source.splitlines()
    _check_statements(lines)
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


def assemble(source: str, bits: int, origin: int) -> Assembled:
    """Assemble ``source``, reusing an earlier result with the same content hash."""
    key = hashlib.sha256(
        f"{CACHE_VERSION}\0{keystone.__version__}\0{bits}\0{origin}\0{source}".encode()
    ).hexdigest()
    path = cache_dir() / key[:2] / f"{key}.json"
    try:
        data = json.loads(path.read_text())
        return Assembled(bytes.fromhex(data["code"]), data["labels"])
    except (OSError, ValueError, KeyError):
        pass
    result = assemble_uncached(source, bits, origin)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "w") as fh:
            json.dump({"code": result.code.hex(), "labels": result.labels}, fh)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache only costs time
    return result
