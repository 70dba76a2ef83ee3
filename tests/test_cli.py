import csv
import io
import json
import re
import subprocess
import sys
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.bounds import FIRST_YEAR, LAST_YEAR
from pos.cli import main
from tests.conftest import DEMO_UNTIL as UNTIL


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_data_then_z_report_text_and_json(capsys, demo_db):
    code, out, err = run(capsys, "report", "z", "--db", str(demo_db), "--date", UNTIL)
    assert code == 0 and "Z REPORT" in out and "Trading day" in out
    code, out, _ = run(capsys, "report", "z", "--db", str(demo_db), "--date", UNTIL, "--format", "json")
    z = json.loads(out)
    for key in ("date", "net_sales_pence", "refunds_pence", "tenders", "cash_expected_pence",
                "cash_counted_pence", "cash_difference_pence"):
        assert key in z
    assert z["date"] == UNTIL
    code, out, _ = run(capsys, "report", "z", "--db", str(demo_db))
    assert code == 0 and UNTIL in out


def test_z_net_sales_match_the_export_for_every_day(capsys, demo_db):
    for day in ("2026-11-17", "2026-11-18", UNTIL):
        _, out, _ = run(capsys, "report", "z", "--db", str(demo_db), "--date", day, "--format", "json")
        z = json.loads(out)
        _, exported, _ = run(capsys, "sales", "export", "--db", str(demo_db), "--from", day, "--to", day)
        rows = list(csv.DictReader(io.StringIO(exported)))
        assert z["net_sales_pence"] == sum(int(r["line_total_pence"]) for r in rows)


def test_demo_data_is_deterministic_for_a_seed(capsys, tmp_path, demo_db):
    other = tmp_path / "again.db"
    main(["--db", str(other), "demo-data", "--days", "3", "--seed", "5", "--until", UNTIL])
    exports = []
    for path in (demo_db, other):
        _, out, _ = run(capsys, "sales", "export", "--db", str(path), "--from", "2026-01-01", "--to", UNTIL,
                        "--format", "json")
        exports.append(json.loads(out))
    assert exports[0] == exports[1] and len(exports[0]) > 300


def test_demo_data_twice_skips_days_already_traded(capsys, demo_db):
    code, _, err = run(capsys, "--db", str(demo_db), "demo-data", "--days", "4", "--until", UNTIL)
    assert code == 0 and "Simulated 1 days" in err and "3 days were already there" in err


def test_demo_data_gives_the_demo_volunteers_their_pins(capsys, tmp_path, monkeypatch):
    from pos.demo_shop import VOLUNTEERS

    db = ["--db", str(tmp_path / "shop.db")]
    code, _, err = run(capsys, *db, "demo-data", "--days", "1", "--until", UNTIL)
    shown = sorted(err.splitlines()[1:])
    labels = {name: ", ".join(r.label.lower() for r in (role if isinstance(role, tuple) else (role,)))
              for name, role, _ in VOLUNTEERS}
    assert code == 0 and shown == sorted(f"{name} ({labels[name]}): {pin}" for name, _, pin in VOLUNTEERS)
    assert "Sam Ortiz (manager, board member): 1111" in shown
    typed(monkeypatch, "1111")  # Sam Ortiz, the demo manager, as shown
    code, out, _ = run(capsys, *db, "members", "voters", "--date", UNTIL, "--by", "Sam Ortiz")
    assert code == 0 and out.startswith("number,name")
    code, _, err = run(capsys, *db, "demo-data", "--days", "2", "--until", UNTIL)
    assert code == 0 and len(err.splitlines()) == 1  # the shop was there already: no PINs changed or shown


def test_products_export_import_round_trip(capsys, demo_db, tmp_path, monkeypatch):
    target = tmp_path / "products.csv"
    code, _, err = run(capsys, "products", "export", "--db", str(demo_db), "--out", str(target))
    assert code == 0 and "Wrote" in err
    typed(monkeypatch, "1111")
    code, _, err = run(capsys, "products", "import", str(target), "--db", str(demo_db), "--by", "Sam Ortiz")
    assert code == 0 and "0 new, 0 updated" in err
    code, out, _ = run(capsys, "products", "list", "--db", str(demo_db))
    assert "Tea" in out and "£1.20" in out


def test_bad_import_lists_lines_on_stderr_and_exits_non_zero(capsys, demo_db, tmp_path, monkeypatch):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,price,codes\nTea,one pound,T1\n")
    typed(monkeypatch, "1111")
    code, out, err = run(capsys, "--db", str(demo_db), "products", "import", str(bad), "--by", "Sam Ortiz")
    assert code == 1 and out == ""
    assert "line 2, price" in err and "Traceback" not in err


def test_sales_export_json_to_file(capsys, demo_db, tmp_path):
    target = tmp_path / "sales.json"
    code, _, err = run(capsys, "sales", "export", "--db", str(demo_db), "--from", UNTIL, "--to", UNTIL,
                       "--format", "json", "--out", str(target))
    rows = json.loads(target.read_text())
    assert code == 0 and rows and f"Wrote {len(rows)} sale lines" in err


def typed(monkeypatch, *lines):
    """What the person types at the PIN prompts (read from standard input when it is not a terminal)."""
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{line}\n" for line in lines)))


def test_a_day_at_the_till_from_the_command_line(capsys, tmp_path, monkeypatch):
    db = ["--db", str(tmp_path / "shop.db")]
    code, _, err = run(capsys, *db, "volunteers", "add", "Val Sample")
    assert code == 1 and "first volunteer must be a manager" in err
    typed(monkeypatch, "4321", "4321")
    assert run(capsys, *db, "volunteers", "add", "Robin Sample", "--role", "manager")[0] == 0
    code, _, err = run(capsys, *db, "volunteers", "add", "Val Sample")
    assert code == 1 and "--by NAME" in err
    typed(monkeypatch, "0000")
    code, _, err = run(capsys, *db, "volunteers", "add", "Val Sample", "--by", "Robin Sample")
    assert code == 1 and "not right" in err
    typed(monkeypatch, "4321", "1111", "1111")
    assert run(capsys, *db, "volunteers", "add", "Val Sample", "--by", "Robin Sample")[0] == 0
    assert "Val Sample" in run(capsys, *db, "volunteers", "list")[1]
    typed(monkeypatch, "1111", "5555", "5555")
    code, _, err = run(capsys, *db, "volunteers", "pin", "Robin Sample", "--by", "Val Sample")
    assert code == 1 and "giving a volunteer a new pin (till volunteers pin) needs a manager" in err.lower()
    typed(monkeypatch, "4321")
    code, _, err = run(capsys, *db, "session", "open", "--float", "£50", "--operator", "robin sample")
    assert code == 0 and "£50.00" in err
    typed(monkeypatch, "4321")
    code, out, _ = run(capsys, *db, "report", "x", "--by", "Robin Sample")
    assert code == 0 and "X REPORT" in out
    code, _, err = run(capsys, *db, "report", "z")
    assert code == 1 and "no Z reports yet (it is open now" in err
    typed(monkeypatch, "1111")
    code, _, err = run(capsys, *db, "report", "z", "--counted", "49.50", "--operator", "Val Sample")
    assert code == 1 and "needs a shift lead" in err.lower()
    typed(monkeypatch, "4321")
    code, out, _ = run(capsys, *db, "report", "z", "--counted", "49.50", "--operator", "Robin Sample")
    assert code == 0 and "-£0.50 (short)" in out


