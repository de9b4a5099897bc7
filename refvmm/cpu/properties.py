"""Instruction properties as data, beside the opcode maps (``opcodes``) and keyed like the
semantics (``semantics.TEMPLATES``): a mnemonic, or ``mnemonic:kinds`` for a form that
differs. Engines, the translator's optimisations and the coverage report read these;
nothing recovers them from generated code.

Properties (one letter each):
  e  ends a translated block: changes the flow of control, the interrupt flag or shadow,
     a segment, control, debug or table register, or how later instructions decode
  b  ends a run of straight-line code for the execution core: changes what the
     instruction boundary looks at (IF, the interrupt shadow, HLT) or what a run keeps
     fixed (CS, CPL, the mode, paging); implies e
  t  reads virtual time or reaches devices: runs only at an exact instruction count
  f  may fault whatever its operands (a memory operand may fault by itself, see
     ``may_fault``)
  p  privileged: #GP(0) unless CPL 0
  r  not recognized in real-address or virtual-8086 mode: #UD there
  c  writes its memory operand only when the value changes (ARPL: SDM vol. 2,
     Operation): the read is walked as a read, so a fault there reports W/R = 0 and a
     read-only page faults only when the value is written; the segment is still
     checked for a write
  (the compiled code makes the r and p checks first, before any operand is touched:
  an instruction's mode and privilege come before its memory operand's faults)
  i  IOPL-sensitive
  s  changes the interrupt flag or starts an interrupt shadow
  j  transfers control (EIP other than the next instruction)
  w  writes its memory operand through a helper, so its address is checked for a
     write (SGDT, SIDT, CMPXCHG8B); a template's ``D :=`` says so by itself
  m  writes memory through a helper (SDM vol. 2, each instruction's Operation): a push
     (PUSH, PUSHA, PUSHF, CALL, ENTER, INT n and the far transfers that push), a string
     store (MOVS, STOS, INS), a descriptor's accessed or busy bit (a segment load, far
     transfers, IRET, LTR), SGDT/SIDT, CMPXCHG8B, BTS/BTR/BTC on a bit string. The
     translator looks for a write to translated code after such an instruction; a
     template's own writes (``D :=``, ``m.write``) say so by themselves

Flags (Intel SDM vol. 2, "Flags Affected"): C P A Z S O the arithmetic flags, D the
direction flag, I the interrupt flag. ``reads`` are the flags the result depends on
(an instruction that may leave a flag as it was, such as a shift by zero, reads it);
``writes`` those it may change; ``undefined`` those the SDM leaves undefined, which a
comparison masks (``conformance/undefined.py`` holds the per-case rules).
"""

from __future__ import annotations

from typing import NamedTuple

from . import flags as F
from . import fpu
from .decoder import Instruction, Mem

FLAG_BITS = {"C": F.CF, "P": F.PF, "A": F.AF, "Z": F.ZF, "S": F.SF, "O": F.OF, "D": 1 << 10, "I": 1 << 9}
ARITH = "CPAZSO"

