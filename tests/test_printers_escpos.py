"""Exact ESC/POS bytes for receipts, one command per test, in python-escpos's own test style."""

from __future__ import annotations

from printers.receipt import Receipt, ReceiptItem, ReceiptLine
from printers.render import drawer_kick, to_escpos

RESET = b"\x1b@"  # ESC @
CP858 = b"\x1bt\x13"  # ESC t 19
CP852 = b"\x1bt\x12"  # ESC t 18
CUT = b"\x1bd\x06" + b"\x1dV\x00"  # ESC d 6 (feed past the cutter), GS V 0 (full cut)
DRAWER = b"\x1bp\x00\x32\x32"  # ESC p 0 50 50: pulse pin 2 for 100 ms on, 100 ms off
BOLD_ON, BOLD_OFF = b"\x1bE\x01", b"\x1bE\x00"
CENTRE, LEFT = b"\x1ba\x01", b"\x1ba\x00"
# python-escpos's set() sends ESC ! 0 twice before the size itself.
DOUBLE_HEIGHT = b"\x1b!\x00" * 2 + b"\x1b!\x10"
NORMAL_SIZE = b"\x1b!\x00" * 3


def body(receipt: Receipt, width: int = 32) -> bytes:
    """What comes between the reset and code page selection at the top and the cut at the bottom."""
    data = to_escpos(receipt, width)
    assert data.startswith(RESET + CP858) and data.endswith(CUT)
    return data[len(RESET + CP858):-len(CUT)]


def note(text: str) -> Receipt:
    return Receipt(notes=[text])


def test_starts_by_resetting_the_printer_then_selecting_cp858():
    assert to_escpos(note("Tea"), 32).startswith(b"\x1b@\x1bt\x13")


def test_ends_by_feeding_past_the_cutter_and_cutting():
    assert to_escpos(note("Tea"), 32).endswith(b"\x1bd\x06\x1dV\x00")


def test_empty_receipt_is_reset_code_page_and_cut():
    assert to_escpos(Receipt(), 32) == RESET + CP858 + CUT


def test_plain_line_is_its_text_and_a_line_feed():
    assert body(note("Tea")) == b"Tea\n"


def test_pound_sign_is_9c_in_cp858():
    assert body(note("£1.20")) == b"\x9c1.20\n"


def test_western_accents_print_from_cp858():
    assert body(note("Café Señor Müller Façade")) == b"Caf\x82 Se\xa4or M\x81ller Fa\x87ade\n"


def test_euro_sign_is_d5_in_cp858():
    assert body(note("€5")) == b"\xd55\n"


def test_polish_letters_switch_to_cp852():
    assert body(note("Paweł")) == b"Pawe" + CP852 + b"\x88\n"


def test_pound_after_a_polish_name_switches_back_to_cp858():
    assert body(note("Łukasz £1")) == CP852 + b"\x9dukasz " + CP858 + b"\x9c1\n"


def test_accents_both_pages_share_need_no_switch():
    assert body(note("ł é")) == CP852 + b"\x88 \x82\n"


def test_characters_no_code_page_has_print_as_question_marks():
    assert body(note("Tea 🍵 for Олена")) == b"Tea ? for ?????\n"


def test_chinese_name_prints_as_question_marks_not_gb18030():
    # Left to itself python-escpos sends any text holding a CJK character as GB18030, £ included.
    assert body(note("李 £1")) == b"? \x9c1\n"


def test_escape_characters_in_text_cannot_become_commands():
    assert body(note("Tea\x1bi")) == b"Tea?i\n"


def test_drawer_kick_comes_straight_after_the_reset():
    assert body(Receipt(open_drawer=True)) == DRAWER


def test_no_drawer_kick_unless_asked():
    assert b"\x1bp" not in to_escpos(note("Card"), 32)


def test_shop_name_is_double_height_bold_and_centred():
    assert body(Receipt(header=["Shop"])) == DOUBLE_HEIGHT + BOLD_ON + CENTRE + b"Shop\n"


def test_address_goes_back_to_normal_size_and_bold_off():
    expected = DOUBLE_HEIGHT + BOLD_ON + CENTRE + b"Shop\n" + NORMAL_SIZE + BOLD_OFF + b"1 Green Walk\n"
    assert body(Receipt(header=["Shop", "1 Green Walk"])) == expected


def test_title_is_bold_and_centred():
    assert body(Receipt(title="REFUND")) == BOLD_ON + CENTRE + b"REFUND\n"


def test_bold_total_switches_bold_on_and_off_around_it():
    receipt = Receipt(totals=[ReceiptLine(text="TOTAL", amount="£2.40", bold=True), ReceiptLine(text="Paid")])
    assert body(receipt) == BOLD_ON + b"TOTAL" + b" " * 22 + b"\x9c2.40\n" + BOLD_OFF + b"Paid\n"


def test_left_aligned_section_after_centred_one_goes_back_to_left():
    expected = CENTRE + b"REFUND\n" + LEFT + b"-" * 32 + b"\n" + b"Tea\n"
    assert body(Receipt(title="REFUND", notes=["Tea"])).replace(BOLD_ON, b"").replace(BOLD_OFF, b"") == expected


def test_item_line_at_48_columns():
    assert body(Receipt(items=[ReceiptItem(name="Tea", amount="£1.20")]), 48) == b"Tea" + b" " * 40 + b"\x9c1.20\n"


def test_qr_is_drawn_by_the_printer_centred():
    expected = (
        CENTRE
        + b"\x1d(k\x04\x001A2\x00"  # model 2
        + b"\x1d(k\x03\x001C\x06"  # 6-dot modules
        + b"\x1d(k\x03\x001E1"  # error correction M
        + b"\x1d(k\x08\x001P0hello"  # store the data
        + b"\x1d(k\x03\x001Q0"  # print it
        + b"\n"
    )
    assert body(Receipt(qr="hello")) == expected


def test_qr_carries_its_text_as_utf8():
    assert b"1P0caf\xc3\xa9 \xc2\xa3" in body(Receipt(qr="café £"))


def test_barcode_is_code128_with_the_reference_printed_below():
    expected = (
        CENTRE
        + b"\x1dh\x40"  # 64 dots high
        + b"\x1dw\x02"  # 2-dot modules, to fit 58 mm paper
        + b"\x1df\x00"  # readable text in font A
        + b"\x1dH\x02"  # ... below the bars
        + b"\x1dkI\x0c{Btill-1/123"  # CODE128, 12 bytes, code set B
        + b"\n"
    )
    assert body(Receipt(barcode="till-1/123")) == expected


def test_brace_in_a_barcode_is_doubled():
    assert b"\x1dkI\x06{Ba{{b" in body(Receipt(barcode="a{b"))


def test_drawer_kick_alone_is_just_the_pulse():
    assert drawer_kick() == DRAWER


def test_long_qr_content_gets_smaller_modules_to_stay_on_58mm_paper():
    # 300 bytes need a version 13 code, 69 modules: 5 dots each is 345 of the paper's 384.
    assert b"\x1d(k\x03\x001C\x05" in body(Receipt(qr="x" * 300))


def test_qr_content_too_long_for_any_qr_code_prints_as_text():
    data = body(Receipt(qr="x" * 3000))
    assert b"\x1d(k" not in data
    assert b"[QR: " + b"x" * 3000 + b"]\n" in data
