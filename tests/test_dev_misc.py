"""Debug console ports, the POST port and System Control Port A, driven through their ports."""

from refvmm.devices.base import PortBus
from refvmm.devices.misc import DebugPorts, PostPort, SystemControlA


def test_debug_ports_write_bytes_and_read_e9():
    out = []
    bus = PortBus()
    bus.attach(DebugPorts(out.append))
    for ch in b"hi":
        bus.write(0xE9, 1, ch)
    bus.write(0x402, 1, ord("!"))
    assert b"".join(out) == b"hi!"
    assert bus.read(0xE9, 1) == 0xE9  # the Bochs/QEMU presence check
    assert bus.read(0x402, 1) == 0xE9


def test_post_port_latches_last_code():
    bus = PortBus()
    post = PostPort()
    bus.attach(post)
    bus.write(0x80, 1, 0x12)
    bus.write(0x80, 1, 0x55)
    assert post.last == 0x55
    assert bus.read(0x80, 1) == 0x55


def test_port_92_fast_a20():
    changes = []
    resets = []
    bus = PortBus()
    dev = SystemControlA(reset=lambda: resets.append(1), on_change=changes.append)
    bus.attach(dev)
    assert not dev.a20
    # The usual enable sequence: read, set bit 1, clear bit 0 so as not to reset.
    bus.write(0x92, 1, (bus.read(0x92, 1) | 0x02) & ~0x01)
    assert dev.a20 and changes == [True]
    assert bus.read(0x92, 1) & 0x02
    bus.write(0x92, 1, 0x02)  # no change: no callback
    assert changes == [True]
    bus.write(0x92, 1, 0x00)
    assert not dev.a20 and changes == [True, False]
    assert resets == []


def test_port_92_fast_reset():
    resets = []
    bus = PortBus()
    bus.attach(SystemControlA(reset=lambda: resets.append(1)))
    bus.write(0x92, 1, 0x03)  # reset with A20 on
    assert resets == [1]
    assert bus.read(0x92, 1) == 0x02  # bit 0 is a pulse, not latched
    bus.write(0x92, 1, 0x01)
    assert resets == [1, 1]


def test_wide_access_splits_into_bytes():
    out = []
    bus = PortBus()
    bus.attach(DebugPorts(out.append))
    assert bus.read(0xE9, 2) == 0xFFE9  # 0xEA is unclaimed and floats high
