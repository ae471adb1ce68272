package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/x/term"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps"
	"github.com/fix401/fix401/steps/fix"
	"github.com/fix401/fix401/ui"
	"github.com/fix401/fix401/ui/apply"
)

const fixUsage = `Usage: fix401 fix [--dry-run | --yes | --undo [--force]] [flags]

Runs every probe, like 'fix401 check', then fixes what a file edit can fix:
it comments out a stale export in your shell start-up files (never deletes
it), cleans a key in a .env file, moves a key to the variable it belongs in,
tightens a credentials file's mode, adds .env to .gitignore. It never
removes a key that works and never writes a key you did not give (with
--key-stdin, the key you pipe in is saved where your app reads it).

It prints the plan first: each change with why, as a unified diff (keys
shown as hints only), and each step no file edit can do — a variable
exported in this very shell, a Console setting — with the command to run
or the page to open. Then it asks. Without a terminal it only prints,
unless --yes.

Every file is backed up before it changes ($XDG_STATE_HOME/fix401/backups,
else ~/.local/state/fix401/backups), written whole or not at all with its
mode kept, never through a symlink, never a file of another user, nothing
outside the project and your own start-up and config files. Then every
probe runs again against what your app will load — the files read afresh,
and the variables a new terminal gets — and prints before → after.
'fix401 fix --undo' puts the files of the last fix back, byte for byte.

Exit status: 0 the key works after the fix and nothing is left to do by
hand, 1 something is left (a step by hand, a change not applied, or the
fix did not fix it), 2 usage error.
`

// fixOpts are fix's own flags.
type fixOpts struct {
	dryRun, yes, undo, force bool
}

func runFix(ctx context.Context, args []string, sys ioEnv) int {
	var c common
	var o fixOpts
	fs := newFlagSet("fix", fixUsage, sys)
	c.register(fs.FlagSet)
	fs.BoolVar(&o.dryRun, "dry-run", false, "print the plan and its diffs; change nothing")
	fs.BoolVar(&o.yes, "yes", false, "apply the plan without asking (for scripts)")
	fs.BoolVar(&o.undo, "undo", false, "put back the files of the last fix, byte for byte, and stop")
	fs.BoolVar(&o.force, "force", false, "with --undo: restore files edited since the fix too (those edits are lost)")
	if err := parse(fs, args); err != nil {
		return finish(err, sys)
	}
	switch {
	case o.undo && o.dryRun:
		return finish(usagef("fix: --undo and --dry-run do not go together"), sys)
	case o.force && !o.undo:
		return finish(usagef("fix: --force goes with --undo"), sys)
	case o.dryRun && o.yes:
		return finish(usagef("fix: --dry-run and --yes do not go together"), sys)
	}
	env, err := c.env(sys)
	if err != nil {
		return finish(err, sys)
	}
	state := apply.DefaultStateDir(sys.vars, env.Home)
	if o.undo {
		return fixUndo(state, o.force, env.Home, sys)
	}
	return fixRun(ctx, env, c, o, state, sys)
}

// fixUndo puts the files of the last run back.
func fixUndo(state string, force bool, home string, sys ioEnv) int {
	out := probe.NewRedactor().Writer(sys.stdout)
	u, err := apply.Undo(state, apply.UndoOptions{Force: force})
	switch {
	case err != nil:
		return finish(err, sys)
	case u.Run.ID == "":
		fmt.Fprintf(out, "Nothing to undo: no fix was recorded in %s.\n", apply.Tilde(filepath.Join(state, "backups"), home))
		return exitOK
	case u.Already && u.Run.State == apply.StateRolledBack:
		fmt.Fprintf(out, "Nothing to undo: the last fix (%s) failed and was rolled back then.\n", u.Run.ID)
		return exitOK
	case u.Already:
		fmt.Fprintf(out, "Nothing to undo: the last fix (%s) was undone already.\n", u.Run.ID)
		return exitOK
	}
	for _, p := range u.Restored {
		fmt.Fprintf(out, "Restored %s\n", apply.Tilde(p, home))
	}
	for _, p := range u.Removed {
		fmt.Fprintf(out, "Removed %s (the fix had created it)\n", apply.Tilde(p, home))
	}
	fmt.Fprintf(out, "Undid the fix of %s. Run 'fix401 check' to see where that leaves the key.\n", u.Run.ID)
	return exitOK
}

