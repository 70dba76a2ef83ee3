"""The headers on every response, and error pages that give nothing away."""

from __future__ import annotations

import pytest
from starlette.routing import Route

from tests.web.conftest import client_for, sign_in


def _checked(answer) -> None:
    policy = answer.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("path", ["/sign-in", "/use-code", "/", "/statement", "/static/style.css", "/nowhere"])
def test_every_response_has_the_headers(client, path):
    _checked(client.get(path))


def test_signed_in_pages_are_not_stored(client, member_a):
    sign_in(client, member_a.number)
    for path in ("/", "/statement"):
        answer = client.get(path)
        _checked(answer)
        assert answer.headers["cache-control"] == "no-store"


def test_a_missing_page_says_nothing_of_what_was_asked(client):
    answer = client.get("/members/M0001?token=<script>")
    assert answer.status_code == 404 and "There is no such page." in answer.text
    assert "M0001" not in answer.text and "<script>" not in answer.text


def test_a_fault_is_a_plain_page_with_the_headers_and_is_logged(app, isolated_dirs):
    def broken(request):
        raise RuntimeError("secret detail: /home/till/till.db row 42")

    app.app.router.routes.append(Route("/broken", broken))
    answer = client_for(app).get("/broken")
    assert answer.status_code == 500 and "Something went wrong" in answer.text
    assert "secret detail" not in answer.text and "Traceback" not in answer.text
    _checked(answer)
    log = next(isolated_dirs.rglob("errors.log")).read_text()
    assert "secret detail" in log
