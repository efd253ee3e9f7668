package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newManCmd is the hidden `clearpack man DIR`: writes the man pages
// (clearpack.1, clearpack-run.1, ...) made from the commands' own help, so
// that the pages and --help cannot disagree. `make man` runs it.
func newManCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:    "man DIR",
		Short:  "write the man pages into DIR",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if err := os.MkdirAll(args[0], 0o755); err != nil {
				return withCode(ExitFailure, err)
			}
			hdr := &doc.GenManHeader{Title: "CLEARPACK", Section: "1", Source: "clearpack " + root.Version, Manual: "clearpack manual"}
			root.DisableAutoGenTag = true // the pages do not change with the day they were made
			// What --help adds after the flags goes into each page's
			// description.
			for _, c := range append(root.Commands(), root) {
				long := c.Long
				if long == "" {
					long = c.Short + "."
				}
				if c.Annotations[ownCommand] != "" {
					long += "\n\n" + configHelp
				}
				c.Long = long + "\n\n" + exitCodesHelp
			}
			if err := doc.GenManTree(root, hdr, args[0]); err != nil {
				return withCode(ExitFailure, fmt.Errorf("writing man pages: %w", err))
			}
			return nil
		},
	}
}
