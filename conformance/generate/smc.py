"""Self-modifying code: a store rewrites a later instruction of the same straight-line
run, so a translator that joins the run into one block has the old instruction in it.

Each program has one target window at label ``t`` (a few register-only instructions,
written as bytes) and one store that rewrites part of it: MOV, ADD, SUB, ADC, SBB,
AND, OR, XOR, INC, DEC, NEG, NOT with a memory destination, XCHG, XADD, CMPXCHG,
SETcc, shifts and rotates of memory, STOS, MOVS, PUSH with ESP pointing into the
code, POP into the code, BTS/BTR/BTC; of 8, 16 and 32 bits where the instruction has
that width. The store turns the window into something else: another ALU operation,
LAHF, a different immediate, NOPs, an INC, other registers. Between the store and
the window stand 0 to 10 other instructions, and flag readers (LAHF, PUSHFD, SETcc,
ADC, Jcc) stand around, so the flags of a flag-setting store are seen. In a quarter
of the programs the run is a loop (``dec ecx; jnz`` back to its start, which the
translator runs inside one block), with the store either before the window or after
it, so that the code changes from one iteration to the next.

The generator computes what each store writes (SDM vol. 2, each instruction's
Operation), so every rewritten window is known to be valid code, and every flag an
instruction reads is defined at that point (conformance/undefined.py; a CMP goes
first where it would not be). The hand-derived expectations: the code bytes the run
leaves in the window (read back into ESI and EDI at the end), and EBP, which only a
``mov ebp, imm32`` of the window writes (SDM vol. 3A 11.6: a store to code that is
about to be executed is seen by the next instruction fetched after it, on every
engine). The rest is judged differentially, against Unicorn.

Two things Unicorn gets wrong are kept out (guest_tests/control/smc_store_after_flag_setter.asm
and smc_rcl_rewrites_code.asm show them): a store that rewrites its own translation
block is restarted and loses the flags of the instruction before it, so the store
never directly follows a flag-setting instruction; and an RCL or RCR doing so is
redone with the CF it has already changed, so only rotates that leave CF as it was
rewrite code.
"""

from __future__ import annotations

import random

from ..undefined import AF, ARITH, CF, OF, PF, SF, ZF, effect

VERSION = 1
COUNT = 3000
DATA = 0x18000  # the MOVS source
STACK = 0x1FFF0
R32 = ("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi")
R16 = ("ax", "cx", "dx", "bx", "sp", "bp", "si", "di")
R8 = ("al", "cl", "dl", "bl", "ah", "ch", "dh", "bh")
PTR = {1: "byte", 2: "word", 4: "dword"}
SUFFIX = {1: "b", 2: "w", 4: "d"}
ALU = ("add", "or", "adc", "sbb", "and", "sub", "xor", "cmp")
CONDITIONS = {
    "o": OF, "no": OF, "b": CF, "ae": CF, "e": ZF, "ne": ZF, "be": CF | ZF, "a": CF | ZF,
    "s": SF, "ns": SF, "p": PF, "np": PF, "l": SF | OF, "ge": SF | OF, "le": ZF | SF | OF, "g": ZF | SF | OF,
}  # fmt: skip


# -- flags ----------------------------------------------------------------------------


def _alu_effect(op: int) -> tuple[int, int, int]:
    """(reads, defines, undefines) of ALU operation number ``op`` (ADD .. CMP)."""
    name = ALU[op]
    reads = CF if name in ("adc", "sbb") else 0
    defined, undefined = effect(name, "")
    return reads, defined, undefined


def _cmp(a: int, b: int, bits: int = 32) -> dict[int, int]:
    mask = (1 << bits) - 1
    a, b = a & mask, b & mask
    r = (a - b) & mask
    top = bits - 1
    return {
        CF: int(a < b),
        PF: 1 - bin(r & 0xFF).count("1") % 2,
        AF: ((a ^ b ^ r) >> 4) & 1,
        ZF: int(r == 0),
        SF: r >> top,
        OF: (((a ^ b) & (a ^ r)) >> top) & 1,
    }


def _condition(cc: str, f: dict[int, int]) -> int:
    value = {
        "o": f[OF], "b": f[CF], "e": f[ZF], "be": f[CF] | f[ZF], "s": f[SF], "p": f[PF],
        "l": f[SF] ^ f[OF], "le": f[ZF] | (f[SF] ^ f[OF]),
    }  # fmt: skip
    if cc in value:
        return value[cc]
    positive = {"no": "o", "ae": "b", "ne": "e", "a": "be", "ns": "s", "np": "p", "ge": "l", "g": "le"}[cc]
    return 1 - value[positive]


# -- the window: register-only instructions as bytes ----------------------------------


