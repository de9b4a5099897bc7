"""The x87 instructions' effects on the FPU state, called from their templates
(``semantics``): what an instruction checks first (#NM, a pending #MF), the pointer
registers, the stack (overflow and underflow with their masked response), and which
arithmetic of ``refvmm.cpu.x87`` gives each result. Memory is read and written by the
templates; these helpers take and return the memory operand's bits.

An unmasked exception leaves the destination unwritten and the stack as it was (no
push, no pop), as the host processor does; it stays pending (ES) until the next waiting
x87 instruction takes it as #MF (CR0.NE = 1). With CR0.NE = 0 (MS-DOS compatible
reporting, SDM vol. 1 D.2.1) that instruction asserts FERR# and does not start: the
processor waits before it for an interrupt, which the PC's chipset makes of FERR#
(IRQ 13, ``refvmm.devices.misc.CoprocessorError``); once the handler has written port
0xF0, IGNNE# lets waiting instructions go on until ES is cleared. On a machine with
nothing wired to FERR# (``Machine.ferr`` None) IGNNE# counts as asserted.

Faults need nothing here: the execution core undoes a faulting instruction whole (the
state of the CPU, the FPU's included, and its memory writes), so an FSTP whose store
faults has not popped and an FNSAVE whose image faults has not initialised the FPU.
"""

from __future__ import annotations

from .exceptions import AwaitInterrupt, CpuFault
from .state import CpuState
from .x87 import arith, compare, constants, convert, image, transcendental
from .x87.encoding import C0, C1, C2, CONDITION, DE, ES, IE, INDEFINITE, NAN, PE, classify, unmasked
from .x87.state import STACK_OVERFLOW, STACK_UNDERFLOW

CR0_MP, CR0_EM, CR0_TS, CR0_NE = 2, 4, 8, 0x20
MF = 16


# -- what every x87 instruction does first ------------------------------------------------


def fpu_check(cpu: CpuState, m, wait: bool = True) -> None:
    """#NM with CR0.EM or CR0.TS; then, for a waiting instruction, a pending unmasked
    exception."""
    cr0 = cpu.cr[0]
    if cr0 & (CR0_EM | CR0_TS):
        raise CpuFault(7)
    _pending(cpu, m, cr0, wait)


def fpu_wait(cpu: CpuState, m) -> None:
    """WAIT/FWAIT: #NM only with MP and TS both set, then a pending exception."""
    cr0 = cpu.cr[0]
    if cr0 & (CR0_MP | CR0_TS) == CR0_MP | CR0_TS:
        raise CpuFault(7)
    _pending(cpu, m, cr0, True)


def _pending(cpu: CpuState, m, cr0: int, wait: bool) -> None:
    """A pending exception (ES) at a waiting instruction: #MF, or with CR0.NE clear FERR#,
    before which the instruction waits for an interrupt unless IGNNE# is asserted. With ES
    clear FERR# is not asserted: ES only rises in an instruction that begins with it
    clear, so the chipset sees FERR# drop in time."""
    if cpu.fpu.sw & ES:
        if not wait:
            return
        if cr0 & CR0_NE:
            raise CpuFault(MF)
        if m.ferr is not None and not m.ferr.ignne:
            raise AwaitInterrupt(m.ferr.wait)
    elif not cr0 & CR0_NE and m.ferr is not None:
        m.ferr.drop()


def fpu_begin(cpu: CpuState, m, here: int, fop: int) -> None:
    """``fpu_check``, then the instruction pointer and opcode of a non-control
    instruction (real mode keeps the linear address, as the real-mode images show it)."""
    fpu_check(cpu, m)
    x = cpu.fpu
    cs = cpu.seg[1]
    x.fip = here if cpu.cr[0] & 1 else (cs.base + here) & 0xFFFFFFFF
    x.fcs, x.fop = cs.selector, fop


def fpu_data(cpu: CpuState, seg: int, offset: int) -> None:
    """The data pointer of an instruction with a memory operand."""
    x = cpu.fpu
    s = cpu.seg[seg]
    x.fdp = offset if cpu.cr[0] & 1 else (s.base + offset) & 0xFFFFFFFF
    x.fds = s.selector


# -- the stack ----------------------------------------------------------------------------


def _masked(cpu: CpuState, flags: int) -> bool:
    return not unmasked(flags, cpu.fpu.cw)


