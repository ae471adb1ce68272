package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/stub"
	"github.com/fix401/fix401/steps"
)

var t0 = time.Date(2026, 11, 25, 17, 3, 11, 0, time.UTC)

func cand(origin probe.Origin, source string) probe.Candidate {
	k := stub.NewAPIKey()
	return probe.Candidate{Source: source, Origin: origin, Var: probe.VarAPIKey, Value: k, Raw: k, Clean: k,
		Hint: probe.Hint(k), Kind: probe.KindAPI, Exported: origin != probe.OriginDotenv}
}

func answer(label string, status int, typ, msg string) *probe.Answer {
	a := &probe.Answer{Label: label, Method: "GET", URL: "https://api.anthropic.com/v1/models", Time: t0,
		Status: status, ErrorType: typ, Message: msg, Anthropic: true, Shape: "anthropic", Attempts: 1,
		RequestID: "req_011CUITESTUITESTUITESTUI"}
	if status == 200 {
		a.ModelIDs = []string{"claude-x"}
	}
	return a
}

// report is a finished run: one key from the environment, accepted when
// status is 200.
func report(status int) *probe.Report {
	r := &probe.Report{
		StartedAt:  t0,
		Zone:       "UTC",
		Target:     probe.Target{BaseURL: probe.DefaultBaseURL, BaseURLSource: "default", StatusURL: probe.DefaultStatusURL},
		Candidates: []probe.Candidate{cand(probe.OriginEnv, "env ANTHROPIC_API_KEY")},
		Net:        &probe.NetResult{Host: "api.anthropic.com", TLSVer: "TLS 1.3", TLSIssuer: "Test CA"},
		Control:    answer("control", 401, "authentication_error", "invalid x-api-key"),
		Status: &probe.StatusPage{Indicator: "none", Description: "All Systems Operational", APIStatus: "operational",
			Answer: answer("status", 200, "", "")},
		Done: map[string]bool{},
	}
	if status == 200 {
		r.Auth, r.Quota = answer("auth", 200, "", ""), answer("quota", 200, "", "")
	} else {
		r.Auth = answer("auth", status, "authentication_error", "invalid x-api-key")
		r.Quota = answer("quota", status, "authentication_error", "invalid x-api-key")
	}
	for _, p := range r.Planned() {
		r.Done[p] = true
	}
	return r
}

// pasted puts a pasted key in front of r's candidates, as Prepare does
// for a key given on stdin.
func pasted(r *probe.Report, key string) *probe.Report {
	c := probe.Candidate{Source: "stdin", Origin: probe.OriginStdin, Value: key, Raw: key, Clean: key,
		Hint: probe.Hint(key), Kind: probe.KindAPI}
	r.Candidates = append([]probe.Candidate{c}, r.Candidates...)
	r.Active = 0
	r.Others = []probe.CandidateAnswer{{Index: 1, Answer: answer("candidate", 401, "authentication_error", "invalid x-api-key")}}
	r.Done[probe.ProbeOthers] = true
	return r
}

// testModel is the wizard showing a finished report, with no program.
func testModel(t testing.TB, r *probe.Report) Model {
	t.Helper()
	home := t.TempDir()
	dir := filepath.Join(home, "project")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	m := New(context.Background(), &probe.Env{Home: home, Dir: dir, Now: func() time.Time { return t0 }},
		Options{Width: 100, Height: 40, Version: "test"})
	m = m.adopt(r)
	m.holding, m.running = false, false
	return update(t, m, tea.WindowSizeMsg{Width: 100, Height: 40})
}

// goTo shows a step, as if the user had walked there.
func goTo(t testing.TB, m Model, s steps.StepID) Model {
	t.Helper()
	m.wiz = steps.NewWizard().Goto(s)
	return update(t, m, tea.WindowSizeMsg{Width: m.width, Height: m.height})
}

// update applies messages and drops the commands.
func update(t testing.TB, m Model, msgs ...tea.Msg) Model {
	t.Helper()
	for _, msg := range msgs {
		nm, _ := m.Update(msg)
		m = nm.(Model)
	}
	return m
}

