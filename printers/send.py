"""Send receipts to a printer, or to a preview file, and say plainly when the printer can't take them."""

from __future__ import annotations

import errno
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from printers.receipt import Receipt, ReceiptItem, ReceiptLine
from printers.render import to_escpos, to_text
from printers.spec import FileSpec, NetworkSpec, PreviewSpec, PrinterSpec, SerialSpec, UsbSpec, parse_spec

# The watchdog waits this much past the timeout, so a printer's own timeout error, which says
# more, normally arrives first.
_GRACE_SECONDS = 0.25

# The optional libraries for USB and serial printers, as pyproject.toml's extras `usb` and `serial`
# name them (a test keeps the two the same), so the message a volunteer sees names what to install.
PYUSB = "pyusb>=1.2"
PYSERIAL = "pyserial>=3.5"


class PrinterUnavailable(Exception):
    """The printer could not take the receipt; the message is one sentence a volunteer can act on."""


@dataclass(frozen=True)
class PrintResult:
    """What print_receipt did: the preview text and file, or how many bytes a printer took."""

    spec: PrinterSpec
    text: str | None = None
    path: Path | None = None
    bytes_sent: int = 0


def send(spec: PrinterSpec | str, data: bytes, *, timeout: float = 5.0) -> None:
    """Write ESC/POS bytes to the printer and close it, within about `timeout` seconds.

    Raises PrinterUnavailable for anything that stops the printer taking them.
    """
    spec = parse_spec(spec) if isinstance(spec, str) else spec
    if not timeout > 0:
        raise ValueError("the timeout must be more than 0 seconds")
    deliver = _DELIVERERS.get(type(spec))
    if deliver is None:
        raise ValueError(f"{spec.describe()} takes text, not printer bytes; use print_receipt()")

    # Socket timeouts bound a network printer's connect and send, but not a host-name lookup,
    # nor a write to a device file or serial port that stops taking data. The work runs in a
    # daemon thread so the till gets its answer on time; a stuck write is left behind with it.
    failures: list[BaseException] = []

    def work() -> None:
        try:
            deliver(spec, data, timeout)
        except BaseException as error:  # handed to the caller's thread below
            failures.append(error)

    worker = threading.Thread(target=work, name=f"print to {spec}", daemon=True)
    worker.start()
    worker.join(timeout + _GRACE_SECONDS)
    if worker.is_alive():
        raise PrinterUnavailable(f"{spec.describe()} did not answer within {_seconds(timeout)}")
    if failures:
        raise failures[0]


def print_receipt(
    spec: PrinterSpec | str, receipt: Receipt, width: int, *, preview_dir: Path, name: str, timeout: float = 5.0,
) -> PrintResult:
    """Print a receipt; a preview printer writes the text to `preview_dir/name.txt` instead (a
    private one, about one member, it only returns)."""
    spec = parse_spec(spec) if isinstance(spec, str) else spec
    if not isinstance(spec, PreviewSpec):
        data = to_escpos(receipt, width)
        send(spec, data, timeout=timeout)
        return PrintResult(spec, bytes_sent=len(data))
    if not name or name in (".", "..") or any(char in name for char in "/\\\0"):
        raise ValueError(f"{name!r} is not a plain file name for a receipt preview")
    text = to_text(receipt, width)
    if receipt.private:
        return PrintResult(spec, text=text)
    path = Path(preview_dir) / f"{name}.txt"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        reason = _reason(error)
        raise PrinterUnavailable(f"The receipt preview could not be saved in {path.parent} ({reason})") from error
    return PrintResult(spec, text=text, path=path)


