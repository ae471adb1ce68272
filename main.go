// Command fix401 finds out why the Claude API answers 401 Unauthorized and
// walks you to a working key. See README.md.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"
	"unicode"

	"github.com/charmbracelet/x/term"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/creds"
	"github.com/fix401/fix401/probe/demo"
	"github.com/fix401/fix401/probe/lint"
	"github.com/fix401/fix401/probe/stub"
	"github.com/fix401/fix401/steps"
	"github.com/fix401/fix401/ui"
	"github.com/fix401/fix401/ui/apply"
	"github.com/fix401/fix401/ui/text"
)

// version is the tool's version; release builds may set it with -ldflags.
var version = "0.1.0"

func init() { probe.UserAgent = "fix401/" + version }

// Exit statuses (DESIGN.md).
const (
	exitOK      = 0 // the key works
	exitProblem = 1 // a problem was diagnosed
	exitUsage   = 2 // the command line was wrong
)

// stopSignals are the signals that end fix401 the orderly way: probes
// cancelled, the terminal restored, the demo's temporary folder removed.
// SIGHUP is a closed terminal window.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

func main() {
	// Output into a closed pipe (fix401 check | head -1) must not kill the
	// process before its defers run: the write fails instead.
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals...)
	code := run(ctx, os.Args[1:], ioEnv{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		vars: environ(os.Environ()), tty: term.IsTerminal(os.Stdout.Fd()) && term.IsTerminal(os.Stdin.Fd()),
		managedDir: probe.DefaultManagedDir(),
		progress:   term.IsTerminal(os.Stderr.Fd()) && os.Getenv("TERM") != "dumb",
	})
	stop()
	os.Exit(code)
}

// ioEnv is the outside world of one invocation, injected so tests run the
// real command line without a terminal.
type ioEnv struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	vars           map[string]string
	tty            bool // stdout (and stdin) are a terminal: the wizard may run
	// progress: stderr is a terminal, so check and report may show how
	// many probes have answered, on one line they clear at the end.
	progress bool
	// demoTimeout, when positive, replaces the demo's limit per network
	// attempt (demo.Timeout) in fix401 demo. Only tests set it: on a loaded
	// machine the stub may take longer than the demo's few seconds to answer.
	demoTimeout time.Duration
	// wizardIn and wizardOut, when set, are the wizard's terminal (tests).
	wizardIn  io.Reader
	wizardOut io.Writer
	// managedDir is Claude Code's managed settings directory
	// (probe.DefaultManagedDir() for real runs; tests leave it empty so
	// they never read this machine's /etc).
	managedDir string
}

func environ(kv []string) map[string]string {
	m := make(map[string]string, len(kv))
	for _, e := range kv {
		if k, v, ok := strings.Cut(e, "="); ok {
			m[k] = v
		}
	}
	return m
}

// usageError is a command-line mistake: exit 2 with a hint.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

const usageText = `fix401 finds out why the Claude API answers 401 Unauthorized, and walks you to a working key.

Usage:
  fix401 [flags]                 the wizard (on a terminal); otherwise the same as 'fix401 check'
  fix401 check [--format F] [flags]
                                 run every probe once and print the checklist as text, one JSON
                                 object (json, or --json), or GitHub Actions annotations (github)
  fix401 report [-o FILE] [--json] [flags]
                                 the sanitized support summary (Markdown), ready to paste
  fix401 fix [--dry-run|--yes|--undo] [flags]
                                 fix the files behind the 401: diff, ask, back up, apply, check again
  fix401 lint [--json] [FILE|-]  lint the request your code sends: a curl command, raw HTTP, or source
  fix401 demo [--list] [SCENARIO]
                                 the wizard against the built-in stub (no key, no network)
  fix401 stub [--list] [--scenario S] [--addr 127.0.0.1:8401]
                                 serve the stub API to rehearse failures in your own app
  fix401 version                 print the version

Run 'fix401 COMMAND --help' for a command's flags.

Exit status of the wizard, check and report: 0 the key works, 1 a problem was
diagnosed (or the run was interrupted, or the wizard quit before its probes
finished), 2 usage error. The wizard's status follows what your app loads, in
this terminal and in a new one: a key pasted into it counts once saved.
`

