// Package demo builds simulated developer machines for `fix401 demo`: a
// fresh temporary home and project with key sources in files and variables,
// and a local stub API playing the failure. Every step of the wizard then
// has something real to show, with no real key and no network. Keys are
// random on every run.
package demo

import (
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/creds"
	"github.com/fix401/fix401/probe/stub"
)

// Scenario is one simulated situation.
type Scenario struct {
	Name        string
	Description string
	// Want is the diagnosis code fix401 should reach (DESIGN.md).
	Want string
}

// Default is the scenario `fix401 demo` plays when none is named: the most
// common cause of a 401.
const Default = "shadowed"

// Demo is a simulated environment with its stub server running.
type Demo struct {
	Scenario Scenario
	// Env is ready for the probes: variables, home and project in a
	// temporary directory, the stub as API and status page.
	Env *probe.Env
	// Stub is the server playing the API (and the status page).
	Stub *stub.Server
	// Root is the temporary directory holding Env.Home and Env.Dir.
	Root string
	// Files are the files the demo wrote, as absolute paths.
	Files []string

	keys map[string]string // role → key, for tests
}

// Settings every demo shares.
const (
	Timeout = 3 * time.Second
	Retries = 1
	Backoff = 50 * time.Millisecond
)

// Where the demo's files go, relative to Root.
const (
	homeDir    = "home/dev"
	projectDir = "home/dev/projects/weather-bot"
)

type spec struct {
	Scenario
	build func(b *builder) error
}

var specs = []spec{
	{Scenario{"healthy", "the key in the environment works", "ok"}, buildHealthy},
	{Scenario{"shadowed", "an old key exported in ~/.zshrc hides the new key in the project's .env", "key_shadowed"}, buildShadowed},
	{Scenario{"trailing-newline", "the key in .env ends with \\n inside its quotes; the clean key works", "key_malformed"}, buildTrailingNewline},
	{Scenario{"revoked", "the only key, exported in ~/.zshrc, was revoked", "key_rejected"}, buildRevoked},
	{Scenario{"no-key", "no key in the environment, .env files, shell files or Claude Code settings", "no_key"}, buildNoKey},
	{Scenario{"key-not-loaded", "the key is in ~/.zshrc but this shell was started before it was added", "key_not_loaded"}, buildNotLoaded},
	{Scenario{"admin-key", "ANTHROPIC_API_KEY holds an Admin API key", "key_wrong_kind"}, buildAdminKey},
	{Scenario{"openai-key", "ANTHROPIC_API_KEY holds an OpenAI key", "key_wrong_kind"}, buildOpenAIKey},
	{Scenario{"key-disabled", "the key in the environment was disabled in the Console; an Admin key in ANTHROPIC_ADMIN_API_KEY looks it up", "key_disabled"}, buildKeyDisabled},
	{Scenario{"auth-conflict", "ANTHROPIC_AUTH_TOKEN is set besides a working key", "auth_conflict"}, buildAuthConflict},
	{Scenario{"proxy-page", "ANTHROPIC_BASE_URL and HTTPS_PROXY lead to a captive-portal HTML page", "not_anthropic"}, buildProxyPage},
	{Scenario{"redirect", "the API address answers with a redirect to another host", "not_anthropic"}, buildRedirect},
	{Scenario{"header-stripped", "a TypeScript SDK 1.x app behind a gateway that drops the Authorization header it sends", "header_stripped"}, buildHeaderStripped},
	{Scenario{"tls", "an intercepting proxy's certificate (Acme Corp TLS Inspection CA) is not trusted", "tls_untrusted"}, buildTLS},
	{Scenario{"timeout", "the API never answers", "network_unreachable"}, buildTimeout},
	{Scenario{"forbidden", "the key is valid but gets 403 permission_error", "permission_denied"}, scenarioOnly(stub.Forbidden)},
	{Scenario{"ip-not-allowed", "the key is valid, but this network's IP is not on the organization's allowlist", "ip_not_allowed"}, scenarioOnly(stub.IPNotAllowed)},
	{Scenario{"workspace-required", "an identity-linked key, sent without anthropic-workspace-id", "workspace_required"}, scenarioOnly(stub.WorkspaceNeeded)},
	{Scenario{"org-disabled", "the key's organization has been disabled", "org_disabled"}, scenarioOnly(stub.OrgDisabled)},
	{Scenario{"billing", "the key works but the credit balance is too low", "billing"}, scenarioOnly(stub.Billing)},
	{Scenario{"spend-limit", "the key works, but the organization's own monthly spend limit is reached", "spend_limit"}, scenarioOnly(stub.SpendLimit)},
	{Scenario{"rate-limited", "the key works but every request gets 429 with retry-after", "rate_limited"}, scenarioOnly(stub.RateLimited)},
	{Scenario{"outage", "the API fails with 500/529 and the status page reports a major outage", "service_degraded"}, scenarioOnly(stub.Outage)},
	{Scenario{"profile", "no key anywhere, but `ant auth login` left a working SDK profile", "ok"}, buildProfile},
	{Scenario{"profile-expired", "the SDK profile's login expired two days ago and the API refuses its token", "token_expired"}, buildProfileExpired},
	{Scenario{"federation-audience", "Workload Identity Federation with an EKS token meant for AWS STS (aud sts.amazonaws.com)", "federation_rejected"}, buildFederationAudience},
	{Scenario{"model-not-found", "the key works but the model your code asks for does not exist", "model_not_found"}, buildModelNotFound},
	{Scenario{"claude-code-bedrock", "Claude Code with a working key, but ~/.zshrc still exports CLAUDE_CODE_USE_BEDROCK from a Bedrock trial", "provider_override"}, buildClaudeCodeBedrock},
	{Scenario{"subscription-overridden", "Claude Code with a Max subscription, but an old ANTHROPIC_API_KEY exported in ~/.zshrc wins and has no credit", "billing"}, buildSubscriptionOverridden},
}

