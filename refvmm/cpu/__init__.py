"""The IA-32 CPU model: the decoder and its opcode maps, the CPU state, each instruction's
behaviour as a template (``semantics``) with its specialiser (``codegen``) and compiler
(``compile``), and the helpers the templates call. The engines that run it are in
``refvmm.engines``."""

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
