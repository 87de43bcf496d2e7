"""Analysis as Rich tables for the terminal."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text


def _shorten(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def analysis_tables(analysis: dict, title: str | None = None) -> Group:
    document = analysis["document"]
    heading = Text(title or document.get("title") or document["id"][:12], style="bold")
    meta = ", ".join(
        f"{k} {document[k]}" for k in ("author", "published", "language") if document.get(k)
    )
    parts = [heading]
    if meta:
        parts.append(Text(meta, style="dim"))
    for flag in analysis.get("flags", []):
        parts.append(Text(f"flag: {flag}", style="yellow"))
    table = Table(show_lines=False, expand=True)
    for column, style in (("id", "dim"), ("source", "cyan"), ("kind", "dim"), ("cue", "magenta"),
                          ("content", ""), ("type", "dim"), ("certainty", "green")):
        table.add_column(column, style=style, overflow="fold")
    for a in analysis["attributions"]:
        source = a.get("source")
        source_text = "—"
        if source:
            source_text = source["text"]
            if source.get("canonical") and source["canonical"] != source["text"]:
                source_text += f" → {source['canonical']}"
        if a.get("via"):
            source_text += f" (via {a['via']['text']})"
        certainty = a.get("certainty")
        table.add_row(
            a["id"] + (f" ⊂ {a['parent']}" if a.get("parent") else ""),
            source_text,
            source["kind"] if source else "",
            (a["cue"]["text"] + f" [{a['cue']['stance']}]") if a.get("cue") else "",
            _shorten(a["content"]["text"]),
            a["type"],
            f"{certainty['term']} ({certainty['probability']:.2f})" if certainty else "",
        )
    parts.append(table)
    if analysis.get("quantities"):
        parts.append(_quantity_table(analysis))
    return Group(*parts)


CHANGE_WORDS = {"=": "", "~": "about ", ">": "more than ", "<": "up to ", "up": "up ", "down": "down "}


def _figure(q: dict) -> str:
    """'about 5,936', '10,000–50,000', 'more than 50,000' as a reader would say it."""
    if q.get("value") is not None:
        number = f"{q['value']:,.10g}"
    elif q.get("low") is not None and q.get("high") is not None:
        number = f"{q['low']:,.10g}–{q['high']:,.10g}"
    else:
        number = f"{(q.get('low') if q.get('low') is not None else q.get('high')):,.10g}"
    return CHANGE_WORDS.get(q.get("change", "="), "") + number


def _quantity_table(analysis: dict) -> Table:
    table = Table(title="figures", title_justify="left", expand=True)
    for column, style in (("id", "dim"), ("text", ""), ("figure", "bold"), ("unit", "cyan"),
                          ("concept", ""), ("as of", "green"), ("claim", "dim")):
        table.add_column(column, style=style, overflow="fold")
    for q in analysis["quantities"]:
        table.add_row(
            q["id"], _shorten(q["text"], 40), _figure(q), q.get("unit_normalized") or "",
            _shorten(q.get("concept") or "", 50), q.get("as_of") or "", q.get("attribution") or "",
        )
    return table


def print_analysis(analysis: dict, console: Console | None = None, title: str | None = None) -> None:
    (console or Console()).print(analysis_tables(analysis, title))


def ledger_tables(data: dict) -> Group:
    """The ledger for the terminal: sources, each series with its points in date order, relations."""
    sources = {s["id"]: s for s in data["sources"]}
    documents = {d["id"]: d for d in data["documents"]}
    claim_counts: dict[str, int] = {}
    for claim in data["claims"]:
        if claim["source_id"]:
            claim_counts[claim["source_id"]] = claim_counts.get(claim["source_id"], 0) + 1
    parts: list = [Text(f"{len(data['documents'])} documents, {len(data['sources'])} sources, "
                        f"{len(data['claims'])} claims, {len(data['series'])} series, {len(data['relations'])} relations",
                        style="bold")]
    table = Table(title="sources", title_justify="left", expand=True)
    for column, style in (("name", "cyan"), ("kind", "dim"), ("part of", "dim"), ("aliases", ""), ("grade", "bold"), ("claims", "")):
        table.add_column(column, style=style, overflow="fold")
    for source in sorted(data["sources"], key=lambda s: (-claim_counts.get(s["id"], 0), s["name"].lower())):
        parent = sources.get(source["parent"] or "", {}).get("name", "")
        table.add_row(source["name"], source["kind"], parent, _shorten(", ".join(source["aliases"]), 60),
                      source["reliability"], str(claim_counts.get(source["id"], 0)))
    parts.append(table)
    for series in data["series"]:
        if len(series["points"]) < 2 and not any(p["source_id"] for p in series["points"]):
            continue  # a lone unattributed figure is no series worth showing
        points = Table(title=f"series: {series['concept']}" + (f" ({series['unit']})" if series["unit"] else ""),
                       title_justify="left", expand=True)
        for column, style in (("when", "green"), ("source", "cyan"), ("figure", "bold"), ("text", ""), ("document", "dim")):
            points.add_column(column, style=style, overflow="fold")
        for point in sorted(series["points"], key=lambda p: (p["when"] or "", p["figure_id"])):
            document = documents.get(point["document_id"], {})
            points.add_row(point["when"] or "—", sources.get(point["source_id"] or "", {}).get("name", "the author"),
                           _figure(point), _shorten(point["text"], 40),
                           _shorten(document.get("publisher") or document.get("title") or point["document_id"][:12], 30))
        parts.append(points)
    if data["relations"]:
        relations = Table(title="relations", title_justify="left", expand=True)
        relations.add_column("type", style="magenta")
        relations.add_column("explanation", overflow="fold")
        for relation in data["relations"]:
            relations.add_row(relation["type"], relation["explanation"])
        parts.append(relations)
    return Group(*parts)
