// Package probe measures everything that decides whether a Claude API key
// works: where keys come from and whether they are clean, the network path,
// and what the API answers. It holds no UI and no guide text: the steps
// package turns these facts into advice.
package probe

import (
	"context"
	"crypto/x509"
	"net"
	"time"

	"github.com/fix401/fix401/probe/creds"
)

// Status is the outcome of one check.
type Status string

// Check statuses. Pending exists only while a probe is still running; it
// never appears in a finished report.
const (
	Pass    Status = "pass"
	Warn    Status = "warn"
	Fail    Status = "fail"
	Skip    Status = "skip"
	Error   Status = "error" // the check itself broke; not the same as Fail
	Pending Status = "pending"
)

// Result is one line of the checklist: a stable dotted id (DESIGN.md), a
// status and short sanitized text.
type Result struct {
	ID       string
	Status   Status
	Title    string        // one line: what was checked and what was found
	Detail   string        // optional: the evidence in a sentence or two
	Fix      string        // optional: the next move, only for warn/fail/error
	Duration time.Duration // zero for local checks
}

// KeyKind says what kind of credential a string looks like.
type KeyKind string

// Key kinds.
const (
	KindAPI     KeyKind = "api"     // sk-ant-api03-…
	KindAdmin   KeyKind = "admin"   // sk-ant-admin01-… (Admin API only)
	KindOAuth   KeyKind = "oauth"   // sk-ant-oat01-… / sk-ant-ort01-…
	KindOther   KeyKind = "other"   // another provider's key (see Candidate.Provider)
	KindUnknown KeyKind = "unknown" // none of the above
)

// Origin says what kind of place a key candidate was found in.
type Origin string

// Origins of key candidates.
const (
	OriginStdin   Origin = "stdin"   // --key-stdin or a key pasted in the wizard
	OriginEnv     Origin = "env"     // this process's environment
	OriginDotenv  Origin = "dotenv"  // a .env-style file in --dir or a parent
	OriginShell   Origin = "shell"   // a shell start-up file under $HOME
	OriginClaude  Origin = "claude"  // Claude Code's settings.json
	OriginProfile Origin = "profile" // an SDK profile's credentials file (ant auth login)
)

// Issue is one key-hygiene problem, e.g. a trailing newline.
type Issue struct {
	Code   string // stable: whitespace, newline, cr, quotes, smart_quotes, invisible, non_ascii, bearer_prefix, length, alphabet, truncated, empty
	Detail string // sanitized words: "ends with \\n", "zero-width space at position 41"
}

// Candidate is one key found somewhere. Value, Raw and Clean are secrets:
// they never leave the process except as the x-api-key header to the
// configured API.
type Candidate struct {
	Source   string // shown to people: "env ANTHROPIC_API_KEY", ".env:3", "~/.zshrc:41"
	Origin   Origin
	Var      string // ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN, apiKeyHelper, …
	Path     string // absolute file path; empty for env and stdin
	Line     int    // 1-based; 0 when not from a file
	Exported bool   // shell: the line exports the variable
	// Encoding is the file's text encoding when it is not plain UTF-8
	// (EncUTF8BOM, EncUTF16LE, EncUTF16BE): loaders may misread or skip it.
	Encoding string
	// Foreign marks a candidate from a file another user owns (a .env in a
	// parent directory, a shared checkout): it is reported, with a
	// FileNote on the file, but never chosen as the key in use
	// (ChooseActive skips it) nor offered as the fix.
	Foreign bool

	Value string // what a consumer reads: the env value, what godotenv returns, what the shell assigns
	Raw   string // the bytes in the file after '=' (before any unquoting); equals Value for env/stdin
	Clean string // Value with hygiene problems removed; equals Value when Issues is empty

	Hint     string  // Console-style hint: sk-ant-api03-R2D...igAA
	Kind     KeyKind // of Clean
	Provider string  // for KindOther: "OpenAI", "Google", …
	Issues   []Issue
}

// Env is everything a probe may read: variables, files, time and network.
// Probes never read globals; tests and the demo inject their own.
type Env struct {
	Vars map[string]string // the process environment
	Home string            // $HOME; shell start-up files and ~/.claude live here
	Dir  string            // the project: .env files, SDK versions, sources
	// ManagedDir is Claude Code's managed (system-wide) settings directory;
	// empty: none is read. main sets DefaultManagedDir(); tests and demos
	// set their own, so no test reads this machine's /etc.
	ManagedDir string

	BaseURL   string   // API to probe; empty: Vars["ANTHROPIC_BASE_URL"], else DefaultBaseURL
	StatusURL string   // Statuspage base; empty: DefaultStatusURL
	Model     string   // --model; empty: no model check
	LintFiles []string // --lint: source files or curl commands to lint into the checklist
	// For is --for: whose requests to reproduce (creds.IDs); empty or
	// "auto": the SDK the project names, else curl-style.
	For string
	// WorkspaceID is --workspace-id: sent as anthropic-workspace-id with
	// every key-carrying request; empty: ANTHROPIC_CUSTOM_HEADERS decides.
	WorkspaceID string
	// Timeout bounds each attempt of a request (0: DefaultTimeout); the
	// probes of a run (Start) share one deadline, Timeout from its start.
	Timeout time.Duration

	// StdinKey, when HasStdinKey, is the key to test instead of the
	// environment's (fix401 --key-stdin, or a key pasted in the wizard).
	StdinKey    string
	HasStdinKey bool
	StdinSource string // how to name that key's source; empty: "stdin"

	// AdminKey is --admin-key-stdin: an Admin key used only to look the
	// keys found up in the Admin API (GET /v1/organizations/*); empty:
	// ANTHROPIC_ADMIN_API_KEY from Vars. It is never a key to test.
	AdminKey       string
	AdminKeySource string // how to name its source; empty: "stdin"

	Now func() time.Time

	// Demo marks a simulated environment (fix401 demo): the base URL is the
	// built-in stub, which is expected rather than an override to warn about.
	Demo bool

	// Network. Nil fields mean the real thing.
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
	LookupHost  func(ctx context.Context, host string) ([]string, error)
	RootCAs     *x509.CertPool // nil: system roots

	// Retries is how many times a transient failure (429, 5xx, 529, timeout)
	// is retried; Backoff is the first wait, doubled each time, with jitter.
	Retries int
	Backoff time.Duration
}

// Defaults.
const (
	DefaultBaseURL   = "https://api.anthropic.com"
	DefaultStatusURL = "https://status.claude.com"
	DefaultTimeout   = 10 * time.Second
	DefaultRetries   = 2
	DefaultBackoff   = 500 * time.Millisecond
	AnthropicVersion = creds.VersionLegacy // sent when no client says otherwise
	MaxBody          = 1 << 20             // bytes read from any response
)
