package lint

import (
	"fmt"
	"net"
	"regexp"
	"strings"

	"github.com/fix401/fix401/probe/creds"
)

// mark wraps the name of a value only known at run time ($VAR, $(cmd),
// {{var}}) inside a string; NUL cannot occur in a shell word or header.
const mark = "\x00"

// value is a string as the server would receive it, with run-time parts
// replaced by mark+NAME+mark.
type value struct {
	text       string
	unexpanded []string // names of $VARs that are sent as literal text
	line       int
	defaults   []string // the defaults of ${VAR:-default} parts, used when VAR is unset
}

func (v value) dynamic() bool { return strings.Contains(v.text, mark) }

// vars lists the names of the run-time parts.
func (v value) vars() []string {
	var out []string
	parts := strings.Split(v.text, mark)
	for i := 1; i < len(parts); i += 2 {
		out = append(out, parts[i])
	}
	return out
}

// literal is the text without its run-time parts.
func (v value) literal() string {
	parts := strings.Split(v.text, mark)
	var b strings.Builder
	for i := 0; i < len(parts); i += 2 {
		b.WriteString(parts[i])
	}
	return b.String()
}

type header struct {
	name string // as written, trimmed
	val  value
	line int
}

// request is one HTTP request as curl or a raw HTTP file describes it.
type request struct {
	kind        Kind
	line        int
	url         value
	hasURL      bool
	assumeHTTPS bool // a raw request with only a path: the scheme is unknown
	headers     []header
	opaque      bool // headers or options come from somewhere lint cannot see
	data        []value
	hasBody     bool
	json        bool // curl --json sets the content type
	form        bool // multipart
	user        *value
	bearer      *value
}

func (q *request) find(name string) []header {
	var out []header
	for _, h := range q.headers {
		if strings.EqualFold(h.name, name) {
			out = append(out, h)
		}
	}
	return out
}

// target is a URL split into what the checks need.
type target struct {
	scheme, host, path string
	hostVar            string // the variable the host comes from
	dynamicHost        bool
}

func parseTarget(s string) target {
	var t target
	if strings.HasPrefix(s, mark) {
		t.dynamicHost = true
		if end := strings.Index(s[1:], mark); end >= 0 {
			t.hostVar = s[1 : end+1]
			s = s[end+2:]
		}
		if i := strings.IndexByte(s, '/'); i >= 0 {
			t.path = cutQuery(s[i:])
		}
		return t
	}
	rest := s
	if i := strings.Index(s, "://"); i >= 0 {
		t.scheme, rest = strings.ToLower(s[:i]), s[i+3:]
	}
	hostport := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		hostport, t.path = rest[:i], cutQuery(rest[i:])
	}
	if i := strings.LastIndexByte(hostport, '@'); i >= 0 {
		hostport = hostport[i+1:]
	}
	t.host = hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		t.host = h
	}
	t.host = strings.ToLower(strings.Trim(t.host, "[]"))
	t.dynamicHost = strings.Contains(t.host, mark)
	return t
}

func cutQuery(p string) string {
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		return p[:i]
	}
	return p
}

func (t target) anthropic() bool { return t.host == "api.anthropic.com" }

// anthropicVar reports whether a variable name says it holds the Claude API's
// base URL.
func anthropicVar(name string) bool {
	up := strings.ToUpper(name)
	return strings.Contains(up, "ANTHROPIC") || strings.Contains(up, "CLAUDE")
}

func isLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}

var (
	reAPIPath   = regexp.MustCompile(`^/v1/(?:messages|complete|models)\b`)
	reOpenAI    = regexp.MustCompile(`^(?:/v1)?/(?:chat/completions|completions|embeddings|engines|responses|assistants|threads)\b`)
	reBodyModel = regexp.MustCompile(`"model"\s*:\s*"([^"\\\x00]*)"`)
	wrongHosts  = map[string]bool{"anthropic.com": true, "www.anthropic.com": true, "console.anthropic.com": true,
		"docs.anthropic.com": true, "platform.claude.com": true, "claude.ai": true, "www.claude.ai": true, "claude.com": true,
		"api.claude.ai": true, "api.claude.com": true, "anthropic.ai": true, "api.anthropic.ai": true}
)

