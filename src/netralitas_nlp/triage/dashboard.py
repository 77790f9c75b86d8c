"""Dashboard figures: labels per period and per unit, and reviewer throughput.

A label counts for an item when the latest human decision gave it (reviewed items) or, for items
not yet reviewed, when the model predicted it; the two are shown separately. The chart is a plain
SVG whose geometry is computed here and drawn by the template (no script, no CDN).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from statistics import median

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..labels import LABELS
from .db import Decision, Item, User
from .states import STATUSES

COLOURS = {"partisanship": "#1f77b4", "intimidation": "#d62728", "hoax_hate": "#9467bd", "money_politics": "#2ca02c"}
CHART_W, CHART_H, PAD_L, PAD_B, PAD_T = 720, 260, 40, 50, 10


@dataclass
class Bar:
    x: float
    y: float
    w: float
    h: float
    fill: str
    title: str


@dataclass
class Chart:
    width: int = CHART_W
    height: int = CHART_H
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (x, period label)
    yticks: list[tuple[float, int]] = field(default_factory=list)  # (y, count)
    baseline: float = CHART_H - PAD_B


def period_of(item: Item) -> str:
    # The source's own date when it had one, else the day it was imported.
    return item.date or item.created_at.strftime("%Y-%m-%d")


def label_counts(items: list[Item]) -> tuple[dict[str, Counter], dict[str, Counter], dict[str, Counter]]:
    by_period: dict[str, Counter] = defaultdict(Counter)
    by_unit: dict[str, Counter] = defaultdict(Counter)
    by_basis: dict[str, Counter] = {"human": Counter(), "model": Counter()}
    days = sorted({period_of(i) for i in items})
    monthly = bool(days) and (date.fromisoformat(days[-1]) - date.fromisoformat(days[0])).days > 62
    for item in items:
        human = item.final_labels is not None
        labels = [] if (human and item.actor_not_asn) else item.current_labels
        period = period_of(item)[:7] if monthly else period_of(item)
        by_period[period].update(labels)
        by_unit[item.unit or "(no unit)"].update(labels)
        by_basis["human" if human else "model"].update(labels)
    return dict(sorted(by_period.items())), dict(sorted(by_unit.items())), by_basis


def chart(by_period: dict[str, Counter]) -> Chart:
    """Grouped bars: one group per period, one bar per label."""
    c = Chart()
    periods = list(by_period)[-30:]  # the last 30 periods fit the width
    if not periods:
        return c
    top = max([1] + [by_period[p][lab] for p in periods for lab in LABELS])
    plot_w, plot_h = CHART_W - PAD_L - 10, CHART_H - PAD_B - PAD_T
    group = plot_w / len(periods)
    bar_w = group * 0.8 / len(LABELS)
    for g, p in enumerate(periods):
        x0 = PAD_L + g * group + group * 0.1
        for k, lab in enumerate(LABELS):
            n = by_period[p][lab]
            h = plot_h * n / top
            c.bars.append(
                Bar(round(x0 + k * bar_w, 1), round(c.baseline - h, 1), round(bar_w, 1), round(h, 1), COLOURS[lab], f"{p} {lab}: {n}")
            )
        c.ticks.append((round(x0 + group * 0.4, 1), p))
    c.yticks = [(round(c.baseline - plot_h * v / top, 1), v) for v in sorted({0, top // 2, top})]
    return c


def throughput(db: Session) -> list[dict]:
    """Per reviewer: decisions, items, decisions per active day, median seconds per decision."""
    rows = db.execute(
        select(User.username, Decision.item_id, Decision.created_at, Decision.seconds).join(User, User.id == Decision.user_id)
    )
    per: dict[str, dict] = defaultdict(lambda: {"decisions": 0, "items": set(), "days": set(), "seconds": []})
    for username, item_id, at, seconds in rows:
        r = per[username]
        r["decisions"] += 1
        r["items"].add(item_id)
        r["days"].add(at.date())
        if seconds is not None:
            r["seconds"].append(seconds)
    out = []
    for username, r in sorted(per.items()):
        out.append(
            {
                "user": username,
                "decisions": r["decisions"],
                "n_items": len(r["items"]),
                "per_day": round(r["decisions"] / max(1, len(r["days"])), 1),
                "median_seconds": round(median(r["seconds"]), 1) if r["seconds"] else None,
            }
        )
    return out


def figures(db: Session) -> dict:
    items = list(db.scalars(select(Item)))
    by_period, by_unit, by_basis = label_counts(items)
    status = Counter(i.status for i in items)
    return {
        "by_period": by_period,
        "by_unit": by_unit,
        "by_basis": by_basis,
        "chart": chart(by_period),
        "throughput": throughput(db),
        "status": {s: status[s] for s in STATUSES},
        "total": len(items),
        "colours": COLOURS,
    }
