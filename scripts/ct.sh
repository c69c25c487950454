#!/usr/bin/env bash
# Constant-time checks of the SRP code (issue 11), run by CI:
#   1. ct_taint under valgrind memcheck (the deterministic gate): the secret inputs (a, the
#      password, the device password's randomness) are marked undefined, so any branch or memory
#      address computed from them is an error with its stack. Reviewed, inherent flows (the length
#      of bytes(S), checks that a and A are not zero, encoding the public device verifier) are
#      suppressed in scripts/ct.supp.
#   2. dudect: Welch's t-test on timings of fixed vs random secrets (computing A; the online step
#      with fixed vs random password and fixed vs random a). Fails at |t| > 10.
#
# Usage: scripts/ct.sh [VECTOR_FILE]
# Environment: CT_SECONDS (timing budget, default 45; e.g. CT_SECONDS=600 for a 10-minute run),
#              SKIP_VALGRIND=1, SKIP_DUDECT=1.
set -euo pipefail
cd "$(dirname "$0")/.."

vectors=${1:-../shared/vectors/srp-public.json}
[ -f "$vectors" ] || vectors=tests/vectors/srp-public.json

step() { printf '\n==> [ct %4ss] %s\n' "$SECONDS" "$*"; }

if [[ "${SKIP_VALGRIND:-0}" != 1 ]] && ! command -v valgrind >/dev/null; then
    step "installing valgrind"
    (apt-get update -qq && apt-get install -y -qq valgrind) >/dev/null
fi

step "build (profile ct: release, one codegen unit)"
cargo build -q --profile ct -p cognito-ct --bins
target_dir=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
bin="$target_dir/ct"

status=0
if [[ "${SKIP_VALGRIND:-0}" != 1 ]]; then
    step "secret tracking: ct_taint under valgrind memcheck ($vectors)"
    log=$(mktemp)
    if valgrind --error-exitcode=1 --track-origins=yes --num-callers=40 \
        --suppressions=scripts/ct.supp --gen-suppressions=no -q \
        "$bin/ct_taint" "$vectors" 2>&1 | tee "$log"; then
        echo "[ct] secret tracking: PASS (no branch or address depends on a secret beyond scripts/ct.supp)"
    else
        status=1
        echo "[ct] secret tracking: FAIL — memcheck saw a branch ('Conditional jump') or an address"
        echo "     ('Use of uninitialised value') computed from a secret; the innermost frames above say where"
        echo "     ('created by a client request' is where ct_taint marked the secret). Summary of the leaking frames:"
        grep -A3 -E '^==[0-9]+== (Conditional jump|Use of uninitialised)' "$log" |
            grep -E ' at 0x| by 0x' | sed -E 's/^==[0-9]+== +(at|by) 0x[0-9A-F]+: /       /' |
            sort | uniq -c | sort -rn | head -20
    fi
    rm -f "$log"
fi

if [[ "${SKIP_DUDECT:-0}" != 1 ]]; then
    step "timing: dudect, ${CT_SECONDS:-45} s (CT_SECONDS)"
    if ! "$bin/dudect" "$vectors"; then
        status=1
    fi
fi

step "done"
if [[ $status == 0 ]]; then
    echo "[ct] constant-time checks passed"
else
    echo "[ct] constant-time checks FAILED" >&2
fi
exit $status
