#!/usr/bin/env python3
"""A tiny random BERT in Hugging Face layout, and PyTorch's outputs for it, for HuggingFaceBertTest.java.

Writes into the output folder:
  tiny-bert/config.json, model.safetensors, vocab.txt, tokenizer_config.json   (what a user downloads)
  tiny-bert-expected.safetensors   the batch's input ids and attention mask (from the Rust `tokenizers`
                                   library's BertWordPieceTokenizer on vocab.txt), last_hidden_state,
                                   pooler_output and the masked mean, computed here in float64.

The forward pass follows transformers' modeling_bert (post-LN, exact GELU, additive attention mask
of (1 - mask) * float32.min); transformers itself needs a newer PyTorch than Debian's, so it is
written out with torch.nn.functional. Run (after setup-hf.sh):
    PYTHONPATH=/opt/hf /usr/bin/python3 kmerl-model/src/test/python/make_tiny_bert.py \
        kmerl-model/src/test/resources/text
"""
import json
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import save_file
from tokenizers import BertWordPieceTokenizer

CONFIG = dict(architectures=["BertModel"], model_type="bert", vocab_size=0, hidden_size=24, num_hidden_layers=2,
              num_attention_heads=3, intermediate_size=40, max_position_embeddings=24, type_vocab_size=2,
              layer_norm_eps=1e-12, hidden_act="gelu", hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1,
              position_embedding_type="absolute")

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", ",", ";", "(", ")", "-", "1", "2",
         "sinus", "rhythm", "normal", "ecg", "at", "##rial", "fi", "##bri", "##llation", "with", "rapid",
         "vent", "##ric", "##ular", "response", "left", "right", "bundle", "branch", "block", "st", "elevation",
         "in", "lead", "##s", "v", "##1", "##2", "av", "first", "degree", "qt", "##c", "long", "cafe", "naive",
         "no", "change", "t", "wave", "inversion", "a", "##b", "##n", "##or", "##mal"]

TEXTS = ["Sinus rhythm. Normal ECG.",
         "Atrial fibrillation with rapid ventricular response",
         "Left bundle branch block; ST elevation in leads V1-V2",
         "first degree AV block, QTc long (café naïve)",
         "abnormal T wave inversion [MASK] xyz",
         "no change"]


def gelu(x):
    return 0.5 * x * (1.0 + torch.erf(x / 2 ** 0.5))


def forward(w, cfg, ids, mask):
    """transformers' BertModel forward in float64; returns last_hidden_state and pooler_output."""
    b, t = ids.shape
    d, h = cfg["hidden_size"], cfg["num_attention_heads"]
    eps = cfg["layer_norm_eps"]
    ln = lambda x, p: F.layer_norm(x, (d,), w[p + ".weight"], w[p + ".bias"], eps)
    lin = lambda x, p: x @ w[p + ".weight"].T + w[p + ".bias"]
    x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.token_type_embeddings.weight"][0]
         + w["embeddings.position_embeddings.weight"][:t])
    x = ln(x, "embeddings.LayerNorm")
    additive = (1.0 - mask[:, None, None, :].double()) * torch.finfo(torch.float32).min
    for layer in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{layer}."
        split = lambda y: y.view(b, t, h, d // h).permute(0, 2, 1, 3)
        q, k, v = (split(lin(x, p + "attention.self." + n)) for n in ("query", "key", "value"))
        scores = q @ k.transpose(-1, -2) / (d // h) ** 0.5 + additive
        ctx = (scores.softmax(-1) @ v).permute(0, 2, 1, 3).reshape(b, t, d)
        a = ln(lin(ctx, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
        x = ln(lin(gelu(lin(a, p + "intermediate.dense")), p + "output.dense") + a, p + "output.LayerNorm")
    pooled = torch.tanh(lin(x[:, 0], "pooler.dense"))
    return x, pooled


def main():
    out = Path(sys.argv[1])
    model_dir = out / "tiny-bert"
    model_dir.mkdir(parents=True, exist_ok=True)
    (model_dir / "vocab.txt").write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    (model_dir / "tokenizer_config.json").write_text(json.dumps({"do_lower_case": True, "model_max_length": 24}) + "\n")
    cfg = dict(CONFIG, vocab_size=len(VOCAB))
    (model_dir / "config.json").write_text(json.dumps(cfg, indent=2) + "\n")

    gen = torch.Generator().manual_seed(20261125)
    d, inter, n = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
    shapes = {"embeddings.word_embeddings.weight": (n, d),
              "embeddings.position_embeddings.weight": (cfg["max_position_embeddings"], d),
              "embeddings.token_type_embeddings.weight": (cfg["type_vocab_size"], d),
              "embeddings.LayerNorm.weight": (d,), "embeddings.LayerNorm.bias": (d,),
              "pooler.dense.weight": (d, d), "pooler.dense.bias": (d,)}
    for layer in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{layer}."
        for name in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"):
            shapes[p + name + ".weight"], shapes[p + name + ".bias"] = (d, d), (d,)
        shapes[p + "intermediate.dense.weight"], shapes[p + "intermediate.dense.bias"] = (inter, d), (inter,)
        shapes[p + "output.dense.weight"], shapes[p + "output.dense.bias"] = (d, inter), (d,)
        for ln in ("attention.output.LayerNorm", "output.LayerNorm"):
            shapes[p + ln + ".weight"], shapes[p + ln + ".bias"] = (d,), (d,)
    weights = {}
    for name, shape in shapes.items():
        if name.endswith("LayerNorm.weight"):
            weights[name] = 1.0 + 0.3 * torch.randn(shape, generator=gen)
        else:
            weights[name] = 0.3 * torch.randn(shape, generator=gen)
    save_file({k: v.float().contiguous() for k, v in weights.items()}, str(model_dir / "model.safetensors"),
              metadata={"format": "pt"})

    tok = BertWordPieceTokenizer(str(model_dir / "vocab.txt"), lowercase=True)
    encodings = tok.encode_batch(TEXTS)
    t = max(len(e.ids) for e in encodings)
    ids = torch.zeros(len(TEXTS), t, dtype=torch.long)
    mask = torch.zeros(len(TEXTS), t, dtype=torch.long)
    for i, e in enumerate(encodings):
        ids[i, :len(e.ids)] = torch.tensor(e.ids)
        mask[i, :len(e.ids)] = 1
    w64 = {k: v.float().double() for k, v in weights.items()}
    hidden, pooled = forward(w64, cfg, ids, mask)
    m = mask[:, :, None].double()
    mean = (hidden * m).sum(1) / m.sum(1)
    save_file({"input_ids": ids.int(), "attention_mask": mask.int(), "last_hidden_state": hidden.float(),
               "pooler_output": pooled.float(), "mean_pooled": mean.float()},
              str(out / "tiny-bert-expected.safetensors"),
              metadata={"texts": json.dumps(TEXTS), "tokens": json.dumps([e.tokens for e in encodings])})
    for e in encodings:
        print(e.tokens)


if __name__ == "__main__":
    main()
