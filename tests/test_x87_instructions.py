"""The x87 instructions as the VMM runs them (decoder, templates, ``cpu/fpu.py``), against
the host processor where it can run the same code, and the rules the instruction layer
keeps: every escape decodes, every x87 form has properties, a faulting store changes
nothing."""

from __future__ import annotations

import pytest
import x87_host as host

from conformance.format import parse_text
from conformance.runtime import build_image
from conformance.vmm import VmmEngine
from refvmm.cpu.decoder import DecodeError, FReg, decode
from refvmm.cpu.properties import UNKNOWN, properties

ENGINES = ("interp", "bt:hot=1")


def _vmm(body: str, engine: str, out: int = 0x18100, size: int = 64) -> bytes:
    """Run an x87 body in pm32 on the VMM; the bytes it stored at ``out``."""
    text = f"; t\n; mode: pm32\n; compare: {out:#x} {size}\n" + "".join(f"    {line}\n" for line in body)
    image = build_image(parse_text(text, "t.asm", "t.asm"))
    state = VmmEngine(engine).run(image)
    assert state.exit == "end", state.message
    return state.memory[out]


# the blank slots the processor executes as aliases (SDM opcode map, tables)
_ALIASES = [
    "fld1",
    "fldpi",
    "fldz",
    ".byte 0xdd, 0xca",  # FXCH ST(2)
    ".byte 0xdf, 0xc9",  # FXCH ST(1)
    ".byte 0xdc, 0xd1",  # FCOM ST(1)
    "fnstsw word ptr [{out}]",
    ".byte 0xdc, 0xda",  # FCOMP ST(2)
    "fnstsw word ptr [{out} + 2]",
    "fld1",
    ".byte 0xde, 0xd1",  # FCOMP ST(1)
    "fnstsw word ptr [{out} + 4]",
    ".byte 0xd9, 0xd9",  # FSTP ST(1)
    ".byte 0xdf, 0xd1",  # FSTP ST(1)
    "fld1",
    ".byte 0xdf, 0xd9",  # FSTP ST(1)
    "fld1",
    ".byte 0xdf, 0xc1",  # FFREEP ST(1)
    "fnstsw word ptr [{out} + 6]",
    "fld1",
    "fadd st(0), st(2)",  # ST(2) is empty: a stack underflow
    "fstp tbyte ptr [{out} + 8]",
    "fnstsw word ptr [{out} + 18]",
]


@pytest.mark.skipif(not host.SUPPORTED, reason=host.REASON)
@pytest.mark.parametrize("engine", ENGINES)
def test_aliases_as_the_host_runs_them(engine):
    _, out = host.run("; ".join(line.format(out="rsi + 64") for line in _ALIASES), 0x037F)
    ours = _vmm([line.format(out="0x18100") for line in ["fninit", *_ALIASES]], engine)
    assert ours[:20].hex(" ") == out[3][:20].hex(" ")


@pytest.mark.skipif(not host.SUPPORTED, reason=host.REASON)
@pytest.mark.parametrize("code", ["0xdb, 0xe0", "0xdb, 0xe1", "0xdb, 0xe4"])
def test_feni_fdisi_fsetpm_do_nothing_as_on_the_host(code):
    """The 8087's FNENI and FNDISI and the 80287's FNSETPM: no-ops since the 387."""
    body = ["fld1", f".byte {code}", "fnstsw word ptr [{out}]", "fstp tbyte ptr [{out} + 2]"]
    _, out = host.run("; ".join(line.format(out="rsi + 64") for line in body), 0x037F)
    ours = _vmm([line.format(out="0x18100") for line in ["fninit", *body]], "interp")
    assert ours[:12] == out[3][:12]


def test_every_escape_decodes():
    """Each of D8-DF with every ModRM byte decodes (an undefined slot as ``esc``, which
    raises #NM or #UD when run), and register operands are ST(ModRM.rm)."""
    for opcode in range(0xD8, 0xE0):
        for modrm in range(256):
            try:
                ins = decode(bytes([opcode, modrm]) + bytes(6), 32)
            except DecodeError as exc:
                raise AssertionError(f"{opcode:02x} {modrm:02x}: {exc}") from None
            assert ins.kind == "x87"
            for op in ins.operands:
                if isinstance(op, FReg) and op.index:
                    assert op.index == modrm & 7
            if ins.mnemonic != "esc":
                assert properties(ins) is not UNKNOWN, ins.mnemonic


