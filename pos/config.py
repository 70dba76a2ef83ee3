"""Settings: one TOML file (TILL_CONFIG names another), overridden by TILL_* environment variables.

A bad file is reported as a ConfigError naming the key and the problem, never a traceback.

On a society's hub, the settings that are the society's rules (`SOCIETY_WIDE`) are set once, at the office,
and come down to every till (hub/settings.py): the society's value wins over the till's own file's, and the
till says so (`till hub status`, `till hub settings show`), so two tills never quietly disagree.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_config_path, user_data_path
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from accounts.chart import AccountsSettings
from core.errors import TillError
from pos.config_barcodes import BarcodeSettings
from pos.config_vat import VatSettings
from pos.config_web import WebSettings

APP_NAME = "community-till"


class ConfigError(TillError):
    """The configuration file cannot be used as it is."""


class _Section(BaseModel):
    """A [section] of the settings file. A misspelt key is refused, as at the top level: ignored, it
    would leave the setting at its default without a word (`colums = 40` printing at 42)."""

    model_config = ConfigDict(extra="forbid")


class Society(_Section):
    name: str = "Community Café"
    address: str = ""
    vat_registered: bool = False
    vat_number: str = ""

    @model_validator(mode="after")
    def _vat_number_when_registered(self) -> Society:
        # A VAT receipt must show the VAT number (docs/domain.md, "Tax and receipts").
        if self.vat_registered and not self.vat_number.strip():
            raise ValueError("vat_number is needed when vat_registered is true")
        return self


class BackupSettings(_Section):
    """Where the automatic backup after each Z goes (a USB stick's folder is a good choice),
    and how many are kept there before the oldest is removed."""

    dir: Path = Field(default_factory=lambda: user_data_path(APP_NAME, appauthor=False) / "backups")
    keep: int = Field(default=14, ge=1, le=1000)


class HubSettings(_Section):
    """The society's hub (see the README's "Several tills: the hub"). The till's own role and password are
    not here: they are in `credentials`, a file only the till's user can read; no such file, no hub."""

    #: The credentials file (default: hub-credentials beside the settings file; `Settings.hub_credentials`).
    credentials: Path | None = None
    #: Seconds between the till screen's pushes.
    push_every_seconds: int = Field(default=30, ge=5, le=3600)
    #: The Z warns a shift lead when the hub has not been reached for longer than this.
    warn_after_hours: int = Field(default=24, ge=1, le=24 * 30)
    #: `till hub status` flags this till's clock when it differs from the hub's by more than this.
    clock_tolerance_minutes: int = Field(default=2, ge=1, le=24 * 60)


class PrinterSettings(_Section):
    #: network:HOST[:PORT], usb:VID:PID, serial:DEVICE[:BAUD], file:PATH, or preview (on screen).
    spec: str = "preview"
    #: Characters per line: 32 for 58 mm paper, 42 or 48 for 80 mm.
    columns: Literal[32, 42, 48] = 42
    #: Print each sale's receipt as soon as it completes.
    auto_print: bool = True
    timeout_seconds: float = Field(default=5.0, gt=0, le=60)

    @field_validator("columns", mode="before")
    @classmethod
    def _columns_as_number(cls, value: object) -> object:
        # From the environment (TILL_PRINTER__COLUMNS=32) it arrives as text; a Literal takes no text.
        return int(value) if isinstance(value, str) and value.strip().isdigit() else value

    @field_validator("spec")
    @classmethod
    def _known_spec(cls, value: str) -> str:
        from printers.spec import PrinterSpecError, parse_spec

        try:
            parse_spec(value)
        except PrinterSpecError as error:
            raise ValueError(str(error)) from None
        return value


class ReceiptSettings(_Section):
    #: Extra lines under the shop's name and address (opening hours, a phone number).
    header: list[str] = []
    footer: list[str] = ["Thank you for supporting your community café"]
    #: Printed as a QR code at the bottom of every receipt when set (e.g. the centre's what's-on page).
    qr: str = ""


