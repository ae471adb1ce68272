package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fix401/fix401/probe/lint"
	"github.com/fix401/fix401/probe/stub"
)

func TestMaskSecrets(t *testing.T) {
	key := stub.NewAPIKey()
	other := "gsk_" + strings.Repeat("a1B2", 8)
	token := "tok_" + strings.Repeat("9xY", 6)
	tests := []struct {
		name, in, want string
		secrets        []string // what the redactor learns
	}{
		{"x-api-key", `-H "x-api-key: ` + key + `"`, `-H "x-api-key: sk-ant-api03-•••"`, []string{key}},
		{"bearer", `-H "Authorization: Bearer ` + key + `"`, `-H "Authorization: Bearer sk-ant-api03-•••"`, []string{key}},
		{"another provider", "GROQ=" + other, "GROQ=•••", []string{other}},
		{"a named value", `"api_key": "` + token + `"`, `"api_key": "•••"`, []string{token}},
		{"a variable stays", `-H "x-api-key: $ANTHROPIC_API_KEY"`, `-H "x-api-key: $ANTHROPIC_API_KEY"`, nil},
		{"a placeholder stays", `api_key="YOUR_API_KEY"`, `api_key="YOUR_API_KEY"`, nil},
		{"a reference stays", `api_key=os.environ["ANTHROPIC_API_KEY"]`, `api_key=os.environ["ANTHROPIC_API_KEY"]`, nil},
		{"a key split over lines", "x-api-key: " + key[:50] + "\n" + key[50:] + "\n-H y",
			"x-api-key: sk-ant-api03-•••\n•••\n-H y", []string{key[:50] + "\n" + key[50:], key[:50], key[50:]}},
		{"a whole key does not take the next line", "K=" + key + "\nabc", "K=sk-ant-api03-•••\nabc", []string{key}},
		{"no key", "curl https://api.anthropic.com/v1/models", "curl https://api.anthropic.com/v1/models", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := maskSecrets(tt.in); got != tt.want {
				t.Errorf("maskSecrets = %q, want %q", got, tt.want)
			}
			if got := secretsIn(tt.in); !slices.Equal(got, tt.secrets) {
				t.Errorf("secretsIn = %q, want %q", got, tt.secrets)
			}
		})
	}
}

func TestLintRequest(t *testing.T) {
	home := t.TempDir()
	dir := filepath.Join(home, "project")
	write := func(rel, content string) {
		t.Helper()
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("client.py", placeholderPy)
	write("my app/client.py", placeholderPy)
	write("big.txt", strings.Repeat("x", lint.MaxInput+10))
	outside := filepath.Join(t.TempDir(), "other.py")
	if err := os.WriteFile(outside, []byte(cleanPy), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, text string
		file       string // the result's File
		err        string
		id         string // a finding expected
	}{
		{"relative", "client.py", "client.py", "", lint.IDAuthPlaceholder},
		{"spaces around", "  client.py \n", "client.py", "", lint.IDAuthPlaceholder},
		{"quoted, with a space", "'" + filepath.Join(dir, "my app/client.py") + "'", filepath.Join("my app", "client.py"), "", lint.IDAuthPlaceholder},
		{"escaped space", `my\ app/client.py`, filepath.Join("my app", "client.py"), "", lint.IDAuthPlaceholder},
		{"under home", "~/project/client.py", "client.py", "", lint.IDAuthPlaceholder},
		{"outside the project", outside, outside, "", ""},
		{"too large", "big.txt", "big.txt", "", lint.IDInputTooLarge},
		{"missing file", "src/clinet.py", filepath.Join("src", "clinet.py"), "no such file", ""},
		{"a directory", "my app", "my app", "not a regular file", ""},
		{"a sentence", "hello there", "pasted text", "", lint.IDInputNoRequest},
		{"a curl command", "curl https://api.anthropic.com/v1/models -H \"anthropic-version: 2023-06-01\"",
			"pasted curl command", "", lint.IDAuthMissing},
		{"an HTTP request", "GET /v1/models HTTP/1.1\nHost: api.anthropic.com\n\n", "pasted HTTP request", "", lint.IDAuthMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := lintRequest(dir, home, tt.text)
			if res.File != tt.file || res.Err != tt.err {
				t.Fatalf("File %q, Err %q; want %q, %q", res.File, res.Err, tt.file, tt.err)
			}
			if tt.id == "" {
				if tt.err == "" && len(res.Report.Findings) > 0 {
					t.Errorf("findings in a clean file: %+v", res.Report.Findings)
				}
				return
			}
			if !slices.ContainsFunc(res.Report.Findings, func(f lint.Finding) bool { return f.ID == tt.id }) {
				t.Errorf("no %s among %+v", tt.id, res.Report.Findings)
			}
		})
	}
}

func TestPreviewTail(t *testing.T) {
	lines := make([]string, 30)
	for i := range lines {
		lines[i] = strings.Repeat("x", i)
	}
	text := strings.Join(lines, "\n")
	if got, want := previewTail(text), strings.Join(lines[22:], "\n"); got != want {
		t.Errorf("tail of 30 lines = %q, want the last 8", got)
	}
	if got := previewTail("one line"); got != "one line" {
		t.Errorf("tail of one line = %q", got)
	}
	long := strings.Repeat("é", 10000)
	if got := previewTail(long); len(got) > 8<<10 || !strings.HasPrefix(got, "é") {
		t.Errorf("a long line's tail is %d bytes, starts %q", len(got), got[:2])
	}
	rows, hidden := previewRows("a\nb\nccccc", 2, 2)
	if !slices.Equal(rows, []string{"cc", "c"}) || hidden != 2 {
		t.Errorf("rows %q, hidden %d", rows, hidden)
	}
}
