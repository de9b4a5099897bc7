"""Bad command-line input, to both CLIs: one line naming the option or file and the cause,
exit status 2 for a bad argument, and never a Python traceback."""

import struct
import subprocess
import sys
from pathlib import Path

import pytest

from conformance import cli as conformance_cli
from refvmm import cli as refvmm_cli

ROOT = Path(__file__).resolve().parent.parent
TEST = str(ROOT / "guest_tests" / "alu" / "add_basic.asm")


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--engine", "os:path"], "error: engine 'os:path': os.path is a module, not an engine class"),
        (
            ["--engine", "json:dumps"],
            "error: engine 'json:dumps': json.dumps is a function, not an engine class",
        ),
        (["--engine", "unicorn:foo"], "error: engine 'unicorn:foo': unicorn takes no options, not 'foo'"),
        (["--json", "DIR"], "error: --json DIR: is a folder; give a file name"),
        (["--junit", "DIR"], "error: --junit DIR: is a folder; give a file name"),
        (["--json", "DIR/no/such/r.json"], "error: --json DIR/no/such/r.json: no such folder DIR/no/such"),
        (["--junit", "DIR/no/such/r.xml"], "error: --junit DIR/no/such/r.xml: no such folder DIR/no/such"),
        (["-j", "0"], "conformance run: error: argument -j/--jobs: 0 is not a positive number"),
        (["-j", "-5"], "conformance run: error: argument -j/--jobs: -5 is not a positive number"),
        (["--generated", "-5"], "conformance run: error: argument --generated: -5 is not a positive number"),
        (["--generated", "0"], "conformance run: error: argument --generated: 0 is not a positive number"),
    ],
)
def test_conformance_run_refuses_bad_arguments_in_one_line(argv, message, tmp_path, capsys):
    argv = [a.replace("DIR", str(tmp_path)) for a in argv]
    with pytest.raises(SystemExit) as exit_:  # argparse's own errors exit
        raise SystemExit(conformance_cli.main(["run", TEST, *argv]))
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert one_line(captured.out + captured.err) == message.replace("DIR", str(tmp_path))
    assert not list(tmp_path.iterdir())  # no report written


def test_workers_are_capped_at_the_cpus_the_process_may_use(monkeypatch, capsys):
    monkeypatch.setattr(conformance_cli, "available_cpus", lambda: 2)
    used = []
    real = conformance_cli.run_many

    def spy(paths, engines, jobs):
        used.append(jobs)
        return real(paths, engines, 1)

    monkeypatch.setattr(conformance_cli, "run_many", spy)
    assert conformance_cli.main(["run", TEST, "-e", "interp", "-j", "100000"]) == 0
    assert used == [2]
    assert "note: -j 100000: running 2 workers, the CPUs this process may use" in capsys.readouterr().out


def test_an_unwritable_report_is_one_line(tmp_path, capsys, monkeypatch):
    def fail(path, outcomes, engines, extra=None):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(conformance_cli, "write_json", fail)
    report = tmp_path / "r.json"
    assert conformance_cli.main(["run", TEST, "-e", "interp", "--json", str(report)]) == 1
    assert f"error: --json {report}: Permission denied" in capsys.readouterr().out


def run_refvmm(*argv):
    with pytest.raises(SystemExit) as exit_:
        raise SystemExit(refvmm_cli.main(list(argv)))
    return exit_.value.code


@pytest.mark.parametrize(
    "argv, message",
    [
        (["run", TEST, "--load", "0x100000"], "argument --load: 0x100000: a flat binary starts in real mode"),
        (["run", TEST, "--load", "zz"], "argument --load: 'zz' is not a number"),
        (["run", TEST, "--max-insns", "-1"], "argument --max-insns: -1 is negative"),
        (["run", TEST, "--trace", "-1"], "argument --trace: -1 is negative"),
        (["boot", "--kernel", TEST, "--max-insns", "0"], "argument --max-insns: 0 is not a positive number"),
    ],
)
def test_refvmm_refuses_bad_arguments_in_one_line(argv, message, capsys):
    assert run_refvmm(*argv) == 2
    captured = capsys.readouterr()
    line = one_line(captured.out + captured.err)
    assert line.startswith(f"refvmm {argv[0]}: error: ") and message in line


