# umdev benchmark plots, from the distributions bench/run just measured.
# Usage: gnuplot -e "out='RESULTS_DIR'; docs='DOCS_DIR'" bench/plots.gp
set terminal pngcairo size 1200,380 font "sans,9" noenhanced
set output docs.'/perf-latency.png'
set multiplot layout 1,3 title "umdev latency distributions (CDF; umdevd vs raw floor, same run)"
set grid
set logscale x
set xrange [1:100000]
set xlabel "latency (us, log)"
set ylabel "fraction of iterations"
set yrange [0:1]
set key bottom right
f(n) = out.'/'.n.'.dat'
set title "4-byte REGION_READ round trip"
plot f('region-umdevd') using ($2/1000):1 with lines lw 2 title "umdevd", \
     f('region-floor') using ($2/1000):1 with lines lw 2 dt 2 title "socket ping-pong floor"
set title "THR write -> MSI eventfd"
plot f('irq-umdevd') using ($2/1000):1 with lines lw 2 title "umdevd", \
     f('irq-floor') using ($2/1000):1 with lines lw 2 dt 2 title "eventfd wake floor", \
     f('irq-floor-path') using ($2/1000):1 with lines lw 2 dt 3 title "socket+eventfd path"
set title "16-byte loopback burst (pipelined)"
plot f('throughput-umdevd') using ($2/1000):1 with lines lw 2 title "umdevd", \
     f('throughput-floor') using ($2/1000):1 with lines lw 2 dt 2 title "socket floor"
unset multiplot

set terminal pngcairo size 800,380 font "sans,9" noenhanced
set output docs.'/perf-scale.png'
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
