#!/usr/bin/env python3
"""Compares the vector runner's output (one JSON line per case, on stdin) with the expected
values in a vector file (argument). Exits non-zero on any mismatch or missing case."""
import json
import sys


def expected_lines(vectors):
    out = {}
    for case in vectors.get("srp_cases", []):
        cases = [case]
        device = case.get("device")
        if device:
            cases += [device["second_sign_in"], device["device_srp"]]
            c = device["confirm_device"]
            out[c["id"]] = {k: c[k] for k in ("salt_b64", "password_verifier_b64")}
        for c in cases:
            out[c["id"]] = {k: c[k] for k in ("large_a_hex", "timestamp", "signature_b64")}
    for c in vectors.get("device_verifier_cases", []):
        out[c["id"]] = {k: c[k] for k in ("salt_b64", "password_verifier_b64")}
    for c in vectors.get("secret_hash_cases", []):
        out[c["id"]] = {"secret_hash": c["secret_hash"]}
    return out


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        want = expected_lines(json.load(f))
    got = {}
    for line in sys.stdin:
        if line.strip():
            obj = json.loads(line)
            got[obj.pop("id")] = obj
    failures = 0
    for case_id, fields in want.items():
        if got.get(case_id) != fields:
            failures += 1
            print(f"MISMATCH {case_id}: got {got.get(case_id)!r}", file=sys.stderr)
    extra = set(got) - set(want)
    for case_id in extra:
        failures += 1
        print(f"UNEXPECTED {case_id}", file=sys.stderr)
    print(f"vectors: {len(want) - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
