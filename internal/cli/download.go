package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tolk-l10n/tolk/client"
)

// This file holds the download and pseudo modes and what every client mode
// shares: the -url/-token options, exit codes from errors, progress and the
// -json result line.

func init() {
	register(command{name: "download", usage: "download the translated files (targets export) into a folder", run: runDownload})
	register(command{name: "pseudo", usage: "download the pseudo-translated files into a folder", run: runPseudo})
}

const exitCodesHelp = `
Exit codes: 0 ok, 1 other failure (a local file error, or interrupted by a
signal), 2 bad command line, 3 token missing, invalid or without permission,
4 project or file not found, 5 server unreachable or not answering (no
headers within 60s), 6 the export job failed on the server, 7 a file,
manifest, locale or ZIP refused (by the server or the CLI).
`

const authHelp = `
The project is named by -url <server>/projects/<id>. The token is -token
(the token itself, or the path of a file holding it) or $TOLK_TOKEN.
`

func runDownload(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return exportMode(ctx, "download", client.Targets, args, stdout, stderr)
}

func runPseudo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return exportMode(ctx, "pseudo", client.Pseudo, args, stdout, stderr)
}

func exportMode(ctx context.Context, mode string, kind client.Kind, args []string, stdout, stderr io.Writer) int {
	fs, pf := newProjectFlags(mode, stderr)
	target := fs.String("targetfolder", "", "folder the files are unpacked into, at their target-rule paths (required)")
	var locales *string
	if kind == client.Targets {
		locales = fs.String("locales", "", "comma-separated target locales (default: all of the project's)")
	}
	fs.Usage = modeUsage(fs, stderr, "tolk "+mode+" -url <server>/projects/<id> -targetfolder <dir>"+map[bool]string{true: " [-locales de-DE,ja-JP]"}[locales != nil],
		"Runs the "+string(kind)+" export and unpacks its ZIP into the target folder.\nFiles are replaced only when the whole download succeeded. A ZIP entry\nthat would land outside the target folder, also through a symbolic link\nto a folder outside it, refuses the whole download (exit 7); a symbolic\nlink at a file's own path is replaced by the file, never followed.\n"+authHelp)
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
	}
	if *target == "" {
		return usageError(stdout, stderr, mode, pf.json, "-targetfolder is required")
	}
	out := newOutput(mode, stdout, stderr, pf.json)
	c, project, err := pf.client(stderr)
	if err != nil {
		return out.fail(err)
	}
	ctx, cancel := context.WithTimeout(ctx, pf.timeout)
	defer cancel()
	start := time.Now()
	opts := client.ExportOptions{}
	if locales != nil {
		opts.Locales = splitList(*locales)
	}
	res, written, err := exportAndUnpack(ctx, c, project, kind, opts, *target, out)
	if err != nil {
		return out.fail(err)
	}
	return out.ok(map[string]any{"project": project, "jobId": res.JobID, "files": written, "bytes": res.Size,
		"sha256": res.SHA256, "seconds": time.Since(start).Seconds()},
		fmt.Sprintf("%d files written to %s", len(written), *target))
}

