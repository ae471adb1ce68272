package steps

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/stub"
)

// event writes a GitHub event payload whose pull request comes from head
// into base, and returns its path.
func (w *world) event(head, base string, fork bool) string {
	w.t.Helper()
	doc, err := json.Marshal(map[string]any{"action": "opened", "pull_request": map[string]any{
		"number": 42,
		"head":   map[string]any{"ref": "fix-typo", "repo": map[string]any{"full_name": head, "fork": fork}},
		"base":   map[string]any{"ref": "main", "repo": map[string]any{"full_name": base, "fork": false}},
	}})
	if err != nil {
		w.t.Fatal(err)
	}
	p := filepath.Join(w.t.TempDir(), "event.json")
	if err := os.WriteFile(p, doc, 0o600); err != nil {
		w.t.Fatal(err)
	}
	return p
}

// github sets the variables of a GitHub Actions run of acme/app.
func (w *world) github(event, eventPath string) {
	for k, v := range map[string]string{"CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event,
		"GITHUB_EVENT_PATH": eventPath, "GITHUB_REPOSITORY": "acme/app", "GITHUB_ACTOR": "alice"} {
		w.env.Vars[k] = v
	}
}

// forkPullRequest is a GitHub run of a pull request from alice's fork,
// whose workflow maps the secret to ANTHROPIC_API_KEY: GitHub leaves it
// empty.
func (w *world) forkPullRequest() {
	w.github("pull_request", w.event("alice/app", "acme/app", true))
	w.env.Vars["ANTHROPIC_API_KEY"] = ""
}

func (w *world) gitlab(more ...string) {
	v := map[string]string{"CI": "true", "GITLAB_CI": "true", "CI_PROJECT_ID": "100", "CI_PROJECT_PATH": "acme/app",
		"CI_COMMIT_REF_NAME": "feature-x", "CI_COMMIT_REF_PROTECTED": "false", "CI_PIPELINE_SOURCE": "push"}
	for i := 0; i+1 < len(more); i += 2 {
		v[more[i]] = more[i+1]
	}
	for k, x := range v {
		w.env.Vars[k] = x
	}
}

