"""The 8042 keyboard controller and its keyboard, driven through ports 0x60/0x64 as a BIOS does."""

from refvmm.devices.base import PortBus
from refvmm.devices.kbc import Kbc


def make(**kw):
    events = {"irq": [], "a20": [], "reset": []}
    kbc = Kbc(
        irq=lambda line, level: events["irq"].append((line, level)),
        a20=events["a20"].append,
        reset=lambda: events["reset"].append(1),
        **kw,
    )
    bus = PortBus()
    bus.attach(kbc)
    return bus, kbc, events


def drain(bus):
    out = []
    while bus.read(0x64, 1) & 0x01:
        out.append(bus.read(0x60, 1))
    return out


def test_status_after_power_on():
    bus, _, _ = make()
    assert bus.read(0x64, 1) == 0x10  # unlocked, nothing waiting, SYS clear (cold boot)


def test_self_test_and_interface_test():
    bus, _, _ = make()
    bus.write(0x64, 1, 0xAA)
    st = bus.read(0x64, 1)
    assert st & 0x01 and st & 0x04 and st & 0x08  # OBF, SYS flag, last write was a command
    assert not st & 0x02  # IBF never stays set
    assert bus.read(0x60, 1) == 0x55
    assert not bus.read(0x64, 1) & 0x01
    bus.write(0x64, 1, 0xAB)
    assert drain(bus) == [0x00]


def test_command_byte_read_write():
    bus, kbc, _ = make()
    bus.write(0x64, 1, 0x20)
    assert drain(bus) == [0x01]
    bus.write(0x64, 1, 0x60)
    bus.write(0x60, 1, 0x65)  # IRQ on, SYS, keyboard disabled, translate
    assert not bus.read(0x64, 1) & 0x08  # last write was data
    assert bus.read(0x64, 1) & 0x04  # SYS mirrors command byte bit 2
    assert kbc.command_byte == 0x65
    bus.write(0x64, 1, 0x20)
    assert drain(bus) == [0x65]


def test_a20_via_output_port():
    bus, kbc, events = make()
    bus.write(0x64, 1, 0xD0)
    assert drain(bus) == [0xCD]  # reset line high (not reset), A20 off
    # The classic enable: command D1, then DF (A20 on, reset high).
    bus.write(0x64, 1, 0xD1)
    bus.write(0x60, 1, 0xDF)
    assert kbc.a20_enabled and events["a20"] == [True]
    assert events["reset"] == []
    bus.write(0x64, 1, 0xD0)
    assert drain(bus) == [0xDF]
    bus.write(0x64, 1, 0xDD)  # A20 off shortcut
    assert events["a20"] == [True, False]
    bus.write(0x64, 1, 0xDF)
    assert events["a20"] == [True, False, True]
    bus.write(0x64, 1, 0xDF)  # no change, no callback
    assert events["a20"] == [True, False, True]


def test_reset_via_output_port_and_pulse():
    bus, _, events = make(a20_enabled=True)
    bus.write(0x64, 1, 0xFE)
    assert events["reset"] == [1]
    bus.write(0x64, 1, 0xFF)  # pulses nothing
    assert events["reset"] == [1]
    bus.write(0x64, 1, 0xD1)
    bus.write(0x60, 1, 0xDE)  # bit 0 low
    assert events["reset"] == [1, 1]
    assert events["a20"] == []  # A20 stayed on


def test_keyboard_reset_identify_leds_scancode():
    bus, kbc, _ = make()
    bus.write(0x60, 1, 0xFF)
    assert drain(bus) == [0xFA, 0xAA]
    bus.write(0x60, 1, 0xF2)
    assert drain(bus) == [0xFA, 0xAB, 0x83]
    bus.write(0x60, 1, 0xED)
    assert drain(bus) == [0xFA]
    bus.write(0x60, 1, 0x02)  # Num Lock
    assert drain(bus) == [0xFA] and kbc.leds == 0x02
    bus.write(0x60, 1, 0xF0)
    bus.write(0x60, 1, 0x00)
    assert drain(bus) == [0xFA, 0xFA, 0x02]
    bus.write(0x60, 1, 0xF5)
    bus.write(0x60, 1, 0xF4)
    assert drain(bus) == [0xFA, 0xFA]
    bus.write(0x60, 1, 0x42)
    assert drain(bus) == [0xFE]


def test_key_raises_irq1():
    bus, kbc, events = make()
    dev_events = events["irq"]
    kbc.press(bytes([0x1C, 0xF0, 0x1C]))  # 'A' make and break, set 2
    assert dev_events == [(1, True)]
    assert bus.read(0x60, 1) == 0x1C
    # Reading drops the line, and the next byte raises it again (an edge for the PIC).
    assert dev_events == [(1, True), (1, False), (1, True)]
    assert drain(bus) == [0xF0, 0x1C]
    assert dev_events[-1] == (1, False)


def test_irq_masked_by_command_byte_and_keyboard_disable():
    bus, kbc, events = make()
    bus.write(0x64, 1, 0x60)
    bus.write(0x60, 1, 0x00)  # IRQ off
    kbc.press(b"\x29")
    assert events["irq"] == [] and bus.read(0x64, 1) & 0x01
    assert bus.read(0x60, 1) == 0x29
    bus.write(0x64, 1, 0x60)
    bus.write(0x60, 1, 0x01)
    bus.write(0x64, 1, 0xAD)  # keyboard interface off: keys wait in the keyboard
    kbc.press(b"\x29")
    assert not bus.read(0x64, 1) & 0x01 and events["irq"] == []
    bus.write(0x64, 1, 0xAE)
    assert events["irq"] == [(1, True)]
    assert drain(bus) == [0x29]


def test_keyboard_scanning_disabled_drops_keys():
    bus, kbc, _ = make()
    bus.write(0x60, 1, 0xF5)
    assert drain(bus) == [0xFA]
    kbc.press(b"\x1c")
    assert drain(bus) == []
