"""The machine: guest physical memory, the virtual CPU state, the I/O bus, virtual time.

Engines only execute (``engine.run(machine, budget) -> exit reason``); everything
guest-visible lives here, so a run can switch engines between two calls. Time is
virtual: the count of retired instructions.

Atomicity is one rule, kept here: an engine takes a ``checkpoint()`` (the CPU state,
and a mark in the journal of memory writes), and ``rollback()`` puts the CPU and
memory back as they were at it. An engine checkpoints at boundaries of its choosing
and, when an instruction faults, rolls back and replays the instructions since (see
``refvmm.engines.core``), so a faulting instruction leaves nothing behind that the
SDM does not say it leaves (the completed iterations of a REP string instruction;
accessed and dirty bits in the page tables).
"""

from __future__ import annotations

import ctypes
import mmap
from typing import Protocol

from .cpu.exceptions import CpuFault
from .cpu.state import CR0_PG, CR0_WP, CR4_PSE, CpuState


class IoBus(Protocol):
    def read(self, port: int, size: int) -> int: ...
    def write(self, port: int, size: int, value: int) -> bool:
        """Return True when the write ends the run (a shutdown or exit port)."""


class NullBus:
    def read(self, port: int, size: int) -> int:
        return (1 << (8 * size)) - 1

    def write(self, port: int, size: int, value: int) -> bool:
        return False


PAGE = 0x1000