// Scenarios returns every demo scenario in a stable order.
func Scenarios() []Scenario {
	out := make([]Scenario, len(specs))
	for i, s := range specs {
		out[i] = s.Scenario
	}
	return out
}

// Lookup returns the demo scenario called name.
func Lookup(name string) (Scenario, bool) {
	for _, s := range specs {
		if s.Name == name {
			return s.Scenario, true
		}
	}
	return Scenario{}, false
}

// New builds the named demo: it writes its files into a fresh temporary
// directory and starts its stub. Close it when done.
func New(name string) (*Demo, error) { return NewAt(name, time.Now) }

// NewAt is New on a given clock: dates the demo writes (a login's expiry,
// an identity token's lifetime) are relative to now(), so a snapshot drawn
// on a fixed clock sees the same story as a live run.
func NewAt(name string, now func() time.Time) (*Demo, error) {
	i := slices.IndexFunc(specs, func(s spec) bool { return s.Name == name })
	if i < 0 {
		return nil, fmt.Errorf("demo: unknown scenario %q", name)
	}
	root, err := os.MkdirTemp("", "fix401-demo-")
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	// A resolved path keeps file locations stable where the temp dir is a
	// symlink (macOS /var → /private/var).
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	d := &Demo{Scenario: specs[i].Scenario, Root: root, keys: map[string]string{}}
	home, dir := filepath.Join(root, homeDir), filepath.Join(root, projectDir)
	d.Env = &probe.Env{
		Vars: map[string]string{
			"HOME":  home,
			"USER":  "dev",
			"SHELL": "/bin/zsh",
			"PATH":  "/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin",
			"LANG":  "en_US.UTF-8",
			"PWD":   dir,
		},
		Demo:    true,
		Home:    home,
		Dir:     dir,
		Timeout: Timeout,
		Retries: Retries,
		Backoff: Backoff,
		Now:     now,
	}
	b := &builder{d: d, opts: stub.Options{Scenario: stub.Healthy}}
	err = b.project()
	if err == nil {
		err = specs[i].build(b)
	}
	if err == nil {
		err = b.start()
	}
	if err != nil {
		return nil, errors.Join(err, d.Close())
	}
	return d, nil
}

// Close stops the stub and removes the temporary directory. It is safe to
// call more than once.
func (d *Demo) Close() error {
	if d.Stub != nil {
		d.Stub.Close()
	}
	if err := os.RemoveAll(d.Root); err != nil {
		return fmt.Errorf("demo: remove %s: %w", d.Root, err)
	}
	return nil
}

// builder assembles one demo.
type builder struct {
	d          *Demo
	opts       stub.Options
	tls        bool
	zshrcExtra []string // lines appended to ~/.zshrc
	baseVar    bool     // point ANTHROPIC_BASE_URL, not Env.BaseURL, at the stub
	proxyVar   bool     // set HTTPS_PROXY to the stub, with credentials
}

// key makes a new random API key for role and remembers it.
func (b *builder) key(role string) string {
	k := stub.NewAPIKey()
	b.d.keys[role] = k
	return k
}

func (b *builder) valid(keys ...string)   { b.opts.ValidKeys = append(b.opts.ValidKeys, keys...) }
func (b *builder) revoked(keys ...string) { b.opts.RevokedKeys = append(b.opts.RevokedKeys, keys...) }

