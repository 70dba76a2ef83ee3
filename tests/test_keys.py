"""The selling screen's keys and the F1 list come from one table, so they can never disagree."""

from __future__ import annotations

import re

import pytest

from pos.tui.app import TillApp
from pos.tui.keys import KEYS, bindings, help_text
from pos.tui.screens.selling import KEYS_HELP, SellingScreen

#: The F1 list as volunteers have learnt it: a change to the table must not move a word of it.
F1_AS_BEFORE = """\
Scan a barcode, or type a short code (T1) or part of a name, Enter.
Click a quick key or a search result to add it.

1-9, Enter   quick key on the menu row      PgUp / PgDn  other menus
3*T1, Enter  three of something             Up / Down    choose a line
+ / -        one more / one fewer of the chosen line
Delete       remove the chosen line

F1  These keys                F2  Pay
F3  Discount the line         F4  Eat in / take away
F5  Park the basket           F6  Resume a parked one
F7  Refund a sale             F8  Void the basket
F9  Reprint a receipt         F10 Reports and cash-up
F11 Open the drawer           F12 Sign out

Ctrl+O Paid out               Ctrl+P Change a line's price
Ctrl+B Discount the basket    Ctrl+D Round up for the fund
Ctrl+N New member joins       Ctrl+F Find a member by name
Ctrl+T Take the member off    Ctrl+E The member's shares
Ctrl+U Member money           Ctrl+W Receipts not printed
Ctrl+Y My volunteering        Ctrl+R Training mode on / off
Ctrl+G Pay a line forward     Ctrl+K Claim one paid forward
Ctrl+L Count people in        Ctrl+S Signpost to a service
Ctrl+X Shop floor             Ctrl+Q Quit the program

F7 and F9: scan the receipt first to refund or reprint that sale
  (or type a sale number first for F9, or in the refund box for F7).
Ctrl+D: type an amount first to give that instead of rounding up.
Ctrl+L: also marks a family with under-5s, or a first visit.
Ctrl+R: practise on a copy; nothing done in training counts.
Ctrl+U: buy shares, ask to withdraw, pay out a withdrawal, a cash
  dividend or till credit (the member's card scanned first).
Ctrl+W: Enter prints the chosen receipt, F2 prints them all.
A member's card, or their number (M0001), gives member prices.
"""

#: A key's name as F1 writes it, wherever it stands in the text ('-' alone, not in 'cash-up').
_KEY_NAME = re.compile(r"(?<!\S)(?:F\d{1,2}|Ctrl\+[A-Z]|PgUp|PgDn|Up|Down|Delete|\+|-)(?=[\s,:]|$)")


@pytest.fixture(scope="module")
def app() -> TillApp:
    return TillApp(shop=None)  # only to name keys as the till does; never run


def _bound(app: TillApp) -> dict[str, object]:
    return {app.get_key_display(b): b for b in [*SellingScreen.BINDINGS, *TillApp.BINDINGS]}


def test_the_f1_list_is_word_for_word_as_before():
    assert help_text() == KEYS_HELP == F1_AS_BEFORE
    assert all(len(line) <= 70 for line in KEYS_HELP.splitlines())  # the help box is 70 wide


def test_the_screen_binds_what_the_table_says():
    assert SellingScreen.BINDINGS == bindings()
    assert [(b.key, b.action) for b in TillApp.BINDINGS] == [(k.key, k.action) for k in KEYS if k.app_wide]
    keys = [k.key for k in KEYS if k.key]
    assert len(keys) == len(set(keys))


def test_the_table_names_each_key_as_the_till_does(app):
    for key in KEYS:
        if key.key is not None:
            binding = next(b for b in [*SellingScreen.BINDINGS, *TillApp.BINDINGS] if b.key == key.key)
            assert app.get_key_display(binding) == key.display


def test_every_binding_is_in_the_f1_list_and_every_key_in_it_is_bound(app):
    named = set(_KEY_NAME.findall(KEYS_HELP))
    bound = set(_bound(app))
    assert bound <= named, bound - named
    assert named <= bound, named - bound


def test_the_footer_shows_the_keys_of_most_sales():
    assert [b.key for b in SellingScreen.BINDINGS if b.show] == ["f1", "f2", "f3", "f4", "f5", "f6", "f8", "f12"]
