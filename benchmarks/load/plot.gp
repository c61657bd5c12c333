# Plots of the load test, from benchmarks/load/run.sh's CSV:
#   gnuplot -e "csv='benchmarks/load/results/load.csv'; outdir='benchmarks/load/results'; capacity=200; pool=4" benchmarks/load/plot.gp
set datafile separator ','
set key autotitle columnhead
variants = system("awk -F, 'NR > 1 && !seen[$1]++ { printf \"%s \", $1 }' " . csv)
set terminal svg size 1200,420 dynamic font 'sans,11' background rgb 'white'
set output outdir . '/load-latency.svg'
set multiplot layout 1,3 title sprintf('Latency of successful (200) requests against offered load; 20 ms blocking work, pools of %d (capacity %d/s)', pool, capacity)
set logscale y
set grid
set xlabel 'offered load (% of capacity)'
set ylabel 'ms (log scale)'
set xtics (50, 100, 200)
set xrange [40:210]
set key below
do for [col in "11 12 13"] {
  c = int(col)
  set title (c == 11 ? 'p50' : c == 12 ? 'p99' : 'p99.9')
  plot for [v in variants] csv using 2:(strcol(1) eq v ? column(c) : NaN) with linespoints lw 2 pt 7 title v
}
unset multiplot

set output outdir . '/load-throughput.svg'
set multiplot layout 1,2 title 'Throughput (successful responses per second within the window) and error rate against offered load'
unset logscale y
set xtics (capacity / 2, capacity, 2 * capacity)
set xrange [capacity * 0.4:capacity * 2.1]
set xlabel sprintf('offered load (requests/s; capacity %d/s)', capacity)
set key below
set title 'throughput'
set ylabel 'requests/s'
set yrange [0:*]
plot for [v in variants] csv using 3:(strcol(1) eq v ? $10 : NaN) with linespoints lw 2 pt 7 title v, \
     (x < capacity ? x : capacity) with lines dt 2 lc rgb 'gray' title 'ideal'
set title 'not 200 (503 rejected, errors, timeouts), % of requests sent'
set ylabel '%'
set yrange [0:100]
plot for [v in variants] csv using 3:(strcol(1) eq v ? 100 * $17 : NaN) with linespoints lw 2 pt 7 title v
unset multiplot
