package probe

// Claude Code's cloud providers: the CLAUDE_CODE_USE_* flags that send
// Claude Code to Bedrock, Vertex AI, Foundry or Claude Platform on AWS
// instead of the Anthropic API, where each is set, and the variables and
// files each provider needs. Everything is read, nothing is run: the
// command that proves the identity is named for the user to run.

import (
	"cmp"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
)

// CloudProvider is a backend Claude Code can be routed to by a flag.
type CloudProvider struct {
	ID   string // bedrock, foundry, anthropic_aws, mantle, vertex, gateway
	Name string // Amazon Bedrock, …
	Flag string // CLAUDE_CODE_USE_BEDROCK, …
	// Guess marks a flag known only from third parties (wrappers' lists
	// of variables to strip): reported, never a diagnosis on its own word.
	Guess bool
	// Command is the one command that proves the identity Claude Code
	// will use there; empty when none is known.
	Command string
}

// Commands that prove an identity at a provider.
const (
	CmdAWSIdentity    = "aws sts get-caller-identity"
	CmdGoogleIdentity = "gcloud auth application-default print-access-token"
	CmdAzureIdentity  = "az account show"
)

// CloudProviders are the flags, in the order Claude Code is reported to
// resolve them when several are on (Bedrock, Foundry, Claude Platform on
// AWS, Mantle, Vertex AI; a third party's reading, guess-level), then the
// gateway flag.
var CloudProviders = []CloudProvider{
	{ID: "bedrock", Name: "Amazon Bedrock", Flag: "CLAUDE_CODE_USE_BEDROCK", Command: CmdAWSIdentity},
	{ID: "foundry", Name: "Microsoft Foundry", Flag: "CLAUDE_CODE_USE_FOUNDRY", Command: CmdAzureIdentity},
	{ID: "anthropic_aws", Name: "Claude Platform on AWS", Flag: "CLAUDE_CODE_USE_ANTHROPIC_AWS", Command: CmdAWSIdentity},
	{ID: "mantle", Name: "Mantle", Flag: "CLAUDE_CODE_USE_MANTLE", Guess: true},
	{ID: "vertex", Name: "Google Vertex AI", Flag: "CLAUDE_CODE_USE_VERTEX", Command: CmdGoogleIdentity},
	{ID: "gateway", Name: "an LLM gateway", Flag: "CLAUDE_CODE_USE_GATEWAY", Guess: true},
}

// Variables the provider checklists read.
const (
	VarAWSRegion        = "AWS_REGION"
	VarAWSDefaultRegion = "AWS_DEFAULT_REGION"
	VarAWSProfile       = "AWS_PROFILE"
	VarAWSAccessKey     = "AWS_ACCESS_KEY_ID"
	VarAWSSecretKey     = "AWS_SECRET_ACCESS_KEY"
	VarAWSSessionToken  = "AWS_SESSION_TOKEN"
	VarBedrockToken     = "AWS_BEARER_TOKEN_BEDROCK"
	VarSkipBedrockAuth  = "CLAUDE_CODE_SKIP_BEDROCK_AUTH"
	VarVertexProject    = "ANTHROPIC_VERTEX_PROJECT_ID"
	VarVertexRegion     = "CLOUD_ML_REGION"
	VarGoogleCreds      = "GOOGLE_APPLICATION_CREDENTIALS"
	VarCloudSDKConfig   = "CLOUDSDK_CONFIG"
	VarSkipVertexAuth   = "CLAUDE_CODE_SKIP_VERTEX_AUTH"
	VarFoundryResource  = "ANTHROPIC_FOUNDRY_RESOURCE"
	VarFoundryBaseURL   = "ANTHROPIC_FOUNDRY_BASE_URL"
	VarFoundryAPIKey    = "ANTHROPIC_FOUNDRY_API_KEY"
	VarSkipFoundryAuth  = "CLAUDE_CODE_SKIP_FOUNDRY_AUTH"
	VarAWSWorkspaceID   = "ANTHROPIC_AWS_WORKSPACE_ID"
)

// providerVars are the variables the checklists read, besides the flags.
var providerVars = []string{
	VarAWSRegion, VarAWSDefaultRegion, VarAWSProfile, VarAWSAccessKey, VarAWSSecretKey, VarAWSSessionToken,
	VarBedrockToken, VarSkipBedrockAuth, VarVertexProject, VarVertexRegion, VarGoogleCreds, VarCloudSDKConfig,
	VarSkipVertexAuth, VarFoundryResource, VarFoundryBaseURL, VarFoundryAPIKey, VarSkipFoundryAuth, VarAWSWorkspaceID,
}

