"""Machine-readable reports: JSON (every outcome with its final state) and JUnit XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from ..runner import Outcome


def write_json(path: Path, outcomes: list[Outcome], engines: list[str], extra: dict | None = None) -> None:
    doc = {
        "engines": engines,
        **(extra or {}),
        "results": [
            {
                "test": o.test_id,
                "path": o.path,
                "engine": o.engine,
                "status": o.status,
                "message": o.message,
                "reference": o.reference,
                "seconds": round(o.seconds, 6),
                "differences": [
                    {"field": d.field, "expected": d.expected, "actual": d.actual} for d in o.differences
                ],
                "reproduce": o.reproduce,
                "state": o.state.to_json() if o.state else None,
            }
            for o in outcomes
        ],
    }
    Path(path).write_text(json.dumps(doc, indent=1) + "\n")


def write_junit(path: Path, outcomes: list[Outcome]) -> None:
    suites: dict[str, list[Outcome]] = {}
    for o in outcomes:
        suites.setdefault(o.engine, []).append(o)
    root = ET.Element("testsuites")
    for engine, items in suites.items():
        suite = ET.SubElement(
            root,
            "testsuite",
            name=engine,
            tests=str(len(items)),
            failures=str(sum(o.status in ("fail", "stale") for o in items)),
            errors=str(sum(o.status in ("error", "timeout", "unjudged") for o in items)),
            skipped=str(sum(o.status in ("skip", "known", "n/a") for o in items)),
        )
        for o in items:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=o.category,
                name=f"{o.test_id}[{o.engine}]",
                time=f"{o.seconds:.6f}",
            )
            detail = "\n".join(str(d) for d in o.differences) + f"\nreproduce: {o.reproduce}"
            if o.status in ("fail", "stale"):
                ET.SubElement(case, "failure", message=o.message or "differences").text = detail
            elif o.status in ("error", "timeout", "unjudged"):
                ET.SubElement(
                    case, "error", message=f"{o.status}: {o.message}" if o.status != "error" else o.message
                )
            elif o.status in ("skip", "known", "n/a"):
                ET.SubElement(case, "skipped", message=o.message or o.status)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
