package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/pflag"

	"github.com/clearpack/clearpack/archive/auditweb"
	"github.com/clearpack/clearpack/archive/s3"
	"github.com/clearpack/clearpack/pipeline"
	"github.com/clearpack/clearpack/pipeline/inbox"
	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/schedule"
)

// serviceFlags are the settings of scheduled operation, shared by serve and
// run --once so that both read one config file.
type serviceFlags struct {
	inbox        string
	stable       time.Duration
	lease, grace time.Duration
	instance     string
	schedules    string
	deadline     time.Duration
	listen       string
	auditTokens  string
	staleAfter   time.Duration
	stateDir     string
	tlsCert      string
	tlsKey       string
	idleTimeout  time.Duration
	// deliver: how packs go to the brokers a batch names (deliver.yaml).
	deliver deliverFlags
}

// register adds the settings of a worker, for serve and run --once.
func (s *serviceFlags) register(fs *pflag.FlagSet) {
	s.deliver.registerSettings(fs)
	fs.StringVar(&s.inbox, "inbox", "", "the inbox: a local directory, or s3://bucket/prefix?endpoint=host:port[&insecure=true] (a plain bucket, not the archive's)")
	fs.DurationVar(&s.stable, "inbox-stable", 0, "a batch without a READY marker is complete once its files are unchanged this long (0: READY required)")
	fs.DurationVar(&s.lease, "lease", inbox.DefaultLease, "how long a batch claim holds without renewal (renewed every third of it)")
	fs.DurationVar(&s.grace, "grace", 30*time.Second, "after SIGTERM/SIGINT, how long the batch in hand may take to finish")
	fs.StringVar(&s.instance, "instance", "", "this instance's name in claims, logs and reports (default host-pid-random)")
	fs.DurationVar(&s.staleAfter, "stale-after", pipeline.DefaultStaleAfter, "an incomplete pack version idle this long is the remains of a stopped run and is redone; younger, it is left to the instance writing it")
}

// registerServe adds what only serve has: schedules and the HTTP server.
func (s *serviceFlags) registerServe(fs *pflag.FlagSet) {
	fs.StringVar(&s.schedules, "schedule", "inbox=@every 15m", `cron schedules "name=spec; name=spec" (5-field cron, @hourly, @every 10m; prefix CRON_TZ=Zone/City for local time); in the config file also a map, name: spec`)
	_ = fs.SetAnnotation("schedule", mapSeparator, []string{"; "})
	fs.DurationVar(&s.deadline, "starting-deadline", 0, "at start, a slot missed at most this long ago runs once; older misses are logged, not replayed (0: never replay)")
	fs.StringVar(&s.listen, "listen", "127.0.0.1:9464", `address for /metrics, /healthz, /readyz ("off": none)`)
	fs.StringVar(&s.auditTokens, "audit-tokens", "", "file of auditor token hashes: also serve the auditors' read-only web interface at /")
	fs.StringVar(&s.stateDir, "state-dir", "var/state", "directory for derived data: the auditors' search index (rebuilt from the archive when missing or stale; safe to delete)")
	fs.StringVar(&s.tlsCert, "tls-cert", "", "PEM certificate (chain) file: serve --listen over HTTPS; needs --tls-key")
	fs.StringVar(&s.tlsKey, "tls-key", "", "PEM private key file of --tls-cert")
	fs.DurationVar(&s.idleTimeout, "idle-timeout", 2*time.Minute, "close a kept-alive HTTP connection idle this long")
}

// httpServer makes serve's HTTP server: headers within 10 s, kept-alive
// connections closed after --idle-timeout, HTTPS when a certificate is
// given (loaded now, so a bad one stops serve at start with exit 2).
func (s *serviceFlags) httpServer(h http.Handler) (*http.Server, error) {
	if s.idleTimeout <= 0 {
		return nil, errorf(ExitUsage, "--idle-timeout must be positive")
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: s.idleTimeout}
	switch {
	case s.tlsCert == "" && s.tlsKey == "":
		return srv, nil
	case s.tlsCert == "" || s.tlsKey == "":
		return nil, errorf(ExitUsage, "--tls-cert and --tls-key go together")
	}
	cert, err := tls.LoadX509KeyPair(s.tlsCert, s.tlsKey)
	if err != nil {
		return nil, withCode(ExitUsage, fmt.Errorf("--tls-cert %s, --tls-key %s: %w", s.tlsCert, s.tlsKey, err))
	}
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	return srv, nil
}

