"""An office and two tills at one hub, for the shared records' tests: the office is the demo shop that
started the hub (node 1), the tills are new, empty databases that joined it and pulled everything."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.journal import verify
from hub.connect import connect, join_hub
from hub.pull import pull
from hub.push import push
from pos.database import open_database
from tests.hub.tills import register, shop_file

AT = "2026-11-02T10:00:00.000000Z"


@dataclass
class Node:
    name: str
    path: Path
    conninfo: str

    def db(self):
        return open_database(self.path)

    def sync(self) -> tuple[int, int]:
        """Push then pull, as a worker's round does: (records the hub took, revisions applied)."""
        db = self.db()
        try:
            with connect(self.conninfo) as conn:
                pushed = push(db, conn, at=AT)
                pulled = pull(db, conn, at=AT)
            return pushed.added, pulled.applied
        finally:
            db.close()

    def verified(self) -> list:
        db = self.db()
        try:
            return verify(db)
        finally:
            db.close()


def society(tmp_path: Path, hub_url: str, tills: int = 2) -> list[Node]:
    office_path = shop_file(tmp_path / "office.db")
    office = Node("office", office_path, register(hub_url, office_path, "office", first=True))
    office.sync()
    nodes = [office]
    for n in range(2, tills + 2):
        path = tmp_path / f"till-{n}.db"
        db = open_database(path)
        from core.node import node_id

        conninfo = join_hub(hub_url, node=node_id(db), till_id=f"till-{n}")
        db.close()
        node = Node(f"till-{n}", path, conninfo)
        node.sync()
        nodes.append(node)
    return nodes
