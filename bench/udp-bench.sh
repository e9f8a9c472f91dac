#!/usr/bin/env bash
# UDP echo throughput on 127.0.0.1 (io.acip.bench.UdpThroughput): raw UDP, then CONNECT-UDP through an in-process
# edge gateway over HTTP/3 (QUIC DATAGRAMs) and HTTP/2 (DATAGRAM capsules), in one run, with the targets. Builds
# bench/target/benchmarks.jar first if it is missing or older than any source or pom it is made from. See
# bench/README.md ("UdpThroughput") for what each figure means.
#
#   bench/udp-bench.sh                               all rows, 1200- and 100-byte payloads (about 90 s)
#   bench/udp-bench.sh --rows raw,h3 --payloads 1200 --duration 20
#   bench/udp-bench.sh --native-transport nio        the gateway's UDP on NIO instead of epoll (udp.native_transport)
#   PROFILE=1 bench/udp-bench.sh                     also a JFR recording of every measured window, summarised
#
# Environment: JAVA (default: java on PATH), REBUILD=1 to build even if the jar looks current, PROFILE=1, WORK
# (where JFR files go; default a new /tmp/acip-udp-bench.*).
set -euo pipefail

cd "$(dirname "$0")/.."
source bench/benchmarks-jar.sh

ARGS=("$@")
if [[ ${PROFILE:-0} == 1 ]]; then
  WORK=${WORK:-$(mktemp -d /tmp/acip-udp-bench.XXXXXX)}
  ARGS+=(--profile "$WORK/jfr")
fi

"$JAVA" "${JVM_ARGS[@]}" -cp "$JAR" io.acip.bench.UdpThroughput "${ARGS[@]}" | tee "${WORK:-/tmp}/udp-table.txt"

if [[ ${PROFILE:-0} == 1 ]]; then
  for f in "$WORK"/jfr/*.jfr; do
    [[ -f $f ]] || continue
    echo
    echo "=== JFR $(basename "$f" .jfr) (measured window only): $f"
    "$JAVA" bench/http/JfrSummary.java "$f" 15 || true
  done | tee -a "$WORK/udp-table.txt"
  echo
  echo "JFR samples Java code only; most of a UDP row's time is in the kernel (sendto/recvfrom, loopback delivery,"
  echo "wake-ups) and in quiche: see bench/README.md for the perf command that shows it."
fi
