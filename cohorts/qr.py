"""QR codes for self check-in: a pure function from text (the check-in address) to SVG markup.
No database, no request: the page that shows the code in the room embeds the result inline."""

import qrcode
import qrcode.image.svg


def qr_svg(text: str, *, box_size: int = 10, border: int = 2) -> str:
    """The SVG (one vector path, scalable to a projector) of a QR code for `text`. Medium error
    correction survives a phone camera at an angle across a room."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=border
    )
    code.add_data(text)
    code.make(fit=True)
    image = code.make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")
