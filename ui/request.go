package ui

import (
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/lint"
)

// The lint dialog takes text that may hold a real key. These helpers find
// the key-like parts so that they can be taught to the redactor and masked
// in the dialog's preview, and lint what the user gave: a file it names, or
// the text itself.

var (
	// antKey is an Anthropic key, or the first line of one split over lines.
	antKey = regexp.MustCompile(`sk-ant-[A-Za-z0-9_-]+`)
	// otherToken is another provider's credential, recognised by its prefix.
	otherToken = regexp.MustCompile(`\b(?:sk-(?:proj-|or-v1-|svcacct-)?[A-Za-z0-9_-]{20,}|AIza[0-9A-Za-z_-]{30,}|gsk_[A-Za-z0-9]{20,}|xai-[A-Za-z0-9]{20,}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})`)
	// namedValue is the value of a header, variable or field whose name says
	// it holds a credential (x-api-key: …, Authorization: Bearer …,
	// ANTHROPIC_API_KEY=…, "api_key": "…").
	namedValue = regexp.MustCompile(`(?i)[a-z0-9_-]*(?:key|token|secret|password|authorization)["']?\s*[:=]\s*["']?(?:(?:bearer|basic)\s+)?([^\s"'\\,;()\[\]{}<>&#]+)`)
)

// span is a byte range of secret text.
type span struct{ start, end int }

// secretSpans returns the sorted, merged ranges of key-like text in s.
func secretSpans(s string) []span {
	var out []span
	for _, loc := range antKey.FindAllStringIndex(s, -1) {
		out = append(out, span{loc[0], splitKeyEnd(s, loc[0], loc[1])})
	}
	for _, loc := range otherToken.FindAllStringIndex(s, -1) {
		out = append(out, span{loc[0], loc[1]})
	}
	for _, loc := range namedValue.FindAllStringSubmatchIndex(s, -1) {
		if v := s[loc[2]:loc[3]]; looksSecret(v) {
			out = append(out, span{loc[2], loc[3]})
		}
	}
	slices.SortFunc(out, func(a, b span) int { return a.start - b.start })
	var merged []span
	for _, sp := range out {
		if n := len(merged); n > 0 && sp.start <= merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, sp.end)
			continue
		}
		merged = append(merged, sp)
	}
	return merged
}

// fullKey is the length of a whole API key: sk-ant-api03- and 95 more.
const fullKey = 108

// splitKeyEnd follows an Anthropic key that is shorter than a whole one
// across line breaks, while the next line goes on with key characters: a
// key split over lines is still one key, and its second half is as secret
// as the first.
func splitKeyEnd(s string, start, end int) int {
	n := end - start
	for n < fullKey {
		j := end
		if j < len(s) && s[j] == '\r' {
			j++
		}
		if j >= len(s) || s[j] != '\n' {
			break
		}
		k := j + 1
		for k < len(s) && keyChar(s[k]) {
			k++
		}
		if k == j+1 {
			break
		}
		n += k - j - 1
		end = k
	}
	return end
}

func keyChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// looksSecret tells a credential from a reference to one ($ANTHROPIC_API_KEY,
// os.environ) or a placeholder (YOUR_API_KEY): a secret mixes letters and
// digits.
func looksSecret(v string) bool {
	if len(v) < 8 || strings.ContainsAny(v[:1], "$%{<") {
		return false
	}
	return strings.ContainsAny(v, "0123456789") &&
		strings.ContainsFunc(v, func(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' })
}

// secretsIn lists the key-like strings of s, and each line of one that
// spans lines, for the redactor.
func secretsIn(s string) []string {
	var out []string
	for _, sp := range secretSpans(s) {
		v := s[sp.start:sp.end]
		out = append(out, v)
		if strings.Contains(v, "\n") {
			out = append(out, strings.Split(strings.ReplaceAll(v, "\r", ""), "\n")...)
		}
	}
	return out
}

// maskSecrets replaces the key-like parts of s with dots, keeping an
// Anthropic key's public prefix (sk-ant-api03-) and the line breaks.
func maskSecrets(s string) string {
	spans := secretSpans(s)
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp.start])
		v := s[sp.start:sp.end]
		b.WriteString(publicPrefix(v) + "•••")
		if n := strings.Count(v, "\n"); n > 0 {
			b.WriteString(strings.Repeat("\n•••", n))
		}
		last = sp.end
	}
	b.WriteString(s[last:])
	return b.String()
}

