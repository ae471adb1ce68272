// Package lint reads the request a developer sends to the Claude API — a
// curl command, a raw HTTP request or a source file — and reports the
// mistakes behind most 401s without sending anything. It never echoes a key:
// keys appear only as Console-style hints.
package lint

import (
	"bytes"
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fix401/fix401/probe/creds"
)

// SchemaVersion is the version of the JSON form of a Report.
const SchemaVersion = 1

// MaxInput is the largest input Lint reads; larger input yields one
// input.too_large finding and nothing else.
const MaxInput = 2 << 20

// Severity says how bad a finding is. Any Error makes `fix401 lint` exit 1.
type Severity string

// Severities, from worst to mildest.
const (
	Error Severity = "error"
	Warn  Severity = "warn"
	Info  Severity = "info"
)

func (s Severity) rank() int {
	switch s {
	case Error:
		return 0
	case Warn:
		return 1
	}
	return 2
}

// Kind is what the input was read as.
type Kind string

// Input kinds.
const (
	KindCurl   Kind = "curl"   // a curl command line
	KindHTTP   Kind = "http"   // a raw HTTP request or a .http file
	KindSource Kind = "source" // a source file; Input.Language says which
)

// Input describes what was linted.
type Input struct {
	Kind     Kind   `json:"kind"`
	Language string `json:"language"` // shell, http, python, javascript, typescript, go, html, json, dotenv, text, unknown
}

// Finding is one problem. Line is 1-based; 0 means the whole input.
type Finding struct {
	ID       string   `json:"id"`
	Severity Severity `json:"severity"`
	Line     int      `json:"line"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix"`
}

// Report is the result of linting one input.
type Report struct {
	Schema   int       `json:"schema"`
	Input    Input     `json:"input"`
	Findings []Finding `json:"findings"`
}

// HasErrors reports whether any finding has severity Error.
func (r Report) HasErrors() bool { return r.Count(Error) > 0 }

// Count returns how many findings have severity s.
func (r Report) Count(s Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// Lint checks src, read from the file called name ("-" for stdin). The file
// extension decides what src is; for stdin and unknown extensions the content
// does. Lint never panics and never returns a key in its report.
func Lint(name string, src []byte) (r Report) {
	defer func() {
		if p := recover(); p != nil {
			r = Report{Schema: SchemaVersion, Input: Input{Kind: KindSource, Language: "unknown"}, Findings: []Finding{{
				ID: IDInternal, Severity: Warn, Message: "fix401 failed while reading this input; nothing was checked.",
				Fix: "Please report it, with the input if you can share it.",
			}}}
		}
	}()
	return lintAt(name, src, time.Now())
}

// linter collects findings for one input.
type linter struct {
	now      time.Time
	kind     Kind
	lang     string
	name     string
	jsx      bool
	findings []Finding
	related  bool          // something in the input talks to the Claude API
	client   *creds.Client // the client the input is for, when it says; nil otherwise
	// lines where ANTHROPIC_API_KEY and ANTHROPIC_AUTH_TOKEN get a value
	envKeyLine, envTokenLine int
}

func lintAt(name string, src []byte, now time.Time) Report {
	l := &linter{now: now, name: name}
	if len(src) > MaxInput {
		l.kind, l.lang, _ = detectByName(name)
		if l.kind == "" {
			l.kind, l.lang = KindSource, "unknown"
		}
		l.add(IDInputTooLarge, Error, 0,
			fmt.Sprintf("The input is %d bytes; lint reads at most %d MiB.", len(src), MaxInput>>20),
			"Lint only the file that builds the request, or just the curl command.")
		return l.report()
	}
	if isBinary(src) {
		l.kind, l.lang = KindSource, "unknown"
		l.add(IDInputBinary, Info, 0, "The input is not text, so nothing was checked.",
			"Pass a curl command, an HTTP request or a source file.")
		return l.report()
	}
	text := strings.ToValidUTF8(string(src), "\uFFFD")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	l.kind, l.lang, l.jsx = detect(name, text)
	switch {
	case l.kind == KindCurl:
		c := creds.Curl()
		l.client = &c
		l.shell(text, true)
	case l.kind == KindHTTP:
		l.httpFile(text)
	case l.lang == "shell":
		l.shell(text, false)
	case l.lang == "dotenv":
		l.dotenv(text)
	default:
		l.source(text)
		if l.lang == "text" {
			if cmds, ok := curlLines(text); ok {
				l.shell(cmds, true)
			}
		}
	}
	l.keyLiterals(text)
	if l.envKeyLine > 0 && l.envTokenLine > 0 {
		l.conflict(max(l.envKeyLine, l.envTokenLine), creds.VarAPIKey+" and "+creds.VarAuthToken+" are both set.")
	}
	if !l.related && len(l.findings) == 0 {
		l.add(IDInputNoRequest, Info, 0, "Nothing here calls the Claude API, so nothing was checked.",
			"Pass the curl command, HTTP request or source file that makes the failing call.")
	}
	return l.report()
}

func (l *linter) add(id string, sev Severity, line int, msg, fix string) {
	l.findings = append(l.findings, Finding{ID: id, Severity: sev, Line: max(line, 0), Message: msg, Fix: fix})
}

// report sorts, deduplicates and redacts the findings.
func (l *linter) report() Report {
	fs := make([]Finding, 0, len(l.findings))
	seen := map[string]bool{}
	for _, f := range l.findings {
		f.Message, f.Fix = redact(f.Message), redact(f.Fix)
		k := fmt.Sprint(f.ID, "\x00", f.Line, "\x00", f.Message)
		if seen[k] {
			continue
		}
		seen[k] = true
		fs = append(fs, f)
	}
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Severity.rank(), b.Severity.rank()), cmp.Compare(a.ID, b.ID))
	})
	return Report{Schema: SchemaVersion, Input: Input{Kind: l.kind, Language: l.lang}, Findings: fs}
}