class _Rules:
    """Which registers a window instruction may write: never ESP, EBP only through
    ``mov ebp, imm32`` (the witness), and not ECX when a loop counts in it."""

    def __init__(self, loop: bool):
        self.loop = loop

    def ok(self, index: int, size: int) -> bool:
        if size == 8:
            return not (self.loop and index in (1, 5))
        return index not in (4, 5) and not (self.loop and index == 1)


def _decode(code: bytes, at: int, rules: _Rules) -> tuple[int, tuple[int, int, int]] | None:
    """Length and (reads, defines, undefines) of the window instruction at ``at``, or
    None when the bytes there are not one of the allowed instructions."""
    n = len(code)

    def byte(i: int) -> int | None:
        return code[at + i] if at + i < n else None

    op16 = byte(0) == 0x66
    p = 1 if op16 else 0
    b = byte(p)
    if b is None:
        return None
    size = 16 if op16 else 32
    imm = 2 if op16 else 4

    def modrm() -> tuple[int, int] | None:
        m = byte(p + 1)
        if m is None or m >> 6 != 3:
            return None
        return (m >> 3) & 7, m & 7

    if b < 0x40 and b & 7 < 6:  # ALU forms
        op, form = b >> 3, b & 7
        eff = _alu_effect(op)
        writes = op != 7
        if form == 4:
            return (p + 2, eff) if not op16 and byte(p + 1) is not None else None
        if form == 5:
            return (p + 1 + imm, eff) if at + p + 1 + imm <= n else None
        if op16 and form in (0, 2):
            return None
        rm = modrm()
        if rm is None:
            return None
        reg, r = rm
        dest, width = (r if form < 2 else reg), (8 if form in (0, 2) else size)
        if writes and not rules.ok(dest, width):
            return None
        return p + 2, eff
    if 0x40 <= b <= 0x4F:
        if not rules.ok(b & 7, size):
            return None
        return p + 1, (0, ARITH & ~CF, 0)
    if b in (0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8B):
        if op16 and not b & 1:
            return None
        rm = modrm()
        if rm is None:
            return None
        reg, r = rm
        width = 8 if not b & 1 else size
        if b in (0x86, 0x87) and not (rules.ok(reg, width) and rules.ok(r, width)):
            return None
        if b in (0x88, 0x89) and not rules.ok(r, width):
            return None
        if b in (0x8A, 0x8B) and not rules.ok(reg, width):
            return None
        return p + 2, ((0, effect("test", "")[0], AF) if b < 0x86 else (0, 0, 0))
    if 0x90 <= b <= 0x97:
        if b != 0x90 and not (rules.ok(b & 7, size) and rules.ok(0, size)):
            return None
        return p + 1, (0, 0, 0)
    if b in (0x98, 0x99, 0x9E, 0x9F, 0xF5, 0xF8, 0xF9) and not op16:
        return 1, {
            0x9E: (0, ARITH & ~OF, 0),
            0x9F: (ARITH & ~OF, 0, 0),
            0xF5: (CF, CF, 0),
            0xF8: (0, CF, 0),
            0xF9: (0, CF, 0),
        }.get(b, (0, 0, 0))
    if b == 0xA8 and not op16:
        return (2, (0, ARITH & ~AF, AF)) if byte(1) is not None else None
    if b == 0xA9:
        return (p + 1 + imm, (0, ARITH & ~AF, AF)) if at + p + 1 + imm <= n else None
    if 0xB0 <= b <= 0xB7 and not op16:
        return (2, (0, 0, 0)) if rules.ok(b & 7, 8) and byte(1) is not None else None
    if 0xB8 <= b <= 0xBF:
        witness = b == 0xBD and not op16
        if not (witness or rules.ok(b & 7, size)) or at + p + 1 + imm > n:
            return None
        return p + 1 + imm, (0, 0, 0)
    if b in (0x80, 0x81, 0x83):
        if op16 and b == 0x80:
            return None
        rm = modrm()
        if rm is None:
            return None
        op, r = rm
        width = 8 if b == 0x80 else size
        if op != 7 and not rules.ok(r, width):
            return None
        length = p + 2 + (imm if b == 0x81 else 1)
        return (length, _alu_effect(op)) if at + length <= n else None
    if b in (0xF6, 0xF7, 0xFE, 0xFF):
        if op16 and not b & 1:
            return None
        rm = modrm()
        if rm is None:
            return None
        op, r = rm
        width = 8 if not b & 1 else size
        if b in (0xF6, 0xF7) and op in (2, 3):  # NOT, NEG
            return (p + 2, (0, 0, 0) if op == 2 else (0, ARITH, 0)) if rules.ok(r, width) else None
        if b in (0xFE, 0xFF) and op in (0, 1):  # INC, DEC
            return (p + 2, (0, ARITH & ~CF, 0)) if rules.ok(r, width) else None
        return None
    return None


