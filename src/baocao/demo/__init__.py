"""The demo: Bạch Thông's real units, the seed's real report for Cẩm Giàng, invented reports for the others.

Import after Django is set up (``baocao.django_setup.setup()``); ``load_demo`` is the one entry point.
"""

from __future__ import annotations

from baocao.demo.loader import AccountRow, DemoSummary, load_demo

__all__ = ["AccountRow", "DemoSummary", "load_demo"]
