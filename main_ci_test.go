package main

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/hostile"
	"github.com/fix401/fix401/probe/stub"
	"github.com/fix401/fix401/steps"
)

// forkRun makes in a GitHub Actions run of a pull request from alice's
// fork of acme/app, from a real event file, whose workflow maps the
// missing secret to an empty ANTHROPIC_API_KEY. The step summary file
// exists and already holds another step's text; its path is returned.
func forkRun(t *testing.T, in *invocation, forkName string) (summary string) {
	t.Helper()
	ev, err := os.ReadFile(filepath.Join("probe", "testdata", "ci", "fork-pull-request.json"))
	if err != nil {
		t.Fatal(err)
	}
	if forkName != "" {
		var doc map[string]any
		if err := json.Unmarshal(ev, &doc); err != nil {
			t.Fatal(err)
		}
		head := doc["pull_request"].(map[string]any)["head"].(map[string]any)["repo"].(map[string]any)
		head["full_name"] = forkName
		if ev, err = json.Marshal(doc); err != nil {
			t.Fatal(err)
		}
	}
	runner := t.TempDir()
	evPath := filepath.Join(runner, "event.json")
	summary = filepath.Join(runner, "step_summary.md")
	write(t, evPath, string(ev))
	write(t, summary, "## Tests\n\nall green\n")
	maps.Copy(in.vars, map[string]string{
		"CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": evPath,
		"GITHUB_REPOSITORY": "acme/app", "GITHUB_ACTOR": "alice", "GITHUB_HEAD_REF": "fix-typo",
		"GITHUB_STEP_SUMMARY": summary, "ANTHROPIC_API_KEY": "",
	})
	return summary
}

// commandRe is one workflow command as the runner reads it: the command,
// its properties up to the first "::", and the message.
var commandRe = regexp.MustCompile(`^::(error|warning|notice) title=([^:\r\n]*)::([^\r\n]*)$`)

// commands checks that every line of out is one workflow command of
// fix401's, with nothing the runner would unescape into a second line,
// and returns them.
func commands(t *testing.T, out string) [][]string {
	t.Helper()
	if what, bad := hostile.Bad(out); bad {
		t.Errorf("annotations hold %s:\n%q", what, out)
	}
	var cmds [][]string
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		m := commandRe.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("not one workflow command of fix401's: %q", line)
			continue
		}
		if strings.Contains(m[2], ",") {
			t.Errorf("a title that holds a property separator: %q", line)
		}
		cmds = append(cmds, m)
	}
	return cmds
}

// unescape is what the runner shows of an escaped message or title.
func unescape(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%").Replace(s)
}

// normalize drops what differs between two runs a second apart: times,
// request ids, durations.
func normalize(s string) string {
	for _, re := range []*regexp.Regexp{regexp.MustCompile(`\d{4}-\d{2}-\d{2}`), regexp.MustCompile(`\d{2}:\d{2}(:\d{2})?`),
		regexp.MustCompile(`req_[A-Za-z0-9]+`), regexp.MustCompile(`\d+ ms`), regexp.MustCompile(`127\.0\.0\.1:\d+`)} {
		s = re.ReplaceAllString(s, "…")
	}
	return s
}