def _underflow(cpu: CpuState, dest: int | None = None) -> bool:
    """A stack underflow: reported; masked, ``dest`` (an ST index) receives the real
    indefinite. Returns whether it was masked (so the instruction goes on to pop)."""
    x = cpu.fpu
    x.report(STACK_UNDERFLOW)
    if not _masked(cpu, IE):
        return False
    if dest is not None:
        x.set_st(dest, INDEFINITE)
    return True


def _push(cpu: CpuState, value: int, flags: int = 0) -> None:
    """Push ``value`` (with the flags of making it), or the stack overflow response."""
    x = cpu.fpu
    if not x.can_push():
        x.report(STACK_OVERFLOW)
        if _masked(cpu, IE):
            x.push(INDEFINITE)
        return
    x.report(flags)
    if not unmasked(flags & IE, x.cw):  # a denormal is loaded even with DE unmasked
        x.push(value)


def _stops(cpu: CpuState, flags: int) -> bool:
    """Whether an unmasked IE or DE stops the operation before it writes."""
    return bool(unmasked(flags & (IE | DE), cpu.fpu.cw))


# -- loads --------------------------------------------------------------------------------

_CONSTANT_NAMES = {
    "fld1": "one",
    "fldz": "zero",
    "fldpi": "pi",
    "fldl2t": "l2t",
    "fldl2e": "l2e",
    "fldlg2": "lg2",
    "fldln2": "ln2",
}


def fpu_load_real(cpu: CpuState, bits: int, width: int) -> None:
    """FLD m32/m64/m80."""
    if width == 80:
        _push(cpu, bits)
        return
    value, flags = convert.load_real(bits, width, cpu.fpu.cw)
    _push(cpu, value if value is not None else 0, flags)


def fpu_load_integer(cpu: CpuState, bits: int, width: int) -> None:
    """FILD m16/m32/m64."""
    _push(cpu, convert.load_integer(bits, width))


def fpu_load_bcd(cpu: CpuState, bits: int) -> None:
    """FBLD."""
    _push(cpu, convert.load_bcd(bits))


def fpu_load_register(cpu: CpuState, i: int) -> None:
    """FLD ST(i): an empty ST(i) is an underflow, before any overflow; masked, the
    indefinite is pushed over whatever ST(7) held (as the host processor does)."""
    x = cpu.fpu
    if x.empty(i):
        x.report(STACK_UNDERFLOW)
        if _masked(cpu, IE):
            x.push(INDEFINITE)
        return
    _push(cpu, x.st(i))


def fpu_load_constant(cpu: CpuState, name: str) -> None:
    _push(cpu, constants.load_constant(_CONSTANT_NAMES[name], cpu.fpu.cw))


# -- stores -------------------------------------------------------------------------------

_INDEFINITE_OF = {
    "real": lambda width: INDEFINITE if width == 80 else convert.store_real(INDEFINITE, width, 0x37F)[0],
    "integer": lambda width: 1 << (width - 1),
    "bcd": lambda width: convert.BCD_INDEFINITE,
}


def fpu_store(cpu: CpuState, kind: str, width: int, pop: bool) -> int | None:
    """FST/FSTP m32/m64/m80, FIST/FISTP m16/m32/m64 and FBSTP: the bits to store, or None
    where an unmasked exception stops the store (then nothing pops)."""
    x = cpu.fpu
    if x.empty():
        if not _underflow(cpu):
            return None
        value = _INDEFINITE_OF[kind](width)
    elif kind == "real" and width == 80:
        value, flags = x.st(), 0
        x.report(0)
    else:
        a, cw = x.st(), x.cw
        if kind == "real":
            value, flags = convert.store_real(a, width, cw)
        elif kind == "integer":
            value, flags = convert.store_integer(a, width, cw)
        else:
            value, flags = convert.store_bcd(a, cw)
        x.report(flags)
        if value is None or unmasked(flags & IE, cw):
            return None
    if pop:
        x.pop()
    return value


def fpu_store_register(cpu: CpuState, i: int, pop: bool) -> None:
    """FST/FSTP ST(i)."""
    x = cpu.fpu
    if x.empty():
        if not _underflow(cpu, i):
            return
    else:
        x.set_st(i, x.st())
        x.report(0)
    if pop:
        x.pop()


# -- arithmetic ---------------------------------------------------------------------------