func updateCmd(t *testing.T, m Model, msg tea.Msg) (Model, tea.Cmd) {
	t.Helper()
	nm, cmd := m.Update(msg)
	return nm.(Model), cmd
}

func press(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// screen is the plain text of the current view.
func screen(m Model) string { return ansi.Strip(m.View().Content) }

func helpBar(m Model) string {
	lines := strings.Split(strings.TrimRight(screen(m), "\n "), "\n")
	return lines[len(lines)-1]
}

func TestQuitCancelsTheProbes(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		m := testModel(t, report(401))
		ctx := m.runCtx
		m, cmd := updateCmd(t, m, press(k))
		if cmd == nil {
			t.Fatalf("%s: no command", k)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Errorf("%s: command does not quit", k)
		}
		if ctx.Err() == nil {
			t.Errorf("%s: the probes' context is still live", k)
		}
	}
}

func TestQuitWhileTypingAKey(t *testing.T) {
	m := update(t, testModel(t, report(401)), press("e"))
	m, cmd := updateCmd(t, m, press("q"))
	if m.state != stateEnterKey || m.input.Value() != "q" {
		t.Fatalf("q while typing: state %d, value %q", m.state, m.input.Value())
	}
	if cmd != nil {
		if _, ok := cmd().(tea.QuitMsg); ok {
			t.Error("q quit while typing a key")
		}
	}
	_, cmd = updateCmd(t, m, press("ctrl+c"))
	if cmd == nil {
		t.Fatal("ctrl+c: no command")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("ctrl+c does not quit while typing")
	}
}

func TestPartsOfAReplacedRunAreDropped(t *testing.T) {
	m := testModel(t, report(401))
	m.run = 2
	ch := make(chan reportPart)
	m.parts = ch
	got := "x"
	part := func(r *probe.Report) { r.Target.Model = got }

	m, cmd := updateCmd(t, m, partMsg{run: 1, part: part})
	if m.report.Target.Model != "" || cmd != nil {
		t.Errorf("a part of run 1 was applied to run 2 (cmd %v)", cmd != nil)
	}
	m, cmd = updateCmd(t, m, partMsg{run: 2, part: part})
	if m.report.Target.Model != got {
		t.Error("a part of the current run was dropped")
	}
	if cmd == nil {
		t.Error("the wait for the next part was not re-armed")
	}
	old := m.report
	m = update(t, m, runStartedMsg{run: 1, report: report(200)})
	if m.report != old {
		t.Error("a replaced run's report was adopted")
	}
	m.running = true
	if m = update(t, m, runDoneMsg{run: 1}); !m.running {
		t.Error("the end of run 1 ended run 2")
	}
	if m = update(t, m, runDoneMsg{run: 2}); m.running {
		t.Error("the end of run 2 was missed")
	}
}

func TestCheckingIsHeld(t *testing.T) {
	m := testModel(t, report(401))
	m.holding = true
	m = update(t, m, holdDoneMsg{run: m.run - 1})
	if s := screen(m); strings.Contains(s, "401 Unauthorized") || !strings.Contains(s, "checking…") {
		t.Errorf("results shown during the hold:\n%s", s)
	}
	m = update(t, m, holdDoneMsg{run: m.run})
	if s := screen(m); !strings.Contains(s, "401 Unauthorized") || strings.Contains(s, "checking…") {
		t.Errorf("results not shown after the hold:\n%s", s)
	}
}

