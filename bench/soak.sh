#!/usr/bin/env bash
# Soak: a three-node fabric (edge, transit, far; one JVM each, loopback only) under a steady mix of HTTP/1.1, h2c,
# HTTP/2, HTTP/3, SSE, 1 MiB uploads and CONNECT-UDP over HTTP/1.1, HTTP/2 and HTTP/3, for MINUTES minutes (default
# 30). Every SAMPLE seconds (default 60) each node's heap after a full GC, RSS, threads, file descriptors, sessions
# and link labels are recorded; the run fails when the median of the last third of the samples exceeds that of the
# first third by more than 5 % (and a small absolute slack), or when any request or flow failed.
#
#   bench/soak.sh                      30 minutes
#   MINUTES=5 SAMPLE=20 WARMUP=30 bench/soak.sh   a short check (WARMUP: seconds of load before sampling, 120)
#
# Needs a JDK (jcmd) and the two jars, built here when missing. Output: a line per sample, then the table; samples
# and node logs in WORK (default a fresh directory under /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${MINUTES:-30}
SAMPLE=${SAMPLE:-60}
WARMUP=${WARMUP:-120}
WORK=${WORK:-$(mktemp -d /tmp/acip-soak.XXXXXX)}
mkdir -p "$WORK"
source bench/benchmarks-jar.sh
GATEWAY_JAR=gateway/target/acip-gateway.jar
[[ -f $GATEWAY_JAR ]] || ./mvnw -B -q -o package -DskipTests -pl gateway -am \
  || ./mvnw -B -q package -DskipTests -pl gateway -am
cp "$GATEWAY_JAR" "$WORK/acip-gateway.jar"   # other builds may replace the jar while the soak runs
exec "$JAVA" "${JVM_ARGS[@]}" -cp "$JAR" io.acip.bench.soak.Soak --jar "$WORK/acip-gateway.jar" --work "$WORK" \
  --minutes "$MINUTES" --sample "$SAMPLE" --warmup "$WARMUP"
