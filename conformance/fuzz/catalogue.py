"""The instructions the fuzzer aims at, each with a strategy for its operands.

``ROBIN_IRVINE`` are the seventeen sensitive but unprivileged instructions of Robin
and Irvine (USENIX Security 2000) that make the x86 not virtualizable by trap and
emulate: at CPL 3 they run without trapping yet read or change privileged state.
``PRIVILEGED`` are those that trap at CPL > 0 (or where IOPL, the I/O bitmap or CR4
say), which a monitor must emulate exactly. A target draws its instruction with
operands of every class (selectors of every kind and RPL, values with every
interesting flag, memory operands across a page) and, where it needs them, the lines
that set it up; the program around it is the driver's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st

from .. import layout as L
from .contexts import LANDING, STACK_COMPARED, Context, selectors

SEGMENTS = ("ds", "es", "fs", "gs", "ss")
# EFLAGS bits POPF and IRET may be given: the arithmetic flags, DF, IF, IOPL, AC and ID
# (TF would single-step the harness, NT make IRET a task switch, VM is ignored by POPF)
POPF_BITS = 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x400 | 0x800 | 0x200 | 0x3000 | 0x40000 | 0x200000


@dataclass(frozen=True)
class Target:
    name: str
    group: str  # sensitive (Robin and Irvine's), privileged
    lines: Callable[[Context], st.SearchStrategy[list[str]]]


def _one(*choices: str) -> st.SearchStrategy[list[str]]:
    return st.sampled_from(choices).map(lambda text: text.split("\n"))


def _memory(ctx: Context) -> st.SearchStrategy[str]:
    """A memory operand in the compared data area, now and then straddling a dword."""
    return st.sampled_from((0, 8, 0x10, 0x1E, 0x3A)).map(lambda off: f"[{ctx.data + off:#x}]")


def _reg(ctx: Context, size: int = 0) -> str:
    return "ax" if (size or ctx.bits) == 16 else "eax"


def _selector_load(ctx: Context, reg: str = "ax") -> st.SearchStrategy[list[str]]:
    return selectors(ctx).map(lambda s: [f"mov {reg}, {s:#x}"])


def _store_table(name: str) -> Callable[[Context], st.SearchStrategy[list[str]]]:
    def lines(ctx: Context) -> st.SearchStrategy[list[str]]:
        prefix = st.sampled_from(([], [".byte 0x66"]))  # the other operand size
        return st.tuples(prefix, _memory(ctx)).map(lambda t: [*t[0], f"{name} {t[1]}"])

    return lines


def _store_selector(name: str) -> Callable[[Context], st.SearchStrategy[list[str]]]:
    def lines(ctx: Context) -> st.SearchStrategy[list[str]]:
        return st.one_of(
            _memory(ctx).map(lambda m: [f"{name} word ptr {m}"]),
            # SMSW's bits 31:16 of a 32-bit register are undefined: kept out of memory
            st.sampled_from(("eax", "ax", "edx")).map(
                lambda r: [f"{name} {r}"] + ([f"and {r}, 0xffff"] if name == "smsw" and r[0] == "e" else [])
            ),
        )

    return lines


def _pushf(ctx: Context) -> st.SearchStrategy[list[str]]:
    wide = "pushfd" if ctx.bits == 32 else "pushf"
    return _one(f"{wide}\npop {_reg(ctx)}", "pushf\npop ax" if ctx.bits == 32 else "pushfd\npop eax")


def _popf(ctx: Context) -> st.SearchStrategy[list[str]]:
    value = st.integers(0, 0xFFFFFFFF).map(lambda v: v & POPF_BITS | 2)
    if ctx.bits == 32:
        return value.map(lambda v: [f"push {v:#x}", "popfd", "pushfd", "pop edx"])
    return value.map(lambda v: [f"push word {v & 0xFFFF:#x}", "popf", "pushf", "pop dx"])


def _descriptor_check(name: str) -> Callable[[Context], st.SearchStrategy[list[str]]]:
    def lines(ctx: Context) -> st.SearchStrategy[list[str]]:
        reg = _reg(ctx)
        if name in ("verr", "verw"):
            tail = [f"{name} ax", "setz bl"]
        else:
            tail = ["mov edx, 0x5a5a5a5a", f"{name} {'edx' if reg == 'eax' else 'dx'}, {reg}", "setz bl"]
            if name == "lar" and reg == "eax":  # bits 19:16 are undefined: kept out of memory
                tail.append("and edx, 0xfff0ffff")
        return selectors(ctx).map(lambda s: [f"mov eax, {s:#x}", *tail])

    return lines


def _push_segment(ctx: Context) -> st.SearchStrategy[list[str]]:
    return st.sampled_from(("cs", "ss", "ds", "es", "fs", "gs")).map(
        lambda s: [f"push {s}", f"pop {_reg(ctx)}"]
    )


# SS in a protected mode: the selectors whose checks matter (null, RPL, DPL, code, system,
# past the limit, in the LDT) but no stack of another size or base than the runtime's, on
# which its exception handler (at CPL 0 it uses the stack it finds) could not run
STACK_SELECTORS = (0x00, 0x03, 0x08, 0x10, 0x13, 0x18, 0x20, 0x23, 0x28, 0x100, 0x14)


def _segment_and_selector(ctx: Context) -> st.SearchStrategy[tuple[str, int]]:
    def pick(reg: str) -> st.SearchStrategy[tuple[str, int]]:
        if reg == "ss" and ctx.protected:
            stack = STACK_SELECTORS if ctx.bits == 32 else (0x38, 0x3B, 0x30, 0x10, 0x00)
            return st.sampled_from(stack).map(lambda sel: (reg, sel))
        return selectors(ctx).map(lambda sel: (reg, sel))

    return st.sampled_from(SEGMENTS).flatmap(pick)


def _pop_segment(ctx: Context) -> st.SearchStrategy[list[str]]:
    return _segment_and_selector(ctx).map(
        lambda t: [f"mov eax, {t[1]:#x}", f"push {_reg(ctx)}", f"pop {t[0]}", f"mov ebx, {t[0]}"]
    )


def _mov_segment(ctx: Context) -> st.SearchStrategy[list[str]]:
    load = _segment_and_selector(ctx).map(
        lambda t: [f"mov ax, {t[1]:#x}", f"mov {t[0]}, ax", f"mov ebx, {t[0]}"]
    )
    store = st.sampled_from(("cs", "ss", "ds", "fs")).map(
        lambda s: [f"mov ecx, {s}", f"mov word ptr [{ctx.data:#x}], {s}"]
    )
    return st.one_of(load, store)


# the landing pad in real mode: segment:offset pairs that reach its linear address
REAL_LANDINGS = ((0x1000, LANDING - 0x10000), (0x1900, 0), (0x1800, 0x1000), (0x0FFF, LANDING - 0xFFF0))


def _far_target(ctx: Context) -> st.SearchStrategy[tuple[int, int]]:
    """A selector:offset to transfer to: the landing pad through any code selector."""
    if not ctx.protected:
        return st.sampled_from(REAL_LANDINGS)
    chosen = selectors(ctx)
    if ctx.bits == 16:  # the runtime's flat code would land at linear 0x9000, outside the test
        chosen = chosen.filter(lambda s: s & 0xFFF8 not in (L.SEL_KCODE32, L.SEL_UCODE32 & ~3))
    return chosen.map(lambda s: (s, ctx.landing))


def _far_jmp(ctx: Context) -> st.SearchStrategy[list[str]]:
    return _far_target(ctx).map(lambda t: [f"ljmp {t[0]:#x}:{t[1]:#x}"])


def _far_call(ctx: Context) -> st.SearchStrategy[list[str]]:
    return _far_target(ctx).map(lambda t: [f"lcall {t[0]:#x}:{t[1]:#x}"])


def _far_ret(ctx: Context) -> st.SearchStrategy[list[str]]:
    """RETF to the landing pad, at the same level or outward (with SS:ESP popped)."""
    push = "push dword" if ctx.bits == 32 else "push word"

    def frame(t: tuple[tuple[int, int], int, bool]) -> list[str]:
        (cs, eip), ss, outward = t
        stack = (
            [f"{push} {ss:#x}", f"{push} {STACK_COMPARED[0] if ctx.bits == 32 else 0xFF00:#x}"]
            if outward
            else []
        )
        return [*stack, f"{push} {cs:#x}", f"{push} {eip:#x}", "retf"]

    drawn = st.tuples(_far_target(ctx), selectors(ctx), st.booleans() if ctx.protected else st.just(False))
    if ctx.bits == 16 or ctx.cpl == 3:
        return drawn.map(frame)
    # a kernel's return to user mode, the runtime's user code and stack: the transfer that
    # pops SS:ESP, which drawn selectors seldom make valid
    to_user = st.just(((L.SEL_UCODE32, LANDING), L.SEL_UDATA32, True))
    return st.one_of(drawn, to_user).map(frame)


def _int(ctx: Context) -> st.SearchStrategy[list[str]]:
    # no vector the CPU gives an error code (8, 10-14, 17): the runtime's handler would read
    # the frame of a software INT of one as an exception's
    vector = st.sampled_from((0x80, 3, 4, 0x30, 0x40, 0x81, 0xFF, 0x05))
    return st.one_of(vector.map(lambda v: [f"int {v:#x}"]), _one("int3", "into", ".byte 0xf1"))


def _iret(ctx: Context) -> st.SearchStrategy[list[str]]:
    """IRET to the landing pad with drawn CS, EFLAGS and (outward) SS."""
    push = "push dword" if ctx.bits == 32 else "push word"
    flags = st.integers(0, 0xFFFFFFFF).map(lambda v: v & POPF_BITS | 2)

    def frame(t: tuple[tuple[int, int], int, int, bool]) -> list[str]:
        (cs, eip), ss, eflags, outward = t
        stack = (
            [f"{push} {ss:#x}", f"{push} {STACK_COMPARED[0] if ctx.bits == 32 else 0xFF00:#x}"]
            if outward
            else []
        )
        eflags &= 0xFFFFFFFF if ctx.bits == 32 else 0xFFFF
        return [
            *stack,
            f"{push} {eflags:#x}",
            f"{push} {cs:#x}",
            f"{push} {eip:#x}",
            "iretd" if ctx.bits == 32 else "iret",
        ]

    outward = st.booleans() if ctx.protected else st.just(False)
    return st.tuples(_far_target(ctx), selectors(ctx), flags, outward).map(frame)


def _io(ctx: Context) -> st.SearchStrategy[list[str]]:
    port = st.sampled_from((0xE9, 0x80, 0xEA, 0x70))
    forms = st.sampled_from(
        ("in al, dx", "in ax, dx", "out dx, al", "out dx, eax", "in al, {p}", "out {p}, al")
    )
    return st.tuples(port, forms).map(
        lambda t: [f"mov dx, {t[0]:#x}", "mov al, 0x41", t[1].format(p=f"{t[0]:#x}")]
    )


def _string_io(ctx: Context) -> st.SearchStrategy[list[str]]:
    port = st.sampled_from((0xE9, 0x80))
    form = st.sampled_from(("insb", "outsb", "rep insb", "rep outsw", "insd"))
    si, di = ("esi", "edi") if ctx.bits == 32 else ("si", "di")
    return st.tuples(port, form).map(
        lambda t: [
            f"mov dx, {t[0]:#x}",
            f"mov {si}, {ctx.data:#x}",
            f"mov {di}, {ctx.data + 0x20:#x}",
            "mov ecx, 2",
            t[1],
        ]
    )


def _cli_sti(ctx: Context) -> st.SearchStrategy[list[str]]:
    return _one("cli", "sti", "cli\nsti", "sti\nnop")


def _mov_cr(ctx: Context) -> st.SearchStrategy[list[str]]:
    # what the runtime survives: CR0's WP, AM, MP and TS bits; CR4's TSD, DE, PSE, PGE; CR3 as is
    return _one(
        "mov eax, cr0",
        "mov eax, cr0\nxor eax, 0x10000\nmov cr0, eax",
        "mov eax, cr0\nor eax, 0x40002\nmov cr0, eax\nmov ebx, cr0",
        "mov eax, cr2",
        "mov eax, cr3\nmov cr3, eax",
        "mov eax, cr4\nor eax, 0x4\nmov cr4, eax\nrdtsc\nxor eax, eax\nxor edx, edx",
        "mov eax, cr4\nor eax, 0x98\nmov cr4, eax\nmov ebx, cr4",
        "mov eax, cr4\nor eax, 0x8\nmov cr4, eax\nmov ebx, dr4",
    )


def _mov_dr(ctx: Context) -> st.SearchStrategy[list[str]]:
    return _one(
        "mov eax, dr6", "mov eax, dr7", "mov eax, 0x12345678\nmov dr0, eax\nmov ebx, dr0", "mov eax, dr4"
    )


def _tables(ctx: Context) -> st.SearchStrategy[list[str]]:
    m = f"[{ctx.data:#x}]"
    return st.sampled_from(("lgdt", "lidt")).map(
        lambda i: [f"s{i[1:]} {m}", f"{i} {m}", f"s{i[1:]} [{ctx.data + 8:#x}]"]
    )


def _lldt_ltr(ctx: Context) -> st.SearchStrategy[list[str]]:
    return st.tuples(st.sampled_from(("lldt", "ltr")), selectors(ctx)).map(
        lambda t: [f"mov ax, {t[1]:#x}", f"{t[0]} ax", f"s{t[0][1:]} ebx"]
    )


def _lmsw_clts(ctx: Context) -> st.SearchStrategy[list[str]]:
    return _one("smsw ax\nor al, 8\nlmsw ax\nsmsw bx", "clts\nsmsw bx", "mov ax, 0x10\nlmsw ax\nsmsw bx")


def _invlpg(ctx: Context) -> st.SearchStrategy[list[str]]:
    return _memory(ctx).map(lambda m: [f"invlpg {m}"])


def _msr(ctx: Context) -> st.SearchStrategy[list[str]]:
    msr = st.sampled_from((0x174, 0x175, 0x176, 0x10, 0x1B, 0xC0000080, 0x3A))
    form = st.sampled_from(("rdmsr", "wrmsr"))

    def lines(t: tuple[int, str]) -> list[str]:
        number, name = t
        out = [f"mov ecx, {number:#x}", "mov eax, 0x1234", "xor edx, edx", name]
        out += ["rdmsr"] if name == "wrmsr" else []
        # the TSC's value is time: cleared before anything (a handler's PUSHAD) stores it
        return out + (["xor eax, eax", "xor edx, edx"] if number == 0x10 else [])

    return st.tuples(msr, form).map(lines)


def _rdtsc(ctx: Context) -> st.SearchStrategy[list[str]]:
    # the counter's value is the host's: cleared before anything (a handler's PUSHAD) stores it
    clear = "\nxor eax, eax\nxor edx, edx"
    return _one("rdtsc" + clear, "mov eax, cr4\nor eax, 4\nmov cr4, eax\nrdtsc" + clear)


def _hlt(ctx: Context) -> st.SearchStrategy[list[str]]:
    return _one("hlt")


def _sysenter(ctx: Context) -> st.SearchStrategy[list[str]]:
    """SYSENTER and SYSEXIT, after setting the MSRs (which faults below CPL 0)."""
    # flat code descriptors at CS and CS + 8 (SYSEXIT: CS + 16 and + 24), or none: SYSENTER and
    # SYSEXIT load flat segments whatever the descriptors say, which the oracle's harness
    # (reading the descriptors) would misread
    cs = st.sampled_from((0x08, 0x00))
    form = st.sampled_from(("sysenter", "sysexit"))

    def lines(t: tuple[int, str]) -> list[str]:
        sel, name = t
        setup = [
            "mov ecx, 0x174", f"mov eax, {sel:#x}", "xor edx, edx", "wrmsr",
            "mov ecx, 0x175", f"mov eax, {STACK_COMPARED[0]:#x}", "wrmsr",
            "mov ecx, 0x176", f"mov eax, {LANDING:#x}", "wrmsr",
        ]  # fmt: skip
        if name == "sysexit":
            setup += [f"mov edx, {LANDING:#x}", f"mov ecx, {STACK_COMPARED[0]:#x}"]
        return [*setup, name]

    return st.tuples(cs, form).map(lines)


def _arpl(ctx: Context) -> st.SearchStrategy[list[str]]:
    return st.tuples(selectors(ctx), st.integers(0, 3)).map(
        lambda t: [f"mov ax, {t[0]:#x}", f"mov bx, {t[1]:#x}", "arpl ax, bx", "setz cl"]
    )


ROBIN_IRVINE = (
    Target("sgdt", "sensitive", _store_table("sgdt")),
    Target("sidt", "sensitive", _store_table("sidt")),
    Target("sldt", "sensitive", _store_selector("sldt")),
    Target("smsw", "sensitive", _store_selector("smsw")),
    Target("pushf", "sensitive", _pushf),
    Target("popf", "sensitive", _popf),
    Target("lar", "sensitive", _descriptor_check("lar")),
    Target("lsl", "sensitive", _descriptor_check("lsl")),
    Target("verr", "sensitive", _descriptor_check("verr")),
    Target("verw", "sensitive", _descriptor_check("verw")),
    Target("push sreg", "sensitive", _push_segment),
    Target("pop sreg", "sensitive", _pop_segment),
    Target("far call", "sensitive", _far_call),
    Target("far jmp", "sensitive", _far_jmp),
    Target("int n", "sensitive", _int),
    Target("far ret", "sensitive", _far_ret),
    Target("str", "sensitive", _store_selector("str")),
    Target("mov sreg", "sensitive", _mov_segment),
)
PRIVILEGED = (
    Target("cli/sti", "privileged", _cli_sti),
    Target("in/out", "privileged", _io),
    Target("ins/outs", "privileged", _string_io),
    Target("hlt", "privileged", _hlt),
    Target("mov cr", "privileged", _mov_cr),
    Target("mov dr", "privileged", _mov_dr),
    Target("lgdt/lidt", "privileged", _tables),
    Target("lldt/ltr", "privileged", _lldt_ltr),
    Target("lmsw/clts", "privileged", _lmsw_clts),
    Target("invlpg", "privileged", _invlpg),
    Target("rdmsr/wrmsr", "privileged", _msr),
    Target("rdtsc", "privileged", _rdtsc),
    Target("iret", "privileged", _iret),
    Target("sysenter/sysexit", "privileged", _sysenter),
    Target("arpl", "privileged", _arpl),
)
TARGETS = {t.name: t for t in (*ROBIN_IRVINE, *PRIVILEGED)}
