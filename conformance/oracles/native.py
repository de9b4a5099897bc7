"""The host processor as an oracle for unprivileged test bodies.

The body runs on the host CPU in a 32-bit user context (compatibility mode), or for
pm16 a 16-bit one (LDT code and data segments based at the test window, made with
modify_ldt), of a child process (``host_process.py``), with the test's initial
registers and EFLAGS and its memory at the addresses it uses; the harness runtime is
not run. A test is eligible when the oracle can reproduce what the test's own mode
would do (``ineligible_image``): a protected mode with the runtime's segments, a body
of unprivileged instructions that user mode runs unchanged (``native_eligibility.py``),
memory inside the test window. Any other test, and one that at run time touches
memory the child does not have, makes a system call, rewrites itself into code that
is not eligible, or takes an exception the test's mode would not (#AC under the
host's CR0.AM), is reported as not applicable with the reason, never as a result.
The eligibility check reads the body as assembled (and as it is at the end): code
the body reaches outside it, in its data, runs unchecked, but for a fault there at an
instruction the oracle could not have run (port I/O, a privileged one: the child's
CPL 3 is not the test's), which makes the test not applicable.

From the hardware: every instruction's execution, the final general registers, the
arithmetic and control flags (CF PF AF ZF SF TF DF OF AC), the memory, and each
exception's vector, error code and CR2 (the kernel's record of the exception, read
from the signal frame), its EIP, and the EFLAGS image the CPU pushed.

Deduced, with the reason:

* IF and IOPL are the test's initial ones (a user process runs with IF = 1 and
  IOPL = 0, and an eligible body cannot change them); RF is 0 at the end (the CPU
  sets it in the image it saves for a fault, and the body's final OUT completes).
  Where they differ from the host's, the oracle stops at each PUSHF (a debug-register
  breakpoint, at most four of them), single-steps it, and puts the test's IF and IOPL,
  and TF as it was before the step, into the image it pushed.
* The segment selectors and CR0, CR3 and CR4 are the ones the runtime set for the
  mode (an eligible body loads none of them); CR2 is the last #PF's address.
* A #PF error code's U/S bit is the test's CPL (the child runs at CPL 3) and its I/D
  bit 0 (the test's 32-bit paging has no NX: SDM vol. 3A 4.7); P, W/R and RSVD are
  the hardware's. A #PF is only reproduced where the test's page tables have no
  page either (above its 4 MiB of RAM, in the paged modes).
* The end of the test: the #GP the final ``out 0xf4, al`` raises in user mode is the
  OUT completing, so EIP is after it.
* What the runtime's recording handler does with an exception (the frame on the
  stack at CPL 0, the log, resume or stop, the registers after the stop) is applied
  by ``recording_handler.py``; the child then goes on from the resume address.

The time limit is the child's CPU time (the image's budget at 10 M instructions a
second, at least 50 ms: a hardware loop that outlasts it has run far past its budget)
and the image's wall-clock limit; either is reported as a timeout.
"""

from __future__ import annotations

import functools
import os
import platform
import struct
import sys

from refvmm.hw.kvm import host_cpu  # the one reader of /proc/cpuinfo (the kvm oracle's too)

from .. import layout as L
from ..image import Image
from ..state import ExceptionRecord, FinalState, fpu_state, rewritten
from . import recording_handler as H
from .host_process import LDT_CODE16, LDT_DATA16, USER32_CS, USER_DS, HostError, HostProcess, ldt16
from .native_eligibility import ineligible, instruction_ineligible, pushf_sites

