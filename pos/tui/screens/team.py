"""Volunteers, for a manager: add, edit, give a new PIN, mark as left. Nothing here is shown
to anyone else: the screen opens only for a manager or with a manager's PIN."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from core.errors import TillError
from pos.errors import USER_ERRORS
from pos.tui.modals.form import FormField, FormModal
from pos.tui.widgets.keys_footer import KeysFooter
from pos.tui.widgets.message_line import MessageLine
from volunteers.people import ORDER, Role, parse_roles
from volunteers.permissions import Action
from volunteers.team import Team

#: Someone's roles are chosen in two parts: what they do at the till, and any office of the society they hold.
OFFICE = (Role.treasurer, Role.board_member)
NONE = "none"
TILL_ROLES = [*[(role.label, role.value) for role in Role if role not in OFFICE], ("none: an officer only", NONE)]
OFFICES = [("none", NONE), (Role.treasurer.label, Role.treasurer.value), (Role.board_member.label,
           Role.board_member.value), (f"{Role.treasurer.label} and {Role.board_member.label}",
                                      f"{Role.treasurer.value},{Role.board_member.value}")]


def _label(roles: str) -> str:
    return ", ".join(role.label for role in ORDER if role in parse_roles(roles))


def split_roles(roles: str) -> tuple[str, str]:
    """("shift_lead", "treasurer") from "shift_lead,treasurer": the form's two choices for what is held."""
    held = parse_roles(roles)
    at_till = next((role.value for role in ORDER if role in held and role not in OFFICE), NONE)
    office = ",".join(role.value for role in ORDER if role in held and role in OFFICE) or NONE
    return at_till, office


def joined_roles(at_till: str, office: str) -> frozenset[Role]:
    """The roles the two choices make together; a TillError when both are none."""
    chosen = [part for part in (at_till, office) if part != NONE]
    if not chosen:
        raise TillError("choose a role at the till, an office of the society, or both")
    return parse_roles(",".join(chosen))


def _role_fields(roles: str) -> list[FormField]:
    at_till, office = split_roles(roles)
    return [FormField("role", "Role at the till", choices=TILL_ROLES, value=at_till),
            FormField("office", "Office of the society (if any)", choices=OFFICES, value=office)]


PIN = r"[0-9]*"