func TestNavigation(t *testing.T) {
	tests := []struct {
		name string
		r    *probe.Report
		keys []string
		want string // in the header
	}{
		{"working key jumps to verify", report(200), []string{"enter"}, "7/8 Verify the fix"},
		{"rejected key goes to your key", report(401), []string{"right"}, "2/8 Your key"},
		{"back retraces the jump", report(200), []string{"enter", "left"}, "1/8 The error"},
		{"back at the start stays", report(401), []string{"left"}, "1/8 The error"},
		{"to the end", report(401), []string{"enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter"}, "8/8 Summary"},
		{"a digit goes to a step the path skipped", report(200), []string{"enter", "4"}, "4/8 Headers & network"},
		{"back after a jump returns", report(200), []string{"enter", "4", "left"}, "7/8 Verify the fix"},
		{"a digit out of range does nothing", report(401), []string{"9"}, "1/8 The error"},
		{"digits type into the key field", report(401), []string{"e", "4"}, "1/8 The error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testModel(t, tt.r)
			for _, k := range tt.keys {
				m = update(t, m, press(k))
			}
			if head := strings.SplitN(screen(m), "\n", 2)[0]; !strings.Contains(head, tt.want) {
				t.Errorf("header %q, want %q", head, tt.want)
			}
		})
	}
}

func TestHelpListsOnlyWorkingKeys(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T) Model
		want    []string
		notWant []string
	}{
		{"first step", func(t *testing.T) Model { return testModel(t, report(401)) },
			[]string{"enter →", "q quit", "e test key"}, []string{"← back", "c copy", "s save", "w save", "esc"}},
		{"summary", func(t *testing.T) Model {
			return update(t, testModel(t, report(401)), press("enter"), press("enter"), press("enter"), press("enter"),
				press("enter"), press("enter"), press("enter"))
		}, []string{"c copy", "s save", "← back"}, []string{"enter →", "e test key"}},
		{"typing a key", func(t *testing.T) Model { return update(t, testModel(t, report(401)), press("e")) },
			[]string{"enter test it", "esc cancel", "ctrl+c quit"}, []string{"q quit", "← back", "enter →"}},
		{"pasted key accepted", func(t *testing.T) Model {
			k := stub.NewAPIKey()
			m := testModel(t, report(401))
			m.env.StdinKey, m.env.HasStdinKey, m.tried = k, true, []string{probe.Hint(k)}
			m = m.adopt(pasted(report(200), k))
			return goTo(t, m, steps.VerifyKey)
		}, []string{"w save to .env"}, []string{"g git-ignore"}},
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
}

// pieces reports every MinPiece-long piece of a key's secret part (after
// the public sk-ant-api03- prefix) found in s.
func pieces(s, key string) []string {
	var out []string
	body := key
	if i := strings.Index(key, "sk-ant-"); i >= 0 {
		// The prefix is public: a hint shows it. The rest is secret.
		rest := key[i+len("sk-ant-"):]
		if j := strings.IndexByte(rest, '-'); j >= 0 {
			body = rest[j+1:]
		}
	}
	for i := 0; i+probe.MinPiece <= len(body); i++ {
		if p := body[i : i+probe.MinPiece]; strings.Contains(s, p) {
			out = append(out, p)
		}
	}
	return out
}

func TestPastedKeyIsTestedAndNeverShown(t *testing.T) {
	key := stub.NewAPIKey()
	m := update(t, testModel(t, report(401)), press("e"), tea.PasteMsg{Content: key + "\n"})
	if p := pieces(m.View().Content, key); len(p) > 0 {
		t.Fatalf("the pasted key shows while typing: %q", p)
	}
	m, cmd := updateCmd(t, m, press("enter"))
	if cmd == nil {
		t.Fatal("no run started")
	}
	if !m.env.HasStdinKey || m.env.StdinKey != key {
		t.Error("the next run does not test the pasted key")
	}
	if len(m.tried) != 1 || m.tried[0] != probe.Hint(key) {
		t.Errorf("tried = %q", m.tried)
	}
	if m.wiz.Step != steps.VerifyKey || !m.holding {
		t.Errorf("after pasting: step %s, holding %v", m.wiz.Step, m.holding)
	}
	m = update(t, m, runStartedMsg{run: m.run, report: pasted(report(200), key)}, holdDoneMsg{run: m.run})
	s := screen(m)
	if !strings.Contains(s, probe.Hint(key)+": the API accepts it") {
		t.Errorf("the pasted key's result is missing:\n%s", s)
	}
	if p := pieces(m.View().Content, key); len(p) > 0 {
		t.Errorf("the pasted key shows: %q", p)
	}
	if p := pieces(m.summaryText(), key); len(p) > 0 {
		t.Errorf("the summary holds the pasted key: %q", p)
	}
}