def _parse(code: bytes, rules: _Rules) -> list[tuple[int, tuple[int, int, int]]] | None:
    """The window as (offset, effect) per instruction, or None when it is not made
    of allowed instructions from its first byte to its last."""
    out, at = [], 0
    while at < len(code):
        d = _decode(code, at, rules)
        if d is None:
            return None
        out.append((at, d[1]))
        at += d[0]
    return out


def _instruction(rng: random.Random, length: int, rules: _Rules, kind: str = "any") -> bytes:
    """A random allowed instruction of exactly ``length`` bytes (1, 2, 3, 5 or 6)."""
    for _ in range(200):
        if length == 1:
            if kind == "lahf":
                code = b"\x9f"
            elif kind == "nop":
                code = b"\x90"
            elif kind == "inc":
                code = bytes([0x40 | rng.randrange(8)])
            else:
                code = (
                    bytes([rng.choice((0x40, 0x48)) | rng.randrange(8)])
                    if rng.random() < 0.5
                    else bytes(
                        [
                            rng.choice(
                                (0x90, 0x91, 0x92, 0x93, 0x96, 0x97, 0x98, 0x99, 0x9E, 0x9F, 0xF5, 0xF8, 0xF9)
                            )
                        ]
                    )
                )
        elif length == 2:
            form = rng.random()
            if kind == "inc":
                code = bytes([0xFE if rng.random() < 0.5 else 0xFF, 0xC0 | rng.randrange(8)])
            elif form < 0.55:
                code = bytes([rng.randrange(8) << 3 | rng.randrange(4), 0xC0 | rng.randrange(64)])
            elif form < 0.7:
                code = bytes(
                    [rng.choice((0x85, 0x87, 0x89, 0x8B, 0x84, 0x86, 0x88, 0x8A)), 0xC0 | rng.randrange(64)]
                )
            elif form < 0.85:
                code = bytes(
                    [
                        rng.choice(
                            (0x04, 0x0C, 0x14, 0x1C, 0x24, 0x2C, 0x34, 0x3C, 0xA8, 0xB0, 0xB3, 0xB2, 0xB4)
                        ),
                        rng.getrandbits(8),
                    ]
                )
            else:
                code = bytes(
                    [
                        rng.choice((0xF6, 0xF7, 0xFE, 0xFF)),
                        0xC0 | rng.choice((0, 1, 2, 3)) << 3 | rng.randrange(8),
                    ]
                )
        elif length == 3:
            code = bytes([0x83, 0xC0 | rng.randrange(64), rng.getrandbits(8)])
            if rng.random() < 0.25:  # a 16-bit ALU operation on registers
                code = bytes([0x66, rng.randrange(8) << 3 | rng.choice((1, 3)), 0xC0 | rng.randrange(64)])
        elif length == 5:
            code = bytes(
                [rng.choice((0xB8, 0xBA, 0xBB, 0xBD, 0xBD, 0xBE, 0xBF, 0x05, 0x2D, 0x35, 0x25, 0x0D, 0xA9))]
            )
            code += rng.getrandbits(32).to_bytes(4, "little")
        elif length == 6:
            code = bytes([0x81, 0xC0 | rng.randrange(64)]) + rng.getrandbits(32).to_bytes(4, "little")
        else:
            raise ValueError(length)
        if _parse(code, rules) is not None and len(code) == length:
            return code
    raise RuntimeError(f"no instruction of length {length}")  # pragma: no cover


def _sequence(rng: random.Random, length: int, rules: _Rules, kind: str = "any") -> bytes:
    """Allowed instructions filling exactly ``length`` bytes; with ``kind`` "lahf",
    "nop" or "inc", the first one is of that kind."""
    if kind == "nop":
        return b"\x90" * length
    parts: list[int] = []
    first = 1 if kind in ("lahf", "inc") else None
    if kind == "inc" and length >= 2 and rng.random() < 0.5:
        first = 2
    if first:
        parts.append(first)
    while sum(parts) < length:
        left = length - sum(parts)
        parts.append(rng.choice([x for x in (1, 2, 3, 5, 6) if x <= left]))
    code = b""
    for i, n in enumerate(parts):
        code += _instruction(rng, n, rules, kind if i == 0 and first else "any")
    return code


# -- stores ---------------------------------------------------------------------------

