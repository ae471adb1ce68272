package text

import (
	"fmt"
	"io"
	"strings"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps"
)

// GitHub writes the result as GitHub Actions workflow commands, one a
// line, for `fix401 check --format github`: the diagnosis as ::error
// when the key does not work (::notice when it does), then every check
// that warns as ::warning. Every text passes red, then GitHub's escaping,
// so no value can end a line or a property and start a command of its
// own.
func GitHub(w io.Writer, r *probe.Report, d steps.Diagnosis, red *probe.Redactor) error {
	var b strings.Builder
	cmd := func(kind, title, msg string) { b.WriteString(GitHubCommand(kind, title, msg, red)) }
	msg := d.Title
	if d.Fix != "" {
		msg = d.Fix
	}
	if d.Code == steps.OK {
		cmd("notice", "fix401 ok", d.Title)
	} else {
		cmd("error", d.Title, msg+" (fix401 diagnosis "+string(d.Code)+")")
	}
	for _, c := range r.Checks() {
		if c.Status != probe.Warn {
			continue
		}
		m := sentence(c.Title)
		if c.Detail != "" {
			m += " " + sentence(c.Detail)
		}
		if c.Fix != "" {
			m += " Fix: " + c.Fix
		}
		cmd("warning", "fix401 "+c.ID, m)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// sentence ends s with a full stop unless it ends in punctuation.
func sentence(s string) string {
	if s == "" || strings.ContainsAny(s[len(s)-1:], ".!?:)") {
		return s
	}
	return s + "."
}

// GitHubCommand is one workflow command line — kind error, warning or
// notice — with its title and message passed through red and escaped.
func GitHubCommand(kind, title, msg string, red *probe.Redactor) string {
	return fmt.Sprintf("::%s title=%s::%s\n", kind, ghProperty(red.String(title)), ghData(red.String(msg)))
}

// ghData escapes the message of a workflow command the way the runner
// unescapes it: %, CR and LF.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a property value: as data, and also ':' and ',',
// which would end the value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
