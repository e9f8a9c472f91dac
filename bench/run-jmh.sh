#!/usr/bin/env bash
# Runs the ACIP benchmarks: the JMH micro-benchmarks (with derived packets/s and MB/s), then the loopback fabric
# throughput harness. Builds bench/target/benchmarks.jar first if it is missing or older than any source it is made
# from. See bench/README.md for what each figure means.
#
#   bench/run-jmh.sh                  both
#   bench/run-jmh.sh jmh [JMH args]   JMH only; extra args go to JMH (a regex selects benchmarks, -prof gc, -wi 8)
#   bench/run-jmh.sh fabric [args]    FabricThroughput only (--duration 5 --warmup 2 --payload 1200 --chunk 16384)
#   bench/run-jmh.sh routes [args]    RouteConvergence only (--routes 5000 --runs 5 --cost-routes 10000)
#   bench/run-jmh.sh mesh [args]      RouteMeshConvergence only (--nodes 20 --extra 10 --routes 50 --seed 1 --runs 3)
#
# Environment: JAVA (default: java on PATH), REBUILD=1 to build even if the jar looks current.
set -euo pipefail

cd "$(dirname "$0")/.."
source bench/benchmarks-jar.sh

run_jmh() {
  # Fork 1, warm-up 3 x 1 s, measurement 5 x 1 s, each unless given on the command line (JMH refuses repeats).
  local defaults=() option value
  for option in -f:1 -wi:3 -w:1s -i:5 -r:1s; do
    value=${option#*:}
    option=${option%%:*}
    [[ " $* " == *" $option "* ]] || defaults+=("$option" "$value")
  done
  "$JAVA" "${JVM_ARGS[@]}" -cp "$JAR" io.acip.bench.BenchReport "${defaults[@]}" "$@"
}

run_fabric() {
  "$JAVA" "${JVM_ARGS[@]}" -cp "$JAR" io.acip.bench.FabricThroughput "$@"
}

case "${1:-all}" in
  jmh) shift; run_jmh "$@" ;;
  fabric) shift; run_fabric "$@" ;;
  routes) shift; "$JAVA" "${JVM_ARGS[@]}" -cp "$JAR" io.acip.bench.RouteConvergence "$@" ;;
  mesh) shift; "$JAVA" "${JVM_ARGS[@]}" -cp "$JAR" io.acip.bench.RouteMeshConvergence "$@" ;;
  all) run_jmh; run_fabric ;;
  *) echo "usage: $0 [all | jmh [JMH args] | fabric [FabricThroughput args] | routes [RouteConvergence args] | mesh [RouteMeshConvergence args]]" >&2; exit 2 ;;
esac
