"""The behaviour of each instruction, written once. The interpreter and the translator
both generate their code from these templates; nothing else in the VMM says what an
instruction does.

The template language (tokens, write forms, the read-once rule, how EIP is set) and
how a key (a mnemonic, or ``mnemonic:kinds`` for a form that behaves differently) is
chosen are described in one place: the docstring of ``refvmm.cpu.codegen``.
Sources: Intel SDM vol. 2, the instruction's "Operation" section.
"""

from __future__ import annotations

_ALU = """
a = D
b = S
r = ({op}) & MASK
{write}FLAGS({kind}, a, b, r, W, {cin})
"""


def _alu(op: str, kind: str, write: bool = True, carry: bool = False) -> str:
    text = _ALU.format(op=op, kind=kind, write="D := r\n" if write else "", cin="c" if carry else "0")
    return ("c = CARRY\n" if carry else "") + text.lstrip("\n")


_LOGIC = """
r = {op}
{write}FLAGS(LOGIC, r, 0, r, W, 0)
"""

_ZF_FROM_SOURCE = "cpu.arith = cpu.arith_flags() & ~0x40 | (0 if v else 0x40)"
_LOOP = "n = (CX - 1) & AMASK\nCX := n\ncpu.eip = (NEXT + D) & OMASK if n{extra} else NEXT"
# the operand is read whatever the count (a count of 0 still faults on its page); it is
# written, and the flags change, only for a nonzero count
_SHIFT = "a = D\nn = {count}\nif n:\n    {body}\n    D := r\n    {flags}"

_SHL = _SHIFT.format(
    count="S & 31",
    body="r = (a << n) & MASK",
    flags="FLAGS(SHL, a, n, r, W, (a >> (W - n)) & 1 if n <= W else 0)",
)

# -- x87 (SDM vol. 2 each instruction; the effects on the FPU are refvmm.cpu.fpu's) --
# A waiting instruction checks #NM and a pending exception, and records its pointers
# (fpu_begin), before any memory operand is addressed; a control instruction
# (FLDCW, FNSTSW, FNSTENV ...) checks without recording (fpu_check).
_BEGIN = "fpu_begin(cpu, m, HERE, FOP)\n"
_ADDRESS = "ea = EA0\nlin = seg_linear(cpu, MSEG0, ea, MBYTES0, {write})\n"
_LOAD = _BEGIN + _ADDRESS.format(write=False) + "fpu_data(cpu, MSEG0, ea)\nv = m.read(lin, MBYTES0, u)\n"
_STORE = (
    _BEGIN
    + _ADDRESS.format(write=True)
    + "fpu_data(cpu, MSEG0, ea)\nv = fpu_store(cpu, {kind!r}, MBYTES0 * 8, {pop})\n"
    + "if v is not None:\n    m.write(lin, MBYTES0, v, u)"
)
_CONTROL_READ = "fpu_check(cpu, m)\n" + _ADDRESS.format(write=False) + "v = m.read(lin, MBYTES0, u)\n"
_CONTROL_WRITE = "fpu_check(cpu, m, False)\n" + _ADDRESS.format(write=True)
# FCMOVcc's conditions on the arithmetic flags (CF 1, PF 4, ZF 0x40)
_FCMOV = {"b": "f & 1", "e": "f & 0x40", "be": "f & 0x41", "u": "f & 4"}

