package fix

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/stub"
	"github.com/fix401/fix401/steps"
)

// config is one machine of the family the property test walks: where a
// key is, and whether it works.
type config struct {
	env    string // absent, good, bad, shell (exported by the shell file)
	dotenv string // absent, good, bad, newline (the good key with "\n" in its quotes)
	shell  string // absent, good, bad: ~/.zshrc
	export bool   // the shell line exports the variable
	stdin  string // absent, good, bad: a key given with --key-stdin
}

func (c config) String() string {
	return fmt.Sprintf("env=%s,dotenv=%s,zshrc=%s,export=%v,stdin=%s", c.env, c.dotenv, c.shell, c.export, c.stdin)
}

// configs lists the whole family.
func configs() []config {
	var out []config
	for _, env := range []string{"absent", "good", "bad", "shell"} {
		for _, dotenv := range []string{"absent", "good", "bad", "newline"} {
			for _, shell := range []string{"absent", "good", "bad"} {
				for _, export := range []bool{false, true} {
					if env == "shell" && (shell == "absent" || !export) {
						continue // nothing exports it
					}
					if shell == "absent" && export {
						continue // the same as without export
					}
					for _, stdin := range []string{"absent", "good", "bad"} {
						out = append(out, config{env, dotenv, shell, export, stdin})
					}
				}
			}
		}
	}
	return out
}

// TestPlanNeverBreaksAWorkingKey walks every configuration of the family,
// against the stub: a configuration whose key in use is accepted stays
// accepted once the plan is applied; no plan ever disables or overwrites a
// key the API accepted; a plan applied and probed again leaves nothing to
// change in files.
func TestPlanNeverBreaksAWorkingKey(t *testing.T) {
	// The runs mostly wait on loopback: eight at a time, whatever
	// -parallel says (t.Run may be called from several goroutines).
	todo := make(chan config)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for cfg := range todo {
				checkConfig(t, cfg)
			}
		})
	}
	for _, cfg := range configs() {
		todo <- cfg
	}
	close(todo)
	wg.Wait()
}

// checkConfig is one configuration of TestPlanNeverBreaksAWorkingKey.
func checkConfig(t *testing.T, cfg config) {
	{
		t.Run(cfg.String(), func(t *testing.T) {
			w := newWorld(t, stub.Options{})
			w.stub.Close()
			good := []string{w.key(stub.NewAPIKey()), w.key(stub.NewAPIKey()), w.key(stub.NewAPIKey()), w.key(stub.NewAPIKey())}
			bad := []string{w.key(stub.NewAPIKey()), w.key(stub.NewAPIKey()), w.key(stub.NewAPIKey()), w.key(stub.NewAPIKey())}
			s, err := stub.Start(stub.Options{ValidKeys: good, RevokedKeys: bad})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(s.Close)
			rewriteURL(t, w, s.URL)
			w.file("project/.gitignore", ".env\n")

			pick := func(what string, i int) string {
				switch what {
				case "good":
					return good[i]
				case "bad":
					return bad[i]
				}
				return ""
			}
			if k := pick(cfg.shell, 2); k != "" {
				line := "ANTHROPIC_API_KEY=\"" + k + "\"\n"
				if cfg.export {
					line = "export " + line
				}
				w.file(".zshrc", "alias ll='ls -l'\n"+line+"export EDITOR=vim\n")
			}
			switch cfg.env {
			case "shell":
				w.env.Vars["ANTHROPIC_API_KEY"] = pick(cfg.shell, 2)
			case "good", "bad":
				w.env.Vars["ANTHROPIC_API_KEY"] = pick(cfg.env, 0)
			}
			switch cfg.dotenv {
			case "good", "bad":
				w.file("project/.env", "CITY=Berlin\nANTHROPIC_API_KEY="+pick(cfg.dotenv, 1)+"\n")
			case "newline":
				w.file("project/.env", "CITY=Berlin\nANTHROPIC_API_KEY=\""+good[1]+"\\n\"\n")
			}

			given := pick(cfg.stdin, 3)
			if given != "" {
				w.env.StdinKey, w.env.HasStdinKey = given, true
			}

			r, d, p := w.plan()
			// With a key on stdin, the verdict is that key's; the app's is
			// the one without it.
			worked := d.Code == steps.OK && given == ""
			noKeyIn(t, p, w.keys)
			accepted := acceptedInFiles(r)
			// A plan writes no key but those already in the file and the
			// one given on stdin, when the API accepted it.
			for _, c := range p.Changes {
				for _, k := range keyPattern.FindAllString(string(c.After), -1) {
					if !strings.Contains(string(c.Before), k) && (k != given || cfg.stdin != "good") {
						t.Errorf("%s: the plan writes a key the user did not give\nplan:\n%s", c.Path, describe(p))
					}
				}
			}

			w.apply(p)
			w.env.StdinKey, w.env.HasStdinKey = "", false
			r2, d2, p2 := w.plan()
			if worked && d2.Code != steps.OK {
				t.Fatalf("the key worked, and after the plan: %s (%s)\nplan:\n%s", d2.Code, d2.Title, describe(p))
			}
			// Every accepted key found in a file is still there, still set.
			still := map[string]bool{}
			for _, c := range r2.Candidates {
				if c.Origin != probe.OriginEnv && c.Value != "" {
					still[c.Clean] = true
				}
			}
			for v, where := range accepted {
				if !still[v] {
					t.Errorf("the plan took away the working key of %s\nplan:\n%s", where, describe(p))
				}
			}
			// A refused key on stdin is all the first run judged: the second
			// judges the app's own key for the first time.
			if len(p2.Changes) != 0 && cfg.stdin != "bad" {
				t.Errorf("after the plan (%s), a second plan changes files:\n%s\nfirst plan:\n%s", d2.Code, describe(p2), describe(p))
			}
		})
	}
}

// keyPattern finds the API keys in a file.
var keyPattern = regexp.MustCompile(`sk-ant-api03-[A-Za-z0-9_-]{93}AA`)

// acceptedInFiles maps every key found in a file that the API accepted
// (cleaned: other keys are tested cleaned) to where it was found.
func acceptedInFiles(r *probe.Report) map[string]string {
	ok := map[string]bool{}
	if k := r.ActiveKey(); k != nil && (r.Auth.Accepted() || r.CleanAuth.Accepted()) {
		ok[k.Clean] = true
	}
	for _, o := range r.Others {
		if o.Answer.Accepted() {
			ok[r.Candidates[o.Index].Clean] = true
		}
	}
	out := map[string]string{}
	for _, c := range r.Candidates {
		if c.Path != "" && c.Value != "" && ok[c.Clean] {
			out[c.Clean] = c.Source
		}
	}
	return out
}

// noKeyIn fails when a key appears in the words of a plan: its reasons
// and manual steps (only a file's own bytes may hold it).
func noKeyIn(t *testing.T, p Plan, keys []string) {
	t.Helper()
	var words []string
	for _, c := range p.Changes {
		for _, r := range c.Why {
			words = append(words, r.Title)
		}
	}
	for _, m := range p.Manual {
		words = append(words, m.Title, m.Command, m.URL)
	}
	for _, w := range words {
		for _, k := range keys {
			if strings.Contains(w, k) || strings.Contains(w, k[13:]) {
				t.Errorf("a key in %q", w)
			}
		}
	}
}
