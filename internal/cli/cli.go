// Package cli implements the tolk command: the server (serve) and the client
// modes a CI pipeline calls (upload, download, pseudo, align, projects,
// tokens, rules).
package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes, one per kind of failure, so that a pipeline can tell them apart.
const (
	ExitOK          = 0
	ExitFailure     = 1 // anything not listed below
	ExitUsage       = 2 // bad command line
	ExitAuth        = 3 // token missing, invalid or without permission (401/403)
	ExitNotFound    = 4 // project, file or job unknown (404)
	ExitUnavailable = 5 // server unreachable or not answering
	ExitJobFailed   = 6 // the export job failed on the server
	ExitBadInput    = 7 // a file or manifest the server or the CLI refused (4xx)
)

// command is one mode of the tolk binary.
type command struct {
	name  string
	usage string
	run   func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands is filled by the files of this package, one per mode.
var commands []command

func register(c command) { commands = append(commands, c) }

// Main runs the tolk command with args (without the program name) and
// returns its exit code.
func Main(args []string) int {
	return run(args, os.Stdout, os.Stderr)
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "tolk: unknown command %q\n\n", args[0])
	usage(stderr)
	return ExitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: tolk <command> [options]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.usage)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'tolk <command> -h' for a command's options.")
}
