package probe

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCustomHeadersFromDotenv: ANTHROPIC_CUSTOM_HEADERS comes from the
// environment when it is set there (even empty: a dotenv loader never
// replaces it), else from the most important loaded .env file, its last
// assignment; the check names the file and line.
func TestCustomHeadersFromDotenv(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(".env", "ANTHROPIC_CUSTOM_HEADERS=\"x-a: 1\"\nANTHROPIC_CUSTOM_HEADERS=\"x-b: 2\"\n")
	env := &Env{Dir: dir, Vars: map[string]string{}}
	if v, from := customHeaders(env, false); v != "x-b: 2" || from != ".env:2" {
		t.Fatalf(".env: %q from %q", v, from)
	}
	write(".env.local", "# local\nANTHROPIC_CUSTOM_HEADERS=\"x-c: 3\"\n")
	if v, from := customHeaders(env, false); v != "x-c: 3" || from != ".env.local:2" {
		t.Fatalf(".env.local: %q from %q", v, from)
	}
	r := Prepare(env)
	if len(r.Env.CustomHeaders) != 1 || r.Env.CustomHeaders[0] != "x-c" || r.Env.CustomHeadersFrom != ".env.local:2" {
		t.Fatalf("facts: %+v", r.Env)
	}
	if got := r.checkCustomHeaders().Title; got != "ANTHROPIC_CUSTOM_HEADERS (from .env.local:2) adds x-c" {
		t.Fatalf("check: %q", got)
	}

	// Claude Code: its project settings' env block comes before the
	// environment, which comes before the .env files Bun loads.
	env.Vars["ANTHROPIC_CUSTOM_HEADERS"] = "x-env: 1"
	if v, from := customHeaders(env, true); v != "x-env: 1" || from != "env" {
		t.Fatalf("Claude Code, env: %q from %q", v, from)
	}
	write(".claude/settings.json", "{\n  \"env\": {\n    \"ANTHROPIC_CUSTOM_HEADERS\": \"x-cc: 1\"\n  }\n}\n")
	if v, from := customHeaders(env, true); v != "x-cc: 1" || from != ".claude/settings.json:3" {
		t.Fatalf("Claude Code, settings: %q from %q", v, from)
	}
	env.For = "claude-code"
	if r := Prepare(env); r.Env.CustomHeadersFrom != ".claude/settings.json:3" {
		t.Fatalf("Claude Code facts: %+v", r.Env)
	}
	if v, _ := customHeaders(env, false); v != "x-env: 1" {
		t.Fatalf("an SDK does not read Claude Code's settings: %q", v)
	}

	env.Vars["ANTHROPIC_CUSTOM_HEADERS"] = ""
	if v, from := customHeaders(env, false); v != "" || from != "env" {
		t.Fatalf("an empty variable in the environment still wins: %q from %q", v, from)
	}
}