func (l *linter) checkRequest(q *request) {
	var t target
	if q.hasURL {
		t = parseTarget(q.url.text)
	}
	has := func(name string) bool { return len(q.find(name)) > 0 }
	model, modelLine := "", 0
	for _, d := range q.data {
		if m := reBodyModel.FindStringSubmatchIndex(d.text); m != nil {
			model = d.text[m[2]:m[3]]
			modelLine = d.line + strings.Count(d.text[:m[2]], "\n")
			break
		}
	}
	// other services use x-api-key too: alone, it counts only when the host
	// is unknown or local
	related := t.anthropic() || anthropicVar(t.hostVar) || wrongHosts[t.host] || reAPIPath.MatchString(t.path) ||
		has("anthropic-version") || has("anthropic-beta") || strings.HasPrefix(model, "claude") ||
		has("x-api-key") && (t.host == "" || t.dynamicHost || isLoopback(t.host))
	if !related {
		return
	}
	l.related = true
	compat := (t.anthropic() || anthropicVar(t.hostVar)) && strings.TrimSuffix(t.path, "/") == "/v1/chat/completions"
	if q.hasURL {
		l.checkTarget(t, q.url.line, q.kind, q.assumeHTTPS)
		l.checkDefaults(q.url)
	}
	l.checkAuth(q, t, compat)
	if vs := q.find("anthropic-version"); len(vs) == 0 && !compat && !q.opaque {
		fix := "Send anthropic-version: " + versions + " with every request."
		if q.kind == KindCurl {
			fix = `Add -H "anthropic-version: ` + creds.Curl().Version + `".`
		}
		l.add(IDVersionMissing, Error, q.line, "No anthropic-version header: the API refuses the request (400).", fix)
	} else {
		for _, h := range vs {
			l.checkVersion(h.val, h.line)
		}
	}
	l.checkContentType(q, t)
	if model != "" {
		l.checkModel(model, modelLine, true)
	}
}

// checkDefaults reports a plain-http default hidden in ${VAR:-http://…}: it
// is the URL whenever VAR is unset.
func (l *linter) checkDefaults(v value) {
	for _, d := range v.defaults {
		t := parseTarget(strings.TrimSpace(d))
		if t.scheme == "http" && t.host != "" && !t.dynamicHost && !isLoopback(t.host) {
			l.add(IDEndpointInsecure, Error, v.line, fmt.Sprintf("The default URL in ${…:-%s} is plain http:// to %s: the key travels unencrypted whenever the variable is unset.", show(d), show(t.host)),
				"Use https:// in the default too.")
		}
	}
}

func (l *linter) checkTarget(t target, line int, kind Kind, assumeHTTPS bool) {
	switch {
	case t.dynamicHost:
	case t.scheme == "" && t.host != "" && !assumeHTTPS && kind == KindCurl && !isLoopback(t.host):
		l.add(IDEndpointInsecure, Error, line, "The URL has no scheme, so curl uses plain http:// and the key travels unencrypted.",
			"Start the URL with https://.")
	case t.scheme == "http" && t.host != "" && !isLoopback(t.host):
		l.add(IDEndpointInsecure, Error, line, fmt.Sprintf("Plain http:// to %s: the key travels unencrypted.", show(t.host)),
			"Use https://.")
	}
	switch {
	case t.host == "api.openai.com":
		l.add(IDEndpointWrong, Error, line, "This request goes to api.openai.com, not to the Claude API.",
			"Use https://api.anthropic.com/v1/messages.")
		return
	case wrongHosts[t.host]:
		l.add(IDEndpointWrong, Error, line, fmt.Sprintf("%s is not the API host.", show(t.host)), "Use https://api.anthropic.com.")
		return
	}
	if strings.Contains(t.path, mark) {
		return
	}
	l.checkPath(t.path, line, t.anthropic() || anthropicVar(t.hostVar), true)
}

