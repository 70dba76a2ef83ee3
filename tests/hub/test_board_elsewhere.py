"""The board decides, at the office of a real PostgreSQL hub, a withdrawal asked for at till 2: the office's queue
lists it from the consolidated copy with the till named, a board member decides it on the office's web, the
decision reaches till 2 at its next round, where a shift lead pays it out under the usual rules; the decision is
listed with who and when at both; and nothing is decided twice, at the office or at the till."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from coop.board import decisions
from coop.errors import ShareError
from coop.register import MemberDetails
from coop.shares import Decision
from core.clock import SimulatedClock
from hub.board import publish
from hub.connect import connect
from hub.pull import pull
from hub.push import push
from pos.cli import main
from pos.config import Settings, WebSettings
from pos.shop import Shop
from pos.web.app import create_app
from pos.web_books import WebBooks
from tests.hub.shared_tills import AT, society
from tests.web.conftest import SECRET, csrf
from tests.web.roles import signed_in_as
from volunteers.people import Role

# Friday 20 November 2026, 10:00 (London is on UTC in November).
CLOCK = SimulatedClock(datetime(2026, 11, 20, 10, 0, tzinfo=UTC))


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page)))


def _office_round(office, hub_url: str) -> None:
    """The office's round: its own records up, then `till office pull` (the copy, the balances, its decisions)."""
    office.sync()
    assert main(["--db", str(office.path), "office", "pull", "--admin", hub_url]) == 0


def _till_round(node):
    """Till 2's worker round, push then pull: what the pull did with the board's decisions."""
    db = node.db()
    try:
        with connect(node.conninfo) as conn:
            push(db, conn, at=AT)
            return pull(db, conn, at=AT).board
    finally:
        db.close()


def _till(node) -> Shop:
    # The society's rules allow withdrawals here (by default they are suspended until a society says otherwise).
    return Shop.open(Settings(db=node.path, till_id=node.name, coop={"withdrawals_suspended": False}), clock=CLOCK)


@pytest.fixture
def hub(tmp_path, hub_url):
    """An office and till 2, where a member joined with 6 shares and asked to withdraw 2, then 1; till 2's round
    and the office's have run since."""
    CLOCK.moment = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    office, till2 = society(tmp_path, hub_url, tills=1)
    shop = _till(till2)
    priya = shop.volunteers.by_name("Priya Kell").id  # a shift lead
    shop.till.open_session(5000, operator_id=priya)
    member = shop.membership.join(MemberDetails.checked(name="Wren Vale", address="2 Mill Lane"), 6, operator_id=priya)
    first = shop.membership.request_withdrawal(member, 2, operator_id=priya)
    second = shop.membership.request_withdrawal(member, 1, operator_id=priya)
    shop.close()
    _till_round(till2)
    _office_round(office, hub_url)
    return office, till2, member, first.id, second.id


def test_the_board_decides_at_the_office_and_till_2_pays_it_out(hub, hub_url):
    office, till2, member, first, second = hub
    shop = Shop.open(Settings(db=office.path, till_id="office"), clock=CLOCK)
    app = create_app(shop, WebSettings(), SECRET)
    bea = signed_in_as(app, shop, app.app.state.web.access, "Bea Board", Role.board_member, address="10.0.0.9")
    queue = bea.get("/board/withdrawals").text
    text = _text(queue)
    assert f"Request {first} at till-2: Wren Vale ({member.number}) asked on 20/11/2026 to withdraw 2 shares." in text
    assert f"Request {second} at till-2" in text and "Asked for at till-2, where it is paid out." in text
    assert not shop.membership.shares.withdrawals()  # never in the office's own ledger

    done = bea.post("/board/withdrawals/decide", data={"csrf": csrf(queue), "request": str(first), "till": "till-2",
                                                        "decision": "approved"})
    assert done.status_code == 303 and done.headers["location"] == f"/board/withdrawals?done={first}&till=till-2"
    after = _text(bea.get(done.headers["location"]).text)
    assert (f"The board's decision on request {first} at till-2 is recorded: it reaches till-2 at that till's next "
            "round with the hub.") in after
    assert (f"Request {first} at till-2, Wren Vale ({member.number}), 2 shares: approved, by Bea Board on 20/11/2026 "
            "at 10:00 (on its way to till-2).") in after
    # A second board member, or the same one twice, before it has arrived: refused, nothing recorded.
    again = bea.post("/board/withdrawals/decide", data={"csrf": csrf(queue), "request": str(first), "till": "till-2",
                                                         "decision": "refused"})
    assert again.status_code == 400
    assert (f"The board has decided request {first} at till-2 already (approved, by Bea Board, on its way there); a "
            "decision that approves or refuses another till's request is not changed from here") in _text(again.text)
    # Suspending the other one, then approving part of it, is two decisions in order.
    for decision, shares in (("suspended", ""), ("approved", "")):
        answer = bea.post("/board/withdrawals/decide", data={"csrf": csrf(queue), "request": str(second),
                                                              "till": "till-2", "decision": decision, "shares": shares})
        assert answer.status_code == 303, _text(answer.text)
    shop.close()

    # Till 2 cannot decide its own request meanwhile: the board's decisions are made at the office.
    at_till = _till(till2)
    lead = at_till.volunteers.by_name("Sam Ortiz").id
    with pytest.raises(ShareError, match="at the office"):
        at_till.membership.decide_withdrawal(first, Decision.refused, operator_id=lead)
    at_till.close()

    _office_round(office, hub_url)
    taken = _till_round(till2)
    assert (taken.written, taken.refused) == (3, [])
    assert _till_round(till2).written == 0  # a pull again takes nothing again

    CLOCK.moment += timedelta(days=91)  # the notice has ended
    at_till = _till(till2)
    priya = at_till.volunteers.by_name("Priya Kell").id
    shares = at_till.membership.shares
    assert [(w.decision, w.approved_shares) for w in shares.withdrawals(member.id)] == [
        (Decision.approved, 2), (Decision.approved, 1)]
    paid = at_till.membership.pay_withdrawal(first, operator_id=priya)
    assert paid == 2 * at_till.membership.rules.share_value_pence
    assert shares.held(member.id) == 4  # the member's shares fell by the two approved
    listed = [(d.request_id, d.decision, d.by, d.at) for d in decisions(at_till.db, at_till.till.zone)]
    when = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert listed == [(second, Decision.approved, "Bea Board", when), (second, Decision.suspended, "Bea Board", when),
                      (first, Decision.approved, "Bea Board", when)]
    at_till.close()

    _till_round(till2)
    _office_round(office, hub_url)
    shop = Shop.open(Settings(db=office.path, till_id="office"), clock=CLOCK)
    app = create_app(shop, WebSettings(), SECRET)
    carl = signed_in_as(app, shop, app.app.state.web.access, "Carl Chair", Role.board_member, address="10.0.0.10")
    queue = carl.get("/board/withdrawals").text
    text = _text(queue)
    assert (f"Request {first} at till-2, Wren Vale ({member.number}), 2 shares: approved, by Bea Board on 20/11/2026 "
            "at 10:00 (recorded at till-2).") in text
    assert f"Request {first} at till-2:" not in text  # paid: no longer open
    paid_again = carl.post("/board/withdrawals/decide", data={"csrf": csrf(queue), "request": str(first),
                                                               "till": "till-2", "decision": "refused"})
    assert paid_again.status_code == 400
    assert f"Till-2 paid request {first} out on 19/02/2027: nothing was recorded." in _text(paid_again.text)
    shop.close()
    assert office.verified() == [] and till2.verified() == []  # every decision sealed into its books' journal


