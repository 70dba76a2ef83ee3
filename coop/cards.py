"""Member cards: a QR code holding an unguessable token, with the membership number in text."""

from __future__ import annotations

from pathlib import Path

from coop.register import Member


def card_png(member: Member, path: Path, *, society: str = "") -> Path:
    """Save the member's card as a PNG: the QR code with the number and name under it."""
    import qrcode
    from PIL import Image, ImageDraw

    code = qrcode.QRCode(border=2, box_size=8, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(member.card_code)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white").convert("RGB")
    lines = [member.number, member.name[:40]] + ([society[:40]] if society else [])
    card = Image.new("RGB", (image.width, image.height + 16 * len(lines) + 8), "white")
    card.paste(image, (0, 0))
    draw = ImageDraw.Draw(card)
    for index, text in enumerate(lines):
        draw.text((10, image.height + 4 + 16 * index), text, fill="black")
    path.parent.mkdir(parents=True, exist_ok=True)
    card.save(path, format="PNG")
    return path
