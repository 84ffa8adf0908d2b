#!/usr/bin/env bash
# A Flink 2.2 standalone session cluster on localhost, one JVM per process, built from Maven Central
# jars (flink-dist is not published there). See deploy/README.md.
#
#   deploy/local/cluster.sh build                 assemble deploy/target/flink-lib and flink-plugins (Maven)
#   deploy/local/cluster.sh start [N]             write the config, start a JobManager and N TaskManagers (2)
#   deploy/local/cluster.sh add-tm                start one more TaskManager
#   deploy/local/cluster.sh kill-tm I             kill -9 TaskManager I (fault injection)
#   deploy/local/cluster.sh submit [FLAGS] -- ARGS submit jobs/target/minkstream.jar 'run ARGS' detached;
#                                                 FLAGS go to Flink's CLI (-p 3, -s SAVEPOINT, ...)
#   deploy/local/cluster.sh flink ARGS            Flink's CLI frontend: list, cancel ID, stop -p DIR ID, ...
#   deploy/local/cluster.sh status                processes and the JobManager's /overview
#   deploy/local/cluster.sh stop                  stop every process of the cluster (TERM, then KILL)
#
# Sourced (". cluster.sh") it only defines the functions, for deploy/local/fault-test.sh.
# Settings (environment): WORK_DIR (logs, pids, conf, checkpoints, savepoints), REST_PORT, RPC_PORT,
# SLOTS (per TaskManager), JM_MEMORY, TM_MEMORY, STATE_BACKEND, RESTART_ATTEMPTS, GPU_DISCOVERY_SCRIPT,
# TM_ENV (VAR=value ... for the TaskManagers only, e.g. LD_LIBRARY_PATH), JOB_JAR, MVN_FLAGS (e.g. -o).

DEPLOY_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT_DIR=$(cd "$DEPLOY_DIR/.." && pwd)
: "${WORK_DIR:=$DEPLOY_DIR/target/local-cluster}"
: "${FLINK_LIB:=$DEPLOY_DIR/target/flink-lib}"
: "${FLINK_PLUGINS:=$DEPLOY_DIR/target/flink-plugins}"
: "${JOB_JAR:=$ROOT_DIR/jobs/target/minkstream.jar}"
: "${REST_PORT:=18081}"
: "${RPC_PORT:=16123}"
: "${SLOTS:=1}"
: "${JM_MEMORY:=1024m}"
: "${TM_MEMORY:=2048m}"
: "${STATE_BACKEND:=rocksdb}"
: "${RESTART_ATTEMPTS:=10}"
: "${GPU_DISCOVERY_SCRIPT:=}"
: "${TM_ENV:=}"
: "${MVN:=mvn}"
: "${MVN_FLAGS:=}"
REST_URL="http://localhost:$REST_PORT"
MAIN_CLASS=io.minkstream.jobs.cli.MinkstreamCli
GPU_PLUGIN_VERSION=2.0.0   # = flink.gpu.resource.version in the parent pom

# Flink's Java 17 list (flink-dist's default env.java.opts.all) plus the Vector API module the engine's
# hot loops use. The same string goes into config.yaml, where Flink's own scripts would read it.
JAVA_OPTS_ALL="--add-modules=jdk.incubator.vector -XX:+IgnoreUnrecognizedVMOptions \
--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED \
--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED \
--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED \
--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED \
--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
--add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
die() { log "error: $*"; exit 1; }

