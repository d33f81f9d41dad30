"""Reference values for KneeGrade's agreement statistics (src/core/stats), from established implementations.

Run:  .venv/bin/python scripts/reference/stats_reference.py
Writes tests/fixtures/reference/stats_reference.json, which tests/unit/stats/reference.test.ts checks the
TypeScript module against. Sources of truth:
  * scikit-learn: confusion_matrix, cohen_kappa_score (none / linear / quadratic, labels=0..4),
    precision_recall_fscore_support (per grade, macro, weighted; zero_division=0)
  * statsmodels: cohens_kappa (simple and weighted, from the table), fleiss_kappa (aggregate_raters)
  * Krippendorff's alpha: no library is installed, so it is computed here straight from the definition
    with pairwise value enumeration (a different formulation from the coincidence-matrix code in
    TypeScript), and that code is itself checked against Krippendorff's published worked example
    (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", 4 observers x 12 units:
    nominal 0.743, ordinal 0.815, interval 0.849) before anything is written.
  * Fleiss (1971) worked example (30 patients x 6 psychiatrists, 5 diagnoses): kappa = 0.430.
"""

import itertools
import json
import math
import os
import sys

import numpy as np
from sklearn.metrics import cohen_kappa_score, confusion_matrix, precision_recall_fscore_support
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa, fleiss_kappa

LABELS = [0, 1, 2, 3, 4]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "fixtures", "reference", "stats_reference.json")


def num(x):
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


def pair_expected(a, b):
    """Every two-rater statistic of ratings a (reference) and b over the knees both graded."""
    keep = [(x, y) for x, y in zip(a, b) if x is not None and y is not None]
    ya = np.array([x for x, _ in keep])
    yb = np.array([y for _, y in keep])
    cm = confusion_matrix(ya, yb, labels=LABELS)
    out = {"n": len(keep), "confusion": cm.tolist()}
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out["kappa"] = num(cohen_kappa_score(ya, yb, labels=LABELS))
            out["linearKappa"] = num(cohen_kappa_score(ya, yb, labels=LABELS, weights="linear"))
            out["qwk"] = num(cohen_kappa_score(ya, yb, labels=LABELS, weights="quadratic"))
            # statsmodels works on the table; identical unless the table is degenerate.
            out["statsmodels"] = {
                "kappa": num(cohens_kappa(cm, return_results=False)),
                "linearKappa": num(cohens_kappa(cm, wt="linear", return_results=False)),
                "qwk": num(cohens_kappa(cm, wt="quadratic", return_results=False)),
            }
            p, r, f, s = precision_recall_fscore_support(ya, yb, labels=LABELS, zero_division=0)
            present = sorted(set(ya.tolist()) | set(yb.tolist()))
            pm, rm, fm, _ = precision_recall_fscore_support(ya, yb, labels=present, average="macro", zero_division=0)
            pw, rw, fw, _ = precision_recall_fscore_support(ya, yb, labels=present, average="weighted", zero_division=0)
    d = np.abs(ya - yb)
    out["exactAccuracy"] = num(np.mean(d == 0))
    out["adjacentAccuracy"] = num(np.mean(d <= 1))
    out["mae"] = num(np.mean(d))
    out["perGrade"] = [
        {"grade": g, "precision": num(p[g]), "recall": num(r[g]), "f1": num(f[g]), "support": int(s[g])} for g in LABELS
    ]
    out["macro"] = {"precision": num(pm), "recall": num(rm), "f1": num(fm)}
    out["weighted"] = {"precision": num(pw), "recall": num(rw), "f1": num(fw)}
    return out


def alpha_by_definition(grades, metric):
    """Krippendorff's alpha from the definition: grades is raters x units, None = missing.

    D_o = 1/n * sum_u 1/(m_u - 1) * sum over ordered pairs of distinct positions in u of delta^2
    D_e = 1/(n (n - 1)) * sum over ordered pairs of distinct pairable values of delta^2
    """
    units = []
    for u in range(len(grades[0])):
        vals = [row[u] for row in grades if row[u] is not None]
        if len(vals) >= 2:
            units.append(vals)
    values = [v for vals in units for v in vals]
    n = len(values)
    if n <= 1:
        return None
    cats = sorted(set(values))
    counts = {c: values.count(c) for c in cats}

    def delta2(c, k):
        if c == k:
            return 0.0
        if metric == "nominal":
            return 1.0
        if metric == "interval":
            return float(c - k) ** 2
        lo, hi = min(c, k), max(c, k)
        s = sum(counts.get(g, 0) for g in range(lo, hi + 1)) - (counts[c] + counts[k]) / 2.0
        return s * s

    do = 0.0
    for vals in units:
        m = len(vals)
        do += sum(delta2(vals[i], vals[j]) for i in range(m) for j in range(m) if i != j) / (m - 1)
    do /= n
    de = sum(counts[c] * counts[k] * delta2(c, k) for c in cats for k in cats) / (n * (n - 1))
    if de == 0:
        return None
    return 1.0 - do / de


