"""Sending receipts: real sockets on 127.0.0.1, real files, and the preview folder. Nothing mocked."""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest

from printers.receipt import Receipt, ReceiptItem, ReceiptLine
from printers.render import to_escpos, to_text
from printers.send import PrinterUnavailable, PrintResult, print_receipt, send, test_page
from printers.spec import FileSpec, NetworkSpec, PreviewSpec, SerialSpec, UsbSpec

LOCAL = "127.0.0.1"
SHORT = 0.5  # seconds: the timeout used where a test waits on purpose
MARGIN = 1.0  # seconds allowed past the timeout before a test calls it a hang


def receipt() -> Receipt:
    return Receipt(
        header=["Estate Community Café"],
        items=[ReceiptItem(name="Tea", amount="£1.20")],
        totals=[ReceiptLine(text="TOTAL", amount="£1.20", bold=True)],
        tenders=[ReceiptLine(text="Cash", amount="£5.00")],
        open_drawer=True,
    )


class Listener:
    """A stand-in network printer: accepts one connection on 127.0.0.1 and keeps what it is sent."""

    def __init__(self, *, read: bool = True, receive_buffer: int | None = None):
        self.server = socket.socket()
        if receive_buffer:
            self.server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        self.server.bind((LOCAL, 0))
        self.server.listen(1)
        self.server.settimeout(5)
        self.port = self.server.getsockname()[1]
        self.read = read
        self.received = bytearray()
        self.finished = threading.Event()
        self.connection: socket.socket | None = None
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            self.connection, _ = self.server.accept()
            self.connection.settimeout(5)
            while self.read and (chunk := self.connection.recv(65536)):
                self.received += chunk
        except OSError:
            pass
        finally:
            self.finished.set()

    def close(self) -> None:
        if self.connection:
            self.connection.close()
        self.server.close()
        self.thread.join(5)


@pytest.fixture
def listener():
    made = []

    def make(**options) -> Listener:
        made.append(Listener(**options))
        return made[-1]

    yield make
    for each in made:
        each.close()


def timed(call):
    """Run call(); return (error or None, seconds taken)."""
    started = time.monotonic()
    try:
        call()
    except PrinterUnavailable as error:
        return error, time.monotonic() - started
    return None, time.monotonic() - started


# --- network ----------------------------------------------------------------------------

def test_network_printer_receives_exactly_the_escpos_bytes(listener):
    printer = listener()
    data = to_escpos(receipt(), 42)
    send(NetworkSpec(LOCAL, printer.port), data, timeout=5)
    assert printer.finished.wait(5)
    assert bytes(printer.received) == data


def test_spec_may_be_given_as_text(listener):
    printer = listener()
    send(f"network:{LOCAL}:{printer.port}", b"\x1b@", timeout=5)
    assert printer.finished.wait(5)
    assert bytes(printer.received) == b"\x1b@"


def test_print_receipt_sends_the_rendered_receipt(listener, tmp_path):
    printer = listener()
    spec = NetworkSpec(LOCAL, printer.port)
    result = print_receipt(spec, receipt(), 32, preview_dir=tmp_path, name="till-1-000001")
    assert printer.finished.wait(5)
    assert bytes(printer.received) == to_escpos(receipt(), 32)
    assert result == PrintResult(spec, bytes_sent=len(printer.received))
    assert list(tmp_path.iterdir()) == []


def test_refused_connection_is_reported_at_once():
    with socket.socket() as bound_not_listening:
        bound_not_listening.bind((LOCAL, 0))
        port = bound_not_listening.getsockname()[1]
        error, seconds = timed(lambda: send(NetworkSpec(LOCAL, port), b"x", timeout=5))
    assert str(error) == (
        f"The printer at {LOCAL}:{port} refused the connection; "
        "check the address and port are right and the printer is switched on"
    )
    assert seconds < 1


def test_printer_that_never_accepts_gives_up_within_the_timeout():
    with socket.socket() as server, socket.socket() as queued:
        server.bind((LOCAL, 0))
        server.listen(0)
        queued.connect(server.getsockname())  # fills the queue, so the next connection waits
        spec = NetworkSpec(LOCAL, server.getsockname()[1])
        error, seconds = timed(lambda: send(spec, b"x", timeout=SHORT))
    assert seconds < SHORT + MARGIN
    # Linux leaves the connection unanswered; other systems may accept it into the queue.
    if error is not None:
        assert str(error).startswith(f"The printer at {spec.host}:{spec.port} did not answer within 0.5 seconds")


def test_printer_that_accepts_but_never_reads_still_takes_a_receipt_into_its_buffer(listener):
    printer = listener(read=False)
    error, seconds = timed(lambda: send(NetworkSpec(LOCAL, printer.port), to_escpos(receipt(), 32), timeout=SHORT))
    assert error is None
    assert seconds < SHORT + MARGIN


def test_printer_that_stops_reading_part_way_gives_up_within_the_timeout(listener):
    printer = listener(read=False, receive_buffer=4096)
    more_than_any_socket_buffer = b"\x00" * (32 << 20)
    error, seconds = timed(lambda: send(NetworkSpec(LOCAL, printer.port), more_than_any_socket_buffer, timeout=SHORT))
    assert seconds < SHORT + MARGIN
    assert str(error).startswith(f"The printer at {LOCAL}:{printer.port} stopped taking the receipt")


def test_timeout_must_be_positive():
    with pytest.raises(ValueError):
        send(NetworkSpec(LOCAL, 9100), b"x", timeout=0)


# --- files, USB, serial -----------------------------------------------------------------