// publicPrefix is the part of a key that says only what kind it is.
func publicPrefix(v string) string {
	if !strings.HasPrefix(v, "sk-ant-") {
		return ""
	}
	rest := v[len("sk-ant-"):]
	if i := strings.IndexByte(rest, '-'); i > 0 && i <= 8 {
		return v[:len("sk-ant-")+i+1]
	}
	return "sk-ant-"
}

// pastedLabel names pasted text by what lint read it as.
func pastedLabel(rep lint.Report) string {
	switch rep.Input.Kind {
	case lint.KindCurl:
		return "pasted curl command"
	case lint.KindHTTP:
		return "pasted HTTP request"
	}
	return "pasted text"
}

// lintRequest lints what the user gave the dialog: the file text names when
// it is the path of an existing regular file (relative to dir, absolute, or
// under ~), else the text itself. A line that names something else that
// exists (a directory), or that can only be a path, gives a result with Err. It reads files; call it from a
// command, never from Update.
func lintRequest(dir, home, text string) probe.LintResult {
	if p, ok := pathOf(dir, home, text); ok {
		res := probe.LintFile(p, showPath(dir, home, p))
		if res.Err == "" || res.Err == "not a regular file" || onlyAPath(text) {
			return res
		}
	}
	rep := lint.Lint("-", []byte(text))
	return probe.LintResult{File: pastedLabel(rep), Report: rep}
}

// pathOf reads text as one path: unquoted, "~/" expanded, made absolute
// against dir.
func pathOf(dir, home, text string) (string, bool) {
	t := strings.TrimSpace(text)
	if t == "" || strings.ContainsAny(t, "\r\n") || len(t) > 4096 {
		return "", false
	}
	if len(t) >= 2 && (t[0] == '\'' || t[0] == '"') && t[len(t)-1] == t[0] {
		t = t[1 : len(t)-1] // a file dragged onto a terminal comes quoted
	} else {
		t = strings.ReplaceAll(t, `\ `, " ")
	}
	switch {
	case t == "~" || strings.HasPrefix(t, "~/"):
		if home == "" {
			return "", false
		}
		t = filepath.Join(home, t[1:])
	case !filepath.IsAbs(t):
		t = filepath.Join(dir, t)
	}
	if abs, err := filepath.Abs(t); err == nil {
		t = abs
	}
	return t, true
}

// onlyAPath reports whether text cannot be anything but a path: one word
// with a slash or an extension, no URL, no option, no command.
func onlyAPath(text string) bool {
	t := strings.TrimSpace(text)
	unquoted := len(t) >= 2 && (t[0] == '\'' || t[0] == '"') && t[len(t)-1] == t[0]
	if !unquoted && strings.ContainsAny(strings.ReplaceAll(t, `\ `, ""), " \t\r\n") {
		return false
	}
	if strings.Contains(t, "://") || strings.HasPrefix(t, "-") || strings.HasPrefix(t, "sk-") {
		return false
	}
	return strings.ContainsAny(t, `/\`) || filepath.Ext(t) != ""
}

// showPath is how a linted file is named on screen: relative to the
// project when inside it, else under ~, else absolute.
func showPath(dir, home, p string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		if rel, err := filepath.Rel(abs, p); err == nil && filepath.IsLocal(rel) {
			return rel
		}
	}
	if home != "" {
		if rel, err := filepath.Rel(home, p); err == nil && filepath.IsLocal(rel) {
			return filepath.Join("~", rel)
		}
	}
	return p
}
