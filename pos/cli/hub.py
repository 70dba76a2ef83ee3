"""`till hub …`: joining this till to the society's hub, and seeing how it stands with it.

The hub itself is hub/ (PostgreSQL through psycopg); this module only reads the words and says the
outcome, and imports hub/ inside each command so that `till` starts as fast without a hub.
"""

from __future__ import annotations

import argparse

from core.errors import TillError
from core.ids import OFFICE
from pos.cli.context import Context, say
from pos.cli.options import actions

_URL = ("the hub's PostgreSQL connection string for a role that may create roles, e.g. "
        "'postgresql://treasurer@hub.example.org/till?sslmode=verify-full'")


def hub_arguments(parser: argparse.ArgumentParser) -> None:
    action = actions(parser)
    init = action("init", "make the hub's tables, the society from this database, and register this till", cmd_init)
    init.add_argument("url", metavar="URL", help=_URL)
    join = action("join", "a new till: make its database and register it at the hub (give --till ID)", cmd_join)
    join.add_argument("url", metavar="URL", help=_URL)
    join.add_argument("--office-key", metavar="FINGERPRINT",
                      help="the office's key as the office reads it out (`till hub status` there): refused if the "
                           "hub holds another")
    action("status", "reachable or not, last push, records waiting, the chain check, the clock difference",
           cmd_status)
    action("sync", "push everything the hub has not got yet, once (for a timer); exit 1 if it could not",
           cmd_sync)
    revoke = action("revoke", "refuse a lost or stolen till from now on (and ask every till to reset its PINs)",
                    cmd_revoke)
    revoke.add_argument("till", metavar="ID", help="the till's id (or its node id)")
    revoke.add_argument("--admin", required=True, metavar="URL", help=_URL)
    action("verify", "check this till's journal still holds every chain head the hub witnessed (exit 1 if not)",
           cmd_verify)
    action("pull", "fetch the society's shared records (catalogue, members, volunteers, rota) changed at the hub",
           cmd_pull)
    approve = action("approve", "at the office: list the roles and PINs changed at tills, or approve one", cmd_approve)
    approve.add_argument("change", nargs="?", type=int, metavar="N", help="the change's number (as listed)")
    approve.add_argument("--refuse", action="store_true", help="refuse it instead: the other tills never see it")
    approve.add_argument("--by", required=True, metavar="NAME", help="the manager approving (asks for their PIN)")
    conflicts = action("conflicts", "changes made to one record at two tills while apart: which was kept, which "
                       "overruled", cmd_conflicts)
    conflicts.add_argument("--by", required=True, metavar="NAME",
                           help="a shift lead or manager (asks for their PIN): the list names members")
    trust = action("trust-key", "after the office changed its key: pin the new one here, as the office reads it out",
                   cmd_trust_key)
    trust.add_argument("fingerprint", metavar="FINGERPRINT", help="the office's new key (`till hub status` there)")
    trust.add_argument("--by", required=True, metavar="NAME", help="the manager at this till (asks for their PIN)")
    settings = action("settings", "the society's settings (the same at every till): show them, or at the office "
                      "set KEY VALUE, unset KEY (back to each till's file) or from-file (this office's own file's)",
                      cmd_settings)
    settings.add_argument("what", nargs="?", choices=["show", "set", "unset", "from-file"], default="show")
    settings.add_argument("key", nargs="?", metavar="KEY", help="e.g. time_credits_per_hour, coop.notice_days")
    settings.add_argument("value", nargs="?", metavar="VALUE", help="as in the settings file: 2, true, \"Cakes\"")
    settings.add_argument("--by", metavar="NAME", help="the manager changing them (asks for their PIN)")


ARGUMENTS = {"hub": hub_arguments}


def _credentials(ctx: Context) -> str:
    from hub.connect import read_credentials

    conninfo = read_credentials(ctx.settings.hub_credentials)
    if conninfo is None:
        raise TillError(f"this till has no hub (no {ctx.settings.hub_credentials}): `till hub init URL` starts one, "
                        "`till hub join URL --till ID` joins one")
    return conninfo


