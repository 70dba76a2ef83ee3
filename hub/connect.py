"""Reaching the hub, and the society's side of it: making a hub, registering a till, revoking one.

A till's credentials (its own database role and password, in a libpq connection string) live in a
file of their own, readable by the till's user only (mode 0600): never in the settings file, never
in the database, so never in a backup. With `sslmode=verify-full` in the hub's URL the till checks
the hub's certificate and name before it sends anything.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from hub import HubError
from hub.schema_board import GRANTS as BOARD_GRANTS
from hub.schema_catchup import GRANTS as CATCHUP_GRANTS
from hub.schema_shared import GRANTS

#: How long a till waits for the hub before it says it is unreachable (seconds).
CONNECT_TIMEOUT = 5


def connect(conninfo: str, *, timeout: int = CONNECT_TIMEOUT):
    """A connection to the hub, or HubError saying in one sentence why not (never a password)."""
    import psycopg

    try:
        return psycopg.connect(conninfo, connect_timeout=timeout, autocommit=True,
                               application_name="community-till")
    except psycopg.Error as error:
        if "is not permitted to log in" in str(error):
            raise HubError("the hub refuses this till: it was revoked (lost or stolen)") from None
        raise HubError(f"the hub cannot be reached: {_first_line(error)}") from None


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[-1].strip() if text else type(error).__name__


def read_credentials(path: Path) -> str | None:
    """The till's connection string, or None when no hub is configured (no file)."""
    path = Path(path).expanduser()
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise HubError(f"the hub credentials in {path} can be read by others: run `chmod 600 {path}` (nothing was "
                       "sent)")
    return path.read_text(encoding="utf-8").strip()


