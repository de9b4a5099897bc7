"""``de+bt``: direct execution of guest user code on a hardware backend, and the
translator for everything else: the pair of the original VMware Workstation.

At every entry the monitor applies the paper's rule: real mode, v8086 mode (which the
paper runs directly, on hardware that checks its 64 KiB segment limits; Unicorn checks
none, guest_tests/v86/offset_beyond_64k_faults.asm, so v8086 code goes to the
translator like any segment with a limit), CPL 0 to 2, IOPL 3
(IOPL >= CPL), IF clear, a segment register whose hidden state its descriptor no
longer gives (non-reversible) and a data segment register of DPL < 3 (left by
SYSEXIT, which the backend's entry would null) go to the
translator; so do a segment the backend cannot run (Unicorn checks no segment
limits: any segment short of 4 GiB), a set TF or NT, an interrupt shadow and enabled
breakpoints, and on a machine that wires FERR# an x87 usable with CR0.NE clear, which
the backend would handle its own way. Everything else, guest user code with
interrupts on, runs deprivileged on the backend (``refvmm.hw``), under the shadow
structures of ``shadow``. The translator keeps running translated code until the
guest returns to user mode (IRET, SYSEXIT, a far return to CPL 3), when the rule
sends it back.

Traps are emulated against the virtual CPU, and the emulator is the VMM's own: the
backend stops at the instruction that trapped (a privileged instruction, an
exception, I/O, CPUID, an access the shadow did not map), and the core runs that one
instruction on the interpreter's path (``core._exact``), which raises, delivers
through the guest's IDT (its kernel then runs on the translator) or completes it (an
I/O port the TSS bitmap allows, a write to a traced page). A hidden page fault is
filled and the backend goes on.

A trap leaves the guest as it was before the trapping instruction, whatever the
backend did: the monitor keeps the registers a run started from and the pages it
could write, and at a trap puts them back and runs the backend again for exactly the
instructions that completed. Unicorn's own state at a trap is not to be trusted: it
can lose CF, AF and OF at a fault that follows a flag-setting instruction, it leaves
EIP after INT n, IN has already loaded its register and INS stored a zero.

Counts and time: the backend runs at most the instructions the core gives it, so
device interrupts arrive at instruction boundaries as on the other engines. The
backend counts every iteration of a REP string instruction as one instruction where
the VMM counts the instruction, so ``exact_counts`` and ``exact_timing`` are False
and the harness compares architectural state.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from time import perf_counter

from ..cpu.decoder import decode
from ..cpu.fpu import CR0_EM, CR0_NE, CR0_TS
from ..cpu.properties import hole
from ..cpu.state import CS, DS, EFLAGS_IF, EFLAGS_IOPL, EFLAGS_NT, EFLAGS_TF, ES, FS, GS, SS, Segment
from ..hw import backend as B
from ..hw.state import fpu_context, irreversible, rebuilt, store_fpu
from ..machine import Machine
from . import core
from .bt import Translator
from .core import Stop
from .interp import Interpreter
from .shadow import Shadow

MAX_SLICE = 2_000_000  # instructions per backend run: a stop request waits no longer
# CR4 bits DE runs under: TSD DE PSE MCE PGE PCE OSFXSR OSXMMEXCPT (the backend traps what
# they allow at CPL 3); VME and PVI change CLI and STI at CPL 3, PAE the page walk
CR4_ALLOWED = 0x7DC


def backends() -> dict:
    from ..hw.unicorn import UnicornBackend

    return {"unicorn": UnicornBackend}


class DirectExecution:
    name = "de+bt"
    exact_counts = False  # the backend counts REP iterations (see the module's docstring)
    exact_timing = False
    journals_writes = False  # the backend writes RAM directly (Machine.unjournalled after its runs)

    def __init__(self, backend: str = "unicorn", naive: bool = False) -> None:
        # what does not run directly: the translator, or for naive-de (which has none) the
        # interpreter
        self.bt = Interpreter() if naive else Translator()
        self.fetcher = self.bt.fetcher  # the interpreter's path, for what the core runs exactly
        self.naive = naive
        self._virtual: tuple[int, int, int] = (0, 0, 0)  # naive-de: guest (IF|IOPL, CS, SS) at entry
        self.backend_name = backend
        self.backend = None
        self.shadow: Shadow | None = None
        self._machine: Machine | None = None
        self._emulate: tuple[int, int] | None = None  # (CS, EIP) left to the interpreter
        self._fills: tuple[tuple[int, int], int] = ((0, 0), 0)  # (EIP, CR2) and fills of it
        self._reversible: tuple = ((-1,), [])  # (shadow rebuilds, segments) checked, and the answer
        self.stats: Counter = Counter()
        self.seconds: Counter = Counter()  # wall time in "de" (the backend's runs) and "bt"
        self._direct = False  # where the last run was, to count switches
        self._fpu_saved: tuple | None = None  # the x87 as last given to or taken from the backend
        self._fpu_values: tuple = ()
        # naive-de: the virtualization holes it ran directly, as (linear, name, virtual
        # CPL), and those of the current run until the run says which completed
        self.ran_directly: set[tuple[int, str, int]] = set()
        self._begun: list[tuple[int, str, int]] = []
        self._holes_at: dict[tuple[int, bytes, bool], str | None] = {}

    @classmethod
    def configured(cls, options: str) -> DirectExecution:
        if options:
            raise ValueError(f"{cls.name} takes no options, not {options!r}")
        return cls()

    @classmethod
    def unavailable(cls) -> str | None:
        return backends()["unicorn"]().unavailable()

    def run(self, m: Machine, budget: int) -> Stop:
        return core.run(self, m, budget)

    # -- the DE/BT decision --
    def refusal(self, m: Machine, cpl: int) -> str | None:
        """Why the code at EIP must not run directly, or None."""
        cpu = m.cpu
        if not cpu.protected:
            return "real mode"
        if cpu.v86:
            return "v8086 mode (64 KiB segment limits, which the backend does not check)"
        if self.naive:  # everything else runs directly, whatever its privilege
            return self._backend_limits(m)
        if cpl != 3:
            return f"CPL {cpl}"
        flags = cpu.eflags_other
        if flags & EFLAGS_IOPL == EFLAGS_IOPL:
            return "IOPL 3"
        if not flags & EFLAGS_IF:
            return "IF clear"
        if any(_below_cpl3(cpu.seg[s]) for s in (ES, DS, FS, GS)):
            # a SYSEXIT or an inward-then-outward path can leave one: entering the backend at
            # CPL 3 (an IRET) would null it, which the guest's own CPL 3 code does not do
            return "a data segment of DPL < 3"
        return self._backend_limits(m)

    @staticmethod
    def _backend_limits(m: Machine) -> str | None:
        """What the backend would handle its own way, not the guest's."""
        cpu = m.cpu
        if m.ferr is not None and not cpu.cr[0] & (CR0_NE | CR0_EM | CR0_TS):
            # a pending x87 exception would assert FERR#, which the backend does not drive
            return "CR0.NE clear (FERR#)"
        if cpu.eflags_other & (EFLAGS_TF | EFLAGS_NT):
            return "TF or NT set"
        if cpu.interrupt_shadow:
            return "interrupt shadow"
        if cpu.dr[7] & 0xFF:
            return "breakpoints enabled"
        if cpu.cr[4] & ~CR4_ALLOWED:
            return "CR4 features"
        return None

    # -- the engine --
    def execute(self, m: Machine, cpl: int, bits: int, room: int) -> int:
        cpu = m.cpu
        if self._emulate is not None:
            at, self._emulate = self._emulate, None
            if at == (cpu.seg[CS].selector, cpu.eip):
                self.stats["emulated"] += 1
                self._reflect(m)
                return 0  # the core runs it on the interpreter's path
        # guest kernel code (CPL 0 to 2, and real mode) goes to the translator without a look
        # at the other refusals; v8086 code runs at CPL 3 and meets its refusal there
        why = "kernel" if cpl != 3 and not self.naive else self.refusal(m, cpl)
        if why is None:
            why = self._enter(m)
        if why is not None:
            if self._direct:
                self.stats["switches to bt" if not self.naive else "switches to emulation"] += 1
                self._direct = False
            began = perf_counter()
            done = self.bt.execute(m, cpl, bits, room)
            self.seconds["bt"] += perf_counter() - began
            self.stats["emulated instructions" if self.naive else "bt instructions"] += done
            return done
        if not self._direct:
            self.stats["switches to de"] += 1
            self._direct = True
        began = perf_counter()
        done = self._run(m, min(room, MAX_SLICE))
        m.unjournalled = True
        self.seconds["de"] += perf_counter() - began
        return done

    def _enter(self, m: Machine) -> str | None:
        """Bring the backend and the shadow up to date; why DE cannot run, or None."""
        if self._machine is not m:
            self._attach(m)
        shadow = self.shadow
        if shadow.sync():
            self.backend.set_system(shadow.system, True)
        if shadow.refusal:
            return shadow.refusal
        # the answer depends on the segments' values and the tables, which are traced: it
        # holds while neither changes (an IRET back to user code reloads equal segments)
        key = (shadow.rebuilds, *m.cpu.seg)
        seen, bad = self._reversible
        if seen != key:
            bad = irreversible(m.cpu, m)
            self._reversible = (key, bad)
        if bad:
            return f"non-reversible {', '.join(bad)}"
        if not self.backend.segment_limits and any(
            s.selector & 0xFFFC and (s.limit != 0xFFFFFFFF or s.access & 0x1C == 0x14) for s in m.cpu.seg
        ):
            return "a segment with a limit (the backend checks none)"
        if shadow.code_changed:
            shadow.code_changed = False
            self.backend.forget_code()
        return None

    def _attach(self, m: Machine) -> None:
        backend = backends()[self.backend_name]()
        why = backend.unavailable()
        if why:
            raise core.EngineStop(Stop.ERROR, f"de+bt: {why}")
        physical = -(-len(m.ram) // B.MONITOR_SIZE) * B.MONITOR_SIZE
        memory = B.MonitorMemory(physical)
        backend.attach(m.ram_address(), len(m.ram), memory)
        self.backend, self._machine = backend, m
        self.shadow = Shadow(m, memory, backend.segment_limits, self.naive)
        if self.naive:
            backend.watch(self._on_instruction)

    def _on_instruction(self, linear: int, length: int, selector: int) -> None:
        """naive-de: note a virtualization hole the backend is about to run directly."""
        m = self._machine
        if length > 15:  # Unicorn's length for bytes it cannot decode: it raises #UD
            return
        try:
            code = bytes(m.read(linear + i, 1) for i in range(length))
        except Exception:  # not mapped by the guest (the backend will trap): nothing to note
            return
        segment = rebuilt(m.cpu, m, CS, selector)
        big = segment.big if segment else True
        key = (linear, code, big)
        name = self._holes_at.get(key, "?")
        if name == "?":
            try:
                name = hole(decode(code, 32 if big else 16))
            except Exception:  # the backend decodes what the VMM does not: no hole of ours
                name = None
            self._holes_at[key] = name
        if name is not None:
            self._begun.append((linear, name, self._virtual[1] & 3))

    def _ran(self, m: Machine) -> None:
        """naive-de: the holes of the last run that completed: all but one at EIP, where
        the run stopped (it trapped there or did not begin)."""
        begun = self._begun
        if begun and begun[-1][0] == (m.cpu.seg[CS].base + m.cpu.eip) & 0xFFFFFFFF:
            begun.pop()
        self.ran_directly.update(begun)
        begun.clear()

    def _run(self, m: Machine, room: int) -> int:
        cpu = m.cpu
        shadow, backend, stats = self.shadow, self.backend, self.stats
        ctx = self._context(cpu)
        done = 0
        while True:
            start = B.UserContext(
                list(ctx.gpr), ctx.eip, ctx.eflags, list(ctx.selectors), ctx.stack16, ctx.fpu
            )
            pages = shadow.snapshot()
            exit = backend.run(ctx, room - done)
            stats["de runs"] += 1
            if exit.detail.startswith("entry failed"):
                stats["entries refused by the backend"] += 1
                break
            self._store(m, ctx)
            self._ran(m)
            if exit.reason == B.COUNT:
                shadow.accessed_bits()
                stats["de instructions"] += exit.retired
                return done + exit.retired
            fetch = exit.vector == 14 and self._fetch_fault(m, exit.cr2)
            retired = exit.begun if fetch else exit.retired
            # Within an instruction the backend's state at a trap is not to be trusted
            # (Unicorn can lose CF, AF and OF at a fault, and has begun the trapping
            # instruction): start the run again and stop it just before that instruction.
            # A fault fetching an instruction comes between two: its state stands.
            if not fetch:
                if shadow.restore(pages):
                    backend.forget_code()  # what it translated may have been written since
                ctx = start
            if retired and not fetch:
                again = backend.run(ctx, retired)
                if again.reason != B.COUNT or again.retired != retired:
                    raise core.EngineStop(Stop.ERROR, f"de+bt: a run did not repeat ({again})")
                stats["replays"] += 1
            shadow.accessed_bits()
            self._store(m, ctx)
            self._ran(m)
            done += retired
            stats["de instructions"] += retired
            if exit.reason == B.FAULT and exit.vector == 14 and self._fill(ctx.eip, exit.cr2):
                stats["hidden page faults"] += 1
                if shadow.sync():
                    backend.set_system(shadow.system, True)
                if done < room:
                    continue
                return done
            stats[self._kind(exit)] += 1
            break
        if done == 0:
            self.stats["emulated"] += 1
            self._reflect(m)
            return 0  # the core runs the instruction at EIP on the interpreter's path
        self._emulate = (cpu.seg[CS].selector, cpu.eip)
        return done

    def _reflect(self, m: Machine) -> None:
        """naive-de reflects a software interrupt at the CPL the guest really runs at, as a
        monitor that lets the processor's gate check and frame stand would: the gate's DPL
        is checked against CPL 3 and the frame holds CS with RPL 3 (Robin and Irvine's
        INT n). Every other trap is emulated at the guest's own CPL."""
        cpu = m.cpu
        if not self.naive or cpu.cpl == 3:
            return
        try:
            ins, _ = core.decode_at(m, cpu.eip, cpu.cpl, core.mode(cpu)[1])
        except Exception:  # its bytes cannot be read: the core raises the fault
            return
        if ins.mnemonic in ("int", "int3", "into"):
            for s in (CS, SS):
                cpu.seg[s] = replace(cpu.seg[s], selector=cpu.seg[s].selector | 3)

    def _fill(self, eip: int, cr2: int) -> bool:
        """A hidden fault is filled at most twice for one (EIP, CR2): once to read, once
        to write; a third fault there is the guest's, for the interpreter."""
        key, fills = self._fills
        fills = fills + 1 if key == (eip, cr2) else 1
        self._fills = ((eip, cr2), fills)
        return fills <= 2 and self.shadow.fill(cr2)

    @staticmethod
    def _kind(exit: B.Exit) -> str:
        if exit.reason == B.FAULT:
            return f"traps: vector {exit.vector}"
        return f"traps: {exit.reason}"

    def _context(self, cpu) -> B.UserContext:
        """The backend's registers for the virtual CPU. naive-de runs every level at CPL 3:
        CS and SS with RPL 3, IOPL 0 (so that CLI, STI and I/O trap) and IF set (so that
        the monitor gets its interrupts)."""
        selectors = [s.selector for s in cpu.seg]
        eflags = cpu.eflags
        if self.naive:
            self._virtual = (eflags & (EFLAGS_IF | EFLAGS_IOPL), selectors[CS], selectors[SS])
            selectors[CS] |= 3
            selectors[SS] |= 3
            eflags = eflags & ~EFLAGS_IOPL | EFLAGS_IF
        return B.UserContext(
            list(cpu.gpr), cpu.eip, eflags, selectors, not cpu.seg[SS].big, fpu_context(cpu.fpu)
        )

    def _store(self, m: Machine, ctx: B.UserContext) -> None:
        """The backend's registers into the virtual CPU; a segment register it loaded gets
        its hidden state from the guest's tables, as the backend loaded it from their copy.
        naive-de keeps the virtual IF and IOPL (the backend cannot change them at CPL 3)
        and the virtual CPL in the RPL of CS and SS."""
        cpu = m.cpu
        cpu.gpr[:] = ctx.gpr
        cpu.eip = ctx.eip
        if ctx.fpu and ctx.fpu is not self._fpu_values:  # the backend changed the x87
            store_fpu(cpu.fpu, ctx.fpu)
            self._fpu_saved, self._fpu_values = cpu.fpu.save(), ctx.fpu
        selectors = list(ctx.selectors)
        if self.naive:
            flags, cs, ss = self._virtual
            cpu.eflags = ctx.eflags & ~(EFLAGS_IF | EFLAGS_IOPL) | flags
            # the monitor's idea of the CPL stands: it saw no privilege change
            selectors[CS] = selectors[CS] & ~3 | cs & 3
            selectors[SS] = selectors[SS] & ~3 | ss & 3
        else:
            cpu.eflags = ctx.eflags
        for s, selector in enumerate(selectors):
            if selector != cpu.seg[s].selector:
                cpu.seg[s] = rebuilt(cpu, m, s, selector) or Segment(selector, 0, 0, 0, False)

    def _fetch_fault(self, m: Machine, cr2: int) -> bool:
        """Whether a page fault at ``cr2`` came from fetching the instruction at EIP (which
        then never began): the shadow does not map that page, and it is the instruction's
        page or the next one, into which the instruction runs."""
        cpu = m.cpu
        page = cr2 >> 12
        if self.shadow.present(page):
            return False  # a write to a page mapped read-only: a data access
        linear = (cpu.seg[CS].base + cpu.eip) & 0xFFFFFFFF
        if page == linear >> 12:
            return True
        if page != (linear >> 12) + 1 or linear & 0xFFF < 0x1000 - 15:
            return False
        try:
            ins, _ = core.decode_at(m, cpu.eip, 3, core.mode(cpu)[1])
        except Exception:  # its bytes cannot be read: the fetch faulted
            return True
        return (linear & 0xFFF) + ins.length > 0x1000


def _below_cpl3(s: Segment) -> bool:
    """A loaded data or non-conforming code segment of DPL < 3 (SDM vol. 2 IRET: what a
    return to CPL 3 nulls)."""
    return bool(s.selector & 0xFFFC and s.access & 0x10 and s.access & 0x1C != 0x1C and s.access >> 5 & 3 < 3)


class NaiveDirectExecution(DirectExecution):
    """``naive-de``: the monitor with the naive policy (no translator, every level
    deprivileged); a configuration of ``DirectExecution``, nothing of its own."""

    name = "naive-de"
    unsound = True  # wrong where x86 is not virtualizable, by design: no boot must agree with it

    def __init__(self, backend: str = "unicorn") -> None:
        super().__init__(backend, naive=True)
