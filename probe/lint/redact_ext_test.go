package lint_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/lint"
)

// madeUpKeys builds one credential of each shape at run time.
func madeUpKeys() []string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
	r := rand.New(rand.NewPCG(14, 2026))
	body := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	return []string{
		"sk-ant-api03-" + body(93) + "AA", "sk-ant-admin01-" + body(93) + "AA", "sk-ant-oat01-" + body(93) + "AA",
		"sk-proj-" + body(100), "AIza" + body(35), "gsk_" + strings.ReplaceAll(body(40), "-", "x"),
		"sk-ant-api03-short", "sk-ant-", body(24),
	}
}

// TestJSONAlwaysParses: lint's JSON, passed through probe's redactor as
// `fix401 lint --json` does, parses for inputs full of every secret shape
// and of the escapes JSON writes (\u003c for <); and redaction changes no
// word of a finding, since lint shows keys only as hints already.
func TestJSONAlwaysParses(t *testing.T) {
	secrets := madeUpKeys()
	shapes := []struct{ name, src string }{
		{"a.curl", `curl https://api.anthropic.com/v1/models -H "Authorization: %s" -H "x-api-key: %s"`},
		{"a.curl", `curl https://api.anthropic.com/v1/models -H 'Authorization: Bearer %s' -H "x-api-key: <%s>"`},
		{"a.http", "GET https://api.anthropic.com/v1/models\nAuthorization: Basic %s\nx-api-key: \"%s\\u003c\"\n"},
		{"a.py", "import anthropic\nanthropic.Anthropic(api_key=\"%s\", auth_token=\"%s\")\n"},
		{".env", "ANTHROPIC_AUTH_TOKEN=%s\nANTHROPIC_API_KEY=\"%s\\\"\"\n"},
		{"a.md", "```bash\ncurl https://api.anthropic.com/v1/models -H \"x-api-key: %s\" -H 'Authorization: %s'\n```\n"},
		{"ci.yml", "on: push\njobs:\n  a:\n    env:\n      ANTHROPIC_API_KEY: %s\n      ANTHROPIC_AUTH_TOKEN: <%s>\n"},
	}
	for _, sh := range shapes {
		for _, a := range secrets {
			for _, b := range secrets {
				src := fmt.Sprintf(sh.src, a, b)
				r := lint.Lint(sh.name, []byte(src))
				for _, f := range r.Findings {
					if probe.Redact(f.Message) != f.Message || probe.Redact(f.Fix) != f.Fix {
						t.Errorf("redaction changes a finding of %s: %q → %q", sh.name, f.Message+" | "+f.Fix, probe.Redact(f.Message+" | "+f.Fix))
					}
				}
				raw, err := json.MarshalIndent(r, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				out := probe.Redact(string(raw))
				var back lint.Report
				if err := json.Unmarshal([]byte(out), &back); err != nil {
					t.Fatalf("%s: invalid JSON after redaction: %v\n%s", sh.name, err, out)
				}
				for _, k := range secrets[:6] {
					if strings.Contains(out, k[len(k)-20:]) {
						t.Fatalf("%s: a key shows in the JSON:\n%s", sh.name, out)
					}
				}
			}
		}
	}
}

// FuzzJSONAlwaysParses: the same property for any input and file name.
func FuzzJSONAlwaysParses(f *testing.F) {
	k := madeUpKeys()[0]
	for _, seed := range []string{
		`curl https://api.anthropic.com/v1/models -H "Authorization: ` + k + `"`,
		"x-api-key: <key> and \u003c",
		"```yaml\nenv:\n  ANTHROPIC_API_KEY: \"" + k + "\\\"\n```",
		`{"cells": [{"cell_type": "code", "source": ["api_key=\"` + k + `\""]}]}`,
	} {
		f.Add("a.md", seed)
		f.Add("-", seed)
	}
	f.Fuzz(func(t *testing.T, name, src string) {
		r := lint.Lint(name, []byte(src))
		for _, f := range r.Findings {
			if f.ID == lint.IDInternal {
				t.Fatalf("lint panicked on %q", src)
			}
		}
		raw, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var back lint.Report
		if err := json.Unmarshal([]byte(probe.Redact(string(raw))), &back); err != nil {
			t.Fatalf("invalid JSON after redaction: %v\n%s", err, probe.Redact(string(raw)))
		}
	})
}

// TestRedactionKeepsEveryMessage: for every fixture and corpus sample, the
// text lint prints passes probe.Redact unchanged: lint's messages never
// look like a secret to the redactor that runs over them.
func TestRedactionKeepsEveryMessage(t *testing.T) {
	files, err := filepath.Glob("testdata/*/*")
	if err != nil || len(files) < 100 {
		t.Fatalf("%d files: %v", len(files), err)
	}
	keys := madeUpKeys()
	tokens := []string{"@@APIKEY@@", "@@ADMINKEY@@", "@@OAUTH@@", "@@OPENAI@@", "@@GOOGLE@@"}
	seen := 0
	for _, path := range files {
		if strings.HasSuffix(path, ".want") || strings.HasSuffix(path, "README.md") {
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		for i, tok := range tokens {
			src = strings.ReplaceAll(src, tok, keys[i])
		}
		for _, f := range lint.Lint(filepath.Base(path), []byte(src)).Findings {
			seen++
			for _, s := range []string{f.Message, f.Fix} {
				if got := probe.Redact(s); got != s {
					t.Errorf("%s: redaction changes %q into %q", path, s, got)
				}
			}
		}
	}
	if seen < 100 {
		t.Fatalf("only %d findings looked at", seen)
	}
}