def multi_expected(grades):
    """grades: raters x knees (None = missing). Fleiss and Light on complete knees; alpha on all."""
    R = len(grades)
    complete = [u for u in range(len(grades[0])) if all(row[u] is not None for row in grades)]
    table = np.array([[row[u] for row in grades] for u in complete])
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        counts, _ = aggregate_raters(table, n_cat=5)
        fk = num(fleiss_kappa(counts, method="fleiss")) if len(complete) else None
        kappas = [
            cohen_kappa_score(table[:, i], table[:, j], labels=LABELS) for i, j in itertools.combinations(range(R), 2)
        ]
        pairwise = []
        pairwise_n = []
        for i in range(R):
            row, nrow = [], []
            for j in range(R):
                both = [u for u in range(len(grades[0])) if grades[i][u] is not None and grades[j][u] is not None]
                nrow.append(len(both))
                if i == j:
                    row.append(1.0 if both else None)
                else:
                    row.append(
                        num(
                            cohen_kappa_score(
                                [grades[i][u] for u in both], [grades[j][u] for u in both], labels=LABELS, weights="quadratic"
                            )
                        )
                    )
            pairwise.append(row)
            pairwise_n.append(nrow)
    return {
        "fleiss": fk,
        "fleissN": len(complete),
        "light": num(np.mean(kappas)),
        "alpha": {m: alpha_by_definition(grades, m) for m in ("nominal", "ordinal", "interval")},
        "pairwiseQwk": pairwise,
        "pairwiseN": pairwise_n,
    }


def check_published():
    # Krippendorff (2011), the 4 observers x 12 units example (values 1..5, '.' missing).
    k2011 = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    published = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849}
    for m, v in published.items():
        got = alpha_by_definition(k2011, m)
        if round(got, 3) != v:
            sys.exit(f"alpha_by_definition({m}) = {got:.4f}, Krippendorff (2011) publishes {v}")
    # Fleiss (1971): diagnoses 1..5 of 30 patients by 6 psychiatrists; kappa = 0.430.
    fleiss1971 = [
        [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5], [2, 2, 2, 4, 4, 4],
        [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4], [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5],
        [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4], [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5],
        [3, 3, 3, 3, 3, 5], [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
        [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4], [1, 4, 4, 4, 4, 5],
        [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4], [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
    ]
    counts, _ = aggregate_raters(np.array(fleiss1971) - 1, n_cat=5)
    fk = fleiss_kappa(counts, method="fleiss")
    if round(fk, 3) != 0.430:
        sys.exit(f"statsmodels fleiss_kappa on Fleiss (1971) = {fk:.4f}, published 0.430")
    return {
        "krippendorff2011": {
            "grades": [[None if v is None else v - 1 for v in row] for row in k2011],
            "published": published,
            "definition": {m: alpha_by_definition(k2011, m) for m in published},
        },
        "fleiss1971": {
            "counts": counts.tolist(),
            "published": 0.430,
            "statsmodels": fk,
        },
    }


def with_missing(rng, grades, frac):
    return [None if rng.random() < frac else int(g) for g in grades]


def main():
    rng = np.random.default_rng(20240601)
    pairs = {}

    truth = rng.choice(5, size=300, p=[0.35, 0.18, 0.25, 0.15, 0.07])
    noisy = np.clip(truth + rng.choice([-1, 0, 0, 0, 1, 2], size=300), 0, 4)
    pairs["typical"] = (truth.tolist(), noisy.tolist())
    # A rater that never uses KL1 or KL4 (collapses them onto neighbours).
    never = np.where(noisy == 1, 0, np.where(noisy == 4, 3, noisy))
    pairs["never_uses_grades_1_and_4"] = (truth.tolist(), never.tolist())
    pairs["single_grade_everyone"] = ([2] * 40, [2] * 40)
    pairs["one_rater_constant"] = (truth[:80].tolist(), [3] * 80)
    pairs["perfect"] = (truth[:120].tolist(), truth[:120].tolist())
    # Chance agreement: every grade of a paired with every grade of b (an outer-product table), so the
    # observed table equals the expected one and every kappa is exactly 0.
    ga = [0, 0, 1, 2, 2, 2, 3, 4]
    gb = [0, 1, 1, 2, 3, 4]
    pairs["chance"] = ([x for x in ga for _ in gb], [y for _ in ga for y in gb])
    pairs["missing_grades"] = (with_missing(rng, truth[:200], 0.1), with_missing(rng, noisy[:200], 0.15))
    pairs["disagree_reversed"] = (truth[:100].tolist(), (4 - truth[:100]).tolist())
    pairs["small_n2"] = ([0, 4], [1, 3])

    pair_cases = [{"name": k, "a": a, "b": b, "expected": pair_expected(a, b)} for k, (a, b) in pairs.items()]

    multi = {}
    base = rng.choice(5, size=150, p=[0.3, 0.2, 0.25, 0.17, 0.08])
    raters = [np.clip(base + rng.choice([-1, 0, 0, 1], size=150), 0, 4) for _ in range(4)]
    multi["four_raters_complete"] = [r.tolist() for r in raters]
    multi["four_raters_missing"] = [with_missing(rng, r, 0.2) for r in raters]
    multi["everyone_one_grade"] = [[1] * 30 for _ in range(3)]
    multi["perfect_three"] = [base[:60].tolist()] * 3
    multi_cases = [{"name": k, "grades": g, "expected": multi_expected(g)} for k, g in multi.items()]

    doc = {
        "generator": "scripts/reference/stats_reference.py",
        "versions": {
            "numpy": np.__version__,
            "sklearn": __import__("sklearn").__version__,
            "statsmodels": __import__("statsmodels").__version__,
        },
        "published": check_published(),
        "pairs": pair_cases,
        "multi": multi_cases,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as fh:
        json.dump(doc, fh, indent=None, separators=(",", ":"))
        fh.write("\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
