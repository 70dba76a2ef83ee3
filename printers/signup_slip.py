"""The web sign-up slip a member is given at the till: their number and a one-time code. Private:
the preview printer keeps no file of it (the code opens the member's account until it is used)."""

from __future__ import annotations

from printers.receipt import Receipt, ReceiptLine


def signup_slip(*, society: str, number: str, name: str, code: str, valid_until: str) -> Receipt:
    return Receipt(
        header=[society], title="WEB BACK OFFICE", private=True,
        meta=[ReceiptLine(text="Member", amount=number), ReceiptLine(text="Name", amount=name)],
        notes=["Your sign-up code:", code, "",
               "At the web back office choose", "\"Use a code from the till\",",
               "type your member number and this", "code, and choose a password.",
               f"It works once, until {valid_until}.", "Keep it to yourself."],
    )
