"""`till stock labels` and `till stock label`: shelf-edge labels as a PDF for A4 label sheets, or one on the
receipt printer; and `till products measure`, what a product's unit price is per (or that it is weighed).
Actions of the `stock` and `products` groups (pos/cli/products.py registers them)."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

from pos.cli.context import Context, allowed, audited, say
from pos.cli.options import a_date, by, date_help


def label_actions(action) -> None:
    sheets = action("labels", "shelf-edge labels as a PDF for A4 label sheets", cmd_labels)
    sheets.add_argument("--out", type=Path, required=True, help="the PDF to write (e.g. labels.pdf)")
    sheets.add_argument("--sheet", type=int, choices=(21, 65), default=21,
                        help="21 a sheet (3 x 7, 63.5 x 38.1 mm; the default) or 65 (5 x 13, 38.1 x 21.2 mm)")
    sheets.add_argument("--category", help="only this category's products")
    sheets.add_argument("--changed-since", type=a_date, metavar="DATE",
                        help=date_help("only products whose price or measure changed on or after this day"))
    sheets.add_argument("--due", action="store_true",
                        help="only the labels a price or measure change left wrong since they were last printed")
    one = action("label", "one shelf-edge label on the receipt printer", cmd_label)
    one.add_argument("code", help="barcode or short code")
    one.add_argument("--printer", metavar="SPEC", help="as for print-test")


def measure_action(action) -> None:
    measure = action("measure", "a product's unit price on its label (per kg, litre or 100 g), or sold by weight",
                     cmd_measure)
    measure.add_argument("code", help="barcode or short code")
    how = measure.add_mutually_exclusive_group(required=True)
    how.add_argument("--weighed", action="store_true", help="sold by weight: its price is per kg")
    how.add_argument("--per", choices=("kg", "litre", "100g"), help="the unit its label prices by")
    how.add_argument("--none", action="store_true", help="no unit price on its label")
    measure.add_argument("--content", type=int, help="with --per: what one holds, in grams (millilitres for litre)")
    by(measure, help="the shift lead or manager changing it (asked for their PIN)")


def say_labels_due(ctx: Context) -> None:
    """After prices change: how many shelf labels are now wrong (or were never printed), and how to print them."""
    from inventory.labels import shelf_labels

    due = len(shelf_labels(ctx.db, due=True))
    if due:
        say(f"{due} shelf label{'s' if due != 1 else ''} to print since the last labels were printed: "
            "`till stock labels --due --out labels.pdf`.")


def cmd_labels(ctx: Context) -> int:
    from core.clock import stamp
    from core.database import transaction
    from core.errors import TillError
    from inventory.labels import mark_printed, shelf_labels
    from pos.labels_pdf import write_pdf

    args = ctx.args
    since = None
    if args.changed_since is not None:
        since = stamp(datetime.combine(args.changed_since, time(), tzinfo=ctx.settings.zone))
    labels = shelf_labels(ctx.db, category=args.category, changed_since=since, due=args.due)
    if not labels:
        raise TillError("no products match, so no labels were written")
    pages = write_pdf(labels, args.out.expanduser(), sheet=args.sheet)
    with transaction(ctx.db):
        mark_printed(ctx.db, [label.product_id for label in labels], at=ctx.now())
    say(f"Wrote {len(labels)} label{'s' if len(labels) != 1 else ''} on {pages} sheet{'s' if pages != 1 else ''} "
        f"of {args.sheet} to {args.out}.")
    return 0


def cmd_label(ctx: Context) -> int:
    from core.database import transaction
    from core.errors import TillError
    from inventory.labels import mark_printed, shelf_labels
    from printers.send import PrinterUnavailable, send
    from printers.shelf_label import LabelSlip, label_escpos, label_text
    from printers.spec import PreviewSpec, PrinterSpecError, parse_spec

    product = ctx.till().catalogue.lookup(ctx.args.code)
    (label,) = [one for one in shelf_labels(ctx.db) if one.product_id == product.id] or [None]
    if label is None:
        raise TillError(f"{product.name} is no longer sold, so it has no shelf label")
    slip = LabelSlip(name=label.name, price=label.price, unit_price=label.unit_price, code=label.code,
                     symbology=label.symbology.value)
    try:
        spec = parse_spec(ctx.args.printer or ctx.settings.printer.spec)
    except PrinterSpecError as error:
        raise TillError(str(error)) from None
    if isinstance(spec, PreviewSpec):
        print(label_text(slip, ctx.settings.printer.columns), end="")
    else:
        try:
            send(spec, label_escpos(slip), timeout=ctx.settings.printer.timeout_seconds)
        except PrinterUnavailable as error:
            raise TillError(str(error)) from None
    with transaction(ctx.db):
        mark_printed(ctx.db, [product.id], at=ctx.now())
    return 0


def cmd_measure(ctx: Context) -> int:
    from core.database import transaction
    from core.errors import TillError
    from inventory.units import Measure, Units
    from volunteers.permissions import Action

    args = ctx.args
    product = ctx.till().catalogue.lookup(args.code)
    if args.content is not None and not args.per:
        raise TillError("--content goes with --per")
    try:
        measure = None if args.none else Measure(by_weight=True) if args.weighed else Measure(
            per=args.per, content=args.content)
    except ValueError as error:
        raise TillError(str(error.errors()[0]["msg"]).removeprefix("Value error, ")) from None
    volunteer = allowed(ctx, args.by, Action.import_products, record=False)
    with transaction(ctx.db):
        Units(ctx.db).set(product.id, measure, at=ctx.now())
    what = ("no unit price" if measure is None else "sold by weight, priced per kg" if measure.by_weight
            else f"priced per {measure.per.value} on its label, {measure.content} in one")
    audited(ctx, volunteer, Action.import_products, f"command line: products measure {product.name}: {what}")
    say(f"{product.name}: {what}.")
    return 0



