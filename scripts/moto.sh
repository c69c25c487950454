#!/usr/bin/env bash
# Interop with moto's Cognito user-pool server: installs moto[server] (pinned) in a virtual
# environment, starts it on a free loopback port, waits until it answers, runs the moto tests
# (adapters/std/tests/moto.rs) against it, and stops it on exit.
#
#   bash scripts/moto.sh                 # install if needed, start moto, run the tests, stop
#   bash scripts/moto.sh -- --nocapture  # extra arguments go to the test binary
#   bash scripts/moto.sh --serve         # only start moto and print its URL; Ctrl-C stops it
#
# Environment: MOTO_VENV (default target/moto-venv), MOTO_PORT (default: a free port),
# MOTO_CARGO_ARGS (how cargo selects the test, default `-p cognito-std`; CI passes
# `--workspace --all-features` to reuse the build of the workspace's tests).
set -euo pipefail
cd "$(dirname "$0")/.."

MOTO_VERSION=5.2.5
venv=${MOTO_VENV:-target/moto-venv}
serve_only=0
if [ "${1:-}" = "--serve" ]; then
  serve_only=1
  shift
fi
[ "${1:-}" = "--" ] && shift

if ! "$venv/bin/python" -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
  echo "installing moto[server]==$MOTO_VERSION into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION"
fi

port=${MOTO_PORT:-$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
url="http://127.0.0.1:$port/"
log=$(mktemp -t moto-server.XXXXXX.log)
"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
moto_pid=$!
stop() {
  kill "$moto_pid" 2>/dev/null || true
  wait "$moto_pid" 2>/dev/null || true
  rm -f "$log"
}
trap stop EXIT INT TERM

# Wait (up to 30 s) until moto answers a Cognito call.
if ! "$venv/bin/python" - "$url" <<'PY'; then
import sys, time, urllib.request
url = sys.argv[1]
for _ in range(300):
    try:
        request = urllib.request.Request(url, data=b'{"MaxResults": 1}', headers={
            "X-Amz-Target": "AWSCognitoIdentityProviderService.ListUserPools",
            "Content-Type": "application/x-amz-json-1.1"})
        with urllib.request.urlopen(request, timeout=2) as reply:
            if reply.status == 200:
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.1)
sys.exit(1)
PY
  echo "moto did not answer at $url; its log:" >&2
  cat "$log" >&2
  exit 1
fi
echo "moto $MOTO_VERSION listening on $url" >&2

if [ "$serve_only" = 1 ]; then
  echo "COGNITO_MOTO_URL=$url cargo test -p cognito-std --test moto" >&2
  wait "$moto_pid"
  exit 0
fi

read -ra cargo_args <<<"${MOTO_CARGO_ARGS:--p cognito-std}"
COGNITO_MOTO_URL="$url" COGNITO_REQUIRE_MOTO=1 cargo test "${cargo_args[@]}" --test moto -- "$@"
