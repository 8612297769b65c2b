"""schemathesis against the API's own OpenAPI document, through the WSGI application: for every operation,
as two personas and without a valid token, bounded generated requests; no 5xx, every status documented,
every body as its schema.

Each operation is its own test, ``test_api_conforms_to_its_schema[<operation>]`` (tests/api/conftest.py gives
them their ids)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from baocao.api.tokens import token_create
from baocao.config.wsgi import application
from tests.web.conftest import World, world_per_module

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Real codes for most generated requests, so that they reach the report and the rollups, not only 404s.
KNOWN = {"round_code": "cchc-2024-q1", "unit_code": "02008"}
# Most generated requests for reports are in the district's name, to its communes, on a published form, for
# a kind that exists: they get past the lookups into ``round_create``'s own checks (dates, topic, strings).
ASKING = {
    "requested_by": "063",
    "definition": "cchc-xa-quy",
    "definition_version": 1,
    "respondents": ["02008"],
}
KINDS = ["quarter", "half_year", "nine_months", "year", "thematic", "ad_hoc"]


# One world for the module's fourteen tests (made once: ≈ 0.1 s each); each test gets a fresh copy whose
# changes its savepoint undoes, so every operation still starts from the same data.
module_world, world = world_per_module()

# Read from the running application, as a client would (the schema view needs no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@pytest.fixture(autouse=True)
def _keep_test_connection() -> Iterator[None]:
    """The WSGI handler would close the test's connection (and its transaction) after each request; Django's
    test client does the same as this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(world: World) -> list[str]:
    """The clerk writes and sees the report, the district reviewer sees the rollups; no token at all: 401.
    One token each for all of an operation's requests (a new one for each cost a third of them)."""
    users = (world.clerk, world.district_reviewer)
    return [*(token_create(username=user.username).secret for user in users), "bc_none"]


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_conforms_to_its_schema(case: Any, tokens: list[str]) -> None:
    for name, value in KNOWN.items():
        generated = case.path_parameters.get(name) if case.path_parameters else None
        if generated is not None and len(str(generated)) % 4 != 0:
            case.path_parameters[name] = value
    body = case.body
    if case.method == "POST" and case.path.endswith("/rounds/") and isinstance(body, dict):
        drawn = len(repr(body))
        if drawn % 4 != 0:
            body |= ASKING | {"period_type": KINDS[drawn % len(KINDS)]}
    for token in tokens:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
