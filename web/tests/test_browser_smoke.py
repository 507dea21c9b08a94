"""The sign-in page loads in a real browser, with its GOV.UK styles."""

import pytest


@pytest.mark.browser
def test_sign_in_page_loads_in_browser(live_server, page):
    response = page.goto(live_server.url + "/accounts/login/")
    assert response is not None
    assert response.status == 200
    assert "Sign in" in page.title()


@pytest.mark.browser
def test_static_files_are_served_to_the_browser(live_server, page):
    response = page.goto(live_server.url + "/static/govuk/govuk-frontend.min.css")
    assert response is not None
    assert response.status == 200
    assert "text/css" in response.headers["content-type"]
    font = page.request.get(live_server.url + "/static/govuk/assets/fonts/bold-b542beb274-v2.woff2")
    assert font.status == 200
