"""Every ModRM form of 16-bit addressing and every ModRM/SIB form of 32-bit addressing,
as MOV EAX, [form]. In 32-bit forms the registers point into the data area (scaled
indexes land further up, still in RAM); 16-bit forms wrap at 64 KiB and read the
runtime's own memory, which is the same on every engine."""

from __future__ import annotations

import random

VERSION = 1
DATA = 0x18000
REGS = ("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi")

# (prefix, mod, rm, sib or None)
FORMS = (
    [(b"\x67", mod, rm, None) for mod in range(3) for rm in range(8)]
    + [(b"", mod, rm, None) for mod in range(3) for rm in range(8) if rm != 4]
    + [
        (b"", mod, 4, (scale, index, base))
        for mod in range(3)
        for base in range(8)
        for index in range(8)
        for scale in range(4)
    ]  # fmt: skip
)
COUNT = len(FORMS)


def program(seed: int) -> str:
    rng = random.Random(seed)
    prefix, mod, rm, sib = FORMS[seed]
    regs = {r: DATA + rng.randrange(0, 0x40, 4) for r in REGS if r != "esp"}
    regs["esp"] = 0x1FF00  # a valid stack for the runtime; [esp]-based forms read near it
    code = prefix + bytes([0x8B, (mod << 6) | rm])  # mov eax, r/m32 with reg field 0
    if sib is not None:
        scale, index, base = sib
        code += bytes([(scale << 6) | (index << 3) | base])
    sixteen = bool(prefix)
    no_base = (sixteen and mod == 0 and rm == 6) or (
        not sixteen and mod == 0 and (rm == 5 or (sib and sib[2] == 5))
    )
    disp_size = 1 if mod == 1 else (2 if sixteen else 4) if mod == 2 or no_base else 0
    # displacements stay small so every address is inside guest RAM (Unicorn stops on
    # unbacked physical memory; the interpreter reads all ones there)
    disp = (DATA + rng.randrange(0x1000)) if no_base else rng.randrange(0x80) if disp_size else 0
    if sixteen:
        disp &= 0xFFFF if disp_size == 2 else 0xFF
        for r in REGS:  # 16-bit addressing wraps at 64 KiB: aim the base registers at DS base 0 + 0x8000
            regs[r] = 0x8000 + rng.randrange(0x400) if r != "esp" else regs[r]
    code += disp.to_bytes(disp_size, "little") if disp_size else b""
    lines = [
        "; mode: pm32",
        "; regs: " + " ".join(f"{k}={v:#x}" for k, v in regs.items()),
        f"; data: {DATA:#x} dd " + " ".join(f"{rng.getrandbits(32):#x}" for _ in range(32)),
        "    .byte " + ", ".join(f"{b:#04x}" for b in code),
    ]
    return "\n".join(lines) + "\n"
