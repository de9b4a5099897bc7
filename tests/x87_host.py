"""The host CPU's own x87 as ground truth: small routines assembled for 64-bit mode with
keystone, run from an executable mapping through ctypes.

A routine is a body of x87 code between a fixed prologue and epilogue. ``rdi`` points at
the input block: the control word at offset 0 and operands at 16, 32 and 48; ``rsi`` at
the output block, where the body may store to offset 64. The prologue saves the caller's
control word and starts from FNINIT; the epilogue stores the status word as the body left
it (before any store changes C1), then ST(0), ST(1) and ST(2) as extended reals, and
FNINIT and the saved control word leave the x87 as found.
Exceptions must stay masked (an unmasked one would trap inside this process), except in
``run_unmasked``, which stores the state with FNSAVE before any waiting instruction
could take the exception.
"""

from __future__ import annotations

import ctypes
import mmap
import platform
import sys

from hypothesis import settings

# each example is a host call: a fifth of the profile's examples (40 by default, 4000 in
# the full profile), applied to each x87 property test
EXAMPLES = settings(max_examples=max(1, settings().max_examples // 5))

SUPPORTED = sys.platform.startswith("linux") and platform.machine() in ("x86_64", "AMD64")
REASON = "the host x87 oracle needs x86-64 Linux"


def _vendor() -> str:
    """The host processor's CPUID vendor string, where the SDM leaves a result to the
    implementation and the vendors differ."""
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("vendor_id"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


VENDOR = _vendor() if SUPPORTED else ""

_PROLOGUE = "fnstcw word ptr [rsi + 8]; fninit; fldcw word ptr [rdi];"
# the status word first: whatever the body leaves, then the stack emptied
_EPILOGUE = (
    "fnstsw word ptr [rsi]; fstp tbyte ptr [rsi + 16]; fstp tbyte ptr [rsi + 32];"
    "fstp tbyte ptr [rsi + 48]; fninit; fldcw word ptr [rsi + 8]; ret"
)

_FUNC = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)
_cache: dict[str, object] = {}
_pages: list[mmap.mmap] = []


def _compile(body: str):
    fn = _cache.get(body)
    if fn is None:
        from keystone import KS_ARCH_X86, KS_MODE_64, Ks

        code, _ = Ks(KS_ARCH_X86, KS_MODE_64).asm(_PROLOGUE + body + ";" + _EPILOGUE)
        page = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
        page.write(bytes(code))
        _pages.append(page)  # kept alive with the function
        fn = _cache[body] = _FUNC(ctypes.addressof(ctypes.c_char.from_buffer(page)))
    return fn


def run(body: str, cw: int, *operands: bytes, fill: int = 0) -> tuple[int, list[bytes]]:
    """Run ``body`` with control word ``cw`` and up to three operands (little-endian
    bytes at offsets 16, 32 and 48). Returns the status word after the body, ST(0) to ST(2)
    (10 bytes each) and the 128 bytes the body may have stored at offset 64 (the output
    block is filled with ``fill`` first)."""
    if cw & 0x3F != 0x3F:
        raise ValueError("host routines run with every exception masked")
    inp = ctypes.create_string_buffer(64)
    out = ctypes.create_string_buffer(bytes([fill]) * 192, 192)
    inp[0:2] = cw.to_bytes(2, "little")
    for i, op in enumerate(operands):
        inp[16 * (i + 1) : 16 * (i + 1) + len(op)] = op
    _compile(body)(ctypes.addressof(inp), ctypes.addressof(out))
    raw = out.raw
    return int.from_bytes(raw[0:2], "little"), [raw[16:26], raw[32:42], raw[48:58], raw[64:192]]


def run_unmasked(loads: str, op: str, cw: int, *operands: bytes) -> tuple[int, list[int], int, bytes]:
    """``op`` under the control word ``cw``, which may unmask exceptions, after ``loads``
    run masked. FNSAVE, which does not wait, stores the state right after ``op`` and
    reinitialises the x87, so the pending exception is never taken. Up to two operands
    (offsets 16 and 32); ``op`` may store to offset 176, which is filled with 0xA5 first.
    Returns the status word, ST(0) to ST(7) as integers, the tag word and the 16 bytes at
    offset 176."""
    slots = [*operands, b"", b""][:2] + [cw.to_bytes(2, "little")]
    body = f"{loads}; fldcw word ptr [rdi + 48]; {op}; fnsave [rsi + 64]"
    _, out = run(body, 0x037F, *slots, fill=0xA5)
    image = out[3]
    regs = [int.from_bytes(image[28 + 10 * i : 38 + 10 * i], "little") for i in range(8)]
    sw, tw = int.from_bytes(image[4:6], "little"), int.from_bytes(image[8:10], "little")
    return sw, regs, tw, image[112:128]
