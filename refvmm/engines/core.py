"""The execution core: what every engine shares, written once.

An engine only executes straight-line runs of guest code: ``engine.execute(m, cpl,
bits, room)`` runs up to ``room`` instructions from EIP and returns how many it ran,
stopping after an instruction whose properties say it ends a run
(``refvmm.cpu.properties``: it changes IF, the interrupt shadow, HLT, CS, CPL or the
mode), since only those change what happens at the next boundary; every engine stops
there, so interrupts are taken at the same instruction on every engine. Everything
else is here, for every engine:

- the instruction boundary: the STI / MOV SS shadow, device polls every POLL_INTERVAL
  instructions, external interrupts through the PIC, idling while halted, the budget
  and stop requests;
- the CPL and code size, and fetch with the CS-limit and paging checks
  (``Fetcher``, which also compiles instructions from their templates);
- instructions that read virtual time or reach devices (``Properties.timed``), which
  run here one at a time, so their instruction count is exact whatever the engine. An
  engine may run one itself as the last of its run, with ``m.retired`` counting the
  instructions before it and a checkpoint renewed after it (the translator's blocks
  do, ``bt.timed_in_block``), so that no replay reaches the device twice;
- atomicity, as one rule: the core keeps a checkpoint of the machine
  (``Machine.checkpoint``) at most POLL_INTERVAL instructions old, and renews it after
  every boundary event and every timed instruction. When an instruction raises, the
  machine is rolled back to the checkpoint and the instructions since are run again
  one at a time on the interpreter's path, the last under a checkpoint of its own, so
  the faulting instruction leaves registers, flags and memory exactly as it found them;
- the single-step trap: with TF set, instructions run one at a time on the
  interpreter's path, each followed by #DB (``_single_step``);
- fault and interrupt delivery (``refvmm.cpu.transfers``) and the reasons a run stops.
"""

from __future__ import annotations

from enum import Enum

from ..cpu import transfers
from ..cpu.codegen import Unsupported
from ..cpu.compile import FORMS, compile_instruction, learn_form
from ..cpu.decoder import DecodeError, Incomplete, Instruction, decode_form
from ..cpu.exceptions import ERROR_CODE, AwaitInterrupt, CpuFault, SoftwareInterrupt, TripleFault
from ..cpu.properties import properties
from ..cpu.state import CS, EFLAGS_IF, EFLAGS_RF, EFLAGS_TF, EFLAGS_VM
from ..devices.base import NS_PER_INSTRUCTION
from ..machine import Machine

POLL_INTERVAL = 256  # instructions between two polls of the timed devices
DR6_BS = 1 << 14  # DR6: the debug exception was a single-step trap


class Stop(str, Enum):
    """Why ``run`` returned."""

    STOPPED = "stopped"  # a device write asked to stop (an exit port, a reset)
    HALT = "halt"  # HLT with nothing that can wake the CPU
    BUDGET = "budget"  # the instruction budget is spent
    TRIPLE_FAULT = "triple-fault"
    ERROR = "error"  # the model does not cover what the guest did
    UNTIL = "until"  # run_until: the caller's condition holds

    __str__ = str.__str__
    __format__ = str.__format__


class EngineStop(Exception):
    """The run cannot go on: ``reason`` is a Stop, ``str()`` the message."""

    def __init__(self, reason: Stop, message: str):
        super().__init__(message)
        self.reason = reason


def mode(cpu) -> tuple[int, int]:
    """(CPL, code size in bits) for the current CS, CR0 and EFLAGS.VM. Real mode runs at
    CS's cached D bit, as the processor does: 16-bit since reset, 32-bit after PE is
    cleared with a 32-bit CS loaded (real-mode CS loads keep the attributes)."""
    cs = cpu.seg[CS]
    if not cpu.cr[0] & 1:
        return 0, 32 if cs.big else 16
    if cpu.eflags_other & EFLAGS_VM:
        return 3, 16
    return cs.selector & 3, 32 if cs.big else 16


class Compiled:
    """A fetched instruction with its compiled handler and what the core needs of its
    properties."""

    __slots__ = ("ins", "handler", "ends", "ends_block", "timed")

    def __init__(self, ins: Instruction, handler, props=None):
        props = props or properties(ins)
        self.ins, self.handler = ins, handler
        self.ends, self.ends_block, self.timed = props.ends_run, props.ends_block, props.timed


