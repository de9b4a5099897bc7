"""Guest test files: a comment header followed by an Intel-syntax body.

The format is documented in guest_tests/README.md. Every error names the file and
the line; a bad file fails only its own test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import layout as L

MODES = ("real16", "pm16", "pm32", "pm32-paged", "user32")
GPRS32 = L.GPRS
SREGS = L.SEGMENT_REGISTERS
CREGS = ("cr0", "cr2", "cr3", "cr4")
EXIT_REASONS = ("end", "exception", "halt", "triple-fault", "budget")
# Ways a run can end that are not a result of the guest, so no test can expect them.
UNEXPECTABLE_EXITS = {
    "timeout": "a run stopped by its wall-clock limit is not deterministic",
    "error": "an error is an engine failing to run the test, not a result",
}
FLAG_BITS = {
    "cf": 0,
    "pf": 2,
    "af": 4,
    "zf": 6,
    "sf": 7,
    "tf": 8,
    "if": 9,
    "df": 10,
    "of": 11,
    "nt": 14,
    "rf": 16,
    "vm": 17,
    "ac": 18,
}
# Sub-registers usable in expectations: name -> (32-bit register, shift, width in bits).
SUBREGS = {
    **{r: (r, 0, 32) for r in GPRS32},
    **{r[1:]: (r, 0, 16) for r in GPRS32},
    **{f"{c}l": (f"e{c}x", 0, 8) for c in "abcd"},
    **{f"{c}h": (f"e{c}x", 8, 8) for c in "abcd"},
}

HEADER_KEYS = (
    "mode",
    "regs",
    "data",
    "compare",
    "port-in",
    "gdt",
    "on-exception",
    "budget",
    "expect",
    "expect-exceptions",
    "expect-ports",
    "expect-debug",
)
# A header line ``; key: value``. A capitalised word that is not a key (``; Note: ...``) is
# free text; one that is a key in another case (``; Expect:``) is an error, not ignored.
_KEY_RE = re.compile(r"^;\s*([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.*)$")


class TestFormatError(Exception):
    """A malformed test file: ``str()`` is the one-line message."""

    __test__ = False  # not a pytest test class

    def __init__(self, path: str, line: int | None, cause: str):
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {cause}")
        self.path, self.line, self.cause = path, line, cause


@dataclass
class Expectation:
    """One hand-worked expected value: ``target`` is a register, flag, memory cell,
    ``exit`` or ``eflags``; ``line`` is where it was written."""

    target: str
    value: int | str
    line: int


@dataclass
class ExpectedException:
    vector: int
    error: int | None | str  # int, None (no error code) or "any"
    where: str  # a label or a number


@dataclass
class TestSpec:
    __test__ = False  # not a pytest test class

    path: str
    test_id: str
    title: str = ""
    mode: str = "pm32"
    regs: dict[str, int] = field(default_factory=dict)
    data: list[tuple[int, bytes]] = field(default_factory=list)
    compare: list[tuple[int, int]] = field(default_factory=list)
    port_in: dict[int, list[int]] = field(default_factory=dict)
    gdt: dict[int, int] = field(default_factory=dict)
    stop_on_exception: bool = True
    budget: int = 1_000_000
    expect: list[Expectation] = field(default_factory=list)
    expect_exceptions: list[ExpectedException] | None = None
    expect_ports: list[tuple[int, int]] | None = None
    expect_debug: str | None = None
    body: str = ""
    body_first_line: int = 1

    @property
    def category(self) -> str:
        return self.test_id.split("/", 1)[0] if "/" in self.test_id else ""

    @property
    def bits(self) -> int:
        return 16 if self.mode in ("real16", "pm16") else 32

    @property
    def origin(self) -> int:
        """Address the body is assembled at: an offset in the test window's segment
        in the 16-bit modes (base TEST_BASE), a linear address otherwise."""
        return 0 if self.bits == 16 else L.TEST_BASE


def parse_int(text: str) -> int:
    t = text.strip().lower().replace("_", "")
    neg = t.startswith("-")
    t = t.lstrip("+-")
    v = int(t[:-1], 16) if re.fullmatch(r"[0-9a-f]+h", t) else int(t, 0)
    return -v if neg else v


def _assignments(text: str) -> list[tuple[str, str]]:
    out = []
    for item in text.replace(",", " ").split():
        if "=" not in item:
            raise ValueError(f"expected NAME=VALUE, got {item!r}")
        k, v = item.split("=", 1)
        out.append((k.strip().lower(), v.strip()))
    return out


_DATA_SIZES = {"db": 1, "dw": 2, "dd": 4}


def _parse_data(text: str) -> tuple[int, bytes]:
    parts = text.replace(",", " ").split()
    if len(parts) < 3 or parts[1].lower() not in _DATA_SIZES:
        raise ValueError("expected 'ADDRESS db|dw|dd VALUE ...'")
    size = _DATA_SIZES[parts[1].lower()]
    blob = b"".join((parse_int(v) & ((1 << (8 * size)) - 1)).to_bytes(size, "little") for v in parts[2:])
    return parse_int(parts[0]), blob


def _parse_exception(item: str) -> ExpectedException:
    m = re.fullmatch(r"(\w+)(?:/([\w-]+))?@([\w.$]+)", item)
    if not m:
        raise ValueError(f"expected VECTOR[/ERROR]@WHERE, got {item!r}")
    err_text = m.group(2)
    if err_text is None or err_text == "any":
        error: int | None | str = "any"
    elif err_text == "-":
        error = None
    else:
        error = parse_int(err_text)
    return ExpectedException(parse_int(m.group(1)), error, m.group(3))


def _check_target(target: str) -> str:
    if target in SUBREGS or target in SREGS or target in CREGS or target in FLAG_BITS:
        return target
    if target in ("eflags", "exit", "iopl"):
        return target
    if re.fullmatch(r"mem(8|16|32)\[(0x[0-9a-f]+|\d+)\]", target):
        return target
    raise ValueError(f"unknown expectation target {target!r}")


def _apply(spec: TestSpec, key: str, value: str, lineno: int) -> None:
    if key == "mode":
        if value not in MODES:
            raise ValueError(f"unknown mode {value!r} (known: {', '.join(MODES)})")
        spec.mode = value
    elif key == "regs":
        for name, v in _assignments(value):
            if name not in GPRS32 and name not in SREGS and name != "eflags":
                raise ValueError(f"unknown register {name!r}")
            spec.regs[name] = parse_int(v) & 0xFFFFFFFF
    elif key == "data":
        spec.data.append(_parse_data(value))
    elif key == "compare":
        parts = value.split()
        if len(parts) != 2:
            raise ValueError("expected 'ADDRESS LENGTH'")
        spec.compare.append((parse_int(parts[0]), parse_int(parts[1])))
    elif key == "port-in":
        port, _, vals = value.partition("=")
        spec.port_in[parse_int(port)] = [parse_int(v) for v in vals.replace(",", " ").split()]
    elif key == "gdt":
        for idx, v in _assignments(value):
            index = parse_int(idx)
            if not L.FIRST_FREE_GDT_INDEX <= index < L.GDT_ENTRIES:
                raise ValueError(
                    f"GDT index {index} is not free (use {L.FIRST_FREE_GDT_INDEX}..{L.GDT_ENTRIES - 1})"
                )
            spec.gdt[index] = parse_int(v) & (2**64 - 1)
    elif key == "on-exception":
        if value not in ("stop", "resume"):
            raise ValueError("on-exception is 'stop' or 'resume'")
        spec.stop_on_exception = value == "stop"
    elif key == "budget":
        budget = parse_int(value)
        if budget < 1:
            raise ValueError(f"a budget is a positive number of instructions, not {value!r}")
        spec.budget = budget
    elif key == "expect":
        for target, v in _assignments(value):
            target = _check_target(target)
            if target == "exit":
                if v in UNEXPECTABLE_EXITS:
                    raise ValueError(f"exit={v} cannot be expected: {UNEXPECTABLE_EXITS[v]}")
                if v not in EXIT_REASONS:
                    raise ValueError(f"unknown exit reason {v!r}")
                spec.expect.append(Expectation(target, v, lineno))
            else:
                spec.expect.append(Expectation(target, parse_int(v), lineno))
    elif key == "expect-exceptions":
        items = value.replace(",", " ").split()
        spec.expect_exceptions = [] if items == ["none"] else [_parse_exception(i) for i in items]
    elif key == "expect-ports":
        items = value.replace(",", " ").split()
        pairs = [] if items == ["none"] else [i.split("=", 1) for i in items]
        if any(len(p) != 2 for p in pairs):
            raise ValueError("expected PORT=VALUE ...")
        spec.expect_ports = [(parse_int(p), parse_int(v)) for p, v in pairs]
    elif key == "expect-debug":
        spec.expect_debug = value.encode().decode("unicode_escape")


def parse_text(text: str, path: str, test_id: str) -> TestSpec:
    spec = TestSpec(path=path, test_id=test_id)
    if "\0" in text:  # keystone reads a C string: the body (and the exit sequence) would end there
        line = text.count("\n", 0, text.index("\0")) + 1
        raise TestFormatError(path, line, "a NUL byte: the assembler would silently stop reading there")
    lines = text.splitlines()
    i = 0
    seen_mode = False
    while i < len(lines):
        raw = lines[i].strip()
        if raw and not raw.startswith(";"):
            break
        lineno = i + 1
        m = _KEY_RE.match(raw)
        if m:
            key, value = m.group(1), m.group(2).strip()
            if key not in HEADER_KEYS and key.lower() in HEADER_KEYS:
                raise TestFormatError(
                    path, lineno, f"header key {key!r} is written in lowercase: {key.lower()!r}"
                )
            if key not in HEADER_KEYS and key[0].islower():
                raise TestFormatError(path, lineno, f"unknown header key {key!r}")
        if m and m.group(1) in HEADER_KEYS:
            try:
                _apply(spec, key, value, lineno)
            except ValueError as exc:
                raise TestFormatError(path, lineno, f"{key}: {exc}") from None
            seen_mode = seen_mode or key == "mode"
        elif raw.strip("; ") and not spec.title:
            spec.title = raw.lstrip("; ").strip()
        i += 1
    if not seen_mode:
        raise TestFormatError(path, None, "header has no 'mode:' line")
    spec.body = "\n".join(lines[i:])
    spec.body_first_line = i + 1
    if not spec.body.strip():
        raise TestFormatError(path, None, "no instructions after the header")
    for e in spec.expect:
        if e.target.startswith("mem"):
            size = int(e.target[3 : e.target.index("[")]) // 8
            addr = parse_int(e.target[e.target.index("[") + 1 : -1])
            if not any(a <= addr and addr + size <= a + n for a, n in spec.compare):
                spec.compare.append((addr, size))
    return spec


def parse_file(path: Path, root: Path | None = None) -> TestSpec:
    path = Path(path)
    test_id = path.resolve().relative_to(root.resolve()).as_posix() if root else path.name
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise TestFormatError(str(path), None, f"cannot read: {exc}") from None
    return parse_text(text, str(path), test_id)