def _save(ctx: Context, conninfo: str) -> None:
    from hub.connect import write_credentials

    path = write_credentials(ctx.settings.hub_credentials, conninfo)
    say(f"This till's hub role and password are in {path} (readable by you only; not in any backup).")


def cmd_init(ctx: Context) -> int:
    from core.node import node_id
    from hub.connect import init_hub

    if ctx.settings.hub_credentials.exists():
        raise TillError(f"this till has a hub already ({ctx.settings.hub_credentials})")
    name = ctx.settings.society.name or "the society"
    conninfo = init_hub(ctx.args.url, society=name, node=node_id(ctx.db), till_id=ctx.settings.till_id)
    _save(ctx, conninfo)
    _number(ctx, conninfo)
    from hub.connect import connect
    from hub.sealed import exchange, key_path

    # The office's key pair: tills seal members' addresses to it (the private half stays in a file here).
    with connect(conninfo) as conn:
        exchange(ctx.db, conn, key_path(ctx.settings.hub_credentials))
    say(f"The hub is ready for {name}, with this till ({ctx.settings.till_id}) registered. `till hub sync` sends "
        "its records; the till screen sends them by itself from now on.")
    _office_key(ctx)
    return 0


def cmd_join(ctx: Context) -> int:
    from core.node import node_id
    from hub.connect import join_hub

    if ctx.settings.hub_credentials.exists():
        raise TillError(f"this till has a hub already ({ctx.settings.hub_credentials})")
    from hub.restore import restore_point

    restored = restore_point(ctx.db)
    found = [what for table, what in (("products", "products"), ("members", "members"), ("volunteers", "volunteers"))
             if ctx.db.execute(f"select count(*) from {table}").fetchone()[0]]
    if restored and restored["till_id"] != ctx.settings.till_id:
        raise TillError(f"this database was rebuilt as till {restored['till_id']}: join with --till "
                        f"{restored['till_id']} (nothing was sent)")
    if found and not restored:
        raise TillError(f"this database has {', '.join(found[:-1]) + ' and ' * (len(found) > 1) + found[-1]} already: only `till hub init` seeds a hub; join "
                        "from a new, empty database (nothing was sent)")
    conninfo = join_hub(ctx.args.url, node=node_id(ctx.db), till_id=ctx.settings.till_id, restored=restored,
                        office_key=ctx.args.office_key)
    _save(ctx, conninfo)
    from hub import sealed
    from hub.connect import connect
    from hub.pull import pull

    with connect(conninfo) as conn:
        if ctx.args.office_key:
            sealed.pin_checked(ctx.db, conn, ctx.args.office_key)
        done = pull(ctx.db, conn)
    pinned = sealed.pinned(ctx.db)
    say(f"It pinned the office's key {sealed.fingerprint(pinned)}: members' details are sealed to that key only."
        if pinned else "The hub has no office key yet: this till pins it at its first pull after the office has one.")
    if restored:
        say(f"Till {ctx.settings.till_id}, rebuilt from the hub, joined it again as node {_node_number(ctx)} in the "
            f"old one's place (now refused), with the society's records ({done.applied}); it pushes from its last "
            "rebuilt record on.")
        return 0
    say(f"Till {ctx.settings.till_id} joined the hub as node {_node_number(ctx)}, with the society's catalogue, "
        f"members, volunteers and rota ({done.applied} records). Keep till_id = \"{ctx.settings.till_id}\" in its "
        "settings.")
    return 0


def _number(ctx: Context, conninfo: str) -> None:
    from hub.connect import connect
    from hub.pull import adopt_number

    with connect(conninfo) as conn:
        adopt_number(ctx.db, conn)


def _node_number(ctx: Context) -> int | None:
    from core.ids import node_number

    return node_number(ctx.db)


