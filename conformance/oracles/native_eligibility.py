"""Which test bodies the host processor can run as ground truth, decided with capstone.

The native oracle runs a body at CPL 3 in a 32-bit user context of a Linux child
process, with flat segments and only the test window mapped. A body qualifies when
every instruction in it (a linear sweep of the assembled bytes, so data among the
code counts too, and what a relative branch into the middle of an instruction runs;
no relative branch may leave the body) is one whose result there is the one the test's own mode would
give: the integer instructions of the modelled IA-32 CPU that neither read nor write
segment registers, control, debug or test registers, descriptor tables, I/O ports or
the interrupt flag, and that no kernel or hypervisor intercepts in user mode (CPUID,
RDTSC, RDPMC and, under UMIP, SGDT/SIDT/SLDT/SMSW/STR are answered by software there).
PUSHF is accepted (the oracle stops after each one to put the test's IF and IOPL in the
image it pushed: ``pushf_sites``), and POPF only at CPL 3 with IOPL 0, where it cannot
change IF or IOPL on either.

This module shares nothing with the VMM's decoder; the instruction names are capstone's.
"""

from __future__ import annotations

import functools
import re

import capstone

from ..undefined import branch_target

# The integer instructions of an i686-class CPU with CMOV and CMPXCHG8B (the VMM's
# model), by capstone name, that behave the same at CPL 3 in a flat 32-bit segment
# as in the test's mode.
_ALLOWED_NAMES = """
    aaa aad aam aas adc add and arpl bound bsf bsr bswap bt btc btr bts call cbw cdq clc cld
    cmc cmp cmpsb cmpsd cmpsw cmpxchg cmpxchg8b cwd cwde daa das dec div enter idiv imul inc
    int3 into jmp lahf lea leave lodsb lodsd lodsw loop loope loopne mov movsb movsd movsw
    movsx movzx mul neg nop not or pop popal popaw push pushal pushaw rcl rcr ret rol ror sahf
    sal sar sbb scasb scasd scasw shl shld shr shrd stc std stosb stosd stosw sub test ud2 xadd
    xchg xlatb xor jcxz jecxz salc
"""
# The x87 instructions of the P6 family, as capstone names them (FCOMIP is "fcompi"):
# the FPU's state is the process's own (the oracle starts it as FNINIT leaves it).
_X87_NAMES = """
    f2xm1 fabs fadd faddp fbld fbstp fchs fcmovb fcmovbe fcmove fcmovnb fcmovnbe fcmovne
    fcmovnu fcmovu fcom fcomi fcomp fcompi fcompp fcos fdecstp fdiv fdivp fdivr fdivrp ffree
    ffreep fiadd ficom ficomp fidiv fidivr fild fimul fincstp fist fistp fisub fisubr fld fld1
    fldcw fldenv fldl2e fldl2t fldlg2 fldln2 fldpi fldz fmul fmulp fnclex fninit fnop fnstcw
    fnstsw fpatan fprem fprem1 fptan frndint frstor fscale fsin fsincos fsqrt fst fstp fsub
    fsubp fsubr fsubrp ftst fucom fucomi fucomp fucompi fucompp fxam fxch fxtract fyl2x
    fyl2xp1 wait
"""
ALLOWED = frozenset(_ALLOWED_NAMES.split()) | frozenset(_X87_NAMES.split())
_CONDITION_NAMES = "o no b ae e ne be a s ns p np l ge le g"
CONDITIONS = _CONDITION_NAMES.split()
ALLOWED |= {f"j{c}" for c in CONDITIONS} | {f"set{c}" for c in CONDITIONS} | {f"cmov{c}" for c in CONDITIONS}

# What the rest are, for the reason given.
INTERCEPTED = {
    "cpuid": "CPUID is answered by the hypervisor",
    "rdtsc": "RDTSC reads the host's time stamp counter",
    "rdtscp": "RDTSCP reads the host's time stamp counter",
    "rdpmc": "RDPMC reads the host's performance counters",
    "sgdt": "SGDT is emulated by the kernel under UMIP",
    "sidt": "SIDT is emulated by the kernel under UMIP",
    "sldt": "SLDT is emulated by the kernel under UMIP",
    "smsw": "SMSW is emulated by the kernel under UMIP",
    "str": "STR is emulated by the kernel under UMIP",
}
_SEGMENT_ONLY = {
    "lds",
    "les",
    "lfs",
    "lgs",
    "lss",
    "ljmp",
    "lcall",
    "retf",
    "retfd",
    "iret",
    "iretd",
    "iretw",
}
_DESCRIPTORS = {"lar", "lsl", "verr", "verw"}
_X87_OTHER = {
    "fnstenv": "FNSTENV stores the host's code and data selectors (FCS, FDS)",
    "fnsave": "FNSAVE stores the host's code and data selectors (FCS, FDS)",
    "fisttp": "FISTTP is an SSE3 instruction, which the modelled CPU does not have",
}
_PORTS = {"in", "out", "insb", "insw", "insd", "outsb", "outsw", "outsd"}
_SYSTEM_REGISTER = re.compile(r"\b(?:cs|ds|es|fs|gs|ss|cr\d|dr\d|tr\d)\b(?!:)")
IF_BIT, IOPL_BITS = 1 << 9, 3 << 12


