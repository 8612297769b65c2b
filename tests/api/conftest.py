"""The personas of tests/web, each with an API token made by the same function as ``baocao token create``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from baocao.accounts.models import User
from baocao.api.tokens import token_create
from tests.web.conftest import World, make_world

API = "/api/v1"


@dataclass
class Api:
    """A machine client holding one token."""

    secret: str
    client: Client

    def get(self, path: str, **query: Any) -> Any:
        return self.client.get(API + path, query, HTTP_AUTHORIZATION=f"Bearer {self.secret}")

    def put(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.put(
            API + path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {self.secret}"
        )

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.post(
            API + path,
            body or {},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.secret}",
        )


def api_for(user: User) -> Api:
    return Api(token_create(username=user.username, name="thử").secret, Client(enforce_csrf_checks=True))


@pytest.fixture
def world(db: None) -> World:
    return make_world()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """schemathesis 4.32 names each operation's test ``test_…[GET /api/v1/…]`` but gives them all the
    function's node id under pytest 9.2 (which builds the id from ``originalname``); pytest-xdist, which sends
    tests to its workers by node id, then ran one operation of fourteen. Each gets the id of its name."""
    for item in items:
        label = getattr(item, "operation_label", None)
        if label is not None and item.nodeid == str(item.parent.nodeid) + "::" + item.originalname:
            item._id = item.parent.id.child(item.originalname).with_params(label)  # type: ignore[attr-defined]
