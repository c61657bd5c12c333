#!/usr/bin/env bash
# Runs Eddy's JMH suite (about 9 minutes on 2 cores). benchmarks/RESULTS.md is the curated report that
# quotes these outputs; no mode overwrites it.
#   benchmarks/run.sh           full run: JSON in benchmarks/target/results/, then benchmarks/results/full-jdk<V>.md
#   benchmarks/run.sh --smoke   every benchmark once, briefly (CI); exits non-zero if any fails;
#                               its report stays in benchmarks/target/results/
#   benchmarks/run.sh --targets [N]  only the benchmarks behind the issue's targets, N runs (default 3)
#                               with short iterations (about 100 s a run on 2 cores); writes the
#                               median of each target over the runs to benchmarks/results/targets-jdk<V>.md
#                               and appends it to benchmarks/results/targets.csv (JAVA_HOME picks the JDK)
# Extra arguments after the mode are passed to every JMH invocation (e.g. -jvm /path/to/java).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
runs=3
if [[ "${1:-}" == "--smoke" ]]; then
  mode=smoke
  shift
elif [[ "${1:-}" == "--targets" ]]; then
  mode=targets
  shift
  if [[ "${1:-}" =~ ^[0-9]+$ ]]; then
    runs=$1
    shift
  fi
  (( runs >= 1 )) || { echo "ERROR: --targets N needs N >= 1, was $runs" >&2; exit 2; }
fi
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"

echo "==> building benchmarks/target/benchmarks.jar"
./mvnw -q -B -ntp -pl benchmarks -am package -DskipTests

jar=benchmarks/target/benchmarks.jar
out=benchmarks/target/results
rm -rf "$out"
mkdir -p "$out"
heap="-Xms1g -Xmx1g"
jol="-Djol.magicFieldOffset=true -Djdk.attach.allowAttachSelf=true"
# Single-threaded benchmarks: one fork is enough for ratios; cross-thread ones: 3 forks (STYLE.md).
single='^dev\.eddy\.benchmarks\.(FutureCallback|FanOutChain|FailureDetector|LoopDrain)Benchmark\.'
cross='^dev\.eddy\.benchmarks\.(CrossThread|Dispatch)Benchmark\.'
single_flags=(-f 1 -wi 3 -w 1s -i 5 -r 1s)
cross_flags=(-f 3 -wi 2 -w 1s -i 3 -r 1s)
common=(-prof gc -foe true -jvmArgsAppend "$heap")

if [[ "$mode" == targets ]]; then
  version=$("$java_bin" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ { print $2 }')
  dir=benchmarks/target/results-targets-jdk$version
  rm -rf "$dir"
  mkdir -p "$dir" benchmarks/results
  targets_single='^dev\.eddy\.benchmarks\.(FutureCallbackBenchmark|LoopDrainBenchmark|FailureDetectorBenchmark\.(observedFailure|success))'
  targets_dispatch='^dev\.eddy\.benchmarks\.DispatchBenchmark\.call_(runOnExecutor|springAsync)'
  jsons=()
  for run in $(seq 1 "$runs"); do
    echo "==> targets run $run of $runs on JDK $version; load: $(uptime)" | tee -a "$dir/load.txt"
    "$java_bin" -jar "$jar" "$targets_single" -f 1 -wi 2 -w 500ms -i 3 -r 500ms "${common[@]}" \
      -rf json -rff "$dir/single-$run.json" "$@" > "$dir/single-$run.log"
    "$java_bin" -jar "$jar" "$targets_dispatch" -f 1 -wi 2 -w 1s -i 3 -r 1s "${common[@]}" \
      -rf json -rff "$dir/dispatch-$run.json" "$@" > "$dir/dispatch-$run.log"
    # One JSON array per run, so that each run is checked on its own.
    "$java_bin" -cp "$jar" dev.eddy.benchmarks.JsonConcat "$dir/run-$run.json" "$dir/single-$run.json" "$dir/dispatch-$run.json"
    jsons+=("$dir/run-$run.json")
  done
  echo "==> done; load: $(uptime)" | tee -a "$dir/load.txt"
  cp "$dir/load.txt" "benchmarks/results/targets-jdk$version-load.txt"
  "$java_bin" -cp "$jar" dev.eddy.benchmarks.TargetSummary "benchmarks/results/targets-jdk$version.md" \
    benchmarks/results/targets.csv "JDK $version" "${jsons[@]}"
  exit 0
fi

if [[ "$mode" == smoke ]]; then
  echo "==> smoke pass: every benchmark, one short iteration"
  "$java_bin" -jar "$jar" '^dev\.eddy\.benchmarks\.' -f 1 -wi 0 -i 1 -r 100ms "${common[@]}" \
    -rf json -rff "$out/smoke.json" "$@"
  "$java_bin" $jol -cp "$jar" dev.eddy.benchmarks.FootprintReport "$out/footprint.tsv"
  # Proves the report still parses what JMH writes; the output stays in target/.
  "$java_bin" -cp "$jar" dev.eddy.benchmarks.ResultsReport "$out/RESULTS-smoke.md" "smoke" "$out/footprint.tsv" "$out/smoke.json"
  echo "==> smoke pass: all benchmarks ran"
  exit 0
fi

start=$(date +%s)
mkdir -p benchmarks/results
echo "==> single-threaded benchmarks: ${single_flags[*]} ${common[*]}"
"$java_bin" -jar "$jar" "$single" "${single_flags[@]}" "${common[@]}" -rf json -rff "$out/single.json" "$@" | tee "$out/single.log"
echo "==> cross-thread benchmarks: ${cross_flags[*]} ${common[*]}"
"$java_bin" -jar "$jar" "$cross" "${cross_flags[@]}" "${common[@]}" -rf json -rff "$out/cross.json" "$@" | tee "$out/cross.log"
echo "==> footprint (JOL)"
"$java_bin" $jol -cp "$jar" dev.eddy.benchmarks.FootprintReport "$out/footprint.tsv"
flags="single-threaded: \`${single_flags[*]} ${common[*]}\`; cross-thread: \`${cross_flags[*]} ${common[*]}\`; took $(( $(date +%s) - start )) s"
"$java_bin" -cp "$jar" dev.eddy.benchmarks.ResultsReport "benchmarks/results/full-jdk$("$java_bin" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ { print $2 }').md" "$flags" "$out/footprint.tsv" \
  "$out/single.json" "$out/cross.json"