INVERTIBLE = (
    *("mov", "add", "sub", "adc", "sbb", "xor", "xchg", "xadd", "cmpxchg"),
    *("stos", "movs", "push", "pop", "rep movs"),
)
FIXED = ("and", "or", "inc", "dec", "neg", "not", "setcc", "shift", "shift", "bts", "btr", "btc", "rep stos")
ONE_BYTE = (
    0x90,
    0x40,
    0x42,
    0x43,
    0x46,
    0x47,
    0x48,
    0x4A,
    0x4B,
    0x4E,
    0x4F,
    0x98,
    0x99,
    0x9E,
    0x9F,
    0xF5,
    0xF8,
    0xF9,
)
PAGE_TABLE = 0x7000
ALIAS = 0x20000  # page 0x30 maps the code page 0x10 too, when the store goes through an alias
SHIFTS = ("shl", "shr", "sar", "rol", "ror", "rcl", "rcr")


def _widths(kind: str) -> tuple[int, ...]:
    if kind == "setcc":
        return (1,)
    if kind in ("push", "pop", "bts", "btr", "btc"):
        return (2, 4)
    return (1, 2, 4)


def _rotate_through_carry(op: str, value: int, count: int, bits: int, cf: int) -> tuple[int, int]:
    """RCL/RCR: the (bits + 1)-bit rotate of CF:value (vol. 2 RCL/RCR); (value, CF)."""
    v = value | cf << bits
    for _ in range((count & 0x1F) % (bits + 1)):
        if op == "rcl":
            v = ((v << 1) | (v >> bits)) & ((1 << (bits + 1)) - 1)
        else:
            v = ((v >> 1) | ((v & 1) << bits)) & ((1 << (bits + 1)) - 1)
    return v & ((1 << bits) - 1), v >> bits


def _shift(op: str, value: int, count: int, bits: int, cf: int) -> int:
    mask = (1 << bits) - 1
    count &= 0x1F
    if op in ("rcl", "rcr"):
        return _rotate_through_carry(op, value, count, bits, cf)[0]
    if op in ("rol", "ror"):
        c = count % bits
        if op == "rol":
            return ((value << c) | (value >> (bits - c))) & mask if c else value
        return ((value >> c) | (value << (bits - c))) & mask if c else value
    if op == "shl":
        return (value << count) & mask
    if op == "shr":
        return value >> count
    signed = value - (1 << bits) if value >> (bits - 1) else value
    return (signed >> count) & mask