@functools.cache
def _disassembler(bits: int) -> capstone.Cs:
    md = capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_16 if bits == 16 else capstone.CS_MODE_32)
    md.detail = True
    return md


# instruction sets the host (and Unicorn's CPU) has and the modelled CPU does not (its
# CPUID says so): SSE2's MOVSD and CMPSD share their names with the string instructions,
# so the groups decide
EXTENSION_GROUPS = frozenset(
    getattr(capstone.x86, name)
    for name in ("X86_GRP_MMX", "X86_GRP_3DNOW", "X86_GRP_SSE1", "X86_GRP_SSE2", "X86_GRP_SSE3",
                 "X86_GRP_SSSE3", "X86_GRP_SSE41", "X86_GRP_SSE42", "X86_GRP_SSE4A", "X86_GRP_AVX",
                 "X86_GRP_RTM")
    if hasattr(capstone.x86, name)
)  # fmt: skip


def _why_not(insn, cpl: int, eflags: int) -> str | None:
    name = insn.insn_name()
    text = insn.mnemonic.upper()
    if set(insn.groups) & EXTENSION_GROUPS:
        return f"{text} is an MMX, SSE, AVX or TSX instruction, which the modelled CPU lacks"
    if name in ("pushf", "pushfd"):
        return None  # the oracle corrects the image it pushes (see pushf_sites)
    if name in ("popf", "popfd"):
        if cpl != 3 or eflags & IOPL_BITS:
            return f"{text} changes IF and IOPL at CPL {cpl}, which a user process cannot"
        return None
    if name == "int" and insn.op_str in ("3", "4"):
        return None  # gates of DPL 3 in the runtime's IDT and in Linux's: #BP, #OF
    if name in INTERCEPTED:
        return f"{text}: {INTERCEPTED[name]}, not ground truth"
    if name in _SEGMENT_ONLY:
        return f"{text} loads a segment register from the test's descriptor tables"
    if name in _DESCRIPTORS:
        return f"{text} reads the host's descriptor tables"
    if name in _X87_OTHER:
        return f"{text}: {_X87_OTHER[name]}"
    if name in _PORTS:
        return f"{text}: port I/O goes to the host, not the test's port bus"
    if name not in ALLOWED:
        if "privilege" in [insn.group_name(g) for g in insn.groups]:
            return f"{text} is privileged"
        return f"{text} is not an integer instruction of the modelled CPU that user mode runs unchanged"
    if name in ("jmp", "call") and insn.op_str.startswith("ptr "):
        return f"{text} is a far transfer (a segment load)"
    if _SYSTEM_REGISTER.search(insn.op_str.replace("ptr ", "")):
        return f"{text} reads or writes a segment or system register"
    return None


def instruction_ineligible(code: bytes, eip: int, bits: int, cpl: int, eflags: int) -> str | None:
    """Why the native oracle cannot run the instruction at the start of ``code`` (at
    ``eip``), or None: for code the run reached outside the body it checked."""
    insn = next(_disassembler(bits).disasm(code, eip), None)
    if insn is None:
        return None  # the hardware's #UD is the architecture's
    reason = _why_not(insn, cpl, eflags)
    return f"{reason} (at {eip:#x}: {insn.mnemonic} {insn.op_str})".replace(" )", ")") if reason else None


def ineligible(body: bytes, origin: int, bits: int, cpl: int, eflags: int) -> str | None:
    """None when the native oracle can run ``body``; else the first reason it cannot. The
    instructions checked are the linear sweep's and those on every path that a relative
    branch takes off it (into the middle of an instruction); a branch out of the body,
    to code nobody checked, makes it ineligible."""
    md = _disassembler(bits)
    limit = origin + len(body)
    seen: set[int] = set()
    starts: list[int] = []

    def check(insn) -> str | None:
        reason = _why_not(insn, cpl, eflags)
        if reason:
            return f"{reason} (at {insn.address:#x}: {insn.mnemonic} {insn.op_str})".replace(" )", ")")
        seen.add(insn.address)
        target = branch_target(insn, bits)
        if target is not None and target != limit:
            if not origin <= target < limit:
                return f"a branch at {insn.address:#x} leaves the body for {target:#x}, which nobody checked"
            starts.append(target)
        return None

    end = origin
    for insn in md.disasm(body, origin):
        if reason := check(insn):
            return reason
        end = insn.address + insn.size
    if end < limit:
        return f"capstone cannot decode the body at {end:#x}"
    while starts:  # the paths off the sweep, until each joins it again
        at = starts.pop()
        while origin <= at < limit and at not in seen:
            insn = next(md.disasm(body[at - origin :], at, 1), None)
            if insn is None:
                return f"capstone cannot decode the code a branch reaches at {at:#x}"
            if reason := check(insn):
                return reason
            at += insn.size
    return None


def pushf_sites(body: bytes, origin: int, bits: int) -> list[tuple[int, int]]:
    """(address, operand size in bytes) of each PUSHF in ``body``."""
    sites = []
    for addr, _size, mnemonic, _ops in _disassembler(bits).disasm_lite(body, origin):
        if mnemonic in ("pushf", "pushfd"):
            sites.append((addr, 2 if mnemonic == "pushf" else 4))
    return sites
