#!/usr/bin/env bash
# Regenerates every figure of the book: runs each example that declares
# figures (`figures = [...]` under [package.metadata.example.<name>] in the
# root Cargo.toml) in release mode, in full mode, with `--out DIR`, and
# checks that each declared file was written. An example whose claim does
# not hold exits non-zero, and so does this script.
#
# Usage: scripts/figures.sh [--out DIR]   (from any directory)
#   DIR defaults to book/src/figures of this repository; a relative DIR is
#   taken from the current directory. CI passes a temporary directory.
# Needs: Rust stable and Python 3 (stdlib only, to read `cargo metadata`).
set -euo pipefail

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/book/src/figures"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out)
      [[ $# -ge 2 ]] || { echo "error: --out needs a directory" >&2; exit 2; }
      OUT="$2"
      shift 2
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      echo "error: unknown argument '$1'" >&2
      usage >&2
      exit 2
      ;;
  esac
done
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)" # absolute, before leaving the caller's directory
cd "$ROOT"

# "name figure figure ..." for each example that declares figures.
mapfile -t EXAMPLES < <(cargo metadata --no-deps --format-version 1 | python3 -c '
import json, sys
for p in json.load(sys.stdin)["packages"]:
    if p["name"] != "gradschool":
        continue
    examples = (p.get("metadata") or {}).get("example", {})
    for name, meta in examples.items():
        if meta.get("figures"):
            print(name, *meta["figures"])
')
if [[ ${#EXAMPLES[@]} -eq 0 ]]; then
  echo "error: no example declares figures in Cargo.toml" >&2
  exit 1
fi

names=()
build_args=()
for line in "${EXAMPLES[@]}"; do
  read -r name _ <<<"$line"
  names+=("$name")
  build_args+=(--example "$name")
done
echo "==> cargo build --release (${names[*]})"
cargo build --release "${build_args[@]}"

written=()
for line in "${EXAMPLES[@]}"; do
  read -r name figures <<<"$line"
  echo
  echo "==> $name"
  for figure in $figures; do rm -f "$OUT/$figure"; done
  cargo run --quiet --release --example "$name" -- --out "$OUT"
  for figure in $figures; do
    if [[ ! -s "$OUT/$figure" ]]; then
      echo "error: example $name declares $figure but did not write $OUT/$figure" >&2
      exit 1
    fi
    written+=("$OUT/$figure")
  done
done

echo
echo "==> regenerated ${#written[@]} figures in $OUT:"
for f in "${written[@]}"; do
  printf '  %-36s %7d bytes\n' "$(basename "$f")" "$(wc -c <"$f")"
done