NOT_APPLICABLE = "not-applicable"
WINDOW = (L.TEST_BASE, L.RAM_SIZE)
PAGED_MODES = ("pm32-paged", "user32")
IF_IOPL = (1 << 9) | (3 << 12)
HOST_IF_IOPL = 1 << 9  # user mode: IF = 1, IOPL = 0
TF = 1 << 8
RF = 1 << 16
# EFLAGS bits a tracer may set in a user context (Linux FLAG_MASK), plus bit 1
SETTABLE = 0x2 | 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800 | RF | (1 << 18)
INSTRUCTIONS_PER_SECOND = 10_000_000  # far below the hardware's, for the CPU-time limit
NO_ERROR_VECTORS = {0: 0, 1: 1, 3: 3, 4: 4, 5: 5, 6: 6}  # trap number -> vector
SEGMENT_KINDS = {"cs": "code", "ss": "stack", "ds": "data", "es": "data", "fs": "data", "gs": "data"}


def _chunk(image: Image, addr: int) -> bytes:
    return next((blob for start, blob in image.chunks if start == addr), b"")


def initial_registers(image: Image) -> dict[str, int]:
    block = _chunk(image, L.REGBLOCK)
    return {name: struct.unpack_from("<I", block, off)[0] for name, off in L.REG_OFFSETS.items()}


def _describable(descriptor: int, kind: str, bits: int) -> bool:
    """A present descriptor of the kind the register needs that the child has too: flat
    (base 0, 4 GiB, 32-bit) for 32-bit code, or the LDT's 16-bit segments at the test
    window (limit 0xFFFF, byte-granular) for 16-bit code."""
    base = (descriptor >> 16 & 0xFFFFFF) | (descriptor >> 56 & 0xFF) << 24
    limit = (descriptor & 0xFFFF) | (descriptor >> 48 & 0xF) << 16
    access, flags = descriptor >> 40 & 0xFF, descriptor >> 52 & 0xF
    shape = (0, 0xFFFFF, 0xC) if bits == 32 else (L.TEST_BASE, 0xFFFF, 0)
    if (base, limit, flags & 0xC) != shape or not access & 0x80 or not access & 0x10:
        return False
    if kind == "code":
        return bool(access & 0x8)
    return not access & 0x8 and access & 0x2 and not access & 0x4  # writable, expand-up data


def _segments_reason(image: Image, regs: dict[str, int]) -> str | None:
    gdt = _chunk(image, L.GDT)
    for reg, kind in SEGMENT_KINDS.items():
        selector = regs[reg]
        index = selector >> 3
        if selector & 4 or 8 * index + 8 > len(gdt):
            return f"{reg} = {selector:#x} is not in the runtime's GDT"
        if index == 0:
            return f"{reg} holds the null selector, which the child's flat segments cannot reproduce"
        (descriptor,) = struct.unpack_from("<Q", gdt, 8 * index)
        if not _describable(descriptor, kind, image.bits):
            shape = "flat 32-bit" if image.bits == 32 else "16-bit (base 0x10000, limit 0xFFFF)"
            return f"{reg} = {selector:#x} is not a {shape} {kind} segment"
    return None


def _corrects_pushf(eflags: int) -> bool:
    """Whether a PUSHF's image needs the test's IF and IOPL put in (they are not the host's)."""
    return eflags & IF_IOPL != HOST_IF_IOPL


def _cpl(image: Image) -> int:
    return 3 if image.mode == "user32" else 0


