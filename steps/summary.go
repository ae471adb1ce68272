package steps

import (
	"cmp"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/creds"
)

// SummaryInput is everything the support summary is made from. Summary
// reads the clock only through Now and Report, so the same input always
// gives the same text.
type SummaryInput struct {
	Report    *probe.Report
	Diagnosis Diagnosis // zero: Diagnose(Report)
	Version   string    // fix401's version
	OS, Arch  string    // runtime.GOOS, runtime.GOARCH
	SDKs      []probe.SDK
	// Tried lists what the user did in the wizard, in order and in words:
	// "tested key sk-ant-api03-R2D...igAA (pasted)", "re-ran verify-key".
	Tried []string
	Now   time.Time // when the summary is made; used when Report has no start time
	// Redactor masks the output. Nil: a Redactor that knows every secret
	// of Report (Report.Secrets).
	Redactor *probe.Redactor
}

// Environment is where and with what the check ran: the "environment"
// block of `fix401 report --json`. EnvironmentOf fills it already redacted.
type Environment struct {
	When          string      `json:"when"` // local time, RFC 3339
	UTC           string      `json:"utc"`  // the same instant in UTC, RFC 3339
	Zone          string      `json:"zone"` // IANA name when known, else the abbreviation
	Version       string      `json:"version"`
	OS            string      `json:"os"`
	Arch          string      `json:"arch"`
	SDKs          []probe.SDK `json:"sdks"`
	Model         string      `json:"model,omitempty"`
	BaseURL       string      `json:"base_url"`
	BaseURLSource string      `json:"base_url_source"`
	Proxies       []string    `json:"proxies"` // NAME=URL, credentials already removed
}

// EnvironmentOf returns the environment of a summary, every string passed
// through the summary's redactor.
func EnvironmentOf(in SummaryInput) Environment {
	red := summaryRedactor(in)
	e := summaryEnvironment(in, summaryReport(in))
	for _, s := range []*string{&e.When, &e.UTC, &e.Zone, &e.Version, &e.OS, &e.Arch, &e.Model, &e.BaseURL, &e.BaseURLSource} {
		*s = red(*s)
	}
	for i := range e.SDKs {
		s := &e.SDKs[i]
		s.Name, s.Version, s.File, s.Ecosystem = red(s.Name), red(s.Version), red(s.File), red(s.Ecosystem)
	}
	for i := range e.Proxies {
		e.Proxies[i] = red(e.Proxies[i])
	}
	return e
}

// SummaryMarkdown renders what support needs to look into a failing key, as
// Markdown to paste into a ticket or an issue: the finding, where and with
// what it ran, every request with its request id, the checklist, what was
// tried, and the smallest request that reproduces it. When the key works it
// ends with a dated note of the working configuration. The whole text
// passes the redactor last.
func SummaryMarkdown(in SummaryInput) string {
	return summaryRedactor(in)(renderSummary(in))
}

func summaryReport(in SummaryInput) *probe.Report {
	if in.Report != nil {
		return in.Report
	}
	return &probe.Report{Active: -1, Done: map[string]bool{}}
}

func summaryRedactor(in SummaryInput) func(string) string {
	if in.Redactor != nil {
		return in.Redactor.String
	}
	return probe.NewRedactor(in.Report.Secrets()...).String
}

// summaryStart is when the check ran: the report's start, else the summary's.
func summaryStart(in SummaryInput, r *probe.Report) time.Time {
	if !r.StartedAt.IsZero() {
		return r.StartedAt
	}
	return in.Now
}

func summaryZone(r *probe.Report, t time.Time) string {
	if r.Zone != "" {
		return r.Zone
	}
	name, _ := t.Zone()
	return name
}

func summaryEnvironment(in SummaryInput, r *probe.Report) Environment {
	e := Environment{
		Version: in.Version, OS: in.OS, Arch: in.Arch,
		SDKs:    append([]probe.SDK{}, in.SDKs...),
		Model:   r.Target.Model,
		BaseURL: r.Target.BaseURL, BaseURLSource: r.Target.BaseURLSource,
		Proxies: []string{},
	}
	if t := summaryStart(in, r); !t.IsZero() {
		e.When, e.UTC, e.Zone = t.Format(time.RFC3339), t.UTC().Format(time.RFC3339), summaryZone(r, t)
	}
	for _, p := range r.Env.Proxies {
		e.Proxies = append(e.Proxies, p.Name+"="+p.Value)
	}
	return e
}

