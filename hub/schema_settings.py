"""Hub schema version 7: the society's settings, the rules every till and the office must share
(`pos.config.SOCIETY_WIDE`: time credits an hour, member prices, the share and dividend rules, VAT…).

They are one shared record, kind 'settings' (ref 0), its data every setting the office has set: each
change is a revision like a price's, so each till pulls it with the rest and uses the society's value
over its own file's. Only the office's role sets them (hub.office_node refuses any other). The
revision has no node, so the office pulls it back too and applies it the way every till does.
"""

from __future__ import annotations

from hub import grant_to_every_till

#: The functions a till's role may call from this version on (granted at registration too).
GRANTS = ("hub.set_settings(jsonb, text)",)

MIGRATION = """
-- p_changes: the settings to change; a key given as null goes back to each till's own file.
create function hub.set_settings(p_changes jsonb, p_by text) returns bigint
language plpgsql security definer set search_path = hub, pg_catalog, pg_temp as $$
declare
  newest jsonb;
begin
  perform hub.office_node();
  if jsonb_typeof(p_changes) is distinct from 'object' or p_by is null or p_by = '' then
    raise exception 'the society''s settings are changed by name, by a named manager' using errcode = '22023';
  end if;
  perform pg_advisory_xact_lock(hashtext('hub.settings'));
  select s.data into newest from hub.shared s where s.kind = 'settings' and s.ref_id = 0
    order by s.revision desc limit 1;
  perform hub.add_revision('settings', 0,
    jsonb_strip_nulls(coalesce(newest, '{}'::jsonb) || p_changes) || jsonb_build_object('_set_by', p_by),
    null, null, p_by);
  return currval('hub.revisions');
end
$$;

-- hub.share passes on whatever kind a till's push names: the settings come from hub.set_settings alone,
-- whose revision has no node, so one a till's push made is refused here, with an alert.
create function hub.settings_from_the_office() returns trigger
language plpgsql security definer set search_path = hub, pg_catalog, pg_temp as $$
begin
  if new.kind = 'settings' and new.node_id is not null then
    insert into hub.alerts (node_id, entry, what) values (new.node_id, new.entry,
      format('till %s sent the society''s settings as a record of its own: only the office sets them; not shared',
             (select till_id from hub.nodes where node_id = new.node_id)));
    return null;
  end if;
  return new;
end
$$;
revoke all on function hub.settings_from_the_office() from public;
create trigger settings_from_the_office before insert on hub.shared
  for each row execute function hub.settings_from_the_office();

""" + grant_to_every_till(GRANTS)
