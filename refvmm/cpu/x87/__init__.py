"""The x87 FPU's arithmetic, exact to the bit, and its register state.

Everything is computed with Python integers; no host floating point enters a result.
An extended real is an 80-bit integer (``encoding``). Every inexact result is rounded by
one function (``rounding.round_real``, with ``round_integer`` for integer results),
and every operation screens its operands by one rule (``operands``: unsupported
encodings are invalid, NaNs propagate, denormals raise DE). The operations
(``arith``, ``compare``, ``convert``, ``constants``) take 80-bit operands and the
control word and return ``(result, flags)``: the value to write, or None where an
unmasked exception leaves the destination unwritten, and the status-word bits raised
(exception flags, C1, the condition codes of a comparison). ``state.X87State`` holds the
registers, the stack and the control, status and tag words (``CpuState.fpu``), and
``image`` lays it out as FSTENV and FSAVE store it.

Exact: every result and flag of these operations in every rounding mode and precision
control, masked; the unmasked responses (no write for IE, ZE, DE; the 24576 exponent
bias for OE and UE on a register) follow the SDM. The instructions that use them (stack
faults, pointers, pending exceptions) are the instruction layer's.

``tests/test_x87_arith.py`` compares the operations bit for bit with the host
processor's own x87 (results, exception flags and condition codes, every rounding mode
and precision control, operands drawn by class, exceptions masked);
``tests/test_x87_unmasked.py`` does so with exceptions unmasked (FNSAVE stores the
state before the exception is taken); ``tests/test_x87_sdm.py`` holds cases worked by
hand from the SDM.

Where the SDM leaves a choice to the implementation or says nothing (FPREM's partial
remainder step, which NaN two NaNs of equal significand give, the condition codes of an
FCOM whose exception is unmasked, the rounding of FLDLG2's 66-bit tie), the core does
what the processor it was checked on does: an AMD EPYC of family 25 (Zen 4). Another
processor may differ there.
"""
