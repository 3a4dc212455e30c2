#!/usr/bin/env python3
"""Golden losses and gradients of the whole K-MERL micro model from PyTorch, for KmerlGoldenTest.

The model is written out here with kmerl's parameter names (lead tokenizer with per-lead projections,
spatial and temporal embeddings, token gather; one pre-norm encoder layer; mean over real tokens;
projection heads; CLIP loss, T = 0.07, mean of both directions; one pre-norm decoder layer of the
cardiac query network over 5 entity queries; BCE) and evaluated in float64 from float32 inputs. The
batch mixes a full 12-lead sample with two masked ones (different token counts, so padding is used).

Run with Debian's PyTorch:
    /usr/bin/python3 kmerl-model/src/test/python/make_kmerl_golden.py kmerl-model/src/test/resources/golden
"""
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "autograd/src/test/python"))
from make_golden import attention, clip_loss, layer_norm, write_safetensors  # noqa: E402

GEN = torch.Generator().manual_seed(20261126)
D, HEADS, MLP, P, M, TEXT, E, B = 16, 2, 32, 25, 8, 8, 5, 3
# Kept (lead, patches) per sample, lead-major; every lead of a sample keeps the same number of patches.
SAMPLES = [
    [(lead, list(range(M))) for lead in range(12)],
    [(1, [0, 2, 3, 5, 7]), (7, [1, 2, 4, 5, 6])],
    [(4, [0, 1, 2, 3, 4])],
]


def rand(*shape, lo=-1.0, hi=1.0):
    return torch.rand(*shape, generator=GEN, dtype=torch.float32) * (hi - lo) + lo


def linear_params(p, name, out, inp, scale=0.4):
    p[name + ".weight"] = rand(out, inp, lo=-scale, hi=scale)
    p[name + ".bias"] = rand(out, lo=-0.1, hi=0.1)


def norm_params(p, name):
    p[name + ".weight"] = rand(D, lo=0.5, hi=1.5)
    p[name + ".bias"] = rand(D, lo=-0.2, hi=0.2)


def attention_params(p, name):
    for n in ("q", "k", "v", "out"):
        linear_params(p, f"{name}.{n}", D, D)


def params():
    p = {"encoder.tokenizer.projection": rand(12, P, D, lo=-0.2, hi=0.2),
         "encoder.tokenizer.spatial": rand(12, D, lo=-0.1, hi=0.1),
         "encoder.tokenizer.temporal": rand(M, D, lo=-0.1, hi=0.1)}
    pre = "encoder.transformer.layers.0."
    norm_params(p, pre + "norm1")
    attention_params(p, pre + "attention")
    norm_params(p, pre + "norm2")
    linear_params(p, pre + "mlp.fc1", MLP, D)
    linear_params(p, pre + "mlp.fc2", D, MLP, 0.3)
    norm_params(p, "encoder.transformer.norm")
    linear_params(p, "ecgProjection.fc1", D, D)
    linear_params(p, "ecgProjection.fc2", D, D)
    linear_params(p, "textProjection.fc1", D, TEXT)
    linear_params(p, "textProjection.fc2", D, D)
    linear_params(p, "queryNetwork.queryProjection", D, TEXT)
    pre = "queryNetwork.layers.0."
    norm_params(p, pre + "norm1")
    attention_params(p, pre + "selfAttention")
    norm_params(p, pre + "norm2")
    attention_params(p, pre + "crossAttention")
    norm_params(p, pre + "norm3")
    linear_params(p, pre + "mlp.fc1", MLP, D)
    linear_params(p, pre + "mlp.fc2", D, MLP, 0.3)
    norm_params(p, "queryNetwork.norm")
    linear_params(p, "queryNetwork.head", 1, D)
    return p


def layout():
    t = max(len(s) * len(s[0][1]) for s in SAMPLES)
    index = torch.zeros(B, t, dtype=torch.int32)
    padding = torch.zeros(B, t)
    for b, sample in enumerate(SAMPLES):
        rows = [(lead * B + b) * M + j for lead, patches in sample for j in patches]
        index[b, :len(rows)] = torch.tensor(rows, dtype=torch.int32)
        padding[b, len(rows):] = 1
    return index, padding


