"""Every database has its own node id, kept by copies, so journal entries have keys unique across tills."""

import re
import shutil

from core.journal import global_key
from core.node import node_id
from pos.database import open_database


def test_two_databases_have_different_node_ids_and_a_copy_keeps_its_own(tmp_path):
    one = open_database(tmp_path / "one.db")
    two = open_database(tmp_path / "two.db")
    assert re.fullmatch(r"[0-9a-f]{32}", node_id(one))
    assert node_id(one) != node_id(two)
    one.close()
    shutil.copy(tmp_path / "one.db", tmp_path / "copy.db")
    again = open_database(tmp_path / "one.db")
    copy = open_database(tmp_path / "copy.db")
    assert node_id(copy) == node_id(again)
    assert global_key(copy, 7) == f"{node_id(copy)}:7"
