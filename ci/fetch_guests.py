"""Fetch the real guests the boot tests use, from Debian's archive, pinned by sha256.

    python ci/fetch_guests.py [--cache DIR]

Downloads each package in ci/guests/manifest.toml with ``apt-get download`` (no root
installation), checks it, extracts it with ``dpkg-deb -x`` into the cache and checks
the files named there, then builds the disk images named there from them (GRUB legacy
on a raw disk; SYSLINUX on a partitioned hard disk and on a floppy, with the fetched
mtools) and checks those too. Prints where each file is; fails with one line per problem.
Boot tests call ``ensure`` to fetch just what they need.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import lzma
import os
import struct
import subprocess
import sys
import tempfile
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
    version, arch = entry["version"], entry.get("arch")
    files = entry.get("files", {})
    if entry.get("extract") and all((root / f).is_file() and sha256(root / f) == d for f, d in files.items()):
        return []  # a large package whose few files are already there, checked
    found = sorted(debs.glob(f"{name}_*.deb"))
    found = [d for d in found if sha256(d) == entry["deb_sha256"]]
    if not found:
        problem = _download(f"{name}:{arch}" if arch else name, version, arch, debs)
        if problem:
            return [problem]
        found = [d for d in sorted(debs.glob(f"{name}_*.deb")) if sha256(d) == entry["deb_sha256"]]
        if not found:
            return [f"{name} {version}: the downloaded package's sha256 differs from {MANIFEST}: re-pin it"]
    if entry.get("extract"):  # only these paths of a large package (a kernel without its modules)
        _extract_some(found[0], root, entry["extract"])
    else:
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


def _download(package: str, version: str, arch: str | None, debs: Path) -> str | None:
    """apt-get download PACKAGE=VERSION; for another architecture (i386 on an amd64 host) first
    ``dpkg --add-architecture`` and ``apt-get update``, as root, once. A problem, or None."""

    def get() -> subprocess.CompletedProcess:
        return subprocess.run(
            ["apt-get", "download", f"{package}={version}"], cwd=debs, capture_output=True, text=True
        )

    run = get()
    if run.returncode != 0 and arch:
        foreign = subprocess.run(["dpkg", "--print-foreign-architectures"], capture_output=True, text=True)
        steps = [] if arch in foreign.stdout.split() else [["dpkg", "--add-architecture", arch]]
        for step in [*steps, ["apt-get", "update", "-qq"]]:
            done = subprocess.run(step, capture_output=True, text=True)
            if done.returncode != 0:
                reason = (done.stderr.strip().splitlines() or ["failed"])[-1]
                return f"{package} {version}: needs {' '.join(step)} (as root): {reason}"
        run = get()
    if run.returncode != 0:
        reason = (run.stderr.strip().splitlines() or ["apt-get failed"])[-1]
        return f"{package} {version}: cannot download ({reason}); if Debian moved on, re-pin {MANIFEST}"
    return None


def _extract_some(deb: Path, root: Path, paths: list[str]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    tar = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(root), *(f"./{p}" for p in paths)], stdin=tar.stdout, check=True)
    tar.stdout.close()
    if tar.wait() != 0:
        raise RuntimeError(f"dpkg-deb --fsys-tarfile {deb} failed")


SYSLINUX_CFG = b"""SERIAL 0 115200
SAY refvmm: SYSLINUX read its configuration
PROMPT 1
TIMEOUT 0
"""


def _tools_env(cache: Path, work: Path) -> dict[str, str]:
    """The environment for the fetched mtools and syslinux: their own PATH, no host mtools
    configuration, fixed file dates (SOURCE_DATE_EPOCH) so the images are reproducible."""
    (work / "mtoolsrc").write_text("mtools_skip_check=1\n")
    return {
        "PATH": f"{cache / 'root/usr/bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "MTOOLSRC": str(work / "mtoolsrc"),
        "SOURCE_DATE_EPOCH": "1577836800",  # 2020-01-01
        "LC_ALL": "C",
    }


def _run(argv: list[str], env: dict[str, str]) -> None:
    run = subprocess.run(argv, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: {(run.stderr.strip() or 'failed').splitlines()[-1]}")


def _chs(lba: int, heads: int = 16, sectors: int = 63) -> bytes:
    """A partition-table CHS address (head; sector with cylinder bits 9-8; cylinder bits 7-0)."""
    cylinder, rest = divmod(lba, heads * sectors)
    head, sector = divmod(rest, sectors)
    return bytes([head, (sector + 1) | (cylinder >> 8) << 6, cylinder & 0xFF])


def _install_syslinux(path: Path, offset: int, cache: Path, work: Path) -> None:
    env = _tools_env(cache, work)
    (work / "syslinux.cfg").write_bytes(SYSLINUX_CFG)
    target = f"{path}@@{offset}"
    _run(["syslinux", "--offset", str(offset), "--install", str(path)], env)
    _run(["mcopy", "-i", target, str(work / "syslinux.cfg"), "::/syslinux.cfg"], env)


def build_grub_legacy(cache: Path, path: Path, work: Path) -> None:
    grub = cache / "root/usr/lib/grub/x86_64-pc"
    image = bytearray(512 * 2048)
    image[:512] = (grub / "stage1").read_bytes()
    stage2 = (grub / "stage2").read_bytes()
    image[512 : 512 + len(stage2)] = stage2
    path.write_bytes(bytes(image))


def build_syslinux_hd(cache: Path, path: Path, work: Path) -> None:
    """16 MiB in the IDE model's 16-head, 63-sector geometry: SYSLINUX's MBR, and one active
    FAT16 partition from 1 MiB to the end of cylinder 31."""
    start, end = 2048, 32 * 16 * 63 - 1
    env = _tools_env(cache, work)
    mbr = bytearray(512)
    mbr[:440] = (cache / "root/usr/lib/syslinux/mbr/mbr.bin").read_bytes()
    entry = bytes([0x80]) + _chs(start) + bytes([0x06]) + _chs(end)
    entry += (start).to_bytes(4, "little") + (end + 1 - start).to_bytes(4, "little")
    mbr[446:462] = entry
    mbr[510:512] = b"\x55\xaa"
    path.write_bytes(bytes(mbr) + bytes(16 * 1024 * 1024 - 512))
    _run(
        ["mformat", "-i", f"{path}@@{start * 512}", "-N", "52454656", "-h", "16", "-s", "63",
         "-H", str(start), "-T", str(end + 1 - start), "-v", "REFVMM", "::"],
        env,
    )  # fmt: skip
    _install_syslinux(path, start * 512, cache, work)


def build_syslinux_floppy(cache: Path, path: Path, work: Path) -> None:
    env = _tools_env(cache, work)
    path.write_bytes(bytes(1440 * 1024))
    _run(["mformat", "-i", str(path), "-N", "52454656", "-f", "1440", "-v", "REFVMM", "::"], env)
    _install_syslinux(path, 0, cache, work)


LINUX_IMAGE = "root/boot/vmlinuz-6.1.0-57-686"


def build_linux_vmlinux(cache: Path, path: Path, work: Path) -> None:
    """The uncompressed ELF kernel inside Debian's bzImage: its payload (boot protocol 2.08+:
    payload_offset and payload_length, from the end of the setup code) is xz, which the kernel
    would otherwise spend some 2.3 G guest instructions decompressing itself."""
    image = (cache / LINUX_IMAGE).read_bytes()
    start = ((image[0x1F1] or 4) + 1) * 512
    offset, length = struct.unpack_from("<II", image, 0x248)
    payload = image[start + offset : start + offset + length]
    if payload[:6] != b"\xfd7zXZ\x00":
        raise RuntimeError(f"{LINUX_IMAGE}: its payload is not xz")
    path.write_bytes(lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(payload))


INIT = b"""#!/bin/busybox sh
/bin/busybox echo "refvmm: /init is running"
/bin/busybox mkdir -p /proc
/bin/busybox mount -t proc proc /proc
/bin/busybox uname -a
/bin/busybox head -n 2 /proc/meminfo
/bin/busybox echo "refvmm: /init powers off"
/bin/busybox poweroff -f
"""


def _cpio(entries: list[tuple[str, int, bytes, int]]) -> bytes:
    """A newc cpio archive of (name, mode, data, rdev) with fixed inodes, owners and dates."""
    out = bytearray()
    for ino, (name, mode, data, rdev) in enumerate([*entries, ("TRAILER!!!", 0, b"", 0)], 1):
        raw = name.encode() + b"\0"
        fields = (ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev >> 8, rdev & 0xFF, len(raw), 0)
        out += b"070701" + b"".join(b"%08X" % f for f in fields) + raw
        out += bytes(-len(out) % 4) + data + bytes(-len(data) % 4)
    return bytes(out) + bytes(-len(out) % 512)


def build_linux_initramfs(cache: Path, path: Path, work: Path) -> None:
    """busybox (static, i386) and an /init that prints a marker, runs uname and a few busybox
    commands, and powers the machine off."""
    busybox = (cache / "root/bin/busybox").read_bytes()
    directory, program, device = 0o40755, 0o100755, 0o20600
    path.write_bytes(
        _cpio(
            [
                ("bin", directory, b"", 0),
                ("bin/busybox", program, busybox, 0),
                ("dev", directory, b"", 0),
                ("dev/console", device, b"", (5 << 8) | 1),
                ("proc", directory, b"", 0),
                ("init", program, INIT, 0),
            ]
        )
    )


BUILDERS = {
    "grub-legacy": build_grub_legacy,
    "syslinux-hd": build_syslinux_hd,
    "syslinux-floppy": build_syslinux_floppy,
    "linux-6.1-vmlinux": build_linux_vmlinux,
    "linux-initramfs": build_linux_initramfs,
}


def image_path(name: str, cache: Path | None = None) -> Path:
    return (cache or default_cache()) / f"{name}.img"


def build_image(name: str, entry: dict, cache: Path) -> list[str]:
    """Build one image from fetched files and check it against its pin."""
    path = image_path(name, cache)
    with tempfile.TemporaryDirectory() as work:
        try:
            BUILDERS[name](cache, path, Path(work))
        except (OSError, RuntimeError) as exc:
            path.unlink(missing_ok=True)
            return [f"image {name}: cannot build it: {exc}"]
    if entry.get("sha256") and sha256(path) != entry["sha256"]:
        digest = sha256(path)
        path.unlink()
        return [f"image {name}: built with sha256 {digest}, the manifest says {entry['sha256']}"]
    print(f"{name}: {path}")
    return []


def ensure(images: list[str] = (), packages: list[str] = (), cache: Path | None = None) -> list[str]:
    """Fetch the packages and build the images named (with the packages they need), unless
    already there; return problems. What the boot tests call, so one test needs one fetch."""
    cache = cache or default_cache()
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / ".lock", "w") as lock:  # parallel test workers fetch one at a time
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _ensure(images, packages, cache)


def _ensure(images, packages, cache: Path) -> list[str]:
    manifest = tomllib.loads(MANIFEST.read_text())
    wanted = list(packages) + [p for i in images for p in manifest["image"][i]["packages"]]
    problems = [p for name in dict.fromkeys(wanted) for p in fetch(name, manifest["package"][name], cache)]
    for name in images:
        if not problems and not image_path(name, cache).is_file():
            problems += build_image(name, manifest["image"][name], cache)
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cache", type=Path, default=default_cache())
    args = parser.parse_args()
    manifest = tomllib.loads(MANIFEST.read_text())
    try:
        problems = [p for name, entry in manifest["package"].items() for p in fetch(name, entry, args.cache)]
    except OSError as exc:  # no apt-get or dpkg-deb: not a Debian-like host
        tool = exc.filename or "apt-get"
        problems = [f"cannot run {tool}: {exc.strerror} (the guests come from Debian's archive)"]
    if not problems:
        for name, entry in manifest["image"].items():
            problems += build_image(name, entry, args.cache)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