// checkPath reports a path the Claude API has no endpoint for. strict is
// false for proxies and gateways, whose other paths may be fine.
func (l *linter) checkPath(p string, line int, strict, needPath bool) {
	switch {
	case p == "" || p == "/":
		if strict && needPath {
			l.add(IDEndpointWrong, Error, line, "The URL has no endpoint path.", "Add /v1/messages (or /v1/models to test the key).")
		}
	case strings.HasPrefix(p, "/v1/v1/"):
		l.add(IDEndpointWrong, Error, line, fmt.Sprintf("The path has /v1 twice (%s).", show(p)),
			"Remove the extra /v1; with an SDK, leave /v1 out of the base URL.")
	case strict && strings.TrimSuffix(p, "/") == "/v1/chat/completions":
		l.add(IDEndpointWrong, Info, line, "/v1/chat/completions is Anthropic's OpenAI-compatibility layer, meant for trying models out.",
			"For every feature and clearer errors, use /v1/messages.")
	case strict && reOpenAI.MatchString(p):
		l.add(IDEndpointWrong, Error, line, fmt.Sprintf("%s is an OpenAI path; the Claude API has no such endpoint.", show(p)),
			"Use /v1/messages.")
	case p != "/v1/messages" && nearMessages(p):
		l.add(IDEndpointWrong, Error, line, fmt.Sprintf("%s is not an API path.", show(p)), "Use /v1/messages.")
	case strict && !strings.HasPrefix(p, "/v1/") && p != "/v1":
		l.add(IDEndpointWrong, Error, line, fmt.Sprintf("%s lacks the /v1 prefix the API paths start with.", show(p)),
			"Use /v1/messages (or /v1/models to test the key).")
	}
}

// nearMessages catches /v1/message, /messages, /v1/messsages, /v1/messages/.
func nearMessages(p string) bool {
	q := strings.ToLower(p)
	switch q {
	case "/v1/message", "/v1/messages/", "/messages", "/message", "/v1/msg", "/api/v1/messages", "/v1/messages/create",
		"/v1/messages/completions", "/v1/message/", "/api/messages":
		return true
	}
	return strings.HasPrefix(q, "/v1/mes") && !strings.HasPrefix(q, "/v1/messages") ||
		strings.HasPrefix(q, "/v1/messages") && len(q) > len("/v1/messages") && q[len("/v1/messages")] != '/'
}

func (l *linter) checkAuth(q *request, t target, compat bool) {
	keys := q.find("x-api-key")
	auths := q.find("authorization")
	beta := false
	for _, h := range q.find("anthropic-beta") {
		if h.val.dynamic() || strings.Contains(h.val.text, "oauth-2025-04-20") {
			beta = true
		}
	}
	named := 0
	for _, h := range q.headers {
		if misnamedKeyHeader(h.name) {
			named++
			l.add(IDAuthHeaderName, Error, h.line, fmt.Sprintf("The key is sent in %q, a header the API does not read.", show(h.name)),
				"Rename the header to x-api-key (capitalisation does not matter).")
		}
	}
	if q.user != nil {
		l.add(IDAuthHeaderName, Error, q.user.line, "curl -u sends HTTP Basic auth, which the API does not accept.",
			`Send the key with -H "x-api-key: $ANTHROPIC_API_KEY" instead.`)
	}
	for _, h := range keys {
		l.checkKeyValue(h.val, q.kind)
	}
	if q.bearer != nil {
		v := *q.bearer
		v.text = "Bearer " + v.text
		auths = append(auths, header{name: "Authorization", val: v, line: v.line})
	}
	// to a gateway, a second header is usually the gateway's own credential
	direct := t.anthropic() || anthropicVar(t.hostVar) || t.host == "" && !t.dynamicHost
	for _, h := range auths {
		switch {
		case len(keys) > 0 && direct:
			for _, name := range h.val.unexpanded {
				l.unexpanded(name, h.line, q.kind)
			}
			l.add(IDAuthConflict, Error, h.line, "The request sends two credentials, x-api-key and Authorization; the API refuses the pair.",
				"Keep one: x-api-key with the API key, or Authorization: Bearer alone.")
		case len(keys) > 0:
			for _, name := range h.val.unexpanded {
				l.unexpanded(name, h.line, q.kind)
			}
		default:
			l.checkAuthorization(h.val, q.kind, beta, compat)
		}
	}
	if len(keys) == 0 && len(auths) == 0 && named == 0 && q.user == nil && !q.opaque {
		fix := "Send the key in an x-api-key header, or as Authorization: Bearer."
		if q.kind == KindCurl {
			fix = `Add -H "x-api-key: $ANTHROPIC_API_KEY".`
		}
		l.add(IDAuthMissing, Error, q.line, "No x-api-key or Authorization header: the API answers 401 without a key.", fix)
	}
}

