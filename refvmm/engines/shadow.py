"""The shadow structures direct execution runs under: page tables and descriptor-table
copies in the monitor's memory, kept coherent with the guest's.

**Shadow page tables.** The backend always runs paged, on a page directory of the
monitor's. Guest pages are mapped on demand (a *hidden* fault): a page the backend
faults on is looked up through the guest's own tables with the VMM's page walk
(``Machine.translate``, which sets the accessed and dirty bits as the processor
would); a page the guest maps for its user code is filled in and the access retried,
anything else is left to the monitor to emulate (a *true* fault, delivered with the
error code and CR2 the interpreter finds). A page is first mapped read-only; the first
write to it faults again, walks as a write (setting the dirty bit) and makes it
writable, unless the page is *traced*: one the shadow was built from (the guest's page
directory and page tables, its GDT and LDT) or one another engine watches (translated
or compiled code). A write there is emulated, so every engine sees it; a write to a
table page from anywhere makes the shadow stale, and it is rebuilt at the next entry,
as are a change of CR0, CR3, CR4, GDTR or LDTR.

**The monitor's own pages** sit in the top 4 MiB of the linear space, mapped
supervisor-only: the guest runs at CPL 3 there, so any access it makes to that range
faults and is emulated against its own memory. Page protection keeps the monitor out
of the guest's reach, so guest segments need no truncation (and LSL shows their true
limits).

**Descriptor tables.** The backend's GDTR is the guest's own (base and limit, so SGDT
reads the guest's values): the shadow copy of the GDT is mapped, supervisor-only, at
the guest's GDT pages. The LDT copy lives in the monitor's pages under the guest's
LDTR selector and limit. Copies are exact, but for gates: a call gate or task gate
keeps its access rights (LAR reads them) with a null target, so a far transfer through
it faults before it changes anything and is emulated; and for a backend that checks
no segment limits (Unicorn), a code or data segment with a limit short of 4 GiB (or
expand-down) is not present in the copy, so loading one traps and the code that uses
it runs on the translator; one user code can see (DPL 3, or conforming code), whose
present bit LAR would read, keeps the guest out of direct execution, as does a DPL 3 TSS
descriptor (a task switch user code could start).

**naive-de** shadows the way a trap-and-emulate monitor without a translator would:
all guest code runs at CPL 3, so data and non-conforming code descriptors are
compressed to DPL 3 and the guest kernel's pages are mapped for it; the GDT and IDT the
backend uses are the monitor's, in its own range, as are CR0 and the selectors in LDTR
and TR. What follows is wrong exactly where x86 is not virtualizable (SGDT, SIDT,
SLDT, STR, SMSW, PUSHF, POPF, LAR, VERR, VERW, MOV and PUSH of CS and SS, far
transfers and IRET across compressed rings) and right elsewhere. Accessed bits the
backend sets in the copies are set in the guest's tables after each run.
"""

from __future__ import annotations

import struct

from ..cpu.exceptions import CpuFault
from ..cpu.segments import descriptor_segment
from ..hw.backend import MONITOR_LINEAR, MonitorMemory, SystemState
from ..machine import Machine

PAGE = 0x1000
PD_PAGE, MPT_PAGE = 0, 1  # the shadow page directory; the page table of the monitor's range
LDT_PAGE, LDT_PAGES = 4, 16
GDT_PAGE, GDT_PAGES = 20, 17  # 64 KiB, from any offset in its first page
POOL = 37  # page tables, handed out on demand
P, W, U, A = 1, 2, 4, 0x20
CR0_PE, CR0_PG = 1, 1 << 31
CR4_TSD, CR4_PSE = 4, 0x10
_DWORD = struct.Struct("<I")
# naive-de's CR0 as a monitor would keep it (PE, ET and NE set): SMSW shows it. The
# guest's MP, EM and TS go in, as a monitor that virtualizes the x87 puts them: the x87
# then traps (#NM) where the guest's CR0 says, which is no hole
NAIVE_CR0 = CR0_PG | 0x31
CR0_X87 = 0xE  # MP EM TS
# naive-de's LDTR and TR hold the selectors of the monitor's own LDT and TSS: SLDT and STR
# show them
NAIVE_LDTR, NAIVE_TR = 0xFFE8, 0xFFF0


