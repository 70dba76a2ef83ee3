"""The office-only channel: a member's address, contacts and date of birth, entered at a till, reach the
office's register sealed to the office's key, so the hub and the other tills hold them unreadable.

The office's key pair is made when it starts the hub (or at its first pull after an upgrade); the private
half is a file beside the hub credentials, readable by its owner only, never in the database or a backup;
the public half is published at the hub. A till (never the office, which has the details already) seals the
details with `SealedBox` into each member change it pushes; the office opens them as it pulls and writes them
into its own register, where the journal records the change like any other. A member erased at a till sends
the erasure inside the box, and the office erases its copy of the optional details the same way
(core/records.py forgets their salt there too).

The key is pinned. Whoever owns the hub's PostgreSQL database can write its tables directly, so the key it
hands out is only trusted once: a till pins the first key it gets (at `till hub join`, checked against the
fingerprint the office gives, `--office-key`, when there is one) and seals to the pinned key only, whatever
the hub says later; a different key at the hub is an alert (`key_alert`), and only a manager at the till
replaces the pin (`trust`), with the new key's fingerprint the office reads out. On pinning, the till seals
the details of the members it holds already (entered before it had a key, or sealed to the office's old
one) and sends them once through the hub's `send_sealed`, which the office takes at its next pull.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

from sqlite_utils import Database

from hub import HubError
from hub.shared import ADDRESS_ELSEWHERE

#: What a till rebuilt from the hub holds for an address it never had (hub/office.py's UNKNOWN).
UNKNOWN = "(not held at the hub)"

#: What a till seals: the register's details that never travel in the clear.
DETAILS = ("address", "email", "email_purpose", "phone", "phone_purpose", "date_of_birth")

#: Who the office's register says erased a member's details that were erased at another till.
ERASED_BY = "erased at the till where they joined"


def key_path(credentials: Path) -> Path:
    """The office's private key: a file beside the hub credentials (never in the database, so never backed up)."""
    return Path(credentials).expanduser().with_name("office-key")


def _private(path: Path, *, create: bool):
    from nacl.public import PrivateKey

    from hub.connect import read_credentials, write_credentials

    text = read_credentials(path)  # refuses a file others can read, as for the credentials
    if text is None:
        if not create:
            return None
        key = PrivateKey.generate()
        write_credentials(path, base64.b64encode(bytes(key)).decode())
        return key
    return PrivateKey(base64.b64decode(text))


def exchange(db: Database, conn, key: Path | None):
    """Before a pull: the office publishes its public key (making the pair the first time), takes the details
    tills sent it after the fact, and returns its private key, to open what the tills sealed; any other till
    pins the hub's key if it has none yet (sending its older members' details) and returns None."""
    from core.ids import OFFICE, node_number

    if node_number(db) == OFFICE:
        if key is None:
            return None
        private = _private(key, create=True)
        public = base64.b64encode(bytes(private.public_key)).decode()
        with conn.transaction():
            if conn.execute("select hub.office_key()").fetchone()[0] != public:
                conn.execute("select hub.publish_office_key(%s)", [public])
        _take(db, conn, private)
        return private
    public = hub_key(conn)
    if public and not pinned(db):
        _pin(db, conn, public)
    return None


def fingerprint(public: str) -> str:
    """A public key in a few characters a person can read out and type: `3f2a-91c0-…` (24 hex digits)."""
    import hashlib

    digest = hashlib.sha256(base64.b64decode(public)).hexdigest()[:24]
    return "-".join(digest[i:i + 4] for i in range(0, len(digest), 4))


def same_fingerprint(public: str, given: str) -> bool:
    """`given` (as typed: any case, with or without dashes or spaces) is `public`'s fingerprint."""
    import re

    return re.sub(r"[^0-9a-f]", "", given.lower()) == fingerprint(public).replace("-", "")


def office_fingerprint(key: Path) -> str | None:
    """At the office: its own key's fingerprint (None before it has a pair), to give each new till."""
    private = _private(key, create=False)
    return None if private is None else fingerprint(base64.b64encode(bytes(private.public_key)).decode())


def hub_key(conn) -> str | None:
    """The office's public key as the hub gives it now (the hub's owner could have changed it)."""
    with conn.transaction():
        return conn.execute("select hub.office_key()").fetchone()[0]


