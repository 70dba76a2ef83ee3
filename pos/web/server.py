"""Serving the web back office: where it may listen, its secret file, and uvicorn."""

from __future__ import annotations

import ipaddress
import os
import secrets
import stat
from pathlib import Path

from core.errors import TillError
from pos.config import WebSettings

SECRET_BYTES = 32


def is_this_machine(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_listening(settings: WebSettings, host: str) -> None:
    """Beyond this machine only with TLS: the web's own certificate, or a trusted proxy that ends TLS."""
    if is_this_machine(host) or settings.tls or settings.trusted_proxy:
        return
    raise TillError(f"the web back office listens beyond this machine ({host}) only with TLS: give web.tls_certificate "
                    "and web.tls_key in the settings, or put a reverse proxy in front and name it in "
                    "web.trusted_proxy (see the README's \"Web back office\")")


def secret(path: Path) -> bytes:
    """The web's secret, made on first start in a file only this user can read. A file others can
    read is refused: whoever reads it can forge nothing alone, but it is one of the two halves."""
    path = path.expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            raise TillError(f"the web's secret file {path} can be read by others: run chmod 600 {path}") from None
        data = path.read_bytes()
        if len(data) < SECRET_BYTES:
            raise TillError(f"the web's secret file {path} is too short: delete it and start again") from None
        return data
    except OSError as error:
        raise TillError(f"the web's secret file {path} cannot be made: {error.strerror}") from None
    data = secrets.token_bytes(SECRET_BYTES)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    return data


def serve(shop, settings: WebSettings, *, host: str, port: int) -> None:
    check_listening(settings, host)
    import uvicorn

    from pos.web.app import create_app

    app = create_app(shop, settings, secret(settings.secret_file))
    # The forwarded address is read by pos.web.web.address, from the trusted proxy only; uvicorn's own
    # reading of it is switched off so there is one rule, not two.
    uvicorn.run(app, host=host, port=port, proxy_headers=False, server_header=False, log_level="warning",
                ssl_certfile=str(settings.tls_certificate) if settings.tls_certificate else None,
                ssl_keyfile=str(settings.tls_key) if settings.tls_key else None)
