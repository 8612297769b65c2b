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