class Fetcher:
    """Fetch, decode and compile, cached by (physical address, code size, CPL, EIP); a
    write to a page holding cached instructions drops them (the machine watches those
    pages), so self-modifying code is seen."""

    def __init__(self, record: set | None = None, trace=None) -> None:
        self.record = record  # every instruction compiled: (bytes, code size, linear), for coverage
        self.trace = trace  # a deque of the last instructions run, or None (``Interpreter``)
        self.cache: dict[tuple[int, int, int, int], Compiled] = {}
        self._pages: dict[int, list] = {}  # physical page -> cache keys of its instructions

    def fetch(self, m: Machine, here: int, cpl: int, bits: int) -> Compiled:
        linear, physical = at = code_address(m, here, cpl)
        key = (physical, bits, cpl, here)
        entry = self.cache.get(key)
        if entry is not None:
            return entry
        # an instance at the end of 64 KiB of 16-bit code is compiled alone (codegen's NEXT)
        alone = bits == 16 and here > 0xFFF0
        entry, code = (None, b"") if alone else _known_form(m, here, bits, physical)
        if entry is None:
            ins, code, fields, structure = decode_at(m, here, cpl, bits, at, forms=True)
            if structure is not None and len(code) >= 16 and not alone:
                handler = learn_form(ins, fields, code[:structure], code, here, bits)
            else:
                handler, _source = compile_instruction(ins, here, bits)
            entry = Compiled(ins, handler)
        ins = entry.ins
        if self.record is not None:
            self.record.add((code[: ins.length], bits, linear))
        if ins.length <= 0x1000 - (physical & 0xFFF):  # cache what lies within one page
            page = physical >> 12
            if page not in self._pages:
                self._pages[page] = []
            # a write to these bytes drops the page's entries
            m.watch_code_page(page, self._invalidate, physical & 0xFFF, ins.length)
            self._pages[page].append(key)
            self.cache[key] = entry
        return entry

    def _invalidate(self, page: int) -> None:
        for key in self._pages.pop(page, ()):
            self.cache.pop(key, None)


def _known_form(m: Machine, here: int, bits: int, physical: int) -> tuple[Compiled | None, bytes]:
    """The instruction at ``physical``, when its form is known (``compile.FORMS``): made
    from its bytes without decoding. (None, b"") when it is not, or lies across a page."""
    if (physical & 0xFFF) > 0x1000 - 16 or physical + 16 > len(m.ram):
        return None, b""
    code = m.ram[physical : physical + 16]
    forms = FORMS[bits]
    for n in range(1, 16):  # no form's structure is a prefix of another's (decode_form)
        form = forms.get(code[:n])
        if form is not None:
            break
    else:
        return None, b""
    if here + form.ins.length - 1 > m.cpu.seg[CS].limit:
        raise CpuFault(13, 0)
    return Compiled(form.ins, form.factory(*form.arguments(code, here)), form.props), code


def code_address(m: Machine, here: int, cpl: int) -> tuple[int, int]:
    """(linear, physical) address of CS:``here``, with the fetch's CS-limit and paging checks."""
    cs = m.cpu.seg[CS]
    if here > cs.limit:
        raise CpuFault(13, 0)
    linear = (cs.base + here) & 0xFFFFFFFF
    return linear, m.translate(linear, False, cpl == 3)


def decode_at(
    m: Machine, here: int, cpl: int, bits: int, at: tuple[int, int] | None = None, forms: bool = False
):
    """The instruction at CS:``here`` (at ``code_address``, when the caller has it) and its
    bytes, with the fetch's checks (faults raised as CpuFault, undecodable bytes as
    DecodeError); with ``forms``, also its fields and structure length (``decode_form``;
    None for an instruction whose bytes do not name its form: an x87 escape)."""
    linear, physical = at or code_address(m, here, cpl)
    # up to the end of the page, then on through the next translation; beyond RAM the
    # bus reads all ones
    first = min(16, 0x1000 - (physical & 0xFFF))
    code = m.phys_read(physical, first).to_bytes(first, "little")
    while True:
        try:
            ins, fields, structure = decode_form(code, bits)
            break
        except Incomplete:
            more = m.translate(linear + len(code), False, cpl == 3)
            code += m.phys_read(more, 16 - len(code)).to_bytes(16 - len(code), "little")
    if here + ins.length - 1 > m.cpu.seg[CS].limit:
        raise CpuFault(13, 0)
    if not forms:
        return ins, code
    return ins, code, fields, None if ins.kind == "x87" else structure


def step(m: Machine, fetcher: Fetcher, traced: bool = False) -> Instruction:
    """Execute the one instruction at EIP and return it, raising what it raises (a decode
    error as the CpuFault it is); ``traced``: add it to the fetcher's trace."""
    cpu = m.cpu
    cpu.eflags_other &= ~EFLAGS_RF  # see run
    cpl, bits = mode(cpu)
    try:
        entry = fetcher.fetch(m, cpu.eip, cpl, bits)
    except DecodeError as exc:
        raise CpuFault(exc.vector, 0 if exc.vector == 13 else None) from None
    if traced and fetcher.trace is not None:
        trace_entry(fetcher.trace, m, entry.ins, bits)
    entry.handler(cpu, m, cpu.gpr, cpl == 3)
    return entry.ins


