"""`till products`: the catalogue (the shop floor's `till stock` is pos/cli/stock.py; shelf labels and
products' measures, pos/cli/labels.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from pos.cli.context import Context, allowed, audited, output, progress_bar, say
from pos.cli.labels import measure_action, say_labels_due
from pos.cli.options import actions, by


def products_arguments(parser: argparse.ArgumentParser) -> None:
    action = actions(parser)
    imports = action("import", "import products from a CSV file (all or nothing)", cmd_import)
    imports.add_argument("file", type=Path)
    # Every price at once: a shift lead or manager signs it with their PIN, and the audit log keeps it.
    by(imports, help="the shift lead or manager importing it (asked for their PIN)")
    action("export", "write every product as CSV, in the import format", cmd_export).add_argument(
        "--out", type=Path, help="a file to write instead of the screen")
    action("list", "list products with their codes and prices", cmd_list)
    measure_action(action)


ARGUMENTS = {"products": products_arguments}


def cmd_import(ctx: Context) -> int:
    from inventory import product_csv
    from volunteers.permissions import Action

    volunteer = allowed(ctx, ctx.args.by, Action.import_products, record=False)
    with progress_bar("Importing products") as update:  # the file is read as a stream, never whole
        summary = product_csv.import_products(ctx.db, ctx.args.file.expanduser(), at=ctx.now(), progress=update)
    audited(ctx, volunteer, Action.import_products,
            f"command line: products import {ctx.args.file.name}: {summary.created} new, "
            f"{summary.updated} updated, {summary.unchanged} unchanged")
    say(f"Imported {ctx.args.file.name}: {summary.created} new, {summary.updated} updated, "
        f"{summary.unchanged} unchanged.")
    say_labels_due(ctx)
    return 0


def cmd_export(ctx: Context) -> int:
    from inventory import product_csv

    with output(ctx.args.out) as out, progress_bar("Exporting products") as update:
        count = product_csv.export_products(ctx.db, out, progress=update)
    if ctx.args.out:
        say(f"Wrote {count} products to {ctx.args.out}")
    return 0


def cmd_list(ctx: Context) -> int:
    from core.money import format_pence
    from inventory.products import Catalogue

    for p in Catalogue(ctx.db).all():
        codes = " ".join(p.barcodes + p.codes)
        retired = "" if p.active else "  (retired)"
        print(f"{p.id:>5}  {p.name[:34]:<34} {format_pence(p.price_pence):>9}  {codes}{retired}")
    return 0