class Machine:
    def __init__(self, ram_size: int, io: IoBus | None = None):
        if ram_size <= 0 or ram_size % PAGE:
            raise ValueError(f"RAM is a positive number of 4 KiB pages, not {ram_size} bytes")
        # anonymous, page-aligned memory: a hardware backend maps this very memory (Unicorn's
        # mem_map_ptr, a KVM memory slot) instead of a copy; ``ram_address`` is where it is
        self.ram = mmap.mmap(-1, ram_size)
        self.cpu = CpuState()
        self.io = io or NullBus()
        self.retired = 0  # virtual time
        self.stop_requested = False
        self.msrs: dict[int, int] = {}
        self.rom = b""  # the BIOS image, mapped at the top of the 4 GiB space
        # physical page -> callbacks to run when code in it is written (translation-cache
        # coherency), and which of its bytes the code is (a mask, bit n for offset n): a write
        # to data beside code leaves the code's translations alone
        self.code_pages: dict[int, list] = {}
        self.code_bytes: dict[int, int] = {}
        self.code_writes = 0  # how many times a watched code page was written
        # external interrupts: a controller (pending()/acknowledge() -> vector) and the
        # devices whose state moves with virtual time (poll()/next_event_ns())
        self.interrupt_controller = None
        self.timed_devices: list = []
        # what the CPU's FERR# output drives (``devices.misc.CoprocessorError``), or None:
        # nothing, so the x87 goes on as if IGNNE# were asserted (refvmm.cpu.fpu)
        self.ferr = None
        self.idle = 0  # virtual time spent halted, in instruction units
        self._tlb: dict[tuple[int, bool, bool], int] = {}  # (page, write, user) -> physical page
        # (physical address, the bytes it held) for each write since the checkpoint
        self.journal: list[tuple[int, bytes]] = []
        # RAM was written around the journal since the checkpoint (a hardware backend ran
        # the guest): a rollback could not undo it, so the engine's core checkpoints again
        self.unjournalled = False
        self._saved: tuple = self.cpu.save()
        self._ferr_saved = None
        self.checkpoint_retired = 0  # ``retired`` when the checkpoint was taken

    def ram_address(self) -> int:
        """The host address of guest RAM, for a backend that maps it."""
        return ctypes.addressof(ctypes.c_char.from_buffer(self.ram))

    def request_stop(self) -> None:
        """Ask the running engine to stop at the next instruction boundary (a backend's hook,
        a device, a signal handler)."""
        self.stop_requested = True

    # -- atomicity --
    def checkpoint(self) -> None:
        """Remember the CPU state (with the FERR# latch, which x87 instructions drive) and
        start a new journal of memory writes."""
        self._saved = self.cpu.save()
        if self.ferr is not None:
            self._ferr_saved = self.ferr.save()
        self.checkpoint_retired = self.retired
        self.unjournalled = False
        if self.journal:
            self.journal = []

    def rollback(self) -> None:
        """CPU and memory as they were at the checkpoint. Restored bytes drop translations
        of their pages like any write."""
        journal = self.journal
        self.journal = []
        for addr, old in reversed(journal):
            self._store(addr, old)
        self.cpu.restore(self._saved)
        if self.ferr is not None:
            self.ferr.restore(self._ferr_saved)
        self._tlb.clear()  # the tables or CR3 may have been restored under it

    # -- virtual time and external interrupts --
    def now_instructions(self) -> int:
        """Virtual time in instruction units: retired instructions plus time spent halted."""
        return self.retired + self.idle

    def poll_devices(self) -> None:
        for device in self.timed_devices:
            device.poll()

    def skip_to_next_event(self, ns_per_instruction: int) -> bool:
        """While halted: move virtual time to the next device event; False if there is none."""
        events = [e for d in self.timed_devices if (e := d.next_event_ns()) is not None]
        if not events:
            return False
        target = -(-min(events) // ns_per_instruction)  # round up to whole instruction units
        self.idle += max(0, target - self.now_instructions())
        self.poll_devices()
        return True

    # -- firmware --
    def map_rom(self, data: bytes) -> None:
        """Map a BIOS image the PC way: its top at 4 GiB (where the reset vector is) and
        its last 128 KiB also below 1 MiB, at 0xE0000-0xFFFFF (the copy is RAM here, as
        if the chipset shadowed it)."""
        if not data or len(data) % 0x10000 or len(data) > 0x40000:
            raise ValueError(f"a BIOS image is 64, 128, 192 or 256 KiB, not {len(data)} bytes")
        self.rom = bytes(data)
        low = self.rom[-0x20000:]
        self.ram[0x100000 - len(low) : 0x100000] = low

    def _outside_ram(self, addr: int) -> int:
        offset = addr - (0x100000000 - len(self.rom))
        return self.rom[offset] if self.rom and 0 <= offset < len(self.rom) else 0xFF

    # -- physical memory (beyond RAM: the BIOS alias below 4 GiB, else all ones; writes dropped) --
    def phys_read(self, addr: int, size: int) -> int:
        end = addr + size
        if end <= len(self.ram):
            return int.from_bytes(self.ram[addr:end], "little")
        data = bytes(self.ram[a] if a < len(self.ram) else self._outside_ram(a) for a in range(addr, end))
        return int.from_bytes(data, "little")

    def watch_code_page(self, page: int, on_write, offset: int = 0, length: int = PAGE) -> None:
        """Call ``on_write(page)`` once, at the next write to physical ``page`` that reaches
        the ``length`` bytes at ``offset`` in it or any other bytes watched there."""
        watchers = self.code_pages.setdefault(page, [])
        if on_write not in watchers:
            watchers.append(on_write)
        self.code_bytes[page] = self.code_bytes.get(page, 0) | ((1 << length) - 1) << offset

    def _code_written(self, page: int, offset: int, length: int) -> None:
        """``length`` bytes at ``offset`` in a watched page are written: if code is there,
        tell its watchers, who drop what they made of the page."""
        if not self.code_bytes.get(page, 0) >> offset & ((1 << length) - 1):
            return
        self.code_writes += 1  # a translated block running now must stop after this instruction
        del self.code_bytes[page]
        for on_write in self.code_pages.pop(page, ()):
            on_write(page)

    def _written_range(self, addr: int, length: int) -> None:
        """Tell the watchers of each code page that ``length`` bytes at ``addr`` reach."""
        end = addr + length
        for page in range(addr >> 12, ((end - 1) >> 12) + 1):
            if page in self.code_pages:
                start = max(addr, page << 12)
                self._code_written(page, start & 0xFFF, min(end, (page + 1) << 12) - start)

    def bus_master_write(self, addr: int, length: int) -> None:
        """Something other than an engine is about to write RAM at ``addr`` (a device's DMA,
        a hardware backend running the guest): drop what was translated from it."""
        if self.code_pages:
            self._written_range(addr, length)

    def phys_write(self, addr: int, size: int, value: int) -> None:
        """A write by the CPU for an instruction: journalled, so a fault can undo it."""
        end = addr + size
        ram = self.ram
        data = (value & ((1 << (8 * size)) - 1)).to_bytes(size, "little")
        pages = self.code_pages
        if end <= len(ram) and not (pages and (addr >> 12 in pages or (end - 1) >> 12 in pages)):
            # the common case (RAM, no translated code there), inline: _store's work
            self.journal.append((addr, ram[addr:end]))  # a slice of the mmap is a copy
            ram[addr:end] = data
            return
        if addr < len(ram):
            self.journal.append((addr, ram[addr:end]))
        self._store(addr, data)

    def _store(self, addr: int, data: bytes) -> None:
        """Bytes into RAM (what lies beyond it is dropped), dropping translated code there."""
        if self.code_pages:
            self._written_range(addr, len(data))
        end = addr + len(data)
        if end <= len(self.ram):
            self.ram[addr:end] = data
        elif addr < len(self.ram):
            self.ram[addr:] = data[: len(self.ram) - addr]

    # -- paging --
    def flush_tlb(self, linear: int | None = None) -> None:
        if linear is None:
            self._tlb.clear()
        else:
            page = linear >> 12
            for key in [k for k in self._tlb if k[0] == page]:
                del self._tlb[key]

    def translate(self, linear: int, write: bool, user: bool) -> int:
        """Linear to physical; raises #PF with the SDM error code and the address for CR2."""
        linear &= 0xFFFFFFFF
        cpu = self.cpu
        if not cpu.cr[0] & CR0_PG:
            return linear
        key = (linear >> 12, write, user)
        page = self._tlb.get(key)
        if page is not None:
            return page | (linear & 0xFFF)
        err = (2 if write else 0) | (4 if user else 0)
        pde_addr = (cpu.cr[3] & 0xFFFFF000) + 4 * (linear >> 22)
        pde = self.phys_read(pde_addr, 4)
        if not pde & 1:
            self._page_fault(linear, err)
        if pde & 0x80 and cpu.cr[4] & CR4_PSE:
            if pde & 0x3FE000:  # bits 21:13 are reserved without PSE-36 (SDM vol. 3A 4.3)
                self._page_fault(linear, err | 8 | 1)
            self._check(pde, pde, write, user, linear, err)
            self._set_table_entry(pde_addr, pde | 0x20 | (0x40 if write else 0))
            physical = (pde & 0xFFC00000) | (linear & 0x3FF000)
        else:
            pte_addr = (pde & 0xFFFFF000) + 4 * ((linear >> 12) & 0x3FF)
            pte = self.phys_read(pte_addr, 4)
            if not pte & 1:
                self._page_fault(linear, err)
            self._check(pde, pte, write, user, linear, err)
            if not pde & 0x20:
                self._set_table_entry(pde_addr, pde | 0x20)
            new = pte | 0x20 | (0x40 if write else 0)
            if new != pte:
                self._set_table_entry(pte_addr, new)
            physical = pte & 0xFFFFF000
        self._tlb[key] = physical
        return physical | (linear & 0xFFF)

    def _set_table_entry(self, addr: int, entry: int) -> None:
        """Accessed and dirty bits: set by the page walk, kept when the access faults later."""
        self._store(addr, (entry & 0xFFFFFFFF).to_bytes(4, "little"))

    def _check(self, pde: int, pte: int, write: bool, user: bool, linear: int, err: int) -> None:
        if user and not (pde & pte & 4):
            self._page_fault(linear, err | 1)
        if write and not (pde & pte & 2) and (user or self.cpu.cr[0] & CR0_WP):
            self._page_fault(linear, err | 1)

    @staticmethod
    def _page_fault(linear: int, err: int) -> None:
        raise CpuFault(14, err, linear)  # CR2 is loaded when the fault is delivered

    # -- linear memory, as the CPU accesses it --
    def read(self, linear: int, size: int, user: bool = False, write: bool = False) -> int:
        """``write``: the read of a read-modify-write, which the page walk checks as a write
        (a fault on it reports W = 1, as the processor does)."""
        if not self.cpu.cr[0] & CR0_PG:
            return self.phys_read(linear & 0xFFFFFFFF, size)
        if (linear & 0xFFF) + size <= 0x1000:
            return self.phys_read(self.translate(linear, write, user), size)
        return sum(self.phys_read(self.translate(linear + i, write, user), 1) << (8 * i) for i in range(size))

    def write(self, linear: int, size: int, value: int, user: bool = False) -> None:
        if not self.cpu.cr[0] & CR0_PG:
            self.phys_write(linear & 0xFFFFFFFF, size, value)
            return
        if (linear & 0xFFF) + size <= 0x1000:
            self.phys_write(self.translate(linear, True, user), size, value)
            return
        physical = [self.translate(linear + i, True, user) for i in range(size)]  # fault before writing
        for i, p in enumerate(physical):
            self.phys_write(p, 1, value >> (8 * i))

    def read_qword(self, linear: int) -> int:
        lo, hi = self.read(linear, 4), self.read(linear + 4, 4)
        return lo | hi << 32

    def load(self, chunks: list[tuple[int, bytes]]) -> None:
        for addr, blob in chunks:
            if addr < 0 or addr + len(blob) > len(self.ram):
                raise ValueError(f"{len(blob)} bytes at {addr:#x} do not fit in {len(self.ram)} bytes of RAM")
            self.ram[addr : addr + len(blob)] = blob
