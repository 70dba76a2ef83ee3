"""printers/ stands alone: it reaches into no other package, and loads python-escpos only to print."""

import subprocess
import sys

FORBIDDEN = ("pos", "coop", "inventory", "volunteers", "centre", "core", "sqlite_utils", "textual")


def loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_printers_imports_none_of_the_other_packages():
    loaded = loaded_after("import printers, printers.send, printers.render, printers.spec, printers.layout")
    assert loaded.isdisjoint(FORBIDDEN)


def test_rendering_for_paper_still_imports_none_of_them():
    loaded = loaded_after("import printers; printers.to_escpos(printers.test_page(32), 32)")
    assert "escpos" in loaded
    assert loaded.isdisjoint(FORBIDDEN)


def test_python_escpos_waits_until_something_is_printed():
    # Importing it takes a third of a second, sets up root logging and makes a temporary folder.
    assert "escpos" not in loaded_after("import printers; printers.to_text(printers.test_page(32), 32)")
