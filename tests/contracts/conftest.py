"""One contract suite per interface, run against every implementation (eventsourcing-style):
the SQLite and the Elasticsearch subject index, the SQL and the Maildir sink, the embedded
bus and Kafka. An implementation that passes here can stand in for another."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture(params=["sqlite", pytest.param("elasticsearch", marks=pytest.mark.distributed)])
def index(request, tmp_path):
    if request.param == "sqlite":
        from glemsel.pipeline.stores.index_sqlite import SqliteSubjectIndex

        store = SqliteSubjectIndex(tmp_path / "index.db")
        yield store
        store.close()
        return
    endpoints = request.getfixturevalue("endpoints")
    from glemsel.pipeline.stores.index_es import EsSubjectIndex

    prefix = f"contract-{uuid.uuid4().hex[:8]}"
    store = EsSubjectIndex(endpoints.elasticsearch, prefix=prefix, retry_for=10)
    yield store
    store.close()
    from elasticsearch import Elasticsearch

    es = Elasticsearch(endpoints.elasticsearch)
    es.indices.delete(index=f"{prefix}-*", ignore_unavailable=True)
    es.close()
