#!/usr/bin/env bash
# The state measurements of docs/benchmarks.md ("State in PostgreSQL"), an older build against this one.
#
#   bench/state-footprint.sh latency <old-worktree> [rounds] [StateFootprintMain args…]
#   bench/state-footprint.sh footprint <old-worktree> [StateFootprintMain args…]
#
# <old-worktree> is the build to compare with, packaged there first:
#   git worktree add /work/wt-old bf8a45c && (cd /work/wt-old && ./mvnw -o -q package -DskipTests)
# (package, not install: an install would overwrite this build's artifacts of the same version in ~/.m2).
# This repository is packaged here with -Pstate (SKIP_BUILD=1 skips it). The old build's three
# services run beside this build's broker and PostgreSQL: "before" gets a root of symbolic links
# (bench/target/before-root) whose service modules are the old worktree's.
# latency alternates before, after, before, after … ([rounds] pairs, default 2); footprint runs
# before, then after. Results: bench/target/state-results/<time>-<label>-<mode>/results.txt.
set -euo pipefail
mode=$1
old=$(cd "$2" && pwd)
shift 2
here=$(cd "$(dirname "$0")/.." && pwd)
rounds=2
if [[ $mode == latency && $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then
    rounds=$1
    shift
fi
cd "$here"
if [[ -z ${SKIP_BUILD:-} ]]; then
    ./mvnw -o -q -B -Pstate -pl bench -am package -DskipTests -DskipITs
fi
before="$here/bench/target/before-root"
rm -rf "$before"
mkdir -p "$before"
for module in ingress-service provider-connector-service session-service; do
    ln -s "$old/$module" "$before/$module"
done
for module in local-kafka local-postgres; do
    ln -s "$here/$module" "$before/$module"
done
classpath="$here/bench/target/classes:$(cat "$here/bench/target/state-classpath.txt")"

run() {
    local label=$1 root=$2
    shift 2
    echo "== $label ($root): $(date -u +%H:%M:%S), $(uptime | sed 's/.*load/load/')"
    (cd "$here/bench" && java -Xmx1g -XX:+UseParallelGC -Dgateway.root="$root" -cp "$classpath" \
        io.chatstream.bench.StateFootprintMain label="$label" mode="$mode" "$@")
}

if [[ $mode == latency ]]; then
    for ((i = 1; i <= rounds; i++)); do
        run before "$before" "$@"
        run after "$here" "$@"
    done
else
    run before "$before" "$@"
    run after "$here" "$@"
fi