func TestEmptyKeyCancels(t *testing.T) {
	m, cmd := updateCmd(t, update(t, testModel(t, report(401)), press("e")), press("enter"))
	if cmd != nil || m.state != stateBrowse || m.env.HasStdinKey {
		t.Errorf("an empty key started a run (state %d)", m.state)
	}
	m = update(t, m, press("e"), press("x"), press("esc"))
	if m.state != stateBrowse || m.input.Value() != "" {
		t.Errorf("esc left state %d, value %q", m.state, m.input.Value())
	}
}

func TestWriteKeyToEnv(t *testing.T) {
	key := stub.NewAPIKey()
	prepare := func(t *testing.T) Model {
		m := testModel(t, report(401))
		m.env.StdinKey, m.env.HasStdinKey, m.tried = key, true, []string{probe.Hint(key)}
		m = m.adopt(pasted(report(200), key))
		return update(t, goTo(t, m, steps.VerifyKey), press("w"))
	}
	t.Run("no", func(t *testing.T) {
		m := prepare(t)
		if !strings.Contains(screen(m), "(y/n)") {
			t.Fatal("no question asked")
		}
		m, cmd := updateCmd(t, m, press("n"))
		if cmd != nil || m.state != stateBrowse {
			t.Error("n did not cancel")
		}
		if _, err := os.Stat(filepath.Join(m.env.Dir, ".env")); !os.IsNotExist(err) {
			t.Error(".env written after n")
		}
	})
	t.Run("yes", func(t *testing.T) {
		m := prepare(t)
		m, cmd := updateCmd(t, m, press("y"))
		if cmd == nil {
			t.Fatal("y wrote nothing")
		}
		msg, ok := cmd().(envWrittenMsg)
		if !ok || msg.err != nil {
			t.Fatalf("write: %#v", msg)
		}
		data, err := os.ReadFile(filepath.Join(m.env.Dir, ".env"))
		if err != nil || string(data) != "ANTHROPIC_API_KEY="+key+"\n" {
			t.Fatalf(".env is %q, %v", data, err)
		}
		m = update(t, m, msg)
		s := screen(m)
		if !strings.Contains(s, "Saved in ~/project/.env") {
			t.Errorf("no word of the write:\n%s", s)
		}
		if strings.Contains(helpBar(m), "w save") {
			t.Error("w still offered after writing")
		}
		if p := pieces(m.View().Content, key); len(p) > 0 {
			t.Errorf("the key shows: %q", p)
		}
	})
}

func TestOfferGitignore(t *testing.T) {
	key := stub.NewAPIKey()
	m := testModel(t, report(401))
	initRepo(t, m.env.Dir)
	m.env.StdinKey, m.env.HasStdinKey, m.tried = key, true, []string{probe.Hint(key)}
	m = m.adopt(pasted(report(200), key))
	m = goTo(t, m, steps.VerifyKey)
	path, err := WriteEnvKey(m.env.Dir, key)
	if err != nil {
		t.Fatal(err)
	}
	res, err := GitIgnored(m.env.Dir, ".env")
	if err != nil {
		t.Fatal(err)
	}
	m = update(t, m, envWrittenMsg{path: path}, ignoreCheckedMsg{result: res})
	if !strings.Contains(screen(m), "git would commit .env") || !strings.Contains(helpBar(m), "g git-ignore") {
		t.Fatalf("no offer to ignore .env:\n%s", screen(m))
	}
	m, cmd := updateCmd(t, update(t, m, press("g")), press("y"))
	if cmd == nil {
		t.Fatal("y did nothing")
	}
	added, ok := cmd().(ignoreAddedMsg)
	if !ok || added.err != nil {
		t.Fatalf("add: %#v", added)
	}
	m, cmd = updateCmd(t, m, added)
	checked := cmd().(ignoreCheckedMsg)
	m = update(t, m, checked)
	want := "git ignores .env"
	if !checked.result.ByGit {
		want = ".gitignore lists .env" // git did not answer: fix401 read the file itself
	}
	if s := screen(m); !strings.Contains(s, want) {
		t.Errorf("after adding, still not ignored:\n%s", s)
	}
}

