"""The binary translator: guest code translated a block at a time into Python functions.

A block is a run of instructions from one guest page, up to a control transfer or
an instruction that changes how later ones must be run. Its function is the
instructions' specialised statements (``refvmm.cpu.codegen``, from the one template
per instruction in ``refvmm.cpu.semantics``) joined in one body, so the translator
and the interpreter share every instruction's semantics, and EIP is stored once per
block rather than once per instruction. Blocks are cached by physical address, code
size, CPL and EIP; a write to bytes that translated code was made from drops the blocks
of their page (data beside code on the same page can be written freely), and a block
that is running stops after the instruction that wrote it.

The translator is exact to the instruction, like the interpreter: the same retired
counts, the same interrupt and device timing, the same faults, with everything between
blocks done by the execution core (``core``). A block never crosses a device poll or
the end of the budget: where the room left is shorter than the block, the code runs on
the interpreter's path instead. An instruction that reads virtual time or touches a
device (IN, OUT, RDTSC, RDMSR) is the last of its block, which runs it with the machine's
count exact and renews the core's checkpoint after it, as the core does for the string
forms, which it runs itself: a fault later never makes a replay reach the device again.
Other instructions whose properties end a block (``refvmm.cpu.properties``) are the
last of theirs too, so pending interrupts are taken at the same instruction boundary as
on the interpreter. A fault in the middle of a block is the core's: it rolls the
machine back and runs the instructions up to the faulting one again on the
interpreter's path.

Translation is specialisation on what is known when translating: a direct JMP or CALL
to code already read goes on at its target in the same block; a conditional branch is
a side exit (the block returns when it is taken and goes on at its fall-through); a
block whose last instruction branches back to its start runs its iterations itself (as
many as the room allows), keeping the registers in locals when it only does register
arithmetic;
and the flags are evaluated partially (``flagopt``): flag results no one can see are
left out, and conditions read the writing instruction's values directly. The
specialiser writes each instruction's statements with the names the block needs (each
instruction's locals with a suffix of their own, the registers as locals in a loop,
conditions filled in) and records what the translator needs to know about them (the
registers they name, whether they reach or may write memory, call helpers or raise,
their flag records and readers: ``codegen.Specialised``); with the instructions'
properties that is all the translator reads, never the statements' text.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..cpu.codegen import REGISTER_FILE, Specialised, Specialiser, Unsupported
from ..cpu.compile import function_of, template_for
from ..cpu.decoder import DecodeError, Incomplete, Instruction, Rel, decode
from ..cpu.properties import properties
from ..cpu.state import CR0_PG, CS
from ..machine import Machine
from . import core
from .core import Stop
from .flagopt import Known, drop_dead_records
from .interp import Interpreter

MAX_BLOCK = 32  # instructions in a block at most
MAX_CACHED = 100_000  # blocks kept at most; the cache starts again when full
HOT = 4  # a block is translated at its fourth run; until then the interpreter runs it
_MISSING = object()  # not in the block cache (None there: the code runs on the interpreter)
# Compiled block functions by their source: a block's code depends on nothing else, so code
# copied to another page, or met again after its page was written, is not compiled again.
_FUNCTIONS: dict[str, object] = {}


def forget_translated() -> None:
    """Drop every compiled block function (for measuring code met for the first time)."""
    _FUNCTIONS.clear()


@dataclass(frozen=True, slots=True)
class Block:
    function: object  # (cpu, m, g, u, room, done) -> done + instructions completed
    heres: tuple[int, ...]  # the EIP of each instruction
    length: int  # instructions in one pass
    last: int  # the EIP of the block's last byte, for the CS limit
    source: str
    owner: tuple[int, ...]  # by line number of the source: the instruction it belongs to
    ends_run: bool  # its last instruction changes what the core's boundary looks at, or is timed

    def completed(self, exc: BaseException, before: int) -> int:
        """Instructions of the run completed before the one that raised (``before`` the
        block, and loop iterations too), read from the block's frame in the traceback:
        the block spends nothing on it while nothing goes wrong."""
        tb = exc.__traceback__
        while tb is not None and tb.tb_frame.f_code is not self.function.__code__:
            tb = tb.tb_next
        if tb is None:
            return before
        return tb.tb_frame.f_locals["_done"] + self.owner[tb.tb_lineno]


def _relative_target(ins: Instruction, next_eip: int, eip_mask: int) -> int:
    return (next_eip + ins.operands[0].offset) & eip_mask & (0xFFFF if ins.operand_size == 16 else 0xFFFFFFFF)


def _direct_target(ins: Instruction, next_eip: int, eip_mask: int) -> int | None:
    """Where a near JMP or CALL with a relative target goes, or None for anything else."""
    if ins.mnemonic not in ("jmp", "call") or not isinstance(ins.operands[0], Rel):
        return None
    return _relative_target(ins, next_eip, eip_mask)


def timed_in_block(ins: Instruction) -> bool:
    """A timed instruction that a block may end with: IN, OUT, RDTSC and RDMSR, which can
    fault only before they reach the device. The string forms (INS, OUTS) can fault on
    memory after it, and run on the core's path, where a fault does not read a port twice."""
    return ins.mnemonic.rstrip("bwd") not in ("ins", "outs")


