"""The response cache and conditional GETs, keyed by the live generation: a publish or a withdrawal on
one server is seen at once on every other, whether the cache is shared (Redis) or each server's own."""

import html
import json
import socket
import threading
import time
import uuid

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from funding import caching
from funding.caching import whole_or_streamed
from funding.models import Source
from funding.selectors import KEPT_CODE_LISTS
from funding.services import publish_release, record_code_list_change, withdraw_release
from tcdash.settings import _caches
from tests.markup import body

REDIS = "redis://127.0.0.1:6379/0"
TOTAL_1995 = "/expenditure.json?by=total&from=1995&to=1995"


def restate_1995(amount_thousands):
    rows = [{"measure": "expenditure", "year": 1995, "source": "_T", "region": "_T", "amount": amount_thousands * 1000}]
    return publish_release(title=f"1995 restated as {amount_thousands}", rows=rows, checksum=uuid.uuid4().hex)[0]


def total_1995(client):
    response = client.get(TOTAL_1995)
    assert response.status_code == 200
    return json.loads(response.content)["rows"][0]["amount"]


class Server:
    """One app server: its own client of the cache named by `caches` (a fresh connection each time the
    setting is applied, as in a separate process) and its own browser-less HTTP client."""

    def __init__(self, settings, caches):
        self.settings, self.caches, self.client = settings, caches, Client()

    def get(self, url, **headers):
        self.settings.CACHES = self.caches  # applying CACHES again drops every open cache connection
        return self.client.get(url, headers=headers)


def redis_caches():
    # A prefix of its own: other test runs may share this Redis.
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": f"tcdash-test-{uuid.uuid4().hex}",
        }
    }
    import redis

    try:
        redis.Redis.from_url(REDIS).ping()
    except redis.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379: `make test` starts it (or run redis-server).")
    return caches


def local_caches(name):
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name}}


