#!/usr/bin/env bash
# Runs Eddy's JMH suite and writes benchmarks/RESULTS.md (about 9 minutes on 2 cores).
#   benchmarks/run.sh           full run: JSON in benchmarks/target/results/, then RESULTS.md
#   benchmarks/run.sh --smoke   every benchmark once, briefly (CI); exits non-zero if any fails;
#                               RESULTS.md is left alone
# Extra arguments after the mode are passed to every JMH invocation (e.g. -jvm /path/to/java).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
if [[ "${1:-}" == "--smoke" ]]; then
  mode=smoke
  shift
fi

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

if [[ "$mode" == smoke ]]; then
  echo "==> smoke pass: every benchmark, one short iteration"
  java -jar "$jar" '^dev\.eddy\.benchmarks\.' -f 1 -wi 0 -i 1 -r 100ms "${common[@]}" \
    -rf json -rff "$out/smoke.json" "$@"
  java $jol -cp "$jar" dev.eddy.benchmarks.FootprintReport "$out/footprint.tsv"
  # Proves the report still parses what JMH writes; the output stays in target/.
  java -cp "$jar" dev.eddy.benchmarks.ResultsReport "$out/RESULTS-smoke.md" "smoke" "$out/footprint.tsv" "$out/smoke.json"
  echo "==> smoke pass: all benchmarks ran"
  exit 0
fi

start=$(date +%s)
echo "==> single-threaded benchmarks: ${single_flags[*]} ${common[*]}"
java -jar "$jar" "$single" "${single_flags[@]}" "${common[@]}" -rf json -rff "$out/single.json" "$@" | tee "$out/single.log"
echo "==> cross-thread benchmarks: ${cross_flags[*]} ${common[*]}"
java -jar "$jar" "$cross" "${cross_flags[@]}" "${common[@]}" -rf json -rff "$out/cross.json" "$@" | tee "$out/cross.log"
echo "==> footprint (JOL)"
java $jol -cp "$jar" dev.eddy.benchmarks.FootprintReport "$out/footprint.tsv"
flags="single-threaded: \`${single_flags[*]} ${common[*]}\`; cross-thread: \`${cross_flags[*]} ${common[*]}\`; took $(( $(date +%s) - start )) s"
java -cp "$jar" dev.eddy.benchmarks.ResultsReport benchmarks/RESULTS.md "$flags" "$out/footprint.tsv" \
  "$out/single.json" "$out/cross.json"
