"""The five-wrong-PINs lockout holds however many tries arrive at once (the attacker's method:
a burst of wrong PINs from many threads or processes, each with its own connection to the file)."""

import multiprocessing
import threading
from datetime import UTC, datetime, timedelta

import pytest

from pos.database import open_database
from volunteers.people import MAX_WRONG_PINS, LockedOut, Role, Volunteers, WrongPin

AT = "2026-01-01T00:00:00.000000Z"
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
def manager(db):
    return Volunteers(db).add("Mo Manager", Role.manager, at=AT, pin="9999")


def one_try(path, volunteer_id: int, pin: str, barrier) -> str:
    """One wrong guess on a connection of its own, started with all the others: 'checked' if the PIN
    was compared with the hash (a wrong PIN, or the one that starts the lockout), 'refused' if the
    lockout turned it away unchecked."""
    db = open_database(path)
    try:
        barrier.wait()
        Volunteers(db).check_pin(volunteer_id, pin, now=NOW, till_id="till-2")
    except WrongPin:
        return "checked"
    except LockedOut as error:
        return "checked" if "locked out for" in str(error) else "refused"
    finally:
        db.close()
    return "signed in"


def _in_a_process(args) -> str:
    return one_try(*args)


def _burst_of_threads(path, volunteer_id: int, tries: int) -> list[str]:
    barrier, results = threading.Barrier(tries), []
    threads = [threading.Thread(target=lambda: results.append(one_try(path, volunteer_id, "0000", barrier)))
               for _ in range(tries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _burst_of_processes(path, volunteer_id: int, tries: int) -> list[str]:
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(tries) as pool:
        barrier = manager.Barrier(tries)
        return pool.map(_in_a_process, [(path, volunteer_id, "0000", barrier)] * tries)


@pytest.mark.parametrize("tries", [24, 40])
@pytest.mark.parametrize("burst", [_burst_of_threads, _burst_of_processes], ids=["threads", "processes"])
def test_a_burst_of_wrong_pins_gets_five_checks_at_most(db, db_path, manager, burst, tries):
    results = burst(db_path, manager.id, tries)
    assert len(results) == tries and "signed in" not in results
    assert results.count("checked") == MAX_WRONG_PINS
    volunteers = Volunteers(db)
    with pytest.raises(LockedOut, match="try again in"):
        volunteers.check_pin(manager.id, "9999", now=NOW + timedelta(minutes=1))  # the right PIN waits too
    assert volunteers.check_pin(manager.id, "9999", now=NOW + timedelta(minutes=6)).name == "Mo Manager"


@pytest.fixture
def shop_till(db, clock):
    from pos.till import Till
    from tests.conftest import LONDON

    volunteers = Volunteers(db)
    people = {
        "boss": volunteers.add("Mo Manager", Role.manager, at=AT, pin="9999"),
        "other boss": volunteers.add("Ana Manager", Role.manager, at=AT, pin="8888"),
        "lead": volunteers.add("Lee Lead", Role.shift_lead, at=AT, pin="2468"),
        "vol": volunteers.add("Vic Vol", Role.volunteer, at=AT, pin="1357"),
    }
    till = Till(db, clock=clock, zone=LONDON)
    till.open_session(5000, operator_id=people["lead"].id)
    till.sign_in(people["vol"].id, "1357")
    return till, people


def _lock_out(till, volunteer_id):
    from volunteers.permissions import Action

    for _ in range(MAX_WRONG_PINS):
        with pytest.raises((WrongPin, LockedOut)):
            till.approve(volunteer_id, "0000", Action.z_report)


def test_wrong_pins_and_the_lockout_are_in_the_audit_log_with_who_was_at_the_till(db, shop_till):
    till, people = shop_till
    _lock_out(till, people["boss"].id)
    with pytest.raises(LockedOut):
        till.sign_in(people["boss"].id, "9999")
    rows = db.execute("select action, till_id, operator_id, detail from audit_log"
                      " where action like 'pin%' or action = 'wrong_pin' order by id").fetchall()
    assert [r[0] for r in rows] == ["wrong_pin"] * 5 + ["pin_lockout", "pin_locked_out"]
    assert {(r[1], r[2]) for r in rows} == {("till-1", people["boss"].id)}
    assert "wrong PIN for Mo Manager (4 more before a lockout)" in rows[0][3]
    assert all("signed in at till-1: Vic Vol" in r[3] for r in rows)  # who was typing
    assert "Mo Manager locked out for 5 minutes after 5 wrong PINs" in rows[5][3]


def test_a_manager_kept_locked_out_blocks_neither_the_z_nor_themselves_for_long(db, shop_till):
    """Someone typing five wrong PINs for the manager every five minutes: any shift lead or other
    manager approves the Z, and another manager's new PIN for them lifts the lockout at once."""
    from volunteers.permissions import Action
    from volunteers.team import Team

    till, people = shop_till
    _lock_out(till, people["boss"].id)
    approver = till.approve(people["lead"].id, "2468", Action.z_report)
    till.close_session(5000, operator_id=people["vol"].id, approver_id=approver)
    manager = till.approve(people["other boss"].id, "8888", Action.manage_volunteers)
    Team(till).set_pin(people["boss"].id, "4321", operator_id=manager)
    assert till.sign_in(people["boss"].id, "4321").name == "Mo Manager"


def test_the_command_line_waits_after_a_wrong_pin(tmp_path, monkeypatch, capsys):
    import io
    import time

    import pos.cli.context
    from pos.cli import main

    db = ["--db", str(tmp_path / "shop.db")]
    monkeypatch.setattr("sys.stdin", io.StringIO("4321\n4321\n"))
    assert main([*db, "volunteers", "add", "Robin Sample", "--role", "manager"]) == 0
    monkeypatch.setattr(pos.cli.context, "WRONG_PIN_PAUSE", 0.4)
    timings = []
    for pin in ("0000", "4321"):
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{pin}\n"))
        started = time.monotonic()
        code = main([*db, "session", "open", "--float", "£50", "--operator", "Robin Sample"])
        timings.append((code, time.monotonic() - started))
    (wrong, wrong_took), (_, right_took) = timings
    assert wrong == 1 and "not right" in capsys.readouterr().err
    assert wrong_took >= 0.4 and right_took < 0.4
