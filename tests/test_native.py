"""The native oracle (the host CPU): hand-worked SDM results, exceptions with their
vector, error code, EIP and CR2, and what it refuses, with the reason."""

import platform
import sys

import pytest

from conformance import layout as L
from conformance.format import parse_text
from conformance.oracles import native
from conformance.oracles.native import NOT_APPLICABLE, NativeOracle
from conformance.runtime import build_image

REASON = NativeOracle().unavailable()
pytestmark = pytest.mark.skipif(REASON is not None, reason=f"native oracle unavailable: {REASON}")


def run(text: str):
    image = build_image(parse_text(text, "native.asm", "native.asm"))
    return image, NativeOracle().run(image)


def flags(state, *names):
    bits = {"cf": 0, "pf": 2, "af": 4, "zf": 6, "sf": 7, "df": 10, "of": 11, "if": 9}
    return {n: state.regs["eflags"] >> bits[n] & 1 for n in names}


def test_add_wraps_to_zero_with_every_carry():
    # SDM ADD: 0xFFFFFFFF + 1 = 0 with a carry out of bit 31 (CF) and bit 3 (AF); the
    # result is zero (ZF), positive (SF 0), its low byte has even parity (PF), and a
    # negative plus a positive cannot overflow (OF 0)
    _, s = run("; mode: pm32\n; regs: eax=0xffffffff ebx=1\n    add eax, ebx\n")
    assert s.exit == "end" and s.regs["eax"] == 0
    want = dict(cf=1, pf=1, af=1, zf=1, sf=0, of=0, **{"if": 0})  # IF: the test's, not the host's
    assert flags(s, "cf", "pf", "af", "zf", "sf", "of", "if") == want
    assert s.regs["eip"] == L.TEST_BASE + 2 + 2  # after the ADD and the final OUT
    assert s.regs["cs"] == L.SEL_KCODE32 and s.regs["cr0"] == 0x11 and "family" in s.extra["host_cpu"]


def test_add_signed_overflow():
    # 0x7FFFFFFF + 1 = 0x80000000: two positives give a negative (OF 1, SF 1), no carry
    # out of bit 31 (CF 0), a carry out of bit 3 (AF 1), low byte 0 has even parity (PF 1)
    _, s = run("; mode: user32\n; regs: eax=0x7fffffff\n    add eax, 1\n")
    assert s.regs["eax"] == 0x80000000
    assert flags(s, "cf", "pf", "af", "zf", "sf", "of", "if") == dict(
        cf=0, pf=1, af=1, zf=0, sf=1, of=1, **{"if": 1}
    )


def test_div_by_zero_is_de_at_the_div():
    text = "; mode: pm32\n; regs: eax=0x1234 edx=0x5678 ecx=0\n"
    text += "    mov ebx, 1\nfault:\n    div ecx\n    mov ebx, 2\n"
    image, s = run(text)
    assert s.exit == "exception"
    assert [(e.vector, e.error, e.eip) for e in s.exceptions] == [(0, None, image.labels["fault"])]
    assert (s.regs["eax"], s.regs["edx"], s.regs["ebx"]) == (0x1234, 0x5678, 1)
    # the runtime's handler: a 12-byte frame left on the test's stack, then add esp, 8
    assert s.regs["esp"] == L.TEST_STACK_TOP - 12 and s.regs["eflags"] & 0x200 == 0


def test_page_fault_above_ram_has_cr2_and_error_code():
    # SDM vol. 3A 4.7: a read of a not-present page at CPL 3 is error code 0b100 (U/S),
    # a write 0b110; CR2 is the linear address
    text = "; mode: user32\nfault:\n    mov dword ptr [0x500004], eax\n"
    image, s = run(text)
    (e,) = s.exceptions
    assert (e.vector, e.error, e.eip, e.cr2) == (14, 0x6, image.labels["fault"], 0x500004)
    assert s.regs["cr2"] == 0x500004 and s.regs["ss"] == L.SEL_KDATA32
    _, s = run("; mode: pm32-paged\n    mov eax, dword ptr [0x500000]\n")
    assert (s.exceptions[0].error, s.exceptions[0].cr2) == (0, 0x500000)  # CPL 0: U/S clear


