# umdev benchmark plots, from the distributions bench/run just measured.
# Usage: gnuplot -e "out='RESULTS_DIR'; docs='DOCS_DIR'" bench/plots.gp
# Optional: -e "many='10000'" if the run used another BENCH_MANY.
if (!exists("many")) many = '10000'
f(n) = out.'/'.n.'.dat'
set grid
set logscale x
set xlabel "latency (us, log)"
set ylabel "fraction of iterations"
set yrange [0:1]
set key bottom right

set terminal pngcairo size 1200,380 font "sans,9" noenhanced
set output docs.'/perf-latency.png'
set multiplot layout 1,3 title "same CPU (umdevd, client and floor peers pinned to CPU 0): CDFs, umdevd vs raw floor, same run"
set xrange [1:1000]
set title "4-byte REGION_READ round trip"
plot f('region-same_cpu-umdevd') using ($2/1000):1 with lines lw 2 title "umdevd", \
     f('region-same_cpu-floor') using ($2/1000):1 with lines lw 2 dt 2 title "socket ping-pong floor"
set title "THR write -> MSI eventfd"
plot f('irq-same_cpu-umdevd') using ($2/1000):1 with lines lw 2 title "umdevd", \
     f('irq-same_cpu-floor-path') using ($2/1000):1 with lines lw 2 dt 2 title "socket+eventfd path floor", \
     f('irq-same_cpu-floor-eventfd') using ($2/1000):1 with lines lw 2 dt 3 title "one eventfd wake-up"
set title "16-byte loopback burst (pipelined)"
plot f('throughput-same_cpu-umdevd') using ($2/1000):1 with lines lw 2 title "umdevd", \
     f('throughput-same_cpu-floor') using ($2/1000):1 with lines lw 2 dt 2 title "socket floor"
unset multiplot

set terminal pngcairo size 900,380 font "sans,9" noenhanced
set output docs.'/perf-cross-cpu.png'
set multiplot layout 1,2 title "cross CPU (umdevd and floor peers on CPU 1, client on CPU 0): polling off and on"
set xrange [1:1000]
set title "4-byte REGION_READ round trip"
plot f('region-cross_cpu-umdevd') using ($2/1000):1 with lines lw 2 title "umdevd", \
     f('region-cross_cpu-umdevd-poll') using ($2/1000):1 with lines lw 2 title "umdevd --poll-us", \
     f('region-cross_cpu-umdevd-poll-client') using ($2/1000):1 with lines lw 2 title "--poll-us + client polling wait", \
     f('region-cross_cpu-floor') using ($2/1000):1 with lines lw 2 dt 2 title "socket ping-pong floor"
set title "THR write -> MSI eventfd"
plot f('irq-cross_cpu-umdevd') using ($2/1000):1 with lines lw 2 title "umdevd", \
     f('irq-cross_cpu-umdevd-poll') using ($2/1000):1 with lines lw 2 title "umdevd --poll-us", \
     f('irq-cross_cpu-floor-path') using ($2/1000):1 with lines lw 2 dt 2 title "socket+eventfd path floor"
unset multiplot

set terminal pngcairo size 1200,380 font "sans,9" noenhanced
set output docs.'/perf-scale.png'
set multiplot layout 1,2 title "scale"
set title "one mtty device in umdevd while ".many." exist vs while 1 exists (same CPU)"
set xrange [1:1000]
plot f('irq-same_cpu-umdevd-1dev') using ($2/1000):1 with lines lw 2 title "interrupt, 1 device", \
     f('irq-same_cpu-umdevd-'.many.'dev') using ($2/1000):1 with lines lw 2 dt 2 title "interrupt, ".many." devices", \
     f('region-same_cpu-umdevd-1dev') using ($2/1000):1 with lines lw 2 title "region read, 1 device", \
     f('region-same_cpu-umdevd-'.many.'dev') using ($2/1000):1 with lines lw 2 dt 2 title "region read, ".many." devices"
set title "create+remove one device vs devices present (in-process)"
set logscale xy
set xlabel "devices present (log)"
set ylabel "time per create+remove (us, log)"
set yrange [0.1:5000]
set xrange [50:20000]
set key top left horizontal maxcols 2
plot out.'/scale.dat' using 1:2 with linespoints lw 2 pt 7 title "core + vfio-user socket, median", \
     '' using 1:3 with linespoints lw 1 pt 6 dt 2 title "core + socket, p99", \
     '' using 1:4 with linespoints lw 2 pt 5 title "core only, median", \
     '' using 1:5 with linespoints lw 1 pt 4 dt 2 title "core only, p99"
unset multiplot