flink_build() {
  local pom="$DEPLOY_DIR/local/flink-dist/pom.xml" gpu_dir="$FLINK_PLUGINS/external-resource-gpu"
  if [[ ! -f "$FLINK_LIB/flink-runtime-2.2.0.jar" || "$pom" -nt "$FLINK_LIB" ]] || ! ls "$gpu_dir"/*.jar >/dev/null 2>&1; then
    log "assembling $FLINK_LIB from Maven ($pom)"
    # shellcheck disable=SC2086
    "$MVN" -q $MVN_FLAGS -f "$pom" package || die "mvn -f $pom package failed"
    if ! ls "$gpu_dir"/*.jar >/dev/null 2>&1; then
      # The GPU plugin's pom has a parent that Maven Central lacks; only dependency:get 2.8 fetches the jar
      # alone (see the flink-dist pom). Run outside any project, then copy it again.
      log "fetching flink-external-resource-gpu $GPU_PLUGIN_VERSION into the local Maven repository"
      # shellcheck disable=SC2086
      (cd "$(mktemp -d)" && "$MVN" -q $MVN_FLAGS org.apache.maven.plugins:maven-dependency-plugin:2.8:get \
        -Dartifact="org.apache.flink:flink-external-resource-gpu:$GPU_PLUGIN_VERSION" -Dtransitive=false) \
        || die "cannot fetch flink-external-resource-gpu $GPU_PLUGIN_VERSION (needs Maven Central once)"
      # shellcheck disable=SC2086
      "$MVN" -q $MVN_FLAGS -f "$pom" package || die "mvn -f $pom package failed"
    fi
    touch "$FLINK_LIB"
  fi
  if [[ ! -f "$gpu_dir/nvidia-gpu-discovery.sh" ]]; then
    # flink-dist ships the discovery scripts beside the plugin jar; from Maven they are inside it.
    (cd "$gpu_dir" && unzip -o -q flink-external-resource-gpu-*.jar nvidia-gpu-discovery.sh gpu-discovery-common.sh \
      && chmod +x nvidia-gpu-discovery.sh gpu-discovery-common.sh) || die "cannot extract the GPU discovery scripts in $gpu_dir"
  fi
}

# Writes $WORK_DIR/conf: config.yaml (Flink 2 standard YAML) and log4j files.
flink_config() {
  mkdir -p "$WORK_DIR"/{conf,log,pids,tmp,checkpoints,savepoints}
  cat > "$WORK_DIR/conf/config.yaml" <<EOF
jobmanager:
  rpc: {address: localhost, port: $RPC_PORT}
  bind-host: localhost
  memory: {process: {size: $JM_MEMORY}}
taskmanager:
  host: localhost
  bind-host: localhost
  numberOfTaskSlots: $SLOTS
  memory: {process: {size: $TM_MEMORY}}
rest: {address: localhost, bind-address: localhost, port: $REST_PORT}
parallelism: {default: 2}
state:
  backend: {type: $STATE_BACKEND, incremental: true}
execution:
  checkpointing:
    dir: file://$WORK_DIR/checkpoints
    savepoint-dir: file://$WORK_DIR/savepoints
    num-retained: 2
# A killed TaskManager's connections drop at once, but its slots are only released when its heartbeat
# times out: keep that short so the restarted job does not wait for a dead TaskManager's slot.
heartbeat: {interval: 2000, timeout: 10000}
restart-strategy:
  type: fixed-delay
  fixed-delay: {attempts: $RESTART_ATTEMPTS, delay: 2 s}
# JCuda's JNI library binds to one classloader per JVM: load it from lib/, not from each job's jar.
classloader:
  parent-first-patterns:
    additional: [jcuda.]
io: {tmp: {dirs: $WORK_DIR/tmp}}
web: {submit: {enable: true}, upload: {dir: $WORK_DIR/tmp}}
env:
  java:
    opts:
      all: "$JAVA_OPTS_ALL"
EOF
  if [[ -n "$GPU_DISCOVERY_SCRIPT" ]]; then
    cat >> "$WORK_DIR/conf/config.yaml" <<EOF
external-resources: gpu
external-resource:
  gpu:
    amount: 1
    driver-factory: {class: org.apache.flink.externalresource.gpu.GPUDriverFactory}
    param: {discovery-script: {path: $GPU_DISCOVERY_SCRIPT}}
EOF
  fi
  cat > "$WORK_DIR/conf/log4j.properties" <<'EOF'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
logger.kafka.name = org.apache.kafka
logger.kafka.level = WARN
appender.main.name = MainAppender
appender.main.type = File
appender.main.fileName = ${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
EOF
  cat > "$WORK_DIR/conf/log4j-cli.properties" <<'EOF'
rootLogger.level = WARN
rootLogger.appenderRef.console.ref = ConsoleAppender
appender.console.name = ConsoleAppender
appender.console.type = CONSOLE
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n
# It warns with a stack trace that the YARN CLI is missing from the classpath: not an error here.
logger.cli.name = org.apache.flink.client.cli.CliFrontend
logger.cli.level = ERROR
EOF
}

# Prints the JVM memory flags (line 1) and the dynamic properties (line 2) that Flink's bin/config.sh
# computes with BashJavaUtils from the process size in config.yaml. $1: JM or TM.
flink_resource_params() {
  local out cache="$WORK_DIR/conf/.${1}-resource-params"
  # The result depends on config.yaml only: computed once per config (each call is a JVM start).
  if [[ -f "$cache" && "$cache" -nt "$WORK_DIR/conf/config.yaml" ]]; then cat "$cache"; return; fi
  out=$(java -cp "$FLINK_LIB/*" org.apache.flink.runtime.util.bash.BashJavaUtils "GET_${1}_RESOURCE_PARAMS" \
    --configDir "$WORK_DIR/conf" 2>&1) || die "BashJavaUtils GET_${1}_RESOURCE_PARAMS failed: $out"
  grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<<"$out" | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://' | tail -2 >"$cache"
  cat "$cache"
}

# $1: process name (jobmanager, taskmanager-2), $2: entry point class, $3: JM or TM.
flink_start_process() {
  local name=$1 main=$2 kind=$3 params jvm dynamic
  params=$(flink_resource_params "$kind")
  jvm=$(sed -n 1p <<<"$params")
  dynamic=$(sed -n 2p <<<"$params")
  local extra_env=()
  [[ "$kind" == TM && -n "$TM_ENV" ]] && read -r -a extra_env <<<"$TM_ENV"
  # shellcheck disable=SC2086  # word splitting of the flag strings is intended
  FLINK_CONF_DIR="$WORK_DIR/conf" FLINK_PLUGINS_DIR="$FLINK_PLUGINS" nohup env "${extra_env[@]}" java $jvm $JAVA_OPTS_ALL \
    -Dlog.file="$WORK_DIR/log/$name.log" -Dlog4j.configurationFile="file:$WORK_DIR/conf/log4j.properties" \
    -cp "$FLINK_LIB/*" "$main" --configDir "$WORK_DIR/conf" $dynamic \
    >"$WORK_DIR/log/$name.out" 2>&1 </dev/null &
  echo $! >"$WORK_DIR/pids/$name.pid"
  log "started $name (pid $!, log $WORK_DIR/log/$name.log)"
  disown $!   # no job-control notice when it is killed on purpose
}

flink_start_jobmanager() {
  ! curl -s -o /dev/null "$REST_URL/overview" || die "something already answers on $REST_URL (another cluster? stop it or set REST_PORT)"
  flink_start_process jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint JM
}

# Starts TaskManager number $1 (default: the next free number).
flink_start_taskmanager() {
  local i=${1:-}
  if [[ -z "$i" ]]; then
    i=1
    while [[ -e "$WORK_DIR/pids/taskmanager-$i.pid" || -e "$WORK_DIR/pids/taskmanager-$i.killed" ]]; do i=$((i + 1)); done
  fi
  flink_start_process "taskmanager-$i" org.apache.flink.runtime.taskexecutor.TaskManagerRunner TM
}

flink_kill_taskmanager() {
  local f="$WORK_DIR/pids/taskmanager-$1.pid"
  [[ -f "$f" ]] || die "no TaskManager $1 (no $f)"
  kill -9 "$(cat "$f")" 2>/dev/null || true
  mv "$f" "$WORK_DIR/pids/taskmanager-$1.killed"
  log "killed taskmanager-$1 with SIGKILL"
}

# Waits until the REST API answers and $1 TaskManagers are registered.
flink_wait_ready() {
  local want=${1:-1} deadline=$((SECONDS + ${2:-120})) tms=0
  while (( SECONDS < deadline )); do
    tms=$(curl -s "$REST_URL/overview" | sed -n 's/.*"taskmanagers":\([0-9]*\).*/\1/p') || true
    if [[ -n "$tms" ]] && (( tms >= want )); then log "cluster ready: $tms TaskManagers, $REST_URL"; return 0; fi
    flink_check_alive
    sleep 1
  done
  die "the cluster did not get $want TaskManagers within ${2:-120} s (has ${tms:-none}); see $WORK_DIR/log"
}

