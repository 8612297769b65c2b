"""The web tests' world (a province, a district, Cẩm Giàng and Quân Hà, the personas), without its figures."""

from __future__ import annotations

import pytest

from tests.web.conftest import World, make_world


@pytest.fixture
def world(db: None) -> World:
    return make_world(values=False)