def test_a_decision_the_till_has_moved_past_is_not_recorded_twice(hub, hub_url):
    """The office refuses a second decision; this is the till's own check, for a hub that holds one anyway (an
    office restored from a backup taken before its first decision went out): till 2 says why and records nothing."""
    office, till2, member, first, _second = hub
    shop = Shop.open(Settings(db=office.path, till_id="office"), clock=CLOCK)
    sam = shop.volunteers.by_name("Sam Ortiz").id
    books = WebBooks(shop)
    shop.membership.decide_elsewhere("till-2", first, Decision.approved, operator_id=sam, over=books.membership,
                                     tills=books.other_tills())
    shop.close()
    _office_round(office, hub_url)
    with psycopg.connect(hub_url) as conn:
        publish(conn, [(10_000, "till-2", first, "refused", 0, "Someone Else", "2026-11-20T10:05:00.000000Z",
                        "2026-11-20")])
    taken = _till_round(till2)
    assert taken.written == 1
    assert taken.refused == [f"The board's decision (refused, by Someone Else) on request {first} was not recorded "
                             "here: it was decided here already (approved, by Sam Ortiz)"]
    at_till = _till(till2)
    assert [w.decision for w in at_till.membership.shares.withdrawals(member.id)][0] == Decision.approved
    at_till.close()


def test_the_office_shows_a_decision_its_till_did_not_record_and_why(hub, hub_url):
    """The other order: a stray decision at the hub reaches till 2 before the board's own (made, not yet sent), so
    the board's is the one left out, and the office's list says so once till 2's ledger is back in the copy (the
    request, refused there, leaves the queue)."""
    office, till2, member, first, _second = hub
    shop = Shop.open(Settings(db=office.path, till_id="office"), clock=CLOCK)
    books = WebBooks(shop)
    sent = shop.membership.decide_elsewhere("till-2", first, Decision.approved, operator_id=shop.volunteers.by_name(
        "Sam Ortiz").id, over=books.membership, tills=books.other_tills())
    shop.close()
    with psycopg.connect(hub_url) as conn:
        publish(conn, [(sent.id + 100, "till-2", first, "refused", 0, "Someone Else", "2026-11-20T09:55:00.000000Z",
                        "2026-11-20")])
    assert (_till_round(till2).written, _till_round(till2).written) == (1, 0)
    _office_round(office, hub_url)  # sends the board's decision, a smaller number than the stray one's
    taken = _till_round(till2)
    assert taken.written == 0 and taken.refused == [
        f"The board's decision (approved, by Sam Ortiz) on request {first} was not recorded here: it was decided here "
        "already (refused, by Someone Else)"]
    _office_round(office, hub_url)

    shop = Shop.open(Settings(db=office.path, till_id="office"), clock=CLOCK)
    app = create_app(shop, WebSettings(), SECRET)
    dee = signed_in_as(app, shop, app.app.state.web.access, "Dee Director", Role.board_member, address="10.0.0.11")
    text = _text(dee.get("/board/withdrawals").text)
    assert (f"Request {first} at till-2, Wren Vale ({member.number}), 2 shares: approved, by Sam Ortiz on 20/11/2026 "
            "at 10:00 (not recorded at till-2: till-2 holds a decision of its own (refused)).") in text
    assert f"Request {first} at till-2: Wren" not in text
    shop.close()
