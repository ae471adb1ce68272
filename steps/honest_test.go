package steps

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"

	"github.com/fix401/fix401/probe"
)

// Issue 15, "Honest screens": each case is a line a new user read wrong.

// TestKeyNotLoadedSaysNothingOfAKeyInUse: with a working key only in
// ~/.zshrc there is no key in use, so no line may say one fails, and the
// request line says why nothing was sent as the client would.
func TestKeyNotLoadedSaysNothingOfAKeyInUse(t *testing.T) {
	r := with(healthy(), func(r *probe.Report) {
		inZshrc(r)
		r.Others = []probe.CandidateAnswer{{Index: 0, Answer: answer("candidate", 200, "", "")}}
	})
	if d := Diagnose(r); d.Code != KeyNotLoaded {
		t.Fatalf("diagnosis %s, want key_not_loaded", d.Code)
	}
	p := BuildPage(Input{Report: r}, VerifyKey)
	var titles []string
	for _, c := range p.Checks {
		titles = append(titles, c.Title)
		if c.ID == probe.CheckCandidates && c.Status != probe.Pass {
			t.Errorf("a key that works once loaded is marked %s: %q", c.Status, c.Title)
		}
	}
	all := strings.Join(titles, "\n")
	for _, bad := range []string{"No key to test", "The key in use fails"} {
		if strings.Contains(all, bad) {
			t.Errorf("the page says %q with no key in use:\n%s", bad, all)
		}
	}
	for _, want := range []string{"no key is loaded in this process's environment", "the API accepts the key in ~/.zshrc:41"} {
		if !strings.Contains(all, want) {
			t.Errorf("the page lacks %q:\n%s", want, all)
		}
	}
}

// TestKeyFoundDoesNotVouchForARejectedKey: the passing key.found line
// says the key is loaded, never that the key "in use" is fine.
func TestKeyFoundDoesNotVouchForARejectedKey(t *testing.T) {
	r := with(healthy(), rejected)
	c, _ := r.CheckByID(probe.CheckKeyFound)
	if c.Status == probe.Pass && strings.HasPrefix(c.Title, "Key in use") {
		t.Errorf("a green mark on %q for a rejected key", c.Title)
	}
	if !strings.HasPrefix(c.Title, "Key loaded: ") {
		t.Errorf("key.found title %q", c.Title)
	}
}

// TestSmallestReproNotSentIsNoPass: a request that was never sent
// reproduces nothing.
func TestSmallestReproNotSentIsNoPass(t *testing.T) {
	r := with(healthy(), func(r *probe.Report) {
		for _, a := range []**probe.Answer{&r.Auth, &r.Quota} {
			*a = netErr(probe.PhaseInvalidHeader, "the key holds a character no header may carry")
		}
	})
	for _, row := range ChecklistRows(r, nil) {
		if row.ID != "checklist.repro" {
			continue
		}
		if row.Status == probe.Pass || !strings.Contains(row.Result, "not sent") {
			t.Errorf("repro row %s %q", row.Status, row.Result)
		}
		return
	}
	t.Fatal("no repro row")
}

// TestOtherProvidersKeyReadsAsEnglish: "an OpenAI key", never "a OpenAI".
func TestOtherProvidersKeyReadsAsEnglish(t *testing.T) {
	for provider, want := range map[string]string{
		"OpenAI": "Key kind: an OpenAI key, not an Anthropic API key",
		"Google": "Key kind: a Google key, not an Anthropic API key",
		"":       "Key kind: another provider's key, not an Anthropic API key",
	} {
		r := with(healthy(), func(r *probe.Report) {
			r.Candidates[0].Kind, r.Candidates[0].Provider = probe.KindOther, provider
		})
		if c, _ := r.CheckByID(probe.CheckKeyKind); c.Title != want {
			t.Errorf("%q: %q, want %q", provider, c.Title, want)
		}
	}
}

// TestReproductionReadsTheKeyFromWhereItIs: a key that lives only in
// .env is not in the shell's environment, so the curl command must not
// quietly send an empty $ANTHROPIC_API_KEY: it stops with a reminder, and
// the summary says so in words.
func TestReproductionReadsTheKeyFromWhereItIs(t *testing.T) {
	key := summaryKey(9)
	for _, tt := range []struct {
		name, source string
		origin       probe.Origin
		guarded      bool
	}{
		{"exported", "env ANTHROPIC_API_KEY", probe.OriginEnv, false},
		{"in .env only", ".env:3", probe.OriginDotenv, true},
		{"in ~/.zshrc only", "~/.zshrc:41", probe.OriginShell, true},
		{"pasted", "pasted key", probe.OriginStdin, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := rejectedReport()
			r.Candidates = []probe.Candidate{candidate(key, tt.source, tt.origin, 3)}
			out := SummaryMarkdown(SummaryInput{Report: r, Redactor: probe.NewRedactor(key)})
			m := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("no sh block in:\n%s", out)
			}
			want := []string{"curl", "-sS", "-i", probe.DefaultBaseURL + "/v1/models",
				"-H", "x-api-key: " + key, "-H", "anthropic-version: 2023-06-01"}
			if args := shellArgs(t, m[1], "ANTHROPIC_API_KEY="+key); !slices.Equal(args, want) {
				t.Errorf("with the key exported, the command runs as %q", args)
			}
			_, err := shellArgsErr(m[1])
			switch {
			case tt.guarded && err == nil:
				t.Errorf("with ANTHROPIC_API_KEY unset the command would send an empty key:\n%s", m[1])
			case tt.guarded && !strings.Contains(err.Error(), "set ANTHROPIC_API_KEY to"):
				t.Errorf("the shell stops without saying why: %v", err)
			case !tt.guarded && err != nil:
				t.Errorf("an exported key's command fails to expand: %v", err)
			}
			if said := strings.Contains(out, "is not exported in your shell") || strings.Contains(out, "not exported: set"); said != tt.guarded {
				t.Errorf("the summary says the key is not exported: %v, want %v:\n%s", said, tt.guarded, out)
			}
		})
	}
}