// TestForkPullRequestInCI is the done-when of issue 12's CI part: a pull
// request from a fork, in GitHub Actions, is explained in one line —
// in text, JSON, annotations and the step summary — with the fix, and the
// exit status says a problem was found.
func TestForkPullRequestInCI(t *testing.T) {
	in := newInvocation(t)
	s := in.stubbed(stub.Options{})
	summary := forkRun(t, in, "")
	const title = "This run is a pull request from the fork alice/app: GitHub gives it no secrets"

	if got := in.run(append([]string{"check"}, in.flags(s)...)...); got != exitProblem {
		t.Fatalf("check: exit %d\n%s%s", got, in.stdout.String(), in.stderr.String())
	}
	if out := in.stdout.String(); !strings.Contains(out, "Diagnosis: ci_secret_unavailable\n    "+title+"\n") ||
		!strings.Contains(out, "head.repo.fork == false") || strings.Contains(out, "platform.claude.com/settings/keys") {
		t.Errorf("check does not explain the fork in one line, or still says to create a key:\n%s", out)
	}

	if got := in.run(append([]string{"check", "--format", "json"}, in.flags(s)...)...); got != exitProblem {
		t.Fatalf("check --format json: exit %d", got)
	}
	var j steps.JSON
	if err := json.Unmarshal(in.stdout.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	if j.Diagnosis.Code != steps.CISecretUnavailable || j.Diagnosis.Title != title {
		t.Errorf("JSON diagnosis %+v", j.Diagnosis)
	}
	if j.CI == nil || j.CI.Withheld != probe.WithheldFork || j.CI.HeadRepository != "alice/app" || j.CI.Ref != "fix-typo" {
		t.Errorf("JSON ci %+v", j.CI)
	}
	found := false
	for _, c := range j.Checks {
		found = found || c.ID == probe.CheckCI && c.Status == probe.Warn && c.Step == steps.VerifyKey
	}
	if !found {
		t.Errorf("no warning ci.context on verify-key in %+v", j.Checks)
	}

	if got := in.run(append([]string{"check", "--format", "github"}, in.flags(s)...)...); got != exitProblem {
		t.Fatalf("check --format github: exit %d\n%s%s", got, in.stdout.String(), in.stderr.String())
	}
	cmds := commands(t, in.stdout.String())
	if len(cmds) == 0 || cmds[0][1] != "error" || unescape(cmds[0][2]) != title ||
		!strings.Contains(cmds[0][3], "(fix401 diagnosis ci_secret_unavailable)") {
		t.Fatalf("the first annotation is not the diagnosis: %q", cmds)
	}
	if strings.Count(in.stdout.String(), "::error") != 1 {
		t.Errorf("more than one error annotation:\n%s", in.stdout.String())
	}
	warned := false
	for _, c := range cmds[1:] {
		warned = warned || c[1] == "warning" && c[2] == "fix401 ci.context"
	}
	if !warned {
		t.Errorf("no ci.context warning:\n%s", in.stdout.String())
	}
	if in.stderr.Len() != 0 {
		t.Errorf("stderr: %s", in.stderr.String())
	}

	// The step summary keeps what was there and gains the report, the same
	// text as fix401 report prints.
	got, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	md, ok := strings.CutPrefix(string(got), "## Tests\n\nall green\n")
	if !ok {
		t.Fatalf("the summary lost what it held:\n%s", got)
	}
	delete(in.vars, "GITHUB_STEP_SUMMARY")
	in.run(append([]string{"report"}, in.flags(s)...)...)
	if normalize(md) != normalize(in.stdout.String()) {
		t.Errorf("the step summary is not the report:\n--- summary\n%s\n--- report\n%s", md, in.stdout.String())
	}
	if !strings.Contains(md, "`ci_secret_unavailable`") || !strings.Contains(md, title) {
		t.Errorf("the step summary lacks the finding:\n%s", md)
	}
}

// A run whose key works gets a notice, its key never in an annotation or
// the summary.
func TestFormatGitHubOK(t *testing.T) {
	in := newInvocation(t)
	s := in.stubbed(stub.Options{})
	summary := forkRun(t, in, "")
	in.vars["GITHUB_EVENT_NAME"] = "push"
	key := stub.NewAPIKey()
	in.vars["ANTHROPIC_API_KEY"] = key
	if got := in.run(append([]string{"check", "--format", "github"}, in.flags(s)...)...); got != exitOK {
		t.Fatalf("exit %d\n%s", got, in.stdout.String())
	}
	cmds := commands(t, in.stdout.String())
	if len(cmds) == 0 || cmds[0][1] != "notice" || cmds[0][2] != "fix401 ok" || strings.Contains(in.stdout.String(), "::error") {
		t.Errorf("a working key: %q", cmds)
	}
	md, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "## fix401 report: `ok`") {
		t.Errorf("summary:\n%s", md)
	}
	assertNoKey(t, in.stdout.String()+string(md)+in.stderr.String(), key)
}

