// Command clearpack-bench measures clearpack against its floor (maroto
// alone) and against what users pick instead (headless Chromium, wkhtmltopdf),
// and writes the table to bench/results/latest.md and latest.json.
//
//	go run ./bench/cmd/clearpack-bench            (what make bench runs)
//	go run ./bench/cmd/clearpack-bench gen -units 1000 -out DIR
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "clearpack-bench:", err)
		os.Exit(1)
	}
}
