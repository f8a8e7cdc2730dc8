package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/tolk-l10n/tolk/internal/api"
	"github.com/tolk-l10n/tolk/internal/auth"
	"github.com/tolk-l10n/tolk/internal/blob"
	"github.com/tolk-l10n/tolk/internal/config"
	_ "github.com/tolk-l10n/tolk/internal/format/all" // register every format
	"github.com/tolk-l10n/tolk/internal/jobs"
	"github.com/tolk-l10n/tolk/internal/notify"
	"github.com/tolk-l10n/tolk/internal/store"
	"github.com/tolk-l10n/tolk/internal/store/sqlite"
)

func init() {
	register(command{name: "serve", usage: "run the tolk server", run: serve})
}

// shutdownTimeout is how long running exports may take to finish on
// SIGTERM before they are cancelled and left to be resumed.
const shutdownTimeout = 25 * time.Second

// adminHashKey is the settings key of the admin token's hash.
const adminHashKey = "admin_token_sha256"

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := config.Parse(args, config.Getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "tolk serve: %v\n", err)
		return ExitUsage
	}
	logger := newLogger(cfg, stderr)
	if err := runServer(ctx, cfg, logger, stdout); err != nil {
		logger.Error("server stopped", "error", err)
		return ExitFailure
	}
	return ExitOK
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// runServer wires the parts together, serves until ctx ends, then shuts down
// in order: stop taking requests, let running jobs finish (or leave them to
// be resumed), close sockets, close the database.
func runServer(ctx context.Context, cfg config.Config, logger *slog.Logger, stdout io.Writer) error {
	tmpDir := filepath.Join(cfg.DataDir, "tmp")
	if err := os.MkdirAll(tmpDir, 0o750); err != nil {
		return fmt.Errorf("create data folder: %w", err)
	}
	st, err := sqlite.Open(ctx, filepath.Join(cfg.DataDir, "tolk.db"), logger)
	if err != nil {
		return err
	}
	defer func() {
		// Closing the last connection checkpoints the WAL into the
		// database file, which can take a moment on a slow disk.
		start := time.Now()
		if err := st.Close(); err != nil {
			logger.Warn("close database", "error", err)
		}
		logger.Info("database closed", "duration_ms", time.Since(start).Milliseconds())
	}()
	adminHash, err := adminTokenHash(ctx, st, cfg.AdminToken, stdout)
	if err != nil {
		return err
	}
	blobs, err := blob.NewDir(filepath.Join(cfg.DataDir, "blobs"), logger.With("component", "blob"))
	if err != nil {
		return fmt.Errorf("open blob store: %w", err)
	}
	authn := auth.NewAuthenticator(adminHash, st)
	tenant := cfg.Tenant()
	notifier := notify.New(tenant, authn, st, logger.With("component", "notify"))
	runner, err := jobs.New(ctx, jobs.Config{Workers: cfg.Workers, PerProject: cfg.PerProject, JobTimeout: cfg.JobTimeout, Retention: cfg.Retention},
		st, blobs, notifier, logger.With("component", "jobs"))
	if err != nil {
		return err
	}
	restAPI := api.New(api.Config{Tenant: tenant, TempDir: tmpDir}, st, runner, blobs, authn, notifier, logger.With("component", "api"))
	mux := http.NewServeMux()
	mux.Handle(notify.Path, notifier.Handler())
	mux.Handle("/", restAPI)

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	runCtx, stopRunner := context.WithCancel(context.WithoutCancel(ctx))
	defer stopRunner()
	if err := runner.Start(runCtx); err != nil {
		return err
	}
	logger.Info("tolk serving", "addr", ln.Addr().String(), "public_url", cfg.PublicURL, "tenant", tenant,
		"data", cfg.DataDir, "workers", cfg.Workers)
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	// 1. Stop taking requests: Shutdown closes the listener at once, then
	// waits for in-flight requests in the background.
	httpDone := make(chan error, 1)
	go func() { httpDone <- srv.Shutdown(shutCtx) }()
	// 2. Let running exports finish while sockets are still open, so that
	// their completion events are delivered; past the timeout they are
	// cancelled and resumed at the next start.
	if err := runner.Stop(shutCtx); err != nil {
		logger.Warn("job runner stop", "error", err)
	}
	stopRunner()
	// 3. Close sockets and event streams: long-polling requests and SSE
	// responses would otherwise hold Shutdown until its timeout.
	notifier.Close()
	restAPI.Close()
	if err := <-httpDone; err != nil {
		logger.Warn("http shutdown", "error", err)
	}
	logger.Info("stopped")
	return nil
}

// adminTokenHash returns the hash of the admin token: the configured one,
// or the stored one, or, on a first start without either, a new token
// printed once to stdout and stored only as its hash.
func adminTokenHash(ctx context.Context, st store.Store, configured string, stdout io.Writer) ([]byte, error) {
	if configured != "" {
		h := auth.Hash(configured)
		if err := st.SettingPut(ctx, adminHashKey, fmt.Sprintf("%x", h)); err != nil {
			return nil, fmt.Errorf("store admin token hash: %w", err)
		}
		return h, nil
	}
	stored, err := st.SettingGet(ctx, adminHashKey)
	if err == nil {
		var h []byte
		if _, err := fmt.Sscanf(stored, "%x", &h); err != nil || len(h) != 32 {
			return nil, fmt.Errorf("stored admin token hash is damaged; set --admin-token")
		}
		return h, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("read admin token hash: %w", err)
	}
	token := auth.NewToken()
	h := auth.Hash(token)
	if err := st.SettingPut(ctx, adminHashKey, fmt.Sprintf("%x", h)); err != nil {
		return nil, fmt.Errorf("store admin token hash: %w", err)
	}
	fmt.Fprintf(stdout, "Generated admin token (shown once; only its hash is stored):\n\n    %s\n\nSet TOLK_ADMIN_TOKEN to it for the CLI.\n", token)
	return h, nil
}
