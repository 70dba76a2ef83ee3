"""Hub schema version 8: the service directory comes from the office alone.

On a hub only the office imports the directory's feed (centre/directory.py), so every service has one id
everywhere. hub.share passes on any shared kind a till's push names, and a till could write a service of
its own into its journal (by hand, with the till's own connection) and push it: every volunteer would then
offer families a service, a phone number or an address nobody checked. A service revision from any node
but the office is refused here, with an alert, like a till's forged settings (version 7).
"""

from __future__ import annotations

MIGRATION = """
create function hub.services_from_the_office() returns trigger
language plpgsql security definer set search_path = hub, pg_catalog, pg_temp as $$
begin
  if new.kind = 'service' and new.node_id is not null
     and new.node_id is distinct from (select founding_node from hub.society) then
    insert into hub.alerts (node_id, entry, what) values (new.node_id, new.entry,
      format('till %s sent a directory service %s: only the office imports the directory; not shared',
             (select till_id from hub.nodes where node_id = new.node_id), new.ref_id));
    return null;
  end if;
  return new;
end
$$;
revoke all on function hub.services_from_the_office() from public;
create trigger services_from_the_office before insert on hub.shared
  for each row execute function hub.services_from_the_office();
"""
