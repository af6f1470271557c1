"""The `glemsel` command line: typer for parsing, rich for people, --json for scripts."""

from __future__ import annotations

import base64
import json
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from glemsel.pipeline.core.config import Config, ConfigError, load_config
from glemsel.pipeline.core.events import (
    TOPIC_CHANGES,
    TOPIC_ERASURE_REQUESTS,
    TOPIC_LEGAL_HOLDS,
    ErasureRequest,
    LegalHold,
    RecordRef,
    SubjectIdentifiers,
    days_left,
    utcnow,
)
from glemsel.pipeline.interfaces.render import render_search
from rich.console import Console
from rich.table import Table

app = typer.Typer(
    help="Find Norwegian personal data across your systems and erase it on request.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
hold_app = typer.Typer(help="Place, release and list legal holds.", no_args_is_help=True)
audit_app = typer.Typer(help="Read and verify the hash-chained audit trail.", no_args_is_help=True)
app.add_typer(hold_app, name="hold")
app.add_typer(audit_app, name="audit")

out = Console()
err = Console(stderr=True)

ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config", "-c", help="Config file (default: $GLEMSEL_CONFIG).", show_default=False
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
FnrOpt = Annotated[str | None, typer.Option("--fnr", help="Fødselsnummer or D-nummer.")]
EmailOpt = Annotated[list[str] | None, typer.Option("--email", help="E-mail address (repeatable).")]
PhoneOpt = Annotated[list[str] | None, typer.Option("--phone", help="Phone number (repeatable).")]
NameOpt = Annotated[list[str] | None, typer.Option("--name", help="Full name (repeatable).")]

TOPIC_BY_KIND = {
    "change": TOPIC_CHANGES,
    "erasure": TOPIC_ERASURE_REQUESTS,
    "hold": TOPIC_LEGAL_HOLDS,
}


def fail(message: str, code: int = 2) -> None:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(code)


@contextmanager
def _config(path: Path | None) -> Iterator[Config]:
    try:
        yield load_config(path)
    except ConfigError as exc:
        fail(str(exc))


def _deployment(config: Config):
    from glemsel.pipeline.runtime.embedded import EmbeddedDeployment, state_dir
    from glemsel.pipeline.telemetry.logs import configure

    configure(state_dir(config) / "glemsel.log")
    if config.mode == "distributed":
        from glemsel.pipeline.runtime.distributed import DistributedDeployment

        return DistributedDeployment(config)
    return EmbeddedDeployment(config)


def _stores(config: Config):
    from glemsel.pipeline.runtime.embedded import open_stores

    if config.mode == "distributed":
        from glemsel.pipeline.runtime.distributed import open_distributed_stores

        return open_distributed_stores(config)
    return open_stores(config)


def _identifiers(fnr, email, phone, name) -> SubjectIdentifiers:
    ids = SubjectIdentifiers(fnr=fnr, emails=email or [], phones=phone or [], names=name or [])
    if ids.is_empty():
        fail("name the person: --fnr, --email, --phone or --name")
    return ids


def _print_json(data: Any) -> None:
    out.print_json(json.dumps(data, default=str, ensure_ascii=False))


# --- feeding and running ------------------------------------------------------------------


@app.command()
def publish(
    source: Annotated[str, typer.Argument(help="JSON-lines file of events, or - for stdin.")],
    kind: Annotated[str, typer.Option(help="change | erasure | hold")] = "change",
    config: ConfigOpt = None,
) -> None:
    """Append JSON lines of events to the bus (embedded log or Kafka)."""
    if kind not in TOPIC_BY_KIND:
        fail(f"--kind must be one of {', '.join(TOPIC_BY_KIND)}, not {kind!r}")
    try:
        stream = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115
    except OSError as exc:
        fail(f"cannot read {source}: {exc.strerror}")
    with _config(config) as cfg, stream:
        deployment = _deployment(cfg)
        count = 0
        for line in stream:
            if line.strip():
                # Published as they are: a malformed line is dead-lettered by the worker
                # with its reason, so nothing is silently dropped here.
                deployment.publish(TOPIC_BY_KIND[kind], line.strip(), _key(kind, line))
                count += 1
        deployment.close()
    err.print(f"published {count} event(s) to {TOPIC_BY_KIND[kind]}")


def _key(kind: str, line: bytes) -> str | None:
    try:
        doc = json.loads(line)
    except ValueError:
        return None
    if not isinstance(doc, dict):
        return None
    if kind == "change" and "record_id" in doc:
        return f"{doc.get('system')}:{doc['record_id']}"
    return doc.get({"erasure": "request_id", "hold": "hold_id"}.get(kind, ""))


@app.command()
def run(
    config: ConfigOpt = None,
    until_idle: Annotated[
        bool, typer.Option("--until-idle", help="Exit when nothing is pending.")
    ] = False,
    metrics_port: Annotated[
        int | None, typer.Option(help="Serve Prometheus metrics on 127.0.0.1:PORT/metrics.")
    ] = None,
) -> None:
    """Run the workers: ingest, detect, index, erase, sweep."""
    with _config(config) as cfg:
        deployment = _deployment(cfg)
        if metrics_port:
            from prometheus_client import start_http_server

            start_http_server(metrics_port, addr="127.0.0.1")
        try:
            handled = deployment.run(until_idle=until_idle)
        except KeyboardInterrupt:
            handled = None
        finally:
            deployment.close()
    if handled is not None:
        err.print(f"processed {handled} event(s)")


@app.command()
def serve(
    config: ConfigOpt = None,
    host: Annotated[str | None, typer.Option(help="Default: api.host (127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Default: api.port (8080).")] = None,
) -> None:
    """Serve the HTTP API, the compliance web page (/ui) and /metrics."""
    import uvicorn
    from glemsel.pipeline.interfaces.api import create_app

    with _config(config) as cfg:
        if not cfg.api.tokens:
            fail("no API tokens configured (api.tokens): nobody could sign in")
        deployment = _deployment(cfg)
        uvicorn.run(
            create_app(deployment),
            host=host or cfg.api.host,
            port=port or cfg.api.port,
            log_level="warning",
            access_log=False,
        )
        deployment.close()


@app.command("backfill")
def backfill_cmd(
    system: Annotated[str, typer.Option(help="The configured system to read.")],
    record_type: Annotated[str | None, typer.Option(help="Default: the table name.")] = None,
    rate: Annotated[float, typer.Option(help="Events per second at most (0: no limit).")] = 2000,
    restart: Annotated[bool, typer.Option(help="Forget where the last run stopped.")] = False,
    config: ConfigOpt = None,
) -> None:
    """Emit every existing record of a sink as a snapshot change event; resumable."""
    from glemsel.pipeline.operations.backfill import backfill, count_records
    from rich.progress import Progress

    with _config(config) as cfg:
        cfg.system(system)  # a clear error for an unknown system
        deployment = _deployment(cfg)
        total = count_records(deployment, system)
        done_before = deployment.stores.state.checkpoint(system)[1] if not restart else 0
        with Progress(console=err) as progress:
            task = progress.add_task(f"backfill {system}", total=total, completed=done_before)
            result = backfill(
                deployment,
                system,
                record_type,
                rate=rate or None,
                restart=restart,
                progress=lambda n: progress.advance(task, n),
            )
        deployment.close()
    where = f" (resumed after {result.resumed_after})" if result.resumed_after else ""
    err.print(
        f"published {result.published} snapshot event(s) of {system}{where} in "
        f"{result.seconds:.1f}s; `glemsel run` indexes them"
    )


@app.command()
def doctor(config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """Check configuration, HMAC key, sinks, Kafka and Elasticsearch; say how to fix."""
    from glemsel.pipeline.interfaces.doctor import diagnose

    checks = diagnose(config)
    if as_json:
        _print_json([c.__dict__ for c in checks])
    else:
        for c in checks:
            mark = "[green]ok[/green]  " if c.ok else "[red]FAIL[/red]"
            out.print(f"{mark} {c.name}: {c.detail}", highlight=False)
            if not c.ok:
                out.print(f"      fix: {c.fix}", highlight=False)
    if not all(c.ok for c in checks):
        raise typer.Exit(1)


# --- detection ----------------------------------------------------------------------------


@app.command()
def detect(
    jsonl: Annotated[
        bool, typer.Option("--jsonl", help='Read {"id","text"} lines, write entities per line.')
    ] = False,
) -> None:
    """Detect Norwegian personal data in text on stdin (offline)."""
    from glemsel.detectors import get_detector
    from glemsel.pipeline.core.identifiers import mask

    detector = get_detector()
    if not jsonl:
        text = sys.stdin.read()
        table = Table("type", "start", "end", "score", "preview (masked)")
        for e in detector.analyze(text):
            table.add_row(
                e.type,
                str(e.start),
                str(e.end),
                f"{e.score:.2f}",
                mask(e.type, text[e.start : e.end]),
            )
        out.print(table)
        return
    failures = 0
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except ValueError:
            doc = None
        if not isinstance(doc, dict) or not isinstance(doc.get("text"), str):
            # One output line per input line, so callers can zip them; the error says why.
            failures += 1
            error = f'line {number}: expected a JSON object with a string "text"'
            sys.stdout.write(json.dumps({"id": None, "entities": [], "error": error}) + "\n")
            continue
        entities = [
            {"type": e.type, "start": e.start, "end": e.end, "score": round(e.score, 4)}
            for e in detector.analyze(doc["text"])
        ]
        sys.stdout.write(json.dumps({"id": doc.get("id"), "entities": entities}) + "\n")
        sys.stdout.flush()
    if failures:
        err.print(f"{failures} line(s) were not valid input")
        raise typer.Exit(1)


# --- compliance -----------------------------------------------------------------------------


@app.command()
def search(
    fnr: FnrOpt = None,
    email: EmailOpt = None,
    phone: PhoneOpt = None,
    name: NameOpt = None,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Where do we hold data about this person? Masked previews, holds, past requests."""
    from glemsel.pipeline.operations.search import search_subject

    ids = _identifiers(fnr, email, phone, name)
    with _config(config) as cfg:
        stores = _stores(cfg)
        result = search_subject(stores, ids, searched_by=_user())
        stores.close()
    if as_json:
        _print_json(result)
        return
    render_search(result)


@app.command()
def erase(
    fnr: FnrOpt = None,
    email: EmailOpt = None,
    phone: PhoneOpt = None,
    name: NameOpt = None,
    system: Annotated[list[str] | None, typer.Option(help="Only these systems.")] = None,
    request_id: Annotated[str | None, typer.Option(help="Default: a new id.")] = None,
    requested_by: Annotated[str, typer.Option(help="Who asks (DSR tool, case handler).")] = "cli",
    wait: Annotated[bool, typer.Option(help="Embedded: process now and show the outcome.")] = True,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Submit an erasure request for one person."""
    req = ErasureRequest(
        request_id=request_id or f"req-{uuid.uuid4().hex[:12]}",
        subject=_identifiers(fnr, email, phone, name),
        systems=system or None,
        requested_by=requested_by,
    )
    with _config(config) as cfg:
        deployment = _deployment(cfg)
        deployment.publish(TOPIC_ERASURE_REQUESTS, req.to_json(), req.request_id)
        if wait and cfg.mode == "embedded":
            deployment.run(until_idle=True)
        deployment.close()
        status_cmd(req.request_id, config=config, as_json=as_json)


@app.command("status")
def status_cmd(
    request_id: Annotated[str, typer.Argument()],
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One request: status, deadline and the outcome per location."""
    with _config(config) as cfg:
        stores = _stores(cfg)
        req = stores.state.request(request_id)
        outcomes = stores.state.outcomes(request_id)
        stores.close()
    if req is None:
        fail(f"no request {request_id!r} (yet): is the worker running?", code=1)
    data = {
        "request_id": request_id,
        "status": req["status"],
        "deadline": req["deadline"],
        "days_left": days_left(req["deadline"]),
        "counts": req["counts"],
        "outcomes": [o.model_dump(by_alias=True, mode="json") for o in outcomes],
    }
    if as_json:
        _print_json(data)
        return
    out.print(
        f"request [bold]{request_id}[/bold]: [bold]{req['status']}[/bold], deadline "
        f"{req['deadline']:%Y-%m-%d} ({data['days_left']} days left)"
    )
    table = Table("system", "record", "action", "verified", "reason")
    for o in outcomes:
        table.add_row(o.system, o.record_id, o.action, "yes" if o.verified else "no", o.reason)
    out.print(table)


@app.command()
def requests(config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """All erasure requests with status, deadline and days left; overdue ones flagged."""
    with _config(config) as cfg:
        stores = _stores(cfg)
        rows = stores.state.list_requests()
        stores.close()
    data = [
        {
            "request_id": r["request_id"],
            "status": r["status"],
            "received_at": r["received_at"],
            "deadline": r["deadline"],
            "extended": r["extended"],
            "days_left": days_left(r["deadline"]),
            "overdue": r["status"] != "completed" and r["deadline"] < utcnow(),
            "counts": r["counts"],
        }
        for r in rows
    ]
    if as_json:
        _print_json(data)
        return
    table = Table("request", "status", "deadline", "days left", "counts")
    for r in data:
        left = f"[red]{r['days_left']} OVERDUE[/red]" if r["overdue"] else str(r["days_left"])
        table.add_row(
            r["request_id"],
            r["status"],
            f"{r['deadline']:%Y-%m-%d}",
            left,
            ", ".join(f"{k} {v}" for k, v in sorted(r["counts"].items())),
        )
    out.print(table)


@app.command()
def extend(
    request_id: Annotated[str, typer.Argument()],
    reason: Annotated[str, typer.Option(help="Why more time is needed (GDPR art. 12(3)).")],
    months: Annotated[int, typer.Option(min=1, max=2)] = 2,
    config: ConfigOpt = None,
) -> None:
    """Extend a request's deadline once, by up to two months, with a reason."""
    from dateutil.relativedelta import relativedelta

    with _config(config) as cfg:
        stores = _stores(cfg)
        req = stores.state.request(request_id)
        if req is None:
            fail(f"no request {request_id!r}", code=1)
        if req["extended"]:
            fail(f"request {request_id} was extended already; GDPR allows it once", code=1)
        deadline = req["deadline"] + relativedelta(months=months)
        stores.state.extend_deadline(request_id, deadline, reason)
        stores.audit.append(
            "request.extended", request_id=request_id, deadline=deadline, reason=reason
        )
        stores.close()
    out.print(f"request {request_id}: deadline now {deadline:%Y-%m-%d}")


@app.command("dead-letters")
def dead_letters(
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
    stage: Annotated[
        str | None, typer.Option(help="Only letters of this stage: ingest, process or index.")
    ] = None,
    replay: Annotated[
        bool,
        typer.Option(
            "--replay",
            help="Publish the originals again to their topics, e.g. after an outage. "
            "What was done before stays done: the pipeline is idempotent.",
        ),
    ] = False,
) -> None:
    """Events that could not be processed, with the reason (originals are kept)."""
    with _config(config) as cfg:
        deployment = _deployment(cfg)
        letters = [x for x in deployment.dead_letters() if stage is None or x.stage == stage]
        if replay:
            kinds = {topic: kind for kind, topic in TOPIC_BY_KIND.items()}
            for letter in letters:
                raw = base64.b64decode(letter.original)
                deployment.publish(letter.topic, raw, _key(kinds[letter.topic], raw))
        deployment.close()
    if replay:
        err.print(f"published {len(letters)} dead letter(s) again")
        return
    if as_json:
        _print_json([letter.model_dump(by_alias=True, mode="json") for letter in letters])
        return
    table = Table("time", "topic", "stage", "error")
    for letter in letters:
        table.add_row(f"{letter.ts:%Y-%m-%d %H:%M:%S}", letter.topic, letter.stage, letter.error)
    out.print(table)


# --- legal holds ----------------------------------------------------------------------------


@hold_app.command("place")
def hold_place(
    reason: Annotated[str, typer.Option(help="Why, e.g. the dispute's case number.")],
    hold_id: Annotated[str | None, typer.Option(help="Default: a new id.")] = None,
    fnr: FnrOpt = None,
    email: EmailOpt = None,
    phone: PhoneOpt = None,
    name: NameOpt = None,
    system: Annotated[list[str] | None, typer.Option(help="Systems in scope.")] = None,
    record: Annotated[list[str] | None, typer.Option(help="SYSTEM:RECORD_ID in scope.")] = None,
    until: Annotated[datetime | None, typer.Option(help="Expiry (ISO date).")] = None,
    placed_by: Annotated[str, typer.Option()] = "cli",
    config: ConfigOpt = None,
) -> None:
    """Place a legal hold: matching locations are not erased until it ends."""
    subject = SubjectIdentifiers(fnr=fnr, emails=email or [], phones=phone or [], names=name or [])
    refs = []
    for ref in record or []:
        sys_name, sep, rid = ref.partition(":")
        if not sep:
            fail(f"--record takes SYSTEM:RECORD_ID, got {ref!r}")
        refs.append(RecordRef(system=sys_name, record_id=rid))
    try:
        hold = LegalHold(
            hold_id=hold_id or f"hold-{uuid.uuid4().hex[:8]}",
            action="place",
            subject=None if subject.is_empty() else subject,
            systems=system or None,
            records=refs or None,
            reason=reason,
            until=until,
            placed_by=placed_by,
        )
    except ValueError as exc:
        fail(str(exc).splitlines()[-1].strip())
    _send_hold(hold, config)
    out.print(f"hold {hold.hold_id} placed")


@hold_app.command("release")
def hold_release(
    hold_id: Annotated[str, typer.Argument()],
    released_by: Annotated[str, typer.Option()] = "cli",
    config: ConfigOpt = None,
) -> None:
    """Release a hold: what it kept is erased now, if a request asked for it."""
    _send_hold(LegalHold(hold_id=hold_id, action="release", placed_by=released_by), config)
    out.print(f"hold {hold_id} released")


def _send_hold(hold: LegalHold, config: Path | None) -> None:
    with _config(config) as cfg:
        deployment = _deployment(cfg)
        deployment.publish(TOPIC_LEGAL_HOLDS, hold.to_json(), hold.hold_id)
        if cfg.mode == "embedded":
            deployment.run(until_idle=True)
        deployment.close()


@hold_app.command("list")
def hold_list(config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """All holds, active and ended."""
    with _config(config) as cfg:
        stores = _stores(cfg)
        rows = stores.state.list_holds()
        stores.close()
    if as_json:
        _print_json(rows)
        return
    table = Table("hold", "active", "scope", "reason", "until", "placed by")
    for h in rows:
        scope = ", ".join(k for k, v in h["scope"].items() if v)
        table.add_row(
            h["hold_id"],
            "yes" if h["active"] else "no",
            scope,
            h["reason"] or "",
            (h["until"] or "")[:10],
            h["placed_by"] or "",
        )
    out.print(table)


# --- audit ----------------------------------------------------------------------------------


@audit_app.command("head")
def audit_head(config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """The chain's last entry (seq and MAC): keep it elsewhere, check it with verify --head."""
    with _config(config) as cfg:
        stores = _stores(cfg)
        head = stores.audit.head()
        stores.close()
    if as_json:
        _print_json(head.as_dict())
    else:
        out.print(str(head), highlight=False)


@audit_app.command("verify")
def audit_verify(
    head: Annotated[
        str | None,
        typer.Option(
            "--head",
            help="SEQ:MAC from `glemsel audit head`: the chain must still reach it. "
            "Default: the heads exported to audit.head_file / head_topic, if configured.",
        ),
    ] = None,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Check that no audit entry was edited, removed, reordered or cut off."""
    from glemsel.pipeline.stores.audit import AuditHead
    from glemsel.pipeline.stores.audit_head import exported_heads

    with _config(config) as cfg:
        try:
            heads = [AuditHead.parse(head)] if head else exported_heads(cfg)
        except ValueError as exc:
            fail(f"--head: {exc}")
        stores = _stores(cfg)
        result = stores.audit.verify(heads)
        stores.close()
    checked = max((h.seq for h in heads), default=None)
    if as_json:
        _print_json(
            {
                "ok": result.ok,
                "entries": result.entries,
                "problem": result.problem,
                "seq": result.seq,
                "head": checked,
            }
        )
    elif result.ok:
        against = f", reaches head {checked}" if checked else " (no exported head to check)"
        out.print(f"[green]audit chain intact[/green]: {result.entries} entries{against}")
    else:
        err.print(f"[red]audit chain BROKEN[/red] at entry {result.seq}: {result.problem}")
    if not result.ok:
        raise typer.Exit(1)


@audit_app.command("show")
def audit_show(
    request_id: Annotated[str | None, typer.Option(help="Only this request.")] = None,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The audit entries (hashes and record ids only)."""
    with _config(config) as cfg:
        stores = _stores(cfg)
        rows = stores.audit.entries(request_id)
        stores.close()
    if as_json:
        _print_json(rows)
        return
    table = Table("seq", "time", "kind", "request", "location")
    for r in rows:
        where = f"{r['system']}/{r['record_id']}" if r["system"] else ""
        table.add_row(str(r["seq"]), r["ts"][:19], r["kind"], r["request_id"] or "", where)
    out.print(table)


# --- demo -----------------------------------------------------------------------------------


@app.command()
def demo(
    directory: Annotated[
        Path | None, typer.Option("--dir", help="Where to build it (default: a temp dir).")
    ] = None,
) -> None:
    """Build demo CRM, support, mail and chat systems and walk through one erasure."""
    from glemsel.pipeline.interfaces.demo import run_demo

    raise typer.Exit(run_demo(directory, out))


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except OSError:
        return "unknown"


def main() -> None:  # pragma: no cover - console entry point
    app()