class WhatsOn(_Section):
    """One week's "What's on at the centre": a line, and optionally a link printed as a QR code."""

    text: str = Field(min_length=1, max_length=120)
    qr: str = Field(default="", max_length=300)

    @model_validator(mode="before")
    @classmethod
    def _plain_text(cls, value):
        return {"text": value} if isinstance(value, str) else value


class CentreSettings(_Section):
    """What the café shares with the children's centre, and what it tells customers about it."""

    #: Counts from 1 to threshold-1 leave the till only as "<threshold" (docs/domain.md, "The children's centre").
    disclosure_threshold: int = Field(default=5, ge=2, le=50)
    #: The name signposting records give the directory services were imported from.
    directory: str = Field(default="local", min_length=1, max_length=60)
    #: "What's on at the centre" on every receipt: one entry a week, in turn. Each is a line of
    #: text, or {text = "...", qr = "https://..."} to print its link as a QR code too.
    whats_on: list[WhatsOn] = []


class CoopSettings(_Section):
    """The society's own rules (docs/domain.md, "The society and its members"); amounts in pence."""

    society_type: Literal["co-operative", "community-benefit"] = "co-operative"
    share_value_pence: int = Field(default=100, ge=1, le=100_000)
    min_shares: int = Field(default=1, ge=0)
    max_shares: int = Field(default=100_000, ge=1)
    notice_days: int = Field(default=90, ge=0, le=3650)
    #: Most new societies suspend withdrawals for their first three years or more.
    withdrawals_suspended: bool = True
    #: Member prices: a discount on everything, unless a category has its own.
    member_discount_percent: int = Field(default=5, ge=0, le=100)
    category_discount_percent: dict[str, int] = {}
    #: Former members' optional details (phone, email, under-5s, date of birth, consent) are
    #: removed this many years after they left; the register entry itself stays.
    retention_years: int = Field(default=10, ge=1, le=100)
    #: Members who left during a dividend period: "include" (for their purchases) or "exclude".
    dividend_ceased_members: Literal["include", "exclude"] = "exclude"
    #: How a dividend part is paid unless the member chose otherwise.
    dividend_payout: Literal["credit", "cash", "shares"] = "credit"

    @model_validator(mode="after")
    def _rules_add_up(self) -> CoopSettings:
        from coop.errors import ShareError

        try:
            self.rules()
        except ShareError as error:
            raise ValueError(str(error)) from None
        for category, percent in self.category_discount_percent.items():
            if not 0 <= percent <= 100:
                raise ValueError(f"the member discount for {category} must be 0 to 100")
        return self

    def rules(self):
        from coop.rules import ShareRules

        return ShareRules(share_value_pence=self.share_value_pence, min_shares=self.min_shares,
                          max_shares=self.max_shares, notice_days=self.notice_days,
                          withdrawals_suspended=self.withdrawals_suspended)


_TILL_ID = re.compile(r"[A-Za-z0-9_-]+")  # ASCII only: it goes into file names and sale references


def default_config_path() -> Path:
    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