// fixRun is probe → diagnose → plan → show → ask → apply → verify.
func fixRun(ctx context.Context, env *probe.Env, c common, o fixOpts, state string, sys ioEnv) int {
	before, ok := runProbes(ctx, env, sys)
	if !ok {
		return exitProblem
	}
	d := steps.Diagnose(before)
	red := redactor(before, env)
	out := red.Writer(sys.stdout)
	width := textWidth(sys)
	home := env.Home

	fmt.Fprintf(out, "fix401 fix · %s\n\n", apply.Tilde(env.Dir, home))
	fmt.Fprint(out, diagnosisLine("Now:", d, width))
	plan := makePlan(before, d, env, c)
	if plan.Empty() {
		if d.Code == steps.OK {
			fmt.Fprintln(out, "\nNothing to fix: the key works.")
			return exitOK
		}
		fmt.Fprint(out, "\n"+apply.Wrap("No file edit fixes this. "+d.Fix, "", "", width))
		return exitProblem
	}
	if text := "\n" + apply.PlanText(plan, red, home, width); c.color(sys) {
		io.WriteString(sys.stdout, red.Styled(apply.Colors(text)))
	} else {
		fmt.Fprint(out, text)
	}
	if len(plan.Changes) == 0 {
		return exitProblem // only steps by hand: they are printed
	}
	n := steps.CountWords(len(plan.Changes), "file change", "file changes")
	switch {
	case o.dryRun:
		fmt.Fprintf(out, "\nDry run: %s not applied. Run without --dry-run to apply.\n", n)
		return exitProblem
	case !o.yes && !sys.tty:
		fmt.Fprintf(out, "\nNot applied: no terminal to ask on. Run 'fix401 fix --yes' to apply the %s.\n", n)
		return exitProblem
	case !o.yes:
		fmt.Fprintf(out, "\nApply %s? [y/N] ", n)
		yes, asked := confirm(ctx, sys.stdin)
		if !asked {
			fmt.Fprintln(sys.stderr, "\nfix401: interrupted; nothing was changed")
			return exitProblem
		}
		if !yes {
			fmt.Fprintln(out, "Not applied; nothing was changed.")
			return exitProblem
		}
	}
	rec, err := apply.Apply(plan, apply.Options{Roots: apply.RootsOf(env), StateDir: state})
	if errors.Is(err, apply.ErrChanged) {
		return finish(fmt.Errorf("fix: %w; run fix401 fix again", err), sys)
	}
	if err != nil {
		return finish(fmt.Errorf("fix: %w", err), sys)
	}
	fmt.Fprintln(out)
	for _, p := range rec.Paths() {
		fmt.Fprintf(out, "Changed %s\n", apply.Tilde(p, home))
	}
	if rec.ID != "" {
		fmt.Fprintf(out, "Backups: %s\nTo undo: fix401 fix --undo\n", apply.Tilde(rec.Dir, home))
	}
	return fixVerify(ctx, env, before, d, plan, red, sys, width)
}

