package probe

import (
	"errors"
	"fmt"
	"io/fs"
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
		shown := name
		if rel, err := filepath.Rel(env.Dir, name); err == nil && filepath.IsLocal(rel) {
			shown = rel
		}
		out = append(out, LintFile(name, shown))
	}
	return out
}

// LintFile lints the file at path, naming it shown in the findings.
func LintFile(path, shown string) LintResult {
	src, err := ReadRegular(path, lint.MaxInput+1)
	if err != nil {
		return LintResult{File: shown, Err: readError(err)}
	}
	return LintResult{File: shown, Report: lint.Lint(shown, src)}
}

// readError says in a few words why a file could not be read.
func readError(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, ErrNotRegular):
		return "not a regular file"
	}
	return "not a readable file"
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