var headerFlattener = strings.NewReplacer("-", "", "_", "", " ", "", ".", "")

// misnamedKeyHeader reports header names people use for the key that the
// API ignores. Header names are case-insensitive, so X-API-KEY is fine.
func misnamedKeyHeader(name string) bool {
	low := strings.ToLower(strings.TrimSpace(name))
	if low == "x-api-key" {
		return false
	}
	flat := headerFlattener.Replace(low)
	switch flat {
	case "xapikey", "apikey", "apitoken", "xapitoken", "anthropickey", "anthropicapikey", "xanthropickey", "xanthropicapikey",
		"claudeapikey", "xclaudeapikey", "xkey", "key", "token", "xapikeyx":
		return true
	}
	return false
}

// checkKeyValue looks at what an x-api-key header (or an SDK api_key) would
// carry.
func (l *linter) checkKeyValue(v value, kind Kind) {
	for _, name := range v.unexpanded {
		l.unexpanded(name, v.line, kind)
	}
	lit := v.literal()
	trimmed := strings.TrimSpace(lit)
	if !v.dynamic() && len(v.unexpanded) == 0 && trimmed == "" {
		l.add(IDAuthMissing, Error, v.line, "The x-api-key header is empty.", "Check that the variable holding the key is set and exported.")
		return
	}
	if !v.dynamic() && len(v.unexpanded) == 0 && isPlaceholder(strings.Trim(trimmed, `"'“”‘’`)) {
		l.add(IDAuthPlaceholder, Error, v.line, "The key is a placeholder, not a real key.",
			"Create a key at platform.claude.com → Settings → API keys and pass it through ANTHROPIC_API_KEY.")
		return
	}
	l.checkKeyShape(v, "x-api-key")
	for _, name := range v.vars() {
		if otherProviderVar(name) {
			l.add(IDAuthKeyKind, Warn, v.line, fmt.Sprintf("The key comes from %s, a variable named for another provider.", show(name)),
				"Use ANTHROPIC_API_KEY, or make sure this variable really holds a Claude API key.")
		}
	}
	if v.dynamic() || len(v.unexpanded) > 0 {
		return
	}
	l.checkKeyKind(strings.Trim(trimmed, `"'“”‘’`), v.line)
}

