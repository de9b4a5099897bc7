"""Interrupt and exception delivery for an oracle that has none (Unicorn).

Unicorn hands every interrupt and exception to a hook with only the vector and
does nothing architectural with it. This module does what the CPU would (Intel
SDM vol. 3A, 6.12 "Exception and interrupt handling"), against an abstract CPU
(`Cpu`) so it can be tested without Unicorn:

* real mode: the IVT at IDTR.base; push FLAGS, CS, IP; clear IF, TF, AC.
* protected mode: the IDT gate (limit, type, present, DPL against CPL for software
  interrupts), the target code segment (present, code, DPL), a stack switch through
  the 32-bit TSS when the handler is more privileged, the 16- or 32-bit frame with
  the old SS:ESP on a privilege change, the error code for vectors that push one;
  clear TF, NT, RF, VM and, for interrupt gates, IF.
* faults raised while delivering (limit, not present, page fault on the new stack)
  are delivered in turn, escalating to #DF by the SDM's contributory/benign table
  (vol. 3A table 6-5), and a fault while delivering #DF is a triple fault.

What the delivery layer computes itself and what it takes from the engine is
listed in docs of the Unicorn oracle (conformance/oracles/unicorn.py).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Protocol

from .. import layout as L

CONTRIBUTORY = frozenset({0, 10, 11, 12, 13})
EFLAGS_TF, EFLAGS_IF, EFLAGS_NT, EFLAGS_RF, EFLAGS_VM, EFLAGS_AC = (
    1 << 8,
    1 << 9,
    1 << 14,
    1 << 16,
    1 << 17,
    1 << 18,
)


class Cpu(Protocol):
    """What delivery needs from an engine. Addresses are physical."""

    def get(self, reg: str) -> int: ...
    def table(self, name: str) -> tuple[int, int]: ...  # gdtr/idtr/ldtr/tr -> (base, limit)
    def read(self, addr: int, size: int) -> bytes: ...
    def write(self, addr: int, data: bytes) -> None: ...
    def set_cr2(self, value: int) -> None: ...
    # load a new task's state (vol. 3A 7.3 steps 10-13): TR from its descriptor, CR0.TS,
    # CR3 (None: kept), EFLAGS, EIP, the general registers, ES CS SS DS FS GS and LDTR
    def switch_task(
        self,
        tr: int,
        descriptor: int,
        cr3: int | None,
        eflags: int,
        eip: int,
        gprs,
        segs,
        ldt: int,
        ldt_raw: int,
    ) -> None: ...

    # the handler's CS:EIP, EFLAGS, SS:ESP (SS None: unchanged) and CPL; ``null_data``: load
    # ES, DS, FS and GS with null selectors (an event from virtual-8086 mode)
    def enter(
        self, cs: int, eip: int, eflags: int, ss: int | None, esp: int, cpl: int, null_data: bool = False
    ) -> None: ...


class Fault(Exception):
    def __init__(self, vector: int, error: int | None = None, cr2: int | None = None):
        super().__init__(vector, error)
        self.vector, self.error, self.cr2 = vector, error, cr2


class TripleFault(Exception):
    pass


class Unsupported(Exception):
    """Something the delivery layer does not model (task gates, v8086 ...)."""


@dataclass
class Descriptor:
    raw: int

    @property
    def base(self) -> int:
        r = self.raw
        return ((r >> 16) & 0xFFFFFF) | (((r >> 56) & 0xFF) << 24)

    @property
    def limit(self) -> int:
        r = self.raw
        lim = (r & 0xFFFF) | (((r >> 48) & 0xF) << 16)
        return (lim << 12) | 0xFFF if (r >> 55) & 1 else lim

    @property
    def access(self) -> int:
        return (self.raw >> 40) & 0xFF

    @property
    def present(self) -> bool:
        return bool(self.access & 0x80)

    @property
    def dpl(self) -> int:
        return (self.access >> 5) & 3

    @property
    def system(self) -> bool:
        return not self.access & 0x10

    @property
    def type(self) -> int:
        return self.access & 0xF

    @property
    def is_code(self) -> bool:
        return not self.system and bool(self.type & 0x8)

    @property
    def conforming(self) -> bool:
        return self.is_code and bool(self.type & 0x4)

    @property
    def big(self) -> bool:
        return bool((self.raw >> 54) & 1)


class Delivery:
    def __init__(self, cpu: Cpu):
        self.cpu = cpu
        # the last error code pushed, and the physical addresses of its bytes (empty: none)
        self.pushed_error: int | None = None
        self.error_slot: list[int] = []

    # -- memory through segmentation-free linear addresses (paging if enabled) --
    def translate(self, linear: int, write: bool) -> int:
        cpu = self.cpu
        linear &= 0xFFFFFFFF
        if not cpu.get("cr0") & 0x80000000:
            return linear
        pd = cpu.get("cr3") & 0xFFFFF000
        pde_addr = pd + 4 * (linear >> 22)
        (pde,) = struct.unpack("<I", cpu.read(pde_addr, 4))
        # Implicit supervisor access: error code bit 0 = present, bit 1 = write.
        err = 2 if write else 0
        if not pde & 1:
            raise Fault(14, err, linear)
        if pde & 0x80 and cpu.get("cr4") & 0x10:
            if write and not pde & 2 and cpu.get("cr0") & 0x10000:
                raise Fault(14, err | 1, linear)
            cpu.write(pde_addr, struct.pack("<I", pde | 0x20 | (0x40 if write else 0)))
            return (pde & 0xFFC00000) | (linear & 0x3FFFFF)
        pte_addr = (pde & 0xFFFFF000) + 4 * ((linear >> 12) & 0x3FF)
        (pte,) = struct.unpack("<I", cpu.read(pte_addr, 4))
        if not pte & 1:
            raise Fault(14, err, linear)
        if write and cpu.get("cr0") & 0x10000 and not (pde & pte & 2):
            raise Fault(14, err | 1, linear)
        cpu.write(pde_addr, struct.pack("<I", pde | 0x20))
        cpu.write(pte_addr, struct.pack("<I", pte | 0x20 | (0x40 if write else 0)))
        return (pte & 0xFFFFF000) | (linear & 0xFFF)

    def read_linear(self, linear: int, size: int) -> bytes:
        return b"".join(self.cpu.read(self.translate(linear + i, False), 1) for i in range(size))

    def write_linear(self, linear: int, data: bytes) -> None:
        for i, b in enumerate(data):
            self.cpu.write(self.translate(linear + i, True), bytes([b]))

    def descriptor(self, selector: int, ext: int) -> Descriptor:
        name = "ldtr" if selector & 4 else "gdtr"
        base, limit = self.cpu.table(name)
        index = selector & 0xFFF8
        if index + 7 > limit:
            raise Fault(13, (selector & 0xFFFC) | ext)
        return Descriptor(struct.unpack("<Q", self.read_linear(base + index, 8))[0])

    def v86(self) -> bool:
        return bool(self.cpu.get("cr0") & 1 and self.cpu.get("eflags") & EFLAGS_VM)

    def segment_base(self, selector: int) -> int:
        if not self.cpu.get("cr0") & 1 or self.v86():
            return (selector & 0xFFFF) << 4
        if selector & 0xFFFC == 0:
            return 0
        return self.descriptor(selector, 0).base

    def cpl(self) -> int:
        if self.v86():
            return 3
        return self.cpu.get("cs") & 3 if self.cpu.get("cr0") & 1 else 0

    def software_length(self, vector: int) -> int:
        """The length of the INT n / INT3 / INTO before EIP that raised ``vector``,
        or 0 when the vector did not come from one.

        Unicorn does not say; the instruction bytes before EIP do. A fault whose
        instruction happens to follow such bytes would be misread, which the
        corpus avoids."""
        try:
            cs_base = self.segment_base(self.cpu.get("cs"))
            eip = self.cpu.get("eip")
            before = self.read_linear(cs_base + eip - 2, 2)
        except (Fault, Unsupported):
            return 0
        if before[0] == 0xCD and before[1] == vector:
            return 2
        return 1 if (vector, before[1]) in ((3, 0xCC), (4, 0xCE)) else 0

    # -- delivery --
    def deliver(self, vector: int, error: int | None, software_length: int = 0, fault: bool = False) -> None:
        """Deliver ``vector``; escalate faults raised on the way per the SDM.

        ``software_length`` is the length of the INT n / INT3 / INTO that raised it
        (0 for an exception): a fault while delivering a software interrupt is
        reported at that instruction, not after it. ``fault``: an instruction's fault,
        whose frame carries RF = 1 (SDM vol. 3A 17.3.1.1: every fault-class exception but
        an instruction-breakpoint #DB), which Unicorn does not push."""
        software = software_length > 0
        self.pushed_error, self.error_slot = None, []
        eip = self.cpu.get("eip")
        first = (vector, software)
        event: tuple[int, int | None, bool] = (vector, error, software)
        for _ in range(4):
            v, err, soft = event
            try:
                self._deliver_once(v, err, soft, eip, fault and v in L.FAULT_VECTORS)
                return
            except Fault as f:
                if soft:
                    eip -= software_length
                if f.cr2 is not None:
                    self.cpu.set_cr2(f.cr2)
                if v == 8:
                    raise TripleFault() from None
                benign = first[1] or first[0] not in CONTRIBUTORY | {14}
                contributory_pair = first[0] in CONTRIBUTORY and f.vector in CONTRIBUTORY
                pf_pair = first[0] == 14 and (f.vector == 14 or f.vector in CONTRIBUTORY)
                if not benign and (contributory_pair or pf_pair):
                    event = (8, 0, False)
                else:
                    event = (f.vector, f.error, False)
                first = (event[0], False)
                fault = True
        raise TripleFault()

    def _task_gate(self, selector: int, error: int | None, ext: int, eip: int, eflags: int) -> None:
        """SDM vol. 2 INT n, TASK-GATE, and vol. 3A 7.3: a nested switch to a 32-bit task
        whose state is valid, then the error code on its stack. What a test of the
        switch's own faults needs (faults of the new task's state, 16-bit or
        virtual-8086 tasks) is left to the engines' hand-worked expectations."""
        cpu, err = self.cpu, (selector & 0xFFFC) | ext
        gdt_base, gdt_limit = cpu.table("gdtr")
        if selector & 4 or (selector & 0xFFF8) + 7 > gdt_limit:
            raise Fault(13, err)
        address = gdt_base + (selector & 0xFFF8)
        new = Descriptor(struct.unpack("<Q", self.read_linear(address, 8))[0])
        if not new.system or new.type not in (0x1, 0x9):  # an idle TSS
            raise Fault(13, err)
        if not new.present:
            raise Fault(11, err)
        if new.type != 0x9 or not cpu.get("tr_type") & 0x8:  # (Unicorn's TR cache may say idle)
            raise Unsupported("a task gate to or from a 16-bit task")
        if new.limit < 0x67:
            raise Fault(10, err)
        fields = struct.unpack("<26I", self.read_linear(new.base, 0x68))
        eip_new, eflags_new, gprs = fields[8], fields[9], fields[10:18]
        segs = [value & 0xFFFF for value in fields[18:24]]  # ES CS SS DS FS GS
        if eflags_new & EFLAGS_VM or not segs[1] & 0xFFFC or not segs[2] & 0xFFFC:
            raise Unsupported("a task gate to a virtual-8086 task or one without CS and SS")
        old_base = cpu.table("tr")[0]
        names = ("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "es", "cs", "ss", "ds", "fs", "gs")
        self.write_linear(old_base + 0x20, struct.pack("<II", eip, eflags))
        self.write_linear(old_base + 0x28, struct.pack("<14I", *(cpu.get(n) for n in names)))
        self.write_linear(new.base, struct.pack("<H", cpu.get("tr_sel")))  # the back link
        self.write_linear(address + 5, bytes([new.access | 0x02]))
        cr3 = fields[7] if cpu.get("cr0") & 0x80000000 else None
        ldt = fields[24] & 0xFFFF
        ldt_raw = self.descriptor(ldt, 0).raw if ldt & 0xFFFC else 0
        busy = new.raw | 0x02 << 40
        cpu.switch_task(selector, busy, cr3, eflags_new | EFLAGS_NT, eip_new, gprs, segs, ldt, ldt_raw)
        if error is not None:
            esp = (cpu.get("esp") - 4) & 0xFFFFFFFF
            slot = self.segment_base(cpu.get("ss")) + esp
            self.write_linear(slot, struct.pack("<I", error))
            self.pushed_error = error
            self.error_slot = [self.translate(slot + i, True) for i in range(4)]
            cpu.enter(cpu.get("cs"), eip_new, eflags_new | EFLAGS_NT, None, esp, segs[1] & 3)

    def _deliver_once(self, vector: int, error: int | None, software: bool, eip: int, rf: bool) -> None:
        cpu = self.cpu
        eflags = cpu.get("eflags")
        if not cpu.get("cr0") & 1:
            base, limit = cpu.table("idtr")
            if 4 * vector + 3 > limit:
                raise Fault(13, None)
            ip, seg = struct.unpack("<HH", cpu.read(base + 4 * vector, 4))
            ss = cpu.get("ss")
            sp = cpu.get("esp") & 0xFFFF
            # FLAGS, CS and IP pushed in turn, SP wrapping within the 64 KiB segment
            for value in (eflags & 0xFFFF, cpu.get("cs"), eip & 0xFFFF):
                sp = (sp - 2) & 0xFFFF
                cpu.write((ss << 4) + sp, struct.pack("<H", value))
            new_flags = eflags & ~(EFLAGS_IF | EFLAGS_TF | EFLAGS_AC)
            cpu.enter(seg, ip, new_flags, None, (cpu.get("esp") & 0xFFFF0000) | sp, 0)
            return
        v86 = bool(eflags & EFLAGS_VM)
        ext = 0 if software else 1
        idt_base, idt_limit = cpu.table("idtr")
        if 8 * vector + 7 > idt_limit:
            raise Fault(13, 8 * vector + 2 + ext)
        gate = Descriptor(struct.unpack("<Q", self.read_linear(idt_base + 8 * vector, 8))[0])
        gtype = gate.access & 0x1F
        cpl = self.cpl()
        if gtype not in (0x05, 0x06, 0x07, 0x0E, 0x0F):
            raise Fault(13, 8 * vector + 2 + ext)
        if software and gate.dpl < cpl:
            raise Fault(13, 8 * vector + 2)
        if not gate.present:
            raise Fault(11, 8 * vector + 2 + ext)
        if gtype == 0x05:
            self._task_gate((gate.raw >> 16) & 0xFFFF, error, ext, eip, eflags)
            return
        selector = (gate.raw >> 16) & 0xFFFF
        offset = (gate.raw & 0xFFFF) | (((gate.raw >> 48) & 0xFFFF) << 16)
        gate32 = bool(gtype & 0x8)
        if selector & 0xFFFC == 0:
            raise Fault(13, ext)
        target = self.descriptor(selector, ext)
        if not target.is_code or target.dpl > cpl:
            raise Fault(13, (selector & 0xFFFC) | ext)
        if not target.present:
            raise Fault(11, (selector & 0xFFFC) | ext)
        if v86 and (target.conforming or target.dpl != 0):
            raise Fault(13, (selector & 0xFFFC) | ext)  # virtual-8086 mode: only to CPL 0
        new_cpl = cpl if target.conforming else target.dpl
        if not gate32:
            offset &= 0xFFFF
        size = 4 if gate32 else 2
        # RF: 1 for a fault; else 0, as an instruction completed since the IRET that set it
        # (Unicorn never clears it; see unicorn.py)
        old = [eflags | EFLAGS_RF if rf else eflags & ~EFLAGS_RF, cpu.get("cs"), eip]
        if new_cpl < cpl:
            tr_base, tr_limit = cpu.table("tr")
            # SPn, SSn words at 2 + 4n in a 16-bit TSS, ESPn, SSn at 4 + 8n in a 32-bit one;
            # #TS unless the TSS reaches the SS slot's low word (SDM vol. 2 INT n)
            width = 2 if cpu.get("tr_type") in (1, 3) else 4
            slot = 2 * width * new_cpl + width
            if slot + width + 1 > tr_limit:
                raise Fault(10, (cpu.get("tr_sel") & 0xFFFC) | ext)
            esp_new = int.from_bytes(self.read_linear(tr_base + slot, width), "little")
            ss_new = int.from_bytes(self.read_linear(tr_base + slot + width, 2), "little")
            ss_desc = self.descriptor(ss_new, ext)
            if ss_new & 0xFFFC == 0 or (ss_new & 3) != new_cpl or ss_desc.dpl != new_cpl:
                raise Fault(10, (ss_new & 0xFFFC) | ext)
            if not ss_desc.present:
                raise Fault(12, (ss_new & 0xFFFC) | ext)
            values = [cpu.get("ss"), cpu.get("esp"), *old]
            if v86:  # GS, FS, DS and ES first, then the rest (SDM vol. 2 INT n)
                values = [cpu.get(name) for name in ("gs", "fs", "ds", "es")] + values
            stack_base, esp, ss = ss_desc.base, esp_new, ss_new
            big = ss_desc.big
        else:
            values = old
            ss = None
            esp = cpu.get("esp")
            ss_sel = cpu.get("ss")
            ss_desc = self.descriptor(ss_sel, ext) if ss_sel & 0xFFFC else None
            stack_base = ss_desc.base if ss_desc else 0
            big = ss_desc.big if ss_desc else True
        if error is not None:
            values.append(error)
        mask = 0xFFFFFFFF if big else 0xFFFF
        fmt = "<I" if size == 4 else "<H"
        for value in values:
            esp_next = (esp - size) & mask
            self.write_linear(
                stack_base + esp_next,
                struct.pack(fmt, value & (0xFFFFFFFF if size == 4 else 0xFFFF)),
            )
            esp = (esp & ~mask) | esp_next
        if error is not None:  # the last value pushed
            self.pushed_error = error
            self.error_slot = [self.translate(stack_base + esp_next + i, True) for i in range(size)]
        new_flags = eflags & ~(EFLAGS_TF | EFLAGS_NT | EFLAGS_RF | EFLAGS_VM)
        if not gtype & 1:
            new_flags &= ~EFLAGS_IF
        cpu.enter((selector & 0xFFFC) | new_cpl, offset, new_flags, ss, esp, new_cpl, null_data=v86)
