"""The IA-32 CPU model: instruction decoding (interpreter to follow)."""

from .decoder import (
    CReg,
    DecodeError,
    DReg,
    FarPtr,
    Imm,
    Incomplete,
    Instruction,
    Mem,
    ModRM,
    Reg,
    Rel,
    SReg,
    decode,
)

__all__ = [
    "CReg",
    "DReg",
    "DecodeError",
    "FarPtr",
    "Imm",
    "Incomplete",
    "Instruction",
    "Mem",
    "ModRM",
    "Reg",
    "Rel",
    "SReg",
    "decode",
]
