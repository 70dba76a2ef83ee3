"""Read a printer setting such as 'network:192.168.1.50' into where and how to send receipts."""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

KINDS = "network:HOST[:PORT], usb:VID:PID, serial:DEVICE[:BAUD], file:PATH or preview"
DEFAULT_PORT = 9100
DEFAULT_BAUD = 9600
# Rates serial receipt printers are set to; anything else is far more likely a typo.
BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400)

_DIGITS = re.compile(r"[0-9]+")  # not \d, which also matches digits from other scripts
_HEX_ID = re.compile(r"(0[xX])?([0-9a-fA-F]{1,4})")
_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?")


class PrinterSpecError(ValueError):
    """A printer setting that cannot be used; the message is one plain sentence."""


@dataclass(frozen=True)
class NetworkSpec:
    """A printer on the network, taking raw ESC/POS on a TCP port (9100 on nearly all)."""

    kind: ClassVar[str] = "network"
    host: str
    port: int = DEFAULT_PORT

    def __str__(self) -> str:
        return f"network:{self.host}:{self.port}"

    def describe(self) -> str:
        return f"The printer at {self.host}:{self.port}"


@dataclass(frozen=True)
class UsbSpec:
    """A USB printer found by its vendor and product id (lsusb shows them), driven through pyusb."""

    kind: ClassVar[str] = "usb"
    vendor_id: int
    product_id: int

    def __str__(self) -> str:
        return f"usb:0x{self.vendor_id:04x}:0x{self.product_id:04x}"

    def describe(self) -> str:
        return f"The USB printer {self.vendor_id:04x}:{self.product_id:04x}"


@dataclass(frozen=True)
class SerialSpec:
    """A printer on a serial port."""

    kind: ClassVar[str] = "serial"
    device: str
    baudrate: int = DEFAULT_BAUD

    def __str__(self) -> str:
        return f"serial:{self.device}:{self.baudrate}"

    def describe(self) -> str:
        return f"The printer on {self.device}"


@dataclass(frozen=True)
class FileSpec:
    """A device file such as /dev/usb/lp0, or any file, that takes the bytes as they are."""

    kind: ClassVar[str] = "file"
    path: Path

    def __str__(self) -> str:
        return f"file:{self.path}"

    def describe(self) -> str:
        return f"The printer at {self.path}"


@dataclass(frozen=True)
class PreviewSpec:
    """No printer: receipts are saved as text to read on screen."""

    kind: ClassVar[str] = "preview"

    def __str__(self) -> str:
        return "preview"

    def describe(self) -> str:
        return "The preview printer"


PrinterSpec = NetworkSpec | UsbSpec | SerialSpec | FileSpec | PreviewSpec


def parse_spec(text: str) -> PrinterSpec:
    """Parse a printer setting, or raise PrinterSpecError saying what is wrong with it."""
    text = text.strip()
    if not text:
        raise PrinterSpecError(f"No printer is set; use {KINDS}")
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in text):
        raise PrinterSpecError("The printer setting has a control character in it, such as a tab or a new line")
    kind, colon, rest = text.partition(":")
    kind, rest = kind.strip().lower(), rest.strip()
    if kind == "preview":
        if colon:
            raise PrinterSpecError("The preview printer takes no settings; write just preview")
        return PreviewSpec()
    parser = _PARSERS.get(kind)
    if parser is None:
        raise PrinterSpecError(f"{_quote(kind)} is not a kind of printer; use {KINDS}")
    return parser(rest)


def _quote(text: str) -> str:
    # Echo what was typed, but not a whole pasted paragraph.
    return f"'{text}'" if len(text) <= 40 else f"'{text[:37]}...'"


def _network(rest: str) -> NetworkSpec:
    if rest.startswith("[") or _is_ipv6(rest):
        # python-escpos opens IPv4 sockets only.
        raise PrinterSpecError("Network printers need an IPv4 address or a host name, not an IPv6 address")
    if rest.count(":") > 1:
        raise PrinterSpecError(f"{_quote(rest)} is not an address and port, as in network:192.168.1.50:9100")
    host, colon, port = rest.partition(":")
    host, port = host.strip(), port.strip()
    if not host:
        raise PrinterSpecError("A network printer needs an address, as in network:192.168.1.50")
    _check_host(host)
    if not colon:
        return NetworkSpec(host)
    if not _DIGITS.fullmatch(port) or len(port) > 5 or not 1 <= int(port) <= 65535:
        raise PrinterSpecError(f"{_quote(port)} is not a port; it should be a number from 1 to 65535, usually 9100")
    return NetworkSpec(host, int(port))


def _is_ipv6(text: str) -> bool:
    try:
        return ipaddress.ip_address(text).version == 6
    except ValueError:
        return False


def _check_host(host: str) -> None:
    labels = host.split(".")
    if len(host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise PrinterSpecError(f"{_quote(host)} is not an IPv4 address or a host name")
    # All digits must be a whole IPv4 address: the system would read '10.1' or '123' as one.
    if all(label.isascii() and label.isdigit() for label in labels):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            raise PrinterSpecError(f"{_quote(host)} is not an IPv4 address such as 192.168.1.50") from None


def _usb(rest: str) -> UsbSpec:
    parts = [part.strip() for part in rest.split(":")]
    if len(parts) != 2 or not all(parts):
        raise PrinterSpecError("A USB printer needs its vendor and product id, as in usb:0x04b8:0x0202")
    vendor, product = (_hex_id(part) for part in parts)
    return UsbSpec(vendor, product)


def _hex_id(text: str) -> int:
    match = _HEX_ID.fullmatch(text)
    if not match:
        raise PrinterSpecError(f"{_quote(text)} is not a USB id; it should be up to four hex digits, as in 04b8")
    value = int(match[2], 16)
    if value == 0:
        # python-escpos skips a zero id when searching, and would open the first USB device it finds.
        raise PrinterSpecError("A USB id cannot be 0000; check the numbers lsusb shows for the printer")
    return value


def _serial(rest: str) -> SerialSpec:
    # A device may itself hold colons (/dev/serial/by-path/...:1.0), so only a number after
    # the last colon is a baud rate.
    device, colon, baud = rest.rpartition(":")
    device, baud = device.strip(), baud.strip()
    if not colon or not _DIGITS.fullmatch(baud):
        device, baud = rest, ""
    if not device:
        raise PrinterSpecError("A serial printer needs a device, as in serial:/dev/ttyUSB0")
    if not baud:
        return SerialSpec(device)
    if len(baud) > 6 or int(baud) not in BAUD_RATES:
        rates = ", ".join(str(rate) for rate in BAUD_RATES)
        raise PrinterSpecError(f"{_quote(baud)} is not a serial speed printers use; try one of {rates}")
    return SerialSpec(device, int(baud))


def _file(rest: str) -> FileSpec:
    if not rest:
        raise PrinterSpecError("A file printer needs a path, as in file:/dev/usb/lp0")
    path = Path(rest)
    # "file:0 /" would name "0 ", which reads back as "0": a path must not end in a space.
    if str(path) != str(path).strip():
        raise PrinterSpecError("A printer's path cannot start or end with a space")
    return FileSpec(path)


_PARSERS = {"network": _network, "usb": _usb, "serial": _serial, "file": _file}
