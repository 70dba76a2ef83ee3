"""Who may do what at the till. Enforced here in the core; the screens only ask for the PIN."""

from __future__ import annotations

from enum import StrEnum

from core.errors import TillError
from volunteers.people import Role, Volunteers


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
    stock_control = "stock_control"

    @property
    def label(self) -> str:
        return {
            "refund": "a refund", "discount": "a discount above the volunteer limit",
            "no_sale": "opening the drawer without a sale",
            "price_override": "changing a price", "paid_out": "a paid out",
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
            "stock_control": "stocktakes, suppliers and the reorder list",
        }[self.value]


#: The least senior role that may do each thing without someone else's approval.
REQUIRED = {
    Action.refund: Role.shift_lead,
    Action.discount: Role.shift_lead,
    Action.no_sale: Role.shift_lead,
    Action.price_override: Role.shift_lead,
    Action.paid_out: Role.shift_lead,
    Action.z_report: Role.shift_lead,
    Action.manage_volunteers: Role.manager,
    Action.join_member: Role.shift_lead,
    Action.share_payout: Role.shift_lead,
    Action.dividend: Role.shift_lead,
    Action.find_member: Role.shift_lead,
    Action.manage_rota: Role.shift_lead,
    Action.view_reports: Role.shift_lead,
    Action.reopen_till: Role.shift_lead,
    # The command line's changes and looks at personal data (each is audited there).
    Action.import_products: Role.shift_lead,  # every price at once
    Action.import_services: Role.shift_lead,  # where families are sent
    Action.export_sales: Role.shift_lead,     # member numbers: each member's purchases
    Action.see_hours: Role.shift_lead,        # a volunteer sees their own (own_only)
    Action.restore: Role.manager,             # replaces the whole books
    Action.stock_control: Role.shift_lead,    # a stocktake rewrites stock on hand; reorders spend money
}

#: Roles allowed an action whatever their rank: the centre's staff read the reports.
ALSO = {Action.view_reports: {Role.centre_staff}}


class NeedsApproval(TillError):
    """The person at the till may not do this alone; a shift lead or manager must approve."""

    def __init__(self, action: Action):
        self.action = action
        who = REQUIRED[action].label.lower()
        super().__init__(f"{action.label.capitalize()} needs a {who} or above to approve")


class NotAllowed(TillError):
    """Someone tried alone what their role may not do, where no one can approve it on the spot (the command
    line): the sentence names what they tried, which may be one of several things one Action covers."""

    def __init__(self, action: Action, doing: str, who: str, role: Role):
        self.action = action
        who_may = REQUIRED[action].label.lower()
        also = "" if REQUIRED[action] is Role.manager else " or a manager"
        super().__init__(f"{doing[:1].upper()}{doing[1:]} needs a {who_may}{also}; {who} is a {role.label.lower()}")


def refusal(volunteers: Volunteers, action: Action, volunteer_id: int, doing: str) -> NotAllowed | None:
    """Why `volunteer_id` may not do `action` (described as `doing`) alone, or None if they may."""
    volunteer = volunteers.get(volunteer_id)
    if may(volunteer.role, action):
        return None
    return NotAllowed(action, doing, volunteer.name, volunteer.role)


def may(role: Role, action: Action) -> bool:
    return role in ALSO.get(action, ()) or role.rank >= REQUIRED[action].rank


def authorise(volunteers: Volunteers, action: Action, operator_id: int, approver_id: int | None) -> int | None:
    """Check the operator, or their approver, may do this. Returns who approved (None if no one needed to)."""
    operator = volunteers.get(operator_id)
    if may(operator.role, action):
        return None
    if approver_id is None:
        raise NeedsApproval(action)
    approver = volunteers.get(approver_id)
    # Approving is a shift lead's or manager's: centre staff may read reports, never unlock them.
    if not approver.active or not may_approve(approver.role, action):
        raise NeedsApproval(action)
    return approver_id


def own_only(role: Role, action: Action) -> bool:
    """Whether someone may see only their own rows of what `action` shows everyone's (their hours)."""
    return action is Action.see_hours and not may(role, action)


def under_control(role: Role, action: Action) -> bool:
    """Whether figures `action` shows must be under disclosure control for `role`: the centre's staff read
    the reports as published (small counts hidden), as on the Reports screen."""
    return action is Action.view_reports and not role.sells


def may_approve(role: Role, action: Action) -> bool:
    return role.sells and role.rank >= REQUIRED[action].rank
