"""The host's speed, measured in the same invocation as the boots it judges. These machines
are noisy and differ, so a boot's speed is kept as its wall time in units of this fixed
workload's time (``speed``), never as an absolute time: a later run on a busier or slower
host scales both alike. The workload is plain Python (integer arithmetic, dictionary and
list work, as an emulator in Python does) and shares no code with the VMM, so a VMM that
gets slower cannot slow its own yardstick."""

from __future__ import annotations

import time

ROUNDS = 3  # the best of several short runs: noise only ever adds time


def workload(iterations: int = 200_000) -> int:
    table: dict[int, int] = {}
    ring = [0] * 256
    x = 1
    for i in range(iterations):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        key = x & 1023
        table[key] = table.get(key, 0) + (i ^ x)
        ring[i & 255] = (ring[(i - 1) & 255] + key) & 0xFFFF
    return x ^ ring[0] ^ len(table)


def seconds(rounds: int = ROUNDS) -> float:
    """Wall seconds of one workload run, the best of ``rounds``."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        workload()
        best = min(best, time.perf_counter() - started)
    return best
