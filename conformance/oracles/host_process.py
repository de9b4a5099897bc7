"""A child process that runs 32-bit code on the host CPU, driven with ptrace (ctypes only).

The child is forked from the calling process. Before it stops for its parent it maps
the test window at the addresses the test uses (``MAP_FIXED_NOREPLACE``: a window
that overlaps anything of the child's fails instead of replacing it), copies the
image's bytes there, and installs one handler, a single ``int3`` on an alternate
stack far above 4 GiB, for the signals the CPU's exceptions become (SIGSEGV, SIGBUS,
SIGFPE, SIGILL, SIGTRAP). It then installs a seccomp filter that kills it on any
system call but the few it needs to stop itself, so a test body that reaches
``int 0x80``, ``syscall`` or ``sysenter`` dies instead of acting on the host.

The parent sets the registers with CS = 0x23 (Linux's 32-bit user code segment, so
the CPU runs the code in compatibility mode) and lets it run. An exception stops the
child with a signal; the parent reads the registers at that point, then lets the
kernel deliver the signal: the kernel writes the hardware's vector (``trapno``), error
code and CR2 into the signal frame, and the handler's ``int3`` stops the child again
with the frame on its stack, where the parent reads them. The child's CPU time is
bounded by ITIMER_PROF (set in the child: SIGPROF is reported as a timeout) and its
wall-clock time by a watcher that kills it through a pidfd (no PID-reuse race).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import struct
import threading
from dataclasses import dataclass

# Linux x86-64 constants
PTRACE_TRACEME, PTRACE_POKEUSER, PTRACE_CONT, PTRACE_SINGLESTEP = 0, 6, 7, 9
PTRACE_GETREGS, PTRACE_SETREGS = 12, 13
PTRACE_GETFPREGS, PTRACE_SETFPREGS = 14, 15  # struct user_fpregs_struct: FXSAVE's 512 bytes
# FXSAVE's image as FNINIT (and Linux's initial state) leaves the x87: CW 0x37F, every
# register empty and zero; MXCSR at its reset value
_FNINIT_IMAGE = struct.pack("<HHHH", 0x37F, 0, 0, 0).ljust(24, b"\0") + struct.pack("<I", 0x1F80)
DEBUGREG_OFFSET = 848  # offsetof(struct user, u_debugreg) on x86-64
TRAP_TRACE, TRAP_HWBKPT = 2, 4  # SIGTRAP si_code: single step, hardware breakpoint
PTRACE_SETOPTIONS, PTRACE_GETSIGINFO = 0x4200, 0x4202
PTRACE_O_EXITKILL = 0x100000
PROT_RWX = 7
MAP_PRIVATE_ANONYMOUS, MAP_FIXED_NOREPLACE = 0x22, 0x100000
SA_SIGINFO, SA_ONSTACK, SA_RESTORER, SA_NODEFER = 0x4, 0x08000000, 0x04000000, 0x40000000
SYS_RT_SIGACTION, SYS_SIGALTSTACK, SYS_GETPID, SYS_KILL, SYS_MODIFY_LDT = 13, 131, 39, 62, 154
SYS_RT_SIGRETURN, SYS_EXIT, SYS_EXIT_GROUP = 15, 60, 231
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
AUDIT_ARCH_X86_64 = 0xC000003E
USER32_CS, USER_DS = 0x23, 0x2B  # Linux's __USER32_CS and __USER_DS
LDT_CODE16, LDT_DATA16 = 0x07, 0x0F  # LDT entries 0 and 1 at RPL 3 (see ldt16)
FAULT_SIGNALS = (signal.SIGSEGV, signal.SIGBUS, signal.SIGFPE, signal.SIGILL, signal.SIGTRAP)
# struct rt_sigframe on x86-64: pretcode (8), then ucontext: uc_flags, uc_link (16),
# uc_stack (24), then the sigcontext whose err, trapno, oldmask, cr2 start at 152.
SIGCONTEXT = 8 + 40
FRAME_ERR, FRAME_TRAPNO, FRAME_CR2 = SIGCONTEXT + 152, SIGCONTEXT + 160, SIGCONTEXT + 176
ALTSTACK = 0x10000

_USER_REGS_STRUCT = (
    "r15 r14 r13 r12 rbp rbx r11 r10 r9 r8 rax rcx rdx rsi rdi orig_rax rip cs eflags rsp ss"
    " fs_base gs_base ds es fs gs"
)
_REG_NAMES = _USER_REGS_STRUCT.split()
GPRS = {"eax": "rax", "ecx": "rcx", "edx": "rdx", "ebx": "rbx", "esp": "rsp", "ebp": "rbp", "esi": "rsi"}
GPRS["edi"] = "rdi"


class UserRegs(ctypes.Structure):
    _fields_ = [(name, ctypes.c_ulonglong) for name in _REG_NAMES]


class HostError(Exception):
    """The host refused something the child needs (a one-line reason)."""


_libc = None


def libc():
    global _libc
    if _libc is None:
        lib = ctypes.CDLL(None, use_errno=True)
        lib.ptrace.restype = ctypes.c_long
        lib.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
        lib.mmap.restype = ctypes.c_void_p
        lib.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.mmap.argtypes.append(ctypes.c_long)
        lib.syscall.restype = ctypes.c_long
        lib.prctl.restype = ctypes.c_int
        _libc = lib
    return _libc


@dataclass
class Stop:
    """Why the child stopped. ``kind``: "fault" (an exception, with the hardware's
    ``trapno``, ``error`` and ``cr2`` from the signal frame), "breakpoint" (one of
    ``set_breakpoints``), "stepped" (after ``run(step=True)``), "timeout", or "died"."""

    kind: str
    regs: dict[str, int]
    signal: int = 0
    si_code: int = 0
    trapno: int = -1
    error: int = 0
    cr2: int = 0
    message: str = ""


def _seccomp_filter(pid: int) -> bytes:
    """A BPF program: 64-bit getpid, kill(own pid), rt_sigreturn and exit are allowed, from
    code above 4 GiB only; anything else (every 32-bit entry) kills the process."""
    ld, jeq, ret = 0x20, 0x15, 0x06
    allow, kill = 0x7FFF0000, 0x80000000

    def ins(code, jt, jf, k):
        return struct.pack("<HBBI", code, jt, jf, k)

    prog = [
        ins(ld, 0, 0, 4),  # arch
        ins(jeq, 1, 0, AUDIT_ARCH_X86_64),
        ins(ret, 0, 0, kill),
        ins(ld, 0, 0, 12),  # instruction pointer, high half
        ins(jeq, 0, 1, 0),
        ins(ret, 0, 0, kill),
        ins(ld, 0, 0, 0),  # syscall number
        ins(jeq, 5, 0, SYS_GETPID),
        ins(jeq, 4, 0, SYS_RT_SIGRETURN),
        ins(jeq, 3, 0, SYS_EXIT),
        ins(jeq, 2, 0, SYS_EXIT_GROUP),
        ins(jeq, 2, 0, SYS_KILL),
        ins(ret, 0, 0, kill),
        ins(ret, 0, 0, allow),
        ins(ld, 0, 0, 16),  # kill: its pid argument
        ins(jeq, 0, 1, pid),
        ins(ret, 0, 0, allow),
        ins(ret, 0, 0, kill),
    ]
    return b"".join(prog)


def ldt16(base: int) -> list[bytes]:
    """``struct user_desc`` for modify_ldt: a 16-bit code segment (LDT entry 0) and a 16-bit
    writable data segment (entry 1), both byte-granular with limit 0xFFFF at ``base``."""
    code, data = 2 << 1, 0  # contents: MODIFY_LDT_CONTENTS_CODE / _DATA; seg_32bit = 0
    return [struct.pack("<IIII", 0, base, 0xFFFF, code), struct.pack("<IIII", 1, base, 0xFFFF, data)]


def _child(
    window: tuple[int, int], chunks: list[tuple[int, bytes]], cpu_seconds: float, ldt: list[bytes]
) -> None:
    """In the child: build the address space, then stop for the parent. Never returns."""
    lib = libc()
    for desc in ldt:
        if lib.syscall(SYS_MODIFY_LDT, 1, ctypes.create_string_buffer(desc, 16), 16) != 0:
            os._exit(10)
    start, end = window
    if lib.mmap(start, end - start, PROT_RWX, MAP_PRIVATE_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != start:
        os._exit(3)
    for addr, blob in chunks:
        ctypes.memmove(addr, blob, len(blob))
    page = lib.mmap(None, 0x1000 + ALTSTACK, PROT_RWX, MAP_PRIVATE_ANONYMOUS, -1, 0)
    if page in (None, ctypes.c_void_p(-1).value) or page < 1 << 32:
        os._exit(4)
    ctypes.memmove(page, b"\xcc\xeb\xfe", 3)  # int3; jmp $
    stack = ctypes.create_string_buffer(struct.pack("<QiiQ", page + 0x1000, 0, 0, ALTSTACK))
    if lib.syscall(SYS_SIGALTSTACK, stack, None) != 0:
        os._exit(5)
    flags = SA_SIGINFO | SA_ONSTACK | SA_RESTORER | SA_NODEFER
    action = ctypes.create_string_buffer(struct.pack("<QQQQ", page, flags, page, 0))
    for sig in FAULT_SIGNALS:
        if lib.syscall(SYS_RT_SIGACTION, int(sig), action, None, 8) != 0:
            os._exit(6)
    signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
    lib.ptrace(PTRACE_TRACEME, 0, None, None)
    pid = os.getpid()
    prog = ctypes.create_string_buffer(_seccomp_filter(pid))
    fprog = ctypes.create_string_buffer(struct.pack("<HxxxxxxQ", len(prog.raw) // 8, ctypes.addressof(prog)))
    if lib.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or lib.prctl(
        PR_SET_SECCOMP, SECCOMP_MODE_FILTER, fprog
    ):
        os._exit(7)
    os.kill(pid, signal.SIGSTOP)
    os._exit(8)


_CHILD_EXITS = {
    3: "the test window overlaps the child's own memory",
    4: "no memory above 4 GiB for the signal stack",
    5: "sigaltstack failed",
    6: "rt_sigaction failed",
    7: "the seccomp filter was refused",
    10: "modify_ldt refused the test's segments",
}


class HostProcess:
    """One test's child: ``start(regs)``, then ``run()`` until each stop; ``close()`` kills it."""

    def __init__(
        self,
        window: tuple[int, int],
        chunks: list[tuple[int, bytes]],
        cpu_seconds: float,
        wall: float,
        ldt: list[bytes] = (),
    ):
        self.lib = libc()
        self.pid = 0
        self.mem = -1
        self._pidfd = -1
        self._watch: threading.Timer | None = None
        self.killed_by_clock = False
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            try:
                _child(window, chunks, cpu_seconds, list(ldt))
            finally:
                os._exit(9)
        self.pid = pid
        status = self._wait()
        if not (os.WIFSTOPPED(status) and os.WSTOPSIG(status) == signal.SIGSTOP):
            code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1
            self.pid = 0
            raise HostError(_CHILD_EXITS.get(code, f"the child did not start (status {status:#x})"))
        try:
            self._pidfd = os.pidfd_open(pid)
            self._ptrace(PTRACE_SETOPTIONS, 0, PTRACE_O_EXITKILL)
            self.mem = os.open(f"/proc/{pid}/mem", os.O_RDWR)
        except (HostError, OSError):
            self.close()  # kills and reaps the stopped child
            raise
        self._watch = threading.Timer(wall, self._kill_on_clock)
        self._watch.daemon = True
        self._watch.start()

    def _kill_on_clock(self) -> None:
        self.killed_by_clock = True
        with contextlib.suppress(OSError):
            signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)

    def _wait(self) -> int:
        while True:
            try:
                return os.waitpid(self.pid, 0)[1]
            except InterruptedError:
                continue

    def _ptrace(self, request: int, addr, data) -> int:
        result = self.lib.ptrace(request, self.pid, addr, data)
        if result == -1:
            err = ctypes.get_errno()
            raise HostError(f"ptrace request {request:#x} failed: {os.strerror(err)}")
        return result

    def get_regs(self) -> UserRegs:
        regs = UserRegs()
        self._ptrace(PTRACE_GETREGS, None, ctypes.byref(regs))
        return regs

    def set_regs(self, regs: UserRegs) -> None:
        self._ptrace(PTRACE_SETREGS, None, ctypes.byref(regs))

    def _fpregs(self):
        buf = ctypes.create_string_buffer(512)
        self._ptrace(PTRACE_GETFPREGS, None, buf)
        return buf

    def get_fpu(self) -> tuple[int, int, int, list[int]]:
        """The x87: (control word, status word, the physical registers in use as a bit
        mask, the physical registers R0-R7). FXSAVE keeps the registers in stack order."""
        buf = self._fpregs()
        cw, sw, tags = struct.unpack_from("<HHH", buf.raw)
        top = sw >> 11 & 7
        registers = [0] * 8
        for i in range(8):
            registers[(top + i) & 7] = int.from_bytes(buf.raw[32 + 16 * i : 42 + 16 * i], "little")
        return cw, sw, tags & 0xFF, registers

    def init_fpu(self) -> None:
        """The x87 as FNINIT leaves it (a forked child inherits its parent's)."""
        buf = ctypes.create_string_buffer(_FNINIT_IMAGE.ljust(512, b"\0"), 512)
        self._ptrace(PTRACE_SETFPREGS, None, buf)

    def start(
        self, gprs: dict[str, int], eip: int, eflags: int, cs: int = USER32_CS, data: int = USER_DS
    ) -> None:
        """User mode at ``eip`` with ``cs`` and SS = DS = ES = FS = GS = ``data`` (by default
        flat 32-bit: CS 0x23, data 0x2B, base 0)."""
        regs = self.get_regs()
        for name in _REG_NAMES[:15]:
            setattr(regs, name, 0)
        for name, reg in GPRS.items():
            setattr(regs, reg, gprs[name] & 0xFFFFFFFF)
        regs.rip, regs.eflags, regs.orig_rax = eip, eflags, 2**64 - 1  # no syscall restart
        regs.cs = cs
        regs.ss = regs.ds = regs.es = regs.fs = regs.gs = data
        regs.fs_base = regs.gs_base = 0
        self.set_regs(regs)
        self.init_fpu()

    @staticmethod
    def regs32(regs: UserRegs) -> dict[str, int]:
        out = {name: getattr(regs, reg) & 0xFFFFFFFF for name, reg in GPRS.items()}
        out["eip"] = regs.rip & 0xFFFFFFFF
        out["eflags"] = regs.eflags & 0xFFFFFFFF
        return out

    def set_eip(self, eip: int) -> None:
        """Go on at ``eip``, an instruction boundary the child has not begun: RF, which a
        fault leaves set in the context it saved, is cleared, or it would suppress an
        instruction breakpoint there."""
        regs = self.get_regs()
        regs.rip = eip
        regs.eflags &= ~0x10000
        self.set_regs(regs)

    def read(self, addr: int, size: int) -> bytes:
        return os.pread(self.mem, size, addr)

    def write(self, addr: int, data: bytes) -> None:
        os.pwrite(self.mem, data, addr)

    def set_breakpoints(self, addresses: list[int]) -> None:
        """Instruction breakpoints (debug registers 0-3) at up to four linear addresses."""
        if len(addresses) > 4:
            raise HostError("more than four breakpoints")
        dr7 = 0
        for i, addr in enumerate(addresses):
            self._ptrace(PTRACE_POKEUSER, DEBUGREG_OFFSET + 8 * i, addr)
            dr7 |= 1 << (2 * i)  # local enable; R/W and LEN 0: instruction execution
        self._ptrace(PTRACE_POKEUSER, DEBUGREG_OFFSET + 8 * 7, dr7)

    def run(self, step: bool = False) -> Stop:
        """Continue (or execute one instruction) until the next exception, breakpoint,
        the time limit, or the child's end."""
        self._ptrace(PTRACE_SINGLESTEP if step else PTRACE_CONT, None, None)
        status = self._wait()
        if not os.WIFSTOPPED(status):
            return self._died(status)
        sig = os.WSTOPSIG(status)
        regs = self.get_regs()
        if sig == signal.SIGPROF:
            return Stop("timeout", self.regs32(regs), sig)
        if sig not in FAULT_SIGNALS:
            return Stop(
                "died", self.regs32(regs), sig, message=f"stopped by signal {signal.Signals(sig).name}"
            )
        info = ctypes.create_string_buffer(128)
        self._ptrace(PTRACE_GETSIGINFO, None, info)
        _signo, _errno, si_code = struct.unpack_from("<iii", info.raw)
        if si_code < 0 or si_code == 0:  # sent by a process (kill, tgkill), not the CPU
            return Stop("died", self.regs32(regs), sig, message=f"signal {sig} not from the CPU")
        if sig == signal.SIGTRAP and si_code == TRAP_HWBKPT:
            return Stop("breakpoint", self.regs32(regs), sig, si_code)
        if sig == signal.SIGTRAP and step and si_code == TRAP_TRACE:
            return Stop("stepped", self.regs32(regs), sig, si_code)
        # let the kernel build the signal frame; the handler's int3 stops the child on it.
        # The kernel gives the handler a fresh FPU: the body's is kept here and put back
        fpu = self._fpregs()
        self._ptrace(PTRACE_CONT, None, sig)
        status = self._wait()
        if not (os.WIFSTOPPED(status) and os.WSTOPSIG(status) == signal.SIGTRAP):
            return self._died(status) if not os.WIFSTOPPED(status) else Stop("died", {}, os.WSTOPSIG(status))
        frame = self.read(self.get_regs().rsp, FRAME_CR2 + 8)
        (error,) = struct.unpack_from("<Q", frame, FRAME_ERR)
        (trapno,) = struct.unpack_from("<Q", frame, FRAME_TRAPNO)
        (cr2,) = struct.unpack_from("<Q", frame, FRAME_CR2)
        self.set_regs(regs)  # back to the faulting context, off the handler
        self._ptrace(PTRACE_SETFPREGS, None, fpu)
        return Stop("fault", self.regs32(regs), sig, si_code, trapno, error & 0xFFFFFFFF, cr2 & 0xFFFFFFFF)

    def _died(self, status: int) -> Stop:
        self.pid = 0  # reaped
        if self.killed_by_clock:
            return Stop("timeout", {}, message="killed by the wall-clock limit")
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            what = "a system call (seccomp)" if sig == signal.SIGSYS else signal.Signals(sig).name
            return Stop("died", {}, sig, message=f"the child was killed by {what}")
        return Stop("died", {}, message=f"the child exited with status {os.WEXITSTATUS(status)}")

    def close(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
        if self.mem >= 0:
            os.close(self.mem)
            self.mem = -1
        if self.pid:  # not reaped yet, so the PID is still this child's
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            self._wait()
            self.pid = 0
        if self._pidfd >= 0:
            os.close(self._pidfd)
            self._pidfd = -1

    def __enter__(self) -> HostProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
