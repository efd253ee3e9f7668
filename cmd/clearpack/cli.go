package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Exit codes. They are part of clearpack's interface: scripts and schedulers
// depend on them, and the README and `clearpack --help` list them.
const (
	ExitOK       = 0 // everything asked for was done
	ExitFailure  = 1 // an unexpected error
	ExitUsage    = 2 // bad command line or configuration
	ExitPartial  = 3 // some shipments failed (validation or processing); the others were archived
	ExitInput    = 4 // an input file could not be used at all; nothing was archived
	ExitArchive  = 5 // the archive or the signing key could not be used
	ExitVerify   = 6 // verification found a fault
	ExitCanceled = 130
)

const exitCodesHelp = `Exit codes:
  0    everything asked for was done (re-runs that archive nothing new included)
  1    an unexpected error
  2    bad command line or configuration
  3    some shipments were not archived (failed validation or processing,
       or left in progress); the others were
  4    an input file could not be used at all; nothing was archived
  5    the archive or the signing key could not be used
  6    verification found a fault (verify)
  130  interrupted`

// command is one subcommand. run gets the parsed flags through the closure
// that built the command's options.
type command struct {
	name    string
	summary string
	usage   string // after "clearpack <name> "
	flags   *flag.FlagSet
	run     func(ctx context.Context, args []string, out, errOut io.Writer) error
}

func commands() []*command {
	return []*command{
		newRunCmd(),
		newServeCmd(),
		newValidateCmd(),
		newKeygenCmd(),
		newVerifyCmd(),
		newCapabilityCmd(),
		newArchiveCmd(),
		newHoldCmd(),
		newBundleCmd(),
		newTokenCmd(),
		newVersionCmd(),
	}
}

// Main runs clearpack with args and returns the process exit code.
func Main(ctx context.Context, args []string, out, errOut io.Writer) int {
	cmds := commands()
	if len(args) == 1 && (args[0] == "--version" || args[0] == "-version") {
		if err := printVersion(out); err != nil {
			return ExitFailure
		}
		return ExitOK
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		topUsage(out, cmds)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	var cmd *command
	for _, c := range cmds {
		if c.name == args[0] {
			cmd = c
		}
	}
	if cmd == nil {
		fmt.Fprintf(errOut, "clearpack: unknown command %q\n\n", args[0])
		topUsage(errOut, cmds)
		return ExitUsage
	}
	cmd.flags.SetOutput(errOut)
	cmd.flags.Usage = func() {
		fmt.Fprintf(cmd.flags.Output(), "Usage: clearpack %s %s\n\n%s\n\nFlags:\n", cmd.name, cmd.usage, cmd.summary)
		cmd.flags.PrintDefaults()
		fmt.Fprintf(cmd.flags.Output(), "\nEvery flag can also be set in the config file (--config) by its name,\nor in the environment as CLEARPACK_<NAME> (upper case, - as _).\n\n%s\n", exitCodesHelp)
	}
	if err := cmd.flags.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	if err := applyConfig(cmd.flags, os.LookupEnv); err != nil {
		fmt.Fprintf(errOut, "clearpack %s: %v\n", cmd.name, err)
		return ExitUsage
	}
	err := cmd.run(ctx, cmd.flags.Args(), out, errOut)
	if err == nil {
		return ExitOK
	}
	code := ExitFailure
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
	}
	if ctx.Err() != nil && code == ExitFailure {
		code = ExitCanceled
	}
	if msg := err.Error(); msg != "" {
		fmt.Fprintf(errOut, "clearpack %s: %s\n", cmd.name, msg)
	}
	return code
}

func topUsage(w io.Writer, cmds []*command) {
	fmt.Fprintf(w, `clearpack prepares, checks, signs and archives the customs documents of
IT-hardware shipments (commercial invoice, packing list, condition declaration,
equipment specification list, post-clearance pack) for Importers and
Exporters of Record, as an audit trail nobody can alter.

Usage: clearpack <command> [flags]
       clearpack --version

Commands:
`)
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'clearpack <command> --help' for a command's flags.\n\n%s\n", exitCodesHelp)
}

// applyConfig fills every flag not given on the command line from the
// environment (CLEARPACK_<NAME>) and then from the YAML config file named by
// the --config flag, if the command has one. Flags beat the environment, which
// beats the file.
func applyConfig(fs *flag.FlagSet, lookupEnv func(string) (string, bool)) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var file map[string]any
	if cf := fs.Lookup("config"); cf != nil {
		path := cf.Value.String()
		if !set["config"] {
			if v, ok := lookupEnv(envName("config")); ok {
				path = v
			}
		}
		if path != "" {
			// A named pipe or device would be waited on for ever.
			if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
				return fmt.Errorf("reading config: %s: not a file: found mode %s, expected a regular file", path, st.Mode())
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return fmt.Errorf("reading config: %w", err)
			}
			if err := yaml.Unmarshal(b, &file); err != nil {
				return fmt.Errorf("reading config %s: %w", path, err)
			}
			var unknown []string
			for k := range file {
				if fs.Lookup(k) == nil || k == "config" {
					unknown = append(unknown, k)
				}
			}
			if len(unknown) > 0 {
				sort.Strings(unknown)
				return fmt.Errorf("config %s: unknown setting(s) %s for this command", path, strings.Join(unknown, ", "))
			}
		}
	}
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if err != nil || set[f.Name] || f.Name == "config" {
			return
		}
		if v, ok := lookupEnv(envName(f.Name)); ok {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("environment %s: %w", envName(f.Name), e)
			}
			return
		}
		if v, ok := file[f.Name]; ok {
			if e := fs.Set(f.Name, fmt.Sprint(v)); e != nil {
				err = fmt.Errorf("config setting %s: %w", f.Name, e)
			}
		}
	})
	return err
}

func envName(flagName string) string {
	return "CLEARPACK_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}
