#!/usr/bin/env python3
"""Golden forward values and gradients from PyTorch for kmerl's autograd tests.

For every case: float32 inputs are drawn here, PyTorch evaluates the op in float64 (so the
reference itself carries no float32 rounding), and the file stores the inputs, the output, fixed
random weights w and the gradients of L = sum(w * output) with respect to every float input, all
as float32. GoldenTest.java runs the same case names through kmerl and compares.

Run with Debian's PyTorch (python3-torch; the first python3 on PATH may lack it):
    /usr/bin/python3 autograd/src/test/python/make_golden.py autograd/src/test/resources/golden
The output is written in the safetensors format by write_safetensors() below (the Python
safetensors library is not packaged for this Python; tensor/src/test/python/safetensors_interop.py
checks these files with the real library).
"""
import json
import math
import struct
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

torch.manual_seed(0)
GEN = torch.Generator().manual_seed(20261125)

CASES = {}  # name -> dict of tensors


def rand(*shape, lo=-2.0, hi=2.0):
    return (torch.rand(*shape, generator=GEN, dtype=torch.float32) * (hi - lo) + lo)


def away_from_zero(*shape, margin=0.2):
    x = rand(*shape)
    return torch.where(x >= 0, x + margin, x - margin)


def distinct(*shape):
    """Values with no near-ties (max/min gradients are well defined)."""
    n = math.prod(shape)
    perm = torch.randperm(n, generator=GEN).to(torch.float32)
    return (perm * 0.37 - n * 0.15).reshape(shape)


def case(name, fn, inputs, consts=None, diff=None):
    """inputs: float32 tensors (differentiable unless diff says otherwise); consts: tensors passed as is."""
    consts = consts or {}
    diff = diff if diff is not None else [True] * len(inputs)
    xs = [x.double().requires_grad_(d) for x, d in zip(inputs, diff)]
    out = fn(*xs, **{k: (v.double() if v.is_floating_point() else v) for k, v in consts.items()})
    w = torch.randn(out.shape, generator=GEN, dtype=torch.float32)
    grads = torch.autograd.grad((out * w.double()).sum(), [x for x, d in zip(xs, diff) if d], allow_unused=True)
    entry = {}
    for i, x in enumerate(inputs):
        entry[f"input{i}"] = x
    for k, v in consts.items():
        entry[f"const.{k}"] = v
    entry["output"] = out.detach().float()
    entry["weights"] = w
    gi = iter(grads)
    for i, d in enumerate(diff):
        if d:
            g = next(gi)
            entry[f"grad{i}"] = (torch.zeros_like(inputs[i]) if g is None else g.float())
    assert name not in CASES, name
    CASES[name] = entry


def layer_norm(x, w, b):
    return F.layer_norm(x, (x.shape[-1],), w, b, eps=1e-5)


def attention(q, k, v, padding=None):
    s = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
    if padding is not None:
        s = s.masked_fill(padding[:, None, None, :].bool(), float("-inf"))
    return torch.softmax(s, -1) @ v


def clip_loss(a, b, tau, reduction="mean"):
    a = F.normalize(a, dim=-1)
    b = F.normalize(b, dim=-1)
    logits = a @ b.t() / tau
    labels = torch.arange(a.shape[0])
    loss = F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)
    return loss / 2 if reduction == "mean" else loss


