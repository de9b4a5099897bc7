"""Mixed operand and stack sizes: programs of PUSH and POP (registers, immediates,
memory, segment registers), PUSHA/POPA, PUSHF/POPF, ENTER (every nesting level) and
LEAVE, near and far CALL and RET (with and without an immediate), and INT through
16- and 32-bit interrupt gates with IRET, each instruction with its own operand size,
in 16- and 32-bit code on 16- and 32-bit stacks.

On a 16-bit stack the upper half of ESP (and of EBP) holds random bits, which the SDM
says SP and BP arithmetic keeps; programs that take an interrupt keep ESP's upper half
zero, since the frame is addressed through ESP by the handler. The stack region and
the data area are compared byte for byte. A 32-bit push of a segment register is left
out: the SDM leaves the upper two bytes it writes open (vol. 2 PUSH: "either a
zero-extended value is pushed on the stack or the segment selector is written on the
stack using a 16-bit move"); the virtual CPU writes the zero-extended value."""

from __future__ import annotations

import random

from ..runtime.tables import segment_descriptor

VERSION = 1
COUNT = 2000
DATA = 0x18000  # linear; DS-relative 0x8000 in pm16 (DS base 0x10000)
REGS32 = ("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi")
SREG_PUSH = {"es": "0x06", "cs": "0x0e", "ss": "0x16", "ds": "0x1e", "fs": "0x0f, 0xa0", "gs": "0x0f, 0xa8"}
SREG_POP = {"es": "0x07", "ds": "0x1f", "fs": "0x0f, 0xa1", "gs": "0x0f, 0xa9"}
STACK16 = segment_descriptor(0x20000, 0xFFFF, 0x93, 0x0)  # GDT slot 12: a 16-bit stack
SAFE_FLAGS = 0x0CD5  # CF PF AF ZF SF DF OF: POPF never sets TF, IF, NT, AC or IOPL here


