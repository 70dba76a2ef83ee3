"""Every table is on a list: chained by the journal, or not records at all.

A new money table that nobody adds to the journal's list fails here, instead of slipping past
`till verify` unseen.
"""

from core import journal


def _tables(db) -> set[str]:
    return {row[0] for row in db.execute("select name from sqlite_master where type = 'table'")}


def test_every_table_is_journalled_or_not_a_record(db):
    listed = journal.journalled_tables() | set(journal.NOT_RECORDS)
    assert _tables(db) - listed == set(), "tables on none of the journal's lists (core/journal.py)"
    assert not hasattr(journal, "NOT_YET"), "every record is journalled now: there is no list of tables left out"


def test_the_lists_name_real_tables_once_each(db):
    lists = [journal.journalled_tables(), set(journal.NOT_RECORDS)]
    for i, one in enumerate(lists):
        for other in lists[i + 1:]:
            assert not one & other, f"on two lists: {one & other}"
    assert len(journal.NOT_RECORDS) == len(set(journal.NOT_RECORDS))
    assert set().union(*lists) - _tables(db) == set(), "a listed table the database does not have"


def test_a_new_table_on_no_list_is_caught(db):
    db["loyalty_points"].create({"id": int, "points": int}, pk="id")
    listed = journal.journalled_tables() | set(journal.NOT_RECORDS)
    assert _tables(db) - listed == {"loyalty_points"}
