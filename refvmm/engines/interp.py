"""The interpreter: one instruction at a time, each compiled from its template.

Fetch and decode go through a cache keyed by physical address, CPL and code size;
a write to a page holding cached instructions drops them (the machine watches those
pages), so self-modifying code is seen. Each instruction's handler is compiled once
from its template (``refvmm.cpu.compile``) and kept with the cache entry.
"""

from __future__ import annotations

from collections import deque

from ..cpu import transfers
from ..cpu.codegen import Unsupported
from ..cpu.compile import compile_instruction
from ..cpu.decoder import DecodeError, Incomplete, Instruction, decode
from ..cpu.state import CR0_PG, CS, EFLAGS_VM
from ..devices.base import NS_PER_INSTRUCTION
from ..machine import CpuFault, Machine

POLL_INTERVAL = 256  # instructions between two polls of the timed devices


class EngineStop(Exception):
    """The run cannot go on: ``reason`` is the exit reason, ``str()`` the message."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


class Interpreter:
    name = "interp"

    def __init__(self, trace: int = 0, record: set | None = None) -> None:
        # every instruction compiled: (bytes, code size, linear address), for coverage
        self.record = record
        # the last ``trace`` instructions: (CS, EIP, code size, instruction bytes, registers before)
        self.trace: deque | None = deque(maxlen=trace) if trace else None
        self._cache: dict[tuple[int, int, int, int], tuple[Instruction, object]] = {}
        self._pages: dict[int, list] = {}  # physical page -> cache keys of its instructions

    @classmethod
    def configured(cls, options: str) -> Interpreter:
        if options:
            raise ValueError(f"{cls.name} takes no options, not {options!r}")
        return cls()

    def fetch(self, m: Machine, here: int, cpl: int, bits: int) -> tuple[Instruction, object]:
        cpu = m.cpu
        cs = cpu.seg[CS]
        if here > cs.limit:
            raise CpuFault(13, 0)
        linear = (cs.base + here) & 0xFFFFFFFF
        physical = m.translate(linear, False, cpl == 3)
        key = (physical, bits, cpl, here)
        entry = self._cache.get(key)
        if entry is not None:
            return entry
        ins, code = self.decode_at(m, here, cpl, bits)
        if self.record is not None:
            self.record.add((code[: ins.length], bits, linear))
        handler, _source = compile_instruction(ins, here, bits)
        compiled = (ins, handler)
        if ins.length <= 0x1000 - (physical & 0xFFF):  # cache what lies within one page
            page = physical >> 12
            if page not in self._pages:
                self._pages[page] = []
                m.watch_code_page(page, self._invalidate)  # a write there drops its entries
            self._pages[page].append(key)
            self._cache[key] = compiled
        return compiled

    @staticmethod
    def decode_at(m: Machine, here: int, cpl: int, bits: int) -> tuple[Instruction, bytes]:
        """The instruction at CS:``here`` and its bytes, with the fetch's CS limit and
        paging checks (faults raised as CpuFault, undecodable bytes as DecodeError)."""
        cs = m.cpu.seg[CS]
        if here > cs.limit:
            raise CpuFault(13, 0)
        linear = (cs.base + here) & 0xFFFFFFFF
        physical = m.translate(linear, False, cpl == 3)
        # up to the end of the page, then on through the next translation; beyond RAM
        # the bus reads all ones
        first = min(16, 0x1000 - (physical & 0xFFF))
        code = m.phys_read(physical, first).to_bytes(first, "little")
        while True:
            try:
                ins = decode(code, bits)
                break
            except Incomplete:
                more = m.translate(linear + len(code), False, cpl == 3)
                code += m.phys_read(more, 16 - len(code)).to_bytes(16 - len(code), "little")
        if here + ins.length - 1 > cs.limit:
            raise CpuFault(13, 0)
        return ins, code

    def _invalidate(self, page: int) -> None:
        for key in self._pages.pop(page, ()):
            self._cache.pop(key, None)

    def run(self, m: Machine, budget: int) -> str:
        """Execute up to ``budget`` instructions; return the exit reason.

        Reasons: "stopped" (an I/O write asked to stop), "halt", "budget",
        "triple-fault"; EngineStop for what the model does not cover."""
        cpu = m.cpu
        g = cpu.gpr
        seg = cpu.seg
        cr = cpu.cr
        cache = self._cache
        end = m.retired + budget
        pic = m.interrupt_controller
        while m.retired < end:
            if m.stop_requested:
                return "stopped"
            # the full check only when it can do something: halted, in a shadow, at a
            # device poll, or with interrupts enabled and the PIC's INT raised (inline, here
            # and in the translator's loop, since this runs once per instruction)
            if (
                pic is not None
                and (
                    cpu.halted
                    or cpu.interrupt_shadow
                    or m.retired % POLL_INTERVAL == 0
                    or cpu.eflags_other & 0x200
                    and pic.pending()
                )
                and self._external_interrupt(m, pic)
            ):
                continue
            if cpu.halted:
                return "halt"
            here = cpu.eip
            sp = g[4]  # a faulting instruction leaves ESP as it found it
            cs = seg[CS]
            # CPL and code size, inline: this runs once per instruction
            if not cr[0] & 1:
                cpl, bits = 0, 16
            elif cpu.eflags_other & EFLAGS_VM:
                cpl, bits = 3, 16
            else:
                cpl, bits = cs.selector & 3, 32 if cs.big else 16
            try:
                try:
                    entry = None
                    if not cr[0] & CR0_PG and here <= cs.limit:
                        entry = cache.get(((cs.base + here) & 0xFFFFFFFF, bits, cpl, here))
                    ins, handler = entry if entry is not None else self.fetch(m, here, cpl, bits)
                    if self.trace is not None:
                        code = bytes(m.read(cs.base + here + i, 1) for i in range(ins.length))
                        self.trace.append((cs.selector, here, bits, code, cpu.snapshot()))
                    handler(cpu, m, g, cpl == 3)
                except DecodeError as exc:
                    raise CpuFault(exc.vector, 0 if exc.vector == 13 else None) from None
            except CpuFault as fault:
                self._fault(m, fault, here, sp)
            except transfers.SoftwareInterrupt as soft:
                self._deliver(m, soft.vector, None, soft.check_dpl, soft.next_eip, here)
            except (Unsupported, transfers.NotModelled) as exc:
                raise self._stop(exc, here) from None
            m.retired += 1
        return "stopped" if m.stop_requested else "budget"

    def _fault(self, m: Machine, fault: CpuFault, here: int, sp: int) -> None:
        """An exception raised by the instruction at ``here``: it is undone (EIP and ESP as
        it found them) and the exception delivered."""
        m.cpu.eip = here
        m.cpu.gpr[4] = sp
        error = fault.error if fault.vector in transfers.ERROR_CODE else None
        if fault.vector in transfers.ERROR_CODE and error is None:
            error = 0
        self._deliver(m, fault.vector, error, False, here, here)

    @staticmethod
    def _stop(exc: Exception, here: int) -> EngineStop:
        """What the model does not cover ends the run with an error."""
        what = "not implemented" if isinstance(exc, Unsupported) else "not modelled"
        return EngineStop("error", f"{what}: {exc} at {here:#x}")

    def _external_interrupt(self, m: Machine, pic) -> bool:
        """Poll the devices every POLL_INTERVAL instructions (and when halted) and take a
        pending interrupt at this instruction boundary when IF allows. True when the
        loop must look again (an interrupt was delivered or halted time moved on)."""
        cpu = m.cpu
        if cpu.halted or m.retired % POLL_INTERVAL == 0:
            m.poll_devices()
        shadow, cpu.interrupt_shadow = cpu.interrupt_shadow, False
        if cpu.eflags_other & 0x200 and not shadow and pic.pending():
            cpu.halted = False
            self._deliver(m, pic.acknowledge(), None, False, cpu.eip, cpu.eip)
            return True
        if cpu.halted and cpu.eflags_other & 0x200:
            return m.skip_to_next_event(NS_PER_INSTRUCTION)  # idle until a device has news
        return False

    def _deliver(self, m: Machine, vector: int, error, software: bool, return_eip: int, here: int) -> None:
        try:
            transfers.deliver(m.cpu, m, vector, error, software, return_eip, here)
        except transfers.TripleFault:
            raise EngineStop("triple-fault", f"triple fault delivering vector {vector}") from None
        except transfers.NotModelled as exc:
            raise EngineStop("error", f"not modelled: {exc}") from None
