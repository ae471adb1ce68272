package probe

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// pvEnv is a project in a fresh home with a managed settings directory,
// run as Claude Code.
func pvEnv(t *testing.T, vars map[string]string) *Env {
	t.Helper()
	home, dir := ktProject(t)
	if vars == nil {
		vars = map[string]string{}
	}
	return &Env{Home: home, Dir: dir, ManagedDir: filepath.Join(filepath.Dir(home), "etc-claude-code"), Vars: vars,
		For: "claude-code", Now: func() time.Time { return time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC) }}
}

func pvCheck(t *testing.T, r *Report, id string) Result {
	t.Helper()
	c, ok := r.CheckByID(id)
	if !ok {
		var ids []string
		for _, c := range r.Checks() {
			ids = append(ids, c.ID)
		}
		t.Fatalf("no check %s among %q", id, ids)
	}
	return c
}

func TestReadFlag(t *testing.T) {
	for v, want := range map[string]FlagState{
		"1": FlagOn, "true": FlagOn, "TRUE": FlagOn, " yes ": FlagOn, "On": FlagOn,
		"": FlagOff, "0": FlagOff, "false": FlagOff, "no": FlagOff, "OFF": FlagOff, "  ": FlagOff,
		"2": FlagUnclear, "bedrock": FlagUnclear, "enabled": FlagUnclear,
	} {
		if got := ReadFlag(v); got != want {
			t.Errorf("ReadFlag(%q) = %s, want %s", v, got, want)
		}
	}
}

