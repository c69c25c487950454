#!/usr/bin/env bash
# Runs the SRP benchmark (examples/srp-bench, a standalone crate outside the workspace: it links
# OpenSSL) and summarises it:
#   * criterion medians of the constant-time core, the num-bigint baseline and OpenSSL's
#     constant-time modexp (BN_mod_exp_mont_consttime) for compute_A, answer_password_verifier and
#     the full client SRP (A + answer), with the ratios ct / num and ct / OpenSSL — only results
#     written by this run are shown (target/criterion/*/*/new/estimates.json);
#   * instruction counts of one operation (stable on noisy machines): the bench binary runs an
#     operation 0 and 1 times (SRP_BENCH_ONCE=<op>:<n>) under valgrind's callgrind, and the
#     difference of the "I refs" is the cost of one;
#   * the two targets for the full client SRP: at most 0.8x OpenSSL's constant-time time in the
#     same run, and at most 70 M instructions, each with PASS or MISS. It exits 0 either way.
#
# Installs pkg-config, libssl-dev and valgrind with apt-get when they are missing (as root).
#
# Usage: scripts/bench.sh [criterion args…]     e.g. scripts/bench.sh full_client_srp
# Environment: SKIP_CRITERION=1 (only instruction counts), SKIP_VALGRIND=1 (only criterion),
#              BENCH_QUICK=1 (criterion --warm-up-time 1 --measurement-time 3: a smoke run).
set -euo pipefail

cd "$(dirname "$0")/.."
manifest=examples/srp-bench/Cargo.toml
report=scripts/bench_report.py

missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
pkg-config --exists openssl 2>/dev/null || missing+=(libssl-dev)
if [[ "${SKIP_VALGRIND:-0}" != 1 ]] && ! command -v valgrind >/dev/null 2>&1; then
    missing+=(valgrind)
fi
if ((${#missing[@]})); then
    echo "== installing ${missing[*]}"
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "missing ${missing[*]}: install them (Debian/Ubuntu: apt-get install ${missing[*]})" >&2
        exit 1
    fi
fi

target_dir=$(cargo metadata --manifest-path "$manifest" --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
criterion_dir="$target_dir/criterion"
since=$(date +%s)

if [[ "${SKIP_CRITERION:-0}" != 1 ]]; then
    quick=()
    if [[ "${BENCH_QUICK:-0}" == 1 ]]; then
        quick=(--warm-up-time 1 --measurement-time 3)
    fi
    cargo bench --manifest-path "$manifest" --bench srp -- "${quick[@]}" "$@"

    echo
    echo "== criterion medians ($criterion_dir/*/*/new/estimates.json)"
    python3 "$report" criterion "$criterion_dir" "$since"
fi

counts=()
if [[ "${SKIP_VALGRIND:-0}" != 1 ]]; then
    exe=$(cargo bench --manifest-path "$manifest" --bench srp --no-run --message-format=json 2>/dev/null |
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

    count() { # op n -> instructions executed by the whole process ("I refs")
        SRP_BENCH_ONCE="$1:$2" valgrind --tool=callgrind --callgrind-out-file=/dev/null "$exe" 2>&1 |
            sed -n 's/.*I *refs: *\([0-9,]*\).*/\1/p' | tr -d ,
    }

    echo
    echo "== instructions for one operation (valgrind callgrind \"I refs\", run 1 minus run 0)"
    # Every op runs the same setup, so one run with n = 0 serves them all.
    zero=$(count a_ct 0)
    if [[ -z "$zero" ]]; then
        echo "valgrind did not report I refs" >&2
        exit 1
    fi
    for op in a_ct a_num a_ossl claim_ct claim_num claim_ossl srp_ct srp_num srp_ossl srp_ct_b512 sign_in; do
        one=$(count "$op" 1)
        counts+=("$op=$((one - zero))")
    done
    python3 "$report" instructions "${counts[@]}"
fi

echo
echo "== targets (issue 11)"
python3 "$report" targets "$criterion_dir" "$since" "${counts[@]}"
