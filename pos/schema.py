"""The till's tables: volunteers, till sessions, sales and their lines and tenders, voids and cash moves.

Every row here is a record: a completed sale is never edited, a refund is a new
sale of kind 'refund' that points at the original.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("pos")


@migrations()
def m001_create_till_tables(db: Database) -> None:
    db["volunteers"].create(
        {"id": int, "name": str, "role": str, "active": int, "created_at": str},
        pk="id",
        not_null=["name", "role", "active", "created_at"],
        strict=True,
    )
    db["till_sessions"].create(
        {
            "id": int,
            "till_id": str,
            "business_date": str,
            "opened_at": str,
            "opened_by": int,
            "float_pence": int,
            "closed_at": str,
            "closed_by": int,
            "counted_pence": int,
            "z_number": int,
        },
        pk="id",
        not_null=["till_id", "business_date", "opened_at", "opened_by", "float_pence"],
        foreign_keys=[("opened_by", "volunteers", "id"), ("closed_by", "volunteers", "id")],
        strict=True,
    )
    # One open session per till at a time, enforced by the database itself.
    db.execute(
        "create unique index idx_till_sessions_one_open on till_sessions (till_id) "
        "where closed_at is null"
    )
    db["till_sessions"].create_index(["till_id", "business_date"])
    db["sales"].create(
        {
            "id": int,
            "till_id": str,
            "sale_number": int,
            "kind": str,
            "session_id": int,
            "business_date": str,
            "created_at": str,
            "operator_id": int,
            "member_number": str,
            "eat_in": int,
            "total_pence": int,
            "refund_of": int,
            "reason": str,
        },
        pk="id",
        not_null=["till_id", "sale_number", "kind", "session_id", "business_date", "created_at",
                  "operator_id", "eat_in", "total_pence"],
        foreign_keys=[
            ("session_id", "till_sessions", "id"),
            ("operator_id", "volunteers", "id"),
            ("refund_of", "sales", "id"),
        ],
        strict=True,
    )
    db["sales"].create_index(["till_id", "sale_number"], unique=True)
    db["sales"].create_index(["session_id"])
    db["sales"].create_index(["business_date"])
    db["sales"].create_index(["refund_of"])
    db["sale_lines"].create(
        {
            "id": int,
            "sale_id": int,
            "line_no": int,
            "product_id": int,
            "product_name": str,
            "category": str,
            "quantity": int,
            "unit_price_pence": int,
            "discount_pence": int,
            "discount_reason": str,
            "line_total_pence": int,
            "vat_class": str,
            "vat_rate_bp": int,
            "pass_through": int,
            "healthy_start": int,
            "member_number": str,
            "refund_of_line": int,
        },
        pk="id",
        not_null=["sale_id", "line_no", "product_id", "product_name", "category", "quantity",
                  "unit_price_pence", "discount_pence", "line_total_pence", "vat_class",
                  "vat_rate_bp", "pass_through", "healthy_start"],
        foreign_keys=[
            ("sale_id", "sales", "id"),
            ("product_id", "products", "id"),
            ("refund_of_line", "sale_lines", "id"),
        ],
        strict=True,
    )
    db["sale_lines"].create_index(["sale_id"])
    db["sale_lines"].create_index(["refund_of_line"])
    db["tenders"].create(
        {
            "id": int,
            "sale_id": int,
            "kind": str,
            "amount_pence": int,
            "given_pence": int,
            "change_pence": int,
            "reference": str,
        },
        pk="id",
        not_null=["sale_id", "kind", "amount_pence", "given_pence", "change_pence"],
        foreign_keys=[("sale_id", "sales", "id")],
        strict=True,
    )
    db["tenders"].create_index(["sale_id"])
    db["voids"].create(
        {
            "id": int,
            "till_id": str,
            "session_id": int,
            "created_at": str,
            "operator_id": int,
            "line_count": int,
            "total_pence": int,
            "reason": str,
        },
        pk="id",
        not_null=["till_id", "session_id", "created_at", "operator_id", "line_count", "total_pence"],
        foreign_keys=[("session_id", "till_sessions", "id"), ("operator_id", "volunteers", "id")],
        strict=True,
    )
    db["voids"].create_index(["session_id"])
    # Paid in, paid out and no-sale drawer openings: cash that moves without a sale.
    db["cash_movements"].create(
        {
            "id": int,
            "till_id": str,
            "session_id": int,
            "created_at": str,
            "operator_id": int,
            "kind": str,
            "amount_pence": int,
            "reason": str,
        },
        pk="id",
        not_null=["till_id", "session_id", "created_at", "operator_id", "kind", "amount_pence"],
        foreign_keys=[("session_id", "till_sessions", "id"), ("operator_id", "volunteers", "id")],
        strict=True,
    )
    db["cash_movements"].create_index(["session_id"])


@migrations()
def m002_sign_in_shifts_parking_receipts_audit(db: Database) -> None:
    # PINs are stored as salted scrypt hashes; failed attempts drive the lockout.
    db["volunteers"].add_column("pin_hash", str)
    db["volunteers"].add_column("failed_pins", int, not_null_default=0)
    db["volunteers"].add_column("locked_until", str)
    db["shifts"].create(
        {"id": int, "volunteer_id": int, "till_id": str, "started_at": str, "ended_at": str},
        pk="id",
        not_null=["volunteer_id", "till_id", "started_at"],
        foreign_keys=[("volunteer_id", "volunteers", "id")],
        strict=True,
    )
    db["shifts"].create_index(["volunteer_id"])
    # A parked basket is kept in the database so it survives a restart of the till.
    db["parked_baskets"].create(
        {"id": int, "till_id": str, "parked_at": str, "operator_id": int, "label": str,
         "basket_json": str, "resumed_at": str},
        pk="id",
        not_null=["till_id", "parked_at", "operator_id", "basket_json"],
        foreign_keys=[("operator_id", "volunteers", "id")],
        strict=True,
    )
    # Each sale's receipt waits here until a printer has taken it; a failed print stays for reprint.
    db["receipt_queue"].create(
        {"id": int, "sale_id": int, "created_at": str, "status": str, "attempts": int,
         "last_error": str, "printed_at": str},
        pk="id",
        not_null=["sale_id", "created_at", "status", "attempts"],
        foreign_keys=[("sale_id", "sales", "id")],
        strict=True,
    )
    db["receipt_queue"].create_index(["status"])
    db["receipt_queue"].create_index(["sale_id"])
    # Who did a privileged thing, and who approved it.
    db["audit_log"].create(
        {"id": int, "created_at": str, "till_id": str, "action": str, "operator_id": int,
         "approver_id": int, "detail": str},
        pk="id",
        not_null=["created_at", "till_id", "action", "operator_id"],
        foreign_keys=[("operator_id", "volunteers", "id"), ("approver_id", "volunteers", "id")],
        strict=True,
    )


@migrations()
def m003_shift_checks_and_corrections(db: Database) -> None:
    # A shift nobody signed out of is closed by the next Z and flagged for a manager to check.
    db["shifts"].add_column("needs_check", int, not_null_default=0)
    # A manager's correction is a new record; the original shift row stays as it was.
    db["shift_corrections"].create(
        {"id": int, "shift_id": int, "started_at": str, "ended_at": str, "corrected_by": int,
         "reason": str, "at": str},
        pk="id",
        not_null=["shift_id", "started_at", "ended_at", "corrected_by", "reason", "at"],
        foreign_keys=[("shift_id", "shifts", "id"), ("corrected_by", "volunteers", "id")],
        strict=True,
    )
    db["shift_corrections"].create_index(["shift_id"])


@migrations()
def m004_training(db: Database) -> None:
    # Certificates (food hygiene, first aid, till training) as records; the newest of a kind counts.
    db["training"].create(
        {"id": int, "volunteer_id": int, "kind": str, "certified_on": str, "expires_on": str,
         "recorded_by": int, "at": str},
        pk="id",
        not_null=["volunteer_id", "kind", "certified_on", "recorded_by", "at"],
        foreign_keys=[("volunteer_id", "volunteers", "id"), ("recorded_by", "volunteers", "id")],
        strict=True,
    )
    db["training"].create_index(["volunteer_id"])


@migrations()
def m005_community_fund(db: Database) -> None:
    # Money given to the community fund with a sale: in the drawer, never takings, VAT or dividend base.
    db["donations"].create(
        {"id": int, "sale_id": int, "amount_pence": int, "created_at": str},
        pk="id",
        not_null=["sale_id", "amount_pence", "created_at"],
        foreign_keys=[("sale_id", "sales", "id")],
        strict=True,
    )
    db["donations"].create_index(["sale_id"], unique=True)


@migrations()
def m006_pay_it_forward(db: Database) -> None:
    # A line paid forward is sold (and is takings) now; a claimed line gives one away later, free.
    db["sale_lines"].add_column("pay_forward", int, not_null_default=0)
    db["sale_lines"].add_column("claimed", int, not_null_default=0)


@migrations()
def m007_volunteer_profiles(db: Database) -> None:
    # Optional and only for managers' eyes: the member number of a volunteer who is also a member,
    # and someone to call in an emergency.
    db["volunteers"].add_column("member_number", str)
    db["volunteers"].add_column("emergency_contact", str)
    db["volunteers"].add_column("left_on", str)


@migrations()
def m008_index_paid_forward(db: Database) -> None:
    # The pool is read on every claim and after every sale: index only the few lines it needs.
    db.execute("create index idx_sale_lines_paid_forward on sale_lines (product_id, pay_forward, claimed, quantity)"
                " where pay_forward or claimed")


@migrations()
def m009_time_credits(db: Database) -> None:
    # Credits spent on a sale (positive) or given back by its refund (negative); the balance is
    # the credits earned from shifts less this ledger.
    db["time_credit_spends"].create(
        {"id": int, "sale_id": int, "volunteer_id": int, "credits": int, "amount_pence": int, "at": str},
        pk="id",
        not_null=["sale_id", "volunteer_id", "credits", "amount_pence", "at"],
        foreign_keys=[("sale_id", "sales", "id"), ("volunteer_id", "volunteers", "id")],
        strict=True,
    )
    db["time_credit_spends"].create_index(["volunteer_id"])
    db["time_credit_spends"].create_index(["sale_id"])


@migrations()
def m010_rota(db: Database) -> None:
    # The week's pattern of planned shifts, and who is on them: every week (week_of null) or one
    # week only ('cover'), and the weeks a regular cannot come ('away'). Rows are ended, not deleted.
    db["rota_slots"].create(
        {"id": int, "weekday": int, "starts": str, "ends": str, "needed": int, "label": str,
         "active": int, "created_at": str, "created_by": int},
        pk="id",
        not_null=["weekday", "starts", "ends", "needed", "label", "active", "created_at", "created_by"],
        defaults={"active": 1},
        foreign_keys=[("created_by", "volunteers", "id")],
        strict=True,
    )
    db["rota_entries"].create(
        {"id": int, "slot_id": int, "volunteer_id": int, "week_of": str, "kind": str,
         "created_at": str, "created_by": int, "removed_at": str},
        pk="id",
        not_null=["slot_id", "volunteer_id", "kind", "created_at", "created_by"],
        foreign_keys=[("slot_id", "rota_slots", "id"), ("volunteer_id", "volunteers", "id"),
                      ("created_by", "volunteers", "id")],
        strict=True,
    )
    db["rota_entries"].create_index(["slot_id", "week_of"])


@migrations()
def m011_visit_marks(db: Database) -> None:
    # Every sale is a visit; a volunteer may mark it as a family with under-5s or a first visit.
    db["sales"].add_column("family_under5", int, not_null_default=0)
    db["sales"].add_column("first_visit", int, not_null_default=0)


@migrations()
def m012_time_credit_cover(db: Database) -> None:
    # Which units the credits paid for (line number → units, JSON), so a refund gives back
    # exactly their credits even if the society has changed what credits may buy since.
    db["time_credit_spends"].add_column("covered", str)


@migrations()
def m013_open_basket_and_journal(db: Database) -> None:
    # The basket being rung up, saved as it changes, so a crash or power cut loses at most the
    # last keystroke; one per till.
    db["open_baskets"].create(
        {"till_id": str, "operator_id": int, "basket_json": str, "updated_at": str},
        pk="till_id",
        not_null=["operator_id", "basket_json", "updated_at"],
        strict=True,
    )
    # The tamper-evident journal (core.journal): each entry's hash chains it to the one before.
    # Records already in the database are sealed when this migration's transaction commits.
    db["journal"].create(
        {"id": int, "at": str, "kind": str, "ref_id": int, "version": int, "digest": str, "hash": str},
        pk="id",
        not_null=["at", "kind", "ref_id", "version", "digest", "hash"],
        strict=True,
    )
    db["journal"].create_index(["kind", "ref_id"], unique=True)


@migrations()
def m014_sale_number_gaps(db: Database) -> None:
    # A till rebuilt from the hub (its disk died) resumes its sale numbers after a gap: sales it made
    # that never reached the hub can then never share a number with new ones. The audit log (a record)
    # says so too; this row is what the numbering reads.
    db["sale_number_gaps"].create(
        {"till_id": str, "skipped_from": int, "resumes_at": int, "at": str, "why": str},
        pk="till_id",
        not_null=["skipped_from", "resumes_at", "at", "why"],
        strict=True,
    )


@migrations()
def m015_sale_line_weights(db: Database) -> None:
    # A weighed line (cheese off the block, loose vegetables) keeps the weight it was sold at, in whole
    # grams, and the price per kg it was weighed at, for the receipt; both empty on every other line. Sealed
    # as sale version 4.
    db["sale_lines"].add_column("weight_grams", int)
    db["sale_lines"].add_column("per_kg_pence", int)
