// Package config reads the server's options from flags and environment
// variables. Every option is one row of options; a flag wins over its
// variable, which wins over the default.
package config

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Config is the server's configuration.
type Config struct {
	Addr       string
	DataDir    string
	PublicURL  string
	AdminToken string
	Workers    int
	PerProject int
	JobTimeout time.Duration
	Retention  time.Duration
	LogLevel   string
	LogFormat  string
}

type option struct {
	flag, env, def, doc string
	secret              bool
	set                 func(c *Config, v string) error
}

var options = []option{
	{"addr", "TOLK_ADDR", "127.0.0.1:8080", "address to listen on", false,
		func(c *Config, v string) error { c.Addr = v; return nil }},
	{"data", "TOLK_DATA", "./tolk-data", "folder for the database and the exported ZIPs (created if missing)", false,
		func(c *Config, v string) error { c.DataDir = v; return nil }},
	{"public-url", "TOLK_PUBLIC_URL", "", "URL clients use to reach the server; its host is the tenant id (default: http://<addr>)", false,
		func(c *Config, v string) error { c.PublicURL = v; return nil }},
	{"admin-token", "TOLK_ADMIN_TOKEN", "", "admin token; when unset on first start one is generated and printed once", true,
		func(c *Config, v string) error { c.AdminToken = v; return nil }},
	{"workers", "TOLK_WORKERS", strconv.Itoa(runtime.NumCPU()), "export jobs this node builds at once; 0 accepts jobs but builds none", false,
		func(c *Config, v string) (err error) { c.Workers, err = nonNegative(v); return err }},
	{"per-project", "TOLK_PER_PROJECT", "0", "exports of one project built at once; 0 means half the workers (at least 1), so one project never holds every worker", false,
		func(c *Config, v string) (err error) { c.PerProject, err = nonNegative(v); return err }},
	{"job-timeout", "TOLK_JOB_TIMEOUT", "10m", "longest an export attempt may run; past it the export fails with that reason", false,
		func(c *Config, v string) (err error) { c.JobTimeout, err = positiveDuration(v); return err }},
	{"retention", "TOLK_RETENTION", "24h", "how long a finished export stays downloadable", false,
		func(c *Config, v string) (err error) { c.Retention, err = positiveDuration(v); return err }},
	{"log-level", "TOLK_LOG_LEVEL", "info", "debug, info, warn or error", false,
		func(c *Config, v string) error { c.LogLevel = v; return oneOf(v, "debug", "info", "warn", "error") }},
	{"log-format", "TOLK_LOG_FORMAT", "text", "text or json", false,
		func(c *Config, v string) error { c.LogFormat = v; return oneOf(v, "text", "json") }},
}

// Parse reads args (the options after "serve") and the environment.
func Parse(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	fs := flag.NewFlagSet("tolk serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	vals := make([]*string, len(options))
	for i, o := range options {
		def := o.def
		if v := getenv(o.env); v != "" {
			def = v
		}
		vals[i] = fs.String(o.flag, def, fmt.Sprintf("%s [$%s]", o.doc, o.env))
	}
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: tolk serve [options]")
		fmt.Fprintln(stderr, "\nEach option can also be set by the environment variable in brackets.")
		fmt.Fprintln(stderr)
		for _, o := range options {
			def := o.def
			if o.secret {
				def = ""
			}
			fmt.Fprintf(stderr, "  --%-12s %s [$%s]", o.flag, o.doc, o.env)
			if def != "" {
				fmt.Fprintf(stderr, " (default %s)", def)
			}
			fmt.Fprintln(stderr)
		}
	}
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var c Config
	for i, o := range options {
		if err := o.set(&c, *vals[i]); err != nil {
			return Config{}, fmt.Errorf("--%s: %w", o.flag, err)
		}
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.Addr
	}
	if u, err := url.Parse(c.PublicURL); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return Config{}, fmt.Errorf("--public-url %q: want an absolute http(s) URL such as https://tolk.example.com", c.PublicURL)
	}
	return c, nil
}

// Tenant is the tenant id clients send in joinProcessRoom: the host of the
// public URL with every "." replaced by "_" ("localhost" when it has none).
func (c Config) Tenant() string {
	host := c.PublicURL
	if u, err := url.Parse(c.PublicURL); err == nil && u.Host != "" {
		host = u.Host
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "" {
		host = "localhost"
	}
	return strings.ReplaceAll(host, ".", "_")
}

// Getenv is os.Getenv, for callers of Parse.
var Getenv = os.Getenv

func nonNegative(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a non-negative integer", v)
	}
	return n, nil
}

func positiveDuration(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a positive duration such as 10m or 24h", v)
	}
	return d, nil
}

func oneOf(v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return fmt.Errorf("%q is not one of %s", v, strings.Join(allowed, ", "))
}
