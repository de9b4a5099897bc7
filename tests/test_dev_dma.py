"""The PC/AT 8237A pair driven through its ports as a BIOS does, with a device moving data through it.

Expected values are from the Intel 8237A datasheet and the AT's wiring: a count register holding N
gives N + 1 transfers, terminal count coming as it rolls from 0 to 0FFFFh; mode bits 3-2 are 00
verify, 01 write (to memory), 10 read (from memory), bit 4 autoinitialize, bit 5 decrement, bits 7-6
demand/single/block/cascade, bits 1-0 the channel; status bits 0-3 are TC, 4-7 requests. DMA2's
register n is at 0xC0 + 2n; its channels count words, page bits 7-1 giving A23-A17.
"""

import pytest

from refvmm.devices.base import PortBus
from refvmm.devices.dma import Dma
from refvmm.devices.ide import IdeDisk
from refvmm.devices.misc import PostPort

RAM = 1 << 20
PATTERN = bytes((i * 7 + 3) & 0xFF for i in range(512))


def make():
    memory = bytearray(RAM)
    dma = Dma(memory)
    bus = PortBus()
    bus.attach(dma)
    init(bus)
    return memory, dma, bus


def init(bus):
    """SeaBIOS's DMA set-up: master clear both controllers, channel 4 in cascade mode, unmasked."""
    bus.write(0x0D, 1, 0)  # DMA1 master clear
    bus.write(0xDA, 1, 0)  # DMA2 master clear: register 0Dh at 0xC0 + 2 * 0xD
    bus.write(0xD6, 1, 0xC0)  # DMA2 mode (register 0Bh): cascade, its channel 0 = channel 4
    bus.write(0xD4, 1, 0x00)  # DMA2 single mask (register 0Ah): clear channel 4's bit


def program(bus, address=0x12345, length=512, mode=0x46):
    """Channel 2 as a BIOS programs it for the floppy: mask, clear the flip-flop, mode, address low and
    high, page, count - 1 low and high, unmask. Mode 0x46 is single mode, write transfer, channel 2."""
    bus.write(0x0A, 1, 0x06)  # single mask: set (bit 2), channel 2
    bus.write(0x0C, 1, 0)
    bus.write(0x0B, 1, mode)
    bus.write(0x04, 1, address & 0xFF)
    bus.write(0x04, 1, address >> 8 & 0xFF)
    bus.write(0x81, 1, address >> 16)
    bus.write(0x05, 1, (length - 1) & 0xFF)
    bus.write(0x05, 1, (length - 1) >> 8)
    bus.write(0x0A, 1, 0x02)  # single mask: clear, channel 2


def word(bus, port, clear=0x0C):
    bus.write(clear, 1, 0)
    return bus.read(port, 1) | bus.read(port, 1) << 8


def test_write_transfer_to_terminal_count():
    memory, dma, bus = make()
    program(bus)
    assert not dma.masked(2)
    assert dma.write_to_memory(2, PATTERN) == 512
    # Page 0x01, address 0x2345: the bytes land at 0x12345-0x12544 and nowhere else.
    assert memory[0x12345:0x12545] == PATTERN
    assert memory[0x12344] == 0 and memory[0x12545] == 0
    assert dma.terminal_count(2)
    assert word(bus, 0x04) == 0x2345 + 512  # the current address has moved on
    assert word(bus, 0x05) == 0xFFFF  # count 511 minus 512 transfers
    assert bus.read(0x08, 1) == 0x04  # status: TC on channel 2 ...
    assert bus.read(0x08, 1) == 0x00  # ... cleared by the read
    assert dma.masked(2)  # no autoinitialize: TC sets the mask bit
    assert dma.write_to_memory(2, b"x") == 0 and not dma.terminal_count(2)


def test_transfer_stops_at_terminal_count_or_when_data_runs_out():
    memory, dma, bus = make()
    program(bus, length=100)
    assert dma.write_to_memory(2, PATTERN) == 100
    assert dma.terminal_count(2) and memory[0x12345 + 100] == 0
    assert bus.read(0x08, 1) == 0x04
    program(bus, length=512)
    assert dma.write_to_memory(2, PATTERN[:100]) == 100
    assert not dma.terminal_count(2)
    assert word(bus, 0x04) == 0x2345 + 100 == 0x23A9
    assert word(bus, 0x05) == 511 - 100 == 0x019B
    assert bus.read(0x08, 1) == 0x00


def test_flip_flop_orders_the_bytes():
    _, _, bus = make()
    bus.write(0x0C, 1, 0)
    bus.write(0x04, 1, 0x34)
    bus.write(0x04, 1, 0x12)
    bus.write(0x0C, 1, 0)
    assert [bus.read(0x04, 1) for _ in range(3)] == [0x34, 0x12, 0x34]  # low, high, low again
    # One flip-flop for all the address and count registers: after an address low byte, the next
    # count write is a high byte.
    bus.write(0x0C, 1, 0)
    bus.write(0x05, 1, 0x00)
    bus.write(0x05, 1, 0x00)
    bus.write(0x04, 1, 0x78)
    bus.write(0x05, 1, 0x02)
    assert word(bus, 0x05) == 0x0200
    # Master clear also clears the flip-flop.
    bus.write(0x04, 1, 0x99)
    bus.write(0x0D, 1, 0)
    bus.write(0x04, 1, 0xCD)
    bus.write(0x04, 1, 0xAB)
    assert word(bus, 0x04) == 0xABCD


