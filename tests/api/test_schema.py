"""schemathesis against the API's own OpenAPI document, through the WSGI application: for every operation,
as two personas and without a valid token, bounded generated requests; no 5xx, every status documented,
every body as its schema.

Each operation is its own test, ``test_api_conforms_to_its_schema[<operation>]``, named at collection from
the document django-ninja serves (``api.get_openapi_schema``, ≈ 0.05 s); ``test_every_operation_is_tested``
checks that list against the operations schemathesis reads from the served document. Everything of
schemathesis (loading the document, building an operation's strategies and its coverage phase's explicit
examples, the calls) happens in the test that runs. Its pytest plugin built all fourteen operations' tests at
collection (≈ 1.5 s of CPU), which every pytest-xdist worker paid although only one runs this file; the plugin
is off (``-p no:schemathesis`` in pyproject.toml) and each test builds its operation's with the builder the
plugin calls, so the phases, settings and checks are the plugin's."""

from __future__ import annotations

import logging
import unittest
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from baocao.api.api import api
from baocao.api.tokens import token_create
from baocao.config.wsgi import application
from tests.web.conftest import World, world_per_module

if TYPE_CHECKING:
    from schemathesis.schemas import BaseSchema

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

# The operations as schemathesis labels them, in the document's order.
OPERATIONS = [
    f"{method.upper()} {path}"
    for path, methods in api.get_openapi_schema()["paths"].items()
    for method in methods
]


# One world for the module's fourteen tests (made once: ≈ 0.1 s each); each test gets a fresh copy whose
# changes its savepoint undoes, so every operation still starts from the same data.
module_world, world = world_per_module()


@contextmanager
def connection_kept() -> Iterator[None]:
    """The WSGI handler would close the test's connection (and its transaction) after each request; Django's
    test client does the same as this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def schema() -> BaseSchema:
    """Read from the running application, as a client would (the schema view needs no database)."""
    import schemathesis

    with connection_kept():
        return schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@pytest.fixture(autouse=True)
def _keep_test_connection() -> Iterator[None]:
    with connection_kept():
        yield


@pytest.fixture(autouse=True)
def _client_errors_unlogged() -> Iterator[None]:
    """Most generated requests are refused (401, 404, 405, 422), and Django logs each as a warning that
    nothing here reads (≈ 7 % of this file's CPU); server errors are still logged."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture
def tokens(world: World) -> list[str]:
    """The clerk writes and sees the report, the district reviewer sees the rollups; no token at all: 401.
    One token each for all of an operation's requests (a new one for each cost a third of them)."""
    users = (world.clerk, world.district_reviewer)
    return [*(token_create(username=user.username).secret for user in users), "bc_none"]


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
def conforms(case: Any, tokens: list[str]) -> None:
    """One generated request, sent with each token and checked: the body of each operation's test."""
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
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
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=checks)


def test_every_operation_is_tested(schema: BaseSchema) -> None:
    from schemathesis.core.result import Ok

    results = list(schema.get_all_operations())
    assert all(isinstance(result, Ok) for result in results), results
    assert [result.ok().label for result in results] == OPERATIONS


@pytest.mark.parametrize("label", OPERATIONS)
def test_api_conforms_to_its_schema(label: str, schema: BaseSchema, tokens: list[str]) -> None:
    """The operation's test as schemathesis's pytest plugin builds it (its phases and settings: the examples,
    the coverage phase's explicit examples, the fuzzing), run with this test's tokens."""
    from schemathesis.checks import load_all_checks
    from schemathesis.generation.feedback import FeedbackSources
    from schemathesis.pytest._test_builder import build_operation_test
    from schemathesis.python._constants.orchestrator import make_constants_value_source

    load_all_checks()
    method, path = label.split(" ", 1)
    test = build_operation_test(
        config=schema.config,
        operation=schema[path][method],
        test_func=conforms,
        given_kwargs={},
        feedback=FeedbackSources(constants_value_source=make_constants_value_source(schema)),
    )
    run_as_the_plugin(test, tokens=tokens)


def run_as_the_plugin(test: Callable[..., None], **fixtures: Any) -> None:
    """Run a built operation test and conclude as schemathesis's pytest plugin does (its
    ``pytest_pyfunc_call``): failures in its report's form; a schema defect that the build marked (examples
    that cannot be generated or sent, example headers that are not valid, path parameters the document leaves
    undefined) fails the test instead of skipping it; payloads it could not send are a warning."""
    from schemathesis.core.control import SkipTest
    from schemathesis.core.errors import InvalidHeadersExample
    from schemathesis.core.failures import FailureGroup, as_reported_failure
    from schemathesis.generation.hypothesis import builder
    from schemathesis.pytest.warnings import emit_unserializable_payload_warning

    try:
        test(**fixtures)
    except FailureGroup as failures:
        raise as_reported_failure(failures) from None
    except (SkipTest, unittest.SkipTest) as skipped:
        marks = (
            builder.UnsatisfiableExampleMark,
            builder.NonSerializableMark,
            builder.InvalidRegexMark,
            builder.InvalidHeadersExampleMark,
        )
        for mark in marks:
            if mark.is_set(test):
                pytest.fail(f"{mark.attr_name}: {mark.get(test)!r}")
        pytest.skip(str(skipped))
    unserializable = builder.UnserializablePayloadMark.get(test)
    if unserializable:
        emit_unserializable_payload_warning(unserializable)
    headers = builder.InvalidHeadersExampleMark.get(test)
    if headers is not None:
        raise InvalidHeadersExample.from_headers(headers)
    missing = builder.MissingPathParameters.get(test)
    if missing:
        raise missing
