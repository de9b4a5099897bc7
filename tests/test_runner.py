"""End to end: the runner's verdicts, the divergence list and the CLI."""

import json
import xml.etree.ElementTree as ET

import pytest

from conformance import cli
from conformance.divergences import Divergence
from conformance.runner import run_test

RIGHT = "; add\n; mode: pm32\n; regs: eax=1\n; expect: eax=3 cf=0\n    add eax, 2\n"
WRONG = "; add, worked out wrong on purpose\n; mode: pm32\n; regs: eax=1\n; expect: eax=4\n    add eax, 2\n"


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "guest_tests" / "alu"
    root.mkdir(parents=True)
    (root / "right.asm").write_text(RIGHT)
    (root / "wrong.asm").write_text(WRONG)
    (root / "broken.asm").write_text("; mode: pm32\n    movx eax, 1\n")
    (root / "nomode.asm").write_text("; mode: protected\n    nop\n")
    return root


def test_verdicts_per_file(corpus):
    (right,) = run_test(corpus / "right.asm", ["unicorn"], {})
    (wrong,) = run_test(corpus / "wrong.asm", ["unicorn"], {})
    (broken,) = run_test(corpus / "broken.asm", ["unicorn"], {})
    assert right.status == "pass" and right.test_id == "alu/right.asm"
    assert wrong.status == "fail" and [str(d) for d in wrong.differences] == ["eax: expected 0x4, got 0x3"]
    assert wrong.reproduce == f"conformance run {corpus / 'wrong.asm'} --engine unicorn"
    assert broken.status == "error" and broken.message.endswith(
        "broken.asm:2: assembly failed: Invalid mnemonic (KS_ERR_ASM_MNEMONICFAIL): 'movx eax, 1'"
    )


def test_listed_divergence_is_known_and_a_stale_one_fails(corpus):
    listed = {("unicorn", "alu/wrong.asm"): Divergence("unicorn", "alu/wrong.asm", "demo", fields=["eax"])}
    assert run_test(corpus / "wrong.asm", ["unicorn"], listed)[0].status == "known"
    stale = {("unicorn", "alu/right.asm"): Divergence("unicorn", "alu/right.asm", "demo")}
    assert run_test(corpus / "right.asm", ["unicorn"], stale)[0].status == "stale"
    narrow = {("unicorn", "alu/wrong.asm"): Divergence("unicorn", "alu/wrong.asm", "demo", fields=["ebx"])}
    assert run_test(corpus / "wrong.asm", ["unicorn"], narrow)[0].status == "fail"


def test_cli_run_reports_each_bad_file_in_one_line_and_writes_reports(corpus, tmp_path, capsys):
    rc = cli.main(
        [
            "run",
            str(corpus),
            "-j",
            "2",
            "--json",
            str(tmp_path / "r.json"),
            "--junit",
            str(tmp_path / "r.xml"),
        ]
    )
    out = capsys.readouterr().out
    assert rc == 1
    assert "FAIL alu/wrong.asm [unicorn]" in out and "eax: expected 0x4, got 0x3" in out
    assert f"reproduce: conformance run {corpus / 'wrong.asm'} --engine unicorn" in out
    assert "nomode.asm:1: mode: unknown mode 'protected'" in out
    assert "Traceback" not in out
    results = {r["test"]: r["status"] for r in json.loads((tmp_path / "r.json").read_text())["results"]}
    assert results == {
        "alu/broken.asm": "error",
        "alu/nomode.asm": "error",
        "alu/right.asm": "pass",
        "alu/wrong.asm": "fail",
    }
    suite = ET.parse(tmp_path / "r.xml").getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "1", "2")


def test_cli_passes_on_good_tests_and_rejects_unknown_engines(corpus, capsys):
    assert cli.main(["run", str(corpus / "right.asm")]) == 0
    assert cli.main(["run", str(corpus / "right.asm"), "--engine", "nosuch"]) == 2
    assert "unknown engine 'nosuch'" in capsys.readouterr().out


def test_cli_show_disassembles_and_shows_final_state(corpus, capsys):
    assert cli.main(["show", str(corpus / "right.asm")]) == 0
    out = capsys.readouterr().out
    assert "add eax, 2" in out and "unicorn" in out and "0x3" in out