class TeamScreen(Screen):
    BINDINGS = [
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("p", "pin", "New PIN"),
        Binding("l", "retire", "Has left"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, approver_id: int | None) -> None:
        super().__init__()
        #: The manager who approved opening this screen (to read it), when the person at the till
        #: is not one. Each change asks again: one approval is not a blank cheque.
        self.approver_id = approver_id

    @property
    def team(self) -> Team:
        return Team(self.app.shop.till)

    @property
    def operator_id(self) -> int:
        return self.app.volunteer.id

    def compose(self) -> ComposeResult:
        yield Label(" Volunteers (managers only)", id="title-bar")
        with Horizontal(id="team"):
            yield OptionList(id="team-list")
            yield Static(id="team-detail", markup=False)
        yield MessageLine(id="message")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.refresh_list()
        self.query_one("#team-list", OptionList).focus()

    def refresh_list(self, select: int | None = None) -> None:
        people = self.app.shop.volunteers.all(active_only=False)
        listing = self.query_one("#team-list", OptionList)
        listing.clear_options()
        listing.add_options([
            Option(f"{v.name} · {v.roles_label}" + ("" if v.active else " · left"), id=str(v.id)) for v in people
        ])
        if people:
            ids = [v.id for v in people]
            listing.highlighted = ids.index(select) if select in ids else 0

    def selected_id(self) -> int | None:
        option = self.query_one("#team-list", OptionList).highlighted_option
        return int(option.id) if option is not None else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_detail(int(event.option.id))

    def show_detail(self, volunteer_id: int) -> None:
        try:
            profile = self.team.profile(volunteer_id, operator_id=self.operator_id, approver_id=self.approver_id)
        except USER_ERRORS as error:
            self.say(str(error), error=True)
            return
        shop = self.app.shop
        certificates = shop.certificates.certificates(volunteer_id)
        today = shop.today()
        lines = [
            profile["name"],
            f"Role             {_label(profile['role'])}",
            f"Member number    {profile['member_number'] or '-'}",
            f"Emergency        {profile['emergency_contact'] or '-'}",
            f"Joined           {profile['created_at'][:10]}",
            f"Left             {profile['left_on'][:10] if profile['left_on'] else '-'}",
            "",
            "Training:",
            *([f"  {c.kind} ({c.state(today)})" for c in certificates] or ["  none recorded"]),
        ]
        self.query_one("#team-detail", Static).update("\n".join(lines))

    def say(self, text: str, *, error: bool = False) -> None:
        self.query_one(MessageLine).say(text, error=error)

    def _done(self, message: str, select: int | None = None):
        def after(saved: bool) -> None:
            if saved:
                self.refresh_list(select)
                self.say(message)
        return after

    def _approved(self, then) -> None:
        self.app.with_approval(Action.manage_volunteers, then)

    def action_add(self) -> None:
        self._approved(self._add)

    def _add(self, approver: int | None) -> None:
        added: list[int] = []

        def save(answers: dict[str, str]) -> None:
            if answers["pin"] != answers["again"]:
                raise TillError("the two PINs are different")
            volunteer = self.team.add(answers["name"], joined_roles(answers["role"], answers["office"]), answers["pin"],
                                      operator_id=self.operator_id, approver_id=approver)
            added.append(volunteer.id)

        def after(saved: bool) -> None:
            if saved:
                self.refresh_list(added[0])
                self.say("Added. They sign in with their name and the PIN you gave them.")

        self.app.push_screen(FormModal("Add a volunteer", [
            FormField("name", "Name (as it shows at sign-in)"),
            *_role_fields(Role.volunteer.value),
            FormField("pin", "Their PIN (4 to 8 digits)", password=True, restrict=PIN),
            FormField("again", "The same PIN again", password=True, restrict=PIN),
        ], save), after)

    def action_edit(self) -> None:
        volunteer_id = self.selected_id()
        if volunteer_id is not None:
            self._approved(lambda approver: self._edit(volunteer_id, approver))

    def _edit(self, volunteer_id: int, approver: int | None) -> None:
        try:
            profile = self.team.profile(volunteer_id, operator_id=self.operator_id, approver_id=approver)
        except USER_ERRORS as error:
            self.say(str(error)[:1].upper() + str(error)[1:], error=True)
            return

        def save(answers: dict[str, str]) -> None:
            self.team.edit(volunteer_id, operator_id=self.operator_id, approver_id=approver,
                           role=joined_roles(answers["role"], answers["office"]), member_number=answers["member"],
                           emergency_contact=answers["emergency"])

        self.app.push_screen(FormModal(f"Edit {profile['name']}", [
            *_role_fields(profile["role"]),
            FormField("member", "Member number, if they are a member", profile["member_number"] or ""),
            FormField("emergency", "Emergency contact (optional)", profile["emergency_contact"] or ""),
        ], save), self._done(f"Updated {profile['name']}.", volunteer_id))

    def action_pin(self) -> None:
        volunteer_id = self.selected_id()
        if volunteer_id is not None:
            self._approved(lambda approver: self._pin(volunteer_id, approver))

    def _pin(self, volunteer_id: int, approver: int | None) -> None:
        name = self.app.shop.volunteers.get(volunteer_id).name

        def save(answers: dict[str, str]) -> None:
            if answers["pin"] != answers["again"]:
                raise TillError("the two PINs are different")
            self.team.set_pin(volunteer_id, answers["pin"], operator_id=self.operator_id, approver_id=approver)

        self.app.push_screen(FormModal(f"A new PIN for {name}", [
            FormField("pin", "New PIN (4 to 8 digits)", password=True, restrict=PIN),
            FormField("again", "The same PIN again", password=True, restrict=PIN),
        ], save), self._done(f"{name} has a new PIN (and is no longer locked out).", volunteer_id))

    def action_retire(self) -> None:
        volunteer_id = self.selected_id()
        if volunteer_id is not None:
            self._approved(lambda approver: self._retire(volunteer_id, approver))

    def _retire(self, volunteer_id: int, approver: int | None) -> None:
        name = self.app.shop.volunteers.get(volunteer_id).name

        def save(answers: dict[str, str]) -> None:
            if answers["confirm"].casefold() != "yes":
                raise TillError("type yes to confirm, or Esc to keep them")
            self.team.retire(volunteer_id, operator_id=self.operator_id, approver_id=approver)

        self.app.push_screen(FormModal(f"{name} has left?", [
            FormField("confirm", f"Type yes: {name} can no longer sign in; their hours and sales stay on record"),
        ], save), self._done(f"{name} has left. Thank you, {name.split()[0]}.", volunteer_id))

    def action_back(self) -> None:
        self.app.pop_screen()