func TestSummaryCopyAndSave(t *testing.T) {
	m := goTo(t, testModel(t, report(401)), steps.Summary)
	m, cmd := updateCmd(t, m, press("c"))
	if cmd == nil {
		t.Fatal("c copied nothing")
	}
	if got := fmt.Sprint(cmd()); got != m.summaryText() || !strings.Contains(got, "key_rejected") {
		t.Errorf("clipboard got %q", got)
	}
	if !strings.Contains(screen(m), "Copied the summary") {
		t.Error("no word of the copy")
	}
	m, cmd = updateCmd(t, m, press("s"))
	msg, ok := cmd().(summarySavedMsg)
	if !ok || msg.err != nil {
		t.Fatalf("save: %#v", msg)
	}
	if want := filepath.Join(m.env.Dir, "fix401-summary-2026-11-25.md"); msg.path != want {
		t.Errorf("saved to %s, want %s", msg.path, want)
	}
	m = update(t, m, msg)
	if !strings.Contains(screen(m), "~/project/fix401-summary-2026-11-25.md") {
		t.Errorf("the path is not shown:\n%s", screen(m))
	}
	for _, c := range m.report.Candidates {
		data, _ := os.ReadFile(msg.path)
		if p := pieces(string(data), c.Value); len(p) > 0 {
			t.Errorf("the saved summary holds a key: %q", p)
		}
	}
}

