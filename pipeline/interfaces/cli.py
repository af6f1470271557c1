"""The `glemsel` command line: typer for parsing, rich for people, --json for scripts.

The read-only queries (search, status, requests) live in queries.py, on argparse, and the
entry point sends them there without loading this module; this app lists them and hands
their arguments on. Every other command imports the layers it uses (rich, pydantic models,
the stores, the runtimes) when it runs.

No ``from __future__ import annotations`` here: typer reads every command's signature at
each start, and string annotations made it evaluate each of them again. Names imported
only for type checking are quoted instead.
"""

import inspect
import json
import sys
import time
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

import typer
from glemsel.pipeline.interfaces import queries
from glemsel.pipeline.interfaces.console import (
    CONFIG_HELP,
    EMAIL_HELP,
    FNR_HELP,
    JSON_HELP,
    NAME_HELP,
    PHONE_HELP,
    err,
    fail,
    identifiers,
    loaded_config,
    out,
    print_json,
    refused,
    user,
)

if TYPE_CHECKING:  # what a command does not use it does not import (start-up time)
    from glemsel.pipeline.core.config import Config
    from glemsel.pipeline.core.events import Correction, SubjectIdentifiers
    from glemsel.pipeline.operations.requests import Gateway
    from glemsel.pipeline.runtime.deployment import Deployment
    from glemsel.pipeline.runtime.stores import Stores

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


ConfigOpt = Annotated[
    Path | None, typer.Option("--config", "-c", help=CONFIG_HELP, show_default=False)
]
JsonOpt = Annotated[bool, typer.Option("--json", help=JSON_HELP)]
FnrOpt = Annotated[str | None, typer.Option("--fnr", help=FNR_HELP)]
EmailOpt = Annotated[list[str] | None, typer.Option("--email", help=EMAIL_HELP)]
PhoneOpt = Annotated[list[str] | None, typer.Option("--phone", help=PHONE_HELP)]
NameOpt = Annotated[list[str] | None, typer.Option("--name", help=NAME_HELP)]


def _deployment(config: "Config") -> "Deployment":
    from glemsel.pipeline.runtime import open_deployment
    from glemsel.pipeline.runtime.stores import state_dir
    from glemsel.pipeline.telemetry.logs import configure

    configure(state_dir(config) / "glemsel.log")
    return open_deployment(config)


def _stores(config: "Config") -> "Stores":
    from glemsel.pipeline.runtime import open_read_stores

    return open_read_stores(config)


def _read_gateway(config: "Config") -> "tuple[Gateway, Stores]":
    """A gateway for commands that read or write state but publish nothing."""
    from glemsel.pipeline.operations.requests import Gateway

    stores = _stores(config)
    return Gateway(config, _NoBus(), state=stores.state, audit=stores.audit), stores


class _NoBus:
    def publish(self, topic: str, value: bytes | None, key: str | None = None) -> None:
        raise RuntimeError("read-only command published")  # a bug, never user input


# --- feeding and running ------------------------------------------------------------------


@app.command()
def publish(
    source: Annotated[str, typer.Argument(help="JSON-lines file of events, or - for stdin.")],
    kind: Annotated[
        str, typer.Option(help="change | erasure | access | rectification | hold")
    ] = "change",
    config: ConfigOpt = None,
) -> None:
    """Append JSON lines of events to the bus (embedded log or Kafka)."""
    from glemsel.pipeline.operations.requests import TOPIC_BY_KIND, event_key

    if kind not in TOPIC_BY_KIND:
        fail(f"--kind must be one of {', '.join(TOPIC_BY_KIND)}, not {kind!r}")
    try:
        stream = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115
    except OSError as exc:
        fail(f"cannot read {source}: {exc.strerror}")
    with loaded_config(config) as cfg, stream:
        deployment = _deployment(cfg)
        count, failed = 0, 0
        # Every line on its own: one that cannot be published is reported with its number
        # and the rest still go. A malformed line that can be published is, as it is: the
        # worker dead-letters it with its reason, so nothing is silently dropped here.
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                key = event_key(kind, line)
            except RecursionError:  # nested too deeply to read a key: the worker tells why
                key = None
            try:
                deployment.publish(TOPIC_BY_KIND[kind], line.strip(), key)
            except Exception as exc:  # too large, broker refused: this line only
                failed += 1
                err().print(
                    f"line {number}: not published: {_one_line(exc)}",
                    highlight=False,
                    soft_wrap=True,
                )
                continue
            count += 1
        try:
            deployment.flush()
        except Exception as exc:  # delivery failed for lines already handed over
            failed += 1
            err().print(f"not published: {_one_line(exc)}", highlight=False)
        deployment.close()
    err().print(f"published {count} event(s) to {TOPIC_BY_KIND[kind]}")
    if failed:
        fail(f"{failed} line(s) not published (see above)", code=1)


