"""The project's own documents hold together: every citation of docs/domain.md names one of its
headings, and nothing in the repository points at notes kept outside it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = ROOT / "docs" / "domain.md"

#: The headings code comments cite; renaming one would orphan its citations.
HEADINGS = [
    "The society and its members",
    "Tax and receipts",
    "Payments at the till",
    "Volunteers",
    "The children's centre",
    "Personal data",
    "The society's books",
    "Several tills, several sites",
]

# Built from pieces so that this file does not mention what it forbids.
FORBIDDEN = ["DOMAIN" + ".md", ".." + "/shared", "/work" + "/shared"]

# A citation may wrap in a docstring or a comment: `docs/domain.md,\n    # "The society ...`.
CITATION = re.compile(r'docs/domain\.md,\s*(?:#\s*)?"([^"]+)"')
SKIP_DIRS = {".git", ".venv", "venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", "node_modules",
             "build", "dist"}


def _files(root: Path = ROOT) -> list[Path]:
    """The repository's files: what git tracks or would track (not what .gitignore leaves out)."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                cwd=root, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        # Not a git checkout (an unpacked release): every file but caches and environments.
        return [path for path in root.rglob("*") if path.is_file()
                and not SKIP_DIRS.intersection(path.relative_to(root).parts)
                and path.relative_to(root).parts[:2] != ("benchmarks", ".cache")]
    paths = (root / name for name in listed.decode("utf-8", "surrogateescape").split("\0") if name)
    return [path for path in paths if path.is_file()]


def headings(text: str) -> list[str]:
    return [line[3:].strip() for line in text.splitlines() if line.startswith("## ")]


def citations(files: list[Path], root: Path = ROOT) -> list[tuple[str, str]]:
    """(file, heading) for every `docs/domain.md, "<heading>"` in the files."""
    found = []
    for path in files:
        text = path.read_bytes().decode("utf-8", "replace")
        for match in CITATION.finditer(text):
            heading = " ".join(match.group(1).replace("#", " ").split())
            found.append((str(path.relative_to(root)), heading))
    return found


def mentions(files: list[Path], root: Path = ROOT) -> list[tuple[str, str]]:
    """(file, what) for every file that names something outside the repository."""
    found = []
    for path in files:
        data = path.read_bytes()
        found += [(str(path.relative_to(root)), text) for text in FORBIDDEN if text.encode() in data]
    return found


def test_the_domain_notes_have_the_headings_the_code_cites():
    assert headings(DOMAIN.read_text(encoding="utf-8")) == HEADINGS


def test_every_citation_names_a_heading_of_the_domain_notes():
    # This file's own examples are not citations, nor is the form itself written out: "<heading>".
    found = [(path, heading) for path, heading in citations([f for f in _files() if f != Path(__file__).resolve()])
             if heading != "<heading>"]
    # The code does cite the notes (pos.vat, coop.shares …): finding none would mean the pattern broke.
    assert any(path == "pos/vat.py" for path, _ in found), found
    wrong = [(path, heading) for path, heading in found if heading not in HEADINGS]
    assert not wrong, f"citations of headings docs/domain.md does not have: {wrong}"


def test_nothing_points_outside_the_repository():
    files = _files()
    assert ROOT / "README.md" in files and Path(__file__).resolve() in files
    found = mentions(files)
    assert not found, f"files that name notes outside the repository: {found}"


def test_the_checks_catch_what_they_are_for(tmp_path):
    # A test that cannot fail is a defect: a wrapped good citation passes, a wrong one and a
    # pointer outside are found.
    (tmp_path / "good.py").write_text('# see docs/domain.md,\n# "Tax and\n# receipts"\n')
    (tmp_path / "bad.md").write_text('as docs/domain.md, "Tax" says, and ' + FORBIDDEN[1] + "/notes\n")
    files = sorted(tmp_path.iterdir())
    assert citations(files, tmp_path) == [("bad.md", "Tax"), ("good.py", "Tax and receipts")]
    assert mentions(files, tmp_path) == [("bad.md", FORBIDDEN[1])]


def test_the_readmes_roles_table_is_the_table_every_check_reads():
    from volunteers.people import Role
    from volunteers.permissions import ALLOWED

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("| What | Volunteer |")
    lines = text[start:text.index("\n\n", start)].splitlines()
    header = [cell.strip() for cell in lines[0].strip("|").split("|")][1:]
    roles = [next(role for role in Role if role.label == name) for name in header]
    shown = {}
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        shown[cells[0].lower()] = {role for role, cell in zip(roles, cells[1:], strict=True) if cell == "yes"}
    assert shown == {action.label.lower(): set(allowed) for action, allowed in ALLOWED.items()}
