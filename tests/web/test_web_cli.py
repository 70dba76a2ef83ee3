"""The commands around the web: the codes a till gives out, and `till web` refusing to listen
beyond this machine without TLS."""

from __future__ import annotations

import io
import re
import stat

import pytest

from pos.cli import main
from pos.config import WebSettings
from pos.web.server import check_listening, secret

CODE = re.compile(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}")


def run(capsys, monkeypatch, pin, *argv):
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{pin}\n"))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_member_gets_a_sign_up_slip_that_works_once(capsys, monkeypatch, demo_db, tmp_path):
    from access.accounts import WebAccess
    from core.clock import system_clock
    from pos.database import open_database

    monkeypatch.setenv("TILL_RECEIPTS_DIR", str(tmp_path / "receipts"))
    code, out, err = run(capsys, monkeypatch, "2222", "--db", str(demo_db), "members", "web-code", "M0001",
                         "--printer", "preview", "--by", "Priya Kell")
    assert code == 0 and "WEB BACK OFFICE" in out and "works once" in err
    assert not (tmp_path / "receipts").exists() or not list((tmp_path / "receipts").iterdir())  # private
    slip_code = CODE.search(out).group(0)
    db = open_database(demo_db)
    access = WebAccess.for_codes(db, system_clock)
    access.set_password_with_code("M0001", slip_code, "a long enough one", "a long enough one", address="x")


def test_a_slip_the_printer_refused_leaves_no_code_working(capsys, monkeypatch, demo_db, tmp_path):
    from pos.database import open_database

    code, _, err = run(capsys, monkeypatch, "2222", "--db", str(demo_db), "members", "web-code", "M0001",
                       "--printer", "network:127.0.0.1:9", "--by", "Priya Kell")
    assert code == 1 and "run the command again when the printer is ready" in err
    db = open_database(demo_db)
    assert db.execute("select count(*) from web_codes where used_at is null and void_at is null").fetchone()[0] == 0


def test_a_volunteer_needs_no_pin_of_theirs_but_a_manager_to_get_a_code(capsys, monkeypatch, demo_db):
    code, _, err = run(capsys, monkeypatch, "2222", "--db", str(demo_db), "volunteers", "web-code", "Jo Beckford",
                       "--by", "Priya Kell")
    assert code == 1 and "web sign-in code (till volunteers web-code) needs a manager" in err
    code, out, err = run(capsys, monkeypatch, "1111", "--db", str(demo_db), "volunteers", "web-code", "Jo Beckford",
                         "--by", "Sam Ortiz")
    assert code == 0 and CODE.fullmatch(out.strip()) and "14 days" in err


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "till.example.org"])
def test_till_web_refuses_to_listen_beyond_this_machine_without_tls(capsys, host, tmp_path):
    code = main(["--db", str(tmp_path / "none.db"), "web", "--host", host])
    _, err = capsys.readouterr()
    assert code == 1 and "only with TLS" in err and "web.trusted_proxy" in err
    assert not (tmp_path / "none.db").exists()


def test_beyond_this_machine_with_a_certificate_or_a_trusted_proxy(tmp_path):
    check_listening(WebSettings(), "127.0.0.1")
    check_listening(WebSettings(), "::1")
    check_listening(WebSettings(tls_certificate=tmp_path / "c.pem", tls_key=tmp_path / "k.pem"), "0.0.0.0")
    check_listening(WebSettings(trusted_proxy="10.0.0.5"), "0.0.0.0")


def test_web_settings_say_what_is_wrong(tmp_path):
    from pos.config import ConfigError, load_settings

    with pytest.raises(ConfigError, match="tls_certificate and tls_key go together"):
        load_settings(web={"tls_certificate": str(tmp_path / "c.pem")})
    with pytest.raises(ConfigError, match="'web.trusted_proxy' 'proxy.lan' is not an IP address"):
        load_settings(web={"trusted_proxy": "proxy.lan"})


def test_the_secret_file_is_made_once_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "data" / "web-secret"
    first = secret(path)
    assert len(first) == 32 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret(path) == first
    path.chmod(0o644)
    with pytest.raises(Exception, match="can be read by others"):
        secret(path)