def conditional(ins: Instruction) -> bool:
    """A conditional branch with a relative target (Jcc, JCXZ, LOOP...): inside a block it
    is a side exit, the block going on at its fall-through."""
    return bool(ins.operands) and isinstance(ins.operands[0], Rel) and ins.mnemonic not in ("jmp", "call")


# the names of the general registers in a block that keeps them in locals
LOCAL_REGISTERS = tuple(f"_r{i}" for i in range(8))


def _register_only(spec: Specialised) -> bool:
    """Statements that read and write only general registers and flags: they cannot fault,
    reach memory, or hand the register file to anyone."""
    return not (spec.memory or spec.calls or spec.raises)


def specialise_block(
    items: list[tuple[Instruction, int]], bits: int, optimise: bool, registers=REGISTER_FILE
) -> list[Specialised]:
    """Each instruction's statements, in order. Optimised, each instruction's locals get
    its index as a suffix, and its flag readers are filled in from the instructions
    before it (``flagopt.Known``)."""
    known = Known() if optimise else None
    out = []
    for i, (ins, here) in enumerate(items):
        specialiser = Specialiser(
            ins,
            here,
            bits,
            suffix=f"_{i}" if optimise else "",
            registers=registers,
            reader=known.reader if known is not None else None,
        )
        spec = specialiser.specialise(template_for(ins))
        if known is not None:
            known.after(spec, specialiser.props)
        out.append(spec)
    return out


def block_source(
    items: list[tuple[Instruction, int]], bits: int, loop: bool = False, optimise: bool = True
) -> tuple[str, tuple]:
    """One function for a block of (instruction, EIP) in the order the block runs them:
    each instruction's statements in turn, and which instruction each line of it belongs
    to (templates never name a variable with a leading underscore); an instruction that
    may write memory is followed by a look at whether it wrote translated code, and a
    conditional branch by a return when it was taken. The function is given the count
    of instructions its run has done (``_done``) and returns it with its own added; a
    ``loop`` block (its last instruction branches back to its start) runs its iterations
    itself while the count stays within ``_room``. When it raises, the engine finds the
    instruction from the line the traceback stopped at."""
    n = len(items)
    start = items[0][1]
    specs = specialise_block(items, bits, optimise)
    props = [properties(ins) for ins, _ in items]
    # a conditional branch inside the block returns when taken (a side exit), and after an
    # instruction that may write memory the block returns if it wrote translated code
    side = [i < n - 1 and props[i].ends_block and conditional(ins) for i, (ins, _) in enumerate(items)]
    exits = [i < n - 1 and (spec.writes_memory or side[i]) for i, spec in enumerate(specs)]
    registers = loop and optimise and all(_register_only(spec) for spec in specs)
    used: list[int] = []
    if registers:  # a loop of register arithmetic keeps the registers it uses in locals
        used = sorted(set().union(*(spec.registers for spec in specs)))
        specs = specialise_block(items, bits, optimise, LOCAL_REGISTERS)
    bodies = drop_dead_records(specs, props, exits) if optimise else [spec.lines for spec in specs]
    out = ["def block(cpu, m, g, u, _room, _done):", "    _cw = m.code_writes"]
    out += [f"    _r{i} = g[{i}]" for i in used]
    owner = [0] * len(out)  # the instruction each line belongs to
    pad = "    "
    if loop:
        out.append(f"{pad}while True:")
        owner.append(0)
        pad += "    "
    timed = props[-1].timed  # a timed instruction ends the block
    for i, (spec, body) in enumerate(zip(specs, bodies)):
        last = i == n - 1
        lines = []
        if last and i and not loop:
            lines.append(f"cpu.eip = {items[i][1]}")  # as the interpreter runs it: EIP on the instruction
        if last and timed:  # the device sees the exact instruction count
            lines.append(f"m.retired += _done + {i}")
        # EIP is stored at the end of the block, or by a side exit
        lines += body[:-1] if spec.eip_last and not last and not side[i] else body
        if side[i]:
            lines.append(f"if cpu.eip != {items[i + 1][1]}:")
            lines += [f"    g[{r}] = _r{r}" for r in used]
            lines.append(f"    return _done + {i + 1}")
        elif exits[i]:  # the block goes on at the next instruction's EIP
            lines += [
                "if m.code_writes != _cw:",
                f"    cpu.eip = {items[i + 1][1]}",
                f"    return _done + {i + 1}",
            ]
        out += [pad + line for line in lines]
        owner += [i] * len(lines)
    if loop:
        tail = [f"_done += {n}", f"if cpu.eip != {start} or _done + {n} > _room:"]
        tail += [f"    g[{i}] = _r{i}" for i in used]
        tail.append("    return _done")
    elif timed:  # done, and never to be run again by a replay: the checkpoint follows it
        tail = ["m.retired += 1", "m.checkpoint()", f"m.retired -= _done + {n}", f"return _done + {n}"]
    else:
        tail = [f"return _done + {n}"]
    out += [pad + line for line in tail]
    owner += [n - 1] * len(tail)
    return "\n".join(out) + "\n", (0, *owner)  # line numbers count from 1