def write_credentials(path: Path, conninfo: str) -> Path:
    """Write the till's connection string, readable by its owner only from the first byte."""
    path = Path(path).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(conninfo + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path


def role_name(node: str, hub_database: str) -> str:
    """The till's role: roles belong to the whole PostgreSQL server, which may hold several hubs (or a
    copy of this till's file may join another), so the hub's database name is part of it."""
    import hashlib

    return f"till_{node[:20]}_{hashlib.sha256(hub_database.encode()).hexdigest()[:8]}"


def init_hub(admin: str, *, society: str, node: str, till_id: str) -> str:
    """Make (or upgrade) the hub's tables at `admin` (a connection string for the role that will own
    them), record the society founded from this till's database, and register this till. Returns the
    till's own connection string."""
    from hub.schema import migrate

    with connect(admin) as conn:
        migrate(conn)
        with conn.transaction():
            found = conn.execute("select founding_node from hub.society").fetchone()
            if found and found[0] != node:
                raise HubError("that hub already has its society, started from another database: join it with "
                               "`till hub join URL --till ID` from a new till instead")
            if found:
                raise HubError("this database already started that hub: nothing to do")
            conn.execute("insert into hub.society (id, name, founding_node) values (1, %s, %s)", [society, node])
            from psycopg import sql

            conn.execute(sql.SQL("revoke connect, temporary on database {} from public").format(
                sql.Identifier(conn.info.dbname)))
            return _register(conn, admin, node, till_id)


def join_hub(admin: str, *, node: str, till_id: str, restored: dict | None = None, office_key: str | None = None) -> str:
    """Register a new till (this database) at the hub; its own connection string. `restored` (hub/restore.py's
    `restore_point`): this database is a till rebuilt from the hub, which takes the old one's place.
    `office_key`: the fingerprint the office gave of its key (hub/sealed.py): a hub holding another is refused
    before anything is changed (the till pins the key itself once registered, checking it again)."""
    from hub.schema import check_version

    with connect(admin) as conn:
        check_version(conn)
        with conn.transaction():
            if conn.execute("select 1 from hub.society").fetchone() is None:
                raise HubError("that hub has no society yet: start it with `till hub init URL` first")
            if office_key is not None:
                _check_office_key(conn, office_key)
            if restored:
                old = conn.execute("select node_id from hub.nodes where till_id = %s order by registered_at desc "
                                   "limit 1", [till_id]).fetchone()
                _retire(conn, till_id, node)
            conninfo = _register(conn, admin, node, till_id)
            if restored:
                _start_after(conn, node, restored, old[0] if old else None)
            return conninfo


def _check_office_key(conn, given: str) -> None:
    from hub.sealed import fingerprint, same_fingerprint

    public = conn.execute("select office_key from hub.society").fetchone()[0]
    if public is None:
        raise HubError("the hub has no office key yet: run `till hub sync` at the office, then join again (nothing "
                       "was changed)")
    if not same_fingerprint(public, given):
        raise HubError(f"the office's key at the hub ({fingerprint(public)}) is not the one the office gave ({given}): "
                       "someone may have replaced it; tell whoever runs the hub and the office (nothing was changed)")


def _retire(conn, till_id: str, node: str) -> None:
    """The till whose disk died is refused from now on: its rebuilt database is that till now. Not a theft, so
    no PIN resets are asked for."""
    from psycopg import sql

    old = conn.execute("select node_id, role from hub.nodes where till_id = %s and revoked_at is null",
                       [till_id]).fetchall()
    if conn.execute("select 1 from hub.society where founding_node = any(%s)", [[n for n, _ in old]]).fetchone():
        raise HubError("the office's own database cannot be replaced by a rebuilt one in this version (nothing "
                       "was changed)")
    for old_node, role in old:
        conn.execute("update hub.nodes set revoked_at = now() where node_id = %s", [old_node])
        conn.execute(sql.SQL("alter role {} nologin").format(sql.Identifier(role)))
        conn.execute("insert into hub.alerts (node_id, what) values (%s, %s)", [old_node, (
            f"till {till_id} was rebuilt from the hub as node {node[:12]}, which takes this node's place")])


def _start_after(conn, node: str, point: dict, old: str | None) -> None:
    """The rebuilt till's journal begins with the records the hub holds already (under the old node): its
    chain at the hub starts after them (my_status counts it as sent to there), so the till's pushes go on from
    there and send none of them twice. `replaces` names the old node, whose records are this till's too.

    The old node's revisions of shared records, its changes waiting for approval and its part of the balances
    become the new node's: a till never pulls back its own changes, which the hub may show others without a
    role or PIN still waiting for the office (the rebuilt till would lose them), nor counts its own part as
    another till's."""
    conn.execute("update hub.nodes set head_entry = %s, head_hash = %s, replaces = %s where node_id = %s",
                 [point["entry"], point["hash"], old, node])
    if old:
        for table in ("shared", "pending", "balances"):
            conn.execute(f"update hub.{table} set node_id = %s where node_id = %s", [node, old])


def _register(conn, admin: str, node: str, till_id: str) -> str:
    """The till's role (it may log in, and call the hub's functions, nothing else) and its row."""
    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    if conn.execute("select 1 from hub.nodes where node_id = %s", [node]).fetchone():
        raise HubError("this database is registered at that hub already")
    if conn.execute("select 1 from hub.nodes where till_id = %s and revoked_at is null", [till_id]).fetchone():
        raise HubError(f"the hub has a till called {till_id} already: give this one another id with --till")
    role = role_name(node, conn.info.dbname)
    password = secrets.token_urlsafe(24)
    # The node's number gives it its own block of ids for shared records (core/ids.py); the founding node is 1.
    conn.execute("lock table hub.nodes in exclusive mode")
    conn.execute("insert into hub.nodes (node_id, role, till_id, number) values (%s, %s, %s, "
                 "(select coalesce(max(number), 0) + 1 from hub.nodes))", [node, role, till_id])
    ident = sql.Identifier(role)
    conn.execute(sql.SQL("create role {} login noinherit password {}").format(ident, sql.Literal(password)))
    for grant in ("grant connect on database {db} to {role}", "grant usage on schema hub to {role}",
                  "grant select on hub.schema_version to {role}",
                  "grant execute on function hub.push(text, jsonb), hub.my_status(), hub.my_heads(), "
                  + ", ".join(GRANTS + CATCHUP_GRANTS + BOARD_GRANTS) + " to {role}"):
        conn.execute(sql.SQL(grant).format(db=sql.Identifier(conn.info.dbname), role=ident))
    return make_conninfo(admin, user=role, password=password)


def revoke_till(admin: str, till: str, *, why: str = "lost or stolen") -> str:
    """Refuse a till (by till id or node id) from now on, and ask every till to reset its PINs: the
    revoked one may have been signed in with any of them. The till id revoked."""
    from psycopg import sql

    with connect(admin) as conn, conn.transaction():
        found = conn.execute("select node_id, role, till_id from hub.nodes where (till_id = %s or node_id = %s) "
                             "and revoked_at is null", [till, till]).fetchall()
        if not found:
            raise HubError(f"the hub has no till {till} that is not revoked already")
        if len(found) > 1:
            raise HubError(f"{till} names more than one till at the hub: give its node id instead")
        node, role, till_id = found[0]
        conn.execute("update hub.nodes set revoked_at = now() where node_id = %s", [node])
        conn.execute(sql.SQL("alter role {} nologin").format(sql.Identifier(role)))
        conn.execute("insert into hub.pin_resets (revoked_node, why) values (%s, %s)", [node, why])
        conn.execute("insert into hub.alerts (node_id, what) values (%s, %s)",
                     [node, f"till {till_id} was revoked ({why}); every till is asked to reset its PINs"])
        return till_id
