"""``python -m conformance.generate``: rewrite manifest.txt after a generator version bump."""

import sys

from . import MANIFEST, manifest_lines

if __name__ == "__main__":
    MANIFEST.write_text("\n".join(manifest_lines()) + "\n")
    print(f"wrote {MANIFEST}")
    sys.exit(0)
