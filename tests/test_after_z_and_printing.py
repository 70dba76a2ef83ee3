"""What follows a Z and how a receipt reaches the printer: each done one way, for the till screen and
the command line alike."""

import socket
from datetime import date

import pytest

from coop.register import MemberDetails
from core.errors import TillError
from pos.config import BackupSettings
from pos.printing import send_receipt
from printers.send import test_page
from tests.tui.conftest import demo_shop


def test_after_z_removes_former_members_details_and_hands_back_the_backup(tmp_path):
    shop = demo_shop(tmp_path / "shop", backup=BackupSettings(dir=tmp_path / "backups", keep=2))
    register = shop.membership.register
    gone = register.admit(MemberDetails(name="Long Gone", address="1 Green Walk", email="gone@example.org",
                                        email_purpose="newsletter"), on=date(2010, 1, 1), at=shop.till.now(), by="x")
    register.cease(gone.id, on=date(2012, 1, 1), at=shop.till.now(), by="x", reason="moved away")
    closing = shop.after_z()
    assert closing.purged == [gone.number] and register.get(gone.id).email is None
    path = closing.backup()
    assert path.parent == tmp_path / "backups" and path.exists()
    assert shop.after_z().purged == []


def test_after_z_forgets_looks_at_personal_pages_older_than_the_settings_days(tmp_path):
    from access.accounts import WebAccess

    shop = demo_shop(tmp_path / "shop", backup=BackupSettings(dir=tmp_path / "backups", keep=2))
    sam = shop.volunteers.by_name("Sam Ortiz")
    web = WebAccess.for_codes(shop.db, shop.clock)
    web.set_password_with_code(sam.name, web.issue_staff_code(sam, by="Sam Ortiz"), "a long web password",
                               "a long web password", address="10.0.0.1")
    account = shop.db.execute("select id from web_accounts").fetchone()[0]
    for at in ("2020-01-01T10:00:00+00:00", shop.till.now()):
        shop.db.execute("insert into web_views (at, account_id, page, subject, address) values (?, ?, 'hours',"
                        " 'Sam Ortiz', '10.0.0.1')", [at, account])
    shop.after_z()
    assert [row[0] for row in shop.db.execute("select at from web_views")] == [shop.till.now()]


def test_a_training_copy_neither_purges_nor_backs_up(tmp_path):
    practice = demo_shop(tmp_path).practice_copy()
    try:
        closing = practice.after_z()
        assert closing.purged == [] and closing.backup is None
    finally:
        practice.close()


def test_one_way_to_print_the_preview_printer_gives_its_text(tmp_path):
    shop = demo_shop(tmp_path)
    result = shop.send_receipt(test_page(32, shop_name="Café"), "test-page")
    assert "Café" in result.text and (tmp_path / "receipts").is_dir()


def test_a_printer_that_cannot_print_is_a_till_error_saying_why(tmp_path):
    settings = demo_shop(tmp_path).settings
    with pytest.raises(TillError):
        send_receipt(settings, test_page(32), "x", spec="nonsense")
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    with pytest.raises(TillError):
        send_receipt(settings.model_copy(update={"printer": settings.printer.model_copy(
            update={"timeout_seconds": 1})}), test_page(32), "x", spec=f"network:127.0.0.1:{port}")