# key                     properties  reads   writes    undefined
_TABLE = """
add                       -           -       CPAZSO    -
adc                       -           C       CPAZSO    -
sub                       -           -       CPAZSO    -
sbb                       -           C       CPAZSO    -
cmp                       -           -       CPAZSO    -
neg                       -           -       CPAZSO    -
and                       -           -       CPAZSO    A
or                        -           -       CPAZSO    A
xor                       -           -       CPAZSO    A
test                      -           -       CPAZSO    A
inc                       -           -       PAZSO     -
dec                       -           -       PAZSO     -
not                       -           -       -         -
mov                       -           -       -         -
mov:rc                    pf          -       -         -
mov:cr                    epfb        -       -         -
mov:rd                    epf         -       -         -
mov:dr                    epf         -       -         -
mov:sr                    efsbm       -       -         -
mov:sm                    efsbm       -       -         -
mov:rs                    e           -       -         -
mov:ms                    e           -       -         -
movzx                     -           -       -         -
movsx                     -           -       -         -
lea                       -           -       -         -
xchg                      -           -       -         -
nop                       -           -       -         -
pause                     -           -       -         -
cwde                      -           -       -         -
cbw                       -           -       -         -
cdq                       -           -       -         -
cwd                       -           -       -         -
push                      fm          -       -         -
push:s                    efm         -       -         -
pop                       f           -       -         -
pop:m                     f           -       -         -
pop:s                     efsbm       -       -         -
pushad                    fm          -       -         -
pusha                     fm          -       -         -
popad                     f           -       -         -
popa                      f           -       -         -
pushfd                    fim         CPAZSOD -         -
pushf                     fim         CPAZSOD -         -
popfd                     efisb       -       CPAZSODI  -
popf                      efisb       -       CPAZSODI  -
leave                     f           -       -         -
enter                     fm          -       -         -
jmp:j                     ej          -       -         -
jmp                       efj         -       -         -
jmpf:p                    efjbm       -       -         -
jmpf:m                    efjbm       -       -         -
callf:p                   efjbm       -       -         -
callf:m                   efjbm       -       -         -
retf                      efjbm       -       -         -
retf:i                    efjbm       -       -         -
jcc                       ej          CPZSO   -         -
call:j                    efjm        -       -         -
call                      efjm        -       -         -
ret                       efj         -       -         -
ret:i                     efj         -       -         -
loop                      ej          -       -         -
loope                     ej          Z       -         -
loopne                    ej          Z       -         -
jcxz                      ej          -       -         -
jecxz                     ej          -       -         -
setcc                     -           CPZSO   -         -
cmovcc                    -           CPZSO   -         -
sal                       -           CPAZSO  CPAZSO    AO
shl                       -           CPAZSO  CPAZSO    AO
shr                       -           CPAZSO  CPAZSO    AO
sar                       -           CPAZSO  CPAZSO    AO
rol                       -           CO      CO        O
ror                       -           CO      CO        O
rcl                       -           CO      CO        O
rcr                       -           CO      CO        O
shld                      -           CPAZSO  CPAZSO    AO
shrd                      -           CPAZSO  CPAZSO    AO
mul                       -           -       CPAZSO    PAZS
imul                      -           -       CPAZSO    PAZS
div                       f           -       CPAZSO    CPAZSO
idiv                      f           -       CPAZSO    CPAZSO
clc                       -           -       C         -
stc                       -           -       C         -
cmc                       -           C       C         -
cld                       -           -       D         -
std                       -           -       D         -
cli                       efisb       -       I         -
sti                       efisb       -       I         -
lahf                      -           CPAZS   -         -
salc                      -           C       -         -
sahf                      -           -       CPAZS     -
movs                      efm         D       -         -
stos                      efm         D       -         -
lods                      ef          D       -         -
cmps                      ef          D       CPAZSO    -
scas                      ef          D       CPAZSO    -
ins                       eftim       D       -         -
outs                      efti        D       -         -
in                        efti        -       -         -
out                       efti        -       -         -
hlt                       efpb        -       -         -
lgdt                      efp         -       -         -
lidt                      efp         -       -         -
ltr                       efpmr       -       -         -
lldt                      efpr        -       -         -
int                       efijsbm     -       I         -
int3                      efjsbm      -       I         -
into                      efjsbm      O       I         -
int1                      efjsbm      -       I         -
iretd                     efijsbm     -       CPAZSODI  -
iret                      efijsbm     -       CPAZSODI  -
ud2                       ef          -       -         -
ud1                       ef          -       -         -
rsm                       ef          -       -         -
rdpmc                     ef          -       -         -
wait                      ef          -       -         -
sysenter                  efjsb       -       I         -
sysexit                   efjpb       -       -         -
esc                       ef          -       -         -
sgdt                      wm          -       -         -
sidt                      wm          -       -         -
sldt                      fr          -       -         -
str                       fr          -       -         -
smsw                      -           -       -         -
lmsw                      efpb        -       -         -
clts                      efp         -       -         -
invlpg                    efp         -       -         -
wbinvd                    efp         -       -         -
invd                      efp         -       -         -
lar                       fr          -       Z         -
lsl                       fr          -       Z         -
verr                      fr          -       Z         -
verw                      fr          -       Z         -
arpl                      frc         -       Z         -
bound                     f           -       -         -
lds                       efbm        -       -         -
les                       efbm        -       -         -
lfs                       efbm        -       -         -
lgs                       efbm        -       -         -
lss                       efsbm       -       -         -
cpuid                     -           -       -         -
rdtsc                     et          -       -         -
rdmsr                     eftp        -       -         -
wrmsr                     efp         -       -         -
bt                        -           -       CPASO     PASO
bts                       -           -       CPASO     PASO
btr                       -           -       CPASO     PASO
btc                       -           -       CPASO     PASO
bsf                       -           -       CPAZSO    CPASO
bsr                       -           -       CPAZSO    CPASO
bswap                     -           -       -         -
xadd                      -           -       CPAZSO    -
cmpxchg                   -           -       CPAZSO    -
cmpxchg8b                 wm          -       Z         -
xlatb                     -           -       -         -
daa                       -           CA      CPAZSO    O
das                       -           CA      CPAZSO    O
aaa                       -           A       CPAZSO    PZSO
aas                       -           A       CPAZSO    PZSO
aam                       f           -       CPAZSO    CAO
aad                       -           -       CPAZSO    CAO
"""
# x87 (D8-DF): each may fault (#NM, #MF, its memory operand); FCOMI and its kin write ZF,
# PF and CF and clear OF, SF and AF; FCMOVcc reads CF, PF and ZF
_TABLE += """
fadd:m                    f           -       -         -
fmul:m                    f           -       -         -
fsub:m                    f           -       -         -
fsubr:m                   f           -       -         -
fdiv:m                    f           -       -         -
fdivr:m                   f           -       -         -
fiadd                     f           -       -         -
fimul                     f           -       -         -
fisub                     f           -       -         -
fisubr                    f           -       -         -
fidiv                     f           -       -         -
fidivr                    f           -       -         -
fadd:ff                   f           -       -         -
faddp:ff                  f           -       -         -
fmul:ff                   f           -       -         -
fmulp:ff                  f           -       -         -
fsub:ff                   f           -       -         -
fsubp:ff                  f           -       -         -
fsubr:ff                  f           -       -         -
fsubrp:ff                 f           -       -         -
fdiv:ff                   f           -       -         -
fdivp:ff                  f           -       -         -
fdivr:ff                  f           -       -         -
fdivrp:ff                 f           -       -         -
fcom:m                    f           -       -         -
fcomp:m                   f           -       -         -
ficom                     f           -       -         -
ficomp                    f           -       -         -
fcom:f                    f           -       -         -
fcomp:f                   f           -       -         -
fcompp                    f           -       -         -
fucom                     f           -       -         -
fucomp                    f           -       -         -
fucompp                   f           -       -         -
fcomi                     f           -       CPAZSO    -
fcomip                    f           -       CPAZSO    -
fucomi                    f           -       CPAZSO    -
fucomip                   f           -       CPAZSO    -
fcmovb                    f           CPZ     -         -
fcmovnb                   f           CPZ     -         -
fcmove                    f           CPZ     -         -
fcmovne                   f           CPZ     -         -
fcmovbe                   f           CPZ     -         -
fcmovnbe                  f           CPZ     -         -
fcmovu                    f           CPZ     -         -
fcmovnu                   f           CPZ     -         -
ftst                      f           -       -         -
fxam                      f           -       -         -
fld:m                     f           -       -         -
fild                      f           -       -         -
fbld                      f           -       -         -
fld:f                     f           -       -         -
fst:m                     f           -       -         -
fstp:m                    f           -       -         -
fist                      f           -       -         -
fistp                     f           -       -         -
fbstp                     f           -       -         -
fst:f                     f           -       -         -
fstp:f                    f           -       -         -
fld1                      f           -       -         -
fldz                      f           -       -         -
fldpi                     f           -       -         -
fldl2t                    f           -       -         -
fldl2e                    f           -       -         -
fldlg2                    f           -       -         -
fldln2                    f           -       -         -
fchs                      f           -       -         -
fabs                      f           -       -         -
fsqrt                     f           -       -         -
frndint                   f           -       -         -
fscale                    f           -       -         -
fprem                     f           -       -         -
fprem1                    f           -       -         -
fxtract                   f           -       -         -
fsin                      f           -       -         -
fcos                      f           -       -         -
fsincos                   f           -       -         -
fptan                     f           -       -         -
fpatan                    f           -       -         -
f2xm1                     f           -       -         -
fyl2x                     f           -       -         -
fyl2xp1                   f           -       -         -
fxch                      f           -       -         -
ffree                     f           -       -         -
ffreep                    f           -       -         -
fincstp                   f           -       -         -
fdecstp                   f           -       -         -
fnop                      f           -       -         -
fldcw                     f           -       -         -
fnstcw                    f           -       -         -
fnstsw:m                  f           -       -         -
fnstsw:r                  f           -       -         -
fnclex                    f           -       -         -
fninit                    f           -       -         -
fneni                     f           -       -         -
fndisi                    f           -       -         -
fnsetpm                   f           -       -         -
fnstenv                   f           -       -         -
fnsave                    f           -       -         -
fldenv                    f           -       -         -
frstor                    f           -       -         -
"""


