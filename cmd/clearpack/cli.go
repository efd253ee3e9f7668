package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"

	"github.com/clearpack/clearpack/pipeline"
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
	flags   *pflag.FlagSet
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
	root, ran := newRoot(commands(), out, errOut)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	code := ExitFailure
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		code = ee.code
	case !*ran:
		// Cobra's own errors: an unknown command or flag, a flag's bad
		// value, arguments a command does not take.
		code = ExitUsage
	}
	if *ran && ctx.Err() != nil && code == ExitFailure {
		code = ExitCanceled
	}
	name := "clearpack"
	if c, _, ferr := root.Find(args); ferr == nil && c != root {
		name = c.CommandPath()
	}
	if msg := err.Error(); msg != "" {
		fmt.Fprintf(errOut, "%s: %s\n", name, msg)
	}
	if code == ExitUsage && !*ran {
		fmt.Fprintf(errOut, "Run '%s --help' for usage.\n", name)
	}
	return code
}

const configHelp = `Every flag can also be set in the config file (--config) by its name,
or in the environment as CLEARPACK_<NAME> (upper case, - as _).`

// newRoot builds the command tree. *ran tells whether a command's own run
// function was reached (errors before it are usage errors).
func newRoot(cmds []*command, out, errOut io.Writer) (*cobra.Command, *bool) {
	ran := new(bool)
	root := &cobra.Command{
		Use:   "clearpack",
		Short: "prepare, check, sign and archive the customs documents of IT-hardware shipments",
		Long: `clearpack prepares, checks, signs and archives the customs documents of
IT-hardware shipments (commercial invoice, packing list, condition declaration,
equipment specification list, post-clearance pack) for Importers and
Exporters of Record, as an audit trail nobody can alter.`,
		Version:       pipeline.ReleaseVersion(),
		SilenceErrors: true,
		SilenceUsage:  true,
		// Without arguments: the help, and exit 2 (nothing was asked for).
		RunE: func(c *cobra.Command, _ []string) error {
			*ran = true
			if err := c.Help(); err != nil {
				return err
			}
			return withCode(ExitUsage, errors.New(""))
		},
	}
	var v bytes.Buffer
	_ = printVersion(&v)
	root.SetVersionTemplate(v.String())
	root.SetOut(out)
	root.SetErr(errOut)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return withCode(ExitUsage, err) })
	root.CompletionOptions.DisableDefaultCmd = true
	defaultHelp := root.HelpFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		defaultHelp(c, args)
		w := c.OutOrStdout()
		if c != root {
			fmt.Fprintf(w, "\n%s\n", configHelp)
		}
		fmt.Fprintf(w, "\n%s\n", exitCodesHelp)
	})
	for _, cmd := range cmds {
		use := cmd.name
		if cmd.usage != "" {
			use += " " + cmd.usage
		}
		cc := &cobra.Command{
			Use:   use,
			Short: cmd.summary,
			RunE: func(c *cobra.Command, args []string) error {
				if err := applyConfig(c.Flags(), os.LookupEnv); err != nil {
					return withCode(ExitUsage, err)
				}
				*ran = true
				return cmd.run(c.Context(), args, c.OutOrStdout(), c.ErrOrStderr())
			},
		}
		cc.Flags().AddFlagSet(cmd.flags)
		root.AddCommand(cc)
	}
	return root, ran
}

// applyConfig fills every flag not given on the command line from the
// environment (CLEARPACK_<NAME>) and then from the YAML config file named by
// the --config flag, if the command has one. Flags beat the environment, which
// beats the file.
func applyConfig(fs *pflag.FlagSet, lookupEnv func(string) (string, bool)) error {
	set := map[string]bool{}
	fs.Visit(func(f *pflag.Flag) { set[f.Name] = true })
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
	fs.VisitAll(func(f *pflag.Flag) {
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
