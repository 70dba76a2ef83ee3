"""Days of simulated trade in the demo shop (pos/demo_shop.py), for `till demo`, the benchmarks and the tests.

The trade goes through the same Till API the screens use (scan, complete_sale,
refund, void, paid out, Z), so the demo exercises the real code. Each day is
seeded from (seed, date), so the same seed gives the same shop whatever days
were simulated before.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from coop.register import MemberDetails
from coop.shares import Decision, ShareError
from core.clock import UTC, SimulatedClock, stamp
from core.database import transaction
from inventory.stock import Stock
from pos.basket import Basket
from pos.config import CoopSettings
from pos.demo_shop import create_shop
from pos.membership import Membership
from pos.reports import session_report
from pos.tenders import Tender, TenderKind, quick_cash_amounts
from pos.till import Till
from volunteers.people import Role, Volunteers
from volunteers.permissions import Action, may

# The people who join the co-op at the till, made up from these.
FIRST_NAMES = ["Ada", "Bo", "Cal", "Dani", "Eli", "Fen", "Gus", "Hana", "Ira", "Jem", "Kai", "Lou", "Mo",
               "Nell", "Oz", "Pip", "Quin", "Ria", "Sol", "Tam", "Uma", "Vic", "Wren", "Yas", "Zed"]
LAST_NAMES = ["Ashdown", "Birchley", "Coldwell", "Dunmore", "Elmsworth", "Fairleigh", "Greystone", "Hollins",
              "Ivybridge", "Juniper", "Kestrel", "Larkfield", "Millbrook", "Northcote", "Oakhurst", "Pebworth"]
STREETS = ["Green Walk", "Larch Close", "Hazel Road", "Rowan Court", "Willow Way", "Alder Place"]


@dataclass
class DemoSummary:
    days: int = 0
    skipped: int = 0
    sales: int = 0
    refunds: int = 0
    voids: int = 0
    members: int = 0
    last_day: date | None = None
    #: The database had no volunteers, so the demo ones were added (without PINs: see give_demo_pins).
    new_volunteers: bool = False


def simulate(
    db: Database,
    *,
    days: int,
    seed: int,
    until: date,
    till_id: str,
    zone: ZoneInfo,
    coop: CoopSettings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Trade `days` days ending on `until`, one transaction per day. Days already traded are skipped."""
    first = until - timedelta(days=days - 1)
    new_volunteers = not Volunteers(db).all(active_only=False)
    create_shop(db, at=stamp(datetime.combine(first, time(8), tzinfo=zone)))
    clock = SimulatedClock(datetime.now(UTC))
    # The demo society takes time credits for café food and drink, as `till demo` is set up to.
    till = Till(db, till_id=till_id, clock=clock, zone=zone,
                time_credit_categories=frozenset({"Hot drinks", "Hot food"}))
    membership = Membership(db, till, coop or CoopSettings())
    summary = DemoSummary(new_volunteers=new_volunteers)
    # A demo may trade fast: one commit a day, and no fsync for the run (durability is the
    # real till's promise, not the simulator's). Restored afterwards.
    db.execute("pragma synchronous = off")
    try:
        for index in range(days):
            day = first + timedelta(days=index)
            if db.execute("select 1 from till_sessions where till_id = ? and business_date = ?",
                          [till_id, day.isoformat()]).fetchone():
                summary.skipped += 1
            else:
                with transaction(db):
                    _trade_day(till, membership, clock, day, random.Random(f"{seed}:{day.isoformat()}"), summary)
                summary.days += 1
                summary.last_day = day
            if progress:
                progress(index + 1, days)
    finally:
        db.execute("pragma synchronous = full")
    return summary


def _codes(till: Till) -> tuple[list[str], list[str], list[str]]:
    cafe, shelf, services = [], [], []
    for product in till.catalogue.all(active_only=True):
        code = (product.barcodes or product.codes)[0]
        if product.pass_through:
            services.append(code)
        elif product.barcodes:
            shelf.append(code)
        else:
            cafe.append(code)
    return cafe, shelf, services


