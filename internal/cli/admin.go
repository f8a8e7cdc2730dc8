package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/tolk-l10n/tolk/client"
)

// The administration modes: projects, tokens and target rules, with the
// admin token.

func init() {
	register(command{name: "projects", usage: "create or list projects (create | list)", run: runProjects})
	register(command{name: "tokens", usage: "create a project token (create)", run: runTokens})
	register(command{name: "rules", usage: "set a project's target rule (set)", run: runRules})
}

const adminHelp = `
The server is -server or $TOLK_SERVER (default http://127.0.0.1:8080); the
admin token is -admin-token (the token itself, or the path of a file
holding it) or $TOLK_ADMIN_TOKEN.
`

// adminFlags are the options of the administration modes.
type adminFlags struct {
	server, token string
	json          bool
}

func newAdminFlags(name string, stderr io.Writer) (*flag.FlagSet, *adminFlags) {
	fs := flag.NewFlagSet("tolk "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	af := &adminFlags{}
	def := os.Getenv("TOLK_SERVER")
	if def == "" {
		def = "http://127.0.0.1:8080"
	}
	fs.StringVar(&af.server, "server", def, "server URL [$TOLK_SERVER]")
	fs.StringVar(&af.token, "admin-token", "", "admin token, or the path of a file holding it [$TOLK_ADMIN_TOKEN]")
	fs.BoolVar(&af.json, "json", false, "print one machine-readable JSON result line on stdout")
	return fs, af
}

func (af *adminFlags) client() (*client.Client, error) {
	token, err := secret(af.token, "TOLK_ADMIN_TOKEN")
	if err != nil {
		return nil, err
	}
	c, err := client.New(af.server, token)
	if err != nil {
		return nil, usageErr{err}
	}
	return c, nil
}

// subcommand splits "create -name x" into the verb and its options.
func subcommand(mode string, args []string, verbs string, stdout, stderr io.Writer) (string, []string, bool) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			fmt.Fprintf(stderr, "usage: tolk %s %s [options]; tolk %s <verb> -h for its options\n", mode, verbs, mode)
			fmt.Fprint(stderr, adminHelp+exitCodesHelp)
			return "", nil, false
		}
		msg := fmt.Sprintf("missing verb (%s)", verbs)
		fmt.Fprintf(stderr, "tolk %s: %s\n", mode, msg)
		usageJSON(stdout, mode, jsonRequested(args), msg)
		return "", nil, false
	}
	return args[0], args[1:], true
}

func runProjects(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	verb, rest, ok := subcommand("projects", args, "create | list", stdout, stderr)
	if !ok {
		return helpOrUsage(args)
	}
	fs, af := newAdminFlags("projects "+verb, stderr)
	switch verb {
	case "create":
		name := fs.String("name", "", "project name (required)")
		source := fs.String("source", "en", "source locale")
		targets := fs.String("targets", "", "comma-separated target locales (required)")
		pseudo := fs.String("pseudo", "", "pseudo locale (default: the server's)")
		fs.Usage = modeUsage(fs, stderr, "tolk projects create -name web -source en -targets de-DE,ja-JP", "Creates a project and prints its id."+adminHelp)
		if code, ok := parseFlags(fs, rest, stdout); !ok {
			return code
		}
		if *name == "" || *targets == "" {
			return usageError(stdout, stderr, "projects create", af.json, "-name and -targets are required")
		}
		return adminRun(ctx, "projects create", af, stdout, stderr, func(ctx context.Context, c *client.Client) (map[string]any, string, error) {
			p, err := c.CreateProject(ctx, client.ProjectCreate{Name: *name, SourceLocale: *source, TargetLocales: splitList(*targets), PseudoLocale: *pseudo})
			if err != nil {
				return nil, "", err
			}
			return map[string]any{"project": p}, fmt.Sprint(p.ID), nil
		})
	case "list":
		fs.Usage = modeUsage(fs, stderr, "tolk projects list", "Lists the projects: id, name, source and target locales."+adminHelp)
		if code, ok := parseFlags(fs, rest, stdout); !ok {
			return code
		}
		return adminRun(ctx, "projects list", af, stdout, stderr, func(ctx context.Context, c *client.Client) (map[string]any, string, error) {
			ps, err := c.Projects(ctx)
			if err != nil {
				return nil, "", err
			}
			var b strings.Builder
			for i, p := range ps {
				if i > 0 {
					b.WriteByte('\n')
				}
				fmt.Fprintf(&b, "%d\t%s\t%s\t%s", p.ID, p.Name, p.SourceLocale, strings.Join(p.TargetLocales, ","))
			}
			return map[string]any{"projects": ps}, b.String(), nil
		})
	}
	return usageError(stdout, stderr, "projects", jsonRequested(args), fmt.Sprintf("unknown verb %q (create | list)", verb))
}