def _one_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


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
    from glemsel.pipeline.core.events import WorkerStop
    from glemsel.pipeline.stores.bus import WorkerBusy

    with loaded_config(config) as cfg:
        deployment = _deployment(cfg)
        if metrics_port:
            from prometheus_client import start_http_server

            start_http_server(metrics_port, addr="127.0.0.1")
        try:
            handled = deployment.run(until_idle=until_idle)
        except KeyboardInterrupt:
            handled = None
        except WorkerBusy as exc:
            deployment.close()
            fail(str(exc), code=1)
        except WorkerStop as exc:  # nothing was committed past the event that caused it
            fail(f"worker stopped: {exc}", code=70)
        finally:
            deployment.close()
    if handled is not None:
        err().print(f"processed {handled} event(s)")


@app.command()
def serve(
    config: ConfigOpt = None,
    host: Annotated[str | None, typer.Option(help="Default: api.host (127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Default: api.port (8080).")] = None,
) -> None:
    """Serve the HTTP API, the compliance web page (/ui) and /metrics."""
    import uvicorn
    from glemsel.pipeline.interfaces.api import create_app

    with loaded_config(config) as cfg:
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

    with loaded_config(config) as cfg:
        cfg.system(system)  # a clear error for an unknown system
        deployment = _deployment(cfg)
        total = count_records(deployment, system)
        done_before = (
            deployment.stores.state.checkpoints.get(system).published if not restart else 0
        )
        with Progress(console=err()) as progress:
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
    err().print(
        f"published {result.published} snapshot event(s) of {system}{where} in "
        f"{result.seconds:.1f}s; `glemsel run` indexes them"
    )


@app.command()
def doctor(config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """Check configuration, HMAC key, sinks, Kafka and Elasticsearch; say how to fix."""
    from glemsel.pipeline.interfaces.doctor import diagnose

    checks = diagnose(config)
    if as_json:
        print_json([c.__dict__ for c in checks])
    else:
        for c in checks:
            mark = "[green]ok[/green]  " if c.ok else "[red]FAIL[/red]"
            out().print(f"{mark} {c.name}: {c.detail}", highlight=False)
            if not c.ok:
                out().print(f"      fix: {c.fix}", highlight=False)
    if not all(c.ok for c in checks):
        raise typer.Exit(1)


# --- detection ----------------------------------------------------------------------------


def _field_of(doc: dict[str, Any]) -> str | None:
    """The optional "field" of a detect line: a field path or column header, or None."""
    field = doc.get("field")
    return field if isinstance(field, str) and field else None


@app.command()
def detect(
    jsonl: Annotated[
        bool,
        typer.Option(
            "--jsonl",
            help='Read {"id","text"} lines (optional "field": its field path or column '
            "header, counted as context), write entities per line.",
        ),
    ] = False,
) -> None:
    """Detect Norwegian personal data in text on stdin (offline)."""

    from glemsel.detectors import get_detector
    from glemsel.pipeline.core.identifiers import mask

    detector = get_detector()
    if not jsonl:
        text = sys.stdin.read()
        from rich.table import Table

        table = Table("type", "start", "end", "score", "preview (masked)")
        for e in detector.analyze(text):
            table.add_row(
                e.type,
                str(e.start),
                str(e.end),
                f"{e.score:.2f}",
                mask(e.type, text[e.start : e.end]),
            )
        out().print(table)
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
            for e in detector.analyze(doc["text"], field=_field_of(doc))
        ]
        sys.stdout.write(json.dumps({"id": doc.get("id"), "entities": entities}) + "\n")
        sys.stdout.flush()
    if failures:
        err().print(f"{failures} line(s) were not valid input")
        raise typer.Exit(1)


# --- compliance -----------------------------------------------------------------------------


def _query(name: str) -> None:
    """List query ``name`` (queries.py) and hand it its arguments as typed, ``--help``
    included: its options are declared there."""

    def command(ctx: typer.Context) -> None:
        raise typer.Exit(queries.main([name, *ctx.args]))

    app.command(
        name,
        help=queries.HELP[name],
        add_help_option=False,
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    )(command)


