"""`till print-test`, `till receipt` and `till receipts`: the receipt printer, a sale's receipt again,
and the receipts a printer refused."""

from __future__ import annotations

import argparse

from core.errors import TillError
from pos.cli.context import Context, print_slip, say
from pos.cli.options import actions, positive, runs


def print_test_arguments(parser: argparse.ArgumentParser) -> None:
    runs(parser, cmd_print_test)
    parser.add_argument("--printer", metavar="SPEC", help="e.g. network:192.168.1.50, usb:04b8:0202, "
                        "serial:/dev/ttyUSB0, file:/dev/usb/lp0 or preview (default: the settings)")


def receipt_arguments(parser: argparse.ArgumentParser) -> None:
    runs(parser, cmd_receipt)
    parser.add_argument("sale_number", type=positive)
    parser.add_argument("--printer", metavar="SPEC", help="as for print-test")


def receipts_arguments(parser: argparse.ArgumentParser) -> None:
    action = actions(parser)
    action("waiting", "list them: sale, time, total and why it did not print", cmd_receipts)
    action("print-waiting", "print them, oldest first, stopping if the printer refuses one",
           cmd_receipts).add_argument("--printer", metavar="SPEC", help="as for print-test")


ARGUMENTS = {"print-test": print_test_arguments, "receipt": receipt_arguments, "receipts": receipts_arguments}


def cmd_print_test(ctx: Context) -> int:
    from printers.send import test_page

    print_slip(ctx, test_page(ctx.settings.printer.columns, shop_name=ctx.settings.society.name), "test-page")
    return 0


def cmd_receipt(ctx: Context) -> int:
    from pos.shop import Shop

    shop = Shop(settings=ctx.settings, db=ctx.db)
    sale = shop.till.get_sale(ctx.args.sale_number)
    print_slip(ctx, shop.receipt(sale, copy=True), f"{sale.till_id}-{sale.sale_number}-copy")
    shop.till.receipt_printed(sale.id)
    return 0


def cmd_receipts(ctx: Context) -> int:
    shop = ctx.shop()
    queue = shop.receipt_queue
    if not queue.owed():
        say("No receipts are waiting to print.")
        return 0
    if ctx.args.action == "waiting":
        for owed in queue.owed():
            print(owed.describe(ctx.settings.zone))
        return 0
    outcome = queue.print_owed(shop.printer(ctx.args.printer))
    for text in outcome.previews:
        print(text, end="")
    if outcome.previews:
        say(f"(preview printer: saved in {ctx.settings.receipts_dir})")
    if outcome.printed:
        say(f"Printed {_receipts(len(outcome.printed))} that had been waiting.")
    if outcome.failed is not None:
        left = "1 receipt is" if outcome.left == 1 else f"{outcome.left} receipts are"
        raise TillError(f"sale {outcome.failed.sale_number}'s receipt did not print: {outcome.error}; "
                        f"{left} still waiting")
    return 0


def _receipts(count: int) -> str:
    return "1 receipt" if count == 1 else f"{count} receipts"