_BINARY = {
    "add": arith.add,
    "mul": arith.mul,
    "sub": arith.sub,
    "subr": lambda a, b, cw: arith.sub(b, a, cw),
    "div": arith.div,
    "divr": lambda a, b, cw: arith.div(b, a, cw),
}


def _binary(cpu: CpuState, op: str, dest: int, a: int, b: int, flags: int, pop: bool) -> None:
    x = cpu.fpu
    if _stops(cpu, flags):
        x.report(flags)
        return
    value, more = _BINARY[op](a, b, x.cw)
    x.report(flags | more)
    if value is None:
        return
    x.set_st(dest, value)
    if pop:
        x.pop()


def fpu_arith(cpu: CpuState, op: str, dest: int, src: int, pop: bool) -> None:
    """FADD/FMUL/FSUB/FSUBR/FDIV/FDIVR ST(dest), ST(src) and their P forms: ST(dest)
    op ST(src)."""
    x = cpu.fpu
    if x.empty(dest) or x.empty(src):
        if _underflow(cpu, dest) and pop:
            x.pop()
        return
    _binary(cpu, op, dest, x.st(dest), x.st(src), 0, pop)


def _memory_operand(cpu: CpuState, kind: str, bits: int, width: int) -> tuple[int, int]:
    """A memory operand as an extended real and the flags of converting it."""
    if kind == "integer":
        return convert.load_integer(bits, width), 0
    value, flags = convert.load_real(bits, width, cpu.fpu.cw)
    return (INDEFINITE if value is None else value), flags


def fpu_arith_memory(cpu: CpuState, op: str, kind: str, bits: int, width: int) -> None:
    """FADD ... FDIVR m32/m64 and FIADD ... FIDIVR m16/m32: ST(0) op memory."""
    x = cpu.fpu
    if x.empty():
        _underflow(cpu, 0)
        return
    b, flags = _memory_operand(cpu, kind, bits, width)
    _binary(cpu, op, 0, x.st(), b, flags, False)


_UNARY = {"fsqrt": arith.sqrt, "frndint": arith.round_to_integer}


def fpu_unary(cpu: CpuState, name: str) -> None:
    """FCHS, FABS, FSQRT, FRNDINT on ST(0)."""
    x = cpu.fpu
    if x.empty():
        _underflow(cpu, 0)
        return
    a = x.st()
    if name == "fchs":
        value, flags = compare.negate(a), 0
    elif name == "fabs":
        value, flags = compare.absolute(a), 0
    else:
        value, flags = _UNARY[name](a, x.cw)
    x.report(flags)
    if value is not None:
        x.set_st(0, value)


def fpu_two(cpu: CpuState, name: str) -> None:
    """FSCALE, FPREM and FPREM1: ST(0) by ST(1)."""
    x = cpu.fpu
    if x.empty(0) or x.empty(1):
        if name != "fscale":
            x.report(0, C2)  # no partial remainder: C2 clear (C0 and C3 stay), as on the host
        _underflow(cpu, 0)
        return
    a, b, cw = x.st(0), x.st(1), x.cw
    if name == "fscale":
        value, flags = arith.scale(a, b, cw)
        x.report(flags)
    else:
        value, flags = arith.remainder(a, b, cw, nearest=name == "fprem1")
        # with no quotient (an invalid operand, a NaN) the host processor clears C2 and
        # C1 and leaves C0 and C3 as they were
        quotient = value is not None and classify(value) not in NAN
        x.report(flags, CONDITION if quotient else C1 | C2)
    if value is not None:
        x.set_st(0, value)


def fpu_extract(cpu: CpuState) -> None:
    """FXTRACT: ST(0) becomes the exponent, and the significand is pushed."""
    x = cpu.fpu
    if x.empty():  # masked: the indefinite twice, pushed over ST(7) (as the host does)
        if _underflow(cpu, 0):
            x.push(INDEFINITE)
        return
    if not x.can_push():
        x.report(STACK_OVERFLOW)
        if _masked(cpu, IE):
            x.set_st(0, INDEFINITE)
            x.push(INDEFINITE)
        return
    pair, flags = arith.extract(x.st(), x.cw)
    x.report(flags)
    if pair is not None:
        x.set_st(0, pair[0])
        x.push(pair[1])


# -- transcendentals ----------------------------------------------------------------------

