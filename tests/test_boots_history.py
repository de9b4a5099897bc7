"""``conformance boots``: the history, the comparison, the plots and the report, on fake
records and on a tiny multiboot guest written here (the real guests are behind -m boots).
An injected regression, a changed transcript, must be caught."""

import json

import pytest
from test_boot_session import SAY_HELLO, kernel

from conformance.boots import catalogue, compare, history, plots, report
from conformance.cli import main


def fake(**changes) -> dict:
    record = {
        "guest": "tiny",
        "engine": "interp",
        "version": "0.1.0",
        "commit": "a" * 40,
        "dirty": False,
        "date": "2026-01-01T00:00:00+00:00",
        "host": {"name": "h"},
        "run": "r1",
        "reason": "milestone",
        "message": "",
        "milestones": {"banner": 1000, "prompt": 5000},
        "instructions": 5001,
        "idle": 0,
        "wall_seconds": 10.0,
        "mips": 0.5,
        "reference_seconds": 0.1,
        "speed": 100.0,
        "serial": "banner\nloading\nprompt",
        "debug": "",
        "screen": "",
        "stats": {},
        "images": {"kernel": "0" * 64},
        "screenshot": "",
    }
    record.update(changes)
    return record


def kinds(changes) -> list[str]:
    return [c.kind for c in changes if c.regression]


def test_the_same_boot_is_no_change():
    assert compare.compare(fake(), fake(run="r2")) == []


def test_a_changed_transcript_is_caught_with_a_diff():
    changes = compare.compare(fake(), fake(serial="banner\nLOADING\nprompt"))
    assert kinds(changes) == ["transcript changed"]
    assert (
        "-loading" in changes[0].detail and "+LOADING" in changes[0].detail and "serial" in changes[0].detail
    )


def test_a_lost_milestone_and_changed_counts():
    changes = compare.compare(fake(), fake(milestones={"banner": 1200}, instructions=9000, reason="budget"))
    assert kinds(changes) == [
        "milestone lost",
        "stop changed",
        "instructions changed",
        "instructions changed",
    ]
    assert (
        "5,001 -> 9,000 (+3,999" in changes[2].detail and "to 'banner': 1,000 -> 1,200" in changes[3].detail
    )


def test_speed_is_judged_against_the_reference_workload_not_wall_time():
    # twice the wall time on a host twice as slow (the reference took twice as long): no change
    assert compare.compare(fake(), fake(wall_seconds=20.0, reference_seconds=0.2, speed=100.0)) == []
    slower = compare.compare(fake(), fake(wall_seconds=13.0, speed=130.0))
    assert kinds(slower) == ["slower"] and "1.30x" in slower[0].detail
    faster = compare.compare(fake(), fake(speed=50.0))
    assert kinds(faster) == [] and faster[0].kind == "faster"
    assert compare.compare(fake(wall_seconds=0.5), fake(wall_seconds=1.0, speed=200.0)) == []  # too short


def test_a_new_guest_and_other_images_are_said_but_no_regression():
    changes = compare.compare_all({}, [fake()])
    assert [(c.kind, c.regression) for c in changes] == [("new", False)]
    changes = compare.compare(fake(), fake(images={"kernel": "1" * 64}))
    assert [(c.kind, c.regression) for c in changes] == [("images changed", False)]


def test_the_history_and_what_compare_picks(tmp_path):
    history.append(tmp_path, [fake(run="r1", commit="a" * 40), fake(run="r1", engine="bt", commit="a" * 40)])
    history.append(tmp_path, [fake(run="r2", commit="b" * 40, instructions=1)])
    assert [r["run"] for r in history.read_folder(tmp_path)] == ["r1", "r1", "r2"]
    what, chosen = history.baseline("previous", tmp_path, current_run="r3")
    assert "r2" in what and set(chosen) == {("tiny", "interp")}
    what, chosen = history.baseline("aaaaaaa", tmp_path, current_run="r3")  # a commit prefix
    assert set(chosen) == {("tiny", "interp"), ("tiny", "bt")} and chosen[("tiny", "interp")]["run"] == "r1"
    _, chosen = history.baseline("previous", tmp_path, current_run="r2")  # never this run itself
    assert chosen[("tiny", "interp")]["run"] == "r1"
    one = tmp_path / "one.json"
    one.write_text(json.dumps(fake(run="x")))
    assert history.baseline(str(one), tmp_path, "r3")[1][("tiny", "interp")]["run"] == "x"
    with pytest.raises(history.HistoryError, match="no such file, and no boot of that revision"):
        history.baseline("cafebabe", tmp_path, "r3")
    assert history.read_folder(tmp_path / "nothing") == []


