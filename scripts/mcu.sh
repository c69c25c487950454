#!/usr/bin/env bash
# SRP on a Cortex-M4F under QEMU (mps2-an386): builds examples/mcu-qemu in release, runs it with
# `-icount shift=0` (virtual time counts instructions), fails if QEMU or any check of the
# reference vectors fails, and prints the figures; the last line is one JSON object (the
# firmware's runtime figures plus the image's flash figures). See examples/mcu-qemu/README.md.
#
#   bash scripts/mcu.sh                    # opt-level "s" (the crate's release profile)
#   MCU_OPT_LEVEL=3 bash scripts/mcu.sh    # another opt-level, for comparison
#   MCU_BOARD=an505 bash scripts/mcu.sh    # on the AN505 (Cortex-M33, thumbv8m.main) instead
#                                          # of the AN386 (Cortex-M4F, thumbv7em)
#   MCU_TIMEOUT=300                        # seconds QEMU may run (default 300)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

log() { printf '==> %s\n' "$*" >&2; }

# What the run needs, installed when missing (CI runs as root; no sudo).
if ! command -v qemu-system-arm >/dev/null; then
  log "installing qemu-system-arm"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-system-arm) >/dev/null
fi
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 1; }
board="${MCU_BOARD:-an386}"
case "$board" in
  an386) target=thumbv7em-none-eabihf ;;
  an505) target=thumbv8m.main-none-eabihf ;;
  *) echo "MCU_BOARD: an386 (Cortex-M4F) or an505 (Cortex-M33), not $board" >&2; exit 2 ;;
esac
rustup target add "$target" >/dev/null 2>&1 || rustup target add "$target"

# The vectors: ../shared/vectors beside the repository, else the repository's copy.
vectors="$root/../shared/vectors/srp-public.json"
[ -f "$vectors" ] || vectors="$root/tests/vectors/srp-public.json"
export MCU_VECTORS="$vectors"

opt="${MCU_OPT_LEVEL:-s}"
log "building examples/mcu-qemu for $board ($target; release, opt-level $opt, vectors $vectors)"
cd examples/mcu-qemu
if [ "$opt" = s ]; then
  target_dir=target
else
  target_dir="target/opt-$opt"
fi
CARGO_PROFILE_RELEASE_OPT_LEVEL="$opt" CARGO_TARGET_DIR="$target_dir" cargo build --release --target "$target"
elf="$target_dir/$target/release/cognito-mcu-qemu"

log "running on qemu-system-arm -M mps2-$board -icount shift=0"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
timeout "${MCU_TIMEOUT:-300}" qemu-system-arm -M "mps2-$board" -nographic -monitor none -serial none \
  -icount shift=0 -semihosting-config enable=on,target=native -kernel "$elf" | tee "$out" >&2 \
  || status=$?
if [ "$status" -ne 0 ]; then
  echo "mcu-qemu: QEMU exited with status $status (124: timed out; 1: a check failed or a panic)" >&2
  exit 1
fi

python3 "$root/scripts/mcu_figures.py" "$elf" "$out" > "$out.json"
python3 - "$out.json" "$opt" "$board" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
f["opt_level"] = sys.argv[2]
f["board"] = sys.argv[3]
if not f.get("ok") or f.get("failures"):
    sys.exit("mcu-qemu: the firmware reported failed checks")
kib = lambda n: f"{n / 1024:.1f} KiB"
for prefix, name in (("", "portable kernel"), ("umaal_", "UMAAL kernel (cognito-embassy, feature srp-umaal)")):
    g = lambda k: f[prefix + k]
    print(f"{name}:", file=sys.stderr)
    print(f"  A:            {g('a_instructions'):>12,} instructions ({g('a_ms_at_64mhz')} ms at 64 MHz, 1 IPC)", file=sys.stderr)
    print(f"  online step:  {g('online_instructions'):>12,} instructions ({g('online_ms_at_64mhz')} ms at 64 MHz, 1 IPC; target <= 50 M)", file=sys.stderr)
    print(f"  512-bit a:    A {g('b512_a_instructions'):,}, online step {g('b512_online_instructions'):,} instructions ({g('b512_online_ms_at_64mhz')} ms at 64 MHz)", file=sys.stderr)
    print(f"  square:       {g('square_instructions'):,}, multiply {g('multiply_instructions'):,} instructions", file=sys.stderr)
print(f"stack peak:     {kib(f['stack_peak_bytes'])} + SignIn {kib(f['sign_in_state_bytes'])} = {kib(f['stack_plus_sign_in_state_bytes'])} (target <= 16 KiB); with DeviceLimits: + {kib(f['sign_in_device_state_bytes'])} = {kib(f['stack_plus_sign_in_device_state_bytes'])}", file=sys.stderr)
print(f"flash:          {kib(f['flash_bytes'])} (.text + .rodata; {kib(f['vector_blob_bytes'])} of it the vectors); cognito-core {kib(f['core_flash_bytes'])}, with its crypto dependencies {kib(f['srp_flash_bytes'])} (target <= 96 KiB); the UMAAL kernel {kib(f['umaal_kernel_flash_bytes'])}", file=sys.stderr)
print(json.dumps(f, separators=(",", ":")))
PY
rm -f "$out.json"
