"""How the signatures look on the page (Nghị định 30/2020/NĐ-CP, Phụ lục I, thể thức văn bản điện tử).

- The competent person's signature: the image of their handwritten signature, blue, transparent PNG.
- The agency's signature: the image of its seal, red, at its real size (``layout.SEAL_MM``), transparent PNG,
  over the left third of the person's signature; the agency's name and the signing time (ISO 8601, Vietnam
  time, +07:00) in Times New Roman 10, upright, black.
- The agency's signature on an appendix in the same file: no image; the document's number and symbol, the
  signing time and the agency, Times New Roman 10.

Times New Roman itself is used when installed; otherwise Liberation Serif, which has its metrics
(``BAOCAO_SIGNING_FONT`` names another file). Pure Python (pyHanko's stamps, Pillow for the demo images).
"""

from __future__ import annotations

import io
import math
import os
import shutil
import subprocess
import tempfile
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import TextStampStyle

from baocao.signing.layout import MM, SEAL_MM

__all__ = [
    "VIETNAM",
    "appendix_style",
    "demo_seal_png",
    "demo_signature_png",
    "font_file",
    "iso_vietnam",
    "seal_style",
    "signature_style",
]

VIETNAM = timezone(timedelta(hours=7), "ICT")
# pyHanko formats the signing time with this, then VietnamTimeStyle rewrites it as ISO 8601 in +07:00.
_RAW_TIME = "%Y-%m-%dT%H:%M:%S%z"
BLUE = (0, 51, 170, 255)
RED = (218, 30, 40, 255)
FONT_CANDIDATES = (
    "Times New Roman",
    "/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
)
MSG_NO_FONT = "Không tìm thấy phông Times New Roman hoặc Liberation Serif (gói fonts-liberation)."


def iso_vietnam(moment: datetime) -> str:
    """ "2024-02-28T10:15:03+07:00": ISO 8601 in Vietnam time."""
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds")


@cache
def font_file() -> str:
    configured = os.environ.get("BAOCAO_SIGNING_FONT", "")
    candidates = (configured, *FONT_CANDIDATES) if configured else FONT_CANDIDATES
    for candidate in candidates:
        if candidate.startswith("/") and Path(candidate).is_file():
            return candidate
        if not candidate.startswith("/") and shutil.which("fc-match"):
            found = subprocess.run(
                ["fc-match", candidate, "-f", "%{file}"], capture_output=True, text=True, check=False
            ).stdout.strip()
            if found and "Times" in Path(found).name.replace("_", " "):
                return found
    raise FileNotFoundError(MSG_NO_FONT)


@cache
def _pdf_font() -> str:
    """``font_file()`` with 1000 units per em. pyHanko 0.38 writes a TrueType font's glyph widths in the
    font's own units where PDF expects thousandths of an em, so a 2048-unit font (Times New Roman, Liberation)
    comes out letter-spaced; a rescaled copy (fontTools, once per process, cached on disk) avoids that."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    source = Path(font_file())
    stat = source.stat()
    target = (
        Path(tempfile.gettempdir())
        / "baocao-fonts"
        / f"{source.stem}-{stat.st_size}-{stat.st_mtime_ns}-vi.ttf"
    )
    if not target.exists():
        font = TTFont(source)
        if font["head"].unitsPerEm != 1000:
            scale_upem(font, 1000)
        _keep_vietnamese(font)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        font.save(partial)
        partial.replace(target)
    return str(target)


# Latin, Latin-1, Latin Extended-A/B, combining marks, Vietnamese (Latin Extended Additional), punctuation.
VIETNAMESE = [*range(0x20, 0x250), *range(0x300, 0x370), *range(0x1EA0, 0x1F00), *range(0x2000, 0x2070)]


def _keep_vietnamese(font: Any) -> None:
    """Cut the font down to the characters a Vietnamese signature needs: pyHanko subsets the font again for
    every signature, and a 500-glyph font without layout tables subsets far quicker than the full one."""
    from fontTools import subset

    options = subset.Options()
    # Precomposed Vietnamese letters need no shaping: without the layout tables each signature's subset is
    # quicker still (they are most of the font's parsing time).
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "FFTM"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=VIETNAMESE)
    subsetter.subset(font)


def _text_style() -> TextBoxStyle:
    return TextBoxStyle(font=GlyphAccumulatorFactory(_pdf_font(), font_size=10), font_size=10, leading=12)


class VietnamTimeStyle(TextStampStyle):
    """A text stamp whose ``%(ts)s`` is the signing time in ISO 8601, Vietnam time."""

    def create_stamp(self, writer, box, text_params):  # type: ignore[no-untyped-def]
        params = dict(text_params)
        if "ts" in params:
            params["ts"] = iso_vietnam(datetime.strptime(params["ts"], _RAW_TIME))
        return super().create_stamp(writer, box, params)


def _image(png: bytes, width: float | None = None, height: float | None = None) -> PdfImage:
    from pyhanko.pdf_utils.layout import BoxConstraints

    image: Image.Image = Image.open(io.BytesIO(png))
    image.load()
    if image.mode not in ("RGBA", "LA"):
        image = image.convert("RGBA")
    box = BoxConstraints(width, height) if width and height else None
    return PdfImage(image, box=box)


def signature_style(png: bytes) -> TextStampStyle:
    """The person's signature: the image alone, fitted into the box between title and name."""
    return TextStampStyle(
        stamp_text=" ",
        text_box_style=_text_style(),
        border_width=0,
        background=_image(png),
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),  # type: ignore[no-untyped-call]
        ),
    )


