"""Unicorn as the hardware of direct execution.

Unicorn maps the machine's RAM and the monitor's memory in place (``mem_map_ptr``)
and runs the guest at CPL 3 under the monitor's system state. What it does not give,
and how this backend makes up for it:

* No API sets the CPL (a load of SS at another privilege fails, and the CPL follows
  SS). The backend keeps a saved CPU context at CPL 0 on the monitor's own code
  segment and enters the guest through five instructions of its own at the top of the
  linear space: POP GS, FS, ES, DS and an IRETD to the guest's CS:EIP and SS:ESP.
* No retired-instruction count. Unicorn counts instructions for ``emu_start(count=)``
  in its engine structure; the offset of that counter is found by experiment (a run
  of a known length) and read in every hook, so a trap says how many guest
  instructions began (``Exit.begun``), the one that trapped included, but for a page
  fault on fetching an instruction, which is raised before it begins. The counter
  counts each iteration of a REP string instruction, where the VMM counts the
  instruction: ``exact_counts`` is False.
* No I/O permission check at CPL 3 (IN and OUT run whatever IOPL and the TSS bitmap
  say), CPUID runs on the emulator's own model, and SYSENTER does nothing: all are
  hooked, stopped at the instruction and handed to the monitor to emulate (SYSCALL
  too, which a 32-bit processor does not have).
* Segment limits are not checked at all, on fetches, data accesses or the stack, and
  expand-down segments are taken as flat (``segment_limits``): the monitor keeps
  every segment short of 4 GiB off the backend.
* IDIV of the most negative dividend by -1 is done with the host's own division,
  which raises SIGFPE in this process: a guest that runs it directly takes the VMM
  down (the harness runs every engine in a worker process, so a test only errs).
* Its state at a trap is not the guest's before the trapping instruction (EFLAGS can
  lose CF, AF and OF at a fault; IN has loaded its register and INS stored a zero
  when the hook runs): the monitor runs again to just before it (``engines.de``).
* Exceptions come to an interrupt hook as a vector alone, EIP at a fault and after a
  trap; ``#UD`` and accesses to physical memory it does not have end the run with an
  error, EIP at the instruction. No error code: the monitor emulates the instruction
  that trapped and the interpreter's semantics give it.
"""

from __future__ import annotations

import ctypes
import functools
import struct

import unicorn
from unicorn import x86_const as X

from . import backend as B
from . import divide_guard
from .state import UC_GPRS, UC_SEGMENTS

uclib = unicorn.unicorn_py3.unicorn.uclib  # the C library the binding loaded

GPRS, SEGMENTS = UC_GPRS, UC_SEGMENTS
STATE = (*GPRS, X.UC_X86_REG_EIP, X.UC_X86_REG_EFLAGS, *SEGMENTS)
ENTRY = bytes.fromhex("0fa9 0fa1 07 1f cf")  # pop gs; pop fs; pop es; pop ds; iretd
ENTRY_INSTRUCTIONS = 5
FRAME = struct.Struct("<9I")  # gs fs es ds eip cs eflags esp ss: what ENTRY pops


class _Batch:
    """Registers read or written in one call of the C library, into arrays made once: the
    binding's own batch calls cost tens of microseconds in Python per run."""

    def __init__(self, uc: unicorn.Uc, regs: tuple[int, ...]) -> None:
        n = len(regs)
        self._call = (uclib.uc_reg_read_batch, uclib.uc_reg_write_batch)
        self._handle = uc._uch
        self._ids = (ctypes.c_int * n)(*regs)
        self.values = (ctypes.c_uint64 * n)()
        base = ctypes.addressof(self.values)
        self._pointers = (ctypes.c_void_p * n)(*(base + 8 * i for i in range(n)))
        self._count = ctypes.c_int(n)

    def read(self) -> list[int]:
        if self._call[0](self._handle, self._ids, self._pointers, self._count):
            raise unicorn.UcError(unicorn.UC_ERR_ARG)
        return list(self.values)

    def write(self, values) -> None:
        self.values[:] = values
        if self._call[1](self._handle, self._ids, self._pointers, self._count):
            raise unicorn.UcError(unicorn.UC_ERR_ARG)


