package ui

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/lint"
	"github.com/fix401/fix401/probe/stub"
	"github.com/fix401/fix401/steps"
)

// seededKey is a well-formed API key from a seeded generator: random, but
// the same on every run, so a golden file can hold its hint.
func seededKey(seed uint64) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, 93)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return probe.PrefixAPI + string(b) + "AA"
}

// bearerCurl sends key as a Bearer token and has no anthropic-version: one
// error and two warnings (Bearer, which gateways may strip; the key in plain
// text).
func bearerCurl(key string) string {
	return "curl https://api.anthropic.com/v1/models \\\n  -H \"Authorization: Bearer " + key + "\"\n"
}

const cleanPy = "import os\nimport anthropic\n\nclient = anthropic.Anthropic(api_key=os.environ[\"ANTHROPIC_API_KEY\"])\nprint(client.models.list())\n"

const placeholderPy = "import anthropic\n\nclient = anthropic.Anthropic(api_key=\"YOUR_API_KEY\")\nprint(client.models.list())\n"

// typeText types s key by key.
func typeText(t *testing.T, m Model, s string) Model {
	t.Helper()
	for _, r := range s {
		m = update(t, m, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return m
}

// runLint submits the dialog with key k and feeds the lint's result back.
func runLint(t *testing.T, m Model, k tea.KeyPressMsg) Model {
	t.Helper()
	m, cmd := updateCmd(t, m, k)
	if cmd == nil {
		t.Fatal("no lint command")
	}
	msg, ok := cmd().(lintDoneMsg)
	if !ok {
		t.Fatalf("the command returned %T, not the lint", msg)
	}
	return update(t, m, msg)
}

func headersModel(t testing.TB) Model {
	t.Helper()
	return goTo(t, testModel(t, report(401)), steps.Headers)
}

func TestLintOpensOnlyOnHeaders(t *testing.T) {
	for _, s := range steps.Order {
		m := update(t, goTo(t, testModel(t, report(401)), s), press("l"))
		if got := m.state == stateLint; got != (s == steps.Headers) {
			t.Errorf("%s: l opened the dialog: %v", s, got)
		}
		if bar := helpBar(m); strings.Contains(bar, "l lint request") {
			t.Errorf("%s: after l, the help still offers l: %q", s, bar)
		}
	}
}

func TestLintPastedCurl(t *testing.T) {
	for _, eol := range []string{"\n", "\r\n"} {
		key := stub.NewAPIKey()
		m := update(t, headersModel(t), press("l"))
		m = update(t, m, tea.PasteMsg{Content: strings.ReplaceAll(bearerCurl(key), "\n", eol)})
		if p := pieces(m.View().Content, key); len(p) > 0 {
			t.Fatalf("the dialog shows a piece of the key: %q", p[0])
		}
		if s := screen(m); !strings.Contains(s, `-H "Authorization: [redacted]"`) || !strings.Contains(s, "curl https://api.anthropic.com/v1/models \\") {
			t.Errorf("the dialog does not show the pasted command, masked:\n%s", s)
		}
		if m.red.String(key) == key {
			t.Error("the redactor does not know the pasted key")
		}

		m = runLint(t, m, press("enter"))
		if m.state != stateBrowse || m.area.Value() != "" {
			t.Errorf("after lint: state %d, %d bytes of text kept", m.state, len(m.area.Value()))
		}
		s := screen(m)
		for _, want := range []string{
			"Your request",
			"[✗] pasted curl command, line 1: No anthropic-version header",
			"[!] pasted curl command, line 2: The key is sent as Authorization: Bearer.",
			"[!] pasted curl command, line 2: The command contains a key (" + probe.Hint(key) + ")",
			"→ If one of those is in the way, send the key in x-api-key",
			"Linted a pasted curl command: 1 error",
		} {
			if !strings.Contains(s, want) {
				t.Errorf("%q: the screen lacks %q:\n%s", eol, want, s)
			}
		}
		if p := pieces(m.View().Content, key); len(p) > 0 {
			t.Errorf("the findings show a piece of the key: %q", p[0])
		}
		if !slices.Contains(m.actions, "linted a pasted curl command: 1 error") {
			t.Errorf("actions = %q", m.actions)
		}
		sum := m.summaryText()
		if !strings.Contains(sum, "linted a pasted curl command: 1 error") {
			t.Error("the summary does not say what was linted")
		}
		if p := pieces(sum, key); len(p) > 0 {
			t.Errorf("the summary holds a piece of the key: %q", p[0])
		}
	}
}

func TestLintFile(t *testing.T) {
	m := headersModel(t)
	dir := m.env.Dir
	for name, src := range map[string]string{"client.py": placeholderPy, "ok.py": cleanPy} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "src"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		typed  string
		submit tea.KeyPressMsg
		want   []string
		action string
	}{
		{"relative", "client.py", press("enter"),
			[]string{"[✗] client.py, line 3: The key is a placeholder", "Linted client.py: 1 error"}, "linted client.py: 1 error"},
		{"absolute, ctrl+d", filepath.Join(dir, "ok.py"), tea.KeyPressMsg{Code: 'd', Mod: tea.ModCtrl},
			[]string{"[✓] No problems found in ok.py", "Linted ok.py: no problems found."}, "linted ok.py: 0 errors"},
		{"under home", "~/project/ok.py", press("enter"),
			[]string{"[✓] No problems found in ok.py"}, "linted ok.py: 0 errors"},
		{"missing", "clinet.py", press("enter"),
			[]string{"[?] Cannot lint clinet.py: no such file", "Could not lint clinet.py: no such file."},
			"tried to lint clinet.py: no such file"},
		{"a directory", "src", press("enter"),
			[]string{"Could not lint src: not a regular file."}, "tried to lint src: not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := typeText(t, update(t, m, press("l")), tt.typed)
			m = runLint(t, m, tt.submit)
			s := screen(m)
			for _, w := range tt.want {
				if !strings.Contains(s, w) {
					t.Errorf("the screen lacks %q:\n%s", w, s)
				}
			}
			if len(m.actions) != 1 || m.actions[0] != tt.action {
				t.Errorf("actions = %q, want %q", m.actions, tt.action)
			}
		})
	}
}