func shellArgsErr(script string) ([]string, error) {
	f, err := syntax.NewParser().Parse(strings.NewReader(script), "")
	if err != nil {
		return nil, err
	}
	call := f.Stmts[0].Cmd.(*syntax.CallExpr)
	return expand.Fields(&expand.Config{Env: expand.ListEnviron()}, call.Args...)
}

func TestSummaryNamesAnotherProvidersKey(t *testing.T) {
	r := rejectedReport()
	r.Candidates[0].Kind, r.Candidates[0].Provider = probe.KindOther, "OpenAI"
	out := SummaryMarkdown(SummaryInput{Report: r})
	if !strings.Contains(out, "(OpenAI key)") || strings.Contains(out, "a OpenAI") {
		t.Errorf("the key line names the provider badly:\n%s", out)
	}
}

// TestModelNotFoundPointsWhereTheModelsAre: the fix may only send the user
// to a list of models that exists.
func TestModelNotFoundPointsWhereTheModelsAre(t *testing.T) {
	r := with(healthy(), func(r *probe.Report) {
		r.Target.Model = "claude-sonnet-5"
		r.Auth.ModelIDs = []string{"claude-opus-4-5-20251101", "claude-haiku-4-5"}
		r.Model = answer("model", 404, "not_found_error", "model: claude-sonnet-5")
	})
	d := Diagnose(r)
	if d.Code != ModelNotFound {
		t.Fatalf("diagnosis %s", d.Code)
	}
	if !strings.Contains(d.Fix, "claude-opus-4-5-20251101") {
		t.Errorf("the fix names no model the key can use: %q", d.Fix)
	}
	if strings.Contains(d.Fix, "JSON") {
		j, err := json.Marshal(ToJSON(r, d, "test"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(j), "claude-haiku-4-5") {
			t.Errorf("the fix says the JSON lists the models; it does not: %q", d.Fix)
		}
	}
	if out := SummaryMarkdown(SummaryInput{Report: r}); strings.Contains(d.Fix, "fix401 report") && !strings.Contains(out, "/v1/models") {
		t.Errorf("the fix sends the user to the report's curl command, which is not there:\n%s", out)
	}
}

// TestVerifyNamesTheTerminalThatFails: "Fixed" needs this terminal and a
// new one; when only one works, the step says which and why.
func TestVerifyNamesTheTerminalThatFails(t *testing.T) {
	before := with(healthy(), rejected)
	works := healthy()
	stale := with(healthy(), rejected)
	stale.Candidates[0].Source = "env ANTHROPIC_API_KEY"
	line41 := ShellVar{Var: probe.VarAPIKey, Now: "~/.zshrc:41", NowLine: 41, Here: "sk-ant-api03-new...AAAA", New: "sk-ant-api03-old...AAAA"}
	tests := []struct {
		name    string
		app     *AppView
		verdict probe.Status
		want    []string
	}{
		{"both work", &AppView{Here: works, New: works}, probe.Pass, []string{"Fixed: your app loads", "in this terminal and in a new one"}},
		{"a new terminal brings the old key back", &AppView{Here: works, New: stale, Shell: []ShellVar{line41}}, probe.Fail,
			[]string{"Works in this terminal, but not in a new one", "line 41 of ~/.zshrc exports", "Delete line 41 of ~/.zshrc"}},
		{"a new terminal cannot be known", &AppView{Here: works, Shell: []ShellVar{{Var: probe.VarAPIKey, Now: "~/.zshrc:41", NowLine: 41, Unknown: true}}},
			probe.Warn, []string{"Works in this terminal", "could not be tested", "line 41 of ~/.zshrc sets ANTHROPIC_API_KEY from a command"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first := &AppView{Here: before, New: before}
			p := BuildPage(Input{Report: tt.app.Here, First: before, App: tt.app, FirstApp: first}, Verify)
			var all []string
			all = append(all, p.Conclusion, p.Advice)
			for _, c := range p.Checks {
				all = append(all, c.Title, c.Fix)
			}
			text := strings.Join(all, "\n")
			if p.Verdict != tt.verdict {
				t.Errorf("verdict %s, want %s: %q", p.Verdict, tt.verdict, p.Conclusion)
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("lacks %q:\n%s", w, text)
				}
			}
			if tt.verdict != probe.Pass && strings.HasPrefix(p.Conclusion, "Fixed") {
				t.Errorf("fixed while a terminal fails: %q", p.Conclusion)
			}
		})
	}
}

// TestAPastedKeyIsNoFixOnTheFirstStep: "Nothing to fix" is for a key the
// app loads, not one held in fix401's memory.
func TestAPastedKeyIsNoFixOnTheFirstStep(t *testing.T) {
	r := healthy()
	r.Candidates[0].Origin, r.Candidates[0].Source = probe.OriginStdin, "pasted key"
	p := BuildPage(Input{Report: r, Tried: []string{r.Candidates[0].Hint}}, Understand)
	if strings.Contains(p.Advice, "Nothing to fix") || !strings.Contains(p.Advice, "your app does not read it") {
		t.Errorf("advice %q", p.Advice)
	}
	if p := BuildPage(Input{Report: healthy()}, Understand); !strings.Contains(p.Advice, "Nothing to fix") {
		t.Errorf("a working key the app loads: advice %q", p.Advice)
	}
}
