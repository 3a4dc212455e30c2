#!/usr/bin/env python3
"""Side-by-side table of kmerl's JMH medians and the PyTorch CPU peer's medians (same machine, same run).

Usage: compare.py TORCH_JSON KMERL_1THREAD_JSON KMERL_2THREAD_JSON [KMERL_GC_JSON] > markdown
Only the standard library is needed.
"""
import json
import platform
import subprocess
import sys
from datetime import datetime, timezone

# (peer case names (the fastest of them is PyTorch's figure), kmerl benchmark, kmerl params, target ratio at 2 threads)
CASES = [
    (["matmul 256^3"], "MatmulBenchmark.matmul", {"mkn": "256x256x256"}, None),
    (["matmul 512^3"], "MatmulBenchmark.matmul", {"mkn": "512x512x512"}, 1.25),
    (["matmul 1024^3"], "MatmulBenchmark.matmul", {"mkn": "1024x1024x1024"}, 1.25),
    (["linear 3840x256x1024"], "MatmulBenchmark.matmul", {"mkn": "3840x256x1024"}, None),
    (["layernorm fwd [4096,256]"], "LayerNormBenchmark.forward", {"shape": "4096x256"}, None),
    (["layernorm fwd+bwd [4096,256]"], "LayerNormBenchmark.forwardBackward", {"shape": "4096x256"}, None),
    (["layernorm fwd [16384,768]"], "LayerNormBenchmark.forward", {"shape": "16384x768"}, None),
    (["layernorm fwd+bwd [16384,768]"], "LayerNormBenchmark.forwardBackward", {"shape": "16384x768"}, 1.0),
    (["attn naive fwd T=120", "attn F._sdpa fwd T=120"], "AttentionBenchmark.forward", {"t": "120"}, None),
    (["attn naive fwd+bwd T=120", "attn F._sdpa fwd+bwd T=120"], "AttentionBenchmark.forwardBackward", {"t": "120"}, 1.0),
    (["attn naive fwd T=250", "attn F._sdpa fwd T=250"], "AttentionBenchmark.forward", {"t": "250"}, None),
    (["attn naive fwd+bwd T=250", "attn F._sdpa fwd+bwd T=250"], "AttentionBenchmark.forwardBackward", {"t": "250"}, 1.0),
    (["clip fwd N=256"], "ClipLossBenchmark.forward", {"n": "256"}, None),
    (["clip fwd+bwd N=256"], "ClipLossBenchmark.forwardBackward", {"n": "256"}, None),
    (["clip fwd N=1024"], "ClipLossBenchmark.forward", {"n": "1024"}, None),
    (["clip fwd+bwd N=1024"], "ClipLossBenchmark.forwardBackward", {"n": "1024"}, 1.0),
    (["vit train step B=32 T=120 d=256 L=4"], "VitStepBenchmark.trainingStep", {}, 1.25),
]


def load_peer(path):
    data = json.load(open(path))
    out = {}
    for r in data["results"]:
        out[(r["name"], r["threads"])] = r["median_ms"]
    return data["meta"], out


def load_kmerl(path):
    data = json.load(open(path))
    rows = {}
    for r in data["results"]:
        rows[(r["benchmark"], tuple(sorted(r["params"].items())))] = r
    return data, rows


def main():
    meta, peer = load_peer(sys.argv[1])
    kmerl = {1: load_kmerl(sys.argv[2]), 2: load_kmerl(sys.argv[3])}
    java = kmerl[2][0]["java"]
    simd = kmerl[2][0]["simd"]
    cpu = meta.get("cpu", platform.processor())
    print(f"## CPU: kmerl against PyTorch, side by side\n")
    print(f"Machine: {cpu}, {meta.get('logical_cpus')} logical CPUs; measured "
          f"{datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} by `benchmarks/compare-cpu.sh`.")
    print(f"kmerl: Java {java}, SIMD {simd}. PyTorch {meta.get('torch')} with "
          f"{', '.join(b.split('/')[-1] for b in meta.get('blas_libs', []))}.")
    print("Times are medians (kmerl: JMH sample mode; PyTorch: the peer script's best round). Ratio = kmerl / "
          "PyTorch (lower is better); for attention PyTorch's figure is the faster of its naive and "
          "`_scaled_dot_product_attention` paths. Rates use the peer's FLOP and byte counts.\n")
    for threads in (1, 2):
        print(f"### {threads} thread{'s' if threads > 1 else ''}\n")
        print("| case | PyTorch ms | kmerl ms | ratio | kmerl rate | target (2 threads) |")
        print("|---|---:|---:|---:|---:|---|")
        for names, bench, params, target in CASES:
            torch_ms = min((peer[(n, threads)] for n in names if (n, threads) in peer), default=None)
            row = kmerl[threads][1].get((bench, tuple(sorted(params.items()))))
            if row is None or torch_ms is None:
                continue
            ratio = row["median_ms"] / torch_ms
            goal = ""
            if target is not None and threads == 2:
                goal = f"<= {target}: {'met' if ratio <= target else '**missed**'}"
            print(f"| {names[0].replace('attn naive', 'attention')} | {torch_ms:.3f} | {row['median_ms']:.3f} | "
                  f"{ratio:.2f} | {row['rate']} | {goal} |")
        extra = [r for key, r in kmerl[threads][1].items() if key[0].startswith("ElementwiseBenchmark")]
        if extra:
            print("\nkmerl only (no peer case): " + "; ".join(
                f"{r['benchmark'].split('.')[1]} {r['median_ms']:.3f} ms ({r['rate']})" for r in extra))
        print()
    if len(sys.argv) > 4:
        gc = json.load(open(sys.argv[4]))["results"]
        for r in gc:
            if "allocated_bytes_per_call" in r:
                print(f"Allocation (JMH GC profiler, 2 threads): one ViT training step allocates "
                      f"{r['allocated_bytes_per_call'] / 1e6:.2f} MB on the Java heap "
                      f"({r['median_ms']:.0f} ms per step in that run); activations, gradients and "
                      f"optimizer state come from reused buffers.\n")


if __name__ == "__main__":
    main()
