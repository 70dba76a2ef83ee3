"""The selling screen's keys, in one table: its bindings (and so its footer) and the F1 list are both made
from it, so the keys the till answers to and the keys F1 names can never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from textual.binding import Binding


class HelpGroup(Enum):
    """The blocks of the F1 list, in its order: (width of a key's name, width of a column)."""

    basket = (13, 44)
    function = (4, 30)
    control = (7, 30)


@dataclass(frozen=True)
class Key:
    #: Textual's name for the key, or None for something typed in the entry box (not a binding).
    key: str | None
    action: str
    #: What the footer says, where the key is shown in it.
    footer: str
    #: The key as F1 (and the footer) writes it; tests/test_keys.py checks the app writes it alike.
    display: str
    #: What F1 says it does; neighbours saying the same are written once ('PgUp / PgDn  other menus').
    help: str
    group: HelpGroup
    show: bool = False
    #: Before the entry box, which would otherwise take the key for itself (Ctrl+E: end of line).
    priority: bool = False
    #: Bound by the app, on every screen (Ctrl+Q), not by the selling screen: F1 lists it all the same.
    app_wide: bool = False
    #: Decided by the entry box in the order the keys came (pos.tui.widgets.entry_box), never by a
    #: priority binding, which would run ahead of a scan's keys still on their way to the box:
    #: "empty" for the basket's only while the box is empty, "always" for the basket's (or the
    #: search results') whatever is typed.
    entry_box: str = ""


_B, _F, _C = HelpGroup.basket, HelpGroup.function, HelpGroup.control

# The footer has room for eight keys at 80 columns (one line, cut off past the edge): the ones used
# in most sales, and sign-out. F1 lists every key, these included.
KEYS: list[Key] = [
    Key(None, "", "", "1-9, Enter", "quick key on the menu row", _B),
    Key("pageup", "menu(-1)", "Menu", "PgUp", "other menus", _B),
    Key("pagedown", "menu(1)", "Menu", "PgDn", "other menus", _B),
    Key(None, "", "", "3*T1, Enter", "three of something", _B),
    # Up, Down, +, - and Delete: the basket's, not the entry box's, while the box is empty.
    Key("up", "move(-1)", "Up", "Up", "choose a line", _B, entry_box="always"),
    Key("down", "move(1)", "Down", "Down", "choose a line", _B, entry_box="always"),
    Key("plus", "quantity(1)", "More", "+", "one more / one fewer of the chosen line", _B, entry_box="empty"),
    Key("minus", "quantity(-1)", "Fewer", "-", "one more / one fewer of the chosen line", _B, entry_box="empty"),
    Key("delete", "remove_line", "Remove", "Delete", "remove the chosen line", _B, entry_box="empty"),
    Key("f1", "help", "Keys", "F1", "These keys", _F, show=True),
    Key("f2", "pay", "Pay", "F2", "Pay", _F, show=True),
    Key("f3", "discount", "Discount", "F3", "Discount the line", _F, show=True),
    Key("f4", "eat_in", "Eat in", "F4", "Eat in / take away", _F, show=True),
    Key("f5", "park", "Park", "F5", "Park the basket", _F, show=True),
    Key("f6", "resume", "Resume", "F6", "Resume a parked one", _F, show=True),
    Key("f7", "refund", "Refund", "F7", "Refund a sale", _F),
    Key("f8", "void", "Void", "F8", "Void the basket", _F, show=True),
    Key("f9", "reprint", "Reprint", "F9", "Reprint a receipt", _F),
    Key("f10", "reports", "Reports", "F10", "Reports and cash-up", _F),
    Key("f11", "no_sale", "Drawer", "F11", "Open the drawer", _F),
    Key("f12", "sign_out", "Sign out", "F12", "Sign out", _F, show=True),
    Key("ctrl+o", "paid_out", "Paid out", "Ctrl+O", "Paid out", _C),
    Key("ctrl+p", "override_price", "Price", "Ctrl+P", "Change a line's price", _C),
    Key("ctrl+b", "discount_basket", "Basket discount", "Ctrl+B", "Discount the basket", _C),
    # Priority: the entry box would otherwise take Ctrl+D as "delete".
    Key("ctrl+d", "donate", "Community fund", "Ctrl+D", "Round up for the fund", _C, priority=True),
    Key("ctrl+n", "join", "New member", "Ctrl+N", "New member joins", _C),
    Key("ctrl+f", "find_member", "Find member", "Ctrl+F", "Find a member by name", _C),
    Key("ctrl+t", "take_member_off", "Member off", "Ctrl+T", "Take the member off", _C),
    # Priority: the entry box would otherwise take Ctrl+E as "go to the end of the line".
    Key("ctrl+e", "my_shares", "Member's shares", "Ctrl+E", "The member's shares", _C, priority=True),
    Key("ctrl+u", "member_money", "Member money", "Ctrl+U", "Member money", _C, priority=True),
    # Priority: the entry box would otherwise take Ctrl+W as "delete a word".
    Key("ctrl+w", "receipts_waiting", "Receipts waiting", "Ctrl+W", "Receipts not printed", _C, priority=True),
    Key("ctrl+y", "my_volunteering", "My volunteering", "Ctrl+Y", "My volunteering", _C),
    Key("ctrl+r", "training", "Training mode", "Ctrl+R", "Training mode on / off", _C, priority=True),
    Key("ctrl+g", "pay_forward", "Pay it forward", "Ctrl+G", "Pay a line forward", _C, priority=True),
    Key("ctrl+k", "claim", "Claim one paid forward", "Ctrl+K", "Claim one paid forward", _C, priority=True),
    Key("ctrl+l", "tally", "Count in", "Ctrl+L", "Count people in", _C, priority=True),
    Key("ctrl+s", "signpost", "Signpost", "Ctrl+S", "Signpost to a service", _C, priority=True),
    # Priority: the entry box would otherwise take Ctrl+X as "cut".
    Key("ctrl+x", "shop_floor", "Shop floor", "Ctrl+X", "Shop floor", _C, priority=True),
    Key("ctrl+q", "quit", "Quit", "Ctrl+Q", "Quit the program", _C, app_wide=True),
]

_INTRO = """\
Scan a barcode, or type a short code (T1) or part of a name, Enter.
Click a quick key or a search result to add it.
"""

#: What a key's one line cannot say.
_NOTES = """\
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


def bindings(keys: list[Key] = KEYS) -> list[Binding]:
    """The selling screen's BINDINGS (the app binds the app-wide ones itself)."""
    return [Binding(k.key, k.action, k.footer, show=k.show, priority=k.priority)
            for k in keys if k.key is not None and not k.app_wide]


def _block(group: HelpGroup, keys: list[Key]) -> list[str]:
    """Two to a line where the first leaves room ('F1  These keys   F2  Pay'), else one."""
    name_width, column = group.value
    items: list[tuple[str, str]] = []  # (names, help): neighbours with the same help joined
    for key in keys:
        if items and items[-1][1] == key.help:
            items[-1] = (f"{items[-1][0]} / {key.display}", key.help)
        else:
            items.append((key.display, key.help))
    cells = [f"{names.ljust(name_width - 1)} {words}" for names, words in items]
    lines: list[str] = []
    while cells:
        first = cells.pop(0)
        if cells and len(first) < column:
            lines.append(first.ljust(column) + cells.pop(0))
        else:
            lines.append(first)
    return lines


def help_text(keys: list[Key] = KEYS) -> str:
    """The F1 list: every key in the table, each block as a volunteer reads it, then the notes."""
    blocks = ["\n".join(_block(group, [k for k in keys if k.group is group])) + "\n" for group in HelpGroup]
    return "\n".join([_INTRO, *blocks, _NOTES])