func runTokens(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	verb, rest, ok := subcommand("tokens", args, "create", stdout, stderr)
	if !ok {
		return helpOrUsage(args)
	}
	if verb != "create" {
		return usageError(stdout, stderr, "tokens", jsonRequested(args), fmt.Sprintf("unknown verb %q (create)", verb))
	}
	fs, af := newAdminFlags("tokens create", stderr)
	project := fs.Int64("project", 0, "project id (required)")
	name := fs.String("name", "", "token name (required)")
	perms := fs.String("permissions", "", "comma-separated permissions (required): "+strings.Join([]string{
		client.PermSettings, client.PermUploadWorkspace, client.PermDownloadWorkspace,
		client.PermUploadTranslations, client.PermDownloadTranslations, client.PermTokenize}, ", "))
	fs.Usage = modeUsage(fs, stderr, "tolk tokens create -project 1 -name ci -permissions tokenize,download-translations",
		"Creates a project token and prints its secret, which is shown only this once."+adminHelp)
	if code, ok := parseFlags(fs, rest, stdout); !ok {
		return code
	}
	if *project <= 0 || *name == "" || *perms == "" {
		return usageError(stdout, stderr, "tokens create", af.json, "-project, -name and -permissions are required")
	}
	return adminRun(ctx, "tokens create", af, stdout, stderr, func(ctx context.Context, c *client.Client) (map[string]any, string, error) {
		t, err := c.CreateToken(ctx, *project, *name, splitList(*perms))
		if err != nil {
			return nil, "", err
		}
		return map[string]any{"token": t}, t.Secret, nil
	})
}

func runRules(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	verb, rest, ok := subcommand("rules", args, "set", stdout, stderr)
	if !ok {
		return helpOrUsage(args)
	}
	if verb != "set" {
		return usageError(stdout, stderr, "rules", jsonRequested(args), fmt.Sprintf("unknown verb %q (set)", verb))
	}
	fs, af := newAdminFlags("rules set", stderr)
	project := fs.Int64("project", 0, "project id (required)")
	id := fs.String("id", "", "rule id, e.g. TR_json (required)")
	rule := fs.String("rule", "", "the rule, e.g. '$(sourceFilePath)/$(targetLocale)$(sourceFileExt)' (required)")
	fs.Usage = modeUsage(fs, stderr, "tolk rules set -project 1 -id TR_json -rule '$(sourceFilePath)/$(targetLocale)$(sourceFileExt)'",
		"Creates or replaces a target rule. Variables: $(sourceFilePath) $(sourceFileName) $(sourceFileNameNoExt)\n$(sourceFileExt) $(targetLocale) $(targetLocaleUnderscore) $(targetLanguage) $(targetRegion)."+adminHelp)
	if code, ok := parseFlags(fs, rest, stdout); !ok {
		return code
	}
	if *project <= 0 || *id == "" || *rule == "" {
		return usageError(stdout, stderr, "rules set", af.json, "-project, -id and -rule are required")
	}
	return adminRun(ctx, "rules set", af, stdout, stderr, func(ctx context.Context, c *client.Client) (map[string]any, string, error) {
		r, err := c.SetTargetRule(ctx, *project, *id, *rule)
		if err != nil {
			return nil, "", err
		}
		return map[string]any{"rule": r}, r.ID + " = " + r.Rule, nil
	})
}

// helpOrUsage is the exit code after subcommand printed help or an error.
func helpOrUsage(args []string) int {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		return ExitOK
	}
	return ExitUsage
}

// adminRun runs one administration call with a timeout and prints its
// result.
func adminRun(ctx context.Context, mode string, af *adminFlags, stdout, stderr io.Writer,
	call func(context.Context, *client.Client) (map[string]any, string, error)) int {
	out := newOutput(mode, stdout, stderr, af.json)
	c, err := af.client()
	if err != nil {
		return out.fail(err)
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	fields, human, err := call(ctx, c)
	if err != nil {
		return out.fail(err)
	}
	return out.ok(fields, human)
}
