"""The virtualization holes report groups an unsound engine's failures by cause."""

import io

from rich.console import Console

from conformance.compare import Difference
from conformance.divergences import Divergence
from conformance.report.holes import holes, print_holes
from conformance.runner import Outcome
from conformance.state import FinalState
from conformance.vmm import HOLES_RUN, HOLES_RUN_BY_RUNTIME

START = "far jmp@0, mov sreg@0, popf@0"  # what the runtime's start-up runs in every test


def outcome(test, status, body, runtime=START, fields=("eax",)):
    state = FinalState(engine="naive-de", exit="end", extra={HOLES_RUN: body, HOLES_RUN_BY_RUNTIME: runtime})
    differences = [Difference(f, "1", "2") for f in fields] if status == "fail" else []
    return Outcome(test, test, "naive-de", status, differences, state=state)


LISTED = {
    ("unicorn", "x87/a.asm"): Divergence("unicorn", "x87/a.asm", "no PE", fields=["fsw"]),
    ("unicorn", "io/b.asm"): Divergence(
        "unicorn", "io/b.asm", "no I/O bitmap", fields=["exceptions", "cs", "eax"]
    ),
}


def test_failures_go_to_their_cause():
    outcomes = [
        outcome("sensitive/sgdt.asm", "fail", "sgdt@0"),
        outcome("alu/pushf_ok.asm", "pass", "pushf@3"),
        outcome("alu/pushf.asm", "fail", "pushf@0, sgdt@0"),
        # a hole in the body, but every difference is a listed value of the backend's
        outcome("x87/a.asm", "fail", "pushf@0", fields=("fsw",)),
        # no hole in the body: the runtime's IRET into user mode, before a listing that
        # covers the exceptions (what the engine's privilege handling changes)
        outcome("io/b.asm", "fail", "", runtime=START + ", iret@0", fields=("eax", "cs")),
        outcome("odd/c.asm", "fail", ""),
        outcome("sensitive/unjudged.asm", "unjudged", "sgdt@0"),
    ]
    found = holes(outcomes, LISTED)["naive-de"]
    assert found["holes"]["sgdt"] == {"fail": ["sensitive/sgdt.asm", "alu/pushf.asm"], "pass": []}
    assert found["holes"]["pushf"] == {"fail": ["alu/pushf.asm"], "pass": ["alu/pushf_ok.asm"]}
    assert found["causes"] == {
        "the backend's (a listed Unicorn divergence)": ["x87/a.asm"],
        "the runtime's iret": ["io/b.asm"],
    }
    assert found["outliers"] == [{"test": "odd/c.asm", "first_difference": "eax: expected 1, got 2"}]
    out = io.StringIO()
    print_holes(Console(file=out, width=200), {"naive-de": found})
    text = out.getvalue()
    assert "naive-de: no failing test ran sidt, sldt" in text  # the seventeen not seen
    assert "outlier, no hole run: odd/c.asm" in text


def test_engines_that_report_no_holes_are_left_out():
    plain = Outcome("a.asm", "a.asm", "de+bt", "fail", [], state=FinalState(engine="de+bt", exit="end"))
    assert holes([plain], LISTED) == {}
