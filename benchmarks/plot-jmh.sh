#!/usr/bin/env bash
# Draws benchmarks/results/jmh-targets.svg from benchmarks/results/targets.csv (written by
# run.sh --targets): for each ratio target, the median over the runs per JDK, the range of the
# runs as an error bar, the target as a black mark, and where the CSV has them the floors under
# Eddy (DeferredFloor, the deque with a loop's duties) as hollow circles. Needs gnuplot (Debian: gnuplot-nox).
#   benchmarks/plot-jmh.sh [<targets.csv> <out.svg>]   (default: results/targets.csv -> results/jmh-targets.svg)
set -euo pipefail
cd "$(dirname "$0")/.."
csv=${1:-benchmarks/results/targets.csv}
out=${2:-benchmarks/results/jmh-targets.svg}
[[ -s $csv ]] || { echo "ERROR: $csv is missing or empty; run benchmarks/run.sh --targets first" >&2; exit 1; }
command -v gnuplot > /dev/null || { echo "ERROR: gnuplot is missing; apt-get install gnuplot-nox" >&2; exit 1; }
data=$(mktemp)
trap 'rm -f "$data"' EXIT
# x position, median, min, max, limit, label, jdk: ratio targets only (the ns and B/op targets are in the tables).
awk -F'"' 'NR > 1 {
    split($1, a, ","); label = a[1]; target = $2; split(substr($3, 2), v, ",")
    short = ""
    if (target ~ /callbackThenComplete at least .* completableFuture/) short = "new+cb+complete\\nvs CompletableFuture"
    else if (target ~ /callbackThenComplete at least .* netty/) short = "new+cb+complete\\nvs Netty"
    else if (target ~ /callbackThenComplete at least .* guava/) short = "new+cb+complete\\nvs Guava"
    else if (target ~ /completeThenCallback/) short = "complete, then cb\\nvs CompletableFuture"
    else if (target ~ /drain1024/) short = "drain 1,024\\nArrayDeque / Eddy"
    else if (target ~ /p50 no more than @Async/) short = "@RunOnExecutor p50\\n@Async / Eddy"
    if (short == "") next
    floor = (target ~ /^floor|floor\)/) ? 1 : 0
    if (!(short in index_of)) { index_of[short] = n++; names[n - 1] = short }
    jdk = (label ~ /25/) ? 1 : 0
    median = v[1]; lo = v[2]; hi = v[3]; limit = v[4]
    # the "at most" ratios (Eddy / peer) are drawn inverted, so that higher is better everywhere
    if (short ~ /drain|p50/) { median = 1 / median; t = lo; lo = 1 / hi; hi = 1 / t; limit = 1 / limit }
    printf "%.2f %s %s %s %s \"%s\" %d %d\n", index_of[short] + (jdk ? 0.18 : -0.18), median, lo, hi, limit, short, jdk, floor
  }' "$csv" > "$data"
gnuplot <<GP
set terminal svg size 1100,500 dynamic noenhanced font 'sans,11' background rgb 'white'
set output '$out'
set title "JMH targets: how many times faster Eddy is (peer's time / Eddy's), median of 3 runs, bars = range of the runs; black mark = target"
set style fill solid 0.6 border -1
set boxwidth 0.34
set grid ytics
set ylabel 'ratio (higher is better for Eddy)'
set yrange [0:4]
set bmargin 5
set xtics rotate by 0 font ',9'
set key top right
plot '$data' using (\$7 == 0 && \$8 == 0 ? \$1 : NaN):2 with boxes lc rgb '#4e79a7' title 'JDK 17', \
     '' using (\$7 == 1 && \$8 == 0 ? \$1 : NaN):2 with boxes lc rgb '#f28e2b' title 'JDK 25', \
     '' using (\$8 == 0 ? \$1 : NaN):2:3:4 with yerrorbars lc rgb 'black' pt 0 notitle, \
     '' using (\$8 == 1 ? \$1 : NaN):2 with points pt 6 ps 1.2 lc rgb '#59a14f' title 'floor under Eddy (median)', \
     '' using 1:5 with points pt 5 ps 0.8 lc rgb 'black' title 'target', \
     '' using (floor(\$1 + 0.5)):(0):xticlabels(6) with points pt 0 notitle
GP
echo "wrote $out"
