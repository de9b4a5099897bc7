"""The binary translator: guest code translated a block at a time into Python functions.

A block is a run of instructions from one guest page, up to a control transfer or
an instruction that changes how later ones must be run. Its function is the
instructions' specialised statements (``refvmm.cpu.codegen``, from the one template
per instruction in ``refvmm.cpu.semantics``) joined in one body, so the translator
and the interpreter share every instruction's semantics, and EIP is stored once per
block rather than once per instruction. Blocks are cached by physical address, code
size, CPL and EIP; a write to a page holding translated code drops its blocks, and a
block that is running stops after the instruction that wrote it.

The translator is exact to the instruction, like the interpreter: the same retired
counts, the same interrupt and device timing, the same faults. A block never crosses
a device poll (every POLL_INTERVAL instructions) or the end of the budget: where the
room left is shorter than the block, one-instruction blocks run instead. Instructions
that read virtual time or touch devices run at the start of a block, so they see the
exact instruction count; instructions that can change the interrupt flag, the
interrupt shadow, control registers, segment registers or the flow of control end a
block, so pending interrupts are taken at the same instruction boundary as on the
interpreter. A fault in the middle of a block is delivered for the instruction that
raised it, with EIP and ESP as that instruction found them.

Translation is specialisation on what is known when translating: a direct JMP or CALL
to code already read goes on at its target in the same block; a block whose last
instruction branches back to its start runs its iterations itself (as many as the
room allows), keeping the registers in locals when it only does register arithmetic;
and the flags are evaluated partially (``flagopt``): flag results no one can see are
left out, and conditions read the writing instruction's values directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..cpu import transfers
from ..cpu.codegen import Specialiser, Unsupported
from ..cpu.compile import NAMESPACE, template_for
from ..cpu.decoder import CReg, DecodeError, DReg, Incomplete, Instruction, Rel, SReg, decode
from ..cpu.state import CR0_PG, CS, EFLAGS_VM
from ..machine import CpuFault, Machine
from .flagopt import MACHINE, drop_dead_flag_writes, inline_flag_reads, rename_locals
from .interp import POLL_INTERVAL, Interpreter

MAX_BLOCK = 32  # instructions in a block at most
MAX_CACHED = 100_000  # blocks kept at most; the cache starts again when full
# Compiled block functions by their source: a block's code depends on nothing else, so code
# copied to another page, or met again after its page was written, is not compiled again.
_FUNCTIONS: dict[str, object] = {}

# Instructions that may have others after them in a block: they change general
# registers, flags and memory only (and may fault). Anything else ends its block.
_STRAIGHT = """
    aaa aad aam aas adc add and arpl bound bsf bsr bswap bt btc btr bts cbw cdq clc cld cmc
    cmovcc cmp cmpxchg cmpxchg8b cpuid cwd cwde daa das dec div enter idiv imul inc lahf lar
    lea leave lsl mov movsx movzx mul neg nop not or pause pop popa popad push pusha pushad
    pushf pushfd rcl rcr rol ror sahf sal sar sbb setcc sgdt shl shld shr shrd sidt sldt
    smsw stc std str sub test verr verw xadd xchg xlatb xor
    """
STRAIGHT = frozenset(_STRAIGHT.split())
# Instructions that read virtual time or reach devices (whose state moves with it):
# they start a block, so the instruction count is exact when they run.
TIMED = frozenset(("in", "out", "insb", "insw", "insd", "outsb", "outsw", "outsd", "rdtsc", "rdmsr"))
_ESP = re.compile(r"g\[4\] = |\bpush|\bpop|\benter|\bleave|release_stack")  # may move ESP


@dataclass(frozen=True, slots=True)
class Block:
    function: object  # (cpu, m, g, u, room) -> instructions completed
    heres: tuple[int, ...]  # the EIP of each instruction
    length: int  # instructions in one pass
    last: int  # the EIP of the block's last byte, for the CS limit
    source: str
    owner: tuple[int, ...]  # by line number of the source: the instruction it belongs to

    def stopped_at(self, exc: BaseException, sp: int) -> tuple[int, int]:
        """(instructions completed before the one that raised, ESP as that one found it),
        read from the block's frame in the traceback: the block spends nothing on it
        while nothing goes wrong."""
        tb = exc.__traceback__
        while tb is not None and tb.tb_frame.f_code is not self.function.__code__:
            tb = tb.tb_next
        if tb is None:
            return 0, sp
        frame = tb.tb_frame.f_locals
        return frame.get("_done", 0) + self.owner[tb.tb_lineno], frame.get("_sp", sp)


def _direct_target(ins: Instruction, next_eip: int, eip_mask: int) -> int | None:
    """Where a near JMP or CALL with a relative target goes, or None for anything else."""
    if ins.mnemonic not in ("jmp", "call") or not isinstance(ins.operands[0], Rel):
        return None
    return (next_eip + ins.operands[0].offset) & eip_mask & (0xFFFF if ins.operand_size == 16 else 0xFFFFFFFF)


def _straight(ins: Instruction, body: list[str]) -> bool:
    if ins.mnemonic not in STRAIGHT or any(isinstance(op, (SReg, CReg, DReg)) for op in ins.operands):
        return False
    return not any("cpu.eip" in line for line in body[:-1])


_GPR = re.compile(r"\bg\[(\d)\]")
# calls that touch the flags at most, never the registers or memory
_FLAG_CALLS = re.compile(r"\b(?:condition|cpu\.carry|cpu\.arith_flags)\(")


def _register_only(body: list[str]) -> bool:
    """Statements that read and write only general registers and flags: they cannot fault,
    reach memory, or hand the register file to anyone."""
    text = _FLAG_CALLS.sub("", "\n".join(body))
    return not (MACHINE.search(text) or "raise" in text or re.search(r"[\w.]\(", text)) and not re.search(
        r"\bg\b(?!\[\d\])", text
    )


def block_source(
    items: list[tuple[Instruction, int, list[str]]], loop: bool = False, optimise: bool = True
) -> tuple[str, tuple]:
    """One function for a block: each instruction's statements in turn, and which
    instruction each line of it belongs to. ``_sp`` holds ESP as the next instruction
    found it (templates never name a variable with a leading underscore); an instruction
    that may write memory is followed by a look at whether it wrote translated code. A
    ``loop`` block (its last instruction branches back to its start) runs its iterations
    itself while they fit in ``_room`` instructions, counting them in ``_done``. The
    function returns how many instructions completed; when it raises, the engine finds
    the instruction from the line the traceback stopped at."""
    n = len(items)
    start = items[0][1]
    bodies = [body for _, _, body in items]
    if optimise:
        bodies = [rename_locals(body, i) for i, body in enumerate(bodies)]
        bodies = drop_dead_flag_writes(inline_flag_reads(bodies))
    registers = loop and optimise and all(_register_only(body) for body in bodies)
    if registers:  # a loop of register arithmetic keeps the registers it uses in locals
        used = sorted({int(i) for body in bodies for i in _GPR.findall("\n".join(body))})
        bodies = [[_GPR.sub(r"_r\1", line) for line in body] for body in bodies]
    out = ["def block(cpu, m, g, u, _room):", "    _sp = g[4]", "    _cw = m.code_writes", "    _done = 0"]
    if registers:
        out += [f"    _r{i} = g[{i}]" for i in used]
    owner = [0] * len(out)  # the instruction each line belongs to
    pad = "    "
    if loop:
        out.append(f"{pad}while True:")
        owner.append(0)
        pad += "    "
    for i, ((_ins, here, original), body) in enumerate(zip(items, bodies)):
        last = i == n - 1
        next_eip = original[-1].split(" = ")[1] if original[-1].startswith("cpu.eip = ") else None
        lines = []
        if i and _ESP.search("\n".join(items[i - 1][2])):
            lines.append("_sp = g[4]")
        if last and i and not loop:
            lines.append(f"cpu.eip = {here}")  # as the interpreter runs it: EIP on the instruction
        lines += body if last else body[:-1]  # EIP is stored at the end of the block
        if not last and MACHINE.search("\n".join(original)):
            lines += ["if m.code_writes != _cw:", f"    cpu.eip = {next_eip}", f"    return _done + {i + 1}"]
        out += [pad + line for line in lines]
        owner += [i] * len(lines)
    if loop:
        tail = [f"_done += {n}", f"if cpu.eip != {start} or _done + {n} > _room:"]
        if registers:
            tail += [f"    g[{i}] = _r{i}" for i in used]
        tail.append("    return _done")
    else:
        tail = [f"return {n}"]
    out += [pad + line for line in tail]
    owner += [n - 1] * len(tail)
    return "\n".join(out) + "\n", (0, *owner)  # line numbers count from 1


class Translator(Interpreter):
    """``bt``: the binary translator, with the interpreter's device timing and delivery."""

    name = "bt"

    def __init__(self, max_block: int = MAX_BLOCK, optimise: bool = True) -> None:
        super().__init__()
        self.max_block = max_block
        self.optimise = optimise  # loops inside blocks, flags evaluated partially
        self._blocks: dict[tuple[int, int, int, int, int], Block] = {}
        self._block_pages: dict[int, list] = {}  # physical page -> keys of its blocks
        self.translated = 0  # blocks translated, for measurement

    @classmethod
    def configured(cls, options: str) -> Translator:
        """``noopt``: blocks joined as they are, without loops or flag evaluation (to tell a
        translation bug from an optimisation bug); ``block=N``: at most N instructions a block."""
        kwargs: dict = {}
        for option in filter(None, options.split(",")):
            key, _, value = option.partition("=")
            if key == "noopt" and not value:
                kwargs["optimise"] = False
            elif key == "block" and value.isdigit() and 1 <= int(value) <= 256:
                kwargs["max_block"] = int(value)
            else:
                raise ValueError(f"bt option {option!r}: bt takes noopt and block=N (1 to 256)")
        return cls(**kwargs)

    def run(self, m: Machine, budget: int) -> str:
        cpu = m.cpu
        g = cpu.gpr
        seg = cpu.seg
        cr = cpu.cr
        blocks = self._blocks
        end = m.retired + budget
        pic = m.interrupt_controller
        full = self.max_block
        while m.retired < end:
            if m.stop_requested:
                return "stopped"
            # after STI or a load of SS an interrupt waits one instruction: run just that one
            shadow = cpu.interrupt_shadow
            # the interpreter's check at an instruction boundary, inline: it runs once per block
            if (
                pic is not None
                and (
                    shadow
                    or cpu.halted
                    or m.retired % POLL_INTERVAL == 0
                    or cpu.eflags_other & 0x200
                    and pic.pending()
                )
                and self._external_interrupt(m, pic)
            ):
                continue
            if cpu.halted:
                return "halt"
            here = cpu.eip
            sp = g[4]
            cs = seg[CS]
            # CPL and code size, as in the interpreter's loop, inline: this runs once per block
            if not cr[0] & 1:
                cpl, bits = 0, 16
            elif cpu.eflags_other & EFLAGS_VM:
                cpl, bits = 3, 16
            else:
                cpl, bits = cs.selector & 3, 32 if cs.big else 16
            retired = m.retired
            room = end - retired
            if shadow:
                room = 1
            elif POLL_INTERVAL - retired % POLL_INTERVAL < room:
                room = POLL_INTERVAL - retired % POLL_INTERVAL
            try:
                block = None
                if not cr[0] & CR0_PG and here <= cs.limit:
                    block = blocks.get(((cs.base + here) & 0xFFFFFFFF, bits, cpl, here, full))
                if block is None:
                    block = self._translate(m, here, cpl, bits, full)
                if block.length > room or block.last > cs.limit:
                    block = self._translate(m, here, cpl, bits, 1)
            except DecodeError as exc:
                self._fault(m, CpuFault(exc.vector, 0 if exc.vector == 13 else None), here, sp)
                m.retired += 1
                continue
            except CpuFault as fault:  # fetching the first instruction
                self._fault(m, fault, here, sp)
                m.retired += 1
                continue
            except (Unsupported, transfers.NotModelled) as exc:
                raise self._stop(exc, here) from None
            try:
                m.retired += block.function(cpu, m, g, cpl == 3, room)
            except CpuFault as fault:
                k, sp = block.stopped_at(fault, sp)  # k counts loop iterations too
                self._fault(m, fault, block.heres[k % block.length], sp)
                m.retired += k + 1
            except transfers.SoftwareInterrupt as soft:
                k, _ = block.stopped_at(soft, sp)
                self._deliver(
                    m, soft.vector, None, soft.check_dpl, soft.next_eip, block.heres[k % block.length]
                )
                m.retired += k + 1
            except (Unsupported, transfers.NotModelled) as exc:
                k, _ = block.stopped_at(exc, sp)
                m.retired += k
                raise self._stop(exc, block.heres[k % block.length]) from None
        return "stopped" if m.stop_requested else "budget"

    def _translate(self, m: Machine, here: int, cpl: int, bits: int, limit: int) -> Block:
        """The block at ``here`` of at most ``limit`` instructions, from the cache or made now.
        Fetching its first instruction faults as the interpreter's fetch does."""
        cs = m.cpu.seg[CS]
        if here > cs.limit:
            raise CpuFault(13, 0)
        physical = m.translate((cs.base + here) & 0xFFFFFFFF, False, cpl == 3)
        key = (physical, bits, cpl, here, limit)
        block = self._blocks.get(key)
        if block is not None:
            return block
        ins, _ = self.decode_at(m, here, cpl, bits)  # the fetch's checks, and decoding across pages
        eip_mask = 0xFFFFFFFF if bits == 32 else 0xFFFF
        in_page = 0x1000 - (physical & 0xFFF)
        code = m.phys_read(physical, min(in_page, 16 * limit)).to_bytes(min(in_page, 16 * limit), "little")
        items: list[tuple[Instruction, int, list[str]]] = []
        offset, eip = 0, here
        furthest = 0  # the end of the furthest instruction, from the block's start
        seen = {0}  # offsets translated, so a jump back does not unroll code into the block
        while True:
            body = Specialiser(ins, eip, bits).specialise(template_for(ins))
            items.append((ins, eip, body))
            offset += ins.length
            furthest = max(furthest, offset)
            eip = (eip + ins.length) & eip_mask
            if len(items) == limit or ins.mnemonic in TIMED:
                break
            if not _straight(ins, body):
                # a direct JMP or CALL to code already read goes on there, in the same block
                target = _direct_target(ins, eip, eip_mask) if self.optimise else None
                if target is None:
                    break
                jump = offset + target - eip
                if jump in seen or not 0 < jump < len(code) - 16:
                    break
                offset, eip = jump, target
            seen.add(offset)
            try:
                ins = decode(code[offset : offset + 16], bits)
                template_for(ins)
            except (Incomplete, DecodeError, Unsupported):
                break  # the next block starts there, and meets it alone
            if ins.mnemonic in TIMED or offset + ins.length > in_page or eip + ins.length - 1 > cs.limit:
                break
        # a branch back to the block's start makes a loop that the block runs itself
        last, last_here, _ = items[-1]
        after = (last_here + last.length) & eip_mask
        loop = last.mnemonic != "call" and any(
            isinstance(op, Rel) and (after + op.offset) & eip_mask == here for op in last.operands
        )
        source, owner = block_source(items, loop and self.optimise, self.optimise)
        function = _FUNCTIONS.get(source)
        if function is None:
            if len(_FUNCTIONS) >= MAX_CACHED:
                _FUNCTIONS.clear()
            scope: dict = {}
            exec(compile(source, f"<block@{here:#x}>", "exec"), NAMESPACE, scope)
            function = _FUNCTIONS[source] = scope["block"]
        heres = tuple(h for _, h, _ in items)
        last_byte = max((h + i.length - 1) & eip_mask for i, h, _ in items)
        block = Block(function, heres, len(heres), last_byte, source, owner)
        self.translated += 1
        if furthest <= in_page:  # a block within one page is kept until that page is written
            if len(self._blocks) >= MAX_CACHED:
                self._drop_all()
            page = physical >> 12
            if page not in self._block_pages:
                self._block_pages[page] = []
                m.watch_code_page(page, self._drop_page)
            self._block_pages[page].append(key)
            self._blocks[key] = block
        return block

    def _drop_page(self, page: int) -> None:
        for key in self._block_pages.pop(page, ()):
            self._blocks.pop(key, None)

    def _drop_all(self) -> None:
        self._blocks.clear()
        self._block_pages.clear()  # their pages' watches fire once more, harmlessly
