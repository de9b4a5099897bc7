"""The fault-atomicity and self-modifying-code generators: their oracle list and rules."""

import re

import pytest

from conformance import divergences
from conformance.generate import atomicity, smc

REGENERATE = 'python -c "from conformance.generate.atomicity import divergence_entries as d; print(d())"'


def test_every_program_unicorn_cannot_get_right_is_listed():
    listed = {t: d for (_e, t), d in divergences.load().items() if t.startswith("gen/atomicity/")}
    wanted = {f"gen/atomicity/{s}.asm": why for s, why in atomicity.ORACLE_DIVERGENCES.items()}
    assert set(listed) == set(wanted), (
        f"conformance/divergences.toml does not list the atomicity programs Unicorn gets wrong: {REGENERATE}"
    )
    for test, entry in listed.items():
        assert entry.engine == "unicorn" and entry.reason.endswith(wanted[test]), test


def test_every_variant_is_generated():
    names = [atomicity.variant(s).name for s in range(atomicity.COUNT)]
    assert set(names) == {v.name for v in atomicity.VARIANTS}
    for v in atomicity.VARIANTS:
        assert names.count(v.name) == (1 if v.oracle else atomicity.REPEATS), v.name


@pytest.mark.parametrize("seed", [0, 17, 400, atomicity.COUNT - 1])
def test_atomicity_programs_expect_the_fault_at_the_instruction(seed):
    text = atomicity.program(seed)
    assert re.search(r"^; expect-exceptions: (\d+(/0x[0-9a-f]+)?@here|none)$", text, re.M)
    assert re.search(r"^; expect: eax=.* esp=0x[0-9a-f]+$", text, re.M)
    assert "\nhere:\n" in text


def test_rotate_through_carry_is_a_rotate_of_cf_and_the_operand():
    # RCL byte 0x8B by 7 with CF = 0: 0:1000 1011 rotated left by 7 is 1:1010 0010
    assert smc._rotate_through_carry("rcl", 0x8B, 7, 8, 0) == (0xA2, 1)
    assert smc._rotate_through_carry("rcr", 0xA2, 7, 8, 1) == (0x8B, 0)
    assert smc._rotate_through_carry("rcl", 0x1234, 17, 16, 1) == (0x1234, 1)  # 17 mod 17


@pytest.mark.parametrize(
    "code, loop, ok",
    [
        (bytes.fromhex("01d1"), False, True),  # add ecx, edx
        (bytes.fromhex("01c4"), False, False),  # add esp, eax
        (bytes.fromhex("01d5"), False, False),  # add ebp, edx: only mov ebp, imm32 writes EBP
        (bytes.fromhex("bd78563412"), False, True),  # mov ebp, imm32 (the witness)
        (bytes.fromhex("66bd3412"), False, False),  # mov bp, imm16
        (bytes.fromhex("41"), False, True),  # inc ecx
        (bytes.fromhex("41"), True, False),  # inc ecx, with ECX counting a loop
        (bytes.fromhex("0008"), False, False),  # add [eax], cl: memory forms are out
        (bytes.fromhex("9f90"), True, True),  # lahf; nop
        (bytes.fromhex("83c0"), False, False),  # add eax, imm8 cut short
    ],
)
def test_window_rules(code, loop, ok):
    assert (smc._parse(code, smc._Rules(loop)) is not None) == ok


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4, 5])
def test_smc_programs_name_the_code_they_leave(seed):
    text = smc.program(seed)
    versions = re.search(r"^; \| window ([0-9a-f ]+) -> (.*)$", text, re.M)
    final = bytes.fromhex(versions.group(2).split(" -> ")[-1].replace(" ", ""))
    final += b"\x90" * (8 - len(final))
    expect = re.search(r"^; expect: ebp=\S+ esi=(0x[0-9a-f]+) edi=(0x[0-9a-f]+)$", text, re.M)
    assert int(expect.group(1), 16) == int.from_bytes(final[:4], "little")
    assert int(expect.group(2), 16) == int.from_bytes(final[4:], "little")
    assert "\nt:\n" in text and "[t" in text
