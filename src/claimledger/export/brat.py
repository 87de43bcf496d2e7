"""Analysis attributions as BRAT standoff in PolNeAR's layout.

T lines typed Source, Cue and Content (discontinuous pieces as `s e;s e`), plus an Attribution
trigger on the cue, and E lines `E1<TAB>Attribution:T4 Source:T1 Cue:T2 Content:T3`.
"""

from __future__ import annotations


def _clean(text: str) -> str:
    return text.replace("\n", " ").replace("\t", " ")


def to_brat(analysis: dict, text: str) -> str:
    lines: list[str] = []
    counter = 0

    def add(label: str, spans: list[list[int]] | list[tuple[int, int]]) -> str:
        nonlocal counter
        counter += 1
        offsets = ";".join(f"{s} {e}" for s, e in spans)
        surface = " ".join(_clean(text[s:e]) for s, e in spans)
        lines.append(f"T{counter}\t{label} {offsets}\t{surface}")
        return f"T{counter}"

    for event, attribution in enumerate(analysis["attributions"], start=1):
        source, cue, content = attribution.get("source"), attribution.get("cue"), attribution["content"]
        if not cue:
            continue  # BRAT's Attribution trigger sits on the cue
        roles = []
        if source:
            roles.append(f"Source:{add('Source', [(source['start'], source['end'])])}")
        roles.insert(0, f"Cue:{add('Cue', [(cue['start'], cue['end'])])}")
        trigger = add("Attribution", [(cue["start"], cue["end"])])
        if content["spans"]:
            roles.append(f"Content:{add('Content', content['spans'])}")
        name = "Attribution" if source else "Attribution-no-source"
        lines.append(f"E{event}\t{name}:{trigger} " + " ".join(roles))
    return "\n".join(lines) + ("\n" if lines else "")