class _Store:
    """One store: the lines that set it up and perform it, what it does to the window,
    and what it leaves in registers and flags."""

    def __init__(self, kind: str, width: int, offset: int):
        self.kind, self.width, self.offset = kind, width, offset
        self.value = 0  # the operand (register or immediate), or what is stored
        self.cf = 0  # CF going in, for ADC, SBB, RCL, RCR (set by STC/CLC)
        self.compare = 0  # CMPXCHG's EAX
        self.cc = ""  # SETcc's condition, and the operands of the CMP before it
        self.cmp_operands = (0, 0)
        self.op = ""  # imm or reg (the source operand), or the shift
        self.count = 1
        self.bit = 0
        self.spacer = "nop"
        self.alias = 0  # added to the code address the store uses (a second mapping of the page)

    def apply(self, old: int) -> int:
        """The new value of the ``width`` bytes the store writes (SDM vol. 2 Operation)."""
        bits = 8 * self.width
        mask = (1 << bits) - 1
        k, v = self.kind, self.value & mask
        if k in ("mov", "xchg", "stos", "movs", "push", "pop", "rep movs", "rep stos"):
            return v
        if k in ("add", "xadd"):
            return (old + v) & mask
        if k == "sub":
            return (old - v) & mask
        if k == "adc":
            return (old + v + self.cf) & mask
        if k == "sbb":
            return (old - v - self.cf) & mask
        if k == "xor":
            return old ^ v
        if k == "and":
            return old & v
        if k == "or":
            return old | v
        if k == "cmpxchg":
            return v if old == self.compare & mask else old
        if k == "inc":
            return (old + 1) & mask
        if k == "dec":
            return (old - 1) & mask
        if k == "neg":
            return -old & mask
        if k == "not":
            return ~old & mask
        if k == "setcc":
            return _condition(self.cc, _cmp(*self.cmp_operands))
        if k == "shift":
            return _shift(self.op, old, int(self.count), bits, self.cf)
        if k == "bts":
            return old | 1 << self.bit
        if k == "btr":
            return old & ~(1 << self.bit)
        if k == "btc":
            return old ^ 1 << self.bit
        raise ValueError(k)

    def lines(self) -> list[str]:
        """The store and its setup (operands are set right before it, so they are the
        same in every iteration of a loop)."""
        w, ptr = self.width, PTR.get(self.width, "")
        at = f"t + {self.offset + self.alias:#x}"
        target = f"{PTR.get(w, '')} ptr [{at}]"
        reg = {1: "dl", 2: "dx", 4: "edx"}.get(w, "")
        k, v = self.kind, self.value & ((1 << (8 * w)) - 1)
        out: list[str] = []
        if k == "mov":
            out.append(
                f"mov {target}, {v:#x}" if self.op != "reg" else f"mov edx, {v:#x}\nmov {target}, {reg}"
            )
        elif k in ("add", "sub", "adc", "sbb", "xor", "and", "or"):
            if k in ("adc", "sbb"):
                out.append("stc" if self.cf else "clc")  # the MOV after it leaves CF alone
            out.append(
                f"{k} {target}, {v:#x}" if self.op == "imm" else f"mov edx, {v:#x}\n{k} {target}, {reg}"
            )
        elif k in ("xchg", "xadd"):
            out += [f"mov edx, {v:#x}", f"{k} {target}, {reg}"]
        elif k == "cmpxchg":
            out += [
                f"mov eax, {self.compare & ((1 << (8 * w)) - 1):#x}",
                f"mov edx, {v:#x}",
                f"cmpxchg {target}, {reg}",
            ]
        elif k in ("inc", "dec", "neg", "not"):
            out.append(f"{k} {target}")
        elif k == "setcc":
            a, b = self.cmp_operands
            out += [f"mov edx, {a:#x}", f"cmp edx, {b:#x}", f"set{self.cc} byte ptr [{at}]"]
        elif k == "shift":
            if self.op in ("rcl", "rcr"):
                out.append("stc" if self.cf else "clc")
            out.append(f"{self.op} {target}, {self.count}")
        elif k in ("bts", "btr", "btc"):
            if self.op == "reg":
                out += [f"mov edx, {self.bit}", f"{k} {target}, {reg if w > 1 else 'edx'}"]
            else:
                out.append(f"{k} {target}, {self.bit}")
        elif k == "stos":
            out += [f"mov edi, {at}", f"mov eax, {v:#x}", f"stos{SUFFIX[w]}"]
        elif k == "movs":
            out += [f"mov esi, {DATA:#x}", f"mov edi, {at}", f"movs {ptr} ptr es:[edi], {ptr} ptr [esi]"]
        elif k == "rep stos":  # ECX counts the loop, if there is one: kept on the stack
            out += [
                "push ecx",
                f"mov edi, {at}",
                f"mov ecx, {w}",
                f"mov al, {v & 0xFF:#x}",
                "rep stosb",
                "pop ecx",
            ]
        elif k == "rep movs":
            out += [
                "push ecx",
                f"mov esi, {DATA:#x}",
                f"mov edi, {at}",
                f"mov ecx, {w}",
                "rep movsb",
                "pop ecx",
            ]
        elif k == "push":
            size = "dword" if w == 4 else "word"
            out += [
                f"mov esp, t + {self.offset + self.alias + w:#x}",
                f"push {size} {v:#x}",
                f"mov esp, {STACK:#x}",
            ]
        elif k == "pop":
            size = "dword" if w == 4 else "word"
            out += [f"push {size} {v:#x}", f"pop {target}"]
        out = [x for line in out for x in line.split("\n")]
        # the store must not follow an instruction that set flags: when a store rewrites
        # the code of its own translation block, Unicorn restarts it and loses the
        # flags of the instruction before (CF, OF and AF read as after a logical one)
        if k == "push":
            store = next(i for i, line in enumerate(out) if line.startswith("push"))
        else:
            store = max(
                i for i, line in enumerate(out) if "[t + " in line or line.startswith(("stos", "movs", "rep"))
            )
        before = out[store - 1] if store else ""
        if not before.startswith(("mov ", "push ", "stc", "clc")):
            out.insert(store, self.spacer)
        return out

    def effect(self) -> tuple[int, int, int]:
        """(reads, defines, undefines) of the flags, for the store and its setup."""
        k = self.kind
        if k in ("add", "sub", "xor", "and", "or", "xadd", "cmpxchg", "inc", "dec", "neg"):
            defined, undefined = effect(k, "")
            return 0, defined, undefined
        if k in ("adc", "sbb"):
            return 0, ARITH, 0  # CF from the STC/CLC before it
        if k == "setcc":
            return 0, ARITH, 0  # the CMP before it
        if k == "shift":
            defined, undefined = effect(self.op, f"{PTR[self.width]} ptr [t], {self.count}")
            return 0, defined | (CF if self.op in ("rcl", "rcr") else 0), undefined
        if k in ("bts", "btr", "btc"):
            defined, undefined = effect(k, "")
            return 0, defined, undefined
        return 0, 0, 0