def test_decoded_names():
    names = {
        h: decode(bytes.fromhex(h), 32).mnemonic for h in ("dec1", "dee9", "dcf1", "dff0", "dbe2", "d9f8")
    }
    # DE C0+i FADDP; DC F0+i is FDIVR ST(i), ST(0) and DE E8+i FSUBP (Intel's names)
    assert names == {
        "dec1": "faddp",
        "dee9": "fsubp",
        "dcf1": "fdivr",
        "dff0": "fcomip",
        "dbe2": "fnclex",
        "d9f8": "fprem",
    }
    assert decode(bytes.fromhex("dfe0"), 32).operands[0].name == "ax"  # FNSTSW AX
    assert decode(bytes.fromhex("66dd30"), 32).operands[0].size == 94 * 8  # a 16-bit FNSAVE image


@pytest.mark.parametrize("engine", ENGINES)
def test_fstp_that_faults_does_not_pop(engine):
    """The store's segment check faults (a null ES: #GP) and the FPU is as it was: nothing
    popped, nothing written (guest_tests/x87 has the #PF cases)."""
    body = [
        "fninit",
        "fld1",
        "xor eax, eax",
        "mov es, ax",
        "fnstsw word ptr [0x18100]",
        "fstp dword ptr es:[0x18104]",
    ]
    text = "; t\n; mode: pm32\n; compare: 0x18100 16\n" + "".join(f"    {line}\n" for line in body)
    state = VmmEngine(engine).run(build_image(parse_text(text, "t.asm", "t.asm")))
    assert state.exit == "exception" and state.exceptions[0].vector == 13
    assert state.fpu["fsw"] == 0x3800 and state.fpu["ftw"] == 0x80  # TOP 7, ST(0) still in use
    assert state.memory[0x18100][4:8] == bytes(4)


@pytest.mark.skipif(not host.SUPPORTED, reason=host.REASON)
def test_fnstenv_masks_and_leaves_nothing_pending_as_the_host_does():
    """A pending divide by zero, FNSTENV (16-bit image), then FNSAVE: the second image's
    status word has ES and B clear, as the host processor leaves them."""
    one, zero = (0x3FFF << 64 | 1 << 63).to_bytes(10, "little"), bytes(10)
    loads = "fld tbyte ptr [rdi + 32]; fld tbyte ptr [rdi + 16]"
    sw, _, _, mem = host.run_unmasked(
        loads, "fdiv st(0), st(1); .byte 0x66; fnstenv [rsi + 176]", 0x37B, one, zero
    )
    body = [
        "fldcw word ptr [0x18000]",
        "fldz",
        "fld1",
        "fdiv st(0), st(1)",
        ".byte 0x66",
        "fnstenv [0x18100]",
    ]
    text = "; t\n; mode: pm32\n; data: 0x18000 dw 0x37b\n; compare: 0x18100 64\n"
    text += "".join(f"    {line}\n" for line in ["fninit", *body, "fnsave [0x18120]"])
    ours = VmmEngine("interp").run(build_image(parse_text(text, "t.asm", "t.asm"))).memory[0x18100]
    assert ours[:6] == mem[:6]  # CW, SW (ES, B and ZE set), TW as stored
    assert int.from_bytes(ours[0x24:0x26], "little") == sw == 0x3004


@pytest.mark.skipif(not host.SUPPORTED, reason=host.REASON)
@pytest.mark.parametrize("op", ["fld dword ptr [{a}]", "fld1; fadd dword ptr [{a}]"])
def test_unmasked_denormal_operand_as_the_host(op):
    """DE unmasked: FLD of a single denormal still pushes it (normalised); FADD of one
    leaves ST(0) alone. FNSAVE's image shows both, before the exception is taken."""
    sw, regs, tw, _ = host.run_unmasked("", op.format(a="rdi + 16"), 0x37D, (1).to_bytes(4, "little"))
    lines = ["fninit", "fldcw word ptr [0x18000]", *op.format(a="0x18004").split("; "), "fnsave [0x18100]"]
    text = "; t\n; mode: pm32\n; data: 0x18000 dw 0x37d\n; data: 0x18004 dd 1\n; compare: 0x18100 108\n"
    text += "".join(f"    {line}\n" for line in lines)
    image = VmmEngine("interp").run(build_image(parse_text(text, "t.asm", "t.asm"))).memory[0x18100]
    assert int.from_bytes(image[4:6], "little") == sw and int.from_bytes(image[8:10], "little") == tw
    assert int.from_bytes(image[28:38], "little") == regs[0]


