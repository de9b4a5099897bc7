"""The SIGFPE guard around Unicorn's 32-bit IDIV (refvmm.hw.divide_guard).

Each case runs in its own interpreter: without the guard the division ends the process,
and the guard's point is what happens to the process."""

import platform
import signal
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or platform.machine() != "x86_64",
    reason="only an x86-64 host traps on the division",
)

UNICORN_IDIV = """
    import unicorn
    from unicorn import x86_const as X
    uc = unicorn.Uc(unicorn.UC_ARCH_X86, unicorn.UC_MODE_32)
    uc.mem_map(0, 0x1000)
    uc.mem_write(0, bytes([0xF7, 0xF9, 0xF4]))  # idiv ecx; hlt
    uc.reg_write(X.UC_X86_REG_EDX, 0x80000000)
    uc.reg_write(X.UC_X86_REG_ECX, 0xFFFFFFFF)
    seen = []
    def on_interrupt(uc, vector, _data):
        seen.append((vector, uc.reg_read(X.UC_X86_REG_EIP)))
        uc.emu_stop()
    uc.hook_add(unicorn.UC_HOOK_INTR, on_interrupt)
    uc.emu_start(0, 3)
    print(seen, hex(uc.reg_read(X.UC_X86_REG_EDX)), hex(uc.reg_read(X.UC_X86_REG_EAX)))
"""

NATIVE_IDIV = """
    import ctypes, mmap, keystone
    page = mmap.mmap(-1, 0x1000, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    code, _ = keystone.Ks(keystone.KS_ARCH_X86, keystone.KS_MODE_64).asm(
        "mov rax, 0x8000000000000000; cqo; mov rcx, -1; idiv rcx; ret")
    page[: len(code)] = bytes(code)
    ctypes.CFUNCTYPE(ctypes.c_long)(ctypes.addressof(ctypes.c_char.from_buffer(page)))()
    print("survived")
"""


def run(body: str, guard: bool = True, faulthandler: bool = False) -> subprocess.CompletedProcess:
    head = "import faulthandler; faulthandler.enable()\n" if faulthandler else ""
    if guard:
        head += "from refvmm.hw import divide_guard\nassert divide_guard.install() is None\n"
    source = head + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, timeout=60)


def test_unguarded_division_ends_the_process():
    # what the guard is for: QEMU's helper divides on the host
    assert run(UNICORN_IDIV, guard=False).returncode == -signal.SIGFPE


@pytest.mark.parametrize("faulthandler", [False, True])
def test_guarded_division_is_the_guests_divide_error(faulthandler):
    done = run(UNICORN_IDIV, faulthandler=faulthandler)
    assert done.returncode == 0, done.stderr
    # SDM vol. 2 IDIV: the quotient 2^63 does not fit, #DE, a fault: EIP at the IDIV and
    # the dividend unchanged
    assert done.stdout.split() == ["[(0,", "0)]", "0x80000000", "0x0"]


@pytest.mark.parametrize("faulthandler", [False, True])
def test_other_divide_errors_still_end_the_process(faulthandler):
    done = run(NATIVE_IDIV, faulthandler=faulthandler)
    assert done.returncode == -signal.SIGFPE
    assert "survived" not in done.stdout
    assert ("Floating point exception" in done.stderr) == faulthandler


def test_a_sent_sigfpe_still_ends_the_process():
    done = run("import os, signal\nos.kill(os.getpid(), signal.SIGFPE)\nprint('survived')\n")
    assert done.returncode == -signal.SIGFPE and "survived" not in done.stdout
