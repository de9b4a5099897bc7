"""Every way a run can end is reported as such, never as a Python exception."""

import functools
import time
from dataclasses import replace

import pytest

from conformance.format import parse_text
from conformance.oracles.unicorn import UnicornOracle
from conformance.runner import run_image
from conformance.runtime import build_image
from conformance.vmm import VmmEngine

ENGINES = {"unicorn": UnicornOracle, "interp": lambda: VmmEngine("interp"), "bt": lambda: VmmEngine("bt")}


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


def test_a_prefixed_hlt_is_a_halt(run):
    state = run("; mode: pm32\n    .byte 0x66, 0xf4\n")
    assert state.exit == "halt" and state.regs["eip"] == 0x10002


def test_a_budget_that_ends_after_an_f4_byte_is_no_halt(run):
    # MOV EAX, 0xF4000000 ends in F4; the budget stops the run right after it
    state = run("; mode: pm32\n    mov eax, 0xf4000000\n    nop\n", budget=39)
    assert state.exit == "budget" and state.regs["eip"] == 0x10005


def test_a_count_that_ends_after_a_faulting_hlt_is_no_halt():
    # HLT at CPL 3 is #GP: the handler resumes after it, where a budget that ends right
    # then leaves EIP after the F4
    text = "; mode: user32\n; on-exception: resume\n    hlt\n    nop\n"
    image = build_image(parse_text(text, "t.asm", "t.asm"))
    budget = next(
        k for k in range(40, 400) if VmmEngine("interp").run(replace(image, budget=k)).regs["eip"] == 0x10001
    )
    state = UnicornOracle().run(replace(image, budget=budget))
    assert state.exit == "budget" and state.regs["eip"] == 0x10001


def test_a_prefixed_out_to_the_exit_port_ends_after_its_prefixes(run):
    state = run("; mode: pm32\n    .byte 0xf2, 0xe6, 0xf4\n")
    assert state.exit == "end" and state.regs["eip"] == 0x10003


def test_interrupt_with_no_usable_idt_is_a_triple_fault(run):
    state = run(
        "; mode: pm32\n; data: 0x18000 dw 0\n; data: 0x18002 dd 0\n    lidt [0x18000]\n    int 0x30\n"
    )
    assert state.exit == "triple-fault"


def test_garbage_code_is_handled_by_the_guest_not_the_harness(run):
    state = run("; mode: pm32\n    .byte 0x0f, 0x0b, 0xff, 0xff\n")
    assert state.exit == "exception" and state.exceptions[0].vector == 6


# Programs that make one slice of a run slow on each engine: a port read is a Python call
# on Unicorn, and code met for the first time is compiled (interp) or translated (bt).
SLOW = {
    "unicorn": "; mode: pm32\nspin:\n    in al, 0x80\n    jmp spin\n",
    "interp": "; mode: pm32\nspin:\n"
    + "".join(f"    add eax, {i}\n" for i in range(1, 20000))
    + "    jmp spin\n",
}
SLOW["bt"] = SLOW["interp"]


@functools.cache
def slow_image(engine):
    return build_image(parse_text(SLOW[engine], "slow.asm", "slow.asm"))


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_the_time_limit_holds_inside_a_slice_of_the_budget(engine):
    image = slow_image(engine)
    image.budget, image.timeout = 10**12, 0.3
    started = time.monotonic()
    state = ENGINES[engine]().run(image)
    elapsed = time.monotonic() - started
    assert state.exit == "timeout" and "wall-clock" in state.message
    assert elapsed < image.timeout + 1.0, f"stopped {elapsed:.1f} s after a {image.timeout} s limit"


@pytest.mark.parametrize("budget", [0, -5])
def test_a_budget_that_is_not_positive_is_an_error_on_every_engine(budget):
    image = build_image(parse_text("; mode: pm32\nspin:\n    jmp spin\n", "t.asm", "t.asm"))
    image.budget = budget
    for make in ENGINES.values():
        state = run_image(make(), image)
        assert state.exit == "error" and "budget" in state.message