def trace_entry(trace, m: Machine, ins: Instruction, bits: int) -> None:
    """(CS, EIP, code size, instruction bytes, registers before) of the instruction at EIP."""
    cpu = m.cpu
    cs = cpu.seg[CS]
    code = bytes(m.read(cs.base + cpu.eip + i, 1) for i in range(ins.length))
    trace.append((cs.selector, cpu.eip, bits, code, cpu.snapshot()))


def deliver(
    m: Machine, vector: int, error, software: bool, return_eip: int, here: int, fault: bool = False
) -> None:
    """An exception or interrupt through the IDT (or the real-mode IVT), with the SDM's
    escalation to #DF and shutdown; what the model does not cover stops the run."""
    try:
        transfers.deliver(m.cpu, m, vector, error, software, return_eip, here, fault)
    except TripleFault:
        raise EngineStop(Stop.TRIPLE_FAULT, f"triple fault delivering vector {vector}") from None


def _stop(exc: Exception, here: int) -> EngineStop:
    return EngineStop(Stop.ERROR, f"not implemented: {exc} at {here:#x}")


def boundary(m: Machine, pic) -> bool:
    """The work between two instructions when it can do something: poll the devices every
    POLL_INTERVAL instructions (and when halted), end the interrupt shadow, and take a
    pending interrupt when IF allows. True when the loop must look again (an interrupt
    was delivered, or halted time moved on to a device event)."""
    cpu = m.cpu
    shadow, cpu.interrupt_shadow = cpu.interrupt_shadow, False
    if pic is None:
        return False
    if cpu.halted or m.retired % POLL_INTERVAL == 0:
        m.poll_devices()
    if cpu.eflags_other & EFLAGS_IF and not shadow and pic.pending():
        cpu.halted = False
        deliver(m, pic.acknowledge(), None, False, cpu.eip, cpu.eip)
        return True
    if cpu.halted and cpu.eflags_other & EFLAGS_IF:
        return m.skip_to_next_event(NS_PER_INSTRUCTION)  # idle until a device has news
    return False


def run(engine, m: Machine, budget: int) -> Stop:
    """Run ``engine`` on ``m`` for up to ``budget`` instructions; return why it stopped, or
    raise EngineStop for a triple fault or what the model does not cover."""
    cpu = m.cpu
    end = m.retired + budget
    pic = m.interrupt_controller
    fetcher = engine.fetcher
    execute = engine.execute
    # an engine whose writes may bypass the journal (a hardware backend writing RAM) runs
    # on to the next poll even with no devices; a run that did bypass it leaves nothing a
    # rollback could undo, so the checkpoint follows it (``Machine.unjournalled``)
    journals = getattr(engine, "journals_writes", True)
    cr, seg = cpu.cr, cpu.seg
    m.checkpoint()
    while m.retired < end:
        if m.stop_requested:
            return Stop.STOPPED
        retired = m.retired
        # the full boundary only when it can do something (inline: this runs once per run
        # of straight-line code)
        if cpu.interrupt_shadow or (
            pic is not None
            and (cpu.halted or retired % POLL_INTERVAL == 0 or cpu.eflags_other & EFLAGS_IF and pic.pending())
        ):
            shadow = cpu.interrupt_shadow
            again = boundary(m, pic)
            m.checkpoint()
            if again:
                continue
        else:
            shadow = False
            if retired - m.checkpoint_retired >= POLL_INTERVAL:
                m.checkpoint()
        if cpu.halted:
            return Stop.HALT
        if cpu.eflags_other & EFLAGS_TF:
            _single_step(m, fetcher)
            continue
        room = end - retired
        if shadow:
            room = 1  # after STI or a load of SS an interrupt waits one instruction
        elif (journals or pic is not None) and POLL_INTERVAL - retired % POLL_INTERVAL < room:
            # to the next poll, or the next checkpoint; an unjournalled engine with no
            # devices to poll runs on
            room = POLL_INTERVAL - retired % POLL_INTERVAL
        # RF (set by an IRET to a faulting instruction) keeps that instruction's breakpoint
        # from firing again and clears when an instruction completes: with no instruction
        # breakpoints modelled, clearing it as the next instruction starts is the same
        # (a fault's frame carries RF = 1 anyway, and PUSHF never shows it)
        cpu.eflags_other &= ~EFLAGS_RF
        # mode(cpu), inline: this runs once per run of straight-line code
        cs = seg[CS]
        if not cr[0] & 1:
            cpl, bits = 0, 32 if cs.big else 16
        elif cpu.eflags_other & EFLAGS_VM:
            cpl, bits = 3, 16
        else:
            cpl, bits = cs.selector & 3, 32 if cs.big else 16
        try:
            done = execute(m, cpl, bits, room)
        except SoftwareInterrupt as soft:  # INT n completes, then delivers
            m.retired += soft.completed + 1
            deliver(m, soft.vector, None, soft.check_dpl, soft.next_eip, cpu.eip)
            m.checkpoint()
            continue
        except (CpuFault, DecodeError, Unsupported, AwaitInterrupt) as exc:
            _recover(m, fetcher, retired - m.checkpoint_retired + exc.completed)
            continue
        if done:
            m.retired += done
            if m.unjournalled:
                m.checkpoint()
        else:  # the engine leaves this one to the core: it reads time or devices
            _exact(m, fetcher, 0, traced=True)
    return Stop.STOPPED if m.stop_requested else Stop.BUDGET


