#!/usr/bin/env bash
# Reproduces docs/results.md: four pretraining runs of the tiny preset on the PTB-XL records in
# ../shared/data (ecg_id 1-400; folds 9 and 10 held out of pretraining), each evaluated at the end of
# its 300-step budget by the three `kmerl eval` commands on folds 9 (validation) and 10 (test).
# Usage: docs/results/run.sh RUNS_DIR   (about 25 minutes on 2 cores), then
#        python3 docs/results/summarise.py RUNS_DIR > docs/results.md
set -euo pipefail
runs=${1:?runs folder}
data=../shared/data/ptbxl
declare -A config=([full]="" [no-entity-loss]=docs/results/ablation-no-entity-loss.yaml
                   [shared-projection]=docs/results/ablation-shared-projection.yaml [no-masking]=docs/results/ablation-no-masking.yaml)
for run in full no-entity-loss shared-projection no-masking; do
  extra=(); [[ -n ${config[$run]} ]] && extra=(--config "${config[$run]}")
  ./kmerl pretrain --data $data --preset tiny --steps 300 "${extra[@]}" --out "$runs/$run" > "$runs/$run.log"
  ckpt="$runs/$run/checkpoints/step-000300"
  ./kmerl eval zeroshot --checkpoint "$ckpt" --data $data --out "$runs/$run/eval-zeroshot" > "$runs/$run/eval-zeroshot.log"
  ./kmerl eval leads --checkpoint "$ckpt" --data $data --out "$runs/$run/eval-leads" > "$runs/$run/eval-leads.log"
  ./kmerl eval probe --checkpoint "$ckpt" --data $data --out "$runs/$run/eval-probe" > "$runs/$run/eval-probe.log"
done