class Properties(NamedTuple):
    ends_block: bool
    ends_run: bool
    timed: bool
    faults: bool
    privileged: bool
    iopl: bool
    interrupt: bool  # changes IF or the interrupt shadow
    control: bool
    writes_memory: bool  # w: its memory operand, through a helper
    helper_writes: bool  # m: any memory, through a helper
    protected_only: bool  # r: #UD in real-address and virtual-8086 mode
    conditional_write: bool  # c: writes its memory operand only when it changes
    reads: int  # flag bits, as in EFLAGS
    writes: int
    undefined: int


def _bits(letters: str) -> int:
    return 0 if letters == "-" else sum(FLAG_BITS[c] for c in letters)


def _parse(table: str) -> dict[str, Properties]:
    out = {}
    for line in table.strip().splitlines():
        if not line.strip():
            continue
        key, props, reads, writes, undefined = line.split()
        letters = (c in props for c in "ebtfpisjwmrc")
        out[key] = Properties(*letters, _bits(reads), _bits(writes), _bits(undefined))
    return out


PROPERTIES: dict[str, Properties] = _parse(_TABLE)
# The string instructions, by width, as the semantics name them.
for _op in ("movs", "stos", "lods", "cmps", "scas", "ins", "outs"):
    for _w in "bwd":
        PROPERTIES[_op + _w] = PROPERTIES[_op]