# Fails when a process of the cluster died on its own (killed ones are renamed to *.killed).
flink_check_alive() {
  local f
  for f in "$WORK_DIR"/pids/*.pid; do
    [[ -e "$f" ]] || continue
    kill -0 "$(cat "$f")" 2>/dev/null || die "$(basename "$f" .pid) exited; see $WORK_DIR/log/$(basename "$f" .pid).{log,out}"
  done
}

# Flink's CLI frontend, as bin/flink runs it (the client JVM needs java.util opened, stack-facts §3).
flink_cli() {
  # shellcheck disable=SC2086
  FLINK_CONF_DIR="$WORK_DIR/conf" FLINK_PLUGINS_DIR="$FLINK_PLUGINS" java $JAVA_OPTS_ALL -Dlog4j.configurationFile="file:$WORK_DIR/conf/log4j-cli.properties" \
    -cp "$FLINK_LIB/*" org.apache.flink.client.cli.CliFrontend "$@"
}

# flink_submit [CLI FLAGS] -- RUN ARGS: submits the job jar detached and prints the job id.
flink_submit() {
  local cli=() out id
  while (( $# )) && [[ "$1" != "--" ]]; do cli+=("$1"); shift; done
  [[ "${1:-}" == "--" ]] && shift
  [[ -f "$JOB_JAR" ]] || die "no job jar at $JOB_JAR (build it: mvn -DskipTests package)"
  out=$(flink_cli run -d "${cli[@]}" -c "$MAIN_CLASS" "$JOB_JAR" run "$@" 2>&1) || { echo "$out" >&2; die "submission failed"; }
  id=$(sed -n 's/.*Job has been submitted with JobID \([0-9a-f]\{32\}\).*/\1/p' <<<"$out" | head -1)
  [[ -n "$id" ]] || { echo "$out" >&2; die "no job id in the CLI's output"; }
  echo "$id"
}

