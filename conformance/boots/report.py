"""The HTML report of one ``conformance boots`` run: a table of the boots, what changed
against the compared records, the history's plots, and per boot its VGA screenshot,
milestones, transcripts and engine statistics. One self-contained file (screenshots are
embedded; the plots are linked beside it)."""

from __future__ import annotations

import base64
import os
from html import escape
from pathlib import Path

from .compare import Change

STYLE = """
body { font-family: sans-serif; margin: 2em; }
table { border-collapse: collapse; margin: 1em 0; }
td, th { border: 1px solid #bbb; padding: 0.2em 0.6em; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
pre { background: #f4f4f4; padding: 0.6em; overflow-x: auto; max-height: 30em; }
.bad { color: #b00; font-weight: bold; } .good { color: #070; }
img.screen { border: 1px solid #444; image-rendering: pixelated; }
"""


def _table(header: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=n' if i in numeric else ''}>{cell}</td>" for i, cell in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _screenshot(record: dict, history: Path) -> str:
    path = history / record["screenshot"] if record.get("screenshot") else None
    if not path or not path.is_file():
        return "<p>(no screenshot)</p>"
    data = base64.b64encode(path.read_bytes()).decode()
    return f'<img class="screen" alt="VGA text screen" src="data:image/png;base64,{data}">'


def _boot(record: dict, history: Path, final: str | None) -> str:
    reached = final in record["milestones"] if final else record["reason"] == "milestone"
    status = '<span class="good">reached</span>' if reached else '<span class="bad">not reached</span>'
    milestones = _table(
        ["milestone", "instructions"],
        [[escape(text), f"{count:,}"] for text, count in record["milestones"].items()],
        {1},
    )
    stats = _table(
        ["engine statistic", "count"], [[escape(k), f"{v:,}"] for k, v in record["stats"].items()], {1}
    )
    parts = [
        f'<h2 id="{escape(record["guest"])}-{escape(record["engine"])}">{escape(record["guest"])} on'
        f" {escape(record['engine'])}</h2>",
        f"<p>final milestone {escape(repr(final))}: {status}; stopped: {escape(record['reason'])}"
        f" {escape(record.get('message') or '')}</p>",
        _screenshot(record, history),
        milestones,
        "<h3>serial</h3><pre>" + escape(record["serial"]) + "</pre>",
    ]
    if record["debug"]:
        parts.append(
            "<details><summary>debug ports (0xE9, 0x402)</summary><pre>"
            + escape(record["debug"])
            + "</pre></details>"
        )
    parts.append("<details><summary>VGA text</summary><pre>" + escape(record["screen"]) + "</pre></details>")
    if record["stats"]:
        parts.append(stats)
    images = ", ".join(f"{escape(role)} {digest[:16]}…" for role, digest in record["images"].items())
    parts.append(f"<p>images (sha256): {images}</p>")
    return "\n".join(parts)


def write(
    path: Path,
    records: list[dict],
    history: Path,
    finals: dict[str, str],
    changes: list[Change] | None = None,
    compared_with: str = "",
    plots: list[Path] = (),
) -> None:
    first = records[0] if records else {}
    title = "refvmm boots"
    summary = _table(
        [
            "guest",
            "engine",
            "stop",
            "milestones",
            "instructions",
            "wall s",
            "MIPS",
            "speed (reference units)",
        ],
        [
            [
                f'<a href="#{escape(r["guest"])}-{escape(r["engine"])}">{escape(r["guest"])}</a>',
                escape(r["engine"]),
                escape(r["reason"]),
                f"{len(r['milestones'])}",
                f"{r['instructions']:,}",
                f"{r['wall_seconds']:.1f}",
                f"{r['mips']:.2f}",
                f"{r['speed']}",
            ]
            for r in records
        ],
        {3, 4, 5, 6, 7},
    )
    parts = [
        f"<!doctype html><html><head><meta charset=utf-8><title>{title}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{title}</h1>",
        f"<p>version {escape(first.get('version', '?'))}, commit {escape(first.get('commit', '?'))}"
        f"{' (with changes)' if first.get('dirty') else ''}, {escape(first.get('date', ''))}, host"
        f" {escape(str(first.get('host', {}).get('name', '?')))}; reference workload"
        f" {first.get('reference_seconds', 0):.3f} s</p>",
        summary,
    ]
    if changes is not None:
        parts.append(f"<h2>Compared with {escape(compared_with)}</h2>")
        if changes:
            parts.append(
                _table(
                    ["guest", "engine", "change", "detail"],
                    [
                        [
                            escape(c.guest),
                            escape(c.engine),
                            f'<span class="{"bad" if c.regression else "good"}">{escape(c.kind)}</span>',
                            f"<pre>{escape(c.detail)}</pre>",
                        ]
                        for c in changes
                    ],
                )
            )
        else:
            parts.append("<p>No change.</p>")
    for plot in plots:
        relative = os.path.relpath(plot, path.parent)
        parts.append(f'<p><img alt="{escape(plot.stem)}" src="{escape(relative)}"></p>')
    parts += [_boot(r, history, finals.get(r["guest"])) for r in records]
    parts.append("</body></html>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
