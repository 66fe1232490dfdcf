"""Route legs (capture, transit, exploitation) of the victims whose typology has a route.

Counted over 2023-2025 they hold the published route facts: the leading departments of
capture and of exploitation, in order, and the share of routes that cross a border.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from app.demo.generate.draw import Draw, Record, weights
from app.demo.generate.figures import EXPLOITATION_TYPOLOGIES, ROUTE_TYPOLOGIES

# Where a route from abroad enters Peru (INEI department).
ENTRY_REGION = {
    "VE": "24",
    "CO": "24",
    "EC": "24",
    "BO": "21",
    "PY": "21",
    "AR": "23",
    "CL": "23",
    "BR": "17",
    "CN": "07",
    "DO": "07",
}
REGIONS = tuple(f"{i:02d}" for i in range(1, 26))
# Team preferences for the Peruvian department of capture and of exploitation.
CAPTURE_PREFS = {
    "lima": weights(
        "15:30 16:7 12:7 25:5 08:4 21:4 02:4 10:5 13:4 06:4 20:4 11:3 07:5 05:4 09:3 "
        "14:3 22:4 01:2 04:3 03:2 19:2"
    ),
    "loreto": weights("16:60 22:8 25:8 01:5 15:3 10:2"),
    "madre_de_dios": weights("21:25 08:20 17:15 03:8 04:5 05:5 16:4 15:4 25:3"),
    "puno": weights("21:60 08:8 04:8 23:5 18:3 15:3 03:2"),
    "cusco": weights("08:45 21:15 03:15 04:5 15:4 05:5 17:3"),
}
EXPLOITATION_PREFS = {
    "lima": weights("15:60 07:6 11:5 04:3 13:3 20:3 24:3 17:5 12:3 02:2 14:2"),
    "loreto": weights("16:30 15:20 17:12 25:10 22:5 08:3"),
    "madre_de_dios": weights("17:70 08:10 21:6 15:3 04:2"),
    "puno": weights("21:30 17:25 08:15 04:10 23:10 15:5 18:3"),
    "cusco": weights("08:65 17:15 15:5 21:5 03:3 04:3"),
}
EXPLOITATION_BY_NATIONALITY = {
    "VE": weights("15:4 07:2 04:1.5 13:1.5 20:1.5 24:1.5"),
    "CO": weights("15:3 16:2 24:1.5"),
    "EC": weights("24:4 15:2 20:2"),
    "BO": weights("21:4 17:3 08:1.5 23:1.5"),
    "BR": weights("17:3 16:2"),
}
# Published ranking: capture Lima > Loreto > Puno; exploitation Lima > Madre de Dios > Cusco.
CAPTURE_TOP = (("15", 0.20), ("16", 0.16), ("21", 0.12))
CAPTURE_REST = weights(
    "08:6 12:3.5 25:3 22:2.5 10:2.5 03:2 04:2 01:1.5 02:1.5 06:1.5 13:1.5 20:1.5 "
    "05:1.5 17:1.5 07:1.5 11:1 09:1 14:1 19:0.5 23:1 18:0.5 24:1"
)
EXPLOITATION_TOP = (("15", 0.30), ("17", 0.17), ("08", 0.10))
EXPLOITATION_REST = weights(
    "16:6 21:5 24:4 04:4 23:3 25:3 12:2 07:3 11:2 20:2 13:2 22:1 06:1 02:1 14:1 18:1"
)
TRANSIT_HUBS = ("15", "08", "21", "04", "25", "12", "22")


def _largest_remainder(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split `total` in proportion to `weights`; ties go to the earlier key."""
    wsum = sum(weights.values())
    exact = {k: total * w / wsum for k, w in weights.items()}
    counts = {k: int(v) for k, v in exact.items()}
    order = sorted(exact, key=lambda k: -(exact[k] - counts[k]))
    for k in order[: total - sum(counts.values())]:
        counts[k] += 1
    return counts


def _quotas(
    n: int,
    top: Sequence[tuple[str, float]],
    rest: Mapping[str, float],
    rest_fraction: float,
    gap: int,
    gap4: int,
) -> dict[str, int]:
    """Region counts summing to n where the three `top` regions lead in order by the gaps."""
    others = _largest_remainder(round(n * rest_fraction), rest)
    while True:
        fourth = max(others.values(), default=0)
        base = [fourth + gap4 + 2 * gap, fourth + gap4 + gap, fourth + gap4]
        left = n - sum(others.values()) - sum(base)
        if left >= 0:
            break
        if fourth == 0:
            raise ValueError(f"{n} route victims cannot hold the published ranking")
        others[max(others, key=lambda k: others[k])] -= 1
    shares = [s for _, s in top]
    third = int(left * shares[2] / sum(shares))
    second = int(left * shares[1] / sum(shares))
    extra = [left - second - third, second, third]
    counts = {code: base[i] + extra[i] for i, (code, _) in enumerate(top)}
    counts.update(others)
    return counts


