"""The `till` command holds Python's cyclic garbage collector off only while a till screen loads."""

import gc

import pytest

from pos import launch


@pytest.fixture
def collector():
    yield
    gc.unfreeze()
    gc.enable()


def test_every_other_command_runs_with_the_collector_on(collector, tmp_path, monkeypatch, capsys):
    seen = []
    monkeypatch.setattr("pos.cli.books.cmd_verify", lambda ctx: seen.append(gc.isenabled()) or 0)
    monkeypatch.setattr("sys.argv", ["till", "--db", str(tmp_path / "x.db"), "verify"])
    assert launch.main() == 0
    assert seen == [True] and gc.isenabled()


def test_a_bad_command_leaves_the_collector_on(collector, monkeypatch, capsys):
    monkeypatch.setattr("sys.argv", ["till", "frobnicate"])
    with pytest.raises(SystemExit):
        launch.main()
    assert gc.isenabled()


async def test_the_till_screen_freezes_what_loaded_and_turns_it_back_on(collector, tmp_path):
    from tests.tui.conftest import app_for, demo_shop

    shop = demo_shop(tmp_path)
    gc.disable()  # as pos.launch leaves it
    async with app_for(shop).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert gc.isenabled() and gc.get_freeze_count() > 0
