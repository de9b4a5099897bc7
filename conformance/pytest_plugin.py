"""pytest collection of guest tests: one item per ``.asm`` file and engine configuration.

``pytest guest_tests`` runs every test on the engines given with ``--engine``
(repeatable; default: unicorn, interp, bt and bt:hot=1), with ids like ``alu/add_basic.asm[unicorn]``, so
``pytest -n auto`` runs the corpus in parallel. A failure shows the differences
and the one-line command that reproduces it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .engines import DEFAULT_ENGINES
from .runner import engine_for, run_test, test_root

PYTEST_REFERENCES = ("kvm", "unicorn")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--engine",
        action="append",
        dest="conformance_engines",
        help="engine configuration to run guest tests on (repeatable; default: see conformance engines)",
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if file_path.suffix == ".asm" and test_root(file_path) is not None:
        return AsmFile.from_parent(parent, path=file_path)
    return None


class GuestTestFailure(Exception):
    pass


class AsmFile(pytest.File):
    def collect(self):
        engines = self.config.getoption("conformance_engines") or list(DEFAULT_ENGINES)
        test_id = self.path.resolve().relative_to(test_root(self.path)).as_posix()
        for engine in engines:
            item = AsmItem.from_parent(self, name=f"{test_id}[{engine}]", engine=engine)
            item.add_marker(pytest.mark.corpus)
            yield item


class AsmItem(pytest.Item):
    def __init__(self, *, engine: str, **kwargs):
        super().__init__(**kwargs)
        self.engine = engine

    def runtest(self) -> None:
        engines = [self.engine]
        if engine_for(self.engine).kind != "oracle":
            # an engine under test is judged against a reference oracle too
            # (kvm, else Unicorn: the native oracle is asked for by name, -e native)
            engines = [r for r in PYTEST_REFERENCES if not engine_for(r).unavailable()][:1] + engines
        outcome = run_test(self.path, engines)[-1]
        if outcome.status in ("skip", "n/a"):
            pytest.skip(outcome.message)
        if outcome.status == "unjudged" and engine_for(self.engine).kind == "oracle":
            # a differential test (no hand-worked values): the oracle is what the engines are
            # judged against, and nothing here judges the oracle itself
            pytest.skip(f"{self.engine} is the reference of a differential test: {outcome.message}")
        if outcome.status == "known":
            pytest.xfail(f"known divergence: {outcome.message}")
        if not outcome.ok:
            lines = [f"{outcome.status}: {outcome.message}".rstrip(": ")]
            lines += [f"  {d}" for d in outcome.differences]
            lines.append(f"reproduce: {outcome.reproduce}")
            raise GuestTestFailure("\n".join(lines))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, GuestTestFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, self.name
