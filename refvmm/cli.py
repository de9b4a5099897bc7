"""``refvmm``: the VMM's command line."""

from __future__ import annotations

import argparse
import sys

from . import __version__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="refvmm", description="reference IA-32 virtual machine monitor")
    parser.add_argument("--version", action="version", version=f"refvmm {__version__}")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("engines", help="list the VMM's execution engines")
    args = parser.parse_args(argv)
    if args.command == "engines":
        from conformance.engines import known, resolve

        vmm = [n for n in known() if resolve(n).kind != "oracle"]
        print(
            "\n".join(vmm) if vmm else "no VMM engines are registered yet (the oracles: conformance engines)"
        )
        return 0
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
