"""A mailbox on a real IMAP server (Dovecot): backfilled, searched, erased and verified."""

from __future__ import annotations

import imaplib
import time

import pytest
from glemsel.pipeline.operations.backfill import backfill
from services import imap_sink
from world import KARI, OLA, World

from bench.documents import PDF_TYPE, mail_with, make_pdf

KARI_MAIL = "<kari-1@imap.example.no>"
OLA_MAIL = "<ola-1@imap.example.no>"


def _mailbox_system(request) -> dict:
    server, mailbox, admin = request.getfixturevalue("imap_mailbox")
    mails = [
        mail_with(
            KARI_MAIL,
            f"Hei, her er CV-en min. Ring meg på {KARI['phone']}.",
            [("cv.pdf", PDF_TYPE, make_pdf([["CV", f"Fødselsnummer {KARI['fnr']}"]]))],
            sender=f"{KARI['name']} <{KARI['email']}>",
        ),
        mail_with(OLA_MAIL, "Hei, takk for møtet.", [], sender=f"{OLA['name']} <{OLA['email']}>"),
    ]
    for raw in mails:
        stamp = imaplib.Time2Internaldate(time.time())
        assert admin.append(mailbox, None, stamp, raw)[0] == "OK"
    request.node.imap = (admin, mailbox)
    return {"imap": {"sink": imap_sink(server, mailbox), "on_erasure": "delete_record"}}


# with_args: a lone function argument would be taken for the decorated test
pytestmark = pytest.mark.world_systems.with_args(_mailbox_system)


def _message_ids(request) -> list[str]:
    admin, mailbox = request.node.imap
    admin.select(mailbox)
    typ, data = admin.uid("FETCH", "1:*", "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
    admin.unselect()
    return sorted(
        item[1].decode().split(":", 1)[1].strip() for item in data if isinstance(item, tuple)
    )


def test_imap_mailbox_is_searched_erased_and_verified(world: World, request) -> None:
    world.ingest_all()
    assert backfill(world.app, "imap", rate=None).published == 2
    world.run()
    found = world.search(fnr=KARI["fnr"])
    mail = next(loc for loc in found["locations"] if loc["system"] == "imap")
    assert mail["record_id"] == KARI_MAIL and mail["record_type"] == "message"
    assert "attachment:cv.pdf" in {f["field"] for f in mail["findings"]}
    ola = {loc["record_id"] for loc in world.search(fnr=OLA["fnr"])["locations"]}
    assert OLA_MAIL in ola and KARI_MAIL not in ola

    req = world.erase("r-imap", fnr=KARI["fnr"])
    assert req.status == "completed"
    outcome = next(
        o for o in world.app.stores.state.outcomes.of_request("r-imap") if o.system == "imap"
    )
    assert outcome.action == "deleted" and outcome.verified
    assert _message_ids(request) == [OLA_MAIL], "Kari's mail is gone from the server, Ola's kept"
    assert not any(loc["system"] == "imap" for loc in world.search(fnr=KARI["fnr"])["locations"])
    # Erasing again finds nothing to do and fails nothing.
    assert world.erase("r-imap-2", fnr=KARI["fnr"]).status == "completed"