# bit tests with a memory bit string address beyond the operand; all but BT write it back
for _op in ("bt", "bts", "btr", "btc"):
    PROPERTIES[_op + ":mr"] = PROPERTIES[_op]._replace(helper_writes=_op != "bt")
for _form in ("rr", "rm", "rri", "rmi"):
    PROPERTIES["imul:" + _form] = PROPERTIES["imul"]

_KINDS = {
    "Reg": "r",
    "Mem": "m",
    "Imm": "i",
    "SReg": "s",
    "CReg": "c",
    "DReg": "d",
    "Rel": "j",
    "FarPtr": "p",
    "FReg": "f",
}


def semantic_name(ins: Instruction) -> str:
    """The mnemonic the semantics and properties know an instruction by (Jcc, SETcc and
    CMOVcc share one)."""
    name = ins.mnemonic
    if ins.cond is not None:
        return "jcc" if name.startswith("j") else "setcc" if name.startswith("set") else "cmovcc"
    return name


def keys(ins: Instruction) -> tuple[str, ...]:
    """The keys an instruction's behaviour may be found under, most specific first:
    ``mnemonic:kinds``, ``mnemonic:first-kind``, ``mnemonic``."""
    name = semantic_name(ins)
    kinds = "".join(_KINDS[type(op).__name__] for op in ins.operands)
    return f"{name}:{kinds}", f"{name}:{kinds[:1]}", name