def _choose_store(
    rng: random.Random, window: bytes, rules: _Rules, loop: int, alias: int, focus: tuple[int, int] | None
) -> tuple[_Store, list[bytes]] | None:
    """A store into ``window`` whose every application (``loop`` of them) leaves valid
    code; returns it with the window before each application and after the last."""
    kind = rng.choice(INVERTIBLE + FIXED)
    width = rng.choice(_widths(kind)) if not kind.startswith("rep") else rng.randint(2, max(2, len(window)))
    low, high = focus or (0, len(window))  # the store goes within [low, high)
    if width > high - low:
        return None
    offset = rng.randrange(low, high - width + 1)
    s = _Store(kind, width, offset)
    s.alias = alias
    r = rng.choice(("eax", "ebx", "edx", "esi", "edi"))
    s.spacer = rng.choice(("nop", f"lea {r}, [{r}]", f"mov {r}, {r}"))
    bits = 8 * width
    mask = (1 << bits) - 1
    old = int.from_bytes(window[offset : offset + width], "little")
    if kind == "rep stos":
        s.value = int.from_bytes(bytes([rng.choice(ONE_BYTE)]) * width, "little")
    elif kind in INVERTIBLE:
        # a new value for the bytes: a whole new instruction sequence where the store
        # covers instructions exactly, else random bytes (kept when valid)
        starts = [o for o, _ in _parse(window, rules) or []] + [len(window)]
        new_window = None
        if offset in starts and offset + width in starts and rng.random() < 0.7:
            category = rng.choice(("alu", "lahf", "nop", "inc", "any"))
            piece = _sequence(rng, width, rules, {"alu": "any"}.get(category, category))
            new_window = window[:offset] + piece + window[offset + width :]
        else:
            for _ in range(8):
                candidate = bytearray(window)
                candidate[offset : offset + width] = rng.getrandbits(bits).to_bytes(width, "little")
                if _parse(bytes(candidate), rules) is not None:
                    new_window = bytes(candidate)
                    break
        if new_window is None or new_window == window:
            return None
        new = int.from_bytes(new_window[offset : offset + width], "little")
        s.op = rng.choice(("imm", "reg")) if kind in ("add", "sub", "adc", "sbb", "xor", "mov") else ""
        if s.op == "imm" and width == 4 and kind != "mov":
            s.op = "reg"  # ALU m32, imm32 is fine, but keep a register form in the mix
        s.cf = rng.randrange(2)
        s.value = {
            "add": new - old,
            "xadd": new - old,
            "sub": old - new,
            "adc": new - old - s.cf,
            "sbb": old - new - s.cf,
            "xor": old ^ new,
        }.get(kind, new) & mask
        if kind == "cmpxchg":
            s.compare = old if rng.random() < 0.8 else old ^ 1  # mostly a match: the store rewrites
    elif kind in ("and", "or"):
        s.op = rng.choice(("imm", "reg"))
        few = rng.getrandbits(bits) & rng.getrandbits(bits) & rng.getrandbits(bits)
        s.value = few if kind == "or" else mask & ~few  # set, or clear, a few bits
    elif kind == "setcc":
        s.cc = rng.choice(tuple(CONDITIONS))
        a = rng.getrandbits(32)
        s.cmp_operands = (
            (a, rng.choice((a, a + 1, a - 1, rng.getrandbits(32), 0x80000000)))
            if rng.random() < 0.9
            else (a, a)
        )
        s.cmp_operands = (s.cmp_operands[0], s.cmp_operands[1] & 0xFFFFFFFF)
    elif kind == "shift":
        s.op = rng.choice(SHIFTS)
        s.count = rng.choice((1, 1, 2, 3, 4, 7, 8, bits - 1))
        s.cf = rng.randrange(2)
        if s.op in ("rcl", "rcr"):
            # Unicorn redoes a store that rewrites its own block after RCL/RCR has already
            # changed CF, so it rotates the new CF in: keep to rotates that leave CF alone
            code = window
            for _ in range(loop):
                value, c = _rotate_through_carry(
                    s.op, int.from_bytes(code[offset : offset + width], "little"), s.count, bits, s.cf
                )
                if c != s.cf:
                    return None
                code = code[:offset] + value.to_bytes(width, "little") + code[offset + width :]
    elif kind in ("bts", "btr", "btc"):
        s.op = rng.choice(("imm", "reg"))
        s.bit = rng.randrange(bits)
    # apply it as many times as it runs, checking each result
    versions = [window]
    code = bytearray(window)
    for _ in range(loop):
        before = int.from_bytes(code[offset : offset + width], "little")
        code[offset : offset + width] = s.apply(before).to_bytes(width, "little")
        if _parse(bytes(code), rules) is None:
            return None
        versions.append(bytes(code))
    if all(v == window for v in versions):
        return None  # the store must change the code
    return s, versions


# -- the rest of the program ------------------------------------------------------------

_READERS = ("lahf", "pushfd", "setcc", "adc", "sbb", "cmc")
_READ = {"lahf": ARITH & ~OF, "pushfd": ARITH, "adc": CF, "sbb": CF, "cmc": CF}


