"""The KVM ioctl layer's structures against the kernel's x86 layouts, and the oracle."""

import struct

import pytest

from conformance.format import parse_text
from conformance.oracles.kvm import KvmOracle, reset_sregs
from conformance.runtime import build_image
from refvmm.hw import kvm as K


def ioc(direction: int, nr: int, size: int) -> int:  # linux/ioctl.h _IOC with type KVMIO
    return direction << 30 | size << 16 | 0xAE << 8 | nr


def test_ioctl_numbers_follow_from_the_structure_sizes():
    assert ioc(2, 0x81, struct.calcsize(K.REGS_FORMAT)) == K.KVM_GET_REGS
    assert ioc(1, 0x82, struct.calcsize(K.REGS_FORMAT)) == K.KVM_SET_REGS
    assert ioc(2, 0x83, K.SREGS_SIZE) == K.KVM_GET_SREGS
    assert ioc(1, 0x84, K.SREGS_SIZE) == K.KVM_SET_SREGS
    assert ioc(1, 0x46, 32) == K.KVM_SET_USER_MEMORY_REGION


def test_structure_layouts_match_kvm_h():
    assert struct.calcsize(K.REGS_FORMAT) == 18 * 8  # struct kvm_regs
    assert struct.calcsize(K.SEGMENT_FORMAT) == 24  # struct kvm_segment
    assert struct.calcsize(K.DTABLE_FORMAT) == 16  # struct kvm_dtable
    raw = K.SRegs(cr0=0x11, cr2=0x22, cr3=0x33, cr4=0x44, efer=0x55).pack()
    assert len(raw) == K.SREGS_SIZE  # struct kvm_sregs
    assert struct.unpack_from("<5Q", raw, 224) == (0x11, 0x22, 0x33, 0x44, 0)  # cr0 at 224
    seg = K.Segment(selector=0x1B, base=0x1000, limit=0xFFFFF, type=0xB, dpl=3, db=1, g=1).pack()
    assert struct.unpack_from("<QIH", seg) == (0x1000, 0xFFFFF, 0x1B)
    assert seg[14:22] == bytes([0xB, 1, 3, 1, 1, 0, 1, 0])  # type present dpl db s l g avl
    assert struct.calcsize(K.IO_FORMAT) == 16  # kvm_run.io


def test_sregs_round_trip():
    sregs = reset_sregs()
    sregs.gdt, sregs.idt, sregs.cr3 = (0x600, 0xFF), (0x800, 0x7FF), 0x6000
    again = K.SRegs.unpack(sregs.pack())
    assert again == sregs


def test_missing_device_is_a_clear_reason():
    reason = K.unavailable_reason("/nonexistent/kvm")
    assert reason.startswith("cannot open /nonexistent/kvm")


def test_unknown_option_is_rejected():
    with pytest.raises(ValueError):
        KvmOracle("fast")


def usable_kvm() -> KvmOracle:
    oracle = KvmOracle("any")  # any backend: this exercises the ioctl layer, not silicon
    reason = oracle.unavailable()
    if reason:
        pytest.skip(f"kvm: {reason}")
    return oracle


def test_kvm_runs_an_image_to_the_exit_port():
    oracle = usable_kvm()
    spec = parse_text(
        "; mode: pm32\n; regs: eax=1\n    add eax, 2\n    mov al, 0x41\n    out 0xe9, al\n", "t.asm", "t.asm"
    )
    state = oracle.run(build_image(spec))
    assert state.exit == "end", state.message
    assert state.regs["eax"] == 0x41 and state.debug == "A"
    assert state.regs["eip"] == 0x10009 and "host_cpu" in state.extra


def test_kvm_run_that_never_exits_is_stopped_by_the_time_limit():
    oracle = usable_kvm()
    image = build_image(parse_text("; mode: pm32\nspin:\n    jmp spin\n", "t.asm", "t.asm"))
    image.timeout = 0.5
    state = oracle.run(image)
    assert state.exit == "timeout"
