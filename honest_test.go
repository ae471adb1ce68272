package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/fix401/fix401/probe/stub"
)

// TestCheckShowsProgressOnATerminal: at a terminal, check says how many
// probes have answered on stderr, one line rewritten in place and cleared
// at the end; never on stdout, never off a terminal.
func TestCheckShowsProgressOnATerminal(t *testing.T) {
	in := newInvocation(t)
	s := in.stubbed(stub.Options{})
	in.vars["ANTHROPIC_API_KEY"] = stub.NewAPIKey()
	counts := regexp.MustCompile(`\r\x1b\[Kchecking (\d+) of (\d+)…`)
	for _, asJSON := range []bool{false, true} {
		args := append([]string{"check"}, in.flags(s)...)
		if asJSON {
			args = append(args, "--json")
		}
		in.progress = true
		in.run(args...)
		errOut, out := in.stderr.String(), in.stdout.String()
		steps := counts.FindAllStringSubmatch(errOut, -1)
		if len(steps) < 2 {
			t.Fatalf("json %v: no progress on stderr: %q", asJSON, errOut)
		}
		first, last := steps[0], steps[len(steps)-1]
		if first[1] != "0" || last[1] != last[2] {
			t.Errorf("json %v: progress went from %s to %s of %s", asJSON, first[1], last[1], last[2])
		}
		if !strings.HasSuffix(errOut, "\r\x1b[K") {
			t.Errorf("json %v: the progress line is not cleared at the end: %q", asJSON, errOut)
		}
		if strings.Contains(out, "checking") || strings.ContainsRune(out, '\r') {
			t.Errorf("json %v: progress reached stdout", asJSON)
		}
		if asJSON && !json.Valid([]byte(out)) {
			t.Errorf("stdout is no longer one JSON object:\n%s", out)
		}

		in.progress = false
		in.run(args...)
		if strings.Contains(in.stderr.String(), "checking") {
			t.Errorf("json %v: progress off a terminal: %q", asJSON, in.stderr.String())
		}
	}
}