// A CI run that withholds secrets, with no credential anywhere, says so in
// one line with the fix for that service; a run that has its secrets, or
// found a key anyway, is diagnosed as before.
func TestCISecretUnavailable(t *testing.T) {
	tests := []struct {
		name  string
		setup func(w *world)
		code  Code
		title string // in the title
		fix   string // in the fix
		row   string // the checklist's credentials row
	}{
		{"fork pull request, empty secret", func(w *world) { w.forkPullRequest() }, CISecretUnavailable,
			"pull request from the fork alice/app: GitHub gives it no secrets",
			"`if: github.event.pull_request.head.repo.fork == false`", "no key: a fork's pull request gets no secrets"},
		{"fork pull request, no variable", func(w *world) {
			w.forkPullRequest()
			delete(w.env.Vars, "ANTHROPIC_API_KEY")
		}, CISecretUnavailable, "GitHub gives it no secrets", "pull_request_target", "fork's pull request"},
		{"fork pull request with a key anyway", func(w *world) {
			w.forkPullRequest()
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
		}, OK, "", "", ""},
		{"branch pull request", func(w *world) {
			w.github("pull_request", w.event("acme/app", "acme/app", false))
		}, NoKey, "", "secret of acme/app (Settings → Secrets and variables → Actions)", "no key found"},
		{"pull_request_target has the secrets", func(w *world) {
			w.github("pull_request_target", w.event("alice/app", "acme/app", true))
		}, NoKey, "", "${{ secrets.ANTHROPIC_API_KEY }}", "no key found"},
		{"Dependabot", func(w *world) {
			w.github("pull_request", w.event("acme/app", "acme/app", false))
			w.env.Vars["GITHUB_ACTOR"] = probe.Dependabot
			w.env.Vars["ANTHROPIC_API_KEY"] = ""
		}, CISecretUnavailable, "started by Dependabot", "Dependabot secret of acme/app", "Dependabot secrets"},
		{"GitLab, unprotected branch", func(w *world) { w.gitlab() }, CISecretUnavailable,
			"runs on feature-x, which is not protected", "Protect the branch", "unprotected ref"},
		{"GitLab, protected branch", func(w *world) { w.gitlab("CI_COMMIT_REF_PROTECTED", "true") }, NoKey, "", "CI/CD variable of acme/app", "no key found"},
		{"GitLab, fork merge request run in the fork", func(w *world) {
			w.gitlab("CI_PIPELINE_SOURCE", "merge_request_event", "CI_PROJECT_ID", "200", "CI_PROJECT_PATH", "alice/app",
				"CI_MERGE_REQUEST_SOURCE_PROJECT_ID", "200", "CI_MERGE_REQUEST_SOURCE_PROJECT_PATH", "alice/app",
				"CI_MERGE_REQUEST_PROJECT_ID", "100", "CI_MERGE_REQUEST_PROJECT_PATH", "acme/app")
		}, CISecretUnavailable, "runs in the fork alice/app: it has none of acme/app's CI/CD variables", "Run the pipeline in acme/app", "fork's pipeline"},
		{"not in CI", func(w *world) {}, NoKey, "", "platform.claude.com", "no key found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			w.serve(stub.Options{}, false)
			tt.setup(w)
			r := probe.Run(context.Background(), w.env)
			d := Diagnose(r)
			if d.Code != tt.code {
				t.Fatalf("diagnosis %s (%s), want %s\nchecks:\n%s", d.Code, d.Title, tt.code, dump(r))
			}
			if !strings.Contains(d.Title, tt.title) || !strings.Contains(d.Fix, tt.fix) || strings.Contains(d.Title, "\n") {
				t.Errorf("title %q fix %q, want %q and %q", d.Title, d.Fix, tt.title, tt.fix)
			}
			for _, o := range d.Also {
				if o.Code == NoKey && d.Code == CISecretUnavailable {
					t.Errorf("no_key's \"create a key\" beside %s", d.Code)
				}
			}
			if tt.row != "" {
				var got string
				for _, c := range ChecklistRows(r, nil) {
					if c.ID == "checklist.credentials" {
						got = c.Result
					}
				}
				if !strings.Contains(got, tt.row) {
					t.Errorf("credentials row %q, want %q", got, tt.row)
				}
			}
			if r.CI == nil && ToJSON(r, d, "test").CI != nil {
				t.Error("a ci block outside CI")
			}
			if d.Code != CISecretUnavailable {
				return
			}
			if d.Step != VerifyKey || row(d.Code).Explain == "" {
				t.Errorf("step %s, explain %q", d.Step, row(d.Code).Explain)
			}
			c, ok := r.CheckByID(probe.CheckCI)
			if !ok || c.Status != probe.Warn || StepOfCheck(c.ID) != VerifyKey {
				t.Errorf("ci.context: %+v", c)
			}
			j := ToJSON(r, d, "test")
			if j.Diagnosis.Code != CISecretUnavailable || j.Diagnosis.Title != d.Title {
				t.Errorf("JSON diagnosis %+v", j.Diagnosis)
			}
			if j.CI == nil || j.CI.Withheld != r.CI.Withheld || j.CI.Service != r.CI.Service {
				t.Errorf("JSON ci %+v", j.CI)
			}
			md := SummaryMarkdown(SummaryInput{Report: r, Diagnosis: d, Version: "test"})
			for _, s := range []string{"`ci_secret_unavailable`", d.Title, c.Title} {
				if !strings.Contains(md, s) {
					t.Errorf("the report lacks %q:\n%s", s, md)
				}
			}
		})
	}
}

// ci_secret_unavailable sits right before no_key and supersedes it: its
// fix replaces "create a key".
func TestCISecretPrecedence(t *testing.T) {
	codes := Codes()
	for i, c := range codes {
		if c == CISecretUnavailable && (i+1 >= len(codes) || codes[i+1] != NoKey) {
			t.Errorf("ci_secret_unavailable at %d, not right before no_key: %v", i, codes)
		}
	}
	found := false
	for _, c := range row(CISecretUnavailable).Supersedes {
		found = found || c == NoKey
	}
	if !found {
		t.Error("ci_secret_unavailable does not supersede no_key")
	}
}

// TestJSONCIEventNote: check --json says why fork or not is unknown.
func TestJSONCIEventNote(t *testing.T) {
	r := healthy()
	r.CI = &probe.CI{Service: probe.CIGitHub, Event: "pull_request", EventNote: "the event file is missing"}
	if j := jsonCI(r); j == nil || j.EventNote != "the event file is missing" {
		t.Fatalf("%+v", j)
	}
}