def seal_style(png: bytes) -> VietnamTimeStyle:
    """The agency's seal at its real size on the left, its name and the signing time at the bottom right.
    Text parameter: ``agency``."""
    diameter = SEAL_MM * MM
    return VietnamTimeStyle(
        stamp_text="%(agency)s\n%(ts)s",
        timestamp_format=_RAW_TIME,
        text_box_style=_text_style(),
        border_width=0,
        background=_image(png, diameter, diameter),
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),  # type: ignore[no-untyped-call]
            inner_content_scaling=layout.InnerScaling.NO_SCALING,
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MAX,
            y_align=layout.AxisAlignment.ALIGN_MIN,
            margins=layout.Margins(0, 0, 2, 0),
            inner_content_scaling=layout.InnerScaling.NO_SCALING,  # 10 pt as the decree says, never shrunk
        ),
    )


def appendix_style() -> VietnamTimeStyle:
    """The agency's signature on the appendix: no image. Text parameters: ``number``, ``agency``."""
    return VietnamTimeStyle(
        stamp_text="%(number)s\n%(ts)s\n%(agency)s",
        timestamp_format=_RAW_TIME,
        text_box_style=_text_style(),
        border_width=0,
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MAX,
            y_align=layout.AxisAlignment.ALIGN_MAX,
            margins=layout.Margins.uniform(0),  # type: ignore[no-untyped-call]
            inner_content_scaling=layout.InnerScaling.NO_SCALING,
        ),
    )


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def demo_signature_png(seed: str) -> bytes:
    """A blue handwritten-looking stroke on a transparent background, different for each ``seed``."""
    width, height = 600, 240
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    phase = sum(map(ord, seed)) % 7
    points = [
        (
            40 + t * 5.2,
            height / 2 + 55 * math.sin(t / (6 + phase)) * math.cos(t / 23) + 25 * math.sin(t / 3.1 + phase),
        )
        for t in range(100)
    ]
    draw.line(points, fill=BLUE, width=7, joint="curve")
    draw.line([(70, height - 60), (width - 60, height - 85)], fill=BLUE, width=5)
    return _png(image)


def demo_seal_png(agency_lines: tuple[str, ...], mark: str) -> bytes:
    """A red round seal: two rings, the agency's name across the middle and a star; ``mark`` says "demo"."""
    size = 600
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((6, 6, size - 6, size - 6), outline=RED, width=14)
    draw.ellipse((70, 70, size - 70, size - 70), outline=RED, width=6)
    _star(draw, size / 2, 150, 40)
    font = ImageFont.truetype(font_file(), 40)
    small = ImageFont.truetype(font_file(), 28)
    for index, line in enumerate(agency_lines):
        draw.text((size / 2, 260 + index * 52), line, fill=RED, font=font, anchor="mm")
    draw.text((size / 2, 440), mark, fill=RED, font=small, anchor="mm")
    return _png(image)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, radius: float) -> None:
    points = []
    for index in range(10):
        angle = math.pi / 2 + index * math.pi / 5
        r = radius if index % 2 == 0 else radius * 0.4
        points.append((cx + r * math.cos(angle), cy - r * math.sin(angle)))
    draw.polygon(points, fill=RED)
