package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

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

// demoRun runs `fix401 demo SCENARIO` as main does: the signals main
// stops on are caught into ctx. The demo's temporary folder goes to a
// folder of the test's own, returned, so a test can see it come and go.
func demoRun(t *testing.T, tty bool, wizardIn io.Reader, args ...string) (tmp string, code <-chan int, stderr *syncBuffer) {
	t.Helper()
	tmp = t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals...)
	t.Cleanup(stop)
	out := make(chan int, 1)
	stderr = &syncBuffer{}
	go func() {
		out <- run(ctx, append([]string{"demo"}, args...), ioEnv{
			stdin: strings.NewReader(""), stdout: io.Discard, stderr: stderr, vars: map[string]string{"HOME": tmp},
			tty: tty, wizardIn: wizardIn, wizardOut: io.Discard, demoTimeout: patient,
		})
	}()
	return tmp, out, stderr
}

// waitFor waits, without a time margin, until cond holds or the run ends.
func waitFor(t *testing.T, cond func() bool, code <-chan int) {
	t.Helper()
	guard := time.After(patient)
	for !cond() {
		select {
		case c := <-code:
			t.Fatalf("the run ended (exit %d) before the test could act", c)
		case <-guard:
			t.Fatal("waited a minute")
		case <-time.After(5 * time.Millisecond): // poll the file system
		}
	}
}

func entries(dir string) int {
	es, _ := os.ReadDir(dir)
	return len(es)
}

// TestSignalsRemoveTheDemoFolder: closing the terminal (SIGHUP) or
// SIGTERM mid-demo ends fix401 the orderly way — exit 1, the temporary
// folder removed — in the wizard and in plain output alike. The timeout
// demo's API never answers, so only the signal can end these runs.
func TestSignalsRemoveTheDemoFolder(t *testing.T) {
	for _, tt := range []struct {
		name string
		sig  syscall.Signal
		tty  bool
	}{
		{"SIGHUP, wizard", syscall.SIGHUP, true},
		{"SIGTERM, wizard", syscall.SIGTERM, true},
		{"SIGHUP, plain output", syscall.SIGHUP, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			keys, typing := io.Pipe()
			defer typing.Close()
			tmp, code, _ := demoRun(t, tt.tty, keys, "timeout")
			waitFor(t, func() bool { return entries(tmp) > 0 }, code)
			if err := syscall.Kill(os.Getpid(), tt.sig); err != nil {
				t.Fatal(err)
			}
			select {
			case c := <-code:
				if c != exitProblem {
					t.Errorf("exit %d after %s, want %d", c, tt.sig, exitProblem)
				}
			case <-time.After(patient):
				t.Fatalf("%s did not end the run", tt.sig)
			}
			if n := entries(tmp); n != 0 {
				t.Errorf("%d entries left in the temporary folder after %s", n, tt.sig)
			}
		})
	}
}

// TestWizardQuitBeforeTheProbesExitsOne: q while the probes still wait
// is exit 1, not 0.
func TestWizardQuitBeforeTheProbesExitsOne(t *testing.T) {
	tmp, code, stderr := demoRun(t, true, strings.NewReader("q"), "timeout")
	select {
	case c := <-code:
		if c != exitProblem {
			t.Errorf("exit %d, want %d (stderr %q)", c, exitProblem, stderr.String())
		}
	case <-time.After(patient):
		t.Fatal("q did not end the wizard")
	}
	if n := entries(tmp); n != 0 {
		t.Errorf("%d entries left in the temporary folder", n)
	}
}

// TestWizardExitStatusIsDocumented: --help and the README's exit status
// section both say how the wizard exits.
func TestWizardExitStatusIsDocumented(t *testing.T) {
	in := newInvocation(t)
	in.run("--help")
	if !strings.Contains(in.stdout.String(), "Exit status of the wizard, check and report") ||
		!strings.Contains(in.stdout.String(), "quit before its probes") {
		t.Errorf("--help does not document the wizard's exit status:\n%s", in.stdout.String())
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "### Exit status (the wizard,") ||
		!strings.Contains(string(readme), "quit before its probes finished") {
		t.Error("the README's exit status section does not cover the wizard")
	}
}

// TestMain lets a test run the real main in a child process: with
// FIX401_TEST_MAIN set, the test binary is fix401, its arguments in
// FIX401_TEST_ARGS, one per line.
func TestMain(m *testing.M) {
	if os.Getenv("FIX401_TEST_MAIN") == "1" {
		os.Args = append([]string{"fix401"}, strings.Split(os.Getenv("FIX401_TEST_ARGS"), "\n")...)
		main()
		return
	}
	os.Exit(m.Run())
}

// TestClosedPipeRemovesTheDemoFolder: `fix401 demo … | head -c0` writes
// into a pipe nobody reads. That must not kill fix401 before its defers
// run: the demo's temporary folder is removed all the same.
func TestClosedPipeRemovesTheDemoFolder(t *testing.T) {
	tmp := t.TempDir()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close() // nobody will read: every write fails
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "FIX401_TEST_MAIN=1", "FIX401_TEST_ARGS=demo\nrevoked\n--json", "TMPDIR="+tmp)
	cmd.Stdout, cmd.Stderr = w, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	err = cmd.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			t.Fatalf("fix401 was killed by %v", ws.Signal())
		}
	}
	if n := entries(tmp); n != 0 {
		t.Errorf("%d entries left in the temporary folder", n)
	}
}
