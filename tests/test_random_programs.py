"""Random programs on each VMM engine and on Unicorn, and on the host processor where
it can run them (the native oracle), drawn by hypothesis, so that a difference shrinks
to a minimal program (print it with the failure and keep it as a test in guest_tests/)."""

import pytest
from hypothesis import assume, given, note, settings
from hypothesis import strategies as st

from conformance.compare import diff_states
from conformance.format import parse_text
from conformance.generate import programs
from conformance.oracles.native import NOT_APPLICABLE, NativeOracle
from conformance.oracles.unicorn import UnicornOracle
from conformance.runtime import build_image
from conformance.undefined import final_mask, final_register_masks
from conformance.vmm import VmmEngine

genomes = st.lists(
    st.tuples(st.integers(0, programs.KINDS - 1), st.integers(0, 0xFFFF), st.integers(0, 0xFFFFFFFF)),
    min_size=1,
    max_size=programs.MAX_STATEMENTS,
)
registers = st.lists(st.integers(0, 0xFFFFFFFF), min_size=6, max_size=6)


@pytest.mark.parametrize("engine", ["interp", "bt"])
@given(genome=genomes, regs=registers)
def test_random_programs_agree_with_unicorn(engine, genome, regs):
    text = programs.text(genome, regs)
    note(text)
    image = build_image(parse_text(text, "random.asm", "random.asm"))
    reference, state = UnicornOracle().run(image), VmmEngine(engine).run(image)
    masks = final_register_masks(image.body, image.body_origin, 32)
    assert diff_states(reference, state, final_mask(image.body, image.body_origin, 32), masks) == []


NATIVE_UNAVAILABLE = NativeOracle().unavailable()


@pytest.mark.skipif(NATIVE_UNAVAILABLE is not None, reason=f"native oracle unavailable: {NATIVE_UNAVAILABLE}")
@settings(max_examples=settings.default.max_examples // 4)  # a quarter of the profile: runs three engines
@given(genome=genomes, regs=registers)
def test_random_programs_agree_with_the_host_cpu(genome, regs):
    """interp and bt against the host processor, on the programs it can run."""
    text = programs.text(genome, regs)
    note(text)
    image = build_image(parse_text(text, "random.asm", "random.asm"))
    reference = NativeOracle().run(image)
    assume(reference.exit != NOT_APPLICABLE)
    note(f"native: {reference.exit} {reference.message}")
    mask = final_mask(image.body, image.body_origin, 32)
    masks = final_register_masks(image.body, image.body_origin, 32)
    for engine in ("interp", "bt:hot=1"):
        assert diff_states(reference, VmmEngine(engine).run(image), mask, masks) == [], engine