# The x86's virtualization holes, by the keys above: Robin and Irvine's seventeen
# sensitive but unprivileged instructions (USENIX Security 2000), which at CPL 3 run
# without trapping yet read or change privileged state; IRET, which at CPL 3 leaves IF
# and IOPL as they were without a fault, as POPF does; and the x87 environment stores,
# whose FCS is the CS selector with the RPL the code really runs at. A monitor that
# runs guest kernel code deprivileged gets each wrong.
HOLES = {
    "sgdt": "sgdt",
    "sidt": "sidt",
    "sldt": "sldt",
    "smsw": "smsw",
    "pushf": "pushf",
    "pushfd": "pushf",
    "popf": "popf",
    "popfd": "popf",
    "lar": "lar",
    "lsl": "lsl",
    "verr": "verr",
    "verw": "verw",
    "push:s": "push sreg",
    "pop:s": "pop sreg",
    "callf:p": "far call",
    "callf:m": "far call",
    "jmpf:p": "far jmp",
    "jmpf:m": "far jmp",
    "int": "int n",
    "retf": "far ret",
    "retf:i": "far ret",
    "str": "str",
    "mov:sr": "mov sreg",
    "mov:sm": "mov sreg",
    "mov:rs": "mov sreg",
    "mov:ms": "mov sreg",
    "iret": "iret",
    "iretd": "iret",
    "fnstenv": "fnstenv/fnsave",
    "fnsave": "fnstenv/fnsave",
}
ROBIN_IRVINE = tuple(dict.fromkeys(HOLES.values()))[:18]  # the list's own, in its order
OTHER_HOLES = tuple(dict.fromkeys(HOLES.values()))[18:]


def hole(ins: Instruction) -> str | None:
    """The virtualization hole an instruction is (``HOLES``), or None."""
    for key in keys(ins):
        if key in HOLES:
            return HOLES[key]
    return None


# an instruction the table does not know (it has no semantics either): assumed to do anything
UNKNOWN = Properties(True, True, False, True, False, False, False, False, False, True, False, False, 0, 0, 0)


def properties(ins: Instruction) -> Properties:
    for key in keys(ins):
        found = PROPERTIES.get(key)
        if found is not None:
            return found
    return UNKNOWN


# Calls in templates that neither read nor change the arithmetic flags: the stack, segment
# checks, memory accesses and arithmetic on Python ints. The translator's flag optimiser
# looks past them; any other call is taken to read and to write the flags.
FLAG_NEUTRAL_CALLS = frozenset(
    (
        "seg_linear",
        "push",
        "pop",
        "push_selector",
        "push_all",
        "pop_all",
        "release_stack",
        "enter",
        "leave",
        "check_cpl0",
        "check_protected",
        "check_iopl",
        *fpu.HELPERS,  # the FPU's own state; FCOMI's flags are written by its template
        "m.read",
        "m.write",
        "int.from_bytes",
        ".to_bytes",
        ".bit_length",
    )
)


def may_fault(ins: Instruction) -> bool:
    return properties(ins).faults or any(isinstance(op, Mem) for op in ins.operands)
