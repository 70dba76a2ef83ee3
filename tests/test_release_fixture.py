"""A database saved by release 0.1 (ten days of demo trade) still opens, keeps its figures and passes verify.

The fixture and the expected outputs were written by release 0.1 itself, before the packages moved
(`python -m tests.test_release_fixture --record` on that release). Moving code between packages must
not re-run a migration, change a figure or break the journal's chain: the books move with the code.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

FIXTURE = Path(__file__).parent / "data" / "release-0.1"
DATABASE = FIXTURE / "till.sqlite"
EXPECTED = FIXTURE / "expected.json"

#: What a treasurer, a member and the centre read from the books, through the command line.
COMMANDS = [
    ["report", "z", "--date", "2026-11-20", "--format", "json"],
    ["report", "z", "--date", "2026-11-14"],
    ["sales", "export", "--from", "2026-11-11", "--to", "2026-11-20"],
    ["members", "export", "--format", "json", "--by", "Sam Ortiz"],
    ["members", "voters", "--date", "2026-11-20", "--by", "Sam Ortiz"],
    ["stock", "levels"],
    ["footfall", "export", "--from", "2026-11-09", "--to", "2026-11-22", "--format", "json"],
    ["dividend", "preview", "--from", "2026-11-11", "--to", "2026-11-20", "--sum", "150", "--by", "Sam Ortiz"],
    ["volunteers", "hours", "--from", "2026-11-01", "--to", "2026-11-30"],
    ["shares", "withdrawals", "--by", "Sam Ortiz"],
    ["verify"],
]
MANAGER_PIN = "1111\n"


def _copy(to: Path) -> Path:
    path = to / "till.db"
    with closing(sqlite3.connect(DATABASE)) as saved, closing(sqlite3.connect(path)) as copy:
        saved.backup(copy)
    return path


def _outputs(path: Path, run) -> dict[str, list]:
    # When an export was made is the one thing that may differ between two runs.
    return {" ".join(argv): [code, re.sub(r'"generated_at": "[^"]*"', '"generated_at": "…"', out)]
            for argv in COMMANDS for code, out in [run(["--db", str(path), *argv])]}


def _migrations(path: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("select migration_set, name from _sqlite_migrations order by id").fetchall()


def test_the_saved_release_opens_without_rerunning_its_migrations(tmp_path):
    from pos.database import open_database

    path = _copy(tmp_path)
    before = _migrations(path)
    open_database(path).close()
    after = _migrations(path)
    assert after[:len(before)] == before, "a migration that had run was recorded again or lost"
    assert len(set(after)) == len(after)
    # Any migration added since is new in name: none of the old ones ran a second time.
    assert not {name for name in after[len(before):]} & set(before)


def test_the_saved_release_keeps_its_figures_and_passes_verify(tmp_path, monkeypatch, capsys):
    from pos.cli import main

    def run(argv):
        monkeypatch.setattr("sys.stdin", __import__("io").StringIO(MANAGER_PIN))
        code = main(argv)
        out, _ = capsys.readouterr()
        return code, out

    got = _outputs(_copy(tmp_path), run)
    expected = json.loads(EXPECTED.read_text())
    assert got.keys() == expected.keys()
    for command in expected:
        assert got[command] == expected[command], command
    assert got["verify"][0] == 0


def record() -> None:
    """Write expected.json from the release this is run on (done once, on release 0.1)."""
    import io
    import os
    import tempfile

    from pos.cli import main

    with tempfile.TemporaryDirectory() as folder:
        os.environ["HOME"] = folder
        path = _copy(Path(folder))

        def run(argv):
            sys.stdin = io.StringIO(MANAGER_PIN)
            out = io.StringIO()
            real, sys.stdout = sys.stdout, out
            try:
                code = main(argv)
            finally:
                sys.stdout = real
            return code, out.getvalue()

        outputs = _outputs(path, run)
    EXPECTED.write_text(json.dumps(outputs, indent=1, ensure_ascii=False) + "\n")
    shutil.os.sync()


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    record()
