package probe

import (
	"net/url"
	"strings"
)

// proxyVars are the proxy variables reported, in the order Go reads them.
// ALL_PROXY is not used by Go, but curl and Python's httpx honour it.
var proxyVars = []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"}

// ReadEnvFacts reads the variables that change how SDKs authenticate and
// where they connect. It keeps names and sanitized forms only: URLs lose
// their user info and pass Redact; secrets are reduced to "set or not".
func ReadEnvFacts(env *Env) EnvFacts {
	var f EnvFacts
	if env == nil {
		return f
	}
	v := env.Vars
	if u := v["ANTHROPIC_BASE_URL"]; u != "" {
		f.BaseURLVar = Redact(StripURLCredentials(u))
	}
	f.AuthToken = v["ANTHROPIC_AUTH_TOKEN"] != ""
	for _, name := range []string{VarAPIKey, VarAuthToken} {
		if val, ok := v[name]; ok && strings.TrimSpace(val) == "" {
			f.EmptyVars = append(f.EmptyVars, name)
		}
	}
	f.OAuthToken = v["CLAUDE_CODE_OAUTH_TOKEN"] != ""
	f.InClaudeCode = v[VarInClaudeCode] != ""
	f.setCustomHeaders(customHeaders(env, false)) // as an SDK reads it; Prepare redoes it for Claude Code
	for _, name := range proxyVars {
		if p := v[name]; p != "" {
			f.Proxies = append(f.Proxies, ProxyVar{Name: name, Value: Redact(StripURLCredentials(p))})
		}
	}
	for _, name := range []string{"NO_PROXY", "no_proxy"} {
		if np := v[name]; np != "" {
			f.NoProxy = Redact(np)
			break
		}
	}
	return f
}

// setCustomHeaders records the header names of ANTHROPIC_CUSTOM_HEADERS
// and, when it is not the environment, the file and line it comes from.
func (f *EnvFacts) setCustomHeaders(value, from string) {
	f.CustomHeaders = customHeaderNames(value)
	f.CustomHeadersFrom = ""
	if from != "env" {
		f.CustomHeadersFrom = from
	}
}

// customHeaderNames returns the header names in ANTHROPIC_CUSTOM_HEADERS,
// one "Name: value" per line. A line without a colon is skipped whole: it
// may be a bare secret.
func customHeaderNames(s string) []string {
	var names []string
	for _, line := range strings.Split(s, "\n") {
		name, _, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			continue
		}
		names = append(names, clean(name, 100))
	}
	return names
}

// StripURLCredentials removes the user info (user:pass@) from a URL, also
// from one that does not parse or has no scheme ("user:pass@proxy:8080").
// Everything else is kept as it is.
func StripURLCredentials(raw string) string {
	start, end, ok := userInfo(raw)
	if !ok {
		return raw
	}
	return raw[:start] + raw[end+1:]
}

// URLSecrets returns the secrets in a URL's user info: the password, or
// the user name when there is no password (a token sent as the user, as in
// https://TOKEN@host), each as written and percent-decoded. A server or a
// proxy may echo them back; the redactor must know them.
func URLSecrets(raw string) []string {
	start, end, ok := userInfo(raw)
	if !ok {
		return nil
	}
	user, pass, hasPass := strings.Cut(raw[start:end], ":")
	secret := user
	if hasPass {
		secret = pass
	}
	out := []string{secret}
	if u, err := url.PathUnescape(secret); err == nil && u != secret {
		out = append(out, u)
	}
	return out
}

// userInfo finds the user info of a URL: raw[start:end] is what comes
// before the '@' at raw[end].
func userInfo(raw string) (start, end int, ok bool) {
	if i := strings.Index(raw, "://"); i >= 0 {
		start = i + len("://")
	}
	end = len(raw)
	if i := strings.IndexAny(raw[start:], "/?#"); i >= 0 {
		end = start + i
		// A password may hold '/', '?' or '#' unescaped: "user:pa/ss@host".
		// A colon before the cut that is not a port says user info goes on.
		if c := strings.IndexByte(raw[start:end], ':'); c >= 0 && !allDigits(raw[start+c+1:end]) {
			if stop := strings.IndexAny(raw[start:], " \t\n\"'"); stop >= 0 {
				end = start + stop
			} else {
				end = len(raw)
			}
		}
	}
	at := strings.LastIndexByte(raw[start:end], '@')
	if at < 0 {
		return 0, 0, false
	}
	return start, start + at, true
}

// envSecrets are the secrets of env that are not keys: the passwords of
// the base URL, the status URL and the proxy variables.
func envSecrets(env *Env) []string {
	urls := []string{env.BaseURL, env.StatusURL, env.Vars["ANTHROPIC_BASE_URL"]}
	for _, name := range proxyVars {
		urls = append(urls, env.Vars[name])
	}
	var out []string
	for _, u := range urls {
		out = append(out, URLSecrets(u)...)
	}
	return out
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
