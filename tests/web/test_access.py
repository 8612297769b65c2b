"""Every URL for every persona: who sees what, who may do what, and what must not happen."""

from __future__ import annotations

import pytest

from baocao.access import Action, Target, can, visible_reports
from baocao.accounts.models import User
from tests.web.conftest import World

R = "/reports/cchc-2024-q1/02008/"
GETS = [R, R + "history/", R + "tai-ve/docx/", R + "tai-ve/xlsx/", R + "state/", R + "ban-in/"]
POSTS = {
    R + "value/": {"code": "1.1", "raw": "1", "previous": "0"},
    R + "note/": {"code": "1.1", "note": "ghi chú"},
    R + "narrative/": {"section": "I.2", "text": "Văn bản"},
    R + "header/": {"number": "15"},
    R + "explain/": {"rule": "ratio.blank", "text": "Đã kiểm tra"},
    R + "action/mark_ready/": {},
    R + "action/send/": {},
    R + "action/return/": {"reason": "Sai số liệu"},
    R + "action/accept/": {},
    R + "action/reopen/": {"reason": "Sửa lại"},
    R + "nhap-excel/": {},  # no file: an author is told so (422); nobody else gets that far
    R + "copy-previous/": {},  # no previous report: an author is told so; nobody else gets that far
    R + "confirm-copied/": {},
}
# Expected status codes on Cẩm Giàng's draft report. 404: may not even know it exists; 403: may see, not act.
EDITING = {R + p: 200 for p in ("value/", "note/", "narrative/")} | {
    R + "header/": 302,
    R + "explain/": 302,
    R + "nhap-excel/": 422,
    R + "copy-previous/": 302,
    R + "confirm-copied/": 302,
}
EXPECTED: dict[str, dict[str, int]] = {
    "clerk": {
        **EDITING,
        R + "action/mark_ready/": 302,
        R + "action/send/": 403,
        R + "action/return/": 403,
        R + "action/accept/": 403,
        R + "action/reopen/": 403,
    },
    "leader": {
        **EDITING,
        R + "action/mark_ready/": 302,
        R + "action/send/": 302,
        R + "action/return/": 403,
        R + "action/accept/": 403,
        R + "action/reopen/": 403,
    },
    "district_reviewer": {
        R + "value/": 403,
        R + "note/": 403,
        R + "narrative/": 403,
        R + "header/": 403,
        R + "explain/": 403,
        R + "action/mark_ready/": 403,
        R + "action/send/": 403,
        R + "action/return/": 403,
        R + "action/accept/": 403,
        R + "action/reopen/": 403,
        R + "nhap-excel/": 403,
        R + "copy-previous/": 403,
        R + "confirm-copied/": 403,
    },
}
EXPECTED["province_reviewer"] = EXPECTED["district_reviewer"]


def persona(world: World, name: str) -> User:
    return getattr(world, name)


@pytest.mark.parametrize("name", ["clerk", "leader", "district_reviewer", "province_reviewer"])
def test_people_concerned_see_the_report_and_may_do_only_their_part(world: World, name: str) -> None:
    client = world.client(persona(world, name))
    for url in GETS:
        assert client.get(url).status_code == 200, url
    for url, data in POSTS.items():
        assert client.post(url, data).status_code == EXPECTED[name][url], (name, url)


@pytest.mark.parametrize("name", ["other_clerk", "stranger_reviewer"])
def test_people_of_other_units_see_nothing(world: World, name: str) -> None:
    client = world.client(persona(world, name))
    before = world.report.raw_values()
    for url in GETS:
        assert client.get(url).status_code == 404, url
    for url, data in POSTS.items():
        assert client.post(url, data).status_code == 404, url
    assert client.get("/rounds/cchc-2024-q1/").status_code == 404
    assert world.report.raw_values() == before
    assert not visible_reports(persona(world, name)).filter(pk=world.report.pk).exists()
    inbox = client.get("/").content.decode()
    assert "Cẩm Giàng" not in inbox


def test_anonymous_is_sent_to_sign_in(world: World) -> None:
    client = world.client(None)
    for url in [*GETS, "/", "/rounds/cchc-2024-q1/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/"), url
    for url, data in POSTS.items():
        assert client.post(url, data).status_code == 302, url
    assert world.report.raw_values()["1.1"] == "0"


def test_round_page_is_for_reviewers_above_the_asking_unit(world: World) -> None:
    assert world.client(world.district_reviewer).get("/rounds/cchc-2024-q1/").status_code == 200
    assert world.client(world.province_reviewer).get("/rounds/cchc-2024-q1/").status_code == 200
    for name in ("clerk", "leader", "other_clerk", "stranger_reviewer"):
        assert world.client(persona(world, name)).get("/rounds/cchc-2024-q1/").status_code == 404, name


def test_unknown_round_or_unit_is_404(world: World) -> None:
    client = world.client(world.district_reviewer)
    assert client.get("/reports/khong-co/02008/").status_code == 404
    assert client.get("/reports/cchc-2024-q1/99999/").status_code == 404


def test_a_reviewer_may_not_author_their_own_subtree(world: World) -> None:
    target = Target.of(world.report)
    assert can(world.district_reviewer, Action.VIEW, target)
    assert not can(world.district_reviewer, Action.EDIT, target)
    assert not can(world.other_clerk, Action.VIEW, target)


def test_healthz(client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