class _Run:
    """Fillers and flag readers, each with the flags it reads, defines and leaves
    undefined (vol. 2, each instruction's Flags Affected; conformance/undefined.py)."""

    def __init__(self, rng: random.Random, loop: bool):
        self.rng, self.loop = rng, loop

    def filler(self) -> tuple[list[str], int, tuple[int, int, int]]:
        """(lines, how many instructions, (reads, defines, undefines))."""
        rng = self.rng
        regs = ["eax", "ebx", "edx", "esi", "edi"] + ([] if self.loop else ["ecx"])
        a, b = rng.choice(regs), rng.choice(regs + ["ebp", "esp"])
        roll = rng.random()
        if roll < 0.35:
            op = rng.choice(ALU)
            d, u = effect(op, "")
            return [f"{op} {a}, {b}"], 1, (CF if op in ("adc", "sbb") else 0, d, u)
        if roll < 0.5:
            op = rng.choice(ALU)
            d, u = effect(op, "")
            return (
                [f"{op} {a}, {rng.getrandbits(rng.choice((7, 32))):#x}"],
                1,
                (CF if op in ("adc", "sbb") else 0, d, u),
            )
        if roll < 0.6:
            op = rng.choice(("inc", "dec", "neg", "not"))
            d, u = effect(op, "")
            return [f"{op} {a}"], 1, (0, d, u)
        if roll < 0.7:
            return [f"mov {a}, {rng.getrandbits(32):#x}"], 1, (0, 0, 0)
        if roll < 0.75:
            return [rng.choice(("stc", "clc", "cmc"))], 1, (0, CF, 0)
        return self.reader()

    def reader(self) -> tuple[list[str], int, tuple[int, int, int]]:
        rng = self.rng
        regs8 = ["al", "bl", "dl", "ah", "bh", "dh"] + ([] if self.loop else ["cl", "ch"])
        regs = ["eax", "ebx", "edx", "esi", "edi"] + ([] if self.loop else ["ecx"])
        kind = rng.choice(_READERS)
        if kind == "lahf":
            return ["lahf"], 1, (_READ["lahf"], 0, 0)
        if kind == "pushfd":
            return ["pushfd", f"pop {rng.choice(regs)}"], 2, (ARITH, 0, 0)
        if kind == "setcc":
            cc = rng.choice(tuple(CONDITIONS))
            return [f"set{cc} {rng.choice(regs8)}"], 1, (CONDITIONS[cc], 0, 0)
        if kind in ("adc", "sbb"):
            return [f"{kind} {rng.choice(regs)}, {rng.getrandbits(8):#x}"], 1, (CF, ARITH, 0)
        return ["cmc"], 1, (CF, CF, 0)


def program(seed: int) -> str:
    rng = random.Random(f"smc/{seed}")
    for _ in range(100):
        text = _attempt(rng)
        if text is not None:
            return text
    raise RuntimeError(f"smc: no program for seed {seed}")  # pragma: no cover