func (b *builder) write(path, content string, perm os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	b.d.Files = append(b.d.Files, path)
	return nil
}

func (b *builder) home(rel, content string) error {
	return b.write(filepath.Join(b.d.Env.Home, rel), content, 0o644)
}

func (b *builder) dotenv(content string) error {
	return b.write(filepath.Join(b.d.Env.Dir, ".env"), content, 0o600)
}

// project writes what every demo has: a small Python app and a Claude Code
// settings file without credentials.
func (b *builder) project() error {
	files := []struct{ rel, content string }{
		{"main.py", mainPy},
		{"requirements.txt", "anthropic==0.69.0\npython-dotenv==1.1.1\nhttpx==0.28.1\n"},
		{".gitignore", ".env\n.venv/\n__pycache__/\n"},
		{".git/HEAD", "ref: refs/heads/main\n"}, // a repository, so .gitignore applies
		{"README.md", "# weather-bot\n\nAsks Claude for a short forecast summary.\n\n    pip install -r requirements.txt\n    python main.py\n"},
	}
	for _, f := range files {
		if err := b.write(filepath.Join(b.d.Env.Dir, f.rel), f.content, 0o644); err != nil {
			return err
		}
	}
	return b.home(".claude/settings.json", "{\n  \"model\": \"sonnet\",\n  \"permissions\": {\n    \"allow\": [\"Bash(git status)\"]\n  }\n}\n")
}

// start writes ~/.zshrc, starts the stub and points the Env at it.
func (b *builder) start() error {
	if err := b.home(".zshrc", zshrc+strings.Join(b.zshrcExtra, "")); err != nil {
		return err
	}
	var err error
	if b.tls {
		b.d.Stub, err = stub.StartTLS(b.opts)
	} else {
		b.d.Stub, err = stub.Start(b.opts)
	}
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	url := b.d.Stub.URL
	b.d.Env.StatusURL = url
	if b.baseVar {
		b.d.Env.Vars["ANTHROPIC_BASE_URL"] = url
	} else {
		b.d.Env.BaseURL = url
	}
	if b.proxyVar {
		host := strings.TrimPrefix(url, "http://")
		b.d.Env.Vars["HTTPS_PROXY"] = "http://dev:" + stub.NewAPIKey()[13:29] + "@" + host
	}
	return nil
}

// exportKey puts key in the process environment and in ~/.zshrc, where
// the developer exported it.
func (b *builder) exportKey(name, key string) {
	b.d.Env.Vars[name] = key
	b.zshrcExtra = append(b.zshrcExtra, "export "+name+"=\""+key+"\"\n")
}

func buildHealthy(b *builder) error {
	k := b.key("env")
	b.exportKey("ANTHROPIC_API_KEY", k)
	b.valid(k)
	return nil
}

func buildShadowed(b *builder) error {
	old, fresh := b.key("env"), b.key("dotenv")
	b.exportKey("ANTHROPIC_API_KEY", old)
	b.valid(fresh)
	b.revoked(old)
	return b.dotenv("# Created " + b.d.Env.Now().AddDate(0, 0, -2).Format(time.DateOnly) + " in the Console\nANTHROPIC_API_KEY=" + fresh + "\nWEATHER_CITY=Berlin\n")
}

func buildTrailingNewline(b *builder) error {
	k := b.key("dotenv")
	b.valid(k)
	return b.dotenv("WEATHER_CITY=Berlin\nANTHROPIC_API_KEY=\"" + k + "\\n\"\n")
}

func buildRevoked(b *builder) error {
	k := b.key("env")
	b.exportKey("ANTHROPIC_API_KEY", k)
	b.valid(b.key("unseen"))
	b.revoked(k)
	return nil
}

func buildNoKey(b *builder) error {
	// No ValidKeys: any well-formed key pasted into the wizard is accepted,
	// so the onboarding can be played to its end (test, save, .gitignore).
	b.key("unseen")
	return nil
}

func buildNotLoaded(b *builder) error {
	k := b.key("shell")
	b.valid(k)
	b.zshrcExtra = append(b.zshrcExtra, "export ANTHROPIC_API_KEY=\""+k+"\"\n")
	return nil
}

func buildAdminKey(b *builder) error {
	k := stub.NewAdminKey()
	b.d.keys["env"] = k
	b.exportKey("ANTHROPIC_API_KEY", k)
	b.valid(b.key("unseen"))
	return nil
}

