"""Unicorn's 32-bit IDIV must not kill the process that runs it.

QEMU's helper for IDIV r/m32 divides EDX:EAX by the sign-extended divisor with the
host's 64-bit IDIV and then raises the guest's #DE when the quotient does not fit in
32 bits. For EDX:EAX = 0x80000000_00000000 and a divisor of -1 the host instruction
itself overflows: on an x86-64 host that is a divide error, SIGFPE, and the end of
the process (and of every other test it was running). Any guest program can do this,
at any privilege level: for a monitor running guest code on Unicorn it is a way out.

:func:`install` puts a SIGFPE handler in front, written in x86-64 machine code
(assembled by keystone; a Python handler cannot run on a synchronous fault in native
code). For a fault at exactly that host instruction it sets the quotient to
2^63, the two's-complement wrap, and steps over it; the helper then finds a quotient
that does not fit and raises #DE, as the architecture says, after the operand has
been read (so a faulting memory operand still comes first). Any other SIGFPE puts the
handler that was there before back and returns: a fault is taken again, a signal
sent by a process is sent again, and the process ends as it would have without the
guard (with faulthandler's report, if that was enabled). Hosts other than x86-64
Linux do not trap on the division; there the guard does nothing.
"""

from __future__ import annotations

import ctypes
import functools
import mmap
import platform
import signal
import sys

import keystone
import unicorn

# glibc's x86-64 ucontext_t: uc_mcontext.gregs at byte 40; REG_RDX 12, REG_RAX 13, REG_RIP 16
_RDX, _RAX, _RIP = (40 + 8 * n for n in (12, 13, 16))
_SYS_RT_SIGACTION, _SYS_GETPID, _SYS_KILL = 13, 39, 62
_SA_SIGINFO = 4
_KERNEL_SIGACTION = 32  # handler, flags, restorer, mask: what rt_sigaction reads and writes
_GLIBC_SIGACTION = 152  # sa_handler, sa_mask (128 bytes), sa_flags at 136, sa_restorer
_PREVIOUS = 0x800  # where, in the code page, the handler that was there before is kept

_HANDLER = """
    mov rax, {target}
    cmp qword ptr [rdx + {rip}], rax
    jne other
    add qword ptr [rdx + {rip}], {length}
    mov rax, 0x8000000000000000
    mov qword ptr [rdx + {rax}], rax
    mov qword ptr [rdx + {rdx}], 0
    ret
other:
    push rbx
    mov ebx, dword ptr [rsi + 8]
    mov edi, {signal}
    mov rsi, {previous}
    xor edx, edx
    mov r10d, 8
    mov eax, {sigaction}
    syscall
    test ebx, ebx
    jg done
    mov eax, {getpid}
    syscall
    mov edi, eax
    mov esi, {signal}
    mov eax, {kill}
    syscall
done:
    pop rbx
    ret
"""


def _host_idiv(function: int) -> tuple[int, int] | None:
    """(address, length) of the 64-bit register IDIV in the helper's first bytes."""
    code = ctypes.string_at(function, 64)
    for i in range(len(code) - 2):
        if code[i] & 0xF8 == 0x48 and code[i + 1] == 0xF7 and code[i + 2] & 0xF8 == 0xF8:
            return function + i, 3
    return None


@functools.cache
def install() -> str | None:
    """Install the guard once per process. None when Unicorn's IDIV is safe to run (the
    guard stands, or the host does not trap on the division), else why it is not."""
    if sys.platform != "linux" or platform.machine() != "x86_64":
        return None
    try:
        from unicorn.unicorn_py3.unicorn import uclib

        helper = uclib.helper_idivl_EAX_x86_64
    except (ImportError, AttributeError):
        return f"unicorn {unicorn.__version__}: its IDIV helper was not found to guard"
    target = _host_idiv(ctypes.cast(helper, ctypes.c_void_p).value)
    if target is None:
        return f"unicorn {unicorn.__version__}: its IDIV helper was not recognised to guard"
    page = mmap.mmap(-1, 0x1000, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    base = ctypes.addressof(ctypes.c_char.from_buffer(page))
    source = _HANDLER.format(
        target=target[0],
        length=target[1],
        rip=_RIP,
        rax=_RAX,
        rdx=_RDX,
        signal=int(signal.SIGFPE),
        previous=base + _PREVIOUS,
        sigaction=_SYS_RT_SIGACTION,
        getpid=_SYS_GETPID,
        kill=_SYS_KILL,
    )
    code, _ = keystone.Ks(keystone.KS_ARCH_X86, keystone.KS_MODE_64).asm(source, base)
    page[: len(code)] = bytes(code)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    # the handler there now, in the kernel's form, read by the system call itself so that
    # the handler can put it back as it was; the new one through glibc, which supplies
    # the restorer every x86-64 handler returns through
    old = (ctypes.c_char * _KERNEL_SIGACTION).from_buffer(page, _PREVIOUS)
    new = ctypes.create_string_buffer(_GLIBC_SIGACTION)
    ctypes.c_uint64.from_buffer(new, 0).value = base
    ctypes.c_int.from_buffer(new, 136).value = _SA_SIGINFO
    if libc.syscall(_SYS_RT_SIGACTION, int(signal.SIGFPE), None, old, 8) or libc.sigaction(
        int(signal.SIGFPE), new, None
    ):
        return f"SIGFPE guard for Unicorn's IDIV: sigaction failed (errno {ctypes.get_errno()})"
    install.page = page  # kept for the life of the process
    return None
