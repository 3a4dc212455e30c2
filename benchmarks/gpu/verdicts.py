#!/usr/bin/env python3
"""Which of the changes that are off by default should become the default (and whether a replaced default
now beats its successor), from one device-check.sh run: every candidate against today's default, measured
side by side in that run.

Usage: python3 benchmarks/gpu/verdicts.py OUT
  OUT/kmerl.jsonl                  GpuKernelBench rows (device-check.sh bench): variants against the default
  OUT/kmerl-step-candidates.log    KmerlStepOnDevice per setting (device-check.sh candidates), "## default" first

A candidate at least 2% faster than the default is marked "make it the default", one 2% slower or more
"keep it off", anything between "no difference". Nothing is changed: the verdicts are for the person
who edits the defaults (docs/kernels/cuda.md says where each one lives).
"""
import json
import re
import sys
from pathlib import Path

MARGIN = 0.02

# (op in kmerl.jsonl, default impl, candidate impls): each candidate against the default, shape by shape.
# The defaults since the H100 run of 2026-11-26; the earlier ones (v7, v3, v1) stay as candidates, so a card
# on which they win again shows it.
BENCH_CANDIDATES = [
    ("gemm", "kmerl v10", ["kmerl v7", "kmerl v8", "kmerl v11"]),
    ("attention_fwd_bw", "kmerl auto", ["kmerl v3", "kmerl v5"]),
    ("attention", "kmerl v4", ["kmerl v5"]),
    ("attention_bw", "kmerl v4", ["kmerl v5"]),
    ("clip_fwd_bw", "kmerl v2", ["kmerl v1"]),
    ("adamw_params", "kmerl v2", ["kmerl v1"]),
    ("clip_params", "kmerl v2", ["kmerl v1"]),
    ("softmax", "kmerl v3", ["kmerl v5"]),   # rows over 1024 (the bench times v5 there only)
    ("gemm_tf32", "kmerl v9", ["kmerl v12", "kmerl v13"]),   # TF32 stays opt-in: which one KMERL_TF32=1 runs
]


def verdict(ratio):
    if ratio <= 1 - MARGIN:
        return "faster: make it the default"
    if ratio >= 1 + MARGIN:
        return "slower: keep it off"
    return "no difference"


def bench_rows(path):
    rows = {}
    for line in path.read_text().splitlines():
        if line.strip():
            r = json.loads(line)
            rows[(r["op"], r["shape"], r["impl"])] = r["ms"]
    return rows


def bench_table(rows):
    out = ["| op | shape | default | ms | candidate | ms | candidate / default | verdict |",
           "|---|---|---|---|---|---|---|---|"]
    shapes = sorted({(op, shape) for op, shape, _ in rows}, key=lambda s: (s[0], s[1]))
    for op, default, candidates in BENCH_CANDIDATES:
        for o, shape in shapes:
            base = rows.get((op, shape, default))
            if o != op or base is None:
                continue
            for c in candidates:
                ms = rows.get((op, shape, c))
                if ms is not None:
                    ratio = ms / base
                    out.append(f"| {op} | {shape} | {default.split()[1]} | {base:.3f} | {c.split()[1]} | {ms:.3f} "
                               f"| {ratio:.2f} | {verdict(ratio)} |")
    return out


def step_runs(path):
    """{setting: {leads: (median ms, losses agree)}} from the candidates log."""
    runs, setting = {}, None
    for line in path.read_text().splitlines():
        if line.startswith("## "):
            setting = line[3:].strip()
            runs[setting] = {}
            continue
        if setting is None or not line.startswith("{"):
            continue
        try:
            r = json.loads(line)
        except json.JSONDecodeError:
            continue
        m = re.match(r"kmerl step (parity )?leads=(\d+)", r.get("name", ""))
        if not m:
            continue
        leads = int(m.group(2))
        ms, agree = runs[setting].get(leads, (None, None))
        if m.group(1):
            agree = r.get("ok")
        else:
            ms = r["median_ms"]
        runs[setting][leads] = (ms, agree)
    return runs


def step_table(runs):
    base = runs.get("default")
    if not base:
        return ["(no \"## default\" run in the candidates log: nothing to compare the settings with)"]
    out = ["| setting | leads | default ms | ms | setting / default | losses agree with the CPU | verdict |",
           "|---|---|---|---|---|---|---|"]
    for setting, by_leads in runs.items():
        if setting == "default":
            continue
        for leads, (ms, agree) in sorted(by_leads.items()):
            base_ms = base.get(leads, (None, None))[0]
            if ms is None or base_ms is None:
                continue
            ratio = ms / base_ms
            v = verdict(ratio) if agree is not False else "losses disagree with the CPU: keep it off"
            out.append(f"| {setting} | {leads} | {base_ms:.1f} | {ms:.1f} | {ratio:.2f} | "
                       f"{'yes' if agree else 'no' if agree is False else '?'} | {v} |")
    return out


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out = Path(argv[1])
    printed = False
    bench = out / "kmerl.jsonl"
    if bench.is_file():
        print("## Variants against today's defaults (GpuKernelBench, one run)\n")
        print("\n".join(bench_table(bench_rows(bench))) + "\n")
        printed = True
    steps = out / "kmerl-step-candidates.log"
    if steps.is_file():
        print("## The K-MERL training step with each candidate setting (KmerlStepOnDevice, one run)\n")
        print("\n".join(step_table(step_runs(steps))) + "\n")
        printed = True
    if not printed:
        print(f"verdicts: neither {bench} nor {steps} exists", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
