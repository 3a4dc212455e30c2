"""Writes docs/results.md from the results.json files of docs/results/run.sh (python3 summarise.py RUNS_DIR)."""
import json
import statistics
import sys
from pathlib import Path

runs = Path(sys.argv[1])
RUNS = [("full", "K-MERL (tiny)"), ("no-entity-loss", "without the entity loss (contrastive only)"),
        ("shared-projection", "without lead-specific tokenization (one shared patch projection)"),
        ("no-masking", "without masking (no lead or segment masking)")]
TASKS = ["ptbxl-super", "ptbxl-sub", "ptbxl-form", "ptbxl-rhythm"]
Q, S = "query network", "ECG-text similarity"


def load(run, kind):
    return json.loads((runs / run / f"eval-{kind}" / "results.json").read_text())


def rows(res, view=None, method=None, task=None):
    return [r for r in res["results"] if (view is None or r["view"] == view) and (method is None or r["method"] == method)
            and (task is None or r["task"] == task)]


def ci(r):
    if r["macro_auroc"] is None:
        return "-"
    if r["macro_auroc_low"] is None:
        return f"{r['macro_auroc']:.3f}"
    return f"{r['macro_auroc']:.3f} [{r['macro_auroc_low']:.3f}, {r['macro_auroc_high']:.3f}]"


def table(header, body):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in line) + " |" for line in body]
    return "\n".join(out)


zs = load("full", "zeroshot")
leads = load("full", "leads")
probe = load("full", "probe")
print("# Results: K-MERL pretrained and evaluated on the PTB-XL records available here\n")
print(f"""What was run, exactly: `docs/results/run.sh` (the commands are below), on {zs['device']}.

- **Pretraining data**: the real PTB-XL records whose waveforms are in `../shared/data/ptbxl` (ecg_id 1-400 of
  21,837; 100 Hz) with their free-text reports, minus folds 9 and 10: 276 records, of which `kmerl pretrain`
  holds out a random 5% (14) for its own validation, so 262 ECG-report pairs. No synthetic data.
- **Evaluation data**: the same 400 records on the benchmark folds: {zs['splits']}. The pretraining never saw
  the 124 validation and test records, nor their reports. The linear probe trains on the 276 fold 1-8
  records, which pretraining did see (as in any pretrain-then-probe protocol).
- **Budget**: the tiny preset (width 128, depth 4, one query layer; `docs/model.md`), 300 steps of 32 pairs
  (~37 epochs), AdamW 1e-3 with 15 warm-up steps and cosine decay, on 2 CPU cores (about 3 minutes per
  run). Every run, ablations included, is evaluated at its last checkpoint (step 300), so no run gets a
  checkpoint chosen on 14 validation records.
- **Text encoder**: {zs['text encoder']} (frozen). Class texts: PTB-XL's class names (`ClassTexts`).
- **Metrics**: {zs['bootstrap']}; macro AUROC over the classes with positives and negatives among the 54 test
  records (the others are listed in each `results.md`); F1 at the threshold chosen on the validation fold.

With 54 test records the intervals are wide: differences of a few hundredths are noise. These are
the numbers of a 3-minute model on 262 pairs, a check that the pipeline learns and that the
evaluation is honest, not a reproduction of the paper's MIMIC-ECG results.
""")
print("## Zero-shot classification (full model, all 12 leads)\n")
body = []
for t in TASKS:
    q = rows(zs, "all", Q, t)[0]
    s = rows(zs, "all", S, t)[0]
    body.append([t, len(q["classes"]), ci(q), f"{q['macro_f1']:.3f}" if q["macro_f1"] is not None else "-", ci(s),
                 f"{s['macro_f1']:.3f}" if s["macro_f1"] is not None else "-"])
print(table(["task", "classes scored", "query network: macro AUROC [95% CI]", "macro F1", "ECG-text similarity: macro AUROC [95% CI]",
             "macro F1"], body))
