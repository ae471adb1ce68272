package probe

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	attack "github.com/fix401/fix401/probe/hostile"
)

// fixture is the absolute path of an event file of testdata/ci.
func fixture(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("testdata", "ci", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// gh is the variables of a GitHub Actions run of acme/app.
func gh(event, eventFile string, more ...string) map[string]string {
	v := map[string]string{"CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event,
		"GITHUB_REPOSITORY": "acme/app", "GITHUB_ACTOR": "alice", "GITHUB_REF_NAME": "42/merge"}
	if eventFile != "" {
		v["GITHUB_EVENT_PATH"] = eventFile
	}
	for i := 0; i+1 < len(more); i += 2 {
		v[more[i]] = more[i+1]
	}
	return v
}

func TestDetectCIGitHub(t *testing.T) {
	tests := []struct {
		name     string
		vars     map[string]string
		withheld string
		fork     bool
		head     string
		prt      bool
		note     string // a word of EventNote; empty: none
	}{
		{name: "fork pull request", vars: gh("pull_request", fixture(t, "fork-pull-request.json")),
			withheld: WithheldFork, fork: true, head: "alice/app"},
		{name: "fork, review event", vars: gh("pull_request_review", fixture(t, "fork-pull-request.json")),
			withheld: WithheldFork, fork: true, head: "alice/app"},
		{name: "branch of the repository", vars: gh("pull_request", fixture(t, "branch-pull-request.json")),
			head: "acme/app"},
		// No fork flag in the payload: the head repository's name decides.
		{name: "fork under another name", vars: gh("pull_request", fixture(t, "renamed-fork-pull-request.json")),
			withheld: WithheldFork, fork: true, head: "carol/my-app"},
		// Without GITHUB_REPOSITORY the base repository is the reference.
		{name: "fork, no GITHUB_REPOSITORY", vars: gh("pull_request", fixture(t, "renamed-fork-pull-request.json"), "GITHUB_REPOSITORY", ""),
			withheld: WithheldFork, fork: true, head: "carol/my-app"},
		// Only a fork can be gone while the base repository stays.
		{name: "deleted fork", vars: gh("pull_request", fixture(t, "deleted-fork-pull-request.json")), withheld: WithheldFork, fork: true},
		{name: "pull_request_target from a fork", vars: gh("pull_request_target", fixture(t, "fork-pull-request.json")),
			fork: true, head: "alice/app", prt: true},
		{name: "push", vars: gh("push", fixture(t, "push.json"))},
		{name: "push by Dependabot", vars: gh("push", fixture(t, "push.json"), "GITHUB_ACTOR", Dependabot), withheld: WithheldDependabot},
		{name: "Dependabot's pull request", vars: gh("pull_request", fixture(t, "branch-pull-request.json"), "GITHUB_ACTOR", Dependabot),
			withheld: WithheldDependabot, head: "acme/app"},
		{name: "Dependabot's run re-run by a person", vars: gh("pull_request", fixture(t, "branch-pull-request.json"),
			"GITHUB_TRIGGERING_ACTOR", Dependabot), withheld: WithheldDependabot, head: "acme/app"},
		{name: "no event file", vars: gh("pull_request", ""), note: "GITHUB_EVENT_PATH"},
		{name: "missing event file", vars: gh("pull_request", filepath.Join(t.TempDir(), "event.json")), note: "cannot be read"},
		{name: "event file is a directory", vars: gh("pull_request", t.TempDir()), note: "a directory"},
		{name: "push payload on a pull_request", vars: gh("pull_request", fixture(t, "push.json")), note: "no pull request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ci := DetectCI(&Env{Vars: tt.vars})
			if ci == nil || ci.Service != CIGitHub {
				t.Fatalf("got %+v, want GitHub", ci)
			}
			if ci.Withheld != tt.withheld || ci.Fork != tt.fork || ci.HeadRepo != tt.head || ci.PullRequestTarget != tt.prt {
				t.Errorf("got %+v\nwant withheld %q fork %v head %q pull_request_target %v", ci, tt.withheld, tt.fork, tt.head, tt.prt)
			}
			if (tt.note == "") != (ci.EventNote == "") || !strings.Contains(ci.EventNote, tt.note) {
				t.Errorf("event note %q, want one with %q", ci.EventNote, tt.note)
			}
		})
	}
}

func TestDetectCIGitLab(t *testing.T) {
	base := func(more ...string) map[string]string {
		v := map[string]string{"CI": "true", "GITLAB_CI": "true", "CI_PROJECT_ID": "100", "CI_PROJECT_PATH": "acme/app",
			"CI_COMMIT_REF_NAME": "main", "CI_COMMIT_REF_PROTECTED": "true", "CI_PIPELINE_SOURCE": "push"}
		for i := 0; i+1 < len(more); i += 2 {
			v[more[i]] = more[i+1]
		}
		return v
	}
	mr := []string{"CI_PIPELINE_SOURCE", "merge_request_event", "CI_COMMIT_REF_PROTECTED", "false",
		"CI_MERGE_REQUEST_PROJECT_ID", "100", "CI_MERGE_REQUEST_PROJECT_PATH", "acme/app",
		"CI_MERGE_REQUEST_SOURCE_PROJECT_PATH", "alice/app", "CI_COMMIT_REF_NAME", "fix-typo"}
	tests := []struct {
		name     string
		vars     map[string]string
		withheld string
		fork     bool
		repo     string
	}{
		{"protected branch", base(), "", false, "acme/app"},
		{"unprotected branch", base("CI_COMMIT_REF_NAME", "feature-x", "CI_COMMIT_REF_PROTECTED", "false"), WithheldUnprotected, false, "acme/app"},
		{"merge request from a branch", base(append(mr, "CI_MERGE_REQUEST_SOURCE_PROJECT_ID", "100")...), WithheldUnprotected, false, "acme/app"},
		// The pipeline runs in the fork: CI_PROJECT_* are the fork's.
		{"fork merge request, in the fork", base(append(mr, "CI_MERGE_REQUEST_SOURCE_PROJECT_ID", "200", "CI_PROJECT_ID", "200",
			"CI_PROJECT_PATH", "alice/app")...), WithheldForkMR, true, "acme/app"},
		// A maintainer ran it in the parent project: its variables are there,
		// but not the protected ones, on a merge request's ref.
		{"fork merge request, in the parent", base(append(mr, "CI_MERGE_REQUEST_SOURCE_PROJECT_ID", "200")...), WithheldUnprotected, true, "acme/app"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ci := DetectCI(&Env{Vars: tt.vars})
			if ci == nil || ci.Service != CIGitLab {
				t.Fatalf("got %+v, want GitLab", ci)
			}
			if ci.Withheld != tt.withheld || ci.Fork != tt.fork || ci.Repo != tt.repo {
				t.Errorf("got %+v, want withheld %q fork %v repo %q", ci, tt.withheld, tt.fork, tt.repo)
			}
		})
	}
}