# -- random sequences, against the host -------------------------------------------------

# (not FXAM: of an empty register it reports the sign of whatever the register held)
_STEPS = (
    "fld1", "fldpi", "fldz", "fldl2e", "fld tbyte ptr [{a}]", "fld tbyte ptr [{b}]", "fld st({i})",
    "fadd st(0), st({i})", "fsub st({i}), st(0)", "fmulp st({i}), st(0)", "fdivr st(0), st({i})",
    "fdivp st({i}), st(0)", "fsubrp st({i}), st(0)", "fxch st({i})", "fchs", "fabs", "fsqrt",
    "frndint", "fscale", "fxtract", "fprem", "fprem1", "fcom st({i})", "fucomp st({i})", "fcompp",
    "ftst", "fincstp", "fdecstp", "ffree st({i})", "fstp st({i})", "fst st({i})", "fnop",
)  # fmt: skip


def _sequence(seed: int) -> tuple[list[str], list[bytes], int]:
    import random

    rng = random.Random(seed)
    cw = 0x3F | rng.choice((0, 2, 3)) << 8 | rng.randrange(4) << 10
    operands = []
    for _ in range(2):
        exponent = rng.choice((0, 1, 0x3FFF + rng.randrange(-70, 70), 0x7FFF))
        significand = rng.getrandbits(64) | (1 << 63 if rng.random() < 0.9 else 0)
        operands.append((rng.getrandbits(1) << 79 | exponent << 64 | significand).to_bytes(10, "little"))
    steps = [rng.choice(_STEPS).replace("{i}", str(rng.randrange(8))) for _ in range(rng.randrange(4, 14))]
    return steps, operands, cw


def _comparable(image: bytes) -> bytes:
    """FNSAVE's 32-bit image without the instruction and data pointers and selectors,
    which differ between the host's 64-bit process and the test's segments, FOP (whose
    ModRM byte follows the addressing), and the contents of empty registers (whatever
    earlier code left there)."""
    top = image[5] >> 3 & 7
    tags = int.from_bytes(image[8:10], "little")
    registers = b"".join(
        bytes(10) if tags >> 2 * ((top + i) & 7) & 3 == 3 else image[28 + 10 * i : 38 + 10 * i]
        for i in range(8)
    )
    return image[:12] + registers


@pytest.mark.skipif(not host.SUPPORTED, reason=host.REASON)
@pytest.mark.parametrize("seed", range(120))
def test_random_sequences_as_the_host(seed):
    """A random run of stack, arithmetic and comparison instructions with every exception
    masked: the FPU state FNSAVE stores (control, status and tag words, FOP, the eight
    registers) is the host processor's, on the interpreter and the translator."""
    steps, operands, cw = _sequence(seed)
    body = "; ".join(s.format(a="rdi + 16", b="rdi + 32") for s in steps) + "; fnsave [rsi + 64]"
    _, out = host.run(body, cw, *operands)
    data = "".join(
        f"; data: {0x18010 + 16 * k:#x} db {' '.join(str(x) for x in op)}\n" for k, op in enumerate(operands)
    )
    lines = ["fninit", "fldcw word ptr [0x18000]", *(s.format(a="0x18010", b="0x18020") for s in steps)]
    text = f"; t\n; mode: pm32\n; data: 0x18000 dw {cw:#x}\n{data}; compare: 0x18100 108\n"
    text += "".join(f"    {line}\n" for line in [*lines, "fnsave [0x18100]"])
    image = build_image(parse_text(text, "t.asm", "t.asm"))
    for engine in ENGINES:
        ours = VmmEngine(engine).run(image).memory[0x18100]
        assert _comparable(ours).hex(" ") == _comparable(out[3][:108]).hex(" "), (engine, steps)
