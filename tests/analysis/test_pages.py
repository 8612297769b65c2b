"""The reviewer's analysis pages and endpoint: who sees which rollup, and what the pages show."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from baocao.analysis.views import MSG_COMPILED
from baocao.cli.main import cli
from baocao.reports import services
from tests.web.conftest import World, make_sendable, world_per_module

module_world, world = world_per_module()


def accept(world: World) -> None:
    make_sendable(world)
    services.report_send(report=world.report, user=world.leader)
    services.report_accept(report=world.report, user=world.district_reviewer)


def rollup_url(world: World, unit: str, **extra: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in extra.items())
    return f"/phan-tich/api/rollup/{world.round.code}/?unit={unit}&{query}"


@pytest.mark.parametrize(
    ("who", "unit", "status"),
    [
        ("district_reviewer", "063", 200),
        ("district_reviewer", "02008", 200),
        ("district_reviewer", "06", 404),  # above their unit
        ("province_reviewer", "06", 200),
        ("province_reviewer", "02008", 200),
        ("stranger_reviewer", "063", 404),  # another province's reviewer
        ("stranger_reviewer", "19", 200),
        ("other_clerk", "02008", 404),  # a clerk of another commune sees nothing
        ("other_clerk", "02005", 404),  # clerks do not analyse, not even their own commune
        ("clerk", "063", 404),
        ("district_reviewer", "", 200),  # no unit: their own unit (the whole country for a superuser)
        (None, "063", 404),
    ],
)
def test_reviewers_see_only_their_subtrees_rollups(
    world: World, who: str | None, unit: str, status: int
) -> None:
    accept(world)
    client = world.client(getattr(world, who) if who else None)
    response = client.get(rollup_url(world, unit))
    assert response.status_code == status
    if status == 404:
        assert response.json()["ok"] is False  # the one JSON error shape
        assert "7.2.4.a" not in response.content.decode()
    for page in ("tong-hop", "tien-do"):
        html = client.get(f"/phan-tich/{page}/{world.round.code}/?unit={unit}")
        assert html.status_code == (status if who else 302)


def test_the_json_rollup_states_what_is_included_and_who_is_missing(world: World) -> None:
    accept(world)
    answer = world.client(world.district_reviewer).get(rollup_url(world, "063", remind="1")).json()
    assert answer["ok"] is True
    assert answer["included"] == "accepted"
    assert answer["reports_included"] == 1
    assert answer["completeness"]["expected"] == 2
    assert answer["completeness"]["to_remind"] == [{"code": "02005", "name": "Xã Quân Hà"}]
    items = {row["code"]: row for row in answer["items"]}
    assert items["7.2.4.a"]["display"] == "29"
    assert items["7.2.4"]["display"] == "24,14"
    assert items["1.4"]["display"] == "0/1 đơn vị: Có"


def test_the_rollup_page_lists_rows_and_missing_units(world: World) -> None:
    accept(world)
    page = world.client(world.district_reviewer).get(f"/phan-tich/tong-hop/{world.round.code}/?unit=063")
    text = page.content.decode()
    assert "Gồm 1/2 báo cáo" in text
    assert "Xã Quân Hà (02005)" in text
    assert "24,14" in text
    switched = world.client(world.district_reviewer).get(
        f"/phan-tich/tong-hop/{world.round.code}/?unit=063&round=cchc-2024-q1&sent=1"
    )
    assert switched.status_code == 200


def test_the_completeness_page_counts_on_time_and_units_to_remind(world: World) -> None:
    accept(world)
    page = world.client(world.district_reviewer).get(f"/phan-tich/tien-do/{world.round.code}/?unit=063")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Đơn vị cần nhắc (1)" in text
    assert "Xã Quân Hà" in text


def test_cli_rollup_json_and_text(world: World) -> None:
    accept(world)
    runner = CliRunner()
    result = runner.invoke(cli, ["rollup", "--round", world.round.code, "--unit", "063", "--format", "json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["unit"]["name"] == "Huyện Bạch Thông"
    result = runner.invoke(cli, ["rollup", "--round", world.round.code, "--unit", "063"])
    assert "Gồm 1/2 báo cáo" in result.output
    rebuilt = runner.invoke(cli, ["rollup", "--round", world.round.code, "--unit", "063", "--rebuild"])
    assert rebuilt.exit_code == 0 and "Gồm 1/2 báo cáo" in rebuilt.output
    refused = runner.invoke(
        cli, ["rollup", "--round", world.round.code, "--unit", "063", "--user", "xa.quanha"]
    )
    assert refused.exit_code != 0


def test_a_report_sent_after_the_due_date_counts_as_late(world: World) -> None:
    import time_machine

    from baocao.analysis.services import completeness

    make_sendable(world)
    with time_machine.travel("2024-02-29 09:00 +0700"):
        services.report_send(report=world.report, user=world.leader)
    done = completeness(world.round, world.district)
    assert (done.expected, done.sent, done.late, done.on_time, done.not_started) == (2, 1, 1, 0, 1)
    services.report_return(report=world.report, user=world.district_reviewer, reason="Sửa")
    done = completeness(world.round, None)
    assert (done.sent, done.returned, done.to_remind_total) == (0, 1, 2)


ANALYSIS_GETS = [
    "/phan-tich/tong-hop/cchc-2024-q1/?unit={unit}",
    "/phan-tich/tien-do/cchc-2024-q1/?unit={unit}",
    "/phan-tich/so-sanh/cchc-2024-q1/?unit={unit}",
    "/phan-tich/so-sanh/cchc-2024-q1/?unit={unit}&format=xlsx",
    "/phan-tich/api/rollup/cchc-2024-q1/?unit={unit}",
    "/phan-tich/xu-huong/{unit}/",
    "/phan-tich/xu-huong/{unit}/7.2.4.a.png",
    "/phan-tich/xu-huong/{unit}/7.2.4.a.svg",
]
WHO_SEES_BACH_THONG = {
    "clerk": 404,
    "leader": 404,
    "other_clerk": 404,
    "district_reviewer": 200,
    "province_reviewer": 200,
    "stranger_reviewer": 404,
}


@pytest.mark.parametrize("who", list(WHO_SEES_BACH_THONG))
def test_every_analysis_url_for_every_persona(world: World, who: str) -> None:
    accept(world)
    client = world.client(getattr(world, who))
    for unit in ("063", "02008"):
        for url in ANALYSIS_GETS:
            response = client.get(url.format(unit=unit))
            expected = WHO_SEES_BACH_THONG[who]
            if "format=xlsx" in url and expected == 200:  # made by a job: to its page
                assert response["Location"].startswith("/viec/"), (who, url, unit)
                expected = 302
            assert response.status_code == expected, (who, url, unit)
    for url in ("/phan-tich/lap-bao-cao/cchc-2024-q1/02005/", "/phan-tich/dien-tu-quy/cchc-2024-q1/02005/"):
        assert client.get(url).status_code == 405
        response = client.post(url, follow=True)
        # Only Quân Hà's own clerk may fill Quân Hà's report: reviewers see it (403), others may not (404).
        expected = {"other_clerk": 200, "district_reviewer": 403, "province_reviewer": 403}.get(who, 404)
        assert response.status_code == expected, (who, url)
        if who == "other_clerk":
            assert response.redirect_chain == [("/reports/cchc-2024-q1/02005/", 302)]
            flashed = [str(message) for message in response.context["messages"]]
            assert flashed == [
                MSG_COMPILED
                if "lap-bao-cao" in url
                else "Kỳ cchc-2024-q1 là kỳ quý, không cần suy ra từ các quý."
            ]
