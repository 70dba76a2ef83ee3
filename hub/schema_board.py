"""Hub schema version 11: the board's decisions on withdrawals asked for at a till other than the office
(hub/board.py, coop/board_elsewhere.py).

The office puts each decision here with its owner's connection, naming the till (its till id, which a till
rebuilt from the hub keeps) and the request by that till's own id. A till reads only those naming it, through
hub.my_board_decisions, all of them (a few a month), and skips those it has taken, whatever order they came in.
Nothing personal travels: a request's number, a decision, a count of shares and the board member's name, as on
the minutes.
"""

from __future__ import annotations

from hub import grant_to_every_till

#: The function a till's role may call from this version on (granted at registration too).
GRANTS = ("hub.my_board_decisions()",)

MIGRATION = """
create table hub.board_decisions (
  entry bigint primary key,
  till_id text not null,
  request_id bigint not null,
  decision text not null check (decision in ('approved', 'part_approved', 'refused', 'suspended')),
  approved_shares int not null check (approved_shares >= 0),
  decided_by text not null,
  decided_at text not null,
  decided_on text not null
);

create function hub.my_board_decisions() returns table (entry bigint, request_id bigint,
  decision text, approved_shares int, decided_by text, decided_at text, decided_on text)
language plpgsql stable security definer set search_path = hub, pg_catalog, pg_temp as $$
declare
  mine text;
begin
  select n.till_id into mine from hub.nodes n where n.role = session_user and n.revoked_at is null;
  if mine is null then
    raise exception 'this till is not registered at the hub' using errcode = '42501';
  end if;
  return query
    select b.entry, b.request_id, b.decision, b.approved_shares, b.decided_by, b.decided_at, b.decided_on
    from hub.board_decisions b where b.till_id = mine order by b.entry;
end
$$;
""" + grant_to_every_till(GRANTS)
