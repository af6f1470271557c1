"""Bare Message-ID lookups in a Maildir: what every mail event asks the sink.

    python -m bench.mail_lookup [--mails 2000] [--lookups 200]

Prints the CPU time per lookup at ``--mails`` messages and at a quarter of that, so the ratio
shows whether a lookup's cost grows with the size of the mailbox (1.0 = flat). The mailbox is
left alone for the sink's settle time first, as an archive being backfilled is; while mail is
being delivered, each lookup lists the folders again (file names only, no message is read).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from email.message import EmailMessage
from mailbox import Maildir
from pathlib import Path

from glemsel.sinks import open_sink
from glemsel.sinks.spec import SinkSpec


def per_lookup(mails: int, lookups: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        box = Maildir(Path(tmp) / "mail", create=True)
        for i in range(mails):
            msg = EmailMessage()
            msg["From"] = f"Person {i} <p{i}@example.no>"
            msg["Message-ID"] = f"<m{i}@example.no>"
            msg.set_content(f"Sak {i}: ring meg på 912 34 {i % 1000:03d}\n" * 20)
            box.add(msg)
        time.sleep(2.2)  # the settle time of the sink's Message-ID index
        sink = open_sink("mail", SinkSpec(kind="maildir", path="mail"), Path(tmp))
        sink.locate("<m0@example.no>", None)  # the first lookup learns the mailbox
        start = time.process_time()
        for i in range(lookups):
            sink.locate(f"<m{(i * 7919) % mails}@example.no>", None)
        elapsed = time.process_time() - start
        sink.close()
        return elapsed / lookups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=2000)
    parser.add_argument("--lookups", type=int, default=200)
    args = parser.parse_args()
    small = per_lookup(args.mails // 4, args.lookups)
    large = per_lookup(args.mails, args.lookups)
    print(f"{args.mails // 4:>7} mails: {small * 1e3:8.3f} ms per lookup")
    print(f"{args.mails:>7} mails: {large * 1e3:8.3f} ms per lookup")
    print(f"ratio {large / small:.2f} (1.00 = flat, {4:.2f} = linear)")


if __name__ == "__main__":
    main()