class _FpuBatch:
    """The x87 in one call each way: FPCW, FPSW and FPTAG as words, FP0-FP7 (physical
    registers) as Unicorn's 80-bit (significand, sign and exponent) pairs, and the
    instruction and data pointers, in a buffer whose bytes tell whether anything changed."""

    IDS = (
        X.UC_X86_REG_FPCW,
        X.UC_X86_REG_FPSW,
        X.UC_X86_REG_FPTAG,
        *(X.UC_X86_REG_FP0 + i for i in range(8)),
        X.UC_X86_REG_FIP,
        X.UC_X86_REG_FCS,
        X.UC_X86_REG_FDP,
        X.UC_X86_REG_FDS,
    )

    def __init__(self, uc: unicorn.Uc) -> None:
        n = len(self.IDS)
        self._handle = uc._uch
        self._ids = (ctypes.c_int * n)(*self.IDS)
        self._buffer = (ctypes.c_uint64 * (2 * n))()  # 16 bytes a register
        base = ctypes.addressof(self._buffer)
        self._pointers = (ctypes.c_void_p * n)(*(base + 16 * i for i in range(n)))
        self._count = ctypes.c_int(n)

    def pack(self, values: tuple[int, ...]) -> bytes:
        """Put ``values`` in the buffer; its bytes."""
        buf = self._buffer
        buf[:] = [0] * len(buf)
        for i, v in enumerate(values):
            buf[2 * i], buf[2 * i + 1] = v & 0xFFFFFFFFFFFFFFFF, v >> 64
        return bytes(buf)

    def write(self) -> None:
        if uclib.uc_reg_write_batch(self._handle, self._ids, self._pointers, self._count):
            raise unicorn.UcError(unicorn.UC_ERR_ARG)

    def read(self) -> bytes:
        buf = self._buffer
        buf[:] = [0] * len(buf)  # the 80-bit registers leave their padding alone
        if uclib.uc_reg_read_batch(self._handle, self._ids, self._pointers, self._count):
            raise unicorn.UcError(unicorn.UC_ERR_ARG)
        return bytes(buf)

    def values(self) -> tuple[int, ...]:
        buf = self._buffer
        words = tuple(buf[2 * i] & 0xFFFF for i in range(3))
        regs = tuple((buf[2 * i + 1] & 0xFFFF) << 64 | buf[2 * i] for i in range(3, 11))
        fip, fcs, fdp, fds = (buf[2 * i] for i in range(11, 15))
        return words + regs + (fip & 0xFFFFFFFF, fcs & 0xFFFF, fdp & 0xFFFFFFFF, fds & 0xFFFF)


@functools.cache
def counter_offset() -> int | None:
    """The offset in Unicorn's engine structure of its instruction counter, found by
    running NOPs for two known counts; None if no word behaves so."""
    uc = unicorn.Uc(unicorn.UC_ARCH_X86, unicorn.UC_MODE_32)
    uc.mem_map(0, 0x1000)
    uc.mem_write(0, b"\x90" * 0x100)
    words = (ctypes.c_uint64 * 4096).from_address(uc._uch.value)
    seen = {}
    for count in (7, 13, 29):
        uc.emu_start(0, 0xFF0, count=count)
        seen[count] = list(words)
    # stopped by the count: the hook of the next instruction has counted it
    hits = [i for i in range(4095) if all(seen[c][i] == c + 1 and seen[c][i + 1] == c for c in seen)]
    return hits[0] * 8 if len(hits) == 1 else None


