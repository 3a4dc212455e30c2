#!/usr/bin/env python3
"""PyTorch twin of KmerlStepBenchmark: one K-MERL pretraining step of the small preset on the CPU.

Same sizes and arithmetic as kmerl's model: per-lead patch projections computed as one batched product
over the [12, B*M] token table, spatial + temporal embeddings, tokens gathered by index; a 6-layer
pre-norm encoder (d 256, 4 heads, MLP 1024, erf GELU) with a final LayerNorm; mean pooling; two
Linear-GELU-Linear projection heads and the CLIP loss (T = 0.07, mean of both directions); a 2-layer
pre-norm decoder over 40 entity queries (Linear 384 -> 256) with a final LayerNorm and a shared
Linear(256, 1) head; BCE with logits; AdamW. Standard torch.nn layers are used where they exist.

Usage: kmerl_step_peer.py [--threads 2] [--steps 12] [--device cpu|cuda] [--out peer.json]
On a GPU each step ends with torch.cuda.synchronize(), like KmerlStepOnDevice's loss read-back.
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time


def thread_count(argv):
    """--threads from the command line (default 2), read before torch is imported."""
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--threads", type=int, default=2)
    return ap.parse_known_args(argv)[0].threads


# Debian's torch multiplies matrices with OpenBLAS's pthreads build, whose thread pool is sized from
# OPENBLAS_NUM_THREADS when torch is imported; torch.set_num_threads does not reach it. Without this a
# "1-thread" run multiplied matrices on every core, and a 2-thread run put 2 OpenMP and 2 OpenBLAS
# threads on 2 cores. The shared peer (torch_cpu_peer.py) fixes these variables the same way.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = str(thread_count(sys.argv[1:]))

import torch  # noqa: E402  (after the thread settings above)
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

B, E, TEXT, D, DEPTH, HEADS, MLP, P, M, PROJ, QDEPTH = 32, 40, 384, 256, 6, 4, 1024, 25, 40, 256, 2


class Kmerl(nn.Module):
    def __init__(self):
        super().__init__()
        bound = 1 / P ** 0.5
        self.projection = nn.Parameter(torch.empty(12, P, D).uniform_(-bound, bound))
        self.spatial = nn.Parameter(torch.randn(12, D) * 0.02)
        self.temporal = nn.Parameter(torch.randn(M, D) * 0.02)
        layer = nn.TransformerEncoderLayer(D, HEADS, MLP, dropout=0.0, activation="gelu", batch_first=True,
                                           norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, DEPTH, norm=nn.LayerNorm(D), enable_nested_tensor=False)
        self.ecg_proj = nn.Sequential(nn.Linear(D, PROJ), nn.GELU(), nn.Linear(PROJ, PROJ))
        self.text_proj = nn.Sequential(nn.Linear(TEXT, PROJ), nn.GELU(), nn.Linear(PROJ, PROJ))
        self.query_proj = nn.Linear(TEXT, D)
        dec = nn.TransformerDecoderLayer(D, HEADS, MLP, dropout=0.0, activation="gelu", batch_first=True,
                                         norm_first=True)
        self.decoder = nn.TransformerDecoder(dec, QDEPTH, norm=nn.LayerNorm(D))
        self.head = nn.Linear(D, 1)

    def forward(self, x, index, reports, entity_text, labels):
        b, t = index.shape
        patches = x.reshape(b, 12, M, P).permute(1, 0, 2, 3).reshape(12, b * M, P)
        table = torch.bmm(patches, self.projection).reshape(12, b, M, D)
        table = table + self.spatial[:, None, None, :] + self.temporal[None, None, :, :]
        tokens = table.reshape(-1, D)[index.reshape(-1)].reshape(b, t, D)
        h = self.encoder(tokens)
        e = F.normalize(self.ecg_proj(h.mean(1)), dim=1)
        r = F.normalize(self.text_proj(reports), dim=1)
        logits = e @ r.t() / 0.07
        target = torch.arange(b, device=x.device)
        clip = (F.cross_entropy(logits, target) + F.cross_entropy(logits.t(), target)) / 2
        q = self.query_proj(entity_text).unsqueeze(0).expand(b, -1, -1)
        entity = self.head(self.decoder(q, h)).squeeze(-1)
        return clip + F.binary_cross_entropy_with_logits(entity, labels)


def cpu_name():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def layout(leads):
    kept = [j for j in range(M) if j % 4 != 3]
    rows = [[(lead * B + s) * M + j for lead in range(leads) for j in kept] for s in range(B)]
    return torch.tensor(rows, dtype=torch.long)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=12)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--out")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    dev = torch.device(args.device)
    model = Kmerl().to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.05)
    x = torch.randn(B, 12, M * P, device=dev)
    reports = torch.randn(B, TEXT, device=dev)
    entity_text = torch.randn(E, TEXT, device=dev)
    labels = (torch.rand(B, E, device=dev) < 0.1).float()
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    results = []
    for leads in (3, 12):
        index = layout(leads).to(dev)
        times = []
        for i in range(3 + args.steps):
            t0 = time.perf_counter()
            opt.zero_grad(set_to_none=False)
            loss = model(x, index, reports, entity_text, labels)
            loss.backward()
            opt.step()
            sync()
            if i >= 3:
                times.append((time.perf_counter() - t0) * 1e3)
        results.append({"name": f"kmerl step leads={leads}", "leads": leads, "threads": args.threads, "device": args.device,
                        "median_ms": statistics.median(times), "min_ms": min(times), "loss": float(loss)})
        print(f"PyTorch K-MERL small step, {leads} leads ({leads * 30} tokens): median "
              f"{statistics.median(times):.1f} ms over {len(times)} steps on {args.device}, {args.threads} threads", flush=True)
    meta = {"torch": torch.__version__, "cpu": cpu_name(), "threads": args.threads, "device": args.device,
            "gpu": torch.cuda.get_device_name(0) if dev.type == "cuda" else None}
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"meta": meta, "results": results}, f, indent=2)


if __name__ == "__main__":
    main()