class Shadow:
    def __init__(
        self, m: Machine, memory: MonitorMemory, segment_limits: bool = True, naive: bool = False
    ) -> None:
        self.m = m
        self.segment_limits = segment_limits  # whether the backend checks segment limits
        # naive-de: every privilege level compressed to CPL 3, the tables the backend uses
        # in the monitor's own range, the monitor's CR0 (the module's docstring)
        self.naive = naive
        self.cpl = 3  # the guest's CPL the shadow is built for
        self.mem = memory.data
        self.physical = memory.physical
        self.key: tuple | None = None  # the guest state the shadow was built for
        self.stale = True
        self.code_changed = False  # a page the backend runs from was written from outside
        self.system: SystemState | None = None
        self.refusal: str | None = None  # why the guest's tables cannot be shadowed
        self._pool = POOL
        self._mapped: dict[int, list[int]] = {}  # guest physical page -> offsets of its PTEs
        self._writable: set[int] = set()  # guest physical pages mapped writable
        self._traced: set[int] = set()  # guest physical pages the shadow was built from
        self._watching: set[int] = set()  # pages our watch is registered on
        self._gdt_pages: set[int] = set()  # linear pages where the GDT copy is mapped
        self._copies: list[tuple[int, int, int, bytes]] = []  # (guest linear, offset, limit, bytes copied)
        self._filling = False
        self.hidden_faults = 0
        self.traced_writes = 0
        self.rebuilds = 0
        # the monitor's range: its pages, supervisor-only, at MONITOR_LINEAR
        for page in range(POOL):
            self._pte(MPT_PAGE, page, (self.physical + page * PAGE) | P | W)

    # -- at every entry --
    def sync(self) -> bool:
        """Make the shadow agree with the guest; True when what the backend runs under
        changed (``system`` then holds it)."""
        cpu = self.m.cpu
        ldtr = cpu.ldtr
        tables = (cpu.gdtr, ldtr.selector, ldtr.base, ldtr.limit, cpu.tr.selector)
        key = (cpu.cr[0], cpu.cr[3], cpu.cr[4], tables, cpu.cpl)
        if self.stale or key != self.key:
            self._rebuild()
            self.key = key
            return True
        lost = [page for page in self._writable if self._foreign(page)]
        for page in lost:  # another engine now watches a page the guest could write directly
            self._protect(page)
        return bool(lost)

    def _rebuild(self) -> None:
        self.rebuilds += 1
        self.stale = False
        self.refusal = None
        self.mem[PD_PAGE * PAGE : PD_PAGE * PAGE + PAGE] = bytes(PAGE)
        _DWORD.pack_into(self.mem, 4 * 1023, (self.physical + MPT_PAGE * PAGE) | P | W)
        self._pool = POOL
        self._mapped.clear()
        self._writable.clear()
        self._traced.clear()
        self._gdt_pages.clear()
        self._copies = []
        cpu = self.m.cpu
        self.cpl = cpu.cpl
        gdt_base, gdt_limit = cpu.gdtr
        try:
            if self.naive:  # where a monitor keeps its own GDT: SGDT shows it
                self._copy(gdt_base, gdt_limit, GDT_PAGE * PAGE)
                gdt_base = MONITOR_LINEAR + GDT_PAGE * PAGE
            else:
                self._copy(gdt_base, gdt_limit, GDT_PAGE * PAGE + (gdt_base & 0xFFF))
                first, last = gdt_base >> 12, (gdt_base + gdt_limit) >> 12
                if last >= MONITOR_LINEAR >> 12 or last - first >= GDT_PAGES:
                    raise _Refused("the GDT lies in the monitor's range")
                for i, page in enumerate(range(first, last + 1)):
                    self._map(page, self.physical + (GDT_PAGE + i) * PAGE, P | W)
                    self._gdt_pages.add(page)
            ldt = cpu.ldtr
            if ldt.selector & 0xFFFC and ldt.limit:
                self._copy(ldt.base, ldt.limit, LDT_PAGE * PAGE)
        except _Refused as why:
            self.refusal = str(why)
        ldt = cpu.ldtr
        self.system = SystemState(
            gdtr=(gdt_base, gdt_limit),
            idtr=(MONITOR_LINEAR + MPT_PAGE * PAGE, 0x7FF) if self.naive else cpu.idtr,
            ldtr=(
                NAIVE_LDTR if self.naive else ldt.selector,
                MONITOR_LINEAR + LDT_PAGE * PAGE,
                ldt.limit,
                ldt.access or 0x82,
            ),
            tr=(
                NAIVE_TR if self.naive else cpu.tr.selector,
                cpu.tr.base,
                cpu.tr.limit,
                cpu.tr.access or 0x8B,
            ),
            # the guest's CR0 bits as they are, for SMSW; TSD: RDTSC traps and reads
            # virtual time
            cr0=NAIVE_CR0 | cpu.cr[0] & CR0_X87 if self.naive else cpu.cr[0] | CR0_PE | CR0_PG,
            cr3=self.physical + PD_PAGE * PAGE,
            cr4=(cpu.cr[4] & CR4_PSE) | CR4_TSD,
        )

    def _copy(self, base: int, limit: int, offset: int) -> None:
        """The descriptor table at linear ``base`` into the monitor's memory at ``offset``,
        with gates disarmed."""
        data = bytearray()
        for linear in range(base, base + limit + 1, 8):
            try:
                raw = self.m.read_qword(linear)
            except CpuFault:
                raise _Refused(f"descriptor table at {base:#x} not mapped") from None
            for page in {linear >> 12, (linear + 7) >> 12}:
                self._trace(self.m.translate(page << 12, False, False) >> 12)
            access = raw >> 40 & 0xFF
            if self.naive and access & 0x1C in (0x10, 0x14, 0x18) and access >> 5 & 3 != 3:
                raw |= 3 << 45  # ring compression: a data or non-conforming code segment at DPL 3
                access |= 0x60
            if access & 0x10 and not self.segment_limits and descriptor_segment(0, raw).limit != 0xFFFFFFFF:
                if access & 0x80 and (access >> 5 & 3 == 3 or access & 0x1C == 0x1C) and not self.naive:
                    # LAR at CPL 3 would read the copy's present bit: user code cannot run here
                    raise _Refused("a segment with a limit that user code can see (the backend checks none)")
                raw &= ~(1 << 47)  # not present: loading it traps, and the translator runs it
            elif not access & 0x10:  # a system descriptor
                kind = access & 0xF
                if kind in (4, 5, 0xC):  # call gate, task gate: a null target
                    raw &= ~0xFFFF0000
                elif kind in (1, 3, 9, 0xB) and access >> 5 & 3 == 3:
                    raise _Refused("a TSS descriptor user code can switch to")
            data += raw.to_bytes(8, "little")
        data = bytes(data[: limit + 1])
        self.mem[offset : offset + len(data)] = data
        self._copies.append((base, offset, limit, data))

    def accessed_bits(self) -> None:
        """Accessed bits the backend set in the descriptor copies, into the guest's tables."""
        for i, (base, offset, limit, data) in enumerate(self._copies):
            now = self.mem[offset : offset + len(data)]
            if now == data:
                continue
            for at in range(5, len(data), 8):
                if now[at] & 1 and not data[at] & 1:  # as the processor would, in the guest's own
                    self.m.write(base + at, 1, self.m.read(base + at, 1) | 1)
            self._copies[i] = (base, offset, limit, bytes(now))

    # -- hidden faults --
    def fill(self, linear: int) -> bool:
        """The backend faulted at ``linear``: map what the guest maps for user code there
        (True: retry), or False when the access must be emulated."""
        page = linear >> 12
        if linear >= MONITOR_LINEAR or page in self._gdt_pages or self.refusal:
            return False
        m = self.m
        mapped = self._entry(page)
        self._filling = True  # the walk's own accessed and dirty bits change no mapping
        try:
            user = self.cpl == 3  # naive-de maps the guest kernel's pages for its CPL 0 code
            if mapped & P:  # mapped read-only: the fault was a write
                physical = m.translate(linear, True, user) >> 12
                if self._foreign(physical) or physical in self._traced:
                    self.traced_writes += 1
                    return False
                self._map(page, physical << 12, P | W | U)
                self._writable.add(physical)
            else:
                physical = m.translate(linear, False, user) >> 12
                if (physical + 1) * PAGE > len(m.ram):
                    return False  # not RAM: the interpreter reaches it
                if m.cpu.cr[0] & CR0_PG:
                    self._trace_walk(linear)
                self._map(page, physical << 12, P | U)
                self._watch(physical)
        except CpuFault:
            return False  # a true fault: the interpreter delivers it
        finally:
            self._filling = False
        self.hidden_faults += 1
        return True

    def _trace_walk(self, linear: int) -> None:
        cpu = self.m.cpu
        directory = cpu.cr[3] >> 12
        self._trace(directory)
        pde = self.m.phys_read((directory << 12) + 4 * (linear >> 22), 4)
        if not (pde & 0x80 and cpu.cr[4] & CR4_PSE):
            self._trace(pde >> 12)

    def snapshot(self) -> list[tuple[int, bytes]]:
        """The pages the backend can write now (only a trap makes more writable)."""
        ram = self.m.ram
        return [(page, ram[page * PAGE : (page + 1) * PAGE]) for page in self._writable]

    def restore(self, pages: list[tuple[int, bytes]]) -> bool:
        """The pages as ``snapshot`` found them; whether any had changed."""
        ram = self.m.ram
        changed = False
        for page, data in pages:
            span = slice(page * PAGE, (page + 1) * PAGE)
            if ram[span] != data:
                ram[span] = data
                changed = True
        return changed

    def present(self, page: int) -> bool:
        return bool(self._entry(page) & P)

    # -- the tables --
    def _entry(self, page: int) -> int:
        pde = _DWORD.unpack_from(self.mem, 4 * (page >> 10))[0]
        if not pde & P:
            return 0
        table = (pde - self.physical) >> 12
        return _DWORD.unpack_from(self.mem, table * PAGE + 4 * (page & 0x3FF))[0]

    def _map(self, page: int, frame: int, bits: int) -> None:
        at = 4 * (page >> 10)
        pde = _DWORD.unpack_from(self.mem, at)[0]
        if not pde & P:
            if self._pool * PAGE >= len(self.mem):
                self.stale = True  # out of page tables: start again at the next entry
                raise CpuFault(14, 0, page << 12)
            table = self._pool
            self._pool += 1
            self.mem[table * PAGE : table * PAGE + PAGE] = bytes(PAGE)
            _DWORD.pack_into(self.mem, at, (self.physical + table * PAGE) | P | W | U)
        else:
            table = (pde - self.physical) >> 12
        self._pte(table, page & 0x3FF, frame | bits)
        if frame < len(self.m.ram):
            offsets = self._mapped.setdefault(frame >> 12, [])
            offset = table * PAGE + 4 * (page & 0x3FF)
            if offset not in offsets:
                offsets.append(offset)

    def _pte(self, table: int, index: int, value: int) -> None:
        _DWORD.pack_into(self.mem, table * PAGE + 4 * index, value)

    def _protect(self, physical: int) -> None:
        self._writable.discard(physical)
        for offset in self._mapped.get(physical, ()):
            value = _DWORD.unpack_from(self.mem, offset)[0]
            _DWORD.pack_into(self.mem, offset, value & ~W)

    # -- watching guest memory --
    def _trace(self, physical: int) -> None:
        if physical not in self._traced:
            self._traced.add(physical)
            if physical in self._writable:
                self._protect(physical)
            self._watch(physical)

    def _watch(self, physical: int) -> None:
        if physical not in self._watching:
            self._watching.add(physical)
            self.m.watch_code_page(physical, self._written)

    def _foreign(self, physical: int) -> bool:
        """Whether an engine other than this one watches the page."""
        return any(callback != self._written for callback in self.m.code_pages.get(physical, ()))

    def _written(self, physical: int) -> None:
        """A write from outside the backend (an engine, a device) to a page we watch."""
        self._watching.discard(physical)
        if physical in self._traced:
            if self._filling:
                self._watch(physical)
            else:
                self.stale = True
        if physical in self._mapped:
            self.code_changed = True
            self._watch(physical)  # still mapped: keep watching


class _Refused(Exception):
    pass
