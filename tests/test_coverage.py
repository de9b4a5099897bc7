"""Coverage accounting: capstone-decoded bytes mapped to opcode and addressing forms."""

from conformance.coverage import Coverage, addressing_report, classify, opcode_report, universe


def test_opcode_group_slot_and_operand_size_are_recorded():
    cov = Coverage()
    classify(bytes.fromhex("66 83 c0 01"), 32, cov)  # add ax, 1: 83 /0 at 16 bits
    classify(bytes.fromhex("0f af c3"), 32, cov)  # imul eax, ebx: 0F AF at 32 bits
    assert (0x83, 0, 16) in cov.opcodes and (0x0FAF, None, 32) in cov.opcodes


def test_addressing_forms_for_both_address_sizes():
    cov = Coverage()
    classify(bytes.fromhex("8b 44 8d 10"), 32, cov)  # [ebp + ecx*4 + 0x10]: SIB, mod 1, base 5, scale 2
    classify(bytes.fromhex("67 8b 42 04"), 32, cov)  # [bp + si + 4]: 16-bit mod 1 rm 2
    assert {("sib", 1, 5, 1), ("scale", 2), ("a16", 1, 2)} <= cov.addressing


def test_reports_count_sized_forms_twice_and_list_what_is_missing():
    forms = universe()
    assert forms[(0x01, None)] and not forms[(0x00, None)]  # add Ev,Gv sized; add Eb,Gb not
    assert (0xD8, None) not in forms and (0xD8, 0) in forms  # x87 escapes count by form
    cov = Coverage()
    classify(bytes.fromhex("01 d8"), 32, cov)
    report = opcode_report(cov)
    assert "01 o16" in report.missing and "01 o32" not in report.missing
    assert report.total == sum(2 if sized else 1 for sized in forms.values())
    assert addressing_report(cov).covered == 0


def test_x87_forms_by_memory_register_and_row():
    cov = Coverage()
    classify(bytes.fromhex("d8 c1"), 32, cov)  # fadd st(0), st(1): D8 /0 with ST(i)
    classify(bytes.fromhex("dd 1d 00 80 01 00"), 32, cov)  # fstp qword ptr: DD /3 memory
    classify(bytes.fromhex("d9 e8"), 32, cov)  # fld1: a row of one instruction per byte
    report = opcode_report(cov)
    for name in ("d8 /0 st(i)", "dd /3 m", "d9 e8"):
        assert name not in report.missing
    assert {"d8 /1 st(i)", "d9 ee", "dd /6 m o16", "dd /6 m o32"} <= set(report.missing)
