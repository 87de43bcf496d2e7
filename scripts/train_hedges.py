"""Rebuild the hedge/weasel/booster lexicon from the CoNLL-2010 Wikipedia weasel sentences.

    python scripts/train_hedges.py [--data ../shared/data/wiki-weasel/train.csv]
                                   [--out src/claimledger/analysis/models/hedges.json] [--folds 5]

The data has sentence labels only (1 = holds a hedge or weasel cue), no cue spans, so cues are
induced. A token n-gram (1-3 words, as `certainty.tokens` cuts them) is a candidate when it is
frequent and precise enough for the uncertain class and holds a word other than grammar words;
greedy forward selection adds the candidate that most raises F1 on the training sentences until
the gain falls below a floor. A second greedy pass adds exceptions: longer n-grams ("several
years", "it is common") that hide a chosen cue where it is mostly not uncertain.

A hand seed (hedges, weasels, boosters from the literature) is kept where the data is too thin to
judge it and dropped where the data finds it imprecise. Modals are hedges in their epistemic
frames only ("[could] have" reports "could"): in this data the bare "may" is mostly deontic or
dynamic ("may be purchased") and would cost several points. The hedges the seed article must show
("could", "may", "seems", "some analysts") are always in, and no exception may hide them there.
The floors (support, precision, gains) are chosen by inner cross-validation on the training
folds only, and a learned entry is kept only where most inner-fold lexicons chose it as well.

The printed figure is a k-fold cross-validation of that whole procedure (floors chosen again in
each outer fold, never on the scored fold; folds are blocks of consecutive rows, so one article's
sentences stay together); the shipped lexicon is then learned on the whole file. Deterministic:
folds come from a fixed seed and ties break on the n-gram text.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimledger.analysis.certainty import EXCEPTION, KINDS, LEXICON_PATH, Lexicon, parse_entry, tokens  # noqa: E402
from claimledger.eval.weasel import WeaselScore, read_sentences, score_predictions  # noqa: E402

SEED = 13
MAX_N = 3
INNER_FOLDS = 3
BLOCK = 20  # sentences per cross-validation block
EXCEPTION_MIN_COUNT = 3
MIN_AGREEING = 2  # of the INNER_FOLDS inner lexicons that must hold a learned entry
# Inner-CV grid: minimum support of a candidate cue (runs of rows, see `learn`), its minimum
# smoothed precision, the smallest gain for which greedy selection goes on adding cues (training F1
# gain times the number of uncertain sentences, so that it means the same on the smaller inner
# folds), and the exceptions' gain floor as a fraction of the cues' one. Supports of 4-24 score
# alike; 12 and up keep one article's topic words ("processor", "sport") out of the lexicon.
MIN_COUNTS = (12, 24)
MIN_PRECISIONS = (0.4, 0.5)
MIN_GAINS = (1.0, 2.0, 4.0)
EXCEPTION_GAINS = (0.5, 1.0)

# Hand seed, from the hedging literature (Lakoff 1973; Hyland 1998; Coates 1983 on epistemic
# modals) and Wikipedia's weasel-word guideline; matched as token n-grams. Modals enter in their
# epistemic frames (perfect aspect, "well", an evidential verb) and report only the modal.
SEED_HEDGES = [
    "seems", "seem to", "seemed to", "appears to", "appear to", "might", "possibly", "perhaps",
    "probably", "likely", "unlikely", "suggests", "suggest", "reportedly", "allegedly", "apparently",
    "presumably", "potentially", "estimated", "roughly", "approximately", "believed to", "thought to",
    "it is believed", "it is thought", "it is said", "it is claimed", "it is reported", "not clear",
    "unclear", "if that's the case",
    *(f"[{modal}] {frame}" for modal in ("may", "might", "could") for frame in (
        "have", "well", *(f"{also}{verb}" for also in ("", "also ")
                         for verb in ("indicate", "suggest", "mean", "imply", "reflect"))
    )),
]
SEED_WEASELS = [
    "some analysts", "some experts", "some observers", "some critics", "some people", "some say",
    "many believe", "many say", "sources say", "sources said", "critics say", "experts say",
    "analysts say", "it has been said", "some have", "many have", "it is widely", "widely regarded",
    "widely believed", "many consider", "some consider", "some argue", "others argue",
    # quantifiers with no stated referent
    "some", "many", "several", "most", "various", "numerous", "others", "a number of", "a few",
]
BOOSTERS = [
    "no doubt", "clearly", "certainly", "definitely", "undoubtedly", "without doubt", "of course",
    "obviously", "surely", "indeed", "in fact", "must",
]
# The seed article's hedges (../shared/seed/expected.md): (context, entry, kind). The entries are
# always in the lexicon, and no learned exception may hide them in these contexts, whatever the
# Wikipedia data says.
REQUIRED = [
    ("western intelligence seems to suggest that", "seems", "hedge"),
    ("the Kremlin seems to be attempting", "seems", "hedge"),
    ("it could be the reason why", "[could] be", "hedge"),
    ("It may also indicate that", "[may] also indicate", "hedge"),
    ("Russia could have lost anywhere", "[could] have", "hedge"),
    ("the figure could be even higher", "[could] be", "hedge"),
    ("while some analysts suggest the figure", "some analysts", "weasel"),
]
# A learned cue must hold a word outside this closed class (articles, pronouns, auxiliaries,
# prepositions, conjunctions): "it is" or "been" correlate with uncertainty in Wikipedia (through
# "it is believed", "has been suggested") but are no cue in themselves.
GRAMMAR_WORDS = frozenset(
    "the a an this that these those it its his her their they he she we i you is are was were be been "
    "being has have had do does did of in on at to from by with for as and or but s there which who what "
    "than then into about one".split()
)
# A learned cue holding one of these words is a weasel (vague quantity or attribution); else a hedge.
WEASEL_WORDS = frozenset(
    "some many most several various numerous others certain critics sources experts analysts observers "
    "scholars people scientists historians researchers commentators fans believers proponents "
    "considered regarded believed thought said claimed alleged reported argued argue argues claim claims "
    "believe consider widely generally commonly often known seen viewed deemed".split()
)

Gram = tuple[str, ...]
Lexicon_ = dict[str, str]  # entry ("[could] have", "some") -> kind, as certainty.Lexicon takes it


@dataclass(frozen=True)
class Settings:
    min_count: int
    min_precision: float
    min_gain: float
    exception_gain: float = 1.0


@dataclass(frozen=True)
class Prepared:
    """A sentence as the learner sees it: its row in the file, normalised words, how far n-grams
    may reach from each word, all its n-grams."""

    row: int
    words: tuple[str, ...]
    runs: tuple[int, ...]  # runs[i]: how many words from i on are joined by whitespace only
    grams: frozenset[Gram]


def prepare(text: str, row: int = 0) -> Prepared:
    found = tokens(text)
    runs = [1] * len(found)
    for i in range(len(found) - 2, -1, -1):
        if found[i + 1].joined:
            runs[i] = runs[i + 1] + 1
    words = tuple(t.norm for t in found)
    grams = {words[i : i + n] for i in range(len(words)) for n in range(1, min(MAX_N, runs[i]) + 1)}
    return Prepared(row, words, tuple(runs), frozenset(grams))


def kind_of(gram: Gram) -> str:
    return "weasel" if WEASEL_WORDS.intersection(gram) else "hedge"


def _f1(tp: int, fp: int, positives: int) -> float:
    return 2 * tp / (tp + fp + positives) if tp else 0.0


def _covering(sentence: Prepared, start: int, length: int) -> set[Gram]:
    """The longer n-grams (up to MAX_N words) that contain words[start:start+length]."""
    out = set()
    for a in range(max(0, start - MAX_N + 1), start + 1):
        for n in range(max(length, start + length - a), min(MAX_N, sentence.runs[a]) + 1):
            if n > length:
                out.add(sentence.words[a : a + n])
    return out


def _forbidden_exceptions() -> set[Gram]:
    """N-grams that would hide a REQUIRED cue in its seed-article context."""
    out: set[Gram] = set()
    for context, entry, _ in REQUIRED:
        sentence, target = prepare(context), parse_entry(entry)[0]
        for i in range(len(sentence.words)):
            if sentence.words[i : i + len(target)] == target:
                out |= _covering(sentence, i, len(target))
    return out


def hand_entries() -> dict[Gram, tuple[str, str]]:
    """The hand seed as gram -> (entry, kind)."""
    pairs = [(e, "hedge") for e in SEED_HEDGES] + [(e, "weasel") for e in SEED_WEASELS]
    return {parse_entry(e)[0]: (e, kind) for e, kind in pairs}


def learn(data: Sequence[Prepared], labels: Sequence[bool], settings: Settings) -> Lexicon_:
    """The lexicon learned from these sentences with these floors."""
    masks: dict[Gram, int] = {}  # n-gram -> bit set of the file rows holding it
    for sentence in data:
        for gram in sentence.grams:
            masks[gram] = masks.get(gram, 0) | (1 << sentence.row)
    positive = sum(1 << s.row for s, y in zip(data, labels) if y)
    positives = positive.bit_count()
    prior = positives / len(labels)
    boosters = {tuple(b.split()) for b in BOOSTERS}
    required = {parse_entry(entry)[0]: (entry, kind) for _, entry, kind in REQUIRED}
    seed = hand_entries()

    def counts(mask: int) -> tuple[int, int]:
        tp = (mask & positive).bit_count()
        return tp, mask.bit_count() - tp

    def support(gram: Gram) -> int:
        """Runs of consecutive rows holding the n-gram: the file keeps an article's sentences
        together, so a topic word repeated through one article counts about once."""
        mask = masks.get(gram, 0)
        return (mask & ~(mask << 1)).bit_count()

    def precision(gram: Gram) -> float:
        tp, fp = counts(masks.get(gram, 0))
        return (tp + 2 * prior) / (tp + fp + 2)  # shrunk towards the base rate

    # Phase 1: cues. Required ones first; a seed entry the data cannot judge (too rare here) is
    # kept, one it can judge must be precise enough; then greedy forward selection.
    chosen: dict[Gram, tuple[str, str]] = dict(required)
    for gram, entry in seed.items():
        if support(gram) < settings.min_count or precision(gram) >= settings.min_precision:
            chosen.setdefault(gram, entry)
    candidates = sorted(
        g for g in masks
        if g not in chosen and g not in boosters and all(w.islower() for w in g) and not GRAMMAR_WORDS.issuperset(g)
        and support(g) >= settings.min_count and precision(g) >= settings.min_precision
    )
    covered = 0
    for gram in chosen:
        covered |= masks.get(gram, 0)
    tp, fp = counts(covered)
    best = _f1(tp, fp, positives)
    while True:
        pick, pick_f1 = None, best
        for gram in candidates:
            new = masks[gram] & ~covered
            if new:
                gain_tp, gain_fp = counts(new)
                f1 = _f1(tp + gain_tp, fp + gain_fp, positives)
                if f1 > pick_f1:
                    pick, pick_f1 = gram, f1
        if pick is None or (pick_f1 - best) * positives < settings.min_gain:
            break
        chosen[pick] = (" ".join(pick), kind_of(pick))
        covered |= masks[pick]
        tp, fp = counts(covered)
        best = pick_f1
    chosen = _prune(chosen, set(required) | set(seed))
    # Phase 2: exceptions, among the n-grams the data can judge.
    exceptions = _learn_exceptions(
        data, labels, set(chosen), settings.min_gain * settings.exception_gain,
        lambda g: support(g) >= EXCEPTION_MIN_COUNT and precision(g) < settings.min_precision,
    )
    return ({entry: kind for entry, kind in chosen.values()} | {" ".join(g): EXCEPTION for g in exceptions}
            | {b: "booster" for b in BOOSTERS})


def _learn_exceptions(data: Sequence[Prepared], labels: Sequence[bool], cues: set[Gram], min_gain: float,
                      eligible: Callable[[Gram], bool]) -> list[Gram]:
    """Greedy choice of longer n-grams that hide chosen cues where they mostly are not uncertain."""
    longest = max(len(g) for g in cues)
    forbidden = _forbidden_exceptions()
    # occurrences[i]: for each cue occurrence in sentence i, the candidate exceptions covering it.
    occurrences: list[list[set[Gram]]] = []
    holders: dict[Gram, set[int]] = {}
    for i, sentence in enumerate(data):
        found = []
        for start in range(len(sentence.words)):
            for n in range(1, min(longest, sentence.runs[start]) + 1):
                if sentence.words[start : start + n] in cues:
                    cover = {g for g in _covering(sentence, start, n) if g not in cues}
                    found.append(cover)
                    for g in cover:
                        holders.setdefault(g, set()).add(i)
        occurrences.append(found)
    candidates = sorted(
        g for g in holders
        if g not in forbidden and all(w.islower() for w in g) and eligible(g)
    )
    predicted = [bool(o) for o in occurrences]
    positives = sum(labels)
    tp = sum(p and y for p, y in zip(predicted, labels))
    fp = sum(p and not y for p, y in zip(predicted, labels))
    best = _f1(tp, fp, positives)
    chosen_exceptions: set[Gram] = set()
    while True:
        pick, pick_f1, pick_lost = None, best, []
        for gram in candidates:
            hiding = chosen_exceptions | {gram}
            lost = [i for i in holders[gram] if predicted[i] and all(cover & hiding for cover in occurrences[i])]
            lost_tp = sum(labels[i] for i in lost)
            f1 = _f1(tp - lost_tp, fp - (len(lost) - lost_tp), positives)
            if f1 > pick_f1:
                pick, pick_f1, pick_lost = gram, f1, lost
        if pick is None or (pick_f1 - best) * positives < min_gain:
            break
        chosen_exceptions.add(pick)
        candidates.remove(pick)
        for i in pick_lost:
            predicted[i] = False
            tp -= labels[i]
            fp -= not labels[i]
        best = pick_f1
    return sorted(chosen_exceptions)


def _prune(chosen: dict[Gram, tuple[str, str]], keep: set[Gram]) -> dict[Gram, tuple[str, str]]:
    """Drop a learned n-gram that contains a shorter chosen cue: it finds no new sentence and would
    hide the shorter cue's text."""

    def contains(long: Gram, short: Gram) -> bool:
        return len(short) < len(long) and any(long[i : i + len(short)] == short for i in range(len(long)))

    return {g: k for g, k in chosen.items() if g in keep or not any(contains(g, s) for s in chosen)}