// buildKeyDisabled: a key someone disabled in the Console, and an Admin
// key, exported next to it, that reads its record.
func buildKeyDisabled(b *builder) error {
	k, admin := b.key("env"), stub.NewAdminKey()
	b.d.keys["admin"] = admin
	b.exportKey("ANTHROPIC_API_KEY", k)
	b.exportKey("ANTHROPIC_ADMIN_API_KEY", admin)
	b.opts.AdminKeys = []string{admin}
	b.opts.ListPadding = 11 // the team's other keys
	b.opts.KeyRecords = map[string]stub.KeyRecord{k: {Name: "weather-bot laptop", Status: stub.StatusInactive,
		CreatedAt: time.Date(2026, 9, 14, 8, 30, 0, 0, time.UTC), CreatedBy: "user_01DevWeatherBot0000000"}}
	return nil
}

func buildOpenAIKey(b *builder) error {
	k := "sk-proj-" + strings.ReplaceAll(stub.NewAPIKey()[13:], "-", "x")
	b.d.keys["env"] = k
	b.exportKey("ANTHROPIC_API_KEY", k)
	b.valid(b.key("unseen"))
	return nil
}

func buildAuthConflict(b *builder) error {
	k, tok := b.key("env"), b.key("token")
	b.exportKey("ANTHROPIC_API_KEY", k)
	b.exportKey("ANTHROPIC_AUTH_TOKEN", tok)
	b.valid(k)
	b.revoked(tok)
	return nil
}

func buildProxyPage(b *builder) error {
	b.opts.Scenario = stub.NotAnthropic
	b.baseVar, b.proxyVar = true, true
	return buildHealthy(b)
}

func buildRedirect(b *builder) error {
	b.opts.Scenario = stub.Redirect
	return buildHealthy(b)
}

// buildHeaderStripped drops x-api-key, the header fix401's probes send an
// API key in; stub.HeaderStripped drops Authorization, which they would
// pass through.
// buildHeaderStripped: the 2026 failure. The app moved to the TypeScript
// SDK 1.x, which sends the key as Authorization: Bearer, and the company's
// gateway drops that header; an x-api-key client would pass.
func buildHeaderStripped(b *builder) error {
	b.opts.Scenario = stub.HeaderStripped
	if err := b.write(filepath.Join(b.d.Env.Dir, "package.json"),
		"{\n  \"name\": \"weather-bot-web\",\n  \"dependencies\": {\n    \"@anthropic-ai/sdk\": \"^1.14.0\"\n  }\n}\n", 0o644); err != nil {
		return err
	}
	return buildHealthy(b)
}

func buildTLS(b *builder) error {
	b.tls = true
	return buildHealthy(b)
}

func buildTimeout(b *builder) error {
	b.opts.Scenario = stub.Hang
	return buildHealthy(b)
}

func buildModelNotFound(b *builder) error {
	b.d.Env.Model = "claude-sonnet-5"
	return buildHealthy(b)
}

// scenarioOnly is a working key in front of a stub scenario.
func scenarioOnly(name string) func(*builder) error {
	return func(b *builder) error {
		b.opts.Scenario = name
		return buildHealthy(b)
	}
}

const mainPy = `import anthropic
from dotenv import load_dotenv

load_dotenv()

client = anthropic.Anthropic()
reply = client.messages.create(
    model="claude-sonnet-4-5",
    max_tokens=300,
    messages=[{"role": "user", "content": "Summarise tomorrow's weather in Berlin in two lines."}],
)
print(reply.content[0].text)
`

// zshrc is an ordinary start-up file, 40 lines long, so that an added
// export lands on line 41.
const zshrc = `# Path to your oh-my-zsh installation.
export ZSH="$HOME/.oh-my-zsh"

ZSH_THEME="robbyrussell"

# Update automatically without asking.
zstyle ':omz:update' mode auto

plugins=(git docker python)

source $ZSH/oh-my-zsh.sh

# User configuration
export LANG=en_US.UTF-8
export EDITOR="nvim"
export PATH="$HOME/.local/bin:$HOME/go/bin:$PATH"

# Homebrew
if [ -x /opt/homebrew/bin/brew ]; then
  eval "$(/opt/homebrew/bin/brew shellenv)"
fi

# Python
export PYENV_ROOT="$HOME/.pyenv"
command -v pyenv >/dev/null && eval "$(pyenv init -)"

# Node
export NVM_DIR="$HOME/.nvm"
[ -s "$NVM_DIR/nvm.sh" ] && . "$NVM_DIR/nvm.sh"

# Aliases
alias ll="ls -lah"
alias gs="git status"
alias k="kubectl"
alias py="python3"

# History
HISTSIZE=50000
SAVEHIST=50000

`

