"""Joins GpuKernelBench's and torch_peer.py's JSON lines into a markdown table for RESULTS.md.

For each (op, shape): every kmerl variant's time and rate, PyTorch's, and the ratio
torch_ms / kmerl_ms of the best kmerl variant (above 1: kmerl is faster).
Usage: python3 compare.py kmerl.jsonl torch.jsonl [peak_bytes_per_s peak_flops]
"""
import json
import sys
from collections import OrderedDict


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def rate(row):
    s = row["ms"] / 1e3
    return f"{row['flops'] / s / 1e9:,.0f} GFLOP/s" if row["flops"] else f"{row['bytes'] / s / 1e9:,.0f} GB/s"


kmerl, torch_rows = load(sys.argv[1]), load(sys.argv[2])
peak_bw = float(sys.argv[3]) if len(sys.argv) > 3 else None
peak_fl = float(sys.argv[4]) if len(sys.argv) > 4 else None
torch_by = {(r["op"], r["shape"]): r for r in torch_rows}
groups = OrderedDict()
for r in kmerl:
    groups.setdefault((r["op"], r["shape"]), []).append(r)


def pct(row):
    s = row["ms"] / 1e3
    if row["flops"] and peak_fl:
        return f"{row['flops'] / s / peak_fl * 100:.0f}%"
    if row["bytes"] and peak_bw:
        return f"{row['bytes'] / s / peak_bw * 100:.0f}%"
    return ""


print("| op | shape | kmerl variants (ms, rate, % of peak) | best | PyTorch (ms, rate, % of peak) | PyTorch / best kmerl time |")
print("|---|---|---|---|---|---|")
for (op, shape), rs in groups.items():
    best = min(rs, key=lambda r: r["ms"])
    cells = "<br>".join(f"{r['impl'].split()[1]}: {r['ms']:.3f} ms, {rate(r)}, {pct(r)}" for r in rs)
    t = torch_by.get((op, shape))
    tcell = f"{t['ms']:.3f} ms, {rate(t)}, {pct(t)}" if t else "n/a"
    ratio = f"{t['ms'] / best['ms']:.2f}" if t else ""
    print(f"| {op} | {shape} | {cells} | {best['impl'].split()[1]} | {tcell} | {ratio} |")
