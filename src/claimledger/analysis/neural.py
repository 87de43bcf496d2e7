"""The "accurate" profile: a fine-tuned MiniLM token tagger for cues, sources and contents.

Owns running the int8 ONNX export of all-MiniLM-L6-v2 fine-tuned on PolNeAR train (see
`scripts/train_transformer.py`) over a parsed document, in overlapping windows of word pieces, and
turning its B/I/O predictions into runs of spaCy tokens: the same output as the CRF taggers'
`AttributionTagger.tag`, so that linking and everything after it are shared.

Needs the `accurate` extra (onnxruntime, tokenizers); the weights ship in `models/accurate/`.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from claimledger.analysis.tagger import MODEL_DIR, TokenRun, runs_from_labels

LAYERS = ("cue", "source", "content")
LABELS = ("O", "B", "I")
ACCURATE_DIR = MODEL_DIR / "accurate"
WINDOW = 256  # word pieces per window, [CLS] and [SEP] included
STRIDE = 192  # new word pieces per window; the overlap gives each piece context on both sides


class AccurateModelMissing(RuntimeError):
    pass


def windows(length: int, size: int = WINDOW - 2, stride: int = STRIDE) -> list[tuple[int, int]]:
    """Start and end of each window over `length` word pieces; they overlap and cover everything."""
    if length <= size:
        return [(0, length)]
    spans, start = [], 0
    while True:
        end = min(start + size, length)
        spans.append((start, end))
        if end == length:
            return spans
        start += stride


class NeuralTagger:
    def __init__(self, model_dir: Path = ACCURATE_DIR):
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as error:
            raise AccurateModelMissing(
                "the accurate profile needs the 'accurate' extra: pip install 'claimledger[accurate]'"
            ) from error
        model_path = Path(model_dir) / "tagger.int8.onnx"
        if not model_path.exists():
            raise AccurateModelMissing(f"{model_path} is missing; rebuild it with scripts/train_transformer.py")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.meta = json.loads((Path(model_dir) / "meta.json").read_text())
        self.cls_id = self.tokenizer.token_to_id("[CLS]")
        self.sep_id = self.tokenizer.token_to_id("[SEP]")

    def piece_logits(self, text: str) -> tuple[np.ndarray, list[tuple[int, int]]]:
        """Logits (pieces x layers x labels) for every word piece of `text`, and the pieces' offsets."""
        encoding = self.tokenizer.encode(text, add_special_tokens=False)
        ids = np.array(encoding.ids, dtype=np.int64)
        offsets = encoding.offsets
        total = np.zeros((len(ids), len(LAYERS), len(LABELS)), dtype=np.float32)
        weight = np.zeros(len(ids), dtype=np.float32)
        for start, end in windows(len(ids)):
            window_ids = np.concatenate([[self.cls_id], ids[start:end], [self.sep_id]])[None, :]
            mask = np.ones_like(window_ids)
            (logits,) = self.session.run(
                None, {"input_ids": window_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(window_ids)}
            )
            logits = logits[0, 1:-1].reshape(end - start, len(LAYERS), len(LABELS))
            # pieces near a window's edge see little context: weigh the middle of each window more
            position = np.arange(end - start)
            edge = np.minimum(position + 1, end - start - position).astype(np.float32)
            w = np.minimum(edge / 32.0, 1.0) + 1e-3
            total[start:end] += logits * w[:, None, None]
            weight[start:end] += w
        return total / np.maximum(weight, 1e-6)[:, None, None], offsets

    def tag(self, doc: Doc) -> dict[str, list[TokenRun]]:
        if len(doc) == 0:
            return {layer: [] for layer in LAYERS}
        logits, offsets = self.piece_logits(doc.text)
        probabilities = np.exp(logits - logits.max(axis=2, keepdims=True))
        probabilities /= probabilities.sum(axis=2, keepdims=True)
        # each spaCy token takes the prediction of its first word piece
        first_piece = [-1] * len(doc)
        piece = 0
        for token in doc:
            while piece < len(offsets) and offsets[piece][1] <= token.idx:
                piece += 1
            if piece < len(offsets) and offsets[piece][0] < token.idx + len(token.text):
                first_piece[token.i] = piece
        result = {}
        for layer_index, layer in enumerate(LAYERS):
            labels, confidences = [], []
            for token in doc:
                p = first_piece[token.i]
                if p < 0:
                    labels.append("O")
                    confidences.append(1.0)
                    continue
                best = int(probabilities[p, layer_index].argmax())
                labels.append(LABELS[best])
                confidences.append(float(probabilities[p, layer_index, best]))
            result[layer] = runs_from_labels(labels, confidences)
        return result
