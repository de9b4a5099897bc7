"""One program per opcode form of the one-byte and 0F maps (group opcodes per ModRM.reg
slot), at 16- and 32-bit operand size, encoded straight from the operand specification
in the opcode tables: a register or a memory form for E operands, random immediates,
branches that fall through. Each program executes the one instruction on registers
aimed at the data area; whatever it does (a fault, a halt, a jump into the weeds) is
compared between engines within a small instruction budget."""

from __future__ import annotations

import random

from refvmm.cpu import opcodes as O

VERSION = 2
VARIANTS = 3
DATA = 0x18000
BODY = 0x10000
STACK = 0x1FF00  # the initial stack pointer's linear address in both modes

# Left out, each for a reason; the hand-written corpus covers what it can of them.
EXCLUDED = {
    # loads of system state that would wreck the runtime the result is read through
    (0x0F01, 2), (0x0F01, 3), (0x0F01, 6),  # LGDT LIDT LMSW
    (0x0F00, 2), (0x0F00, 3),  # LLDT LTR
    (0x0F22, None), (0x0F23, None),  # MOV CR, MOV DR
    # model-specific: which MSRs and counters exist differs by CPU model
    (0x0F30, None), (0x0F32, None), (0x0F33, None),  # WRMSR RDMSR RDPMC
    # the reference oracle is known wrong here (guest_tests/sensitive/sysenter_*, icebp_*)
    (0x0F34, None), (0x0F35, None), (0xF1, None),  # SYSENTER SYSEXIT INT1
    # reserved encodings whose behaviour the SDM does not pin down and Unicorn treats as
    # #UD (F6/F7 /1, the 0F 18-1E hint space): left for the real-CPU oracle to settle
    (0xF6, 1), (0xF7, 1), *((0x0F00 | b, None) for b in range(0x18, 0x1F)),
}  # fmt: skip


def _forms() -> list[tuple[int, int | None, O.Op, int]]:
    out = []
    for table, prefix in ((O.ONE_BYTE, 0), (O.TWO_BYTE, 0x0F00)):
        for opcode, op in sorted(table.items()):
            if "X" in op.flags:
                continue
            slots = list(enumerate(O.GROUPS.get(prefix | opcode, ()))) if "G" in op.flags else [(None, op)]
            for reg, slot in slots:
                if slot is None or (prefix | opcode, reg) in EXCLUDED:
                    continue
                for size in (16, 32):
                    out.append((prefix | opcode, reg, slot, size))
    return out


INDIRECT = {(0xFF, 2), (0xFF, 3), (0xFF, 4), (0xFF, 5)}  # CALL/JMP near and far
FORMS = _forms()
COUNT = len(FORMS) * VARIANTS


def _encode(opcode: int, reg: int | None, op: O.Op, size: int, rng: random.Random, memory: bool) -> bytes:
    memory = memory or (opcode, reg) in INDIRECT  # a register target would run random data
    """The instruction at ``size`` bits of operand size, for a pm32 body (size 32) or a
    pm16 body (size 16: CS, DS and SS based at BODY, so data offsets are DATA - BODY)."""
    data = DATA if size == 32 else DATA - BODY
    code = bytes([0x0F, opcode & 0xFF]) if opcode > 0xFF else bytes([opcode])
    tokens = [t for t in op.operands.split(",") if t]
    needs_modrm = reg is not None or any(t[:1] in "EGMRSCD" and not t.isupper() for t in tokens)
    tail = b""
    if needs_modrm:
        field = reg if reg is not None else rng.randrange(8)
        rm_register = not memory or any(t.startswith("R") for t in tokens)
        if any(t.startswith("M") for t in tokens):
            rm_register = False
        if rm_register:
            code += bytes([0xC0 | field << 3 | rng.randrange(8)])
        else:  # [disp32], with 0x67 in 16-bit code
            code = (b"\x67" if size == 16 else b"") + code
            code += bytes([field << 3 | 5]) + (data + rng.randrange(0, 0x40, 4)).to_bytes(4, "little")
    for t in tokens:
        if t in ("Ib", "Ibs") and opcode in (0x0FA4, 0x0FAC) and size == 16:
            tail += bytes([rng.randrange(17)])  # above 16 the 16-bit result is undefined
        elif t in ("Ib", "Ibs"):
            tail += bytes([rng.randrange(256)])
        elif t == "Iw":
            tail += rng.randrange(1 << 16).to_bytes(2, "little")
        elif t in ("Iz", "Iv"):
            tail += rng.getrandbits(size).to_bytes(size // 8, "little")
        elif t == "Jb":
            tail += b"\x00"
        elif t == "Jz":
            tail += bytes(size // 8)
        elif t.startswith("O"):  # moffs at the address size: 16 bits in pm16
            tail += (data + rng.randrange(0, 0x40, 4)).to_bytes(size // 8, "little")
        elif t == "Ap":  # to the next instruction: through 0x08 (flat), or 0x30 (16-bit, base BODY)
            after = len(code) + size // 8 + 2
            selector, offset = (0x08, BODY + after) if size == 32 else (0x30, after)
            tail += offset.to_bytes(size // 8, "little") + selector.to_bytes(2, "little")
    return code + tail


def program(seed: int) -> str:
    """16-bit operand size runs in pm16 (no 0x66), so 16-bit branches stay in the body."""
    rng = random.Random(seed)
    opcode, reg, op, size = FORMS[seed // VARIANTS]
    code = _encode(opcode, reg, op, size, rng, memory=bool(seed % VARIANTS))
    target = ""
    if (opcode, reg) in INDIRECT and len(code) >= 6 and code[-5] & 0xC7 == 5:
        # aim a memory pointer at the next instruction instead of at random bytes
        where = int.from_bytes(code[-4:], "little") + (0 if size == 32 else BODY)
        if where:
            far = reg in (3, 5)
            # (a 16-bit near target is truncated to 16 bits, as the CPU truncates EIP)
            offset = (BODY + len(code) if not (far and size == 16) else len(code)) & ((1 << size) - 1)
            pointer = offset.to_bytes(size // 8, "little") + (
                (0x08 if size == 32 else 0x30).to_bytes(2, "little") if far else b""
            )
            target = f"; data: {where:#x} db " + " ".join(f"{b:#x}" for b in pointer)
    # the stack holds a return frame to the next instruction, for RET, RETF and IRET
    width = "dd" if size == 32 else "dw"
    next_eip = (BODY if size == 32 else 0) + len(code)
    frame = f"; data: {STACK:#x} {width} {next_eip:#x} {0x08 if size == 32 else 0x30:#x} 0x2"
    base = DATA if size == 32 else DATA - BODY
    regs = {r: base + rng.randrange(0, 0x40, 4) for r in ("eax", "ebx", "esi", "edi", "ebp")}
    regs.update(ecx=rng.randrange(1, 4), edx=0xE9, esp=0x1FF00 if size == 32 else 0xFF00)
    lines = [
        f"; {op.mnemonic} {op.operands} ({size}-bit operand size)".rstrip(),
        f"; mode: {'pm32' if size == 32 else 'pm16'}",
        "; budget: 20000",
        "; regs: "
        + " ".join(f"{k}={v:#x}" for k, v in regs.items())
        + f" eflags={rng.choice((0x2, 0x893, 0x8D7)):#x}",
        f"; data: {DATA:#x} dd " + " ".join(f"{rng.getrandbits(32):#x}" for _ in range(32)),
        *([target] if target else []),
        frame,
        f"; compare: {DATA:#x} 128",
        "    .byte " + ", ".join(f"{b:#04x}" for b in code),
    ]
    return "\n".join(lines) + "\n"
