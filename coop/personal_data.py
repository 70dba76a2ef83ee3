"""A member's personal data: everything held about them (a subject access request), erasing
what the law does not require the society to keep, and purging former members' optional
details after the retention period (docs/domain.md, "Personal data").

What stays, always: the register entry (number, name, address, admitted, ceased), the share
ledger, till credit and dividends, and the member number on past sales (the dividend is worked
out from them). Figures for the children's centre never held personal data in the first place.
Prints about one member (their card, welcome slip, statement, money slips) are never kept: the
preview printer shows them without saving a file (printers.receipt.Receipt.private).
"""

from __future__ import annotations

import json
from datetime import date

from sqlite_utils import Database

from coop.register import Register
from core.database import transaction
from core.records import forget

SCHEMA_VERSION = 1


def _rows(db: Database, sql: str, params: list) -> list[dict]:
    return [dict(row) for row in db.query(sql, params)]


def subject_access(db: Database, number: str, *, society: str, made_at: str) -> dict:
    """Everything the till holds about one member, as one JSON-ready document."""
    register = Register(db)
    member = register.by_number(number)
    record = _rows(db, "select * from members where id = ?", [member.id])[0]
    # The card's code is a key, not information about them, and the till keeps only a keyed hash of it.
    del record["card_hash"]
    record["card"] = "(a card is issued; the till keeps no copy of its code, which works as a key)"
    sales = []
    for sale in _rows(db, "select id, till_id, sale_number, kind, created_at, total_pence from sales"
                          " where member_number = ? order by id", [member.number]):
        lines = _rows(db, "select product_name, quantity, line_total_pence, discount_pence, discount_reason"
                          " from sale_lines where sale_id = ? order by line_no", [sale.pop("id")])
        sales.append({**sale, "lines": lines})
    volunteer = _rows(db, "select id, name, role, active, member_number, emergency_contact, left_on, created_at"
                          " from volunteers where member_number = ?", [member.number])
    for person in volunteer:
        person["training"] = _rows(db, "select kind, certified_on, expires_on from training where volunteer_id = ?",
                                   [person["id"]])
        person["shifts"] = _rows(db, "select till_id, started_at, ended_at, needs_check from shifts"
                                     " where volunteer_id = ? order by id", [person.pop("id")])
    return {
        "schema": "community-till/subject-access",
        "schema_version": SCHEMA_VERSION,
        "society": society,
        "made_at": made_at,
        "member": record,
        "register_changes": register.changes(member.id),
        "share_ledger": _rows(db, "select * from share_ledger where member_id = ? order by id", [member.id]),
        "till_credit": _rows(db, "select at, amount_pence, kind, reference from member_credit"
                                 " where member_id = ? order by id", [member.id]),
        "dividends": _rows(db, "select d.period_from, d.period_to, p.qualifying_pence, p.part_pence, p.payout,"
                               " x.on_date as settled_on, x.how as settled_as"
                               " from dividend_parts p join dividends d on d.id = p.dividend_id"
                               " left join dividend_payments x on x.part_id = p.id"
                               " where p.member_id = ? order by d.id", [member.id]),
        "purchases": sales,
        "signposting_with_consent_to_contact": _rows(
            db, "select p.at, s.name as service, p.consent_at from signposts p join services s on s.id = p.service_ref"
                " where p.contact_member = ? and p.undone_at is null order by p.id", [member.number]),
        "as_a_volunteer": volunteer,
        "why": {
            "register": "the law (Co-operative and Community Benefit Societies Act 2014, s.30) requires it",
            "shares, credit, dividends, purchases": "your shares and the dividend on your purchases",
            "email, phone": "the purpose recorded beside each",
            "household with under-5s, consent to contact": "only if you said so; you can withdraw it",
        },
    }


def to_json(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"


def erase(db: Database, number: str, *, at: str, by: str, today: date) -> list[str]:
    """Erase what the society need not keep about a member; returns what went. A date of birth
    stays while it is still needed for the under-16 rule."""
    register = Register(db)
    member = register.by_number(number)
    age = member.age_on(today)
    with transaction(db):
        erased = register.erase_optional(member.id, at=at, by=by, keep_date_of_birth=age is not None and age < 16)
        contacts = db.execute("update signposts set contact_member = null, consent_at = null"
                              " where contact_member = ?", [member.number]).rowcount
        # Their salt goes too: the journal's older digests of what was erased can never be matched again.
        forget(db, f"member {member.id}")
    return erased + (["contact for signposting"] if contacts else [])


def purge_former(db: Database, *, today: date, years: int, at: str) -> list[str]:
    """Former members who left more than `years` ago: their optional details go. Returns their
    numbers. Runs after each Z; doing it twice does nothing more."""
    cutoff = date(today.year - years, today.month, min(today.day, 28)).isoformat()
    # A date of birth kept for the under-16 rule does not count: it stays until they are 16.
    sixteen = date(today.year - 16, today.month, min(today.day, 28)).isoformat()
    due = [row[0] for row in db.execute(
        "select number from members m where ceased_on is not null and ceased_on < ? and ("
        " email is not null or phone is not null or under5_household = 1 or consent_contact = 1"
        " or email_purpose is not null or phone_purpose is not null"
        " or (date_of_birth is not null and date_of_birth <= ?)"
        " or exists (select 1 from signposts s where s.contact_member = m.number))", [cutoff, sixteen])]
    for number in due:
        erase(db, number, at=at, by=f"retention period ({years} years)", today=today)
    return due


def privacy_notice(*, society: str, retention_years: int, application_days: int, views_days: int = 365) -> list[dict]:
    """What the society keeps about members and applicants, why, and for how long, in plain words:
    the web's privacy page, built from the society's settings and the rules above (erase, purge_former)."""
    return [
        {"what": "Your name, address, membership number and the dates you joined and left",
         "why": f"The law requires {society} to keep a register of its members.",
         "how_long": "For as long as the society exists: the register entry is never removed."},
        {"what": "Your shares, till credit and dividends, and the member number on your purchases",
         "why": "They are your money in the society, and the dividend is worked out from your purchases.",
         "how_long": "For as long as the society's accounts must be kept; they are not erased on request."},
        {"what": "Your email address and phone number, each with what you agreed it may be used for, your "
                 "consent to be contacted, and whether your household has children under 5",
         "why": "Only for the purposes you gave, such as notices of the annual meeting.",
         "how_long": f"Until you ask for them to be removed, or {retention_years} years after you leave."},
        {"what": "Your date of birth, only if you are under 16",
         "why": "Under-16s cannot be paid money out, so the till needs to know.",
         "how_long": "Until you are 16."},
        {"what": "An application to join made on this website",
         "why": "So the till can complete it when you pay for your first shares.",
         "how_long": f"Erased {application_days} days after it was made if it has not been paid."},
        {"what": "Your web password (scrambled so nobody can read it), and each time you look at your "
                 "record or download it here, with the time and the connection it came from",
         "why": "To keep your record yours, and to show who has seen it.",
         "how_long": f"Your password until you change it; each look for {views_days} days."},
    ]
