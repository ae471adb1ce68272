package probe

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/fix401/fix401/probe/lint"
)

// LintResult is the lint of one file the user named (check --lint FILE):
// the request their own code sends.
type LintResult struct {
	File   string // as shown: relative to the project when inside it
	Report lint.Report
	Err    string // the file could not be read
}

// lintFiles lints each file named in env.LintFiles. Local and fast.
func lintFiles(env *Env) []LintResult {
	var out []LintResult
	for _, name := range env.LintFiles {
		res := LintResult{File: name}
		if rel, err := filepath.Rel(env.Dir, name); err == nil && filepath.IsLocal(rel) {
			res.File = rel
		}
		abs, _ := filepath.Abs(name)
		if src, ok := readCapped(os.DirFS(filepath.Dir(abs)), filepath.Base(abs), lint.MaxInput+1); ok {
			res.Report = lint.Lint(name, src)
		} else {
			res.Err = "not a readable regular file"
		}
		out = append(out, res)
	}
	return out
}

// LintErrors counts the error findings over every linted file.
func (r *Report) LintErrors() int {
	n := 0
	for _, l := range r.Lint {
		n += l.Report.Count(lint.Error)
		if l.Err != "" {
			n++
		}
	}
	return n
}

// lintChecks turns lint findings into checks (ids lint.<finding id>).
func (r *Report) lintChecks() []Result {
	var out []Result
	for _, l := range r.Lint {
		if l.Err != "" {
			out = append(out, Result{ID: "lint.read", Status: Error, Title: "Lint: cannot read " + l.File, Detail: l.Err})
			continue
		}
		if len(l.Report.Findings) == 0 {
			out = append(out, Result{ID: "lint.request", Status: Pass,
				Title: fmt.Sprintf("Lint: %s sends a well-formed request (%s)", l.File, l.Report.Input.Language)})
			continue
		}
		for _, f := range l.Report.Findings {
			st := map[lint.Severity]Status{lint.Error: Fail, lint.Warn: Warn, lint.Info: Skip}[f.Severity]
			where := l.File
			if f.Line > 0 {
				where = fmt.Sprintf("%s:%d", l.File, f.Line)
			}
			out = append(out, Result{ID: "lint." + f.ID, Status: st, Title: where + ": " + f.Message, Fix: f.Fix})
		}
	}
	return out
}