def test_autoinitialize_reloads_base_registers():
    memory, dma, bus = make()
    program(bus, address=0x1000, length=4, mode=0x56)  # 0x46 | autoinitialize
    assert dma.write_to_memory(2, b"abcdef") == 4
    assert memory[0x1000:0x1006] == b"abcd\0\0"
    assert dma.terminal_count(2) and not dma.masked(2)  # autoinitialize leaves the channel unmasked
    assert word(bus, 0x04) == 0x1000 and word(bus, 0x05) == 3
    assert dma.write_to_memory(2, b"XY") == 2
    assert memory[0x1000:0x1004] == b"XYcd"
    assert bus.read(0x08, 1) == 0x04


def test_decrement_mode():
    memory, dma, bus = make()
    program(bus, address=0x2003, length=4, mode=0x66)  # 0x46 | decrement
    assert dma.write_to_memory(2, b"\x01\x02\x03\x04") == 4
    assert memory[0x2000:0x2004] == b"\x04\x03\x02\x01"
    assert word(bus, 0x04) == 0x1FFF


def test_verify_counts_without_touching_memory():
    memory, dma, bus = make()
    memory[0x3000:0x3010] = b"M" * 16
    program(bus, address=0x3000, length=16, mode=0x42)  # single, verify, channel 2
    assert dma.write_to_memory(2, b"D" * 8) == 8
    assert memory[0x3000:0x3010] == b"M" * 16
    assert dma.read_from_memory(2, 4) == b"\xff" * 4  # no memory cycle: the device sees a floating bus
    assert word(bus, 0x05) == 15 - 12
    assert word(bus, 0x04) == 0x3000 + 12


def test_read_transfer_and_direction_mismatch():
    memory, dma, bus = make()
    memory[0x4000:0x4008] = b"floppy!!"
    program(bus, address=0x4000, length=8, mode=0x4A)  # single, read, channel 2
    assert dma.write_to_memory(2, b"zz") == 0  # a write request on a read channel is not serviced
    assert memory[0x4000:0x4008] == b"floppy!!"
    assert dma.read_from_memory(2, 6) == b"floppy"
    assert dma.read_from_memory(2, 6) == b"!!" and dma.terminal_count(2)
    program(bus, address=0x4000, length=8, mode=0x46)
    assert dma.read_from_memory(2, 4) == b""


def test_mask_registers_and_master_clear():
    _, dma, bus = make()
    program(bus)
    bus.write(0x0A, 1, 0x06)  # set channel 2's mask
    assert dma.masked(2) and dma.write_to_memory(2, b"a") == 0
    bus.write(0x0E, 1, 0)  # clear mask register: all four unmasked
    assert not any(dma.masked(ch) for ch in range(4))
    bus.write(0x0F, 1, 0x0B)  # write all mask bits: 1011 masks channels 0, 1 and 3
    assert [dma.masked(ch) for ch in range(4)] == [True, True, False, True]
    assert dma.write_to_memory(2, b"a") == 1
    bus.write(0x09, 1, 0x05)  # request channel 1
    bus.write(0x08, 1, 0x10)  # command register: rotating priority
    bus.write(0x0D, 1, 0)  # master clear: masks set, command, status and requests cleared
    assert all(dma.masked(ch) for ch in range(4))
    assert bus.read(0x08, 1) == 0x00


def test_controller_disable():
    _, dma, bus = make()
    program(bus)
    bus.write(0x08, 1, 0x04)  # command bit 2: controller disable
    assert dma.write_to_memory(2, b"abc") == 0
    bus.write(0x08, 1, 0x00)
    assert dma.write_to_memory(2, b"abc") == 3


def test_dma1_needs_the_cascade_channel():
    _, dma, bus = make()
    program(bus)
    bus.write(0xD4, 1, 0x04)  # mask channel 4: DMA1 cannot get the bus
    assert dma.masked(4) and dma.write_to_memory(2, b"abc") == 0
    bus.write(0xD4, 1, 0x00)
    bus.write(0xD0, 1, 0x04)  # DMA2 command register (08h at 0xD0): disable
    assert dma.write_to_memory(2, b"abc") == 0
    bus.write(0xD0, 1, 0x00)
    assert dma.write_to_memory(2, b"abc") == 3
    assert dma.write_to_memory(4, b"abc") == 0  # channel 4 itself is in cascade mode


