"""The hub's tables in PostgreSQL, with versioned migrations of their own (hub.schema_version).

A till and a hub at different versions are told so in one sentence before anything is sent: a push
goes through the hub's functions, and a till that does not know those functions' shape must not
half-sync. Migrations only ever add: never edit one that has shipped, add the next.

Tills hold no rights on the tables themselves. Each till's role may only call the functions below
(SECURITY DEFINER, owned by whoever ran `till hub init`), which look the till up by session_user.
"""

from __future__ import annotations

from hub import SCHEMA_VERSION, HubError
from hub.schema_balances import MIGRATION as BALANCES
from hub.schema_board import MIGRATION as BOARD
from hub.schema_catchup import MIGRATION as CATCHUP
from hub.schema_conflicts import migration as conflicts
from hub.schema_offers import MIGRATION as OFFERS
from hub.schema_sealed import MIGRATION as SEALED
from hub.schema_services import MIGRATION as SERVICES
from hub.schema_settings import MIGRATION as SETTINGS
from hub.schema_shared import PLAIN_COLUMNS, PLAIN_KINDS, migration
from hub.schema_supply import MIGRATION as SUPPLY

#: Mirrors core.journal.link, byte for byte: tests/hub/test_chain.py checks they agree.
_LINK = """
create function hub.link(prev text, version int, kind text, ref_id bigint, digest text) returns text
language sql immutable as $$
  select encode(sha256(convert_to(prev || '|' || version::text || '|' || kind || '|' || ref_id::text || '|' || coalesce(digest, 'None'),
                                  'UTF8')), 'hex')
$$;
"""

_TABLES = """
create table hub.society (
  id int primary key check (id = 1),
  name text not null,
  made_at timestamptz not null default now(),
  founding_node text not null
);
create table hub.nodes (
  node_id text primary key,
  role text not null unique,
  till_id text not null,
  registered_at timestamptz not null default now(),
  revoked_at timestamptz,
  -- The chain as the hub holds it: the last entry accepted and its hash (64 zeros before any).
  head_entry bigint not null default 0,
  head_hash text not null default repeat('0', 64),
  last_push_at timestamptz,
  quarantined_at timestamptz,
  quarantine_entry bigint,
  quarantine_reason text
);
create table hub.records (
  node_id text not null references hub.nodes,
  entry bigint not null,
  kind text not null,
  ref_id bigint not null,
  version int not null,
  digest text,
  hash text not null,
  -- The record's body exactly as the till sent it (its digest is the sha256 of these bytes).
  body text,
  -- Held: it arrived after a break in its till's chain, so it is kept but not counted.
  held boolean not null default false,
  -- A business rule it breaks at the hub (stored all the same: a sale made is a sale made).
  flag text,
  received_at timestamptz not null default now(),
  primary key (node_id, entry)
);
create table hub.pushes (
  id bigserial primary key,
  node_id text not null references hub.nodes,
  at timestamptz not null default now(),
  head_entry bigint not null,
  head_hash text not null
);
create table hub.alerts (
  id bigserial primary key,
  at timestamptz not null default now(),
  node_id text references hub.nodes,
  entry bigint,
  what text not null
);
-- Sale numbers seen, so the same number from two tills (two tills given one till id) is flagged.
create table hub.sale_numbers (
  till_id text not null,
  kind text not null,
  sale_number bigint not null,
  node_id text not null,
  entry bigint not null,
  primary key (till_id, kind, sale_number)
);
-- A till was revoked: every till is asked to reset its PINs (acting on it is the till's next step).
create table hub.pin_resets (
  id bigserial primary key,
  at timestamptz not null default now(),
  revoked_node text not null references hub.nodes,
  why text not null
);
"""

