"""The Textual till app, built from its parts by make_app so the CLI and the tests assemble it alike."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

from textual import work
from textual.app import App
from textual.binding import Binding

from core.errors import TillError
from pos.errors import USER_ERRORS
from pos.shop import Shop
from pos.till import Sale
from pos.tui.messages import ReceiptFailed, ReceiptPrinted
from pos.tui.plain_errors import sentence
from volunteers.people import Volunteer
from volunteers.permissions import Action, may

#: How long what is said on signing in stays up (the reports screen clears it sooner).
SIGN_IN_NOTICE_SECONDS = 6


class TillApp(App):
    CSS_PATH = Path(__file__).with_name("till.tcss")
    TITLE = "Community Till"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False)]

    def __init__(self, shop: Shop) -> None:
        super().__init__()
        self.shop = shop
        self.volunteer: Volunteer | None = None
        self.last_preview: str | None = None
        #: While in training mode: the real shop, put aside until training ends.
        self.real_shop: Shop | None = None
        #: The hub's push worker (hub.worker.PushWorker), only when a hub is configured.
        self.hub_worker = None

    async def action_quit(self) -> None:
        """Ctrl+Q: with a basket open (money taken for it, perhaps), the selling screen asks first."""
        from pos.tui.screens.selling import SellingScreen

        selling = next((s for s in self.screen_stack if isinstance(s, SellingScreen)), None)
        if selling is None or not selling.ask_before_quitting():
            self.exit()

    def get_key_display(self, binding: Binding) -> str:
        """Keys as the keyboard and the README name them: F2, Esc, Ctrl+S (Textual says f2, esc, ^s)."""
        if binding.key_display:
            return binding.key_display
        modifiers, key = binding.parse_key()
        named = {"escape": "Esc", "pageup": "PgUp", "pagedown": "PgDn", "delete": "Delete", "up": "Up",
                 "down": "Down", "left": "Left", "right": "Right", "enter": "Enter", "backspace": "Backspace"}
        if key in named or (key[:1] == "f" and key[1:].isdigit()):
            key = named.get(key, key.upper())
        elif len(key) == 1:
            key = key.upper()
        else:
            return super().get_key_display(binding)
        return "+".join([*(m.capitalize() for m in modifiers), key])

    def _handle_exception(self, error: Exception) -> None:
        self._last_error = error
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """An unexpected fault: log it for a developer and say one sentence, with no traceback
        (a traceback with locals could show a PIN)."""
        from core.crash_log import log_unexpected

        where = log_unexpected(getattr(self, "_last_error", None))
        self.bell()
        detail = f" Details for a developer are in {where}." if where else ""
        self._exit_renderables.append(
            "The till stopped because of an unexpected problem. Completed sales are safe; "
            f"start the till again to carry on.{detail}"
        )
        self._close_messages_no_wait()

    def on_mount(self) -> None:
        if not gc.isenabled():  # started by `till` (pos.launch): what has loaded stays for good
            gc.freeze()
            gc.enable()
        if self.shop.needs_setup:
            from pos.tui.screens.setup import SetupScreen

            self.push_screen(SetupScreen())
        else:
            from pos.tui.screens.sign_in import SignInScreen

            self.push_screen(SignInScreen())
        self._guard_size()
        self._start_hub()

    # The society's hub -----------------------------------------------------------------

    def _start_hub(self) -> None:
        """With a hub configured (its credentials file is there), push from a thread with its own
        connection, and say how the hub stands on the top bar; with none, nothing at all."""
        settings = self.shop.settings
        if self.shop.practising or not settings.hub_credentials.exists():
            return
        from hub.worker import PushWorker

        self.hub_worker = PushWorker(settings.db, settings.hub_credentials,
                                     every=settings.hub.push_every_seconds).start()
        self.set_interval(15, self.show_hub)

    def hub_words(self) -> str | None:
        """'hub ✓ 2 min', 'hub unreachable 3 h · 412 waiting'; None with no hub."""
        if self.hub_worker is None:
            return None
        from core.clock import system_clock
        from hub.status import describe

        return describe((self.real_shop or self.shop).db, system_clock())

    def hub_z_warning(self) -> str | None:
        if self.hub_worker is None:
            return None
        from core.clock import system_clock
        from hub import local
        from hub.status import z_warning

        db = (self.real_shop or self.shop).db
        return z_warning(local.marks(db), local.waiting(db), system_clock(),
                         self.shop.settings.hub.warn_after_hours)

    def show_hub(self) -> None:
        if hasattr(self.screen, "show_title"):
            self.screen.show_title()

    def on_resize(self) -> None:
        # After Textual's own handler has taken the new size (this one runs first); not before
        # on_mount has put up the first screen.
        if self.screen_stack[1:]:
            self.call_later(self._guard_size)

    def _guard_size(self) -> None:
        """Below the smallest size the screens are made for, one sentence covers them until the
        window grows again; the till never quits for it."""
        from pos.tui.screens.too_small import TooSmallScreen, too_small

        small = too_small(*self.size)
        covered = any(isinstance(screen, TooSmallScreen) for screen in self.screen_stack)
        if small and not covered:
            self.push_screen(TooSmallScreen())
        elif not small and isinstance(self.screen, TooSmallScreen):
            self.pop_screen()

    def on_unmount(self) -> None:
        if self.hub_worker is not None:
            self.hub_worker.stop(timeout=2)
        if self.shop.practising:  # quitting in training: the throwaway copy goes with it
            self.shop.close()

    # Who is at the till ---------------------------------------------------------------

    def show_sign_in(self) -> None:
        from pos.tui.screens.sign_in import SignInScreen

        self.switch_screen(SignInScreen())

    def signed_in(self, volunteer: Volunteer) -> None:
        self.volunteer = volunteer
        if not volunteer.role.sells and not may(volunteer.roles, Action.view_reports):
            # A treasurer or board member who does not work the till: their pages are on the web.
            self.notify(f"{volunteer.name} is {volunteer.roles_label.lower()}: the till is for volunteers, shift "
                        "leads and managers. The books and the board's pages are in the web back office.",
                        severity="warning", timeout=SIGN_IN_NOTICE_SECONDS)
            self.sign_out()
            return
        if not volunteer.role.sells:  # the children's centre's staff: the reports, nothing else
            from pos.tui.screens.reach import ReachScreen

            self.switch_screen(ReachScreen())
            return
        session = self.shop.till.current_session()
        if session is not None:
            self._start_selling()
            if session.business_date != self.shop.today().isoformat():
                # Selling on would put today's sales on an old trading day.
                from pos.tui.screens.cash_up import CashUpScreen

                self.push_screen(CashUpScreen(stale_since=session.business_date))
            return
        from pos.tui.modals.amount import AmountAnswer, AmountModal

        def opened(answer: AmountAnswer | None) -> None:
            if answer is None:
                self.leave_training() if self.shop.practising else self.sign_out()
                return
            try:
                self.shop.till.open_session(answer.pence, operator_id=volunteer.id)
            except USER_ERRORS as error:
                self.notify(sentence(error), severity="error")
                self.sign_out()
                return
            self._start_selling()

        self.push_screen(AmountModal(f"Hello {volunteer.name}. Open the till: how much is the float?",
                                     default="50.00"), opened)

    def _start_selling(self) -> None:
        from pos.tui.screens.selling import SellingScreen

        self.switch_screen(SellingScreen())
        self.notify(f"Signed in: {self.volunteer.name}. F1 shows the keys.", timeout=3)
        self._tell_receipts_waiting()
        # Short-lived, and gone once the reports screen opens: they sat over the X and Z figures.
        certificates = self.shop.certificate_warnings(self.volunteer)
        if certificates:
            tell = " Please tell the shift lead." if self.volunteer.role == "volunteer" else ""
            self.notify("\n".join(certificates) + tell, title="Certificates", severity="warning",
                        timeout=SIGN_IN_NOTICE_SECONDS)
        gap = self.shop.rota_gap_warning(self.volunteer)
        if gap:
            self.notify(gap, title="Rota gaps", severity="warning", timeout=SIGN_IN_NOTICE_SECONDS)

    def _tell_receipts_waiting(self) -> None:
        # Said once selling starts, not on the sign-in screen: Ctrl+W, which lists them, works here.
        failed = self.shop.till.receipts_failed()
        if failed:
            what = "1 receipt" if failed == 1 else f"{failed} receipts"
            self.notify(f"{what} did not print earlier and {'is' if failed == 1 else 'are'} kept for printing: "
                        "Ctrl+W lists them.", title="Receipts waiting", severity="warning", timeout=10)

    def with_approval(self, action: Action, then: Callable[[int | None], None]) -> None:
        """Run `then(approver_id)` at once for someone whose role allows it, or after a shift lead
        or manager has typed their PIN (the volunteer stays signed in). Cancelling does nothing."""
        if may(self.volunteer.roles, action):
            then(None)
            return
        from pos.tui.modals.approval import ApprovalModal

        def approved(approver: int | None) -> None:
            if approver is not None:
                then(approver)

        self.push_screen(ApprovalModal(action), approved)

    # Training mode: the same screens on a throwaway copy of the shop --------------------------

    def enter_training(self) -> None:
        import sqlite3

        try:
            practice = self.shop.practice_copy()
        except (OSError, sqlite3.Error) as error:
            self.notify(f"Training mode could not start: {error}", severity="error")
            return
        self.real_shop, self.shop = self.shop, practice
        self.notify("Training mode: practise anything. Nothing you do now counts, and receipts say "
                    "TRAINING. Ctrl+R goes back to the real till.", title="Training", timeout=8)
        self.signed_in(self.volunteer)

    def leave_training(self) -> None:
        if self.real_shop is None:
            return
        practice, self.shop, self.real_shop = self.shop, self.real_shop, None
        practice.close()
        if self.volunteer is None:
            self.show_sign_in()
            return
        self.notify("Back on the real till.", timeout=4)
        self._start_selling()

    def sign_out(self) -> None:
        if self.shop.practising and self.real_shop is not None:  # signing out ends training, then the real shift
            practice, self.shop, self.real_shop = self.shop, self.real_shop, None
            practice.close()
        if self.volunteer is not None:
            self.shop.till.sign_out(self.volunteer.id)
        self.volunteer = None
        self.show_sign_in()

    def after_z(self) -> None:
        # The Z report on screen says how the drawer came out; a notice would sit over its figures.
        closing = self.shop.after_z()
        if closing.unwitnessed:  # the Z is done; a witness not written down is said, like a printer that is off
            self.notify(f"The Z is done, but {closing.unwitnessed}.", title="Journal", severity="warning", timeout=12)
        backup = closing.backup
        if backup is not None:
            self._backup_in_background(backup)

    @work(thread=True, group="backup")
    def _backup_in_background(self, backup: Callable[[], Path]) -> None:
        try:
            path = backup()
        except Exception as error:  # noqa: BLE001 - the Z is done; a failed backup is a warning, not a crash
            self.call_from_thread(self.notify, f"The automatic backup failed: {error}. Ask a manager to run "
                                  "`till backup`.", title="Backup", severity="warning", timeout=12)
            return
        self.call_from_thread(self.notify, f"Backed up to {path.name}.", timeout=4)

    # Printing: never blocks the till, never loses a receipt ------------------------------------

    def print_sale(self, sale: Sale, *, copy: bool = False) -> None:
        receipt = self.shop.receipt(sale, copy=copy)
        name = f"{sale.till_id}-{sale.sale_number}{'-copy' if copy else ''}"
        self._send(sale.id, receipt, name, copy, just_sold=not copy)

    def print_owed(self, sale_numbers: list[int]) -> None:
        """Print receipts a printer refused earlier, in the background, oldest first."""
        shop = self.shop
        try:
            jobs = shop.receipt_queue.jobs(sale_numbers)  # built here: the worker has no database
            printer = shop.printer()
        except USER_ERRORS as error:
            self.notify(f"{sentence(error)}.", title="Not printed", severity="warning")
            return
        # One chosen receipt on the preview printer is shown, as a reprint is.
        self._print_owed_in_background(shop, printer, jobs, len(jobs) == 1)

    @work(thread=True, group="printing")
    def _print_owed_in_background(self, shop: Shop, printer, jobs, show: bool) -> None:
        from pos.receipt_queue import attempt

        printed = 0
        for job, result, error in attempt(jobs, printer):
            if error is not None:  # the rest stay owed; the warning names the one refused
                self.post_message(ReceiptFailed(job.owed.sale_id, error, shop))
                return
            printed += 1
            self.post_message(ReceiptPrinted(job.owed.sale_id, result.text, show, shop))
        if printed > 1:
            self.call_from_thread(self.notify, f"Printed {printed} receipts that had been waiting.", timeout=5)

    def print_other(self, receipt, name: str, *, peek: bool = False) -> None:
        """A slip that is not a sale's receipt (a member card, a statement): nothing waits in the queue.
        With `peek`, the preview printer's slip shows in place of the empty basket, as a sale's does."""
        if self.shop.practising:
            from pos.receipts import training_receipt

            receipt = training_receipt(receipt)
        self._send(None, receipt, name, False, just_sold=peek)

    def _send(self, sale_id: int | None, receipt, name: str, show: bool, *, just_sold: bool = False) -> None:
        self._print_in_background(self.shop, sale_id, receipt, name, show, just_sold)

    @work(thread=True, group="printing")
    def _print_in_background(self, shop: Shop, sale_id: int | None, receipt, name: str, show: bool,
                             just_sold: bool = False) -> None:
        try:
            result = shop.send_receipt(receipt, name)
        except TillError as error:  # the printer could not print it, and says why
            self.post_message(ReceiptFailed(sale_id, str(error), shop))
            return
        except Exception as error:  # noqa: BLE001 - a printer fault must never reach the volunteer as a crash
            self.post_message(ReceiptFailed(sale_id, f"the printer failed ({type(error).__name__})", shop))
            return
        self.post_message(ReceiptPrinted(sale_id, result.text, show, shop, just_sold))

    def _still_open(self, shop) -> Shop | None:
        """The shop a receipt belongs to, if it is still open: the real one, even during training,
        or the training copy while training lasts."""
        return shop if shop is self.shop or (shop is not None and shop is self.real_shop) else None

    def on_receipt_printed(self, message: ReceiptPrinted) -> None:
        shop = self._still_open(message.shop)
        if message.sale_id is not None and shop is not None:
            shop.till.receipt_printed(message.sale_id)
        if message.preview is not None:
            self.last_preview = message.preview
            if message.show:
                from pos.tui.modals.text_view import TextModal

                self.push_screen(TextModal("Receipt (preview printer)", message.preview))
            elif message.just_sold and message.shop is self.shop:
                # The preview printer's promise: the receipt on screen, without a window to close.
                from pos.tui.screens.selling import SellingScreen

                for screen in self.screen_stack:
                    if isinstance(screen, SellingScreen):
                        screen.show_receipt(message.preview)

    def on_receipt_failed(self, message: ReceiptFailed) -> None:
        shop = self._still_open(message.shop)
        if message.sale_id is None or shop is None:
            self.notify(f"{message.reason}.", title="Not printed", severity="warning", timeout=8)
            return
        shop.till.receipt_failed(message.sale_id, message.reason)
        self.notify(f"{message.reason}. The sale is saved; its receipt waits to be printed (Ctrl+W).",
                    title="Receipt not printed", severity="warning", timeout=8)

    @work(thread=True, group="printing")
    def open_drawer(self) -> None:
        from printers.render import drawer_kick
        from printers.send import send
        from printers.spec import parse_spec

        spec = parse_spec(self.shop.settings.printer.spec)
        if spec.kind == "preview" or self.shop.practising:  # no real money moves in training
            return
        try:
            send(spec, drawer_kick(), timeout=self.shop.settings.printer.timeout_seconds)
        except Exception as error:  # noqa: BLE001
            self.call_from_thread(self.notify, f"The drawer did not open: {error}", severity="warning")


def make_app(shop: Shop) -> TillApp:
    return TillApp(shop)
