"""Receipt layout at 32, 42 and 48 columns, and the plain-text preview built from it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from printers.charset import printable
from printers.layout import Line, layout
from printers.receipt import Receipt, ReceiptItem, ReceiptLine
from printers.render import to_escpos, to_text

WIDTHS = [32, 42, 48]


def sale() -> Receipt:
    return Receipt(
        header=["Estate Community Café", "1 Green Walk", "VAT no. 123 4567 89"],
        meta=[ReceiptLine(text="Sale", amount="till-1 #123"), ReceiptLine(text="Served by", amount="Jo")],
        items=[ReceiptItem(name="Tea", amount="£2.40", details=["2 x £1.20"])],
        totals=[ReceiptLine(text="TOTAL", amount="£2.40", bold=True)],
        tenders=[ReceiptLine(text="Cash", amount="£10.00"), ReceiptLine(text="Change", amount="£7.60")],
        footer=["Thank you"],
    )


# --- columns and alignment -------------------------------------------------------------

@pytest.mark.parametrize("width", WIDTHS)
def test_amounts_end_at_the_last_column(width):
    lines = layout(sale(), width)
    cash = next(line.text for line in lines if line.text.startswith("Cash"))
    assert len(cash) == width
    assert cash.endswith(" £10.00")


@pytest.mark.parametrize("width", WIDTHS)
def test_separators_fill_the_width(width):
    separators = [line for line in layout(sale(), width) if set(line.text) == {"-"}]
    assert separators and all(len(line.text) == width for line in separators)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_line_fits(width):
    assert all(len(line.text) <= width for line in layout(sale(), width))


def test_preview_at_32_columns():
    assert to_text(sale(), 32) == (
        "     Estate Community Café\n"
        "          1 Green Walk\n"
        "      VAT no. 123 4567 89\n"
        "--------------------------------\n"
        "Sale                 till-1 #123\n"
        "Served by                     Jo\n"
        "--------------------------------\n"
        "Tea                        £2.40\n"
        "  2 x £1.20\n"
        "--------------------------------\n"
        "TOTAL                      £2.40\n"
        "--------------------------------\n"
        "Cash                      £10.00\n"
        "Change                     £7.60\n"
        "--------------------------------\n"
        "           Thank you\n"
    )


def test_preview_at_48_columns_centres_in_the_wider_paper():
    text = to_text(Receipt(footer=["Thank you"]), 48)
    assert text == " " * 19 + "Thank you\n"


def test_empty_receipt_has_no_lines():
    assert layout(Receipt(), 32) == []
    assert to_text(Receipt(), 32) == ""


@pytest.mark.parametrize("width", [0, 15, 81])
def test_width_outside_what_printers_offer_is_refused(width):
    with pytest.raises(ValueError):
        layout(sale(), width)


# --- wrapping and truncation -----------------------------------------------------------

def test_long_item_name_wraps_in_its_column_with_the_amount_on_the_first_line():
    item = ReceiptItem(name="Gluten-free chocolate brownie with cream", amount="£12.40")
    assert [line.text for line in layout(Receipt(items=[item]), 32)] == [
        "Gluten-free chocolate     £12.40",
        "brownie with cream",
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_long_item_name_keeps_every_word(width):
    name = "Large oat milk flat white with an extra shot and caramel syrup"
    lines = layout(Receipt(items=[ReceiptItem(name=name, amount="£4.10")]), width)
    assert " ".join(line.text.replace("£4.10", "").strip() for line in lines) == name


def test_item_details_are_indented_and_wrap():
    item = ReceiptItem(name="Tea", amount="£2.40", details=["Discount (volunteer lunch allowance) -£0.24"])
    assert [line.text for line in layout(Receipt(items=[item]), 32)] == [
        "Tea                        £2.40",
        "  Discount (volunteer lunch",
        "  allowance) -£0.24",
    ]


def test_too_long_label_is_cut_and_the_amount_kept_whole():
    row = ReceiptLine(text="Healthy Start card (fruit and vegetables)", amount="£4.25")
    assert [line.text for line in layout(Receipt(tenders=[row]), 32)] == ["Healthy Start card (fruit  £4.25"]


def test_label_is_cut_on_the_label_side_of_a_long_amount():
    row = ReceiptLine(text="Served by", amount="Morgan Test-Volunteer-Smith")
    assert [line.text for line in layout(Receipt(meta=[row]), 32)] == ["Serv Morgan Test-Volunteer-Smith"]


def test_amount_wider_than_the_paper_goes_below_the_label_unbroken():
    amount = "£" + "9" * 40
    lines = layout(Receipt(totals=[ReceiptLine(text="TOTAL", amount=amount)]), 32)
    assert lines[0].text == "TOTAL"
    assert "".join(line.text.strip() for line in lines[1:]) == amount


def test_label_without_amount_wraps():
    row = ReceiptLine(text="No VAT (collected for others) on electricity top-ups £20.00")
    assert [line.text for line in layout(Receipt(vat=[row]), 32)][1:] == [
        "No VAT (collected for others) on",
        "electricity top-ups £20.00",
    ]


def test_footer_wraps_and_centres():
    lines = layout(Receipt(footer=["Thank you for supporting your community café"]), 32)
    assert lines == [
        Line("Thank you for supporting your", "center"),
        Line("community café", "center"),
    ]


def test_blank_header_line_stays_as_a_gap():
    lines = layout(Receipt(header=["Shop", "", "Open 9 till 3"]), 32)
    assert [line.text for line in lines] == ["Shop", "", "Open 9 till 3"]


# --- sections and styles ---------------------------------------------------------------

def test_shop_name_is_large_bold_and_centred_and_address_plain():
    name, address = layout(Receipt(header=["Shop", "1 Green Walk"]), 32)
    assert name == Line("Shop", "center", bold=True, double=True)
    assert address == Line("1 Green Walk", "center")


def test_title_is_bold_and_centred_between_separators():
    lines = layout(Receipt(header=["Shop"], title="REFUND", meta=[ReceiptLine(text="Sale", amount="#1")]), 32)
    assert lines[1:4] == [Line("-" * 32), Line("REFUND", "center", bold=True), Line("-" * 32)]


def test_bold_total_stays_bold():
    (line,) = layout(Receipt(totals=[ReceiptLine(text="TOTAL", amount="£2.40", bold=True)]), 32)
    assert line.bold and not line.double


def test_vat_heading_only_when_there_are_vat_rows():
    assert layout(Receipt(vat=[]), 32) == []
    lines = layout(Receipt(vat=[ReceiptLine(text="20% on £2.40", amount="£0.40")]), 32)
    assert lines[0] == Line("VAT", bold=True)


def test_sections_in_order_with_one_separator_between_each():
    receipt = Receipt(
        header=["H"], title="T", meta=[ReceiptLine(text="M")], items=[ReceiptItem(name="I", amount="1")],
        totals=[ReceiptLine(text="S")], vat=[ReceiptLine(text="V")], tenders=[ReceiptLine(text="C")],
        notes=["N"], footer=["F"],
    )
    texts = [line.text.strip() for line in layout(receipt, 32)]
    words = ["H", "T", "M", "I" + " " * 30 + "1", "S", "VAT", "V", "C", "N", "F"]
    assert [text for text in texts if set(text) != {"-"}] == words
    assert texts.count("-" * 32) == 8


def test_qr_and_barcode_come_last_and_show_in_the_preview():
    text = to_text(Receipt(footer=["Thanks"], qr="https://example.org", barcode="till-1/123"), 42)
    assert text.splitlines()[-2:] == [
        "        [QR: https://example.org]",
        "          [Barcode: till-1/123]",
    ]


def test_barcode_too_long_for_58mm_paper_is_printed_as_text():
    (line,) = layout(Receipt(barcode="community-cafe-till-2/123456"), 32)
    assert line == Line("community-cafe-till-2/123456", "center")


def test_open_drawer_does_not_show_in_the_preview():
    assert to_text(sale().model_copy(update={"open_drawer": True}), 32) == to_text(sale(), 32)


# --- characters -------------------------------------------------------------------------

def test_pound_sign_and_accents_are_kept():
    assert printable("£1.20 Café Łódź Señor Müller") == "£1.20 Café Łódź Señor Müller"


def test_characters_no_code_page_has_become_question_marks():
    assert printable("Олена 李 🍵") == "????? ? ?"


def test_typographic_marks_get_plain_stand_ins():
    assert printable("O’Brien – “Tea”…") == "O'Brien - \"Tea\"..."


def test_letters_missing_from_the_code_pages_lose_only_their_accent():
    assert printable("Ștefan Doğan") == "Stefan Dogan"


def test_decomposed_accents_are_composed_so_widths_are_right():
    assert printable("Cafe\u0301") == "Café"


def test_control_characters_cannot_reach_the_printer():
    assert printable("Tea\x1b@\tcake\n") == "Tea?@ cake "


def test_preview_shows_what_the_paper_will_show():
    receipt = Receipt(items=[ReceiptItem(name="Борщ soup 🍲", amount="£3.00")])
    assert to_text(receipt, 32) == "???? soup ?                £3.00\n"


# --- properties -------------------------------------------------------------------------

texts = st.text(max_size=60)
rows = st.builds(ReceiptLine, text=texts, amount=st.text(max_size=14), bold=st.booleans())
receipts = st.builds(
    Receipt,
    header=st.lists(texts, max_size=3),
    title=st.none() | texts,
    meta=st.lists(rows, max_size=3),
    items=st.lists(st.builds(ReceiptItem, name=texts, amount=st.text(max_size=14),
                             details=st.lists(texts, max_size=2)), max_size=4),
    totals=st.lists(rows, max_size=3),
    vat=st.lists(rows, max_size=2),
    tenders=st.lists(rows, max_size=2),
    notes=st.lists(texts, max_size=2),
    footer=st.lists(texts, max_size=2),
    qr=st.none() | texts,
    barcode=st.none() | texts,
    open_drawer=st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(receipt=receipts, width=st.sampled_from(WIDTHS))
def test_any_receipt_fits_and_keeps_every_amount_whole(receipt, width):
    lines = layout(receipt, width)
    assert all(len(line.text) <= width for line in lines if not (line.qr or line.barcode))
    joined = "\n".join(line.text for line in lines)
    for row in [*receipt.meta, *receipt.totals, *receipt.vat, *receipt.tenders, *receipt.items]:
        amount = printable(row.amount).strip()
        if len(amount) < width:
            assert amount in joined


@settings(max_examples=60, deadline=None)
@given(receipt=receipts, width=st.sampled_from(WIDTHS))
def test_any_receipt_renders_for_paper(receipt, width):
    data = to_escpos(receipt, width)
    assert data.startswith(b"\x1b@\x1bt\x13")
    assert data.endswith(b"\x1bd\x06\x1dV\x00")