# FSIN, FCOS, FPTAN, FSINCOS and F2XM1 clear C2 (set for an argument out of range) and
# keep C3, and clear C0 when they compute, as the host processor does; FPATAN, FYL2X and FYL2XP1 keep
# C0, C2 and C3 (the SDM leaves them undefined)
_CLEARS = C0 | C1 | C2


def _conditions(name: str, flags: int) -> int:
    """The condition codes a result replaces: C0 (and F2XM1's C2) only with a computed
    (inexact) result; of a zero, or out of range (C2), the host processor keeps C0."""
    if flags & PE and not flags & C2:
        return _CLEARS
    return C1 if name == "f2xm1" else C1 | C2


_ON_ST0 = {"fsin": transcendental.sin, "fcos": transcendental.cos, "f2xm1": transcendental.exp2m1}
_PUSHING = {"fptan": transcendental.tan, "fsincos": transcendental.sincos}
_ON_TWO = {
    "fpatan": lambda x, y, cw: transcendental.atan2(y, x, cw),
    "fyl2x": transcendental.yl2x,
    "fyl2xp1": transcendental.yl2xp1,
}


def fpu_transcendental(cpu: CpuState, name: str) -> None:
    """FSIN, FCOS and F2XM1 replace ST(0); FPTAN and FSINCOS replace ST(0) and push (an
    argument out of range sets C2 and changes nothing); FPATAN, FYL2X and FYL2XP1 of ST(0)
    and ST(1) replace ST(1) and pop."""
    x = cpu.fpu
    if name in _ON_TWO:
        if x.empty(0) or x.empty(1):
            if _underflow(cpu, 1):
                x.pop()
            return
        value, flags = _ON_TWO[name](x.st(0), x.st(1), x.cw)
        x.report(flags)
        if value is not None:
            x.set_st(1, value)
            x.pop()
        return
    if name in _ON_ST0:
        if x.empty():
            x.report(STACK_UNDERFLOW, _CLEARS)
            if _masked(cpu, IE):
                x.set_st(0, INDEFINITE)
            return
        value, flags = _ON_ST0[name](x.st(), x.cw)
        x.report(flags, _conditions(name, flags))
        if value is not None:
            x.set_st(0, value)
        return
    # as FXTRACT: masked, a stack fault leaves the indefinite in ST(0) and pushes another
    if x.empty() or not x.can_push():
        x.report(STACK_UNDERFLOW if x.empty() else STACK_OVERFLOW, _CLEARS)
        if _masked(cpu, IE):
            x.set_st(0, INDEFINITE)
            x.push(INDEFINITE)
        return
    pair, flags = _PUSHING[name](x.st(), x.cw)
    x.report(flags, _conditions(name, flags))
    if pair is not None:
        x.set_st(0, pair[0])
        x.push(pair[1])


# -- comparisons --------------------------------------------------------------------------


def fpu_compare(cpu: CpuState, i: int, quiet: bool, pops: int) -> None:
    """FCOM/FCOMP/FCOMPP and FUCOM/FUCOMP/FUCOMPP of ST(0) with ST(i)."""
    x = cpu.fpu
    if x.empty(0) or x.empty(i):
        x.report(STACK_UNDERFLOW | compare.UNORDERED, CONDITION)
        if _masked(cpu, IE):
            _pop(x, pops)
        return
    _compare_with(cpu, x.st(i), 0, quiet, pops)


def _pop(x, pops: int) -> None:
    for _ in range(pops):
        x.pop()


def _compare_with(cpu: CpuState, b: int, flags: int, quiet: bool, pops: int) -> None:
    x = cpu.fpu
    cc, more = compare.compare(x.st(), b, x.cw, quiet)
    flags |= more
    x.report(flags | cc, CONDITION)
    if not _stops(cpu, flags):
        _pop(x, pops)


def fpu_compare_memory(cpu: CpuState, kind: str, bits: int, width: int, pops: int) -> None:
    """FCOM/FCOMP m32/m64 and FICOM/FICOMP m16/m32."""
    x = cpu.fpu
    if x.empty():
        x.report(STACK_UNDERFLOW | compare.UNORDERED, CONDITION)
        if _masked(cpu, IE):
            _pop(x, pops)
        return
    b, flags = _memory_operand(cpu, kind, bits, width)
    _compare_with(cpu, b, flags, False, pops)


def fpu_test(cpu: CpuState) -> None:
    """FTST."""
    x = cpu.fpu
    if x.empty():
        x.report(STACK_UNDERFLOW | compare.UNORDERED, CONDITION)
        return
    cc, flags = compare.test(x.st(), x.cw)
    x.report(flags | cc, CONDITION)