def build_cases():
    # Elementwise, one argument.
    case("neg", lambda x: -x, [rand(3, 4)])
    case("exp", torch.exp, [rand(3, 4)])
    case("log", torch.log, [rand(3, 4, lo=0.1, hi=3)])
    case("sqrt", torch.sqrt, [rand(3, 4, lo=0.1, hi=3)])
    case("rsqrt", torch.rsqrt, [rand(3, 4, lo=0.1, hi=3)])
    case("reciprocal", torch.reciprocal, [away_from_zero(3, 4)])
    case("square", torch.square, [rand(3, 4)])
    case("abs", torch.abs, [away_from_zero(3, 4)])
    case("tanh", torch.tanh, [rand(3, 4)])
    case("sigmoid", torch.sigmoid, [rand(3, 4, lo=-6, hi=6)])
    case("relu", torch.relu, [away_from_zero(3, 4)])
    case("gelu", lambda x: F.gelu(x), [rand(4, 5, lo=-5, hi=5)])
    case("clamp", lambda x: x.clamp(-0.5, 0.5), [away_from_zero(4, 5, margin=0.05)])
    # Elementwise, two arguments, broadcasting.
    case("add", lambda a, b: a + b, [rand(3, 4), rand(4)])
    case("sub", lambda a, b: a - b, [rand(2, 1, 3), rand(4, 3)])
    case("mul", lambda a, b: a * b, [rand(3, 1), rand(1, 5)])
    case("div", lambda a, b: a / b, [rand(3, 4), rand(3, 1, lo=0.5, hi=2)])
    case("pow", lambda a, b: a ** b, [rand(3, 4, lo=0.5, hi=2), rand(4)])
    case("pow_scalar", lambda a: a ** 2.5, [rand(3, 4, lo=0.1, hi=2)])
    case("add_scalar", lambda a: a + 1.5, [rand(5)])
    case("mul_scalar", lambda a: a * -0.75, [rand(5)])
    case("where", lambda a, b, cond: torch.where(cond.bool(), a, b), [rand(3, 4), rand(4)],
         consts={"cond": (rand(3, 1) > 0).float()})
    case("masked_fill", lambda a, mask: a.masked_fill(mask.bool(), -3.0), [rand(3, 4)],
         consts={"mask": (rand(4) > 0).float()})
    # Reductions.
    case("sum_axis1_keepdim", lambda x: x.sum(1, keepdim=True), [rand(3, 4, 5)])
    case("sum_all", lambda x: x.sum(), [rand(3, 4)])
    case("mean_axes02", lambda x: x.mean((0, 2)), [rand(3, 4, 5)])
    case("max_axis1", lambda x: x.amax(1), [distinct(3, 4, 5)])
    case("min_axis0_keepdim", lambda x: x.amin(0, keepdim=True), [distinct(4, 3)])
    case("var_axis1_unbiased", lambda x: x.var(1), [rand(3, 6)])
    case("var_all_biased", lambda x: x.var(unbiased=False), [rand(3, 4)])
    # Products and softmax.
    case("matmul_2d", lambda a, b: a @ b, [rand(3, 5), rand(5, 4)])
    case("matmul_batched_broadcast", lambda a, b: a @ b, [rand(2, 3, 4, 5), rand(3, 5, 2)])
    case("matmul_vector_left", lambda a, b: a @ b, [rand(5), rand(2, 5, 3)])
    case("matmul_vector_right", lambda a, b: a @ b, [rand(4, 5), rand(5)])
    case("softmax_axis1", lambda x: torch.softmax(x, 1), [rand(3, 5, 2, lo=-4, hi=4)])
    case("log_softmax_axis0", lambda x: torch.log_softmax(x, 0), [rand(4, 3, lo=-4, hi=4)])
    # Indexing.
    case("gather_axis1", lambda x, index: x.gather(1, index.long()), [rand(3, 5)],
         consts={"index": torch.randint(0, 5, (3, 4), generator=GEN, dtype=torch.int64).to(torch.int32)})
    case("index_select_axis0", lambda x, index: x.index_select(0, index.long()), [rand(4, 3)],
         consts={"index": torch.tensor([3, 0, 3, 1, 3], dtype=torch.int32)})
    case("scatter_add_axis0", lambda dst, src, index: dst.scatter_add(0, index.long(), src), [rand(3, 4), rand(2, 4)],
         consts={"index": torch.tensor([[0, 2, 2, 1], [2, 2, 0, 1]], dtype=torch.int32)})
    # Views and joins.
    case("reshape", lambda x: x.reshape(4, 6), [rand(2, 3, 4)])
    case("permute", lambda x: x.permute(2, 0, 1), [rand(2, 3, 4)])
    case("transpose", lambda x: x.transpose(0, 2), [rand(2, 3, 4)])
    case("narrow", lambda x: x.narrow(1, 1, 2), [rand(3, 4)])
    case("slice_step2", lambda x: x[:, 1:6:2], [rand(3, 7)])
    case("select", lambda x: x.select(1, 2), [rand(3, 4, 2)])
    case("expand", lambda x: x.expand(2, 3, 4), [rand(3, 1)])
    case("squeeze_unsqueeze", lambda x: x.squeeze(1).unsqueeze(0), [rand(3, 1, 4)])
    case("concat_axis1", lambda a, b: torch.cat([a, b], 1), [rand(2, 3), rand(2, 2)])
    case("stack_axis0", lambda a, b: torch.stack([a, b], 0), [rand(2, 3), rand(2, 3)])
    case("split_second", lambda x: torch.split(x, [2, 3], 1)[1], [rand(2, 5)])
    # Layers.
    case("linear", lambda x, w, b: F.linear(x, w, b), [rand(2, 3, 4), rand(5, 4), rand(5)])
    case("embedding", lambda w, ids: F.embedding(ids.long(), w), [rand(6, 3)],
         consts={"ids": torch.tensor([[1, 5], [1, 0]], dtype=torch.int32)})
    # Fused ops.
    case("layer_norm", layer_norm, [rand(2, 3, 8) + 5.0, rand(8, lo=0.5, hi=1.5), rand(8)])
    case("attention", lambda q, k, v: attention(q, k, v), [rand(2, 2, 3, 4), rand(2, 2, 5, 4), rand(2, 2, 5, 3)])
    case("attention_padded", lambda q, k, v, padding: attention(q, k, v, padding),
         [rand(2, 2, 3, 4), rand(2, 2, 5, 4), rand(2, 2, 5, 4)],
         consts={"padding": torch.tensor([[0, 0, 1, 0, 1], [0, 0, 0, 0, 1]], dtype=torch.float32)})
    case("cross_entropy_smoothed",
         lambda x, t: F.cross_entropy(x, t.long(), label_smoothing=0.1, ignore_index=-100),
         [rand(6, 5, lo=-3, hi=3)], consts={"t": torch.tensor([0, 4, -100, 2, 2, 1], dtype=torch.int32)})
    case("bce_pos_weight",
         lambda x, t, pw: F.binary_cross_entropy_with_logits(x, t, pos_weight=pw),
         [rand(4, 3, lo=-5, hi=5)], consts={"t": (rand(4, 3) > 0).float(), "pw": torch.tensor([1.0, 2.0, 0.5])})
    case("clip_mean_learnable_tau", lambda a, b, tau: clip_loss(a, b, tau), [rand(5, 4), rand(5, 4), torch.tensor(0.07)])
    case("clip_sum_fixed_tau", lambda a, b, tau: clip_loss(a, b, tau, "sum"), [rand(4, 6), rand(4, 6)],
         consts={"tau": torch.tensor(0.1)})