// fixVerify runs every probe again against what the user's app loads now
// and prints before → after. Its exit status is 0 only when the key works
// and nothing is left to do by hand.
func fixVerify(ctx context.Context, env *probe.Env, before *probe.Report, d steps.Diagnosis, plan fix.Plan, red *probe.Redactor, sys ioEnv, width int) int {
	out := red.Writer(sys.stdout)
	if sys.progress {
		fmt.Fprint(sys.stderr, "\r\x1b[Kchecking again…")
	}
	app := ui.AppAfter(ctx, env, before)
	if sys.progress {
		fmt.Fprint(sys.stderr, "\r\x1b[K")
	}
	if ctx.Err() != nil {
		fmt.Fprintln(sys.stderr, "fix401: interrupted before the check after the fix; the files are changed (to undo: fix401 fix --undo)")
		return exitProblem
	}
	for _, r := range []*probe.Report{app.Here, app.New} {
		if r != nil {
			red.Add(r.Secrets()...)
		}
	}
	after, where := app.New, "After (a new terminal):"
	if app.New == app.Here {
		where = "After:"
	}
	if after == nil {
		// A start-up file sets a credential from a command fix401 does
		// not run: only this terminal can be checked.
		after, where = app.Here, "After (this terminal):"
	}
	da := steps.Diagnose(after)
	fmt.Fprintln(out, "\nChecked again:")
	fmt.Fprint(out, diagnosisLine("Before:", d, width))
	fmt.Fprint(out, diagnosisLine(where, da, width))
	left, hereFails := len(plan.Manual) > 0, false
	if app.New == nil {
		fmt.Fprint(out, apply.Wrap("A start-up file sets a key from a command fix401 does not run, so a new terminal was not checked.", "  ", "  ", width))
		left = true
	}
	if app.New != nil && app.New != app.Here {
		dh := steps.Diagnose(app.Here)
		if dh.Code != da.Code {
			fmt.Fprint(out, diagnosisLine("This terminal:", dh, width))
			hereFails = dh.Code != steps.OK
			left = left || hereFails
		}
		for _, v := range app.Shell {
			if !v.Differs || v.Here == "" {
				continue
			}
			fmt.Fprint(out, apply.Wrap(fmt.Sprintf("This terminal still has %s=%s from before the fix; a new terminal gets %s. To clear it here, run:", v.Var, v.Here, newValue(v)), "  ", "  ", width))
			fmt.Fprintf(out, "      %s\n", fix.UnsetCommand(env.Vars["SHELL"], v.Var))
		}
	}
	switch {
	case da.Code != steps.OK && da.Code == d.Code:
		fmt.Fprint(out, "\n"+apply.Wrap("The fix did not fix it. To put the files back: fix401 fix --undo", "", "", width))
		return exitProblem
	case da.Code != steps.OK:
		fmt.Fprint(out, "\n"+apply.Wrap("Not fixed yet: "+da.Fix, "", "  ", width))
		fmt.Fprintln(out, "To put the files back: fix401 fix --undo")
		return exitProblem
	case hereFails:
		fmt.Fprint(out, "\n"+apply.Wrap("Fixed for a new terminal. In this one, do what is listed under \"To do by hand\", or open a new terminal.", "", "", width))
		return exitProblem
	case left:
		fmt.Fprint(out, "\n"+apply.Wrap("The key works now. What is listed under \"To do by hand\" is still yours to do.", "", "", width))
		return exitProblem
	}
	fmt.Fprintln(out, "\nFixed: the key works.")
	return exitOK
}

// newValue is what a new terminal gets for a shell variable, in words.
func newValue(v steps.ShellVar) string {
	if v.New == "" {
		return "none"
	}
	return v.New
}

// diagnosisLine is "Before: ✗ key_shadowed — title", wrapped.
func diagnosisLine(label string, d steps.Diagnosis, width int) string {
	st := probe.Fail
	if d.Code == steps.OK {
		st = probe.Pass
	}
	return apply.Wrap(fmt.Sprintf("%s %s %s — %s", label, steps.Mark(st), d.Code, d.Title), "", "    ", width)
}

// confirm reads one answer line; only y or yes applies. asked is false
// when ctx ended first (Ctrl-C at the question): the read is left behind,
// as the process is about to end.
func confirm(ctx context.Context, r io.Reader) (yes, asked bool) {
	answer := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(io.LimitReader(r, 1024)).ReadString('\n')
		answer <- line
	}()
	select {
	case <-ctx.Done():
		return false, false
	case line := <-answer:
		a := strings.ToLower(strings.TrimSpace(line))
		return a == "y" || a == "yes", true
	}
}

// textWidth is where fix's prose wraps: the terminal's width, else 80.
func textWidth(sys ioEnv) int {
	if f, ok := sys.stdout.(*os.File); ok && sys.tty {
		if w, _, err := term.GetSize(f.Fd()); err == nil && w >= 40 {
			return min(w, 100)
		}
	}
	return 80
}