X87: dict[str, str] = {
    **{
        f"f{op}:m": _LOAD + f"fpu_arith_memory(cpu, {op!r}, 'real', v, MBYTES0 * 8)"
        for op in ("add", "mul", "sub", "subr", "div", "divr")
    },
    **{
        f"fi{op}": _LOAD + f"fpu_arith_memory(cpu, {op!r}, 'integer', v, MBYTES0 * 8)"
        for op in ("add", "mul", "sub", "subr", "div", "divr")
    },
    **{
        f"f{op}{p}:ff": _BEGIN + f"fpu_arith(cpu, {op!r}, F0, F1, {bool(p)})"
        for op in ("add", "mul", "sub", "subr", "div", "divr")
        for p in ("", "p")
    },
    "fcom:m": _LOAD + "fpu_compare_memory(cpu, 'real', v, MBYTES0 * 8, 0)",
    "fcomp:m": _LOAD + "fpu_compare_memory(cpu, 'real', v, MBYTES0 * 8, 1)",
    "ficom": _LOAD + "fpu_compare_memory(cpu, 'integer', v, MBYTES0 * 8, 0)",
    "ficomp": _LOAD + "fpu_compare_memory(cpu, 'integer', v, MBYTES0 * 8, 1)",
    "fcom:f": _BEGIN + "fpu_compare(cpu, F0, False, 0)",
    "fcomp:f": _BEGIN + "fpu_compare(cpu, F0, False, 1)",
    "fcompp": _BEGIN + "fpu_compare(cpu, 1, False, 2)",
    "fucom": _BEGIN + "fpu_compare(cpu, F0, True, 0)",
    "fucomp": _BEGIN + "fpu_compare(cpu, F0, True, 1)",
    "fucompp": _BEGIN + "fpu_compare(cpu, 1, True, 2)",
    **{
        f"f{u}comi{p}": _BEGIN
        + f"r = fpu_compare_eflags(cpu, F1, {bool(u)}, {bool(p)})\n"
        + "if r is not None:\n    cpu.arith = cpu.arith_flags() & ~0x8D5 | r"
        for u in ("", "u")
        for p in ("", "p")
    },
    **{
        f"fcmov{n}{cc}": _BEGIN + f"f = cpu.arith_flags()\nfpu_move(cpu, F1, {'not ' if n else ''}{test})"
        for cc, test in _FCMOV.items()
        for n in ("", "n")
    },
    "ftst": _BEGIN + "fpu_test(cpu)",
    "fxam": _BEGIN + "fpu_examine(cpu)",
    # loads and stores
    "fld:m": _LOAD + "fpu_load_real(cpu, v, MBYTES0 * 8)",
    "fild": _LOAD + "fpu_load_integer(cpu, v, MBYTES0 * 8)",
    "fbld": _LOAD + "fpu_load_bcd(cpu, v)",
    "fld:f": _BEGIN + "fpu_load_register(cpu, F0)",
    "fst:m": _STORE.format(kind="real", pop=False),
    "fstp:m": _STORE.format(kind="real", pop=True),
    "fist": _STORE.format(kind="integer", pop=False),
    "fistp": _STORE.format(kind="integer", pop=True),
    "fbstp": _STORE.format(kind="bcd", pop=True),
    "fst:f": _BEGIN + "fpu_store_register(cpu, F0, False)",
    "fstp:f": _BEGIN + "fpu_store_register(cpu, F0, True)",
    **{
        name: _BEGIN + f"fpu_load_constant(cpu, {name!r})"
        for name in ("fld1", "fldz", "fldpi", "fldl2t", "fldl2e", "fldlg2", "fldln2")
    },
    # arithmetic on the stack
    **{name: _BEGIN + f"fpu_unary(cpu, {name!r})" for name in ("fchs", "fabs", "fsqrt", "frndint")},
    **{name: _BEGIN + f"fpu_two(cpu, {name!r})" for name in ("fscale", "fprem", "fprem1")},
    "fxtract": _BEGIN + "fpu_extract(cpu)",
    **{
        name: _BEGIN + f"fpu_transcendental(cpu, {name!r})"
        for name in ("fsin", "fcos", "fsincos", "fptan", "fpatan", "f2xm1", "fyl2x", "fyl2xp1")
    },
    "fxch": _BEGIN + "fpu_exchange(cpu, F0)",
    "ffree": _BEGIN + "fpu_free(cpu, F0, False)",
    "ffreep": _BEGIN + "fpu_free(cpu, F0, True)",
    "fincstp": _BEGIN + "fpu_step(cpu, 1)",
    "fdecstp": _BEGIN + "fpu_step(cpu, -1)",
    "fnop": _BEGIN.rstrip(),
    # control
    "fldcw": _CONTROL_READ + "fpu_load_control(cpu, v)",
    "fnstcw": _CONTROL_WRITE + "m.write(lin, 2, cpu.fpu.cw, u)",
    "fnstsw:m": _CONTROL_WRITE + "m.write(lin, 2, fpu_status_word(cpu), u)",
    "fnstsw:r": "fpu_check(cpu, m, False)\nD := fpu_status_word(cpu)",
    "fnclex": "fpu_check(cpu, m, False)\nfpu_clear(cpu)",
    "fninit": "fpu_check(cpu, m, False)\nfpu_init(cpu)",
    # FENI, FDISI (8087) and FSETPM (80287) do nothing on later processors
    **{name: "fpu_check(cpu, m, False)" for name in ("fneni", "fndisi", "fnsetpm")},
    "fnstenv": _CONTROL_WRITE + "m.write(lin, MBYTES0, fpu_store_environment(cpu, OSZ, False), u)",
    "fnsave": _CONTROL_WRITE + "m.write(lin, MBYTES0, fpu_store_environment(cpu, OSZ, True), u)",
    "fldenv": _CONTROL_READ + "fpu_load_environment(cpu, v, OSZ, False)",
    "frstor": _CONTROL_READ + "fpu_load_environment(cpu, v, OSZ, True)",
}

