"""Physical memory layout shared by the harness runtime, the engines and the log reader.

Every engine starts a test the same way: real mode, all registers zero, CS:IP =
0000:1000, EFLAGS = 0x2. The runtime stub at that address builds nothing at run
time that the harness could not check: its tables are laid out here, written into
the image by ``conformance.runtime``, and the stub only loads them and enters the
test's mode.
"""

RAM_SIZE = 4 << 20  # identity-mapped by the runtime page table in the paged modes
# Given to engines as "run until": present and user-accessible in every mode, so an
# engine that looks it up (Unicorn does) cannot fault and leave CR2 behind. Tests
# must not execute there.
NEVER_EXECUTED = RAM_SIZE - 16

IVT = 0x0000  # real-mode interrupt vector table, 256 x (offset, segment)
REGBLOCK = 0x0500  # initial registers the stub loads (see REG_OFFSETS)
MODE_FLAGS = 0x05E0  # bit 0: stop the test at the first exception
GDTR_PTR = 0x05F0  # 6-byte pseudo-descriptor for LGDT
IDTR_PTR = 0x05F8  # 6-byte pseudo-descriptor for LIDT (the IDT)
IVTR_PTR = 0x05D8  # 6-byte pseudo-descriptor for LIDT (the real-mode IVT: base 0, limit 0x3FF)
GDT = 0x0600
GDT_ENTRIES = 32
TSS = 0x0700
TSS_IOMAP_OFFSET = 0x68
TSS_LIMIT = 0x68 + 0x20  # I/O bitmap covers ports 0x00-0xFF, then the 0xFF terminator
IDT = 0x0800
IDT_LIMIT = 256 * 8 - 1
RUNTIME = 0x1000  # entry point and handlers, up to LOG
LOG = 0x3400  # exception log: u32 count, 12 bytes pad, then entries (to 0x3C10)
LOG_ENTRIES = LOG + 0x10
LOG_ENTRY_SIZE = 32  # vector, error, eip, cs, eflags, cr2, 2 x reserved (u32 each)
LOG_MAX = 64
RESUME = 0x4000  # resume table: u32 count, then (addr, next, intvec) u32 triples
RESUME_MAX = (0x6000 - RESUME - 4) // 12
PAGE_DIR = 0x6000
PAGE_TABLE = 0x7000  # maps linear 0-4 MiB; PTE for page N at PAGE_TABLE + 4*N
KERNEL_STACK_TOP = 0x9000  # ring-0 stack (TSS.ESP0) and the stub's own stack

TEST_BASE = 0x10000  # the test window: code, data, stack
TEST_DATA = 0x18000  # conventional start of test data
TEST_STACK_TOP = 0x1FFF0
USER_START = 0x10000  # pages from here up are user-accessible in the paged modes

# Selectors of the runtime GDT.
SEL_KCODE32 = 0x08
SEL_KDATA32 = 0x10
SEL_UCODE32 = 0x1B
SEL_UDATA32 = 0x23
SEL_TSS = 0x28
SEL_CODE16 = 0x30  # base TEST_BASE, limit 0xFFFF: the pm16 code segment
SEL_DATA16 = 0x38  # base TEST_BASE, limit 0xFFFF: the pm16 data and stack segment
SEL_RCODE16 = 0x40  # base 0, limit 0xFFFF: for returning to real mode
SEL_RDATA16 = 0x48
FIRST_FREE_GDT_INDEX = 10  # entries 10..31 are free for tests (header key ``gdt``)

# Ports of the harness port bus.
PORT_DEBUG = 0xE9  # debug console: bytes written are collected as text
PORT_EXIT = 0xF4  # any write ends the test normally
PORT_EXIT_EXCEPTION = 0xF5  # written by the recording handler when it stops the test

GPRS = ("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi")  # encoding order
SEGMENT_REGISTERS = ("cs", "ss", "ds", "es", "fs", "gs")

# The order of the initial-register block at REGBLOCK (u32 each).
REG_OFFSETS = {name: 4 * i for i, name in enumerate((*GPRS, "eflags", "eip", *SEGMENT_REGISTERS))}

# Error-code placeholder pushed by an oracle that cannot know the real error code.
# Real error codes fit in 16 bits, so this value cannot be mistaken for one.
UNKNOWN_ERROR_CODE = 0xFFFFEEEE
NO_ERROR_CODE = 0xFFFFFFFF  # pushed by the runtime stubs for vectors without one

# Exception vectors whose saved EIP points at the faulting instruction.
FAULT_VECTORS = frozenset({0, 5, 6, 7, 10, 11, 12, 13, 14, 16, 17, 19})
ABORT_VECTORS = frozenset({8, 18})
ERROR_CODE_VECTORS = frozenset({8, 10, 11, 12, 13, 14, 17})
