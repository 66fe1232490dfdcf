"""Server-drawn SVG bar charts: no script, no external library, a few hundred bytes each."""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, LABEL_W, ROW_H, BAR_H, PAD = 420, 170, 24, 14, 8


def _short(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    title: str, rows: list[tuple[str, list[int | float]]], series: list[str] | None = None
) -> Markup:
    """Horizontal bars, one row per label, one bar per series value (up to two)."""
    series = series or [""]
    top = max((v for _, values in rows for v in values), default=0) or 1
    span = WIDTH - LABEL_W - 50
    bars_h = BAR_H if len(series) == 1 else BAR_H // 2 + 2
    height = PAD * 2 + ROW_H * len(rows) + (18 if len(series) > 1 else 0)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="Gráfico de barras: {escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, (label, values) in enumerate(rows):
        y = PAD + i * ROW_H
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{y + BAR_H}" text-anchor="end">'
            f"<title>{escape(label)}</title>{escape(_short(label))}</text>"
        )
        for s, value in enumerate(values[: len(series)]):
            w = round(span * float(value) / float(top), 1)
            by = y + 2 + s * bars_h
            css = "bar alt" if s else "bar"
            parts.append(
                f'<rect class="{css}" x="{LABEL_W}" y="{by}" width="{w}" height="{bars_h - 2}"/>'
            )
            parts.append(
                f'<text class="value" x="{LABEL_W + w + 4}" y="{by + bars_h - 4}">{value}</text>'
            )
    if len(series) > 1:
        ly = height - 6
        for s, name in enumerate(series):
            x = LABEL_W + s * 110
            parts.append(
                f'<rect class="{"bar alt" if s else "bar"}" x="{x}" y="{ly - 10}" '
                f'width="10" height="10"/><text x="{x + 14}" y="{ly}">'
                f"{escape(name)}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))
