"""What the harness runtime's protected-mode recording handler does with one exception,
for an oracle that runs the test body without the runtime around it.

Every engine delivers a test's exceptions through the runtime's IDT to the handler in
``conformance/runtime/stubs.py``; the native oracle cannot (a user process has no IDT),
so it takes the exception from the hardware and applies the handler's effect here,
instruction by instruction of ``pm_common``, ``pm_resume`` and ``pm_stop``:

* the frame the CPU pushes through a 32-bit interrupt gate (on the test's stack at
  CPL 0, on the TSS's ring-0 stack at CPL 3: EFLAGS, CS, EIP, the error code), the
  stub's error-code placeholder and vector, ``push ds``, ``push es`` and ``pushad``,
  and in the resume path the call to ``pm_resume`` and its three pushes: the bytes
  written below the test's ESP at CPL 0 (segment registers and CS pushed zero-extended);
* the log entry (vector, error code, EIP, CS, EFLAGS, CR2 for #PF), up to LOG_MAX;
* then either the resume (``pm_resume``'s rule, from the resume table in the image:
  after the faulting instruction for a fault in the body, at the saved EIP for traps
  and software interrupts) with every register as it was, or the stop: ``pm_stop``'s
  OUT, with the registers its ``popad``/``pop``/``add esp, 8`` leave.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from .. import layout as L
from ..image import Image
from ..runtime import handler_labels

# EFLAGS bits an interrupt gate clears: TF, IF, NT, RF, VM
GATE_CLEARS = (1 << 8) | (1 << 9) | (1 << 14) | (1 << 16) | (1 << 17)
ARITH = 0x8D5  # CF PF AF ZF SF OF


@dataclass
class Outcome:
    stop: bool
    resume_eip: int = 0
    logged: bool = True
    # at CPL 0: (address, bytes) the delivery and the handler write below the test's ESP
    writes: list[tuple[int, bytes]] = field(default_factory=list)
    final: dict[str, int] = field(default_factory=dict)  # registers after pm_stop's OUT


def _chunk(image: Image, addr: int) -> bytes:
    for start, blob in image.chunks:
        if start == addr:
            return blob
    return b""


def resume_table(image: Image) -> list[tuple[int, int, int]]:
    blob = _chunk(image, L.RESUME)
    (count,) = struct.unpack_from("<I", blob, 0) if blob else (0,)
    return [struct.unpack_from("<III", blob, 4 + 12 * i) for i in range(count)]


def stops_at_first(image: Image) -> bool:
    blob = _chunk(image, L.MODE_FLAGS)
    return bool(blob and blob[0] & 1)


def resume_at(table: list[tuple[int, int, int]], vector: int, eip: int) -> int | None:
    """``pm_resume``: where the handler resumes, or None when it stops the test."""
    software = vector >= 32 or vector not in L.ERROR_CODE_VECTORS  # else a fault, whatever precedes
    for _addr, nxt, intvec in table:
        if software and nxt == eip and intvec == vector:
            return eip
    if vector >= 32:
        return eip
    if vector in L.ABORT_VECTORS:
        return None
    if vector not in L.FAULT_VECTORS:
        return eip
    for addr, nxt, _intvec in table:
        if addr == eip:
            return nxt
    return None


def add_flags(a: int, b: int) -> int:
    """CF PF AF ZF SF OF of the 32-bit ADD a + b."""
    total = a + b
    r = total & 0xFFFFFFFF
    flags = 1 if total >> 32 else 0
    flags |= 0x4 if bin(r & 0xFF).count("1") % 2 == 0 else 0
    flags |= 0x10 if (a ^ b ^ r) & 0x10 else 0
    flags |= 0x40 if r == 0 else 0
    flags |= 0x80 if r >> 31 else 0
    flags |= 0x800 if ((a ^ r) & (b ^ r)) >> 31 else 0
    return flags


def handle(
    image: Image,
    regs: dict[str, int],
    selectors: dict[str, int],
    vector: int,
    error: int | None,
    eip: int,
    pushed_eflags: int,
    cpl: int,
    logged_before: int,
    stack16: bool = False,
) -> Outcome:
    """The handler's effect for an exception with ``regs`` (the GPRs at the exception),
    the test's ``selectors``, the saved ``eip`` and the EFLAGS image the CPU pushed.
    ``stack16``: the stack is pm16's (SP-addressed, based at the test window)."""
    labels = handler_labels(image.mode)
    words: list[int] = []  # dwords pushed at CPL 0, in push order
    if cpl == 0:
        words += [pushed_eflags, selectors["cs"], eip]
        esp = regs["esp"]
    else:  # the stack switch: SS0:ESP0 from the TSS, the user SS:ESP pushed first
        esp = L.KERNEL_STACK_TOP - 8
    err_word = L.NO_ERROR_CODE if error is None else error
    words += [err_word, vector, selectors["ds"], selectors["es"]]
    if cpl != 0:
        esp -= 12
        esp_before_pushad = esp - 16
    else:
        esp_before_pushad = esp - 4 * len(words)
    pushad = [regs["eax"], regs["ecx"], regs["edx"], regs["ebx"], esp_before_pushad, regs["ebp"]]
    pushad += [regs["esi"], regs["edi"]]
    logged = logged_before < L.LOG_MAX
    target = None
    if logged and not stops_at_first(image):
        target = resume_at(resume_table(image), vector, eip)
    stack_words = (words if cpl == 0 else []) + pushad
    if logged and not stops_at_first(image):
        stack_words += [labels["pm_resumed"], regs["ecx"], regs["esi"], regs["edx"]]
    writes = []
    if cpl == 0:
        top = L.TEST_BASE + (regs["esp"] & 0xFFFF) if stack16 else regs["esp"]
        blob = b"".join(struct.pack("<I", w & 0xFFFFFFFF) for w in reversed(stack_words))
        if target is not None:  # pm_common rewrote the saved EIP before the IRET
            blob = blob[: len(blob) - 12] + struct.pack("<I", target) + blob[len(blob) - 8 :]
        writes.append((top - len(blob), blob))
    if target is not None:
        return Outcome(stop=False, resume_eip=target, logged=logged, writes=writes)
    # pm_stop: popad, pop es, pop ds, add esp, 8, out: the frame's EIP is where ESP ends
    final_esp = (regs["esp"] - 12) if cpl == 0 else L.KERNEL_STACK_TOP - 20
    flags = (pushed_eflags & ~GATE_CLEARS & ~ARITH) | add_flags((final_esp - 8) & 0xFFFFFFFF, 8)
    final = {name: regs[name] for name in L.GPRS}
    final.update(esp=final_esp, eip=labels["pm_halt"], eflags=flags | 0x2, cs=L.SEL_KCODE32)
    final.update(ss=selectors["ss"] if cpl == 0 else L.SEL_KDATA32)
    final.update({s: selectors[s] for s in ("ds", "es", "fs", "gs")})
    return Outcome(stop=True, logged=logged, writes=writes, final=final)
