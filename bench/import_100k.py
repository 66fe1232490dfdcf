"""Benchmark: generate a 100,000-row import file and time `calp import` on it.

Run: .venv/bin/python bench/import_100k.py [--rows 100000] [--keep DIR] [--xlsx]
Creates a new SQLite database in a temporary directory (or PostgreSQL with --database-url),
migrates it, writes `<dir>/import.csv` (+ `import.detections.csv`) in the documented layout
with fictitious records, and runs `calp import` on it with its progress bar on the terminal.
Prints the wall time of the import alone. Not part of the test suite (it takes minutes).
"""

from __future__ import annotations

import argparse
import base64
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from app.imports.layout import DETECTION_COLUMNS, VICTIM_COLUMNS  # noqa: E402

TEAMS = ["lima", "loreto", "madre_de_dios", "puno", "cusco"]
TYPOLOGIES = ["trafficking"] * 5 + [
    "violence_women_family",
    "sexual_exploitation",
    "migrant_smuggling",
    "risk_prevention",
    "missing_person",
]
PURPOSES = ["sexual", "labour", "sexual_labour"]
REGIONS = [f"{n:02d}" for n in range(1, 26)]
ANSWERS = ["yes", "no", "unknown", "not_recorded"]


def write_files(directory: Path, rows: int, seed: int = 7) -> tuple[Path, int]:
    rng = random.Random(seed)
    victims_path = directory / "import.csv"
    det_path = directory / "import.detections.csv"
    headers = [c.name for c in VICTIM_COLUMNS]
    case_n, left_in_case, case = 0, 0, {}
    detections = 0
    with (
        victims_path.open("w", newline="", encoding="utf-8") as fh,
        det_path.open("w", newline="", encoding="utf-8") as dfh,
    ):
        out = csv.DictWriter(fh, fieldnames=headers)
        dout = csv.DictWriter(dfh, fieldnames=[c.name for c in DETECTION_COLUMNS])
        out.writeheader()
        dout.writeheader()
        for n in range(rows):
            if left_in_case == 0:
                case_n += 1
                left_in_case = rng.choice([1, 1, 1, 2, 2, 3])
                opened = date(2015, 1, 1) + timedelta(days=rng.randrange(3900))
                closed = rng.random() < 0.4
                case = {
                    "case_external_id": f"B-C{case_n}",
                    "team": rng.choice(TEAMS),
                    "opened_on": opened.isoformat(),
                    "status": "closed" if closed else rng.choice(["open", "follow_up"]),
                    "closed_on": (opened + timedelta(days=90)).isoformat() if closed else "",
                    "close_reason": "goals_met" if closed else "",
                }
                if rng.random() < 0.5:
                    detections += 1
                    dout.writerow(
                        {
                            "detection_external_id": f"B-D{detections}",
                            "case_external_id": case["case_external_id"],
                            "detected_on": case["opened_on"],
                            "polarity": rng.choice(["good", "bad"]),
                            "category": "procedural",
                            "institution": "pnp",
                        }
                    )
            left_in_case -= 1
            typology = rng.choice(TYPOLOGIES)
            legs = [f"capture:PE-{rng.choice(REGIONS)}", f"exploitation:PE-{rng.choice(REGIONS)}"]
            out.writerow(
                {
                    **case,
                    "victim_external_id": f"B-V{n}",
                    "intake_on": case["opened_on"],
                    "sex": rng.choice(["female", "female", "male"]),
                    "age_at_intake": rng.randrange(5, 60),
                    "nationality": "PE",
                    "typology": typology,
                    "trafficking_purpose": rng.choice(PURPOSES)
                    if typology == "trafficking"
                    else "",
                    "capture_modality": "false_job_offer",
                    **{
                        f"violence_{v}": rng.choice(ANSWERS)
                        for v in ("psychological", "sexual", "physical", "family", "economic")
                    },
                    "route": ";".join(legs),
                }
            )
    return victims_path, detections


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="directory to keep the files and database in")
    parser.add_argument("--database-url", help="default: a new SQLite file in the directory")
    parser.add_argument("--xlsx", action="store_true", help="convert the file to XLSX first")
    args = parser.parse_args()
    directory = args.keep or Path(tempfile.mkdtemp(prefix="calp-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    key = base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")
    env = dict(
        os.environ,
        CALP_ENV="development",
        CALP_VAR_DIR=str(directory),
        CALP_DATABASE_URL=args.database_url or f"sqlite:///{directory / 'bench.db'}",
        CALP_DATA_KEY=key,
        CALP_SECRET_KEY=key,
    )
    calp = [sys.executable, "-c", "from app.cli import main; main()"]
    started = time.perf_counter()
    path, detections = write_files(directory, args.rows)
    print(
        f"wrote {args.rows} rows and {detections} detections in "
        f"{time.perf_counter() - started:.1f} s: {path}"
    )
    if args.xlsx:
        path = _to_xlsx(path)
    subprocess.run([*calp, "migrate"], env=env, check=True, cwd=REPO)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([*calp, "import", str(path)], env=env, cwd=REPO)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # CPU time too: on a shared machine the wall time mostly measures the neighbours.
    print(
        f"calp import of {args.rows} rows: {elapsed:.1f} s wall, {cpu:.1f} s CPU, "
        f"peak RSS {after.ru_maxrss / 1024:.0f} MB (exit {result.returncode})"
    )
    sys.exit(result.returncode)


def _to_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name, source in (
        ("victimas", path),
        ("detecciones", path.with_name(path.stem + ".detections.csv")),
    ):
        sheet = book.create_sheet(name)
        with source.open(encoding="utf-8") as fh:
            for row in csv.reader(fh):
                sheet.append(row)
    target = path.with_suffix(".xlsx")
    book.save(target)
    return target


if __name__ == "__main__":
    main()
