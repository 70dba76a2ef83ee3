"""The society's hub: every till's records, gathered in one PostgreSQL database.

Tills talk to PostgreSQL directly (psycopg 3), each as a database role of its own, and add records
only through the hub's push function, which checks each till's hash chain as it arrives. The till's
own SQLite file stays the durable store: a till sells, refunds and cashes up without the hub, and
pushes whatever it has recorded when the hub can be reached.

psycopg is imported by the modules that talk to the hub only, and the till's screen and command
line import this package lazily, so a till with no hub starts as fast as before.
"""

from __future__ import annotations

from core.errors import TillError

#: The version of the hub's tables this till expects (hub/schema.py migrates a hub up to it).
SCHEMA_VERSION = 11


class HubError(TillError):
    """The hub cannot be used as asked: one plain sentence, and nothing half done."""


def grant_to_every_till(functions: tuple[str, ...]) -> str:
    """SQL for a migration that adds functions a till may call: kept from everyone else, and granted to
    every till already registered (one registering later gets them from hub/connect.py)."""
    names = ", ".join(functions)
    return f"""
revoke all on function {names} from public;
do $$
declare
  r record;
begin
  for r in select role from hub.nodes loop
    execute format('grant execute on function {names} to %I', r.role);
  end loop;
end
$$;
"""
