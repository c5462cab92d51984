"""JSON-lines log formatting, plain Python: logging configures it before Django's apps load."""

import datetime
import json
import logging


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per line: UTC time, the event, and the record's `audit` facts."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "event": record.getMessage(),
            **getattr(record, "audit", {}),
        }
        return json.dumps(entry, ensure_ascii=False, default=str)
