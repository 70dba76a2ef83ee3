"""Applying to join on the web: someone gives their details and how many shares they want; the
application is completed at the till when they pay (pos.membership.Membership.join with the
application), and erased if it is not paid within `web.application_days`.

Nobody is signed in to apply, so what stops a flood is here: a few applications per address an hour,
and a ceiling on all of them an hour, so that a script cannot fill the database. Under-16s apply at
the till with a parent (a date of birth is kept only there, where someone can check it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from pydantic import BaseModel
from sqlite_utils import Database

from coop.errors import RegisterError
from coop.register import MemberDetails
from coop.rules import ShareRules
from core.clock import Clock, stamp
from core.database import transaction
from core.errors import TillError
from core.text import sentence

#: Applications one address may make in the window, and all addresses together.
PER_ADDRESS = 3
OVERALL = 30
WINDOW = timedelta(hours=1)
#: Said to anyone under 16, who has no web account either.
UNDER_16 = ("Under-16s apply at the till, with a parent or guardian: ask there, and bring the money for "
            "your shares.")


class ApplicationRefused(TillError):
    """An application that cannot be taken, said in one sentence."""


class Application(BaseModel):
    id: int
    made_at: str
    name: str
    address: str
    email: str | None = None
    email_purpose: str | None = None
    phone: str | None = None
    phone_purpose: str | None = None
    shares: int
    completed_at: str | None = None
    member_id: int | None = None

    def details(self) -> MemberDetails:
        return MemberDetails.checked(name=self.name, address=self.address, email=self.email,
                                     email_purpose=self.email_purpose, phone=self.phone,
                                     phone_purpose=self.phone_purpose)


@dataclass
class Applications:
    db: Database
    clock: Clock

    def apply(self, fields: dict, shares: int | None, *, adult: bool, rules: ShareRules, address: str,
              keep_days: int) -> int:
        """The new application's number, or ApplicationRefused saying why (nothing is kept then)."""
        if not adult:
            raise ApplicationRefused(UNDER_16)
        try:
            details = MemberDetails.checked(**{key: fields.get(key) or None for key in (
                "name", "address", "email", "email_purpose", "phone", "phone_purpose")})
        except RegisterError as why:
            raise ApplicationRefused(sentence(str(why))) from None
        if isinstance(shares, bool) or not isinstance(shares, int) or shares < max(1, rules.min_shares):
            raise ApplicationRefused(f"Say how many shares you want: at least {max(1, rules.min_shares)}, "
                                     f"at {rules.share_value_pence / 100:.2f} pounds each.")
        if shares > rules.max_shares:
            raise ApplicationRefused(f"A member may hold at most {rules.max_shares} shares.")
        now = self.clock()
        since = stamp(now - WINDOW)
        with transaction(self.db):
            self.purge_unpaid(keep_days)
            mine, everyone = self.db.execute(
                "select coalesce(sum(address_from = ?), 0), count(*) from web_applications where made_at >= ?",
                [address, since]).fetchone()
            if mine >= PER_ADDRESS or everyone >= OVERALL:
                raise ApplicationRefused("Too many applications have been made just now: please try again in an "
                                         "hour, or apply at the till.")
            return self.db.execute(
                "insert into web_applications (made_at, address_from, name, address, email, email_purpose, phone,"
                " phone_purpose, shares) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [stamp(now), address, details.name, details.address, details.email, details.email_purpose,
                 details.phone, details.phone_purpose, shares]).lastrowid

    def pending(self) -> list[Application]:
        """Applications not paid yet, oldest first: what `till members applications` lists."""
        return [Application.model_validate(row) for row in self.db.query(
            "select * from web_applications where completed_at is null order by id")]

    def waiting(self, application_id: int) -> Application:
        """One application still to be paid, or ApplicationRefused."""
        rows = list(self.db.query("select * from web_applications where id = ?", [application_id]))
        if not rows:
            raise ApplicationRefused(f"There is no application {application_id} (unpaid ones are erased after a "
                                     "few weeks): take the person's details at the till instead.")
        found = Application.model_validate(rows[0])
        if found.completed_at:
            raise ApplicationRefused(f"Application {application_id} was completed already.")
        return found

    def complete(self, application_id: int, member_id: int) -> None:
        """Mark it paid, inside the till's join transaction; a second completion is refused."""
        # The register holds the details now: the web's copy of them goes at once.
        done = self.db.execute("update web_applications set completed_at = ?, member_id = ?, name = '(joined)',"
                               " address = '(joined)', email = null, email_purpose = null, phone = null,"
                               " phone_purpose = null where id = ? and completed_at is null",
                               [stamp(self.clock()), member_id, application_id]).rowcount
        if not done:
            raise ApplicationRefused(f"Application {application_id} was completed already.")

    def purge_unpaid(self, keep_days: int) -> int:
        """Erase applications unpaid after `keep_days` days (at the web's start, after each Z, and with
        each new application); completed ones go then too, their details long since in the register.
        Returns how many unpaid ones were erased."""
        cutoff = stamp(self.clock() - timedelta(days=keep_days))
        with transaction(self.db):
            gone = self.db.execute("delete from web_applications where completed_at is null and made_at < ?",
                                   [cutoff]).rowcount
            self.db.execute("delete from web_applications where completed_at is not null and made_at < ?", [cutoff])
        return gone

