package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// logOptions are the global --log-level and --log-format. Empty means the
// command's own default: serve and run --once log at info, as JSON unless
// stderr is a terminal; the other commands log warnings only, as text.
type logOptions struct {
	level  string
	format string
}

type logKey struct{}

func withLogOptions(ctx context.Context, l logOptions) context.Context {
	return context.WithValue(ctx, logKey{}, l)
}

func logOptionsFrom(ctx context.Context) logOptions {
	l, _ := ctx.Value(logKey{}).(logOptions)
	return l
}

// check refuses an unknown level or format.
func (l logOptions) check() error {
	if _, err := l.parseLevel(slog.LevelInfo); err != nil {
		return err
	}
	switch l.format {
	case "", "auto", "text", "json":
		return nil
	}
	return fmt.Errorf("--log-format %q: want text, json or auto", l.format)
}

func (l logOptions) parseLevel(def slog.Level) (slog.Level, error) {
	switch strings.ToLower(l.level) {
	case "":
		return def, nil
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return def, fmt.Errorf("--log-level %q: want debug, info, warn or error", l.level)
}

// logger makes the command's logger on w, with its defaults for what the
// flags leave unset.
func (l logOptions) logger(w io.Writer, defLevel slog.Level, defFormat string) *slog.Logger {
	level, _ := l.parseLevel(defLevel) // checked at start
	format := l.format
	if format == "" {
		format = defFormat
	}
	opts := &slog.HandlerOptions{Level: level}
	if format == "json" || (format == "auto" && !isTerminal(w)) {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// warnf writes warnings of a command that has no log of its own: plain
// lines, or log records when --log-format asks for a format; none with
// --log-level error.
func warnf(ctx context.Context, errOut io.Writer, msgs ...string) {
	l := logOptionsFrom(ctx)
	var log *slog.Logger
	if l.format != "" {
		log = l.logger(errOut, slog.LevelWarn, "text")
	} else if lvl, _ := l.parseLevel(slog.LevelWarn); lvl > slog.LevelWarn {
		return
	}
	for _, m := range msgs {
		switch {
		case m == "":
		case log != nil:
			log.Warn(m)
		default:
			fmt.Fprintf(errOut, "clearpack: warning: %s\n", m)
		}
	}
}
