"""Hub schema version 6: details sealed after the fact, and a rebuilt till's place (hub/sealed.py, hub/restore.py).

A till that pins the office's key once it has members already (entered before it had any key, or before the
office changed its key) sends each one's sealed details through `hub.send_sealed`: a box the hub keeps for the
office alone, which takes it (`hub.sealed_waiting`) and drops it once written into its register
(`hub.sealed_taken`). A box whose member the office has not pulled yet stays until it has.

A till rebuilt from the hub (`till restore --from-hub`) starts its chain after the records its old node sent:
`hub.nodes.replaces` names that old node, so the office's copy keeps the till's records under one node, and
`hub.my_status` counts the entry the chain starts from as sent (before, a held row stood in for it).
"""

from __future__ import annotations

from hub import grant_to_every_till

#: The functions a till's role may call from this version on (granted at registration too).
GRANTS = ("hub.send_sealed(bigint, text)", "hub.sealed_waiting()", "hub.sealed_taken(bigint[])")

MIGRATION = """
alter table hub.nodes add column replaces text references hub.nodes;

create table hub.sealed_details (
  id bigserial primary key,
  node_id text not null references hub.nodes,
  member_id bigint not null,
  box text not null,
  at timestamptz not null default now()
);

create function hub.send_sealed(p_member bigint, p_box text) returns void
language plpgsql security definer set search_path = hub, pg_catalog, pg_temp as $$
declare
  me text;
begin
  select node_id into me from hub.nodes where role = session_user and revoked_at is null;
  if me is null then
    raise exception 'this till is not registered at the hub' using errcode = '42501';
  end if;
  insert into hub.sealed_details (node_id, member_id, box) values (me, p_member, p_box);
end
$$;

-- The office alone (hub.office_node refuses any other) reads the boxes, and drops those it has written.
create function hub.sealed_waiting() returns table (id bigint, member_id bigint, box text)
language plpgsql stable security definer set search_path = hub, pg_catalog, pg_temp as $$
begin
  perform hub.office_node();
  return query select d.id, d.member_id, d.box from hub.sealed_details d order by d.id;
end
$$;

create function hub.sealed_taken(p_ids bigint[]) returns void
language plpgsql security definer set search_path = hub, pg_catalog, pg_temp as $$
begin
  perform hub.office_node();
  delete from hub.sealed_details where id = any(p_ids);
end
$$;

-- As version 1's, but a rebuilt till's chain starting after its old node's records counts as sent to there.
create or replace function hub.my_status() returns jsonb
language sql stable security definer set search_path = hub, pg_catalog, pg_temp as $$
  select jsonb_build_object(
    'node_id', n.node_id, 'till_id', n.till_id, 'head_entry', n.head_entry, 'head_hash', n.head_hash,
    'last_entry', greatest(n.head_entry, (select coalesce(max(r.entry), 0) from hub.records r
                                          where r.node_id = n.node_id)),
    'last_push_at', n.last_push_at, 'revoked', n.revoked_at is not null,
    'quarantine_entry', n.quarantine_entry, 'quarantine_reason', n.quarantine_reason,
    'pin_resets', (select count(*) from hub.pin_resets p where p.at >= n.registered_at and p.revoked_node <> n.node_id),
    'hub_now', now())
  from hub.nodes n where n.role = session_user
$$;

revoke all on table hub.sealed_details from public;
revoke all on sequence hub.sealed_details_id_seq from public;
""" + grant_to_every_till(GRANTS)
