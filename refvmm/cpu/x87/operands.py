"""What every operation does first with its operands, written once: unsupported
encodings are invalid, NaNs propagate by the x87's rule, denormals raise DE, and an
unmasked IE, ZE or DE leaves the destination unwritten (SDM vol. 1 4.8.3.5, table 4-7,
8.5.1-8.5.3)."""

from __future__ import annotations

from .encoding import (
    DE,
    DENORMAL,
    IE,
    INDEFINITE,
    NAN,
    PSEUDO_DENORMAL,
    QNAN,
    SIG_MASK,
    SNAN,
    UNSUPPORTED,
    ZE,
    classify,
    quiet,
    unmasked,
)

DENORMALS = frozenset({DENORMAL, PSEUDO_DENORMAL})


def propagate(a: int, ca: int, b: int | None = None, cb: int | None = None) -> int:
    """The NaN result of an operation with at least one NaN operand: a QNaN beats an SNaN,
    of two NaNs of one kind the larger significand wins (with equal significands, the
    positive one: as the host processor does), and an SNaN is quietened."""
    if cb is None or cb not in NAN:
        return quiet(a)
    if ca not in NAN:
        return quiet(b)
    if ca != cb:
        return a if ca == QNAN else b
    return quiet(a if (a & SIG_MASK, a >> 79 ^ 1) >= (b & SIG_MASK, b >> 79 ^ 1) else b)


def respond(value: int | None, flags: int, cw: int) -> tuple[int | None, int]:
    """``value`` unless an unmasked IE, ZE or DE stops the write."""
    if unmasked(flags & (IE | ZE | DE), cw):
        return None, flags
    return value, flags


def special(a: int, b: int | None = None) -> tuple[int, int] | None:
    """The result and flags when an operand is unsupported or a NaN, else None."""
    ca = classify(a)
    cb = None if b is None else classify(b)
    if ca in UNSUPPORTED or cb in UNSUPPORTED:
        return INDEFINITE, IE
    if ca in NAN or cb in NAN:
        return propagate(a, ca, b, cb), IE if SNAN in (ca, cb) else 0
    return None


def denormal(*operands: int) -> int:
    """DE if any operand is a denormal or pseudo-denormal."""
    return DE if any(classify(x) in DENORMALS for x in operands) else 0
