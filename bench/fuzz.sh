#!/usr/bin/env bash
# Fuzzes the parsers with Jazzer: the @FuzzTest harnesses that `./mvnw verify` only replays on their seed corpora
# (src/test/resources/<package>/<Harness>Inputs/) run here in fuzzing mode (JAZZER_FUZZ=1), one target at a time, each
# for a number of executions, then a table: target, executions, time, exec/s, crashes. See bench/README.md ("Fuzzing").
#
#   bench/fuzz.sh                        every target, 10,000,000 executions each
#   bench/fuzz.sh -n 1000000             every target, 1,000,000 executions each
#   bench/fuzz.sh -n 200000 capsule tlvs some targets, by name
#   bench/fuzz.sh --list                 the targets and their harnesses
#
# A crashing input stops its target and is written next to the seeds (<Harness>Inputs/<method>/crash-*), where the
# suite then replays it until the parser is fixed; the corpus a run grows is kept in <module>/.cifuzz-corpus/ (not
# committed) and the next run starts from it. Environment: TIMEOUT (seconds one input may take before it counts as a
# crash, default 10), LEAKS (Netty leak detection level, default simple), LOGS (where each target's full log goes;
# default a new /tmp/acip-fuzz.*), MVN_ARGS (extra Maven arguments, e.g. -o).
set -euo pipefail

cd "$(dirname "$0")/.."

# name | module | harness#method
TARGETS=(
  "capsule|capsule|io.acip.capsule.CapsuleParserFuzzTest#capsules"
  "bhttp-request|capsule|io.acip.capsule.bhttp.BinaryHttpDecoderFuzzTest#requests"
  "bhttp-response|capsule|io.acip.capsule.bhttp.BinaryHttpDecoderFuzzTest#responses"
  "template-parse|capsule|io.acip.capsule.masque.ConnectUdpTemplateFuzzTest#parse"
  "template-match|capsule|io.acip.capsule.masque.ConnectUdpTemplateFuzzTest#match"
  "proxy-status|capsule|io.acip.capsule.proxystatus.ProxyStatusFuzzTest#proxyStatus"
  "capsule-protocol|capsule|io.acip.capsule.masque.CapsuleProtocolHeaderFuzzTest#isTrue"
  "packets|acip-egress|io.acip.wire.PacketFuzzTest#packets"
  "setup|acip-egress|io.acip.wire.PacketFuzzTest#setup"
  "setup-ack|acip-egress|io.acip.wire.PacketFuzzTest#setupAck"
  "reset|acip-egress|io.acip.wire.PacketFuzzTest#reset"
  "tlvs|acip-egress|io.acip.wire.PacketFuzzTest#tlvs"
  "registration|gateway|io.acip.gateway.attach.RegistrationDocumentFuzzTest#parse"
  "config|gateway|io.acip.gateway.config.ConfigLoaderFuzzTest#parse"
)

RUNS=10000000
SELECTED=()
while [[ $# -gt 0 ]]; do
  case $1 in
    -n|--runs) RUNS=$2; shift 2 ;;
    --list) for t in "${TARGETS[@]}"; do IFS='|' read -r n m h <<<"$t"; printf '%-18s %-12s %s\n' "$n" "$m" "$h"; done; exit 0 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) SELECTED+=("$1"); shift ;;
  esac
done

PLAN=()
for t in "${TARGETS[@]}"; do
  name=${t%%|*}
  if [[ ${#SELECTED[@]} -eq 0 ]] || [[ " ${SELECTED[*]} " == *" $name "* ]]; then PLAN+=("$t"); fi
done
for s in "${SELECTED[@]}"; do
  printf '%s\n' "${TARGETS[@]}" | grep -q "^$s|" || { echo "no target '$s' (try --list)" >&2; exit 2; }
done

LOGS=${LOGS:-$(mktemp -d /tmp/acip-fuzz.XXXXXX)}
mkdir -p "$LOGS"
TIMEOUT=${TIMEOUT:-10}
# The suite checks Netty buffers with paranoid leak detection, which costs the fuzzer three quarters of its speed;
# sampled detection still reports a leak (LEAK lines in the log, counted below).
LEAKS=${LEAKS:-simple}
read -r -a EXTRA <<<"${MVN_ARGS:-}"

# Build every module the targets need once, so each run below only compiles nothing and forks one test JVM.
./mvnw -B -q "${EXTRA[@]}" test-compile -pl gateway -am >"$LOGS/build.log" 2>&1 || { cat "$LOGS/build.log"; exit 1; }

# The last line of a log that holds $1 (nothing, not a failure, when none does).
last() { grep -a "$1" "$2" | tail -1 || true; }

ROWS=()
FAILED=0
for t in "${PLAN[@]}"; do
  IFS='|' read -r name module harness <<<"$t"
  log="$LOGS/$name.log"
  echo "fuzzing $name ($harness), $RUNS executions; log: $log" >&2
  start=$(date +%s)
  # libFuzzer reads its flags from jazzer.internal.arg.N, the last of a flag winning over the harness's defaults
  # (-max_total_time=300 from @FuzzTest, -timeout from @Timeout); JUnit's own timeout would count the whole run.
  # The suite replays seeds without Jazzer's hooks (pom.xml); fuzzing needs them for coverage.
  set +e
  JAZZER_FUZZ=1 ./mvnw -B "${EXTRA[@]}" test -pl "$module" -am -Dtest="$harness" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.hooks=true -Djunit.jupiter.execution.timeout.mode=disabled -Dsurefire.argLine=-Dio.netty.leakDetection.level="$LEAKS" \
      -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-runs="$RUNS" -Djazzer.internal.arg.2=-max_total_time=0 \
      -Djazzer.internal.arg.3=-timeout="$TIMEOUT" -Djazzer.internal.arg.4=-print_final_stats=1 >"$log" 2>&1
  status=$?
  set -e
  wall=$(( $(date +%s) - start ))

  execs=$(last 'stat::number_of_executed_units:' "$log" | awk '{print $2}')
  [[ -n $execs ]] || execs=$(grep -aoE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
  secs=$(grep -aoE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 | awk '{print $5}' || true)
  [[ -n $secs ]] || secs=$wall
  rate=$(last 'stat::average_exec_per_sec:' "$log" | awk '{print $2}')
  [[ -n $rate && $rate != 0 ]] || rate=$(( ${execs:-0} / (secs > 0 ? secs : 1) ))
  crashes=$(grep -ac 'Test unit written to' "$log" || true)
  if [[ $status -ne 0 ]]; then
    FAILED=1
    [[ $crashes -gt 0 ]] || crashes="? (mvn exit $status)"
    grep -a 'Test unit written to' "$log" | sed 's/.*Test unit written to /  reproducer: /' >&2 || true
  fi
  leaks=$(grep -ac 'LEAK:' "$log" || true)
  [[ $leaks -eq 0 ]] || { crashes="$crashes, $leaks LEAK reports"; FAILED=1; }
  ROWS+=("$(printf '%-18s %12s %9s %10s  %s' "$name" "${execs:-0}" "${secs}s" "$rate" "$crashes")")
done

echo
printf '%-18s %12s %9s %10s  %s\n' target executions time exec/s crashes
for r in "${ROWS[@]}"; do echo "$r"; done
echo "(logs in $LOGS)"
exit $FAILED
