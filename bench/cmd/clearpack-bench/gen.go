package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/clearpack/clearpack/bench/gen"
)

func runGen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	units := fs.Int("units", 1000, "units in the program")
	out := fs.String("out", "", "directory to write inventory.csv, plan.yaml, clearances.yaml into (required)")
	sample := fs.String("sample", "testdata/sample", "the sample program to replicate")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("gen: -out is required")
	}
	s, err := gen.ReadSample(*sample)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	_, st, err := s.Write(*out, *units)
	if err != nil {
		return err
	}
	fmt.Printf("%d units, %d shipments, %d clearances in %s\n", st.Units, st.Shipments, st.Clearances, *out)
	return nil
}