def ineligible_image(image: Image) -> str | None:
    """Why the native oracle cannot run ``image``, or None."""
    if image.mode == "real16":
        return "real mode (a 64-bit kernel has no virtual-8086 mode)"
    if image.body_base != L.TEST_BASE or image.body_origin != (L.TEST_BASE if image.bits == 32 else 0):
        return "the body is not at the start of the test window"
    regs = initial_registers(image)
    if image.mode == "user32" and regs["cs"] & 3 != 3:
        return f"CPL {regs['cs'] & 3} (the host runs user code at CPL 3 only)"
    extra = regs["eflags"] & ~(SETTABLE | IF_IOPL)
    if extra:
        return f"initial EFLAGS {regs['eflags']:#x} has bits a user context cannot be started with"
    reason = _segments_reason(image, regs)
    if reason:
        return reason
    for addr, size in image.compare:
        if addr < WINDOW[0] or addr + size > WINDOW[1]:
            return f"compared memory {addr:#x}+{size} is outside the test window the child maps"
    for addr, blob in image.chunks:
        if addr < WINDOW[0] < addr + len(blob):
            return f"memory at {addr:#x} straddles the start of the test window"
    end = image.labels.get("__test_end")
    if end is None:
        return "the body has no __test_end"
    code = image.body[: end - image.body_origin]
    reason = ineligible(code, image.body_origin, image.bits, _cpl(image), regs["eflags"])
    if (
        not reason
        and _corrects_pushf(regs["eflags"])
        and len(pushf_sites(code, image.body_origin, image.bits)) > 4
    ):
        reason = "more than four PUSHF (the oracle corrects each one's image at a breakpoint)"
    return reason


def control_registers(mode: str, cr2: int) -> dict[str, int]:
    """What the runtime sets (PE and ET; paging from the runtime's page directory)."""
    paged = mode in PAGED_MODES
    return {"cr0": 0x80000011 if paged else 0x11, "cr2": cr2, "cr3": L.PAGE_DIR if paged else 0, "cr4": 0}


class _NotApplicable(Exception):
    pass


class NativeOracle:
    name = "native"
    kind = "oracle"
    honours_budget = False  # it stops on CPU time: it cannot count to the budget

    def __init__(self, options: str = "") -> None:
        if options:
            raise ValueError(f"native takes no options, not {options!r}")

    def unavailable(self) -> str | None:
        return _unavailable()

    def run(self, image: Image) -> FinalState:
        reason = ineligible_image(image)
        if reason:
            return FinalState(engine=self.name, exit=NOT_APPLICABLE, message=f"not applicable: {reason}")
        try:
            return _Run(image).run(self.name)
        except _NotApplicable as exc:
            return FinalState(engine=self.name, exit=NOT_APPLICABLE, message=f"not applicable: {exc}")
        except HostError as exc:
            return FinalState(engine=self.name, exit="error", message=f"native: {exc}")