def run_until(engine, m: Machine, budget: int, until=None, every: int = 20_000) -> tuple[Stop, str]:
    """The run-to-stop loop of the CLI and of boot sessions: run ``engine`` in slices of
    ``every`` instructions until the budget is spent, the engine stops, or ``until()``
    holds (looked at between slices). A wall-clock limit is a stop request from outside
    (``Machine.request_stop``, as the harness's deadline makes one). Returns (reason,
    message); EngineStop becomes its reason and message."""
    end = m.retired + budget
    try:
        while True:
            if until is not None and until():
                return Stop.UNTIL, ""
            left = end - m.retired
            if left <= 0:
                return Stop.BUDGET, f"no exit after {budget:,} instructions"
            reason = engine.run(m, min(left, every))
            if reason != Stop.BUDGET:
                return reason, ""
    except EngineStop as stop:
        return stop.reason, str(stop)


def _recover(m: Machine, fetcher: Fetcher, completed: int) -> None:
    """An instruction raised after ``completed`` others since the checkpoint: roll back and
    run them again one at a time, then the one that raised, exactly."""
    m.rollback()
    m.retired = m.checkpoint_retired
    _exact(m, fetcher, completed)


def _exact(m: Machine, fetcher: Fetcher, replay: int, traced: bool = False) -> Instruction | None:
    """Run ``replay`` instructions, then one more under a checkpoint of its own, on the
    interpreter's path; deliver what that one raises with the machine as it found it.
    A replay is not traced again (``traced``: the last one is new to the trace). Returns
    the last instruction if it completed, None if it raised."""
    ins = None
    try:
        for _ in range(replay):
            step(m, fetcher)
            m.retired += 1
        m.checkpoint()
        ins = step(m, fetcher, traced)
    except SoftwareInterrupt as soft:
        m.retired += 1
        deliver(m, soft.vector, None, soft.check_dpl, soft.next_eip, m.cpu.eip)
    except CpuFault as fault:
        if not fault.keeps_progress:  # a REP string instruction keeps its completed iterations
            m.rollback()
        m.retired += 1
        _fault(m, fault)
    except DecodeError as exc:
        m.rollback()
        m.retired += 1
        _fault(m, CpuFault(exc.vector, 0 if exc.vector == 13 else None))
    except AwaitInterrupt as wait:  # not started, not retired: halted before it until an interrupt
        m.rollback()
        wait.signal()
        m.cpu.halted = True
    except Unsupported as exc:
        m.rollback()
        raise _stop(exc, m.cpu.eip) from None
    else:
        m.retired += 1
        m.checkpoint()
        return ins
    m.checkpoint()
    return None


def _single_step(m: Machine, fetcher: Fetcher) -> None:
    """TF was set as the instruction began: run it alone, then take the single-step trap,
    #DB with DR6.BS, at the next instruction (SDM vol. 3A 17.3.1.4: the TF an instruction
    starts with decides, so POPF that sets TF traps after the next one and POPF that
    clears it traps after itself). No trap after an instruction that raised (a fault,
    INT n, INT3, INTO: their delivery clears TF), nor after a load of SS, whose shadow
    holds it to the end of the next instruction, nor after HLT (the processor halts
    first) or a stop request. A REP string instruction runs one iteration per trap
    (``system.string_op``), EIP staying on it while iterations are left."""
    cpu = m.cpu
    ins = _exact(m, fetcher, 0, traced=True)
    if ins is None or cpu.halted or m.stop_requested or cpu.interrupt_shadow and ins.mnemonic != "sti":
        return
    cpu.dr[6] |= DR6_BS
    cpu.interrupt_shadow = False  # an STI's: the delivery ends it
    deliver(m, 1, None, False, cpu.eip, cpu.eip)
    m.checkpoint()


def _fault(m: Machine, fault: CpuFault) -> None:
    """Deliver an exception raised by the instruction at EIP (which it left as it found)."""
    error = fault.error if fault.vector in ERROR_CODE else None
    if fault.vector in ERROR_CODE and error is None:
        error = 0
    if fault.vector == 14:
        m.cpu.cr[2] = fault.address
    here = m.cpu.eip
    deliver(m, fault.vector, error, False, here, here, fault=True)