print("\n![ROC curves of the superclass task, query network](images/results-roc-ptbxl-super-query.png)\n")
sup = rows(zs, "all", Q, "ptbxl-super")[0]
print("Per class (superclass task, query network):\n")
print(table(["class", "text", "test positives", "AUROC [95% CI]", "validation threshold", "test F1"],
            [[c["code"], c["text"], c["test_positives"], f"{c['auroc']:.3f} [{c['auroc_low']:.3f}, {c['auroc_high']:.3f}]",
              f"{c['threshold']:.3f}" if c["threshold"] is not None else "-", f"{c['f1']:.3f}" if c["f1"] is not None else "-"]
             for c in sup["classes"]]))
print("\n## Partial leads (full model, zero-shot macro AUROC through the query network)\n")
print("K-MERL's way: only the chosen leads become tokens. Baseline of prior work: the same model fed all 12 leads")
print("with the missing ones zero-filled.\n")
views = []
for r in leads["results"]:
    if r["view"] not in views:
        views.append(r["view"])
body = []
for v in views:
    body.append([v] + [ci(rows(leads, v, Q, t)[0]) for t in TASKS] + [ci(rows(leads, v, S, "ptbxl-super")[0])])
print(table(["leads"] + TASKS + ["ptbxl-super, similarity"], body))
print("\n## Linear probing (full model, pooled encoder features, all 12 leads)\n")
body = []
for t in TASKS:
    line = [t]
    for pct in ["1%", "10%", "100%"]:
        rs = [r for r in rows(probe, "all", "linear probe", t) if r["setting"].startswith(pct + " ")]
        vals = [r["macro_auroc"] for r in rs if r["macro_auroc"] is not None]
        if len(rs) > 1:
            line.append(f"{statistics.mean(vals):.3f} ± {statistics.stdev(vals):.3f} ({len(vals)} draws)")
        elif rs:
            line.append(ci(rs[0]))
        else:
            line.append("-")
    body.append(line)
print(table(["task", "1% (3 records)", "10% (28 records)", "100% (276 records)"], body))
print("\nWeight decay and epoch chosen on the validation fold; 1% is the mean ± sd of three seeded draws.")
print("\n## Ablations, same budget (300 steps each, evaluated at step 300)\n")
body = []
for run, label in RUNS:
    try:
        z, l, p = load(run, "zeroshot"), load(run, "leads"), load(run, "probe")
    except FileNotFoundError:
        body.append([label] + ["not run"] * 6)
        continue
    def probe100(t):
        rs = [r for r in rows(p, "all", "linear probe", t) if r["setting"].startswith("100% ")]
        return ci(rs[0]) if rs else "-"
    body.append([label, ci(rows(z, "all", Q, "ptbxl-super")[0]), ci(rows(z, "all", S, "ptbxl-super")[0]),
                 ci(rows(l, "I", Q, "ptbxl-super")[0]), ci(rows(l, "I", S, "ptbxl-super")[0]),
                 probe100("ptbxl-super"), probe100("ptbxl-form")])
print(table(["run", "super zero-shot, query", "super zero-shot, similarity", "super, lead I only, query",
             "super, lead I only, similarity", "super probe 100%", "form probe 100%"], body))
print("""
Without the entity loss the query network is never trained, so its zero-shot column is a random
network's; compare that run on the similarity columns and the probe.

## Commands

```sh
docs/results/run.sh RUNS                 # the four runs and their evaluations (~25 min on 2 cores)
python3 docs/results/summarise.py RUNS > docs/results.md
```

Each run is `kmerl pretrain --data ../shared/data/ptbxl --preset tiny --steps 300 [--config
docs/results/ablation-*.yaml] --out RUNS/<run>`, then `kmerl eval zeroshot|leads|probe --checkpoint
RUNS/<run>/checkpoints/step-000300 --data ../shared/data/ptbxl --out RUNS/<run>/eval-<kind>`. The ablation
configs are in `docs/results/`. Every `results.md` next to its `results.json` has the per-class tables.""")