// exportAndUnpack downloads an export to a temporary file and unpacks it
// into dir, all or nothing.
func exportAndUnpack(ctx context.Context, c *client.Client, project int64, kind client.Kind, opts client.ExportOptions, dir string, out *output) (*client.ExportResult, []string, error) {
	tmp, err := os.MkdirTemp("", "tolk-export-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(tmp)
	opts.File = filepath.Join(tmp, "export.zip")
	opts.Progress = out.progress
	res, err := c.Export(ctx, project, kind, opts)
	out.endProgress()
	if err != nil {
		return nil, nil, err
	}
	written, err := unpack(ctx, kind, opts.File, dir)
	if err != nil {
		return nil, nil, err
	}
	return res, written, nil
}

// unpack extracts a downloaded export; an archive refused as unsafe is a
// refused input (exit 7).
func unpack(ctx context.Context, kind client.Kind, zipPath, dir string) ([]string, error) {
	written, err := client.ExtractZip(ctx, zipPath, dir)
	if errors.Is(err, client.ErrUnsafeEntry) {
		return nil, inputErr{fmt.Errorf("unpacking the %s export: %w", kind, err)}
	}
	if err != nil {
		return nil, fmt.Errorf("unpacking the %s export: %w", kind, err)
	}
	return written, nil
}

// projectFlags are the options of the modes that work on one project.
type projectFlags struct {
	url, token string
	json       bool
	timeout    time.Duration
}

func newProjectFlags(mode string, stderr io.Writer) (*flag.FlagSet, *projectFlags) {
	fs := flag.NewFlagSet("tolk "+mode, flag.ContinueOnError)
	fs.SetOutput(stderr)
	pf := &projectFlags{}
	fs.StringVar(&pf.url, "url", os.Getenv("TOLK_URL"), "project URL, <server>/projects/<id> [$TOLK_URL]")
	fs.StringVar(&pf.token, "token", "", "project token, or the path of a file holding it [$TOLK_TOKEN]")
	fs.BoolVar(&pf.json, "json", false, "print one machine-readable JSON result line on stdout")
	fs.DurationVar(&pf.timeout, "timeout", 30*time.Minute, "give up after this long")
	return fs, pf
}

// client builds the SDK client from -url and -token.
func (pf *projectFlags) client(stderr io.Writer) (*client.Client, int64, error) {
	server, project, err := parseProjectURL(pf.url)
	if err != nil {
		return nil, 0, err
	}
	token, err := secret(pf.token, "TOLK_TOKEN")
	if err != nil {
		return nil, 0, err
	}
	c, err := client.New(server, token)
	if err != nil {
		return nil, 0, usageErr{err}
	}
	return c, project, nil
}

// parseProjectURL splits "http://host:8080/projects/12" (or
// ".../api/projects/12") into the server URL and the project id.
func parseProjectURL(s string) (string, int64, error) {
	if s == "" {
		return "", 0, usageErr{errors.New("-url is required: <server>/projects/<id>")}
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "", 0, usageErr{fmt.Errorf("-url %q is not a URL like http://host:8080/projects/12", s)}
	}
	p := strings.TrimRight(u.Path, "/")
	i := strings.LastIndex(p, "/projects/")
	if i < 0 {
		return "", 0, usageErr{fmt.Errorf("-url %q does not end in /projects/<id>", s)}
	}
	id, err := strconv.ParseInt(p[i+len("/projects/"):], 10, 64)
	if err != nil || id <= 0 {
		return "", 0, usageErr{fmt.Errorf("-url %q: the project id must be a positive integer", s)}
	}
	base := strings.TrimSuffix(p[:i], "/api")
	u.Path, u.RawPath, u.RawQuery, u.Fragment = base, "", "", ""
	return u.String(), id, nil
}

// secret reads a token given as a value or as the path of a file holding
// it, falling back to the environment variable env.
func secret(v, env string) (string, error) {
	if v == "" {
		v = os.Getenv(env)
	}
	if v == "" {
		return "", authErr{fmt.Errorf("no token: use -token or $%s", env)}
	}
	if st, err := os.Stat(v); err == nil && st.Mode().IsRegular() {
		b, err := os.ReadFile(v)
		if err != nil {
			return "", fmt.Errorf("reading the token file: %w", err)
		}
		v = string(b)
	}
	return strings.TrimSpace(v), nil
}

// usageErr is a bad command line; authErr a missing token; inputErr a file
// the CLI refuses.
type (
	usageErr struct{ error }
	authErr  struct{ error }
	inputErr struct{ error }
)

func (e usageErr) Unwrap() error { return e.error }
func (e authErr) Unwrap() error  { return e.error }
func (e inputErr) Unwrap() error { return e.error }

// exitCode maps an error to the exit codes of cli.go. Local file-system
// errors are checked before the network ones: a syscall.Errno satisfies
// net.Error, so "mkdir x: not a directory" would otherwise read as an
// unreachable server.
func exitCode(err error) int {
	var (
		apiErr  *client.Error
		jobErr  *client.JobError
		opErr   *net.OpError
		urlErr  *url.Error
		pathErr *fs.PathError
		linkErr *os.LinkError
		sysErr  *os.SyscallError
		errno   syscall.Errno
		netErr  net.Error
		uErr    usageErr
		aErr    authErr
		iErr    inputErr
	)
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &uErr):
		return ExitUsage
	case errors.As(err, &aErr):
		return ExitAuth
	case errors.As(err, &iErr):
		return ExitBadInput
	case errors.As(err, &jobErr):
		return ExitJobFailed
	case errors.As(err, &apiErr):
		return statusExit(apiErr.Status)
	case errors.Is(err, context.Canceled):
		return ExitFailure // interrupted by a signal
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &opErr), errors.As(err, &urlErr):
		// Only the HTTP client makes *url.Error and *net.OpError: they are
		// failures talking to the server (dial, timeouts, resets).
		return ExitUnavailable
	case errors.As(err, &pathErr), errors.As(err, &linkErr), errors.As(err, &sysErr), errors.As(err, &errno):
		return ExitFailure
	case errors.As(err, &netErr):
		return ExitUnavailable
	}
	return ExitFailure
}

func statusExit(status int) int {
	switch {
	case status == 401 || status == 403:
		return ExitAuth
	case status == 404 || status == 410: // 410: an expired download
		return ExitNotFound
	case status == 408 || status == 429 || status >= 500:
		return ExitUnavailable
	case status >= 400:
		return ExitBadInput
	}
	return ExitFailure
}

// parseFlags parses args; ok is false when the mode must end with code.
// With -json in args, a bad command line also prints the JSON result line.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) (code int, ok bool) {
	mode := strings.TrimPrefix(fs.Name(), "tolk ")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK, false
		}
		usageJSON(stdout, mode, jsonRequested(args), err.Error())
		return ExitUsage, false
	}
	if fs.NArg() > 0 {
		msg := fmt.Sprintf("unexpected argument %q", fs.Arg(0))
		fmt.Fprintf(fs.Output(), "%s: %s\n", fs.Name(), msg)
		usageJSON(stdout, mode, jsonRequested(args), msg)
		return ExitUsage, false
	}
	return 0, true
}

