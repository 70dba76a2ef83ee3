"""`till office …`: the office's consolidated copy of every till's records, pulled from the hub.

The pulling is hub/office.py; the reports on the copy are the till's own (`till report z --all-tills`,
`till sales export --all-tills`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pos.cli.context import Context, say
from pos.cli.options import actions

_ADMIN = ("the hub owner's PostgreSQL connection string (the one `till hub init` was given), e.g. "
          "'postgresql://treasurer@hub.example.org/till?sslmode=verify-full'")


def office_arguments(parser: argparse.ArgumentParser) -> None:
    action = actions(parser)
    pull = action("pull", "take every till's new records from the hub into the consolidated copy", cmd_pull)
    pull.add_argument("--admin", required=True, metavar="URL", help=_ADMIN)


ARGUMENTS = {"office": office_arguments}


def cmd_pull(ctx: Context) -> int:
    from hub.connect import connect
    from hub.office import pull, tills
    from pos.consolidated import copy_path, open_copy

    path = copy_path(ctx.settings.db)
    copy = open_copy(path)
    try:
        with connect(ctx.args.admin) as conn:
            own = Path(ctx.settings.db).expanduser()
            done = pull(conn, copy, own=str(own) if own.exists() else None)
        for till_id, _node, pulled_at in tills(copy):
            print(f"{till_id}: {done.tills.get(till_id, 0)} new records (pulled {pulled_at or 'never'}).")
    finally:
        copy.close()
    say(f"The consolidated copy {path} has every till's records the hub holds"
        + (f"; {done.late} of them arrived late, for days already reported." if done.late else "."))
    for flagged in done.flagged[:20]:
        say(f"Left out, as the hub flagged it: {flagged}.")
    return 0
