from funding.models import Source


def test_browser_infra_serves_pages_and_keeps_reference_data(page, live_server, ilo_data):
    page.goto(f"{live_server.url}/expenditure.json?by=total&from=1995&to=1995")
    assert "112930" in page.content()
    assert Source.objects.count() == 5


def test_reference_data_survives_a_live_server_test(page, live_server):
    assert Source.objects.count() == 5
