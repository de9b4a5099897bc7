"""refvmm.boot.session and ``refvmm boot`` on a small multiboot kernel written here: the
milestone on serial and on screen, the stop reasons, the boot log, Ctrl-C, bad input."""

import json
import struct

import pytest

from conformance.assemble import assemble
from refvmm.boot.session import Boot, BootError
from refvmm.cli import main

LOAD = 0x100000
ENTRY = LOAD + 32


def kernel(body: str, data: bytes = b"") -> bytes:
    """A multiboot image with the a.out-kludge header (flags bit 16), loaded flat at 1 MiB:
    the code at ENTRY, then ``data`` at ENTRY + 0x40."""
    code = assemble(body, 32, ENTRY).code
    if data:
        code = code.ljust(0x40, b"\0") + data
    magic, flags = 0x1BADB002, 0x00010000
    end = ENTRY + len(code)
    header = struct.pack("<3I5I", magic, flags, -(magic + flags) & 0xFFFFFFFF, LOAD, LOAD, end, end, ENTRY)
    return header.ljust(32, b"\0") + code


SAY_HELLO = f"""
    mov dx, 0x3f8
    mov esi, {ENTRY + 0x40:#x}
next:
    lodsb
    test al, al
    jz done
    out dx, al
    jmp next
done:
    mov byte ptr [0xb8000], 0x4f
    mov byte ptr [0xb8002], 0x4b
    cli
    hlt
"""


@pytest.fixture
def hello(tmp_path):
    path = tmp_path / "hello.elf"
    path.write_bytes(kernel(SAY_HELLO, b"hello\0"))
    return path


def test_a_serial_milestone_stops_the_boot(hello):
    log = Boot(kernel=hello).run("hell")
    assert log.reason == "milestone" and log.serial == "hell"  # stopped at the write that matched
    assert log.images["kernel"] and log.engine == "interp"


def test_a_screen_milestone_and_the_end_of_the_guest(hello):
    log = Boot(kernel=hello).run("OK")
    assert log.reason == "milestone" and log.screen.startswith("OK")
    log = Boot(kernel=hello).run()
    assert log.reason == "halt" and log.serial == "hello"  # HLT with interrupts off: nothing wakes it


def test_the_same_boot_twice_gives_the_same_transcript(hello):
    assert Boot(kernel=hello).run().transcript() == Boot(kernel=hello).run().transcript()


def test_the_budget_and_ctrl_c(tmp_path):
    path = tmp_path / "spin.elf"
    path.write_bytes(kernel("mov dx, 0x3f8\nagain: out dx, al\njmp again"))
    log = Boot(kernel=path).run(max_instructions=1000)
    assert log.reason == "budget" and log.instructions == 1000

    def interrupt(data):
        raise KeyboardInterrupt

    log = Boot(kernel=path, serial=interrupt).run()
    assert log.reason == "interrupted" and log.message == "Ctrl-C" and log.instructions == 1


def test_the_boot_log_as_json(hello, tmp_path, capsys):
    out = tmp_path / "log.json"
    assert main(["boot", "--kernel", str(hello), "--until", "hello", "--log", str(out)]) == 0
    log = json.loads(out.read_text())
    assert log["reason"] == "milestone" and log["serial"] == "hello" and log["milestone"] == "hello"
    assert log["instructions"] > 0 and log["wall_seconds"] >= 0 and "mips" in log
    captured = capsys.readouterr()
    assert captured.out == "hello"  # the serial port, streamed
    assert "reached 'hello' after" in captured.err
    assert main(["boot", "--kernel", str(hello), "--until", "never"]) == 1  # halted first


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--kernel", "/no/such/kernel"], "/no/such/kernel: cannot read the kernel image: No such file"),
        (["--bios", "README.md"], "README.md: a BIOS image is 64, 128, 192 or 256 KiB"),
        (["--kernel", "README.md"], "README.md: no multiboot header"),
        (["--kernel", "K", "--engine", "qemu"], "unknown engine 'qemu'"),
        ([], "needs a BIOS image or a kernel"),
        (["--kernel", "K", "--disk", "/no/disk"], "/no/disk: cannot read the disk image"),
        (["--kernel", "K", "--memory", "1"], "memory of 1 MiB"),
    ],
)
def test_bad_input_is_one_line(hello, argv, message, capsys):
    argv = [str(hello) if a == "K" else a for a in argv]
    with pytest.raises(SystemExit) as exit_:
        main(["boot", *argv])
    text = str(exit_.value.code)
    assert text.startswith("refvmm: ") and message in text and "\n" not in text


def test_boot_error_is_a_value_error():
    with pytest.raises(BootError):
        Boot()
