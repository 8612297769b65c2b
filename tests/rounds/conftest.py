"""The web tests' world (a province, a district, Cẩm Giàng and Quân Hà, the personas), without its figures."""

from __future__ import annotations

import pytest

from baocao.accounts.models import Membership, Role, User
from baocao.units.models import OrgUnit
from tests.web.conftest import World, make_world


@pytest.fixture
def world(db: None) -> World:
    return make_world(values=False)


def make_cho_moi(world: World) -> tuple[OrgUnit, User]:
    """Another district of the same province, with its own reviewer and one commune."""
    district = OrgUnit.objects.create(
        code="064", name="Chợ Mới", kind="Huyện", level="district", parent=world.province
    )
    OrgUnit.objects.create(code="02100", name="Yên Đĩnh", kind="Xã", level="commune", parent=district)
    reviewer = User.objects.create_user(username="huyen.chomoi", password="x")
    Membership.objects.create(user=reviewer, unit=district, role=Role.REVIEWER)
    return district, reviewer


@pytest.fixture
def cho_moi(world: World) -> tuple[OrgUnit, User]:
    return make_cho_moi(world)