def mha(p, name, x, memory, padding):
    def heads(t):
        return t.reshape(t.shape[0], t.shape[1], HEADS, D // HEADS).permute(0, 2, 1, 3)

    q = heads(F.linear(x, p[name + ".q.weight"], p[name + ".q.bias"]))
    k = heads(F.linear(memory, p[name + ".k.weight"], p[name + ".k.bias"]))
    v = heads(F.linear(memory, p[name + ".v.weight"], p[name + ".v.bias"]))
    a = attention(q, k, v, padding).permute(0, 2, 1, 3).reshape(x.shape[0], x.shape[1], D)
    return F.linear(a, p[name + ".out.weight"], p[name + ".out.bias"])


def mlp(p, name, x):
    h = F.gelu(F.linear(x, p[name + ".fc1.weight"], p[name + ".fc1.bias"]))
    return F.linear(h, p[name + ".fc2.weight"], p[name + ".fc2.bias"])


def forward(p, signals, index, padding, reports, entity_text, labels):
    patches = signals.reshape(B, 12, M, P).permute(1, 0, 2, 3).reshape(12, B * M, P)
    table = patches @ p["encoder.tokenizer.projection"]
    table = table.reshape(12, B, M, D) + p["encoder.tokenizer.spatial"][:, None, None, :] \
        + p["encoder.tokenizer.temporal"][None, None, :, :]
    x = table.reshape(-1, D)[index.long().reshape(-1)].reshape(B, index.shape[1], D)
    pre = "encoder.transformer.layers.0."
    x = x + mha(p, pre + "attention", layer_norm(x, p[pre + "norm1.weight"], p[pre + "norm1.bias"]),
                layer_norm(x, p[pre + "norm1.weight"], p[pre + "norm1.bias"]), padding)
    x = x + mlp(p, pre + "mlp", layer_norm(x, p[pre + "norm2.weight"], p[pre + "norm2.bias"]))
    h = layer_norm(x, p["encoder.transformer.norm.weight"], p["encoder.transformer.norm.bias"])
    keep = (1 - padding)[:, :, None].double()
    pooled = (h * keep).sum(1) / keep.sum(1)
    e = mlp(p, "ecgProjection", pooled)
    t = mlp(p, "textProjection", reports)
    contrastive = clip_loss(e, t, 0.07)
    q = F.linear(entity_text, p["queryNetwork.queryProjection.weight"], p["queryNetwork.queryProjection.bias"])
    q = q[None].expand(B, E, D)
    pre = "queryNetwork.layers.0."
    n1 = layer_norm(q, p[pre + "norm1.weight"], p[pre + "norm1.bias"])
    q = q + mha(p, pre + "selfAttention", n1, n1, None)
    q = q + mha(p, pre + "crossAttention", layer_norm(q, p[pre + "norm2.weight"], p[pre + "norm2.bias"]), h, padding)
    q = q + mlp(p, pre + "mlp", layer_norm(q, p[pre + "norm3.weight"], p[pre + "norm3.bias"]))
    q = layer_norm(q, p["queryNetwork.norm.weight"], p["queryNetwork.norm.bias"])
    logits = F.linear(q, p["queryNetwork.head.weight"], p["queryNetwork.head.bias"]).reshape(B, E)
    entity = F.binary_cross_entropy_with_logits(logits, labels)
    return contrastive, entity, logits


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    weights = params()
    signals = rand(B, 12, M * P, lo=-2, hi=2)
    index, padding = layout()
    reports = rand(B, TEXT)
    entity_text = rand(E, TEXT)
    labels = (rand(B, E, lo=0, hi=1) < 0.4).float()
    p64 = {k: v.double().requires_grad_(True) for k, v in weights.items()}
    contrastive, entity, logits = forward(p64, signals.double(), index, padding, reports.double(),
                                          entity_text.double(), labels.double())
    total = contrastive + entity
    names = list(p64)
    grads = torch.autograd.grad(total, [p64[n] for n in names])
    tensors = {"signals": signals, "index": index, "padding": padding, "reports": reports,
               "entity_text": entity_text, "labels": labels, "logits": logits.detach().float(),
               "loss.total": total.detach().float().reshape(1), "loss.contrastive": contrastive.detach().float().reshape(1),
               "loss.entity": entity.detach().float().reshape(1)}
    for n, g in zip(names, grads):
        tensors["param." + n] = weights[n]
        tensors["grad." + n] = g.float()
    write_safetensors(out / "kmerl-micro.safetensors", tensors, {"producer": "make_kmerl_golden.py",
                                                                 "torch": torch.__version__})
    print(f"wrote {out / 'kmerl-micro.safetensors'}: total loss {float(total):.6f}, {len(names)} parameters")


if __name__ == "__main__":
    main()