// checkKeyShape reports quotes, Bearer, whitespace and invisible characters
// inside a key value; what names the place the value is sent in.
func (l *linter) checkKeyShape(v value, what string) {
	lit := v.literal()
	t := strings.TrimSpace(lit)
	switch {
	case strings.ContainsAny(strings.TrimLeft(lit, " "), "\r\n\t\v\f"):
		l.add(IDAuthValueQuoted, Error, v.line, fmt.Sprintf("The %s value contains a line break or a tab.", what),
			"Remove it; a key copied with its newline fails every time.")
	case strings.HasPrefix(strings.ToLower(t), "bearer ") || strings.EqualFold(t, "bearer"):
		l.add(IDAuthValueQuoted, Error, v.line, fmt.Sprintf("The %s value starts with \"Bearer \"; it takes the bare key.", what),
			`Drop the "Bearer " prefix.`)
	case strings.ContainsAny(t, `"'“”‘’`+"`"):
		l.add(IDAuthValueQuoted, Error, v.line, fmt.Sprintf("The %s value contains quote characters, which become part of the key.", what),
			"Remove the inner quotes around the key.")
	case strings.Contains(t, " "):
		l.add(IDAuthValueQuoted, Error, v.line, fmt.Sprintf("The %s value contains a space.", what),
			"Remove the spaces; copy the key again from the Console if needed.")
	case strings.ContainsFunc(t, func(r rune) bool { return r > 126 || r < 32 }):
		l.add(IDAuthValueQuoted, Error, v.line, fmt.Sprintf("The %s value contains an invisible or non-ASCII character.", what),
			"Retype or re-copy the key; keys are plain ASCII.")
	case strings.TrimRight(lit, " \t") != lit && !v.dynamic():
		// trailing blanks are stripped by most servers; only say so
		l.add(IDAuthValueQuoted, Warn, v.line, fmt.Sprintf("The %s value ends with blanks.", what), "Remove the trailing spaces.")
	}
}

// checkKeyKind reports a literal credential that is not an API key.
func (l *linter) checkKeyKind(k string, line int) {
	switch kk := keyKind(k); kk {
	case "admin":
		l.add(IDAuthKeyKind, Error, line, fmt.Sprintf("This is an Admin API key (%s); it works only with the Admin API.", hint(k)),
			"Use a regular API key (sk-ant-api03-…) for messages and models.")
	case "oauth":
		l.add(IDAuthKeyKind, Error, line, fmt.Sprintf("This is an OAuth token (%s), not an API key.", hint(k)),
			"Send OAuth tokens as Authorization: Bearer with anthropic-beta: oauth-2025-04-20, or use an API key here.")
	case "openai", "google", "openrouter":
		l.add(IDAuthKeyKind, Error, line, fmt.Sprintf("This looks like %s (%s), not a Claude API key.", providerName[kk], hint(k)),
			"Use a Claude API key from platform.claude.com → Settings → API keys.")
	}
}

func (l *linter) checkAuthorization(v value, kind Kind, beta, compat bool) {
	for _, name := range v.unexpanded {
		l.unexpanded(name, v.line, kind)
	}
	t := strings.TrimSpace(v.literal())
	scheme, _, _ := strings.Cut(t, " ")
	full := strings.TrimSpace(v.text)
	if !strings.EqualFold(scheme, "bearer") {
		if v.dynamic() && strings.HasPrefix(full, mark) {
			return // the whole header is built at run time
		}
		l.add(IDAuthHeaderName, Error, v.line, "The Authorization header lacks the Bearer scheme, so the API does not find the key in it.",
			"Write Authorization: Bearer followed by the key, or send the key in x-api-key.")
		return
	}
	if compat {
		return // the OpenAI-compatible endpoint takes the API key as a bearer token
	}
	token := strings.TrimSpace(full[len("bearer"):])
	oauth := false
	if v.dynamic() {
		for _, name := range v.vars() {
			oauth = oauth || oauthVarName(name)
		}
	} else {
		tok := strings.Trim(token, `"'`)
		if isPlaceholder(tok) {
			l.add(IDAuthPlaceholder, Error, v.line, "The bearer token is a placeholder, not a real credential.",
				"Put a real key (or a real OAuth token) here.")
			return
		}
		oauth = keyKind(tok) == "oauth"
	}
	switch {
	case oauth && !beta:
		l.add(IDAuthOAuthBeta, Error, v.line, `An OAuth token is sent without "anthropic-beta: oauth-2025-04-20"; the API refuses it.`,
			"Add the anthropic-beta: oauth-2025-04-20 header, or use an API key.")
	case !oauth && !beta:
		l.bearerWarn(v.line, "The key is sent as Authorization: Bearer.")
	}
}

