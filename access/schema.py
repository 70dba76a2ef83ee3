"""The web's sign-in tables. None is a record: web passwords, codes and sessions belong to the
machine that serves the web and must never travel to a till, so they are on core.journal's
NOT_RECORDS list. The journal is the only thing a till pushes to the hub, and the hub's pull
brings down shared records only, so a table outside the journal goes nowhere."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("access")

TABLES = ("web_accounts", "web_codes", "web_sessions", "web_failures", "web_views", "web_applications", "web_resets")


@migrations()
def m001_web_sign_in(db: Database) -> None:
    # One account per member or per volunteer; a member who volunteers has one of each.
    db["web_accounts"].create(
        {"id": int, "kind": str, "member_id": int, "volunteer_id": int, "password_hash": str,
         "password_set_at": str, "created_at": str},
        pk="id", not_null=["kind", "created_at"],
        foreign_keys=[("member_id", "members", "id"), ("volunteer_id", "volunteers", "id")], strict=True,
    )
    db.execute("create unique index web_account_of_member on web_accounts (member_id) where kind = 'member'")
    db.execute("create unique index web_account_of_volunteer on web_accounts (volunteer_id) where kind = 'staff'")
    # Only a code's hash is kept: the slip is the one copy, so a stolen database opens no account.
    db["web_codes"].create(
        {"id": int, "account_id": int, "code_hash": str, "issued_at": str, "expires_at": str, "issued_by": str,
         "tries": int, "used_at": str, "void_at": str, "void_reason": str},
        pk="id", not_null=["account_id", "code_hash", "issued_at", "expires_at", "issued_by"],
        defaults={"tries": 0}, foreign_keys=[("account_id", "web_accounts", "id")], strict=True,
    )
    db["web_codes"].create_index(["account_id"])
    # A session's key is a keyed hash of the cookie's value: the database alone cannot be replayed.
    db["web_sessions"].create(
        {"key": str, "account_id": int, "role": str, "created_at": str, "seen_at": str},
        pk="key", not_null=["account_id", "created_at", "seen_at"],
        foreign_keys=[("account_id", "web_accounts", "id")], strict=True,
    )
    db["web_sessions"].create_index(["account_id"])
    # A wrong password or code: counted by address (the lockout) and by the name typed (the slow-down),
    # the name typed rather than the account so that a name with no account behaves the same.
    db["web_failures"].create({"id": int, "address": str, "login": str, "at": str}, pk="id",
                              not_null=["address", "login", "at"], strict=True)
    db["web_failures"].create_index(["address", "at"])
    db["web_failures"].create_index(["login", "at"])
    # Who saw which personal page, from where. Members are not volunteers, so the till's audit log
    # (whose operator is a volunteer) cannot hold their views; staff views go there as well.
    db["web_views"].create(
        {"id": int, "at": str, "account_id": int, "page": str, "subject": str, "address": str},
        pk="id", not_null=["at", "account_id", "page"], foreign_keys=[("account_id", "web_accounts", "id")],
        strict=True,
    )


@migrations()
def m002_applications_to_join(db: Database) -> None:
    # Someone applying on the web is not a member until they pay at the till: the application is the
    # web's, like its accounts (on core.journal's NOT_RECORDS), and is erased unpaid after
    # `web.application_days`; once paid, the register entry the till makes is the record.
    db["web_applications"].create(
        {"id": int, "made_at": str, "address_from": str, "name": str, "address": str, "email": str,
         "email_purpose": str, "phone": str, "phone_purpose": str, "shares": int, "completed_at": str,
         "member_id": int},
        pk="id", not_null=["made_at", "address_from", "name", "address", "shares"],
        foreign_keys=[("member_id", "members", "id")], strict=True,
    )
    db["web_applications"].create_index(["made_at"])
    db["web_applications"].create_index(["address_from", "made_at"])


@migrations()
def m003_password_resets_by_email(db: Database) -> None:
    # Like a code from the till, only the token's hash is kept: the mail is the one copy.
    db["web_resets"].create(
        {"id": int, "account_id": int, "token_hash": str, "made_at": str, "expires_at": str, "used_at": str},
        pk="id", not_null=["account_id", "token_hash", "made_at", "expires_at"],
        foreign_keys=[("account_id", "web_accounts", "id")], strict=True,
    )
    db["web_resets"].create_index(["token_hash"], unique=True)
