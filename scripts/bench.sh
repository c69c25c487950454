#!/usr/bin/env bash
# Runs the SRP benchmarks (core/benches/srp.rs) and summarises them:
#   * criterion medians, and the ratio constant-time / num-bigint for compute_A and
#     answer_password_verifier (read from target/criterion/*/*/new/estimates.json);
#   * if valgrind is installed, instruction counts of one operation (stable on noisy machines):
#     the bench binary runs an operation 0 and 1 times (SRP_BENCH_ONCE=<op>:<n>) under
#     cachegrind, and the difference is the cost of one.
#
# Usage: scripts/bench.sh [criterion args…]     e.g. scripts/bench.sh compute_A
# Environment: SKIP_CRITERION=1 (only instruction counts), SKIP_VALGRIND=1 (only criterion).
set -euo pipefail

cd "$(dirname "$0")/.."

target_dir=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')

if [[ "${SKIP_CRITERION:-0}" != 1 ]]; then
    cargo bench -p cognito-core --bench srp -- "$@"

    echo
    echo "== criterion medians (target/criterion/*/*/new/estimates.json)"
    python3 - "$target_dir/criterion" <<'EOF'
import json, os, sys

root = sys.argv[1]

def median_ns(group, bench):
    path = os.path.join(root, group, bench, "new", "estimates.json")
    try:
        with open(path) as f:
            est = json.load(f)
    except FileNotFoundError:
        return None
    return est["median"]["point_estimate"], est["median"]["confidence_interval"]

def fmt(ns):
    return f"{ns / 1e6:9.3f} ms"

groups = ["compute_A", "answer_password_verifier", "full_sign_in"]
print(f"{'group':<26} {'constant_time':>13} {'num_bigint':>13} {'ct / num':>9}")
for group in groups:
    ct = median_ns(group, "constant_time")
    num = median_ns(group, "num_bigint")
    if ct is None and num is None:
        continue
    ratio = f"{ct[0] / num[0]:9.2f}" if ct and num else f"{'-':>9}"
    print(f"{group:<26} {fmt(ct[0]) if ct else '-':>13} {fmt(num[0]) if num else '-':>13} {ratio}")
print()
print("95% confidence intervals of the medians:")
for group in groups:
    for bench in ("constant_time", "num_bigint"):
        m = median_ns(group, bench)
        if m:
            ci = m[1]
            print(f"  {group}/{bench}: [{fmt(ci['lower_bound']).strip()}, {fmt(ci['upper_bound']).strip()}]")
EOF
fi

if [[ "${SKIP_VALGRIND:-0}" == 1 ]]; then
    exit 0
fi
if ! command -v valgrind >/dev/null 2>&1; then
    echo
    echo "valgrind not found: instruction counts skipped"
    exit 0
fi

exe=$(cargo bench -p cognito-core --bench srp --no-run --message-format=json 2>/dev/null |
    python3 -c '
import json, sys
for line in sys.stdin:
    msg = json.loads(line)
    if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "srp" \
            and "bench" in msg["target"]["kind"] and msg.get("executable"):
        print(msg["executable"])
')
if [[ -z "$exe" ]]; then
    echo "could not find the srp bench executable" >&2
    exit 1
fi

count() { # op n -> instructions executed by the whole process
    SRP_BENCH_ONCE="$1:$2" valgrind --tool=cachegrind --cache-sim=no \
        --cachegrind-out-file=/dev/null "$exe" 2>&1 |
        sed -n 's/.*I *refs: *\([0-9,]*\).*/\1/p' | tr -d ,
}

echo
echo "== instructions for one operation (valgrind cachegrind, run 1 minus run 0)"
printf '%-44s %15s\n' operation instructions
declare -A ins
for op in a_ct a_num claim_ct claim_num sign_in; do
    zero=$(count "$op" 0)
    one=$(count "$op" 1)
    ins[$op]=$((one - zero))
done
printf '%-44s %15d\n' "compute_A constant_time" "${ins[a_ct]}"
printf '%-44s %15d\n' "compute_A num_bigint" "${ins[a_num]}"
printf '%-44s %15d\n' "answer_password_verifier constant_time" "${ins[claim_ct]}"
printf '%-44s %15d\n' "answer_password_verifier num_bigint" "${ins[claim_num]}"
printf '%-44s %15d\n' "full_sign_in constant_time (A + claim + wire)" "${ins[sign_in]}"
python3 -c "
a_ct, a_num, c_ct, c_num = ${ins[a_ct]}, ${ins[a_num]}, ${ins[claim_ct]}, ${ins[claim_num]}
print(f'ratio compute_A ct/num: {a_ct / a_num:.2f}, answer_password_verifier ct/num: {c_ct / c_num:.2f}')
print(f'full client SRP (A + claim): constant_time {(a_ct + c_ct) / 1e6:.1f} M, num_bigint {(a_num + c_num) / 1e6:.1f} M')
"