# --------------------------------------------------------------------------------------------
# A 2-layer pre-norm transformer encoder with kmerl's parameter names.

D, H, MLP, T, B = 8, 2, 16, 5, 2


def encoder_params():
    p = {}
    for i in range(2):
        pre = f"layers.{i}."
        for n in ("norm1", "norm2"):
            p[pre + n + ".weight"] = rand(D, lo=0.5, hi=1.5)
            p[pre + n + ".bias"] = rand(D, lo=-0.2, hi=0.2)
        for n in ("q", "k", "v", "out"):
            p[pre + f"attention.{n}.weight"] = rand(D, D, lo=-0.4, hi=0.4)
            p[pre + f"attention.{n}.bias"] = rand(D, lo=-0.1, hi=0.1)
        p[pre + "mlp.fc1.weight"] = rand(MLP, D, lo=-0.4, hi=0.4)
        p[pre + "mlp.fc1.bias"] = rand(MLP, lo=-0.1, hi=0.1)
        p[pre + "mlp.fc2.weight"] = rand(D, MLP, lo=-0.3, hi=0.3)
        p[pre + "mlp.fc2.bias"] = rand(D, lo=-0.1, hi=0.1)
    p["norm.weight"] = rand(D, lo=0.5, hi=1.5)
    p["norm.bias"] = rand(D, lo=-0.2, hi=0.2)
    return p