# Prints a job's state (RUNNING, FINISHED, ...) and whether all its tasks run: "RUNNING 4/4".
flink_job_state() {
  curl -s "$REST_URL/jobs/$1" | jq -r '"\(.state) \([.vertices[] | select(.status == "RUNNING") | .parallelism] | add // 0)/\([.vertices[].parallelism] | add // 0)"'
}

# Waits until every task of job $1 runs.
flink_wait_running() {
  local deadline=$((SECONDS + ${2:-120})) s=""
  while (( SECONDS < deadline )); do
    s=$(flink_job_state "$1") || true
    if [[ "$s" =~ ^RUNNING\ ([0-9]+)/([0-9]+)$ ]] && (( BASH_REMATCH[1] == BASH_REMATCH[2] && BASH_REMATCH[2] > 0 )); then
      log "job $1 running (${s#RUNNING } tasks)"; return 0
    fi
    [[ "$s" =~ ^(FAILED|CANCELED|FINISHED) ]] && die "job $1 is $s"
    sleep 1
  done
  die "job $1 not running within ${2:-120} s (state: $s)"
}

# The JobManager's count of restarts of job $1 (the numRestarts job metric).
flink_restarts() {
  curl -s "$REST_URL/jobs/$1/metrics?get=numRestarts" | jq -r '.[0].value // "0"' || echo 0
}

# Stops every process whose pid file is in $WORK_DIR/pids: SIGTERM, then SIGKILL after 20 s.
flink_stop_all() {
  local f pid pids=() deadline
  for f in "$WORK_DIR"/pids/*.pid; do
    [[ -e "$f" ]] || continue
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null && pids+=("$pid"); fi
    rm -f "$f"
  done
  deadline=$((SECONDS + 20))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  done
  (( ${#pids[@]} )) && log "stopped ${#pids[@]} processes"
  return 0
}

cluster_main() {
  set -euo pipefail
  local verb=${1:-help}
  shift || true
  case "$verb" in
    build) flink_build ;;
    start)
      local n=${1:-2} i
      command -v jq >/dev/null || die "jq is needed (apt-get install jq)"
      flink_build
      flink_config
      trap 'flink_stop_all' EXIT   # a half-started cluster is stopped again
      flink_start_jobmanager
      for ((i = 1; i <= n; i++)); do flink_start_taskmanager "$i"; done
      flink_wait_ready "$n"
      trap - EXIT
      echo "web UI and REST API: $REST_URL   logs: $WORK_DIR/log   stop: $0 stop"
      ;;
    add-tm) flink_start_taskmanager ;;
    kill-tm) flink_kill_taskmanager "${1:?TaskManager number}" ;;
    submit) flink_submit "$@" ;;
    flink) flink_cli "$@" ;;
    status)
      local f
      for f in "$WORK_DIR"/pids/*.pid; do
        [[ -e "$f" ]] || continue
        if kill -0 "$(cat "$f")" 2>/dev/null; then echo "$(basename "$f" .pid) pid $(cat "$f") up"; else echo "$(basename "$f" .pid) down"; fi
      done
      curl -s "$REST_URL/overview" && echo
      ;;
    stop) flink_stop_all ;;
    *) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; [[ "$verb" == help ]] ;;
  esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  cluster_main "$@"
fi
