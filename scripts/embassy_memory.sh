#!/usr/bin/env bash
# The heap the firmware client (cognito-embassy) uses for its verifying TLS connection and an SRP
# sign-in, measured on the host: builds the emulator and the embassy_host example (release),
# starts the emulator over TLS with its generated test PKI on a free loopback port with one user,
# signs in through the example with --heap-report (a counting global allocator, reset just before
# the TLS connector is made), prints the peak heap and the buffers lent to the client, and stops
# the emulator on exit. Once per TLS version the emulator speaks (1.3, then 1.2).
#
#   bash scripts/embassy_memory.sh
#
# Needs only cargo (and bash, coreutils, sed). The numbers are the whole process's heap on a
# 64-bit host, which includes the host's own I/O (the socket and timer threads are started before
# the measurement begins); a 32-bit board uses somewhat less.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build -q --release -p cognito-tests --bin cognito-emulator
cargo build -q --release -p cognito-examples --example embassy_host
emulator=target/release/cognito-emulator
example=target/release/examples/embassy_host

pool=eu-west-1_MemoryPool
client=memoryclient0000000000000
user=sensor
password='Corr3ct-Horse!'

work=$(mktemp -d -t embassy-memory.XXXXXX)
emulator_pid=
stop_emulator() {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
    emulator_pid=
  fi
}
cleanup() {
  stop_emulator
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for version in 1.3 1.2; do
  rm -f "$work/ca.pem" "$work/emulator.out"
  # Port 0: the emulator picks a free port and prints its URL once the CA file is written.
  "$emulator" --port 0 --pool-id "$pool" --client-id "$client" --user "$user:$password" \
    --tls-test-ca-out "$work/ca.pem" --tls-version "$version" --quiet \
    >"$work/emulator.out" 2>"$work/emulator.err" &
  emulator_pid=$!
  url=
  for _ in $(seq 600); do
    url=$(sed -n 's/^listening on //p' "$work/emulator.out")
    [ -n "$url" ] && break
    kill -0 "$emulator_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$url" ]; then
    echo "the emulator did not start; its log:" >&2
    cat "$work/emulator.err" >&2
    exit 1
  fi

  echo "== TLS $version, emulator at $url"
  if ! "$example" --endpoint "$url" --ca-file "$work/ca.pem" --pool-id "$pool" \
    --client-id "$client" --username "$user" --password "$password" --heap-report \
    >"$work/out.json" 2>"$work/report"; then
    echo "the sign-in failed:" >&2
    cat "$work/report" >&2
    exit 1
  fi
  cat "$work/report"
  echo "signed in: $(cat "$work/out.json")"
  stop_emulator
done
