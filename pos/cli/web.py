"""`till web`: the web back office, for members at home and staff away from the till."""

from __future__ import annotations

import argparse

from pos.cli.context import Context, say
from pos.cli.options import runs


def web_arguments(parser: argparse.ArgumentParser) -> None:
    runs(parser, cmd_web)
    parser.add_argument("--host", help="the address to listen on (default: the settings' web.host, 127.0.0.1)")
    parser.add_argument("--port", type=int, help="the port (default: the settings' web.port, 8000)")


ARGUMENTS = {"web": web_arguments}


def cmd_web(ctx: Context) -> int:
    from pos.web.server import check_listening, serve
    from pos.web_books import refuse_away_from_the_office

    settings = ctx.settings.web
    host, port = ctx.args.host or settings.host, ctx.args.port or settings.port
    check_listening(settings, host)  # before the database is opened: a refusal changes nothing
    shop = ctx.shop()
    refuse_away_from_the_office(shop)  # a till of a hub has only its own sales: the web belongs at the office
    scheme = "https" if settings.tls else "http"
    say(f"The web back office is at {scheme}://{host}:{port}/ (Ctrl+C stops it).")
    serve(shop, settings, host=host, port=port)
    return 0
