"""Shared fixtures. The scenario suite runs against every deployment mode in MODES."""

from __future__ import annotations

import os
import socket

import pytest
import services  # noqa: F401  # reads GLEMSEL_STATE_URL before it is cleared below

# A test's state and key are the ones its config names. Variables that would point every
# test at one shared state, key or config are taken out once, here, so that module- and
# session-scoped fixtures (which run outside a test's monkeypatch) see none of them either;
# tests/services.py has read the PostgreSQL URL it hands to the distributed fixtures.
for _name in ("GLEMSEL_STATE_URL", "GLEMSEL_HMAC_KEY", "GLEMSEL_CONFIG"):
    os.environ.pop(_name, None)

# Tests never reach past loopback: a stray call to a public host fails loudly.
_real_connect = socket.socket.connect


def _loopback_only(self, address):  # pragma: no cover - only hit on a bug
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and not (
        host.startswith("127.") or host in {"localhost", "::1"} or host.startswith("/")
    ):
        raise OSError(f"test tried to reach {host}: tests talk to 127.0.0.1 only")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)
    # Again per test: one that set them without monkeypatch must not leak them to the next.
    monkeypatch.delenv("GLEMSEL_HMAC_KEY", raising=False)
    monkeypatch.delenv("GLEMSEL_CONFIG", raising=False)
    # Distributed fixtures put it into their config (tests/services.py); nothing else may
    # share one state database.
    monkeypatch.delenv("GLEMSEL_STATE_URL", raising=False)


@pytest.fixture(scope="session")
def endpoints():
    """Real Kafka and Elasticsearch (see tests/services.py); skips or fails without them."""
    from services import find_endpoints

    return find_endpoints()


@pytest.fixture(scope="session")
def imap_server():
    """A real Dovecot (see tests/services.py); skips or fails without one."""
    from services import find_imap

    return find_imap()


@pytest.fixture
def imap_mailbox(imap_server, monkeypatch):
    """A mailbox of its own on the real Dovecot, removed afterwards; the sink's password is in
    GLEMSEL_TEST_IMAP_PASSWORD. Yields (server, mailbox name, an open admin connection)."""
    import imaplib
    import ssl
    import uuid

    monkeypatch.setenv("GLEMSEL_TEST_IMAP_PASSWORD", imap_server.password)
    name = f"glemsel-test-{uuid.uuid4().hex[:10]}"
    context = ssl.create_default_context(cafile=imap_server.ca_file)
    admin = imaplib.IMAP4_SSL(imap_server.host, imap_server.ssl_port, ssl_context=context)
    admin.login(imap_server.user, imap_server.password)
    assert admin.create(name)[0] == "OK"
    yield imap_server, name, admin
    admin.logout()
    admin = imaplib.IMAP4_SSL(imap_server.host, imap_server.ssl_port, ssl_context=context)
    admin.login(imap_server.user, imap_server.password)
    admin.delete(name)
    admin.logout()