def default_db_path() -> Path:
    return user_data_path(APP_NAME, appauthor=False) / "till.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TILL_", env_nested_delimiter="__", extra="forbid"
    )

    #: The database file; `--db` and TILL_DB override it.
    db: Path = Field(default_factory=default_db_path)
    #: Which till this is, when more than one shares a database; sale numbers run per till.
    till_id: str = "till-1"
    timezone: str = "Europe/London"
    society: Society = Society()
    coop: CoopSettings = CoopSettings()
    centre: CentreSettings = CentreSettings()
    # Made for each Settings, not once on import: its folder is found from the environment (HOME, XDG_DATA_HOME)
    # as it is when the settings are read, like the other paths here.
    backup: BackupSettings = Field(default_factory=BackupSettings)
    hub: HubSettings = Field(default_factory=HubSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    vat: VatSettings = VatSettings()
    accounts: AccountsSettings = AccountsSettings()  # the chart of accounts (accounts/chart.py)
    barcodes: BarcodeSettings = BarcodeSettings()
    #: Time credits a volunteer earns for each hour given.
    time_credits_per_hour: int = Field(default=1, ge=0, le=10)
    #: Categories whose items time credits pay for at the till, one credit an item; none: not taken.
    time_credit_categories: list[str] = []
    #: The largest discount, as a percentage of a line or basket, a volunteer may give without a shift lead.
    volunteer_discount_limit_percent: int = Field(default=10, ge=0, le=100)
    printer: PrinterSettings = PrinterSettings()
    receipt: ReceiptSettings = ReceiptSettings()
    #: Where preview receipts are saved as text.
    receipts_dir: Path = Field(default_factory=lambda: user_data_path(APP_NAME, appauthor=False) / "receipts")
    #: The key that member cards' codes are hashed with, kept apart from the database (made on first use,
    #: readable by its owner only). Every till sharing a database needs the same key: copy it, or name one file.
    card_key_file: Path = Field(default_factory=lambda: user_data_path(APP_NAME, appauthor=False) / "card-key")
    #: Of the society's settings in use, the value this machine's own file (or environment) gave each.
    _file_values: dict[str, object] = PrivateAttr(default_factory=dict)
    #: The society's settings this till could not use, each said in a sentence.
    _society_problems: list[str] = PrivateAttr(default_factory=list)

    def by_society(self, key: str) -> bool:
        """Whether this setting's value is the society's, set at the office, rather than this file's."""
        return key in self._file_values

    def file_value(self, key: str) -> object:
        """What this machine's own settings file (or environment) says for `key`."""
        return self._file_values[key] if key in self._file_values else setting(self, key)

    @property
    def society_problems(self) -> list[str]:
        return list(self._society_problems)

    @field_validator("till_id")
    @classmethod
    def _plain_till_id(cls, value: str) -> str:
        # Said in words: pydantic's own message would show the pattern, which means nothing to a treasurer.
        if not _TILL_ID.fullmatch(value):
            raise ValueError("may use only letters, digits, - and _" if value else "must not be empty")
        if len(value) > 20:
            raise ValueError("may be at most 20 characters long")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not a time zone name such as Europe/London") from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def hub_credentials(self) -> Path:
        """The file holding this till's hub role and password (it may not exist: then there is no hub)."""
        return (self.hub.credentials or config_path().parent / "hub-credentials").expanduser()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Arguments, then the environment, then the file: the nearer the person, the stronger.
        return (init_settings, env_settings, _TomlFile(settings_cls))


#: Said of a settings file nested deeper than Python's parser goes (thousands of [[[ ... ]]]).
TOO_DEEP = "its lists or tables are nested too deep to read"


class _TomlFile(PydanticBaseSettingsSource):
    """The config file, parsed with tomllib so a syntax error can name its line."""

    def get_field_value(self, field, field_name):  # pragma: no cover - unused by __call__
        return None, field_name, False

    def __call__(self) -> dict:
        path = config_path()
        if not path.exists():
            return {}
        try:
            return tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"The settings file {path} is not valid TOML: {error}") from None
        except RecursionError:
            raise ConfigError(f"The settings file {path} is not valid TOML: {TOO_DEEP}") from None
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"The settings file {path} cannot be read: {error}") from None


def config_path() -> Path:
    named = os.environ.get("TILL_CONFIG")
    return Path(named).expanduser() if named else default_config_path()


def save_society(society: Society) -> Path:
    """Write the society's details into the settings file (first-run setup), keeping what else it holds."""
    import tomli_w

    path = config_path()
    data: dict = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"The settings file {path} cannot be updated: {error}") from None
        except RecursionError:
            raise ConfigError(f"The settings file {path} cannot be updated: {TOO_DEEP}") from None
    data["society"] = {**data.get("society", {}), **society.model_dump()}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(tomli_w.dumps(data), encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"The settings file {path} cannot be written: {error.strerror}") from None
    return path


def load_settings(**overrides) -> Settings:
    """Settings from the file and environment, with explicit overrides (e.g. --db) on top."""
    overrides = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**overrides)
    except ValidationError as error:
        key, message = _problem(error)
        raise ConfigError(f"In the settings ({config_path()}), '{key}' {message}") from None


def _problem(error: ValidationError) -> tuple[str, str]:
    """The setting a validation error is about, and what is wrong with it, as words."""
    problem = error.errors()[0]
    key = ".".join(str(part) for part in problem["loc"]) or "(top level)"
    message = _lower_first(problem["msg"].removeprefix("Value error, "))
    if problem["type"] == "extra_forbidden":
        message = "is not a setting the till knows"
    return key, message