def routes(draw: Draw, pairs: list[tuple[Record, Record]], gap: int, gap4: int) -> None:
    """The route legs of these (case, victim) pairs; capture and exploitation regions keep
    the published ranking, each leading region ahead of the next by `gap` (`gap4`: the
    third ahead of the fourth)."""
    rng = draw.rng
    captured: list[tuple[Record, Record]] = []  # captured in Peru
    exploited: list[tuple[Record, Record]] = []  # exploited in Peru
    abroad: dict[str, str] = {}
    for case, v in pairs:
        nat = v["nationality"]
        if v["typology"] == "migrant_smuggling":
            legs = [(("capture", nat, None))] + _entry(draw, nat, None)
            if rng.random() < 0.5:
                legs.append(("transit", "PE", rng.choice(("15", "23"))))
            v["route"] = [{"stage": s, "country": c, "region": r} for s, c, r in legs]
            continue
        if v["typology"] not in ROUTE_TYPOLOGIES:
            continue
        if nat != "PE" and rng.random() < 0.88:
            v["route"] = [{"stage": "capture", "country": nat, "region": None}]
        else:
            v["route"] = [{"stage": "capture", "country": "PE", "region": None}]
            captured.append((case, v))
        if nat == "PE" and rng.random() < 0.04:
            abroad[v["key"]] = rng.choice(("CL", "AR", "BO", "EC", "BR"))
        else:
            exploited.append((case, v))
    capture_quota = _quotas(len(captured), CAPTURE_TOP, CAPTURE_REST, 0.48, gap, gap4)
    rng.shuffle(captured)
    for (_, v), region in zip(
        captured,
        _assign(draw, [CAPTURE_PREFS[c["team"]] for c, _ in captured], capture_quota),
        strict=True,
    ):
        v["route"][0]["region"] = region
    rng.shuffle(exploited)
    exploited.sort(key=lambda cv: cv[1]["route"][0]["country"] == "PE")  # from abroad first
    prefs = []
    for c, v in exploited:
        bonus = EXPLOITATION_BY_NATIONALITY.get(v["route"][0]["country"], {})
        prefs.append({r: w * bonus.get(r, 1) for r, w in EXPLOITATION_PREFS[c["team"]].items()})
    exploit_quota = _quotas(len(exploited), EXPLOITATION_TOP, EXPLOITATION_REST, 0.43, gap, gap4)
    targets = dict(
        zip((v["key"] for _, v in exploited), _assign(draw, prefs, exploit_quota), strict=True)
    )
    for _, v in pairs:
        if v["typology"] in EXPLOITATION_TYPOLOGIES:
            _finish_route(draw, v, targets.get(v["key"]), abroad.get(v["key"]))


def _assign(draw: Draw, prefs: Sequence[Mapping[str, float]], quota: dict[str, int]) -> list[str]:
    """One region per victim, following its preferences, using each quota up exactly."""
    left = dict(quota)
    out: list[str] = []
    for pref in prefs:
        options = [r for r in REGIONS if left.get(r, 0) > 0]
        region = draw.rng.choices(options, weights=[pref.get(r, 0.05) * left[r] for r in options])[
            0
        ]
        left[region] -= 1
        out.append(region)
    return out


def _entry(draw: Draw, country: str, target: str | None) -> list[tuple[str, str, str | None]]:
    legs: list[tuple[str, str, str | None]] = []
    if country == "VE" and draw.rng.random() < 0.6:
        legs += [("transit", "CO", None), ("transit", "EC", None)]
    elif country == "CO" and draw.rng.random() < 0.4:
        legs.append(("transit", "EC", None))
    region = ENTRY_REGION.get(country, "07")
    if region != target:
        legs.append(("transit", "PE", region))
    return legs


def _finish_route(draw: Draw, v: Record, region: str | None, country: str | None) -> None:
    capture = v["route"][0]
    legs: list[tuple[str, str, str | None]] = []
    if capture["country"] != "PE":
        legs = _entry(draw, capture["country"], region)
    elif country is not None:  # Peruvian taken abroad, leaving through the border
        exit_region = {"CL": "23", "AR": "23", "BO": "21", "EC": "24", "BR": "17"}[country]
        if exit_region != capture["region"]:
            legs.append(("transit", "PE", exit_region))
    elif draw.rng.random() < 0.3:
        hubs = [h for h in TRANSIT_HUBS if h not in (capture["region"], region)]
        legs.append(("transit", "PE", draw.rng.choice(hubs)))
    legs.append(("exploitation", country or "PE", None if country else region))
    v["route"] += [{"stage": s, "country": c, "region": r} for s, c, r in legs]
