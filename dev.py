#!/usr/bin/env python3
"""Set up the project's own virtual environment, then run the till or the tests.

    python3 dev.py demo     # the till on a throwaway demo shop
    python3 dev.py test     # the whole test suite (what CI runs)
    python3 dev.py till ... # any `till` command, e.g. `python3 dev.py till --help`

Needs nothing but python3: it makes `.venv/` beside this file and installs the
project into it, again whenever pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".installed-from"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def say(message: str) -> None:
    print(f"dev.py: {message}", file=sys.stderr, flush=True)


def ensure_venv_module() -> None:
    """Debian ships venv without ensurepip unless python3-venv is installed."""
    try:
        import ensurepip  # noqa: F401
        import venv  # noqa: F401
        return
    except ImportError:
        pass
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        say(f"installing python{version}-venv with apt-get (Debian keeps venv apart)")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        for package in (f"python{version}-venv", "python3-venv"):
            if subprocess.run(["apt-get", "install", "-y", "-qq", package], env=env).returncode == 0:
                return
    sys.exit(
        "dev.py: Python's venv module is missing. On Debian or Ubuntu run "
        f"`sudo apt-get install python{version}-venv`, then try again."
    )


def has_postgres() -> bool:
    """PostgreSQL 15 or later, for the hub's tests (tests/hub/cluster.py starts a throwaway one)."""
    for initdb in Path("/usr/lib/postgresql").glob("*/bin/initdb"):
        if initdb.parent.parent.name.isdigit() and int(initdb.parent.parent.name) >= 15:
            return True
    return shutil.which("initdb") is not None


#: Debian's browser and its matching driver, for the web pages' tests (tests/web/browser.py names both paths).
BROWSER = {"chromium": Path("/usr/bin/chromium"), "chromium-driver": Path("/usr/bin/chromedriver")}
#: Debian's PDF renderer and barcode reader, for the shelf labels' tests (tests/test_shelf_labels.py).
LABEL_TOOLS = {"poppler-utils": "pdftoppm", "zbar-tools": "zbarimg"}


def missing_test_tools() -> list[str]:
    """The Debian packages the tests use that are not installed: PostgreSQL, chromium and its driver, the
    labels' PDF renderer and barcode reader."""
    missing = [] if has_postgres() else ["postgresql"]
    missing += [package for package, tool in LABEL_TOOLS.items() if shutil.which(tool) is None]
    return missing + [package for package, path in BROWSER.items() if not path.exists()]


def ensure_test_tools() -> None:
    """The hub's tests need a PostgreSQL server installed (never running: they start their own); the web
    pages' tests need chromium and chromium-driver; the shelf labels' tests poppler-utils and zbar-tools. One
    `apt-get update` for all, as root."""
    missing = missing_test_tools()
    if not missing:
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        say(f"installing {' '.join(missing)} with apt-get, for the hub's and the web pages' tests")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        if subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
                          env=env, stdout=subprocess.DEVNULL).returncode == 0:
            return
    say(f"{', '.join(missing)} not installed, so the tests that need them will be skipped: run "
        f"`sudo apt-get install {' '.join(missing)}`, then try again.")


def ensure_installed() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted and (BIN / "till").exists():
        return
    if not (BIN / "python").exists():
        ensure_venv_module()
        say("creating .venv")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    say("installing Community Till and its test tools into .venv (first run only)")
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--editable", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test", "till"}:
        print(__doc__.strip())
        return 2
    ensure_installed()
    command, rest = argv[0], argv[1:]
    if command == "demo":
        args = [str(BIN / "till"), "demo", *rest]
    elif command == "till":
        args = [str(BIN / "till"), *rest]
    else:
        ensure_test_tools()
        args = [str(BIN / "python"), "-m", "pytest", *rest]
        if all(shutil.which(tool) for tool in LABEL_TOOLS.values()):
            # Installed (just now, or before): the labels' barcodes must then be read back, never skipped.
            os.environ.setdefault("CI_REQUIRE_ZBAR", "1")
    os.chdir(ROOT)
    return subprocess.run(args).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