// Hostile names — the fork's, the branch's, the repository's, and every
// planted project value — can neither break a line nor a property: each
// line stays one command of fix401's, and the step summary stays clean.
func TestFormatGitHubHostile(t *testing.T) {
	inject := "\r\n::error title=forged::pwned\n::add-mask::x,y:z%0A::stop-commands::tok"
	for _, tt := range []struct {
		name    string
		project bool // also plant hostile.Payload in the project and variables
	}{{"ci values", false}, {"ci values and a hostile project", true}} {
		t.Run(tt.name, func(t *testing.T) {
			in := newInvocation(t)
			s := in.stubbed(stub.Options{})
			if tt.project {
				vars, err := hostile.PlantPayload(in.dir, stub.NewAPIKey(), hostile.Payload+inject)
				if err != nil {
					t.Fatal(err)
				}
				maps.Copy(in.vars, vars)
			}
			summary := forkRun(t, in, "evil/app"+inject+hostile.Payload)
			in.vars["GITHUB_REPOSITORY"] = "acme/app" + inject
			in.vars["GITHUB_HEAD_REF"] = "fix" + inject + hostile.Payload
			in.run(append([]string{"check", "--format", "github"}, in.flags(s)...)...)
			out := in.stdout.String()
			cmds := commands(t, out)
			if len(cmds) == 0 || cmds[0][1] != "error" {
				t.Fatalf("no diagnosis first: %q", out)
			}
			errs := 0
			for _, c := range cmds {
				if c[1] == "error" {
					errs++
				}
				// A "%0A" written in a value is shown as written, not turned
				// into a line break by the runner.
				if strings.Contains(unescape(c[2]+c[3]), "\n::stop-commands") {
					t.Errorf("an escape sequence from a value survived: %q", c)
				}
			}
			if errs != 1 {
				t.Errorf("%d error annotations, want the diagnosis only:\n%s", errs, out)
			}
			if title := unescape(cmds[0][2]); !tt.project && (!strings.Contains(title, "evil/app") || !strings.HasSuffix(title, ": GitHub gives it no secrets")) {
				t.Errorf("the fork is not named: %q", cmds[0][2])
			}
			md, err := os.ReadFile(summary)
			if err != nil {
				t.Fatal(err)
			}
			if what, bad := hostile.Bad(string(md)); bad {
				t.Errorf("the step summary holds %s:\n%q", what, md)
			}
			if what, bad := hostile.Bad(in.stderr.String()); bad {
				t.Errorf("stderr holds %s", what)
			}
		})
	}
}

// GITHUB_STEP_SUMMARY is appended to, never written through a symlink or
// into a FIFO; the annotations and the exit status stand either way.
func TestStepSummaryRefusesLinks(t *testing.T) {
	in := newInvocation(t)
	s := in.stubbed(stub.Options{})
	summary := forkRun(t, in, "")
	target := filepath.Join(t.TempDir(), "elsewhere.md")
	write(t, target, "keep\n")
	if err := os.Remove(summary); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, summary); err != nil {
		t.Fatal(err)
	}
	if got := in.run(append([]string{"check", "--format", "github"}, in.flags(s)...)...); got != exitProblem {
		t.Errorf("exit %d", got)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep\n" {
		t.Errorf("written through the link: %q", b)
	}
	cmds := commands(t, in.stdout.String())
	last := cmds[len(cmds)-1]
	if cmds[0][1] != "error" || last[1] != "warning" || !strings.Contains(unescape(last[3]), "GITHUB_STEP_SUMMARY") ||
		!strings.Contains(last[3], "symlink") {
		t.Errorf("the refusal is not reported: %q", cmds)
	}
}

func TestFormatFlag(t *testing.T) {
	in := newInvocation(t)
	for _, args := range [][]string{{"check", "--format", "yaml"}, {"check", "--format", "github", "--json"}, {"--format", "xml"}} {
		if got := in.run(args...); got != exitUsage || !strings.Contains(in.stderr.String(), "text, json, github") &&
			!strings.Contains(in.stderr.String(), "--json is --format json") {
			t.Errorf("%q: exit %d, stderr %q", args, got, in.stderr.String())
		}
	}
	in.run("check", "--help")
	if h := in.stdout.String(); !strings.Contains(h, "--format FORMAT") || !strings.Contains(h, "GITHUB_STEP_SUMMARY") {
		t.Errorf("check --help:\n%s", h)
	}
	in.run("--help")
	if !strings.Contains(in.stdout.String(), "--format") {
		t.Errorf("--help does not name --format:\n%s", in.stdout.String())
	}
	// --json and --format json are one output.
	s := in.stubbed(stub.Options{})
	in.vars["ANTHROPIC_API_KEY"] = stub.NewAPIKey()
	var docs []steps.JSON
	for _, f := range [][]string{{"--json"}, {"--format", "json"}, {"--format", "json", "--json"}} {
		if got := in.run(append(append([]string{"check"}, f...), in.flags(s)...)...); got != exitOK {
			t.Fatalf("%q: exit %d %s", f, got, in.stderr.String())
		}
		var j steps.JSON
		if err := json.Unmarshal(in.stdout.Bytes(), &j); err != nil {
			t.Fatalf("%q: %v", f, err)
		}
		docs = append(docs, j)
	}
	if docs[0].Diagnosis != docs[1].Diagnosis || docs[1].Diagnosis != docs[2].Diagnosis {
		t.Errorf("--json and --format json differ: %+v", docs)
	}
}