_PUSH = """
create function hub.push(p_node text, p_rows jsonb) returns jsonb
language plpgsql security definer set search_path = hub, pg_catalog, pg_temp as $$
declare
  n hub.nodes%rowtype;
  r record;
  added int := 0;
  resent int := 0;
  held int := 0;
  stored text;
  problem text;
  sale jsonb;
  other text;
begin
  select * into n from hub.nodes where node_id = p_node for update;  -- one push per till at a time
  if not found or n.role <> session_user then
    raise exception 'this till is not registered at the hub' using errcode = '42501';
  end if;
  if n.revoked_at is not null then
    raise exception 'this till was revoked at the hub' using errcode = '42501';
  end if;
  for r in select * from jsonb_to_recordset(p_rows)
             as x(entry bigint, kind text, ref_id bigint, version int, digest text, hash text, body text)
           order by entry loop
    insert into hub.records (node_id, entry, kind, ref_id, version, digest, hash, body, held)
      values (p_node, r.entry, r.kind, r.ref_id, r.version, r.digest, r.hash, r.body, n.quarantine_entry is not null)
      on conflict (node_id, entry) do nothing;
    if not found then
      -- Sent before (a push cut off after the hub committed): it must be the very same entry.
      select hash into stored from hub.records where node_id = p_node and entry = r.entry;
      if stored <> r.hash and n.quarantine_entry is null then
        n.quarantine_entry := r.entry;
        n.quarantine_reason := format('journal entry %s (%s %s) is not the one this till sent before: its history '
                                      'was rewritten', r.entry, r.kind, r.ref_id);
      end if;
      resent := resent + 1;
      continue;
    end if;
    if n.quarantine_entry is not null then
      held := held + 1;
      continue;
    end if;
    problem := null;
    if r.entry <= n.head_entry or r.hash <> hub.link(n.head_hash, r.version, r.kind, r.ref_id, r.digest) then
      problem := format('journal entry %s (%s %s) does not follow entry %s: an entry was changed, removed or '
                        'added outside the till', r.entry, r.kind, r.ref_id, n.head_entry);
    elsif r.body is not null and r.digest is distinct from encode(sha256(convert_to(r.body, 'UTF8')), 'hex') then
      problem := format('journal entry %s (%s %s) was changed after it was recorded', r.entry, r.kind, r.ref_id);
    end if;
    if problem is not null then
      update hub.records set held = true where node_id = p_node and entry = r.entry;
      n.quarantine_entry := r.entry;
      n.quarantine_reason := problem;
      held := held + 1;
      continue;
    end if;
    n.head_entry := r.entry;
    n.head_hash := r.hash;
    added := added + 1;
    -- Business rules: a record that breaks one is stored and flagged, never refused.
    -- A record written once must still be there; one that changes in place is sent with its body only
    -- while this is its newest entry (core.records), and one the till deleted has none.
    if r.body is null and r.kind in ('sale', 'void', 'cash', 'share', 'z', 'credit', 'shift', 'correction',
                                     'dividend', 'dividend_paid') then
      update hub.records set flag = 'the till no longer had this record when it was sent'
        where node_id = p_node and entry = r.entry;
    elsif r.kind = 'sale' then
      sale := (r.body::jsonb) -> 'sale';
      insert into hub.sale_numbers values (sale ->> 1, sale ->> 3, (sale ->> 2)::bigint, p_node, r.entry)
        on conflict do nothing;
      if not found then
        select node_id into other from hub.sale_numbers
          where till_id = sale ->> 1 and kind = sale ->> 3 and sale_number = (sale ->> 2)::bigint;
        if other <> p_node then
          update hub.records set flag = format('sale number %s/%s also came from another till', sale ->> 1,
                                               sale ->> 2)
            where node_id = p_node and entry = r.entry;
        end if;
      end if;
    end if;
  end loop;
  if n.quarantine_entry is not null and n.quarantined_at is null then
    n.quarantined_at := now();
    insert into hub.alerts (node_id, entry, what)
      values (p_node, n.quarantine_entry, format('till %s is quarantined: %s', n.till_id, n.quarantine_reason));
  end if;
  if added > 0 then
    insert into hub.pushes (node_id, head_entry, head_hash) values (p_node, n.head_entry, n.head_hash);
  end if;
  update hub.nodes set head_entry = n.head_entry, head_hash = n.head_hash, last_push_at = now(),
                       quarantined_at = n.quarantined_at, quarantine_entry = n.quarantine_entry,
                       quarantine_reason = n.quarantine_reason
    where node_id = p_node;
  return jsonb_build_object('added', added, 'resent', resent, 'held', held,
                            'quarantine_entry', n.quarantine_entry, 'quarantine_reason', n.quarantine_reason);
end
$$;

create function hub.my_status() returns jsonb
language sql stable security definer set search_path = hub, pg_catalog, pg_temp as $$
  select jsonb_build_object(
    'node_id', n.node_id, 'till_id', n.till_id, 'head_entry', n.head_entry, 'head_hash', n.head_hash,
    'last_entry', (select coalesce(max(r.entry), 0) from hub.records r where r.node_id = n.node_id),
    'last_push_at', n.last_push_at, 'revoked', n.revoked_at is not null,
    'quarantine_entry', n.quarantine_entry, 'quarantine_reason', n.quarantine_reason,
    'pin_resets', (select count(*) from hub.pin_resets p where p.at >= n.registered_at and p.revoked_node <> n.node_id),
    'hub_now', now())
  from hub.nodes n where n.role = session_user
$$;

-- The chain heads the hub witnessed for the caller's till, one per push that added records.
create function hub.my_heads() returns table (entry bigint, hash text)
language sql stable security definer set search_path = hub, pg_catalog, pg_temp as $$
  select p.head_entry, p.head_hash from hub.pushes p join hub.nodes n using (node_id)
  where n.role = session_user order by p.id
$$;

revoke all on all tables in schema hub from public;
revoke all on all functions in schema hub from public;
"""