func TestDetectCINone(t *testing.T) {
	for _, v := range []map[string]string{
		nil, {}, {"CI": "true"}, {"GITHUB_ACTIONS": "false"}, {"GITLAB_CI": "1"}, {"CIRCLECI": "true"},
	} {
		if ci := DetectCI(&Env{Vars: v}); ci != nil {
			t.Errorf("%v: %+v, want nil", v, ci)
		}
	}
	if DetectCI(nil) != nil {
		t.Error("nil env: not nil")
	}
}

// The event file is read bounded: a FIFO is never opened (no hang), and a
// file past MaxEventFile is not parsed.
func TestDetectCIEventFileBounds(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "event.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	var ci *CI
	returnsSoon(t, "DetectCI(a FIFO)", func() { ci = DetectCI(&Env{Vars: gh("pull_request", fifo)}) })
	if ci.Fork || !strings.Contains(ci.EventNote, "FIFO") {
		t.Errorf("FIFO: %+v", ci)
	}

	big := filepath.Join(dir, "big.json")
	fork, err := os.ReadFile(fixture(t, "fork-pull-request.json"))
	if err != nil {
		t.Fatal(err)
	}
	// Valid JSON, a fork's, padded past the bound.
	pad := strings.Repeat(" ", MaxEventFile)
	if err := os.WriteFile(big, append(fork, pad...), 0o600); err != nil {
		t.Fatal(err)
	}
	ci = DetectCI(&Env{Vars: gh("pull_request", big)})
	if ci.Fork || !strings.Contains(ci.EventNote, "larger than") {
		t.Errorf("oversized event file: %+v", ci)
	}
	// The same file within the bound is read.
	if err := os.WriteFile(big, fork, 0o600); err != nil {
		t.Fatal(err)
	}
	if ci = DetectCI(&Env{Vars: gh("pull_request", big)}); !ci.Fork {
		t.Errorf("the fork's event file, not padded: %+v", ci)
	}

	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"pull_request": {"head": `), 0o600); err != nil {
		t.Fatal(err)
	}
	if ci = DetectCI(&Env{Vars: gh("pull_request", bad)}); ci.Fork || !strings.Contains(ci.EventNote, "not JSON") {
		t.Errorf("truncated JSON: %+v", ci)
	}
}

// Hostile names — a branch, a repository, a fork's name in the event file —
// reach the check sanitized and on one line.
func TestCIHostileValues(t *testing.T) {
	ev := filepath.Join(t.TempDir(), "event.json")
	name := "evil/app\n::error::forged" + attack.Payload
	doc := `{"pull_request":{"head":{"repo":{"full_name":` + jsonString(name) + `,"fork":true}},"base":{"repo":{"full_name":"acme/app"}}}}`
	if err := os.WriteFile(ev, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	v := gh("pull_request", ev, "GITHUB_REPOSITORY", "acme/app"+attack.Payload, "GITHUB_HEAD_REF", "x\r\n::warning::y"+strings.Repeat("b", 500))
	r := &Report{Active: -1, CI: DetectCI(&Env{Vars: v})}
	res := r.checkCI()
	// A path that cannot be read, named in the note.
	v["GITHUB_EVENT_PATH"] = filepath.Join(t.TempDir(), "x\n::error::y"+attack.Payload)
	nr := &Report{Active: -1, CI: DetectCI(&Env{Vars: v})}
	note := nr.checkCI()
	if !strings.Contains(note.Title, "cannot be read") {
		t.Errorf("no note: %q", note.Title)
	}
	for _, s := range []string{r.CI.Repo, r.CI.HeadRepo, r.CI.Ref, res.Title, res.Detail, nr.CI.EventNote, note.Title} {
		if what, bad := attack.Bad(s); bad || strings.ContainsAny(s, "\n\r") {
			t.Errorf("%q holds %s or a line break", s, what)
		}
	}
	if len(r.CI.Ref) > maxCIValue+len("…") {
		t.Errorf("ref of %d bytes kept", len(r.CI.Ref))
	}
	if !strings.Contains(res.Title, "evil/app") {
		t.Errorf("the fork is not named: %q", res.Title)
	}
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteString(`\` + string(r))
		case r < 0x20:
			b.WriteString(`\u00` + "0123456789abcdef"[r>>4:r>>4+1] + "0123456789abcdef"[r&15:r&15+1])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func TestCheckCI(t *testing.T) {
	fork := gh("pull_request", fixture(t, "fork-pull-request.json"))
	key := Candidate{Source: "env ANTHROPIC_API_KEY", Origin: OriginEnv, Var: VarAPIKey, Value: "k", Clean: "k"}
	tests := []struct {
		name   string
		vars   map[string]string
		keys   []Candidate
		status Status
		words  string
	}{
		{"fork, no key", fork, nil, Warn, "fork alice/app, which GitHub gives no secrets"},
		// An empty variable is no credential.
		{"fork, empty key", fork, []Candidate{{Source: "env ANTHROPIC_API_KEY", Origin: OriginEnv, Var: VarAPIKey}}, Warn, "no secrets"},
		{"fork, a key anyway", fork, []Candidate{key}, Pass, "no secrets"},
		{"deleted fork", gh("pull_request", fixture(t, "deleted-fork-pull-request.json")), nil, Warn, "a pull request from a fork, which"},
		{"no event file, no key", gh("pull_request", ""), nil, Warn, "whether it comes from a fork is unknown: GITHUB_EVENT_PATH is not set"},
		{"no event file, a key", gh("pull_request", ""), []Candidate{key}, Pass, "whether it comes from a fork is unknown"},
		{"push", gh("push", fixture(t, "push.json")), nil, Pass, "push in acme/app (42/merge); nothing withholds"},
		{"Dependabot", gh("push", fixture(t, "push.json"), "GITHUB_ACTOR", Dependabot), nil, Warn, "only Dependabot secrets"},
		{"pull_request_target", gh("pull_request_target", fixture(t, "fork-pull-request.json")), []Candidate{key}, Warn, "base repository's secrets"},
		{"GitLab unprotected", map[string]string{"GITLAB_CI": "true", "CI_PROJECT_PATH": "acme/app", "CI_COMMIT_REF_NAME": "feature-x",
			"CI_COMMIT_REF_PROTECTED": "false", "CI_PIPELINE_SOURCE": "push"}, nil, Warn, "push in acme/app (feature-x) on an unprotected ref"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Report{Candidates: tt.keys, Active: ChooseActive(nil, tt.keys), CI: DetectCI(&Env{Vars: tt.vars})}
			res := r.checkCI()
			if res.ID != CheckCI || res.Status != tt.status || !strings.Contains(res.Title, tt.words) {
				t.Errorf("%s %s %q, want %s with %q", res.ID, res.Status, res.Title, tt.status, tt.words)
			}
		})
	}
	if _, ok := (&Report{Active: -1, Done: map[string]bool{}}).CheckByID(CheckCI); ok {
		t.Error("ci.context outside CI")
	}

	// In a run that withholds secrets, an empty variable is the withheld
	// secret: no shell file to fix.
	empty := EnvFacts{EmptyVars: []string{VarAPIKey}}
	in := (&Report{Active: -1, Env: empty, CI: DetectCI(&Env{Vars: fork})}).checkEmptyVars()
	out := (&Report{Active: -1, Env: empty}).checkEmptyVars()
	push := (&Report{Active: -1, Env: empty, CI: DetectCI(&Env{Vars: gh("push", "")})}).checkEmptyVars()
	if in.Fix != "" || !strings.Contains(in.Detail, CheckCI) || !strings.Contains(out.Fix, "unset") ||
		!strings.Contains(push.Fix, "Secrets and variables → Actions") || strings.Contains(push.Fix, "shell") {
		t.Errorf("env.empty in a fork's run: %+v; on a push: %+v; elsewhere: %+v", in, push, out)
	}
}

// FuzzReadPullRequest: any event file gives a head or a note, never both,
// never a panic; a head's name is whatever the file says, kept bounded
// and clean by DetectCI.
func FuzzReadPullRequest(f *testing.F) {
	for _, name := range []string{"fork-pull-request.json", "branch-pull-request.json", "deleted-fork-pull-request.json", "push.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "ci", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"pull_request":{"head":{"repo":{"full_name":"a\u001b]0;x\u0007/b","fork":"yes"}}}}`))
	f.Add([]byte(`{"pull_request":null}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		p := filepath.Join(t.TempDir(), "event.json")
		if err := os.WriteFile(p, doc, 0o600); err != nil {
			t.Fatal(err)
		}
		head, note := readPullRequest(p, "acme/app")
		if (head == nil) == (note == "") {
			t.Fatalf("head %+v, note %q", head, note)
		}
		ci := DetectCI(&Env{Vars: gh("pull_request", p)})
		if what, bad := attack.Bad(ci.HeadRepo + ci.EventNote); bad || len(ci.HeadRepo) > maxCIValue+len("…") {
			t.Fatalf("%s in %q", what, ci.HeadRepo)
		}
	})
}
