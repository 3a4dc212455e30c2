#!/usr/bin/env bash
# Runs the PyTorch CPU peer and kmerl's JMH suites in one go, at 1 and 2 threads, and writes the
# comparison table to benchmarks/RESULTS.md (between the CPU markers). About 10 minutes on 2 cores.
#
# Needs Debian's python3-torch and libopenblas0-openmp (see ../shared/peer/README.md):
#   apt-get install -y python3-torch libopenblas0-openmp
# The peer script is looked up in $KMERL_PEER, else ../shared/peer/torch_cpu_peer.py next to the repository.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
peer="${KMERL_PEER:-$root/../shared/peer/torch_cpu_peer.py}"
if [ ! -f "$peer" ]; then
  echo "compare-cpu: PyTorch peer script not found at $peer (set KMERL_PEER)" >&2
  exit 1
fi
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "compare-cpu: Debian's python3-torch is not installed (apt-get install -y python3-torch libopenblas0-openmp)" >&2
  exit 1
fi
source "$root/benchmarks/bench-env.sh"

echo "== PyTorch peer (1 and 2 threads)" >&2
/usr/bin/python3 "$peer" --out "$work/torch.json" >&2

for t in 1 2; do
  echo "== kmerl JMH, $t thread(s)" >&2
  "$java" --add-modules jdk.incubator.vector -cp "$cp" org.kmerl.benchmarks.Bench --threads "$t" \
      --exclude TextEmbedding --json "$work/kmerl-$t.json" 2>&1 | grep -v '^WARNING: Using incubator' | tail -30 >&2
done

echo "== kmerl ViT step with JMH's GC profiler (allocation per step), 2 threads" >&2
"$java" --add-modules jdk.incubator.vector -cp "$cp" org.kmerl.benchmarks.Bench --threads 2 --gc \
    --json "$work/kmerl-gc.json" VitStepBenchmark 2>&1 | grep -v '^WARNING: Using incubator' | tail -3 >&2

table="$work/table.md"
python3 "$root/benchmarks/compare.py" "$work/torch.json" "$work/kmerl-1.json" "$work/kmerl-2.json" \
    "$work/kmerl-gc.json" > "$table"
results="$root/benchmarks/RESULTS.md"
python3 "$root/benchmarks/replace-section.py" "$results" cpu-comparison "$table"
echo "== wrote $results" >&2
cat "$table"