func usageError(stdout, stderr io.Writer, mode string, asJSON bool, msg string) int {
	fmt.Fprintf(stderr, "tolk %s: %s (see tolk %s -h)\n", mode, msg, mode)
	usageJSON(stdout, mode, asJSON, msg)
	return ExitUsage
}

// usageJSON prints the -json result line of a bad command line.
func usageJSON(stdout io.Writer, mode string, asJSON bool, msg string) {
	if asJSON {
		writeJSON(stdout, map[string]any{"mode": mode, "ok": false, "exitCode": ExitUsage, "error": msg})
	}
}

// jsonRequested tells whether args ask for -json, for the errors found
// before (or while) the flags are parsed.
func jsonRequested(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-json", "--json", "-json=true", "--json=true", "-json=1", "--json=1":
			return true
		}
	}
	return false
}

// modeUsage prints a mode's synopsis, description, options and exit codes.
func modeUsage(fs *flag.FlagSet, w io.Writer, synopsis, about string) func() {
	return func() {
		fmt.Fprintf(w, "usage: %s\n\n%s\n\nOptions (-name and --name both work):\n", synopsis, strings.TrimSpace(about))
		fs.PrintDefaults()
		fmt.Fprint(w, exitCodesHelp)
	}
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// output prints a mode's result: a human line on stdout, or with -json one
// JSON object; errors on stderr; progress on stderr only when it is a
// terminal, so that CI logs stay clean.
type output struct {
	mode           string
	stdout, stderr io.Writer
	json           bool
	tty            bool
	drawn          bool      // a progress line is on screen
	last           time.Time // of the last progress line, to draw at most 10 a second
	dlStart        time.Time
}

func newOutput(mode string, stdout, stderr io.Writer, asJSON bool) *output {
	o := &output{mode: mode, stdout: stdout, stderr: stderr, json: asJSON}
	if f, ok := stderr.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			o.tty = true
		}
	}
	return o
}

// fail reports err and returns its exit code.
func (o *output) fail(err error) int {
	o.endProgress()
	code := exitCode(err)
	msg := err.Error()
	if errors.Is(err, context.Canceled) {
		msg = "interrupted: " + msg
	}
	fmt.Fprintf(o.stderr, "tolk %s: %s\n", o.mode, msg)
	if o.json {
		writeJSON(o.stdout, map[string]any{"mode": o.mode, "ok": false, "exitCode": code, "error": msg})
	}
	return code
}

// ok reports success.
func (o *output) ok(fields map[string]any, human string) int {
	o.endProgress()
	if o.json {
		fields["mode"], fields["ok"] = o.mode, true
		writeJSON(o.stdout, fields)
	} else {
		fmt.Fprintln(o.stdout, human)
	}
	return ExitOK
}

// status draws a progress line.
func (o *output) status(format string, args ...any) {
	if !o.tty {
		return
	}
	fmt.Fprintf(o.stderr, "\r\033[K"+format, args...)
	o.drawn = true
}

func (o *output) endProgress() {
	if o.drawn {
		fmt.Fprint(o.stderr, "\r\033[K")
		o.drawn = false
	}
}

// progress draws an export's advance.
func (o *output) progress(p client.Progress) {
	if !o.tty {
		return
	}
	switch p.Stage {
	case client.StageConnecting:
		o.status("connecting…")
	case client.StageQueued:
		o.status("job %d queued…", p.JobID)
	case client.StageRunning:
		switch {
		case p.Total > 0:
			o.status("job %d: building %d/%d files…", p.JobID, p.Files, p.Total)
		case p.Step != "":
			o.status("job %d: %s…", p.JobID, p.Step)
		default:
			o.status("job %d: building…", p.JobID)
		}
	case client.StageDownloading:
		if o.dlStart.IsZero() {
			o.dlStart = time.Now()
		}
		if time.Since(o.last) < 100*time.Millisecond && p.Bytes != p.Size {
			return
		}
		o.last = time.Now()
		rate := float64(p.Bytes) / max(time.Since(o.dlStart).Seconds(), 0.001)
		o.status("downloading %s of %s (%s/s)…", humanBytes(float64(p.Bytes)), humanBytes(float64(p.Size)), humanBytes(rate))
	}
}

func humanBytes(n float64) string {
	units := []string{"B", "KiB", "MiB", "GiB"}
	i := 0
	for n >= 1024 && i < len(units)-1 {
		n /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f %s", n, units[i])
	}
	return fmt.Sprintf("%.1f %s", n, units[i])
}

func writeJSON(w io.Writer, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(`{"ok":false,"error":"encoding the result"}`)
	}
	fmt.Fprintf(w, "%s\n", b)
}
