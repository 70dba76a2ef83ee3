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
