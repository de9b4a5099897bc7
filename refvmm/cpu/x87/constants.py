"""FLD1, FLDZ, FLDPI, FLDL2E, FLDL2T, FLDLG2 and FLDLN2 (SDM vol. 1 8.3.8, vol. 2 FLDxx):
the x87 holds each irrational constant to 66 bits and rounds it to 64 by the rounding
control, without raising PE and with C1 cleared. The value rounded is the irrational
one (the 66 bits and a sticky bit): log10(2), whose 66 bits end in a tie, rounds up to
nearest, as the host processor does."""

from __future__ import annotations

from .encoding import BIAS, ONE, POS_ZERO, pack, rounding
from .rounding import round_integer

# the leading 66 bits of each value and the exponent of its leading bit
_INTERNAL = {
    "pi": (0x3243F6A8885A308D3, 1),
    "l2t": (0x35269E12F346E2BF9, 1),
    "l2e": (0x2E2A8ECA5705FC2EE, 0),
    "lg2": (0x268826A13EF3FDE62, -2),
    "ln2": (0x2C5C85FDF473DE6AF, -1),
}


def load_constant(name: str, cw: int) -> int:
    """The constant ``name`` ("one", "zero", "pi", "l2t", "l2e", "lg2", "ln2")."""
    if name == "one":
        return ONE
    if name == "zero":
        return POS_ZERO
    m, top = _INTERNAL[name]
    mag, _ = round_integer(0, m << 1 | 1, -3, rounding(cw))
    if mag >> 64:
        mag, top = mag >> 1, top + 1
    return pack(0, top + BIAS, mag)
