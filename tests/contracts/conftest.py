"""One contract suite per interface, run against every implementation (eventsourcing-style):
the SQLite and the Elasticsearch subject index, the SQL and the Maildir sink, the embedded
bus and Kafka. An implementation that passes here can stand in for another."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture(params=["sqlite", pytest.param("elasticsearch", marks=pytest.mark.distributed)])
def open_index(request, tmp_path):
    """Opens index stores on one storage (one SQLite file, one set of Elasticsearch
    indices), as several workers would: each call is a store of its own."""
    opened = []
    if request.param == "sqlite":
        from glemsel.pipeline.stores.index_sqlite import SqliteSubjectIndex

        def open_one():
            opened.append(SqliteSubjectIndex(tmp_path / "index.db"))
            return opened[-1]

        yield open_one
        for store in opened:
            store.close()
        return
    endpoints = request.getfixturevalue("endpoints")
    from glemsel.pipeline.stores.index_es import EsSubjectIndex

    prefix = f"contract-{uuid.uuid4().hex[:8]}"

    def open_es():
        opened.append(EsSubjectIndex(endpoints.elasticsearch, prefix=prefix, retry_for=10))
        return opened[-1]

    yield open_es
    for store in opened:
        store.close()
    from elasticsearch import Elasticsearch

    es = Elasticsearch(endpoints.elasticsearch)
    es.indices.delete(index=f"{prefix}-*", ignore_unavailable=True)
    es.close()


@pytest.fixture
def index(open_index):
    return open_index()
