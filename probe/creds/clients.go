// Package creds says how each client finds and sends a credential: which
// variables it reads and in which order, the header it puts an API key in,
// the anthropic-version it sends, and what it does with two credentials at
// once or with a variable that is exported but empty. It is data, read by
// probe (to send a probe the way the user's client does), by probe/lint and
// by steps. It imports nothing of fix401.
package creds

import (
	"strconv"
	"strings"
)

// Header names a client may put a credential in, lower-case.
const (
	HeaderAPIKey = "x-api-key"     // the legacy header, still accepted
	HeaderBearer = "authorization" // Authorization: Bearer <key>
)

// API versions the API accepts (API-FACTS.md).
const (
	VersionLegacy  = "2023-06-01"
	VersionCurrent = "2026-10-21"
)

// Variables the clients read.
const (
	VarAPIKey        = "ANTHROPIC_API_KEY"
	VarAuthToken     = "ANTHROPIC_AUTH_TOKEN"
	VarCustomHeaders = "ANTHROPIC_CUSTOM_HEADERS"
	VarOAuthToken    = "CLAUDE_CODE_OAUTH_TOKEN" // Claude Code only: a long-lived subscription token (claude setup-token)
)

// ClaudeCode is the id of Claude Code in the client table: what --for takes.
const ClaudeCode = "claude-code"

// Tiers of Claude Code's chain that are neither a variable nor an SDK
// profile.
const (
	// TierHelper is apiKeyHelper in Claude Code's settings: a command whose
	// output is the key. fix401 names it and never runs it.
	TierHelper = "apiKeyHelper"
	// TierClaudeLogin is what `/login` stores: the claude.ai subscription
	// token (~/.claude/.credentials.json, or the macOS Keychain), else the
	// Console key it created (~/.claude.json primaryApiKey).
	TierClaudeLogin = "/login"
)

// Tiers of the 2026 credential chain that are not a variable
// (facts/wif-admin.md A2).
const (
	// TierProfileNamed is the profile ANTHROPIC_PROFILE names; a missing
	// one is an error, not a fall-through.
	TierProfileNamed = "ANTHROPIC_PROFILE"
	// TierFederation is ANTHROPIC_FEDERATION_RULE_ID +
	// ANTHROPIC_ORGANIZATION_ID + an identity token, exchanged for a token.
	TierFederation = "federation"
	// TierProfileActive is the profile active_config names, else
	// "default"; a missing one is quiet.
	TierProfileActive = "active profile"
)

// docsChain is the documented order ("every SDK resolves credentials in
// the same five-tier order"), which the Go and Python SDKs follow.
var docsChain = []string{TierProfileNamed, TierFederation, TierProfileActive}

// tsChain is the TypeScript SDK's: an existing active profile file is used
// before federation variables are looked at (loadConfigWithSource).
var tsChain = []string{TierProfileNamed, TierProfileActive, TierFederation}

// Two credentials: what a client does when ANTHROPIC_API_KEY and
// ANTHROPIC_AUTH_TOKEN are both set.
const (
	BothSent    = "both_sent"    // both headers go out: the API may refuse the pair
	TokenIgnore = "token_ignore" // the API key wins; the token is ignored
	TokenWarn   = "token_warn"   // the API key wins; the SDK prints a warning
	TokenWins   = "token_wins"   // the token wins; the API key is ignored, with a warning
)

// Client is one row of the client table.
type Client struct {
	// ID is what --for takes: go, python, typescript, curl.
	ID string
	// Major is the SDK's major version line: "v2", "v1", "1.x", "0.x"; empty
	// when a client has one line only.
	Major string
	// Name is the client in a few words: "Go SDK v2".
	Name string
	// KeyHeader is where an API key goes: HeaderAPIKey or HeaderBearer.
	KeyHeader string
	// Version is the anthropic-version the client sends.
	Version string
	// Vars are the credential variables read, first wins.
	Vars []string
	// Both is what happens with an API key and an auth token set together.
	Both string
	// EmptySet: an exported empty variable counts as set, so it is sent
	// empty (and blocks the ones after it) instead of being skipped.
	EmptySet bool
	// CustomHeaders: ANTHROPIC_CUSTOM_HEADERS is added to every request.
	CustomHeaders bool
	// Chain are the tiers read after Vars when none of them is set, first
	// wins: SDK profiles and Workload Identity Federation. Empty for a
	// client that knows neither.
	Chain []string
	// ChainSince is the first version of the row's line that reads Chain;
	// ForSDK drops Chain for an older version. Empty: the whole line.
	ChainSince string
	// Settled says where each fact comes from.
	Settled string
}

