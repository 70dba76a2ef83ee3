"""Hub schema version 5: one answer for a shared record changed at two tills while apart, whatever order
the hub receives the two changes in (hub/shared.py says the rule in words).

A till sends each change with its stamp (the till's time of the change; the hub adds the till's node
number and the journal entry) and its base: the hub revision of that record the till last had. A change
whose base is the revision the hub holds (or that follows its own till's earlier change) simply comes
after it. Otherwise the two were made apart: the later stamp wins, a retirement or removal made by either
stays, and the change that lost is kept in hub.conflicts (not lost) for a manager to see. When the change
that arrives loses, the hub states its answer again as a new revision, so the till that lost gets it back.
Tills pull only the newest revision of each record: an older one would undo a newer one made at that till.
"""

from __future__ import annotations

from hub import grant_to_every_till
from hub.shared import RETIRED

#: The functions a till's role may call from version 5 on (granted at registration too).
GRANTS = ("hub.overruled()",)

_TABLES = """
-- The stamp of the change a revision holds: the till's time of it, its node number and journal entry.
alter table hub.shared add column stamp_at timestamptz, add column stamp_node int, add column stamp_entry bigint;
create table hub.conflicts (
  id bigserial primary key,
  kind text not null,
  ref_id bigint not null,
  kept_node int,
  kept_at timestamptz,
  kept_data jsonb,
  lost_node int,
  lost_at timestamptz,
  lost_data jsonb,
  revision bigint,
  at timestamptz not null default now()
);
"""


#: The kinds version 5 retires: its statements stay as shipped whatever RETIRED gains later.
_RETIRED_V5 = ("member", "volunteer", "product", "rota_slot", "rota_entry")


def _retired(data: str, retired: dict[str, tuple[tuple[str, str], ...]]) -> str:
    """SQL true when the jsonb `data` (null: removed) is a retired record of kind p_kind."""
    tests = []
    for kind, columns in retired.items():
        one = " or ".join(f"{data} -> '{column}' in ('0'::jsonb, 'false'::jsonb)" if how == "off"
                          else f"{data} ->> '{column}' is not null" for column, how in columns)
        tests.append(f"when '{kind}' then ({one})")
    return f"({data} is null or coalesce(case p_kind {' '.join(tests)} else false end, false))"


def _retiring(retired: dict[str, tuple[tuple[str, str], ...]]) -> str:
    return " ".join(f"when '{kind}' then array[{', '.join(repr(c) for c, _ in columns)}]"
                    for kind, columns in retired.items())

