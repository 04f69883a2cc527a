"""The coloured title banner across the top of page 1: vector text, or a raster image with no text layer."""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.colors import Color

from .canvas import FONT_DIR, WHITE, Pen

#: Raster banners are drawn at this many pixels per point (the samples' banners are 1785 px for 595 pt).
RASTER_SCALE = 3

BannerItem = tuple[float, float, str, float, bool]  # x, baseline, text, size, bold


def draw_banner(
    pen: Pen,
    accent: Color,
    height: float,
    items: Sequence[BannerItem],
    *,
    box: tuple[float, float, float, float],
    image: bool,
) -> None:
    """Draw the banner; as an image its words are pixels only, as in issues whose banner is a picture."""
    if image:
        png = _banner_png(round(pen.page_w, 2), height, accent.hexval(), tuple(items), box)
        pen.image(png, 0, 0, pen.page_w, height)
        return
    pen.rect(0, 0, pen.page_w, height, fill=accent)
    x, top, w, h = box
    pen.rect(x, top, w, h, stroke=WHITE, lw=1.5)
    for x, bl, text, size, bold in items:
        pen.text(x, bl, text, size, bold=bold, color=WHITE)


@lru_cache(maxsize=16)
def _banner_png(
    width: float, height: float, accent: str, items: tuple[BannerItem, ...], box: tuple[float, float, float, float]
) -> bytes:
    scale = RASTER_SCALE
    colour = "#" + accent[2:] if accent.startswith("0x") else accent
    img = Image.new("RGB", (int(width * scale), int(height * scale)), colour)
    draw = ImageDraw.Draw(img)
    x, top, w, h = box
    draw.rectangle(
        [x * scale, top * scale, (x + w) * scale, (top + h) * scale], outline="white", width=int(1.5 * scale)
    )
    for x, bl, text, size, bold in items:
        font = _font(bold, round(size * scale))
        draw.text((x * scale, bl * scale), text, font=font, fill="white", anchor="ls")
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=False)
    return out.getvalue()


@lru_cache(maxsize=32)
def _font(bold: bool, pixels: int) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), pixels)
