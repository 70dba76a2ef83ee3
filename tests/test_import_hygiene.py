"""The core never imports Textual: it must run from a script, a test or a cron job alone."""

import subprocess
import sys

import pytest

CORE = ["pos", "pos.cli", "pos.till", "pos.reports", "pos.demo", "pos.product_csv", "pos.sales_export",
        "pos.shop", "pos.receipts", "pos.permissions", "pos.volunteers",
        "coop", "inventory", "inventory.products", "inventory.stock", "printers"]


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_import_textual(module):
    code = f"import sys, {module}; sys.exit(1 if any(m == 'textual' or m.startswith('textual.') for m in sys.modules) else 0)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0, f"{module} pulled in textual"


def test_printers_know_nothing_of_the_database():
    code = "import sys, printers; sys.exit(1 if 'sqlite_utils' in sys.modules or 'pos' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_inventory_does_not_reach_up_into_the_till():
    code = ("import sys, inventory.products, inventory.stock, inventory.barcodes, inventory.schema, coop.schema;"
            "sys.exit(1 if any(m == 'pos' or m.startswith('pos.') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
