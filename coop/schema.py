"""The co-op's tables: the register of members (with every change to it), and the share ledger."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("coop")


@migrations()
def m001_register_and_shares(db: Database) -> None:
    # s.30 register: rows are never deleted; leaving sets ceased_on.
    db["members"].create(
        {
            "id": int,
            "number": str,
            "name": str,
            "address": str,
            "email": str,
            "email_purpose": str,
            "phone": str,
            "phone_purpose": str,
            "under5_household": int,
            "consent_contact": int,
            "date_of_birth": str,
            "admitted_on": str,
            "ceased_on": str,
            "card_token": str,
            "created_at": str,
        },
        pk="id",
        not_null=["number", "name", "address", "under5_household", "consent_contact", "admitted_on",
                  "card_token", "created_at"],
        strict=True,
    )
    db["members"].create_index(["number"], unique=True)
    db["members"].create_index(["card_token"], unique=True)
    db["members"].create_index(["name"])
    db["member_changes"].create(
        {"id": int, "member_id": int, "at": str, "changed_by": str, "field": str, "old_value": str,
         "new_value": str},
        pk="id",
        not_null=["member_id", "at", "changed_by", "field"],
        foreign_keys=[("member_id", "members", "id")],
        strict=True,
    )
    db["member_changes"].create_index(["member_id"])
    # Holdings are the sum of `shares`; requests and decisions are entries too, never edits.
    db["share_ledger"].create(
        {
            "id": int,
            "member_id": int,
            "at": str,
            "on_date": str,
            "kind": str,
            "shares": int,
            "amount_pence": int,
            "request_id": int,
            "decision": str,
            "approved_shares": int,
            "by": str,
            "note": str,
        },
        pk="id",
        not_null=["member_id", "at", "on_date", "kind", "shares", "amount_pence", "by"],
        foreign_keys=[("member_id", "members", "id"), ("request_id", "share_ledger", "id")],
        strict=True,
    )
    db["share_ledger"].create_index(["member_id"])
    db["share_ledger"].create_index(["request_id"])
    db["dividends"].create(
        {"id": int, "period_from": str, "period_to": str, "sum_pence": int, "declared_at": str,
         "declared_by": str, "ceased_members": str},
        pk="id",
        not_null=["period_from", "period_to", "sum_pence", "declared_at", "declared_by", "ceased_members"],
        strict=True,
    )
    db["dividend_parts"].create(
        {"id": int, "dividend_id": int, "member_id": int, "qualifying_pence": int, "part_pence": int,
         "payout": str},
        pk="id",
        not_null=["dividend_id", "member_id", "qualifying_pence", "part_pence", "payout"],
        foreign_keys=[("dividend_id", "dividends", "id"), ("member_id", "members", "id")],
        strict=True,
    )
    db["dividend_parts"].create_index(["dividend_id"])
    # Till credit (a dividend paid as credit, spent at the till): a ledger, balance derived.
    db["member_credit"].create(
        {"id": int, "member_id": int, "at": str, "amount_pence": int, "kind": str, "reference": str},
        pk="id",
        not_null=["member_id", "at", "amount_pence", "kind"],
        foreign_keys=[("member_id", "members", "id")],
        strict=True,
    )
    db["member_credit"].create_index(["member_id"])


@migrations()
def m002_notice_fixed_at_request(db: Database) -> None:
    # The notice a member was given is the one in the rules when they asked, whatever changes later.
    db["share_ledger"].add_column("notice_ends", str)


@migrations()
def m003_dividend_choice_and_cash_payments(db: Database) -> None:
    # How a member asked for their dividend (credit, cash or shares); empty: the society's default.
    db["members"].add_column("dividend_payout", str)
    # A dividend part owed in cash is settled once: paid from a till, or taken as till credit.
    db["dividend_payments"].create(
        {"id": int, "part_id": int, "at": str, "on_date": str, "how": str, "amount_pence": int, "by": str},
        pk="id",
        not_null=["part_id", "at", "on_date", "how", "amount_pence", "by"],
        foreign_keys=[("part_id", "dividend_parts", "id")],
        strict=True,
    )
    db["dividend_payments"].create_index(["part_id"], unique=True)


@migrations()
def m004_card_tokens_kept_as_keyed_hashes(db: Database) -> None:
    # A card's token spends the member's till credit: the register keeps an HMAC of it, keyed by a file
    # kept apart from the database (coop.cards), so the cards already handed out go on working.
    from coop.cards import card_key, token_hash

    db.execute("alter table members rename column card_token to card_hash")
    rows = db.execute("select id, card_hash from members").fetchall()
    if rows:
        key = card_key()
        db.conn.executemany("update members set card_hash = ? where id = ?",
                            [(token_hash(token, key), member_id) for member_id, token in rows])
