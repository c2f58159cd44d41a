#!/usr/bin/env bash
# What is each optimisation of the appendix "Making it fast" worth? Builds the
# benchmark (`benches/workloads.rs`) of this checkout's HEAD several times:
# as it is ("final"), with one optimisation taken out at a time, and at the
# commit before the optimisations ("baseline"); then measures W2 and W1 (one
# thread) of every variant in interleaved rounds, so that all of them see the
# same machine. Prints one JSON line per timed run, with a "variant" field.
#
# Usage: scripts/ablation.sh [ROUNDS] > results.jsonl
#   Needs the kit's data (../shared/bench/setup.sh) in $PEERS_DATA, as the
#   benchmark does. Builds go to ${ABLATION_DIR:-/tmp/gradschool-ablation}
#   (about 15 minutes on two cores the first time); nothing is written into
#   this repository.
set -euo pipefail
ROUNDS="${1:-3}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${ABLATION_DIR:-/tmp/gradschool-ablation}"
: "${PEERS_DATA:?set PEERS_DATA to the data folder of the kit (run ../shared/bench/setup.sh)}"
export PEERS_DATA
HEAD="$(git -C "$ROOT" rev-parse HEAD)"
BASELINE=86a7b62 # the benchmark, before any optimisation
mkdir -p "$DIR/bin"

# variant NAME COMMIT PATCH: a clone at COMMIT with PATCH (a shell command)
# applied, its benchmark built into $DIR/bin/NAME. Each patch must change
# the tree: a pattern that no longer matches is an error, not a silent no-op.
variant() {
  local name=$1 commit=$2 patch=$3 src="$DIR/src-$1"
  rm -rf "$src"
  git clone -q "$ROOT" "$src"
  git -C "$src" checkout -q "$commit"
  (cd "$src" && eval "$patch")
  if [ "$name" != final ] && [ "$name" != baseline ] && git -C "$src" diff --quiet; then
    echo "ablation.sh: the patch of $name changed nothing; update it" >&2
    exit 1
  fi
  (cd "$src" && CARGO_TARGET_DIR="$DIR/target-$name" cargo bench --no-run -q --bench workloads)
  cp "$(ls -t "$DIR/target-$name"/release/deps/workloads-* | grep -v '\.d$' | head -1)" "$DIR/bin/$name"
  echo "ablation.sh: built $name" >&2
}

variant final "$HEAD" true
variant baseline "$BASELINE" true
# The buffer pool (crates/autograd/src/pool.rs): give nothing back.
variant no-pool "$HEAD" "sed -i 's|        if tensor.len() < MIN_LEN {|        if true {|' crates/autograd/src/pool.rs"
# The flat loops of element-wise operations and the column-sum bias gradient.
variant no-flat-loops "$HEAD" "sed -i 's|if let Some(xs) = x.as_slice() {|if let Some(xs) = None::<\&[T]> {|; s|if let (Some(xa), Some(xb)) = (a.as_slice(), b.as_slice()) {|if let (Some(xa), Some(xb)) = (None::<\&[T]>, None::<\&[T]>) {|' crates/autograd/src/ops.rs && sed -i 's|if let (Some(rows), \[k\]) = (grad.as_slice(), shape)|if let (Some(rows), [k]) = (None::<\&[T]>, shape)|' crates/autograd/src/unbroadcast.rs"
# The fused softmax cross-entropy: back to log_softmax, pick, neg, mean.
variant no-fused-ce "$HEAD" "sed -i 's|Reduction::Mean if !classes.is_empty() =>|Reduction::Mean if false \&\& !classes.is_empty() =>|' crates/losses/src/cross_entropy.rs"
# The direct loop for small products: everything through matrixmultiply.
variant no-direct-matmul "$HEAD" "sed -i 's|^const DIRECT_MAX_WORK: usize = 1 << 17;|const DIRECT_MAX_WORK: usize = 0;|' crates/tensor/src/linalg.rs"
# target-cpu=native: a generic x86-64 build (which also turns the direct loop off).
variant no-native "$HEAD" "rm .cargo/config.toml"

for round in $(seq 1 "$ROUNDS"); do
  for v in baseline final no-pool no-flat-loops no-fused-ce no-direct-matmul no-native; do
    for w in spiral mlp; do
      MATMUL_NUM_THREADS=1 "$DIR/bin/$v" "$w" --threads 1 --repeats 3 2>/dev/null |
        grep '^{' | sed "s/^{/{\"variant\": \"$v\", \"round\": $round, /"
    done
  done
done