// providerSecretVars hold secrets: their values are kept only for the
// redactor and never shown. An access key id is not a secret by AWS's
// word, but nothing fix401 says needs it, so it is masked too.
var providerSecretVars = []string{VarAWSAccessKey, VarAWSSecretKey, VarAWSSessionToken, VarBedrockToken, VarFoundryAPIKey}

// FlagState is how Claude Code reads a flag's value.
type FlagState string

// Flag states. Claude Code reads a flag as on when its value, trimmed and
// in any case, is 1, true, yes or on, and as off otherwise (its
// isEnvTruthy). fix401 names a value that is neither on nor one of the
// usual offs (empty, 0, false, no, off) Unclear: Claude Code takes it as
// off, but a wrapper that only asks "is it set" takes it as on. Unknown
// is a value set by a command or another variable, which fix401 does not
// run.
const (
	FlagOn      FlagState = "on"
	FlagOff     FlagState = "off"
	FlagUnclear FlagState = "unclear"
	FlagUnknown FlagState = "unknown"
)

// ReadFlag returns how Claude Code reads a flag's value.
func ReadFlag(v string) FlagState {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return FlagOn
	case "", "0", "false", "no", "off":
		return FlagOff
	}
	return FlagUnclear
}

// Seen says whether Claude Code gets a setting.
type Seen string

// How Claude Code gets a setting.
const (
	SeenNow         Seen = "now"          // in this environment, or in a settings file it reads
	SeenNewTerminal Seen = "new_terminal" // exported by a shell start-up file: a new terminal has it
	SeenNot         Seen = "not"          // set in a shell file without export: Claude Code never gets it
	SeenOverridden  Seen = "overridden"   // another place sets the variable and wins
	SeenInherited   Seen = "inherited"    // exported by a shell file, and the environment has it: likely from there
)

// Setting is one place a variable Claude Code reads is set: the
// environment, a settings file's env block, a .env file of the working
// directory (loaded by the native, Bun-built Claude Code), or a shell
// start-up file.
type Setting struct {
	Var      string
	Source   string // as shown: env, ~/.zshrc:12, .claude/settings.json:4
	Origin   Origin // OriginEnv, OriginClaude, OriginDotenv or OriginShell
	Scope    string // for OriginClaude: managed, local, project, user
	Path     string // absolute; empty for env
	Line     int
	Exported bool // a shell file's line exports it; true for env and settings
	Known    bool // the value was read (a shell value from a command is not)
	Seen     Seen
	value    string
}

// Where names the place for a sentence: "the environment",
// "~/.zshrc:12", or "project settings .claude/settings.json:4".
func (s Setting) Where() string {
	if s.Origin == OriginClaude && s.Scope != "" {
		return s.Scope + " settings " + s.Source
	}
	if s.Origin == OriginEnv {
		return "the environment"
	}
	return s.Source
}

// FlagSetting is one place a provider flag is set, and how Claude Code
// reads it.
type FlagSetting struct {
	Setting
	Provider CloudProvider
	State    FlagState
	Value    string // the flag's value as written, clipped; flags hold no secret
}

// Routing is where Claude Code sends its requests, and why.
type Routing struct {
	// ClaudeCode: the client fix401 reproduces is Claude Code (--for
	// claude-code, or fix401 runs in Claude Code's shell and no SDK was
	// named), so a flag routes the requests themselves away.
	ClaudeCode bool
	// Flags is every place a provider flag is set, on or off, seen or not.
	Flags []FlagSetting
	// On are the providers whose flag Claude Code gets as on (now or in a
	// new terminal), in resolver order; the first is where it goes.
	On []*FlagSetting

	vars    map[string][]Setting // provider variables, every place, the winner first
	sso     []SSOLogin
	adc     *ADCFile
	secrets []string
}

// Active returns the flag that routes Claude Code, or nil.
func (p *Routing) Active() *FlagSetting {
	if p == nil || len(p.On) == 0 {
		return nil
	}
	return p.On[0]
}

// Known returns the first flag that is on for a known provider (not a
// guess-level one), or nil: a Mantle or gateway flag must not hide a
// Bedrock or Vertex one.
func (p *Routing) Known() *FlagSetting {
	if p == nil {
		return nil
	}
	for _, f := range p.On {
		if !f.Provider.Guess {
			return f
		}
	}
	return nil
}

// Lead is the flag the checks and the diagnosis are about: the first
// known provider's, else the first flag that is on; nil when none is.
func (p *Routing) Lead() *FlagSetting {
	if k := p.Known(); k != nil {
		return k
	}
	return p.Active()
}