def _push_function() -> str:
    start = _PUSH.index("create function hub.push")
    return _PUSH[start:_PUSH.index("\n$$;\n", start) + len("\n$$;\n")]


#: version → the statements that bring the hub's tables from the version before to it.
MIGRATIONS: dict[int, str] = {1: _LINK + _TABLES + _PUSH, 2: migration(_push_function()), 3: BALANCES, 4: SEALED,
                           5: conflicts(PLAIN_KINDS, PLAIN_COLUMNS),
                           6: CATCHUP,
                           7: SETTINGS,
                           8: SERVICES,
                           9: OFFERS,
                           10: SUPPLY,
                           11: BOARD}
assert max(MIGRATIONS) == SCHEMA_VERSION


def migrate(conn) -> int:
    """Bring the hub's tables up to this till's version, in one transaction; the version reached.
    A hub already newer than this till is refused, untouched."""
    with conn.transaction():
        conn.execute("create schema if not exists hub")
        conn.execute("revoke all on schema hub from public")
        conn.execute("create table if not exists hub.schema_version (version int primary key, "
                     "applied_at timestamptz not null default now())")
        conn.execute("lock table hub.schema_version in exclusive mode")  # two inits at once take turns
        current = conn.execute("select coalesce(max(version), 0) from hub.schema_version").fetchone()[0]
        if current > SCHEMA_VERSION:
            raise HubError(_newer(current))
        for version in range(current + 1, SCHEMA_VERSION + 1):
            conn.execute(MIGRATIONS[version])
            conn.execute("insert into hub.schema_version (version) values (%s)", [version])
    return SCHEMA_VERSION


def check_version(conn) -> None:
    """HubError, in one sentence, unless the hub's tables are at exactly this till's version."""
    from psycopg import errors

    try:
        with conn.transaction():
            found = conn.execute("select max(version) from hub.schema_version").fetchone()[0]
    except (errors.UndefinedTable, errors.InvalidSchemaName):
        raise HubError("that database is not a hub yet: run `till hub init URL` there first") from None
    if found is None or found < SCHEMA_VERSION:
        raise HubError(f"the hub's tables are at version {found or 0} and this till needs version {SCHEMA_VERSION}: "
                       "run `till hub init URL` with this version to upgrade the hub (nothing was sent)")
    if found > SCHEMA_VERSION:
        raise HubError(_newer(found))


def _newer(found: int) -> str:
    return (f"the hub's tables are at version {found}, newer than this till's {SCHEMA_VERSION}: update Community Till "
            "on this till before it syncs (nothing was sent)")
