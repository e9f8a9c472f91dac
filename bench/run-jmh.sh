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
#   bench/run-jmh.sh registry [args]  RegistryReplication only (--registrations 100 --bulk 10000 --outage 30; needs etcd)
#   bench/run-jmh.sh footprint [args] IdleSessionFootprint only (--sessions 20000 --window 500 --warmup 1000 --top 15
#                                     --max-sessions n --no-roles); heap HEAP (2g), touched at start, also for the
#                                     nodes it runs in JVMs of their own
#
# Environment: JAVA (default: java on PATH), REBUILD=1 to build even if the jar looks current, HEAP (footprint),
# SESSIONS (footprint: -Dsessions).
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
  # The nodes log every registration at INFO: quiet for 10,000 of them.
  registry) shift; "$JAVA" "${JVM_ARGS[@]}" -Djava.util.logging.config.file=/dev/null -cp "$JAR" \
    io.acip.bench.registry.RegistryReplication "$@" ;;
  mesh) shift; "$JAVA" "${JVM_ARGS[@]}" -cp "$JAR" io.acip.bench.RouteMeshConvergence "$@" ;;
  # Heap touched at start (-Xms = -Xmx, AlwaysPreTouch), so resident memory that grows is memory outside the heap.
  footprint) shift; "$JAVA" "${JVM_ARGS[@]}" -Xms"${HEAP:-2g}" -Xmx"${HEAP:-2g}" -XX:+AlwaysPreTouch \
    -Dsessions="${SESSIONS:-20000}" -cp "$JAR" io.acip.bench.IdleSessionFootprint "$@" ;;
  all) run_jmh; run_fabric ;;
  *) echo "usage: $0 [all | jmh [JMH args] | fabric [FabricThroughput args] | routes [RouteConvergence args] | mesh [RouteMeshConvergence args] | registry [RegistryReplication args] | footprint [IdleSessionFootprint args]]" >&2; exit 2 ;;
esac
