"""The PC's pair of Intel 8259A interrupt controllers and the PIIX ELCR.

Master at 0x20/0x21 (IRQ 0-7), slave at 0xA0/0xA1 (IRQ 8-15) cascaded on master IR2, and the
edge/level control registers at 0x4D0/0x4D1. Only 8086 mode (ICW4 bit 0 = 1) is modelled: the
INTA cycle hands the CPU a vector, ``vector base | IR``.
"""

from __future__ import annotations

from .base import ByteDevice

ICW1 = 0x10  # A0=0 with D4=1 starts initialisation; D4=0 is OCW2 (D3=0) or OCW3 (D3=1)
OCW3 = 0x08
CASCADE_IR = 2  # the slave's INT drives master IR2 on the PC/AT


class Pic8259:
    """One 8259A. Inputs arrive through ``set_input``; the pair does the cascade."""

    def __init__(self, elcr_mask: int):
        self.elcr_mask = elcr_mask  # ELCR bits the PIIX lets software set (the rest are always edge)
        self.elcr = 0
        self.pins = 0  # current IR input levels
        self._reset()
        self.imr = 0xFF  # power-on state is undefined; stay masked until ICW1 clears it

    def _reset(self) -> None:
        """ICW1 (datasheet "Initialization Command Words"): edge sense reset, IMR cleared, IR7 lowest
        priority, special mask mode off, status read set to IRR, ICW4 functions zero."""
        self.irr_edge = 0  # edge-sense latches; a pin already high must go low then high again
        self.isr = 0
        self.imr = 0
        self.lowest = 7  # lowest-priority IR; IR(lowest+1) has the highest priority
        self.vector_base = 0
        self.icw3 = 0
        self.ltim = False
        self.single = False
        self.need_icw4 = False
        self.auto_eoi = False
        self.rotate_on_aeoi = False
        self.special_mask = False
        self.read_isr = False
        self.poll = False
        self.init_step = 0  # 0: initialised; 2, 3, 4: the next odd-port write is that ICW

    @property
    def level_mask(self) -> int:
        return 0xFF if self.ltim else self.elcr

    @property
    def irr(self) -> int:
        """Level inputs request while the pin is high; edge inputs from a rising edge until INTA."""
        return (self.irr_edge & ~self.level_mask | self.pins & self.level_mask) & 0xFF

    def set_input(self, ir: int, level: bool) -> None:
        bit = 1 << ir
        if level and not self.pins & bit:
            self.irr_edge |= bit
        if not level:
            # Datasheet: "the IR input must remain high until after the falling edge of the first INTA";
            # a request withdrawn earlier is lost (and an INTA then gets the default IR7).
            self.irr_edge &= ~bit
        self.pins = self.pins | bit if level else self.pins & ~bit

    def _highest(self, bits: int) -> tuple[int, int] | None:
        """(IR, rank) of the highest-priority set bit, rank 0 being the highest priority."""
        for rank in range(8):
            ir = (self.lowest + 1 + rank) & 7
            if bits & (1 << ir):
                return ir, rank
        return None

    def deliverable(self) -> int | None:
        """The IR that INT is raised for: the highest unmasked request above everything in service."""
        request = self._highest(self.irr & ~self.imr)
        if request is None:
            return None
        # In special mask mode an in-service level that is masked no longer inhibits lower levels.
        in_service = self._highest(self.isr & ~self.imr if self.special_mask else self.isr)
        if in_service is not None and request[1] >= in_service[1]:
            return None
        return request[0]

    def take(self, ir: int) -> None:
        """The INTA cycle for ``ir``: IRR bit reset, ISR bit set (or not, in auto-EOI)."""
        self.irr_edge &= ~(1 << ir)
        if not self.auto_eoi:
            self.isr |= 1 << ir
        elif self.rotate_on_aeoi:
            self.lowest = ir

    def read(self, port_a0: int) -> int:
        if port_a0:
            return self.imr
        if self.poll:
            # Poll command: this read is the interrupt acknowledge; word is I (bit 7) and W2-W0.
            self.poll = False
            ir = self.deliverable()
            if ir is None:
                return 0
            self.take(ir)
            return 0x80 | ir
        return self.isr if self.read_isr else self.irr

    def write(self, port_a0: int, value: int) -> None:
        if not port_a0:
            if value & ICW1:
                self._reset()
                self.ltim, self.single, self.need_icw4 = bool(value & 8), bool(value & 2), bool(value & 1)
                self.init_step = 2
            elif value & OCW3:
                self._ocw3(value)
            else:
                self._ocw2(value)
        elif self.init_step == 2:
            self.vector_base = value & 0xF8  # T7-T3; in 8086 mode the low 3 bits are the IR
            self.init_step = 3 if not self.single else 4 if self.need_icw4 else 0
        elif self.init_step == 3:
            self.icw3 = value  # master: which IRs have slaves; slave: its ID
            self.init_step = 4 if self.need_icw4 else 0
        elif self.init_step == 4:
            self.auto_eoi = bool(value & 2)  # SFNM, BUF and M/S are not modelled
            self.init_step = 0
        else:
            self.imr = value  # OCW1

    def _ocw2(self, value: int) -> None:
        command, level = value >> 5, value & 7
        if command in (0b001, 0b101):  # non-specific EOI, optionally rotating
            # In special mask mode a masked in-service bit is not reset by a non-specific EOI.
            served = self._highest(self.isr & ~self.imr if self.special_mask else self.isr)
            if served is not None:
                self.isr &= ~(1 << served[0])
                if command == 0b101:
                    self.lowest = served[0]
        elif command in (0b011, 0b111):  # specific EOI, optionally rotating
            self.isr &= ~(1 << level)
            if command == 0b111:
                self.lowest = level
        elif command == 0b110:  # set priority: level becomes the lowest
            self.lowest = level
        elif command in (0b100, 0b000):  # set / clear rotate in automatic EOI mode
            self.rotate_on_aeoi = command == 0b100

    def _ocw3(self, value: int) -> None:
        if value & 0x40:  # ESMM: SMM bit is meaningful
            self.special_mask = bool(value & 0x20)
        if value & 0x02:  # RR: RIS selects the register the next even-port read returns
            self.read_isr = bool(value & 0x01)
        self.poll = bool(value & 0x04)