def test_file_printer_gets_the_bytes(tmp_path):
    target = tmp_path / "lp0"
    data = to_escpos(receipt(), 32)
    send(FileSpec(target), data)
    assert target.read_bytes() == data


def test_file_printer_in_a_missing_folder_is_unavailable(tmp_path):
    target = tmp_path / "usb" / "lp0"
    with pytest.raises(PrinterUnavailable) as caught:
        send(FileSpec(target), b"x")
    assert str(caught.value) == f"There is no printer at {target}; check it is plugged in and switched on"


def test_file_printer_that_is_a_folder_is_unavailable(tmp_path):
    with pytest.raises(PrinterUnavailable, match="could not take the receipt"):
        send(FileSpec(tmp_path), b"x")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_file_printer_without_permission_is_unavailable(tmp_path):
    target = tmp_path / "lp0"
    target.write_bytes(b"")
    target.chmod(0o400)
    with pytest.raises(PrinterUnavailable, match="not allowed to write"):
        send(FileSpec(target), b"x")


def test_device_that_never_takes_data_gives_up_within_the_timeout(tmp_path):
    pipe = tmp_path / "printer"
    os.mkfifo(pipe)  # with no reader, opening it for writing waits, like a stuck device
    error, seconds = timed(lambda: send(FileSpec(pipe), b"late", timeout=SHORT))
    assert str(error) == f"The printer at {pipe} did not answer within 0.5 seconds"
    assert seconds < SHORT + MARGIN
    # Let the abandoned write finish, so the test leaves no thread behind.
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
    try:
        deadline = time.monotonic() + 5
        while any(t.name == f"print to file:{pipe}" for t in threading.enumerate()) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert os.read(reader, 100) == b"late"
    finally:
        os.close(reader)


def _pip_install(requirement: str) -> str:
    import sys

    return f"{sys.executable} -m pip install '{requirement}'"


def test_usb_printer_without_pyusb_says_how_to_install_it():
    from escpos.printer import Usb

    if Usb.is_usable():
        pytest.skip("pyusb is installed here")
    with pytest.raises(PrinterUnavailable) as caught:
        send(UsbSpec(0x04B8, 0x0202), b"x")
    assert str(caught.value) == ("USB printers need the pyusb library, which is not installed; install it with "
                                 f"{_pip_install('pyusb>=1.2')}, then try again")


def test_serial_printer_without_pyserial_says_how_to_install_it(tmp_path):
    from escpos.printer import Serial

    if Serial.is_usable():
        pytest.skip("pyserial is installed here")
    with pytest.raises(PrinterUnavailable) as caught:
        send(SerialSpec(str(tmp_path / "ttyUSB9")), b"x", timeout=SHORT)
    assert str(caught.value) == ("Serial printers need the pyserial library, which is not installed; install it "
                                 f"with {_pip_install('pyserial>=3.5')}, then try again")


def test_the_libraries_named_are_the_projects_optional_extras():
    import tomllib
    from pathlib import Path

    from printers.send import PYSERIAL, PYUSB

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    extras = project["project"]["optional-dependencies"]
    assert extras["usb"] == [PYUSB] and extras["serial"] == [PYSERIAL]


def test_serial_printer_that_is_not_there_is_unavailable(tmp_path):
    with pytest.raises(PrinterUnavailable, match="pyserial|could not be opened"):
        send(SerialSpec(str(tmp_path / "ttyUSB9")), b"x", timeout=SHORT)


# --- preview ----------------------------------------------------------------------------

def test_preview_writes_the_text_and_returns_it(tmp_path):
    result = print_receipt(PreviewSpec(), receipt(), 32, preview_dir=tmp_path / "receipts", name="till-1-000123")
    path = tmp_path / "receipts" / "till-1-000123.txt"
    assert result == PrintResult(PreviewSpec(), text=to_text(receipt(), 32), path=path)
    assert path.read_text(encoding="utf-8") == result.text


def test_preview_spec_may_be_given_as_text(tmp_path):
    result = print_receipt("preview", receipt(), 42, preview_dir=tmp_path, name="copy")
    assert result.path == tmp_path / "copy.txt"


@pytest.mark.parametrize("name", ["", "..", "../outside", "a/b"])
def test_preview_name_must_be_a_plain_file_name(tmp_path, name):
    with pytest.raises(ValueError):
        print_receipt(PreviewSpec(), receipt(), 32, preview_dir=tmp_path, name=name)


def test_preview_folder_that_cannot_be_made_is_unavailable(tmp_path):
    blocker = tmp_path / "receipts"
    blocker.write_text("not a folder")
    with pytest.raises(PrinterUnavailable, match="could not be saved"):
        print_receipt(PreviewSpec(), receipt(), 32, preview_dir=blocker, name="x")


def test_preview_printer_takes_no_bytes():
    with pytest.raises(ValueError):
        send(PreviewSpec(), b"x")


# --- test page ----------------------------------------------------------------------------

@pytest.mark.parametrize("width", [32, 42, 48])
def test_test_page_shows_its_width_with_a_ruler_that_fills_it(width):
    lines = to_text(test_page(width), width).splitlines()
    amount = f"{width} columns"
    assert "Paper width".ljust(width - len(amount)) + amount in lines
    ruler = next(line for line in lines if line.startswith("....+....1"))
    assert len(ruler) == width


def test_test_page_shows_the_pound_sign_accents_and_a_qr():
    page = test_page(32, shop_name="Estate Café")
    text = to_text(page, 32)
    assert "Estate Café" in text and "£" in text and "ł" in text
    assert page.qr and f"[QR: {page.qr}]" in text
    assert b"\x9c" in to_escpos(page, 32)


def test_test_page_has_a_name_without_a_shop():
    assert test_page(42).header == ["Community Till"]