def cmd_sync(ctx: Context) -> int:
    from hub.connect import connect
    from hub.pull import pull
    from hub.push import push
    from hub.sealed import key_path

    with connect(_credentials(ctx)) as conn:
        done = push(ctx.db, conn)
        pulled = pull(ctx.db, conn, office_key=key_path(ctx.settings.hub_credentials))
        status = _hub_status(conn)
        alert = _key_alert(ctx, conn)
    print(f"Sent {done.added} records to the hub ({done.resent} it had already); "
          f"acknowledged up to journal entry {done.mark}.")
    print(f"Fetched {pulled.applied} changes to the society's shared records (up to revision {pulled.revision}).")
    _board(pulled)
    return max(_notices(status), alert)


def cmd_pull(ctx: Context) -> int:
    from hub.connect import connect
    from hub.pull import pull
    from hub.sealed import key_path

    with connect(_credentials(ctx)) as conn:
        pulled = pull(ctx.db, conn, office_key=key_path(ctx.settings.hub_credentials))
    print(f"Fetched {pulled.applied} changes to the society's shared records (up to revision {pulled.revision}).")
    _board(pulled)
    return 0


def _board(pulled) -> None:
    """The board's decisions made at the office on this till's withdrawal requests, as the pull took them."""
    if pulled.board.written:
        print(f"Recorded {pulled.board.written} of the board's decisions on withdrawals asked for here: "
              "`till shares withdrawals --by NAME` shows them; a shift lead pays an approved one out here.")
    for refused in pulled.board.refused:
        print(refused)


def cmd_approve(ctx: Context) -> int:
    from hub import approvals
    from hub.connect import connect
    from pos.cli.context import allowed
    from volunteers.permissions import Action

    manager = allowed(ctx, ctx.args.by, Action.manage_volunteers)
    with connect(_credentials(ctx)) as conn:
        if ctx.args.change is None:
            waiting = approvals.waiting(conn)
            if not waiting:
                print("No role or PIN changed at a till is waiting for approval.")
            for change in waiting:
                print(change.sentence())
            return 0
        name = approvals.decide(conn, ctx.args.change, approve=not ctx.args.refuse, by=manager.name)
    print(f"Change {ctx.args.change} ({name}) is {'refused' if ctx.args.refuse else 'approved'}"
          f"{'' if ctx.args.refuse else ': every till gets it at its next pull'}.")
    return 0


def cmd_conflicts(ctx: Context) -> int:
    from hub.conflicts import overruled
    from hub.connect import connect
    from pos.cli.context import allowed
    from volunteers.permissions import Action

    allowed(ctx, ctx.args.by, Action.find_member)
    with connect(_credentials(ctx)) as conn:
        found = overruled(conn)
    if not found:
        print("No change made at two tills at once has been overruled.")
    for one in found:
        print(one.sentence())
    return 0


def cmd_status(ctx: Context) -> int:
    from datetime import UTC, datetime

    from hub import HubError, conflicts, local
    from hub.connect import connect
    from hub.status import ago, clock_difference, clock_warning, overruled_sentence

    marks, waiting = local.marks(ctx.db), local.waiting(ctx.db)
    print(f"Last push: {marks['pushed_at'] or 'never'}; records waiting: {waiting}.")
    _flagged_balances(ctx)
    _society_settings(ctx)
    try:
        conn = connect(_credentials(ctx))
    except HubError as error:
        print(f"Hub: not reachable: {str(error).removeprefix('the hub cannot be reached: ')}.")
        if marks["failing_since"]:
            print(f"Not reached since {marks['failing_since']} "
                  f"({ago((datetime.now(UTC) - _parse(marks['failing_since'])).total_seconds())}).")
        return 1
    with conn:
        status = _hub_status(conn)
        difference = clock_difference(conn, datetime.now(UTC))
        overruled = overruled_sentence(len(conflicts.overruled(conn)))
        alert = _key_alert(ctx, conn)
    print(f"Hub: reachable; its clock is {abs(difference):.1f} s {'ahead of' if difference >= 0 else 'behind'} "
          "this till's.")
    print(f"Chain checked by the hub up to journal entry {status['head_entry']} ({status['head_hash'][:12]}).")
    if overruled:
        print(f"CONFLICTS: {overruled}")
    warning = clock_warning(difference, ctx.settings.hub.clock_tolerance_minutes)
    if warning:
        print(f"CLOCK: {warning}")
    _office_key(ctx)
    return max(_notices(status), 1 if warning else 0, alert)


