"""Reading the reference CSVs copied into the project (reference/, with SOURCES.md)."""

import csv
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"


def read_reference(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(newline="", encoding="utf-8") as handle:
        return [
            {key.strip(): (value or "").strip() for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]