func TestScreensFitTheTerminal(t *testing.T) {
	sizes := [][2]int{{60, 20}, {80, 24}, {100, 32}, {140, 50}}
	for _, r := range []*probe.Report{report(401), report(200)} {
		for _, size := range sizes {
			m := update(t, testModel(t, r), tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			for _, s := range steps.Order {
				m = goTo(t, m, s)
				lines := strings.Split(m.View().Content, "\n")
				if len(lines) > size[1] {
					t.Errorf("%dx%d %s: %d lines", size[0], size[1], s, len(lines))
				}
				for i, l := range lines {
					if w := ansi.StringWidth(l); w > size[0] {
						t.Errorf("%dx%d %s: line %d is %d wide: %q", size[0], size[1], s, i, w, ansi.Strip(l))
					}
				}
			}
		}
	}
}

func TestScrolling(t *testing.T) {
	m := update(t, testModel(t, report(401)), tea.WindowSizeMsg{Width: 60, Height: 20})
	m = goTo(t, m, steps.Checklist)
	if !strings.Contains(screen(m), "more lines below") {
		t.Fatal("no hint that the checklist goes on")
	}
	before := m.body.YOffset()
	m = update(t, m, press("j"), press("j"))
	if m.body.YOffset() != before+2 {
		t.Errorf("j scrolled from %d to %d", before, m.body.YOffset())
	}
	m = update(t, m, press("right"))
	if m.body.YOffset() != 0 {
		t.Error("a new step does not start at the top")
	}
}

func TestNarrowCompareKeepsBeforeAndAfterApart(t *testing.T) {
	m := testModel(t, report(401))
	m = m.adopt(report(200)) // a re-run after the fix
	m = update(t, goTo(t, m, steps.Verify), tea.WindowSizeMsg{Width: 50, Height: 200})
	lines := strings.Split(screen(m), "\n")
	i := slices.IndexFunc(lines, func(l string) bool { return strings.TrimSpace(l) == "After (this run)" })
	if i < 1 {
		t.Fatalf("no After heading:\n%s", screen(m))
	}
	if strings.TrimSpace(lines[i-1]) != "" {
		t.Errorf("no blank line before After: %q", lines[i-1])
	}
}

func TestHelpKeepsQuestionMarkAndSaysWhereEnterLeads(t *testing.T) {
	for _, w := range []int{36, 60, 80, 100} {
		for _, s := range steps.Order {
			t.Run(fmt.Sprintf("%d/%s", w, s), func(t *testing.T) {
				m := goTo(t, testModel(t, report(401)), s)
				m = update(t, m, tea.WindowSizeMsg{Width: w, Height: 20})
				bar := strings.TrimRight(helpBar(m), " ")
				if !strings.HasSuffix(bar, "? help") {
					t.Errorf("help bar %q does not end with ? help", bar)
				}
				if got := ansi.StringWidth(bar); got > w {
					t.Errorf("help bar is %d wide at %d", got, w)
				}
				if s == steps.Summary || w < 60 {
					return // too narrow for more than "?" beside a long step name
				}
				to := steps.NextStep(m.stepInput(), s)
				want := fmt.Sprintf("enter → %d/8 %s", to.Index()+1, to.Title())
				if !strings.Contains(bar, want) {
					t.Errorf("help bar %q lacks %q", bar, want)
				}
			})
		}
	}
}

func TestSummaryPreviewListsRequests(t *testing.T) {
	md := "### Requests\n\n| Time (UTC) | Request | Status | Error | Request id |\n|---|---|---|---|---|\n" +
		"| 16:03:11 | GET /v1/models (auth) | 401 | authentication_error: a \\| b | `req_1` |\n" +
		"| 16:03:12 | GET /api/v2/summary.json (status) | 200 |  | — |\n\n### Checklist\n"
	want := "### Requests\n\nTime (UTC) Request: Status, Error, Request id\n" +
		"- 16:03:11 GET /v1/models (auth): 401, authentication_error: a | b, `req_1`\n" +
		"- 16:03:12 GET /api/v2/summary.json (status): 200\n\n### Checklist\n"
	if got := previewMarkdown(md); got != want {
		t.Errorf("previewMarkdown:\n%s\nwant:\n%s", got, want)
	}
	if got := previewMarkdown("| not | a table |\nplain"); got != "| not | a table |\nplain" {
		t.Errorf("a row without a rule changed: %q", got)
	}

	m := goTo(t, testModel(t, report(401)), steps.Summary)
	for _, w := range []int{60, 100} {
		m = update(t, m, tea.WindowSizeMsg{Width: w, Height: 200})
		for _, l := range strings.Split(screen(m), "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "|") {
				t.Errorf("width %d: a table row on screen: %q", w, l)
			}
		}
	}
	if !strings.Contains(m.summaryText(), "| Time (UTC) | Request |") {
		t.Error("the copied summary lost its table")
	}
}