func (s *serviceFlags) instanceName() string {
	if s.instance != "" {
		return s.instance
	}
	host, _ := os.Hostname()
	if host == "" {
		host = "host"
	}
	var b [3]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// logger is the log of serve and run --once: info and up, JSON unless
// stderr is a terminal, unless --log-level and --log-format say otherwise.
func serviceLogger(ctx context.Context, w io.Writer) *slog.Logger {
	return logOptionsFrom(ctx).logger(w, slog.LevelInfo, "auto")
}

// openInbox opens the inbox. Errors carry ExitUsage or ExitArchive.
func (s *serviceFlags) openInbox(o inbox.Options) (inbox.Inbox, error) {
	switch {
	case s.inbox == "":
		return nil, errorf(ExitUsage, "--inbox is required")
	case strings.HasPrefix(s.inbox, "s3://"):
		cfg, err := parseS3(s.inbox)
		if err != nil {
			return nil, withCode(ExitUsage, fmt.Errorf("--inbox: %w", err))
		}
		ep := cfg.Endpoint
		if ep == "" {
			ep = s3.AWSEndpoint
		}
		client, err := minio.New(ep, &minio.Options{Creds: s3.Credentials(), Secure: !cfg.Insecure, Region: cfg.Region})
		if err != nil {
			return nil, withCode(ExitArchive, fmt.Errorf("opening inbox: %w", err))
		}
		return inbox.NewS3(client, cfg.Bucket, cfg.Prefix, o), nil
	case strings.Contains(s.inbox, "://"):
		return nil, errorf(ExitUsage, "--inbox %q: only local directories and s3:// are supported", s.inbox)
	}
	d, err := inbox.NewDir(s.inbox, o)
	if err != nil {
		return nil, withCode(ExitArchive, err)
	}
	return d, nil
}

// workerSetup is what a worker is built from (serve's and run's flags).
type workerSetup struct {
	archive       archiveFlags
	key           keyFlags
	render        renderFlags
	rulesDir      string
	mapping       string
	maxInputBytes int64
	workers       int
	actor         string
	svc           serviceFlags
}

// built is a ready worker and what serve also needs.
type built struct {
	worker *schedule.Worker
	runner *pipeline.Runner
}

func buildWorker(ctx context.Context, ws *workerSetup, logger *slog.Logger, m *schedule.Metrics) (*built, error) {
	if ws.svc.lease <= 0 || ws.svc.grace < 0 {
		return nil, errorf(ExitUsage, "--lease must be positive and --grace not negative")
	}
	ib, err := ws.svc.openInbox(inbox.Options{Stable: ws.svc.stable})
	if err != nil {
		return nil, err
	}
	for _, w := range ws.key.exposed() {
		logger.Warn(w)
	}
	r, err := newRunner(ctx, &ws.archive, &ws.key, ws.render, ws.rulesDir, pipeline.Runner{Logger: logger, Workers: ws.workers, Actor: ws.actor, StaleAfter: ws.svc.staleAfter})
	if err != nil {
		return nil, err
	}
	lim := ingest.DefaultLimits()
	lim.MaxFileBytes = ws.maxInputBytes
	instance := ws.svc.instanceName()
	w := &schedule.Worker{
		Inbox:    ib,
		Claims:   &inbox.Claims{Store: r.Store, Owner: instance, Lease: ws.svc.lease},
		Runner:   r,
		Limits:   lim,
		Mapping:  ws.mapping,
		Logger:   logger,
		Metrics:  m,
		Instance: instance,
		Deliver:  &batchDeliverer{archive: ws.archive, key: ws.key, actor: ws.actor, deliver: ws.svc.deliver},
	}
	return &built{worker: w, runner: r}, nil
}

type serveOptions struct {
	ws workerSetup
}

func newServeCmd() *command {
	o := &serveOptions{}
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	mem := memoryLimitFlag(fs)
	o.ws.archive.register(fs)
	o.ws.key.register(fs)
	o.ws.key.registerTSA(fs)
	o.ws.render.register(fs)
	o.ws.svc.register(fs)
	o.ws.svc.registerServe(fs)
	fs.StringVar(&o.ws.rulesDir, "rules-dir", "", "directory of country-profile YAML files that override or extend the built-in ones")
	fs.StringVar(&o.ws.mapping, "mapping", "", mappingUsage+"; a batch's own mapping.yaml wins")
	fs.Int64Var(&o.ws.maxInputBytes, "max-input-bytes", ingest.DefaultLimits().MaxFileBytes, "largest input file accepted, in bytes")
	fs.IntVar(&o.ws.workers, "workers", 0, "shipments in flight at once (0: two per CPU; rendering is capped at one document per CPU)")
	fs.StringVar(&o.ws.actor, "actor", "clearpack-serve", "who runs the job, as recorded in the audit log")
	return &command{
		name:    "serve",
		summary: "process the inbox on cron schedules; /metrics, /healthz, /readyz",
		usage:   "--config clearpack.yaml | --inbox DIR|s3://... --archive DIR|s3://... --key FILE [--schedule 'inbox=@every 15m']",
		flags:   fs,
		run: func(ctx context.Context, _ []string, out, errOut io.Writer) error {
			defer mem.apply()()
			return runServe(ctx, o, out, errOut)
		},
	}
}

// stopping turns the command's context (cancelled by the first SIGTERM or
// SIGINT) into the context of the work in hand: it ends Grace after the
// first signal, or at once on a second one. hard reports whether the
// second signal came.
func stopping(stop context.Context, grace time.Duration) (work context.Context, abort <-chan struct{}, hard func() bool, done func()) {
	work, cancel := context.WithCancel(context.WithoutCancel(stop))
	aborted := make(chan struct{})
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	var second atomic.Bool
	quit := make(chan struct{})
	go func() {
		n := 0
		var timer <-chan time.Time
		stopDone := stop.Done()
		for {
			select {
			case <-quit:
				return
			case <-stopDone:
				stopDone = nil
				timer = time.After(grace)
			case <-timer:
				cancel()
				return
			case <-sigs:
				n++
				// The first signal is the one that cancelled stop (main's
				// NotifyContext saw it too); a second means "now".
				if n >= 2 {
					second.Store(true)
					close(aborted)
					cancel()
					return
				}
			}
		}
	}()
	return work, aborted, second.Load, func() { signal.Stop(sigs); close(quit); cancel() }
}

func runServe(ctx context.Context, o *serveOptions, out, errOut io.Writer) error {
	logger := serviceLogger(ctx, errOut)
	scheds, err := schedule.ParseSchedules(o.ws.svc.schedules, o.ws.svc.deadline)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	m := schedule.NewMetrics()
	m.Registry.MustRegister(buildInfo())
	b, err := buildWorker(ctx, &o.ws, logger, m)
	if err != nil {
		return err
	}
	logger = logger.With("instance", b.worker.Instance)
	b.worker.Logger = logger
	svc := &schedule.Service{Worker: b.worker, Slots: &schedule.Slots{Store: b.runner.Store}, Schedules: scheds, Logger: logger}

	var srv *http.Server
	if o.ws.svc.listen != "" && o.ws.svc.listen != "off" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}))
		mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
		mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
			if !svc.Ready() {
				http.Error(w, "not ready", http.StatusServiceUnavailable)
				return
			}
			fmt.Fprintln(w, "ready")
		})
		if o.ws.svc.auditTokens != "" {
			tokens, err := auditweb.LoadTokens(o.ws.svc.auditTokens)
			if err != nil {
				return withCode(ExitUsage, err)
			}
			ix, err := openSearch(ctx, o.ws.svc.stateDir, b.runner.Store, b.runner.Signer.PublicKey(), logger)
			if err != nil {
				return err
			}
			defer ix.Close()
			h, err := auditweb.New(auditweb.Config{Store: b.runner.Store, Trusted: b.runner.Signer.PublicKey(),
				TokenHashes: tokens, Log: b.runner.Log, Logger: logger.With("component", "auditweb"), Search: ix})
			if err != nil {
				return withCode(ExitUsage, err)
			}
			mux.Handle("/", h)
		}
		srv, err = o.ws.svc.httpServer(mux)
		if err != nil {
			return err
		}
		// TLS handshake failures and the like go to the log, as JSON.
		srv.ErrorLog = slog.NewLogLogger(logger.With("component", "http").Handler(), slog.LevelWarn)
		if w := worldReadable("TLS key", o.ws.svc.tlsKey); w != "" {
			logger.Warn(w)
		}
		ln, err := net.Listen("tcp", o.ws.svc.listen)
		if err != nil {
			return withCode(ExitUsage, fmt.Errorf("--listen: %w", err))
		}
		// Serve sets up HTTP/2 in TLSConfig: decide before it starts.
		useTLS := srv.TLSConfig != nil
		go func() {
			serve := srv.Serve
			if useTLS {
				// The certificate is in TLSConfig; the TLS handshake is
				// bounded by ReadHeaderTimeout.
				serve = func(ln net.Listener) error { return srv.ServeTLS(ln, "", "") }
			}
			if err := serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				logger.Error("http server", "err", err)
			}
		}()
		logger.Info("serving /metrics, /healthz, /readyz", "addr", ln.Addr().String(), "auditweb", o.ws.svc.auditTokens != "",
			"tls", useTLS, "idle_timeout", o.ws.svc.idleTimeout)
	}

	work, abort, hard, done := stopping(ctx, o.ws.svc.grace)
	defer done()
	logger.Info("clearpack serve started", "inbox", b.worker.Inbox.String(), "archive", b.runner.Store.String(),
		"schedules", o.ws.svc.schedules, "lease", o.ws.svc.lease, "grace", o.ws.svc.grace)
	err = svc.RunAbortable(ctx, work, abort)
	if srv != nil {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		_ = srv.Shutdown(sctx)
		cancel()
	}
	if err != nil {
		return err
	}
	if hard() {
		logger.Warn("second signal: stopped at once; unfinished shipments are redone by the next run")
		return errorf(ExitCanceled, "stopped at once by a second signal")
	}
	logger.Info("clearpack serve stopped")
	return nil
}
