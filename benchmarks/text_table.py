#!/usr/bin/env python3
"""Markdown table of TextEmbeddingBenchmark (kmerl, ONNX Runtime batched, langchain4j) from Bench's JSON.

Usage: text_table.py TEXT_JSON "SOURCE OF THE TEXTS" > markdown
"""
import json
import platform
import subprocess
import sys
from datetime import datetime, timezone

TEXTS = 1000
TARGET = 1.5
LABELS = {
    "kmerl": "kmerl `TextEncoder.embed` (batches of 32, length-sorted)",
    "onnxRuntime": "ONNX Runtime 1.20, same batches, 2 intra-op threads",
    "langchain4j": "langchain4j `embedAll` (ONNX Runtime, one text per run)",
}


def cpu_model():
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    data = json.load(open(sys.argv[1]))
    source = sys.argv[2] if len(sys.argv) > 2 else "unknown"
    rows = {r["benchmark"].split(".")[1]: r for r in data["results"]}
    ort = rows["onnxRuntime"]["median_ms"]
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    print("## Text encoder: all-MiniLM-L6-v2, kmerl against ONNX Runtime\n")
    print(f"Measured {date} on {cpu_model()} ({rows['kmerl']['threads']} threads), Java {data['java']}, "
          f"SIMD {data['simd']}; texts: {source}.")
    print("Command: `benchmarks/compare-text.sh`. The rate counts the matrix-product FLOPs of the real "
          "(unpadded) tokens.\n")
    print("| implementation | median ms | p25-p75 ms | texts/s | rate | time / ONNX Runtime |")
    print("|---|---:|---:|---:|---:|---:|")
    for key in ("kmerl", "onnxRuntime", "langchain4j"):
        r = rows.get(key)
        if r is None:
            continue
        ratio = r["median_ms"] / ort
        verdict = f" (target <= {TARGET}: {'met' if ratio <= TARGET else 'NOT met'})" if key == "kmerl" else ""
        print(f"| {LABELS[key]} | {r['median_ms']:.0f} | {r['p25_ms']:.0f}-{r['p75_ms']:.0f} | "
              f"{TEXTS / r['median_ms'] * 1e3:.0f} | {r['rate']} | {ratio:.2f}{verdict} |")
    print()


if __name__ == "__main__":
    main()