for _name in queries.COMMANDS:
    _query(_name)

SystemOpt = Annotated[list[str] | None, typer.Option(help="Only these systems.")]
RequestIdOpt = Annotated[str | None, typer.Option(help="Default: a new id.")]
RequestedByOpt = Annotated[str, typer.Option(help="Who asks (DSR tool, case handler).")]
WaitOpt = Annotated[bool, typer.Option(help="Embedded: process now and show the outcome.")]


class _RequestArgs(NamedTuple):
    """The options every request command (erase, access, rectify) takes: who the person is,
    the systems, the request's id and who asks."""

    fnr: str | None
    email: list[str] | None
    phone: list[str] | None
    name: list[str] | None
    system: list[str] | None
    request_id: str | None
    requested_by: str

    def subject(self) -> "SubjectIdentifiers":
        return identifiers(self.fnr, self.email, self.phone, self.name)


# _RequestArgs' fields as command-line options, in its order.
_REQUEST_OPTIONS = [
    inspect.Parameter(field, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=d, annotation=a)
    for field, a, d in zip(
        _RequestArgs._fields,
        (FnrOpt, EmailOpt, PhoneOpt, NameOpt, SystemOpt, RequestIdOpt, RequestedByOpt),
        (None, None, None, None, None, None, "cli"),
        strict=True,
    )
]


def _request_command(command: Callable[..., None]) -> Callable[..., None]:
    """``command`` with the shared request options in the place of its parameter
    ``request``, which receives them as one :class:`_RequestArgs` (typer reads options
    from a signature, so the shared ones are put into the signature it reads)."""
    own = inspect.signature(command, eval_str=True)
    params: list[inspect.Parameter] = []
    for p in own.parameters.values():
        params.extend(_REQUEST_OPTIONS if p.name == "request" else [p])

    @wraps(command)
    def with_options(**values: Any) -> None:
        request = _RequestArgs(**{f: values.pop(f) for f in _RequestArgs._fields})
        command(request=request, **values)

    with_options.__signature__ = own.replace(parameters=params)  # type: ignore[attr-defined]
    with_options.__annotations__ = {p.name: p.annotation for p in params} | {"return": None}
    return with_options


