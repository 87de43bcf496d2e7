"""The ledger as a STIX 2.1 bundle, built with the stix2 library.

A Report per article, an Identity per source, a Note per claim (written by its source's Identity,
referring to the article's Report), and a Relationship per relation between the claims' Notes
(`revises`, `conflicts-with`, `corroborates`, `misreports`). STIX `confidence` carries the claim's
stated likelihood mapped with the STIX appendix's DNI (ICD 203) scale; the raw term and
probability are kept in `x_claimledger_*` properties, and the system's extraction confidence
separately, so the three things DESIGN.md keeps apart stay apart. Source reliability (Admiralty
A-F) rides on the Identity. Ids are UUIDv5 of the ledger ids, so the same ledger gives the same bundle.
"""

from __future__ import annotations

import uuid

import stix2
from sqlalchemy import Engine

from claimledger.export.ledger import ledger_dict

NAMESPACE = uuid.UUID("5b0c5a64-6f1e-4c39-9a41-0b6c3c7b8e21")
EPOCH = "1970-01-01T00:00:00Z"  # what a Report without a known publication date is stamped with

# STIX 2.1 appendix, "DNI Scale": the value each ICD 203 term maps to.
DNI_CONFIDENCE = {
    "almost no chance": 5, "very unlikely": 15, "unlikely": 30, "roughly even chance": 50, "likely": 70,
    "very likely": 85, "almost certain": 95,
}
IDENTITY_CLASS = {
    "person": "individual", "official": "individual", "expert": "individual", "anonymous": "unknown",
    "organisation": "organization", "government": "organization", "media": "organization",
    "document": "organization", "unknown": "unknown",
}
RELATIONSHIP = {"revision": "revises", "conflict": "conflicts-with", "corroboration": "corroborates", "discrepancy": "misreports"}


def _id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, key)}"


def _timestamp(date: str | None) -> str:
    return f"{date}T00:00:00Z" if date else EPOCH


def ledger_bundle(engine: Engine) -> stix2.Bundle:
    data = ledger_dict(engine)
    documents = {d["id"]: d for d in data["documents"]}
    objects: list = []
    identities = {}
    for source in data["sources"]:
        identity = stix2.Identity(
            id=_id("identity", source["id"]), name=source["name"], identity_class=IDENTITY_CLASS.get(source["kind"], "unknown"),
            created=EPOCH, modified=EPOCH, allow_custom=True, x_claimledger_kind=source["kind"],
            x_claimledger_reliability=source["reliability"], x_claimledger_aliases=source["aliases"],
        )
        identities[source["id"]] = identity
        objects.append(identity)
    notes_by_document: dict[str, list[str]] = {}
    note_ids: dict[str, str] = {}
    for claim in data["claims"]:
        document = documents[claim["document_id"]]
        stamp = _timestamp(document.get("published"))
        term = (claim["certainty"] or {}).get("term")
        properties = {
            "x_claimledger_claim_id": claim["id"], "x_claimledger_icd203_term": term,
            "x_claimledger_probability": (claim["certainty"] or {}).get("probability"),
            "x_claimledger_cue": claim["cue"], "x_claimledger_type": claim["type"],
            "x_claimledger_credibility": claim.get("credibility"),
        }
        note = stix2.Note(
            id=_id("note", claim["id"]), abstract=f"{claim['source_text'] or 'The author'}: {claim['cue'] or ''}".strip(),
            content=claim["content"] or "(no content extracted)", object_refs=[_id("report", claim["document_id"])],
            authors=[identities[claim["source_id"]].name] if claim["source_id"] in identities else None,
            created_by_ref=identities[claim["source_id"]].id if claim["source_id"] in identities else None,
            confidence=DNI_CONFIDENCE.get(term) if term else None, created=stamp, modified=stamp,
            allow_custom=True, **{k: v for k, v in properties.items() if v is not None},
        )
        note_ids[claim["id"]] = note.id
        notes_by_document.setdefault(claim["document_id"], []).append(note.id)
        objects.append(note)
    for document in data["documents"]:
        refs = notes_by_document.get(document["id"])
        if not refs:
            continue  # a Report must refer to something: a document without claims has no Report
        objects.append(stix2.Report(
            id=_id("report", document["id"]), name=document["title"] or f"Document {document['id'][:12]}",
            published=_timestamp(document["published"]), object_refs=refs, report_types=["threat-report"],
            created=_timestamp(document["published"]), modified=_timestamp(document["published"]),
            external_references=[{"source_name": document["publisher"] or "web", "url": document["url"]}] if document["url"] else None,
            allow_custom=True, x_claimledger_document_id=document["id"], x_claimledger_author=document.get("author"),
        ))
    for relation in data["relations"]:
        first, second = relation["claims"]
        if first not in note_ids or second not in note_ids:
            continue  # a figure without a claim (the author's own) has no Note to relate
        objects.append(stix2.Relationship(
            id=_id("relationship", relation["id"]), relationship_type=RELATIONSHIP[relation["type"]],
            source_ref=note_ids[second], target_ref=note_ids[first], description=relation["explanation"],
            created=EPOCH, modified=EPOCH, allow_custom=True, x_claimledger_relation=relation["type"],
        ))
    return stix2.Bundle(objects=objects, id=_id("bundle", "|".join(sorted(d["id"] for d in data["documents"]))), allow_custom=True)
