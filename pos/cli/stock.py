"""`till stock`: the shop floor from the command line, calling what the Shop floor screen calls (inventory/).

Goods in and wastage by any volunteer signed with their PIN; stocktakes, suppliers and the reorder list by
a shift lead or manager (volunteers.permissions Action.stock_control); the price list by whoever may import
products."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.bounds import MAX_QUANTITY
from pos.cli.context import Context, allowed, output, read_bytes, say, signed
from pos.cli.labels import label_actions, say_labels_due
from pos.cli.options import a_date, actions, by, count, date_help, file_to_write, quantity, runs, shared


def _steps(parser: argparse.ArgumentParser):
    choices = parser.add_subparsers(dest="step", metavar="STEP", required=True)
    parent = shared()
    return lambda name, help, handler: runs(choices.add_parser(name, help=help, parents=[parent]), handler)


def stock_arguments(parser: argparse.ArgumentParser) -> None:
    action = actions(parser)
    action("levels", "stock on hand, with what needs reordering", cmd_levels)
    goods_in = action("in", "record a delivery: one product, or a CSV of lines (code, quantity, cost, best_before)",
                      cmd_in)
    goods_in.add_argument("code", nargs="?", help="barcode or short code")
    goods_in.add_argument("quantity", nargs="?", type=quantity, help=f"how many (at most {MAX_QUANTITY:,})")
    goods_in.add_argument("--csv", type=Path, help="the delivery's lines as CSV, instead of one product")
    goods_in.add_argument("--supplier", help="who delivered it (a supplier's name)")
    goods_in.add_argument("--cost", help="the cost price of one, from this supplier")
    goods_in.add_argument("--best-before", type=a_date, help=date_help("the best-before date"))
    show = action("delivery", "show a delivery's lines", cmd_delivery)
    show.add_argument("number", type=int)
    undo = action("reverse", "reverse a delivery recorded by mistake (a second delivery takes it off)", cmd_reverse)
    undo.add_argument("number", type=int)
    undo.add_argument("--reason", required=True)
    waste = action("waste", "record wastage, with the value lost at cost", cmd_waste)
    waste.add_argument("code")
    waste.add_argument("quantity", type=quantity, help=f"how many (at most {MAX_QUANTITY:,})")
    waste.add_argument("--reason", required=True, help="out of date, damaged, staff use …")
    count_ = action("count", "record one product's count outside a stocktake", cmd_count)
    count_.add_argument("code")
    count_.add_argument("counted", type=count, help=f"how many there are (0 to {MAX_QUANTITY:,})")
    # Stock on hand is what the till sells against: whoever changes it signs with their PIN, and is recorded.
    for parser_ in (goods_in, undo, waste, count_):
        by(parser_, help="the volunteer recording it (asked for their PIN)")
    label_actions(action)

    step = _steps(action("stocktake", "count the shop or one category: start, count, show, finish", cmd_none))
    start = step("start", "start a stocktake (one at a time)", cmd_take_start)
    start.add_argument("--category", help="count only this category (default: the whole shop)")
    counted = step("count", "count a product in the open stocktake (again: replaces the count)", cmd_take_count)
    counted.add_argument("code")
    counted.add_argument("counted", type=count)
    step("show", "the open stocktake: expected against counted", cmd_take_show)
    finish = step("finish", "save the counted products' differences as stock movements", cmd_take_finish)
    for parser_ in (start, counted, finish):
        by(parser_, help="a shift lead or manager (asked for their PIN)")

    step = _steps(action("suppliers", "who delivers what: add, list, import, price-list", cmd_none))
    step("list", "list the suppliers", cmd_suppliers)
    add = step("add", "add a supplier", cmd_supplier_add)
    add.add_argument("name")
    add.add_argument("--contact", default="")
    add.add_argument("--account", default="", help="the shop's account number with them")
    add.add_argument("--lead-days", type=int, default=7, help="days from order to delivery (default 7)")
    imports = step("import", "add suppliers from CSV (name, contact, account, lead_days), all or nothing",
                   cmd_supplier_import)
    imports.add_argument("file", type=Path)
    prices = step("price-list", "a supplier's price list (code, cost, price): costs and prices, all or nothing",
                  cmd_price_list)
    prices.add_argument("supplier")
    prices.add_argument("file", type=Path)
    for parser_ in (add, imports, prices):
        by(parser_, help="a shift lead or manager (asked for their PIN)")

    reorder = action("reorder", "what to order now, by supplier (sales rate, reorder level, lead days)", cmd_reorder)
    reorder.add_argument("--supplier", help="only this supplier's list")
    reorder.add_argument("--csv", type=file_to_write, help="write the list as CSV to this file")
    by(reorder, help="a shift lead or manager (asked for their PIN)")
    action("value", "stock on hand at cost", cmd_value)
    first = action("use-first", "goods past or near their best-before date, to sell first or reduce", cmd_use_first)
    first.add_argument("--days", type=int, default=3, help="within this many days (default 3)")


ARGUMENTS = {"stock": stock_arguments}


def cmd_none(ctx: Context) -> int:  # argparse requires a step; never reached
    return 2


def cmd_levels(ctx: Context) -> int:
    from inventory.stock import Stock

    for level in Stock(ctx.db).levels():
        flag = "  reorder" if level.needs_reorder else ""
        print(f"{level.on_hand:>6}  {level.name}{flag}")
    return 0


def _supplier_id(ctx: Context, name: str | None) -> int | None:
    from inventory.suppliers import Suppliers

    return None if not name else Suppliers(ctx.db).named(name).id


def cmd_in(ctx: Context) -> int:
    from core.database import transaction
    from inventory.deliveries import Deliveries
    from inventory.stock import Stock, StockError
    from pos.shop_floor import delivery_lines_csv, parse_cost

    args = ctx.args
    catalogue = ctx.till().catalogue
    if args.csv is not None:
        if args.code or args.cost or args.best_before:
            raise StockError("give either a CSV of lines or one product, not both")
        lines = delivery_lines_csv(catalogue, read_bytes(args.csv.expanduser()).decode("utf-8-sig"))
    else:
        if not args.code or not args.quantity:
            raise StockError("say what came in and how many (or --csv FILE)")
        from inventory.deliveries import Line

        product = catalogue.lookup(args.code)
        lines = [Line(product_id=product.id, quantity=args.quantity, best_before=args.best_before,
                      cost_pence=parse_cost(args.cost) if args.cost else None)]
    supplier_id = _supplier_id(ctx, args.supplier)
    volunteer = signed(ctx, args.by)
    with transaction(ctx.db):
        number = Deliveries(ctx.db).receive(lines, supplier_id=supplier_id, at=ctx.now(), by=volunteer.id)
    stock = Stock(ctx.db)
    for line in lines[:1] if len(lines) == 1 else []:
        say(f"{catalogue.get(line.product_id).name}: {stock.on_hand(line.product_id)} on hand.")
    say(f"Delivery {number}: {len(lines)} line{'s' if len(lines) != 1 else ''}, "
        f"{sum(line.quantity for line in lines)} items.")
    return 0


def cmd_delivery(ctx: Context) -> int:
    from inventory.deliveries import Deliveries
    from pos.shop_floor import delivery_text

    print(delivery_text(ctx.db, Deliveries(ctx.db).get(ctx.args.number)), end="")
    return 0


def cmd_reverse(ctx: Context) -> int:
    from core.database import transaction
    from inventory.deliveries import Deliveries

    volunteer = signed(ctx, ctx.args.by)
    with transaction(ctx.db):
        number = Deliveries(ctx.db).reverse(ctx.args.number, reason=ctx.args.reason, at=ctx.now(), by=volunteer.id)
    say(f"Delivery {ctx.args.number} is reversed by delivery {number}.")
    return 0


def cmd_waste(ctx: Context) -> int:
    from core.database import transaction
    from core.money import format_pence
    from inventory.stock import Stock
    from inventory.stocktakes import waste

    product = ctx.till().catalogue.lookup(ctx.args.code)
    volunteer = signed(ctx, ctx.args.by)
    with transaction(ctx.db):
        lost = waste(ctx.db, product.id, ctx.args.quantity, reason=ctx.args.reason, at=ctx.now(), by=volunteer.id)
    say(f"{product.name}: {Stock(ctx.db).on_hand(product.id)} on hand; {format_pence(lost)} lost at cost.")
    return 0


def cmd_count(ctx: Context) -> int:
    from core.database import transaction
    from inventory.stock import Stock

    product = ctx.till().catalogue.lookup(ctx.args.code)
    volunteer = signed(ctx, ctx.args.by)
    with transaction(ctx.db):
        delta = Stock(ctx.db).stocktake(product.id, ctx.args.counted, at=ctx.now(), by=volunteer.id)
    say(f"Counted {ctx.args.counted} {product.name}: {delta:+d} against the records.")
    say(f"{product.name}: {Stock(ctx.db).on_hand(product.id)} on hand.")
    return 0


def _open_take(ctx: Context):
    from inventory.stock import StockError
    from inventory.stocktakes import Stocktakes

    take = Stocktakes(ctx.db).open()
    if take is None:
        raise StockError("no stocktake is open: start one with till stock stocktake start")
    return take


def cmd_take_start(ctx: Context) -> int:
    from core.database import transaction
    from inventory.stocktakes import Stocktakes
    from volunteers.permissions import Action

    lead = allowed(ctx, ctx.args.by, Action.stock_control)
    with transaction(ctx.db):
        take = Stocktakes(ctx.db).start(category=ctx.args.category, at=ctx.now(), by=lead.id)
    say(f"Stocktake {take.id} of {take.scope} started: count with till stock stocktake count CODE N.")
    return 0


def cmd_take_count(ctx: Context) -> int:
    from core.database import transaction
    from inventory.stocktakes import Stocktakes
    from volunteers.permissions import Action

    take = _open_take(ctx)
    product = ctx.till().catalogue.lookup(ctx.args.code)
    lead = allowed(ctx, ctx.args.by, Action.stock_control, record=False)
    with transaction(ctx.db):
        line = Stocktakes(ctx.db).count(take.id, product.id, ctx.args.counted, at=ctx.now(), by=lead.id)
    say(f"{line.name}: counted {line.counted}, expected {line.expected} ({line.variance:+d}).")
    return 0


def cmd_take_show(ctx: Context) -> int:
    from inventory.stocktakes import Stocktakes
    from pos.shop_floor import stocktake_text

    take = _open_take(ctx)
    print(stocktake_text(take, Stocktakes(ctx.db).lines(take.id)), end="")
    return 0


def cmd_take_finish(ctx: Context) -> int:
    from core.database import transaction
    from core.money import format_pence
    from inventory.stocktakes import Stocktakes
    from volunteers.permissions import Action

    take = _open_take(ctx)
    lead = allowed(ctx, ctx.args.by, Action.stock_control)
    with transaction(ctx.db):
        done = Stocktakes(ctx.db).finish(take.id, at=ctx.now(), by=lead.id)
    say(f"Stocktake {take.id} saved: {done.counted} counted ({done.uncounted} not counted, left as they were), "
        f"{done.variance_units:+d} items, {format_pence(done.variance_pence)} at cost.")
    return 0


def cmd_suppliers(ctx: Context) -> int:
    from inventory.suppliers import Suppliers

    for s in Suppliers(ctx.db).all():
        print(f"{s.name[:30]:<30}  {s.lead_days:>3} days  {s.account[:12]:<12}  {s.contact}")
    return 0


def cmd_supplier_add(ctx: Context) -> int:
    from core.database import transaction
    from inventory.suppliers import SupplierDetails, Suppliers
    from volunteers.permissions import Action

    args = ctx.args
    lead = allowed(ctx, args.by, Action.stock_control)
    details = SupplierDetails(name=args.name, contact=args.contact, account=args.account, lead_days=args.lead_days)
    with transaction(ctx.db):
        supplier = Suppliers(ctx.db).add(details, at=ctx.now(), by=lead.id)
    say(f"Added supplier {supplier.name}.")
    return 0


def cmd_supplier_import(ctx: Context) -> int:
    from core.database import transaction
    from inventory.suppliers import import_suppliers
    from volunteers.permissions import Action

    lead = allowed(ctx, ctx.args.by, Action.stock_control)
    text = read_bytes(ctx.args.file.expanduser()).decode("utf-8-sig")
    with transaction(ctx.db):
        added = import_suppliers(ctx.db, text, at=ctx.now(), by=lead.id)
    say(f"Added {added} supplier{'s' if added != 1 else ''}.")
    return 0


def cmd_price_list(ctx: Context) -> int:
    from core.database import transaction
    from inventory.price_list import import_price_list
    from volunteers.permissions import Action

    lead = allowed(ctx, ctx.args.by, Action.import_products)
    supplier_id = _supplier_id(ctx, ctx.args.supplier)
    text = read_bytes(ctx.args.file.expanduser()).decode("utf-8-sig")
    with transaction(ctx.db):
        summary = import_price_list(ctx.db, text, supplier_id=supplier_id, at=ctx.now(), by=lead.id)
    say(f"{ctx.args.file.name}: {summary.costs} costs and {summary.prices} shelf prices updated.")
    say_labels_due(ctx)
    return 0


def cmd_reorder(ctx: Context) -> int:
    from inventory.shelf import reorder_list
    from pos.shop_floor import reorder_csv, reorder_text
    from volunteers.permissions import Action

    allowed(ctx, ctx.args.by, Action.stock_control)
    lines = reorder_list(ctx.db, today=ctx.till().today(), supplier_id=_supplier_id(ctx, ctx.args.supplier))
    if ctx.args.csv:
        with output(ctx.args.csv) as out:
            reorder_csv(lines, out)
        say(f"Wrote {len(lines)} lines to {ctx.args.csv}")
    else:
        print(reorder_text(lines), end="")
    return 0


def cmd_value(ctx: Context) -> int:
    from core.money import format_pence
    from inventory.shelf import stock_value

    value = stock_value(ctx.db)
    missing = f" ({value.without_cost} products in stock have no cost price)" if value.without_cost else ""
    print(f"Stock at cost: {format_pence(value.value_pence)} over {value.valued} products{missing}")
    return 0


def cmd_use_first(ctx: Context) -> int:
    from inventory.shelf import use_first

    found = use_first(ctx.db, today=ctx.till().today(), within_days=ctx.args.days)
    for item in found:
        what = "past its date: reduce or take off" if item.past else "use first"
        print(f"{item.best_before.isoformat()}  {item.quantity:>4}  {item.name[:34]:<34} {what}")
    if not found:
        say("Nothing on hand is near its best-before date.")
    return 0
