"""Joins GpuKernelBench's and torch_peer.py's JSON lines into a markdown table for RESULTS.md.

For each (op, shape): every kmerl variant's time and rate, the peers' (PyTorch's implementations, and cuDNN's
softmax where GpuKernelBench could load cuDNN 8), and the ratio peer_ms / kmerl_ms of the best kmerl variant
(above 1: kmerl is faster). The second file may hold several peers' rows (torch_peer.py's, then GpuKernelBench's).
Usage: python3 compare.py kmerl.jsonl torch.jsonl [peak_bytes_per_s peak_flops [kmerl-step.log kmerl-step-torch.json]]
The last two (KmerlStepOnDevice's JSON lines and kmerl_step_peer.py --out) fill the K-MERL training-step row.
"""
import json
import sys
from collections import OrderedDict


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def load_lines(path):
    """The JSON objects among a log's lines."""
    with open(path) as f:
        return [json.loads(line) for line in f if line.startswith("{")]


def rate(row):
    s = row["ms"] / 1e3
    return f"{row['flops'] / s / 1e9:,.0f} GFLOP/s" if row["flops"] else f"{row['bytes'] / s / 1e9:,.0f} GB/s"


kmerl, torch_rows = load(sys.argv[1]), load(sys.argv[2])
peak_bw = float(sys.argv[3]) if len(sys.argv) > 3 else None
peak_fl = float(sys.argv[4]) if len(sys.argv) > 4 else None
torch_by = OrderedDict()
for r in torch_rows:
    torch_by.setdefault((r["op"], r["shape"]), []).append(r)
groups = OrderedDict()
for r in kmerl:
    groups.setdefault((r["op"], r["shape"]), []).append(r)


# Dense TF32 tensor-core peaks (datasheet figures without 2:4 sparsity), for the *_tf32 rows.
TF32_PEAKS = [("H200", 494.7e12), ("H100 PCIe", 378e12), ("H100", 494.7e12), ("A100", 156e12)]


def flop_peak(row):
    if row["op"].endswith("_tf32"):
        return next((p for card, p in TF32_PEAKS if card.upper() in row.get("device", "").upper()), None)
    return peak_fl


def pct(row):
    s = row["ms"] / 1e3
    if row["flops"] and flop_peak(row):
        return f"{row['flops'] / s / flop_peak(row) * 100:.0f}%"
    if row["bytes"] and peak_bw:
        return f"{row['bytes'] / s / peak_bw * 100:.0f}%"
    return ""


print("| op | shape | kmerl variants (ms, rate, % of peak) | best | PyTorch, cuDNN (ms, rate, % of peak) | peer / best kmerl time |")
print("|---|---|---|---|---|---|")
for (op, shape), rs in groups.items():
    best = min(rs, key=lambda r: r["ms"])
    cells = "<br>".join(f"{r['impl'].split()[1]}: {r['ms']:.3f} ms, {rate(r)}, {pct(r)}" for r in rs)
    ts = torch_by.get((op, shape), [])
    name = lambda t: "" if t["impl"] == "torch" else t["impl"].removeprefix("torch ") + ": "
    tcell = "<br>".join(f"{name(t)}{t['ms']:.3f} ms, {rate(t)}, {pct(t)}" for t in ts) or "n/a"
    ratio = "<br>".join(f"{name(t)}{t['ms'] / best['ms']:.2f}" for t in ts)
    print(f"| {op} | {shape} | {cells} | {best['impl'].split()[1]} | {tcell} | {ratio} |")


# The targets of issue 4, from the same two files.
def best_kmerl(op, shape):
    rs = groups.get((op, shape))
    return min(rs, key=lambda r: r["ms"]) if rs else None


def torch_impl(op, shape, impl="torch"):
    return next((t for t in torch_by.get((op, shape), []) if t["impl"] == impl), None)


def gbps(r):
    return r["bytes"] / (r["ms"] / 1e3) / 1e9


copies = [r for r in (best_kmerl("copy", "64MB"), torch_impl("copy", "64MB")) if r]
copy_bw = max(gbps(r) for r in copies) if copies else None
print()
print("| target | measured | met |")
print("|---|---|---|")
for op, shape, label in [("layernorm", "8192x768", "layer norm fwd [8192, 768] >= 60% of copy bandwidth"),
                         ("softmax", "98304x1024", "softmax fwd [98304, 1024] >= 60% of copy bandwidth")]:
    r = best_kmerl(op, shape)
    if r and copy_bw:
        share = gbps(r) / copy_bw
        print(f"| {label} | {gbps(r):,.0f} GB/s = {share:.0%} of {copy_bw:,.0f} GB/s ({r['impl']}) | {'yes' if share >= 0.6 else 'no'} |")
for op, shape, label, impl, need in [
        ("gemm", "4096x4096x4096", "SGEMM 4096^3 >= 60% of cuBLAS (torch.matmul, TF32 off)", "torch", 0.6),
        ("attention_fwd_bw", "8x6x1200x64", "attention fwd+bwd B=8 H=6 T=1200 D=64 faster than PyTorch math attention",
         "torch math", 1.0),
        ("clip_fwd_bw", "4096x256", "CLIP loss fwd+bwd N=4096 D=256 >= 2x faster than PyTorch composed ops", "torch", 2.0)]:
    r, t = best_kmerl(op, shape), torch_impl(op, shape, impl)
    if r and t:
        speed = t["ms"] / r["ms"]
        print(f"| {label} | {r['ms']:.3f} ms vs {t['ms']:.3f} ms: {speed:.2f}x ({r['impl']}) | {'yes' if speed >= need else 'no'} |")
label = "one K-MERL training step (small preset, batch 32) faster than PyTorch eager fp32"
if len(sys.argv) > 6:
    ours = {r["name"].split("=")[-1]: r for r in load_lines(sys.argv[5]) if r["name"].startswith("kmerl step leads=")}
    with open(sys.argv[6]) as f:
        theirs = {str(r["leads"]): r for r in json.load(f)["results"]}
    cells = [f"{leads} leads: {ours[leads]['median_ms']:.1f} ms vs {theirs[leads]['median_ms']:.1f} ms: "
             f"{theirs[leads]['median_ms'] / ours[leads]['median_ms']:.2f}x" for leads in sorted(ours, key=int) if leads in theirs]
    met = all(theirs[k]["median_ms"] > ours[k]["median_ms"] for k in ours if k in theirs)
    print(f"| {label} | {'; '.join(cells)} | {'yes' if met else 'no'} |")
else:
    print(f"| {label} | not run (device-check.sh kmerl before bench) | - |")