class PicPair(ByteDevice):
    """Master and slave 8259A, cascaded on master IR2, plus the PIIX ELCR at 0x4D0/0x4D1."""

    ports = (0x20, 0x21, 0xA0, 0xA1, 0x4D0, 0x4D1)

    def __init__(self) -> None:
        # PIIX: IRQ 0, 1, 2, 8 and 13 are always edge-triggered; those ELCR bits read as zero.
        self.master = Pic8259(elcr_mask=0xF8)
        self.slave = Pic8259(elcr_mask=0xDE)
        self._int: bool | None = None  # the master's INT output, None when it must be recomputed

    def _chip(self, port: int) -> Pic8259:
        return self.master if port in (0x20, 0x21, 0x4D0) else self.slave

    def _cascade(self) -> None:
        """The slave's INT output is the master's IR2 input. Called after every change of state."""
        self._int = None
        self.master.set_input(CASCADE_IR, self.slave.deliverable() is not None)

    def read_byte(self, port: int) -> int:
        return self._chip(port).elcr if port in (0x4D0, 0x4D1) else self._chip(port).read(port & 1)

    def write_byte(self, port: int, value: int) -> None:
        chip = self._chip(port)
        if port in (0x4D0, 0x4D1):
            chip.elcr = value & chip.elcr_mask
        else:
            chip.write(port & 1, value)

    def read(self, port: int, size: int) -> int:
        value = super().read(port, size)
        self._cascade()  # a poll read may acknowledge on the slave
        return value

    def write(self, port: int, size: int, value: int) -> None:
        super().write(port, size, value)
        self._cascade()

    def set_irq(self, line: int, level: bool) -> None:
        """A device drives IRQ ``line`` (0-15). Line 2 is the cascade and cannot be driven."""
        if not 0 <= line < 16 or line == CASCADE_IR:
            raise ValueError(f"IRQ {line} cannot be driven by a device")
        if line < 8:
            self.master.set_input(line, level)
        else:
            self.slave.set_input(line - 8, level)
        self._cascade()

    def pending(self) -> bool:
        """The master's INT output: an interrupt is ready for the CPU."""
        if self._int is None:  # the CPU asks at every instruction boundary: recompute on change only
            self._int = self.master.deliverable() is not None
        return self._int

    def acknowledge(self) -> int:
        """The INTA cycle: the vector, with IRR/ISR updated on the master and, via IR2, the slave.

        A request that went away before INTA yields the default IR7 (no ISR bit is set); a spurious
        slave request yields the slave's IR7 (IRQ 15) with master ISR2 already set, as on a PC."""
        master, slave = self.master, self.slave
        self._int = None
        ir = master.deliverable()
        if ir is None:
            return master.vector_base | 7
        master.take(ir)
        if master.single or not master.icw3 & (1 << ir):
            return master.vector_base | ir
        sir = slave.deliverable()
        if sir is None:
            vector = slave.vector_base | 7
        else:
            slave.take(sir)
            vector = slave.vector_base | sir
        self._cascade()
        return vector
