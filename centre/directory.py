"""The area's service directory, imported from Open Referral UK (ORUK) JSON or the HSDS CSV layout.

Accepted: a `/services` response page of ORUK API v3 (`{"contents": [...], "total_items": ...}`)
or of API v1, as many councils still publish (`{"content": [...], "totalElements": ...}`), a list
of service objects, one service object, or a `services.csv` with at least `id`, `name` and
`status` columns. Several files (the pages of one feed) import together. The import is all or
nothing: every problem is listed (item or line, field, why) and nothing changes. Re-importing
updates services by id; a service missing from the new import is retired, not deleted. What a
volunteer can pass on (address, phone, opening times) is kept too (`centre.contact`).

On a society's hub the directory is shared (hub/shared.py): only the office (node 1) imports the feed,
and every till gets its services from the hub. Two tills each importing the feed would give the same
service two ids, and signposts at each would name a different one.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from sqlite_utils import Database

from centre.contact import ContactDetails, ServiceContact, read_contact
from core.database import transaction
from core.errors import TillError
from core.ids import next_id, node_number

STATUSES = {"active", "inactive", "defunct", "temporarily closed"}
_MAX_TEXT = 500


#: Said at a till on a hub that is not the office, which imports nothing.
ON_A_HUB = ("this till is on the society's hub: the office imports the service directory and every till gets it "
            "from there; nothing was imported")


class DirectoryError(TillError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:20] + ([f"... and {len(problems) - 20} more"] if len(problems) > 20 else [])
        super().__init__("the directory was not imported, nothing was changed:\n  " + "\n  ".join(shown))


@dataclass(frozen=True)
class ServiceRecord:
    service_id: str
    name: str
    status: str
    organization_id: str | None = None
    organization_name: str | None = None
    description: str | None = None
    url: str | None = None
    contact: ContactDetails = ContactDetails()


@dataclass
class ParsedFiles:
    records: list[ServiceRecord]
    #: one line per file: how it was read ("page.json: an Open Referral UK API v3 page, 4 services")
    read: list[str]


@dataclass
class Service:
    ref: int
    directory: str
    service_id: str
    name: str
    organization_name: str | None
    status: str
    retired: bool

    @property
    def offered(self) -> bool:
        return self.status == "active" and not self.retired


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    offered: int = 0


class _NotANumber(ValueError):
    """NaN or Infinity in a JSON file: Python reads them, JSON has no such thing."""


def _no_constant(name: str):
    raise _NotANumber(name)


def _text(value, limit: int = _MAX_TEXT) -> str | None:
    if value is None:
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ValueError("is not text")
    text = " ".join(str(value).split())
    return text[:limit] or None


def _record(raw: dict, where: str, problems: list[str]) -> ServiceRecord | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: is not a service object")
        return None
    found = len(problems)
    values = {}
    for field, required in (("id", True), ("name", True), ("status", True), ("description", False),
                            ("url", False), ("organization_id", False)):
        try:
            values[field] = _text(raw.get(field), 200 if field in ("id", "name", "status") else _MAX_TEXT)
        except ValueError:
            problems.append(f"{where}, {field}: is not text")
            continue
        if required and not values[field]:
            problems.append(f"{where}, {field}: is missing")
    status = (values.get("status") or "").lower()
    if values.get("status") and status not in STATUSES:
        problems.append(f"{where}, status: '{values['status']}' is not one of {', '.join(sorted(STATUSES))}")
    organization = raw.get("organization")
    org_id, org_name = values.get("organization_id"), None
    if organization is not None:
        if not isinstance(organization, dict):
            problems.append(f"{where}, organization: is not an object")
        else:
            try:
                org_id = org_id or _text(organization.get("id"), 200)
                org_name = _text(organization.get("name"), 200)
            except ValueError:
                problems.append(f"{where}, organization: its id or name is not text")
    if len(problems) > found:
        return None
    return ServiceRecord(service_id=values["id"], name=values["name"], status=status, organization_id=org_id,
                         organization_name=org_name, description=values.get("description"), url=values.get("url"),
                         contact=read_contact(raw))


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _page(data: dict, items: list, version: str, total_key: str, last_key: str) -> str:
    said = f"an Open Referral UK API {version} services page, {len(items)} services"
    total = _count(data.get(total_key))
    if total is not None and total != len(items):
        said += f" of the feed's {total}"
    if data.get(last_key) is False or (total is not None and total > len(items)):
        said += " (give every page of the feed in one import, or the services on the others are retired)"
    return said


def _from_json(data: object, source: str, problems: list[str], read: list[str]) -> list[ServiceRecord]:
    if isinstance(data, dict) and "contents" in data:
        items, key, version = data["contents"], "contents", "v3"
    elif isinstance(data, dict) and "content" in data:
        items, key, version = data["content"], "content", "v1"
    elif isinstance(data, list):
        items, key, version = data, None, None
    elif isinstance(data, dict) and "id" in data and "name" in data:
        items, key, version = [data], None, None
    else:
        problems.append(f"{source}: not an Open Referral UK services page (API v3 'contents' or v1 'content'),"
                        " a list of services or one service")
        return []
    if not isinstance(items, list):
        problems.append(f"{source}: '{key}' is not a list of services")
        return []
    if version == "v3":
        read.append(f"{source}: " + _page(data, items, "v3", "total_items", "last_page"))
    elif version == "v1":
        read.append(f"{source}: " + _page(data, items, "v1", "totalElements", "last"))
    else:
        read.append(f"{source}: " + (f"a list of {len(items)} services" if isinstance(data, list) else "one service"))
    records = [_record(item, f"{source} item {n}", problems) for n, item in enumerate(items, 1)]
    return [r for r in records if r is not None]


def _from_csv(text: str, source: str, problems: list[str]) -> list[ServiceRecord]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = {(c or "").strip().lower() for c in (reader.fieldnames or [])}
    missing = {"id", "name", "status"} - columns
    if missing:
        problems.append(f"{source} line 1: the header needs the columns id, name and status "
                        f"(missing {', '.join(sorted(missing))})")
        return []
    records = []
    for row in reader:
        if None in row:
            problems.append(f"{source} line {reader.line_num}: more cells than the header has columns")
            continue
        clean = {(k or "").strip().lower(): (v.strip() or None if isinstance(v, str) else v) for k, v in row.items()}
        if not any(clean.values()):
            continue
        record = _record(clean, f"{source} line {reader.line_num}", problems)
        if record is not None:
            records.append(record)
    return records


def parse_services(files: list[tuple[str, bytes]]) -> list[ServiceRecord]:
    """Every service in these files (name, bytes), or DirectoryError listing every problem."""
    return read_services(files).records


def read_services(files: list[tuple[str, bytes]]) -> ParsedFiles:
    """Every service in these files (name, bytes) and how each file was read, or DirectoryError."""
    problems: list[str] = []
    records: list[ServiceRecord] = []
    read: list[str] = []
    for source, data in files:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            problems.append(f"{source}: is not UTF-8 text (byte {error.start})")
            continue
        if text.lstrip()[:1] in ("{", "["):
            try:
                parsed = json.loads(text, parse_constant=_no_constant)
            except _NotANumber as error:
                problems.append(f"{source}: holds {error}, which is not a number or text; nothing was read from it")
                continue
            except json.JSONDecodeError as error:
                problems.append(f"{source} line {error.lineno}: not valid JSON ({error.msg})")
                continue
            except ValueError:  # a number of thousands of digits
                problems.append(f"{source}: holds a number too long to read")
                continue
            except RecursionError:
                problems.append(f"{source}: JSON nested too deeply")
                continue
            records += _from_json(parsed, source, problems, read)
        elif text.strip():
            records += _from_csv(text, source, problems)
            read.append(f"{source}: the HSDS services.csv layout")
        else:
            problems.append(f"{source}: is empty")
    seen: dict[str, int] = {}
    for record in records:
        seen[record.service_id] = seen.get(record.service_id, 0) + 1
    problems += [f"service id {sid} appears {n} times" for sid, n in seen.items() if n > 1]
    if not records and not problems:
        problems.append("no services found")
    if problems:
        raise DirectoryError(problems)
    return ParsedFiles(records=records, read=read)


class Directory:
    def __init__(self, db: Database) -> None:
        self.db = db

    def import_services(self, records: list[ServiceRecord], *, directory: str, at: str) -> ImportSummary:
        directory = directory.strip()
        if not directory:
            raise TillError("name the directory the services come from")
        summary = ImportSummary()
        with transaction(self.db):
            if node_number(self.db) not in (None, 1):
                raise TillError(ON_A_HUB)
            existing = {row[0]: row[1:] for row in self.db.execute(
                "select service_id, name, organization_id, organization_name, description, url, status, details,"
                " retired_at from services where directory = ?", [directory])}
            for r in records:
                values = (r.name, r.organization_id, r.organization_name, r.description, r.url, r.status,
                          r.contact.to_json())
                if r.service_id not in existing:
                    self.db.execute(
                        "insert into services (id, directory, service_id, name, organization_id, organization_name,"
                        " description, url, status, details, first_seen, updated_at)"
                        " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [next_id(self.db, "services"), directory, r.service_id, *values, at, at])
                    summary.created += 1
                elif tuple(existing[r.service_id][:7]) != values or existing[r.service_id][7] is not None:
                    self.db.execute(
                        "update services set name = ?, organization_id = ?, organization_name = ?, description = ?,"
                        " url = ?, status = ?, details = ?, updated_at = ?, retired_at = null"
                        " where directory = ? and service_id = ?",
                        [*values, at, directory, r.service_id])
                    summary.updated += 1
                else:
                    summary.unchanged += 1
            present = {r.service_id for r in records}
            gone = [sid for sid, row in existing.items() if sid not in present and row[7] is None]
            for sid in gone:
                self.db.execute("update services set retired_at = ? where directory = ? and service_id = ?",
                                [at, directory, sid])
            summary.retired = len(gone)
        summary.offered = len(self.offered())
        return summary

    def _services(self, where: str = "", params: list | None = None) -> list[Service]:
        return [Service(ref=r[0], directory=r[1], service_id=r[2], name=r[3], organization_name=r[4], status=r[5],
                        retired=r[6] is not None)
                for r in self.db.execute(
                    "select id, directory, service_id, name, organization_name, status, retired_at from services "
                    + where, params or [])]

    def get(self, ref: int) -> Service:
        found = self._services("where id = ?", [ref])
        if not found:
            raise TillError(f"there is no service {ref} in the directory")
        return found[0]

    def contact(self, ref: int) -> ServiceContact:
        """What a volunteer can pass on about a service: the directory's address, phone, hours, link."""
        row = self.db.execute("select name, organization_name, url, details from services where id = ?",
                              [ref]).fetchone()
        if row is None:
            raise TillError(f"there is no service {ref} in the directory")
        return ServiceContact(name=row[0], organization=row[1], url=row[2], details=ContactDetails.from_json(row[3]))

    def offered(self, search: str = "") -> list[Service]:
        """Services a volunteer may signpost to (active, still in the directory), by name."""
        services = self._services("where status = 'active' and retired_at is null order by name collate nocase")
        words = search.casefold().split()
        return [s for s in services
                if all(w in f"{s.name} {s.organization_name or ''}".casefold() for w in words)]

    def all(self) -> list[Service]:
        return self._services("order by name collate nocase")