// TestProviderFlagEverySource: a Bedrock or Vertex flag is found in the
// environment, in each settings scope, and in a shell start-up file, with
// where it was set and whether Claude Code gets it.
func TestProviderFlagEverySource(t *testing.T) {
	type tc struct {
		name   string
		flag   string
		setup  func(t *testing.T, env *Env)
		source string // suffix of the Setting's Source
		seen   Seen
		routed bool
	}
	settings := func(rel func(env *Env) string, flag string) func(t *testing.T, env *Env) {
		return func(t *testing.T, env *Env) {
			ktWrite(t, rel(env), "{\n  \"model\": \"x\",\n  \"env\": {\n    \""+flag+"\": \"1\"\n  }\n}\n")
		}
	}
	var cases []tc
	for _, flag := range []string{"CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX", "CLAUDE_CODE_USE_FOUNDRY", "CLAUDE_CODE_USE_ANTHROPIC_AWS"} {
		cases = append(cases,
			tc{"env", flag, func(t *testing.T, env *Env) { env.Vars[flag] = "1" }, "env", SeenNow, true},
			tc{"managed", flag, settings(func(env *Env) string { return filepath.Join(env.ManagedDir, "managed-settings.json") }, flag),
				"etc-claude-code/managed-settings.json:4", SeenNow, true},
			tc{"managed drop-in", flag, settings(func(env *Env) string { return filepath.Join(env.ManagedDir, "managed-settings.d", "10-cloud.json") }, flag),
				"managed-settings.d/10-cloud.json:4", SeenNow, true},
			tc{"local", flag, settings(func(env *Env) string { return filepath.Join(env.Dir, ".claude", "settings.local.json") }, flag),
				".claude/settings.local.json:4", SeenNow, true},
			tc{"project", flag, settings(func(env *Env) string { return filepath.Join(env.Dir, ".claude", "settings.json") }, flag),
				".claude/settings.json:4", SeenNow, true},
			tc{"user", flag, settings(func(env *Env) string { return filepath.Join(env.Home, ".claude", "settings.json") }, flag),
				"~/.claude/settings.json:4", SeenNow, true},
			tc{"zshrc export", flag, func(t *testing.T, env *Env) {
				ktWrite(t, filepath.Join(env.Home, ".zshrc"), "alias ll='ls -l'\nexport PATH=$HOME/bin:$PATH\nexport "+flag+"=1\n")
			}, "~/.zshrc:3", SeenNewTerminal, true},
			tc{"bashrc export later", flag, func(t *testing.T, env *Env) {
				ktWrite(t, filepath.Join(env.Home, ".bashrc"), flag+"=true\nexport "+flag+"\n")
			}, "~/.bashrc:1", SeenNewTerminal, true},
			tc{"profile no export", flag, func(t *testing.T, env *Env) {
				ktWrite(t, filepath.Join(env.Home, ".profile"), "# cloud\n"+flag+"=1\n")
			}, "~/.profile:2", SeenNot, false},
			tc{"fish", flag, func(t *testing.T, env *Env) {
				ktWrite(t, filepath.Join(env.Home, ".config", "fish", "config.fish"), "set -gx "+flag+" 1\n")
			}, "~/.config/fish/config.fish:1", SeenNewTerminal, true},
			tc{"dotenv", flag, func(t *testing.T, env *Env) {
				ktWrite(t, filepath.Join(env.Dir, ".env"), "PORT=8080\n"+flag+"=1\n")
			}, ".env:2", SeenNow, true},
			tc{"dotenv local", flag, func(t *testing.T, env *Env) {
				ktWrite(t, filepath.Join(env.Dir, ".env.local"), "export "+flag+"=true\n")
			}, ".env.local:1", SeenNow, true},
			tc{"dotenv development local", flag, func(t *testing.T, env *Env) {
				ktWrite(t, filepath.Join(env.Dir, ".env.development.local"), flag+"=1\n")
			}, ".env.development.local:1", SeenNow, true},
			tc{"dotenv of NODE_ENV", flag, func(t *testing.T, env *Env) {
				env.Vars["NODE_ENV"] = "production"
				ktWrite(t, filepath.Join(env.Dir, ".env.production"), flag+"=1\n")
			}, ".env.production:1", SeenNow, true},
			tc{"zsh-only syntax", flag, func(t *testing.T, env *Env) {
				ktWrite(t, filepath.Join(env.Home, ".zshrc"), "for f (~/.zsh/*.zsh) source $f\nif [[ 1 ]] {\n}\nexport "+flag+"=yes\n")
			}, "~/.zshrc:4", SeenNewTerminal, true},
		)
	}
	for _, c := range cases {
		t.Run(c.flag+"/"+c.name, func(t *testing.T) {
			env := pvEnv(t, nil)
			c.setup(t, env)
			r := Prepare(env)
			p := r.Provider
			if p == nil {
				t.Fatal("the flag was missed")
			}
			var found *FlagSetting
			for i := range p.Flags {
				if p.Flags[i].Var == c.flag {
					found = &p.Flags[i]
				}
			}
			if found == nil || !strings.HasSuffix(filepath.ToSlash(found.Source), c.source) || found.Seen != c.seen {
				t.Fatalf("flags %+v; want %s from …%s seen %s", p.Flags, c.flag, c.source, c.seen)
			}
			if p.Routed() != c.routed {
				t.Fatalf("routed = %v, want %v", p.Routed(), c.routed)
			}
			flag := pvCheck(t, r, CheckProviderFlag)
			if c.routed && (flag.Status != Fail || !strings.Contains(flag.Title, c.source)) {
				t.Fatalf("flag check %+v", flag)
			}
			if !c.routed && (flag.Status != Warn || !strings.Contains(flag.Title, "not exported")) {
				t.Fatalf("an unexported flag: %+v", flag)
			}
		})
	}
}

