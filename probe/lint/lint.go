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
	"regexp"
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
	Kind Kind `json:"kind"`
	// Language is shell, http, python, javascript, typescript, go, html,
	// json, dotenv, php, ruby, java, kotlin, scala, csharp, rust, swift, dart,
	// c, r, powershell, batch, markdown, notebook, yaml, text, unknown, or
	// the name of a language lint does not read (lua, perl, …).
	Language string `json:"language"`
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

// linter collects findings for one input, or for one part of it (a fenced
// block, a notebook cell, a workflow step).
type linter struct {
	now      time.Time
	kind     Kind
	lang     string
	name     string
	jsx      bool
	findings []Finding
	related  bool          // something in the input talks to the Claude API
	client   *creds.Client // the client the input is for, when it says; nil otherwise
	// lines where ANTHROPIC_API_KEY and ANTHROPIC_AUTH_TOKEN get a value,
	// and whether ANTHROPIC_BASE_URL names another host (a gateway)
	envKeyLine, envTokenLine int
	envGateway               bool
	foreignKeyLine           int  // ANTHROPIC_API_KEY holds a token that is not a Claude key
	depth                    int  // 0 for the input, 1 for a part of it, …
	parts                    *int // parts linted so far, shared by the whole input
	unsupported              string
	response                 bool // the input is an API response, not a request
}

// Bounds on the parts one input is split into.
const (
	maxDepth = 3   // a workflow in a fenced block of a README is depth 2
	maxParts = 300 // fenced blocks, cells, run: steps, extracted commands
)