def test_word_channel():
    memory, dma, bus = make()
    # Channel 5 is DMA2's channel 1: address register 2 at 0xC4, count register 3 at 0xC6, page 0x8B.
    bus.write(0xD4, 1, 0x05)
    bus.write(0xD8, 1, 0)  # DMA2 clear flip-flop (0Ch)
    bus.write(0xD6, 1, 0x45)  # single, write, channel 1
    bus.write(0xC4, 1, 0x00)
    bus.write(0xC4, 1, 0x80)  # word address 0x8000
    bus.write(0x8B, 1, 0x03)  # page bit 0 is unused: A23-A17 = 0000001
    bus.write(0xC6, 1, 1)
    bus.write(0xC6, 1, 0)  # two words
    bus.write(0xD4, 1, 0x01)
    # (0x03 & 0xFE) << 16 | 0x8000 << 1 = 0x20000 | 0x10000 = 0x30000
    assert dma.write_to_memory(5, b"ABCDEF") == 4
    assert memory[0x2FFFF:0x30006] == b"\0ABCD\0\0"
    assert dma.terminal_count(5) and dma.masked(5)
    assert bus.read(0xD0, 1) == 0x02  # DMA2 status: TC on its channel 1
    assert word(bus, 0xC4, clear=0xD8) == 0x8002
    bus.write(0xC6, 1, 9)
    bus.write(0xC6, 1, 0)
    bus.write(0xD4, 1, 0x01)
    assert dma.write_to_memory(5, b"12345") == 4  # whole words only


def test_page_and_spare_registers_and_port_0x80_left_alone():
    _, _, bus = make()
    for port, value in ((0x81, 0x12), (0x87, 0x34), (0x8F, 0x56), (0x84, 0x5A), (0x8C, 0xA5)):
        bus.write(port, 1, value)
        assert bus.read(port, 1) == value
    assert bus.read(0x80, 1) == 0xFF  # unclaimed here
    bus.attach(PostPort())  # 0x80 is free for the POST code port
    bus.write(0x80, 1, 0x42)
    assert bus.read(0x80, 1) == 0x42 and bus.read(0x84, 1) == 0x5A


def test_request_register_shows_in_status():
    _, dma, bus = make()
    bus.write(0x09, 1, 0x06)  # set request, channel 2
    assert bus.read(0x08, 1) == 0x40
    assert bus.read(0x08, 1) == 0x40  # reading status clears only the TC bits
    program(bus, length=2)
    dma.write_to_memory(2, b"ab")
    assert bus.read(0x08, 1) == 0x04  # terminal count cleared the request
    bus.write(0x09, 1, 0x07)
    bus.write(0x09, 1, 0x03)  # reset request, channel 3
    assert bus.read(0x08, 1) == 0x00


def test_memory_bounds_and_page_wrap():
    memory, dma, bus = make()
    program(bus, address=0xFF0000, length=4)  # past the end of RAM
    assert dma.write_to_memory(2, b"abcd") == 4
    program(bus, address=0xFF0000, length=4, mode=0x4A)
    assert dma.read_from_memory(2, 4) == b"\xff" * 4
    program(bus, address=RAM - 2, length=4)
    assert dma.write_to_memory(2, b"abcd") == 4
    assert memory[-2:] == b"ab" and len(memory) == RAM
    # The page register does not count: 0x1FFFE, 0x1FFFF, then back to 0x10000.
    program(bus, address=0x1FFFE, length=4)
    assert dma.write_to_memory(2, b"wxyz") == 4
    assert memory[0x1FFFE:0x20000] == b"wx" and memory[0x10000:0x10002] == b"yz"
    assert memory[0x20000] == 0


def test_read_only_and_write_only_registers():
    _, _, bus = make()
    assert bus.read(0x0D, 1) == 0x00 and bus.read(0xDA, 1) == 0x00  # temporary registers
    for port in (0x09, 0x0A, 0x0B, 0x0C, 0x0E, 0x0F, 0xD4):
        assert bus.read(port, 1) == 0xFF
    assert bus.read(0xC1, 1) == 0xFF  # DMA2 answers at even ports only


def test_shares_a_bus_with_the_other_pc_devices():
    bus = PortBus()
    bus.attach(Dma(bytearray(RAM)))
    bus.attach(PostPort())
    bus.attach(IdeDisk(bytes(1024)))


def test_bad_channel():
    _, dma, _ = make()
    with pytest.raises(ValueError, match="channel 8"):
        dma.write_to_memory(8, b"a")


def test_a_write_transfer_tells_the_machine_which_memory_it_stores_to():
    """The machine drops cached code translations for memory a transfer writes, as for CPU writes."""
    memory, stores = bytearray(RAM), []
    dma = Dma(memory, on_store=lambda address, length: stores.append((address, length)))
    bus = PortBus()
    bus.attach(dma)
    init(bus)
    program(bus, address=0x7C00, length=1024)
    assert dma.write_to_memory(2, PATTERN) == 512
    assert dma.write_to_memory(2, PATTERN) == 512
    stored = {address + i for address, length in stores for i in range(length)}
    assert stored == set(range(0x7C00, 0x8000))  # each cycle, or a run of cycles, before it writes
