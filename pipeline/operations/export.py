"""The access export as an operation: build it from the sinks, audit who fetched it, render.

Every interface (CLI `glemsel export`, API, web page) calls :func:`make_export`. The export
holds raw personal data by nature: it is built in memory when asked for and handed over;
Glemsel keeps no copy. The audit trail records who made it, when, for which request and in
which format (the caller's name as a keyed hash, counts only).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from typing import Any, Literal

from glemsel.pipeline.flow.export import ExportBuilder, ExportError
from glemsel.pipeline.runtime.deployment import Deployment

Format = Literal["json", "html"]

__all__ = ["Export", "ExportError", "build_export", "make_export", "render_html"]


@dataclass(frozen=True)
class Export:
    body: bytes
    media_type: str
    filename: str
    records: int


def build_export(deployment: Deployment, request_id: str) -> dict[str, Any]:
    p = deployment.processor  # its sinks and scanner: the same reading as erasure's
    builder = ExportBuilder(
        deployment.config, deployment.stores.index, deployment.stores.state, p.sinks, p.scanner
    )
    return builder.build(request_id)


def make_export(deployment: Deployment, request_id: str, by: str, fmt: Format = "json") -> Export:
    if fmt not in ("json", "html"):
        raise ExportError(f"format must be json or html, not {fmt!r}")
    doc = build_export(deployment, request_id)
    records = sum(len(s["records"]) for s in doc["systems"])
    stores = deployment.stores
    stores.audit.append(
        "access.export",
        request_id=request_id,
        by=stores.hasher.opaque(by),
        format=fmt,
        systems=[s["system"] for s in doc["systems"]],
        records=records,
    )
    if fmt == "json":
        body = json.dumps(doc, ensure_ascii=False, indent=2, default=str).encode()
        media = "application/json"
    else:
        body = render_html(doc).encode()
        media = "text/html; charset=utf-8"
    return Export(body, media, f"innsyn-{_safe(request_id)}.{fmt}", records)


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)[:80]


# --- HTML, in Norwegian: what a person reads ----------------------------------------------

STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem;color:#1d1d1f;line-height:1.45}
h1{font-size:1.5rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:2px solid #ddd}
h3{font-size:1rem;margin-bottom:.3rem} dl{display:grid;grid-template-columns:12rem 1fr;gap:.2rem}
dt{font-weight:600} dd{margin:0} table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}
td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top;
font-size:.92rem;white-space:pre-wrap} th{background:#f3f3f5;width:12rem}
.note{background:#f4f1e8;padding:.6rem .8rem;border-radius:.3rem}
"""

ROLE = {
    "owner": "Din egen registrering",
    "mentioned": "Du er nevnt i en annens registrering: bare avsnittene som nevner deg vises, "
    "andres opplysninger er skjult (personvernforordningen art. 15 nr. 4).",
}


def render_html(doc: dict[str, Any]) -> str:
    subject = doc["subject"]
    who = [
        ("Navn", ", ".join(subject.get("names") or [])),
        ("Fødselsnummer", subject.get("fnr") or ""),
        ("E-post", ", ".join(subject.get("emails") or [])),
        ("Telefon", ", ".join(subject.get("phones") or [])),
    ]
    parts = [
        "<!doctype html><html lang='no'><head><meta charset='utf-8'>",
        f"<title>Innsyn – {escape(doc['request_id'])}</title><style>{STYLE}</style></head><body>",
        "<h1>Innsyn i personopplysninger</h1>",
        "<p class='note'>Dette er opplysningene vi har lagret om deg, slik de står i systemene "
        "våre da oversikten ble laget (personvernforordningen art. 15). Den maskinlesbare "
        "utgaven (JSON) kan du ta med deg til en annen tjeneste (art. 20).</p>",
        "<dl>",
        f"<dt>Sak</dt><dd>{escape(doc['request_id'])}</dd>",
        f"<dt>Laget</dt><dd>{escape(doc['generated_at'][:16].replace('T', ' '))} UTC</dd>",
        *(f"<dt>{k}</dt><dd>{escape(v)}</dd>" for k, v in who if v),
        "</dl>",
    ]
    if not doc["systems"]:
        parts.append("<p>Vi fant ingen opplysninger om deg.</p>")
    for system in doc["systems"]:
        parts.append(f"<h2>{escape(system['system'])}</h2><dl>")
        for label, key in (
            ("Formål", "purpose"),
            ("Behandlingsgrunnlag", "legal_basis"),
            ("Lagringstid", "storage_period"),
        ):
            parts.append(f"<dt>{label}</dt><dd>{escape(system.get(key) or 'Ikke oppgitt')}</dd>")
        recipients = ", ".join(system.get("recipients") or []) or "Ingen utlevering"
        parts.append(f"<dt>Mottakere</dt><dd>{escape(recipients)}</dd></dl>")
        for record in system["records"]:
            parts.append(
                f"<h3>{escape(record['record_type'] or 'post')} {escape(record['record_id'])}</h3>"
                f"<p>{escape(ROLE.get(record.get('role', ''), ''))}</p><table>"
            )
            for key, value in _rows(record["data"]):
                parts.append(f"<tr><th>{escape(key)}</th><td>{escape(value)}</td></tr>")
            if record.get("attachments"):
                names = ", ".join(record["attachments"])
                parts.append(f"<tr><th>Vedlegg</th><td>{escape(names)}</td></tr>")
            parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def _rows(data: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(data, dict):
        rows = []
        for key, value in data.items():
            rows += _rows(value, f"{prefix}.{key}" if prefix else str(key))
        return rows
    if isinstance(data, list):
        rows = []
        for i, value in enumerate(data):
            rows += _rows(value, f"{prefix}.{i}" if prefix else str(i))
        return rows
    return [(prefix, "" if data is None else str(data))]