def test_stock_commands(capsys, demo_db, monkeypatch):
    db = ["--db", str(demo_db)]
    code, out, _ = run(capsys, *db, "stock", "levels")
    assert code == 0 and "Baked beans" in out
    _, out, _ = run(capsys, *db, "products", "list")
    barcode = next(line.split()[-1] for line in out.splitlines() if "Baked beans" in line)
    by = ["--by", "Sam Ortiz"]
    typed(monkeypatch, "1111")
    assert run(capsys, *db, "stock", "count", barcode, "12", *by)[0] == 0
    typed(monkeypatch, "1111")
    code, _, err = run(capsys, *db, "stock", "in", barcode, "6", *by)
    assert code == 0 and "18 on hand" in err
    typed(monkeypatch, "1111")
    code, _, err = run(capsys, *db, "stock", "waste", barcode, "1", "--reason", "dented", *by)
    assert "17 on hand" in err
    typed(monkeypatch, "1111")
    code, _, err = run(capsys, *db, "stock", "in", "T1", "5", *by)
    assert code == 1 and "made to order" in err


@pytest.mark.parametrize("argv, words", [
    (["report", "z", "--date", "2001-01-01"], "no Z report for 2001-01-01"),
    (["report", "x", "--by", "Sam Ortiz"], "not open"),
    (["stock", "in", "4006381333931", "1", "--by", "Sam Ortiz"], "Nothing in the catalogue has the code"),
    (["session", "open", "--float", "lots", "--operator", "Sam Ortiz"], "not an amount of money"),
    (["session", "open", "--float", "50", "--operator", "Sam Ortiz"], "no PIN was given"),
    (["sales", "export", "--from", "2026-02-01", "--to", "2026-01-01"], "--to is before --from"),
])
def test_errors_are_one_plain_sentence(capsys, demo_db, argv, words, monkeypatch):
    typed(monkeypatch)  # nothing typed at any PIN prompt
    code, _, err = run(capsys, "--db", str(demo_db), *argv)
    assert code == 1 and words in err
    assert err.startswith("till: ") and "Traceback" not in err


@pytest.mark.parametrize("argv, words", [
    (["sales", "export", "--from", "yesterday", "--to", "2026-01-01"], "'yesterday' is not a date"),
    (["report", "z", "--date", "2026-13-01"], "see till report z --help"),
    (["frobnicate"], "'frobnicate' is not a command; see till --help"),
    (["demo-data", "--days", "0"], "--days: '0' must be at least 1"),
    (["report", "x", "--format", "xml"], "--format cannot be 'xml'"),
    (["sales", "export"], "required: --from, --to"),
])
def test_bad_arguments_exit_2_without_a_traceback(capsys, tmp_path, argv, words):
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(tmp_path / "t.db"), *argv])
    assert exit_.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("till: ") and words in err
    assert err.count("\n") == 1 and "usage:" not in err  # one sentence, not argparse's usage block


@pytest.mark.parametrize("argv", [
    ["report", "z"], ["report", "x", "--by", "Sam Ortiz"], ["sales", "export", "--from", UNTIL, "--to", UNTIL], ["verify"],
    ["members", "export", "--by", "Sam Ortiz"], ["members", "voters", "--date", UNTIL, "--by", "Sam Ortiz"],
    ["footfall", "export", "--from", UNTIL, "--to", UNTIL], ["footfall", "report", "--from", UNTIL, "--to", UNTIL, "--by", "Sam Ortiz"],
    ["products", "import", "products.csv", "--by", "Sam Ortiz"], ["services", "import", "s.json", "--by", "Sam Ortiz"],
    ["volunteers", "hours", "--from", UNTIL, "--to", UNTIL, "--by", "Sam Ortiz"],
    ["products", "export"], ["products", "list"], ["stock", "levels"], ["volunteers", "list"],
    ["dividend", "preview", "--from", UNTIL, "--to", UNTIL, "--sum", "10", "--by", "Sam Ortiz"],
    ["rota"], ["receipt", "1"], ["backup"], ["session", "open", "--float", "50", "--operator", "Sam Ortiz"],
])
def test_a_mistyped_db_is_refused_and_nothing_is_made(capsys, tmp_path, monkeypatch, argv):
    typed(monkeypatch)
    monkeypatch.setenv("TILL_BACKUP__DIR", str(tmp_path / "backups"))
    missing = tmp_path / "nonexistent_dir" / "x.db"
    code, out, err = run(capsys, "--db", str(missing), *argv)
    assert code == 1 and out == ""
    assert err == f"till: there is no till database at {missing}; check --db or TILL_DB\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("argv", [["demo-data", "--days", "1", "--until", UNTIL], ["volunteers", "add", "Robin Sample",
                                  "--role", "manager"]])
def test_commands_that_start_a_database_still_make_one(capsys, tmp_path, monkeypatch, argv):
    typed(monkeypatch, "4321", "4321")
    products = tmp_path / "products.csv"
    products.write_text("name,price,codes\nTea,1.20,T1\n")
    path = tmp_path / "new" / "till.db"
    code, _, err = run(capsys, "--db", str(path), *[str(products) if a == "PRODUCTS" else a for a in argv])
    assert code == 0, err
    assert run(capsys, "--db", str(path), "verify")[0] == 0


def test_db_from_the_environment(capsys, monkeypatch, demo_db):
    monkeypatch.setenv("TILL_DB", str(demo_db))
    code, out, _ = run(capsys, "report", "z", "--date", UNTIL)
    assert code == 0 and "Z REPORT" in out


