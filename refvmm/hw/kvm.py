"""Linux KVM from plain Python: ``fcntl.ioctl`` and ``mmap`` on /dev/kvm.

Only what a single-vCPU, 32-bit guest needs: a VM, one memory slot, a vCPU, its
general and special registers, and KVM_RUN with its exit reasons. Structure
layouts follow the kernel's include/uapi/linux/kvm.h for x86; tests/test_kvm.py
checks the packing against the documented sizes and offsets.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import mmap
import os
import struct
from dataclasses import dataclass, field

KVM_API_VERSION = 12

# ioctl numbers (_IO/_IOR/_IOW of KVMIO = 0xAE)
KVM_GET_API_VERSION = 0xAE00
KVM_CREATE_VM = 0xAE01
KVM_GET_VCPU_MMAP_SIZE = 0xAE04
KVM_CREATE_VCPU = 0xAE41
KVM_SET_USER_MEMORY_REGION = 0x4020AE46
KVM_SET_TSS_ADDR = 0xAE47
KVM_RUN = 0xAE80
KVM_GET_REGS = 0x8090AE81
KVM_SET_REGS = 0x4090AE82
KVM_GET_SREGS = 0x8138AE83
KVM_SET_SREGS = 0x4138AE84

# kvm_run.exit_reason
EXIT_IO = 2
EXIT_HLT = 5
EXIT_MMIO = 6
EXIT_SHUTDOWN = 8
EXIT_FAIL_ENTRY = 9
EXIT_INTR = 10
EXIT_INTERNAL_ERROR = 17
EXIT_NAMES = {
    EXIT_IO: "io",
    EXIT_HLT: "hlt",
    EXIT_MMIO: "mmio",
    EXIT_SHUTDOWN: "shutdown",
    EXIT_FAIL_ENTRY: "fail-entry",
    EXIT_INTR: "intr",
    EXIT_INTERNAL_ERROR: "internal-error",
}
IO_OUT = 1
TSS_ADDR = 0x7FFFD000

REGS_FORMAT = "<18Q"  # rax rbx rcx rdx rsi rdi rsp rbp r8-r15 rip rflags
REGS_NAMES = (
    "rax",
    "rbx",
    "rcx",
    "rdx",
    "rsi",
    "rdi",
    "rsp",
    "rbp",
    *(f"r{i}" for i in range(8, 16)),
    "rip",
    "rflags",
)
SEGMENT_FORMAT = "<QIHBBBBBBBBBx"  # base limit selector type present dpl db s l g avl unusable
SEGMENT_NAMES = ("cs", "ds", "es", "fs", "gs", "ss", "tr", "ldt")
DTABLE_FORMAT = "<QH6x"  # base limit
SREGS_TAIL_FORMAT = "<7Q4Q"  # cr0 cr2 cr3 cr4 cr8 efer apic_base, interrupt bitmap
SREGS_SIZE = 0x138
IO_FORMAT = "<BBHIQ"  # direction size port count data_offset, at kvm_run + 32


class KvmUnavailable(Exception):
    """/dev/kvm cannot be used here; ``str()`` says why."""


@dataclass
class Segment:
    selector: int = 0
    base: int = 0
    limit: int = 0xFFFF
    type: int = 3
    present: int = 1
    dpl: int = 0
    db: int = 0
    s: int = 1
    l: int = 0  # noqa: E741 - the kernel's name
    g: int = 0
    avl: int = 0
    unusable: int = 0

    def pack(self) -> bytes:
        return struct.pack(
            SEGMENT_FORMAT,
            self.base,
            self.limit,
            self.selector,
            self.type,
            self.present,
            self.dpl,
            self.db,
            self.s,
            self.l,
            self.g,
            self.avl,
            self.unusable,
        )

    @classmethod
    def unpack(cls, raw: bytes) -> Segment:
        base, limit, selector, *rest = struct.unpack(SEGMENT_FORMAT, raw)
        return cls(selector, base, limit, *rest)


@dataclass
class SRegs:
    segments: dict[str, Segment] = field(default_factory=dict)
    gdt: tuple[int, int] = (0, 0xFFFF)
    idt: tuple[int, int] = (0, 0xFFFF)
    cr0: int = 0x10
    cr2: int = 0
    cr3: int = 0
    cr4: int = 0
    cr8: int = 0
    efer: int = 0
    apic_base: int = 0
    interrupt_bitmap: tuple[int, int, int, int] = (0, 0, 0, 0)

    def pack(self) -> bytes:
        out = b"".join(self.segments.get(n, Segment()).pack() for n in SEGMENT_NAMES)
        out += struct.pack(DTABLE_FORMAT, *self.gdt) + struct.pack(DTABLE_FORMAT, *self.idt)
        out += struct.pack(
            SREGS_TAIL_FORMAT,
            self.cr0,
            self.cr2,
            self.cr3,
            self.cr4,
            self.cr8,
            self.efer,
            self.apic_base,
            *self.interrupt_bitmap,
        )
        return out

    @classmethod
    def unpack(cls, raw: bytes) -> SRegs:
        size = struct.calcsize(SEGMENT_FORMAT)
        segs = {n: Segment.unpack(raw[i * size : (i + 1) * size]) for i, n in enumerate(SEGMENT_NAMES)}
        off = size * len(SEGMENT_NAMES)
        dsize = struct.calcsize(DTABLE_FORMAT)
        gdt = struct.unpack_from(DTABLE_FORMAT, raw, off)
        idt = struct.unpack_from(DTABLE_FORMAT, raw, off + dsize)
        tail = struct.unpack_from(SREGS_TAIL_FORMAT, raw, off + 2 * dsize)
        return cls(segs, gdt, idt, *tail[:7], tuple(tail[7:]))


def _ioctl(fd: int, request: int, arg=0):
    return fcntl.ioctl(fd, request, arg)


class Vm:
    """One VM with one memory slot at guest-physical 0 and one vCPU."""

    def __init__(self, memory_size: int, path: str = "/dev/kvm", memory: mmap.mmap | None = None):
        """``memory``: page-aligned guest RAM to use as the slot (a Machine's own), else new."""
        self._fds: list[int] = []
        try:
            self.kvm = os.open(path, os.O_RDWR | os.O_CLOEXEC)
        except OSError as exc:
            raise KvmUnavailable(f"cannot open {path}: {exc.strerror}") from None
        self._fds.append(self.kvm)
        try:
            version = _ioctl(self.kvm, KVM_GET_API_VERSION)
            if version != KVM_API_VERSION:
                raise KvmUnavailable(f"KVM API version {version}, need {KVM_API_VERSION}")
            self.vm = _ioctl(self.kvm, KVM_CREATE_VM, 0)
            self._fds.append(self.vm)
            # Three pages KVM needs on Intel hosts for real mode; outside guest RAM.
            # The ioctl argument is a C int, so below 2 GiB.
            _ioctl(self.vm, KVM_SET_TSS_ADDR, TSS_ADDR)
            self.memory = memory if memory is not None else mmap.mmap(-1, memory_size)
            address = ctypes.addressof(ctypes.c_char.from_buffer(self.memory))
            region = struct.pack("<IIQQQ", 0, 0, 0, memory_size, address)
            _ioctl(self.vm, KVM_SET_USER_MEMORY_REGION, region)
            self.vcpu = _ioctl(self.vm, KVM_CREATE_VCPU, 0)
            self._fds.append(self.vcpu)
            run_size = _ioctl(self.kvm, KVM_GET_VCPU_MMAP_SIZE)
            self.run_area = mmap.mmap(self.vcpu, run_size, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
        except OSError as exc:
            self.close()
            raise KvmUnavailable(f"KVM setup failed: {os.strerror(exc.errno or errno.EIO)}") from None
        except KvmUnavailable:
            self.close()
            raise

    def close(self) -> None:
        for fd in reversed(self._fds):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._fds.clear()

    def __enter__(self) -> Vm:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get_regs(self) -> dict[str, int]:
        raw = _ioctl(self.vcpu, KVM_GET_REGS, bytes(struct.calcsize(REGS_FORMAT)))
        return dict(zip(REGS_NAMES, struct.unpack(REGS_FORMAT, raw)))

    def set_regs(self, regs: dict[str, int]) -> None:
        _ioctl(self.vcpu, KVM_SET_REGS, struct.pack(REGS_FORMAT, *(regs.get(n, 0) for n in REGS_NAMES)))

    def get_sregs(self) -> SRegs:
        return SRegs.unpack(_ioctl(self.vcpu, KVM_GET_SREGS, bytes(SREGS_SIZE)))

    def set_sregs(self, sregs: SRegs) -> None:
        _ioctl(self.vcpu, KVM_SET_SREGS, sregs.pack())

    def run(self) -> int:
        """KVM_RUN once; return the exit reason."""
        _ioctl(self.vcpu, KVM_RUN, 0)
        return struct.unpack_from("<I", self.run_area, 8)[0]

    def io(self) -> tuple[int, int, int, int, int]:
        """(direction, size, port, count, data offset) of an EXIT_IO."""
        return struct.unpack_from(IO_FORMAT, self.run_area, 32)


def backend() -> str:
    """Which KVM module serves /dev/kvm: kvm_intel or kvm_amd run guests on the CPU
    (VMX/SVM); anything else, such as kvm_pvm, runs 32-bit guests through KVM's
    instruction emulator (seen: about 2 M guest instructions/s)."""
    for module in ("kvm_intel", "kvm_amd", "kvm_pvm"):
        if os.path.isdir(f"/sys/module/{module}"):
            return module
    return "unknown"


def unavailable_reason(path: str = "/dev/kvm", need_hardware: bool = True) -> str | None:
    """None when a VM can be created here (on the CPU itself when ``need_hardware``),
    else why not."""
    try:
        with Vm(4096, path):
            pass
    except KvmUnavailable as exc:
        return str(exc)
    kind = backend()
    if need_hardware and kind not in ("kvm_intel", "kvm_amd"):
        return (
            f"{path} is served by {kind}, not VMX/SVM: guest code would run in KVM's "
            "instruction emulator, not on the CPU (use the engine kvm:any to run it anyway)"
        )
    return None


def host_cpu() -> str:
    """Vendor, family, model, stepping, microcode and name of the host CPU, from
    /proc/cpuinfo (undefined results may differ between CPUs)."""
    info: dict[str, str] = {}
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if not line.strip():
                    break
                key, _, value = line.partition(":")
                info[key.strip()] = value.strip()
    except OSError:
        return "unknown (no /proc/cpuinfo)"
    return (
        f"{info.get('vendor_id', '?')} family {info.get('cpu family', '?')} model {info.get('model', '?')}"
        f" stepping {info.get('stepping', '?')} microcode {info.get('microcode', '?')}"
        f" ({info.get('model name', '?')})"
    )
