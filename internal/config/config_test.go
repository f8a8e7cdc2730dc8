package config

import (
	"io"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	env := map[string]string{"TOLK_WORKERS": "3", "TOLK_ADDR": "127.0.0.1:9000"}
	c, err := Parse([]string{"--addr", "127.0.0.1:7000", "--retention", "1h"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:7000" {
		t.Errorf("flag must win over env: Addr = %q", c.Addr)
	}
	if c.Workers != 3 {
		t.Errorf("env must win over default: Workers = %d", c.Workers)
	}
	if c.Retention != time.Hour || c.JobTimeout != 10*time.Minute {
		t.Errorf("Retention = %v, JobTimeout = %v", c.Retention, c.JobTimeout)
	}
	if got := c.Tenant(); got != "127_0_0_1" {
		t.Errorf("Tenant() = %q, want 127_0_0_1", got)
	}
}

func TestTenant(t *testing.T) {
	tests := map[string]string{
		"https://acme.example.com":      "acme_example_com",
		"http://acme.example.com:8443/": "acme_example_com",
		"http://:8080":                  "localhost",
		"http://[::1]:8080":             "::1",
	}
	for in, want := range tests {
		if got := (Config{PublicURL: in}).Tenant(); got != want {
			t.Errorf("Tenant(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, args := range [][]string{
		{"--workers", "-1"}, {"--retention", "0s"}, {"--log-level", "loud"}, {"stray"},
	} {
		if _, err := Parse(args, func(string) string { return "" }, io.Discard); err == nil {
			t.Errorf("Parse(%v) accepted bad input", args)
		}
	}
}
