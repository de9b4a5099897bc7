"""Guest instructions per second of the VMM's engines (interp, bt, de+bt) on fixed loops,
beside Unicorn and beside a plain Python loop doing the same work without flags (the
ceiling for a CPython engine), and on code met for the first time: a straight run of
distinct instructions, beside the same run warm (met again by the same engine), and
random bytes, beside the engine's own rate on the ALU loop. User code, where de+bt
runs the guest directly, is ``user_loops.py``.
Ratios come from one run on one machine; this is a benchmark, not a test. Each
figure includes building the machine and translating, so the loops run long enough
(200,000 iterations) for the steady state to dominate.

    python ci/bench/engine_loops.py [--iterations N] [--cold N]
"""

from __future__ import annotations

import argparse
import struct
import time

from rich.console import Console
from rich.table import Table

from conformance.format import parse_text
from conformance.oracles.unicorn import UnicornOracle
from conformance.runtime import build_image
from conformance.vmm import VmmEngine
from refvmm.cpu.compile import forget_compiled
from refvmm.engines import make_engine
from refvmm.engines.bt import forget_translated
from refvmm.machine import Machine

STRAIGHT = (
    "add eax, {i}",
    "xor ebx, {i}",
    "sub ecx, {i}",
    "mov edx, {i}",
    "lea esi, [eax + {i}]",
    "and edi, {i}",
)

# name -> (body with {n} iterations, guest instructions per iteration, Python equivalent)
LOOPS = {
    "alu": (
        "    mov ecx, {n}\nl:\n    add eax, ecx\n    xor ebx, eax\n    sub edx, 3\n    dec ecx\n    jnz l",
        5,
        "alu",
    ),
    "memory": (
        "    mov ecx, {n}\n    mov esi, 0x20000\nl:\n    mov eax, [esi]\n    add eax, ecx\n"
        "    mov [esi+4], eax\n    dec ecx\n    jnz l",
        5,
        "memory",
    ),
    "string": (
        "    mov edx, {n}\nl:\n    mov esi, 0x20000\n    mov edi, 0x21000\n    mov ecx, 16\n"
        "    rep movs dword ptr es:[edi], dword ptr [esi]\n    dec edx\n    jnz l",
        6,
        "string",
    ),
    "call": (
        "    mov ecx, {n}\nl:\n    call f\n    dec ecx\n    jnz l\n    jmp done\nf:\n    ret\ndone:",
        4,
        "call",
    ),
    # the x87: an extended add and a single store each iteration (issue 15's FPU loop)
    "x87": (
        "    fninit\n    fld1\n    fldz\n    mov ecx, {n}\nl:\n    fadd st(0), st(1)\n"
        "    fst dword ptr [0x20000]\n    dec ecx\n    jnz l",
        4,
        "x87",
    ),
}


# A user loop of system calls through a DPL 3 trap gate to a kernel handler (n calls):
# each is a round trip user -> kernel -> user (user_loops.py).
SYSCALL_LOOP = """; mode: pm32-paged
; budget: 100000000
    mov eax, sys
    mov word ptr [0x800+0x80*8], ax
    mov word ptr [0x802+0x80*8], 0x08
    mov word ptr [0x804+0x80*8], 0xef00
    shr eax, 16
    mov word ptr [0x806+0x80*8], ax
    mov ax, 0x23
    mov ds, ax
    mov es, ax
    push dword 0x23
    push dword 0x1f000
    push dword 0x202
    push dword 0x1b
    push dword user
    iretd
sys:
    add eax, ebx
    iretd
user:
    mov ecx, {n}
    mov ebx, 1
l:
    int 0x80
    loop l
"""


def image_of(text: str):
    return build_image(parse_text(text, "bench", "bench"))


def python_ceiling(kind: str, n: int) -> None:
    """The same work in plain Python: registers in a list, memory in a bytearray."""
    r = [0] * 8
    mem = bytearray(0x30000)
    if kind == "alu":
        for c in range(n, 0, -1):
            r[0] = (r[0] + c) & 0xFFFFFFFF
            r[3] ^= r[0]
            r[2] = (r[2] - 3) & 0xFFFFFFFF
    elif kind == "memory":
        for c in range(n, 0, -1):
            v = (int.from_bytes(mem[0x20000:0x20004], "little") + c) & 0xFFFFFFFF
            mem[0x20004:0x20008] = v.to_bytes(4, "little")
    elif kind == "string":
        for _ in range(n):
            mem[0x21000:0x21040] = mem[0x20000:0x20040]
    elif kind == "x87":  # the host's double arithmetic: a ceiling, not the x87's exact rules
        x = 0.0
        for _ in range(n):
            x += 1.0
            mem[0x20000:0x20004] = struct.pack("<f", x)
    else:
        stack = []
        for _ in range(n):
            stack.append(1)
            stack.pop()


