#!/usr/bin/env bash
# kmerl's text encoder against ONNX Runtime: embed 1,000 ECG reports (<= 64 tokens) with
# all-MiniLM-L6-v2 on 2 CPU threads, in the same JVM run, and write the table to
# benchmarks/RESULTS.md (between the text-embedding markers). About 5 minutes; needs only Maven's
# artifacts (ONNX Runtime comes from Maven Central). The texts are the PTB-XL reports when
# ../shared/data is present next to the repository, else seeded synthetic reports.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
source "$root/benchmarks/bench-env.sh"

echo "== kmerl, ONNX Runtime and langchain4j, 2 threads" >&2
(cd "$root" && "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$cp" \
    org.kmerl.benchmarks.Bench --threads 2 --json "$work/text.json" TextEmbeddingBenchmark) \
    2>&1 | grep -v '^WARNING: Using incubator' | tee "$work/log.txt" | tail -5 >&2
source="$(grep -m1 '^texts: ' "$work/log.txt" | sed 's/^texts: //')"

python3 "$root/benchmarks/text_table.py" "$work/text.json" "$source" > "$work/table.md"
python3 "$root/benchmarks/replace-section.py" "$root/benchmarks/RESULTS.md" text-embedding "$work/table.md"
echo "== wrote $root/benchmarks/RESULTS.md" >&2
cat "$work/table.md"