MAGIC = 0x1BADB002


def multiboot_header(flags: int) -> bytes:
    return struct.pack("<3I", MAGIC, flags, -(MAGIC + flags) & 0xFFFFFFFF)


def elf_header(phoff: int, phnum: int, phentsize: int = 32) -> bytes:
    head = bytearray(52)
    head[:5] = b"\x7fELF\x01"
    struct.pack_into("<II", head, 24, 0x100000, phoff)
    struct.pack_into("<HH", head, 42, phentsize, phnum)
    return bytes(head)


@pytest.mark.parametrize(
    "image, message",
    [
        # flags bit 16 promises five more fields (20 bytes) after the first 12; 4 follow
        (multiboot_header(0x10000) + bytes(4), "the multiboot header at 0x0 is cut short"),
        # the ELF file header says one program header at 0x10000, in a file of 64 bytes
        (
            elf_header(0x10000, 1) + multiboot_header(0),
            "the ELF program headers (1 at 0x10000) lie past the end",
        ),
        (elf_header(52, 1) + multiboot_header(0), "the ELF program headers (1 at 0x34) lie past the end"),
        (b"\x7fELF\x01" + bytes(7) + multiboot_header(0), "the ELF header is cut short: 24 bytes of 52"),
    ],
    ids=[
        "header-cut-short",
        "program-headers-far-past-the-end",
        "program-headers-past-the-end",
        "elf-header",
    ],
)
def test_refvmm_boot_of_a_truncated_kernel_is_one_line(image, message, tmp_path, capsys):
    kernel = tmp_path / "k.bin"
    kernel.write_bytes(image)
    code = run_refvmm("boot", "--kernel", str(kernel))
    assert isinstance(code, str) and "\n" not in code
    assert code.startswith(f"refvmm: {kernel}: ") and message in code


def test_refvmm_run_loads_a_flat_binary_above_64k_where_it_says(tmp_path, capsys):
    # MOV AL, 0x41; OUT 0xE9, AL; HLT at linear 0x12345: real mode reaches it as 1000:2345
    blob = tmp_path / "flat.bin"
    blob.write_bytes(bytes([0xB0, 0x41, 0xE6, 0xE9, 0xF4]))
    assert refvmm_cli.main(["run", str(blob), "--load", "0x12345"]) == 0
    out = capsys.readouterr().out
    assert "debug: A" in out and "exit: halt after 3 instructions" in out
    assert "cs=00001000" in out and "eip=0000234a" in out  # 0x2345 + 2 + 2 + 1: after the HLT


@pytest.mark.parametrize(
    "argv",
    [
        ["refvmm", "run", TEST, "--trace", "40"],
        ["conformance", "run", TEST, "-e", "interp"],
    ],
)
def test_output_to_a_reader_that_went_away_is_no_traceback(argv):
    tool = str(Path(sys.executable).with_name(argv[0]))
    child = subprocess.Popen([tool, *argv[1:]], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdout.close()  # like `| head` that has read all it wanted
    err = child.stderr.read().decode()
    assert child.wait() == 1 and "Traceback" not in err and "BrokenPipeError" not in err


def test_generated_alone_means_the_whole_generated_corpus():
    # as tox -e conformance writes it: --generated followed by another option
    args = conformance_cli.build_parser().parse_args(["run", "guest_tests", "--generated", "-j", "2"])
    assert args.generated == "all" and args.jobs == 2
    assert conformance_cli.build_parser().parse_args(["run", "--generated", "7"]).generated == 7