_FUNCTIONS = """
-- Two changes made apart: the winner's values, but a retirement or removal either made stays.
create function hub.merged(p_kind text, p_winner jsonb, p_loser jsonb) returns jsonb
language sql immutable set search_path = hub, pg_catalog, pg_temp as $$
  select case
    when p_winner is null or p_loser is null then null
    when @WINNER_RETIRED@ or not @LOSER_RETIRED@ then p_winner
    else p_winner || (select coalesce(jsonb_object_agg(c, p_loser -> c), '{}'::jsonb)
                      from unnest(case p_kind @RETIRING@ else array[]::text[] end) as u(c))
  end
$$;

create function hub.add_stamped(p_kind text, p_ref bigint, p_data jsonb, p_node text, p_entry bigint,
                                p_at timestamptz, p_number int, p_stamp_entry bigint) returns bigint
language plpgsql security definer set search_path = hub, pg_catalog, pg_temp as $$
declare
  made bigint;
begin
  perform pg_advisory_xact_lock(hashtext('hub.shared'));
  made := nextval('hub.revisions');
  insert into hub.shared (revision, kind, ref_id, data, node_id, entry, stamp_at, stamp_node, stamp_entry)
    values (made, p_kind, p_ref, p_data, p_node, p_entry, p_at, p_number, p_stamp_entry);
  return made;
end
$$;

create or replace function hub.share(p_node text, p_kind text, p_ref bigint, p_data jsonb, p_entry bigint,
                                     p_body text)
returns void
language plpgsql security definer set search_path = hub, pg_catalog, pg_temp as $$
declare
  n hub.nodes%rowtype;
  newest hub.shared%rowtype;
  stamped hub.shared%rowtype;
  known boolean;
  office text;
  low bigint;
  v_at timestamptz := (p_data ->> '_at')::timestamptz;
  v_base bigint := coalesce((p_data ->> '_base')::bigint, 0);
  wins boolean;
  kept jsonb;
  made bigint;
begin
  select * into n from hub.nodes where node_id = p_node;
  select founding_node into office from hub.society;
  p_data := p_data - '_at' - '_base';
  if p_data ? '_removed' then
    p_data := null;
  end if;
  -- A record with nothing personal in it is in its body as it is: its data must say the same.
  if p_data is not null and p_kind in (@PLAIN@)
     and (p_body is null or (p_body::jsonb -> p_kind) is distinct from (select jsonb_agg(p_data -> c order by i)
          from unnest(case p_kind @COLUMNS@ end) with ordinality as u(c, i))) then
    insert into hub.alerts (node_id, entry, what) values (p_node, p_entry,
      format('till %s sent %s %s with values that are not the ones its journal recorded: it is not shared',
             n.till_id, p_kind, p_ref));
    return;
  end if;
  select * into newest from hub.shared s where s.kind = p_kind and s.ref_id = p_ref order by s.revision desc limit 1;
  known := found;
  if known and newest.data is not distinct from p_data then
    return;  -- what the hub has already (a till sending back what it pulled)
  end if;
  low := case when n.number = 1 then 0 else n.number::bigint * 1000000000 end;
  if not known and p_data is not null and (p_ref < low or p_ref >= (n.number + 1)::bigint * 1000000000) then
    insert into hub.alerts (node_id, entry, what) values (p_node, p_entry,
      format('till %s sent a new %s %s outside its own block of ids: it is not shared', n.till_id, p_kind, p_ref));
    return;
  end if;
  if p_kind = 'volunteer' and p_node <> office and p_data is not null
     and (newest.data is null or newest.data -> 'role' is distinct from p_data -> 'role'
          or newest.data -> 'pin_hash' is distinct from p_data -> 'pin_hash') then
    if not exists (select 1 from hub.pending where kind = p_kind and ref_id = p_ref and decided_at is null
                   and data -> 'role' = p_data -> 'role' and data -> 'pin_hash' is not distinct from p_data -> 'pin_hash') then
      insert into hub.pending (kind, ref_id, data, node_id, entry) values (p_kind, p_ref, p_data, p_node, p_entry);
    end if;
    -- The rest of the change is shared now, with the role and PIN the hub had (a new volunteer: the lowest, none).
    p_data := p_data || jsonb_build_object('role', coalesce(newest.data -> 'role', '"volunteer"'::jsonb),
                                           'pin_hash', coalesce(newest.data -> 'pin_hash', 'null'::jsonb));
    if known and newest.data is not distinct from p_data then
      return;
    end if;
  end if;
  -- The change the hub holds, as stamped by its till (an approval's revision restates one, unstamped).
  select * into stamped from hub.shared s where s.kind = p_kind and s.ref_id = p_ref and s.stamp_at is not null
    order by s.revision desc limit 1;
  -- Made apart: this till had not got the revision the hub holds, which another till's change made.
  if known and stamped.revision is not null and v_at is not null and v_base < newest.revision
     and stamped.stamp_node is distinct from n.number then
    wins := (v_at, n.number, p_entry) > (stamped.stamp_at, stamped.stamp_node, stamped.stamp_entry);
    if wins then
      kept := hub.merged(p_kind, p_data, newest.data);
      made := hub.add_stamped(p_kind, p_ref, kept, case when kept is not distinct from p_data then p_node end,
                              p_entry, v_at, n.number, p_entry);
      insert into hub.conflicts (kind, ref_id, kept_node, kept_at, kept_data, lost_node, lost_at, lost_data, revision)
        values (p_kind, p_ref, n.number, v_at, p_data, stamped.stamp_node, stamped.stamp_at, newest.data, made);
    else
      -- Said again as a revision of no till's, so the till whose change lost gets the hub's answer back.
      kept := hub.merged(p_kind, newest.data, p_data);
      made := hub.add_stamped(p_kind, p_ref, kept, null, null, stamped.stamp_at, stamped.stamp_node,
                              stamped.stamp_entry);
      insert into hub.conflicts (kind, ref_id, kept_node, kept_at, kept_data, lost_node, lost_at, lost_data, revision)
        values (p_kind, p_ref, stamped.stamp_node, stamped.stamp_at, newest.data, n.number, v_at, p_data, made);
    end if;
    return;
  end if;
  perform hub.add_stamped(p_kind, p_ref, p_data, p_node, p_entry, v_at, n.number, p_entry);
end
$$;

-- As version 4's, but only each record's newest revision: an older one would undo what followed it.
create or replace function hub.pull(p_after bigint, p_limit int) returns table (revision bigint, kind text,
                                                                                ref_id bigint, data jsonb)
language plpgsql stable security definer set search_path = hub, pg_catalog, pg_temp as $$
declare
  me text;
  office text;
begin
  select node_id into me from hub.nodes where role = session_user and revoked_at is null;
  if me is null then
    raise exception 'this till is not registered at the hub' using errcode = '42501';
  end if;
  select founding_node into office from hub.society;
  return query select s.revision, s.kind, s.ref_id,
      case when me = office or s.data is null then s.data else s.data - 'sealed' end
    from hub.shared s
    where s.revision > p_after and s.node_id is distinct from me
      and not exists (select 1 from hub.shared t where t.kind = s.kind and t.ref_id = s.ref_id
                      and t.revision > s.revision)
    order by s.revision limit p_limit;
end
$$;

-- The changes made at two tills at once and overruled: what the tills' registers hold anyway, never the
-- details sealed to the office.
create function hub.overruled() returns table (id bigint, kind text, ref_id bigint, kept_till text,
                                               kept_at timestamptz, kept_data jsonb, lost_till text,
                                               lost_at timestamptz, lost_data jsonb, at timestamptz)
language plpgsql stable security definer set search_path = hub, pg_catalog, pg_temp as $$
begin
  if not exists (select 1 from hub.nodes where role = session_user and revoked_at is null) then
    raise exception 'this till is not registered at the hub' using errcode = '42501';
  end if;
  return query select c.id, c.kind, c.ref_id, k.till_id, c.kept_at, c.kept_data - 'sealed', l.till_id, c.lost_at,
      c.lost_data - 'sealed', c.at
    from hub.conflicts c left join hub.nodes k on k.number = c.kept_node left join hub.nodes l on l.number = c.lost_node
    order by c.id;
end
$$;

revoke all on all tables in schema hub from public;
revoke all on function hub.merged(text, jsonb, jsonb) from public;
revoke all on function hub.add_stamped(text, bigint, jsonb, text, bigint, timestamptz, int, bigint) from public;
"""