def test_a_page_carries_an_etag_and_revalidates_to_a_304_with_one_query(client, ilo_data, django_assert_num_queries):
    first = client.get("/")
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"1.') and first["Cache-Control"] == "no-cache"
    with django_assert_num_queries(1):  # the live generation only
        again = client.get("/", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert client.get("/", headers={"if-modified-since": last_modified}).status_code == 304
    assert client.get("/", headers={"if-none-match": '"0.0-stale"'}).status_code == 200


def test_a_publish_changes_the_etag_so_the_browser_gets_the_new_page(client, ilo_data):
    etag = client.get(TOTAL_1995)["ETag"]
    restate_1995(120_000)
    response = client.get(TOTAL_1995, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert json.loads(response.content)["rows"][0]["amount"] == 120000


def test_exports_revalidate_without_being_written_again(client, ilo_data, django_assert_num_queries):
    for url in ("/expenditure.csv?by=source", "/expenditure.xlsx?by=source"):
        response = client.get(url)
        assert response.status_code == 200
        # The live generation, and the code lists its parameters are checked against: a bad request
        # gets its 400, never a 304 (RFC 9110, 13.2.1).
        with django_assert_num_queries(2):
            assert client.get(url, headers={"if-none-match": response["ETag"]}).status_code == 304


def test_a_repeated_page_is_served_from_the_cache_with_one_query(client, ilo_data, django_assert_num_queries):
    first = client.get("/expenditure/?by=source&from=1993&to=1996")
    with django_assert_num_queries(1):
        again = client.get("/expenditure/?by=source&from=1993&to=1996")
    assert again.content == first.content
    assert again["Content-Type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize("caches", ["redis", "local memory"])
def test_a_publish_and_a_withdrawal_on_one_server_are_seen_at_once_on_the_other(
    settings, ilo_data, django_assert_num_queries, caches
):
    if caches == "redis":
        shared = redis_caches()
        one, two = Server(settings, shared), Server(settings, shared)
    else:
        one, two = Server(settings, local_caches("one")), Server(settings, local_caches("two"))
    assert total_1995(one) == 112930
    if caches == "redis":
        with django_assert_num_queries(1):  # the other server reads what the first one cached
            assert total_1995(two) == 112930
    else:
        assert total_1995(two) == 112930

    restated = restate_1995(120_000)  # published through the first server
    assert total_1995(two) == 120000
    assert total_1995(one) == 120000

    withdraw_release(release=restated)  # withdrawn through the second
    assert total_1995(one) == 112930
    assert total_1995(two) == 112930


def test_pages_still_answer_when_the_cache_server_is_down(settings, ilo_data, caplog):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = Client().get(TOTAL_1995)
    assert response.status_code == 200
    assert json.loads(response.content)["rows"][0]["amount"] == 112930
    assert "serving without the cache" in caplog.text


@pytest.fixture
def hung_cache_server(tmp_path):
    """A cache server that accepts connections and never answers (a Redis stuck or behind a dead proxy):
    its socket's path, and the list of connections it accepted."""
    path = str(tmp_path / "hung.sock")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(path)
    listener.listen(64)
    accepted = []

    def accept():
        while True:
            try:
                accepted.append(listener.accept()[0])
            except OSError:  # closed: the test is over
                return

    threading.Thread(target=accept, daemon=True).start()
    yield path, accepted
    listener.close()
    for connection_ in accepted:
        connection_.close()


def test_a_hung_cache_server_costs_one_short_wait_and_one_log_entry_not_every_calls(
    settings, ilo_data, caplog, hung_cache_server
):
    path, accepted = hung_cache_server
    settings.CACHES = _caches(f"unix://{path}")  # as CACHE_URL configures a Redis
    client = Client()
    started = time.monotonic()
    answers = [client.get(url) for url in ("/", TOTAL_1995, "/expenditure/?by=source")]
    elapsed = time.monotonic() - started
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert json.loads(answers[1].content)["rows"][0]["amount"] == 112930
    # The first call waits half a second and fails; the cache is then left alone (redis-py's own 5 s a
    # call made the overview alone take 30 s, each of its 6 calls logging a traceback).
    assert len(accepted) == 1
    assert elapsed < 5
    failures = [record.getMessage() for record in caplog.records if "serving without the cache" in record.getMessage()]
    assert failures == ["cache get failed; serving without the cache for 10 s"]


def test_signed_in_pages_are_never_cached(client, ilo_data):
    editor = User.objects.create_user("amina")
    client.force_login(editor)
    first = client.get("/")
    assert "amina" in first.content.decode()
    assert "ETag" not in first
    client.logout()
    anonymous = client.get("/").content.decode()
    assert "amina" not in anonymous and "Sign in" in anonymous


def test_a_page_with_a_pending_message_is_neither_served_nor_kept_from_the_cache(
    client, ilo_data, django_assert_num_queries
):
    client.cookies["messages"] = "pending"
    client.get("/")
    del client.cookies["messages"]
    with django_assert_num_queries(8):  # computed afresh: the first one was not kept (see test_pages)
        client.get("/")


def test_renaming_a_source_in_the_admin_moves_every_cached_page_on(client, ilo_data):
    assert ">UNDP<" in client.get("/expenditure/?by=source").content.decode()
    root = User.objects.create_superuser("root", email="")
    admin = Client()
    admin.force_login(root)
    undp = Source.objects.get(code="undp")
    data = {
        "code": "undp",
        "name": "UNDP (renamed)",
        "name_fr": undp.name_fr,
        "order": undp.order,
        "colour": undp.colour,
        "parent": "",
    }
    assert admin.post(f"/admin/funding/source/{undp.pk}/change/", data).status_code == 302
    assert "UNDP (renamed)" in client.get("/expenditure/?by=source").content.decode()


def code_list_reads(client, url):
    """How many times answering `url` read the code lists (selectors' UNION of the four tables)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        text = b"".join(response).decode()  # a streamed export reads as it is sent
    assert response.status_code == 200
    return sum('"list_position"' in query["sql"] for query in queries.captured_queries), text


def test_the_code_lists_are_read_once_a_generation_and_again_after_a_publish_or_a_change(client, ilo_data):
    assert code_list_reads(client, "/expenditure/?source=undp&by=source")[0] == 1
    # Other pages and exports of the same codes, in any order and language, read none.
    assert code_list_reads(client, "/expenditure.csv?from=1990&source=undp")[0] == 0
    reads, french = code_list_reads(client, "/fr/expenditure/?by=source&source=undp&value=share")
    assert (reads, ">PNUD<" in french) == (0, True)  # each language's names come from the kept rows
    assert code_list_reads(client, "/expenditure/?source=rbtc")[0] == 1  # other codes
    restate_1995(113_000)
    assert code_list_reads(client, "/expenditure/?source=undp&by=source&value=share")[0] == 1
    # A code list changed (through the admin, which moves the generation on) is read again at once.
    Source.objects.filter(code="undp").update(name_fr="PNUD (renommé)")
    record_code_list_change()
    reads, french = code_list_reads(client, "/fr/expenditure/?by=source&source=undp&value=share")
    assert (reads, ">PNUD (renommé)<" in french) == (1, True)


def test_an_sdmx_structure_is_kept_per_accept_header_and_served_again_with_one_query(
    client, ilo_data, django_assert_num_queries
):
    url = "/sdmx/dataflow/ILO/TC_FUNDING/1.0?references=all"
    first = client.get(url, headers={"Accept": "application/xml"})
    assert first.status_code == 200 and "Accept" in [v.strip() for v in first["Vary"].split(",")]
    assert first["Content-Type"] == "application/vnd.sdmx.structure+xml; version=2.1; charset=utf-8"
    with django_assert_num_queries(1):  # the live generation only
        again = client.get(url, headers={"Accept": "application/xml"})
    assert (again.content, again["Content-Type"], again["Vary"]) == (
        first.content,
        first["Content-Type"],
        first["Vary"],
    )
    # A media type the service does not offer is still refused, not answered from the cache.
    refused = client.get(url, headers={"Accept": "application/vnd.sdmx.structure+json;version=1.0.0"})
    assert refused.status_code == 406


def live_etag(client):
    """The ETag every answer carries while the data and the code stay as they are."""
    response = client.get(TOTAL_1995)
    assert response.status_code == 200
    return response["ETag"], response["Last-Modified"]


# (address, what its 400 says) of each data view: an unknown value, a bad year, an option of another format.
BAD_DATA_REQUESTS = [
    ("/expenditure.json?by=nope", b"Unknown by 'nope'"),
    ("/approvals.json?from=abc", b"Parameter 'from' must be a year"),
    ("/expenditure.csv?by=nope", b"Unknown by 'nope'"),
    ("/recipients.csv?value=share", b"A count of countries has no share"),
    ("/expenditure.xlsx?bom=1", b"Parameter 'bom' does not apply to .xlsx files"),
    ("/approvals.xlsx?source=ipec", b"Unknown source 'ipec'"),
    ("/datapackage.json?x=1", b"Unknown parameter 'x'"),
    ("/datapackage.zip?x=1", b"Unknown parameter 'x'"),
    ("/datapackage/data/expenditure.csv?x=1", b"Unknown parameter 'x'"),
    ("/api/openapi.json?x=1", b"Unknown parameter 'x'"),
]


@pytest.mark.parametrize(("url", "message"), BAD_DATA_REQUESTS)
@pytest.mark.parametrize("precondition", ["if-none-match", "if-modified-since"])
def test_a_bad_request_to_a_data_view_gets_its_400_whatever_copy_the_browser_holds(
    client, ilo_data, url, message, precondition
):
    # RFC 9110, 13.2.1: preconditions are ignored where the answer would not be a 2xx.
    etag, last_modified = live_etag(client)
    held = {"if-none-match": etag, "if-modified-since": last_modified}[precondition]
    response = client.get(url, headers={precondition: held})
    assert response.status_code == 400
    assert message in body(response)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/?from=abc", "Parameter 'from' must be a year such as 1990, not 'abc'."),
        ("/?source=undp", "Parameter 'source' does not apply to the overview"),
        ("/briefing.pdf?to=19x6", "Parameter 'to' must be a year such as 1996, not '19x6'."),
        ("/expenditure/?by=nope", "Unknown by 'nope'."),
        ("/approvals/?group=g77", "Unknown group 'g77'."),
        ("/expenditure/history/?year=x", "Parameter 'year' must be a year such as"),
        ("/fr/expenditure/?by=nope", "Valeur inconnue pour « by » : « nope »."),
    ],
)
def test_a_bad_request_to_a_page_gets_its_400_whatever_copy_the_browser_holds(client, ilo_data, url, message):
    etag, _ = live_etag(client)
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    # Asked again (nothing of a 400 is kept): still the 400, with or without the ETag.
    assert client.get(url, headers={"if-none-match": etag}).status_code == 400
    assert client.get(url).status_code == 400


@pytest.mark.parametrize(
    ("url", "accept", "status"),
    [
        ("/sdmx/dataflow?references=cousins", "application/xml", 400),
        ("/sdmx/codelist/ILO/CL_NOTHING", "application/xml", 404),
        ("/sdmx/dataflow/ILO/TC_FUNDING/1.0", "text/html", 406),
    ],
)
def test_a_bad_sdmx_structure_query_gets_its_error_whatever_copy_the_client_holds(
    client, ilo_data, url, accept, status
):
    etag, _ = live_etag(client)
    response = client.get(url, headers={"if-none-match": etag, "accept": accept})
    assert response.status_code == status
    assert b"<mes:Error" in response.content
    assert "Accept" in [v.strip() for v in response["Vary"].split(",")]


def test_a_bad_request_with_if_match_gets_its_400_not_a_412(client, ilo_data):
    # If-Match with a stale tag would be a 412 for a good request; for a bad one the 400 still wins.
    assert client.get(TOTAL_1995, headers={"if-match": '"0.0-stale"'}).status_code == 412
    response = client.get("/expenditure.json?by=nope", headers={"if-match": '"0.0-stale"'})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        "Unknown by 'nope'. Known codes: total, source, region, source-region, input_type."
    ]


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/expenditure.json?by=source", 2),
        ("/recipients.csv?layout=wide", 2),
        ("/approvals.xlsx?by=region", 2),
        ("/?from=1993&to=1996", 2),
        ("/fr/expenditure/?by=source", 2),
        ("/expenditure/history/?year=1995&source=undp", 3),  # codes not asked before: their code lists read
        ("/datapackage.json", 1),
        ("/datapackage/data/recipients.csv", 1),
        ("/sdmx/dataflow/ILO/TC_FUNDING/1.0", 5),  # the code lists the structures are matched against
    ],
)
def test_a_good_request_still_revalidates_to_a_304_before_it_is_ever_kept(
    client, ilo_data, url, queries, django_assert_num_queries
):
    # Nothing of this address is in the cache yet: its parameters are checked (the generation, and the
    # code lists they are checked against), and the view is not run.
    etag, _ = live_etag(client)
    if url.startswith("/sdmx/"):  # an SDMX answer's tag names its Accept header too: the same for any
        etag = client.get("/sdmx/data/TC_FUNDING/recipients._T._T._T._T")["ETag"]  # address asked alike
    with django_assert_num_queries(queries):
        response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 304 and response.content == b"" and response["ETag"] == etag


SDMX_1995 = "/sdmx/data/TC_FUNDING/expenditure._T._T._T._T?startPeriod=1995&endPeriod=1995&format=csv"


def sdmx_total_1995(server):
    response = server.get(SDMX_1995)
    assert response.status_code == 200 and not response.streaming
    (line,) = response.content.decode().splitlines()[1:]
    return line.split(",")[7]  # OBS_VALUE, after DATAFLOW, the five dimensions and TIME_PERIOD


@pytest.mark.parametrize(
    "accept", ["application/vnd.sdmx.genericdata+xml;version=2.1", "application/vnd.sdmx.data+json;version=1.0.0"]
)
def test_an_sdmx_data_message_is_kept_per_accept_header_and_served_again_with_one_query(
    client, ilo_data, django_assert_num_queries, accept
):
    url = "/sdmx/data/TC_FUNDING/expenditure.._T._T._T?startPeriod=1990&endPeriod=1996"
    first = client.get(url, headers={"Accept": accept})
    assert first.status_code == 200 and not first.streaming
    assert first["Content-Type"] == accept.replace(";", "; ") + "; charset=utf-8"
    assert first["ETag"].startswith('"1.') and "Last-Modified" in first
    with django_assert_num_queries(1):  # the live generation only
        again = client.get(url, headers={"Accept": accept})
    assert (again.content, again["Content-Type"], again["ETag"]) == (
        first.content,
        first["Content-Type"],
        first["ETag"],
    )
    assert "Accept" in [v.strip() for v in again["Vary"].split(",")]
    with django_assert_num_queries(1):
        revalidated = client.get(url, headers={"Accept": accept, "If-None-Match": first["ETag"]})
    assert revalidated.status_code == 304 and revalidated.content == b""
    # Another media type for the same address is written afresh, in its own format.
    other = client.get(url, headers={"Accept": "application/vnd.sdmx.data+csv;version=1.0.0"})
    assert other.content.startswith(b"DATAFLOW,MEASURE,SOURCE,REGION,")
    # ...with an ETag of its own (RFC 9110, 8.8.3: one tag, one representation): the two shared one, so
    # the CSV asked for with the tag of the copy held in another format was a 304, and that copy was used.
    assert other["ETag"] != first["ETag"]
    held = {"Accept": "application/vnd.sdmx.data+csv;version=1.0.0", "If-None-Match": first["ETag"]}
    assert client.get(url, headers=held).status_code == 200
    held["If-None-Match"] = other["ETag"]
    assert client.get(url, headers=held).status_code == 304


def test_an_sdmx_data_file_keeps_its_download_name_from_the_cache(client, ilo_data, django_assert_num_queries):
    url = "/sdmx/data/TC_FUNDING/expenditure.undp._T._T._T?format=csvfile"
    first = client.get(url)
    with django_assert_num_queries(1):
        again = client.get(url)
    assert (
        again["Content-Disposition"]
        == first["Content-Disposition"]
        == 'attachment; filename="TC_FUNDING.expenditure.undp._T._T._T.csv"'
    )
    assert again.content == first.content and len(again.content.splitlines()) == 6  # the header, five years


@pytest.mark.parametrize("caches", ["redis", "local memory"])
def test_a_publish_and_a_withdrawal_are_seen_at_once_in_sdmx_data_on_every_server(settings, ilo_data, caches):
    if caches == "redis":
        shared = redis_caches()
        one, two = Server(settings, shared), Server(settings, shared)
    else:
        one, two = Server(settings, local_caches("one")), Server(settings, local_caches("two"))
    assert sdmx_total_1995(one) == sdmx_total_1995(two) == "112930"
    restated = restate_1995(120_000)
    assert sdmx_total_1995(two) == sdmx_total_1995(one) == "120000"
    withdraw_release(release=restated)
    assert sdmx_total_1995(one) == sdmx_total_1995(two) == "112930"


def test_an_sdmx_data_query_that_matches_nothing_gets_its_404_whatever_copy_the_client_holds(client, ilo_data):
    etag, _ = live_etag(client)
    url = "/sdmx/data/TC_FUNDING/expenditure.undp._T._T._T?startPeriod=2040&endPeriod=2041"
    response = client.get(url, headers={"if-none-match": etag, "accept": "application/xml"})
    assert response.status_code == 404 and b"<mes:Error" in response.content


def test_an_answer_up_to_the_limit_is_kept_whole_and_a_longer_one_streams_all_of_its_bytes():
    chunks = [b"a" * 400, b"b" * 400, b"c" * 400]
    whole = whole_or_streamed(iter(chunks), content_type="text/csv", limit=1200)
    assert not whole.streaming and whole.content == b"".join(chunks) and whole["Content-Type"] == "text/csv"
    streamed = whole_or_streamed(iter(chunks), content_type="text/csv", limit=1199)
    assert streamed.streaming and b"".join(streamed.streaming_content) == b"".join(chunks)


def test_an_sdmx_answer_longer_than_the_cache_keeps_streams_with_its_etag_and_is_not_kept(
    client, ilo_data, monkeypatch, django_assert_num_queries
):
    url = "/sdmx/data/TC_FUNDING/expenditure.._T._T._T?format=csv"
    whole = client.get(url)
    assert not whole.streaming and 5_000 < len(whole.content) < caching.KEPT_WHOLE
    monkeypatch.setattr(caching, "KEPT_WHOLE", 5_000)  # the limit, lowered below this answer's size
    url += "&startPeriod=1950"  # the same cells, not yet in the cache
    streamed = client.get(url)
    assert streamed.streaming and b"".join(streamed.streaming_content) == whole.content
    assert streamed["ETag"] == whole["ETag"] and streamed["Cache-Control"] == "no-cache"
    again = client.get(url)  # written again: nothing was kept
    assert again.streaming and b"".join(again.streaming_content) == whole.content
    # The generation, then what refuses a bad query (a 304 only replaces a 200): the key's three code
    # lists, the releases, and the first cells (none is a 404).
    with django_assert_num_queries(6):
        assert client.get(url, headers={"if-none-match": streamed["ETag"]}).status_code == 304


def vary(response):
    return {name.strip() for name in response["Vary"].split(",")}


@pytest.mark.parametrize("url", ["/expenditure/?by=source", "/fr/", TOTAL_1995])
@pytest.mark.parametrize("encoding", ["gzip, deflate, br", ""])
def test_a_304_carries_the_etag_and_the_vary_of_the_200_it_stands_for(client, ilo_data, url, encoding):
    # RFC 9110, 15.4.5: a 304 is sent with the ETag and the Vary its 200 would have; a page gzipped
    # for this client has a weak ETag (the compression middleware) and varies on Accept-Encoding.
    headers = {"Accept-Encoding": encoding} if encoding else {}
    fresh = client.get(url, headers=headers)
    assert fresh.status_code == 200 and fresh.get("Content-Encoding") == ("gzip" if encoding else None)
    for attempt in ("kept", "not kept"):  # answered from the cached page, then by the view's check alone
        if attempt == "not kept":
            cache.clear()
        again = client.get(url, headers={**headers, "If-None-Match": fresh["ETag"]})
        assert again.status_code == 304, attempt
        assert (again["ETag"], vary(again)) == (fresh["ETag"], vary(fresh)), attempt
    assert fresh["ETag"].startswith('W/"' if encoding else '"')


def test_an_exports_304_carries_the_etag_and_the_vary_of_its_streamed_200(client, ilo_data):
    headers = {"Accept-Encoding": "gzip"}
    fresh = client.get("/expenditure.csv?by=source", headers=headers)
    again = client.get("/expenditure.csv?by=source", headers={**headers, "If-None-Match": fresh["ETag"]})
    assert again.status_code == 304
    assert (again["ETag"], vary(again)) == (fresh["ETag"], vary(fresh))
    assert "Accept-Encoding" not in vary(again)  # a streamed export is never compressed


def test_the_codes_a_query_names_grow_no_cache_beyond_the_kept_code_lists_bound(client, ilo_data):
    # Each query string may name codes of its own, known or not: the code lists read for them are kept
    # in the process's bounded table, and nothing of them in the shared cache (kept there for a day).
    for n in range(KEPT_CODE_LISTS.limit + 20):
        assert client.get(f"/expenditure.json?source=unknown-{n}").status_code == 400
    assert len(KEPT_CODE_LISTS) == KEPT_CODE_LISTS.limit
    backend = caches["default"]
    assert isinstance(backend, LocMemCache) and len(backend._cache) == 0  # noqa: SLF001 - what the cache holds
