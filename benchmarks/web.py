"""The web back office's benchmarks, for benchmarks/run.py (`--only web`):

- web_statement_p95_ms: the member's statement page (signed in, over HTTP through the whole app: session,
  role check, the figures from coop/ and pos/membership.py, the template, the audit entry) on the
  three-year database, for its busiest member; web_statement_ratio: that against reading the same figures
  with bare SQL (what the page cannot do faster than);
- web_startup_ms: `till web` from the command to its first page answered;
- the till's own start-up (tui_startup_ms) is measured by run.py's bench_tui in the same run, to show
  the web changed nothing there; tui_web_modules counts the web's modules (starlette, jinja2, uvicorn,
  multipart, access, pos.web) the till's start-up loads, which must stay 0: the web costs the till nothing
  at start whatever the machine's noise says.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a benchmark password"


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def busiest_member(db: sqlite3.Connection) -> str:
    return db.execute("select member_number from sale_lines where member_number is not null"
                      " group by member_number order by count(*) desc limit 1").fetchone()[0]


def statement_by_sql(db: sqlite3.Connection, number: str, today: date) -> dict:
    """The statement's figures and lists with nothing but SQL: the floor for the page."""
    member_id = db.execute("select id from members where number = ?", [number]).fetchone()[0]
    shares, paid_in = db.execute(
        "select coalesce(sum(shares), 0), coalesce(sum(case when kind = 'purchase' and amount_pence > 0"
        " then amount_pence end), 0) from share_ledger where member_id = ?", [member_id]).fetchone()
    purchases = db.execute(
        "select coalesce(sum(l.line_total_pence), 0) from sale_lines l join sales s on s.id = l.sale_id"
        " where s.business_date between ? and ? and l.member_number = ? and l.pass_through = 0",
        [date(today.year, 1, 1).isoformat(), today.isoformat(), number]).fetchone()[0]
    earned = db.execute("select coalesce(sum(part_pence), 0) from dividend_parts where member_id = ?",
                        [member_id]).fetchone()[0]
    credit = db.execute("select coalesce(sum(amount_pence), 0) from member_credit where member_id = ?",
                        [member_id]).fetchone()[0]
    ledger = db.execute("select on_date, kind, shares, amount_pence from share_ledger where member_id = ?"
                        " order by id", [member_id]).fetchall()
    received = db.execute("select d.period_from, d.period_to, p.part_pence, p.payout from dividend_parts p"
                          " join dividends d on d.id = p.dividend_id where p.member_id = ? order by d.id",
                          [member_id]).fetchall()
    return {"shares": shares, "paid_in": paid_in, "purchases": purchases, "earned": earned, "credit": credit,
            "ledger": ledger, "received": received}


def bench_statement(source: Path, rounds: int, *, say) -> None:
    import re

    from starlette.testclient import TestClient

    from access.accounts import WebAccess
    from core.money import format_pence
    from pos.config import Settings, WebSettings
    from pos.shop import Shop
    from pos.web.app import create_app

    work = Path(tempfile.mkdtemp(prefix="till-bench-web-"))
    try:
        path = work / "till.db"
        shutil.copy(source, path)
        raw = sqlite3.connect(path)
        number = busiest_member(raw)
        shop = Shop.open(Settings(db=path, receipts_dir=work / "receipts"))
        try:
            access = WebAccess.for_codes(shop.db, shop.clock)
            member = shop.membership.register.by_number(number)
            code = access.issue_member_code(member, by="benchmark", today=shop.today())
            access.set_password_with_code(number, code, PASSWORD, PASSWORD, address="127.0.0.1")
            client = TestClient(create_app(shop, WebSettings(secret_file=work / "secret"), b"s" * 32),
                                base_url="https://testserver", follow_redirects=False)
            form = client.get("/sign-in").text
            token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
            signed = client.post("/sign-in", data={"csrf": token, "login": number, "password": PASSWORD})
            assert signed.status_code == 303, signed.text
            figures = statement_by_sql(raw, number, shop.today())
            page = client.get("/statement")
            # The page and the bare SQL agree, so the ratio compares the same work.
            for pence in (figures["purchases"], figures["paid_in"], figures["credit"]):
                assert format_pence(pence) in page.text, (pence, page.text)
            ours, bare = [], []
            for _ in range(rounds):  # interleaved: both see the same machine
                started = time.perf_counter()
                answer = client.get("/statement")
                ours.append(time.perf_counter() - started)
                assert answer.status_code == 200
                started = time.perf_counter()
                statement_by_sql(raw, number, shop.today())
                bare.append(time.perf_counter() - started)
        finally:
            shop.close()
            raw.close()
        say("web_statement_member_sales", raw_sales(path, number))
        say("web_statement_ms", f"{statistics.median(ours) * 1000:.1f}")
        say("web_statement_p95_ms", f"{p95(ours) * 1000:.1f}")
        say("web_statement_sql_p95_ms", f"{p95(bare) * 1000:.2f}")
        say("web_statement_ratio", f"{p95(ours) / p95(bare):.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def raw_sales(path: Path, number: str) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("select count(distinct sale_id) from sale_lines where member_number = ?", [number]).fetchone()[0]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def web_startup(source: Path, rounds: int, *, say) -> None:
    """`till web` from the command to its sign-in page answered, median of `rounds` fresh processes."""
    work = Path(tempfile.mkdtemp(prefix="till-bench-web-start-"))
    try:
        path = work / "till.db"
        shutil.copy(source, path)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TILL_WEB__SECRET_FILE": str(work / "secret"),
               "TILL_RECEIPTS_DIR": str(work / "receipts")}
        times = []
        for _ in range(rounds):
            port = _free_port()
            started = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "-c", "import sys; from pos.cli import main; sys.exit(main(sys.argv[1:]))",
                 "--db", str(path), "web", "--port", str(port)],
                cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            try:
                while True:
                    if process.poll() is not None:
                        raise RuntimeError(f"till web stopped: {process.stderr.read().decode()}")
                    try:
                        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in", timeout=5) as answer:
                            if answer.status == 200:
                                break
                    except OSError:
                        time.sleep(0.005)
                times.append(time.perf_counter() - started)
            finally:
                process.terminate()
                process.wait()
        say("web_startup_ms", f"{statistics.median(times) * 1000:.0f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


#: Loaded by the till's start-up (as benchmarks/tui_probe.py's startup), it prints the web's modules it loaded.
_TUI_MODULES = ("import sys; sys.modules.setdefault('numpy', None); from pos.launch import prepare; prepare();"
                " import pos.tui.app; web = ('starlette', 'jinja2', 'uvicorn', 'multipart', 'python_multipart',"
                " 'access', 'pos.web');"
                " print(len([m for m in sys.modules if m in web or m.startswith(tuple(w + '.' for w in web))]))")


def tui_web_modules(*, say) -> None:
    found = subprocess.run([sys.executable, "-c", _TUI_MODULES], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                           capture_output=True, text=True, check=True)
    say("tui_web_modules", found.stdout.strip().splitlines()[-1])


def bench(source: Path, rounds: int, *, say) -> None:
    tui_web_modules(say=say)
    bench_statement(source, rounds, say=say)
    web_startup(source, max(3, rounds // 40), say=say)
