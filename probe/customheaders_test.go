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
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(".env", "ANTHROPIC_CUSTOM_HEADERS=\"x-a: 1\"\nANTHROPIC_CUSTOM_HEADERS=\"x-b: 2\"\n")
	env := &Env{Dir: dir, Vars: map[string]string{}}
	if v, from := customHeaders(env); v != "x-b: 2" || from != ".env:2" {
		t.Fatalf(".env: %q from %q", v, from)
	}
	write(".env.local", "# local\nANTHROPIC_CUSTOM_HEADERS=\"x-c: 3\"\n")
	if v, from := customHeaders(env); v != "x-c: 3" || from != ".env.local:2" {
		t.Fatalf(".env.local: %q from %q", v, from)
	}
	f := ReadEnvFacts(env)
	if len(f.CustomHeaders) != 1 || f.CustomHeaders[0] != "x-c" || f.CustomHeadersFrom != ".env.local:2" {
		t.Fatalf("facts: %+v", f)
	}
	r := &Report{Env: f}
	if got := r.checkCustomHeaders().Title; got != "ANTHROPIC_CUSTOM_HEADERS (from .env.local:2) adds x-c" {
		t.Fatalf("check: %q", got)
	}
	env.Vars["ANTHROPIC_CUSTOM_HEADERS"] = ""
	if v, from := customHeaders(env); v != "" || from != "env" {
		t.Fatalf("an empty variable in the environment still wins: %q from %q", v, from)
	}
}