def test_int3_is_a_trap_after_the_instruction():
    image, s = run("; mode: pm32\n    int3\nafter:\n    nop\n")
    assert [(e.vector, e.eip) for e in s.exceptions] == [(3, image.labels["after"])]


def test_resume_goes_on_after_each_fault():
    text = "; mode: pm32\n; on-exception: resume\n; regs: ecx=0 eax=7\n"
    text += "    div ecx\n    div ecx\n    mov ebx, 5\n"
    _, s = run(text)
    assert s.exit == "end" and [e.vector for e in s.exceptions] == [0, 0] and s.regs["ebx"] == 5
    assert s.regs["esp"] == L.TEST_STACK_TOP


def test_pushf_shows_the_tests_if_and_iopl():
    _, s = run("; mode: pm32\n; regs: eflags=0x3002\n    stc\n    pushfd\n    pop eax\n")
    assert s.regs["eax"] & 0x3201 == 0x3001  # IOPL 3, IF 0 (the test's), CF 1


def test_pushf_in_16bit_code_shows_the_tests_if():
    _, s = run("; mode: pm16\n    stc\n    pushf\n    pushfd\n    pop ax\n    pop ebx\n")
    # AX: the low word of PUSHFD's image; EBX: its high word, then PUSHF's word above it
    assert s.regs["eax"] & 0x201 == 1 and s.regs["ebx"] >> 16 & 0x201 == 1  # IF 0, CF 1


def test_16bit_data_limit_is_checked():
    # SDM MOV: #GP(0) for an effective address outside the segment limit: a word at 0xFFFF
    image, s = run("; mode: pm16\nfault:\n    mov ax, word ptr [0xffff]\n")
    assert [(e.vector, e.error, e.eip) for e in s.exceptions] == [(13, 0, image.labels["fault"])]


def test_a_hung_loop_times_out():
    _, s = run("; mode: pm32\n; budget: 1000\nspin:\n    jmp spin\n")
    assert s.exit == "timeout"


@pytest.mark.parametrize(
    "text, why",
    [
        ("; mode: pm32\n    mov eax, cr0\n", "segment or system register"),
        ("; mode: pm32\n    hlt\n", "privileged"),
        ("; mode: pm32\n    cpuid\n", "not ground truth"),
        ("; mode: user32\n    smsw eax\n", "UMIP"),
        ("; mode: pm32\n    int 0x80\n", "INT"),
        ("; mode: pm32\n    mov ax, 0x10\n    mov ds, ax\n", "segment"),
        ("; mode: real16\n    nop\n", "real mode"),
        ("; mode: pm32\n    mov eax, dword ptr [0x500000]\n", "no paging"),
        ("; mode: user32\n    mov eax, dword ptr [0x1000]\n", "runtime's memory"),
        # JNO +1 skips the 00 into INSB (6C), which the straight reading hides in an ADD
        ("; mode: pm32\n    .byte 0x71, 0x01, 0x00, 0x6c, 0x90, 0x90\n", "port I/O"),
        ("; mode: pm32\n    .byte 0x71, 0x80\n", "leaves the body"),
        # SSE2's MOVSD xmm, m64, named as the string instruction is
        ("; mode: pm32\n    .byte 0xf2, 0x0f, 0x10, 0x00\n", "SSE"),
        # the ADD turns the exit's OUT (E6) into an operand-size prefix (66): a HLT follows
        ("; mode: pm32\n    add byte ptr [done], 0x80\ndone:\n", "exit sequence"),
        # an indirect jump to an OUTSB in the data: the host's #GP at CPL 3, where the
        # test's CPL 0 performs it
        (
            "; mode: pm32\n; data: 0x18000 db 0x6e\n    mov eax, 0x18000\n    jmp eax\n",
            "faulted at code the oracle cannot run: OUTSB: port I/O",
        ),
    ],
)
def test_not_applicable_with_the_reason(text, why):
    _, s = run(text)
    assert s.exit == NOT_APPLICABLE and why in s.message, s.message


def test_unavailable_elsewhere(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert "needs Linux" in native._unavailable.__wrapped__()
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(platform, "machine", lambda: "aarch64")
    assert "x86-64" in native._unavailable.__wrapped__()