// The client table. Where an SDK's source settled a fact, the version read
// is named in Settled.
var table = []Client{
	{ID: "go", Major: "v2", Name: "Go SDK v2", KeyHeader: HeaderBearer, Version: VersionCurrent,
		Vars: []string{VarAPIKey, VarAuthToken}, Both: TokenWarn, CustomHeaders: true, Chain: docsChain,
		// client.go environmentCredential: a non-empty ANTHROPIC_API_KEY wins and
		// WarnAPIKeyAndAuthTokenInEnv fires when a token is set too; empty values
		// are skipped (ok && v != ""). option.WithAPIKey sets "authorization:
		// Bearer"; requestconfig sets anthropic-version 2026-10-21;
		// ANTHROPIC_CUSTOM_HEADERS is applied whatever the credential.
		Settled: "anthropic-sdk-go/v2 v2.15.0 (client.go, option/requestoption.go, internal/requestconfig)"},
	{ID: "go", Major: "v1", Name: "Go SDK v1", KeyHeader: HeaderAPIKey, Version: VersionLegacy,
		Vars: []string{VarAPIKey, VarAuthToken}, Both: TokenIgnore, CustomHeaders: false, Chain: docsChain, ChainSince: "1.39.0",
		// Profiles and federation since v1.39.0 (CHANGELOG).
		// client.go DefaultClientOptions returns as soon as a non-empty
		// ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN) is found, so the token
		// is never sent beside a key, and the early return also skips
		// ANTHROPIC_CUSTOM_HEADERS: a v1 app with a key variable sends none.
		Settled: "anthropic-sdk-go v1.84.0 (client.go DefaultClientOptions, internal/requestconfig)"},
	{ID: "python", Name: "Python SDK", KeyHeader: HeaderAPIKey, Version: VersionLegacy,
		Vars: []string{VarAPIKey, VarAuthToken}, Both: BothSent, EmptySet: true, CustomHeaders: true, Chain: docsChain, ChainSince: "0.98.0",
		Settled: "API-FACTS.md; anthropic-sdk-python#1640 (empty ANTHROPIC_AUTH_TOKEN sends \"Bearer \")"},
	{ID: "typescript", Major: "1.x", Name: "TypeScript SDK 1.x", KeyHeader: HeaderBearer, Version: VersionCurrent,
		Vars: []string{VarAPIKey, VarAuthToken}, Both: TokenIgnore, CustomHeaders: true, Chain: tsChain,
		// readEnv trims and treats an empty value as unset (src/internal/utils/env.ts).
		Settled: "API-FACTS.md (@anthropic-ai/sdk 1.14.0 on the wire); facts/wif-admin.md"},
	{ID: "typescript", Major: "0.x", Name: "TypeScript SDK 0.x", KeyHeader: HeaderAPIKey, Version: VersionLegacy,
		Vars: []string{VarAPIKey, VarAuthToken}, Both: BothSent, CustomHeaders: true, Chain: tsChain, ChainSince: "0.93.0",
		// Profiles and federation since 0.93.0 (CHANGELOG).
		Settled: "API-FACTS.md (older TS sends both headers)"},
	{ID: "curl", Name: "curl (the docs' examples)", KeyHeader: HeaderAPIKey, Version: VersionLegacy,
		Vars: []string{VarAPIKey}, EmptySet: true,
		// curl -H "x-api-key: $ANTHROPIC_API_KEY" sends the header even when empty.
		Settled: "the API reference's curl examples"},
	{ID: ClaudeCode, Name: "Claude Code", KeyHeader: HeaderAPIKey, Version: VersionLegacy,
		Vars: []string{VarAuthToken, VarAPIKey, TierHelper, VarOAuthToken}, Both: TokenWins, CustomHeaders: true,
		Chain: append(append([]string(nil), docsChain...), TierClaudeLogin),
		// The order is Claude Code's documented one (API-FACTS.md), after the
		// cloud-provider flags, which route it away from these credentials
		// altogether. An API key goes as x-api-key; ANTHROPIC_AUTH_TOKEN and
		// every OAuth token (CLAUDE_CODE_OAUTH_TOKEN, the /login token) as
		// Bearer with anthropic-beta oauth-2025-04-20. anthropic-version is
		// 2023-06-01: Claude Code 2.1.x bundles the TypeScript SDK 0.x line
		// (X-Stainless-Package-Version 0.75.0 in captured traffic,
		// router-for-me/CLIProxyAPI#1621) and sends 2023-06-01
		// (griffinmartin/opencode-claude-auth#109, matching Claude Code
		// 2.1.88). With ANTHROPIC_AUTH_TOKEN and ANTHROPIC_API_KEY both set it
		// uses the token and warns "Auth conflict". It adds
		// ANTHROPIC_CUSTOM_HEADERS to its requests (its settings docs). Inside /login, the
		// claude.ai token before primaryApiKey is inferred, not documented.
		Settled: "API-FACTS.md (precedence); captured Claude Code 2.1.x traffic (headers, version)"},
}

// IDs lists what --for accepts, auto first.
func IDs() []string { return []string{"auto", "go", "python", "typescript", "curl", ClaudeCode} }

// Valid reports whether id is something --for accepts.
func Valid(id string) bool {
	for _, v := range IDs() {
		if v == id {
			return true
		}
	}
	return false
}

// All returns every row of the client table.
func All() []Client { return append([]Client(nil), table...) }

// Lookup returns the client id at major (empty: the current line).
func Lookup(id, major string) (Client, bool) {
	for _, c := range table {
		if c.ID == id && (major == "" || c.Major == major) {
			return c, true
		}
	}
	return Client{}, false
}