def pinned(db: Database) -> str | None:
    """The office's public key this till pinned: the only one it seals to."""
    row = db.execute("select office_key from hub_pulled where id = 1").fetchone()
    return row[0] if row and row[0] else None


def pin_checked(db: Database, conn, given: str) -> None:
    """At `till hub join --office-key`: pin the hub's key only if it is the one the office gave."""
    public = hub_key(conn)
    if not public or not same_fingerprint(public, given):
        raise HubError(f"the office's key at the hub ({fingerprint(public) if public else 'none'}) is not the one the "
                       f"office gave ({given}): this till seals nothing to it; ask the office for its fingerprint "
                       "(`till hub status` there)")
    _pin(db, conn, public)


def trust(db: Database, conn, given: str, *, by: int, till_id: str, at: str) -> int:
    """A manager at this till replaces the pinned key with the hub's, which must be the one the office read
    out (`given`, its fingerprint): the office changed its key. Sends the members' details again, sealed to
    it; how many."""
    from core.audit import audit
    from core.database import transaction

    public = hub_key(conn)
    if not public or not same_fingerprint(public, given):
        raise HubError(f"the office's key at the hub is {fingerprint(public) if public else 'not there'}, not "
                       f"{given}: nothing was changed (ask the office to read its key out again)")
    if public == pinned(db):
        raise HubError("this till has pinned that key already: nothing was changed")
    sent = _pin(db, conn, public)
    with transaction(db):
        audit(db, at=at, till_id=till_id, action="trust office key", operator_id=by,
              detail=f"the office's key {fingerprint(public)} replaces the one pinned before")
    return sent


def key_alert(db: Database, conn) -> str | None:
    """At a till: the sentence saying that the hub's key is not the one this till pinned (None when it is)."""
    public, pin = hub_key(conn), pinned(db)
    if not public or not pin or public == pin:
        return None
    return (f"the office's key at the hub ({fingerprint(public)}) is not the one this till pinned ({fingerprint(pin)}): "
            "members' details go on being sealed to the pinned key only, so whoever changed it reads nothing. If the "
            f"office did change its key, a manager here runs `till hub trust-key {fingerprint(public)} --by NAME` "
            "once the office has read that fingerprint out; otherwise tell whoever runs the hub")


def _pin(db: Database, conn, public: str) -> int:
    """Pin `public`, after sending the details of the members this till holds and has pushed already, sealed
    to it (those pushed before went without a box, or to an older key). Sent first, so a pin that fails to be
    written sends them again next time (the office writes them once). How many were sent."""
    from core.database import transaction
    from hub import local

    held = [row[0] for row in db.execute(
        "select m.id from members m where coalesce(m.address, '') not in (?, ?) and "
        "(select max(j.id) from journal j where j.kind = 'member' and j.ref_id = m.id) <= ? order by m.id",
        [ADDRESS_ELSEWHERE, UNKNOWN, local.mark(db)])]
    boxes = [(member_id, seal(db, member_id, public)) for member_id in held]
    boxes = [(member_id, box) for member_id, box in boxes if box]
    if boxes:
        with conn.transaction():
            for member_id, box in boxes:
                conn.execute("select hub.send_sealed(%s, %s)", [member_id, box])
    with transaction(db):
        db.execute("update hub_pulled set office_key = ? where id = 1", [public])
    return len(boxes)


def _take(db: Database, conn, private) -> None:
    """At the office: the details tills sent after the fact, written into its register as a pull writes them
    (kept from going back up). A box for a member the office has not pulled yet waits at the hub; one it can
    never open (sealed to a key it no longer has) is dropped."""
    from nacl.exceptions import CryptoError
    from nacl.public import SealedBox

    from core.clock import stamp, system_clock
    from core.database import transaction
    from core.journal import seal as seal_journal

    with conn.transaction():
        waiting = conn.execute("select id, member_id, box from hub.sealed_waiting()").fetchall()
    if not waiting:
        return
    taken = []
    with transaction(db):
        before = db.execute("select coalesce(max(id), 0) from journal").fetchone()[0]
        for box_id, member_id, box in waiting:
            if db.execute("select 1 from members where id = ?", [member_id]).fetchone() is None:
                continue
            try:
                SealedBox(private).decrypt(base64.b64decode(box))
            except (CryptoError, ValueError):
                taken.append(box_id)
                continue
            open_into(db, member_id, box, private)
            taken.append(box_id)
        seal_journal(db, stamp(system_clock()))
        after = db.execute("select coalesce(max(id), 0) from journal").fetchone()[0]
        if after > before:
            db.execute("insert into hub_applied (first_entry, last_entry) values (?, ?)", [before + 1, after])
    if taken:
        with conn.transaction():
            conn.execute("select hub.sealed_taken(%s)", [taken])


