"""Self-contained HTML evaluation report (inline SVG, no JavaScript, every text escaped)."""

from __future__ import annotations

from html import escape

import numpy as np

from .labels import LABELS
from .metrics import binarize, pr_curve, reliability_bins

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")
W, H, PAD = 260, 220, 32


def _xy(x: float, y: float) -> tuple[float, float]:
    return PAD + x * (W - 2 * PAD), H - PAD - y * (H - 2 * PAD)


def _axes(title: str, xlabel: str, ylabel: str) -> list[str]:
    x0, y0 = _xy(0, 0)
    x1, y1 = _xy(1, 1)
    return [
        f'<svg width="{W}" height="{H}" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(title)}">',
        f'<text x="{W / 2}" y="14" text-anchor="middle" font-size="12">{escape(title)}</text>',
        f'<rect x="{x0}" y="{y1}" width="{x1 - x0}" height="{y0 - y1}" fill="none" stroke="#999"/>',
        f'<text x="{W / 2}" y="{H - 6}" text-anchor="middle" font-size="10">{escape(xlabel)}</text>',
        f'<text x="10" y="{H / 2}" font-size="10" transform="rotate(-90 10 {H / 2})" text-anchor="middle">{escape(ylabel)}</text>',
    ]


def _polyline(xs, ys, colour: str) -> str:
    pts = " ".join("{:.1f},{:.1f}".format(*_xy(float(x), float(y))) for x, y in zip(xs, ys))
    return f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="1.5"/>'


def pr_svg(label: str, y: np.ndarray, runs: list[tuple[str, np.ndarray]]) -> str:
    parts = _axes(f"PR curve: {label}", "recall", "precision")
    if y.any():
        for k, (_, probs) in enumerate(runs):
            precision, recall = pr_curve(y, probs)
            parts.append(_polyline(recall, precision, COLOURS[k % len(COLOURS)]))
    return "".join(parts) + "</svg>"


def reliability_svg(name: str, y: np.ndarray, probs: np.ndarray) -> str:
    parts = _axes(f"Reliability: {name}", "mean predicted probability", "observed rate")
    parts.append(_polyline([0, 1], [0, 1], "#bbb"))
    for b in reliability_bins(y, probs):
        cx, cy = _xy(b["mean_prob"], b["frac_pos"])
        r = 2 + min(8, np.log1p(b["count"]))
        tip = f"<title>{b['count']} predictions</title>"
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="#1f77b4" fill-opacity="0.6">{tip}</circle>')
    return "".join(parts) + "</svg>"


def cooccurrence_table(title: str, y: np.ndarray) -> str:
    m = y.T @ y
    head = "".join(f"<th>{escape(lab)}</th>" for lab in LABELS)
    rows = "".join(
        f"<tr><th>{escape(a)}</th>" + "".join(f"<td>{int(m[i, j])}</td>" for j in range(len(LABELS))) + "</tr>"
        for i, a in enumerate(LABELS)
    )
    return f"<h4>{escape(title)}</h4><table><tr><th></th>{head}</tr>{rows}</table>"


def worst_errors(texts: list[str], y: np.ndarray, probs: np.ndarray, thresholds: np.ndarray, k: int = 5) -> str:
    pred = binarize(probs, thresholds)
    out = []
    for j, lab in enumerate(LABELS):
        fp = [i for i in np.argsort(-probs[:, j]) if pred[i, j] and not y[i, j]][:k]
        fn = [i for i in np.argsort(probs[:, j]) if y[i, j] and not pred[i, j]][:k]
        for kind, idx in (("false positives", fp), ("false negatives", fn)):
            items = "".join(f"<li><b>{probs[i, j]:.2f}</b> {escape(texts[i][:500])}</li>" for i in idx) or "<li>none</li>"
            out.append(f"<h4>{escape(lab)}: worst {kind}</h4><ol>{items}</ol>")
    return "".join(out)


def summary_table(reports: list[tuple[str, dict]]) -> str:
    head = (
        "<tr><th>model</th><th>macro-F1</th><th>micro-F1</th><th>none_fpr</th><th>ECE</th>"
        + "".join(f"<th>{escape(lab)} F1 / PR-AUC</th>" for lab in LABELS)
        + "</tr>"
    )
    rows = []
    for name, r in reports:
        cells = "".join(
            f"<td>{r['per_label'][lab]['f1']:.3f} / "
            + ("n/a" if r["per_label"][lab]["pr_auc"] is None else f"{r['per_label'][lab]['pr_auc']:.3f}")
            + "</td>"
            for lab in LABELS
        )
        rows.append(
            f"<tr><td>{escape(name)}</td><td>{r['macro_f1']:.3f}</td><td>{r['micro_f1']:.3f}</td>"
            f"<td>{r['none_fpr']:.3f}</td><td>{r['ece']:.3f}</td>{cells}</tr>"
        )
    return f"<table>{head}{''.join(rows)}</table>"


STYLE = """body{font-family:sans-serif;max-width:1200px;margin:2em auto;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
li{margin:.3em 0;text-align:left}svg{margin:4px;border:1px solid #eee}.legend span{margin-right:1em}"""


def render(data_path: str, texts: list[str], y: np.ndarray, runs: list[dict]) -> str:
    """`runs`: dicts with `name`, `probs`, `thresholds` and `report` for each model."""
    legend = "".join(f'<span style="color:{COLOURS[k % len(COLOURS)]}">&#9632; {escape(r["name"])}</span>' for k, r in enumerate(runs))
    prs = "".join(pr_svg(lab, y[:, j], [(r["name"], r["probs"][:, j]) for r in runs]) for j, lab in enumerate(LABELS))
    rel = "".join(reliability_svg(r["name"], y, r["probs"]) for r in runs)
    cooc = cooccurrence_table("gold", y) + "".join(
        cooccurrence_table(f"predicted: {r['name']}", binarize(r["probs"], r["thresholds"])) for r in runs
    )
    errors = "".join(f"<h3>{escape(r['name'])}</h3>" + worst_errors(texts, y, r["probs"], r["thresholds"]) for r in runs)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>netralitas-nlp evaluation</title><style>{STYLE}</style></head><body>