class UnicornBackend:
    name = "unicorn"
    exact_counts = False
    segment_limits = False  # it checks none, on fetches, data or the stack

    def __init__(self) -> None:
        self.uc: unicorn.Uc | None = None
        self.monitor: B.MonitorMemory | None = None
        self._trap: tuple | None = None  # (reason, vector, eip, counter, cr2) recorded by a hook
        self._base = None  # context at CPL 0 on the monitor's flat code and stack segments
        self._entry = None  # the same under the current system state, ESP at the frame
        # the x87 state the entry context holds (its bytes, and the tuple last given)
        self._fpu_raw: bytes | None = None
        self._fpu_values: tuple | None = None

    def unavailable(self) -> str | None:
        if counter_offset() is None:
            return f"unicorn {unicorn.__version__}: its instruction counter was not found"
        return divide_guard.install()  # else a guest's IDIV could end the process

    # -- set up --
    def attach(self, ram_address: int, ram_size: int, monitor: B.MonitorMemory) -> None:
        uc = self.uc = unicorn.Uc(unicorn.UC_ARCH_X86, unicorn.UC_MODE_32)
        self.monitor = monitor
        uc.mem_map_ptr(0, ram_size, unicorn.UC_PROT_ALL, ram_address)
        address = ctypes.addressof(ctypes.c_char.from_buffer(monitor.data))
        uc.mem_map_ptr(monitor.physical, B.MONITOR_SIZE, unicorn.UC_PROT_ALL, address)
        self._counter = ctypes.c_uint64.from_address(uc._uch.value + counter_offset())
        self._state = _Batch(uc, STATE)
        self._gprs = _Batch(uc, tuple(reg for reg in GPRS if reg != X.UC_X86_REG_ESP))
        self._fpu = _FpuBatch(uc)
        uc.hook_add(unicorn.UC_HOOK_INTR, self._on_interrupt)
        for insn in (X.UC_X86_INS_IN, X.UC_X86_INS_OUT):
            uc.hook_add(unicorn.UC_HOOK_INSN, self._on_io, None, 1, 0, insn)
        for insn in (X.UC_X86_INS_CPUID, X.UC_X86_INS_SYSENTER, X.UC_X86_INS_SYSCALL):
            uc.hook_add(unicorn.UC_HOOK_INSN, self._on_cpuid, None, 1, 0, insn)
        code, stack = B.BACKEND_PAGES
        monitor.data[code * 0x1000 : code * 0x1000 + len(ENTRY)] = ENTRY
        # the monitor's CPL 0 segments, loaded once from a scratch GDT on the stack page
        # (unpaged) and kept in the saved context: the guest's GDT never holds them
        scratch = monitor.physical + stack * 0x1000
        flat = 0x00CF_0000_0000_FFFF
        gdt = struct.pack("<3Q", 0, flat | 0x9A << 40, flat | 0x92 << 40)
        monitor.data[stack * 0x1000 : stack * 0x1000 + len(gdt)] = gdt
        uc.reg_write(X.UC_X86_REG_GDTR, (0, scratch, len(gdt) - 1, 0))
        uc.reg_write(X.UC_X86_REG_CR0, 0x11)
        uc.reg_write(X.UC_X86_REG_CS, 0x08)
        uc.reg_write(X.UC_X86_REG_SS, 0x10)
        self._base = uc.context_save()

    def set_system(self, system: B.SystemState, flush: bool) -> None:
        uc = self.uc
        uc.context_restore(self._base)
        uc.reg_write(X.UC_X86_REG_GDTR, (0, *system.gdtr, 0))
        uc.reg_write(X.UC_X86_REG_IDTR, (0, *system.idtr, 0))
        selector, base, limit, access = system.ldtr
        uc.reg_write(X.UC_X86_REG_LDTR, (selector, base, limit, access << 8))
        selector, base, limit, access = system.tr
        uc.reg_write(X.UC_X86_REG_TR, (selector, base, limit, access << 8))
        uc.reg_write(X.UC_X86_REG_CR4, system.cr4)
        uc.reg_write(X.UC_X86_REG_CR3, system.cr3)  # also drops Unicorn's TLB
        uc.reg_write(X.UC_X86_REG_CR0, system.cr0)
        uc.reg_write(X.UC_X86_REG_ESP, self._frame_linear())
        self._entry = uc.context_save()
        self._fpu_raw = self._fpu_values = None

    def forget_code(self) -> None:
        self.uc.ctl_flush_tb()

    def watch(self, on_instruction) -> None:
        """Call ``on_instruction(linear, length, CS)`` before each guest instruction the
        backend runs: slow, for a record of what ran directly (naive-de's)."""

        def hook(uc, address, size, _data):
            if address < B.MONITOR_LINEAR:  # not the monitor's entry
                on_instruction(address, size, uc.reg_read(X.UC_X86_REG_CS))

        self.uc.hook_add(unicorn.UC_HOOK_CODE, hook)

    def _frame_linear(self) -> int:
        return self.monitor.linear(B.BACKEND_PAGES[1]) + 0x1000 - FRAME.size

    # -- hooks: each records what stopped the run and the count at that point --
    def _on_interrupt(self, uc, vector, _data) -> None:
        self._stop(B.FAULT, vector)

    def _on_io(self, uc, *_args):
        self._stop(B.EMULATE, None)
        return 0

    def _on_cpuid(self, uc, _data):  # and SYSENTER, SYSCALL
        self._stop(B.EMULATE, None)
        return 1  # skipped: the monitor emulates it

    def _stop(self, reason: str, vector: int | None) -> None:
        if self._trap is None:
            uc = self.uc
            # CR2 now: once stopped, Unicorn probes the end address and may fault there
            cr2 = uc.reg_read(X.UC_X86_REG_CR2) if vector == 14 else 0
            self._trap = (reason, vector, uc.reg_read(X.UC_X86_REG_EIP), self._counter.value, cr2)
        uc.emu_stop()

    # -- running --
    def run(self, ctx: B.UserContext, count: int) -> B.Exit:
        uc, data = self.uc, self.monitor.data
        uc.context_restore(self._entry)
        if ctx.fpu and ctx.fpu is not self._fpu_values:
            # the x87 goes into the entry context itself, so a run with the same FPU
            # state (most runs: integer code) costs nothing for it
            raw = self._fpu.pack(ctx.fpu)
            if raw != self._fpu_raw:
                self._fpu.write()
                uc.context_update(self._entry)
                self._fpu_raw = raw
            self._fpu_values = ctx.fpu
        es, cs, ss, ds, fs, gs = ctx.selectors
        offset = B.BACKEND_PAGES[1] * 0x1000 + 0x1000 - FRAME.size
        FRAME.pack_into(data, offset, gs, fs, es, ds, ctx.eip, cs, ctx.eflags | 2, ctx.gpr[4], ss)
        gpr = ctx.gpr
        self._gprs.write((gpr[0], gpr[1], gpr[2], gpr[3], gpr[5], gpr[6], gpr[7]))
        start = self.monitor.linear(B.BACKEND_PAGES[0])
        self._trap = None
        error = None
        entry = ENTRY_INSTRUCTIONS
        # IRET to CPL 3 nulls a data segment register holding a null selector with RPL 3
        # (a selector the guest may hold), and to a 16-bit stack loads only SP (the upper
        # half of ESP stays the monitor's): enter first, then load those
        late = [(reg, sel) for reg, sel in zip(SEGMENTS, ctx.selectors) if sel & 0xFFFC == 0 and sel]
        if ctx.stack16:
            late.append((X.UC_X86_REG_ESP, ctx.gpr[4]))
        until = start + 0xFF0  # never executed: the end of the entry page
        try:
            if late:
                uc.emu_start(start, until, count=ENTRY_INSTRUCTIONS)
                if self._trap is None:
                    uc.reg_write_batch(late)
                    start, entry = ctx.eip, 0
            if self._trap is None:
                uc.emu_start(start, until, count=count + entry)
        except unicorn.UcError as exc:
            error = exc
        counter = self._counter.value
        values = self._state.read()
        cr2 = 0
        if self._trap is not None:
            reason, vector, eip, counter, cr2 = self._trap
        elif error is None:
            reason, vector, eip = B.COUNT, None, values[8]
        else:
            eip = values[8]
            vector = None
            reason = B.INVALID if error.errno == unicorn.UC_ERR_INSN_INVALID else B.UNMAPPED
        start_page = self.monitor.linear(B.BACKEND_PAGES[0])
        if start_page <= eip < start_page + 0x1000:  # the entry itself faulted
            return B.Exit(B.UNMAPPED, 0, vector, detail=f"entry failed: {error or reason} {vector}")
        begun = counter - entry
        if begun <= 0 and reason != B.COUNT:  # no guest instruction began: ctx stands as given
            return B.Exit(reason, 0, vector, cr2, str(error or ""), 0)
        ctx.gpr[:] = [v & 0xFFFFFFFF for v in values[:8]]
        ctx.eip = eip & 0xFFFFFFFF
        ctx.eflags = values[9] & 0xFFFFFFFF
        ctx.selectors[:] = [v & 0xFFFF for v in values[10:]]
        if ctx.fpu and self._fpu.read() != self._fpu_raw:
            ctx.fpu = self._fpu.values()
        if reason == B.COUNT:
            return B.Exit(reason, count, begun=count)
        return B.Exit(reason, max(begun - 1, 0), vector, cr2, str(error or ""), begun)
