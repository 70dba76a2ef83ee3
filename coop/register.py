"""The register of members (s.30): who the members are, when they joined and left, and every
change made to an entry, with who made it and when. Rows are never deleted."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, ValidationError, field_validator
from sqlite_utils import Database

from coop.cards import new_token, token_hash
from coop.errors import RegisterError
from core.ids import member_number, next_id
from core.text import TextError, clean_name, look_alike

#: A date of birth is kept only for someone this young (the under-16 rule, s.31).
ADULT_AGE = 16

#: The longest each typed detail may be, and how a message names it.
_LONGEST = {"name": 80, "address": 300, "email": 254, "phone": 30, "email_purpose": 120, "phone_purpose": 120}
_SAYS = {"name": "the name", "address": "the address", "email": "the email address", "phone": "the phone number",
         "email_purpose": "what the email is for", "phone_purpose": "what the phone is for"}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_PHONE = re.compile(r"\+?[0-9 ()\-]+")

#: What a member card's QR code holds before the token, so the till knows a card from a barcode.
CARD_PREFIX = "MEMBER:"


class MemberDetails(BaseModel):
    """What the register holds about a member. Only name and address are required by law;
    each optional contact carries the purpose the member agreed it may be used for."""

    name: str = Field(min_length=1, max_length=80)
    address: str = Field(min_length=1, max_length=300)
    email: str | None = None
    email_purpose: str | None = None
    phone: str | None = None
    phone_purpose: str | None = None
    under5_household: bool = False
    consent_contact: bool = False
    #: Kept only where needed for the under-16 rule (no payments out to under-16s).
    date_of_birth: date | None = None
    #: How the member wants their dividend: "credit", "cash" or "shares"; None: the society's default.
    dividend_payout: Literal["credit", "cash", "shares"] | None = None

    @field_validator("name", "address", "email", "phone", "email_purpose", "phone_purpose", mode="before")
    @classmethod
    def _clean(cls, value: object, info) -> object:
        if not isinstance(value, str):
            return value
        field = info.field_name
        # NFC, no control, direction or invisible characters, bounded (core.text); the address alone has lines.
        value = clean_name(value, _LONGEST[field], what=_SAYS[field], lines=field == "address", required=False)
        if value and field == "email" and not _EMAIL.fullmatch(value):
            raise TextError(f"'{value}' is not an email address (name@example.org)")
        if value and field == "phone" and not (_PHONE.fullmatch(value) and 6 <= sum(c.isdigit() for c in value) <= 15):
            raise TextError(f"'{value}' is not a phone number (digits, spaces, + ( ) -)")
        return value or None

    @classmethod
    def checked(cls, **fields) -> MemberDetails:
        """Build from what someone typed; a problem becomes one plain RegisterError."""
        try:
            return cls(**fields)
        except TextError as error:
            raise RegisterError(str(error)) from None
        except ValidationError as error:
            problem = error.errors()[0]
            if isinstance(problem.get("ctx", {}).get("error"), TextError):
                raise RegisterError(str(problem["ctx"]["error"])) from None
            where = ".".join(str(p) for p in problem["loc"])
            message = problem["msg"].removeprefix("Value error, ")
            raise RegisterError(f"{where}: {message}" if where else message) from None

    def model_post_init(self, _context) -> None:
        for contact, purpose in (("email", "email_purpose"), ("phone", "phone_purpose")):
            if getattr(self, contact) and not getattr(self, purpose):
                raise RegisterError(f"say what the {contact} may be used for (e.g. AGM notices)")


class Member(MemberDetails):
    id: int
    number: str
    admitted_on: date
    ceased_on: date | None = None
    #: What a new card's QR code holds: only on the Member that admit() or reissue_card() returns,
    #: for printing that card. The register keeps a keyed hash of it, never the code itself.
    card_code: str | None = None

    @property
    def is_member(self) -> bool:
        return self.ceased_on is None

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


_FIELDS = list(MemberDetails.model_fields)


def _check_birth(details: MemberDetails, on: date) -> None:
    """The register keeps a date of birth only where the under-16 rule needs it (data minimisation)."""
    born = details.date_of_birth
    if born is None:
        return
    if born > on:
        raise RegisterError("the date of birth is in the future")
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    if age >= ADULT_AGE:
        raise RegisterError(f"a date of birth is kept only for members under {ADULT_AGE}; leave it empty")


class Register:
    def __init__(self, db: Database):
        self.db = db

    # Reading -----------------------------------------------------------------------

    def _member(self, row: dict) -> Member:
        row = dict(row)
        row["under5_household"] = bool(row["under5_household"])
        row["consent_contact"] = bool(row["consent_contact"])
        row.pop("created_at", None)
        row.pop("card_hash", None)
        return Member.model_validate(row)

    def get(self, member_id: int) -> Member:
        rows = list(self.db.query("select * from members where id = ?", [member_id]))
        if not rows:
            raise RegisterError(f"there is no member {member_id}")
        return self._member(rows[0])

    def by_number(self, number: str) -> Member:
        rows = list(self.db.query("select * from members where number = ?", [number.strip().upper()]))
        if not rows:
            raise RegisterError(f"there is no member number {number.strip()}")
        return self._member(rows[0])

    def by_card(self, scanned: str) -> Member | None:
        """The member whose current card was scanned, or None (an old, reissued card included)."""
        scanned = scanned.strip()
        if not scanned.upper().startswith(CARD_PREFIX):
            return None
        token = scanned[len(CARD_PREFIX):]
        if not token:
            return None
        rows = list(self.db.query("select * from members where card_hash = ?", [token_hash(token)]))
        return self._member(rows[0]) if rows else None

    def search(self, text: str, *, limit: int = 10) -> list[Member]:
        text = text.strip()
        if not text:
            return []
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return [self._member(r) for r in self.db.query(
            "select * from members where name like ? escape '\\' or number = ? order by name limit ?",
            [f"%{escaped}%", text.upper(), limit],
        )]

    def all(self, *, on: date | None = None, include_former: bool = True) -> list[Member]:
        """Everyone on the register, by number; `on` a date: those who were members that day."""
        rows = [self._member(r) for r in self.db.query("select * from members order by id")]
        if on is not None:
            rows = [m for m in rows if m.admitted_on <= on and (m.ceased_on is None or m.ceased_on > on)]
        elif not include_former:
            rows = [m for m in rows if m.is_member]
        return rows

    def look_alike(self, name: str, *, besides: int | None = None) -> Member | None:
        """Another member whose name looks the same as `name` but is written differently (a Cyrillic
        а for a Latin a, another case): a warning to show, since both may be real people."""
        others = {m.name: m for m in self.all() if m.id != besides}
        found = look_alike(name, list(others))
        return others[found] if found is not None else None

    def changes(self, member_id: int) -> list[dict]:
        return list(self.db.query("select * from member_changes where member_id = ? order by id", [member_id]))

    # Writing ---------------------------------------------------------------------------

    def admit(self, details: MemberDetails, *, on: date, at: str, by: str) -> Member:
        """Enter a new member on the register (their first shares are the share ledger's business)."""
        _check_birth(details, on)
        with self.db.atomic():
            # Node 1 (or no hub) numbers members from its ids as ever; another till in its own block (core/ids.py).
            new_id = next_id(self.db, "members") or self.db.execute(
                "select coalesce(max(id), 0) + 1 from members").fetchone()[0]
            number = member_number(self.db, new_id)
            row = self._row(details)
            token = new_token()
            self.db.execute(
                f"insert into members ({', '.join(row)}, id, number, admitted_on, card_hash, created_at)"
                f" values ({', '.join('?' * len(row))}, ?, ?, ?, ?, ?)",
                [*row.values(), new_id, number, on.isoformat(), token_hash(token), at],
            )
            member = self.by_number(number)
            self._log(member.id, at, by, "admitted", None, on.isoformat())
        return member.model_copy(update={"card_code": CARD_PREFIX + token})

    def update(self, member_id: int, details: MemberDetails, *, at: str, by: str, on: date) -> Member:
        current = self.get(member_id)
        if details.date_of_birth != current.date_of_birth:
            _check_birth(details, on)
        old, new = self._row(current), self._row(details)
        changed = {k: v for k, v in new.items() if old[k] != v}
        if not changed:
            return current
        with self.db.atomic():
            self.db.execute(
                f"update members set {', '.join(f'{k} = ?' for k in changed)} where id = ?",
                [*changed.values(), member_id],
            )
            for key, value in changed.items():
                self._log(member_id, at, by, key, old[key], value)
        return self.get(member_id)

    def cease(self, member_id: int, *, on: date, at: str, by: str, reason: str) -> Member:
        member = self.get(member_id)
        if not member.is_member:
            raise RegisterError(f"{member.number} left on {member.ceased_on}")
        with self.db.atomic():
            self.db.execute("update members set ceased_on = ? where id = ?", [on.isoformat(), member_id])
            self._log(member_id, at, by, "ceased_on", None, f"{on.isoformat()} ({reason})")
        return self.get(member_id)

    def reissue_card(self, member_id: int, *, at: str, by: str) -> Member:
        """A lost card: a new token; the old card stops working at once. The returned Member
        carries the new card's code, for printing it: the till keeps no copy."""
        self.get(member_id)
        token = new_token()
        with self.db.atomic():
            self.db.execute("update members set card_hash = ? where id = ?", [token_hash(token), member_id])
            self._log(member_id, at, by, "card", None, "reissued")
        return self.get(member_id).model_copy(update={"card_code": CARD_PREFIX + token})

    #: What the register need not keep: each carries its purpose, and may be erased on request.
    OPTIONAL = ("email", "email_purpose", "phone", "phone_purpose", "under5_household", "consent_contact",
                "date_of_birth")

    def erase_optional(self, member_id: int, *, at: str, by: str, keep_date_of_birth: bool = False) -> list[str]:
        """Remove the optional details, here and in the change history; the register entry (number,
        name, address, dates) stays, as the law requires. Returns what was erased."""
        member = self.get(member_id)
        fields = [f for f in self.OPTIONAL if not (f == "date_of_birth" and keep_date_of_birth)]
        held = [f for f in fields if getattr(member, f) not in (None, "", False)]
        with self.db.atomic():
            self.db.execute(
                "update members set email = null, email_purpose = null, phone = null, phone_purpose = null,"
                " under5_household = 0, consent_contact = 0"
                + ("" if keep_date_of_birth else ", date_of_birth = null") + " where id = ?", [member_id])
            marks = ",".join("?" * len(fields))
            self.db.execute(
                f"update member_changes set old_value = case when old_value is null then null else '(erased)' end,"
                f" new_value = case when new_value is null then null else '(erased)' end"
                f" where member_id = ? and field in ({marks})", [member_id, *fields])
            self._log(member_id, at, by, "erased", None, ", ".join(held) or "nothing held")
        return held

    # Internals -------------------------------------------------------------------------

    @staticmethod
    def _row(details: MemberDetails) -> dict:
        row = {k: getattr(details, k) for k in _FIELDS}
        row["under5_household"] = int(row["under5_household"])
        row["consent_contact"] = int(row["consent_contact"])
        row["date_of_birth"] = row["date_of_birth"].isoformat() if row["date_of_birth"] else None
        return row

    def _log(self, member_id: int, at: str, by: str, field: str, old, new) -> None:
        self.db.execute(
            "insert into member_changes (member_id, at, changed_by, field, old_value, new_value)"
            " values (?, ?, ?, ?, ?, ?)",
            [member_id, at, by, field, None if old is None else str(old), None if new is None else str(new)],
        )