// TurnedOn lists every place a known provider's flag is set on, in the
// environment, a settings file, a .env file or a shell file: each must go
// for Claude Code to use the Anthropic API again.
func (p *Routing) TurnedOn() []FlagSetting {
	if p == nil {
		return nil
	}
	var out []FlagSetting
	for _, f := range p.Flags {
		if f.State == FlagOn && !f.Provider.Guess {
			out = append(out, f)
		}
	}
	return out
}

// Routed reports whether Claude Code is sent to a provider the rule of
// provider_override may act on: a known provider (not a guess-level
// flag), from a place Claude Code reads.
func (p *Routing) Routed() bool { return p.Known() != nil }

// ShellLines lists the shell start-up files' lines that export v, for
// the fix "delete ~/.zshrc:12".
func (p *Routing) ShellLines(v string) []string {
	if p == nil {
		return nil
	}
	var out []string
	add := func(s Setting) {
		if s.Var == v && s.Origin == OriginShell && s.Exported && !slices.Contains(out, s.Source) {
			out = append(out, s.Source)
		}
	}
	for _, s := range p.vars[v] {
		add(s)
	}
	for _, f := range p.Flags {
		add(f.Setting)
	}
	slices.Sort(out)
	return out
}

// lookup returns the setting of v Claude Code gets, if any.
func (p *Routing) lookup(v string) (Setting, bool) {
	for _, s := range p.vars[v] {
		if s.Seen == SeenNow || s.Seen == SeenNewTerminal {
			return s, true
		}
	}
	return Setting{}, false
}

// has reports whether Claude Code gets v with a non-empty value (or one
// fix401 could not read).
func (p *Routing) has(v string) bool {
	s, ok := p.lookup(v)
	return ok && (!s.Known || strings.TrimSpace(s.value) != "")
}

// shownURL returns a URL variable's value for a sentence, without its
// credentials, query or fragment, clipped and sanitized. Other
// provider variables are named, never shown.
func (p *Routing) shownURL(v string) string {
	s, ok := p.lookup(v)
	if !ok {
		return ""
	}
	u := StripURLCredentials(strings.TrimSpace(s.value))
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i] // a query may carry a key (?api-key=…)
	}
	return clean(u, 80)
}

// ReadRouting reads every provider flag and variable from the process
// environment, Claude Code's settings files (ClaudeSettingsFiles), the
// .env files Bun loads from env.Dir and the shell start-up files under
// env.Home, and the AWS SSO cache and Google
// ADC file the checklists need. It returns nil when no provider flag is
// set anywhere. Only reads, within the bounds of bounds.go.
func ReadRouting(env *Env, ci ClientInfo) *Routing {
	if env == nil {
		return nil
	}
	d := &discovery{env: env, home: absPath(env.Home), dir: absPath(cmp.Or(env.Dir, "."))}
	names := map[string]bool{}
	for _, cp := range CloudProviders {
		names[cp.Flag] = true
	}
	for _, v := range providerVars {
		names[v] = true
	}
	d.want = func(name, _ string) bool { return names[name] }
	var keep secrets

	all := map[string][]Setting{}
	// Claude Code copies each settings file's env block into its
	// environment, the highest scope last, so a settings value beats the
	// shell's.
	for _, f := range d.settingsFiles() {
		for _, s := range d.settingsEnv(f, names) {
			all[s.Var] = append(all[s.Var], s)
		}
	}
	for name := range names {
		if v, ok := env.Vars[name]; ok {
			all[name] = append(all[name], Setting{Var: name, Source: "env", Origin: OriginEnv, Exported: true, Known: true, value: v})
		}
	}
	// The native Claude Code is a Bun program, and Bun loads the working
	// directory's .env files (by reports; an npm install on Node does not),
	// under the environment's variables. Most important first.
	for _, name := range bunEnvFiles(d.env.Vars["NODE_ENV"]) {
		cs := d.dotenvFile(filepath.Join(d.dir, name))
		for i := len(cs) - 1; i >= 0; i-- {
			c := cs[i]
			if unloadable(c) {
				continue // UTF-16: Bun cannot read it either
			}
			all[c.Var] = append(all[c.Var], Setting{Var: c.Var, Source: c.Source, Origin: OriginDotenv, Path: c.Path, Line: c.Line,
				Exported: true, Known: !unresolvedCandidate(c), value: c.Value})
			if slices.Contains(providerSecretVars, c.Var) {
				keep.add(c.Value, c.Raw)
			}
		}
	}
	var shell []Setting
	if d.home != "" {
		for _, c := range d.shell() {
			shell = append(shell, Setting{Var: c.Var, Source: c.Source, Origin: OriginShell, Path: c.Path, Line: c.Line,
				Exported: c.Exported, Known: !unresolvedCandidate(c), value: c.Value})
			if slices.Contains(providerSecretVars, c.Var) {
				keep.add(c.Value, c.Raw)
			}
		}
	}
	// The last exported assignment in the files is what a new terminal
	// gets; list it first among the shell's.
	for i := len(shell) - 1; i >= 0; i-- {
		all[shell[i].Var] = append(all[shell[i].Var], shell[i])
	}
	r := &Routing{ClaudeCode: ci.IsClaudeCode(), vars: map[string][]Setting{}}
	for name, ss := range all {
		winner, envWins := false, false
		for i := range ss {
			switch {
			case ss[i].Origin == OriginShell && !ss[i].Exported:
				ss[i].Seen = SeenNot
			case ss[i].Origin == OriginShell && envWins:
				ss[i].Seen = SeenInherited
			case winner:
				ss[i].Seen = SeenOverridden
			case ss[i].Origin == OriginShell:
				ss[i].Seen, winner = SeenNewTerminal, true
			default:
				ss[i].Seen, winner = SeenNow, true
				envWins = ss[i].Origin == OriginEnv
			}
			if slices.Contains(providerSecretVars, name) {
				keep.add(ss[i].value)
			}
			if name == VarFoundryBaseURL {
				keep.add(URLSecrets(ss[i].value)...)
			}
		}
		if names[name] && !isFlag(name) {
			r.vars[name] = ss
		}
	}
	for _, cp := range CloudProviders {
		for _, s := range all[cp.Flag] {
			f := FlagSetting{Setting: s, Provider: cp, State: ReadFlag(s.value), Value: clean(s.value, 40)}
			if !s.Known {
				f.State, f.Value = FlagUnknown, ""
			}
			r.Flags = append(r.Flags, f)
		}
	}
	if len(r.Flags) == 0 {
		return nil
	}
	for i := range r.Flags {
		f := &r.Flags[i]
		if f.State == FlagOn && (f.Seen == SeenNow || f.Seen == SeenNewTerminal) {
			r.On = append(r.On, f)
		}
	}
	r.sso = readSSOCache(d, &keep)
	r.adc = readADC(d, r, &keep)
	r.secrets = keep
	return r
}