func TestLintAgain(t *testing.T) {
	m := headersModel(t)
	path := filepath.Join(m.env.Dir, "client.py")
	if err := os.WriteFile(path, []byte(placeholderPy), 0o644); err != nil {
		t.Fatal(err)
	}
	m = runLint(t, typeText(t, update(t, m, press("l")), "client.py"), press("enter"))
	if err := os.WriteFile(path, []byte(cleanPy), 0o644); err != nil {
		t.Fatal(err)
	}
	m = runLint(t, typeText(t, update(t, m, press("l")), "client.py"), press("enter"))
	s := screen(m)
	if strings.Contains(s, "placeholder") || !strings.Contains(s, "No problems found in client.py") {
		t.Errorf("the second lint of a file does not replace the first:\n%s", s)
	}
	if len(m.actions) != 2 {
		t.Errorf("actions = %q", m.actions)
	}
}

func TestLintDialogKeys(t *testing.T) {
	t.Run("esc cancels", func(t *testing.T) {
		m := typeText(t, update(t, headersModel(t), press("l")), "client.py")
		m, cmd := updateCmd(t, m, press("esc"))
		if m.state != stateBrowse || m.area.Value() != "" || cmd != nil || len(m.actions) != 0 {
			t.Errorf("esc: state %d, text %q, command %v, actions %q", m.state, m.area.Value(), cmd != nil, m.actions)
		}
		if m = update(t, m, tea.PasteMsg{Content: "curl x"}); m.area.Value() != "" {
			t.Error("a paste after esc reached the dialog")
		}
	})
	t.Run("empty enter closes", func(t *testing.T) {
		m, cmd := updateCmd(t, update(t, headersModel(t), press("l")), press("enter"))
		if m.state != stateBrowse || cmd != nil {
			t.Errorf("state %d, command %v", m.state, cmd != nil)
		}
	})
	t.Run("q is text", func(t *testing.T) {
		m, cmd := updateCmd(t, update(t, headersModel(t), press("l")), press("q"))
		if m.state != stateLint || m.area.Value() != "q" {
			t.Errorf("state %d, text %q", m.state, m.area.Value())
		}
		if cmd != nil {
			if _, ok := cmd().(tea.QuitMsg); ok {
				t.Error("q quit from the dialog")
			}
		}
	})
	t.Run("a trailing backslash continues the line", func(t *testing.T) {
		m := typeText(t, update(t, headersModel(t), press("l")), `curl https://api.anthropic.com/v1/models \`)
		m, cmd := updateCmd(t, m, press("enter"))
		if m.state != stateLint || cmd != nil {
			t.Fatalf("enter after a backslash submitted (state %d)", m.state)
		}
		m = typeText(t, m, `  -H "x-api-key: $ANTHROPIC_API_KEY"`)
		if want := "curl https://api.anthropic.com/v1/models \\\n  -H \"x-api-key: $ANTHROPIC_API_KEY\""; m.area.Value() != want {
			t.Errorf("text = %q, want %q", m.area.Value(), want)
		}
		m = update(t, m, tea.KeyPressMsg{Code: 'j', Mod: tea.ModCtrl})
		if !strings.HasSuffix(m.area.Value(), "\"\n") {
			t.Errorf("ctrl+j did not break the line: %q", m.area.Value())
		}
		m = runLint(t, m, press("enter"))
		if s := screen(m); !strings.Contains(s, "pasted curl command, line 1: No anthropic-version header") {
			t.Errorf("the typed command was not linted as one:\n%s", s)
		}
	})
}

func TestLintHelp(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T) Model
		want    []string
		notWant []string
	}{
		{"headers", func(t *testing.T) Model { return headersModel(t) }, []string{"l lint request", "enter →", "q quit"}, []string{"enter lint it", "esc"}},
		{"another step", func(t *testing.T) Model { return goTo(t, testModel(t, report(401)), steps.Permissions) },
			[]string{"enter →"}, []string{"l lint"}},
		{"dialog", func(t *testing.T) Model { return update(t, headersModel(t), press("l")) },
			[]string{"enter lint it", "ctrl+j new line", "esc cancel", "ctrl+c quit"},
			[]string{"q quit", "l lint", "enter →", "← back", "? help", "e test key"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bar := helpBar(tt.prepare(t))
			for _, w := range tt.want {
				if !strings.Contains(bar, w) {
					t.Errorf("help %q lacks %q", bar, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(bar, w) {
					t.Errorf("help %q shows %q", bar, w)
				}
			}
		})
	}
	full := screen(update(t, headersModel(t), press("?")))
	if !strings.Contains(full, "lint request") {
		t.Errorf("the full help lacks the lint:\n%s", full)
	}
}

// TestLintShowsCheckLint: results of check --lint, in the report, show in
// the same section, with the same verdict as the checklist.
func TestLintShowsCheckLint(t *testing.T) {
	r := report(401)
	r.Lint = []probe.LintResult{{File: "client.py", Report: lint.Lint("client.py", []byte(placeholderPy))}}
	m := goTo(t, testModel(t, r), steps.Headers)
	s := screen(m)
	if !strings.Contains(s, "Your request") || !strings.Contains(s, "[✗] client.py, line 3: The key is a placeholder") {
		t.Errorf("check --lint results missing:\n%s", s)
	}
	if strings.Contains(s, "Press l to lint") {
		t.Error("the invitation shows next to results")
	}
}

func TestLintPreview(t *testing.T) {
	key := stub.NewAPIKey()
	long := strings.Repeat("  -H \"x-custom: 1\" \\\n", 20) + "  -H \"x-api-key: " + key[:40] + "\n" + key[40:] + "\""
	m := update(t, headersModel(t), press("l"), tea.PasteMsg{Content: "curl https://api.anthropic.com/v1/models \\\n" + long})
	out := m.View().Content
	if p := pieces(out, key); len(p) > 0 {
		t.Errorf("a key split over two lines shows a piece: %q", p[0])
	}
	s := screen(m)
	if !strings.Contains(s, "more lines above") {
		t.Errorf("no word of the lines above:\n%s", s)
	}
	if n := len(strings.Split(out, "\n")); n > m.height {
		t.Errorf("%d lines on a %d-line screen", n, m.height)
	}
	if v := m.View(); v.Cursor == nil {
		t.Error("no cursor in the dialog")
	}
}

func TestGoldenLint(t *testing.T) {
	for _, tt := range []struct {
		name          string
		opts          Options
		width, height int
	}{
		{"wide", Options{}, 100, 0},
		{"narrow-nocolor", Options{NoColor: true}, 60, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, secrets := demoModel(t, "shadowed", tt.opts)
			m.report.Lint = []probe.LintResult{{File: "client.py", Report: lint.Lint("client.py", []byte(cleanPy))}}
			key := seededKey(401)
			m = goTo(t, m, steps.Headers)
			m = update(t, m, press("l"), tea.PasteMsg{Content: bearerCurl(key)})
			m = runLint(t, m, press("enter"))
			out := m.screen(steps.Headers, tt.width, tt.height)
			checkScreen(t, out, append(secrets, key))
			golden.RequireEqual(t, out)
		})
	}
}

// BenchmarkLintDialogKey is one key typed into the lint dialog after a
// large paste (2,000 lines of curl headers, about 60 KB), with the frame it
// draws.
func BenchmarkLintDialogKey(b *testing.B) {
	m := update(b, headersModel(b), press("l"))
	text := "curl https://api.anthropic.com/v1/models \\\n" + strings.Repeat("  -H \"x-custom: 0123456789abcdef\" \\\n", 2000)
	m = update(b, m, tea.PasteMsg{Content: text})
	b.ResetTimer()
	for b.Loop() {
		nm, _ := m.Update(press("x"))
		_ = nm.(Model).View()
	}
}
