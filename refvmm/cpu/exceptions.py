"""What an instruction raises instead of completing: an architectural exception, a
software interrupt, or a wait for an interrupt before it (a delivery that cannot be made
is a triple fault)."""

from __future__ import annotations

# Exceptions that push an error code (SDM vol. 3A table 6-1); #DF, #TS, #NP, #SS, #GP
# and #AC push one, #PF pushes its own.
ERROR_CODE = frozenset({8, 10, 11, 12, 13, 14, 17})
# The fault-class exceptions (table 6-1), whose frame carries RF = 1 (17.3.1.1).
FAULT_CLASS = frozenset({0, 5, 6, 7, 10, 11, 12, 13, 14, 16, 17, 19})


class CpuFault(Exception):
    """An architectural exception raised by an instruction: the engine undoes what the
    instruction did and delivers it. ``keeps_progress`` marks the one case where what was
    done stays: a REP string instruction faulting after some iterations (SDM vol. 2 REP),
    each iteration being complete or not started."""

    keeps_progress = False

    def __init__(self, vector: int, error: int | None = None, address: int | None = None):
        super().__init__(vector, error)
        self.vector, self.error = vector, error
        self.address = address  # a page fault's linear address, loaded into CR2 on delivery


class SoftwareInterrupt(Exception):
    """INT n / INT3 / INTO (gate DPL checked) and INT1 (not): the instruction completes and
    the interrupt is delivered with EIP after it."""

    def __init__(self, vector: int, next_eip: int, check_dpl: bool = True):
        super().__init__(vector)
        self.vector, self.next_eip, self.check_dpl = vector, next_eip, check_dpl


class AwaitInterrupt(Exception):
    """The instruction does not start: the processor waits before it for an interrupt, as
    a waiting x87 instruction does when it asserts FERR# (CR0.NE clear). The interrupt
    returns to it. ``signal`` drives what the processor asserts while it waits."""

    def __init__(self, signal):
        super().__init__()
        self.signal = signal


class TripleFault(Exception):
    """A fault while delivering a double fault: the processor shuts down."""