def _lower_first(message: str) -> str:
    """'Input should be 32, 42 or 48' reads on after the key as 'input should be ...'. Only an ordinary
    capitalised first word is lowered: the rest may quote what was typed (a time zone, a host name),
    which must be shown exactly as written, and an acronym such as USB stays as it is."""
    first = message.split(" ", 1)[0]
    if first[:1].isupper() and (len(first) == 1 or first[1:].isalpha() and first[1:].islower()):
        return message[0].lower() + message[1:]
    return message


# The society's settings ---------------------------------------------------------------------------

#: The settings that are the society's rules rather than one machine's: on a hub the office sets them
#: (`till hub settings set KEY VALUE`) and every till uses the society's value over its own file's. The
#: rest stay each machine's: its till id, printer, receipt lines and address (each building's own), backup
#: folder, time zone, and the hub's own timings.
SOCIETY_WIDE: tuple[str, ...] = (
    "society.name", "society.vat_registered", "society.vat_number",
    "coop.society_type", "coop.share_value_pence", "coop.min_shares", "coop.max_shares", "coop.notice_days",
    "coop.withdrawals_suspended", "coop.member_discount_percent", "coop.category_discount_percent",
    "coop.retention_years", "coop.dividend_ceased_members", "coop.dividend_payout",
    "centre.disclosure_threshold", "centre.directory", "vat.registration_threshold_pence", "vat.warn_at_percent",
    "time_credits_per_hour", "time_credit_categories", "volunteer_discount_limit_percent",
    "accounts.codes", "accounts.tax_rates", "accounts.reasons",
)


def setting(settings: Settings, key: str) -> object:
    """The value of a dotted setting ("coop.notice_days")."""
    value: object = settings
    for part in key.split("."):
        value = getattr(value, part)
    return value


def with_society(settings: Settings, values: dict[str, object]) -> Settings:
    """`settings` with the society's `values` over its own; ConfigError, in a sentence, if one will not do."""
    data = settings.model_dump()
    for key, value in values.items():
        *sections, name = key.split(".")
        target = data
        for section in sections:
            target = target[section]
        target[name] = value
    try:
        # model_validate, not Settings(...): the file and environment are read once, by load_settings.
        merged = Settings.model_validate(data)
    except ValidationError as error:
        key, message = _problem(error)
        raise ConfigError(f"for the society, '{key}' {message}") from None
    merged._file_values = {**settings._file_values,
                           **{key: settings.file_value(key) for key in values}}
    merged._society_problems = list(settings._society_problems)
    return merged


def society_settings(settings: Settings, db) -> Settings:
    """The settings this till works with: on a hub, the society's values (as last pulled) over the file's.
    A value this till cannot use is left out and said (`society_problems`), never applied half-read."""
    from core.ids import node_number

    if node_number(db) is None:  # no hub: the file's, as ever
        return settings
    from hub.settings import kept

    values = {key: one.value for key, one in kept(db).items() if key in SOCIETY_WIDE}
    if not values:
        return settings
    try:
        return with_society(settings, values)
    except ConfigError:
        pass
    merged = settings.model_copy()
    merged._society_problems = []
    for key, value in values.items():
        try:
            merged = with_society(merged, {key: value})
        except ConfigError as error:
            merged._society_problems.append(f"{error}; this till uses its own file's value")
    return merged


def society_value(settings: Settings, key: str, text: str) -> object:
    """A value for the society's setting `key`, read from the command line as in the settings file (2, true,
    ["Cakes"]; anything else is text), checked against every other setting in use: ConfigError if not."""
    if key not in SOCIETY_WIDE:
        raise ConfigError(f"'{key}' is not one of the society's settings (a machine's own are in its settings "
                          f"file); the society's are: {', '.join(SOCIETY_WIDE)}")
    try:
        value = tomllib.loads(f"value = {text}")["value"]
    except tomllib.TOMLDecodeError:
        value = text
    with_society(settings, {key: value})
    return value
