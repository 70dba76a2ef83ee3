"""Hub schema version 2: the society's shared records, as revisions every till pulls (hub/shared.py).

Each change a till pushes to a shared record (a price, a member, a volunteer…) with its row's values
(`data`) becomes a revision: one hub-wide sequence, taken in commit order (an advisory lock), so a
till that has pulled up to revision N never misses one committed later with a smaller number. The
same data again (a till sending back what it pulled) makes nothing new. A role or PIN changed at a
till other than the office waits in hub.pending until the office approves it (`till hub approve`);
meanwhile the others see the volunteer with the role and PIN the hub had (a new one: the lowest role,
no PIN). Tills read revisions only through hub.pull: never hub.records, never another till's bodies.
"""

from __future__ import annotations

from hub import grant_to_every_till
from hub.schema_balances import GRANTS as BALANCE_GRANTS
from hub.schema_conflicts import GRANTS as CONFLICT_GRANTS
from hub.schema_sealed import GRANTS as SEALED_GRANTS
from hub.schema_settings import GRANTS as SETTINGS_GRANTS

_TABLES = """
alter table hub.nodes add column number int unique;
-- Node numbers for tills registered before version 2: the founding node is 1, then in the order they joined.
with ordered as (
  select n.node_id, row_number() over (order by n.node_id = s.founding_node desc, n.registered_at, n.node_id) as k
  from hub.nodes n cross join hub.society s)
update hub.nodes n set number = o.k from ordered o where o.node_id = n.node_id;
create table hub.shared (
  revision bigint primary key,
  kind text not null,
  ref_id bigint not null,
  -- The record's shared columns; null: the till removed it.
  data jsonb,
  node_id text references hub.nodes,
  entry bigint,
  approved_by text,
  at timestamptz not null default now()
);
create index shared_by_record on hub.shared (kind, ref_id, revision);
create sequence hub.revisions owned by hub.shared.revision;
create table hub.pending (
  id bigserial primary key,
  kind text not null,
  ref_id bigint not null,
  data jsonb not null,
  node_id text not null references hub.nodes,
  entry bigint not null,
  at timestamptz not null default now(),
  decided_at timestamptz,
  decision text,
  decided_by text
);
"""

#: Kinds whose body holds the record's columns unsalted, in this order (core/records.py, as shipped).
_PLAIN = {
    "product": ("id", "name", "category", "vat_class", "served_hot", "catering", "healthy_start", "stock_tracked",
                "reorder_level", "pass_through", "active", "created_at"),
    "price": ("id", "product_id", "price_pence", "created_at"),
    "training": ("id", "volunteer_id", "kind", "certified_on", "expires_on", "recorded_by", "at"),
    "rota_slot": ("id", "weekday", "starts", "ends", "needed", "label", "active", "created_at", "created_by"),
    "rota_entry": ("id", "slot_id", "volunteer_id", "week_of", "kind", "created_at", "created_by", "removed_at"),
}

PLAIN_KINDS = ", ".join(f"'{kind}'" for kind in _PLAIN)
PLAIN_COLUMNS = " ".join(f"when '{kind}' then array[{', '.join(repr(c) for c in columns)}]"
                    for kind, columns in _PLAIN.items())

