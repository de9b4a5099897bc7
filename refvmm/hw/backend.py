"""What direct execution asks of a hardware backend.

A backend runs deprivileged guest code (CPL 3) on the machine's own RAM, under system
state the monitor gives it (its shadow page tables, its copies of the guest's
descriptor tables), and comes back with why it stopped. The monitor (``engines.de``)
never looks inside: everything it needs is ``UserContext`` in, ``Exit`` out.

Physical memory as the backend sees it: guest RAM at 0, and the monitor's memory (the
shadow page tables, descriptor copies and whatever the backend needs for itself) at
``MonitorMemory.physical``, mapped at ``MONITOR_LINEAR`` by the shadow page directory.
"""

from __future__ import annotations

import mmap
from dataclasses import dataclass, field
from typing import Protocol

MONITOR_LINEAR = 0xFFC00000  # the top 4 MiB of the linear space: the monitor's own
MONITOR_SIZE = 4 << 20

# Exit reasons.
COUNT = "count"  # ran the instructions it was given
FAULT = "fault"  # an exception: EIP at the instruction, or after it for INT n, INT3, INTO
EMULATE = "emulate"  # an instruction the backend must not run (I/O, CPUID): EIP at it
INVALID = "invalid"  # the backend cannot run the instruction at EIP (#UD to it)
UNMAPPED = "unmapped"  # an access to physical memory the backend does not have


@dataclass
class UserContext:
    """The guest's registers as the backend runs them: CPL 3, selectors of the guest's
    own tables (whose shadow copies the monitor installed)."""

    gpr: list[int]
    eip: int
    eflags: int
    selectors: list[int]  # ES CS SS DS FS GS
    stack16: bool = False  # SS is a 16-bit segment: ESP's upper half is not loaded by IRET
    # the x87: control word, status word (with TOP), full tag word, R0-R7 (``hw.state``)
    fpu: tuple[int, ...] = ()


@dataclass
class SystemState:
    """The system registers the backend runs under: the guest's table registers (so that
    the unprivileged SGDT, SIDT, SLDT and STR read the guest's values) with the bases of
    the tables the backend really uses, and the monitor's paging."""

    gdtr: tuple[int, int]  # (base, limit): the guest's; the shadow copy is mapped there
    idtr: tuple[int, int]  # the guest's; the backend delivers nothing through it
    ldtr: tuple[int, int, int, int]  # (selector, base, limit, access): base is the shadow copy
    tr: tuple[int, int, int, int]  # (selector, base, limit, access)
    cr0: int
    cr3: int  # the shadow page directory (physical)
    cr4: int


@dataclass
class Exit:
    reason: str
    retired: int  # guest instructions completed, if the one at EIP began (see ``begun``)
    vector: int | None = None
    cr2: int = 0
    detail: str = ""
    # instructions that began, the one that trapped included; a page fault on fetching
    # the instruction at EIP comes before it begins, so then ``begun`` is what retired
    begun: int = 0


@dataclass
class MonitorMemory:
    """The monitor's memory: an mmap of MONITOR_SIZE bytes, at ``physical`` for the
    backend. Page ``BACKEND_PAGES`` are the backend's own (code it needs at CPL 0, a stack)."""

    physical: int
    data: mmap.mmap = field(default_factory=lambda: mmap.mmap(-1, MONITOR_SIZE))

    def linear(self, page: int) -> int:
        return MONITOR_LINEAR + page * 0x1000


BACKEND_PAGES = (2, 3)  # a code page and a stack page, mapped supervisor at MONITOR_LINEAR


class Backend(Protocol):
    name: str
    #: instruction counts as the interpreter's (REP iterations counted once per instruction)
    exact_counts: bool
    #: whether it checks segment limits (expand-down ones too) as the processor does
    segment_limits: bool

    def unavailable(self) -> str | None: ...

    def attach(self, ram_address: int, ram_size: int, monitor: MonitorMemory) -> None:
        """Map the machine's RAM at physical 0 and the monitor's memory (no copies)."""

    def set_system(self, system: SystemState, flush: bool) -> None:
        """The system state for the next runs; ``flush``: the shadow tables changed (drop
        cached translations)."""

    def forget_code(self) -> None:
        """Guest code may have changed from outside: drop what was translated from it."""

    def watch(self, on_instruction) -> None:
        """Call ``on_instruction(linear, length, CS)`` before each guest instruction it runs
        (a backend that cannot see single instructions raises NotImplementedError)."""

    def run(self, ctx: UserContext, count: int) -> Exit:
        """Run ``ctx`` at CPL 3 for at most ``count`` instructions; ``ctx`` holds the state
        it stopped in."""