func renderSummary(in SummaryInput) string {
	r := summaryReport(in)
	d := in.Diagnosis
	if d.Code == "" {
		d = Diagnose(r)
	}
	env := summaryEnvironment(in, r)
	t := summaryStart(in, r)
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }

	line("## fix401 report: `%s`", d.Code)
	line("")
	line("- **Finding:** %s", sumOneLine(d.Title))
	if d.Fix != "" {
		line("- **Fix:** %s", sumOneLine(d.Fix))
	}
	if len(d.Also) > 0 {
		codes := make([]string, len(d.Also))
		for i, a := range d.Also {
			codes[i] = "`" + string(a.Code) + "`"
		}
		line("- **Also found:** %s", strings.Join(codes, ", "))
	}

	if d.Code == OK {
		line("")
		line("### Working configuration (keep this note)")
		line("")
		line("```text")
		line("%s  the Claude API accepts this key (checked with fix401 %s)", t.Format("2006-01-02 15:04 MST"), sumOrDash(in.Version))
		line("key       %s", sumKey(r))
		line("base URL  %s", sumBaseURL(r))
		line("SDKs      %s", sumSDKs(in.SDKs, false))
		if r.Target.Model != "" {
			line("model     %s", r.Target.Model)
		}
		if rec, ok := r.KeyRecordOf(r.Active); ok {
			line("record    %s", probe.RecordWords(rec, r.Clock(), r.StartedAt.Location()))
		}
		line("```")
	}

	line("")
	line("### Environment")
	line("")
	if t.IsZero() {
		line("- **When:** unknown")
	} else {
		line("- **When:** %s", sumWhen(t, env.Zone))
	}
	line("- **fix401:** %s on %s/%s", sumOrDash(in.Version), sumOrDash(in.OS), sumOrDash(in.Arch))
	line("- **SDKs:** %s", sumSDKs(in.SDKs, true))
	if r.Target.Model != "" {
		line("- **Model:** %s", r.Target.Model)
	}
	line("- **Base URL:** %s", sumBaseURL(r))
	line("- **Proxy:** %s", sumProxies(r))
	line("- **Key:** %s", sumKey(r))
	if r.AdminKey != nil {
		line("- **Key record (Admin API):** %s", sumRecord(r))
	}

	line("")
	line("### Requests")
	line("")
	reqs := r.Requests()
	if len(reqs) == 0 {
		line("None were sent.")
	} else {
		line("| Time (UTC) | Request | Status | Error | Request id |")
		line("|---|---|---|---|---|")
		for _, a := range reqs {
			line("| %s | %s | %s | %s | %s |", sumRequestTime(a.Time, t), sumCell(sumRequest(a, r)), sumStatus(a),
				sumCell(sumError(a)), sumRequestID(a))
		}
	}

	line("")
	line("### Checklist")
	line("")
	for _, c := range r.Checks() {
		m := Mark(c.Status)
		if m == "" {
			m = "[" + string(c.Status) + "]"
		}
		line("- %s %s", m, sumOneLine(c.Title))
	}

	if len(in.Tried) > 0 {
		line("")
		line("### Tried")
		line("")
		for _, s := range in.Tried {
			line("- %s", sumOneLine(s))
		}
	}

	line("")
	line("### Reproduce")
	line("")
	if r.Insecure() {
		line("Left out: the base URL is plain HTTP to another machine, so this request would carry the key in the clear.")
	} else {
		ref, note := reproKey(r)
		line("The smallest request (lists models, costs nothing); a working key gets HTTP 200:")
		if note != "" {
			line("")
			line("%s", note)
		}
		line("")
		line("```sh")
		line("%s", Reproduction(r.Target.BaseURL, r.KeyHeader(), cmp.Or(r.Client.Version, probe.AnthropicVersion), ref))
		line("```")
	}
	line("")
	line("_Keys appear only as Console hints (prefix, 3 characters, last 4). Environment values are not included, except proxy addresses without credentials._")
	return b.String()
}

// Reproduction returns the smallest request that shows whether a key works,
// as a curl command that reads the key from the shell when it runs — ref,
// a parameter expansion such as ${ANTHROPIC_API_KEY:?…}; empty:
// $ANTHROPIC_API_KEY — sent the way the user's client sends it: header
// (creds.HeaderAPIKey or creds.HeaderBearer) and anthropic-version. The
// key's header is written 'x-api-key: '"$ANTHROPIC_API_KEY": the shell
// joins the two parts, and the redactor, which masks any value written
// straight after a key header's name, leaves the variable's name standing.
func Reproduction(baseURL, header, version, ref string) string {
	if baseURL == "" {
		baseURL = probe.DefaultBaseURL
	}
	if ref == "" {
		ref = "$" + probe.VarAPIKey
	}
	u := strings.TrimRight(baseURL, "/") + "/v1/models"
	auth := "  -H 'x-api-key: '\"" + ref + "\" \\\n"
	if header == creds.HeaderBearer {
		auth = "  -H 'Authorization: Bearer '\"" + ref + "\" \\\n"
	}
	return "curl -sS -i " + ShellQuote(u) + " \\\n" + auth +
		"  -H 'anthropic-version: " + version + "'"
}