def _key_alert(ctx: Context, conn) -> int:
    """At a till: say loudly when the hub's office key is not the one this till pinned (exit 1)."""
    from hub.sealed import key_alert

    if _node_number(ctx) == OFFICE:
        return 0
    alert = key_alert(ctx.db, conn)
    if alert:
        print(f"OFFICE KEY: {alert[0].upper()}{alert[1:]}.")
    return 1 if alert else 0


def _office_key(ctx: Context) -> None:
    """At the office: its key's fingerprint, which it gives each new till (`till hub join --office-key`)."""
    from hub.sealed import key_path, office_fingerprint

    if _node_number(ctx) != OFFICE:
        return
    found = office_fingerprint(key_path(ctx.settings.hub_credentials))
    if found:
        print(f"The office's key is {found}: give it to each new till (`till hub join URL --till ID --office-key "
              f"{found}`) and read it out to a till asked to trust a new key.")


def cmd_trust_key(ctx: Context) -> int:
    from core.clock import stamp, system_clock
    from hub.connect import connect
    from hub.sealed import trust
    from pos.cli.context import allowed
    from volunteers.permissions import Action

    manager = allowed(ctx, ctx.args.by, Action.manage_volunteers, record=False)  # trust() writes the audit row
    with connect(_credentials(ctx)) as conn:
        sent = trust(ctx.db, conn, ctx.args.fingerprint, by=manager.id, till_id=ctx.settings.till_id,
                     at=stamp(system_clock()))
    print(f"This till now seals members' details to the office's key {ctx.args.fingerprint}; the details of {sent} "
          "member(s) held here go to the office again, sealed to it.")
    return 0


def _flagged_balances(ctx: Context) -> None:
    """At the office (node 1), how many balances its consolidated copy has below zero: the list itself
    names members, so it is a manager's (`till office balances --flagged`)."""
    from pos.consolidated import copy_path

    path = copy_path(ctx.settings.db)
    if _node_number(ctx) != OFFICE or not path.exists():
        return
    from pos.cli.office import flags

    found = flags(ctx)
    if found:
        print(f"BALANCES: {len(found)} went below zero across the tills (sales made while apart): "
              "`till office balances --flagged --by NAME` lists them for a manager.")


def _parse(text: str):
    from core.clock import from_stamp

    return from_stamp(text)


def _hub_status(conn) -> dict:
    from hub.schema import check_version

    check_version(conn)
    with conn.transaction():
        status = conn.execute("select hub.my_status()").fetchone()[0]
        if status is None:
            raise TillError("this till is not registered at that hub")
        status["hub_now"] = conn.execute("select now()").fetchone()[0]
    return status


def _notices(status: dict) -> int:
    """The hub's news for this till, plainly; exit 1 when this till is quarantined or revoked."""
    code = 0
    if status["quarantine_entry"] is not None:
        print(f"QUARANTINED at the hub: {status['quarantine_reason']}. Its later records are held there, not "
              "counted; `till verify` shows what changed here.")
        code = 1
    if status["revoked"]:
        print("This till is revoked at the hub: it is refused from now on.")
        code = 1
    if status["pin_resets"]:
        print(f"The hub asks every till to reset its PINs: a till was revoked ({status['pin_resets']} request(s)). "
              "A manager gives each volunteer a new PIN (till volunteers …).")
    return code


def cmd_revoke(ctx: Context) -> int:
    from hub.connect import revoke_till

    till_id = revoke_till(ctx.args.admin, ctx.args.till)
    print(f"Till {till_id} is revoked: the hub refuses it from now on, and every till is asked to reset its PINs.")
    return 0


def cmd_verify(ctx: Context) -> int:
    from hub.connect import connect
    from hub.witness import check, heads

    with connect(_credentials(ctx)) as conn:
        witnessed = heads(conn)
    problems = check(ctx.db, witnessed)
    if problems:
        print(f"The journal here does not match what the hub witnessed. First: {problems[0]}.")
        for problem in problems[1:20]:
            print(f"  also: {problem}")
        return 1
    print(f"The hub witnessed {len(witnessed)} chain heads of this till; the journal here still has every one as "
          "it was.")
    return 0


