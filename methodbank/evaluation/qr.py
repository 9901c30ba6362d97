"""QR codes for the anonymous event links, drawn server-side as SVG (segno, pure Python)."""

import io

import segno


def qr_svg(data: str, *, scale: int = 5, standalone: bool = False) -> str:
    """An SVG of the QR code; inline (for HTML) or a standalone file with its XML declaration."""
    qr = segno.make(data, error="m")
    if standalone:
        buffer = io.BytesIO()
        qr.save(buffer, kind="svg", scale=scale, dark="#000", light="#fff", title=data, border=4)
        return buffer.getvalue().decode()
    return qr.svg_inline(scale=scale, dark="#000", light="#fff", title=data, border=4, svgclass="qr-code")
