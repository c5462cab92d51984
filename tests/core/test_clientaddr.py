"""core.clientaddr: the one rule for the client's address."""

import pytest

from core.clientaddr import client_address, client_network

NGINX = "127.0.0.1"


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXIES = [NGINX]


def test_without_trusted_proxies_the_connection_is_the_client(rf):
    request = rf.get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_address(request) == "203.0.113.5"


def test_a_forwarded_address_from_an_untrusted_client_is_ignored(rf, behind_nginx):
    request = rf.get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_address(request) == "203.0.113.5"


def test_behind_a_trusted_proxy_the_address_it_saw_is_the_client(rf, behind_nginx):
    request = rf.get("/", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_address(request) == "198.51.100.7"


def test_what_the_client_wrote_before_the_proxy_is_never_read(rf, behind_nginx):
    # nginx's $proxy_add_x_forwarded_for appends to what the client sent.
    request = rf.get(
        "/", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="10.0.0.1, 127.0.0.1, 198.51.100.7"
    )
    assert client_address(request) == "198.51.100.7"


def test_a_chain_of_trusted_proxies_is_walked_back_to_the_client(rf, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", NGINX]
    request = rf.get(
        "/", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7, 10.0.0.11"
    )
    assert client_address(request) == "198.51.100.7"


def test_a_request_from_the_proxy_itself_is_the_proxy(rf, behind_nginx):
    assert client_address(rf.get("/", REMOTE_ADDR=NGINX)) == NGINX


def test_a_malformed_forwarded_entry_stops_at_the_last_trusted_address(rf, behind_nginx):
    request = rf.get("/", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_address(request) == NGINX


def test_an_ipv4_client_over_an_ipv6_socket_is_the_ipv4_client(rf):
    assert client_address(rf.get("/", REMOTE_ADDR="::ffff:203.0.113.5")) == "203.0.113.5"


def test_no_address_at_all_is_empty(rf):
    assert client_address(rf.get("/", REMOTE_ADDR="")) == ""
    assert client_network(rf.get("/", REMOTE_ADDR="")) == ""


def test_an_ipv6_client_is_counted_by_its_64_network(rf):
    one = rf.get("/", REMOTE_ADDR="2001:db8:1:2::1")
    other = rf.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    assert client_network(one) == client_network(other) == "2001:db8:1:2::"
    assert client_address(one) == "2001:db8:1:2::1"


def test_an_ipv4_client_is_counted_by_its_own_address(rf):
    assert client_network(rf.get("/", REMOTE_ADDR="203.0.113.5")) == "203.0.113.5"
