"""Guest user code on the VMM's engines (interp, bt, de+bt) and on raw Unicorn, in one run:
compute loops (ALU, memory), where de+bt runs the guest directly on its backend, and
loops of round trips to a guest kernel (system calls through a trap gate, page faults
its handler resolves), where each round trip on de+bt is a trap to the monitor.

A whole run includes building the machine and, on de+bt, the kernel's set-up on the
translator and the monitor's shadow structures. The steady state is what a longer run
adds: the compute loops are also run ``--scale`` times longer on de+bt and Unicorn, and
the rate is the extra instructions over the extra time (fixed costs cancel). A round
trip's cost on de+bt is given in microseconds and in instructions the interpreter
retires in that time (its rate on the ALU loop). Ratios come from one run on one
machine; this is a benchmark, not a test.

    python ci/bench/user_loops.py [--iterations N] [--scale K]
"""

from __future__ import annotations

import argparse
import dataclasses
import time

from engine_loops import LOOPS, SYSCALL_LOOP
from rich.console import Console
from rich.table import Table

from conformance.format import parse_text
from conformance.oracles.unicorn import UnicornOracle
from conformance.ports import PortBus
from conformance.runtime import build_image
from refvmm.engines import make_engine
from refvmm.machine import Machine

ENGINES = ("interp", "bt", "de+bt")

# A user loop touching two pages in turn (n iterations, two faults each): the kernel unmaps
# the second page, and its #PF handler maps the page that faulted and unmaps the other, so
# every access faults. Each
# fault is a round trip user -> kernel -> user; on de+bt the shadow's entry is filled
# again after each (a hidden fault) since the handler's INVLPG drops it.
PAGE_FAULT_LOOP = """; mode: pm32-paged
; budget: 100000000
    mov dword ptr [0x70c4], 0
    invlpg [0x31000]
    mov eax, pf
    mov word ptr [0x800+14*8], ax
    mov word ptr [0x802+14*8], 0x08
    mov word ptr [0x804+14*8], 0x8e00
    shr eax, 16
    mov word ptr [0x806+14*8], ax
    mov ax, 0x23
    mov ds, ax
    mov es, ax
    push dword 0x23
    push dword 0x1f000
    push dword 0x202
    push dword 0x1b
    push dword user
    iretd
pf:
    push eax
    push ebx
    mov eax, cr2
    shr eax, 12
    mov dword ptr [0x70c0], 0
    mov dword ptr [0x70c4], 0
    mov ebx, eax
    shl ebx, 12
    or ebx, 7
    mov dword ptr [0x7000+eax*4], ebx
    invlpg [0x30000]
    invlpg [0x31000]
    pop ebx
    pop eax
    add esp, 4
    iretd
user:
    mov ecx, {n}
l:
    mov eax, dword ptr [0x30000]
    mov eax, dword ptr [0x31000]
    loop l
"""


def image_of(text: str, name: str):
    return build_image(parse_text(text, name, name))


def run(engine: str, image):
    """Seconds for one whole run of ``image`` on a VMM engine (or "unicorn"), and the
    engine (its statistics). A run that does not reach the loop's end is an error, not a
    figure (the harness's wall-clock limit is lifted: Unicorn's round trips are slow)."""
    image = dataclasses.replace(image, timeout=3600.0)
    if engine == "unicorn":
        start = time.perf_counter()
        state = UnicornOracle().run(image)
        seconds = time.perf_counter() - start
        if state.exit != "end":
            raise SystemExit(f"user_loops.py: {image.path}: unicorn stopped: {state.exit} {state.message}")
        return seconds, None
    start = time.perf_counter()
    bus = PortBus(image.port_in)
    m = Machine(image.ram_size, bus)
    m.load(image.chunks)
    m.cpu.reset(0, image.entry)
    m.cpu.fpu.init()
    e = make_engine(engine)
    reason = e.run(m, image.budget)
    seconds = time.perf_counter() - start
    if (reason, bus.exit) != ("stopped", "end"):
        raise SystemExit(f"user_loops.py: {image.path}: {engine} stopped: {reason} {bus.exit}")
    return seconds, e


def compute(n: int, scale: int) -> tuple[Table, float]:
    table = Table(title=f"user-mode compute loops, millions of instructions per second ({n} iterations)")
    for column in (
        "loop",
        *ENGINES,
        "unicorn",
        "de+bt/unicorn",
        f"steady de+bt ({scale}x)",
        "steady unicorn",
        "steady de+bt/unicorn",
        "fixed ms de+bt / unicorn",
    ):
        table.add_column(column, justify="right")
    interp_rate = 0.0
    for name in ("alu", "memory"):
        body, per_iteration, _kind = LOOPS[name]

        def user(iterations: int, name=name, body=body):
            return image_of(f"; mode: user32\n; budget: 200000000\n{body.format(n=iterations)}\n", name)

        short, long = user(n), user(n * scale)
        instructions = n * per_iteration
        whole = {e: instructions / run(e, short)[0] for e in (*ENGINES, "unicorn")}
        if name == "alu":
            interp_rate = whole["interp"]
        steady, fixed = {}, {}
        for e in ("de+bt", "unicorn"):
            t_short, t_long = run(e, short)[0], run(e, long)[0]
            extra = instructions * (scale - 1)
            steady[e] = extra / (t_long - t_short)
            fixed[e] = (t_short - instructions / steady[e]) * 1e3
        table.add_row(
            name,
            *(f"{whole[e] / 1e6:.2f}" for e in (*ENGINES, "unicorn")),
            f"{whole['de+bt'] / whole['unicorn']:.2f}",
            f"{steady['de+bt'] / 1e6:.2f}",
            f"{steady['unicorn'] / 1e6:.2f}",
            f"{steady['de+bt'] / steady['unicorn']:.2f}",
            f"{fixed['de+bt']:.0f} / {fixed['unicorn']:.0f}",
        )
    return table, interp_rate


def round_trips(n: int, interp_rate: float) -> tuple[Table, list[str]]:
    table = Table(title="round trips to the guest kernel, microseconds each")
    for column in ("loop", *ENGINES, "unicorn", "de+bt in interpreted instructions"):
        table.add_column(column, justify="right")
    notes = []
    for name, text, trips in (
        ("int 0x80 system call", SYSCALL_LOOP.format(n=n), n),
        ("page fault (#PF, handler maps)", PAGE_FAULT_LOOP.format(n=n // 2), n // 2 * 2),
    ):
        image = image_of(text, name)
        times = {}
        for e in (*ENGINES, "unicorn"):
            seconds, engine = run(e, image)
            times[e] = seconds / trips * 1e6
            if e == "de+bt":
                stats = ", ".join(f"{k} {v}" for k, v in sorted(engine.stats.items()))
                notes.append(f"  de+bt statistics, {name} ({trips}): {stats}")
        table.add_row(
            f"{name} ({trips})",
            *(f"{times[e]:.1f}" for e in (*ENGINES, "unicorn")),
            f"{times['de+bt'] * interp_rate / 1e6:.0f}",
        )
    return table, notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=200_000)
    parser.add_argument("--scale", type=int, default=10, help="how much longer the steady-state runs are")
    args = parser.parse_args()
    console = Console()
    table, interp_rate = compute(args.iterations, args.scale)
    console.print(table)
    table, notes = round_trips(args.iterations // 10, interp_rate)
    console.print(table)
    for note in notes:
        console.print(note)
    console.print(
        "  a round trip on de+bt: the trap to the monitor, the replay to the instruction, its"
        " emulation and delivery, the kernel's handler on the translator and its IRET back"
        " to direct execution; unicorn runs the whole guest in one emulator"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
