"""The office-only channel: a member's address, contacts and date of birth, entered at a till, reach the
office's register sealed to the office's key, so the hub and the other tills hold them unreadable.

The office's key pair is made when it starts the hub (or at its first pull after an upgrade); the private
half is a file beside the hub credentials, readable by its owner only, never in the database or a backup;
the public half is published at the hub, and each till keeps a copy with its pull mark. A till (never the
office, which has the details already) seals the details with `SealedBox` into each member change it
pushes; the office opens them as it pulls and writes them into its own register, where the journal records
the change like any other. A member erased at a till sends the erasure inside the box, and the office
erases its copy of the optional details the same way (core/records.py forgets their salt there too).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

from sqlite_utils import Database

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
    """Before a pull: the office publishes its public key (making the pair the first time) and returns its
    private key, to open what the tills sealed; any other till keeps the hub's copy of the public key and
    returns None."""
    from core.database import transaction
    from core.ids import node_number

    if node_number(db) == 1:
        if key is None:
            return None
        private = _private(key, create=True)
        public = base64.b64encode(bytes(private.public_key)).decode()
        with conn.transaction():
            if conn.execute("select hub.office_key()").fetchone()[0] != public:
                conn.execute("select hub.publish_office_key(%s)", [public])
        return private
    with conn.transaction():
        public = conn.execute("select hub.office_key()").fetchone()[0]
    with transaction(db):
        db.execute("update hub_pulled set office_key = ? where id = 1", [public])
    return None


def seal(db: Database, member_id: int) -> str | None:
    """The member's details sealed to the office's key (None at the office itself, or before the till has the
    key): sent beside the member's shared change."""
    from nacl.public import PublicKey, SealedBox

    from core.ids import node_number

    row = db.execute("select office_key from hub_pulled where id = 1").fetchone()
    if node_number(db) == 1 or row is None or not row[0]:
        return None
    found = db.execute(f"select {', '.join(DETAILS)} from members where id = ?", [member_id]).fetchone()
    if found is None:
        return None
    erased = db.execute("select max(at) from member_changes where member_id = ? and field = 'erased'",
                        [member_id]).fetchone()[0]
    details = {**dict(zip(DETAILS, found)), "erased": erased}
    box = SealedBox(PublicKey(base64.b64decode(row[0]))).encrypt(json.dumps(details, sort_keys=True).encode())
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
            _erase(db, member_id, erased, keep_date_of_birth=details.get("date_of_birth") is not None)
            forget(db, f"member {member_id}")
    values = {name: details.get(name) for name in DETAILS}
    changed = " or ".join(f"{name} is not ?" for name in DETAILS)
    db.execute(f"update members set {', '.join(f'{name} = ?' for name in DETAILS)} where id = ? and ({changed})",
               [*values.values(), member_id, *values.values()])
    return True
