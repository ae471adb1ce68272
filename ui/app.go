package ui

import (
	"context"
	"maps"
	"path/filepath"
	"slices"
	"sync"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps"
)

// probeRun is one report of a run with the environment its probes read.
type probeRun struct {
	env    *probe.Env
	report *probe.Report
}

// prepared is a run with its keys found (local files, milliseconds) and no
// request sent yet: the environment tested — with the key pasted, if any —
// and what the user's app loads, read afresh.
type prepared struct {
	tested *probe.Report
	app    *steps.AppView
	runs   []probeRun        // each distinct report once, tested first
	shell  []probe.Candidate // the start-up files' exports when fix401 started
}

// prepare reads env afresh for one run. start are the shell start-up
// files' exports as they were when fix401 started; nil on the first run,
// whose own reading they become.
//
// An app started from this terminal gets fix401's own variables (those of
// the shell that started it, as they were then), without a pasted key. An
// app started from a new terminal gets them too, except the credential
// variables the start-up files set, which it gets as the files are now.
func prepare(env *probe.Env, start []probe.Candidate) prepared {
	p := prepared{tested: probe.Prepare(env)}
	p.runs = []probeRun{{env, p.tested}}
	here, hereEnv := p.tested, env
	if env.HasStdinKey {
		e := *env
		e.StdinKey, e.HasStdinKey, e.StdinSource = "", false, ""
		hereEnv = &e
		here = probe.Prepare(hereEnv)
		p.runs = append(p.runs, probeRun{hereEnv, here})
	}
	now := shellExports(here.Candidates)
	if start == nil {
		start = now
	}
	p.shell = start
	vars, shell, unknown := newTerminalVars(hereEnv.Vars, start, now)
	p.app = &steps.AppView{Here: here, Shell: shell}
	changed := slices.ContainsFunc(shell, steps.ShellVar.Changed)
	switch {
	case unknown:
	case !changed:
		p.app.New = here
	default:
		e := *hereEnv
		e.Vars = vars
		p.app.New = probe.Prepare(&e)
		p.runs = append(p.runs, probeRun{&e, p.app.New})
	}
	return p
}

// launch runs every probe of every report at once; each part names the
// report it belongs to. The channel closes when all are done or ctx ends.
func (p prepared) launch(ctx context.Context) <-chan reportPart {
	out := make(chan reportPart, 16)
	var wg sync.WaitGroup
	for _, run := range p.runs {
		parts := probe.Start(ctx, run.env, run.report)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for part := range parts {
				select {
				case out <- reportPart{to: run.report, part: part}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// runNow runs every probe of p to the end, without a program.
func (p prepared) runNow(ctx context.Context) {
	for rp := range p.launch(ctx) {
		rp.part(rp.to)
	}
}

// reportPart is one probe's finished measurement and the report it
// belongs to.
type reportPart struct {
	to   *probe.Report
	part probe.Part
}

// shellExports are the candidates that shell start-up files export.
func shellExports(cs []probe.Candidate) []probe.Candidate {
	var out []probe.Candidate
	for _, c := range cs {
		if c.Origin == probe.OriginShell && c.Exported {
			out = append(out, c)
		}
	}
	return out
}

// startupOrder is the order in which each shell reads its start-up files
// in a new terminal, login files included: the last assignment wins.
// conf.d stands for ~/.config/fish/conf.d/*.fish, read before config.fish.
var startupOrder = map[string][]string{
	"zsh":  {".zshenv", ".zprofile", ".zshrc", ".zlogin"},
	"bash": {".profile", ".bash_login", ".bash_profile", ".bashrc"},
	"fish": {"conf.d", "config.fish"},
}

// startupRank places a start-up file in the order the user's shell reads
// it; false for a file that shell does not read. An unknown shell reads
// every file, in probe.ShellFiles' order.
func startupRank(shell, path string) (int, bool) {
	name := filepath.Base(path)
	if filepath.Base(filepath.Dir(path)) == "conf.d" {
		name = "conf.d"
	}
	order, ok := startupOrder[filepath.Base(shell)]
	if !ok {
		for i, f := range probe.ShellFiles {
			if filepath.Base(f) == name {
				return i, true
			}
		}
		return len(probe.ShellFiles), true
	}
	i := slices.Index(order, name)
	return i, i >= 0
}

// newTerminalVars returns the variables an app started from a new
// terminal gets, and what the start-up files do to each credential
// variable they touch. vars are this terminal's; start the files' exports
// when fix401 started, now as they are. A variable this terminal got from
// a start-up line that is gone is unset in a new terminal; one the files
// never set is inherited as it is. unknown: a file now sets one from a
// command or variable that was not evaluated, so a new terminal's value is
// not known.
func newTerminalVars(vars map[string]string, start, now []probe.Candidate) (out map[string]string, shell []steps.ShellVar, unknown bool) {
	sh := vars["SHELL"]
	last := func(cs []probe.Candidate, name string) *probe.Candidate {
		var best *probe.Candidate
		bestRank := -1
		for i := range cs {
			c := &cs[i]
			rank, ok := startupRank(sh, c.Path)
			if !ok || c.Var != name {
				continue
			}
			if rank > bestRank || rank == bestRank && c.Line > best.Line {
				best, bestRank = c, rank
			}
		}
		return best
	}
	var names []string
	for _, c := range append(slices.Clip(start), now...) {
		if _, ok := startupRank(sh, c.Path); ok && !slices.Contains(names, c.Var) {
			names = append(names, c.Var)
		}
	}
	slices.Sort(names)
	out = maps.Clone(vars)
	if out == nil {
		out = map[string]string{}
	}
	for _, name := range names {
		v := steps.ShellVar{Var: name}
		here, inHere := vars[name]
		if inHere {
			v.Here = probe.Hint(here)
			// This terminal's value came from a start-up line if a line
			// set exactly that value when fix401 started.
			for _, c := range start {
				if _, ok := startupRank(sh, c.Path); ok && c.Var == name && c.Value != "" && c.Value == here {
					v.Start, v.StartLine = c.Source, c.Line
				}
			}
		}
		switch w := last(now, name); {
		case w != nil && w.Value == "":
			v.Now, v.NowLine, v.Unknown = w.Source, w.Line, true
			unknown = true
		case w != nil:
			v.Now, v.NowLine = w.Source, w.Line
			out[name] = w.Value
		case v.Start != "":
			delete(out, name) // its line is gone: a new terminal does not set it
		}
		nv, inNew := out[name]
		if inNew && !v.Unknown {
			v.New = probe.Hint(nv)
		}
		v.Differs = inNew != inHere || nv != here
		shell = append(shell, v)
	}
	return out, shell, unknown
}
