"""Fetch the real guests the boot tests use, from Debian's archive, pinned by sha256.

    python ci/fetch_guests.py [--cache DIR]

Downloads each package in ci/guests/manifest.toml with ``apt-get download`` (no root
installation), checks it, extracts it with ``dpkg-deb -x`` into the cache and checks
the files named there. Prints where each file is. Fails with one line per problem.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout, installed or not
from conformance.cache import cache_root  # noqa: E402

MANIFEST = Path(__file__).with_name("guests") / "manifest.toml"


def default_cache() -> Path:
    return cache_root() / "guests"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch(name: str, entry: dict, cache: Path) -> list[str]:
    """Fetch and check one package; return problems (empty when all is well)."""
    debs, root = cache / "debs", cache / "root"
    debs.mkdir(parents=True, exist_ok=True)
    version = entry["version"]
    found = sorted(debs.glob(f"{name}_*.deb"))
    found = [d for d in found if sha256(d) == entry["deb_sha256"]]
    if not found:
        run = subprocess.run(
            ["apt-get", "download", f"{name}={version}"], cwd=debs, capture_output=True, text=True
        )
        if run.returncode != 0:
            reason = (run.stderr.strip().splitlines() or ["apt-get failed"])[-1]
            return [f"{name} {version}: cannot download ({reason}); if Debian moved on, re-pin {MANIFEST}"]
        found = [d for d in sorted(debs.glob(f"{name}_*.deb")) if sha256(d) == entry["deb_sha256"]]
        if not found:
            return [f"{name} {version}: the downloaded package's sha256 differs from {MANIFEST}: re-pin it"]
    subprocess.run(["dpkg-deb", "-x", str(found[0]), str(root)], check=True)
    problems = []
    for relative, digest in entry.get("files", {}).items():
        path = root / relative
        if not path.is_file():
            problems.append(f"{name}: {relative} is not in the package")
        elif sha256(path) != digest:
            problems.append(f"{name}: {relative} has sha256 {sha256(path)}, the manifest says {digest}")
        else:
            print(f"{name}: {path}")
    return problems


def build_images(cache: Path) -> None:
    """Disk images made from the fetched files: grub-legacy.img holds stage1 in its boot
    sector and stage2 from sector 1, the layout stage1 loads by default (1 MiB)."""
    grub = cache / "root" / "usr/lib/grub/x86_64-pc"
    if (grub / "stage1").is_file() and (grub / "stage2").is_file():
        stage1, stage2 = (grub / "stage1").read_bytes(), (grub / "stage2").read_bytes()
        image = bytearray(512 * 2048)
        image[:512] = stage1
        image[512 : 512 + len(stage2)] = stage2
        (cache / "grub-legacy.img").write_bytes(bytes(image))
        print(f"grub-legacy: {cache / 'grub-legacy.img'}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cache", type=Path, default=default_cache())
    args = parser.parse_args()
    manifest = tomllib.loads(MANIFEST.read_text())
    problems = [p for name, entry in manifest.items() for p in fetch(name, entry, args.cache)]
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if not problems:
        build_images(args.cache)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
