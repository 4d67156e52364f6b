"""Copy the npm-installed front-end libraries into the app's static files (`make assets`)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

WEB_DIR = Path(__file__).resolve().parent
VENDOR_DIR = WEB_DIR / "static" / "vendor"
# node_modules path → file name served under static/vendor/.
FILES: dict[str, str] = {
    "echarts/dist/echarts.min.js": "echarts.min.js",
    "htmx.org/dist/htmx.min.js": "htmx.min.js",
}


class AssetsMissing(RuntimeError):
    """Raised when node_modules has not been installed yet."""


def find_node_modules(start: Path | None = None) -> Path:
    """The nearest node_modules directory at or above `start` (default: the current directory)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "node_modules"
        if candidate.is_dir():
            return candidate
    raise AssetsMissing(
        f"node_modules not found at or above {here}; run `npm ci` in the repository root "
        "(or `make assets`) first."
    )


def copy_assets(node_modules: Path, target: Path = VENDOR_DIR) -> list[Path]:
    """Copy every vendor file into `target`; returns the written paths."""
    missing = [name for name in FILES if not (node_modules / name).is_file()]
    if missing:
        raise AssetsMissing(
            f"{', '.join(missing)} missing under {node_modules}; run `npm ci` (package-lock.json)."
        )
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for source, name in FILES.items():
        destination = target / name
        shutil.copyfile(node_modules / source, destination)
        written.append(destination)
    return written


def main() -> int:
    try:
        written = copy_assets(find_node_modules())
    except AssetsMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"copied {path.name} → {path.parent}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
