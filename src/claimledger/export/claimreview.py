"""ClaimReview-style JSON-LD (schema.org) for the claims a user has rated.

Owns `rate` (store a verdict on a claim) and `claim_reviews` (the rated claims as ClaimReview
objects: the claim, who made it and where it appeared, who rated it, and the rating on a 1-5
scale where the label is one of the usual fact-check verdicts; other labels keep only their name).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, select

from claimledger.ledger.models import ClaimRow, DocumentRow, SourceRow
from claimledger.ledger.store import sessions

RATING_SCALE = {"false": 1, "mostly false": 2, "mixed": 3, "half true": 3, "misleading": 2, "mostly true": 4, "true": 5}
PERSON_KINDS = {"person", "official", "expert"}


def rate(engine: Engine, claim_id: str, rating: str, explanation: str | None = None, rated_by: str | None = None,
         today: dt.date | None = None) -> None:
    """Record a verdict on a claim; LookupError when there is no such claim."""
    rating = " ".join(rating.split()).lower()
    if not rating or len(rating) > 40:
        raise ValueError(f"rating {rating!r} must be 1 to 40 characters")
    with sessions(engine).begin() as session:
        claim = session.get(ClaimRow, claim_id)
        if claim is None:
            raise LookupError(f"no claim {claim_id}")
        claim.rating, claim.rating_explanation, claim.rated_by = rating, explanation, rated_by
        claim.rated_on = (today or dt.date.today()).isoformat()


def claim_reviews(engine: Engine) -> list[dict[str, Any]]:
    with sessions(engine)() as session:
        rows = session.execute(
            select(ClaimRow, DocumentRow, SourceRow)
            .join(DocumentRow, DocumentRow.id == ClaimRow.document_id)
            .outerjoin(SourceRow, SourceRow.id == ClaimRow.source_id)
            .where(ClaimRow.rating.is_not(None))
            .order_by(ClaimRow.id)
        ).all()
    reviews = []
    for claim, document, source in rows:
        rating: dict[str, Any] = {"@type": "Rating", "alternateName": claim.rating}
        if claim.rating in RATING_SCALE:
            rating.update(ratingValue=RATING_SCALE[claim.rating], bestRating=5, worstRating=1)
        item: dict[str, Any] = {"@type": "Claim", "appearance": {"@type": "CreativeWork", "url": document.url, "headline": document.title}}
        if source is not None:
            item["author"] = {"@type": "Person" if source.kind in PERSON_KINDS else "Organization", "name": source.name}
        if document.published:
            item["datePublished"] = document.published
        review: dict[str, Any] = {
            "@context": "https://schema.org", "@type": "ClaimReview", "identifier": claim.id,
            "claimReviewed": claim.content, "itemReviewed": item, "reviewRating": rating, "datePublished": claim.rated_on,
        }
        if claim.rated_by:
            review["author"] = {"@type": "Organization", "name": claim.rated_by}
        if claim.rating_explanation:
            review["reviewBody"] = claim.rating_explanation
        reviews.append(review)
    return reviews
