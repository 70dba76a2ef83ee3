"""Every action of the actions × roles table done through the real core, by someone holding each single role:
it succeeds exactly when volunteers.permissions.ALLOWED says the role may, and is refused (NeedsApproval,
nobody approving) otherwise; someone whose roles do not sell is refused the till's own actions before that. One real database per role, each action's setup done by a manager first.

Some actions have no entry point in the core: they are looks (the reports, the takings, the register, the
catalogue, the VAT return, the year end) or the command line's whole-file jobs (imports, the sales export,
the accounts export, a restore), checked where they are served by the same table (tests/web/test_roles.py;
the command line's `allowed`). NO_CORE_ENTRY lists them, and a scan of the core's sources proves the list is exactly the actions no core code authorises."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from coop.register import MemberDetails
from coop.shares import Decision
from core.errors import TillError
from pos.basket import Basket
from pos.config import CoopSettings, Settings
from pos.shop import Shop
from pos.shop_floor import Floor
from pos.tenders import Tender, TenderKind
from tests.conftest import LONDON, FakeClock, make_products
from volunteers.offers import Offers
from volunteers.people import Role
from volunteers.permissions import ALLOWED, Action, NeedsApproval, NotAllowed, may
from volunteers.summary import summary
from volunteers.team import Team

ROOT = Path(__file__).resolve().parent.parent
AT = "2026-01-01T00:00:00+00:00"
#: Actions no core function checks: looks, and the command line's jobs over whole files.
NO_CORE_ENTRY = {Action.view_reports, Action.view_takings, Action.view_register, Action.view_catalogue,
                 Action.change_price, Action.import_products, Action.import_services, Action.export_sales,
                 Action.restore, Action.vat_return, Action.year_end, Action.accounts_export}


class World:
    """A shop whose yesterday was traded (a member's purchase, a Z), with a manager to set each action up."""

    def __init__(self, path: Path, role: Role):
        self.clock = FakeClock(datetime(2026, 11, 19, 9, tzinfo=LONDON))
        self.shop = Shop.open(Settings(db=path, coop=CoopSettings(notice_days=0, withdrawals_suspended=False)), clock=self.clock)
        make_products(self.shop.db)
        add = self.shop.volunteers.add
        self.boss, self.who = add("Morgan Boss", Role.manager, at=AT).id, add("Tested Person", role, at=AT).id
        self.till, self.membership = self.shop.till, self.shop.membership
        self.till.open_session(5000, operator_id=self.boss)
        self.member = self.membership.join(MemberDetails.checked(name="Ada Able", address="1 High St"), 5,
                                           operator_id=self.boss)
        self.sale = self.sell(self.member.number)
        self.till.close_session(0, operator_id=self.boss)
        self.clock.set("2026-11-20T10:00:00")
        self.till.open_session(5000, operator_id=self.boss)
        self.made = 0

    def sell(self, member: str | None = None):
        basket = self.basket()
        basket.member_number = member
        return self.till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=1000)],
                                       operator_id=self.boss)

    def basket(self) -> Basket:
        basket = Basket()
        self.till.scan(basket, "K2")
        return basket

    def open(self) -> None:
        if self.till.current_session() is None:
            self.till.reopen_session(5000, operator_id=self.boss)

    def new_member(self):
        self.made += 1
        self.open()
        return self.membership.join(MemberDetails.checked(name=f"Member {self.made}", address="2 High St"), 5,
                                    operator_id=self.boss)

    def withdrawal(self, *, decided: bool):
        member = self.new_member()
        request = self.membership.request_withdrawal(member, 5, operator_id=self.boss)
        request_id = request if isinstance(request, int) else request.id
        if decided:
            self.membership.decide_withdrawal(request_id, Decision.approved, operator_id=self.boss)
        return request_id


def _refund(w: World):
    w.open()
    w.till.refund(w.sell().sale_number, operator_id=w.who, reason="spilt")


def _discount(w: World):
    w.till.discount(w.basket(), reason="damaged", operator_id=w.who, percent=50)


