"""Hub schema version 3: the society's balances as the office last counted them (hub/balances.py).

The office publishes, from its consolidated copy, what each till contributed to each balance (a
member's till credit, a volunteer's time credits, an item waiting in the pay-it-forward pool) and up to
which of that till's journal entries it counted. A till reads them only through hub.my_balances: the
society's total and its own part, so it can add what the other tills did to what it knows itself.
Only the hub's owner (the office, with its admin connection) writes them.
"""

from __future__ import annotations

from hub import grant_to_every_till

#: The function a till's role may call from version 3 on (granted at registration too).
GRANTS = ("hub.my_balances()",)

MIGRATION = """
create table hub.balances (
  kind text not null,
  ref_id bigint not null,
  node_id text not null references hub.nodes,
  amount bigint not null,
  primary key (kind, ref_id, node_id)
);
-- One row: when the office last published, and how far into each till's journal it had counted.
create table hub.balance_count (
  id int primary key check (id = 1),
  at timestamptz not null,
  marks jsonb not null
);

create function hub.my_balances() returns table (kind text, ref_id bigint, total bigint, own bigint,
                                                 counted_at timestamptz, counted_entry bigint)
language plpgsql stable security definer set search_path = hub, pg_catalog, pg_temp as $$
declare
  me text;
begin
  select node_id into me from hub.nodes where role = session_user and revoked_at is null;
  if me is null then
    raise exception 'this till is not registered at the hub' using errcode = '42501';
  end if;
  return query
    select b.kind, b.ref_id, sum(b.amount)::bigint,
           coalesce(sum(b.amount) filter (where b.node_id = me), 0)::bigint,
           c.at, coalesce((c.marks ->> me)::bigint, 0)
    from hub.balances b cross join hub.balance_count c
    group by b.kind, b.ref_id, c.at, c.marks;
end
$$;

""" + grant_to_every_till(GRANTS)
