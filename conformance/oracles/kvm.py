"""The real CPU as an oracle: the image runs under Linux KVM at its own privilege.

Nothing is computed here: the CPU delivers every exception through the guest's
own IVT/IDT, so error codes, CR2 and frames are the hardware's. Port I/O exits go
to the same port bus as every other engine. A run that does not exit within the
image's time limit is interrupted by SIGALRM and reported as ``timeout``. Only
the main thread can take a signal in Python, so a run asked for from another thread
is refused (an ``error`` state) rather than left without a bound. KVM runs are exempt
from exact instruction counts (none is reported).
"""

from __future__ import annotations

import signal
import threading

from refvmm.hw import kvm as K

from ..image import Image
from ..ports import PortBus
from ..state import FinalState, read_exception_log, rewritten

_GPRS = {
    "eax": "rax",
    "ecx": "rcx",
    "edx": "rdx",
    "ebx": "rbx",
    "esp": "rsp",
    "ebp": "rbp",
    "esi": "rsi",
    "edi": "rdi",
}


class _Timeout(Exception):
    pass


def _alarm(_signum, _frame):
    raise _Timeout()


def reset_sregs() -> K.SRegs:
    """Real mode with every segment at base 0, as the harness's common start state."""
    segs = {name: K.Segment(type=3) for name in ("ds", "es", "fs", "gs", "ss")}
    segs["cs"] = K.Segment(type=0xB)
    segs["tr"] = K.Segment(type=0xB, s=0)
    segs["ldt"] = K.Segment(type=0x2, s=0)
    return K.SRegs(segments=segs, gdt=(0, 0xFFFF), idt=(0, 0x3FF), cr0=0x10)


class KvmOracle:
    """``kvm`` insists on hardware virtualization (kvm_intel/kvm_amd); ``kvm:any``
    accepts whatever serves /dev/kvm and says which in each result."""

    name = "kvm"
    kind = "oracle"
    honours_budget = False  # it stops on time alone

    def __init__(self, options: str = "") -> None:
        if options not in ("", "any"):
            raise ValueError(f"unknown kvm option {options!r} (known: any)")
        self.need_hardware = options != "any"
        self._reason: str | None = None
        self._checked = False

    def unavailable(self) -> str | None:
        if not self._checked:
            self._reason = K.unavailable_reason(need_hardware=self.need_hardware)
            self._checked = True
        return self._reason

    def run(self, image: Image) -> FinalState:
        if threading.current_thread() is not threading.main_thread():
            return FinalState(
                engine=self.name,
                exit="error",
                message="kvm runs only in the main thread, where its time limit (SIGALRM) can stop it",
            )
        with K.Vm(image.ram_size) as vm:
            for addr, blob in image.chunks:
                vm.memory[addr : addr + len(blob)] = blob
            vm.set_sregs(reset_sregs())
            vm.set_regs({"rip": image.entry, "rflags": 0x2})
            bus = PortBus(image.port_in)
            exit_reason, message, exit_rip = self._loop(vm, bus, image.timeout)
            regs = vm.get_regs()
            sregs = vm.get_sregs()
            state = {name: regs[k] & 0xFFFFFFFF for name, k in _GPRS.items()}
            state["eip"] = regs["rip"] & 0xFFFFFFFF
            state["eflags"] = regs["rflags"] & 0xFFFFFFFF
            for name in ("cs", "ss", "ds", "es", "fs", "gs"):
                state[name] = sregs.segments[name].selector
            for name in ("cr0", "cr2", "cr3", "cr4"):
                state[name] = getattr(sregs, name) & 0xFFFFFFFF
            if exit_rip is not None:
                state["eip"] = exit_rip
            memory = bytes(vm.memory)
        return FinalState(
            engine=self.name,
            exit=exit_reason,
            message=message,
            regs=state,
            memory={a: memory[a : a + n] for a, n in image.compare},
            code=rewritten(image.body, bytes(memory[image.body_base : image.body_base + len(image.body)])),
            ports=list(bus.writes),
            debug=bus.debug.decode("latin-1"),
            exceptions=read_exception_log(lambda a, n: memory[a : a + n]),
            extra={"host_cpu": K.host_cpu(), "kvm_backend": K.backend()},
        )

    def _loop(self, vm: K.Vm, bus: PortBus, timeout: float) -> tuple[str, str, int | None]:
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            while True:
                reason = vm.run()
                if reason == K.EXIT_IO:
                    direction, size, port, count, offset = vm.io()
                    for i in range(count):
                        at = offset + i * size
                        if direction == K.IO_OUT:
                            value = int.from_bytes(vm.run_area[at : at + size], "little")
                            if bus.write(port, size, value):
                                # KVM has already moved RIP past the OUT
                                return bus.exit, "", vm.get_regs()["rip"] & 0xFFFFFFFF
                        else:
                            vm.run_area[at : at + size] = bus.read(port, size).to_bytes(size, "little")
                elif reason == K.EXIT_HLT:
                    return "halt", "", None
                elif reason == K.EXIT_SHUTDOWN:
                    return "triple-fault", "shutdown (triple fault)", None
                elif reason == K.EXIT_MMIO:
                    return "error", "access to memory outside guest RAM", None
                elif reason == K.EXIT_INTR:
                    continue
                else:
                    return "error", f"KVM exit {K.EXIT_NAMES.get(reason, reason)}", None
        except _Timeout:
            return "timeout", f"no exit after {timeout:g} s (wall-clock limit)", None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
