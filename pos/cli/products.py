"""`till products` and `till stock`: the catalogue, and stock on hand, goods in, wastage and stocktakes (shelf labels
and products' measures: pos/cli/labels.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.bounds import MAX_QUANTITY
from pos.cli.context import Context, allowed, audited, output, progress_bar, say, signed
from pos.cli.labels import label_actions, measure_action, say_labels_due
from pos.cli.options import actions, by, count, quantity


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


def stock_arguments(parser: argparse.ArgumentParser) -> None:
    action = actions(parser)
    action("levels", "stock on hand, with what needs reordering", cmd_levels)
    goods_in = action("in", "record goods in", cmd_stock_change)
    goods_in.add_argument("code", help="barcode or short code")
    goods_in.add_argument("quantity", type=quantity, help=f"how many (at most {MAX_QUANTITY:,})")
    waste = action("waste", "record wastage", cmd_stock_change)
    waste.add_argument("code")
    waste.add_argument("quantity", type=quantity, help=f"how many (at most {MAX_QUANTITY:,})")
    waste.add_argument("--reason", required=True)
    count_ = action("count", "record a stocktake count", cmd_stock_change)
    count_.add_argument("code")
    count_.add_argument("counted", type=count, help=f"how many there are (0 to {MAX_QUANTITY:,})")
    # Stock on hand is what the till sells against: whoever changes it signs with their PIN, and is recorded.
    for parser_ in (goods_in, waste, count_):
        by(parser_, help="the volunteer recording it (asked for their PIN)")
    label_actions(action)


ARGUMENTS = {"products": products_arguments, "stock": stock_arguments}


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


def cmd_levels(ctx: Context) -> int:
    from inventory.stock import Stock

    for level in Stock(ctx.db).levels():
        flag = "  reorder" if level.needs_reorder else ""
        print(f"{level.on_hand:>6}  {level.name}{flag}")
    return 0


def cmd_stock_change(ctx: Context) -> int:
    from core.database import transaction
    from inventory.stock import Stock

    args = ctx.args
    stock = Stock(ctx.db)
    product = ctx.till().catalogue.lookup(args.code)
    volunteer = signed(ctx, args.by)
    with transaction(ctx.db):
        if args.action == "in":
            stock.goods_in(product.id, args.quantity, at=ctx.now(), by=volunteer.id)
        elif args.action == "waste":
            stock.wastage(product.id, args.quantity, reason=args.reason, at=ctx.now(), by=volunteer.id)
        else:
            delta = stock.stocktake(product.id, args.counted, at=ctx.now(), by=volunteer.id)
            say(f"Counted {args.counted} {product.name}: {delta:+d} against the records.")
    say(f"{product.name}: {stock.on_hand(product.id)} on hand.")
    return 0
