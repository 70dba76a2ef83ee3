"""Who may do what at the till. Enforced here in the core; the screens only ask for the PIN."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from core.errors import TillError
from volunteers.people import ORDER, Role, Volunteers


class Action(StrEnum):
    refund = "refund"
    discount = "discount"
    no_sale = "no_sale"
    price_override = "price_override"
    paid_out = "paid_out"
    z_report = "z_report"
    manage_volunteers = "manage_volunteers"
    join_member = "join_member"
    share_payout = "share_payout"
    dividend = "dividend"
    find_member = "find_member"
    manage_rota = "manage_rota"
    view_reports = "view_reports"
    reopen_till = "reopen_till"
    import_products = "import_products"
    import_services = "import_services"
    export_sales = "export_sales"
    see_hours = "see_hours"
    restore = "restore"
    decide_withdrawal = "decide_withdrawal"
    view_takings = "view_takings"
    view_register = "view_register"
    view_catalogue = "view_catalogue"
    change_price = "change_price"
    vat_return = "vat_return"
    year_end = "year_end"
    accounts_export = "accounts_export"
    stock_control = "stock_control"

    @property
    def label(self) -> str:
        return {
            "refund": "a refund", "discount": "a discount above the volunteer limit",
            "no_sale": "opening the drawer without a sale",
            "price_override": "changing a price in a sale", "paid_out": "a paid out",
            "z_report": "the Z report", "manage_volunteers": "managing volunteers",
            "join_member": "registering a new member", "share_payout": "paying out shares",
            "dividend": "declaring a dividend", "find_member": "looking a member up by name",
            "manage_rota": "changing the rota",
            "view_reports": "the footfall and engagement reports",
            "reopen_till": "opening the till again after its Z report",
            "import_products": "importing products and prices",
            "import_services": "importing the service directory",
            "export_sales": "exporting sales with member numbers",
            "see_hours": "seeing everyone's hours",
            "restore": "restoring the books from a backup",
            "decide_withdrawal": "deciding a share withdrawal",
            "view_takings": "the takings and the books",
            "view_register": "the register of members",
            "view_catalogue": "the catalogue",
            "change_price": "changing a price in the catalogue",
            "vat_return": "the VAT return and the taxable turnover",
            "year_end": "the co-op's year-end figures",
            "accounts_export": "exporting the accounts",
            "stock_control": "stocktakes, suppliers and the reorder list",
        }[self.value]


_V, _S, _M, _C = Role.volunteer, Role.shift_lead, Role.manager, Role.centre_staff
_T, _B = Role.treasurer, Role.board_member

#: Who may do what: the one table every check reads, at the till, on the command line and on the web
#: (tests/test_roles.py calls every action and every web page as every role and compares with it).
#: Someone with several roles may do what any of them may. At the till, someone whose roles do not
#: allow an action may still do it with the PIN of someone who sells and whose roles do (authorise).
ALLOWED: dict[Action, frozenset[Role]] = {action: frozenset(roles) for action, roles in {
    Action.refund: {_S, _M},
    Action.discount: {_S, _M},
    Action.no_sale: {_S, _M},
    Action.price_override: {_S, _M},
    Action.paid_out: {_S, _M},
    Action.z_report: {_S, _M},
    Action.manage_volunteers: {_M},
    Action.join_member: {_S, _M},
    Action.share_payout: {_S, _M},            # paying out at the till what the board decided
    Action.decide_withdrawal: {_M, _B},       # the board decides; a manager records a decision minuted on paper
    Action.dividend: {_M, _T, _B},            # declared by the board on the treasurer's figures
    Action.find_member: {_S, _M},
    Action.manage_rota: {_S, _M},
    Action.view_reports: {_S, _M, _C},        # the reach figures; centre staff see them under disclosure control
    Action.reopen_till: {_S, _M},
    # The command line's changes and looks at personal data (each is audited there).
    Action.import_products: {_S, _M},         # every price at once
    Action.import_services: {_S, _M},         # where families are sent
    Action.export_sales: {_S, _M},            # member numbers: each member's purchases
    Action.see_hours: {_S, _M, _T, _B},       # a volunteer sees their own (own_only)
    Action.restore: {_M},                     # replaces the whole books
    # The back office.
    Action.view_takings: {_M, _T, _B},        # takings, Z reports, cash differences, VAT, share capital
    Action.view_register: {_M, _T, _B},       # the register of members and the AGM's voters (each look audited)
    Action.view_catalogue: {_V, _S, _M, _T, _B},
    Action.change_price: {_S, _M, _T},        # a new price record, as an import makes
    Action.vat_return: {_M, _T, _B},          # the whole shop's sales, for HMRC
    Action.year_end: {_M, _T, _B},            # the society's figures for the AGM and the regulator
    Action.accounts_export: {_M, _T},         # every penny the society took, for its books
    # The shop floor: goods in and wastage are any volunteer's (signed); these change or spend on stock.
    Action.stock_control: {_S, _M},           # a stocktake rewrites stock on hand; reorders spend money
}.items()}


class NeedsApproval(TillError):
    """The person at the till may not do this alone; a shift lead or manager must approve."""

    def __init__(self, action: Action):
        self.action = action
        super().__init__(f"{action.label.capitalize()} needs {_who_may(action, approving=True)} to approve")


class NotAllowed(TillError):
    """Someone tried alone what their role may not do, where no one can approve it on the spot (the command
    line): the sentence names what they tried, which may be one of several things one Action covers."""

    def __init__(self, action: Action, doing: str, who: str, roles: str):
        self.action = action
        super().__init__(f"{doing[:1].upper()}{doing[1:]} needs {_who_may(action)}; {who} is {roles}")


def _a(label: str) -> str:
    return label if label == "centre staff" else ("an " if label[:1] in "aeiou" else "a ") + label


def _who_may(action: Action, *, approving: bool = False) -> str:
    """"a shift lead or a manager": the roles the table allows, in plain words (approving: those at the till)."""
    least_first = sorted(ORDER, key=lambda role: (not role.sells, role.rank if role.sells else ORDER.index(role)))
    roles = [role for role in least_first if role in ALLOWED[action] and (role.sells or not approving)]
    if not roles:
        return "a manager"
    words = [_a(role.label.lower()) for role in roles]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def refusal(volunteers: Volunteers, action: Action, volunteer_id: int, doing: str) -> NotAllowed | None:
    """Why `volunteer_id` may not do `action` (described as `doing`) alone, or None if they may."""
    volunteer = volunteers.get(volunteer_id)
    if may(volunteer.roles, action):
        return None
    return NotAllowed(action, doing, volunteer.name, _a(volunteer.roles_label.lower()))


def _roles(roles: Role | Iterable[Role]) -> frozenset[Role]:
    return frozenset((roles,)) if isinstance(roles, Role) else frozenset(roles)


def may(roles: Role | Iterable[Role], action: Action) -> bool:
    """Whether someone holding `roles` (one or several) may do `action` alone."""
    return bool(_roles(roles) & ALLOWED[action])


def authorise(volunteers: Volunteers, action: Action, operator_id: int, approver_id: int | None) -> int | None:
    """Check the operator, or their approver, may do this. Returns who approved (None if no one needed to)."""
    operator = volunteers.get(operator_id)
    if may(operator.roles, action):
        return None
    if approver_id is None:
        raise NeedsApproval(action)
    approver = volunteers.get(approver_id)
    # Approving is for someone who works the till: centre staff may read reports, never unlock them.
    if not approver.active or not may_approve(approver.roles, action):
        raise NeedsApproval(action)
    return approver_id


def own_only(roles: Role | Iterable[Role], action: Action) -> bool:
    """Whether someone may see only their own rows of what `action` shows everyone's (their hours)."""
    return action is Action.see_hours and not may(roles, action)


def under_control(roles: Role | Iterable[Role], action: Action) -> bool:
    """Whether figures `action` shows must be under disclosure control for `roles`: the centre's staff read
    the reports as published (small counts hidden), as on the Reports screen."""
    return action is Action.view_reports and not any(role.sells for role in _roles(roles))


def may_approve(roles: Role | Iterable[Role], action: Action) -> bool:
    return any(role.sells and role in ALLOWED[action] for role in _roles(roles))
