"""The keystone front end: workarounds still needed, labels, error lines, cache."""

import keystone
import pytest

from conformance import assemble as A


def raw_keystone(text: str, bits: int) -> bytes:
    mode = keystone.KS_MODE_16 if bits == 16 else keystone.KS_MODE_32
    return bytes(keystone.Ks(keystone.KS_ARCH_X86, mode).asm(text, 0)[0])


# (source, bits, what keystone wrongly emits, the SDM encoding)
QUIRKS = [
    ("push ds", 32, "661e", "1e"),
    ("pop es", 32, "6607", "07"),
    ("lgdt [0x500]", 32, "660f011500050000", "0f011500050000"),
    ("sidt [eax]", 32, "660f0108", "0f0108"),
    ("pushf", 32, "669c", "9c"),
    ("popf", 32, "669d", "9d"),
    ("iret", 32, "66cf", "cf"),
    ("ljmp 0x08:0x12345", 32, "66ea45230800", "ea452301000800"),
    ("retf", 16, "66cb", "cb"),
    ("ret", 16, "66c3", "c3"),
    ("ret 4", 16, "66c20400", "c20400"),
    ("call f\nf: nop", 16, "66e80000000090", "e8000090"),
    ("push 0x90", 16, "666890000000", "689000"),
    ("push dword 5", 32, "666a05", "6805000000"),
]


@pytest.mark.parametrize("source,bits,wrong,right", QUIRKS)
def test_keystone_quirk_is_still_there_and_rewritten(source, bits, wrong, right):
    # When keystone fixes one of these, the first assert fails: drop the workaround.
    assert raw_keystone(source, bits).hex() == wrong
    assert A.assemble_uncached(source, bits, 0).code.hex() == right


def test_labels_are_reported_at_their_addresses():
    out = A.assemble_uncached("start: nop\nnop\nhere: mov eax, here\n", 32, 0x10000)
    assert out.labels == {"start": 0x10000, "here": 0x10002}
    assert out.code == bytes.fromhex("9090b802000100")


def test_error_names_the_failing_line():
    with pytest.raises(A.AssemblyError) as info:
        A.assemble_uncached("nop\nmov eax, ebx\nbogus eax\nnop", 32, 0)
    assert info.value.line == 3
    assert "bogus eax" in info.value.message


def test_cache_returns_the_same_result(tmp_path, monkeypatch):
    monkeypatch.setenv("REFVMM_CACHE", str(tmp_path))
    first = A.assemble("x: add eax, 1\n", 32, 0)
    assert list(tmp_path.rglob("*.json"))
    monkeypatch.setattr(A, "assemble_uncached", lambda *a: pytest.fail("reassembled"))
    assert A.assemble("x: add eax, 1\n", 32, 0) == first


def test_body_comments_are_not_assembled():
    assert A.assemble_uncached("nop ; inc eax\n", 32, 0).code == b"\x90"


def test_statement_keystone_would_hang_on_is_rejected():
    with pytest.raises(A.AssemblyError) as info:
        A.assemble_uncached("nop\n[ebp]\n", 32, 0)
    assert info.value.line == 2