class _Run:
    def __init__(self, image: Image):
        self.image = image
        self.initial = initial_registers(image)
        self.selectors = {s: self.initial[s] for s in L.SEGMENT_REGISTERS}
        self.cpl = _cpl(image)
        self.paged = image.mode in PAGED_MODES
        self.test_end = image.labels["__test_end"]
        self.exceptions: list[ExceptionRecord] = []
        self.cr2 = 0

    def _test_flags(self, hardware: int) -> int:
        return (hardware & ~IF_IOPL) | (self.initial["eflags"] & IF_IOPL)

    def run(self, name: str) -> FinalState:
        image = self.image
        chunks = [(a, b) for a, b in image.chunks if a >= WINDOW[0]]
        cpu = max(0.05, min(image.timeout, image.budget / INSTRUCTIONS_PER_SECOND))
        end = self.test_end - image.body_origin
        pushfs: dict[int, int] = {}
        if _corrects_pushf(self.initial["eflags"]):
            pushfs = dict(pushf_sites(image.body[:end], image.body_origin, image.bits))
        ldt, cs, data = (
            ([], USER32_CS, USER_DS) if image.bits == 32 else (ldt16(L.TEST_BASE), LDT_CODE16, LDT_DATA16)
        )
        with HostProcess(WINDOW, chunks, cpu, image.timeout, ldt) as proc:
            gprs = {r: self.initial[r] for r in L.GPRS}
            proc.start(gprs, self.initial["eip"], self.initial["eflags"] & SETTABLE, cs, data)
            if pushfs:
                # linear addresses: the code segment is based at the test window in pm16
                proc.set_breakpoints(sorted(image.body_base - image.body_origin + a for a in pushfs))
            while True:
                stop = proc.run()
                if stop.kind == "breakpoint" and stop.regs["eip"] in pushfs:
                    size, before = pushfs[stop.regs["eip"]], stop.regs["eflags"]
                    stop = proc.run(step=True)
                    if stop.kind == "stepped":
                        self._correct_pushf(proc, stop.regs["esp"], size, before)
                        continue
                if stop.kind == "timeout":
                    return FinalState(
                        engine=name, exit="timeout", message=f"no exit after {cpu:g} s of CPU time"
                    )
                if stop.kind == "died":
                    if "seccomp" in stop.message:
                        raise _NotApplicable(f"the body made a system call ({stop.message})")
                    return FinalState(engine=name, exit="error", message=f"native: {stop.message}")
                regs = stop.regs
                if stop.trapno == 13 and regs["eip"] == self.test_end and stop.error == 0:
                    regs = dict(regs, eip=self.test_end + 2, eflags=self._test_flags(regs["eflags"]) & ~RF)
                    return self._final(name, proc, "end", regs)
                self._check_faulting(proc, stop)
                vector, error = self._exception(stop)
                pushed = self._test_flags(regs["eflags"])
                outcome = H.handle(
                    image,
                    regs,
                    self.selectors,
                    vector,
                    error,
                    regs["eip"],
                    pushed,
                    self.cpl,
                    len(self.exceptions),
                    image.bits == 16,
                )
                if outcome.logged:
                    cr2 = stop.cr2 if vector == 14 else 0
                    self.exceptions.append(
                        ExceptionRecord(vector, error, regs["eip"], self.selectors["cs"], pushed, cr2)
                    )
                for addr, blob in outcome.writes:
                    if addr < WINDOW[0] or addr + len(blob) > WINDOW[1]:
                        raise _NotApplicable(f"the exception frame at {addr:#x} is outside the test window")
                    proc.write(addr, blob)
                if outcome.stop:
                    return self._final(name, proc, "exception", outcome.final)
                proc.set_eip(outcome.resume_eip)

    def _correct_pushf(self, proc: HostProcess, esp: int, size: int, before: int) -> None:
        """The image PUSHF pushed, with the test's IF and IOPL and TF as it was (the step set it)."""
        esp = self._stack_linear(esp)
        if esp < WINDOW[0] or esp + size > WINDOW[1]:
            raise _NotApplicable(f"PUSHF to {esp:#x}, outside the test window")
        (value,) = struct.unpack("<I", proc.read(esp, size).ljust(4, b"\0"))
        value = (value & ~(IF_IOPL | TF)) | (self.initial["eflags"] & IF_IOPL) | (before & TF)
        proc.write(esp, struct.pack("<I", value)[:size])

    def _stack_linear(self, esp: int) -> int:
        """The linear address of SS:ESP (a 16-bit stack at the test window in pm16)."""
        return esp if self.image.bits == 32 else L.TEST_BASE + (esp & 0xFFFF)

    def _check_faulting(self, proc: HostProcess, stop) -> None:
        """A fault at an instruction the oracle cannot run (an OUTS or CLI where the test's
        CPL allows it), which the run reached outside the body it checked or wrote: the
        host's fault, not the test's."""
        if stop.trapno in (1, 3, 4):  # traps: EIP is past the instruction
            return
        eip = stop.regs["eip"]
        linear = eip if self.image.bits == 32 else L.TEST_BASE + (eip & 0xFFFF)
        if not WINDOW[0] <= linear < WINDOW[1]:
            return
        code = proc.read(linear, min(16, WINDOW[1] - linear))
        reason = instruction_ineligible(code, eip, self.image.bits, self.cpl, self.initial["eflags"])
        if reason:
            raise _NotApplicable(f"the run faulted at code the oracle cannot run: {reason}")

    def _exception(self, stop) -> tuple[int, int | None]:
        """The test's vector and error code for the hardware's exception."""
        trapno = stop.trapno
        if trapno in NO_ERROR_VECTORS:
            return NO_ERROR_VECTORS[trapno], None
        if trapno in (10, 11, 12, 13):  # #TS #NP #SS #GP
            return trapno, stop.error
        if trapno == 14:
            if not self.paged:
                raise _NotApplicable(
                    f"#PF at {stop.cr2:#x}: outside the child's memory, and the mode has no paging"
                )
            if stop.cr2 < WINDOW[0]:
                raise _NotApplicable(
                    f"#PF at {stop.cr2:#x}: the runtime's memory, which the child does not map"
                )
            self.cr2 = stop.cr2
            return 14, (stop.error & 0b1011) | (4 if self.cpl == 3 else 0)
        if trapno == 17:
            raise _NotApplicable("#AC: the host runs user code with CR0.AM = 1, the test's CR0.AM is 0")
        raise _NotApplicable(f"an exception the oracle does not map (trap {trapno}, signal {stop.signal})")

    def _final(self, name: str, proc: HostProcess, exit_reason: str, regs: dict[str, int]) -> FinalState:
        image = self.image
        end = self.test_end - image.body_origin
        code = proc.read(image.body_base, end)
        if proc.read(image.body_base + end, len(image.body) - end) != image.body[end:]:
            # the runtime's exit after the body: rewritten, it runs as the host runs it
            # (an OUT turned into a HLT faults in a user process), not as the test's CPU
            raise _NotApplicable("the body rewrote the exit sequence after it")
        if code != image.body[:end]:
            reason = ineligible(code, image.body_origin, image.bits, self.cpl, self.initial["eflags"])
            sites = pushf_sites(image.body[:end], image.body_origin, image.bits)
            if (
                not reason
                and _corrects_pushf(self.initial["eflags"])
                and pushf_sites(code, image.body_origin, image.bits) != sites
            ):
                reason = "a PUSHF the oracle did not stop at"
            if reason:
                raise _NotApplicable(f"the body rewrote itself: {reason}")
        state = {r: regs[r] for r in (*L.GPRS, "eip", "eflags")}
        state.update({s: regs.get(s, self.selectors[s]) for s in L.SEGMENT_REGISTERS})
        state.update(control_registers(image.mode, self.cr2))
        return FinalState(
            engine=name,
            exit=exit_reason,
            regs=state,
            memory={a: proc.read(a, n) for a, n in image.compare},
            code=rewritten(image.body, proc.read(image.body_base, len(image.body))),
            exceptions=list(self.exceptions),
            extra={"host_cpu": host_cpu()},
            fpu=fpu_state(*proc.get_fpu()),
        )