class _Program:
    def __init__(self, rng: random.Random, code: int, stack: int):
        self.rng, self.code, self.stack = rng, code, stack
        self.lines: list[str] = []
        self.tail: list[str] = []  # the call targets, after the body's end and the handlers
        self.n = 0

    def prefix(self, size: int) -> str:
        return "0x66, " if size != self.code else ""

    def label(self, name: str) -> str:
        self.n += 1
        return f"{name}_{self.n}"

    def emit(self, *lines: str) -> None:
        self.lines += lines

    def imm(self, size: int, value: int) -> str:
        return f".long {value:#x}" if size == 32 else f".word {value & 0xFFFF:#x}"

    def mem(self, reg: int) -> str:
        """ModRM /``reg`` for [disp] in the code's address size, then the displacement's
        line: a word or dword of the data area."""
        offset = self.rng.randrange(0, 0x100, 2)
        if self.code == 32:
            return f"{reg << 3 | 5:#x}\n    .long {DATA + offset:#x}"
        return f"{reg << 3 | 6:#x}\n    .word {0x8000 + offset:#x}"

    # -- the instructions --
    def push_pop(self) -> None:
        rng, size = self.rng, rng_size(self.rng)
        p = self.prefix(size)
        kind = rng.randrange(6)
        if kind == 0:
            self.emit(f".byte {p}{0x50 + rng.randrange(8):#x}")
        elif kind == 1:
            self.emit(f".byte {p}{0x58 + rng.choice((0, 1, 2, 3, 5, 6, 7)):#x}")
        elif kind == 2:
            self.emit(f".byte {p}0x6a, {rng.randrange(256):#x}")
        elif kind == 3:
            self.emit(f".byte {p}0x68", "    " + self.imm(size, rng.getrandbits(32)))
        elif kind == 4:
            self.emit(f".byte {p}0xff, {self.mem(6)}")
        else:
            self.emit(f".byte {p}0x8f, {self.mem(0)}")

    def segments(self) -> None:
        rng = self.rng
        source = rng.choice(tuple(SREG_PUSH))
        target = rng.choice(tuple(SREG_POP))
        p = self.prefix(16)
        if source == "cs":  # a 16-bit push of CS, popped into a general register
            self.emit(f".byte {p}{SREG_PUSH[source]}", f".byte {p}{0x58 + rng.choice((0, 1, 2, 3)):#x}")
        elif rng.random() < 0.5:  # a 16-bit push of a data or stack selector, into another
            self.emit(f".byte {p}{SREG_PUSH[source]}", f".byte {p}{SREG_POP[target]}")
        else:  # a dword with a selector in its low half, popped with a 32-bit operand size
            selector = 0x10 if self.code == 32 else 0x38
            value = rng.getrandbits(16) << 16 | selector
            p = self.prefix(32)
            self.emit(f".byte {p}0x68", "    " + self.imm(32, value), f".byte {p}{SREG_POP[target]}")

    def all_registers(self) -> None:
        p = self.prefix(rng_size(self.rng))
        self.emit(f".byte {p}0x60")
        if self.rng.random() < 0.7:
            self.emit(f".byte {p}0x61")

    def flags(self) -> None:
        rng, size = self.rng, rng_size(self.rng)
        p = self.prefix(size)
        if rng.random() < 0.5:
            self.emit(f".byte {p}0x9c", f".byte {p}0x9d")
        else:
            self.emit(
                f".byte {p}0x68", "    " + self.imm(size, rng.getrandbits(32) & SAFE_FLAGS), f".byte {p}0x9d"
            )
            self.emit(f".byte {p}0x9c")

    def enter_leave(self) -> None:
        rng, size = self.rng, rng_size(self.rng)
        p = self.prefix(size)
        level = rng.choice((0, 1, 2, 3, rng.randrange(32)))
        alloc = rng.randrange(0, 0x40)
        # EBP inside the stack region, so the frame pointers ENTER copies are there
        self.frame_pointer(rng.randrange(0x40, 0x100, 2))
        self.emit(f".byte {p}0xc8, {alloc & 0xFF:#x}, {alloc >> 8:#x}, {level:#x}")
        if rng.random() < 0.7:
            self.emit(f".byte {self.prefix(rng_size(rng))}0xc9")

    def frame_pointer(self, above: int) -> None:
        """EBP = ESP + ``above`` in the stack's address size, with ESP's upper half: Unicorn
        gets ENTER's EBP wrong where the halves differ (guest_tests/stack/
        enter32_on_16bit_stack.asm and enter16_on_32bit_stack.asm)."""
        if self.stack == 32:
            self.emit("mov ebp, esp", f"add ebp, {above:#x}")
        else:
            self.emit("mov ebp, esp", "mov bp, sp", f"add bp, {above:#x}")

    def near_call(self) -> None:
        size, rng = self.code, self.rng  # a near CALL keeps the code's size: EIP must fit
        p = self.prefix(size)
        target, back = self.label("near"), self.label("back")
        rel = f".long {target} - {back}" if size == 32 else f".word {target} - {back}"
        self.emit(f".byte {p}0xe8", "    " + rel, f"{back}:")
        release = rng.choice((0, 0, 2, 4, 8))
        ret = f".byte {p}0xc2\n    .word {release}" if release else f".byte {p}0xc3"
        self.tail += [f"{target}:", *(f"    {line}" for line in self.filler()), f"    {ret}"]

    def far_call(self) -> None:
        rng = self.rng
        if self.code == 32:
            size, selector = 32, 0x08
        else:  # pm16's labels are already offsets in the segment 0x30
            size, selector = rng_size(rng), 0x30
        p = self.prefix(size)
        target = self.label("far")
        offset = f".long {target}" if size == 32 else f".word {target}"
        self.emit(f".byte {p}0x9a", "    " + offset, f"    .word {selector:#x}")
        release = rng.choice((0, 0, 2, 4))
        ret = f".byte {p}0xca\n    .word {release}" if release else f".byte {p}0xcb"
        self.tail += [f"{target}:", *(f"    {line}" for line in self.filler()), f"    {ret}"]

    def interrupt(self) -> None:
        # a 16-bit gate pushes IP alone: it cannot return to the 32-bit code above 64 KiB
        vector = self.rng.choice((0x31, 0x32)) if self.code == 16 else 0x32
        self.emit(f"int {vector:#x}")

    def filler(self) -> list[str]:
        """What a call target does before it returns: nothing, or a balanced push and pop,
        so the return address is on top again."""
        if self.rng.random() < 0.5:
            return []
        p = self.prefix(rng_size(self.rng))
        return [f".byte {p}{0x50 + self.rng.randrange(8):#x}", f".byte {p}{0x58 + self.rng.randrange(4):#x}"]