TEMPLATES: dict[str, str] = {
    "add": _alu("a + b", "ADD"),
    "adc": _alu("a + b + c", "ADC", carry=True),
    "sub": _alu("a - b", "SUB"),
    "sbb": _alu("a - b - c", "SBB", carry=True),
    "cmp": _alu("a - b", "SUB", write=False),
    "and": _LOGIC.format(op="D & S", write="D := r\n"),
    "or": _LOGIC.format(op="D | S", write="D := r\n"),
    "xor": _LOGIC.format(op="D ^ S", write="D := r\n"),
    "test": _LOGIC.format(op="D & S", write=""),
    "inc": "c = CARRY\na = D\nr = (a + 1) & MASK\nD := r\nFLAGS(INC, a, 1, r, W, c)",
    "dec": "c = CARRY\na = D\nr = (a - 1) & MASK\nD := r\nFLAGS(DEC, a, 1, r, W, c)",
    "neg": "a = D\nr = -a & MASK\nD := r\nFLAGS(NEG, a, 0, r, W, 0)",
    "not": "D := ~D & MASK",
    "mov": "D := S",
    "mov:rc": "D := S",
    "mov:cr": "write_cr(cpu, m, CREG0, S)",
    "movzx": "D := S",
    "movsx": "v = S\nD := v - ((v & SSIGN) << 1)",
    "lea": "D := EA1",
    "xchg": "a = D\nb = S\nD := b\nS := a",
    "nop": "pass",
    "pause": "pass",  # a spin-loop hint: no architectural effect
    "cwde": "g[0] = (g[0] & 0xFFFF) - ((g[0] & 0x8000) << 1) & 0xFFFFFFFF",
    "cbw": "g[0] = g[0] & 0xFFFF0000 | ((g[0] & 0xFF) - ((g[0] & 0x80) << 1)) & 0xFFFF",
    "cdq": "g[2] = 0xFFFFFFFF if g[0] & 0x80000000 else 0",
    "salc": "g[0] = g[0] & 0xFFFFFF00 | (0xFF if CARRY else 0)",  # AL from CF; no flag changes
    "cwd": "g[2] = g[2] & 0xFFFF0000 | (0xFFFF if g[0] & 0x8000 else 0)",
    # -- stack --
    "push": "push(cpu, m, D, W, u)",
    "push:s": "push_selector(cpu, m, D, W, u)",
    "pop": "v = pop(cpu, m, W, u)\nD := v",
    # the address of a memory destination is computed after ESP is incremented
    "pop:m": "v = pop(cpu, m, W, u)\nm.write(seg_linear(cpu, MSEG0, EA0, W // 8, True), W // 8, v, u)",
    "pop:s": "load_segment(cpu, m, SEG0, pop(cpu, m, W, u))\ncpu.interrupt_shadow = SEG0 == 2",
    "pushad": "push_all(cpu, m, 32, u)",
    "pusha": "push_all(cpu, m, 16, u)",
    "popad": "pop_all(cpu, m, 32, u)",
    "popa": "pop_all(cpu, m, 16, u)",
    "pushfd": "push_flags(cpu, m, 32, u)",
    "pushf": "push_flags(cpu, m, 16, u)",
    "popfd": "pop_flags(cpu, m, 32, u)",
    "popf": "pop_flags(cpu, m, 16, u)",
    "leave": "leave(cpu, m, W, u)",
    # -- control flow --
    "jmp:j": "cpu.eip = (NEXT + D) & OMASK",
    "jmp": "cpu.eip = D & OMASK",
    "jmpf:p": "far_transfer(cpu, m, *D, W, False, NEXT)",
    # the offset is read before the selector (a fault on the offset's page is taken first)
    "jmpf:m": "t = m.read(LIN0, W // 8, u)\n"
    "far_transfer(cpu, m, m.read(LIN0 + W // 8, 2, u), t, W, False, NEXT)",
    "callf:p": "far_call(cpu, m, *D, W, NEXT)",
    "callf:m": "t = m.read(LIN0, W // 8, u)\nfar_call(cpu, m, m.read(LIN0 + W // 8, 2, u), t, W, NEXT)",
    "retf": "far_return(cpu, m, W, 0)",
    "retf:i": "far_return(cpu, m, W, D)",
    "jcc": "cpu.eip = (NEXT + D) & OMASK if COND else NEXT",
    "call:j": "push(cpu, m, NEXT, W, u)\ncpu.eip = (NEXT + D) & OMASK",
    "call": "t = D\npush(cpu, m, NEXT, W, u)\ncpu.eip = t & OMASK",
    "ret": "cpu.eip = pop(cpu, m, W, u) & OMASK",
    "ret:i": "cpu.eip = pop(cpu, m, W, u) & OMASK\nrelease_stack(cpu, D)",
    "loop": _LOOP.format(extra=""),
    "loope": _LOOP.format(extra=" and cpu.arith_flags() & 0x40"),
    "loopne": _LOOP.format(extra=" and not cpu.arith_flags() & 0x40"),
    "jcxz": "cpu.eip = (NEXT + D) & OMASK if not CX else NEXT",
    "jecxz": "cpu.eip = (NEXT + D) & OMASK if not CX else NEXT",
    "setcc": "D := 1 if COND else 0",
    "cmovcc": "v = S\nif COND:\n    D := v",
    # -- shifts and rotates (count masked to 5 bits; flags per SDM SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR) --
    "sal": _SHL,  # the /6 alias the CPU executes as SHL
    "shl": _SHL,
    "shr": _SHIFT.format(
        count="S & 31", body="r = a >> n", flags="FLAGS(SHR, a, n, r, W, (a >> (n - 1)) & 1)"
    ),
    "sar": _SHIFT.format(
        count="S & 31",
        body="s = a - ((a & SIGN) << 1)\n    r = (s >> n) & MASK",
        flags="FLAGS(SAR, a, n, r, W, (s >> (n - 1)) & 1)",
    ),
    "rol": _SHIFT.format(
        count="S & 31",
        body="k = n % W\n    r = ((a << k) | (a >> (W - k))) & MASK",
        flags="set_cf_of(cpu, r & 1, (r >> (W - 1) ^ r) & 1)",
    ),
    "ror": _SHIFT.format(
        count="S & 31",
        body="k = n % W\n    r = ((a >> k) | (a << (W - k))) & MASK",
        flags="set_cf_of(cpu, r >> (W - 1) & 1, (r >> (W - 1) ^ r >> (W - 2)) & 1)",
    ),
    "rcl": _SHIFT.format(
        count="(S & 31) % (W + 1)",
        body="t = a | CARRY << W"
        "\n    t = ((t << n) | (t >> (W + 1 - n))) & ((MASK << 1) | 1)\n    r = t & MASK",
        flags="set_cf_of(cpu, t >> W & 1, (r >> (W - 1) ^ t >> W) & 1)",
    ),
    "rcr": _SHIFT.format(
        count="(S & 31) % (W + 1)",
        body="t = a | CARRY << W\n    o = (t >> (W - 1) ^ t >> W) & 1"
        "\n    t = ((t >> n) | (t << (W + 1 - n))) & ((MASK << 1) | 1)\n    r = t & MASK",
        flags="set_cf_of(cpu, t >> W & 1, o)",
    ),
    "shld": _SHIFT.format(
        count="S2 & 31",
        body="r = ((a << W | S) << n >> W) & MASK",
        flags="FLAGS(SHL, a, n, r, W, (a >> (W - n)) & 1 if n <= W else 0)",
    ),
    "shrd": _SHIFT.format(
        count="S2 & 31",
        body="r = ((S << W | a) >> n) & MASK",
        flags="FLAGS(SHRD, a, n, r, W, (a >> (n - 1)) & 1 if n <= W else 0)",
    ),
    # -- multiply and divide --
    "mul": "multiply(cpu, D, W, False)",
    "imul": "multiply(cpu, D, W, True)",
    "imul:rr": "D := imul2(cpu, D, S, W)",
    "imul:rm": "D := imul2(cpu, D, S, W)",
    "imul:rri": "D := imul2(cpu, S, S2, W)",
    "imul:rmi": "D := imul2(cpu, S, S2, W)",
    "div": "divide(cpu, D, W, False)",
    "idiv": "divide(cpu, D, W, True)",
    # -- flags --
    "clc": "cpu.arith = cpu.arith_flags() & ~1",
    "stc": "cpu.arith = cpu.arith_flags() | 1",
    "cmc": "cpu.arith = cpu.arith_flags() ^ 1",
    "cld": "cpu.eflags_other &= ~0x400",
    "std": "cpu.eflags_other |= 0x400",
    "cli": "check_iopl(cpu)\ncpu.eflags_other &= ~0x200",
    "sti": "check_iopl(cpu)\nshadow = not cpu.eflags_other & 0x200\ncpu.eflags_other |= 0x200\n"
    "cpu.interrupt_shadow = shadow",
    "lahf": "g[0] = g[0] & 0xFFFF00FF | (cpu.eflags & 0xFF) << 8",
    "sahf": "cpu.arith = cpu.arith_flags() & 0x800 | (g[0] >> 8) & 0xD5",
    # -- strings --
    **{
        f"{op}{suffix}": f'if string_op(cpu, m, "{op}", {size}, REP, ASZ, SEGSRC, u):\n    cpu.eip = NEXT'
        for op in ("movs", "stos", "lods", "cmps", "scas", "ins", "outs")
        for suffix, size in (("b", 1), ("w", 2), ("d", 4))
    },
    # -- I/O --
    "in": "D := port_in(cpu, m, S, W)",
    "out": "port_out(cpu, m, D, S, W)",
    # -- system --
    "hlt": "cpu.halted = True",
    "mov:sr": "load_segment(cpu, m, SEG0, S)\ncpu.interrupt_shadow = SEG0 == 2",
    "mov:sm": "load_segment(cpu, m, SEG0, S)\ncpu.interrupt_shadow = SEG0 == 2",
    "lgdt": "cpu.gdtr = load_table_register(m, LIN0, OSZ, u)",
    "lidt": "cpu.idtr = load_table_register(m, LIN0, OSZ, u)",
    "ltr": "load_task_register(cpu, m, D)",
    "lldt": "load_ldt(cpu, m, D)",
    "int": "check_int_n(cpu)\nraise SoftwareInterrupt(D, NEXT)",
    "int3": "raise SoftwareInterrupt(3, NEXT)",
    "into": "if cpu.arith_flags() & 0x800:\n    raise SoftwareInterrupt(4, NEXT)\ncpu.eip = NEXT",
    "iretd": "interrupt_return(cpu, m, 32, NEXT)",
    "iret": "interrupt_return(cpu, m, 16, NEXT)",
    "ud2": "raise CpuFault(6)",
    "ud1": "raise CpuFault(6)",
    "rsm": "raise CpuFault(6)",  # outside system-management mode
    "int1": "raise SoftwareInterrupt(1, NEXT, False)",  # ICEBP: #DB, no gate DPL check
    "rdpmc": "raise CpuFault(13, 0)",  # the model has no performance counters
    "wait": "fpu_wait(cpu, m)",  # #NM with MP and TS set, then a pending x87 exception (#MF)
    "sysenter": "sysenter(cpu, m)",
    "sysexit": "sysexit(cpu, m)",
    # an x87 escape the FPU does not define: #NM with CR0.EM or TS, else #UD
    "esc": "raise CpuFault(7 if cpu.cr[0] & 0xC else 6)",
    "sgdt": "store_table_register(m, LIN0, cpu.gdtr, OSZ, u)",
    "sidt": "store_table_register(m, LIN0, cpu.idtr, OSZ, u)",
    "sldt": "D := cpu.ldtr.selector",
    "str": "D := cpu.tr.selector",
    "smsw": "D := cpu.cr[0]",
    "lmsw": "lmsw(cpu, m, D)",
    "clts": "cpu.cr[0] &= ~8",
    "invlpg": "m.flush_tlb(LIN0)",
    "wbinvd": "pass",  # no caches modelled; CPL 0 only (property p)
    "invd": "pass",
    "mov:rd": "D := cpu.dr[debug_register(cpu, DREG1)]",
    "mov:dr": "cpu.dr[debug_register(cpu, DREG0)] = S",
    "lar": "v = access_rights(cpu, m, S, W)\nif v is not None:\n    D := v",
    "lsl": "v = segment_limit(cpu, m, S)\nif v is not None:\n    D := v",
    "verr": "verify(cpu, m, D, False)",
    "verw": "verify(cpu, m, D, True)",
    "arpl": "a = D\nr = arpl(cpu, a, S)\nif r != a:\n    D := r",
    "bound": "bound(cpu, m, D, LIN1, W, u)",
    "lds": "D := load_far_pointer(cpu, m, 3, LIN1, W, u)",
    "les": "D := load_far_pointer(cpu, m, 0, LIN1, W, u)",
    "lfs": "D := load_far_pointer(cpu, m, 4, LIN1, W, u)",
    "lgs": "D := load_far_pointer(cpu, m, 5, LIN1, W, u)",
    "lss": "D := load_far_pointer(cpu, m, 2, LIN1, W, u)",
    "cpuid": "cpuid(cpu)",
    "rdtsc": "g[0] = m.retired & 0xFFFFFFFF\ng[2] = m.retired >> 32 & 0xFFFFFFFF",
    "rdmsr": "rdmsr(cpu, m)",
    "wrmsr": "wrmsr(cpu, m)",
    # -- bits --
    "bt": "n = S % W\ncpu.arith = cpu.arith_flags() & ~1 | (D >> n & 1)",
    "bts": "n = S % W\nv = D\ncpu.arith = cpu.arith_flags() & ~1 | (v >> n & 1)\nD := v | 1 << n",
    "btr": "n = S % W\nv = D\ncpu.arith = cpu.arith_flags() & ~1 | (v >> n & 1)\nD := v & ~(1 << n)",
    "btc": "n = S % W\nv = D\ncpu.arith = cpu.arith_flags() & ~1 | (v >> n & 1)\nD := v ^ 1 << n",
    **{
        f"{op}:mr": f'bit_memory(cpu, m, MSEG0, EA0, S, W, AMASK, u, "{op}")  # memory bit string'
        for op in ("bt", "bts", "btr", "btc")
    },
    # a zero source leaves the destination unchanged (as Intel and AMD CPUs do; the SDM says undefined)
    "bsf": "v = S\nif v:\n    D := (v & -v).bit_length() - 1\n" + _ZF_FROM_SOURCE,
    "bsr": "v = S\nif v:\n    D := v.bit_length() - 1\n" + _ZF_FROM_SOURCE,
    "bswap": "D := int.from_bytes(D.to_bytes(W // 8, 'little'), 'big')",
    "xadd": "a = D\nb = S\nr = (a + b) & MASK\nS := a\nD := r\nFLAGS(ADD, a, b, r, W, 0)",
    "cmpxchg": "a = ACC\nd = D\nr = (a - d) & MASK\nFLAGS(SUB, a, d, r, W, 0)\nif a == d:\n    D := S\n"
    "else:\n    D := d\n    ACC := d",
    "cmpxchg8b": "cmpxchg8b(cpu, m, LIN0, u)",
    "enter": "enter(cpu, m, W, D, S, u)",
    "xlatb": "table = seg_linear(cpu, DSEG, (g[3] + (g[0] & 0xFF)) & AMASK, 1, False)\n"
    "g[0] = g[0] & ~0xFF | m.read(table, 1, u)",
    # -- BCD --
    "daa": "decimal_adjust(cpu, False)",
    "das": "decimal_adjust(cpu, True)",
    "aaa": "ascii_adjust(cpu, False)",
    "aas": "ascii_adjust(cpu, True)",
    "aam": "ascii_multiply(cpu, D)",
    "aad": "ascii_divide(cpu, D)",
    "mov:rs": "D := S",
    "mov:ms": "D := S",
    **X87,
}
