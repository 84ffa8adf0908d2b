#!/usr/bin/env bash
# The proof that minkstream's output is exactly once on a real multi-process Flink cluster:
#
#  phase 1 (fault): a Kafka broker, a JobManager and two TaskManagers (one slot each) as separate JVMs;
#    the job at parallelism 2 on RocksDB, checkpoints every 2 s; SENSORS simulated sensors publish FRAMES
#    frames in all; once a third of them has been committed, one TaskManager is killed with SIGKILL and a
#    replacement started; the job restarts from its last checkpoint and consumes the rest.
#  phase 2 (rescale, RESCALE=1): stop with a savepoint, a third TaskManager joins, the job restarts from
#    the savepoint at parallelism 3, and RESCALE_FRAMES more frames continue every sensor's sequence.
#  reference: the same job, failure-free, bounded, on the CPU, on a mini cluster (java -jar
#    minkstream.jar run) over the same input into another topic.
#
# Then it reads the output with read_committed and prints, for the frames of phase 1:
#   fault-test: produced=<n> committed=<n> duplicates=<n> missing=<n> mismatched=<n> restarts=<n>
# (mismatched: outputs whose window or features differ from the reference's), and for phase 2:
#   rescale-test: produced=<n> committed=<n> duplicates=<n> missing=<n> mismatched=<n> parallelism=2->3
# Exit status 0 only when both are free of duplicates, missing and mismatched outputs and restarts >= 1.
#
# Needs: java 17, curl, jq, unzip, mvn (once, to assemble Flink's lib folder), and a build:
#   mvn -DskipTests install    (jobs/target/minkstream.jar, deploy/target/classes, deploy/target/verifier.classpath)
# Settings (environment): FRAMES (600), SENSORS (4), RATE (frames/s per sensor, 10), RESCALE (1),
# RESCALE_FRAMES (FRAMES/2), WINDOW_FRAMES (14), WINDOW_MODE (incremental), KILL_AFTER (FRAMES/3 committed
# outputs), OUT_OF_ORDERNESS_MS (3600000, see job_args), BROKER_PORT (19092), CONTROLLER_PORT (19093),
# AWAIT_TIMEOUT_S (600), NEGATIVE_CONTROL (0; 1 drops the savepoint in phase 2 to show that the check
# catches lost state), plus cluster.sh's (WORK_DIR, REST_PORT, GPU_DISCOVERY_SCRIPT, TM_ENV, ...).
# The cluster job runs with --device auto, the reference with --device cpu.
# Every process it starts is stopped when it exits, however it exits.

set -euo pipefail
: "${WORK_DIR:=$(cd "$(dirname "$0")/.." && pwd)/target/fault-test}"
# shellcheck source=cluster.sh
. "$(dirname "$0")/cluster.sh"

: "${FRAMES:=600}"
: "${SENSORS:=4}"
: "${RATE:=10}"
: "${RESCALE:=1}"
: "${RESCALE_FRAMES:=$((FRAMES / 2))}"
: "${WINDOW_FRAMES:=14}"
: "${WINDOW_MODE:=incremental}"
: "${KILL_AFTER:=$((FRAMES / 3))}"
: "${BROKER_PORT:=19092}"
: "${CONTROLLER_PORT:=19093}"
: "${AWAIT_TIMEOUT_S:=600}"
: "${OUT_OF_ORDERNESS_MS:=3600000}"
: "${NEGATIVE_CONTROL:=0}"
BOOTSTRAP="localhost:$BROKER_PORT"
INPUT=sensor-frames
OUTPUT=sensor-features
REFERENCE=reference-features
VERIFIER_CP="$DEPLOY_DIR/target/classes:$(cat "$DEPLOY_DIR/target/verifier.classpath" 2>/dev/null || true)"
# The engine's Vector API module and what Flink's client needs opened on Java 17 (stack-facts §3).
JOB_JVM_OPTS="--add-modules=jdk.incubator.vector --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED"

(( FRAMES % SENSORS == 0 && RESCALE_FRAMES % SENSORS == 0 )) || die "FRAMES ($FRAMES) and RESCALE_FRAMES ($RESCALE_FRAMES) must be multiples of SENSORS ($SENSORS)"
for tool in java curl jq unzip; do command -v "$tool" >/dev/null || die "$tool is needed"; done
[[ -f "$JOB_JAR" ]] || die "no job jar at $JOB_JAR: build first (mvn -DskipTests install)"
[[ -f "$DEPLOY_DIR/target/verifier.classpath" && -d "$DEPLOY_DIR/target/classes/io" ]] \
  || die "the verifier is not built: mvn -DskipTests install (or mvn -pl deploy -am -DskipTests package)"