// reproKey is how the reproduction reads the key in use: from the
// exported variable that holds it, or — for a key in a file, pasted, or
// none — from ANTHROPIC_API_KEY with a reminder the shell stops with when
// it is unset or empty, rather than send an empty key; note then says so
// in a sentence.
func reproKey(r *probe.Report) (ref, note string) {
	k := r.ActiveKey()
	if k != nil && k.Origin == probe.OriginEnv && shellName(k.Var) {
		return "$" + k.Var, ""
	}
	where := "your key"
	switch {
	case k == nil:
	case k.Origin == probe.OriginStdin:
		where = "the key you tested"
		note = fmt.Sprintf("The key tested (%s) was given to fix401, not exported: set %s to it before running this.",
			k.Hint, probe.VarAPIKey)
	default:
		where = "the key in " + k.Source
		note = fmt.Sprintf("The key in use (%s, %s) is not exported in your shell: set %s to it before running this.",
			k.Hint, k.Source, probe.VarAPIKey)
	}
	if note != "" {
		note += " Unset, the command stops with that reminder instead of sending an empty key."
	}
	return "${" + probe.VarAPIKey + ":?set " + probe.VarAPIKey + " to " + shellWord(where) + " first}", note
}

// shellName reports whether s can be a shell variable's name.
func shellName(s string) bool {
	for i, c := range s {
		if !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// shellWord keeps only the characters that read the same inside
// "${VAR:?…}": a source label such as ~/.zshrc:41 stays as it is.
func shellWord(s string) string {
	return strings.Map(func(c rune) rune {
		if c == ' ' || c == '.' || c == ':' || c == '/' || c == '~' || c == '-' || c == '_' || c == '+' || c == ',' ||
			c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' {
			return c
		}
		return -1
	}, s)
}

// ShellQuote quotes s for a POSIX shell when it needs it: a word of
// letters, digits and / . _ - ~ stays as it is, anything else goes in
// single quotes.
func ShellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '_' || r == '-' || r == '~' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func sumWhen(t time.Time, zone string) string {
	abbr, _ := t.Zone()
	local := t.Format("2006-01-02 15:04:05") + " " + abbr
	offset := "UTC" + t.Format("-07:00")
	if zone != "" && zone != abbr {
		offset = zone + ", " + offset
	}
	return fmt.Sprintf("%s (%s); %s UTC", local, offset, t.UTC().Format("2006-01-02 15:04:05"))
}

// sumSDKs lists SDKs by name in the order found, each name once with its
// versions: "@anthropic-ai/sdk ^0.30.0 (package.json:5), 0.30.1
// (package-lock.json:19)". Without where, only the versions.
func sumSDKs(sdks []probe.SDK, where bool) string {
	if len(sdks) == 0 {
		return "none found in the project directory"
	}
	var order []string
	seen := map[string][]string{}
	for _, s := range sdks {
		id := s.Ecosystem + " " + s.Name
		if _, ok := seen[id]; !ok {
			order = append(order, id)
		}
		v := s.Version
		if v == "" {
			v = "any version"
		}
		if where {
			loc := s.File
			if s.Line > 0 {
				loc += ":" + strconv.Itoa(s.Line)
			}
			v += " (" + loc + ")"
		}
		seen[id] = append(seen[id], v)
	}
	parts := make([]string, len(order))
	for i, id := range order {
		_, name, _ := strings.Cut(id, " ")
		parts[i] = name + " " + strings.Join(seen[id], ", ")
	}
	return strings.Join(parts, "; ")
}

func sumBaseURL(r *probe.Report) string {
	u := r.Target.BaseURL
	if u == "" {
		u = probe.DefaultBaseURL
	}
	if src := r.Target.BaseURLSource; src != "" {
		return u + " (" + src + ")"
	}
	return u
}

func sumProxies(r *probe.Report) string {
	var parts []string
	for _, p := range r.Env.Proxies {
		parts = append(parts, p.Name+"="+p.Value)
	}
	if r.Env.NoProxy != "" {
		parts = append(parts, "NO_PROXY="+r.Env.NoProxy)
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "; ")
}

// sumKey names the key in use by its hint, kind and source: never more.
func sumKey(r *probe.Report) string {
	k := r.ActiveKey()
	if k == nil {
		return "none in use"
	}
	s := fmt.Sprintf("%s (%s) from %s", k.Hint, sumKind(k), k.Source)
	if org, ws := r.Owner(r.Active); org != "" {
		s += ", organization " + org
		if ws != "" {
			s += ", workspace " + ws
		}
	}
	return s
}

// sumRecord is the Admin API's record of the key in use, or why there is
// none: the key.record check's own words.
func sumRecord(r *probe.Report) string {
	if rec, ok := r.KeyRecordOf(r.Active); ok {
		return probe.RecordWords(rec, r.Clock(), r.StartedAt.Location())
	}
	c, _ := r.CheckByID(probe.CheckKeyRecord)
	return strings.TrimPrefix(c.Title, "Key record: ")
}

func sumKind(k *probe.Candidate) string {
	switch k.Kind {
	case probe.KindAPI:
		return "API key"
	case probe.KindAdmin:
		return "Admin API key"
	case probe.KindOAuth:
		return "OAuth token"
	case probe.KindOther:
		// In parentheses, like "API key": no article.
		p := probe.ProviderKey(k.Provider)
		for _, a := range []string{"a ", "an "} {
			p = strings.TrimPrefix(p, a)
		}
		return p
	}
	return "unrecognized"
}

// sumRequestTime is the answer's time in UTC; the date is left out when it is
// the day the check started.
func sumRequestTime(at, start time.Time) string {
	if at.IsZero() {
		return "—"
	}
	at = at.UTC()
	if y, m, d := at.Date(); start.IsZero() || !sumSameDay(y, m, d, start.UTC()) {
		return at.Format("2006-01-02 15:04:05")
	}
	return at.Format("15:04:05")
}

func sumSameDay(y int, m time.Month, d int, t time.Time) bool {
	ty, tm, td := t.Date()
	return y == ty && m == tm && d == td
}

// sumRequest is "GET /v1/models (auth)"; another key's request names where
// that key was found, and the host is named only when it is not the base
// URL's, as for the status page.
func sumRequest(a *probe.Answer, r *probe.Report) string {
	target := a.URL
	if u, err := url.Parse(a.URL); err == nil && u.Host != "" {
		target = u.EscapedPath()
		if target == "" {
			target = "/"
		}
		if base, err := url.Parse(r.Target.BaseURL); err != nil || base.Host != u.Host {
			target = u.Host + target
		}
	}
	s := strings.TrimSpace(a.Method + " " + target)
	label := a.Label
	for _, o := range r.Others {
		if o.Answer == a && o.Index >= 0 && o.Index < len(r.Candidates) {
			label = strings.TrimSpace(label + " " + r.Candidates[o.Index].Source)
		}
	}
	if label != "" {
		s += " (" + label + ")"
	}
	return s
}

func sumStatus(a *probe.Answer) string {
	s := "no answer"
	if a.Err == nil {
		s = strconv.Itoa(a.Status)
	}
	if a.Attempts > 1 {
		s += fmt.Sprintf(" (%d tries)", a.Attempts)
	}
	return s
}

func sumError(a *probe.Answer) string {
	if a.Err != nil {
		return probe.PhaseWords(a.Err.Phase) + ": " + a.Err.Message
	}
	switch {
	case a.ErrorType != "" && a.Message != "":
		return a.ErrorType + ": " + a.Message
	case a.ErrorType != "" || a.Message != "":
		return a.ErrorType + a.Message
	case a.OK():
		return ""
	case a.Shape != "" && a.Shape != "anthropic":
		return a.Shape + " body, not the API's"
	}
	return ""
}

func sumRequestID(a *probe.Answer) string {
	if a.RequestID == "" {
		return "—"
	}
	return "`" + strings.ReplaceAll(sumOneLine(a.RequestID), "`", "") + "`"
}

// sumMaxCell keeps a table row readable when a message is a whole HTML page.
const sumMaxCell = 200

// sumCell makes text safe inside a Markdown table cell.
func sumCell(s string) string {
	s = sumOneLine(s)
	if r := []rune(s); len(r) > sumMaxCell {
		s = string(r[:sumMaxCell-1]) + "…"
	}
	return strings.ReplaceAll(s, "|", `\|`)
}

// sumOneLine keeps a value on its Markdown line.
func sumOneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func sumOrDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