@pytest.mark.parametrize(
    "text, message",
    [
        ("{not json\n", "bad.jsonl:1: not a JSON boot record"),
        ('{"guest": "g"}\n', "bad.jsonl:1: not a boot record: no 'engine'"),
        ("[1, 2]", "bad.jsonl:1: not a boot record"),
    ],
)
def test_a_bad_history_file_is_one_line(tmp_path, text, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(text)
    with pytest.raises(history.HistoryError) as error:
        history.read(path)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_the_report(tmp_path):
    (tmp_path / "screens").mkdir()
    (tmp_path / "screens" / "s.png").write_bytes(b"\x89PNG fake")
    records = [fake(screenshot="screens/s.png", serial="<b>banner</b>")]
    changes = compare.compare(fake(), records[0])
    report.write(tmp_path / "r.html", records, tmp_path, {"tiny": "prompt"}, changes, "r1")
    html = (tmp_path / "r.html").read_text()
    assert "data:image/png;base64," in html and "&lt;b&gt;banner&lt;/b&gt;" in html
    assert "transcript changed" in html and "Compared with r1" in html and "1,000" in html


@pytest.mark.skipif(plots.unavailable() is not None, reason="matplotlib is not installed")
@pytest.mark.parametrize("fmt", plots.FORMATS)
def test_the_plots(tmp_path, fmt):
    records = [fake(run="r1"), fake(run="r1", engine="bt", mips=5.0), fake(run="r2", instructions=6000)]
    (path,) = plots.write(records, tmp_path, fmt)
    assert path == tmp_path / f"tiny.{fmt}" and path.stat().st_size > 1000


@pytest.fixture(autouse=True)
def wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # rich's tables, unwrapped


def tiny_guest(path, text: bytes) -> catalogue.Guest:
    path.write_bytes(kernel(SAY_HELLO, text + b"\0"))
    return catalogue.Guest(
        "tiny", "a kernel written by the test", ("hel", "OK"), 10_000, lambda: {"kernel": path}, slow=False
    )


def test_conformance_boots_catches_an_injected_regression(tmp_path, monkeypatch, capsys):
    """Two runs into one history; the second boots a guest whose serial text changed (the
    injected regression) and --compare previous must report it, with the diff, and fail."""
    monkeypatch.setattr(catalogue, "GUESTS", {"tiny": tiny_guest(tmp_path / "k1", b"hello")})
    folder = tmp_path / "history"
    argv = ["boots", "--history", str(folder), "-e", "interp", "-e", "bt"]
    assert main(argv) == 0
    first = capsys.readouterr().out
    assert "reached 'OK'" in first and "report:" in first
    assert main([*argv, "--compare", "previous"]) == 0  # the same boot again: nothing regressed
    assert "0 regression(s)" in capsys.readouterr().out
    monkeypatch.setattr(catalogue, "GUESTS", {"tiny": tiny_guest(tmp_path / "k2", b"help!")})
    assert main([*argv, "--compare", "previous"]) == 1
    out = capsys.readouterr().out
    assert "2 regression(s)" in out and "REGRESSION: transcript changed" in out
    assert "-hello" in out and "+help!" in out
    records = history.read_folder(folder)
    assert len(records) == 6 and len({r["run"] for r in records}) == 3
    assert records[-1]["milestones"] == records[0]["milestones"]  # the same counts: only the text changed
    html = (folder / "report.html").read_text()
    assert "transcript changed" in html and "data:image/png;base64," in html


def test_a_guest_short_of_its_final_milestone_fails(tmp_path, monkeypatch, capsys):
    guest = tiny_guest(tmp_path / "k", b"hello")
    monkeypatch.setattr(
        catalogue, "GUESTS", {"tiny": catalogue.Guest("tiny", "", ("hel", "never"), 10_000, guest.media)}
    )
    assert main(["boots", "--history", str(tmp_path / "h"), "-e", "interp"]) == 1
    assert "FAIL: did not reach 'never': halt" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["nosuch"], "unknown guest 'nosuch'"),
        (["-e", "unicorn"], "unknown engine 'unicorn'"),
        (["-e", "naive-de"], "unsound by design"),
        (["--compare", "no-such-rev"], "--compare no-such-rev: no such file, and no boot of that revision"),
        (["--slower", "0.5"], "--slower 0.5: give a ratio above 1"),
    ],
)
def test_bad_arguments_are_one_line(tmp_path, argv, message, capsys):
    assert main(["boots", "--history", str(tmp_path), *argv]) == 2
    out = capsys.readouterr().out
    assert out.startswith("error: ") and message in out and out.count("\n") == 1


def test_plots_without_matplotlib_say_how_to_install_it(tmp_path, monkeypatch, capsys):
    def missing():
        raise plots.PlotsUnavailable(plots.INSTALL)

    monkeypatch.setattr(plots, "_pyplot", missing)
    assert main(["boots", "--history", str(tmp_path), "--plots", "png"]) == 2
    assert "pip install 'refvmm[plots]'" in capsys.readouterr().out


def test_a_blocked_guest_is_as_listed_until_it_gets_further():
    from conformance.boots.run import status

    guest = catalogue.Guest(
        "g", "", ("banner", "prompt"), 1, dict, blocked="needs the x87", blocked_at="no FPU"
    )
    assert status(guest, fake(milestones={"banner": 1, "no FPU": 2})) == (
        "blocked, as listed: milestone after 'no FPU'",
        True,
    )
    said, ok = status(guest, fake(milestones={"banner": 1}, reason="budget"))
    assert not ok and "did not get to where it is blocked, 'no FPU'" in said
    said, ok = status(guest, fake(milestones={"banner": 1, "prompt": 2}))
    assert not ok and "but listed as blocked (needs the x87): drop the note" in said


def test_the_history_keeps_milestones_in_the_order_reached(tmp_path):
    history.append(tmp_path, [fake(milestones={"zebra": 1, "apple": 2})])
    assert list(history.read_folder(tmp_path)[0]["milestones"]) == ["zebra", "apple"]