func (l *linter) unexpanded(name string, line int, kind Kind) {
	switch kind {
	case KindCurl:
		l.add(IDAuthEnvUnexpanded, Error, line,
			fmt.Sprintf("$%s is quoted so the shell leaves it alone: curl sends the literal text \"$%s\".", show(name), show(name)),
			fmt.Sprintf(`Use double quotes: "…$%s…".`, show(name)))
	default:
		l.add(IDAuthEnvUnexpanded, Error, line,
			fmt.Sprintf("$%s is sent as literal text; nothing here replaces it with its value.", show(name)),
			"Use your HTTP client's variables (for example {{apiKey}}), or send the request with curl.")
	}
}

func (l *linter) checkVersion(v value, line int) {
	for _, name := range v.unexpanded {
		l.add(IDVersionInvalid, Error, line, fmt.Sprintf("anthropic-version is the literal text \"$%s\".", show(name)),
			"Write the version itself: "+versions+".")
	}
	if v.dynamic() || len(v.unexpanded) > 0 {
		return
	}
	l.versionValue(strings.TrimSpace(v.text), line)
}

// versionValue checks an anthropic-version value. The API accepts the two
// versions of the client table; the original 2023-01-01 is only warned
// about, anything else is refused.
func (l *linter) versionValue(s string, line int) {
	switch s {
	case creds.VersionLegacy, creds.VersionCurrent:
	case "2023-01-01":
		l.add(IDVersionInvalid, Warn, line, "anthropic-version 2023-01-01 is the original API version; newer accounts may be refused it.",
			"Use "+versions+".")
	case "":
		l.add(IDVersionInvalid, Error, line, "anthropic-version is empty.", "Use "+versions+".")
	default:
		l.add(IDVersionInvalid, Error, line, fmt.Sprintf("anthropic-version %q is not an API version.", show(s)),
			"Use "+versions+".")
	}
}

// versions names the anthropic-version values the API accepts.
const versions = creds.VersionLegacy + " or " + creds.VersionCurrent

func (l *linter) checkContentType(q *request, t target) {
	if !q.hasBody || q.json || q.opaque {
		return
	}
	if q.form {
		if !strings.HasPrefix(t.path, "/v1/files") && !strings.HasPrefix(t.path, "/v1/skills") {
			l.add(IDContentTypeMissing, Warn, q.line, "curl -F sends multipart/form-data; this endpoint expects a JSON body.",
				`Send the JSON with -d and -H "content-type: application/json" (or --json).`)
		}
		return
	}
	cts := q.find("content-type")
	if len(cts) == 0 {
		line := q.line
		if len(q.data) > 0 {
			line = q.data[0].line
		}
		if q.kind == KindCurl {
			l.add(IDContentTypeMissing, Warn, line, "curl -d without a Content-Type sends application/x-www-form-urlencoded; the API expects JSON.",
				`Add -H "content-type: application/json", or use --json instead of -d.`)
		} else {
			l.add(IDContentTypeMissing, Warn, line, "The request has a body but no Content-Type header.",
				"Add Content-Type: application/json.")
		}
		return
	}
	h := cts[len(cts)-1]
	if h.val.dynamic() {
		return
	}
	if ct := strings.ToLower(strings.TrimSpace(h.val.text)); !strings.HasPrefix(ct, "application/json") {
		l.add(IDContentTypeMissing, Warn, h.line, fmt.Sprintf("Content-Type is %s; the API expects application/json.", show(ct)),
			"Set content-type: application/json.")
	}
}
