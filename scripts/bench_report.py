#!/usr/bin/env python3
"""Summaries for scripts/bench.sh (the SRP benchmark in examples/srp-bench).

    bench_report.py criterion CRITERION_DIR SINCE_EPOCH
        criterion medians written by this run (estimates.json newer than SINCE_EPOCH), with the
        ratios constant-time / num-bigint and constant-time / OpenSSL per group.
    bench_report.py instructions OP=COUNT...
        instruction counts of one operation (the ops of SRP_BENCH_ONCE) and their ratios.
    bench_report.py targets CRITERION_DIR SINCE_EPOCH [OP=COUNT...]
        the issue's two targets for the full client SRP, each with PASS or MISS (or "not measured").

Always exits 0 when it could read its inputs: a benchmark reports, it does not fail.
"""
import json
import os
import sys

GROUPS = [
    "compute_A",
    "answer_password_verifier",
    "full_client_srp",
    "full_client_srp_b512",
    "full_sign_in",
]
IMPLS = ["constant_time", "num_bigint", "openssl_ct"]
# SRP_BENCH_ONCE op names: <group prefix>_<implementation>.
OP_PREFIX = {"compute_A": "a", "answer_password_verifier": "claim", "full_client_srp": "srp"}
OP_IMPL = {"constant_time": "ct", "num_bigint": "num", "openssl_ct": "ossl"}

TIME_TARGET = 0.8  # full client SRP, constant-time core / OpenSSL constant-time, same run
INSN_TARGET = 70e6  # full client SRP, instructions


def medians(root, since):
    """{(group, impl): (median_ns, lower_ns, upper_ns)} for results written since `since`."""
    out = {}
    for group in GROUPS:
        for impl in IMPLS:
            path = os.path.join(root, group, impl, "new", "estimates.json")
            try:
                if os.path.getmtime(path) < since:
                    continue  # from an earlier run: not comparable
                with open(path) as f:
                    median = json.load(f)["median"]
            except FileNotFoundError:
                continue
            ci = median["confidence_interval"]
            out[group, impl] = (median["point_estimate"], ci["lower_bound"], ci["upper_bound"])
    return out


def counts(args):
    """{(group, impl): instructions} from OP=COUNT arguments."""
    by_op = {}
    for arg in args:
        op, _, n = arg.partition("=")
        by_op[op] = int(n)
    out = {}
    for group, prefix in OP_PREFIX.items():
        for impl, suffix in OP_IMPL.items():
            if f"{prefix}_{suffix}" in by_op:
                out[group, impl] = by_op[f"{prefix}_{suffix}"]
    if "srp_ct_b512" in by_op:
        out["full_client_srp_b512", "constant_time"] = by_op["srp_ct_b512"]
    if "sign_in" in by_op:
        out["full_sign_in", "constant_time"] = by_op["sign_in"]
    return out


def point(value):
    """A median's point estimate, or an instruction count."""
    return value[0] if isinstance(value, tuple) else value


def ratio(values, group, other):
    ct, o = values.get((group, "constant_time")), values.get((group, other))
    return point(ct) / point(o) if ct is not None and o else None


def table(values, fmt):
    print(f"{'group':<26} {'constant_time':>13} {'num_bigint':>13} {'openssl_ct':>13} "
          f"{'ct / num':>9} {'ct / ossl':>9}")
    for group in GROUPS:
        if not any((group, impl) in values for impl in IMPLS):
            continue
        cells = [fmt(values[group, impl]) if (group, impl) in values else "-" for impl in IMPLS]
        ratios = [ratio(values, group, other) for other in ("num_bigint", "openssl_ct")]
        print(f"{group:<26} " + " ".join(f"{c:>13}" for c in cells) + " " +
              " ".join(f"{r:9.2f}" if r is not None else f"{'-':>9}" for r in ratios))


def ms(v):
    return f"{v[0] / 1e6:.3f} ms"


def report_criterion(root, since):
    values = medians(root, since)
    if not values:
        print("no criterion results from this run")
        return
    table(values, ms)
    print()
    print("95% confidence intervals of the medians:")
    for (group, impl), (_, lo, hi) in values.items():
        print(f"  {group}/{impl}: [{lo / 1e6:.3f} ms, {hi / 1e6:.3f} ms]")


def report_instructions(args):
    values = counts(args)
    table(values, lambda n: f"{n / 1e6:.1f} M")
    print("(full_client_srp_b512 = the same with the opt-in 512-bit a; full_sign_in = A + "
          "InitiateAuth + parsing the challenge + the answer, core only)")


def verdict(ok):
    return "PASS" if ok else "MISS"


def report_targets(root, since, args):
    values = medians(root, since)
    r = ratio(values, "full_client_srp", "openssl_ct")
    line = f"full client SRP time <= {TIME_TARGET}x OpenSSL constant-time (same run): "
    if r is None:
        print(line + "not measured")
    else:
        ct, ossl = values["full_client_srp", "constant_time"][0], values["full_client_srp", "openssl_ct"][0]
        print(line + f"{ct / 1e6:.3f} ms / {ossl / 1e6:.3f} ms = {r:.2f}x  {verdict(r <= TIME_TARGET)}")
    insns = counts(args)
    n = insns.get(("full_client_srp", "constant_time"))
    line = f"full client SRP <= {INSN_TARGET / 1e6:.0f} M instructions: "
    if n is None:
        print(line + "not measured")
    else:
        extra = ""
        ossl = insns.get(("full_client_srp", "openssl_ct"))
        if ossl:
            extra = f" (OpenSSL constant-time {ossl / 1e6:.1f} M, ct / ossl {n / ossl:.2f})"
        print(line + f"{n / 1e6:.1f} M{extra}  {verdict(n <= INSN_TARGET)}")


def main(argv):
    mode = argv[1] if len(argv) > 1 else ""
    if mode == "criterion" and len(argv) == 4:
        report_criterion(argv[2], float(argv[3]))
    elif mode == "instructions":
        report_instructions(argv[2:])
    elif mode == "targets" and len(argv) >= 4:
        report_targets(argv[2], float(argv[3]), argv[4:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