// TestProviderFlagPrecedence: a settings env block beats the environment
// (Claude Code copies it into its own), a higher scope beats a lower one,
// and an off value wins where it is the one Claude Code gets.
func TestProviderFlagPrecedence(t *testing.T) {
	env := pvEnv(t, map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1"})
	ktWrite(t, filepath.Join(env.Home, ".claude", "settings.json"), `{"env":{"CLAUDE_CODE_USE_BEDROCK":"0"}}`)
	r := Prepare(env)
	if r.Provider == nil || r.Provider.Routed() {
		t.Fatalf("user settings turn the flag off: %+v", r.Provider)
	}
	if c := pvCheck(t, r, CheckProviderFlag); c.Status != Pass {
		t.Fatalf("%+v", c)
	}
	ktWrite(t, filepath.Join(env.Dir, ".claude", "settings.local.json"), `{"env":{"CLAUDE_CODE_USE_BEDROCK":true}}`)
	r = Prepare(env)
	if a := r.Provider.Active(); a == nil || a.Scope != ScopeLocal || a.Value != "true" {
		t.Fatalf("local settings (a JSON true) win: %+v", r.Provider.Flags)
	}
	// The environment's value is listed as overridden.
	for _, f := range r.Provider.Flags {
		if f.Origin == OriginEnv && f.Seen != SeenOverridden {
			t.Fatalf("env flag: %+v", f)
		}
	}
}

// TestProviderFlagDotenvUnderEnv: Bun does not override a variable the
// environment sets, so an off in the environment beats an on in .env;
// .env.local beats .env.
func TestProviderFlagDotenvUnderEnv(t *testing.T) {
	env := pvEnv(t, map[string]string{"CLAUDE_CODE_USE_VERTEX": "0"})
	ktWrite(t, filepath.Join(env.Dir, ".env"), "CLAUDE_CODE_USE_VERTEX=1\n")
	if r := Prepare(env); r.Provider == nil || r.Provider.Routed() {
		t.Fatalf("%+v", r.Provider)
	}
	delete(env.Vars, "CLAUDE_CODE_USE_VERTEX")
	ktWrite(t, filepath.Join(env.Dir, ".env.local"), "CLAUDE_CODE_USE_VERTEX=no\n")
	if r := Prepare(env); r.Provider == nil || r.Provider.Routed() {
		t.Fatalf(".env.local says no: %+v", r.Provider.Flags)
	}
}

func TestProviderFlagUnclearAndUnknown(t *testing.T) {
	env := pvEnv(t, map[string]string{"CLAUDE_CODE_USE_VERTEX": "vertex"})
	r := Prepare(env)
	if c := pvCheck(t, r, CheckProviderFlag); c.Status != Warn || !strings.Contains(c.Title, "reads it as off") {
		t.Fatalf("%+v", c)
	}
	env = pvEnv(t, nil)
	ktWrite(t, filepath.Join(env.Home, ".bashrc"), "export CLAUDE_CODE_USE_BEDROCK=$(cat ~/.bedrock)\n")
	r = Prepare(env)
	if c := pvCheck(t, r, CheckProviderFlag); c.Status != Warn || !strings.Contains(c.Title, "cannot tell") {
		t.Fatalf("%+v", c)
	}
}

func TestProviderNoFlagNoChecks(t *testing.T) {
	env := pvEnv(t, map[string]string{"AWS_REGION": "us-east-1", "AWS_PROFILE": "dev"})
	r := Prepare(env)
	if r.Provider != nil {
		t.Fatalf("no flag, yet %+v", r.Provider)
	}
	for _, c := range r.Checks() {
		if strings.HasPrefix(c.ID, "provider.") {
			t.Fatalf("check %s without a flag", c.ID)
		}
	}
}

// TestProviderSDKOnlyWarns: for an SDK user the flag is a warning and no
// provider checklist follows.
func TestProviderSDKOnlyWarns(t *testing.T) {
	env := pvEnv(t, map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1"})
	env.For = "python"
	r := Prepare(env)
	if r.Provider == nil || r.Provider.ClaudeCode {
		t.Fatalf("%+v", r.Provider)
	}
	if c := pvCheck(t, r, CheckProviderFlag); c.Status != Warn || !strings.Contains(c.Title, "SDK ignores") {
		t.Fatalf("%+v", c)
	}
	if _, ok := r.CheckByID("provider.bedrock.region"); ok {
		t.Fatal("a Bedrock checklist for an SDK user")
	}
	// Started from Claude Code's shell with no SDK named: still the
	// user's own app (curl-style), which ignores the flag; only --for
	// claude-code makes it the diagnosis.
	env.For = ""
	env.Vars["CLAUDECODE"] = "1"
	if r := Prepare(env); r.Provider.ClaudeCode {
		t.Fatal("CLAUDECODE alone made Claude Code the client")
	}
	env.For = "claude-code"
	if r := Prepare(env); !r.Provider.ClaudeCode {
		t.Fatal("--for claude-code is not Claude Code")
	}
}

func TestBedrockChecklist(t *testing.T) {
	type tc struct {
		name   string
		vars   map[string]string
		files  map[string]string // relative to home
		id     string
		status Status
		title  string
	}
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	cases := []tc{
		{"region set", map[string]string{"AWS_REGION": "us-west-2"}, nil, ".region", Pass, "AWS_REGION is set (from the environment)"},
		{"region missing", nil, nil, ".region", Fail, "AWS_REGION is not set"},
		{"default region only", map[string]string{"AWS_DEFAULT_REGION": "eu-west-1"}, nil, ".region", Warn, "only AWS_DEFAULT_REGION"},
		{"region in settings", nil, map[string]string{".claude/settings.json": `{"env":{"AWS_REGION":"eu-central-1"}}`}, ".region", Pass, "set (from user settings ~/.claude/settings.json:1)"},
		{"profile", map[string]string{"AWS_PROFILE": "dev"}, nil, ".credentials", Pass, "AWS profile set (from the environment)"},
		{"static beats profile", map[string]string{"AWS_PROFILE": "dev", "AWS_ACCESS_KEY_ID": "AKIAEXAMPLEEXAMPLE01", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}, nil, ".credentials", Warn, "beat AWS_PROFILE (from the environment)"},
		{"token alone", map[string]string{"AWS_SESSION_TOKEN": "FwoGZXIvYXdzEXAMPLETOKEN0123456789"}, nil, ".credentials", Fail, "without AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"},
		{"key without secret", map[string]string{"AWS_ACCESS_KEY_ID": "AKIAEXAMPLEEXAMPLE01"}, nil, ".credentials", Fail, "without AWS_SECRET_ACCESS_KEY"},
		{"mixed token", map[string]string{"AWS_ACCESS_KEY_ID": "AKIAEXAMPLEEXAMPLE01", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
			map[string]string{".zshrc": "export AWS_SESSION_TOKEN=FwoGZXIvYXdzEXAMPLETOKEN0123456789\n"}, ".credentials", Warn, "is mixed with AWS_SESSION_TOKEN from ~/.zshrc:1"},
		{"bearer", map[string]string{"AWS_BEARER_TOKEN_BEDROCK": "ABSKQmVkcm9ja0FQSUtleUVYQU1QTEUwMTIzNDU2Nzg5"}, nil, ".credentials", Pass, "Bedrock API key"},
		{"nothing", nil, nil, ".credentials", Warn, "default chain"},
		{"sso expired", map[string]string{"AWS_PROFILE": "sso"}, map[string]string{
			".aws/sso/cache/0a1b.json": `{"startUrl":"https://my.awsapps.com/start","region":"us-east-1","accessToken":"aoaSSOTOKENEXAMPLE0123456789","expiresAt":"` + now.Add(-3*time.Hour).Format(time.RFC3339) + `"}`,
			".aws/sso/cache/ffff.json": `{"clientId":"x","clientSecret":"CLIENTSECRETEXAMPLE0123456789","expiresAt":"2027-01-01T00:00:00Z"}`,
		}, ".sso", Warn, "expired 3h0m0s ago"},
		{"sso valid", nil, map[string]string{
			".aws/sso/cache/0a1b.json": `{"startUrl":"https://my.awsapps.com/start","accessToken":"aoaSSOTOKENEXAMPLE0123456789","expiresAt":"2026-11-29T18:00:00UTC"}`,
		}, ".sso", Pass, "valid until 2026-11-29 18:00 UTC"},
		{"identity", map[string]string{"AWS_PROFILE": "dev"}, nil, ".identity", Skip, "`aws sts get-caller-identity`"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vars := map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1"}
			for k, v := range c.vars {
				vars[k] = v
			}
			env := pvEnv(t, vars)
			for rel, content := range c.files {
				ktWrite(t, filepath.Join(env.Home, rel), content)
			}
			r := Prepare(env)
			got := pvCheck(t, r, "provider.bedrock"+c.id)
			if got.Status != c.status || !strings.Contains(got.Title, c.title) {
				t.Fatalf("%+v\nwant %s with %q", got, c.status, c.title)
			}
			pvNoSecret(t, r)
		})
	}
}

// pvNoSecret: no provider secret of r is in its checks, and the redactor
// taught Report.Secrets masks each.
func pvNoSecret(t *testing.T, r *Report) {
	t.Helper()
	red := NewRedactor(r.Secrets()...)
	all, _ := json.Marshal(r.Checks())
	for _, s := range r.Provider.secrets {
		if strings.Contains(string(all), s) {
			t.Fatalf("a secret %.6s… is in the checks: %s", s, all)
		}
		if strings.Contains(red.String("value: "+s+"\n"), s) {
			t.Fatalf("the redactor does not mask %.6s…", s)
		}
	}
}

func TestProviderSecretsKnown(t *testing.T) {
	secret := "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	token := "FwoGZXIvYXdzEXAMPLETOKEN0123456789abcdef"
	bearer := "ABSKQmVkcm9ja0FQSUtleUVYQU1QTEUwMTIzNDU2Nzg5"
	foundry := "f0undryK3yEXAMPLE0123456789abcdef"
	env := pvEnv(t, map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_SECRET_ACCESS_KEY": secret})
	ktWrite(t, filepath.Join(env.Home, ".zshrc"), "export AWS_SESSION_TOKEN='"+token+"'\nAWS_BEARER_TOKEN_BEDROCK="+bearer+"\n")
	ktWrite(t, filepath.Join(env.Dir, ".claude", "settings.json"), `{"env":{"ANTHROPIC_FOUNDRY_API_KEY":"`+foundry+`"}}`)
	ktWrite(t, filepath.Join(env.Home, ".config", "gcloud", "application_default_credentials.json"),
		`{"type":"authorized_user","client_secret":"GOCSPX-adcsecretEXAMPLE012345","refresh_token":"1//0adcREFRESHexample0123456789"}`)
	r := Prepare(env)
	got := strings.Join(r.Secrets(), "\n")
	for _, s := range []string{secret, token, bearer, foundry, "GOCSPX-adcsecretEXAMPLE012345", "1//0adcREFRESHexample0123456789"} {
		if !strings.Contains(got, s) {
			t.Errorf("Secrets() lacks %.8s…", s)
		}
	}
	pvNoSecret(t, r)
}

func TestVertexChecklist(t *testing.T) {
	env := pvEnv(t, map[string]string{"CLAUDE_CODE_USE_VERTEX": "1"})
	r := Prepare(env)
	for id, want := range map[string]Status{".project": Fail, ".region": Fail, ".adc": Warn, ".identity": Skip} {
		if c := pvCheck(t, r, "provider.vertex"+id); c.Status != want {
			t.Errorf("%s: %+v, want %s", id, c, want)
		}
	}
	if c := pvCheck(t, r, "provider.vertex.identity"); !strings.Contains(c.Title, CmdGoogleIdentity) {
		t.Errorf("%+v", c)
	}
	env.Vars["ANTHROPIC_VERTEX_PROJECT_ID"] = "my-proj"
	env.Vars["CLOUD_ML_REGION"] = "us-east5"
	adc := filepath.Join(env.Home, ".config", "gcloud", "application_default_credentials.json")
	ktWrite(t, adc, `{"type":"authorized_user","client_id":"x","client_secret":"GOCSPX-adcsecretEXAMPLE012345","refresh_token":"1//0adcREFRESH"}`)
	r = Prepare(env)
	for id, want := range map[string]string{".project": "is set (from the environment)", ".region": "CLOUD_ML_REGION is set", ".adc": "(authorized_user)"} {
		if c := pvCheck(t, r, "provider.vertex"+id); c.Status != Pass || !strings.Contains(c.Title, want) {
			t.Errorf("%s: %+v", id, c)
		}
	}
	pvNoSecret(t, r)
	// GOOGLE_APPLICATION_CREDENTIALS names a missing file; then a file
	// that is not JSON; then one of an odd type.
	env.Vars["GOOGLE_APPLICATION_CREDENTIALS"] = filepath.Join(env.Home, "keys", "sa.json")
	if c := pvCheck(t, Prepare(env), "provider.vertex.adc"); c.Status != Fail || !strings.Contains(c.Title, "does not exist") {
		t.Errorf("%+v", c)
	}
	ktWrite(t, env.Vars["GOOGLE_APPLICATION_CREDENTIALS"], "-----BEGIN PRIVATE KEY-----\n")
	if c := pvCheck(t, Prepare(env), "provider.vertex.adc"); c.Status != Fail || !strings.Contains(c.Title, "not a JSON") {
		t.Errorf("%+v", c)
	}
	ktWrite(t, env.Vars["GOOGLE_APPLICATION_CREDENTIALS"], `{"type":"api_key"}`)
	if c := pvCheck(t, Prepare(env), "provider.vertex.adc"); c.Status != Fail || !strings.Contains(c.Title, `"api_key"`) {
		t.Errorf("%+v", c)
	}
}

func TestFoundryChecklist(t *testing.T) {
	for _, c := range []struct {
		vars   map[string]string
		id     string
		status Status
		title  string
	}{
		{nil, ".resource", Fail, "Neither"},
		{map[string]string{"ANTHROPIC_FOUNDRY_RESOURCE": "my-res"}, ".resource", Pass, "ANTHROPIC_FOUNDRY_RESOURCE is set"},
		{map[string]string{"ANTHROPIC_FOUNDRY_BASE_URL": "https://my-res.services.ai.azure.com"}, ".resource", Fail, "does not end in /anthropic"},
		{map[string]string{"ANTHROPIC_FOUNDRY_BASE_URL": "https://my-res.services.ai.azure.com/anthropic/"}, ".resource", Pass, "/anthropic"},
		{map[string]string{"ANTHROPIC_FOUNDRY_BASE_URL": "https://u:pw0123456789@my-res.services.ai.azure.com?api-key=q0123456789"}, ".resource", Fail, "(https://my-res.services.ai.azure.com) does not end"},
		{map[string]string{"ANTHROPIC_FOUNDRY_BASE_URL": "https://my-res.services.ai.azure.com/anthropic?api-key=q0123456789"}, ".resource", Pass, "is https://my-res.services.ai.azure.com/anthropic (from"},
		{map[string]string{"ANTHROPIC_FOUNDRY_API_KEY": "f0undryK3yEXAMPLE0123456789abcdef"}, ".credentials", Pass, "is set (from the environment)"},
		{nil, ".credentials", Pass, "Azure identity"},
		{nil, ".identity", Skip, CmdAzureIdentity},
	} {
		vars := map[string]string{"CLAUDE_CODE_USE_FOUNDRY": "1"}
		for k, v := range c.vars {
			vars[k] = v
		}
		r := Prepare(pvEnv(t, vars))
		if got := pvCheck(t, r, "provider.foundry"+c.id); got.Status != c.status || !strings.Contains(got.Title, c.title) {
			t.Errorf("%v: %+v, want %s %q", c.vars, got, c.status, c.title)
		}
		pvNoSecret(t, r)
	}
}

func TestAnthropicAWSChecklist(t *testing.T) {
	r := Prepare(pvEnv(t, map[string]string{"CLAUDE_CODE_USE_ANTHROPIC_AWS": "1"}))
	if c := pvCheck(t, r, "provider.anthropic_aws.workspace"); c.Status != Fail || !strings.Contains(c.Title, "ANTHROPIC_AWS_WORKSPACE_ID") {
		t.Fatalf("%+v", c)
	}
	for _, id := range []string{".region", ".credentials", ".identity"} {
		pvCheck(t, r, "provider.anthropic_aws"+id)
	}
	r = Prepare(pvEnv(t, map[string]string{"CLAUDE_CODE_USE_ANTHROPIC_AWS": "1", "ANTHROPIC_AWS_WORKSPACE_ID": "wrkspc_01", "AWS_REGION": "us-east-1",
		"AWS_BEARER_TOKEN_BEDROCK": "ABSKQmVkcm9ja0FQSUtleUVYQU1QTEUwMTIzNDU2Nzg5"}))
	if c := pvCheck(t, r, "provider.anthropic_aws.workspace"); c.Status != Pass {
		t.Fatalf("%+v", c)
	}
	// The Bedrock API key is Bedrock's only.
	if c := pvCheck(t, r, "provider.anthropic_aws.credentials"); strings.Contains(c.Title, "Bedrock API key") {
		t.Fatalf("%+v", c)
	}
}

// TestProviderSeveralFlags: with two flags on, the first in the resolver
// order routes, and the other is named.
func TestProviderSeveralFlags(t *testing.T) {
	env := pvEnv(t, map[string]string{"CLAUDE_CODE_USE_VERTEX": "1"})
	ktWrite(t, filepath.Join(env.Home, ".claude", "settings.json"), `{"env":{"CLAUDE_CODE_USE_BEDROCK":"1"}}`)
	r := Prepare(env)
	if a := r.Provider.Active(); a == nil || a.Provider.ID != "bedrock" {
		t.Fatalf("%+v", r.Provider.On)
	}
	if c := pvCheck(t, r, CheckProviderFlag); !strings.Contains(c.Detail, "CLAUDE_CODE_USE_VERTEX is on too") {
		t.Fatalf("%+v", c)
	}
}

// TestProviderGuessFlag: a Mantle flag is reported, as a warning only.
func TestProviderGuessFlag(t *testing.T) {
	r := Prepare(pvEnv(t, map[string]string{"CLAUDE_CODE_USE_MANTLE": "1"}))
	if r.Provider == nil || r.Provider.Routed() {
		t.Fatalf("%+v", r.Provider)
	}
	if c := pvCheck(t, r, CheckProviderFlag); c.Status != Warn || !strings.Contains(c.Title, "third parties") {
		t.Fatalf("%+v", c)
	}
}

// TestProviderGuessFlagHidesNoKnownOne: a Mantle flag (guess-level, and
// first in the reported resolver order) beside a Vertex flag: Vertex is
// still found, its checklist shown, the routing is the diagnosis's.
func TestProviderGuessFlagHidesNoKnownOne(t *testing.T) {
	r := Prepare(pvEnv(t, map[string]string{"CLAUDE_CODE_USE_MANTLE": "1", "CLAUDE_CODE_USE_VERTEX": "1"}))
	if !r.Provider.Routed() || r.Provider.Lead().Var != "CLAUDE_CODE_USE_VERTEX" {
		t.Fatalf("routed %v, lead %+v", r.Provider.Routed(), r.Provider.Lead())
	}
	if _, ok := r.CheckByID("provider.vertex.project"); !ok {
		t.Fatal("no Vertex checklist")
	}
	if c := pvCheck(t, r, CheckProviderFlag); !strings.Contains(c.Detail, "CLAUDE_CODE_USE_MANTLE is on too") {
		t.Fatalf("%+v", c)
	}
}

// TestProviderFIFO: a FIFO where a settings file or the ADC file belongs
// is not opened.
func TestProviderFIFO(t *testing.T) {
	env := pvEnv(t, map[string]string{"CLAUDE_CODE_USE_VERTEX": "1"})
	mkfifoOrSkip(t, filepath.Join(env.Home, ".claude", "settings.json"))
	mkfifoOrSkip(t, filepath.Join(env.Home, ".config", "gcloud", "application_default_credentials.json"))
	done := make(chan *Report)
	go func() { done <- Prepare(env) }()
	r := <-done
	if c := pvCheck(t, r, "provider.vertex.adc"); c.Status != Fail || !strings.Contains(c.Title, "not a regular file") {
		t.Fatalf("%+v", c)
	}
}

func mkfifoOrSkip(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
}

// FuzzProviderFiles: whatever a settings file, a .env or a start-up file
// holds, reading the routing never panics, every check it gives is
// finished, and a flag set to 1 in the environment still routes.
func FuzzProviderFiles(f *testing.F) {
	f.Add(`{"env":{"CLAUDE_CODE_USE_BEDROCK":"1","AWS_REGION":7}}`, "export CLAUDE_CODE_USE_VERTEX=${X:-1}\n", "AWS_PROFILE='a\nb'\n")
	f.Add(`{"env":{"CLAUDE_CODE_USE_BEDROCK":{"a":1}}}`, "CLAUDE_CODE_USE_FOUNDRY=$(id)\nexport CLAUDE_CODE_USE_FOUNDRY\n", "")
	f.Add(`{"env":null}`, "set -x CLAUDE_CODE_USE_BEDROCK 0", "CLAUDE_CODE_USE_BEDROCK=\"1")
	f.Fuzz(func(t *testing.T, settings, shell, dotenv string) {
		env := pvEnv(t, map[string]string{"CLAUDE_CODE_USE_ANTHROPIC_AWS": "1"})
		ktWrite(t, filepath.Join(env.Home, ".claude", "settings.json"), settings)
		ktWrite(t, filepath.Join(env.Home, ".bashrc"), shell)
		ktWrite(t, filepath.Join(env.Dir, ".env"), dotenv)
		r := Prepare(env)
		if r.Provider == nil {
			t.Fatal("the environment's flag was missed")
		}
		for _, c := range r.Checks() {
			if strings.HasPrefix(c.ID, "provider.") && (c.Status == Pending || c.Title == "") {
				t.Fatalf("%+v", c)
			}
		}
	})
}
