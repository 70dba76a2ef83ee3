"""The house's shape, checked: no package but the screens imports Textual, every package imports
alone, and the packages' imports point down only (docs/architecture.md draws the picture)."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["core", "volunteers", "inventory", "coop", "centre", "printers", "hub", "access", "accounts", "pos"]

#: Which package may import which (besides itself). The foundation imports none; pos assembles all.
MAY_IMPORT = {
    "core": set(),
    "printers": set(),
    "inventory": {"core"},
    "coop": {"core"},
    "volunteers": {"core"},
    # Signposting names the service's organisation and, when asked, the member; footfall counts who
    # was on shift: the centre reads the register and the volunteers, never the till.
    "centre": {"core", "coop", "volunteers"},
    # The hub gathers every till's journal in PostgreSQL: it reads the journal and the node id, nothing else.
    "hub": {"core"},
    # The web's sign-in rules: accounts are members' and volunteers', the rest is the foundation.
    "access": {"core", "coop", "volunteers"},
    # The treasurer's books: the recorded money as journals, read from the tables; never the till itself.
    "accounts": {"core"},
    "pos": {"core", "coop", "volunteers", "inventory", "centre", "printers", "hub", "access", "accounts"},
}


def _modules(package: str) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[:2] == ("pos", "tui"):
            continue
        found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


CORE_MODULES = [module for package in PACKAGES for module in _modules(package)]


def _imported(path: Path) -> list[str]:
    """Every module a file imports by absolute name, at the top or inside a function."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def _imports(package: str) -> dict[str, set[str]]:
    """Top-level packages each module of `package` imports, at the top or inside a function."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        for name in _imported(path):
            top = name.split(".")[0]
            if top in PACKAGES and top != package:
                found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_imports_alone_without_textual(module):
    code = f"import sys, {module}; sys.exit(1 if any(m == 'textual' or m.startswith('textual.') for m in sys.modules) else 0)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0, f"{module} pulled in textual"


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_imports_only_what_the_architecture_allows(package):
    wrong = {other: sorted(files) for other, files in _imports(package).items() if other not in MAY_IMPORT[package]}
    assert not wrong, f"{package} imports {wrong}"


def test_no_two_packages_import_each_other():
    edges = {package: set(_imports(package)) for package in PACKAGES}

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in edges[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    cycles = sorted({tuple(sorted((a, b))) for a in PACKAGES for b in reach(a) if a != b and a in reach(b)})
    assert not cycles, f"packages that import each other: {cycles}"


def test_the_cycle_check_sees_imports_inside_functions(tmp_path, monkeypatch):
    # A test that cannot fail is a defect: an import hidden in a function must still count.
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "late.py").write_text("def f():\n    from pos.till import Till\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert _imports("core") == {"pos": {"core/late.py"}}


def test_printers_know_nothing_of_the_database():
    code = "import sys, printers; sys.exit(1 if 'sqlite_utils' in sys.modules or 'pos' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


#: The web framework and its helpers: only the web face (pos/web/) may import them.
WEB_FRAMEWORK = {"starlette", "jinja2", "uvicorn", "multipart", "python_multipart"}


def _web_imports(root: Path) -> list[str]:
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if path.relative_to(root).parts[:2] == ("pos", "web"):
                continue
            found += [str(path.relative_to(root)) for name in _imported(path) if name.split(".")[0] in WEB_FRAMEWORK]
    return found


def test_only_the_web_face_imports_the_web_framework():
    assert not _web_imports(ROOT), "the web framework is imported outside pos/web/"


def test_the_web_framework_check_sees_an_import_in_the_core(tmp_path):
    # A test that cannot fail is a defect: the same check over a core that imports Starlette must object.
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "page.py").write_text("def f():\n    from starlette.responses import HTMLResponse\n")
    assert _web_imports(tmp_path) == ["core/page.py"]
