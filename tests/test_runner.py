"""End to end: the runner's verdicts, the divergence list and the CLI."""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conformance import cli
from conformance import runner as R
from conformance.divergences import Divergence
from conformance.oracles.unicorn import UnicornOracle
from conformance.runner import adjudicate, run_test
from conformance.state import FinalState

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


def test_third_party_engine_by_import_path_is_diffed_against_the_oracle(corpus, monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    oracle, engine = run_test(corpus / "right.asm", ["unicorn", "fake_engine:ForcedEax"], {})
    assert oracle.status == "pass" and engine.status == "fail"
    assert "eax: expected 0x3 (unicorn), got 0x1234" in [str(d) for d in engine.differences]


def test_three_way_adjudication_names_who_is_wrong():
    def st(eax, ebx):
        return FinalState(engine="", exit="end", regs={"eax": eax, "ebx": ebx, "eflags": 2})

    # eax: the engine alone is wrong; ebx: unicorn alone is wrong (kvm agrees with the engine)
    states = {"unicorn": st(1, 7), "kvm": st(1, 2), "vmm": st(5, 2)}
    diffs, notes = adjudicate("vmm", states, "kvm", 0)
    assert [(d.field, d.verdict) for d in diffs] == [("eax", "vmm bug: kvm and unicorn agree")]
    assert notes == ["unicorn bug, kvm agrees with vmm: ebx"]
    states["unicorn"] = st(5, 2)  # the engine and unicorn agree against the real CPU
    diffs, _ = adjudicate("vmm", states, "kvm", 0)
    assert diffs[0].verdict == "kvm differs from unicorn too"


# a fetch above the 4 MiB of RAM (here through paging), which Unicorn refuses: it cannot
# execute from the MMIO region that gives the oracle open bus
ABOVE_RAM = (
    "; mode: pm32-paged\n"
    "    mov dword ptr [0x7c00], 0x500003\n"  # the PTE of linear 0x300000: physical 0x500000
    "    invlpg [0x300000]\n"
    "    mov eax, 0x300000\n"
    "    jmp eax\n"
)


def test_an_oracle_error_is_its_own_result_and_the_engines_are_not_compared_with_it(corpus):
    (corpus / "above.asm").write_text(ABOVE_RAM)
    oracle, interp, bt = run_test(corpus / "above.asm", ["unicorn", "interp", "bt"], {})
    assert oracle.status == "error" and "UC_ERR_FETCH_PROT" in oracle.message
    for engine in (interp, bt):  # no hand-worked expectations and no reference result: unjudged
        assert engine.status == "unjudged" and engine.differences == [] and engine.reference == ""
        assert engine.message.startswith("not compared with unicorn: it stopped with an error")


def test_an_engine_whose_oracle_erred_is_still_held_to_the_hand_worked_expectations(corpus):
    (corpus / "above.asm").write_text(
        ABOVE_RAM.replace("; mode: pm32-paged\n", "; mode: pm32-paged\n; expect: ebx=7\n    mov ebx, 7\n")
    )
    oracle, interp = run_test(corpus / "above.asm", ["unicorn", "interp"], {})
    assert oracle.status == "error"
    assert interp.status == "pass" and "not compared with unicorn" in interp.message


def test_an_oracle_crash_is_an_error_never_a_pass(corpus, monkeypatch):
    def crash(self, image):
        raise RuntimeError("oracle bug")

    monkeypatch.setattr(UnicornOracle, "run", crash)
    oracle, interp = run_test(corpus / "right.asm", ["unicorn", "interp"], {})
    assert oracle.status == "error" and "engine crashed: RuntimeError: oracle bug" in oracle.message
    # interp is still judged by the test's expectations, and says it was not compared
    assert interp.status == "pass" and "not compared with unicorn" in interp.message


def test_a_listed_oracle_error_is_known(corpus):
    (corpus / "above.asm").write_text(ABOVE_RAM)
    listed = {
        ("unicorn", "alu/above.asm"): Divergence("unicorn", "alu/above.asm", "no open bus", fields=["exit"])
    }
    assert run_test(corpus / "above.asm", ["unicorn"], listed)[0].status == "known"


def test_a_run_stopped_by_the_clock_is_a_timeout_and_is_not_compared(corpus, monkeypatch):
    (corpus / "spin.asm").write_text("; spin\n; mode: pm32\n; budget: 1000000000000\nspin:\n    jmp spin\n")
    build = R.build_image

    def quick(spec):
        image = build(spec)
        image.timeout = 0.2
        return image

    monkeypatch.setattr(R, "build_image", quick)
    outcomes = run_test(corpus / "spin.asm", ["unicorn", "interp", "bt"], {})
    assert [o.status for o in outcomes] == ["timeout"] * 3  # not a pass, though all three "agree"
    assert all(o.differences == [] and "not compared" in o.message for o in outcomes)


def test_an_oracle_alone_on_a_test_without_expectations_is_unjudged(corpus, capsys):
    (corpus / "plain.asm").write_text("; no expectations\n; mode: pm32\n    add eax, 2\n")
    (outcome,) = run_test(corpus / "plain.asm", ["unicorn"], {})
    assert outcome.status == "unjudged" and "no hand-worked expectations" in outcome.message
    assert cli.main(["run", str(corpus / "plain.asm"), "-e", "unicorn"]) == 1


def test_a_run_where_every_engine_is_skipped_is_not_a_success(corpus, monkeypatch, capsys):
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    assert cli.main(["run", str(corpus / "right.asm"), "-e", "fake_engine:Unavailable"]) == 1
    out = capsys.readouterr().out
    assert "nothing was compared (1 skip): not a success" in out and "all as expected" not in out


def test_a_run_where_every_engine_errs_is_not_a_success(corpus, monkeypatch, capsys):
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    assert cli.main(["run", str(corpus / "right.asm"), "-e", "fake_engine:Crashes"]) == 1
    out = capsys.readouterr().out
    assert "ERROR alu/right.asm [fake_engine:Crashes]: engine crashed: RuntimeError: boom" in out
    assert "all as expected" not in out


def test_a_test_that_kills_its_worker_process_takes_down_no_other_test(corpus, monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    (corpus / "crash.asm").write_text(RIGHT)
    for i in range(6):
        (corpus / f"right{i}.asm").write_text(RIGHT)
    paths = [corpus / f"right{i}.asm" for i in range(3)] + [corpus / "crash.asm"]
    paths += [corpus / f"right{i}.asm" for i in range(3, 6)]
    results = {r[0].test_id: r[0] for r in R.run_many(paths, ["fake_engine:DiesOnCrash"], jobs=2)}
    assert len(results) == 7
    assert results["alu/crash.asm"].status == "error" and "worker process" in results["alu/crash.asm"].message
    assert all(results[f"alu/right{i}.asm"].status == "pass" for i in range(6))


def test_engines_that_promise_exact_counts_must_agree_on_them(corpus):
    outcomes = run_test(
        corpus / "right.asm", ["unicorn", "interp", "bt", "fake_engine:OneMoreInstruction"], {}
    )
    status = {o.engine: o for o in outcomes}
    assert status["unicorn"].status == "pass"  # an oracle promises no count
    for name in ("interp", "bt", "fake_engine:OneMoreInstruction"):
        assert status[name].status == "fail", name
        assert [d.field for d in status[name].differences] == ["instructions"], name
    assert run_test(corpus / "right.asm", ["unicorn", "interp", "bt", "bt:hot=1"], {})[1].status == "pass"


def test_a_listed_oracle_divergence_stands_where_nothing_checks_the_oracle(corpus):
    # a differential test: the oracle is the reference of the engines, which does not check it
    (corpus / "plain.asm").write_text("; differential\n; mode: pm32\n    add eax, 2\n")
    listed = {("unicorn", "alu/plain.asm"): Divergence("unicorn", "alu/plain.asm", "demo", fields=["esp"])}
    oracle, engine = run_test(corpus / "plain.asm", ["unicorn", "interp"], listed)
    assert (oracle.status, engine.status) == ("known", "pass")


def test_native_judges_in_the_three_way_adjudication_where_kvm_is_absent():
    def st(eax, ebx):
        return FinalState(engine="", exit="end", regs={"eax": eax, "ebx": ebx, "eflags": 2})

    states = {"unicorn": st(1, 7), "native": st(1, 2), "vmm": st(5, 2)}
    diffs, notes = adjudicate("vmm", states, "native", 0)
    assert [(d.field, d.verdict) for d in diffs] == [("eax", "vmm bug: native and unicorn agree")]
    assert notes == ["unicorn bug, native agrees with vmm: ebx"]


PRIVILEGED = "; privileged\n; mode: pm32\n; expect: eax=0x11\n    mov eax, cr0\n"
NATIVE = pytest.mark.skipif(
    R.engine_for("native").unavailable() is not None, reason="native oracle unavailable here"
)


@NATIVE
def test_a_test_native_cannot_run_is_n_a_with_the_reason_and_nobodys_reference(corpus):
    (corpus / "priv.asm").write_text(PRIVILEGED)
    native, unicorn, interp = run_test(corpus / "priv.asm", ["native", "unicorn", "interp"], {})
    assert native.status == "n/a" and "MOV" in native.message and native.ok
    assert unicorn.status == "pass" and interp.status == "pass" and interp.reference == "unicorn"


@NATIVE
def test_native_is_the_reference_of_unicorn_and_the_engines_where_it_runs(corpus):
    native, unicorn, interp = run_test(corpus / "right.asm", ["native", "unicorn", "interp"], {})
    assert (native.status, unicorn.status, interp.status) == ("pass", "pass", "pass")
    assert unicorn.reference == "native" and interp.reference == "native"