// sdkWithProfiles makes the demo project use an SDK that reads profiles
// and federation (anthropic 0.98.0 and later).
func (b *builder) sdkWithProfiles() error {
	path := filepath.Join(b.d.Env.Dir, "requirements.txt")
	if err := os.WriteFile(path, []byte("anthropic==0.99.0\npython-dotenv==1.1.1\nhttpx==0.28.1\n"), 0o644); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}

// profile writes the SDK profile `ant auth login` leaves: its settings
// and, readable by its owner only, its credentials.
func (b *builder) profile(tok string, expires time.Time) error {
	if err := b.sdkWithProfiles(); err != nil {
		return err
	}
	cfg := filepath.Join(b.d.Env.Home, ".config", "anthropic")
	if err := b.write(filepath.Join(cfg, "configs", "default.json"), `{
  "version": "1.0",
  "authentication": {"type": "user_oauth", "client_id": "demo", "scope": "user:inference"},
  "organization_id": "`+stub.OrganizationID+`"
}
`, 0o644); err != nil {
		return err
	}
	b.d.keys["profile"] = tok
	return b.write(filepath.Join(cfg, "credentials", "default.json"), `{"version":"1.0","type":"oauth_token","access_token":"`+tok+
		`","refresh_token":"sk-ant-ort01-`+stub.NewAPIKey()[13:]+`","expires_at":`+strconv.FormatInt(expires.Unix(), 10)+"}\n", 0o600)
}

func buildProfile(b *builder) error {
	tok := stub.NewOAuthToken()
	b.valid(tok)
	return b.profile(tok, b.d.Env.Now().Add(8*time.Hour))
}

func buildProfileExpired(b *builder) error {
	tok := stub.NewOAuthToken()
	b.revoked(tok)
	return b.profile(tok, b.d.Env.Now().Add(-50*time.Hour))
}

func buildFederationAudience(b *builder) error {
	if err := b.sdkWithProfiles(); err != nil {
		return err
	}
	now := b.d.Env.Now()
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	claims := `{"iss":"https://oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",` +
		`"sub":"system:serviceaccount:weather:weather-bot","aud":["sts.amazonaws.com"],` +
		`"iat":` + strconv.FormatInt(now.Unix(), 10) + `,"exp":` + strconv.FormatInt(now.Add(time.Hour).Unix(), 10) + `}`
	jwt := enc(`{"alg":"RS256","kid":"demo-key-1"}`) + "." + enc(claims) + "." + enc(stub.NewAPIKey())
	b.d.keys["identity"] = jwt
	path := filepath.Join(b.d.Env.Home, "var", "run", "secrets", "eks.amazonaws.com", "serviceaccount", "token")
	b.d.Env.Vars["ANTHROPIC_FEDERATION_RULE_ID"] = "fdrl_01DemoWeatherBot"
	b.d.Env.Vars["ANTHROPIC_ORGANIZATION_ID"] = stub.OrganizationID
	b.d.Env.Vars["ANTHROPIC_IDENTITY_TOKEN_FILE"] = path
	return b.write(path, jwt, 0o600)
}

// buildSubscriptionOverridden: a Claude Code user on a Max plan, signed
// in with /login, whose shell still exports an API key of an organization
// without credit. Claude Code sends the key, not the subscription.
func buildSubscriptionOverridden(b *builder) error {
	b.d.Env.For = creds.ClaudeCode
	b.opts.Scenario = stub.Billing
	k, login := b.key("env"), stub.NewOAuthToken()
	b.d.keys["login"] = login
	b.exportKey("ANTHROPIC_API_KEY", k)
	b.valid(k, login)
	b.opts.Subscriptions = append(b.opts.Subscriptions, login)
	expires := b.d.Env.Now().Add(6 * time.Hour).UnixMilli()
	if err := b.write(filepath.Join(b.d.Env.Home, ".claude", ".credentials.json"), `{
  "claudeAiOauth": {
    "accessToken": "`+login+`",
    "refreshToken": "sk-ant-ort01-`+stub.NewAPIKey()[13:]+`",
    "expiresAt": `+strconv.FormatInt(expires, 10)+`,
    "scopes": ["user:inference", "user:profile"],
    "subscriptionType": "max"
  }
}
`, 0o600); err != nil {
		return err
	}
	return b.home(".claude.json", `{
  "numStartups": 41,
  "oauthAccount": {"accountUuid": "3d1f0c2e-demo", "emailAddress": "dev@example.com", "organizationName": "dev's Individual Org"}
}
`)
}
