// Package client is the Go SDK of the tolk localization server.
//
// It wraps the REST API (projects, tokens, target rules, file and
// translation uploads, job status) and the asynchronous export flow of the
// process API: connect a Socket.IO client, join the project's process room,
// POST the export, wait for the completion event of this very job, download
// the ZIP, verify it, leave the room.
//
// The export flow is robust by default: every call honours its context; a
// socket that reconnects while waiting re-joins the room and asks the job's
// state over HTTP; when no socket can be opened at all the client polls the
// job status with backoff; a failed job is a *JobError carrying the server's
// message; an HTTP error is a *Error decoded from application/problem+json,
// and is never written where the ZIP should go. A server that accepts
// connections but never answers fails after DefaultResponseHeaderTimeout
// (WithResponseHeaderTimeout); bodies, long downloads included, are not
// bounded by it. The token is sent only to the server's own origin, never
// to a download URL on another host.
//
// The package depends only on the standard library and
// github.com/coder/websocket (through its socketio subpackage).
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults of the client's tunables.
const (
	DefaultSocketConnectTimeout = 10 * time.Second
	DefaultSafetyPollInterval   = 10 * time.Second
	DefaultPollIntervalMax      = 2 * time.Second
	// DefaultResponseHeaderTimeout bounds the wait for the status line and
	// headers of every answer, so that a server that accepts connections
	// but never answers fails promptly; bodies (long downloads) are not
	// bounded by it.
	DefaultResponseHeaderTimeout = 60 * time.Second
	// DefaultDialTimeout bounds opening a TCP connection to the server.
	DefaultDialTimeout = 10 * time.Second
	userAgent          = "tolk-go-client/1"
)

// Client talks to one tolk server with one token. It is safe for concurrent
// use; each Export has its own socket.
type Client struct {
	base       *url.URL
	token      string
	http       *http.Client
	tenant     string
	socketPath string
	noSocket   bool
	log        *slog.Logger

	socketConnectTimeout time.Duration
	safetyPoll           time.Duration
	pollMax              time.Duration
	headerTimeout        time.Duration
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client used for REST calls, downloads and
// the WebSocket handshake. Its timeouts are its own: WithResponseHeaderTimeout
// and the default dial timeout apply only to the client's own transport.
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.http = h } }

// WithResponseHeaderTimeout sets how long the client waits for an answer's
// headers (default DefaultResponseHeaderTimeout); reading a body is not
// bounded by it. It has no effect together with WithHTTPClient.
func WithResponseHeaderTimeout(d time.Duration) Option {
	return func(c *Client) { c.headerTimeout = d }
}

// WithTenant overrides the tenant id sent with joinProcessRoom, which is
// otherwise the server URL's host name with "." replaced by "_".
func WithTenant(tenant string) Option { return func(c *Client) { c.tenant = tenant } }

// WithSocketPath overrides the Socket.IO path (default "/socket.io/").
func WithSocketPath(path string) Option { return func(c *Client) { c.socketPath = path } }

// WithoutSocket makes exports poll the job status instead of waiting for
// the Socket.IO event.
func WithoutSocket() Option { return func(c *Client) { c.noSocket = true } }

// WithLogger sets a logger for the client's diagnostics (default: discard).
func WithLogger(l *slog.Logger) Option { return func(c *Client) { c.log = l } }

// WithPolling tunes how often the job status is read over HTTP: safety is
// the interval of the check made while waiting for the socket event (which
// also catches lost events), max the longest interval between two polls
// when there is no socket.
func WithPolling(safety, max time.Duration) Option {
	return func(c *Client) {
		if safety > 0 {
			c.safetyPoll = safety
		}
		if max > 0 {
			c.pollMax = max
		}
	}
}

// WithSocketConnectTimeout bounds the first Socket.IO connection attempt of
// an export; after it, the export falls back to polling.
func WithSocketConnectTimeout(d time.Duration) Option {
	return func(c *Client) { c.socketConnectTimeout = d }
}

// New returns a client for the server at serverURL (e.g.
// "http://127.0.0.1:8080") that authenticates with token (a project token
// or the admin token).
func New(serverURL, token string, options ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(serverURL, "/"))
	if err != nil {
		return nil, fmt.Errorf("parsing server URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("server URL %q: want http(s)://host[:port]", serverURL)
	}
	c := &Client{
		base:                 u,
		token:                token,
		tenant:               TenantID(u.Hostname()),
		socketConnectTimeout: DefaultSocketConnectTimeout,
		safetyPoll:           DefaultSafetyPollInterval,
		pollMax:              DefaultPollIntervalMax,
		headerTimeout:        DefaultResponseHeaderTimeout,
	}
	for _, o := range options {
		o(c)
	}
	if c.http == nil {
		c.http = defaultHTTPClient(c.headerTimeout)
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	return c, nil
}

// defaultHTTPClient is http.DefaultTransport with a dial timeout and a
// response header timeout. It sets no overall Timeout: that would cut long
// downloads (and the WebSocket library refuses it).
func defaultHTTPClient(header time.Duration) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	d := &net.Dialer{Timeout: DefaultDialTimeout, KeepAlive: 30 * time.Second}
	t.DialContext = d.DialContext
	t.ResponseHeaderTimeout = header
	return &http.Client{Transport: t}
}

// TenantID turns a host name into the tenant id of the process rooms:
// every "." becomes "_".
func TenantID(host string) string { return strings.ReplaceAll(host, ".", "_") }

// ServerURL returns the server's base URL.
func (c *Client) ServerURL() string { return c.base.String() }

// Tenant returns the tenant id the client joins rooms with.
func (c *Client) Tenant() string { return c.tenant }

// endpoint resolves an API path (with optional query) against the server URL.
func (c *Client) endpoint(path string, query url.Values) string {
	u := *c.base
	u.Path = strings.TrimRight(c.base.Path, "/") + path
	u.RawPath = ""
	u.RawQuery = query.Encode()
	return u.String()
}

// newRequest builds an authenticated request; path may be absolute (a URL
// the server gave) or an API path.
func (c *Client) newRequest(ctx context.Context, method, target string, body io.Reader) (*http.Request, error) {
	if strings.HasPrefix(target, "/") {
		target = c.endpoint(target, nil)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return nil, fmt.Errorf("building %s request: %w", method, err)
	}
	if c.token != "" && c.sameOrigin(req.URL) {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	req.Header.Set("User-Agent", userAgent)
	return req, nil
}

// sameOrigin tells whether u is on the server (same scheme, host and
// port): only there does the token go, never to a download URL on another
// host (a storage service, say).
func (c *Client) sameOrigin(u *url.URL) bool {
	return strings.EqualFold(u.Scheme, c.base.Scheme) && strings.EqualFold(u.Host, c.base.Host)
}

// doJSON sends in (when not nil) as JSON and decodes a 2xx answer into out
// (when not nil). Any other status becomes a *Error.
func (c *Client) doJSON(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("encoding %s %s: %w", method, path, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := c.newRequest(ctx, method, path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	_, err = c.send(req, out)
	return err
}

// send performs req, decodes its JSON answer into out and returns the
// status code.
func (c *Client) send(req *http.Request, out any) (int, error) {
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, readError(resp)
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return resp.StatusCode, fmt.Errorf("%s %s: decoding the answer: %w", req.Method, req.URL.Path, err)
	}
	return resp.StatusCode, nil
}
