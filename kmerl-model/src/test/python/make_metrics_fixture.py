#!/usr/bin/env python3
"""AUROC and F1 fixtures from scikit-learn for BinaryMetricsTest (Debian's python3-sklearn).

Cases with heavy ties, rare positives and continuous scores; for each: roc_auc_score, the best F1
over precision_recall_curve's thresholds, and f1_score at three fixed thresholds (score >= t).

    /usr/bin/python3 kmerl-model/src/test/python/make_metrics_fixture.py kmerl-model/src/test/resources/metrics.json
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.metrics import f1_score, precision_recall_curve, roc_auc_score

rng = np.random.default_rng(20261126)
cases = []
for k, (n, prevalence, levels) in enumerate([(40, 0.5, 5), (200, 0.1, 0), (97, 0.3, 3), (500, 0.02, 0), (61, 0.6, 11)]):
    y = (rng.random(n) < prevalence).astype(int)
    y[0], y[1] = 1, 0
    s = rng.random(n) + 0.8 * y
    if levels:
        s = np.round(s * levels) / levels          # ties
    precision, recall, thresholds = precision_recall_curve(y, s)
    f1 = np.where(precision + recall > 0, 2 * precision * recall / np.maximum(precision + recall, 1e-300), 0)
    thresholds_fixed = [float(np.quantile(s, q)) for q in (0.25, 0.5, 0.9)]
    cases.append({
        "scores": [float(v) for v in s], "labels": [int(v) for v in y],
        "auroc": float(roc_auc_score(y, s)),
        "best_f1": float(f1[:-1].max()),
        "thresholds": thresholds_fixed,
        "f1_at": [float(f1_score(y, (s >= t).astype(int), zero_division=0)) for t in thresholds_fixed],
    })
json.dump({"sklearn": sklearn.__version__, "cases": cases}, open(sys.argv[1], "w"), indent=1)
print(f"wrote {len(cases)} cases with scikit-learn {sklearn.__version__} to {sys.argv[1]}")