def rng_size(rng: random.Random) -> int:
    return rng.choice((16, 32))


def program(seed: int) -> str:
    rng = random.Random(seed)
    code = (32, 16)[seed % 2]
    stack = (32, 16)[seed // 2 % 2]
    interrupts = seed // 4 % 2 == 1
    mode = "pm32" if code == 32 else "pm16"
    p = _Program(rng, code, stack)
    high = 0 if interrupts or stack == 32 else rng.getrandbits(16) << 16
    if stack == 32:  # SS 0x10: flat; the stack at 0x1f000, so EBP = ESP + k keeps ESP's upper half
        stack_linear, setup = 0x1F000, ["mov ax, 0x10", "mov ss, ax", "mov esp, 0x1f000"]
    elif code == 32:  # SS 0x60 (the program's own): 16-bit, base 0x20000; SP 0xff00
        stack_linear, setup = 0x2FF00, ["mov ax, 0x60", "mov ss, ax", f"mov esp, {high | 0xFF00:#x}"]
    else:  # SS 0x38: 16-bit, base 0x10000
        stack_linear, setup = 0x1FF00, ["mov ax, 0x38", "mov ss, ax", f"mov esp, {high | 0xFF00:#x}"]
    p.emit(*setup)
    if interrupts:
        p.emit(*_gates(code))
    steps = [
        p.push_pop,
        p.push_pop,
        p.segments,
        p.all_registers,
        p.flags,
        p.enter_leave,
        p.near_call,
        p.far_call,
    ]
    if interrupts:
        steps += [p.interrupt, p.interrupt]
    for _ in range(rng.randint(3, 7)):
        rng.choice(steps)()
    low = stack_linear - 0x700
    lines = [
        f"; mode: {mode}",
        "; budget: 5000",
        f"; gdt: 12={STACK16:#x}",
        f"; data: {DATA:#x} dd " + " ".join(f"{rng.getrandbits(32):#x}" for _ in range(64)),
        f"; data: {low:#x} dd " + " ".join(f"{rng.getrandbits(32):#x}" for _ in range(0x200)),
        f"; compare: {low:#x} {0x800:#x}",
        f"; compare: {DATA:#x} {0x100:#x}",
        "; regs: " + " ".join(f"{r}={rng.getrandbits(32):#x}" for r in REGS32 if r not in ("esp", "ebp")),
    ]
    body = [f"    {line}" if not line.endswith(":") else line for line in p.lines]
    done = p.label("done")
    body += [f"    jmp {done}", *_handlers(code), *p.tail, f"{done}:"]
    return "\n".join(lines) + "\n" + "\n".join(body) + "\n"


def _gates(code: int) -> list[str]:
    """IDT 0x31: a 16-bit interrupt gate to h16 in the 16-bit segment 0x30 (base
    0x10000); 0x32: a 32-bit gate to h32 in the flat 0x08. 16-bit code writes the IDT
    through the flat 0x10 and then reloads its own data segment."""
    flat, back = (["mov ax, 0x10", "mov ds, ax"], ["mov ax, 0x38", "mov ds, ax"]) if code == 16 else ([], [])
    # pm16 assembles its body at offset 0 of the segment at 0x10000, pm32 at linear 0x10000
    offset16, linear32 = ("h16 - 0x10000", "h32") if code == 32 else ("h16", "h32 + 0x10000")
    return [
        *flat,
        f"mov word ptr [0x800+0x31*8], {offset16}",
        "mov word ptr [0x802+0x31*8], 0x30",
        "mov word ptr [0x804+0x31*8], 0x8600",
        "mov word ptr [0x806+0x31*8], 0",
        f"mov eax, {linear32}",
        "mov word ptr [0x800+0x32*8], ax",
        "mov word ptr [0x802+0x32*8], 0x08",
        "mov word ptr [0x804+0x32*8], 0x8e00",
        "shr eax, 16",
        "mov word ptr [0x806+0x32*8], ax",
        *back,
    ]


def _handlers(code: int) -> list[str]:
    """The two handlers, each in its own code size, back to the body's."""
    back = ".code32" if code == 32 else ".code16"
    return [".code16", "h16:", "    iret", ".code32", "h32:", "    iretd", back]