func run(ctx context.Context, args []string, sys ioEnv) int {
	cmd := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "":
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			printUsage(sys.stdout)
			return exitOK
		}
		if len(args) == 1 && (args[0] == "--version" || args[0] == "-version") {
			return run(ctx, []string{"version"}, sys)
		}
		return runCheck(ctx, "fix401", args, sys, !sys.tty)
	case "check":
		return runCheck(ctx, "check", args, sys, true)
	case "report":
		return runReport(ctx, args, sys)
	case "fix":
		return runFix(ctx, args, sys)
	case "lint":
		return runLint(args, sys)
	case "demo":
		return runDemo(ctx, args, sys)
	case "stub":
		err = runStub(ctx, args, sys)
	case "version":
		fmt.Fprintf(sys.stdout, "fix401 %s (%s %s/%s)\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
		return exitOK
	case "help":
		if len(args) > 0 {
			return run(ctx, []string{args[0], "--help"}, sys)
		}
		printUsage(sys.stdout)
		return exitOK
	default:
		err = usagef("unknown command %q", cmd)
	}
	return finish(err, sys)
}

// printUsage prints the overview and the flags shared by the wizard,
// check and report.
func printUsage(w io.Writer) {
	fmt.Fprint(w, usageText)
	fmt.Fprintln(w, "\nFlags of the wizard, check and report:")
	fs := flag.NewFlagSet("fix401", flag.ContinueOnError)
	new(common).register(fs)
	printFlags(w, fs)
}

// printFlags lists flags the GNU way (--name), which is how people type
// them; Go's flag package accepts both.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		kind, usage := flag.UnquoteUsage(f)
		dash := "--"
		if len(f.Name) == 1 {
			dash = "-"
		}
		line := "  " + dash + f.Name
		if kind != "" {
			line += " " + kind
		}
		if d := f.DefValue; d != "" && d != "false" && d != "0" {
			usage += " (default " + d + ")"
		}
		fmt.Fprintf(w, "%-24s %s\n", line, usage)
	})
}

// finish turns an error into a message on stderr and an exit status.
func finish(err error, sys ioEnv) int {
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(sys.stderr, "fix401: %s\nRun 'fix401 --help' for usage.\n", probe.Redact(ue.msg))
		return exitUsage
	}
	fmt.Fprintf(sys.stderr, "fix401: %s\n", probe.Redact(err.Error()))
	return exitProblem
}

// common holds the flags shared by the wizard, check and report.
type common struct {
	baseURL, statusURL, dir, model string
	client, workspace              string
	lint                           fileList
	timeout                        time.Duration
	keyStdin, adminKeyStdin        bool
	noColor                        bool
}

// flags is one command's flag set with its usage text. Its --help goes to
// stdout (it was asked for); parse errors go back to the caller.
type flags struct {
	*flag.FlagSet
	usage  string
	stdout io.Writer
}

func newFlagSet(name, usage string, sys ioEnv) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // finish reports errors, once
	return &flags{FlagSet: fs, usage: usage, stdout: sys.stdout}
}

// parseFlags parses args; -h and --help print the usage and return
// flag.ErrHelp.
func (fs *flags) parseFlags(args []string) error {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "--help" || a == "-help" {
			fmt.Fprint(fs.stdout, fs.usage)
			fmt.Fprintln(fs.stdout, "\nFlags:")
			printFlags(fs.stdout, fs.FlagSet)
			return flag.ErrHelp
		}
	}
	if err := fs.Parse(args); err != nil {
		return usagef("%s: %v", fs.Name(), err)
	}
	return nil
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.baseURL, "base-url", "", "the `URL` of the API to probe (default $ANTHROPIC_BASE_URL, else https://api.anthropic.com)")
	fs.StringVar(&c.statusURL, "status-url", probe.DefaultStatusURL, "the Statuspage `URL` to read (its /api/v2/summary.json)")
	fs.StringVar(&c.dir, "dir", ".", "the project `DIR` to inspect: .env files, SDK versions, sources")
	fs.StringVar(&c.model, "model", "", "the model `ID` your code uses; checked to exist for this key")
	fs.DurationVar(&c.timeout, "timeout", probe.DefaultTimeout, "time limit for the network probes, which run at once and share it, a `duration` like 5s")
	fs.BoolVar(&c.keyStdin, "key-stdin", false, "read the key to test from stdin (a key is never taken as a flag value)")
	fs.BoolVar(&c.adminKeyStdin, "admin-key-stdin", false, "read an Admin key from stdin, used only to look the keys found up with GET /v1/organizations/* (default $ANTHROPIC_ADMIN_API_KEY); not with --key-stdin")
	fs.BoolVar(&c.noColor, "no-color", false, "no colour (NO_COLOR is honoured too)")
	fs.Var(&c.lint, "lint", "also lint the request in this `FILE` (a curl command or source file); repeatable")
	fs.StringVar(&c.workspace, "workspace-id", "", "send anthropic-workspace-id: `ID` (wrkspc_…) with every request, as identity-linked keys need (default: from $ANTHROPIC_CUSTOM_HEADERS)")
	fs.StringVar(&c.client, "for", "auto", "whose requests to reproduce, a `CLIENT`: auto (the SDK in --dir, else curl-style and both headers), go, python, typescript, curl, claude-code (its own precedence and stores)")
}

