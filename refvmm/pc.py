"""A PC: a Machine with the platform devices on its port bus, their interrupts routed
through the 8259A pair, and their time taken from the machine's virtual clock."""

from __future__ import annotations

from collections.abc import Callable

from .devices.base import ByteDevice, PortBus, VirtualClock
from .devices.cmos import Cmos
from .devices.dma import Dma
from .devices.fdc import Fdc
from .devices.fwcfg import FwCfg
from .devices.ide import IdeDisk
from .devices.kbc import Kbc
from .devices.misc import CoprocessorError, DebugPorts, PostPort, SystemControlA
from .devices.pci import PciFunction, PciHost
from .devices.pic import PicPair
from .devices.pit import Pit
from .devices.uart import Uart
from .devices.vga import VgaText
from .machine import Machine


class PC:
    def __init__(
        self,
        ram_size: int = 16 << 20,
        serial: Callable[[bytes], None] | None = None,
        debug: Callable[[bytes], None] | None = None,
        disk=None,
        floppy=None,
    ):
        self.bus = PortBus()
        self.machine = Machine(ram_size, self.bus)
        m = self.machine
        clock = VirtualClock(m.now_instructions)
        self.pic = PicPair()
        self.pit = Pit(clock, self.pic.set_irq)
        self.uart = Uart(irq=self.pic.set_irq, output=serial or (lambda data: None), clock=clock)
        self.dma = Dma(m.ram, on_store=m.bus_master_write)
        # the floppy controller is always there, as on a PC; its drive only with a medium
        self.fdc = Fdc(floppy, irq=self.pic.set_irq, dma=self.dma)
        self.cmos = Cmos(
            irq=self.pic.set_irq, clock=clock, memory_bytes=ram_size, floppy_type=self.fdc.drive_type
        )
        self.post = PostPort()
        self.port92 = SystemControlA(reset=self._reset)
        self.kbc = Kbc(irq=self.pic.set_irq, reset=self._reset)
        self.ferr = CoprocessorError(irq=self.pic.set_irq)
        self.pci = PciHost()
        self.fwcfg = FwCfg()
        self.fwcfg.add_sercon_port(0x3F8)  # SeaBIOS mirrors its text console to COM1
        devices = (
            self.pic,
            self.dma,
            self.fdc,
            self.pit,
            self.uart,
            self.cmos,
            self.post,
            self.port92,
            self.kbc,
            self.ferr,
            self.pci,
            self.fwcfg,
        )
        for device in (*devices, ResetControl(self._reset)):
            self.bus.attach(device)
        self.vga = VgaText(m.ram)
        self.bus.attach(self.vga)
        self.disk = None
        if disk is not None:  # the primary IDE master, behind the PIIX3's IDE function 00:01.1
            self.disk = IdeDisk(disk, irq=self.pic.set_irq)
            self.bus.attach(self.disk)
            # 8086:7010, class 01 01 80: IDE, bus-master capable, both channels in legacy mode
            self.pci.add(1, 1, PciFunction(0x8086, 0x7010, 0x010180, command=0x0001))
        self.bus.attach(DebugPorts(debug or (lambda data: None)))
        m.interrupt_controller = self.pic
        m.ferr = self.ferr
        m.timed_devices = [self.pit, self.cmos]
        self.resets = 0

    def _reset(self) -> None:
        self.resets += 1
        self.machine.stop_requested = True  # the machine stops; the caller decides what a reset means


class ResetControl(ByteDevice):
    """The PIIX3 reset control register at 0xCF9: bit 2 set resets the machine."""

    ports = (0xCF9,)

    def __init__(self, reset: Callable[[], None]):
        self._reset, self.value = reset, 0

    def read_byte(self, port: int) -> int:
        return self.value

    def write_byte(self, port: int, value: int) -> None:
        self.value = value & 0x0E
        if value & 0x04:
            self._reset()
