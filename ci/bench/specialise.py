"""Time to specialise templates: 20,000 decoded instructions of distinct forms (the forms
of tests/forms.py), each specialised by ``refvmm.cpu.codegen``, best of five passes.
``--codegen FILE`` times another version of codegen.py instead, to compare, e.g.
``git show REV:refvmm/cpu/codegen.py > /tmp/codegen.py``. A benchmark, not a test.

    python ci/bench/specialise.py [--count N] [--codegen FILE]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))

from forms import forms  # noqa: E402

from refvmm.cpu import codegen  # noqa: E402
from refvmm.cpu.compile import template_for  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--codegen", type=Path, help="a codegen.py to time instead of the installed one")
    args = parser.parse_args()
    module = codegen
    if args.codegen:
        spec = importlib.util.spec_from_file_location("refvmm.cpu._codegen_timed", args.codegen)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclasses look their module up while it loads
        spec.loader.exec_module(module)
    items = [(ins, bits, template_for(ins)) for ins, bits in forms()]
    items = (items * (args.count // len(items) + 1))[: args.count]
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for ins, bits, template in items:
            module.Specialiser(ins, 0x1000, bits).specialise(template)
        best = min(best, time.perf_counter() - start)
    each = best / len(items) * 1e6
    print(f"{len(items)} instructions specialised in {best * 1000:.0f} ms ({each:.1f} us each)")


if __name__ == "__main__":
    main()