@app.command()
@_request_command
def erase(
    request: _RequestArgs,
    wait: Annotated[
        bool | None,
        typer.Option(
            help="Wait for the outcome (default: embedded processes now; distributed returns "
            "once Kafka acknowledged the request)."
        ),
    ] = None,
    timeout: Annotated[float, typer.Option(help="--wait: seconds to wait for it.")] = 300.0,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Submit an erasure request for one person."""
    _submit("erasure", request.subject(), request, wait, config, as_json, timeout)


@app.command()
@_request_command
def access(
    request: _RequestArgs, wait: WaitOpt = True, config: ConfigOpt = None, as_json: JsonOpt = False
) -> None:
    """Submit an access request (innsyn, GDPR art. 15); `glemsel export ID` gives the answer."""
    _submit("access", request.subject(), request, wait, config, as_json)


@app.command()
@_request_command
def rectify(
    entity_type: Annotated[
        list[str],
        typer.Option("--type", help="Identifier type of a correction, e.g. PHONE_NUMBER."),
    ],
    old: Annotated[list[str], typer.Option(help="The wrong value (one per --type).")],
    new: Annotated[list[str], typer.Option(help="The right value (one per --type).")],
    request: _RequestArgs,
    wait: WaitOpt = True,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Submit a rectification (GDPR art. 16): every location with --old gets --new."""
    from glemsel.pipeline.core.events import Correction
    from glemsel.pipeline.operations.requests import _reason

    if not (len(entity_type) == len(old) == len(new)):
        fail("give --type, --old and --new once per correction")
    subject = request.subject()
    try:
        corrections = [
            Correction(type=t, old=o, new=n) for t, o, n in zip(entity_type, old, new, strict=True)
        ]
    except ValueError as exc:
        fail(_reason(exc))  # the operations layer's safe wording
    _submit("rectification", subject, request, wait, config, as_json, corrections=corrections)


def _submit(
    kind: str,
    subject: "SubjectIdentifiers",
    request: _RequestArgs,
    wait: bool | None,
    config: Path | None,
    as_json: bool,
    timeout: float | None = None,
    corrections: "list[Correction] | None" = None,
) -> None:
    """Submit a request of ``kind`` through the operations layer, process it now when
    embedded (unless --no-wait), then show its status. ``timeout`` (erasure): distributed
    waits for the summary with --wait, else says it was submitted."""
    from glemsel.pipeline.operations import requests as ops

    with loaded_config(config) as cfg:
        deployment = _deployment(cfg)
        with refused():
            req = ops.submit(
                ops.gateway(deployment),
                kind,
                subject,
                request.requested_by,
                corrections=corrections,
                systems=request.system or None,
                request_id=request.request_id,
            )
        if cfg.mode == "embedded" and wait is not False:
            _run_now(deployment)
        deployment.close()
        if cfg.mode == "distributed" and timeout is not None:
            if not wait:  # acknowledged by the broker: a worker carries it out
                if as_json:
                    print_json({"request_id": req.request_id, "status": "submitted"})
                else:
                    out().print(
                        f"request [bold]{req.request_id}[/bold] submitted; "
                        f"`glemsel status {req.request_id}` shows its outcome"
                    )
                return
            _wait_for_summary(cfg, req.request_id, timeout)
        queries.show_status(req.request_id, cfg, as_json)


def _wait_for_summary(cfg: "Config", request_id: str, timeout: float) -> None:
    """Until a worker recorded the request's summary (its status left ``received``)."""
    from glemsel.pipeline.core.statuses import RequestStatus

    stores = _stores(cfg)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            row = stores.state.requests.get(request_id)
            if row is not None and row.status != RequestStatus.RECEIVED:
                return
            time.sleep(0.5)
    finally:
        stores.close()
    fail(f"request {request_id} submitted, no outcome in {timeout:.0f} s: is a worker running?", 1)


@app.command("export")
def export_cmd(
    request_id: Annotated[str, typer.Argument(help="An access request's id.")],
    fmt: Annotated[str, typer.Option("--format", help="json | html")] = "json",
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write here (default: standard output).")
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """The answer to an access request, read from the systems now (Glemsel keeps no copy)."""
    from glemsel.pipeline.operations.export import ExportError, make_export

    if fmt not in ("json", "html"):
        fail(f"--format must be json or html, not {fmt!r}")
    with loaded_config(config) as cfg:
        deployment = _deployment(cfg)
        try:
            export = make_export(deployment, request_id, by=user(), fmt=fmt)  # type: ignore[arg-type]
        except ExportError as exc:
            fail(str(exc), code=1)
        finally:
            deployment.close()
    if out_file is None:
        sys.stdout.buffer.write(export.body + b"\n")
        sys.stdout.flush()
        return
    out_file.write_bytes(export.body)
    out_file.chmod(0o600)  # raw personal data: for the person it is about, not for everyone
    err().print(f"wrote {out_file} ({export.records} record(s))")


@app.command()
def extend(
    request_id: Annotated[str, typer.Argument()],
    reason: Annotated[str, typer.Option(help="Why more time is needed (GDPR art. 12(3)).")],
    months: Annotated[int, typer.Option(min=1, max=2)] = 2,
    config: ConfigOpt = None,
) -> None:
    """Extend a request's deadline once, by up to two months, with a reason."""
    from glemsel.pipeline.operations.requests import extend_deadline

    with loaded_config(config) as cfg:
        gw, stores = _read_gateway(cfg)
        try:
            with refused():
                view = extend_deadline(gw, request_id, months, reason, by=user())
        finally:
            stores.close()
    out().print(f"request {request_id}: deadline now {view.deadline:%Y-%m-%d}")


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
    from glemsel.pipeline.operations.requests import gateway, replay_dead_letters

    with loaded_config(config) as cfg:
        deployment = _deployment(cfg)
        letters = [x for x in deployment.dead_letters() if stage is None or x.stage == stage]
        if replay:
            replay_dead_letters(gateway(deployment), letters)
        deployment.close()
    if replay:
        err().print(f"published {len(letters)} dead letter(s) again")
        return
    if as_json:
        print_json([letter.model_dump(by_alias=True, mode="json") for letter in letters])
        return
    from rich.table import Table

    table = Table("time", "topic", "stage", "error")
    for letter in letters:
        table.add_row(f"{letter.ts:%Y-%m-%d %H:%M:%S}", letter.topic, letter.stage, letter.error)
    out().print(table)


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
    from glemsel.pipeline.operations import requests as ops

    subject = identifiers(fnr, email, phone, name, required=False)
    with loaded_config(config) as cfg, refused():
        deployment = _deployment(cfg)
        hold = ops.place_hold(
            ops.gateway(deployment),
            reason,
            placed_by,
            hold_id=hold_id,
            subject=subject,
            systems=system or None,
            records=ops.parse_record_refs(record or []) or None,
            until=until,
        )
        _apply_holds(cfg, deployment)
    out().print(f"hold {hold.hold_id} placed")


@hold_app.command("release")
def hold_release(
    hold_id: Annotated[str, typer.Argument()],
    released_by: Annotated[str, typer.Option()] = "cli",
    config: ConfigOpt = None,
) -> None:
    """Release a hold: what it kept is erased now, if a request asked for it."""
    from glemsel.pipeline.operations.requests import gateway, release_hold

    with loaded_config(config) as cfg, refused():
        deployment = _deployment(cfg)
        release_hold(gateway(deployment), hold_id, released_by)
        _apply_holds(cfg, deployment)
    out().print(f"hold {hold_id} released")


def _apply_holds(cfg: "Config", deployment: "Deployment") -> None:
    if cfg.mode == "embedded":  # one process: apply it now, as a worker would
        _run_now(deployment)
    deployment.close()


def _run_now(deployment: "Deployment") -> None:
    """Process what was just published, unless a running worker will (it holds the lock)."""
    from glemsel.pipeline.stores.bus import WorkerBusy

    try:
        deployment.run(until_idle=True)
    except WorkerBusy:
        err().print("a running worker holds the state directory; it processes this next")


@hold_app.command("list")
def hold_list(config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """All holds, active and ended."""

    with loaded_config(config) as cfg:
        stores = _stores(cfg)
        rows = stores.state.holds.all()
        stores.close()
    if as_json:
        print_json([h.view() for h in rows])
        return
    from rich.table import Table

    table = Table("hold", "active", "scope", "reason", "until", "placed by")
    for h in rows:
        scope = ", ".join(k for k, v in h.view()["scope"].items() if v)
        table.add_row(
            h.hold_id,
            "yes" if h.active else "no",
            scope,
            h.reason or "",
            h.until.date().isoformat() if h.until else "",
            h.placed_by or "",
        )
    out().print(table)


# --- audit ----------------------------------------------------------------------------------


@audit_app.command("head")
def audit_head(config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """The chain's last entry (seq and MAC): keep it elsewhere, check it with verify --head."""
    with loaded_config(config) as cfg:
        stores = _stores(cfg)
        head = stores.audit.head()
        stores.close()
    if as_json:
        print_json(head.as_dict())
    else:
        out().print(str(head), highlight=False)


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

    with loaded_config(config) as cfg:
        try:
            heads = [AuditHead.parse(head)] if head else exported_heads(cfg)
        except ValueError as exc:
            fail(f"--head: {exc}")
        stores = _stores(cfg)
        result = stores.audit.verify(heads)
        stores.close()
    checked = max((h.seq for h in heads), default=None)
    if as_json:
        print_json(
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
        out().print(f"[green]audit chain intact[/green]: {result.entries} entries{against}")
    else:
        err().print(f"[red]audit chain BROKEN[/red] at entry {result.seq}: {result.problem}")
    if not result.ok:
        raise typer.Exit(1)


@audit_app.command("show")
def audit_show(
    request_id: Annotated[str | None, typer.Option(help="Only this request.")] = None,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The audit entries (hashes and record ids only)."""

    with loaded_config(config) as cfg:
        stores = _stores(cfg)
        rows = stores.audit.entries(request_id)
        stores.close()
    if as_json:
        print_json(rows)
        return
    from rich.table import Table

    table = Table("seq", "time", "kind", "request", "location")
    for r in rows:
        where = f"{r['system']}/{r['record_id']}" if r["system"] else ""
        table.add_row(str(r["seq"]), r["ts"][:19], r["kind"], r["request_id"] or "", where)
    out().print(table)


# --- demo -----------------------------------------------------------------------------------


@app.command()
def demo(
    directory: Annotated[
        Path | None, typer.Option("--dir", help="Where to build it (default: a temp dir).")
    ] = None,
) -> None:
    """Build demo systems (CRM, support, mail, chat, ERP, recruitment, web forms) and walk
    through an erasure, a legal hold, IP anonymisation and a hiring process that closes."""
    from glemsel.pipeline.interfaces.demo import run_demo

    raise typer.Exit(run_demo(directory, out()))
