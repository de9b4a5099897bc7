"""The memory images of FSTENV/FLDENV (the environment) and FSAVE/FRSTOR (the
environment and the eight registers), in the 16- and 32-bit, real- and protected-mode
layouts (SDM vol. 1 8.1.10, figures 8-9 to 8-12).

Pure functions of an ``X87State``: storing does not change the state (FNSTENV then masks
every exception and FNSAVE then initialises the FPU; the instruction does that). In the
real-mode layouts the instruction and data pointers are the 20- or 32-bit linear
addresses, split as the SDM shows. Reserved halves of the 32-bit layouts are stored as
0xFFFF, as the host processor does.
"""

from __future__ import annotations

import struct

from .state import X87State

_RES = 0xFFFF << 16


def environment_size(bits32: bool) -> int:
    return 28 if bits32 else 14


def store_environment(x: X87State, bits32: bool, protected: bool) -> bytes:
    cw, sw, tw = x.cw, x.status_word(), x.tag_word()
    fop = x.fop & 0x7FF
    if bits32:
        if protected:
            words = (x.fip, fop << 16 | x.fcs, x.fdp, _RES | x.fds)
        else:
            words = (_RES | x.fip & 0xFFFF, (x.fip >> 16 & 0xFFFF) << 12 | fop, _RES | x.fdp & 0xFFFF)
            words += ((x.fdp >> 16 & 0xFFFF) << 12,)
        return struct.pack("<7I", _RES | cw, _RES | sw, _RES | tw, *words)
    if protected:
        words = (x.fip & 0xFFFF, x.fcs, x.fdp & 0xFFFF, x.fds)
    else:
        words = (x.fip & 0xFFFF, (x.fip >> 16 & 0xF) << 12 | fop, x.fdp & 0xFFFF, (x.fdp >> 16 & 0xF) << 12)
    return struct.pack("<7H", cw, sw, tw, *words)


def load_environment(x: X87State, data: bytes, bits32: bool, protected: bool) -> None:
    if bits32:
        cw, sw, tw, w3, w4, w5, w6 = struct.unpack("<7I", data[:28])
        if protected:
            x.fip, x.fcs, x.fop, x.fdp, x.fds = w3, w4 & 0xFFFF, w4 >> 16 & 0x7FF, w5, w6 & 0xFFFF
        else:
            x.fip = (w4 >> 12 & 0xFFFF) << 16 | w3 & 0xFFFF
            x.fop, x.fdp = w4 & 0x7FF, (w6 >> 12 & 0xFFFF) << 16 | w5 & 0xFFFF
            x.fcs = x.fds = 0
    else:
        cw, sw, tw, w3, w4, w5, w6 = struct.unpack("<7H", data[:14])
        if protected:
            x.fip, x.fcs, x.fdp, x.fds, x.fop = w3, w4, w5, w6, 0
        else:
            x.fip, x.fop = (w4 >> 12) << 16 | w3, w4 & 0x7FF
            x.fdp, x.fcs, x.fds = (w6 >> 12) << 16 | w5, 0, 0
    x.set_tag_word(tw & 0xFFFF)
    x.set_control_word(cw & 0xFFFF)
    x.set_status_word(sw & 0xFFFF)


def store_state(x: X87State, bits32: bool, protected: bool) -> bytes:
    """FSAVE's image: the environment, then ST(0) to ST(7), ten bytes each."""
    regs = b"".join(x.st(i).to_bytes(10, "little") for i in range(8))
    return store_environment(x, bits32, protected) + regs


def load_state(x: X87State, data: bytes, bits32: bool, protected: bool) -> None:
    """FRSTOR."""
    load_environment(x, data, bits32, protected)
    n = environment_size(bits32)
    for i in range(8):
        x.regs[(x.top + i) & 7] = int.from_bytes(data[n + 10 * i : n + 10 * i + 10], "little")