func TestOnlyAPastedKeyIsSaved(t *testing.T) {
	key := stub.NewAPIKey()
	tests := []struct {
		name  string
		tried []string
		want  bool
	}{
		{"pasted in the wizard", []string{probe.Hint(key)}, true},
		{"given with --key-stdin", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testModel(t, report(401))
			m.env.StdinKey, m.env.HasStdinKey, m.tried = key, true, tt.tried
			m = goTo(t, m.adopt(pasted(report(200), key)), steps.VerifyKey)
			if got := m.canWriteEnv(); got != tt.want {
				t.Errorf("canWriteEnv = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEscClosesTheHelp(t *testing.T) {
	m := update(t, testModel(t, report(401)), press("?"))
	if !m.help.ShowAll || !strings.Contains(screen(m), "esc close help") {
		t.Fatalf("? did not open the full help, or it does not say esc closes it:\n%s", screen(m))
	}
	m = update(t, m, press("esc"))
	if m.help.ShowAll {
		t.Error("esc left the full help open")
	}
	if bar := helpBar(m); !strings.HasSuffix(strings.TrimSpace(bar), "? help") {
		t.Errorf("after esc the help bar is %q", bar)
	}
}

// TestMoreBelowCountsLines: the hint under a long step says how many lines
// are left below, never a percentage (which reads as "how much is left"
// and said 0% at the top).
func TestMoreBelowCountsLines(t *testing.T) {
	m := goTo(t, update(t, testModel(t, report(401)), tea.WindowSizeMsg{Width: 60, Height: 20}), steps.Checklist)
	want := m.body.TotalLineCount() - m.body.Height()
	if want < 2 {
		t.Fatalf("the checklist fits the screen (%d lines): the test proves nothing", m.body.TotalLineCount())
	}
	if s := screen(m); !strings.Contains(s, fmt.Sprintf("↓ %d more lines below", want)) || strings.Contains(s, "%") {
		t.Fatalf("want %d more lines below:\n%s", want, s)
	}
	m = update(t, m, press("j"))
	if s := screen(m); !strings.Contains(s, fmt.Sprintf("↓ %s below", steps.CountWords(want-1, "more line", "more lines"))) {
		t.Errorf("after one line down, want %d more:\n%s", want-1, s)
	}
	for range want {
		m = update(t, m, press("j"))
	}
	if s := screen(m); strings.Contains(s, "more line") {
		t.Errorf("at the bottom the hint stays:\n%s", s)
	}
}

// TestKeysThatCannotActSayWhy: w and g, pressed when they can do nothing,
// say why instead of nothing.
func TestKeysThatCannotActSayWhy(t *testing.T) {
	m := testModel(t, report(401)) // its project is in no git repository
	m = update(t, m, ignoreCheckedMsg{result: IgnoreResult{}})
	for _, tt := range []struct{ key, want string }{
		{"g", "Not in a git repository"},
		{"w", "there is none to save yet"},
	} {
		got := update(t, m, press(tt.key))
		if got.state != stateBrowse {
			t.Errorf("%s opened a dialog", tt.key)
		}
		if s := screen(got); !strings.Contains(s, tt.want) {
			t.Errorf("%s: want %q on screen:\n%s", tt.key, tt.want, s)
		}
	}
	m.ignore = IgnoreResult{Repo: m.env.Dir, Ignored: true, Source: filepath.Join(m.env.Dir, ".gitignore") + ":1"}
	if s := screen(update(t, m, press("g"))); !strings.Contains(s, "git already ignores .env") {
		t.Errorf("g with .env ignored:\n%s", s)
	}
}

// TestDemoWritesSayWhereTheyAre: in a demo, whose home is a temporary
// folder, a file the wizard writes is named by its real path and said to
// be removed on quit — never ~/projects/…, which does not exist.
func TestDemoWritesSayWhereTheyAre(t *testing.T) {
	m := testModel(t, report(401))
	root := filepath.Dir(m.env.Home)
	m.opts.DemoRoot = root
	m = goTo(t, m, steps.Summary)
	m, cmd := updateCmd(t, m, press("s"))
	msg := cmd().(summarySavedMsg)
	if msg.err != nil {
		t.Fatal(msg.err)
	}
	m = update(t, m, msg)
	s := strings.Join(strings.Fields(screen(m)), " ")
	if !strings.Contains(s, msg.path) || !strings.Contains(s, "removed when you quit") {
		t.Errorf("the flash does not say where the summary really is (%s):\n%s", msg.path, screen(m))
	}
	if strings.Contains(s, "~/project") {
		t.Errorf("a demo's file is named as if it were in the home:\n%s", screen(m))
	}

	key := stub.NewAPIKey()
	m.env.StdinKey, m.env.HasStdinKey, m.tried = key, true, []string{probe.Hint(key)}
	m = update(t, goTo(t, m.adopt(pasted(report(200), key)), steps.VerifyKey), press("w"))
	s = strings.Join(strings.Fields(screen(m)), " ")
	if !strings.Contains(s, "Write the key to "+filepath.Join(m.env.Dir, ".env")) || !strings.Contains(s, "(y/n)") {
		t.Errorf("the question does not name the real file, or lost its (y/n):\n%s", screen(m))
	}
}