_FUNCTIONS = """
create function hub.add_revision(p_kind text, p_ref bigint, p_data jsonb, p_node text, p_entry bigint,
                                 p_by text) returns void
language plpgsql security definer set search_path = hub, pg_catalog, pg_temp as $$
begin
  -- Revisions are numbered in commit order: a puller past N never misses a smaller one committed later.
  perform pg_advisory_xact_lock(hashtext('hub.shared'));
  insert into hub.shared (revision, kind, ref_id, data, node_id, entry, approved_by)
    values (nextval('hub.revisions'), p_kind, p_ref, p_data, p_node, p_entry, p_by);
end
$$;

create function hub.share(p_node text, p_kind text, p_ref bigint, p_data jsonb, p_entry bigint, p_body text)
returns void
language plpgsql security definer set search_path = hub, pg_catalog, pg_temp as $$
declare
  n hub.nodes%rowtype;
  newest jsonb;
  known boolean := false;
  office text;
  low bigint;
begin
  select * into n from hub.nodes where node_id = p_node;
  select founding_node into office from hub.society;
  if p_data ? '_removed' then
    p_data := null;
  end if;
  -- A record with nothing personal in it is in its body as it is: its data must say the same.
  if p_data is not null and p_kind in (""" + PLAIN_KINDS + """)
     and (p_body is null or (p_body::jsonb -> p_kind) is distinct from (select jsonb_agg(p_data -> c order by i)
          from unnest(case p_kind """ + PLAIN_COLUMNS + """ end) with ordinality as u(c, i))) then
    insert into hub.alerts (node_id, entry, what) values (p_node, p_entry,
      format('till %s sent %s %s with values that are not the ones its journal recorded: it is not shared',
             n.till_id, p_kind, p_ref));
    return;
  end if;
  select s.data, true into newest, known from hub.shared s where s.kind = p_kind and s.ref_id = p_ref
    order by s.revision desc limit 1;
  known := coalesce(known, false);
  if known and newest is not distinct from p_data then
    return;  -- what the hub has already (a till sending back what it pulled)
  end if;
  low := case when n.number = 1 then 0 else n.number::bigint * 1000000000 end;
  if not known and p_data is not null and (p_ref < low or p_ref >= (n.number + 1)::bigint * 1000000000) then
    insert into hub.alerts (node_id, entry, what) values (p_node, p_entry,
      format('till %s sent a new %s %s outside its own block of ids: it is not shared', n.till_id, p_kind, p_ref));
    return;
  end if;
  if p_kind = 'volunteer' and p_node <> office and p_data is not null
     and (newest is null or newest -> 'role' is distinct from p_data -> 'role'
          or newest -> 'pin_hash' is distinct from p_data -> 'pin_hash') then
    if not exists (select 1 from hub.pending where kind = p_kind and ref_id = p_ref and decided_at is null
                   and data -> 'role' = p_data -> 'role' and data -> 'pin_hash' is not distinct from p_data -> 'pin_hash') then
      insert into hub.pending (kind, ref_id, data, node_id, entry) values (p_kind, p_ref, p_data, p_node, p_entry);
    end if;
    -- The rest of the change is shared now, with the role and PIN the hub had (a new volunteer: the lowest, none).
    p_data := p_data || jsonb_build_object('role', coalesce(newest -> 'role', '"volunteer"'::jsonb),
                                           'pin_hash', coalesce(newest -> 'pin_hash', 'null'::jsonb));
    if known and newest is not distinct from p_data then
      return;
    end if;
  end if;
  perform hub.add_revision(p_kind, p_ref, p_data, p_node, p_entry, null);
end
$$;

create function hub.my_number() returns int
language sql stable security definer set search_path = hub, pg_catalog, pg_temp as $$
  select number from hub.nodes where role = session_user and revoked_at is null
$$;

-- The revisions after `p_after` for the calling till, leaving out those it made itself (it has them).
create function hub.pull(p_after bigint, p_limit int) returns table (revision bigint, kind text, ref_id bigint,
                                                                     data jsonb)
language plpgsql stable security definer set search_path = hub, pg_catalog, pg_temp as $$
declare
  me text;
begin
  select node_id into me from hub.nodes where role = session_user and revoked_at is null;
  if me is null then
    raise exception 'this till is not registered at the hub' using errcode = '42501';
  end if;
  return query select s.revision, s.kind, s.ref_id, s.data from hub.shared s
    where s.revision > p_after and s.node_id is distinct from me order by s.revision limit p_limit;
end
$$;

create function hub.office_node() returns text
language plpgsql stable security definer set search_path = hub, pg_catalog, pg_temp as $$
declare
  me text;
begin
  select n.node_id into me from hub.nodes n join hub.society s on s.founding_node = n.node_id
    where n.role = session_user and n.revoked_at is null;
  if me is null then
    raise exception 'only the office (the database that started the hub) approves changes' using errcode = '42501';
  end if;
  return me;
end
$$;

create function hub.pending_changes() returns table (id bigint, till_id text, kind text, ref_id bigint, name text,
                                                     role text, pin_changed boolean, at timestamptz)
language plpgsql stable security definer set search_path = hub, pg_catalog, pg_temp as $$
begin
  perform hub.office_node();
  return query select p.id, n.till_id, p.kind, p.ref_id, p.data ->> 'name', p.data ->> 'role',
      p.data -> 'pin_hash' is distinct from (select s.data -> 'pin_hash' from hub.shared s where s.kind = p.kind
                                               and s.ref_id = p.ref_id order by s.revision desc limit 1),
      p.at
    from hub.pending p join hub.nodes n using (node_id) where p.decided_at is null order by p.id;
end
$$;

create function hub.decide(p_id bigint, p_approve boolean, p_by text) returns text
language plpgsql security definer set search_path = hub, pg_catalog, pg_temp as $$
declare
  p hub.pending%rowtype;
  newest jsonb;
begin
  perform hub.office_node();
  select * into p from hub.pending where id = p_id and decided_at is null for update;
  if not found then
    raise exception 'there is no change % waiting for approval', p_id using errcode = 'P0002';
  end if;
  update hub.pending set decided_at = now(), decision = case when p_approve then 'approved' else 'refused' end,
                         decided_by = p_by where id = p_id;
  if p_approve then
    -- Only the role and PIN were waiting: the rest of the record is as the hub has it now.
    select s.data into newest from hub.shared s where s.kind = p.kind and s.ref_id = p.ref_id
      order by s.revision desc limit 1;
    perform hub.add_revision(p.kind, p.ref_id, coalesce(newest, p.data) || jsonb_build_object(
      'role', p.data -> 'role', 'pin_hash', p.data -> 'pin_hash'), null, null, p_by);
  end if;
  return p.data ->> 'name';
end
$$;

revoke all on all tables in schema hub from public;
revoke all on all functions in schema hub from public;
revoke all on all sequences in schema hub from public;
"""

_V2_GRANTS = ("hub.pull(bigint, int)", "hub.my_number()", "hub.pending_changes()", "hub.decide(bigint, boolean, text)")
#: The functions a till's role may call (hub/connect.py grants them at registration); version 2's own
#: migration grants only its own to the tills already registered, as later ones do not exist yet.
GRANTS = _V2_GRANTS + BALANCE_GRANTS + SEALED_GRANTS + CONFLICT_GRANTS + SETTINGS_GRANTS

_GRANT_EXISTING = grant_to_every_till(_V2_GRANTS)


def migration(push_v1: str) -> str:
    """Version 2's statements. The push function is version 1's, taking each entry's `data` too and
    handing a shared record's to hub.share once its chain checks (held entries share nothing)."""
    push = _replace(push_v1, "create function hub.push", "create or replace function hub.push")
    push = _replace(push, "hash text, body text)", "hash text, body text, data jsonb)")
    push = _replace(push, "    added := added + 1;\n",
                    "    added := added + 1;\n"
                    "    if r.data is not null then\n"
                    "      perform hub.share(p_node, r.kind, r.ref_id, r.data, r.entry, r.body);\n"
                    "    end if;\n")
    return _TABLES + _FUNCTIONS + push + _GRANT_EXISTING


def _replace(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)
