package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/hostile"
	"github.com/fix401/fix401/probe/stub"
	"github.com/fix401/fix401/steps"
	"github.com/fix401/fix401/ui"
	"github.com/fix401/fix401/ui/text"
)

// output is one thing fix401 printed or wrote, and what it must show of
// the planted text (its printable part), so that no output passes by
// leaving the planted text out.
type output struct {
	name, text string
	kind       string // "", "json" or "styled"
	shows      []string
}

func (o output) check(t *testing.T) bool {
	t.Helper()
	ok := true
	bad := func() (string, bool) { return hostile.Bad(o.text) }
	switch o.kind {
	case "json":
		bad = func() (string, bool) { return hostile.BadJSON([]byte(o.text)) }
	case "styled":
		bad = func() (string, bool) { return hostile.BadStyled(o.text) }
	}
	if what, found := bad(); found {
		t.Errorf("%s holds %s:\n%q", o.name, what, o.text)
		ok = false
	}
	for _, s := range o.shows {
		if !strings.Contains(o.text, s) {
			t.Errorf("%s does not show %q: the planted text did not reach it\n%s", o.name, s, o.text)
			ok = false
		}
	}
	return ok
}

// hostileInvocation is a project whose files and variables carry payload
// everywhere, with a key the stub accepts in the environment.
func hostileInvocation(t *testing.T, payload string) (*invocation, *stub.Server) {
	in := newInvocation(t)
	s := in.stubbed(stub.Options{})
	vars, err := hostile.PlantPayload(in.dir, stub.NewAPIKey(), payload)
	if err != nil {
		t.Fatal(err)
	}
	maps.Copy(in.vars, vars)
	in.vars["ANTHROPIC_API_KEY"] = stub.NewAPIKey()
	return in, s
}

// envOf is the probe environment main builds for in.
func envOf(in *invocation, base, status string) *probe.Env {
	return &probe.Env{Vars: in.vars, Home: in.home, Dir: in.dir, BaseURL: base, StatusURL: status,
		Timeout: patient, Retries: probe.DefaultRetries, Backoff: probe.DefaultBackoff}
}

// TestHostileProjectEveryOutput: control sequences planted in SDK names
// and versions (package.json, requirements.txt and its name, go.mod), in a
// variable name of .claude/settings.json, in TZ and in the proxy variables
// reach no output raw — check, check --json, report, report --json,
// report -o, the coloured checklist, every step of the wizard, stderr —
// and every output still shows what they said. Without a key in the
// environment, the key under the hostile name is the finding, and every
// output names it.
//
// The payload is hostile.Payload (one of each attack), then payloads made
// of random pieces of sequences and controls (hostile.Random).
func TestHostileProjectEveryOutput(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 29))
	type tc struct {
		payload  string
		misnamed bool
	}
	cases := []tc{{hostile.Payload, false}, {hostile.Payload, true}}
	for range 3 {
		cases = append(cases, tc{hostile.Random(rng), true})
	}
	for i, c := range cases {
		t.Run(fmt.Sprintf("%d misnamed=%v", i, c.misnamed), func(t *testing.T) {
			in, s := hostileInvocation(t, c.payload)
			named := []string{"Europe/Berlin"}
			if c.misnamed {
				delete(in.vars, "ANTHROPIC_API_KEY")
				named = append(named, "MY_KEY")
			}
			if t.Failed() || !everyOutput(t, in, s, named) {
				t.Logf("payload %q", c.payload)
			}
		})
	}
}

// everyOutput runs every output of in and checks it; false when one holds
// what it must not, or lacks what it must show.
func everyOutput(t *testing.T, in *invocation, s *stub.Server, named []string) bool {
	file := filepath.Join(t.TempDir(), "summary.md")
	sdks := []string{"^0.30.0", "v1.2.3", "requirements-", "proxy.invalid"}
	var outs []output
	for _, tt := range []struct {
		args  []string
		kind  string
		shows []string
	}{
		{[]string{"check"}, "", named},
		{[]string{"check", "--json"}, "json", named},
		{[]string{"check", "--format", "github"}, "", nil},
		{[]string{"report"}, "", append(sdks, named...)},
		{[]string{"report", "--json"}, "json", append(sdks, "Europe/Berlin")},
		{[]string{"report", "-o", file}, "", nil},
	} {
		in.run(append(tt.args, in.flags(s)...)...)
		name := strings.Join(tt.args[:min(2, len(tt.args))], " ")
		outs = append(outs, output{name, in.stdout.String(), tt.kind, tt.shows}, output{name + " (stderr)", in.stderr.String(), "", nil})
	}
	saved, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, output{"report -o (the file)", string(saved), "", append(sdks, named...)})

	env := envOf(in, s.URL, s.URL)
	r := probe.Run(context.Background(), env)
	var b strings.Builder
	if err := text.Check(&b, r, steps.Diagnose(r), version, true, redactor(r, env)); err != nil {
		t.Fatal(err)
	}
	outs = append(outs, output{"check on a terminal (colour)", b.String(), "styled", named})
	for _, step := range steps.Order {
		screen, err := ui.Snapshot(context.Background(), env, step, 100, 0, ui.Options{Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, output{"wizard " + string(step), screen, "styled", nil})
	}
	outs[len(outs)-1].shows = append([]string{"0.30.0"}, named...) // the summary step
	ok := true
	for _, o := range outs {
		ok = o.check(t) && ok
	}
	return ok
}

