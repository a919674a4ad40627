"""The audit checkpoints feed, as JSON and CSV: every checkpoint, newest first."""

import csv
import io
import json

from marketplace.audit.selectors import published_checkpoints

FIELDS = ("sequence", "hash", "event_count", "taken_at")


def checkpoint_rows() -> list[dict]:
    return [
        {
            "sequence": sequence,
            "hash": hash_,
            "event_count": count,
            "taken_at": taken_at.isoformat(),
        }
        for sequence, hash_, count, taken_at in published_checkpoints()
    ]


def checkpoints_json(rows: list[dict]) -> str:
    return json.dumps({"checkpoints": rows}, indent=2)


def checkpoints_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
