"""What a signed-in member may do to their own record on the web: ask to withdraw shares, choose how
their dividend is paid, change their contact details, and take a copy of everything held about them.

Every method takes the Principal, never a member number: whose record it is comes from the session
(access.guard.own_member_id), so no field of a form or part of an address can name someone else.
The rules are the till's own (coop.shares, coop.register); each change is written as the till writes
it, inside core.database.transaction, so it is journaled like any change at the till, and the
register's change history names the member, on the web, as the one who made it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from access.guard import Principal, own_member_id
from coop import personal_data
from coop.errors import RegisterError, ShareError
from coop.register import Member, MemberDetails, Register
from coop.rules import ShareRules
from coop.shares import Shares, Withdrawal
from core.database import transaction
from core.errors import TillError
from core.text import sentence

#: What a member may change about themselves here: contacts and their purposes, and consent. The name
#: (a legal entry) and the date of birth are changed at the till, where someone can see a document.
CONTACT_FIELDS = ("address", "email", "email_purpose", "phone", "phone_purpose", "consent_contact")
#: How a dividend may be paid (coop.dividend.Payout), and "default" for the society's own choice.
DIVIDEND_CHOICES = ("credit", "cash", "shares", "default")


class MemberRefused(TillError):
    """A member's own request refused by a rule, in one sentence."""


@dataclass(frozen=True)
class WithdrawalTerms:
    """What the withdrawal page says before anything is asked."""

    held: int
    already_asked: int
    notice_days: int
    suspended: bool
    min_shares: int
    pending: list[Withdrawal]


@dataclass
class MemberSelf:
    db: Database
    rules: ShareRules
    #: The till's own clock, as a stamp and a business date (pos.till's now() and today()).
    now: Callable[[], str]
    today: Callable[[], date]
    #: Whether the society pays a dividend on purchases (a community benefit society does not).
    pays_dividend: bool = True

    def member(self, who: Principal) -> Member:
        return Register(self.db).get(own_member_id(who))

    def _by(self, who: Principal) -> str:
        return f"{who.member_number} (the member, on the web)"

    # Withdrawing shares -----------------------------------------------------------------------

    def withdrawal_terms(self, who: Principal) -> WithdrawalTerms:
        shares = Shares(self.db, self.rules)
        member_id = own_member_id(who)
        pending = [w for w in shares.withdrawals(member_id) if w.outstanding]
        return WithdrawalTerms(held=shares.held(member_id), already_asked=sum(w.shares for w in pending),
                               notice_days=self.rules.notice_days, suspended=self.rules.withdrawals_suspended,
                               min_shares=self.rules.min_shares, pending=pending)

    def request_withdrawal(self, who: Principal, shares: int) -> Withdrawal:
        """The request joins the board's queue, its notice starting today, as at the till
        (coop.shares.Shares.request_withdrawal). Suspension stops payment, not the request."""
        if isinstance(shares, bool) or not isinstance(shares, int):
            raise MemberRefused("Say how many whole shares to withdraw.")
        try:
            with transaction(self.db):  # the "already asked for" check and the entry under one lock
                return Shares(self.db, self.rules).request_withdrawal(self.member(who), shares, on=self.today(),
                                                                      at=self.now(), by=self._by(who))
        except ShareError as why:
            raise MemberRefused(sentence(str(why))) from None

    # The register: how the dividend is paid, contact details ------------------------------------

    def choose_dividend(self, who: Principal, choice: str) -> Member:
        """The member's standing choice, used by every dividend declared after it (pos.membership's
        preview_dividend reads it from the register); "default" leaves it to the society."""
        if not self.pays_dividend:
            raise MemberRefused("This society pays no dividend on purchases.")
        if choice not in DIVIDEND_CHOICES:
            raise MemberRefused("Choose till credit, cash, shares or the society's usual way.")
        return self._change(who, {"dividend_payout": None if choice == "default" else choice})

    def update_contacts(self, who: Principal, changes: dict) -> Member:
        """Address, email, phone, what each may be used for, and consent to be contacted. Anything
        else in `changes` is refused, not ignored: a form that sends more was not ours."""
        other = sorted(set(changes) - set(CONTACT_FIELDS))
        if other:
            raise MemberRefused("Only the address, email, phone, what they are for and consent can be changed here;"
                                " ask at the till for anything else.")
        changes = {key: (value or None) if isinstance(value, str) else value for key, value in changes.items()}
        return self._change(who, changes)

    def _change(self, who: Principal, changes: dict) -> Member:
        try:
            with transaction(self.db):
                # Built on the entry as it is now, inside the lock: a change made at the till is not undone.
                current = self.member(who)
                details = MemberDetails.checked(**{**current.model_dump(include=set(MemberDetails.model_fields)),
                                                   **changes})
                return Register(self.db).update(current.id, details, at=self.now(), by=self._by(who),
                                                on=self.today())
        except RegisterError as why:
            raise MemberRefused(sentence(str(why))) from None

    # Everything held about them ---------------------------------------------------------------

    def subject_access(self, who: Principal, *, society: str) -> dict:
        """The same document as `till members sar` (everything_held)."""
        return everything_held(self.db, self.member(who).number, society=society, made_at=self.now())


def everything_held(db: Database, number: str, *, society: str, made_at: str) -> dict:
    """coop.personal_data.subject_access, and what the web holds about the member: their account
    (never the password's hash, which is a key, not information about them) and each look at their
    record. `till members sar` and the web's download both give this."""
    document = personal_data.subject_access(db, number, society=society, made_at=made_at)
    member_id = document["member"]["id"]
    account = db.execute("select id, created_at, password_set_at from web_accounts where kind = 'member'"
                         " and member_id = ?", [member_id]).fetchone()
    document["web_account"] = None if account is None else {
        "created_at": account[1], "password_set_at": account[2],
        "views": [dict(row) for row in db.query("select at, page, address from web_views where account_id = ?"
                                                " order by id", [account[0]])]}
    return document
