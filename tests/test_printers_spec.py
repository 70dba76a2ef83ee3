"""Printer settings: what parses, what is refused with a plain sentence, and nothing else ever."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from printers.spec import (
    FileSpec,
    NetworkSpec,
    PreviewSpec,
    PrinterSpecError,
    SerialSpec,
    UsbSpec,
    parse_spec,
)


@pytest.mark.parametrize(("text", "spec"), [
    ("network:192.168.1.50", NetworkSpec("192.168.1.50", 9100)),
    ("network:192.168.1.50:9101", NetworkSpec("192.168.1.50", 9101)),
    ("network:till-printer.local", NetworkSpec("till-printer.local", 9100)),
    ("  Network: 10.0.0.7 : 9100 ", NetworkSpec("10.0.0.7", 9100)),
    ("usb:0x04b8:0x0202", UsbSpec(0x04B8, 0x0202)),
    ("usb:04b8:0202", UsbSpec(0x04B8, 0x0202)),
    ("usb:0X4B8:202", UsbSpec(0x04B8, 0x0202)),
    ("serial:/dev/ttyUSB0", SerialSpec("/dev/ttyUSB0", 9600)),
    ("serial:/dev/ttyUSB0:19200", SerialSpec("/dev/ttyUSB0", 19200)),
    ("serial:COM3:115200", SerialSpec("COM3", 115200)),
    ("serial:/dev/serial/by-path/pci-0000:00:14.0-usb-0:1:1.0-port0",
     SerialSpec("/dev/serial/by-path/pci-0000:00:14.0-usb-0:1:1.0-port0", 9600)),
    ("file:/dev/usb/lp0", FileSpec(Path("/dev/usb/lp0"))),
    ("file:receipts/out.bin", FileSpec(Path("receipts/out.bin"))),
    ("preview", PreviewSpec()),
    (" PREVIEW ", PreviewSpec()),
])
def test_good_specs(text, spec):
    assert parse_spec(text) == spec


@pytest.mark.parametrize(("text", "words"), [
    ("", "No printer is set"),
    ("   ", "No printer is set"),
    ("bluetooth:AA:BB", "'bluetooth' is not a kind of printer"),
    ("192.168.1.50", "'192.168.1.50' is not a kind of printer"),
    ("network:", "needs an address"),
    ("network::9100", "needs an address"),
    ("network:192.168.1.50:", "'' is not a port"),
    ("network:192.168.1.50:0", "'0' is not a port"),
    ("network:192.168.1.50:65536", "'65536' is not a port"),
    ("network:192.168.1.50:91OO", "'91OO' is not a port"),
    ("network:192.168.1.50:٩١٠٠", "is not a port"),
    ("network:300.1.1.1", "'300.1.1.1' is not an IPv4 address"),
    ("network:10.1", "'10.1' is not an IPv4 address"),
    ("network:my printer", "'my printer' is not an IPv4 address or a host name"),
    ("network:[::1]:9100", "not an IPv6 address"),
    ("network:fe80::1", "not an IPv6 address"),
    ("usb:04b8", "needs its vendor and product id"),
    ("usb:04b8:0202:1", "needs its vendor and product id"),
    ("usb:04g8:0202", "'04g8' is not a USB id"),
    ("usb:04b8:12345", "'12345' is not a USB id"),
    ("usb:0x0000:0202", "cannot be 0000"),
    ("serial:", "needs a device"),
    ("serial::9600", "needs a device"),
    ("serial:/dev/ttyUSB0:96000", "'96000' is not a serial speed"),
    ("file:", "needs a path"),
    ("preview:on", "takes no settings"),
    ("file:/tmp/a\x00b", "control character"),
    ("network:10.0.0.1\t:9100", "control character"),
])
def test_bad_specs_say_what_is_wrong(text, words):
    with pytest.raises(PrinterSpecError) as caught:
        parse_spec(text)
    message = str(caught.value)
    assert words in message
    assert "\n" not in message and not message.endswith(".")  # the till adds its own full stop


def test_spec_error_is_a_value_error():
    # pydantic turns a ValueError from a validator into a config error naming the key.
    assert issubclass(PrinterSpecError, ValueError)


def test_a_pasted_paragraph_is_not_echoed_whole():
    with pytest.raises(PrinterSpecError) as caught:
        parse_spec("x" * 500 + ":y")
    assert len(str(caught.value)) < 200


@pytest.mark.parametrize("text", [
    "network:192.168.1.50:9100", "usb:0x04b8:0x0202", "serial:/dev/ttyUSB0:9600", "file:/dev/usb/lp0", "preview",
])
def test_written_form_reads_back(text):
    assert str(parse_spec(text)) == text


def test_descriptions_name_the_printer():
    assert parse_spec("network:192.168.1.50").describe() == "The printer at 192.168.1.50:9100"
    assert parse_spec("usb:4b8:202").describe() == "The USB printer 04b8:0202"


# --- properties -------------------------------------------------------------------------

@settings(max_examples=400)
@given(st.text())
def test_any_text_parses_or_is_refused_plainly(text):
    try:
        spec = parse_spec(text)
    except PrinterSpecError as error:
        assert str(error)
    else:
        assert parse_spec(str(spec)) == spec


# Text that gets past the kind, so the checks behind it see odd input too.
tails = st.text(alphabet=st.sampled_from("0123456789abcdefxX:./[] -_٣é\t"), max_size=30) | st.text(max_size=30)


@settings(max_examples=400)
@given(kind=st.sampled_from(["network", "usb", "serial", "file", "preview", "USB"]), tail=tails)
def test_any_settings_after_a_known_kind_parse_or_are_refused_plainly(kind, tail):
    try:
        spec = parse_spec(f"{kind}:{tail}")
    except PrinterSpecError as error:
        assert str(error)
    else:
        assert parse_spec(str(spec)) == spec


@given(port=st.integers(1, 65535), octets=st.lists(st.integers(0, 255), min_size=4, max_size=4))
def test_every_ipv4_address_and_port_parses(port, octets):
    host = ".".join(map(str, octets))
    assert parse_spec(f"network:{host}:{port}") == NetworkSpec(host, port)


@given(vendor=st.integers(1, 0xFFFF), product=st.integers(1, 0xFFFF), prefix=st.sampled_from(["", "0x"]))
def test_every_usb_id_parses(vendor, product, prefix):
    assert parse_spec(f"usb:{prefix}{vendor:x}:{prefix}{product:04X}") == UsbSpec(vendor, product)


@pytest.mark.parametrize(("text", "kind"), [
    ("network:10.0.0.7", "network"), ("usb:4b8:202", "usb"), ("serial:COM3", "serial"),
    ("file:/dev/usb/lp0", "file"), ("preview", "preview"),
])
def test_each_spec_names_its_kind(text, kind):
    assert parse_spec(text).kind == kind