// fileList is a repeatable flag of file names.
type fileList []string

func (f *fileList) String() string { return strings.Join(*f, ",") }

func (f *fileList) Set(v string) error {
	st, err := os.Stat(v)
	if err != nil {
		return fmt.Errorf("cannot read %s", v)
	}
	if st.IsDir() {
		return fmt.Errorf("%s is a directory; name one file", v)
	}
	*f = append(*f, v)
	return nil
}

// parse parses args and rejects stray arguments.
func parse(fs *flags, args []string) error {
	if err := fs.parseFlags(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// env builds the probe environment from the flags and the process.
func (c *common) env(sys ioEnv) (*probe.Env, error) {
	if c.timeout <= 0 {
		return nil, usagef("--timeout must be positive, like 10s")
	}
	if c.workspace != "" && (strings.ContainsFunc(c.workspace, unicode.IsControl) || strings.TrimSpace(c.workspace) != c.workspace) {
		return nil, usagef("--workspace-id takes an id like wrkspc_01AbC…, on one line")
	}
	if !creds.Valid(c.client) {
		return nil, usagef("--for takes one of %s, not %q", strings.Join(creds.IDs(), ", "), probe.Redact(c.client))
	}
	for _, f := range []struct{ name, value string }{{"--base-url", c.baseURL}, {"--status-url", c.statusURL}} {
		if f.value != "" && probe.ValidURL(f.value) != nil {
			return nil, usagef("%s needs an http(s) URL like https://api.anthropic.com, not %q", f.name, probe.Redact(probe.StripURLCredentials(f.value)))
		}
	}
	dir, err := filepath.Abs(c.dir)
	if err != nil {
		return nil, usagef("--dir: %v", err)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, usagef("--dir %s is not a directory", c.dir)
	}
	home := sys.vars["HOME"]
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	env := &probe.Env{
		Vars: sys.vars, Home: home, Dir: dir, ManagedDir: sys.managedDir,
		BaseURL: strings.TrimRight(c.baseURL, "/"), StatusURL: strings.TrimRight(c.statusURL, "/"),
		Model: c.model, Timeout: c.timeout, Now: time.Now, LintFiles: c.lint, For: c.client, WorkspaceID: c.workspace,
		Retries: probe.DefaultRetries, Backoff: probe.DefaultBackoff,
	}
	switch {
	case c.keyStdin && c.adminKeyStdin:
		// Both would read the one stdin: which bytes are which key?
		return nil, usagef("--key-stdin and --admin-key-stdin both read stdin; pipe one key, and put the Admin key in ANTHROPIC_ADMIN_API_KEY")
	case c.keyStdin:
		key, err := readKey(sys.stdin, sys.stderr, "--key-stdin", "Paste the key to test (it stays hidden), then press Enter: ")
		if err != nil {
			return nil, err
		}
		env.StdinKey, env.HasStdinKey = key, true
	case c.adminKeyStdin:
		key, err := readKey(sys.stdin, sys.stderr, "--admin-key-stdin",
			"Paste the Admin key (it stays hidden; it only reads /v1/organizations/*), then press Enter: ")
		if err != nil {
			return nil, err
		}
		env.AdminKey = key
	}
	return env, nil
}

// readKey reads a key from stdin for the flag called name, asking with ask
// on a terminal. One trailing newline belongs to the pipe (echo, a
// here-string), not to the key; anything else is kept so the hygiene check
// can see it.
func readKey(r io.Reader, prompt io.Writer, name, ask string) (string, error) {
	if f, ok := r.(*os.File); ok && term.IsTerminal(f.Fd()) {
		// Typed at a terminal: never echo it.
		fmt.Fprint(prompt, ask)
		b, err := term.ReadPassword(f.Fd())
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("reading the key: %w", err)
		}
		r = bytes.NewReader(append(b, '\n'))
	}
	b, err := io.ReadAll(io.LimitReader(r, 64<<10))
	if err != nil {
		return "", fmt.Errorf("reading the key from stdin: %w", err)
	}
	s := strings.TrimSuffix(string(b), "\n")
	s = strings.TrimSuffix(s, "\r")
	if strings.TrimSpace(s) == "" {
		return "", usagef("%s: stdin was empty; pipe the key in, e.g. `pbpaste | fix401 check %s`", name, name)
	}
	return s, nil
}

func (c *common) color(sys ioEnv) bool { return useColor(sys.tty, c.noColor, sys.vars) }

// useColor is the one colour rule: only on a terminal, never with
// --no-color or a non-empty NO_COLOR (no-color.org).
func useColor(tty, noColor bool, vars map[string]string) bool {
	return tty && !noColor && vars["NO_COLOR"] == ""
}

// redactor knows every key the report found and the passwords of its URLs,
// so even a truncated echo of one is masked.
func redactor(r *probe.Report, env *probe.Env) *probe.Redactor {
	red := probe.NewRedactor(r.Secrets()...)
	if env.HasStdinKey {
		red.Add(env.StdinKey)
	}
	if k, _ := probe.AdminKey(env); k != "" {
		red.Add(k, env.AdminKey, env.Vars[probe.VarAdminKey])
	}
	return red
}

const checkUsage = `Usage: fix401 check [--format text|json|github] [flags]

Runs every probe at once — key sources and hygiene, network, the API itself,
the status page — and prints one line per check, then the diagnosis.
The key is sent the way your client sends it: the SDK named in --dir
(go.mod, package.json, requirements.txt, pyproject.toml, lock files) and its
major version decide the header (x-api-key or Authorization: Bearer) and the
anthropic-version; --for names the client instead (--for claude-code: Claude
Code's own order and stores, ~/.claude included). The key in use is also
sent the other way, to tell a stripped header from a rejected key.
With --lint FILE, the request your code sends is linted too, and its
findings join the checklist (ids lint.*). With an Admin key
(ANTHROPIC_ADMIN_API_KEY, or --admin-key-stdin), every key found is looked
up in the Admin API, read only (GET /v1/organizations/*): disabled, expired
or archived, and when it expires (key.record).
--format github prints GitHub Actions workflow commands: the diagnosis as
::error (::notice when the key works) and each warning as ::warning; when
GITHUB_STEP_SUMMARY names a file, the report of 'fix401 report' is
appended to it. In a pull request from a fork, or a run started by
Dependabot, GitHub passes no secrets: fix401 says so
(ci_secret_unavailable). --json is --format json.
Exit status: 0 the key works, 1 a problem was diagnosed (or a linted
request has an error), 2 usage error.
`

// Output formats of check (--format).
const (
	formatText   = "text"
	formatJSON   = "json"
	formatGitHub = "github"
)

var formats = []string{formatText, formatJSON, formatGitHub}

// checkFormat is the output format --format and --json ask for.
func checkFormat(format string, asJSON bool) (string, error) {
	switch {
	case format == "" && asJSON:
		return formatJSON, nil
	case format == "":
		return formatText, nil
	case !slices.Contains(formats, format):
		return "", usagef("--format takes one of %s, not %q", strings.Join(formats, ", "), probe.Redact(format))
	case asJSON && format != formatJSON:
		return "", usagef("--json is --format json; it cannot go with --format %s", format)
	}
	return format, nil
}

func runCheck(ctx context.Context, name string, args []string, sys ioEnv, plain bool) int {
	var c common
	var asJSON bool
	var format string
	fs := newFlagSet(name, checkUsage, sys)
	c.register(fs.FlagSet)
	fs.BoolVar(&asJSON, "json", false, "print one JSON object (schema 1) instead of text: --format json")
	fs.StringVar(&format, "format", "", "the output `FORMAT`: text (the default), json, or github (GitHub Actions annotations, and the report in $GITHUB_STEP_SUMMARY)")
	if err := parse(fs, args); err != nil {
		return finish(err, sys)
	}
	format, err := checkFormat(format, asJSON)
	if err != nil {
		return finish(err, sys)
	}
	env, err := c.env(sys)
	if err != nil {
		return finish(err, sys)
	}
	if !plain && format == formatText {
		return runWizard(ctx, env, c, sys, nil)
	}
	return check(ctx, env, c, sys, format)
}

// check runs every probe and prints the checklist as text, JSON or GitHub
// annotations; its exit status says whether the key works.
func check(ctx context.Context, env *probe.Env, c common, sys ioEnv, format string) int {
	r, ok := runProbes(ctx, env, sys)
	if !ok {
		return exitProblem
	}
	d := steps.Diagnose(r)
	red := redactor(r, env)
	switch format {
	case formatJSON:
		doc, err := red.JSON(steps.ToJSON(r, d, version))
		if err != nil {
			return finish(err, sys)
		}
		fmt.Fprintln(sys.stdout, doc)
	case formatGitHub:
		if err := text.GitHub(sys.stdout, r, d, red); err != nil {
			return finish(err, sys)
		}
		if path := env.Vars["GITHUB_STEP_SUMMARY"]; path != "" {
			doc := steps.SummaryMarkdown(summaryInput(env, r, d, red))
			if err := apply.AppendFile(path, []byte(doc)); err != nil {
				// The annotations are out; the exit status stays the diagnosis's.
				fmt.Fprint(sys.stdout, text.GitHubCommand("warning", "fix401", "GITHUB_STEP_SUMMARY: "+err.Error(), red))
			}
		}
	default:
		if err := text.Check(sys.stdout, r, d, version, c.color(sys), red); err != nil {
			return finish(err, sys)
		}
	}
	return exitStatus(r, d)
}

// summaryInput is what 'fix401 report' makes its summary from.
func summaryInput(env *probe.Env, r *probe.Report, d steps.Diagnosis, red *probe.Redactor) steps.SummaryInput {
	return steps.SummaryInput{Report: r, Diagnosis: d, Version: version, OS: runtime.GOOS, Arch: runtime.GOARCH,
		SDKs: probe.FindSDKs(env.Dir), Now: time.Now(), Redactor: red}
}

// runProbes runs every probe; false when Ctrl-C ended it first. At a
// terminal, stderr shows how many probes have answered, one line updated in
// place and cleared at the end; stdout never sees it.
func runProbes(ctx context.Context, env *probe.Env, sys ioEnv) (*probe.Report, bool) {
	r := probe.Prepare(env)
	planned := r.Planned()
	show := func() {
		done := 0
		for _, p := range planned {
			if r.Done[p] {
				done++
			}
		}
		fmt.Fprintf(sys.stderr, "\r\x1b[Kchecking %d of %d…", done, len(planned))
	}
	if sys.progress {
		show()
	}
	for p := range probe.Start(ctx, env, r) {
		p(r)
		if sys.progress {
			show()
		}
	}
	if sys.progress {
		fmt.Fprint(sys.stderr, "\r\x1b[K")
	}
	if ctx.Err() != nil {
		fmt.Fprintln(sys.stderr, "fix401: interrupted")
		return nil, false
	}
	return r, true
}

// exitStatus is 0 only when the key works and no linted request has an
// error: a script must never read success from a failed diagnosis.
func exitStatus(r *probe.Report, d steps.Diagnosis) int {
	if d.Code == steps.OK && r.LintErrors() == 0 {
		return exitOK
	}
	return exitProblem
}

const stubUsage = `Usage: fix401 stub [--list] [--scenario S] [--addr 127.0.0.1:8401] [--latency D]

Serves a local stub of the Anthropic API that answers with the same status
codes, error envelopes and headers as the real one, failing the way the
scenario says. Point your own app at it to rehearse a failure:

  fix401 stub --scenario revoked &
  ANTHROPIC_BASE_URL=http://127.0.0.1:8401 python my_app.py

The status page is served at /api/v2/summary.json. Stop with Ctrl-C.
`

func runStub(ctx context.Context, args []string, sys ioEnv) error {
	var opts stub.Options
	var addr string
	var list bool
	fs := newFlagSet("stub", stubUsage, sys)
	fs.StringVar(&opts.Scenario, "scenario", stub.Healthy, "how the stub answers (see --list)")
	fs.StringVar(&addr, "addr", stub.DefaultAddr, "address to listen on (loopback only)")
	fs.DurationVar(&opts.Latency, "latency", 0, "delay every answer by this much (the slow scenario uses 2s when unset)")
	fs.BoolVar(&list, "list", false, "list the scenarios and exit")
	if err := parse(fs, args); err != nil {
		return err
	}
	if list {
		printScenarios(sys.stdout, stubScenarios())
		return nil
	}
	if _, ok := stub.Lookup(opts.Scenario); !ok {
		return usagef("unknown scenario %q; 'fix401 stub --list' shows them", opts.Scenario)
	}
	if err := stub.Serve(ctx, addr, opts, probe.NewRedactor().Writer(sys.stderr)); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

type scenario struct{ name, description string }

func stubScenarios() []scenario {
	var out []scenario
	for _, s := range stub.Scenarios() {
		out = append(out, scenario{s.Name, s.Description})
	}
	return out
}

func printScenarios(w io.Writer, ss []scenario) {
	width := 0
	for _, s := range ss {
		width = max(width, len(s.name))
	}
	for _, s := range ss {
		fmt.Fprintf(w, "  %-*s  %s\n", width, s.name, s.description)
	}
}

const lintUsage = `Usage: fix401 lint [--json] [FILE|-]

Reads the request your code sends — a curl command, a raw HTTP request, or a
source file (Python, JavaScript/TypeScript, Go, shell, PHP, Ruby, Java, C#,
Rust, R, a Markdown page's fenced blocks, a notebook, a GitHub workflow or a
compose file) — and reports what would earn a 401: a misspelt header,
$ANTHROPIC_API_KEY inside single quotes, two credentials at once for a
client that sends both, an unknown anthropic-version, a placeholder or empty
key, a key hard-coded into browser code. Only requests that go to Anthropic
are judged. With no FILE, or with -, it reads stdin.
Exit status: 0 no errors, 1 errors found, 2 usage error.
`

func runLint(args []string, sys ioEnv) int {
	var asJSON, noColor bool
	fs := newFlagSet("lint", lintUsage, sys)
	fs.BoolVar(&asJSON, "json", false, "print one JSON object instead of text")
	fs.BoolVar(&noColor, "no-color", false, "no colour (NO_COLOR is honoured too)")
	if err := fs.parseFlags(args); err != nil {
		return finish(err, sys)
	}
	if fs.NArg() > 1 {
		return finish(usagef("lint takes one FILE (or - for stdin), got %d", fs.NArg()), sys)
	}
	name := "-"
	if fs.NArg() == 1 {
		name = fs.Arg(0)
	}
	src, err := readLintInput(name, sys.stdin)
	if err != nil {
		return finish(err, sys)
	}
	rep := lint.Lint(name, src)
	red := probe.NewRedactor()
	if asJSON {
		doc, err := red.JSON(rep)
		if err != nil {
			return finish(err, sys)
		}
		fmt.Fprintln(sys.stdout, doc)
	} else {
		var b strings.Builder
		color := useColor(sys.tty, noColor, sys.vars)
		if err := text.Lint(&b, rep, color); err != nil {
			return finish(err, sys)
		}
		out := red.String
		if color {
			out = red.Styled // text.Lint sanitizes what it styles
		}
		fmt.Fprint(sys.stdout, out(b.String()))
	}
	if rep.HasErrors() {
		return exitProblem
	}
	return exitOK
}

func readLintInput(name string, stdin io.Reader) ([]byte, error) {
	if name != "-" {
		b, err := probe.ReadRegular(name, lint.MaxInput+1)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, usagef("lint: %s: %v", name, err)
		}
		return b, nil
	}
	// One byte past the limit lets the linter say the input is too large.
	b, err := io.ReadAll(io.LimitReader(stdin, lint.MaxInput+1))
	if err != nil {
		return nil, fmt.Errorf("lint: reading stdin: %w", err)
	}
	return b, nil
}

// runWizard runs the interactive wizard, d set for fix401 demo, and
// returns its exit status: that of check for what the user's app loads
// when the user quits — 0 only for ok — and 1 when the probes had not
// finished or a signal ended it.
func runWizard(ctx context.Context, env *probe.Env, c common, sys ioEnv, d *demo.Demo) int {
	opts := ui.Options{
		NoColor: !useColor(true, c.noColor, sys.vars), Version: version,
		Input: sys.wizardIn, Output: sys.wizardOut,
	}
	if d != nil {
		// The demo's fix is made in its own folder, so r can show the after
		// state; files written there are named as the demo's.
		opts.DemoName, opts.DemoFix, opts.DemoRoot = d.Scenario.Name, d.Apply, d.Root
	}
	o, err := ui.Run(ctx, env, opts)
	switch {
	case err != nil:
		return finish(err, sys)
	case ctx.Err() != nil:
		fmt.Fprintln(sys.stderr, "fix401: interrupted")
		return exitProblem
	case o.OK:
		return exitOK
	}
	return exitProblem
}

const demoUsage = `Usage: fix401 demo [--list] [SCENARIO] [--snapshot STEP [--width N --height N]]

Plays the wizard against the built-in stub API in a simulated environment —
made-up keys, files and variables — so you can see what fix401 does without
a key or a network. The default scenario is shadowed. When stdout is not a
terminal it prints the checklist instead, like 'fix401 check'.

In the wizard, f shows the fix's plan with a diff per file and asks per
change, as 'fix401 fix' does; the changes are made in the demo's folder
(backups too), and the demo's simulated shell can play the steps left to
you (unset a variable). Then every probe runs again: verify shows before
and after. The folder is temporary: it is removed when fix401 ends, by q,
Ctrl-C, a closed terminal or SIGTERM alike.

--snapshot prints one step's final screen (understand, verify-key,
permissions, headers, new-key, checklist, verify, summary), the review of
the fix's first change (fix), or the text of 'fix401 check' (check), and
exits. Snapshots are stable: the same scenario
always prints the same screen (a fixed clock, and stand-ins for the demo's
random keys, request ids and port). screenshots/make.sh uses them.
`

func runDemo(ctx context.Context, args []string, sys ioEnv) int {
	var list, noColor, asJSON bool
	var snap string
	var width, height int
	fs := newFlagSet("demo", demoUsage, sys)
	fs.BoolVar(&list, "list", false, "list the scenarios and exit")
	fs.BoolVar(&noColor, "no-color", false, "no colour (NO_COLOR is honoured too)")
	fs.BoolVar(&asJSON, "json", false, "when not on a terminal: print the check JSON")
	fs.StringVar(&snap, "snapshot", "", "print this step's final screen and exit")
	fs.IntVar(&width, "width", 100, "snapshot width in columns")
	fs.IntVar(&height, "height", 0, "snapshot height in rows (0: the whole step)")
	var after bool
	fs.BoolVar(&after, "after-fix", false, "snapshot: run again after applying the scenario's fix (before/after on verify)")
	// The scenario may come before or after the flags.
	name := demo.Default
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if err := fs.parseFlags(args); err != nil {
		return finish(err, sys)
	}
	switch {
	case fs.NArg() == 1 && name == demo.Default:
		name = fs.Arg(0)
	case fs.NArg() > 0:
		return finish(usagef("demo: unexpected argument %q", fs.Arg(fs.NArg()-1)), sys)
	}
	if list {
		var ss []scenario
		for _, s := range demo.Scenarios() {
			ss = append(ss, scenario{s.Name, s.Description})
		}
		printScenarios(sys.stdout, ss)
		return exitOK
	}
	if _, ok := demo.Lookup(name); !ok {
		return finish(usagef("unknown demo %q; 'fix401 demo --list' shows them", name), sys)
	}
	if width < 40 || height < 0 {
		return finish(usagef("--width must be at least 40 and --height positive"), sys)
	}
	clock := time.Now
	if snap != "" {
		// A snapshot is drawn on a fixed clock; the demo's dates follow it.
		clock = func() time.Time { return ui.StableClock }
	}
	d, err := demo.NewAt(name, clock)
	if err != nil {
		return finish(err, sys)
	}
	defer d.Close()
	if sys.demoTimeout > 0 {
		d.Env.Timeout = sys.demoTimeout
	}
	c := common{noColor: noColor}
	switch {
	case snap == "check":
		r := probe.Run(ctx, d.Env)
		ui.StabilizeReport(r)
		if err := text.Check(sys.stdout, r, steps.Diagnose(r), version, useColor(true, c.noColor, sys.vars), redactor(r, d.Env)); err != nil {
			return finish(err, sys)
		}
		return exitOK
	case snap != "":
		step := steps.StepID(snap)
		if snap == "fix" {
			step = steps.Understand // the preview picks the step that explains the diagnosis
		}
		if step.Index() < 0 {
			return finish(usagef("--snapshot: unknown step %q", snap), sys)
		}
		opts := ui.Options{NoColor: !useColor(true, c.noColor, sys.vars), Version: version, DemoName: name, Stable: true}
		// --after-fix applies the fix's plan in the demo's folder (and
		// its shell's steps), as f does in the wizard.
		opts.FixAll, opts.DemoFix, opts.FixPreview = after, d.Apply, snap == "fix"
		out, err := ui.Snapshot(ctx, d.Env, step, width, height, opts)
		if err != nil {
			return finish(err, sys)
		}
		fmt.Fprintln(sys.stdout, out)
		return exitOK
	case sys.tty && !asJSON:
		return runWizard(ctx, d.Env, c, sys, d)
	}
	format := formatText
	if asJSON {
		format = formatJSON
	}
	return check(ctx, d.Env, c, sys, format)
}

const reportUsage = `Usage: fix401 report [-o FILE] [--json] [flags]

Runs every probe, then writes a support summary in Markdown: when and where
it ran, the SDKs found, the key by its hint only, every request with its
request id, the checklist, the diagnosis, and a curl command that
reproduces the failure with the key written as $ANTHROPIC_API_KEY.
Paste it into a support ticket or an issue. No secret is ever in it.
`

func runReport(ctx context.Context, args []string, sys ioEnv) int {
	var c common
	var out string
	var asJSON bool
	fs := newFlagSet("report", reportUsage, sys)
	c.register(fs.FlagSet)
	fs.StringVar(&out, "o", "", "write the summary to this file (mode 0600, replaced whole, never through a symlink) instead of stdout")
	fs.BoolVar(&asJSON, "json", false, "the check JSON plus an \"environment\" block")
	if err := parse(fs, args); err != nil {
		return finish(err, sys)
	}
	env, err := c.env(sys)
	if err != nil {
		return finish(err, sys)
	}
	if out != "" {
		if err := ui.CheckWrite(out); err != nil {
			return finish(fmt.Errorf("report: %w", err), sys)
		}
	}
	r, ok := runProbes(ctx, env, sys)
	if !ok {
		return exitProblem
	}
	d := steps.Diagnose(r)
	in := summaryInput(env, r, d, redactor(r, env))
	var doc string
	if asJSON {
		doc, err = in.Redactor.JSON(struct {
			steps.JSON
			Environment steps.Environment `json:"environment"`
		}{steps.ToJSON(r, d, version), steps.EnvironmentOf(in)})
		if err != nil {
			return finish(err, sys)
		}
		doc += "\n"
	} else {
		doc = steps.SummaryMarkdown(in)
	}
	if out == "" {
		fmt.Fprint(sys.stdout, doc)
	} else {
		if err := ui.WriteFile(out, []byte(doc), 0o600); err != nil {
			return finish(fmt.Errorf("report: %w", err), sys)
		}
		fmt.Fprintf(sys.stderr, "Wrote %s (%d bytes). It holds no key, only hints.\n", probe.Sanitize(out), len(doc))
	}
	return exitStatus(r, d)
}
