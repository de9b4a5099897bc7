"""Every way a run can end is reported as such, never as a Python exception."""

import pytest

from conformance.format import parse_text
from conformance.oracles.unicorn import UnicornOracle
from conformance.runtime import build_image
from conformance.vmm import VmmEngine

ENGINES = {"unicorn": UnicornOracle, "interp": lambda: VmmEngine("interp")}


@pytest.fixture(params=sorted(ENGINES))
def run(request):
    def run(text, **image_fields):
        image = build_image(parse_text(text, "t.asm", "t.asm"))
        for key, value in image_fields.items():
            setattr(image, key, value)
        return ENGINES[request.param]().run(image)

    return run


def test_spinning_guest_ends_on_its_budget(run):
    state = run("; mode: pm32\n; budget: 300000\nspin:\n    jmp spin\n")
    assert (state.exit, state.message) == ("budget", "no exit after 300000 instructions")


def test_spinning_guest_with_a_huge_budget_ends_on_the_time_limit(run):
    state = run("; mode: pm32\nspin:\n    jmp spin\n", budget=10**12, timeout=0.3)
    assert state.exit == "timeout"


def test_hlt_with_nothing_to_wake_it_is_a_halt(run):
    state = run("; mode: pm32\n    hlt\n")
    assert state.exit == "halt" and state.regs["eip"] == 0x10001


def test_interrupt_with_no_usable_idt_is_a_triple_fault(run):
    state = run(
        "; mode: pm32\n; data: 0x18000 dw 0\n; data: 0x18002 dd 0\n    lidt [0x18000]\n    int 0x30\n"
    )
    assert state.exit == "triple-fault"


def test_garbage_code_is_handled_by_the_guest_not_the_harness(run):
    state = run("; mode: pm32\n    .byte 0x0f, 0x0b, 0xff, 0xff\n")
    assert state.exit == "exception" and state.exceptions[0].vector == 6