def _z_report(w: World):
    w.open()
    w.till.close_session(0, operator_id=w.who)
    w.open()


def _reopen_till(w: World):
    w.open()
    w.till.close_session(0, operator_id=w.boss)
    w.till.reopen_session(5000, operator_id=w.who)


def _manage_rota(w: World):
    Offers(w.till).rota.add_slot("tue", "09:00", "13:00", needed=1, label="Café morning", operator_id=w.who)


def _see_hours(w: World):
    summary(w.till, w.till.time_credits, w.boss, viewer_id=w.who, first=date(2026, 1, 1), last=date(2026, 11, 20))


#: Each action of the core, done by the person under test (w.who) after the manager has set it up.
CALLS = {
    Action.refund: _refund,
    Action.discount: _discount,
    Action.no_sale: lambda w: (w.open(), w.till.no_sale(operator_id=w.who, reason="change for the float")),
    Action.price_override: lambda w: w.till.override_price(w.basket(), 0, 100, reason="last one",
                                                           operator_id=w.who),
    Action.paid_out: lambda w: (w.open(), w.till.paid_out(100, reason="milk", operator_id=w.who)),
    Action.z_report: _z_report,
    Action.reopen_till: _reopen_till,
    Action.manage_volunteers: lambda w: Team(w.till).add(f"New Helper {w.new_member().id}", Role.volunteer,
                                                         "482915", operator_id=w.who),
    Action.join_member: lambda w: (w.open(), w.membership.join(
        MemberDetails.checked(name="Bo Joiner", address="3 High St"), 5, operator_id=w.who)),
    Action.share_payout: lambda w: (w.open(), w.membership.pay_withdrawal(w.withdrawal(decided=True),
                                                                          operator_id=w.who)),
    Action.decide_withdrawal: lambda w: w.membership.decide_withdrawal(w.withdrawal(decided=False),
                                                                       Decision.approved, operator_id=w.who),
    Action.dividend: lambda w: w.membership.declare_dividend(date(2026, 11, 1), date(2026, 11, 19), 100,
                                                             operator_id=w.who),
    Action.find_member: lambda w: w.membership.search("Ada", operator_id=w.who),
    Action.manage_rota: _manage_rota,
    Action.see_hours: _see_hours,
    Action.stock_control: lambda w: Floor(w.shop).stocktake(category=None, by=w.who),
}


def test_every_action_is_called_through_the_core_or_listed_as_having_no_core_entry():
    assert set(CALLS) | NO_CORE_ENTRY == set(Action) and not set(CALLS) & NO_CORE_ENTRY


def test_no_core_entry_is_exactly_what_no_core_code_authorises():
    """The core's own checks (authorise in every package but the screens, the command line and the web)."""
    checked = set()
    for path in ROOT.glob("*/**/*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {"tests", "benchmarks"} or parts[:2] in {("pos", "cli"), ("pos", "tui"), ("pos", "web")}:
            continue
        text = path.read_text(encoding="utf-8")
        checked |= set(re.findall(r"authorise\([^)]*?Action\.(\w+)", text))
    assert {Action(name) for name in checked} == set(Action) - NO_CORE_ENTRY


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_each_role_may_do_exactly_what_the_table_says(tmp_path, role):
    world = World(tmp_path / "till.db", role)
    wrong = []
    try:
        for action, call in CALLS.items():
            try:
                call(world)
                done = True
            except (NeedsApproval, NotAllowed) as refused:
                assert refused.action is action, (action, refused)
                done = False
            except TillError as refused:  # someone who does not sell is turned from the till before any action
                assert not role.sells and "the till is worked by" in str(refused), (action, refused)
                done = False
            if done != may(role, action):
                wrong.append(f"{action.value}: {'done' if done else 'refused'}, the table says "
                             f"{'allowed' if role in ALLOWED[action] else 'not allowed'}")
    finally:
        world.shop.close()
    assert wrong == []