# The society's settings ------------------------------------------------------------------------


def _shown(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _society_settings(ctx: Context) -> None:
    """Which settings here are the society's, and every one this till's own file says otherwise: never a
    silent disagreement between the file someone reads and what the till does."""
    from pos.config import SOCIETY_WIDE, setting

    settings = ctx.settings
    chosen = [key for key in SOCIETY_WIDE if settings.by_society(key)]
    if chosen:
        print(f"Society settings: {len(chosen)} set by the society at the office, used over this till's settings "
              "file (`till hub settings show` lists them).")
    for key in chosen:
        if settings.file_value(key) != setting(settings, key):
            print(f"SETTINGS: {key} is {_shown(setting(settings, key))} here, set by the society; this till's "
                  f"settings file says {_shown(settings.file_value(key))}, which is not used.")
    for problem in settings.society_problems:
        print(f"SETTINGS: {problem}.")


def cmd_settings(ctx: Context) -> int:
    from pos.config import SOCIETY_WIDE, setting

    args = ctx.args
    if args.what == "show":
        from hub.settings import kept

        found = kept(ctx.db)
        for key in SOCIETY_WIDE:
            value = setting(ctx.settings, key)
            if ctx.settings.by_society(key):
                said = f"set by the society (revision {found[key].revision}, by {found[key].set_by})"
                if ctx.settings.file_value(key) != value:
                    said += f"; this till's settings file says {_shown(ctx.settings.file_value(key))}, not used"
            else:
                said = "this till's settings file"
            print(f"{key} = {_shown(value)}  ({said})")
        for problem in ctx.settings.society_problems:
            print(f"SETTINGS: {problem}.")
        return 0
    return _change_settings(ctx)


def _change_settings(ctx: Context) -> int:
    from hub.connect import connect
    from hub.pull import pull
    from hub.sealed import key_path
    from hub.settings import set_at_hub
    from pos.cli.context import allowed
    from pos.config import SOCIETY_WIDE, ConfigError, society_settings, society_value, with_society
    from volunteers.permissions import Action

    args = ctx.args
    if args.what in ("set", "unset") and args.key is None or (args.what == "set") != (args.value is not None):
        raise TillError("say which setting, and for `set` its value: `till hub settings set time_credits_per_hour 2 "
                        "--by NAME`")
    if args.by is None:
        raise TillError("say which manager is changing the society's settings: --by NAME")
    if _node_number(ctx) != OFFICE:
        raise TillError("only the office (the database that started the hub) sets the society's settings; this "
                        "till uses them (`till hub settings show`); nothing was changed")
    manager = allowed(ctx, args.by, Action.manage_volunteers)
    office_key = key_path(ctx.settings.hub_credentials)
    with connect(_credentials(ctx)) as conn:
        pull(ctx.db, conn, office_key=office_key)  # checked against the society's settings as they are now
        current = society_settings(ctx.settings, ctx.db)
        try:
            if args.what == "set":
                changes = {args.key: society_value(current, args.key, args.value)}
            elif args.what == "unset":
                if args.key not in SOCIETY_WIDE:
                    society_value(current, args.key, "")  # says which settings are the society's
                changes = {args.key: None}
            else:
                changes = {key: current.file_value(key) for key in SOCIETY_WIDE}
                with_society(current, changes)
        except ConfigError as error:
            raise ConfigError(f"{error}: nothing was changed") from None
        revision = set_at_hub(conn, changes, by=manager.name)
        pull(ctx.db, conn, office_key=office_key)
    if args.what == "set":
        print(f"The society's {args.key} is {_shown(changes[args.key])} from revision {revision}: every till uses it "
              "from its next pull.")
    elif args.what == "unset":
        print(f"The society no longer sets {args.key} (revision {revision}): each till uses its own settings "
              "file's from its next pull.")
    else:
        print(f"The society's settings are this office's own file's from revision {revision}: every till uses them "
              "from its next pull.")
    return 0