// Curl is the client assumed when nothing names one.
func Curl() Client { c, _ := Lookup("curl", ""); return c }

// ForSDK picks the row for an SDK as a project names it: ecosystem (go,
// npm, pypi), package name, and the version as written (a go.mod version,
// a semver range such as "^0.30.0", a lock file's "1.14.0"). ok is false
// for an SDK that is not in the table (other ecosystems, wrappers).
func ForSDK(ecosystem, name, version string) (Client, bool) {
	c, ok := forSDK(ecosystem, name, version)
	if ok && c.ChainSince != "" && older(version, c.ChainSince) {
		c.Chain = nil
	}
	return c, ok
}

// older reports whether version (as a project writes it) is a release
// before since; false when version names no release ("*", "latest").
func older(version, since string) bool {
	a, b := numbers(version), numbers(since)
	if a == nil {
		return false
	}
	for i := range 3 {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// numbers reads major.minor.patch from the start of a version or range.
func numbers(v string) []int {
	v = strings.TrimLeft(strings.TrimSpace(v), "^~>=<! v")
	out := make([]int, 3)
	for i := range 3 {
		end := 0
		for end < len(v) && v[end] >= '0' && v[end] <= '9' {
			end++
		}
		n, err := strconv.Atoi(v[:end])
		if err != nil {
			if i == 0 {
				return nil
			}
			break
		}
		out[i] = n
		v = strings.TrimPrefix(v[end:], ".")
	}
	return out
}

func forSDK(ecosystem, name, version string) (Client, bool) {
	switch ecosystem {
	case "go":
		if name != "anthropic-sdk-go" {
			return Client{}, false
		}
		// go.mod names the module path's major: v2.x.y needs /v2.
		if m := major(version); m >= 2 {
			return Lookup("go", "v"+strconv.Itoa(m))
		}
		return Lookup("go", "v1")
	case "npm":
		if name != "@anthropic-ai/sdk" {
			return Client{}, false
		}
		if m := major(version); m == 0 {
			return Lookup("typescript", "0.x")
		}
		return Lookup("typescript", "1.x")
	case "pypi":
		if name != "anthropic" {
			return Client{}, false
		}
		return Lookup("python", "")
	}
	return Client{}, false
}

// major reads the major version out of a version or a simple range:
// "v2.15.0", "^1.14.0", "~0.30", ">=0.40,<1", "1.x". It is -1 when there is
// no number, such as "*" or "latest", which count as the current line.
func major(v string) int {
	v = strings.TrimSpace(v)
	v = strings.TrimLeft(v, "^~>=<! v")
	end := 0
	for end < len(v) && v[end] >= '0' && v[end] <= '9' {
		end++
	}
	n, err := strconv.Atoi(v[:end])
	if err != nil {
		return -1
	}
	return n
}

// Precedence is the client's whole credential chain, first wins: its
// variables, then the tiers of Chain.
func (c Client) Precedence() []string {
	return append(append([]string(nil), c.Vars...), c.Chain...)
}

// DocsChain is the documented chain after the variables, for a client
// nothing names.
func DocsChain() []string { return append([]string(nil), docsChain...) }

// SendsBoth reports whether the client sends an API key and an auth token
// together when both variables are set.
func (c Client) SendsBoth() bool { return c.Both == BothSent }

// Reads reports whether the client reads the variable.
func (c Client) Reads(name string) bool {
	for _, v := range c.Vars {
		if v == name {
			return true
		}
	}
	return false
}

// Other is the way of sending an API key that the client does not use.
func (c Client) Other() string {
	if c.KeyHeader == HeaderBearer {
		return HeaderAPIKey
	}
	return HeaderBearer
}

// HeaderName is a credential header as people write it: "x-api-key" or
// "Authorization".
func HeaderName(h string) string {
	if h == HeaderBearer {
		return "Authorization"
	}
	return h
}

// Label is the client with its version as a project names it: "Go SDK v2
// (anthropic-sdk-go v2.15.0)"; just the name when version is empty.
func (c Client) Label(pkg, version string) string {
	if pkg == "" {
		return c.Name
	}
	if version == "" {
		return c.Name + " (" + pkg + ")"
	}
	return c.Name + " (" + pkg + " " + version + ")"
}

// Header is one "Name: value" line of ANTHROPIC_CUSTOM_HEADERS. Value may be
// a secret: it is sent, never shown.
type Header struct {
	Name, Value string
}

// CustomHeaders parses ANTHROPIC_CUSTOM_HEADERS the way the SDKs do: one
// header per line, split at the first colon, both sides trimmed. A line
// without a colon or without a name is skipped whole: it may be a bare
// secret. At most 64 headers are kept.
func CustomHeaders(s string) []Header {
	var out []Header
	for line := range strings.SplitSeq(s, "\n") {
		name, value, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			continue
		}
		out = append(out, Header{Name: name, Value: strings.TrimSpace(value)})
		if len(out) == 64 {
			break
		}
	}
	return out
}

// IsCredentialHeader reports whether a header name carries a credential.
func IsCredentialHeader(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	return n == HeaderAPIKey || n == HeaderBearer
}
