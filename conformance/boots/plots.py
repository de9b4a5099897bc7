"""Plots of the boot history, per guest: the instructions to each milestone and the guest
MIPS, one line per engine, over the runs in the history (labelled by project version and
commit). Drawn with matplotlib, an optional dependency: ``pip install 'refvmm[plots]'``."""

from __future__ import annotations

from pathlib import Path

INSTALL = "matplotlib is not installed: pip install 'refvmm[plots]' (or pip install 'matplotlib>=3.7,<4')"
FORMATS = ("png", "svg")


class PlotsUnavailable(RuntimeError):
    pass


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise PlotsUnavailable(INSTALL) from None
    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    return plt


def unavailable() -> str | None:
    """Why plots cannot be drawn here (with how to install what is missing), or None."""
    try:
        _pyplot()
    except PlotsUnavailable as exc:
        return str(exc)
    return None


def _label(record: dict) -> str:
    return f"{record.get('version', '?')}\n{record['commit'][:7]}{'+' if record.get('dirty') else ''}"


def write(records: list[dict], folder: Path, fmt: str = "png") -> list[Path]:
    """One file per guest in ``folder``; returns their paths."""
    plt = _pyplot()
    folder.mkdir(parents=True, exist_ok=True)
    runs = list(dict.fromkeys(r["run"] for r in records))
    labels = {r["run"]: _label(r) for r in records}
    written = []
    for guest in dict.fromkeys(r["guest"] for r in records):
        mine = [r for r in records if r["guest"] == guest]
        figure, (top, bottom) = plt.subplots(2, 1, figsize=(12, 7), sharex=True)
        # engines often agree exactly: each its own line style and marker, so none hides another
        for n, engine in enumerate(dict.fromkeys(r["engine"] for r in mine)):
            style = {"linestyle": ("-", "--", ":", "-.")[n % 4], "marker": "os^dv"[n % 5]}
            of_engine = {r["run"]: r for r in mine if r["engine"] == engine}  # the run's last boot
            xs = [i for i, run in enumerate(runs) if run in of_engine]
            milestones = dict.fromkeys(m for r in of_engine.values() for m in r["milestones"])
            for m, text in enumerate(milestones):  # a milestone keeps its colour on every engine
                style["color"] = f"C{m % 10}"
                points = [(i, of_engine[runs[i]]["milestones"].get(text)) for i in xs]
                points = [(x, y) for x, y in points if y is not None]
                if points:
                    top.plot(*zip(*points), **style, label=f"{engine}: {text[:30]}")
            style.pop("color", None)
            bottom.plot(xs, [of_engine[runs[i]]["mips"] for i in xs], **style, label=engine)
        top.set_title(f"{guest}: instructions to each milestone")
        top.set_ylabel("instructions")
        if top.get_legend_handles_labels()[0]:
            top.legend(fontsize="x-small", loc="upper left", bbox_to_anchor=(1.01, 1))
        else:  # a guest that reached no milestone yet
            top.text(0.5, 0.5, "no milestone reached", ha="center", transform=top.transAxes)
        bottom.set_title(f"{guest}: guest MIPS")
        bottom.set_ylabel("MIPS")
        bottom.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))
        bottom.set_xticks(range(len(runs)), [labels[run] for run in runs], fontsize="small")
        figure.tight_layout()
        path = folder / f"{guest}.{fmt}"
        figure.savefig(path)
        plt.close(figure)
        written.append(path)
    return written
