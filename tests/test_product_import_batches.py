"""A big product import never shuts a selling till out: it validates the whole file without the
write lock, then writes it in short transactions a till's sale can slip between."""

import sqlite3
import threading

import pytest

from core.database import BUSY_TIMEOUT_MS
from inventory.product_csv import ImportFailed, ImportStopped, import_products
from inventory.products import Catalogue, ProductDetails
from pos.database import open_database

AT = "2026-11-20T10:00:00.000000Z"


def big_file(rows: int) -> bytes:
    lines = ["name,category,price,codes"]
    lines += [f"Item {n},Bulk,{1 + n % 500}.{n % 100:02d},Q{n}" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def test_a_till_gets_to_write_between_the_batches_of_a_big_import(db_path):
    db = open_database(db_path)
    rows = 20_000
    done = threading.Event()
    seen: list[int] = []
    refused: list[str] = []

    def till() -> None:
        # Another till, as it sells: the write lock first (BEGIN IMMEDIATE), with the till's own patience.
        other = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            while not done.is_set():
                try:
                    other.execute("begin immediate")
                except sqlite3.OperationalError as error:
                    refused.append(str(error))
                    continue
                seen.append(other.execute("select count(*) from products").fetchone()[0])
                other.execute("commit")
                done.wait(0.002)
        finally:
            other.close()

    thread = threading.Thread(target=till)
    thread.start()
    try:
        summary = import_products(db, big_file(rows), at=AT)
    finally:
        done.set()
        thread.join()
    assert summary.created == rows
    assert refused == []
    # The other till wrote while the import was part-way through, again and again: never one long lock.
    between = {count for count in seen if 0 < count < rows}
    assert len(between) >= 5, sorted(set(seen))
    db.close()


def test_checking_the_file_takes_no_write_lock(db_path, db):
    catalogue = Catalogue(db)
    catalogue.add(ProductDetails(name="Tea"), price_pence=120, at=AT, codes=["T1"])
    catalogue.add(ProductDetails(name="Coffee"), price_pence=150, at=AT, codes=["C1"])
    other = sqlite3.connect(str(db_path), isolation_level=None)
    other.execute("begin immediate")  # a till in the middle of a sale, holding the write lock
    try:
        # A row naming two products already known is found without waiting for the lock (or timing out).
        with pytest.raises(ImportFailed, match="belong to different products"):
            import_products(db, b"name,price,codes\nMix,1.00,T1 C1\n", at=AT)
        with pytest.raises(ImportFailed, match="line 3, price"):
            import_products(db, b"name,price,codes\nA,1.00,A1\nB,1.005,B1\n", at=AT)
    finally:
        other.execute("rollback")
        other.close()


def test_a_batch_that_fails_part_way_says_what_was_imported(db):
    rows = 3_000
    data = big_file(rows).replace(b"Q2500\n", b"Q2500 X1 X2\n")
    catalogue = Catalogue(db)
    batches: list[tuple[int, float]] = []

    def after_batch(line: int, held: float) -> None:
        batches.append((line, held))
        if len(batches) == 1:
            # Another till gives X1 and X2 to two different products while the import is running.
            catalogue.add(ProductDetails(name="One"), price_pence=100, at=AT, codes=["X1"])
            catalogue.add(ProductDetails(name="Two"), price_pence=100, at=AT, codes=["X2"])

    with pytest.raises(ImportStopped) as stopped:
        import_products(db, data, at=AT, batch_size=1000, on_batch=after_batch)
    written = stopped.value.last_line
    assert written == batches[-1][0] and 2 <= written < 2502
    message = str(stopped.value)
    assert f"up to line {written}" in message and "line 2502" in message and "different products" in message
    # Every row of the committed batches is there; nothing of the batch that failed.
    count = db.execute("select count(*) from products where category = 'Bulk'").fetchone()[0]
    assert count == written - 1 == stopped.value.summary.created
    assert all(held >= 0 for _, held in batches)


def test_a_file_object_is_read_as_a_stream(db, tmp_path):
    path = tmp_path / "products.csv"
    path.write_bytes(big_file(50))
    with path.open("rb") as source:
        assert import_products(db, source, at=AT, batch_size=7).created == 50
    assert import_products(db, path, at=AT).unchanged == 50
