package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

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
	// args checks the positional arguments; nil: the command takes none.
	args  cobra.PositionalArgs
	flags *pflag.FlagSet
	run   func(ctx context.Context, args []string, out, errOut io.Writer) error
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

// globalOptions are the flags of every command.
type globalOptions struct {
	config string
	log    logOptions
}

func (g *globalOptions) register(fs *pflag.FlagSet) {
	fs.StringVar(&g.config, "config", "", "YAML config file (also CLEARPACK_CONFIG): top-level keys are flag names, for every command that has the flag; a section per command (run:, serve:, verify:, ...) holds settings of that command alone")
	fs.StringVar(&g.log.level, "log-level", "", "least severity logged: debug, info, warn or error (default: info for serve and run --once, warn otherwise)")
	fs.StringVar(&g.log.format, "log-format", "", "log format: text, json, or auto: JSON unless stderr is a terminal (default: auto for serve and run --once, text otherwise)")
}

// Main runs clearpack with args and returns the process exit code.
func Main(ctx context.Context, args []string, out, errOut io.Writer) int {
	root, st := newRoot(commands(), out, errOut)
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
	case !st.ran:
		// Cobra's own errors: an unknown command or flag, a flag's bad
		// value, arguments a command does not take.
		code = ExitUsage
	}
	if st.ran && ctx.Err() != nil && code == ExitFailure {
		code = ExitCanceled
	}
	name := "clearpack"
	if c, _, ferr := root.Find(args); ferr == nil && c != root {
		name = c.CommandPath()
	}
	msg := err.Error()
	if st.g.log.format == "json" {
		// One log, one format: the error is its last record.
		if msg != "" {
			st.g.log.logger(errOut, slog.LevelError, "json").Error(msg, "command", name, "exit_code", code)
		}
		return code
	}
	if msg != "" {
		fmt.Fprintf(errOut, "%s: %s\n", name, msg)
	}
	if code == ExitUsage && !st.ran && msg != "" {
		fmt.Fprintf(errOut, "Run '%s --help' for usage.\n", name)
	}
	return code
}

const configHelp = `Every flag can also be set in the environment, as CLEARPACK_ and its name in
upper case with - as _ (CLEARPACK_LOG_LEVEL for --log-level), or in the
config file (--config) by its name: at the top level (shared by every command
that has the flag; other commands skip it) or in this command's section. A
repeatable flag takes a YAML list; a flag of name=value pairs, a YAML map.
Precedence: flag, environment, command section, top level, default.`

// rootState is what Main needs to know after the command ran.
type rootState struct {
	g   globalOptions
	ran bool // the command's own run function was reached
	// The config file's possible top-level keys: command names, and every
	// flag name of every command.
	commands, known map[string]bool
	lookupEnv       func(string) (string, bool)
}

// newRoot builds the command tree.
func newRoot(cmds []*command, out, errOut io.Writer) (*cobra.Command, *rootState) {
	st := &rootState{lookupEnv: os.LookupEnv}
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
		// Without a command: the help, and exit 2 (nothing was asked for).
		RunE: func(c *cobra.Command, args []string) error {
			st.ran = true
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
	st.g.register(root.PersistentFlags())
	defaultHelp := root.HelpFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		defaultHelp(c, args)
		w := c.OutOrStdout()
		if c.Annotations[ownCommand] != "" {
			fmt.Fprintf(w, "\n%s\n", configHelp)
		}
		fmt.Fprintf(w, "\n%s\n", exitCodesHelp)
	})

	// Every flag name of every command, and the commands' names: the
	// config file's top level may hold any of them.
	known, names := map[string]bool{}, map[string]bool{}
	st.known, st.commands = known, names
	root.PersistentFlags().VisitAll(func(f *pflag.Flag) { known[f.Name] = true })
	for _, cmd := range cmds {
		names[cmd.name] = true
		cmd.flags.VisitAll(func(f *pflag.Flag) { known[f.Name] = true })
	}
	for _, cmd := range cmds {
		use := cmd.name
		if cmd.usage != "" {
			use += " " + cmd.usage
		}
		args := cmd.args
		if args == nil {
			args = noArgs
		}
		cc := &cobra.Command{
			Use:         use,
			Short:       cmd.summary,
			Args:        args,
			Annotations: map[string]string{ownCommand: cmd.name},
			RunE: func(c *cobra.Command, args []string) error {
				if err := st.configure(c, cmd.name); err != nil {
					return withCode(ExitUsage, err)
				}
				st.ran = true
				ctx := withLogOptions(c.Context(), st.g.log)
				return cmd.run(ctx, args, c.OutOrStdout(), c.ErrOrStderr())
			},
		}
		cc.Flags().AddFlagSet(cmd.flags)
		root.AddCommand(cc)
	}
	root.AddCommand(newManCmd(root))
	return root, st
}

// ownCommand annotates clearpack's commands (not help or completion).
const ownCommand = "clearpack-command"

// noArgs refuses positional arguments, naming the first: a word left on the
// line is a mistake (a flag's value without its flag, a misspelt flag).
func noArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return errorf(ExitUsage, "unexpected argument %q: %s takes no arguments, only flags (see --help)", args[0], c.Name())
	}
	return nil
}

// configure fills the flags of command name that the command line left
// unset, from the environment and the config file.
func (st *rootState) configure(c *cobra.Command, name string) error {
	fs, g := c.Flags(), &st.g
	path := g.config
	if !fs.Changed("config") {
		if v, ok := st.lookupEnv(envName("config")); ok {
			path = v
		}
	}
	var cf *configFile
	if path != "" {
		var err error
		if cf, err = loadConfig(path, st.commands); err != nil {
			return err
		}
	}
	if err := cf.apply(fs, name, st.known, st.lookupEnv); err != nil {
		return err
	}
	return g.log.check()
}
