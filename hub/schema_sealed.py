"""Hub schema version 4: the office's public key, for the details only the office may read (hub/sealed.py).

The office publishes the public half of its key pair; every till fetches it and seals a member's address,
contacts and date of birth to it, beside the member's shared change. The hub stores the sealed box as it
came (it cannot open it) and hands it on to the office alone: the other tills' pull leaves it out.
"""

from __future__ import annotations

from hub import grant_to_every_till

#: The functions a till's role may call from version 4 on (granted at registration too).
GRANTS = ("hub.office_key()", "hub.publish_office_key(text)")

MIGRATION = """
alter table hub.society add column office_key text;

create function hub.office_key() returns text
language sql stable security definer set search_path = hub, pg_catalog, pg_temp as $$
  select office_key from hub.society
$$;

-- Only the office's own role (hub.office_node refuses any other) publishes its key.
create function hub.publish_office_key(p_key text) returns void
language plpgsql security definer set search_path = hub, pg_catalog, pg_temp as $$
begin
  perform hub.office_node();
  update hub.society set office_key = p_key;
end
$$;

-- As version 2's, but a member's sealed details go to the office only: no other till could open them.
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
    where s.revision > p_after and s.node_id is distinct from me order by s.revision limit p_limit;
end
$$;

""" + grant_to_every_till(GRANTS)