def test_not_a_till_database(capsys, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("shopping list: milk, bread, eggs\n" * 200)
    code, _, err = run(capsys, "--db", str(other), "products", "list")
    assert code == 1 and "cannot be used" in err


def test_the_installed_command_runs_and_pipes_quietly(demo_db):
    result = subprocess.run(
        [sys.executable, "-m", "pos.cli", "--db", str(demo_db), "sales", "export", "--from", UNTIL, "--to", UNTIL],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0 and result.stdout.startswith("sale_number,till,time,date")
    assert result.stderr == ""  # no progress bar or chatter when piped
    result = subprocess.run(
        [sys.executable, "-m", "pos.cli", "--db", str(demo_db), "demo-data", "--days", "1", "--until", "2026-11-20"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0 and "Simulated 1 days" in result.stderr and "━" not in result.stderr


def run_with_stderr_on_a_terminal(tmp_path, *argv) -> tuple[bytes, bytes]:
    """Run `till` with stdout redirected to a file and stderr a terminal (a pty): stdout, and what the terminal got."""
    import os
    import threading
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_TERMINAL", "NO_COLOR", "TTY_INTERACTIVE")}
    env["TERM"] = "xterm-256color"
    target = tmp_path / "stdout"
    controller, terminal = os.openpty()
    seen: list[bytes] = []

    def read_terminal() -> None:  # read as it comes, so a full pty buffer never blocks the command
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the command has exited and closed its end
                return
            if not chunk:
                return
            seen.append(chunk)

    reader = threading.Thread(target=read_terminal)
    with target.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "pos.cli", *argv], stdout=out, stderr=terminal,
                                   cwd=Path(__file__).parents[1], env=env)
        os.close(terminal)
        reader.start()
        assert process.wait(timeout=120) == 0
    reader.join()
    os.close(controller)
    return target.read_bytes(), b"".join(seen)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
@pytest.mark.parametrize("argv, bar", [
    (["sales", "export", "--from", "2026-11-01", "--to", UNTIL], b"Exporting sales"),
    (["products", "export"], b"Exporting products"),
])
def test_an_export_to_stdout_stays_clean_when_stderr_is_a_terminal(capsys, tmp_path, demo_db, argv, bar):
    exported, terminal = run_with_stderr_on_a_terminal(tmp_path, "--db", str(demo_db), *argv)
    assert bar in terminal  # the progress bar is drawn, on stderr
    run(capsys, "--db", str(demo_db), *argv, "--out", str(tmp_path / "file.csv"))
    assert exported == (tmp_path / "file.csv").read_bytes() and b"\x1b" not in exported


def test_demo_command_prints_the_last_z_report(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    code, out, err = run(capsys, "demo", "--days", "2", "--seed", "3", "--no-screen")
    assert code == 0 and "Z REPORT" in out and "throwaway" in err
    assert not list(tmp_path.glob("community-till-demo-*"))  # removed at the end: it was throwaway


def test_export_to_a_file_counts_the_rows(capsys, demo_db, tmp_path):
    from datetime import date

    from pos.database import open_database
    from pos.sales_export import count_lines

    target = tmp_path / "sales.csv"
    run(capsys, "sales", "export", "--db", str(demo_db), "--from", "2026-11-01", "--to", UNTIL, "--out", str(target))
    rows = target.read_text().count("\n") - 1
    assert rows == count_lines(open_database(demo_db), date(2026, 11, 1), date.fromisoformat(UNTIL)) > 0


def test_print_test_page_to_preview_and_to_a_file(capsys, tmp_path):
    code, out, err = run(capsys, "--db", str(tmp_path / "t.db"), "print-test", "--printer", "preview")
    assert code == 0 and "£" in out and "preview printer" in err
    target = tmp_path / "lp0"
    code, out, _ = run(capsys, "--db", str(tmp_path / "t.db"), "print-test", "--printer", f"file:{target}")
    assert code == 0 and target.read_bytes().startswith(b"\x1b@")


def test_receipt_reprint_and_bad_printer_spec(capsys, demo_db):
    code, out, _ = run(capsys, "--db", str(demo_db), "receipt", "1", "--printer", "preview")
    assert code == 0 and "COPY" in out and "till-1 #1" in out
    code, _, err = run(capsys, "--db", str(demo_db), "receipt", "1", "--printer", "fax:123")
    assert code == 1 and "fax" in err and "Traceback" not in err
    code, _, err = run(capsys, "--db", str(demo_db), "receipt", "999999")
    assert code == 1 and "no sale number 999999" in err


def _refused(path, *sale_numbers):
    """As if the till's printer had refused these sales' receipts."""
    from pos.config import Settings
    from pos.database import open_database
    from pos.shop import Shop

    shop = Shop(settings=Settings(db=path), db=open_database(path))
    for number in sale_numbers:
        shop.till.receipt_failed(shop.till.get_sale(number).id, f"The printer at 10.0.0.9:9100 refused sale {number}")
    shop.db.close()


def test_receipts_waiting_lists_those_a_printer_refused(capsys, demo_db):
    db = ["--db", str(demo_db)]
    code, out, err = run(capsys, *db, "receipts", "waiting")
    assert code == 0 and out == "" and "No receipts are waiting to print" in err
    _refused(demo_db, 2, 3)
    code, out, err = run(capsys, *db, "receipts", "waiting")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2 and err == ""
    assert re.match(r"Sale 2  \d\d \w{3} \d\d:\d\d  £\d+\.\d\d  The printer at 10\.0\.0\.9:9100 refused sale 2$",
                    lines[0])
    assert lines[1].startswith("Sale 3 ")
    code, out, _ = run(capsys, *db, "--till", "till-2", "receipts", "waiting")
    assert code == 0 and out == ""  # another till's receipts are its own


def test_receipts_print_waiting_prints_them_and_empties_the_list(capsys, demo_db):
    db = ["--db", str(demo_db)]
    _refused(demo_db, 2, 3)
    code, out, err = run(capsys, *db, "receipts", "print-waiting", "--printer", "preview")
    assert code == 0 and out.count("till-1 #") == 2 and "COPY" not in out
    assert "Printed 2 receipts that had been waiting" in err
    code, out, err = run(capsys, *db, "receipts", "waiting")
    assert out == "" and "No receipts are waiting" in err
    code, out, err = run(capsys, *db, "receipts", "print-waiting")
    assert code == 0 and out == "" and "No receipts are waiting" in err


def test_receipts_print_waiting_stops_at_a_printer_that_refuses(capsys, demo_db):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again before use: nothing listens there
    db = ["--db", str(demo_db)]
    _refused(demo_db, 2, 3)
    code, out, err = run(capsys, *db, "receipts", "print-waiting", "--printer", f"network:127.0.0.1:{port}")
    assert code == 1 and out == "" and "Traceback" not in err and err.count("\n") == 1
    assert err.startswith("till: sale 2's receipt did not print: ") and "127.0.0.1" in err
    assert err.rstrip().endswith("2 receipts are still waiting")
    code, out, _ = run(capsys, *db, "receipts", "waiting")
    assert out.splitlines()[0].endswith("refused the connection; check the address and port are right and the "
                                        "printer is switched on")  # the new reason replaces the old
    code, _, err = run(capsys, *db, "receipts", "print-waiting", "--printer", "fax:1")
    assert code == 1 and "'fax' is not a kind of printer" in err


def test_unreachable_printer_is_one_sentence(capsys, demo_db):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again before use: nothing listens there
    code, _, err = run(capsys, "--db", str(demo_db), "print-test", "--printer", f"network:127.0.0.1:{port}")
    assert code == 1 and "127.0.0.1" in err and "Traceback" not in err


def test_members_register_duplicate_voters_and_card(capsys, demo_db, tmp_path, monkeypatch):
    db = ["--db", str(demo_db)]
    lead = ["--by", "Priya Kell"]
    typed(monkeypatch, "3333")
    code, _, err = run(capsys, *db, "members", "export", "--by", "Jo Beckford")
    assert code == 1 and "needs a shift lead" in err.lower()  # personal data: not for every volunteer
    typed(monkeypatch, "2222")
    code, out, _ = run(capsys, *db, "members", "export", *lead)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and rows and list(rows[0]) == [
        "number", "name", "address", "email", "shares_held", "amount_paid_pence", "other_property_pence",
        "date_admitted", "date_ceased"]
    assert all(int(r["shares_held"]) >= 1 for r in rows)
    typed(monkeypatch, "2222")
    code, out, _ = run(capsys, *db, "members", "export", "--duplicate", "--format", "json", *lead)
    duplicate = json.loads(out)
    assert [set(r) for r in duplicate] == [{"name", "address"}] * len(rows)  # no money in it
    typed(monkeypatch, "2222")
    code, out, err = run(capsys, *db, "members", "voters", "--date", UNTIL, *lead)
    assert code == 0 and len(out.splitlines()) - 1 == len(rows) and "one member, one vote" in err
    typed(monkeypatch, "2222")
    code, out, _ = run(capsys, *db, "members", "voters", "--date", "2020-01-01", *lead)
    assert out.splitlines() == ["number,name"]
    card = tmp_path / "card.png"
    typed(monkeypatch, "2222")
    code, _, err = run(capsys, *db, "members", "card", rows[0]["number"], "--png", str(card), *lead)
    assert code == 1 and "add --reissue" in err and not card.exists()  # no copy of the old card's code is kept
    typed(monkeypatch, "2222")
    code, _, _ = run(capsys, *db, "members", "card", rows[0]["number"], "--reissue", "--png", str(card), *lead)
    assert code == 0 and card.read_bytes().startswith(b"\x89PNG")
    code, _, err = run(capsys, *db, "members", "card", "M9999", "--png", str(card), *lead)
    assert code == 1 and "no member number M9999" in err


def test_the_card_command_keeps_no_copy_and_the_sar_shows_none(capsys, demo_db, tmp_path, monkeypatch):
    from coop.personal_data import subject_access, to_json
    from pos.database import open_database

    receipts = tmp_path / "receipts"
    monkeypatch.setenv("TILL_RECEIPTS_DIR", str(receipts))
    typed(monkeypatch, "2222")
    code, out, err = run(capsys, "--db", str(demo_db), "members", "card", "M0001", "--reissue", "--print",
                         "--printer", "preview", "--by", "Priya Kell")
    assert code == 0 and "[QR: MEMBER:" in out and "not saved" in err
    assert not receipts.exists() or not list(receipts.iterdir())  # once: card-M0001.txt held the token
    token = out.split("[QR: MEMBER:")[1].split("]")[0]
    db = open_database(demo_db)
    assert token not in to_json(subject_access(db, "M0001", society="Café", made_at="2026-11-20T10:00:00Z"))


def test_dividend_preview_and_declare(capsys, demo_db, monkeypatch):
    db = ["--db", str(demo_db)]
    window = ["--from", "2026-11-01", "--to", UNTIL, "--sum", "100"]
    typed(monkeypatch, "2222")  # a shift lead: the dividend is the board's, on the treasurer's figures
    code, _, err = run(capsys, *db, "dividend", "preview", *window, "--by", "Priya Kell")
    assert code == 1 and "needs a manager, a treasurer or a board member; priya kell is a shift lead" in err.lower()
    typed(monkeypatch, "6666")  # Tomasz, the treasurer
    code, out, _ = run(capsys, *db, "dividend", "preview", *window, "--format", "csv", "--by", "Tomasz Nowicki")
    parts = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and sum(int(p["part_pence"]) for p in parts) == 10000
    typed(monkeypatch, "3333")
    code, _, err = run(capsys, *db, "dividend", "declare", *window, "--by", "Jo Beckford")
    assert code == 1 and "needs a manager" in err.lower()
    typed(monkeypatch, "1111")
    code, _, err = run(capsys, *db, "dividend", "declare", *window, "--by", "Sam Ortiz")
    assert code == 0 and "declared" in err
    typed(monkeypatch, "1111")
    code, _, err = run(capsys, *db, "dividend", "declare", *window, "--by", "Sam Ortiz")
    assert code == 1 and "overlapping" in err


def test_shares_from_request_to_payment(capsys, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text("[coop]\nmin_shares = 1\nnotice_days = 0\nwithdrawals_suspended = false\n")
    monkeypatch.setenv("TILL_CONFIG", str(config))
    db = ["--db", str(tmp_path / "shop.db")]
    run(capsys, *db, "demo-data", "--days", "2", "--until", UNTIL)
    typed(monkeypatch, "2222", "2222")  # opening the till, then buying shares
    assert run(capsys, *db, "session", "open", "--float", "20", "--operator", "Priya Kell")[0] == 0
    code, _, err = run(capsys, *db, "shares", "buy", "M0001", "5", "--by", "Priya Kell")
    assert code == 0 and "take £5.00" in err
    typed(monkeypatch, "2222", "2222")
    held = int(next(r for r in csv.DictReader(io.StringIO(run(capsys, *db, "members", "export", "--by", "Priya Kell")[1]))
                    if r["number"] == "M0001")["shares_held"])
    code, _, err = run(capsys, *db, "shares", "request", "M0001", str(held), "--by", "Priya Kell")
    assert code == 0 and "Request" in err
    request = err.split()[1].rstrip(":")
    typed(monkeypatch, "2222")
    code, _, err = run(capsys, *db, "shares", "pay", request, "--by", "Priya Kell")
    assert code == 1 and "not approved" in err
    typed(monkeypatch, "3333")
    code, _, err = run(capsys, *db, "shares", "decide", request, "approved", "--by", "Jo Beckford")
    assert code == 1 and "needs a manager or a board member" in err.lower()
    typed(monkeypatch, "1111")  # Sam: a manager, and on the board
    assert run(capsys, *db, "shares", "decide", request, "approved", "--by", "Sam Ortiz")[0] == 0
    typed(monkeypatch, "2222")
    code, _, err = run(capsys, *db, "shares", "pay", request, "--by", "Priya Kell")
    assert code == 0 and f"£{held}.00" in err
    typed(monkeypatch, "2222")
    code, out, _ = run(capsys, *db, "shares", "withdrawals", "--by", "Priya Kell")
    assert "paid" in out
    typed(monkeypatch, "2222")
    code, out, _ = run(capsys, *db, "report", "x", "--format", "json", "--by", "Priya Kell")
    x = json.loads(out)
    assert x["share_capital_in_pence"] == 500 and x["share_capital_out_pence"] == held * 100
    card = tmp_path / "new.png"
    typed(monkeypatch, "2222")
    code, _, err = run(capsys, *db, "members", "card", "M0002", "--reissue", "--by", "Priya Kell", "--png", str(card))
    assert code == 0 and "old one no longer works" in err and card.exists()


def test_volunteer_hours_match_the_shifts_to_the_minute(capsys, demo_db, monkeypatch):
    from pos.database import open_database

    typed(monkeypatch, "1111")
    code, out, _ = run(capsys, "--db", str(demo_db), "volunteers", "hours", "--from", "2026-11-01", "--to", UNTIL,
                       "--format", "csv", "--by", "Sam Ortiz")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and rows
    db = open_database(demo_db)
    minutes = db.execute("""select sum((julianday(ended_at) - julianday(started_at)) * 1440) from shifts""").fetchone()[0]
    assert abs(sum(int(r["minutes"]) for r in rows) - minutes) < len(rows) + 1  # whole minutes per shift
    assert all(int(r["credits"]) == int(r["minutes"]) // 60 for r in rows)
    typed(monkeypatch, "1111")
    code, out, _ = run(capsys, "--db", str(demo_db), "volunteers", "hours", "--from", "2026-11-01", "--to", UNTIL,
                       "--by", "Sam Ortiz")
    assert code == 0 and "Total" in out


def test_training_records_and_status(capsys, demo_db, monkeypatch):
    db = ["--db", str(demo_db)]
    typed(monkeypatch, "1111")
    code, _, err = run(capsys, *db, "volunteers", "training", "Jo Beckford", "--kind", "Food hygiene",
                       "--certified", "2023-11-01", "--expires", "2026-11-01", "--by", "Sam Ortiz")
    assert code == 0 and "Recorded" in err
    code, out, _ = run(capsys, *db, "volunteers", "training-status")
    assert "Jo Beckford" in out and "Food hygiene" in out and "expired" in out


def test_managers_edit_show_and_retire_volunteers(capsys, demo_db, monkeypatch):
    db = ["--db", str(demo_db)]
    typed(monkeypatch, "2222")
    code, _, err = run(capsys, *db, "volunteers", "show", "Jo Beckford", "--by", "Priya Kell")
    assert code == 1 and "needs a manager" in err.lower()  # a shift lead does not see others' details
    typed(monkeypatch, "1111")
    assert run(capsys, *db, "volunteers", "edit", "Jo Beckford", "--role", "shift_lead", "--member", "m0003",
               "--emergency-contact", "Sam 07700 900123", "--by", "Sam Ortiz")[0] == 0
    typed(monkeypatch, "1111")
    code, out, _ = run(capsys, *db, "volunteers", "show", "Jo Beckford", "--by", "Sam Ortiz")
    assert "shift_lead" in out and "M0003" in out and "07700 900123" in out
    typed(monkeypatch, "1111")
    code, _, err = run(capsys, *db, "volunteers", "retire", "Jo Beckford", "--by", "Sam Ortiz")
    assert code == 0 and "stay on record" in err
    assert "Jo Beckford" not in run(capsys, *db, "volunteers", "list")[1]


def test_the_rota_for_a_week_and_its_gaps(capsys, demo_db):
    code, out, _ = run(capsys, "--db", str(demo_db), "rota", "--week", "2026-11-25")
    assert code == 0 and "Mon 23 Nov 09:00-13:00 Café morning: Jo Beckford, Alex Moreno" in out
    assert len(out.splitlines()) == 11
    code, out, _ = run(capsys, "--db", str(demo_db), "rota", "--week", "2026-11-25", "--gaps")
    assert code == 0 and len(out.splitlines()) == 3 and all("NEEDS" in line for line in out.splitlines())


def test_services_import_list_and_a_footfall_export(capsys, demo_db, tmp_path, monkeypatch):
    from pathlib import Path

    data = Path(__file__).parent / "data" / "oruk"
    db = ["--db", str(demo_db)]
    bad = tmp_path / "bad.json"
    bad.write_text('{"contents": [{"id": "x", "name": "X"}]}')
    lead = ["--by", "Priya Kell"]
    typed(monkeypatch, "2222")
    code, _, err = run(capsys, *db, "services", "import", str(data / "services.csv"), str(bad), *lead)
    assert code == 1 and "bad.json item 1, status: is missing" in err and "nothing was changed" in err
    typed(monkeypatch, "2222")
    code, _, err = run(capsys, *db, "services", "import", str(data / "page.json"), "--directory", "green-lane", *lead)
    assert code == 0 and "4 new" in err
    code, out, _ = run(capsys, *db, "services", "list")
    assert "Stay and play" in out and "Toy library" not in out
    code, out, _ = run(capsys, *db, "services", "list", "--all")
    assert "Toy library" in out
    out_file = tmp_path / "centre.json"
    code, _, err = run(capsys, *db, "footfall", "export", "--from", "2026-11-16", "--to", "2026-11-22", "--format", "json",
                       "--out", str(out_file))
    document = json.loads(out_file.read_text())
    assert code == 0 and document["schema_version"] == 2 and len(document["daily"]) == 7
    code, out, _ = run(capsys, *db, "footfall", "export", "--from", "2026-11-16", "--to", "2026-11-22")
    assert out.splitlines()[0] == "period,start,end,measure,service_id,directory,service_name,value"
    typed(monkeypatch, "2222")
    code, out, _ = run(capsys, *db, "footfall", "report", "--from", "2026-11-16", "--to", "2026-11-22", "--controlled", *lead)
    assert code == 0 and "Visits (every sale)" in out and "disclosure control" in out


def test_subject_access_and_erasure_need_a_manager(capsys, demo_db, monkeypatch, tmp_path):
    from pos.database import open_database

    db = ["--db", str(demo_db)]
    typed(monkeypatch, "2222")
    code, _, err = run(capsys, *db, "members", "sar", "M0001", "--by", "Priya Kell")
    assert code == 1 and "needs a manager" in err
    typed(monkeypatch, "1111")
    out_file = tmp_path / "sar.json"
    code, _, err = run(capsys, *db, "members", "sar", "M0001", "--by", "Sam Ortiz", "--out", str(out_file))
    document = json.loads(out_file.read_text())
    assert code == 0 and document["member"]["number"] == "M0001" and document["purchases"] is not None
    typed(monkeypatch, "1111")
    code, _, err = run(capsys, *db, "members", "erase", "M0001", "--by", "Sam Ortiz")
    assert code == 0 and "register entry" in err
    audit = [row[0] for row in open_database(demo_db).execute("select detail from audit_log")]
    assert "command line: members sar M0001" in audit and "command line: members erase M0001" in audit
    assert any(d.endswith("joined with 5 shares") or "joined with" in d for d in audit)


def test_cash_dividend_register_changes_and_card_printing(capsys, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[coop]\ndividend_payout = "cash"\n')
    monkeypatch.setenv("TILL_CONFIG", str(config))
    db = ["--db", str(tmp_path / "shop.db")]
    lead = ["--by", "Priya Kell"]
    run(capsys, *db, "demo-data", "--days", "2", "--until", "2026-11-18")  # gives the demo PINs
    typed(monkeypatch, "1111")
    assert run(capsys, *db, "dividend", "declare", "--from", "2026-11-17", "--to", "2026-11-18", "--sum", "50",
               "--by", "Sam Ortiz")[0] == 0
    typed(monkeypatch, "2222")
    code, out, err = run(capsys, *db, "dividend", "owed", *lead)
    owed = [line.split() for line in out.splitlines()]
    assert code == 0 and owed and "owed in cash, £50.00 in all" in err
    typed(monkeypatch, "2222")
    code, _, err = run(capsys, *db, "dividend", "pay", owed[0][0], *lead)
    assert code == 1 and "not open" in err  # cash comes from an open till
    typed(monkeypatch, "2222", "2222")
    assert run(capsys, *db, "session", "open", "--float", "20", "--operator", "Priya Kell")[0] == 0
    code, _, err = run(capsys, *db, "dividend", "pay", owed[0][0], *lead)
    assert code == 0 and f"Pay {owed[0][-1]} from the till" in err
    typed(monkeypatch, "2222")
    code, _, err = run(capsys, *db, "dividend", "pay", owed[1][0], "--credit", *lead)
    assert code == 0 and "as till credit" in err
    typed(monkeypatch, "2222")
    x = json.loads(run(capsys, *db, "report", "x", "--format", "json", *lead)[1])
    assert x["dividend_paid_pence"] == int(owed[0][-1].strip("£").replace(".", ""))
    typed(monkeypatch, "2222")
    assert "settled already" in run(capsys, *db, "dividend", "pay", owed[0][0], *lead)[2]

    typed(monkeypatch, "2222")
    code, _, err = run(capsys, *db, "members", "update", "M0001", "--address", "2 Green Walk", "--dividend",
                       "shares", *lead)
    assert code == 0 and "address, dividend_payout" in err
    typed(monkeypatch, "2222")
    code, _, err = run(capsys, *db, "members", "update", "M0001", "--email", "a@example.org", *lead)
    assert code == 1 and "what the email may be used for" in err
    typed(monkeypatch, "2222")
    code, _, err = run(capsys, *db, "members", "cease", "M0001", "--reason", "moved away", *lead)
    assert code == 1 and "withdraw them first" in err
    typed(monkeypatch, "2222")
    code, _, err = run(capsys, *db, "members", "pay-credit", owed[1][1], *lead)
    assert code == 0 and f"Pay {owed[1][-1]} of till credit" in err
    typed(monkeypatch, "2222")
    code, _, err = run(capsys, *db, "members", "pay-credit", owed[1][1], *lead)
    assert code == 1 and "no till credit" in err
    printed = tmp_path / "card.bin"
    typed(monkeypatch, "2222")
    code, _, err = run(capsys, *db, "members", "card", "M0001", "--reissue", "--print", "--printer",
                     f"file:{printed}", *lead)
    assert code == 0 and printed.read_bytes()  # once crashed: the card command had no --printer


@pytest.mark.parametrize("spec, library, kind", [("usb:04b8:0202", "pyusb", "USB"),
                                                 ("serial:/dev/ttyUSB9", "pyserial", "Serial")])
def test_a_printer_library_that_is_missing_is_one_sentence_naming_the_fix(capsys, tmp_path, monkeypatch,
                                                                          spec, library, kind):
    import escpos.printer.serial
    import escpos.printer.usb

    # As on a till where the optional extra was never installed, even if this machine has it.
    monkeypatch.setattr(escpos.printer.usb, "_DEP_USB", False)
    monkeypatch.setattr(escpos.printer.serial, "_DEP_PYSERIAL", False)
    code, out, err = run(capsys, "--db", str(tmp_path / "x.db"), "print-test", "--printer", spec)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"till: {kind} printers need the {library} library, which is not installed;")
    assert f"-m pip install '{library}>=" in err



# Issue 12: a volunteer's first day, tried as a new user would ------------------------------------


def _open(capsys, monkeypatch, db, who="Sam Ortiz", pin="1111"):
    typed(monkeypatch, pin)
    code, _, err = run(capsys, *db, "session", "open", "--float", "50", "--operator", who)
    assert code == 0, err


def _close(capsys, monkeypatch, db, counted="50"):
    typed(monkeypatch, "1111")
    code, out, err = run(capsys, *db, "report", "z", "--counted", counted, "--operator", "Sam Ortiz")
    assert code == 0, err
    return out


def test_report_z_with_no_date_is_the_last_z_even_while_the_till_is_open(capsys, demo_db, monkeypatch, tmp_path):
    monkeypatch.setenv("TILL_BACKUP__DIR", str(tmp_path / "backups"))
    db = ["--db", str(demo_db)]
    _open(capsys, monkeypatch, db)
    code, out, err = run(capsys, *db, "report", "z")
    assert code == 0 and "Z REPORT" in out and f"Trading day{UNTIL:>31}" in out
    assert f"till-1 is open now; this is the last Z, of {UNTIL}" in err
    # Closed twice in one day: the day's Z is both together, and says so.
    _close(capsys, monkeypatch, db)
    _open(capsys, monkeypatch, db)
    _close(capsys, monkeypatch, db)
    code, out, _ = run(capsys, *db, "report", "z", "--format", "json")
    z = json.loads(out)
    assert code == 0 and len(z["z_numbers"]) == 2
    code, out, err = run(capsys, *db, "report", "z", "--date", z["date"])
    assert code == 0 and f"closed 2 times on {z['date']}: this report is those Zs together" in err
    assert re.search(r"^Z numbers, together +\d+, \d+$", out, re.M)


def test_the_x_report_needs_a_shift_lead_or_manager_and_their_pin(capsys, demo_db, monkeypatch):
    db = ["--db", str(demo_db)]
    _open(capsys, monkeypatch, db)
    with pytest.raises(SystemExit):
        main([*db, "report", "x"])
    assert "required: --by" in capsys.readouterr().err
    typed(monkeypatch, "3333")  # Jo Beckford, a volunteer: the count must stay blind for her
    code, out, err = run(capsys, *db, "report", "x", "--by", "Jo Beckford")
    assert code == 1 and out == "" and "Expected" not in err
    assert err == ("till: The X report (it shows the cash the till expects) (till report x) needs a shift lead or "
                   "a manager; Jo Beckford is a volunteer\n")
    typed(monkeypatch, "9999")
    code, out, err = run(capsys, *db, "report", "x", "--by", "Priya Kell")
    assert code == 1 and out == "" and "not right" in err
    typed(monkeypatch, "2222")  # Priya Kell, shift lead
    code, out, _ = run(capsys, *db, "report", "x", "--by", "Priya Kell", "--format", "json")
    assert code == 0 and json.loads(out)["cash_expected_pence"] > 0


def test_a_count_with_its_total_reads_as_the_total(capsys, demo_db):
    from pos.report_text import render_report
    from pos.reports import TillReport

    code, out, _ = run(capsys, "--db", str(demo_db), "report", "z", "--date", UNTIL)
    assert code == 0 and " x £" not in out and " x -£" not in out
    assert re.search(r"^Voided baskets +\d+, £\d+\.\d\d in all$", out, re.M)
    assert re.search(r"^Refunds +(\d+, -?£\d+\.\d\d in all|none)$", out, re.M)
    z = TillReport.model_validate(json.loads(run(capsys, "--db", str(demo_db), "report", "z", "--format", "json")[1]))
    text = render_report(z.model_copy(update={"voids_count": 2, "voids_pence": 600, "refunds_count": 0,
                                              "refunds_pence": 0}))
    assert f"{'Voided baskets':<27}2, £6.00 in all" in text.splitlines()  # 42 columns, as printed
    assert f"{'Refunds':<38}none" in text.splitlines()  # not '0, £0.00 in all'


#: The export's columns as release 0.1 wrote them: a treasurer's old spreadsheet reads these, in this order.
COLUMNS_0_1 = ["sale_number", "till", "time", "date", "operator", "member_number", "product", "quantity",
               "unit_price_pence", "discount_pence", "line_total_pence", "vat_class", "kind",
               "refund_of_sale_number", "product_id", "category", "vat_rate_bp", "pass_through", "healthy_start",
               "eat_in", "discount_reason"]
TENDER_COLUMNS = ["tender_cash_pence", "tender_card_pence", "tender_healthy_start_pence", "tender_voucher_pence",
                  "tender_member_credit_pence", "tender_time_credits_pence"]


def test_the_sales_export_carries_each_sales_tenders_to_reconcile_the_card_takings(capsys, demo_db):
    db = ["--db", str(demo_db)]
    _, exported, _ = run(capsys, *db, "sales", "export", "--from", "2026-11-17", "--to", UNTIL)
    reader = csv.DictReader(io.StringIO(exported))
    assert reader.fieldnames == COLUMNS_0_1 + TENDER_COLUMNS  # old columns first, as they were
    rows = list(reader)
    seen = set()
    for row in rows:  # on each sale's first line only
        first = (row["till"], row["sale_number"]) not in seen
        seen.add((row["till"], row["sale_number"]))
        assert all((row[c] != "") == first for c in TENDER_COLUMNS), row
    for day in ("2026-11-17", "2026-11-18", UNTIL):
        z = json.loads(run(capsys, *db, "report", "z", "--date", day, "--format", "json")[1])
        for kind in ("cash", "card", "healthy_start", "voucher"):
            column = sum(int(r[f"tender_{kind}_pence"] or 0) for r in rows if r["date"] == day)
            assert column == z["tenders"].get(kind, 0), (day, kind)
    _, exported, _ = run(capsys, *db, "sales", "export", "--from", UNTIL, "--to", UNTIL, "--format", "json")
    lines = json.loads(exported)
    assert list(lines[0]) == COLUMNS_0_1 + TENDER_COLUMNS and isinstance(lines[0]["tender_card_pence"], int)


def test_dates_as_the_screens_show_them_or_as_files_hold_them(capsys, demo_db):
    db = ["--db", str(demo_db)]
    british = run(capsys, *db, "report", "z", "--date", "19/11/2026")
    assert british[0] == 0 and british == run(capsys, *db, "report", "z", "--date", UNTIL)
    exported = run(capsys, *db, "sales", "export", "--from", "17/11/2026", "--to", "19/11/2026")
    assert exported[0] == 0 and exported == run(capsys, *db, "sales", "export", "--from", "2026-11-17", "--to", UNTIL)
    with pytest.raises(SystemExit):
        main([*db, "report", "z", "--date", "11/19/2026"])  # the American way round cannot be a day
    assert "'11/19/2026' is not a date (write it as YYYY-MM-DD or DD/MM/YYYY)" in capsys.readouterr().err


def test_every_date_option_says_how_to_write_a_date():
    import argparse

    from pos.cli import COMMANDS, build_parser
    from pos.cli.options import DATE_FORMS, a_date

    def parsers(parser):
        yield parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    yield from parsers(sub)

    dated = []
    for command in COMMANDS:
        for parser in parsers(build_parser(command)):
            for option in parser._actions:
                if option.type is a_date:
                    dated.append((parser.prog, option.option_strings))
                    assert option.help and DATE_FORMS in option.help, (parser.prog, option.option_strings)
    assert len(dated) >= 15  # --from/--to/--date/--until/--week/--certified/--expires across the commands


@given(st.dates(min_value=date(FIRST_YEAR, 1, 1), max_value=date(LAST_YEAR, 12, 31)),
       st.sampled_from(["%Y-%m-%d", "%d/%m/%Y", "%Y-%-m-%-d", "%-d/%-m/%Y"]))
def test_a_date_reads_both_forms_the_same(day, form):
    from pos.cli.options import a_date

    text = f"{day.year:04d}" + day.strftime(form.replace("%Y", "")) if form.startswith("%Y") else \
        day.strftime(form.replace("%Y", "")) + f"{day.year:04d}"
    assert a_date(text) == day


@given(st.text(alphabet="0123456789/-. aZ", max_size=12))
def test_a_date_is_a_date_or_a_plain_refusal(text):
    import argparse

    from pos.cli.options import a_date

    try:
        day = a_date(text)
    except argparse.ArgumentTypeError as error:
        assert str(error) == f"'{text}' is not a date (write it as YYYY-MM-DD or DD/MM/YYYY)"
        return
    # Read only one way: the four-digit year at one end, the day and month in their places.
    parts = [int(p) for p in re.split(r"[-/]", text.strip())]
    assert (day.year, day.month, day.day) in {tuple(parts), tuple(reversed(parts))}
    assert ("/" in text and parts[2] == day.year) or ("-" in text and parts[0] == day.year)


def test_a_refusal_names_the_command_refused(capsys, demo_db, monkeypatch):
    typed(monkeypatch, "3333")  # Jo Beckford, a volunteer
    code, out, err = run(capsys, "--db", str(demo_db), "members", "export", "--by", "Jo Beckford")
    assert code == 1 and out == "" and "looking a member up" not in err.lower()
    assert err == ("till: Exporting the register of members (till members export) needs a shift lead or a manager; "
                   "Jo Beckford is a volunteer\n")


@pytest.mark.parametrize("argv, words", [
    (["members", "labels"], "'labels' is not an action; see till members --help"),
    (["report", "labels"], "'labels' is not a kind; see till report --help"),
])
def test_a_mistyped_action_reads_as_english(capsys, tmp_path, argv, words):
    with pytest.raises(SystemExit):
        main(["--db", str(tmp_path / "t.db"), *argv])
    assert capsys.readouterr().err == f"till: {words}\n"


def test_verify_says_a_mistyped_reference_is_not_one(capsys, demo_db):
    db = ["--db", str(demo_db)]
    _, out, _ = run(capsys, *db, "verify")
    number, digest = re.search(r"the newest is #(\d+) ([0-9a-f]{12})", out).groups()
    assert run(capsys, *db, "verify", "--expect", f"#{number} {digest}")[0] == 0
    for typo in (f"#{number} {digest[:-1]}", f"#{number} {digest}0", f"#{number} {digest[:-1]}o", f"{digest}"):
        code, out, err = run(capsys, *db, "verify", "--expect", typo)
        assert code == 1 and out == "" and "cut short" not in err
        assert err.startswith(f"till: '{typo}' is not a journal reference: a Z prints one as '#683 420eb82430fa'")
    other = "0" if digest[-1] != "0" else "1"
    code, out, _ = run(capsys, *db, "verify", "--expect", f"#{number} {digest[:-1]}{other}")
    assert code == 1 and f"printed {digest[:-1]}{other}, now {digest}" in out and "unless the reference was mistyped" in out


def _paths(model, found=None):
    """Every file or folder a settings model names, nested sections included."""
    from pathlib import Path

    from pydantic import BaseModel

    found = [] if found is None else found
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, Path):
            found.append(value)
        elif isinstance(value, BaseModel):
            _paths(value, found)
    return found


def test_the_demo_keeps_everything_in_its_own_folder(tmp_path):
    from pos.cli.demo import demo_settings
    from pos.config import load_settings

    folder = tmp_path / "community-till-demo-x"
    settings = demo_settings(load_settings(db=None, till_id=None), folder)
    paths = _paths(settings)
    assert len(paths) >= 3 and all(path.is_relative_to(folder) for path in paths), paths
    assert settings.backup.dir == folder / "backups"


def test_the_demo_removes_its_folder_unless_kept(capsys, tmp_path, monkeypatch, isolated_dirs):
    from pos.cli import demo

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    backups = []

    def the_screen_with_a_z(ctx, demo_pins):  # what the screen's Z does after the count
        backups.append(ctx.shop().backup_after_z())
        return 0

    monkeypatch.setattr(demo, "run_screen", the_screen_with_a_z)
    code, _, err = run(capsys, "demo", "--days", "1", "--seed", "3")
    assert code == 0 and "throwaway" in err and "removed at the end" in err
    assert backups[0].parent.name == "backups" and backups[0].parent.parent.name.startswith("community-till-demo-")
    assert not list(tmp_path.glob("community-till-demo-*"))  # the demo's backup went with its folder
    assert not list(isolated_dirs.rglob("*.db"))  # and nothing reached the real data folder
    code, out, err = run(capsys, "demo", "--days", "1", "--seed", "3", "--no-screen", "--keep")
    [kept] = tmp_path.glob("community-till-demo-*")
    assert code == 0 and "Z REPORT" in out and f"The demo shop is kept in {kept}." in err
    assert (kept / "demo.db").exists()


def test_volunteers_are_given_several_roles_with_commas_and_a_wrong_role_is_a_usage_message(capsys, tmp_path,
                                                                                              monkeypatch):
    db = ["--db", str(tmp_path / "shop.db")]
    typed(monkeypatch, "4321", "4321")
    assert run(capsys, *db, "volunteers", "add", "Robin Sample", "--role", "manager,board_member")[0] == 0
    typed(monkeypatch, "4321", "1111", "1111")
    with pytest.raises(SystemExit) as usage:
        main([*db, "volunteers", "add", "Ruth Sample", "--role", "treasurer, chair", "--by", "Robin Sample"])
    assert usage.value.code == 2 and "no role called 'chair'" in capsys.readouterr().err
    code, _, err = run(capsys, *db, "volunteers", "add", "Ruth Sample", "--role", "treasurer,volunteer", "--by",
                       "Robin Sample")
    assert code == 0 and "Added Ruth Sample (volunteer, treasurer)." in err
    listed = run(capsys, *db, "volunteers", "list")[1]
    assert "Robin Sample  (manager, board member)" in listed and "Ruth Sample  (volunteer, treasurer)" in listed