def test_page(width: int, shop_name: str = "") -> Receipt:
    """A page for `till print-test`: the paper width, the £ sign, accented letters and a QR code."""
    return Receipt(
        header=[shop_name or "Community Till"],
        title="TEST PAGE",
        meta=[ReceiptLine(text="Paper width", amount=f"{width} columns")],
        items=[ReceiptItem(name="A long item name that wraps onto the next line", amount="£12.34",
                           details=["2 x £6.17"])],
        totals=[ReceiptLine(text="TOTAL", amount="£12.34", bold=True)],
        notes=[
            "Pound sign: £",
            "Accents: é ñ ü ç ß ł ś ż ő",
            f"{width} columns, end to end:",
            _ruler(width),
        ],
        footer=["If this page looks right, the printer is ready."],
        qr=f"Community Till test page, {width} columns",
    )


test_page.__test__ = False  # its name would otherwise make pytest collect it wherever it is imported


def _ruler(width: int) -> str:
    """'....+....1....+....2' cut to the width: a missing end shows the paper is narrower."""
    return "".join(str(n // 10 % 10) if n % 10 == 0 else "+" if n % 5 == 0 else "." for n in range(1, width + 1))


def _missing(need: str, requirement: str) -> str:
    """One sentence with the command that fixes it: pip of the Python running the till, so it
    lands in the till's own environment however the till was installed."""
    command = f"{sys.executable} -m pip install '{requirement}'"
    return f"{need}, which is not installed; install it with {command}, then try again"


def _seconds(timeout: float) -> str:
    number = f"{timeout:g}"
    return f"{number} second" if number == "1" else f"{number} seconds"


def _reason(error: BaseException) -> str:
    """The operating system's words for an error, without the errno and path clutter."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror[0].lower() + error.strerror[1:]
    return str(error) or type(error).__name__


def _cause(error: BaseException) -> BaseException:
    # python-escpos wraps the real OSError in DeviceNotFoundError and keeps it only as context.
    return error.__cause__ or error.__context__ or error


def _deliver_network(spec: NetworkSpec, data: bytes, timeout: float) -> None:
    from escpos.exceptions import DeviceNotFoundError
    from escpos.printer import Network

    deadline = time.monotonic() + timeout
    printer = Network(host=spec.host, port=spec.port, timeout=timeout)
    try:
        printer.open()
    except DeviceNotFoundError as error:
        raise PrinterUnavailable(_network_problem(spec, _cause(error), timeout)) from error
    try:
        # sendall() gets what is left of the timeout, so connect and send together stay within it.
        printer.device.settimeout(max(deadline - time.monotonic(), 0.01))
        printer._raw(data)  # the bytes are ready-made ESC/POS; _raw is python-escpos's way to send them
    except OSError as error:
        raise PrinterUnavailable(_network_problem(spec, error, timeout, sending=True)) from error
    finally:
        printer.close()


def _network_problem(spec: NetworkSpec, error: BaseException, timeout: float, *, sending: bool = False) -> str:
    import socket

    where = spec.describe()
    if isinstance(error, TimeoutError):
        if sending:
            return (f"{where} stopped taking the receipt and did not finish within {_seconds(timeout)}; "
                    "check it has paper and its lid is shut")
        return f"{where} did not answer within {_seconds(timeout)}; check it is switched on and its address is right"
    if isinstance(error, socket.gaierror):
        return f"No printer called {spec.host} could be found on the network; check the name, or use its IP address"
    if isinstance(error, ConnectionRefusedError):
        return f"{where} refused the connection; check the address and port are right and the printer is switched on"
    if isinstance(error, (ConnectionResetError, BrokenPipeError)):
        return f"{where} closed the connection before it had the whole receipt; try printing again"
    if getattr(error, "errno", None) in (errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EHOSTDOWN):
        return f"{where} could not be reached; check the till and the printer are on the same network"
    return f"{where} could not be reached ({_reason(error)})"


def _deliver_usb(spec: UsbSpec, data: bytes, timeout: float) -> None:
    from escpos.exceptions import DeviceNotFoundError
    from escpos.printer import Usb

    where = spec.describe()
    if not Usb.is_usable():
        raise PrinterUnavailable(_missing("USB printers need the pyusb library", PYUSB))
    printer = Usb(spec.vendor_id, spec.product_id, timeout=int(timeout * 1000))  # pyusb counts milliseconds
    try:
        printer.open()
        printer._raw(data)
    except DeviceNotFoundError as error:
        if isinstance(_cause(error), AssertionError):  # how python-escpos says no device matched
            raise PrinterUnavailable(f"{where} is not plugged in, or is switched off") from error
        raise PrinterUnavailable(_usb_problem(where, _cause(error), timeout)) from error
    except (OSError, ValueError) as error:  # usb.core.USBError; NoBackendError when libusb is missing
        raise PrinterUnavailable(_usb_problem(where, error, timeout)) from error
    finally:
        printer.close()


def _usb_problem(where: str, error: BaseException, timeout: float) -> str:
    if type(error).__name__ == "NoBackendError":
        return ("USB printers need the libusb library, which is not installed on this computer; on Debian or "
                "Ubuntu install it with sudo apt-get install libusb-1.0-0, then try again")
    code = getattr(error, "errno", None)
    if code in (errno.EACCES, errno.EPERM):
        return f"{where} is plugged in, but this computer's user is not allowed to use it (a udev rule can allow it)"
    if code == errno.ETIMEDOUT:
        return f"{where} did not take the receipt within {_seconds(timeout)}; check it has paper and its lid is shut"
    if code in (errno.ENODEV, errno.ENOENT, errno.EIO):
        return f"{where} was unplugged or switched off while printing"
    return f"{where} could not be used ({_reason(error)})"


def _deliver_serial(spec: SerialSpec, data: bytes, timeout: float) -> None:
    from escpos.exceptions import DeviceNotFoundError
    from escpos.printer import Serial

    where = spec.describe()
    if not Serial.is_usable():
        raise PrinterUnavailable(_missing("Serial printers need the pyserial library", PYSERIAL))
    printer = Serial(devfile=spec.device, baudrate=spec.baudrate, timeout=timeout)
    try:
        printer.open()
        # python-escpos sets only a read timeout; with flow control on, a write could otherwise wait forever.
        printer.device.write_timeout = timeout
        printer._raw(data)
    except DeviceNotFoundError as error:
        reason = _reason(_cause(error))
        raise PrinterUnavailable(f"{where} could not be opened; check the cable and device name ({reason})") from error
    except OSError as error:  # pyserial's SerialException and SerialTimeoutException are OSErrors
        if type(error).__name__ == "SerialTimeoutException":
            message = f"{where} did not take the receipt within {_seconds(timeout)}; check it has paper"
        else:
            message = f"{where} stopped taking the receipt ({_reason(error)})"
        raise PrinterUnavailable(message) from error
    finally:
        printer.close()


def _deliver_file(spec: FileSpec, data: bytes, timeout: float) -> None:
    from escpos.exceptions import DeviceNotFoundError
    from escpos.printer import File

    printer = File(devfile=str(spec.path))
    try:
        printer.open()
        printer._raw(data)
    except DeviceNotFoundError as error:
        raise PrinterUnavailable(_file_problem(spec, _cause(error))) from error
    except OSError as error:
        raise PrinterUnavailable(_file_problem(spec, error)) from error
    finally:
        try:
            printer.close()
        except OSError:
            pass  # the write's own error, raised above, is the one worth reporting


def _file_problem(spec: FileSpec, error: BaseException) -> str:
    if isinstance(error, FileNotFoundError):
        return f"There is no printer at {spec.path}; check it is plugged in and switched on"
    if isinstance(error, PermissionError):
        return f"This computer's user is not allowed to write to {spec.path} (on Linux, add it to the lp group)"
    return f"{spec.describe()} could not take the receipt ({_reason(error)})"


_DELIVERERS = {
    NetworkSpec: _deliver_network, UsbSpec: _deliver_usb, SerialSpec: _deliver_serial, FileSpec: _deliver_file,
}