func isFlag(name string) bool {
	return slices.ContainsFunc(CloudProviders, func(cp CloudProvider) bool { return cp.Flag == name })
}

func unresolvedCandidate(c Candidate) bool {
	return slices.ContainsFunc(c.Issues, func(i Issue) bool { return i.Code == IssueUnresolved })
}

// settingsEnv returns the variables of interest in one settings file's
// env block. A value that is a JSON number or boolean is read as its
// text, as Claude Code's environment would hold it.
func (d *discovery) settingsEnv(f ClaudeSettingsFile, names map[string]bool) []Setting {
	data, ok := d.readFile(f.Path, f.Scope == ScopeLocal || f.Scope == ScopeProject)
	if !ok {
		return nil
	}
	var s struct {
		Env map[string]json.RawMessage `json:"env"`
	}
	if json.Unmarshal(data, &s) != nil {
		return nil
	}
	var out []Setting
	for name, raw := range s.Env {
		if !names[name] {
			continue
		}
		v, known := settingValue(raw)
		line := jsonKeyLine(data, name)
		out = append(out, Setting{Var: name, Source: d.label(f.Path, line, f.Scope == ScopeLocal || f.Scope == ScopeProject),
			Origin: OriginClaude, Scope: f.Scope, Path: f.Path, Line: line, Exported: true, Known: known, value: v})
	}
	slices.SortFunc(out, func(a, b Setting) int { return cmp.Compare(a.Line, b.Line) })
	return out
}

func settingValue(raw json.RawMessage) (string, bool) {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return "", false
	}
	switch x := v.(type) {
	case string:
		return x, true
	case bool, float64:
		return strings.TrimSpace(string(raw)), true
	}
	return "", false
}

// secrets are values read for the redactor only.
type secrets []string

func (s *secrets) add(vs ...string) {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			*s = append(*s, v)
		}
	}
}

// describeSeen is how Claude Code gets a flag, in a few words.
func describeSeen(s Seen) string {
	switch s {
	case SeenNewTerminal:
		return "Claude Code started from a new terminal gets it; this terminal does not have it"
	case SeenNot:
		return "not exported, so Claude Code never gets it"
	case SeenOverridden:
		return "another place sets it and wins"
	case SeenInherited:
		return "likely where the environment got it"
	}
	return ""
}

// ProviderVarsSet lists the provider variables Claude Code gets, by name.
func (p *Routing) ProviderVarsSet() []string {
	if p == nil {
		return nil
	}
	var out []string
	for _, v := range providerVars {
		if p.has(v) {
			out = append(out, v)
		}
	}
	return out
}

func plainPath(env *Env, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(cmp.Or(env.Dir, "."), p)
}
