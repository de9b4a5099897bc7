"""The 8259A pair driven through its ports as a BIOS or OS driver does.

Expected values are from the Intel 8259A datasheet: vector = ICW2 base | IR in 8086 mode, IR0 the
highest priority after initialisation, OCW3 0x0A/0x0B select IRR/ISR, OCW2 0x20 non-specific EOI.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refvmm.devices.pic import PicPair


def init(pic: PicPair, icw4: int = 0x01) -> None:
    """The classic PC init: vectors 0x08 and 0x70, slave on master IR2, 8086 mode."""
    for port, value in ((0x20, 0x11), (0x21, 0x08), (0x21, 0x04), (0x21, icw4)):
        pic.write(port, 1, value)
    for port, value in ((0xA0, 0x11), (0xA1, 0x70), (0xA1, 0x02), (0xA1, icw4)):
        pic.write(port, 1, value)


def irr(pic: PicPair, base: int = 0x20) -> int:
    pic.write(base, 1, 0x0A)  # OCW3: read IRR
    return pic.read(base, 1)


def isr(pic: PicPair, base: int = 0x20) -> int:
    pic.write(base, 1, 0x0B)  # OCW3: read ISR
    return pic.read(base, 1)


def eoi(pic: PicPair, base: int = 0x20) -> None:
    pic.write(base, 1, 0x20)  # OCW2: non-specific EOI


@pytest.fixture
def pic() -> PicPair:
    pic = PicPair()
    init(pic)
    return pic


def test_icw1_clears_imr_and_ocw1_sets_it(pic):
    assert pic.read(0x21, 1) == 0x00 and pic.read(0xA1, 1) == 0x00
    pic.write(0x21, 1, 0xB8)
    pic.write(0xA1, 1, 0x8F)
    assert pic.read(0x21, 1) == 0xB8 and pic.read(0xA1, 1) == 0x8F
    init(pic)  # re-initialising clears the mask again
    assert pic.read(0x21, 1) == 0x00


def test_single_edge_irq_ack_and_eoi(pic):
    assert not pic.pending()
    pic.set_irq(1, True)
    assert pic.pending() and irr(pic) == 0x02
    assert pic.acknowledge() == 0x09
    # INTA resets the IRR bit and sets the ISR bit; a line left high is no new edge.
    assert irr(pic) == 0x00 and isr(pic) == 0x02 and not pic.pending()
    eoi(pic)
    assert isr(pic) == 0x00 and not pic.pending()
    pic.set_irq(1, False)
    pic.set_irq(1, True)  # a fresh rising edge requests again
    assert pic.acknowledge() == 0x09


def test_mask_holds_request_in_irr(pic):
    pic.write(0x21, 1, 0x02)
    pic.set_irq(1, True)
    assert irr(pic) == 0x02 and not pic.pending()  # IMR gates the request, IRR still latches it
    pic.write(0x21, 1, 0x00)
    assert pic.pending() and pic.acknowledge() == 0x09


def test_priority_and_nesting(pic):
    pic.set_irq(3, True)
    pic.set_irq(1, True)
    assert irr(pic) == 0x0A
    assert pic.acknowledge() == 0x09  # IR1 beats IR3
    assert not pic.pending()  # IR3 is lower than IR1 in service
    pic.set_irq(0, True)
    assert pic.pending() and pic.acknowledge() == 0x08  # IR0 nests above IR1
    assert isr(pic) == 0x03
    eoi(pic)  # non-specific EOI resets the highest ISR bit: IR0
    assert isr(pic) == 0x02 and not pic.pending()
    eoi(pic)
    assert pic.pending() and pic.acknowledge() == 0x0B
    pic.write(0x20, 1, 0x63)  # specific EOI, level 3
    assert isr(pic) == 0x00


def test_slave_irq_through_cascade(pic):
    pic.set_irq(12, True)
    assert irr(pic) == 0x04 and irr(pic, 0xA0) == 0x10
    assert pic.pending() and pic.acknowledge() == 0x74
    assert isr(pic) == 0x04 and isr(pic, 0xA0) == 0x10
    eoi(pic, 0xA0)
    eoi(pic)
    assert isr(pic) == 0x00 and isr(pic, 0xA0) == 0x00


def test_slave_priority_sits_at_ir2(pic):
    pic.set_irq(3, True)
    pic.set_irq(8, True)
    pic.set_irq(1, True)
    assert pic.acknowledge() == 0x09  # IR1 > IR2 (slave) > IR3
    eoi(pic)
    assert pic.acknowledge() == 0x70
    eoi(pic, 0xA0)
    eoi(pic)
    assert pic.acknowledge() == 0x0B


def test_masking_ir2_blocks_the_slave(pic):
    pic.write(0x21, 1, 0x04)
    pic.set_irq(14, True)
    assert not pic.pending()
    pic.write(0x21, 1, 0x00)
    assert pic.acknowledge() == 0x76


def test_level_triggered_line_rerequests_after_eoi(pic):
    pic.write(0x4D1, 1, 0x08)  # ELCR: IRQ 11 level-triggered
    assert pic.read(0x4D1, 1) == 0x08
    pic.set_irq(11, True)
    assert pic.acknowledge() == 0x73
    assert not pic.pending()  # ISR bit holds it off until EOI
    eoi(pic, 0xA0)
    eoi(pic)
    assert pic.pending() and pic.acknowledge() == 0x73  # still asserted: requests again
    pic.set_irq(11, False)
    eoi(pic, 0xA0)
    eoi(pic)
    assert not pic.pending()


def test_edge_triggered_line_does_not_rerequest(pic):
    pic.set_irq(5, True)
    assert pic.acknowledge() == 0x0D
    eoi(pic)
    assert not pic.pending()


def test_ltim_makes_every_input_level(pic):
    pic.write(0x20, 1, 0x19)  # ICW1 with LTIM
    for value in (0x08, 0x04, 0x01):
        pic.write(0x21, 1, value)
    pic.set_irq(5, True)
    assert pic.acknowledge() == 0x0D
    eoi(pic)
    assert pic.acknowledge() == 0x0D


def test_elcr_reserved_bits_read_zero(pic):
    pic.write(0x4D0, 1, 0xFF)
    pic.write(0x4D1, 1, 0xFF)
    # PIIX: IRQ 0, 1, 2 (ELCR1 bits 0-2) and IRQ 8, 13 (ELCR2 bits 0, 5) are edge only.
    assert pic.read(0x4D0, 1) == 0xF8 and pic.read(0x4D1, 1) == 0xDE


def test_spurious_irq7_when_request_goes_away(pic):
    pic.set_irq(3, True)
    assert pic.pending()
    pic.set_irq(3, False)
    assert not pic.pending()
    assert pic.acknowledge() == 0x0F  # the default IR7
    assert isr(pic) == 0x00  # a spurious IR7 sets no ISR bit


def test_spurious_with_level_request_withdrawn(pic):
    pic.write(0x4D0, 1, 0x10)  # IRQ 4 level
    pic.set_irq(4, True)
    pic.set_irq(4, False)
    assert pic.acknowledge() == 0x0F and isr(pic) == 0x00


def test_irq_edge_needed_after_icw1(pic):
    pic.set_irq(6, True)
    init(pic)  # ICW1 resets the edge sense: the high line must go low then high again
    assert not pic.pending()
    pic.set_irq(6, False)
    pic.set_irq(6, True)
    assert pic.acknowledge() == 0x0E


def test_set_priority_and_rotate_on_eoi(pic):
    pic.write(0x20, 1, 0xC4)  # OCW2 set priority: IR4 lowest, so IR5 highest
    pic.set_irq(3, True)
    pic.set_irq(5, True)
    assert pic.acknowledge() == 0x0D
    pic.write(0x20, 1, 0xA0)  # rotate on non-specific EOI: IR5 becomes lowest, IR6 highest
    assert pic.acknowledge() == 0x0B
    pic.write(0x20, 1, 0xE3)  # rotate on specific EOI 3: IR3 lowest, IR4 highest
    pic.set_irq(4, True)
    pic.set_irq(0, True)
    assert pic.acknowledge() == 0x0C


def test_auto_eoi(pic):
    init(pic, icw4=0x03)
    pic.set_irq(1, True)
    pic.set_irq(3, True)
    assert pic.acknowledge() == 0x09
    assert isr(pic) == 0x00  # AEOI: no ISR bit stays set
    assert pic.acknowledge() == 0x0B


def test_poll_command(pic):
    pic.set_irq(6, True)
    pic.write(0x20, 1, 0x0C)  # OCW3 poll
    assert pic.read(0x20, 1) == 0x86  # I=1, W=6; the read acts as INTA
    assert isr(pic) == 0x40
    pic.write(0x20, 1, 0x0C)
    assert pic.read(0x20, 1) == 0x00  # nothing more to report


def test_special_mask_mode_enables_lower_levels(pic):
    pic.set_irq(1, True)
    assert pic.acknowledge() == 0x09
    pic.set_irq(4, True)
    assert not pic.pending()
    pic.write(0x21, 1, 0x02)  # mask the level in service
    pic.write(0x20, 1, 0x68)  # OCW3: set special mask mode
    assert pic.pending() and pic.acknowledge() == 0x0C


def test_cascade_line_cannot_be_driven(pic):
    with pytest.raises(ValueError):
        pic.set_irq(2, True)
    with pytest.raises(ValueError):
        pic.set_irq(16, True)


# PC priority with the slave on IR2: IRQ 0, 1, then 8-15 (through IR2), then 3-7.
PC_ORDER = [0, 1, 8, 9, 10, 11, 12, 13, 14, 15, 3, 4, 5, 6, 7]


@given(st.sets(st.sampled_from(PC_ORDER), min_size=1))
def test_simultaneous_requests_are_served_in_pc_priority_order(lines):
    pic = PicPair()
    init(pic)
    for line in lines:
        pic.set_irq(line, True)
    served = []
    while pic.pending():
        vector = pic.acknowledge()
        line = vector - 0x08 if vector < 0x70 else vector - 0x70 + 8
        served.append(line)
        if line >= 8:
            eoi(pic, 0xA0)
        eoi(pic)
    assert served == [line for line in PC_ORDER if line in lines]
    assert isr(pic) == 0 and isr(pic, 0xA0) == 0


def test_spurious_irq15_leaves_master_ir2_in_service(pic):
    # With an atomic INTA the slave's INT and master IR2 never disagree through the public
    # interface, so model a slave INT the master sampled before the slave's request went away.
    pic.master.set_input(2, True)
    assert pic.acknowledge() == 0x77  # the slave's default IR7: IRQ 15
    assert isr(pic) == 0x04 and isr(pic, 0xA0) == 0x00  # the OS must EOI the master only
