"""The `till` command's shape: one module per group of commands, each importable alone, and only the
chosen one imported, so `till --help` and the till screen start without loading the rest."""

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from pos.cli import COMMANDS, chosen_command

ROOT = Path(__file__).resolve().parent.parent
GROUPS = sorted({module for module, _ in COMMANDS.values()})


@pytest.mark.parametrize("module", GROUPS)
def test_each_group_module_imports_alone_and_declares_its_commands(module):
    code = f"import {module}"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0, f"{module} does not import alone"
    declared = importlib.import_module(module).ARGUMENTS
    assert set(declared) == {name for name, (where, _) in COMMANDS.items() if where == module}


def test_help_imports_no_group_module():
    code = ("import contextlib, io, sys\n"
            "from pos.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
            "    try:\n"
            "        main(['--help'])\n"
            "    except SystemExit:\n"
            "        pass\n"
            "assert 'members' in out.getvalue()\n"
            f"loaded = sorted(set(sys.modules) & {set(GROUPS)!r})\n"
            "print(loaded)\n"
            "sys.exit(1 if loaded else 0)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_one_command_imports_only_its_own_group():
    code = ("import contextlib, io, sys\n"
            "from pos.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n"
            "        main(['--db', 'x.db', 'members', 'export', '--help'])\n"
            "    except SystemExit:\n"
            "        pass\n"
            f"print(sorted(set(sys.modules) & {set(GROUPS)!r}))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.stdout.strip() == "['pos.cli.members']", done.stderr


@pytest.mark.parametrize(("argv", "command"), [
    ([], None), (["--help"], None), (["verify"], "verify"), (["--db", "report", "verify"], "verify"),
    (["--db=x.db", "report", "z"], "report"), (["--till", "till-2", "--db", "x", "members", "export"], "members"),
    (["--d", "x.db", "stock", "levels"], "stock"), (["--", "rota"], "rota"),
])
def test_the_chosen_command_is_found_as_argparse_finds_it(argv, command):
    assert chosen_command(argv) == command
