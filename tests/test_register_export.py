"""The register of members as exported: the full register (s.30) and the duplicate one (s.103)."""

from datetime import date

from coop.dividend import Dividends
from coop.register import MemberDetails, Register
from coop.register_export import DUPLICATE_COLUMNS, REGISTER_COLUMNS, duplicate_rows, register_rows
from coop.shares import ShareRules, Shares

AT = "2026-11-20T10:00:00.000000Z"
RULES = ShareRules(share_value_pence=100, min_shares=10, max_shares=1000, notice_days=90,
                   withdrawals_suspended=False)


def test_the_register_holds_every_member_with_money_and_the_duplicate_only_current_names(db):
    register, shares = Register(db), Shares(db, RULES)
    ada = register.admit(MemberDetails(name="Ada Example", address="1 Green Walk\nLeeds", email="ada@example.org",
                                       email_purpose="AGM notices"), on=date(2025, 1, 10), at=AT, by="Sam")
    bo = register.admit(MemberDetails(name="Bo Gone", address="2 Green Walk"), on=date(2025, 2, 1), at=AT, by="Sam")
    shares.buy(ada, 25, on=date(2025, 1, 10), at=AT, by="Sam")
    register.cease(bo.id, on=date(2026, 3, 1), at=AT, by="Sam", reason="moved away")
    rows = register_rows(register, shares, Dividends(db, RULES))
    assert [list(row) for row in rows] == [REGISTER_COLUMNS] * 2
    assert rows[0] == {"number": ada.number, "name": "Ada Example", "address": "1 Green Walk, Leeds",
                       "email": "ada@example.org", "shares_held": 25, "amount_paid_pence": 2500,
                       "other_property_pence": 0, "date_admitted": "2025-01-10", "date_ceased": ""}
    assert (rows[1]["number"], rows[1]["date_ceased"], rows[1]["email"]) == (bo.number, "2026-03-01", "")
    assert duplicate_rows(register) == [{"name": "Ada Example", "address": "1 Green Walk, Leeds"}]
    assert DUPLICATE_COLUMNS == ["name", "address"]