def seed_lexicon() -> Lexicon_:
    """The hand lexicon alone (no learning): the baseline."""
    return {entry: kind for entry, kind in hand_entries().values()} | {b: "booster" for b in BOOSTERS}


def predict(lexicon: Lexicon_, texts: Sequence[str]) -> list[bool]:
    matcher = Lexicon(lexicon)
    return [any(c.kind in ("hedge", "weasel") for c in matcher.find(t)) for t in texts]


def folds_of(n: int, k: int, seed: int, block: int | None = None) -> list[int]:
    """Fold number of each of n sentences. The file keeps each article's sentences together, so
    folds are made of runs of `block` consecutive sentences: an article's topic words then cannot
    pass from the training folds into the scored one."""
    block = block or BLOCK
    blocks = list(range((n + block - 1) // block))
    random.Random(seed).shuffle(blocks)
    fold_of_block = {b: position % k for position, b in enumerate(blocks)}
    return [fold_of_block[i // block] for i in range(n)]


Fit = Callable[[Sequence[str], Sequence[Prepared], Sequence[bool]], Lexicon_]


def cross_validate(texts: Sequence[str], data: Sequence[Prepared], labels: Sequence[bool], k: int, fit: Fit,
                   seed: int = SEED) -> WeaselScore:
    """Pooled P/R/F1 over k held-out folds of a whole learning procedure `fit`."""
    fold = folds_of(len(labels), k, seed)
    predictions = [False] * len(labels)
    for f in range(k):
        train = [i for i in range(len(labels)) if fold[i] != f]
        test = [i for i in range(len(labels)) if fold[i] == f]
        lexicon = fit([texts[i] for i in train], [data[i] for i in train], [labels[i] for i in train])
        for i, p in zip(test, predict(lexicon, [texts[i] for i in test])):
            predictions[i] = p
    return score_predictions(predictions, labels)


def fit(texts: Sequence[str], data: Sequence[Prepared], labels: Sequence[bool],
        log: Callable[[str], None] = lambda _: None) -> Lexicon_:
    """Choose the floors by inner cross-validation on these sentences only, learn on all of them,
    and keep a learned entry only where most inner-fold lexicons (same floors) chose it too: an
    entry that comes and goes with the sample is a topic word of a few articles, not a cue."""
    best, best_f1, best_inner = None, -1.0, []
    for values in itertools.product(MIN_COUNTS, MIN_PRECISIONS, MIN_GAINS, EXCEPTION_GAINS):
        settings = Settings(*values)
        inner_lexicons: list[Lexicon_] = []

        def learn_inner(t, d, y, settings=settings, inner_lexicons=inner_lexicons):
            inner_lexicons.append(learn(d, y, settings))
            return inner_lexicons[-1]

        inner = cross_validate(texts, data, labels, INNER_FOLDS, learn_inner, seed=SEED + 1)
        if inner.f1 > best_f1:
            best, best_f1, best_inner = settings, inner.f1, inner_lexicons
    hand = set(seed_lexicon()) | {entry for _, entry, _ in REQUIRED}
    lexicon = learn(data, labels, best)
    stable = {e: k for e, k in lexicon.items() if e in hand or sum(e in other for other in best_inner) >= MIN_AGREEING}
    log(f"  floors {best} (inner CV F1 {best_f1:.3f}); {len(stable)} of {len(lexicon)} entries stable")
    return stable


def write(lexicon: Lexicon_, path: Path, meta: dict) -> None:
    by_kind = {kind: sorted(e for e, k in lexicon.items() if k == kind) for kind in (*KINDS, EXCEPTION)}
    path.write_text(json.dumps({"meta": meta, **by_kind}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "wiki-weasel" / "train.csv")
    parser.add_argument("--out", type=Path, default=LEXICON_PATH)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()

    started = time.time()
    sentences = read_sentences(args.data)
    texts = [s.text for s in sentences]
    labels = [s.label for s in sentences]
    data = [prepare(t, row) for row, t in enumerate(texts)]
    print(f"{len(texts)} sentences, {sum(labels)} uncertain")

    base = score_predictions(predict(seed_lexicon(), texts), labels)
    print(f"hand seed lexicon alone, whole file: P {base.precision:.3f} R {base.recall:.3f} F1 {base.f1:.3f}")

    cv = cross_validate(texts, data, labels, args.folds, lambda t, d, y: fit(t, d, y, log=print))
    print(f"{args.folds}-fold CV of the whole procedure: P {cv.precision:.3f} R {cv.recall:.3f} F1 {cv.f1:.3f}"
          f" (tp {cv.tp} fp {cv.fp} fn {cv.fn})")

    lexicon = fit(texts, data, labels, log=print)
    meta = {
        "source": "scripts/train_hedges.py on CoNLL-2010 Wikipedia weasel train.csv",
        "sentences": len(texts),
        "cv": {"folds": args.folds, "precision": round(cv.precision, 4), "recall": round(cv.recall, 4),
               "f1": round(cv.f1, 4)},
        "exception": "n-grams that hide the cues inside them and are not reported",
    }
    write(lexicon, args.out, meta)
    kinds = {k: sum(v == k for v in lexicon.values()) for k in (*KINDS, EXCEPTION)}
    print(f"wrote {len(lexicon)} entries {kinds} to {args.out} in {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