<h1>Evaluation on {escape(data_path)} (n={len(texts)})</h1>
<p>Decisions use each model's saved per-label thresholds; probabilities are its calibrated ones.
The final call on any real case is a human one.</p>
<h2>Summary</h2>{summary_table([(r["name"], r["report"]) for r in runs])}
<h2>Precision-recall curves</h2><p class="legend">{legend}</p>{prs}
<h2>Reliability diagrams</h2>{rel}
<h2>Label co-occurrence</h2>{cooc}
<h2>Worst errors per label</h2>{errors}
</body></html>"""


def _f(v) -> str:
    return "n/a" if v is None else f"{v:.3f}"


def suite_set_table(entry: dict) -> str:
    """One set: a row per model, macro-F1 over the covered labels, then P/R/F1 per covered label."""
    covers = entry["covers"]
    head = "<tr><th>model</th><th>macro-F1</th><th>none_fpr</th>" + "".join(f"<th>{escape(lab)} P / R / F1 / PR-AUC</th>" for lab in covers)
    rows = []
    for r in entry["results"]:
        cells = "".join(
            f"<td>{_f(m['precision'])} / {_f(m['recall'])} / <b>{_f(m['f1'])}</b> / {_f(m['pr_auc'])}</td>"
            for m in (r["per_label"][lab] for lab in covers)
        )
        rows.append(f"<tr><td>{escape(r['model'])}</td><td><b>{r['macro_f1']:.3f}</b></td><td>{r['none_fpr']:.3f}</td>{cells}</tr>")
    pos = ", ".join(f"{escape(k)} {v}" for k, v in entry["positives"].items())
    return (
        f"<h3>{escape(entry['name'])} (n={entry['n']}; positives: {pos})</h3><table>{head}</tr>{''.join(rows)}</table>"
        f"<p class='meaning'><b>What the labels mean here:</b> {escape(entry['meaning'])}</p>"
    )


def swap_table(swap: dict) -> str:
    head = "<tr><th>model</th><th>texts naming a candidate</th><th>flip rate</th>" + "".join(f"<th>{escape(lab)}</th>" for lab in LABELS)
    rows, shifts = [], []
    for m in swap["models"]:
        per = "".join(f"<td>{m['flip_rate_per_label'][lab]:.2%}</td>" for lab in LABELS)
        rows.append(
            f"<tr><td>{escape(m['model'])}</td><td>{m['with_candidate_reference']}/{m['n']}</td><td><b>{m['flip_rate']:.2%}</b></td>{per}</tr>"
        )
        items = "".join(
            f"<li><b>{s['shift']:.3f}</b> {escape(s['label'])}: {escape(s['text'][:400])}</li>" for s in m["largest_shifts"][:5]
        )
        shifts.append(f"<h4>{escape(m['model'])}: largest probability shifts</h4><ol>{items or '<li>none</li>'}</ol>")
    return f"<table>{head}</tr>{''.join(rows)}</table>" + "".join(shifts)


def swap_overview(result: dict) -> str:
    """One row per set (and the unlabelled pool sample), one flip-rate cell per model."""
    names = [m["model"] for m in result["models"]]
    head = "<tr><th>set</th>" + "".join(f"<th>{escape(n)}</th>" for n in names) + "</tr>"

    def cell(sw: dict) -> str:
        return f"<td>{sw['flips']}/{sw['n']} ({sw['flip_rate']:.2%}); {sw['with_candidate_reference']} name a candidate</td>"

    rows = [
        f"<tr><td>{escape(e['name'])}</td>" + "".join(cell(r["swap"]) for r in e["results"] if "swap" in r) + "</tr>"
        for e in result["sets"]
    ]
    if "swap_pool" in result:
        rows.append(
            f"<tr><td>unlabelled pool sample (n={result['swap_pool']['n']})</td>"
            + "".join(cell(m) for m in result["swap_pool"]["models"])
            + "</tr>"
        )
    return f"<h2>Swap flips per set</h2><table>{head}{''.join(rows)}</table>" if rows else ""


def render_suite(result: dict) -> str:
    sets = "".join(suite_set_table(e) for e in result["sets"]) + swap_overview(result)
    skipped = "".join(f"<li>{escape(s['name'])}: {escape(s['reason'])}</li>" for s in result["skipped"])
    swap = ""
    if "swap_check" in result:
        swap = (
            f"<h2>Candidate-swap check ({escape(result['swap_check']['data'])})</h2>"
            "<p>Each text is rewritten under every permutation of the candidate numbers and 2024 pair names; a decision "
            "flips when any permutation changes it. Target: at most 1% of texts.</p>" + swap_table(result["swap_check"])
        )
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>netralitas-nlp evaluation suite</title><style>{STYLE} .meaning{{max-width:900px;font-size:90%}}</style></head><body>
<h1>Evaluation suite</h1>
<p>Models side by side on the seed test split, the real annotated set and public text that no one on the team wrote.
Each public set is scored only on the labels it speaks about, at each model's saved thresholds (never tuned on these
sets). The final call on any real case is a human one.</p>
{sets}{swap}
{"<h2>Skipped</h2><ul>" + skipped + "</ul>" if skipped else ""}
</body></html>"""