def seal(db: Database, member_id: int, public: str | None = None) -> str | None:
    """The member's details sealed to the office's key this till pinned (or `public`), or None: at the office
    itself, before the till has a key, or when the till holds neither the details (a member it pulled, whose
    address is kept where they joined) nor an erasure of them. Sent beside the member's shared change."""
    from nacl.public import PublicKey, SealedBox

    from core.ids import OFFICE, node_number

    public = public or pinned(db)
    if node_number(db) == OFFICE or not public:
        return None
    found = db.execute(f"select {', '.join(DETAILS)} from members where id = ?", [member_id]).fetchone()
    if found is None:
        return None
    erased = db.execute("select max(at) from member_changes where member_id = ? and field = 'erased'",
                        [member_id]).fetchone()[0]
    held = found[0] not in (ADDRESS_ELSEWHERE, UNKNOWN)
    if not held and not erased:
        return None
    details = {**(dict(zip(DETAILS, found)) if held else {}), "erased": erased}
    box = SealedBox(PublicKey(base64.b64decode(public))).encrypt(json.dumps(details, sort_keys=True).encode())
    return base64.b64encode(box).decode()


#: What an erasure removes: coop.register.Register.OPTIONAL, which the hub may not import
#: (tests/hub/test_office_register.py checks the two agree).
OPTIONAL = ("email", "email_purpose", "phone", "phone_purpose", "under5_household", "consent_contact",
            "date_of_birth")


def _erase(db: Database, member_id: int, at: str, *, keep_date_of_birth: bool) -> None:
    """As the till erased: the optional details go from the office's register and its change history, and
    the erasure is in that history, with the till's time."""
    fields = [f for f in OPTIONAL if not (f == "date_of_birth" and keep_date_of_birth)]
    db.execute("update members set email = null, email_purpose = null, phone = null, phone_purpose = null, "
               "under5_household = 0, consent_contact = 0" + ("" if keep_date_of_birth else ", date_of_birth = null")
               + " where id = ?", [member_id])
    db.execute("update member_changes set old_value = case when old_value is null then null else '(erased)' end, "
               "new_value = case when new_value is null then null else '(erased)' end "
               f"where member_id = ? and field in ({','.join('?' * len(fields))})", [member_id, *fields])
    db.execute("insert into member_changes (member_id, at, changed_by, field, old_value, new_value) "
               "values (?, ?, ?, 'erased', null, 'at the till where they joined')", [member_id, at, ERASED_BY])


def split(found: dict | None) -> tuple[dict | None, str | None]:
    """A pulled member change without its sealed box, and the box."""
    if not found or "sealed" not in found:
        return found, None
    rest = dict(found)
    return rest, rest.pop("sealed")


def open_into(db: Database, member_id: int, box: str, private) -> bool:
    """Write the details a till sealed into the office's register (inside the pull's transaction): an erasure
    the office has not made yet first, then the details as the till holds them. False when the box cannot be
    opened (sealed to a key the office no longer has): the register keeps what it had."""
    from nacl.exceptions import CryptoError
    from nacl.public import SealedBox

    from core.records import forget

    try:
        details = json.loads(SealedBox(private).decrypt(base64.b64decode(box)))
    except (CryptoError, ValueError):
        return False
    if db.execute("select 1 from members where id = ?", [member_id]).fetchone() is None:
        return False
    erased = details.pop("erased", None)
    if erased:
        done = db.execute("select max(at) from member_changes where member_id = ? and field = 'erased'",
                          [member_id]).fetchone()[0]
        if done is None or done < erased:
            _erase(db, member_id, erased, keep_date_of_birth=details.get("date_of_birth", "") is not None)
            forget(db, f"member {member_id}")
    values = {name: details[name] for name in DETAILS if name in details}
    if not values:
        return True  # an erasure only: a till that never held the details
    changed = " or ".join(f"{name} is not ?" for name in values)
    db.execute(f"update members set {', '.join(f'{name} = ?' for name in values)} where id = ? and ({changed})",
               [*values.values(), member_id, *values.values()])
    return True