def _functions(plain: str, columns: str, retired: dict[str, tuple[tuple[str, str], ...]]) -> str:
    return (_FUNCTIONS.replace("@PLAIN@", plain).replace("@COLUMNS@", columns)
            .replace("@WINNER_RETIRED@", _retired("p_winner", retired))
            .replace("@LOSER_RETIRED@", _retired("p_loser", retired)).replace("@RETIRING@", _retiring(retired)))


def migration(plain: str, columns: str) -> str:
    """Version 5's statements; `plain` and `columns` are version 2's list of kinds whose body is their data."""
    retired = {kind: RETIRED[kind] for kind in _RETIRED_V5}
    return _TABLES + _functions(plain, columns, retired) + grant_to_every_till(GRANTS)


def recreated(name: str, plain: str, columns: str) -> str:
    """Version 5's function `name` (hub.share, hub.merged) as `create or replace`, made for the kinds in
    `plain` (`columns`: their columns, as version 2's PLAIN_COLUMNS) and every kind RETIRED names now: a
    later version that shares more kinds re-creates it from this text, never from a copy of it."""
    text = _functions(plain, columns, RETIRED)
    start = text.index(f"function {name}(")
    start = text.rindex("create", 0, start)
    end = text.index("\n$$;\n", start) + len("\n$$;\n")
    return "create or replace " + text[start:end].removeprefix("create or replace ").removeprefix("create ")