// TestHostileBaseURL: a base URL that holds control sequences is not a URL
// fix401 can use; every output says so without printing them.
func TestHostileBaseURL(t *testing.T) {
	in, s := hostileInvocation(t, hostile.Payload)
	in.vars["ANTHROPIC_BASE_URL"] = "https://gw.example/" + hostile.Payload + "/anthropic"
	var outs []output
	for _, tt := range []struct {
		args []string
		kind string
	}{{[]string{"check"}, ""}, {[]string{"check", "--json"}, "json"}, {[]string{"report"}, ""}, {[]string{"report", "--json"}, "json"}} {
		if got := in.run(append(tt.args, "--dir", in.dir, "--status-url", s.URL, "--timeout", patient.String())...); got != exitProblem {
			t.Errorf("%s: exit %d", tt.args, got)
		}
		outs = append(outs, output{strings.Join(tt.args, " "), in.stdout.String(), tt.kind, []string{"gw.example"}},
			output{strings.Join(tt.args, " ") + " (stderr)", in.stderr.String(), "", nil})
	}
	in.run("check", "--base-url", "https://gw.example/"+hostile.Payload, "--dir", in.dir)
	outs = append(outs, output{"--base-url (stderr)", in.stderr.String(), "", []string{"gw.example"}})
	env := envOf(in, "", s.URL)
	for _, step := range []steps.StepID{steps.Understand, steps.Headers, steps.Summary} {
		screen, err := ui.Snapshot(context.Background(), env, step, 100, 0, ui.Options{Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, output{"wizard " + string(step), screen, "styled", nil})
	}
	for _, o := range outs {
		o.check(t)
	}
}

// TestHostileLint: a request to lint that carries control sequences.
func TestHostileLint(t *testing.T) {
	in := newInvocation(t)
	f := filepath.Join(in.dir, "call.sh")
	src := "curl https://api.anthropic.com/v1/models -H 'Authorization: Bearer $ANTHROPIC_API_KEY" + hostile.Payload + "' -H 'x-api" + hostile.Payload + "-key: x'\n"
	if err := os.WriteFile(f, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		kind string
	}{{[]string{"lint", f}, ""}, {[]string{"lint", "--json", f}, "json"}} {
		in.run(tt.args...)
		output{strings.Join(tt.args[:len(tt.args)-1], " "), in.stdout.String(), tt.kind, nil}.check(t)
		output{"lint (stderr)", in.stderr.String(), "", nil}.check(t)
	}
}

// syncBuffer is output a test reads while another goroutine writes it;
// ready, when set, is closed at the first line.
type syncBuffer struct {
	mu    sync.Mutex
	b     strings.Builder
	once  sync.Once
	ready chan struct{}
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.Write(p)
	if s.ready != nil && strings.Contains(s.b.String(), "\n") {
		s.once.Do(func() { close(s.ready) })
	}
	return len(p), nil
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestStubLogIsSanitized: fix401 stub logs the path of every request; a
// path can hold anything once percent-decoded, and the log is a terminal.
func TestStubLogIsSanitized(t *testing.T) {
	log := &syncBuffer{ready: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"stub", "--addr", "127.0.0.1:0"}, ioEnv{stdin: strings.NewReader(""), stdout: io.Discard, stderr: log, vars: map[string]string{}})
	}()
	<-log.ready
	base := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(log.String())
	if base == "" {
		cancel()
		t.Fatalf("no address in %q", log.String())
	}
	paths := []string{"/v1/%1B%5D52%3Bc%3BeA%3D%3D%07models", "/v1/%C2%9B2Jmodels", "/v1/%E2%80%AEsledom", "/v1/%E2%81%A6x%E2%81%A9", "/v1/%9Bx", "/v1/%1B%5B2J%0D%0Aforged"}
	for _, p := range paths {
		resp, err := http.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	cancel()
	if got := <-done; got != exitOK {
		t.Errorf("stub exit %d", got)
	}
	out := log.String()
	if what, ok := hostile.Bad(out); ok {
		t.Errorf("the stub's log holds %s:\n%q", what, out)
	}
	lines := 0
	for sc := bufio.NewScanner(strings.NewReader(out)); sc.Scan(); {
		if strings.Contains(sc.Text(), " /v1/") || strings.Contains(sc.Text(), ` "/v1/`) {
			lines++
		}
	}
	if lines != len(paths) {
		t.Errorf("%d request lines for %d requests (a path forged or lost a line):\n%s", lines, len(paths), out)
	}
}