def cold_rate(engine: str, run) -> float:
    """Instructions per second of ``run(engine)`` with nothing compiled beforehand."""
    forget_compiled()
    forget_translated()
    start = time.perf_counter()
    instructions = run(engine)
    return instructions / (time.perf_counter() - start)


def straight_image(count: int, passes: int):
    """``count`` distinct instructions run ``passes`` times: the first pass meets them for the
    first time, the others run them warm (the same code, the same engine)."""
    body = "\n".join("    " + STRAIGHT[i % len(STRAIGHT)].format(i=i + 1) for i in range(count))
    text = f"; mode: pm32\n; budget: 100000000\n    mov ebp, {passes}\nl:\n{body}\n    dec ebp\n    jnz l\n"
    return build_image(parse_text(text, "straight", "straight"))


def cold_and_warm(engine: str, count: int) -> tuple[float, float]:
    """Instructions per second of a straight run met for the first time, and of the same
    run warm: one pass against three, each the best of three runs, so the fixed cost of
    building the machine cancels out."""
    seconds = {}
    for passes in (1, 3):
        image = straight_image(count, passes)
        best = float("inf")
        for _ in range(3):
            forget_compiled()
            forget_translated()
            start = time.perf_counter()
            VmmEngine(engine).run(image)
            best = min(best, time.perf_counter() - start)
        seconds[passes] = best
    return count / seconds[1], 2 * count / (seconds[3] - seconds[1])


def random_bytes(count: int):
    """A flat binary of random bytes in real mode at 0000:7C00, for ``count`` instructions
    (faults go through the zeroed IVT to address 0 and on)."""
    import random

    blob = random.Random(1).randbytes(0x8000)

    def run(engine: str) -> int:
        m = Machine(4 << 20)
        m.load([(0x7C00, blob)])
        m.cpu.reset(0, 0x7C00)
        make_engine(engine).run(m, count)
        return m.retired

    return run


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=200_000)
    parser.add_argument("--cold", type=int, default=20_000, help="instructions of cold code")
    args = parser.parse_args()
    n = args.iterations
    warm = {}
    table = Table(title=f"guest instructions per second, millions ({n} iterations per loop)")
    columns = ("loop", "interp", "bt", "unicorn", "python ceiling", "bt/interp", "bt/unicorn", "bt/ceiling")
    for column in columns:
        table.add_column(column, justify="right")
    for name, (body, per_iteration, kind) in LOOPS.items():
        image = build_image(
            parse_text(f"; mode: pm32\n; budget: 100000000\n{body.format(n=n)}\n", name, name)
        )
        instructions = n * per_iteration
        t_interp = timed(lambda image=image: VmmEngine("interp").run(image))
        t_bt = timed(lambda image=image: VmmEngine("bt").run(image))
        t_unicorn = timed(lambda image=image: UnicornOracle().run(image))
        t_python = timed(lambda kind=kind: python_ceiling(kind, n))
        interp, bt, unicorn, ceiling = (instructions / t for t in (t_interp, t_bt, t_unicorn, t_python))
        if name == "alu":
            warm = {"interp": interp, "bt": bt}
        table.add_row(
            name,
            *(f"{r / 1e6:.2f}" for r in (interp, bt, unicorn, ceiling)),
            f"{bt / interp:.2f}",
            f"{bt / unicorn:.4f}",
            f"{bt / ceiling:.3f}",
        )
    Console().print(table)
    cold = Table(title=f"code met for the first time, millions of instructions per second ({args.cold})")
    for column in ("code", "interp", "bt", "interp cold/warm", "bt cold/warm", "bt/interp"):
        cold.add_column(column, justify="right")
    rates = {engine: cold_and_warm(engine, args.cold) for engine in ("interp", "bt")}
    (interp, interp_warm), (bt, bt_warm) = rates["interp"], rates["bt"]
    cold.add_row(
        "straight (warm: the same code again)",
        f"{interp / 1e6:.3f}",
        f"{bt / 1e6:.3f}",
        f"{interp / interp_warm:.3f}",
        f"{bt / bt_warm:.3f}",
        f"{bt / interp:.2f}",
    )
    run = random_bytes(args.cold)
    interp, bt = cold_rate("interp", run), cold_rate("bt", run)
    cold.add_row(
        "random bytes (warm: the ALU loop)",
        f"{interp / 1e6:.3f}",
        f"{bt / 1e6:.3f}",
        f"{interp / warm['interp']:.3f}",
        f"{bt / warm['bt']:.3f}",
        f"{bt / interp:.2f}",
    )
    Console().print(cold)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