def encoder_forward(p, x, padding):
    def heads(t):
        return t.reshape(B, T, H, D // H).permute(0, 2, 1, 3)

    for i in range(2):
        pre = f"layers.{i}."
        h = layer_norm(x, p[pre + "norm1.weight"], p[pre + "norm1.bias"])
        q = heads(F.linear(h, p[pre + "attention.q.weight"], p[pre + "attention.q.bias"]))
        k = heads(F.linear(h, p[pre + "attention.k.weight"], p[pre + "attention.k.bias"]))
        v = heads(F.linear(h, p[pre + "attention.v.weight"], p[pre + "attention.v.bias"]))
        a = attention(q, k, v, padding).permute(0, 2, 1, 3).reshape(B, T, D)
        x = x + F.linear(a, p[pre + "attention.out.weight"], p[pre + "attention.out.bias"])
        h = layer_norm(x, p[pre + "norm2.weight"], p[pre + "norm2.bias"])
        h = F.linear(F.gelu(F.linear(h, p[pre + "mlp.fc1.weight"], p[pre + "mlp.fc1.bias"])),
                     p[pre + "mlp.fc2.weight"], p[pre + "mlp.fc2.bias"])
        x = x + h
    return layer_norm(x, p["norm.weight"], p["norm.bias"])


def transformer_case():
    params = encoder_params()
    x = rand(B, T, D)
    padding = torch.tensor([[0, 0, 0, 1, 1], [0, 0, 0, 0, 0]], dtype=torch.float32)
    p64 = {k: v.double().requires_grad_(True) for k, v in params.items()}
    x64 = x.double().requires_grad_(True)
    out = encoder_forward(p64, x64, padding)
    w = torch.randn(out.shape, generator=GEN, dtype=torch.float32)
    names = list(p64)
    grads = torch.autograd.grad((out * w.double()).sum(), [x64] + [p64[n] for n in names])
    entry = {"input": x, "padding": padding, "output": out.detach().float(), "weights": w,
             "grad.input": grads[0].float()}
    for n, g in zip(names, grads[1:]):
        entry["param." + n] = params[n]
        entry["grad.param." + n] = g.float()
    return entry


# --------------------------------------------------------------------------------------------
# Optimizer trajectories: three steps with fixed gradients.

def optimizer_case():
    p0 = rand(3, 4)
    grads = [rand(3, 4) for _ in range(3)]
    entry = {"param": p0}
    for i, g in enumerate(grads):
        entry[f"grad{i}"] = g
    settings = {
        "adamw": lambda p: torch.optim.AdamW([p], lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1),
        "sgd_momentum": lambda p: torch.optim.SGD([p], lr=0.1, momentum=0.9, weight_decay=0.01),
        "sgd_nesterov": lambda p: torch.optim.SGD([p], lr=0.1, momentum=0.9, nesterov=True),
    }
    for name, make in settings.items():
        p = p0.double().clone().requires_grad_(True)
        opt = make(p)
        for i, g in enumerate(grads):
            p.grad = g.double().clone()
            opt.step()
            entry[f"{name}.step{i + 1}"] = p.detach().float().clone()
    return entry


# --------------------------------------------------------------------------------------------

DTYPES = {torch.float32: "F32", torch.int32: "I32"}


def write_safetensors(path, tensors, metadata):
    """The safetensors layout: u64 header length, JSON header, little-endian data."""
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name in sorted(tensors):
        t = tensors[name].contiguous()
        data = t.numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    build_cases()
    flat = {}
    for name, entry in CASES.items():
        for k, v in entry.items():
            flat[f"{name}/{k}"] = v
    meta = {"generator": "make_golden.py", "torch": torch.__version__, "cases": ",".join(CASES)}
    write_safetensors(out / "ops.safetensors", flat, meta)
    write_safetensors(out / "transformer.safetensors", transformer_case(),
                      {"generator": "make_golden.py", "torch": torch.__version__,
                       "config": json.dumps({"dModel": D, "heads": H, "mlpDim": MLP, "depth": 2, "eps": 1e-5})})
    write_safetensors(out / "optimizers.safetensors", optimizer_case(),
                      {"generator": "make_golden.py", "torch": torch.__version__})
    print(f"wrote {len(CASES)} op cases, the transformer case and optimizer trajectories to {out}")


if __name__ == "__main__":
    main()