def _attempt(rng: random.Random) -> str | None:
    loop = rng.random() < 0.25
    iterations = rng.choice((2, 3, 4)) if loop else 1
    rules = _Rules(loop)
    store_after = loop and rng.random() < 0.5  # the store follows the window: iteration 2 sees it
    length = rng.choice((1, 2, 2, 3, 4, 5, 6, 7, 8))
    window = _sequence(rng, length, rules)
    focus = None
    if rng.random() < 0.3:  # the witness: mov ebp, imm32, whose immediate the store changes
        before = _sequence(rng, rng.choice((0, 0, 1, 2)), rules) if rng.random() < 0.5 else b""
        after = _sequence(rng, rng.choice((0, 1)), rules)
        window = before + b"\xbd" + rng.getrandbits(32).to_bytes(4, "little") + after
        focus = (len(before) + 1, len(before) + 5)
    mode = rng.choice(("pm32", "pm32", "pm32-paged", "pm32-paged", "user32"))
    alias = ALIAS if mode == "pm32-paged" and rng.random() < 0.5 else 0
    chosen = _choose_store(rng, window, rules, iterations, alias, focus)
    if chosen is None:
        return None
    store, versions = chosen
    executed = versions[:-1] if store_after else versions[1:]  # what the window is when it runs
    run = _Run(rng, loop)
    distance = rng.randrange(11)

    # the body as a list of (lines, effect) items; the window and the store are marked
    items: list[tuple[list[str], int, tuple[int, int, int] | str]] = []
    for _ in range(rng.randrange(3)):
        items.append(run.filler())
    if rng.random() < 0.3 and not loop:  # a forward branch before the run (it ends a block)
        cc = rng.choice(tuple(CONDITIONS))
        items.append(([f"j{cc} l_skip", "mov ebx, eax", "l_skip:"], 2, (CONDITIONS[cc], 0, 0)))
    between = [run.filler() for _ in range(distance)]
    if store_after:
        items += [([], 0, "window"), *between, (store.lines(), 1, "store")]
    else:
        items += [(store.lines(), 1, "store"), *between, ([], 0, "window")]
    for _ in range(rng.randrange(3)):
        items.append(run.filler())
    items.append(run.reader())
    post = [run.reader() for _ in range(rng.randrange(1, 3))]
    if rng.random() < 0.3:
        cc = rng.choice(tuple(CONDITIONS))
        post.append(([f"j{cc} l_end", "not ebx", "l_end:"], 2, (CONDITIONS[cc], 0, 0)))

    # flags: walk what runs, iteration by iteration; a reader of an undefined flag gets a
    # CMP first (in the text, so in every iteration); an undefined flag read inside the
    # window rejects the program
    windows = [_parse(v, rules) for v in executed]
    store_effect = store.effect()
    for _ in range(8):
        undefined, fixed = 0, False
        for i in range(iterations):
            for j, (_lines, _n, eff) in enumerate(items):
                if eff == "window":
                    for _off, (reads, defines, undef) in windows[i]:
                        if reads & undefined:
                            return None
                        undefined = (undefined & ~defines) | undef
                    continue
                reads, defines, undef = store_effect if eff == "store" else eff
                if eff == "store" and store.kind in ("setcc", "adc", "sbb"):
                    undefined = 0  # its CMP, STC or CLC defines what it reads
                if reads & undefined:
                    items.insert(j, (["cmp eax, edx"], 1, (0, ARITH, 0)))
                    fixed = True
                    break
                undefined = (undefined & ~defines) | undef
            if fixed:
                break
            if loop:
                undefined &= ~(ARITH & ~CF)  # dec ecx
                if undefined & ZF:  # pragma: no cover - DEC defines ZF
                    return None
        if not fixed:
            break
    else:
        return None
    for lines, _n, eff in post:
        reads = eff[0] if isinstance(eff, tuple) else 0
        if reads & undefined:
            lines.insert(0, "cmp eax, edx")
            undefined = 0
        undefined = (undefined & ~eff[1]) | eff[2]
    tail = ["cmp eax, ebx"] if undefined else []  # leave no flag undefined at the end

    # the text
    body: list[str] = []
    if alias:  # linear page 0x30 maps the code page too (the body is far shorter than a page)
        page = (0x10000 + ALIAS) >> 12
        body += [f"mov dword ptr [{PAGE_TABLE + 4 * page:#x}], 0x10007", f"invlpg [{page << 12:#x}]"]
    if loop:
        body += [f"mov ecx, {iterations}", "l_top:"]
    padded = window + b"\x90" * (8 - len(window))  # NOPs to 8 bytes, read back at the end
    for lines, _n, eff in items:
        if eff == "window":
            body += ["t:", f".byte {', '.join(f'{b:#04x}' for b in padded)}"]
        else:
            body += lines
    if loop:
        body += ["dec ecx", "jnz l_top"]
    for lines, _n, _eff in post:
        body += lines
    body += tail
    body += ["mov esi, dword ptr [t]", "mov edi, dword ptr [t + 4]"]  # the code as the run left it

    regs = {r: rng.getrandbits(32) for r in ("eax", "ebx", "ecx", "edx", "esi", "edi", "ebp")}
    ebp = regs["ebp"]
    for version in executed:  # the last mov ebp, imm32 that runs sets EBP
        for off, _eff in _parse(version, rules):
            if version[off] == 0xBD:
                ebp = int.from_bytes(version[off + 1 : off + 5], "little")
    header = [
        f"; | store {store.kind} of {store.width} bytes at t+{store.offset}"
        f"{' through an alias' if alias else ''},"
        f" {distance} between,"
        + (
            f" loop of {iterations}, the store {'after' if store_after else 'before'} the window"
            if loop
            else " straight line"
        ),
        f"; | window {window.hex(' ')} -> " + " -> ".join(v.hex(" ") for v in versions[1:]),
        f"; mode: {mode}",
        "; budget: 20000",
        "; regs: " + " ".join(f"{r}={v:#x}" for r, v in regs.items()),
    ]
    if store.kind in ("movs", "rep movs"):
        source = store.value.to_bytes(store.width, "little")
        header.append(f"; data: {DATA:#x} db " + " ".join(f"{b:#x}" for b in source))
    final = versions[-1] + b"\x90" * (8 - len(window))
    esi, edi = int.from_bytes(final[:4], "little"), int.from_bytes(final[4:], "little")
    header.append(f"; expect: ebp={ebp:#x} esi={esi:#x} edi={edi:#x}")
    return (
        "\n".join(header)
        + "\n"
        + "".join(f"{line}\n" if line.endswith(":") else f"    {line}\n" for line in body)
    )