def _trade_day(till: Till, membership: Membership, clock: SimulatedClock, day: date, rng: random.Random,
               summary: DemoSummary) -> None:
    zone = till.zone

    def at(hour: int, minute: int, second: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute, second), tzinfo=zone)

    staff = [v for v in till.volunteers.all() if v.role.sells]
    lead = rng.choice([v for v in staff if v.role != Role.volunteer] or staff)
    others = [v for v in staff if v is not lead]
    on_shift = [lead, *rng.sample(others, min(2, len(others)))]
    cafe, shelf, services = _codes(till)

    clock.moment = at(8, 40)
    if day.weekday() == 0 or not till.db.execute("select 1 from stock_movements limit 1").fetchone():
        _restock(till, rng, lead.id)
    clock.moment = at(8, 45)
    for volunteer in on_shift:
        till.start_shift(volunteer.id)
    till.open_session(5000, operator_id=lead.id)
    clock.moment = at(8, 50)
    _board_business(till, membership, day, lead.id)

    base = {5: 120, 6: 60}.get(day.weekday(), 150)
    count = max(1, int(base * rng.uniform(0.85, 1.15)))
    opening, closing = 9 * 3600, 15 * 3600 + 30 * 60
    moments = sorted(rng.randrange(opening, closing) for _ in range(count))
    done: list[int] = []
    members = membership.register.all(include_former=False)
    for seconds in moments:
        clock.moment = at(seconds // 3600, seconds // 60 % 60, seconds % 60)
        operator = rng.choice(on_shift)
        if rng.random() < (0.6 if len(members) < 20 else 0.002):
            members.append(_join(membership, rng, lead.id))
            summary.members += 1
        basket = _basket(till, rng, cafe, shelf, services)
        if members and rng.random() < 0.3:
            # As if their card were scanned (the till keeps no copy of a card's code to scan).
            membership.attach(basket, rng.choice(members), card=True)
        # Now and then the volunteer marks a family with young children, or someone new.
        basket.family_under5 = rng.random() < 0.22
        basket.first_visit = rng.random() < 0.03
        roll = rng.random()
        if roll < 0.01:
            till.void(basket, operator_id=operator.id, reason="customer changed their mind")
            summary.voids += 1
            continue
        sale = till.complete_sale(basket, _tenders(basket, rng), operator_id=operator.id)
        done.append(sale.sale_number)
        summary.sales += 1
        if roll > 0.993 and len(done) > 3:
            original = till.get_sale(rng.choice(done[:-1]))
            remaining = {n: q for n, q in till.refundable(original).items() if q}
            if remaining:
                line_no = rng.choice(sorted(remaining))
                till.refund(original.sale_number, operator_id=lead.id, reason="wrong item",
                            quantities={line_no: 1}, waste=rng.random() < 0.3)
                summary.refunds += 1

    _people_and_signposting(till, clock, rng, on_shift, at, opening, closing)

    waiting = till.paid_forward()
    for product_id, _, count in waiting:
        for _ in range(rng.randrange(0, count + 1)):
            clock.moment = at(12, rng.randrange(0, 10))
            claim = Basket()
            claim.claim(till.catalogue.get(product_id))
            till.complete_sale(claim, [], operator_id=lead.id)
    clock.moment = at(12, 5)
    _spend_a_credit(till, rng, on_shift, cafe)
    clock.moment = at(12, 10)
    if members and rng.random() < 0.04:
        membership.buy_shares(rng.choice(members), rng.choice([5, 10, 20]), operator_id=lead.id)
    if len(members) > 10 and rng.random() < 0.01:
        leaving = rng.choice(members)
        held = membership.shares.held(leaving.id)
        if held and not membership.shares.holding(leaving.id).pending:
            membership.request_withdrawal(leaving, held, operator_id=lead.id)
    for request in membership.shares.withdrawals():  # approved, notice over: paid when they call in
        if request.outstanding and request.decision == Decision.approved and rng.random() < 0.2:
            try:
                membership.shares.check_payout(request.id, on=day)
            except ShareError:
                continue
            membership.pay_withdrawal(request.id, operator_id=lead.id)
    if rng.random() < 0.12:
        till.paid_out(rng.choice([250, 290, 450]), reason="milk from the corner shop", operator_id=lead.id)
    if rng.random() < 0.05:
        till.no_sale(operator_id=lead.id, reason="change for the tombola")
    if rng.random() < 0.03:
        till.paid_in(1000, reason="float top-up from the safe", operator_id=lead.id)

    # Most sign out when they go; now and then someone forgets, and the Z flags their shift.
    for volunteer in on_shift[1:]:
        if rng.random() > 0.05:
            clock.moment = at(rng.choice([13, 14, 15]), rng.randrange(0, 60))
            till.sign_out(volunteer.id)
    clock.moment = at(15, 45)
    session = till.current_session()
    expected = session_report(till.db, [session.id], zone=zone, vat_registered=False).cash_expected_pence
    counted = expected + rng.choice([0, 0, 0, 0, 0, -10, 5, 20, -50, 100])
    till.close_session(max(counted, 0), operator_id=lead.id)


def _people_and_signposting(till: Till, clock: SimulatedClock, rng: random.Random, on_shift: list,
                            at: Callable[..., datetime], opening: int, closing: int) -> None:
    """People in without buying (tapped in, now and then a tap undone) and families pointed to
    services from the directory: what the children's centre's figures are made of."""
    from centre.footfall import Footfall, Person
    from centre.signposting import Signposting

    footfall = Footfall(till.db, till_id=till.till_id, zone=till.zone, clock=clock)
    signposting = Signposting(till.db, till_id=till.till_id, clock=clock)
    kinds = [Person.adult, Person.child, Person.under5]
    for seconds in sorted(rng.randrange(opening, closing) for _ in range(rng.randrange(8, 30))):
        clock.moment = at(seconds // 3600, seconds // 60 % 60, seconds % 60)
        volunteer = rng.choice(on_shift).id
        tally = footfall.tap(rng.choices(kinds, weights=[5, 2, 3])[0], volunteer_id=volunteer)
        if rng.random() < 0.03:
            footfall.undo_last()
        elif tally.kind == Person.under5 and rng.random() < 0.6:
            footfall.mark_last(family_under5=True, first_visit=rng.random() < 0.1)
    services = signposting.choices()
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 5]) if services else 0):
        seconds = rng.randrange(opening, closing)
        clock.moment = at(seconds // 3600, seconds // 60 % 60, seconds % 60)
        signposting.record(rng.choice(services[:6]).ref, volunteer_id=rng.choice(on_shift).id,
                           family_under5=rng.random() < 0.6)


def _spend_a_credit(till: Till, rng: random.Random, on_shift: list, cafe: list[str]) -> None:
    """Now and then a volunteer has their lunchtime tea on the time credits they have earned."""
    if rng.random() > 0.3:
        return
    volunteer = rng.choice(on_shift)
    if till.time_credits.balance(volunteer.id, till.today()) < 1:
        return
    basket = Basket()
    till.scan(basket, "T1" if "T1" in cafe else cafe[0])
    if not till.time_credits.categories & {line.category for line in basket.lines}:
        return
    value = till.time_credit_value(basket, 1)
    tenders = [Tender(kind=TenderKind.time_credits, amount_pence=value, credits=1, volunteer_id=volunteer.id)]
    if basket.total_pence > value:
        tenders.append(Tender(kind=TenderKind.cash, amount_pence=basket.total_pence - value))
    till.complete_sale(basket, tenders, operator_id=volunteer.id)


def _board_business(till: Till, membership: Membership, day: date, lead_id: int) -> None:
    """What the board decides, as the till records it: on the first trading day of a month, every
    request whose notice is over (refused for now while withdrawals are suspended, else approved);
    in the first week of a year, a co-operative's dividend on last year's member purchases."""
    shares = membership.shares
    if day.day <= 2 and not till.db.execute("select 1 from share_ledger where kind = 'decision' and on_date >= ?",
                                            [day.replace(day=1).isoformat()]).fetchone():
        for request in shares.withdrawals():
            if request.decision is None and request.notice_ends <= day:
                decision = Decision.suspended if membership.rules.withdrawals_suspended else Decision.approved
                shares.decide(request.id, decision, on=day, at=till.now(), by="The board")
    last_year = day.year - 1
    if (day.month == 1 and day.day <= 7 and membership.settings.society_type == "co-operative"
            and not till.db.execute("select 1 from dividends where period_to = ?", [f"{last_year}-12-31"]).fetchone()):
        first, last = date(last_year, 1, 1), date(last_year, 12, 31)
        purchases = sum(membership.qualifying_purchases(first, last).values())
        if purchases >= 10_000:  # 2p in the pound, in whole pounds
            # Declared by the board on the treasurer's figures, not by whoever leads the shift that morning.
            board = next((v.id for v in till.volunteers.all() if may(v.roles, Action.dividend)), lead_id)
            membership.declare_dividend(first, last, purchases * 2 // 100 // 100 * 100, operator_id=board)


def _join(membership: Membership, rng: random.Random, lead_id: int):
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    address = f"{rng.randrange(1, 120)} {rng.choice(STREETS)}"
    under5 = rng.random() < 0.4
    details = MemberDetails(name=name, address=address, under5_household=under5)
    return membership.join(details, max(membership.rules.min_shares, rng.choice([1, 5, 10, 20, 50])),
                           operator_id=lead_id)


def _basket(till: Till, rng: random.Random, cafe: list[str], shelf: list[str], services: list[str]) -> Basket:
    basket = Basket()
    kind = rng.random()
    if kind < 0.6:
        basket.eat_in = rng.random() < 0.65
        picks = rng.choices(cafe, k=rng.choice([1, 1, 2, 2, 3, 4]))
    elif kind < 0.95:
        picks = rng.choices(shelf, k=rng.choice([1, 2, 2, 3, 4, 5]))
    else:
        picks = [rng.choice(services)] + rng.choices(shelf, k=rng.choice([0, 1]))
    for code in picks:
        till.scan(basket, code, 2 if rng.random() < 0.08 else 1)
    if rng.random() < 0.02:
        basket.discount_percent(0, 10, "volunteer discount")
    if rng.random() < 0.05:
        basket.round_up()
    if kind < 0.6 and rng.random() < 0.03:
        basket.pay_forward(0)  # a coffee for someone who cannot afford one
    return basket


def _tenders(basket: Basket, rng: random.Random) -> list[Tender]:
    total = basket.total_pence
    roll = rng.random()
    eligible = basket.healthy_start_pence
    if eligible and roll < 0.35:
        tenders = [Tender(kind=TenderKind.healthy_start, amount_pence=eligible)]
        rest = total - eligible
        if rest:
            tenders.append(Tender(kind=TenderKind.cash, amount_pence=rng.choice(quick_cash_amounts(rest))))
        return tenders
    if roll < 0.5:
        return [Tender(kind=TenderKind.cash, amount_pence=rng.choice(quick_cash_amounts(total)))]
    if roll < 0.9:
        return [Tender(kind=TenderKind.card, amount_pence=total)]
    if roll < 0.93 and total > 500:
        return [Tender(kind=TenderKind.voucher, amount_pence=500, reference="food bank voucher"),
                Tender(kind=TenderKind.cash, amount_pence=rng.choice(quick_cash_amounts(total - 500)))]
    half = total // 2
    if half == 0:
        return [Tender(kind=TenderKind.cash, amount_pence=total)]
    return [Tender(kind=TenderKind.card, amount_pence=half),
            Tender(kind=TenderKind.cash, amount_pence=rng.choice(quick_cash_amounts(total - half)))]


def _restock(till: Till, rng: random.Random, by: int) -> None:
    stock = Stock(till.db)
    now = till.now()
    for level in stock.levels():
        target = 60 + rng.randrange(0, 20)
        if level.on_hand < target:
            stock.goods_in(level.product_id, target - level.on_hand, at=now, reason="weekly delivery", by=by)
    levels = stock.levels()
    if levels and rng.random() < 0.5:
        wasted = rng.choice(levels)
        if wasted.on_hand > 0:
            stock.wastage(wasted.product_id, 1, reason="out of date", at=now, by=by)
