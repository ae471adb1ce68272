package lint

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/fix401/fix401/probe/creds"
)

var reDotenv = regexp.MustCompile(`^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$`)

// dotenv lints KEY=value lines the way dotenv loaders read them.
func (l *linter) dotenv(text string) {
	for i, line := range strings.Split(text, "\n") {
		m := reDotenv.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		l.envAssign(m[1], value{text: dotenvValue(m[2]), line: i + 1}, false)
	}
}

// dotenvValue unquotes a value the way python-dotenv, Node dotenv and
// godotenv agree on.
func dotenvValue(raw string) string {
	raw = strings.TrimSpace(raw)
	if len(raw) >= 2 && (raw[0] == '"' || raw[0] == '\'' || raw[0] == '`') {
		if end := strings.LastIndexByte(raw, raw[0]); end > 0 {
			v := raw[1:end]
			if raw[0] == '"' {
				v = strings.NewReplacer(`\n`, "\n", `\"`, `"`, `\\`, `\`).Replace(v)
			}
			return v
		}
	}
	if i := strings.Index(raw, " #"); i >= 0 {
		raw = raw[:i]
	}
	return strings.TrimSpace(raw)
}

var reModelVar = regexp.MustCompile(`^(?:ANTHROPIC|CLAUDE)_(?:[A-Z_]*_)?MODEL$|^CLAUDE_CODE_SUBAGENT_MODEL$`)

// envAssign checks a value given to one of the variables SDKs and Claude
// Code read. shell says whether $VARs were expanded by a shell.
func (l *linter) envAssign(name string, v value, shell bool) {
	up := strings.ToUpper(name)
	switch {
	case publicEnvPrefix(up) && anthropicVar(up) && (strings.Contains(up, "KEY") || strings.Contains(up, "TOKEN")):
		l.related = true
		l.add(IDAuthClientSide, Error, v.line, fmt.Sprintf("%s is bundled into front-end code, so every visitor gets the key.", show(name)),
			"Drop the public prefix and call the API only from your server.")
	case up == "ANTHROPIC_API_KEY" || up == "CLAUDE_API_KEY" || up == "ANTHROPIC_KEY":
		l.related = true
		if l.envUnexpanded(name, v, shell) {
			return
		}
		for _, n := range v.vars() {
			if otherProviderVar(n) {
				l.add(IDAuthKeyKind, Warn, v.line, fmt.Sprintf("%s is set from %s, a variable named for another provider.", show(name), show(n)),
					"Give it a Claude API key, or make sure this variable really holds one.")
			}
		}
		if v.dynamic() || strings.TrimSpace(v.text) == "" {
			if v.dynamic() && up == creds.VarAPIKey {
				l.envKeyLine = v.line
			}
			return
		}
		k := strings.Trim(strings.TrimSpace(v.text), `"'“”‘’`)
		if isPlaceholder(k) {
			if !isExampleFile(l.name) {
				l.add(IDAuthPlaceholder, Error, v.line, fmt.Sprintf("%s holds a placeholder, not a real key.", show(name)),
					"Create a key at platform.claude.com → Settings → API keys and put it here.")
			}
			return
		}
		if up == creds.VarAPIKey {
			l.envKeyLine = v.line
		}
		l.checkKeyShape(v, name)
		l.checkKeyKind(k, v.line)
		if keyKind(k) == "" && !strings.HasPrefix(k, "sk-ant-") && len(k) >= 20 && isKeyAlphabet(k) {
			l.foreignKeyLine = v.line // judged once the file is read: a gateway takes its own keys
		}
	case up == creds.VarAuthToken:
		l.related = true
		if l.envUnexpanded(name, v, shell) {
			return
		}
		if v.dynamic() || strings.TrimSpace(v.text) != "" && !isPlaceholder(v.text) {
			l.envTokenLine = v.line
		}
		apiKey := false
		for _, n := range v.vars() {
			apiKey = apiKey || keyVarName(n)
		}
		if !v.dynamic() {
			kk := keyKind(strings.Trim(strings.TrimSpace(v.text), `"'`))
			apiKey = kk == "api" || kk == "admin"
		}
		if apiKey {
			l.bearerWarn(v.line, "ANTHROPIC_AUTH_TOKEN holds an API key, which clients send as Authorization: Bearer.")
		}
	case up == "ANTHROPIC_BASE_URL":
		l.related = true
		if l.envUnexpanded(name, v, shell) {
			return
		}
		for _, d := range v.defaults {
			l.checkBaseURL(d, v.line)
		}
		if v.dynamic() {
			return
		}
		if t := parseTarget(strings.TrimSpace(v.text)); t.host != "" && !t.anthropic() {
			l.envGateway = true // a gateway: it may take two credentials
		}
		l.checkBaseURL(v.text, v.line)
	case reModelVar.MatchString(up):
		if !v.dynamic() && len(v.unexpanded) == 0 {
			l.related = true
			l.checkModel(v.text, v.line, true)
		}
	}
}

func (l *linter) envUnexpanded(name string, v value, shell bool) bool {
	if !shell || len(v.unexpanded) == 0 {
		return false
	}
	for _, n := range v.unexpanded {
		l.add(IDAuthEnvUnexpanded, Error, v.line,
			fmt.Sprintf("$%s is in single quotes, so %s holds the literal text \"$%s\".", show(n), show(name), show(n)),
			fmt.Sprintf(`Use double quotes: %s="$%s".`, show(name), show(n)))
	}
	return true
}

func isExampleFile(name string) bool {
	low := strings.ToLower(name)
	for _, w := range []string{"example", "sample", "template", ".dist", "tmpl"} {
		if strings.Contains(low, w) {
			return true
		}
	}
	return false
}

// checkBaseURL checks what an SDK will use as its base URL: the SDK appends
// /v1/messages itself.
func (l *linter) checkBaseURL(s string, line int) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	t := parseTarget(s)
	switch {
	case t.scheme == "http" && !isLoopback(t.host) && !t.dynamicHost:
		l.add(IDEndpointInsecure, Error, line, fmt.Sprintf("The base URL is plain http:// to %s: the key travels unencrypted.", show(t.host)),
			"Use https://.")
	case t.host == "api.openai.com":
		l.add(IDEndpointWrong, Error, line, "The base URL points at api.openai.com, not at the Claude API.", "Use https://api.anthropic.com.")
	case wrongHosts[t.host]:
		l.add(IDEndpointWrong, Error, line, fmt.Sprintf("The base URL points at %s, which is not the API host.", show(t.host)),
			"Use https://api.anthropic.com.")
	case t.anthropic() && strings.TrimSuffix(t.path, "/") == "/v1":
		l.add(IDEndpointWrong, Error, line, "The base URL ends in /v1; the SDK adds /v1 itself, so requests go to /v1/v1/….",
			"Use https://api.anthropic.com as the base URL.")
	case t.anthropic() && t.path != "" && t.path != "/":
		l.add(IDEndpointWrong, Error, line, fmt.Sprintf("The base URL has a path (%s); the SDK appends /v1/messages to it.", show(t.path)),
			"Use https://api.anthropic.com as the base URL.")
	}
}
