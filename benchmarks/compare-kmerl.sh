#!/usr/bin/env bash
# One K-MERL pretraining step of the small preset, kmerl (JMH) against the same model in PyTorch on
# the CPU, in one run at 2 threads; writes the table to benchmarks/RESULTS.md (kmerl-step markers).
# About 4 minutes on 2 cores. Needs Debian's python3-torch (see ../shared/peer/README.md).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "compare-kmerl: Debian's python3-torch is not installed (apt-get install -y python3-torch)" >&2
  exit 1
fi
source "$root/benchmarks/bench-env.sh"
threads="${THREADS:-2}"

echo "== PyTorch twin, $threads threads" >&2
/usr/bin/python3 "$root/benchmarks/kmerl_step_peer.py" --threads "$threads" --out "$work/torch.json" >&2
echo "== kmerl JMH, $threads threads" >&2
"$java" --add-modules jdk.incubator.vector -cp "$cp" org.kmerl.benchmarks.Bench --threads "$threads" \
    --json "$work/kmerl.json" KmerlStepBenchmark 2>&1 | grep -v '^WARNING: Using incubator' | tail -4 >&2

table="$work/table.md"
/usr/bin/python3 - "$work/torch.json" "$work/kmerl.json" > "$table" <<'PY'
import json, sys
from datetime import datetime, timezone
peer = json.load(open(sys.argv[1]))
kmerl = json.load(open(sys.argv[2]))
rows = {int(r["params"]["leads"]): r for r in kmerl["results"]}
print("## K-MERL training step: kmerl against PyTorch on the CPU\n")
print(f"Measured {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} by `benchmarks/compare-kmerl.sh` on "
      f"{peer['meta']['cpu']}, {peer['meta']['threads']} threads; kmerl on Java {kmerl['java']} ({kmerl['simd']}), "
      f"PyTorch {peer['meta']['torch']}. Small preset (d 256, 6 encoder layers, 2 query layers, 40 entity queries), "
      "batch 32, one full step (zero grad, forward, dual loss, backward, AdamW). Ratio = kmerl / PyTorch; target <= 1.25.\n")
print("| batch | PyTorch ms | kmerl ms | ratio | kmerl rate | target |")
print("|---|---:|---:|---:|---:|---|")
for r in peer["results"]:
    k = rows.get(r["leads"])
    if k is None:
        continue
    ratio = k["median_ms"] / r["median_ms"]
    print(f"| {r['leads']} leads x 30 patches ({r['leads'] * 30} tokens) | {r['median_ms']:.1f} | {k['median_ms']:.1f} | "
          f"{ratio:.2f} | {k['rate']} | <= 1.25: {'met' if ratio <= 1.25 else '**missed**'} |")
print()
PY
python3 "$root/benchmarks/replace-section.py" "$root/benchmarks/RESULTS.md" kmerl-step "$table"
echo "== wrote $root/benchmarks/RESULTS.md" >&2
cat "$table"
