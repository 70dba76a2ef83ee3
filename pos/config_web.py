"""The [web] section of the settings: where the web back office listens, its sessions and its mail. Its own
module because pos/config.py is full; `Settings.web` names it."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

APP_NAME = "community-till"  # pos.config.APP_NAME, which imports this module


class WebSettings(BaseModel):
    """The web back office (`till web`; the README's "Web back office")."""

    # A misspelt key is refused, as in every other section: ignored, it would leave the default in place.
    model_config = ConfigDict(extra="forbid")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    #: A TLS certificate and its key (PEM files): both, or neither.
    tls_certificate: Path | None = None
    tls_key: Path | None = None
    #: The address of a reverse proxy that ends TLS in front of the web; only from it is the
    #: X-Forwarded-For header believed (for the per-address limits).
    trusted_proxy: str | None = None
    #: The web's secret (made on first start, readable by its owner only).
    secret_file: Path = Field(default_factory=lambda: user_data_path(APP_NAME, appauthor=False) / "web-secret")
    #: A session ends after this long without a page, and after this long whatever is done.
    idle_minutes: int = Field(default=30, ge=5, le=24 * 60)
    absolute_hours: int = Field(default=12, ge=1, le=24 * 7)
    #: An application to join made on the web and not paid at the till is erased after this many days.
    application_days: int = Field(default=30, ge=1, le=365)
    #: Each look at a personal page (who, when, from which address) is kept this many days, for the member's
    #: own "my data" and a subject access request, then erased (staff's looks stay in the audit log).
    views_days: int = Field(default=365, ge=30, le=3650)
    #: Password resets by email, only where the society gives an SMTP server and the web's public
    #: address (the link in the mail is built from it, never from what a browser sent).
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_starttls: bool = True
    smtp_username: str | None = None
    smtp_password: str | None = None
    mail_from: str | None = None
    public_url: str | None = None

    @property
    def email_resets(self) -> bool:
        return bool(self.smtp_host and self.mail_from and self.public_url)

    @model_validator(mode="after")
    def _both_or_neither(self) -> WebSettings:
        if (self.tls_certificate is None) != (self.tls_key is None):
            raise ValueError("tls_certificate and tls_key go together: give both, or neither")
        if self.public_url and not self.public_url.startswith("https://"):
            raise ValueError("public_url must start with https:// (the reset link in a mail carries a key)")
        return self

    @field_validator("trusted_proxy")
    @classmethod
    def _an_address(cls, value: str | None) -> str | None:
        import ipaddress

        if value is None:
            return None
        try:
            return str(ipaddress.ip_address(value.strip()))
        except ValueError:
            raise ValueError(f"'{value}' is not an IP address such as 127.0.0.1") from None

    @property
    def tls(self) -> bool:
        return self.tls_certificate is not None
