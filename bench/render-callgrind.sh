#!/usr/bin/env bash
# Instructions per rendered document, counted by callgrind: stable on a
# shared machine where CPU time per document is not (other processes' load
# slows every instruction). Runs the renderers benchmark twice (N1 and N2
# documents of one kind) and divides the difference, so the one-off setup
# (font loading, the first parse) drops out.
#
#   bench/render-callgrind.sh [benchmark regexp] [N1] [N2]
#   bench/render-callgrind.sh 'Render/commercial-invoice-30-lines$' 10 40
#
# Needs valgrind. Go's asynchronous preemption signals crash callgrind, so
# it is turned off for the run (it does not change the work done).
set -euo pipefail
bench=${1:-'Render/commercial-invoice-30-lines$'}
n1=${2:-10}
n2=${3:-40}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go test -c -o "$dir/renderers.test" ./renderers
count() {
	GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file="$dir/cg.$1.out" \
		"$dir/renderers.test" -test.run '^$' -test.bench "$bench" -test.benchtime "$1x" -test.cpu 1 \
		>"$dir/cg.$1.log" 2>&1
	sed -n 's/.*I *refs: *//p' "$dir/cg.$1.log" | tr -d ,
}
i1=$(count "$n1")
i2=$(count "$n2")
echo "$bench: $(( (i2 - i1) / (n2 - n1) )) instructions per document ($n1 docs: $i1, $n2 docs: $i2)"