def fpu_examine(cpu: CpuState) -> None:
    """FXAM (no exception, even for an empty register)."""
    x = cpu.fpu
    x.report(compare.examine(x.st(), x.empty()), CONDITION)


def fpu_compare_eflags(cpu: CpuState, i: int, quiet: bool, pop: bool) -> int | None:
    """FCOMI/FCOMIP/FUCOMI/FUCOMIP: the arithmetic flags to set (ZF, PF, CF from the
    comparison; OF, SF, AF clear), or None where an unmasked exception leaves them."""
    x = cpu.fpu
    if x.empty(0) or x.empty(i):
        x.report(STACK_UNDERFLOW)
        if not _masked(cpu, IE):
            return None
        _pop(x, pop)
        return compare.eflags_of(compare.UNORDERED)
    cc, flags = compare.compare(x.st(), x.st(i), x.cw, quiet)
    x.report(flags)
    if _stops(cpu, flags):
        return None
    _pop(x, pop)
    return compare.eflags_of(cc)


# -- moves and stack control --------------------------------------------------------------


def fpu_exchange(cpu: CpuState, i: int) -> None:
    """FXCH ST(i)."""
    x = cpu.fpu
    if x.empty(0) or x.empty(i):
        x.report(STACK_UNDERFLOW)
        if not _masked(cpu, IE):
            return
        for n in (0, i):
            if x.empty(n):
                x.set_st(n, INDEFINITE)
    else:
        x.report(0)
    a, b = x.st(0), x.st(i)
    x.set_st(0, b)
    x.set_st(i, a)


def fpu_move(cpu: CpuState, i: int, condition: bool) -> None:
    """FCMOVcc ST(0), ST(i)."""
    x = cpu.fpu
    if x.empty(0) or x.empty(i):
        _underflow(cpu, 0)
        return
    if condition:
        x.set_st(0, x.st(i))


def fpu_free(cpu: CpuState, i: int, pop: bool) -> None:
    """FFREE ST(i) and FFREEP (C1 cleared, as the host processor does; the SDM leaves
    the condition codes undefined)."""
    x = cpu.fpu
    x.free(i)
    x.report(0)
    if pop:
        x.pop()


def fpu_step(cpu: CpuState, delta: int) -> None:
    """FINCSTP (+1) and FDECSTP (-1): TOP moves, the tags stay, C1 is cleared."""
    x = cpu.fpu
    x.top = (x.top + delta) & 7
    x.report(0)


# -- control ------------------------------------------------------------------------------


def fpu_status_word(cpu: CpuState) -> int:
    return cpu.fpu.status_word()


def fpu_load_control(cpu: CpuState, cw: int) -> None:
    cpu.fpu.set_control_word(cw)


def fpu_init(cpu: CpuState) -> None:
    cpu.fpu.init()


def fpu_clear(cpu: CpuState) -> None:
    cpu.fpu.clear_exceptions()


def _layout(cpu: CpuState, osz: int) -> tuple[bool, bool]:
    return osz == 32, bool(cpu.cr[0] & 1) and not cpu.v86


def fpu_store_environment(cpu: CpuState, osz: int, whole: bool) -> int:
    """FNSTENV (then every exception is masked, so none is pending: the host processor
    clears ES and B) and FNSAVE (then the FPU is initialised): the image's bytes as one
    little-endian number."""
    x = cpu.fpu
    bits32, protected = _layout(cpu, osz)
    if whole:
        data = image.store_state(x, bits32, protected)
        x.init()
    else:
        data = image.store_environment(x, bits32, protected)
        x.set_control_word(x.cw | 0x3F)  # ES and B follow: nothing is pending after it
    return int.from_bytes(data, "little")


def fpu_load_environment(cpu: CpuState, bits: int, osz: int, whole: bool) -> None:
    """FLDENV and FRSTOR from the image's bytes."""
    bits32, protected = _layout(cpu, osz)
    size = image.environment_size(bits32) + (80 if whole else 0)
    data = bits.to_bytes(size, "little")
    if whole:
        image.load_state(cpu.fpu, data, bits32, protected)
    else:
        image.load_environment(cpu.fpu, data, bits32, protected)


HELPERS = tuple(sorted(name for name in dir() if name.startswith("fpu_")))  # what templates call