_PROBE = bytes.fromhex("01d8e6f4")  # add eax, ebx; out 0xf4, al


@functools.cache
def _unavailable() -> str | None:
    if sys.platform != "linux":
        return f"needs Linux (ptrace and 32-bit user code); this is {sys.platform}"
    machine = platform.machine()
    if machine not in ("x86_64", "AMD64"):
        return f"needs an x86-64 host CPU; this is {machine}"
    if not hasattr(os, "pidfd_open"):
        return "needs os.pidfd_open (Linux 5.3, Python 3.9)"
    try:
        with HostProcess(WINDOW, [(L.TEST_BASE, _PROBE)], 1.0, 5.0) as proc:
            proc.start(dict.fromkeys(L.GPRS, 0) | {"eax": 0xFFFFFFFF, "ebx": 1}, L.TEST_BASE, 0x2)
            stop = proc.run()
    except (HostError, OSError) as exc:
        return f"cannot run a child under ptrace: {exc}"
    if stop.kind != "fault" or stop.trapno != 13 or stop.regs.get("eip") != L.TEST_BASE + 2:
        return f"the probe program did not stop at its OUT ({stop.kind} {stop.message})".strip()
    if stop.regs["eax"] != 0 or stop.regs["eflags"] & 0x8D5 != 0x55:
        return "the probe program's ADD gave a wrong result: no 32-bit user mode here?"
    return None
