#!/usr/bin/env python3
"""vda5050_validate.py - checks VDA 5050 messages against the JSON schemas.

usage: vda5050_validate.py SCHEMA_DIR LOG [LOG...]

SCHEMA_DIR holds the 2.1.0 schemas (order.schema, state.schema, ...). Each
LOG line is a JSON object {"topic": "uagv/v2/M/S/state", "payload": "<the
message text>"}; the schema is picked by the topic's last level. The 2.1.0
state schema omits actionStatus PAUSED although the 2.1.0 text lists it: the
schema is patched in memory to accept it (the files are not changed).
Timestamps must be ISO 8601 UTC date-times. Prints one line per invalid
message and a summary; exits 0 when every message is valid, 1 otherwise, 2
on usage or a missing schema directory.
"""
import json
import os
import re
import sys

import jsonschema

TOPICS = {
    "order": "order.schema",
    "instantActions": "instantActions.schema",
    "state": "state.schema",
    "visualization": "visualization.schema",
    "connection": "connection.schema",
    "factsheet": "factsheet.schema",
}
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def load(schema_dir):
    validators = {}
    for kind, name in TOPICS.items():
        path = os.path.join(schema_dir, name)
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
        if kind == "state":
            status = schema["properties"]["actionStates"]["items"]["properties"]["actionStatus"]
            if "PAUSED" not in status["enum"]:
                status["enum"].append("PAUSED")
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        validators[kind] = cls(schema)
    return validators


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    schema_dir = argv[1]
    if not os.path.isdir(schema_dir):
        print(f"vda5050_validate: schema directory {schema_dir} not found "
              "(set LP_VDA5050_SCHEMAS to the folder holding 2.1.0/)", file=sys.stderr)
        return 2
    validators = load(schema_dir)
    total = bad = 0
    counts = {}
    for log in argv[2:]:
        with open(log, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                total += 1
                where = f"{log}:{lineno}"
                try:
                    rec = json.loads(line)
                    topic = rec["topic"]
                    msg = json.loads(rec["payload"])
                except (ValueError, KeyError, TypeError) as e:
                    print(f"{where}: not a log record with a JSON payload: {e}")
                    bad += 1
                    continue
                kind = topic.rsplit("/", 1)[-1]
                if kind not in validators:
                    print(f"{where}: unknown topic {topic}")
                    bad += 1
                    continue
                counts[kind] = counts.get(kind, 0) + 1
                errors = sorted(validators[kind].iter_errors(msg), key=lambda e: list(e.path))
                ts = msg.get("timestamp") if isinstance(msg, dict) else None
                if isinstance(ts, str) and not TIMESTAMP.match(ts):
                    errors.append(jsonschema.ValidationError(f"timestamp {ts!r} is not ISO 8601 UTC"))
                for e in errors:
                    path = "/" + "/".join(str(p) for p in e.path)
                    print(f"{where}: {topic}: {path}: {e.message}")
                if errors:
                    bad += 1
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    print(f"vda5050_validate: {total} messages ({summary}), {bad} invalid")
    return 1 if bad or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
