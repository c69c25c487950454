#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for a bounded time and reports, per target, the
# executions, the corpus size and the crashes; exits non-zero when any target crashed.
#
#   scripts/fuzz.sh [SECONDS] [TARGET…]      SECONDS per target (default 30); all targets unless named
#   FUZZ_JOBS=2 scripts/fuzz.sh 60           run two targets at a time (default 1)
#   FUZZ_SANITIZER=address scripts/fuzz.sh   build with a sanitizer (default none)
#
# The targets are built once (`cargo +nightly fuzz build -O`), then each binary runs from its
# committed seeds (fuzz/seeds/<target>/) and its own growing corpus (fuzz/corpus/<target>/,
# git-ignored) with the dictionary fuzz/dict/cognito.dict. A crash leaves its input in
# fuzz/artifacts/<target>/ and its log in fuzz/logs/<target>.log; replay it through the harness
# with `cargo test -p cognito-fuzz-harness` once it is copied to fuzz/regressions/<target>/.
#
# Without a sanitizer by default: the core, the adapters and the harness forbid unsafe code, so
# AddressSanitizer would only watch dependencies, at several times the cost (fuzz/README.md).
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`) and a nightly toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
shift || true
jobs=${FUZZ_JOBS:-1}
sanitizer=${FUZZ_SANITIZER:-none}
if ! [[ "$seconds" =~ ^[0-9]+$ && "$jobs" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: [FUZZ_JOBS=N] $0 [SECONDS] [TARGET...]" >&2
  exit 2
fi

all_targets=$(sed -n 's/^name = "\(.*\)"$/\1/p' fuzz/Cargo.toml | grep -v '^cognito-fuzz$')
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets <<<"$all_targets"
fi
for t in "${targets[@]}"; do
  grep -qx "$t" <<<"$all_targets" || { echo "unknown target $t (have: $(echo $all_targets))" >&2; exit 2; }
done

echo "building ${#targets[@]} fuzz targets (sanitizer: $sanitizer)"
mkdir -p fuzz/logs
build() { cargo +nightly fuzz build -O -s "$sanitizer" "$@" >fuzz/logs/build.log 2>&1 || { cat fuzz/logs/build.log >&2; exit 1; }; }
if [ $# -eq 0 ]; then
  build
else
  # `cargo fuzz build` takes one target name (or none: all of them).
  for t in "${targets[@]}"; do build "$t"; done
fi
bin_dir=fuzz/target/x86_64-unknown-linux-gnu/release

run_one() {
  local t=$1
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  # Exit status: non-zero after a crash, a timeout or an out-of-memory.
  "$bin_dir/$t" "fuzz/corpus/$t" "fuzz/seeds/$t" \
    -max_total_time="$seconds" -dict=fuzz/dict/cognito.dict -print_final_stats=1 \
    -timeout=60 -rss_limit_mb=4096 -artifact_prefix="fuzz/artifacts/$t/" \
    >"fuzz/logs/$t.log" 2>&1 || echo "exit $?" >>"fuzz/logs/$t.log"
}

running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
  echo "fuzzing $t for ${seconds}s"
  run_one "$t" &
  running=$((running + 1))
done
wait

printf '\n%-20s %12s %8s %8s %8s %8s\n' target execs exec/s corpus new crashes
failed=0
for t in "${targets[@]}"; do
  log=fuzz/logs/$t.log
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  added=$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -1)
  corpus=$(find "fuzz/corpus/$t" -type f | wc -l)
  crashes=$(grep -c 'Test unit written to' "$log" || true)
  if [ -z "$execs" ]; then
    # No final stats: the run ended early. The last status line says how far it got.
    execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
    [ "$crashes" -gt 0 ] || crashes=1
  fi
  printf '%-20s %12s %8s %8s %8s %8s\n' "$t" "${execs:-0}" "${rate:-0}" "$corpus" "${added:-0}" "$crashes"
  if [ "$crashes" -gt 0 ] || grep -q '^exit ' "$log"; then
    failed=1
  fi
done

if [ "$failed" -ne 0 ]; then
  echo
  for t in "${targets[@]}"; do
    log=fuzz/logs/$t.log
    if grep -q 'Test unit written to\|^exit ' "$log"; then
      echo "== $t ($log)"
      grep -m3 -A2 'panicked at' "$log" || tail -20 "$log"
      grep 'Test unit written to' "$log" || true
    fi
  done
  echo "crashes found: copy each input to fuzz/regressions/<target>/ and fix it" >&2
  exit 1
fi
echo "no crashes"