func lintAt(name string, src []byte, now time.Time) Report {
	l := &linter{now: now, name: name, parts: new(int)}
	if len(src) > MaxInput {
		l.kind, l.lang, _ = detectByName(name)
		if l.kind == "" {
			l.kind, l.lang = KindSource, "unknown"
		}
		l.add(IDInputTooLarge, Error, 0,
			fmt.Sprintf("The input is larger than %d MiB, the most lint reads.", MaxInput>>20),
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
	l.run(text)
	l.keyLiterals(text)
	switch {
	case l.unsupported != "":
		l.add(IDInputUnsupported, Info, 0,
			fmt.Sprintf("fix401 does not read %s code; only keys, URLs and model ids were checked.", l.unsupported),
			"Lint the curl command or HTTP request this code sends, or a port of it in a language fix401 reads.")
	case l.response && len(l.findings) == 0:
		l.add(IDInputNoRequest, Info, 0, "This is a response from the API, not a request, so nothing was checked.",
			"Pass the curl command, HTTP request or source file that made the call.")
	case !l.related && len(l.findings) == 0:
		l.add(IDInputNoRequest, Info, 0, "Nothing here calls the Claude API, so nothing was checked.",
			"Pass the curl command, HTTP request or source file that makes the failing call.")
	}
	return l.report()
}

// run lints text as l.kind and l.lang say.
func (l *linter) run(text string) {
	switch {
	case l.kind == KindCurl:
		c := creds.Curl()
		l.client = &c
		l.shell(text, true)
	case l.kind == KindHTTP:
		l.httpFile(text)
	case l.lang == "shell":
		l.shell(text, false)
	case l.lang == "batch":
		l.batch(text)
	case l.lang == "dotenv":
		l.dotenv(text)
	case l.lang == "markdown":
		l.markdown(text)
	case l.lang == "notebook":
		l.notebook(text)
	case l.lang == "yaml":
		l.yaml(text)
	case l.lang == "json" && isResponse(text):
		l.response = true // an answer pasted as the input: nothing in it was sent
	case l.lang == "text" || l.lang == "json":
		l.source(text)
		if l.lang == "text" {
			l.pastedCommands(text)
		}
	case langs[l.lang].family != "":
		l.source(text)
	default:
		lang := l.lang
		l.unsupported = languageLabel(lang)
		l.lang = "text"
		l.source(text)
		l.lang = lang
	}
	if l.foreignKeyLine > 0 && !l.envGateway {
		l.add(IDAuthKeyKind, Warn, l.foreignKeyLine, "ANTHROPIC_API_KEY holds a token that is not a Claude API key; Claude API keys start with sk-ant-.",
			"Use a key from platform.claude.com → Settings → API keys, or set ANTHROPIC_BASE_URL to the service this token is for.")
	}
	if l.envKeyLine > 0 && l.envTokenLine > 0 && !l.envGateway {
		l.conflict(max(l.envKeyLine, l.envTokenLine), creds.VarAPIKey+" and "+creds.VarAuthToken+" are both set.")
	}
}

// part lints text, a part of this input, as kind and lang; lineOf maps the
// part's lines (from 1) to the input's. Findings about the whole part go on
// the part's first line.
func (l *linter) part(kind Kind, lang, text string, lineOf func(int) int) {
	if l.depth+1 > maxDepth || *l.parts >= maxParts || strings.TrimSpace(text) == "" {
		return
	}
	*l.parts++
	sub := &linter{now: l.now, name: l.name, kind: kind, lang: lang, depth: l.depth + 1, parts: l.parts}
	sub.run(text)
	for _, f := range sub.findings {
		f.Line = lineOf(max(f.Line, 1))
		l.findings = append(l.findings, f)
	}
	l.related = l.related || sub.related
	if sub.unsupported != "" && l.unsupported == "" {
		l.unsupported = sub.unsupported
	}
}

// offset maps the lines of a part that starts after line n of the input.
func offset(n int) func(int) int { return func(i int) int { return n + i } }

func (l *linter) add(id string, sev Severity, line int, msg, fix string) {
	l.findings = append(l.findings, Finding{ID: id, Severity: sev, Line: max(line, 0), Message: msg, Fix: fix})
}

// report sorts, deduplicates and redacts the findings.
func (l *linter) report() Report {
	fs := make([]Finding, 0, len(l.findings))
	seen := map[string]bool{}
	redacted := map[string]string{} // a script of many commands repeats its messages
	red := func(s string) string {
		r, ok := redacted[s]
		if !ok {
			r = redact(s)
			redacted[s] = r
		}
		return r
	}
	for _, f := range l.findings {
		f.Message, f.Fix = red(f.Message), red(f.Fix)
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
	case base == "dockerfile" || strings.HasSuffix(base, ".dockerfile"):
		return KindSource, "shell", false
	}
	switch ext {
	case ".curl":
		return KindCurl, "shell", false
	case ".http", ".rest":
		return KindHTTP, "http", false
	case ".sh", ".bash", ".zsh", ".ksh":
		return KindSource, "shell", false
	case ".bat", ".cmd":
		return KindSource, "batch", false
	case ".jsx":
		return KindSource, "javascript", true
	case ".tsx":
		return KindSource, "typescript", true
	case ".md", ".markdown", ".mdx", ".mkd":
		return KindSource, "markdown", false
	case ".ipynb":
		return KindSource, "notebook", false
	case ".yml", ".yaml":
		return KindSource, "yaml", false
	case ".txt", ".log":
		return KindSource, "text", false
	}
	if lang, ok := extLangs[ext]; ok {
		return KindSource, lang, false
	}
	if label, ok := unsupported[ext]; ok {
		return KindSource, strings.ToLower(label), false
	}
	return "", "", false
}

func detect(name, text string) (Kind, string, bool) {
	if k, lang, jsx := detectByName(name); k != "" {
		return k, lang, jsx
	}
	return sniff(text)
}

// sniff guesses from the first meaningful line, and from a few shapes of
// the whole text where one line cannot tell (Markdown, notebooks, YAML).
func sniff(text string) (Kind, string, bool) {
	head := text[:min(len(text), 64<<10)]
	t := strings.TrimSpace(head)
	switch {
	case strings.HasPrefix(t, "{") && strings.Contains(head, `"cells"`) && strings.Contains(head, `"nbformat"`):
		return KindSource, "notebook", false
	case strings.HasPrefix(t, "<?php"):
		return KindSource, "php", false
	}
	for _, line := range strings.SplitN(text, "\n", 200) {
		t := strings.TrimSpace(line)
		if _, _, ok := isFence(line); ok {
			return KindSource, "markdown", false
		}
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
		case strings.HasPrefix(t, "# ") && hasFence(head):
			return KindSource, "markdown", false
		case strings.HasPrefix(t, "#"):
			continue
		}
		t = strings.TrimPrefix(strings.TrimPrefix(t, "$ "), "> ")
		low := strings.ToLower(t)
		switch {
		case reCurlStart.MatchString(t):
			return KindCurl, "shell", false
		case reRequestLine.MatchString(t):
			return KindHTTP, "http", false
		case strings.HasPrefix(t, "package "):
			return KindSource, packageLang(t, head), false
		case strings.HasPrefix(t, "using System"), strings.HasPrefix(t, "namespace "):
			return KindSource, "csharp", false
		case strings.HasPrefix(t, "import java."), strings.HasPrefix(t, "import javax."):
			return KindSource, "java", false
		case strings.HasPrefix(t, "import Foundation"), strings.HasPrefix(t, "import SwiftUI"):
			return KindSource, "swift", false
		case strings.HasPrefix(t, "library("), strings.HasPrefix(t, "require("), strings.Contains(t, "<- function("):
			return KindSource, "r", false
		case strings.HasPrefix(t, "require \""), strings.HasPrefix(t, "require '"):
			return KindSource, "ruby", false
		case strings.HasPrefix(t, "use ") && strings.HasSuffix(t, ";") && strings.Contains(t, "::"),
			strings.HasPrefix(t, "fn main"):
			return KindSource, "rust", false
		case strings.HasPrefix(t, "#include"):
			return KindSource, "c", false
		case strings.HasPrefix(low, "@echo off"), strings.HasPrefix(low, "rem "), strings.HasPrefix(low, "set ") && strings.Contains(t, "="):
			return KindSource, "batch", false
		case reJSImport.MatchString(t), strings.HasPrefix(t, "const "), strings.HasPrefix(t, "let "),
			strings.HasPrefix(t, "export "), strings.HasPrefix(t, "\"use "), strings.HasPrefix(t, "'use "):
			return KindSource, "javascript", false
		case rePyStart.MatchString(t):
			return KindSource, "python", false
		case strings.HasPrefix(low, "<!doctype"), strings.HasPrefix(t, "<html"), strings.HasPrefix(t, "<script"):
			return KindSource, "html", false
		case strings.HasPrefix(t, "{"), strings.HasPrefix(t, "["):
			return KindSource, "json", false
		case reEnvLine.MatchString(t):
			return KindSource, "dotenv", false
		case reYAMLKey.MatchString(t) && reYAMLNested.MatchString(head):
			return KindSource, "yaml", false
		}
		return KindSource, "text", false
	}
	return KindSource, "text", false
}

var (
	reYAMLKey    = regexp.MustCompile(`^[A-Za-z_][\w.-]*:(?:\s+\S.*)?$`)
	reYAMLNested = regexp.MustCompile(`(?m)^(?:  |\t)+-?\s*[\w.-]+:(?:\s|$)`)
)

// packageLang tells Go from Java, Kotlin and Scala, which all start with a
// package clause.
func packageLang(first, text string) string {
	switch {
	case strings.HasSuffix(first, ";"):
		return "java"
	case strings.Contains(text, "\nfun ") || strings.Contains(text, "\nval ") || strings.Contains(text, "\nobject ") ||
		strings.Contains(text, " fun ") && !strings.Contains(text, "\nfunc "):
		return "kotlin"
	case strings.Contains(first, ".") && !strings.Contains(text, "\nfunc "):
		return "scala"
	}
	return "go"
}

func hasFence(text string) bool {
	for _, line := range strings.Split(text, "\n") {
		if _, _, ok := isFence(line); ok {
			return true
		}
	}
	return false
}