class Translator:
    """``bt``: the binary translator. What does not fit a block, or must run at an exact
    instruction count, runs on the interpreter's path."""

    name = "bt"
    exact_counts = True
    exact_timing = True

    def __init__(self, max_block: int = MAX_BLOCK, optimise: bool = True, hot: int = HOT) -> None:
        self.interp = Interpreter()
        self.hot = hot  # runs of a block's first instruction before it is translated
        self._heat: dict = {}
        self.fetcher = self.interp.fetcher
        self.max_block = max_block
        self.optimise = optimise  # loops inside blocks, flags evaluated partially
        self._blocks: dict[tuple[int, int, int, int, int], Block | None] = {}
        self._block_pages: dict[int, list] = {}  # physical page -> keys of its blocks
        self.translated = 0  # blocks translated, for measurement

    @classmethod
    def configured(cls, options: str) -> Translator:
        """``noopt``: blocks joined as they are, without loops or flag evaluation (to tell a
        translation bug from an optimisation bug); ``block=N``: at most N instructions a block;
        ``hot=N``: translate a block at its Nth run (1: at once)."""
        kwargs: dict = {}
        for option in filter(None, options.split(",")):
            key, _, value = option.partition("=")
            if key == "noopt" and not value:
                kwargs["optimise"] = False
            elif key == "block" and value.isdigit() and 1 <= int(value) <= 256:
                kwargs["max_block"] = int(value)
            elif key == "hot" and value.isdigit() and 1 <= int(value) <= 1000:
                kwargs["hot"] = int(value)
            else:
                raise ValueError(
                    f"bt option {option!r}: bt takes noopt, block=N (1 to 256) and hot=N (1 to 1000)"
                )
        return cls(**kwargs)

    def run(self, m: Machine, budget: int) -> Stop:
        return core.run(self, m, budget)

    def execute(self, m: Machine, cpl: int, bits: int, room: int) -> int:
        """Run the blocks from EIP, one after another while they fit in ``room`` (chained:
        the core's boundary has nothing to do between them), and what is not translated on
        the interpreter's path; return how many instructions ran. Code is translated once
        it has run HOT times: what runs once is not worth a translation. What a block
        raises carries ``completed``, the count before the instruction that raised."""
        cpu = m.cpu
        cs = cpu.seg[CS]
        paged = cpu.cr[0] & CR0_PG
        g, user = cpu.gpr, cpl == 3
        blocks, heat_of = self._blocks, self._heat
        done = 0
        while True:
            here = cpu.eip
            block = _MISSING
            if not paged and here <= cs.limit:
                key = ((cs.base + here) & 0xFFFFFFFF, bits, cpl, here, self.max_block)
                block = blocks.get(key, _MISSING)
            else:
                key = None
            if block is _MISSING:
                heat = heat_of.get(key or here, 0) + 1
                if heat < self.hot:
                    if done:
                        return done
                    if len(heat_of) >= MAX_CACHED:
                        heat_of.clear()
                    heat_of[key or here] = heat
                    return self.interp.execute(m, cpl, bits, room, True)
                try:
                    block = self._translate(m, here, cpl, bits, self.max_block)
                except Exception as exc:  # fetching the first instruction
                    exc.completed = done
                    raise
            if block is None or block.length > room - done or block.last > cs.limit:
                return done or self.interp.execute(m, cpl, bits, room, True)
            try:
                done = block.function(cpu, m, g, user, room, done)
            except Exception as exc:
                exc.completed = block.completed(exc, done)
                raise
            if block.ends_run or done >= room:
                return done

    def _translate(self, m: Machine, here: int, cpl: int, bits: int, limit: int) -> Block | None:
        """The block at ``here`` of at most ``limit`` instructions, from the cache or made now;
        None where the first instruction is not translated (it reads time or devices, or has
        no semantics). Fetching its first instruction faults as the interpreter's fetch does."""
        cs = m.cpu.seg[CS]
        at = core.code_address(m, here, cpl)  # the fetch's checks
        physical = at[1]
        key = (physical, bits, cpl, here, limit)
        block = self._blocks.get(key, _MISSING)
        if block is not _MISSING:
            return block
        ins, _ = core.decode_at(m, here, cpl, bits, at)  # decoding across pages too
        try:
            translatable = not properties(ins).timed or timed_in_block(ins)
            template_for(ins)
        except Unsupported:
            translatable = False
        if not translatable:
            self._keep(m, key, None, min(ins.length, 0x1000 - (physical & 0xFFF)))
            return None
        eip_mask = 0xFFFFFFFF  # 16-bit code does not wrap EIP either: the CS limit ends a block
        in_page = 0x1000 - (physical & 0xFFF)
        code = m.phys_read(physical, min(in_page, 16 * limit)).to_bytes(min(in_page, 16 * limit), "little")
        items: list[tuple[Instruction, int]] = []
        offset, eip = 0, here
        furthest = 0  # the end of the furthest instruction, from the block's start
        seen = {0}  # offsets translated, so a jump back does not unroll code into the block
        props = properties(ins)
        while True:
            items.append((ins, eip))
            offset += ins.length
            furthest = max(furthest, offset)
            eip = (eip + ins.length) & eip_mask
            if len(items) == limit or props.timed:
                break
            if props.ends_block:
                if not self.optimise:
                    break
                # a direct JMP or CALL to code already read goes on there, in the same block
                target = _direct_target(ins, eip, eip_mask)
                if target is not None:
                    jump = offset + target - eip
                    if jump in seen or not 0 < jump < len(code) - 16:
                        break
                    offset, eip = jump, target
                # a conditional branch goes on at its fall-through, unless it branches back
                # to the block's start: then it ends a loop the block runs itself
                elif not conditional(ins) or _relative_target(ins, eip, eip_mask) == here:
                    break
            seen.add(offset)
            try:
                ins = decode(code[offset : offset + 16], bits)
                template_for(ins)
                props = properties(ins)
            except (Incomplete, DecodeError, Unsupported):
                break  # the next block starts there, and meets it alone
            if props.timed and not timed_in_block(ins):
                break
            if offset + ins.length > in_page or eip + ins.length - 1 > cs.limit:
                break
        # a branch back to the block's start makes a loop that the block runs itself
        last, last_here = items[-1]
        after = (last_here + last.length) & eip_mask
        loop = last.mnemonic != "call" and any(
            isinstance(op, Rel) and (after + op.offset) & eip_mask == here for op in last.operands
        )
        source, owner = block_source(items, bits, loop and self.optimise, self.optimise)
        function = function_of(source, "block", f"<block@{here:#x}>", _FUNCTIONS, MAX_CACHED)
        heres = tuple(h for _, h in items)
        last_byte = max((h + i.length - 1) & eip_mask for i, h in items)
        last_props = properties(last)
        ends_run = last_props.ends_run or last_props.timed  # after it, the core's boundary
        block = Block(function, heres, len(heres), last_byte, source, owner, ends_run)
        self.translated += 1
        if furthest <= in_page:  # a block within one page is kept until its code is written
            self._keep(m, key, block, furthest)
        return block

    def _keep(self, m: Machine, key: tuple, block: Block | None, length: int) -> None:
        """Cache ``block`` (None: the code there runs on the interpreter's path), made from the
        ``length`` bytes at its start, until a write reaches code in its page."""
        if len(self._blocks) >= MAX_CACHED:
            self._drop_all()
        page = key[0] >> 12
        if page not in self._block_pages:
            self._block_pages[page] = []
        m.watch_code_page(page, self._drop_page, key[0] & 0xFFF, length)
        self._block_pages[page].append(key)
        self._blocks[key] = block

    def _drop_page(self, page: int) -> None:
        for key in self._block_pages.pop(page, ()):
            self._blocks.pop(key, None)

    def _drop_all(self) -> None:
        self._blocks.clear()
        self._block_pages.clear()  # their pages' watches fire once more, harmlessly
