#!/usr/bin/env python3
"""Checks the core's requests and reply parsers against AWS's own model of the service: the
`cognito-idp` `service-2.json` shipped in botocore.

    conformance.py requests          < requests.jsonl   # validate what the core emits
    conformance.py replies OP [OP..] > replies.jsonl    # maximal replies for the parsers

A request line is {"case": ..., "operation": "InitiateAuth", "target": "AWSCognito...", "body": {...}}.
Checked per request: the target matches the operation, every member exists in the input shape,
required members are present, JSON types match, string lengths, enums and patterns hold (patterns
use the `regex` package, which knows `\\p{L}`), list and map sizes hold.
"""
import gzip
import json
import os
import sys

import botocore
import regex

MODEL_PATH = os.path.join(
    os.path.dirname(botocore.__file__), "data", "cognito-idp", "2016-04-18", "service-2.json"
)


def load_model():
    if os.path.exists(MODEL_PATH):
        with open(MODEL_PATH, encoding="utf-8") as f:
            return json.load(f)
    with gzip.open(MODEL_PATH + ".gz", "rt", encoding="utf-8") as f:
        return json.load(f)


MODEL = load_model()
SHAPES = MODEL["shapes"]
PREFIX = MODEL["metadata"]["targetPrefix"] + "."


def check(shape_name, value, path, problems):
    shape = SHAPES[shape_name]
    kind = shape["type"]
    if shape.get("document"):
        return  # free-form JSON (WebAuthn credentials and options)
    if kind == "structure":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected an object ({shape_name})")
            return
        members = shape.get("members", {})
        for name in shape.get("required", []):
            if name not in value:
                problems.append(f"{path}: required member {name} missing")
        for name, member_value in value.items():
            if name not in members:
                problems.append(f"{path}: unknown member {name} ({shape_name})")
                continue
            check(members[name]["shape"], member_value, f"{path}.{name}", problems)
    elif kind == "map":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected a map ({shape_name})")
            return
        check_size(shape, len(value), path, problems)
        for k, v in value.items():
            check(shape["key"]["shape"], k, f"{path}[key {k!r}]", problems)
            check(shape["value"]["shape"], v, f"{path}[{k!r}]", problems)
    elif kind == "list":
        if not isinstance(value, list):
            problems.append(f"{path}: expected a list ({shape_name})")
            return
        check_size(shape, len(value), path, problems)
        for i, item in enumerate(value):
            check(shape["member"]["shape"], item, f"{path}[{i}]", problems)
    elif kind == "string":
        if not isinstance(value, str):
            problems.append(f"{path}: expected a string ({shape_name})")
            return
        check_size(shape, len(value), path, problems)
        if "enum" in shape and value not in shape["enum"]:
            problems.append(f"{path}: {value!r} not in enum {shape_name}")
        pattern = shape.get("pattern")
        if pattern and not regex.fullmatch(pattern, value):
            problems.append(f"{path}: {value!r} does not match {pattern!r} ({shape_name})")
    elif kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"{path}: expected an integer ({shape_name})")
            return
        if "min" in shape and value < shape["min"]:
            problems.append(f"{path}: {value} below {shape['min']}")
        if "max" in shape and value > shape["max"]:
            problems.append(f"{path}: {value} above {shape['max']}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path}: expected a boolean ({shape_name})")
    elif kind == "blob":
        if not isinstance(value, str):
            problems.append(f"{path}: expected base64 text ({shape_name})")
    elif kind == "timestamp":
        if not isinstance(value, (int, float)):
            problems.append(f"{path}: expected epoch seconds ({shape_name})")
    elif kind == "document":
        pass
    else:
        problems.append(f"{path}: unhandled shape type {kind}")


def check_size(shape, size, path, problems):
    if "min" in shape and size < shape["min"]:
        problems.append(f"{path}: length {size} below {shape['min']}")
    if "max" in shape and size > shape["max"]:
        problems.append(f"{path}: length {size} above {shape['max']}")


def check_requests(lines):
    failures = 0
    checked = 0
    operations = set()
    for line in lines:
        if not line.strip():
            continue
        req = json.loads(line)
        op_name = req["operation"]
        problems = []
        if op_name not in MODEL["operations"]:
            problems.append(f"unknown operation {op_name}")
        else:
            if req["target"] != PREFIX + op_name:
                problems.append(f"target {req['target']!r} is not {PREFIX + op_name!r}")
            input_shape = MODEL["operations"][op_name]["input"]["shape"]
            check(input_shape, req["body"], op_name, problems)
        checked += 1
        operations.add(op_name)
        if problems:
            failures += 1
            print(f"FAIL {req.get('case', op_name)}:", file=sys.stderr)
            for p in problems:
                print(f"    {p}", file=sys.stderr)
    print(f"conformance: {len(operations)} operations, {checked} requests checked")
    return failures


def sample(shape_name, depth=0):
    """A maximal value of a shape: every member, every list with two items."""
    shape = SHAPES[shape_name]
    kind = shape["type"]
    if kind == "structure":
        if depth > 8:
            return {}
        return {name: sample(m["shape"], depth + 1) for name, m in shape.get("members", {}).items()}
    if kind == "map":
        return {f"key{i}": sample(shape["value"]["shape"], depth + 1) for i in range(2)}
    if kind == "list":
        return [sample(shape["member"]["shape"], depth + 1) for _ in range(2)]
    if kind == "string":
        if "enum" in shape:
            return shape["enum"][0]
        length = max(shape.get("min", 1), 8)
        length = min(length, shape.get("max", length))
        return ("a" * length) if length else ""
    if kind in ("integer", "long"):
        return max(shape.get("min", 1), 1)
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return 1767225600.123
    if kind == "blob":
        return "AAAA"
    return None


def replies(operations):
    for op_name in operations:
        output = MODEL["operations"][op_name].get("output")
        body = sample(output["shape"]) if output else {}
        print(json.dumps({"operation": op_name, "reply": body}))


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "requests":
        sys.exit(1 if check_requests(sys.stdin) else 0)
    if len(sys.argv) >= 3 and sys.argv[1] == "replies":
        replies(sys.argv[2:])
        return
    print(__doc__, file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    main()