func isBinary(b []byte) bool {
	head := b[:min(len(b), 8192)]
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	bad := 0
	for i := 0; i < len(head); {
		r, n := utf8.DecodeRune(head[i:])
		if r == utf8.RuneError && n == 1 && len(head)-i >= utf8.UTFMax {
			bad++
		}
		i += n
	}
	return len(head) > 0 && bad*10 > len(head)
}

// detectByName maps a file name to a kind and language; empty when the name
// says nothing.
func detectByName(name string) (Kind, string, bool) {
	base := strings.ToLower(filepath.Base(name))
	ext := filepath.Ext(base)
	switch {
	case base == ".env" || strings.HasPrefix(base, ".env.") || ext == ".env":
		return KindSource, "dotenv", false
	}
	switch ext {
	case ".curl":
		return KindCurl, "shell", false
	case ".http", ".rest":
		return KindHTTP, "http", false
	case ".sh", ".bash", ".zsh", ".ksh":
		return KindSource, "shell", false
	case ".py", ".pyw":
		return KindSource, "python", false
	case ".js", ".mjs", ".cjs":
		return KindSource, "javascript", false
	case ".jsx":
		return KindSource, "javascript", true
	case ".ts", ".mts", ".cts":
		return KindSource, "typescript", false
	case ".tsx":
		return KindSource, "typescript", true
	case ".go":
		return KindSource, "go", false
	case ".html", ".htm", ".vue", ".svelte", ".astro":
		return KindSource, "html", false
	case ".json", ".jsonc":
		return KindSource, "json", false
	}
	return "", "", false
}

func detect(name, text string) (Kind, string, bool) {
	if k, lang, jsx := detectByName(name); k != "" {
		return k, lang, jsx
	}
	return sniff(text)
}

// sniff guesses from the first meaningful line.
func sniff(text string) (Kind, string, bool) {
	for _, line := range strings.SplitN(text, "\n", 200) {
		t := strings.TrimSpace(line)
		switch {
		case t == "", strings.HasPrefix(t, "###"), strings.HasPrefix(t, "//"):
			continue
		case strings.HasPrefix(t, "#!"):
			if strings.Contains(t, "python") {
				return KindSource, "python", false
			}
			if strings.Contains(t, "node") || strings.Contains(t, "deno") || strings.Contains(t, "bun") {
				return KindSource, "javascript", false
			}
			return KindSource, "shell", false
		case strings.HasPrefix(t, "#"):
			continue
		}
		t = strings.TrimPrefix(strings.TrimPrefix(t, "$ "), "> ")
		switch {
		case reCurlStart.MatchString(t):
			return KindCurl, "shell", false
		case reRequestLine.MatchString(t):
			return KindHTTP, "http", false
		case strings.HasPrefix(t, "package "):
			return KindSource, "go", false
		case reJSImport.MatchString(t), strings.HasPrefix(t, "const "), strings.HasPrefix(t, "let "),
			strings.HasPrefix(t, "export "), strings.HasPrefix(t, "\"use "), strings.HasPrefix(t, "'use "):
			return KindSource, "javascript", false
		case rePyStart.MatchString(t):
			return KindSource, "python", false
		case strings.HasPrefix(strings.ToLower(t), "<!doctype"), strings.HasPrefix(t, "<html"), strings.HasPrefix(t, "<script"):
			return KindSource, "html", false
		case strings.HasPrefix(t, "{"), strings.HasPrefix(t, "["):
			return KindSource, "json", false
		case reEnvLine.MatchString(t):
			return KindSource, "dotenv", false
		}
		return KindSource, "text", false
	}
	return KindSource, "text", false
}