cleanup() {
  local status=$?
  flink_stop_all
  (( status == 0 )) || log "fault test failed (status $status); logs in $WORK_DIR/log"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A process of the test itself (broker, simulator, reference run): its pid file makes flink_stop_all stop it.
start_bg() {
  local name=$1; shift
  nohup "$@" >"$WORK_DIR/log/$name.out" 2>&1 </dev/null &
  echo $! >"$WORK_DIR/pids/$name.pid"
}

# Waits for a background process of the test to exit and fails when it failed.
wait_bg() {
  local name=$1 pid rc=0
  pid=$(cat "$WORK_DIR/pids/$name.pid")
  wait "$pid" || rc=$?
  rm -f "$WORK_DIR/pids/$name.pid"
  (( rc == 0 )) || { tail -20 "$WORK_DIR/log/$name.out" >&2; die "$name failed (status $rc)"; }
}

# Runs a command with this script's stdout/stderr and returns its status; in the background with a pid
# file, so that a signal interrupts the wait and the EXIT trap stops the command too.
run_tracked() {
  local name=$1 rc=0; shift
  "$@" &
  echo $! >"$WORK_DIR/pids/$name.pid"
  wait $! || rc=$?
  rm -f "$WORK_DIR/pids/$name.pid"
  return "$rc"
}

verifier() {
  run_tracked verifier java -cp "$VERIFIER_CP" io.minkstream.deploy.verify.OutputVerifier "$@"
}

# Blocks until the output topic holds committed outputs for $1 distinct frames.
await_outputs() {
  verifier await --bootstrap-servers "$BOOTSTRAP" --topic "$1" --count "$2" --timeout-s "$AWAIT_TIMEOUT_S" \
    || die "the job did not commit $2 outputs to $1 within $AWAIT_TIMEOUT_S s; see $WORK_DIR/log"
}

# The run flags shared by the cluster job and the reference (identical model and window).
# --out-of-orderness-ms: the job assigns watermarks after decoding, not per Kafka partition in the
# source, so a subtask that catches up on a backlog (after the restart, and the whole reference run)
# may read one partition ahead of another and push the watermark past frames of the other; those
# would be dead-lettered as late (seen here with the default 200 ms). A watermark delay longer than
# any backlog keeps every in-order frame; frames are processed as soon as they are next in sequence,
# so the delay only postpones the handling of gaps, and this input has none.
job_args() {
  echo --bootstrap-servers "$BOOTSTRAP" --input-topic "$INPUT" --model motion \
    --window-frames "$WINDOW_FRAMES" --window-mode "$WINDOW_MODE" --checkpoint-interval-ms 2000 \
    --out-of-orderness-ms "$OUT_OF_ORDERNESS_MS"
}

simulate() {
  start_bg "simulate-$1" java $JOB_JVM_OPTS -jar "$JOB_JAR" simulate --bootstrap-servers "$BOOTSTRAP" --topic "$INPUT" \
    --sensors "$SENSORS" --frames "$2" --rate "$RATE" --seed 42 --start-sequence "$3"
}

submit_cluster_job() {  # $1 parallelism, $2 savepoint or ""
  local p=$1 restore=()
  [[ -n "$2" ]] && restore=(-s "$2")
  # shellcheck disable=SC2046
  flink_submit -p "$p" "${restore[@]}" -- $(job_args) --device auto --output-topic "$OUTPUT" --dlq-topic sensor-frames-dlq \
    --group-id fault-test --transactional-id-prefix fault-test --parallelism "$p" \
    --checkpoint-dir "file://$WORK_DIR/checkpoints" --state-backend rocksdb --job-name minkstream-fault-test
}

T0=$SECONDS
elapsed() { echo "$((SECONDS - T0)) s"; }
# Start from an empty work dir, but never delete a folder this script did not make.
if [[ -d "$WORK_DIR" && -n "$(ls -A "$WORK_DIR")" && ! -f "$WORK_DIR/.fault-test" && ! -d "$WORK_DIR/pids" ]]; then
  die "WORK_DIR $WORK_DIR is not empty and was not made by fault-test.sh; choose another"
fi
rm -rf "$WORK_DIR"
mkdir -p "$WORK_DIR" && touch "$WORK_DIR/.fault-test"
flink_build
flink_config
PER_SENSOR=$((FRAMES / SENSORS))

log "broker on $BOOTSTRAP"
start_bg broker java $JOB_JVM_OPTS -jar "$JOB_JAR" broker --port "$BROKER_PORT" --controller-port "$CONTROLLER_PORT" \
  --data-dir "$WORK_DIR/kafka" --partitions 4 \
  --topics "$INPUT,$OUTPUT,sensor-frames-dlq,$REFERENCE,reference-dlq"
flink_start_jobmanager
flink_start_taskmanager 1
flink_start_taskmanager 2
deadline=$((SECONDS + 120))
until grep -q '^broker: ready' "$WORK_DIR/log/broker.out" 2>/dev/null; do
  (( SECONDS < deadline )) || die "the broker was not ready within 120 s; see $WORK_DIR/log/broker.out"
  flink_check_alive
  sleep 0.5
done
flink_wait_ready 2

log "phase 1: job at parallelism 2, $FRAMES frames from $SENSORS sensors at $RATE Hz each ($(elapsed))"
JOB1=$(submit_cluster_job 2 "")
flink_wait_running "$JOB1"
simulate 1 "$PER_SENSOR" 0
await_outputs "$OUTPUT" "$KILL_AFTER"
flink_kill_taskmanager 1
flink_start_taskmanager 3
log "killed taskmanager-1 after $KILL_AFTER committed outputs; taskmanager-3 replaces it ($(elapsed))"
wait_bg simulate-1
await_outputs "$OUTPUT" "$FRAMES"
flink_wait_running "$JOB1"
# The JobManager's REST handlers see metrics through a fetcher that refreshes every 10 s.
deadline=$((SECONDS + 30))
until RESTARTS=$(flink_restarts "$JOB1"); (( RESTARTS >= 1 || SECONDS >= deadline )); do sleep 2; done
log "phase 1 done: $FRAMES frames committed, $RESTARTS restarts ($(elapsed))"

VERIFY_ARGS=()
if (( RESCALE )); then
  log "phase 2: stop with a savepoint, resume at parallelism 3 ($(elapsed))"
  out=$(flink_cli stop --savepointPath "file://$WORK_DIR/savepoints" "$JOB1" 2>&1) || { echo "$out" >&2; die "stop with savepoint failed"; }
  SAVEPOINT=$(sed -n 's/.*Savepoint completed\. Path: \([^ ]*\).*/\1/p' <<<"$out" | head -1)
  [[ -n "$SAVEPOINT" ]] || { echo "$out" >&2; die "no savepoint path in the CLI's output"; }
  log "savepoint $SAVEPOINT"
  flink_start_taskmanager 4
  flink_wait_ready 3
  # NEGATIVE_CONTROL=1 resumes WITHOUT the savepoint (offsets come from the consumer group, the windows
  # start empty): the rescale line must then report mismatched outputs and the script exit 1.
  (( NEGATIVE_CONTROL )) && { log "negative control: resuming without the savepoint"; SAVEPOINT=""; }
  JOB2=$(submit_cluster_job 3 "$SAVEPOINT")
  flink_wait_running "$JOB2"
  simulate 2 $((RESCALE_FRAMES / SENSORS)) "$PER_SENSOR"
  wait_bg simulate-2
  await_outputs "$OUTPUT" $((FRAMES + RESCALE_FRAMES))
  log "phase 2 done ($(elapsed))"
  VERIFY_ARGS=(--split-sequence "$PER_SENSOR" --rescale "2->3")
fi

log "reference: the same job, bounded, failure-free, on the CPU, on a mini cluster ($(elapsed))"
# shellcheck disable=SC2046
start_bg reference java $JOB_JVM_OPTS -jar "$JOB_JAR" run $(job_args) --device cpu --bounded \
  --output-topic "$REFERENCE" --dlq-topic reference-dlq --group-id fault-test-reference \
  --transactional-id-prefix fault-test-reference --parallelism 1 --state-backend hashmap --job-name minkstream-reference \
  --checkpoint-dir "file://$WORK_DIR/reference-checkpoints"
wait_bg reference
log "reference done ($(elapsed))"

rc=0
verifier verify --bootstrap-servers "$BOOTSTRAP" --input-topic "$INPUT" --output-topic "$OUTPUT" \
  --reference-topic "$REFERENCE" --restarts "$RESTARTS" "${VERIFY_ARGS[@]}" || rc=$?
if [[ -n "$GPU_DISCOVERY_SCRIPT" ]]; then
  # How each window subtask chose its backend (io.minkstream.gpu.Backends logs one line per subtask).
  on_gpu=$(cat "$WORK_DIR"/log/taskmanager-*.log | grep -c 'assigned by Flink -> cuda' || true)
  on_cpu=$(cat "$WORK_DIR"/log/taskmanager-*.log | grep 'io.minkstream.gpu.Backends' | grep -vc 'assigned by Flink -> cuda' || true)
  log "gpu: $on_gpu window subtask starts on the GPU Flink assigned, $on_cpu on the CPU (see Backends in $WORK_DIR/log)"
fi
log "fault test finished in $(elapsed)"
exit "$rc"
