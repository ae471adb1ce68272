package probe

import (
	"cmp"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/fix401/fix401/probe/creds"
)

// Check ids, stable across versions (DESIGN.md).
const (
	CheckKeyFound    = "key.found"
	CheckKeyFormat   = "key.format"
	CheckKeyKind     = "key.kind"
	CheckKeySources  = "key.sources"
	CheckKeyCleaned  = "key.cleaned"
	CheckAuthToken   = "env.auth_token"
	CheckBaseURL     = "env.base_url"
	CheckCustomHdrs  = "env.custom_headers"
	CheckProxy       = "env.proxy"
	CheckDNS         = "net.dns"
	CheckTCP         = "net.tcp"
	CheckTLS         = "net.tls"
	CheckOrigin      = "api.origin"
	CheckAuth        = "api.auth"
	CheckControl     = "api.control"
	CheckCandidates  = "api.candidates"
	CheckPermissions = "api.permissions"
	CheckQuota       = "api.quota"
	CheckModel       = "api.model"
	CheckStatusPage  = "status.page"
	CheckClient      = "client.sdk"
	CheckHeader      = "api.header"
	CheckEmptyVars   = "env.empty"
	CheckKeyFiles    = "key.files"
)

// Checks derives the checklist from what has been measured so far. Checks
// whose probe has not finished are Pending; the order is stable.
func (r *Report) Checks() []Result {
	var out []Result
	add := func(res Result) { out = append(out, res) }
	add(r.checkKeyFound())
	add(r.checkKeyFormat())
	add(r.checkKeyKind())
	add(r.checkKeySources())
	if r.CI != nil {
		add(r.checkCI())
	}
	if (r.Profile != nil && r.Profile.Found) || r.Federation != nil || r.Client.IsClaudeCode() {
		add(r.checkChain())
	}
	if r.Client.IsClaudeCode() {
		add(r.checkClaudeLogin())
		if r.Claude != nil && len(r.Claude.Helpers) > 0 {
			add(r.checkClaudeHelper())
		}
	}
	if p := r.Profile; p != nil && (p.Found || p.Broken != "") {
		add(r.checkProfile())
	}
	if r.Federation != nil {
		add(r.checkFederation())
	}
	if slices.Contains(r.Planned(), ProbeFederation) {
		add(r.checkExchange())
	}
	if len(r.FileNotes) > 0 {
		add(r.checkKeyFiles())
	}
	if k := r.ActiveKey(); k != nil && k.Clean != k.Value && k.Clean != "" {
		add(r.checkCleaned())
	}
	if r.Client.KeyHeader != "" {
		add(r.checkClient())
	}
	out = append(out, r.providerChecks()...)
	add(r.checkAuthToken())
	if len(r.Env.EmptyVars) > 0 {
		add(r.checkEmptyVars())
	}
	add(r.checkBaseURL())
	if len(r.Env.CustomHeaders) > 0 {
		add(r.checkCustomHeaders())
	}
	add(r.checkProxy())
	out = append(out, r.checkNet()...)
	add(r.checkOrigin())
	add(r.checkAuth())
	if slices.Contains(r.Planned(), ProbeAlt) {
		add(r.checkHeader())
	}
	add(r.checkControl())
	add(r.checkCandidates())
	if r.AdminKey != nil {
		add(r.checkKeyRecord())
	}
	add(r.checkPermissions())
	add(r.checkQuota())
	add(r.checkModel())
	add(r.checkStatusPage())
	return append(out, r.lintChecks()...)
}

// CheckByID returns the check with the given id, if present.
func (r *Report) CheckByID(id string) (Result, bool) {
	for _, c := range r.Checks() {
		if c.ID == id {
			return c, true
		}
	}
	return Result{}, false
}

func pending(id, title string) Result { return Result{ID: id, Status: Pending, Title: title} }

func (r *Report) checkKeyFound() Result {
	res := Result{ID: CheckKeyFound}
	if res, ok := r.claudeKeyFound(); ok {
		return res
	}
	if r.FederationWins() {
		res.Status = Pass
		res.Title = fmt.Sprintf("Credential in use: Workload Identity Federation (rule %s), its identity token from %s", r.Federation.RuleID, r.Federation.TokenFrom)
		return res
	}
	if k := r.ActiveKey(); k != nil {
		// The mark vouches for the key being loaded, not for the key: the
		// API's verdict is api.auth's.
		res.Status = Pass
		res.Title = fmt.Sprintf("Key loaded: %s from %s", k.Hint, k.Source)
		if org, ws := r.Owner(r.Active); org != "" {
			res.Detail = "Organization " + org
			if ws != "" {
				res.Detail += ", workspace " + ws
			}
		}
		return res
	}
	for _, c := range r.Candidates {
		if c.Value != "" && (c.Origin == OriginShell || c.Origin == OriginClaude) {
			res.Status = Fail
			res.Title = fmt.Sprintf("A key is in %s, but not in this process's environment", c.Source)
			res.Fix = "Open a new terminal or source the file, then check that `echo ${#ANTHROPIC_API_KEY}` prints 108."
			return res
		}
	}
	res.Status = Fail
	res.Title = "No API key found in the environment, .env files, shell start-up files or Claude Code settings"
	res.Fix = "Create a key in the Console (Settings → API keys) and set ANTHROPIC_API_KEY."
	return res
}

func (r *Report) checkKeyFormat() Result {
	k := r.ActiveKey()
	if k == nil || !r.Testable() {
		return Result{ID: CheckKeyFormat, Status: Skip, Title: "Key format: no key to inspect"}
	}
	if len(k.Issues) == 0 {
		return Result{ID: CheckKeyFormat, Status: Pass, Title: "Key format: clean (no spaces, quotes, newlines or hidden characters)"}
	}
	words := make([]string, len(k.Issues))
	for i, is := range k.Issues {
		words[i] = is.Detail
	}
	detail := ""
	if len(words) > 1 {
		detail = "Also: " + strings.Join(words[1:], "; ")
	}
	return Result{ID: CheckKeyFormat, Status: Fail,
		Title:  fmt.Sprintf("Key format: the key from %s %s", k.Source, words[0]),
		Detail: detail,
		Fix:    rewriteFix(k)}
}

// rewriteFix says where to put the key back as one clean line.
func rewriteFix(k *Candidate) string {
	switch k.Origin {
	case OriginStdin:
		return "Copy the key again, alone, with nothing around it."
	case OriginEnv:
		return fmt.Sprintf("Set %s again to the bare key: export %s='sk-ant-…' with nothing else inside the quotes.", k.Var, k.Var)
	}
	return fmt.Sprintf("Rewrite %s as one plain line: %s=sk-ant-…", k.Source, k.Var)
}

func (r *Report) checkKeyKind() Result {
	k := r.ActiveKey()
	if k == nil || !r.Testable() {
		return Result{ID: CheckKeyKind, Status: Skip, Title: "Key kind: no key to inspect"}
	}
	switch k.Kind {
	case KindAPI:
		return Result{ID: CheckKeyKind, Status: Pass, Title: "Key kind: an API key (sk-ant-api03-)"}
	case KindAdmin:
		return Result{ID: CheckKeyKind, Status: Fail, Title: "Key kind: an Admin API key, which the Messages and Models APIs do not accept",
			Fix: "Use a regular API key (sk-ant-api03-…) for API calls; keep the admin key for the Admin API."}
	case KindOAuth:
		// A token where tokens belong (a profile's login, an auth-token
		// variable) is sent as a token, with the oauth beta: nothing wrong.
		if k.Origin == OriginProfile || k.Var == VarAuthToken || k.Var == VarOAuthToken || k.Var == VarClaudeLogin {
			return Result{ID: CheckKeyKind, Status: Pass,
				Title: "Key kind: an OAuth access token (sk-ant-oat01-), sent as Authorization: Bearer with the oauth beta"}
		}
		return Result{ID: CheckKeyKind, Status: Warn, Title: "Key kind: an OAuth token, not an API key",
			Detail: "OAuth tokens need Authorization: Bearer plus the anthropic-beta: oauth-2025-04-20 header; SDKs send them only as auth tokens.",
			Fix:    "For API code, use an API key (sk-ant-api03-…) from the Console."}
	case KindOther:
		return Result{ID: CheckKeyKind, Status: Fail, Title: "Key kind: " + ProviderKey(k.Provider) + ", not an Anthropic API key",
			Fix: fmt.Sprintf("Put an Anthropic key (sk-ant-api03-…) in %s.", k.Source)}
	}
	return Result{ID: CheckKeyKind, Status: Warn, Title: "Key kind: does not look like any Anthropic key",
		Fix: "Anthropic API keys start with sk-ant-api03-; copy the key again from the Console."}
}

func (r *Report) checkKeySources() Result {
	res := Result{ID: CheckKeySources}
	if len(r.Candidates) == 0 {
		res.Status = Skip
		res.Title = "Key sources: none found"
		return res
	}
	distinct := map[string]bool{}
	var lines []string
	places := 0
	for _, c := range r.Candidates {
		if c.Clean != "" && c.Var != VarClaudeLogin { // a login is no stale copy of a key
			distinct[c.Clean] = true
			places++
		}
		lines = append(lines, fmt.Sprintf("%s  %s", c.Hint, c.Source))
	}
	res.Detail = strings.Join(lines, "\n")
	switch {
	case len(distinct) > 1:
		res.Status = Warn
		res.Title = fmt.Sprintf("Key sources: %d places hold %d different keys", places, len(distinct))
		res.Fix = "Keep one key; remove or update the stale copies."
	default:
		res.Status = Pass
		res.Title = fmt.Sprintf("Key sources: %s", plural(places, "place", "places")+" hold the same key")
		if places == 1 {
			res.Title = "Key sources: one place holds a key"
		}
		if places == 0 {
			res.Title = "Key sources: no key with a value to compare"
		}
	}
	return res
}

func (r *Report) checkCleaned() Result {
	k := r.ActiveKey()
	if !r.Done[ProbeClean] {
		return pending(CheckKeyCleaned, "Testing the key without its stray characters…")
	}
	a := r.CleanAuth
	res := Result{ID: CheckKeyCleaned, Duration: dur(a)}
	switch {
	case a.Accepted():
		res.Status = Pass
		res.Title = "The cleaned key works: only the stray characters are wrong"
		res.Fix = fmt.Sprintf("Fix the value in %s; the key itself is good.", k.Source)
	case a != nil && a.Status == 401:
		res.Status = Fail
		res.Title = "The cleaned key is rejected too"
	default:
		res.Status = Skip
		res.Title = "The cleaned key could not be tested: " + answerWords(a)
	}
	return res
}

// checkClient names the client whose requests the probes reproduce and how
// it sends the key.
func (r *Report) checkClient() Result {
	ci := r.Client
	how := fmt.Sprintf("an API key as %s, anthropic-version %s", WireWords(ci.KeyHeader), ci.Version)
	switch ci.From {
	case ClientAssumed:
		return Result{ID: CheckClient, Status: Pass,
			Title:  "No Anthropic SDK named in the project: probed as curl sends it (x-api-key) and as current SDKs do (Authorization: Bearer)",
			Detail: "Use --for go|python|typescript|curl|claude-code to reproduce one client exactly." + claudeHint(r)}
	case ClientFromFlag:
		if ci.IsClaudeCode() {
			how = "an API key as x-api-key and tokens as Authorization: Bearer, anthropic-version " + ci.Version
		}
		return Result{ID: CheckClient, Status: Pass, Title: fmt.Sprintf("Client (--for %s): %s sends %s", ci.ID, ci.Label(), how)}
	}
	return Result{ID: CheckClient, Status: Pass, Title: fmt.Sprintf("Client: %s sends %s", ci.Label(), how)}
}

// wireWords is a credential header as a request shows it.
func WireWords(h string) string {
	if h == creds.HeaderBearer {
		return "Authorization: Bearer"
	}
	return "x-api-key"
}

// checkKeyFiles lists the files discovery could not read as a loader
// would: skipped (a FIFO, a binary, another user's), read in part, or
// saved in an encoding some loaders misread.
func (r *Report) checkKeyFiles() Result {
	lines := make([]string, 0, len(r.FileNotes))
	for _, n := range r.FileNotes {
		if n.Source == "" {
			lines = append(lines, n.Note)
			continue
		}
		lines = append(lines, n.Source+": "+n.Note)
	}
	res := Result{ID: CheckKeyFiles, Status: Warn, Detail: strings.Join(lines, "\n"),
		Title: "Files with keys that loaders may not read as fix401 did: " + plural(len(r.FileNotes), "file", "files")}
	if len(lines) == 1 {
		res.Title, res.Detail = lines[0], "" // a file name or a count leads: nothing to capitalise
	}
	return res
}

// checkEmptyVars warns about credential variables exported with nothing
// in them, saying what that does to the client in use.
func (r *Report) checkEmptyVars() Result {
	names := strings.Join(r.Env.EmptyVars, " and ")
	res := Result{ID: CheckEmptyVars, Status: Warn, Title: names + " exported but empty"}
	ci := r.Client
	switch {
	case ci.EmptySet && slices.Contains(r.Env.EmptyVars, VarAuthToken) && ci.Reads(VarAuthToken):
		res.Title += fmt.Sprintf(": the %s sends \"Authorization: Bearer \" and every call fails (Illegal header value)", ci.Name)
	case ci.EmptySet && slices.Contains(r.Env.EmptyVars, VarAPIKey):
		res.Title += fmt.Sprintf(": the %s takes the empty value as set, sends no key and never reads .env", ci.Name)
	case ci.IsClaudeCode():
		res.Title += ": Claude Code skips empty values, and an empty export keeps Bun from loading the value in .env (loaders do not replace a set variable)"
	case ci.From == ClientAssumed || ci.KeyHeader == "":
		res.Title += ": the Python SDK takes an empty value as set (an empty ANTHROPIC_AUTH_TOKEN makes it send \"Bearer \" and fail), and dotenv loaders never replace it"
	default:
		res.Title += fmt.Sprintf(": the %s skips empty values, but dotenv loaders never replace a set variable", ci.Name)
	}
	res.Fix = "Run `unset " + strings.Join(r.Env.EmptyVars, " ") + "` and remove the empty export from your shell start-up files."
	if r.Env.InClaudeCode {
		res.Detail = "This shell was started by Claude Code, which exports these variables empty; load .env with override (python-dotenv: load_dotenv(override=True)) or pass the key explicitly."
	}
	if r.CI != nil {
		// In CI an empty variable is a secret that did not arrive; there is
		// no shell file to fix.
		res.Fix, res.Detail = r.CI.emptySecretFix(), ""
		if r.CI.Withheld != "" {
			res.Fix, res.Detail = "", "In this CI run, an empty variable is what a withheld secret looks like (see ci.context)."
		}
	}
	return res
}

func (r *Report) checkAuthToken() Result {
	if !r.Env.AuthToken {
		return Result{ID: CheckAuthToken, Status: Pass, Title: "ANTHROPIC_AUTH_TOKEN is not set"}
	}
	k := r.ActiveKey()
	if res, ok := r.claudeAuthConflict(); ok {
		return res
	}
	if k != nil && k.Var == VarAuthToken {
		return Result{ID: CheckAuthToken, Status: Warn, Title: "ANTHROPIC_AUTH_TOKEN is the only credential: SDKs send it as a Bearer token"}
	}
	if k == nil || k.Var != VarAPIKey {
		return Result{ID: CheckAuthToken, Status: Warn, Title: "ANTHROPIC_AUTH_TOKEN is set"}
	}
	ci := r.Client
	switch {
	case ci.SendsBoth():
		return Result{ID: CheckAuthToken, Status: Fail,
			Title: fmt.Sprintf("ANTHROPIC_AUTH_TOKEN is set besides the API key: the %s sends both", ci.Name),
			Fix:   "unset ANTHROPIC_AUTH_TOKEN (and remove it from your shell start-up files)."}
	case ci.Both == creds.TokenWarn:
		return Result{ID: CheckAuthToken, Status: Warn,
			Title: fmt.Sprintf("ANTHROPIC_AUTH_TOKEN is set besides the API key: the %s uses the key, ignores the token and prints a warning", ci.Name),
			Fix:   "unset ANTHROPIC_AUTH_TOKEN to silence the warning."}
	case ci.Both == creds.TokenIgnore:
		return Result{ID: CheckAuthToken, Status: Warn,
			Title: fmt.Sprintf("ANTHROPIC_AUTH_TOKEN is set besides the API key: the %s uses the key and ignores the token", ci.Name),
			Fix:   "unset ANTHROPIC_AUTH_TOKEN so other tools do not pick it up."}
	}
	return Result{ID: CheckAuthToken, Status: Warn,
		Title: "ANTHROPIC_AUTH_TOKEN is set besides the API key: older Python and TypeScript SDKs send both, which the API may refuse",
		Fix:   "unset ANTHROPIC_AUTH_TOKEN (and remove it from your shell start-up files), or name your client with --for."}
}

func (r *Report) checkBaseURL() Result {
	t := r.Target
	if r.Insecure() {
		return Result{ID: CheckBaseURL, Status: Fail,
			Title: fmt.Sprintf("Base URL %s is plain HTTP to another machine: fix401 did not send the key", t.BaseURL),
			Fix:   "Use https://api.anthropic.com, or an https:// gateway you trust."}
	}
	if r.Net != nil && r.Net.Err != nil && r.Net.Err.Phase == PhaseBadURL {
		return Result{ID: CheckBaseURL, Status: Fail, Title: "Not a usable URL: " + r.Net.Err.Message,
			Fix: "Write the base URL in full, like https://api.anthropic.com, or unset ANTHROPIC_BASE_URL."}
	}
	if t.BaseURL == DefaultBaseURL {
		return Result{ID: CheckBaseURL, Status: Pass, Title: "Base URL: " + t.BaseURL}
	}
	res := Result{ID: CheckBaseURL, Status: Warn,
		Detail: "Requests go to this address instead of https://api.anthropic.com."}
	switch t.BaseURLSource {
	case SourceDemo:
		return Result{ID: CheckBaseURL, Status: Pass, Title: "Base URL: the demo stub at " + t.BaseURL}
	case "flag":
		res.Title = fmt.Sprintf("Base URL set by --base-url: %s", t.BaseURL)
	case SourceProfile:
		res.Title = fmt.Sprintf("Base URL from the SDK profile's base_url: %s", t.BaseURL)
		res.Fix = "If this is not a gateway you meant to use, remove base_url from the profile."
	default:
		res.Title = fmt.Sprintf("Base URL overridden by %s: %s", strings.TrimPrefix(t.BaseURLSource, "env:"), t.BaseURL)
		res.Fix = "If this is not a gateway you meant to use, unset ANTHROPIC_BASE_URL."
	}
	return res
}

func (r *Report) checkCustomHeaders() Result {
	var auth []string
	for _, h := range r.Env.CustomHeaders {
		switch strings.ToLower(h) {
		case "x-api-key", "authorization", "anthropic-version":
			auth = append(auth, h)
		}
	}
	name := "ANTHROPIC_CUSTOM_HEADERS"
	if r.Env.CustomHeadersFrom != "" {
		name += " (from " + r.Env.CustomHeadersFrom + ")"
	}
	if len(auth) > 0 {
		return Result{ID: CheckCustomHdrs, Status: Warn,
			Title: name + " overrides " + strings.Join(auth, ", "),
			Fix:   "Remove those headers from ANTHROPIC_CUSTOM_HEADERS; the SDK sets them itself."}
	}
	return Result{ID: CheckCustomHdrs, Status: Pass, Title: name + " adds " + strings.Join(r.Env.CustomHeaders, ", ")}
}

func (r *Report) checkProxy() Result {
	if len(r.Env.Proxies) == 0 {
		return Result{ID: CheckProxy, Status: Pass, Title: "No proxy variables set"}
	}
	var names []string
	for _, p := range r.Env.Proxies {
		names = append(names, p.Name+"="+p.Value)
	}
	res := Result{ID: CheckProxy, Status: Warn, Title: "Proxy in use: " + strings.Join(names, ", ")}
	if r.Env.NoProxy != "" {
		res.Detail = "NO_PROXY=" + r.Env.NoProxy
	}
	return res
}

func (r *Report) checkNet() []Result {
	if !r.Done[ProbeNet] {
		return []Result{pending(CheckDNS, "Resolving the API host…"), pending(CheckTCP, "Connecting…"), pending(CheckTLS, "TLS handshake…")}
	}
	n := r.Net
	if n == nil {
		n = &NetResult{Err: &NetError{Phase: "other", Message: "no result"}}
	}
	phase := ""
	if n.Err != nil {
		phase = n.Err.Phase
	}
	via := ""
	if n.Proxy != "" {
		via = " (via proxy " + n.Proxy + ")"
	}
	dns := Result{ID: CheckDNS, Status: Pass, Duration: n.DNS, Title: fmt.Sprintf("DNS: %s resolves%s", n.Host, via)}
	switch {
	case net.ParseIP(n.Host) != nil:
		dns = Result{ID: CheckDNS, Status: Skip, Title: "DNS: not needed for an IP address"}
	case len(n.Addrs) == 0 && n.Err == nil:
		dns = Result{ID: CheckDNS, Status: Skip, Title: "DNS: not measured on its own" + via}
	}
	tcp := Result{ID: CheckTCP, Status: Pass, Duration: n.TCP, Title: "TCP: connected" + via}
	tls := Result{ID: CheckTLS, Status: Pass, Duration: n.TLS, Title: fmt.Sprintf("TLS: %s, certificate from %s", n.TLSVer, n.TLSIssuer)}
	switch {
	case n.TLSVer != "":
	case strings.HasPrefix(r.Target.BaseURL, "https:") && n.Proxy != "":
		tls = Result{ID: CheckTLS, Status: Skip, Title: "TLS: not measured through this proxy; the API request speaks for it"}
	case strings.HasPrefix(r.Target.BaseURL, "https:"):
		tls = Result{ID: CheckTLS, Status: Skip, Title: "TLS: not reached"}
	default:
		tls = Result{ID: CheckTLS, Status: Skip, Title: "TLS: not used (plain HTTP)"}
	}
	fail := func(res *Result, title string) {
		res.Status = Fail
		res.Title = title
		if n.Err != nil {
			res.Detail = n.Err.Message
		}
	}
	skip := func(res *Result, what string) { *res = Result{ID: res.ID, Status: Skip, Title: what + ": not reached"} }
	switch phase {
	case "":
	case PhaseBadURL:
		return []Result{{ID: CheckDNS, Status: Skip, Title: "DNS: not tried (no valid URL)"},
			{ID: CheckTCP, Status: Skip, Title: "TCP: not tried (no valid URL)"},
			{ID: CheckTLS, Status: Skip, Title: "TLS: not tried (no valid URL)"}}
	case "dns":
		fail(&dns, fmt.Sprintf("DNS: %s does not resolve", n.Host))
		dns.Fix = "Check your network, VPN or DNS settings; try another network."
		skip(&tcp, "TCP")
		skip(&tls, "TLS")
	case PhaseProxy:
		if strings.Contains(n.Err.Message, "resolve") {
			fail(&dns, "DNS: the proxy's host name does not resolve")
			dns.Fix = "Check the host in " + proxyNames(r.Env.Proxies) + "."
			skip(&tcp, "TCP")
			skip(&tls, "TLS")
			break
		}
		fail(&tcp, "TCP: the proxy refused or dropped the connection"+via)
		tcp.Fix = "Check " + proxyNames(r.Env.Proxies) + ", or try without the proxy if your network allows it."
		skip(&tls, "TLS")
	case "tcp":
		fail(&tcp, "TCP: cannot connect to "+n.Host+via)
		tcp.Fix = "A firewall, VPN or proxy blocks the way; try another network or check the proxy settings."
		skip(&tls, "TLS")
	case "timeout":
		fail(&tcp, "Connection timed out"+via)
		tcp.Fix = "Check the network path; a timeout says nothing about the key."
		skip(&tls, "TLS")
	case "tls_untrusted":
		fail(&tls, "TLS: the certificate is not trusted (issued by "+orUnknown(n.Err.Issuer)+")")
		tls.Fix = "Something on your network intercepts TLS. Add its CA to your trust store (SSL_CERT_FILE) or bypass it for api.anthropic.com."
	case "tls":
		fail(&tls, "TLS: handshake failed")
	default:
		fail(&tcp, "Connection failed")
		skip(&tls, "TLS")
	}
	return []Result{dns, tcp, tls}
}

func (r *Report) checkOrigin() Result {
	if r.Insecure() {
		return Result{ID: CheckOrigin, Status: Skip, Title: "API not asked: the base URL is insecure"}
	}
	a := r.firstAnswer()
	if a == nil {
		return pending(CheckOrigin, "Waiting for the API to answer…")
	}
	if a.Err != nil {
		return Result{ID: CheckOrigin, Status: Skip, Title: "No answer to judge: " + answerWords(a)}
	}
	if a.Anthropic {
		res := Result{ID: CheckOrigin, Status: Pass, Title: "The Anthropic API answered"}
		if a.RequestID != "" {
			res.Title += " (request-id " + a.RequestID + ")"
		}
		return res
	}
	res := Result{ID: CheckOrigin, Status: Fail, Duration: a.Duration}
	switch {
	case a.Location != "":
		res.Title = fmt.Sprintf("Not the API: HTTP %d redirect to %s (not followed)", a.Status, a.Location)
		res.Fix = "Point the base URL at the address you mean to use: an SDK may follow the redirect and send your key along (the Go SDK does)."
	case a.Status == 407:
		res.Title = "Not the API: a proxy asks for its own login (HTTP 407)"
		res.Fix = "Give the proxy its credentials in HTTPS_PROXY, or bypass it for api.anthropic.com."
	case a.Shape == "html":
		res.Title = fmt.Sprintf("Not the API: an HTML page answered (HTTP %d%s)", a.Status, serverWords(a))
		res.Fix = "A proxy, captive portal or gateway answered instead of the API; check the base URL and proxy settings."
	case a.Shape == "openai":
		res.Title = "Not the API: an OpenAI-style server answered"
		res.Fix = "The base URL points at another provider or an OpenAI-compatible gateway."
	default:
		res.Title = fmt.Sprintf("Not the API: HTTP %d without a request-id (%s body%s)", a.Status, a.Shape, serverWords(a))
		res.Fix = "Something between you and the API answered; check the base URL and proxy settings."
	}
	return res
}

// KeyHeader is the header the client sends the key in use in (x-api-key
// when no client or key is known).
func (r *Report) KeyHeader() string {
	if h := r.Client.HeaderFor(r.ActiveKey()); h != "" {
		return h
	}
	return creds.HeaderAPIKey
}

// HeaderStripped reports whether the credential header the client sends
// does not reach the API: the API says none arrived although one was sent,
// or the key in use fails sent the client's way and works the other way.
func (r *Report) HeaderStripped() bool {
	if MissingCredential(r.Control) || MissingCredential(r.Auth) {
		return true
	}
	return r.ActiveKey() != nil && r.Auth != nil && !r.Auth.Accepted() && r.AltAuth.Accepted()
}

// Owner returns the organization and workspace the API named for the
// candidate at index i: for the key in use, from any of its answers; for
// another key, from its own. Empty when no answer named them (a rejected
// key belongs to no one the API will say).
func (r *Report) Owner(i int) (org, workspace string) {
	var as []*Answer
	if i == r.Active {
		as = []*Answer{r.Auth, r.Quota, r.Model}
	}
	for _, o := range r.Others {
		if o.Index == i {
			as = append(as, o.Answer)
		}
	}
	for _, a := range as {
		if a != nil && a.OrgID != "" {
			return a.OrgID, a.WorkspaceID
		}
	}
	return "", ""
}

// orgSentence says, in one sentence, when the keys found belong to
// different organizations: "I added credit to the other organization" is
// one of the most common confusions.
func (r *Report) orgSentence() string {
	k := r.ActiveKey()
	if k == nil {
		return ""
	}
	mine, _ := r.Owner(r.Active)
	if mine == "" {
		return ""
	}
	var others []string
	for _, o := range r.Others {
		if org, _ := r.Owner(o.Index); org != "" && org != mine {
			others = append(others, fmt.Sprintf("%s (%s) bills to %s", r.Candidates[o.Index].Hint, r.Candidates[o.Index].Source, org))
		}
	}
	if len(others) == 0 {
		return ""
	}
	return fmt.Sprintf("Different organizations: the key in use bills to %s, while %s.", mine, strings.Join(others, "; "))
}

// MissingCredential reports whether the API said no credential arrived at
// all ("x-api-key header is required"), which a sent key never earns.
func MissingCredential(a *Answer) bool { return a.Class() == ClassMissing }

// firstAnswer is the answer that best shows who is at the other end.
func (r *Report) firstAnswer() *Answer {
	for _, a := range []*Answer{r.Auth, r.Control, r.Quota} {
		if a != nil && a.Err == nil {
			return a
		}
	}
	for _, a := range []*Answer{r.Auth, r.Control} {
		if a != nil {
			return a
		}
	}
	return nil
}

func (r *Report) checkAuth() Result {
	k := r.ActiveKey()
	switch {
	case r.Insecure():
		return Result{ID: CheckAuth, Status: Skip, Title: "Key not sent: the base URL is plain HTTP to another machine"}
	case k == nil && len(r.otherKeys()) > 0:
		// The keys found are tested under api.candidates; none is the
		// one a client here would send.
		return Result{ID: CheckAuth, Status: Skip, Title: "Nothing sent as your client would: no key is loaded in this process's environment"}
	case k == nil:
		return Result{ID: CheckAuth, Status: Skip, Title: "Nothing sent: no key found"}
	case !r.Testable():
		return Result{ID: CheckAuth, Status: Skip, Title: "Nothing sent: Claude Code gets its key from apiKeyHelper, which fix401 does not run"}
	case !r.Done[ProbeAuth]:
		return pending(CheckAuth, "Asking the API whether it accepts "+k.Hint+"…")
	}
	a := r.Auth
	res := Result{ID: CheckAuth, Duration: dur(a)}
	switch {
	case a.Accepted():
		res.Status = Pass
		res.Title = fmt.Sprintf("The API accepts %s (HTTP %d, %s)", k.Hint, a.Status, plural(len(a.ModelIDs), "model", "models")+" listed")
	case a.Err != nil && a.Err.Phase == "invalid_header":
		res.Status = Fail
		res.Title = "The key cannot be sent as it is: " + a.Err.Message
	case a.Err != nil:
		res.Status = Error
		res.Title = "No answer from the API: " + answerWords(a)
		res.Fix = "This is a network problem, not a verdict on the key."
	case !a.Anthropic:
		res.Status = Error
		res.Title = fmt.Sprintf("HTTP %d, but not from the Anthropic API", a.Status)
	case a.Class() == ClassMissing:
		res.Status = Fail
		res.Title = fmt.Sprintf("No key arrived: 401 %s %q, although %s was sent in %s", a.ErrorType, a.Message, k.Hint, creds.HeaderName(r.KeyHeader()))
	case a.Status == 401:
		res.Status = Fail
		res.Title = fmt.Sprintf("The API rejects %s: 401 %s %q", k.Hint, a.ErrorType, a.Message)
	default:
		res.Status = Fail
		res.Title = fmt.Sprintf("The API answered %d %s %q", a.Status, a.ErrorType, a.Message)
	}
	if a.RequestID != "" {
		res.Detail = "request-id " + a.RequestID
	}
	return res
}

// checkHeader compares the key in use sent as the client sends it with the
// same key sent the other way (x-api-key vs Authorization: Bearer).
func (r *Report) checkHeader() Result {
	k := r.ActiveKey()
	if !r.Done[ProbeAuth] || !r.Done[ProbeAlt] {
		return pending(CheckHeader, "Sending the key both ways, x-api-key and Authorization: Bearer…")
	}
	mine, other := WireWords(r.Client.HeaderFor(k)), WireWords(r.Client.AltHeader(k))
	a, b := r.Auth, r.AltAuth
	res := Result{ID: CheckHeader, Duration: max(dur(a), dur(b))}
	switch {
	case a == nil || b == nil:
		res.Status = Skip
		res.Title = "Could not compare the two ways of sending the key"
	case a.Err != nil || b.Err != nil || !a.Anthropic || !b.Anthropic:
		res.Status = Skip
		res.Title = "Could not compare the two ways of sending the key: " + answerWords(b)
	case a.Accepted() && b.Accepted():
		res.Status = Pass
		res.Title = fmt.Sprintf("The key works sent either way: %s and %s both arrive", mine, other)
	case b.Accepted():
		res.Status = Fail
		res.Title = fmt.Sprintf("Sent as %s, the key fails (%d %s); sent as %s, it works: %s does not arrive intact",
			mine, a.Status, a.ErrorType, other, creds.HeaderName(r.Client.HeaderFor(k)))
		res.Fix = fmt.Sprintf("Something between you and the API drops or rewrites %s, which your client sends.", creds.HeaderName(r.Client.HeaderFor(k)))
	case a.Accepted():
		res.Status = Warn
		res.Title = fmt.Sprintf("Your client's way (%s) works; sent as %s the same key fails (%d %s)", mine, other, b.Status, b.ErrorType)
		res.Detail = fmt.Sprintf("Something on the way drops %s: a client that sends it (%s) would get 401 here.",
			creds.HeaderName(r.Client.AltHeader(k)), clientsSending(r.Client.AltHeader(k)))
	case a.Status == b.Status && a.ErrorType == b.ErrorType:
		res.Status = Pass
		res.Title = "The header is not the problem: the key gets the same answer sent either way"
	default:
		res.Status = Skip
		res.Title = fmt.Sprintf("Both ways fail, differently: %s gets %d %s, %s gets %d %s",
			mine, a.Status, a.ErrorType, other, b.Status, b.ErrorType)
	}
	return res
}

// clientsSending names the client lines that send an API key in h.
func clientsSending(h string) string {
	var names []string
	for _, c := range creds.All() {
		if c.KeyHeader == h && c.ID != "curl" {
			names = append(names, c.Name)
		}
	}
	return strings.Join(names, ", ")
}

func (r *Report) checkControl() Result {
	if r.Insecure() {
		return Result{ID: CheckControl, Status: Skip, Title: "Made-up key not sent: the base URL is insecure"}
	}
	if !r.Done[ProbeControl] {
		return pending(CheckControl, "Sending a made-up key as a control…")
	}
	a := r.Control
	res := Result{ID: CheckControl, Duration: dur(a)}
	switch {
	case a.Err != nil:
		res.Status = Error
		res.Title = "The made-up key got no answer: " + answerWords(a)
	case !a.Anthropic:
		res.Status = Fail
		res.Title = fmt.Sprintf("A made-up key got HTTP %d from something that is not the API", a.Status)
	case MissingCredential(a):
		h := creds.HeaderName(cmp.Or(r.Client.KeyHeader, creds.HeaderAPIKey))
		res.Status = Fail
		res.Title = "A made-up key was reported as missing: the " + h + " header does not arrive"
		res.Fix = "A proxy or gateway between you and the API drops the " + h + " header."
	case a.Anthropic && a.Status == 401 && a.ErrorType == "authentication_error":
		res.Status = Pass
		res.Title = "A made-up key gets a clean 401 authentication_error: the endpoint checks keys"
	case a.Accepted():
		res.Status = Fail
		res.Title = "A made-up key was accepted: whatever answers does not check keys"
		res.Fix = "The base URL points at a gateway or mock; point it at https://api.anthropic.com."
	default:
		res.Status = Fail
		res.Title = fmt.Sprintf("A made-up key got HTTP %d %s instead of a clean 401", a.Status, a.ErrorType)
	}
	return res
}

func (r *Report) checkCandidates() Result {
	others := r.otherKeys()
	active := r.ActiveKey()
	if len(others) == 0 {
		if active == nil {
			return Result{ID: CheckCandidates, Status: Skip, Title: "No keys found to test"}
		}
		return Result{ID: CheckCandidates, Status: Skip, Title: "No other keys to test"}
	}
	if !r.Done[ProbeOthers] {
		return pending(CheckCandidates, fmt.Sprintf("Testing %s…", plural(len(others), "other key", "other keys")))
	}
	var good, lines []string
	var slow time.Duration
	for _, o := range r.Others {
		c := r.Candidates[o.Index]
		slow = max(slow, dur(o.Answer))
		verdict := answerWords(o.Answer)
		if o.Answer.Accepted() {
			verdict = "accepted"
			if o.Answer.OrgID != "" {
				verdict += ", organization " + o.Answer.OrgID
			}
			good = append(good, c.Source)
		} else if o.Answer != nil && o.Answer.Status == 401 {
			verdict = "rejected (401)"
		}
		lines = append(lines, fmt.Sprintf("%s  %s: %s", c.Hint, c.Source, verdict))
	}
	if orgs := r.orgSentence(); orgs != "" {
		lines = append(lines, orgs)
	}
	res := Result{ID: CheckCandidates, Duration: slow, Detail: strings.Join(lines, "\n")}
	switch {
	case len(good) > 0 && active == nil:
		// No key is in use to fail: a key that works only needs loading.
		res.Status = Pass
		res.Title = "None is loaded here, but the API accepts the key in " + strings.Join(good, ", ")
	case active == nil:
		res.Status = Warn
		res.Title = fmt.Sprintf("None is loaded here, and the API accepts none of the %d keys found", len(r.Others))
		res.Fix = "Remove stale keys so they cannot shadow a good one later."
	case len(good) > 0 && !r.Auth.Accepted():
		res.Status = Fail
		res.Title = "The key in use fails, but another key works: " + strings.Join(good, ", ")
	case len(good) > 0:
		res.Status = Pass
		res.Title = fmt.Sprintf("Other keys tested: %d of %d accepted", len(good), len(r.Others))
	default:
		res.Status = Warn
		res.Title = fmt.Sprintf("Other keys tested: none of %d accepted", len(r.Others))
		res.Fix = "Remove stale keys so they cannot shadow a good one later."
	}
	return res
}

func (r *Report) checkPermissions() Result {
	if !r.Testable() || r.Insecure() {
		return Result{ID: CheckPermissions, Status: Skip, Title: "Permissions: no key to test"}
	}
	if !r.Done[ProbeAuth] || !r.Done[ProbeQuota] {
		return pending(CheckPermissions, "Checking permissions and organization…")
	}
	for _, a := range []*Answer{r.Auth, r.Quota} {
		res := Result{ID: CheckPermissions, Status: Fail, Duration: dur(a)}
		switch a.Class() {
		case ClassIPNotAllowed:
			res.Title = fmt.Sprintf("IP allowlist: 403 %q", a.Message)
		case ClassOAuthOff:
			res.Title = fmt.Sprintf("OAuth access is off for this organization: 403 %q", a.Message)
		case ClassPermission:
			res.Title = fmt.Sprintf("Permission denied: 403 %s %q", a.ErrorType, a.Message)
		case ClassOrgDisabled:
			res.Title = "The organization is disabled: " + a.Message
		case ClassWorkspace:
			res.Title = fmt.Sprintf("Workspace: %d %q", a.Status, a.Message)
		case ClassCodeOnly:
			res.Title = fmt.Sprintf("Claude Code only: %d %q", a.Status, a.Message)
		default:
			continue
		}
		return res
	}
	if r.Auth.Accepted() {
		return Result{ID: CheckPermissions, Status: Pass, Title: "Permissions: the key may list models", Duration: dur(r.Auth)}
	}
	return Result{ID: CheckPermissions, Status: Skip, Title: "Permissions: not known until the key is accepted"}
}

func (r *Report) checkQuota() Result {
	if !r.Testable() || r.Insecure() {
		return Result{ID: CheckQuota, Status: Skip, Title: "Quota: no key to test"}
	}
	if !r.Done[ProbeQuota] {
		return pending(CheckQuota, "Counting tokens to check billing and rate limits…")
	}
	a := r.Quota
	res := Result{ID: CheckQuota, Duration: dur(a)}
	switch {
	case a.Accepted():
		res.Status = Pass
		res.Title = "Quota: count_tokens works (no billing or rate-limit block)"
	case a.Err != nil && a.Err.Phase == PhaseInvalidHeader:
		res.Status = Skip
		res.Title = "Quota: not known until the key can be sent"
	case a.Err != nil:
		res.Status = Error
		res.Title = "Quota: no answer: " + answerWords(a)
	case a.Class() == ClassCreditLow || a.Class() == ClassBilling:
		res.Status = Fail
		res.Title = fmt.Sprintf("Billing: %d %s %q", a.Status, a.ErrorType, a.Message)
	case a.Class() == ClassSpendLimit:
		res.Status = Fail
		res.Title = fmt.Sprintf("Spend limit reached: %d %q", a.Status, a.Message)
	case a.Class() == ClassRateLimited:
		res.Status = Warn
		res.Title = "Rate limited: 429 " + a.Message
		if a.RetryAfter != "" {
			res.Title += " (retry after " + a.RetryAfter + "s)"
		} else {
			res.Detail = "No retry-after: this may be a spend limit, not a short burst."
		}
	case a.Class() == ClassService:
		res.Status = Warn
		res.Title = fmt.Sprintf("Quota: the API is failing (%d %s)", a.Status, a.ErrorType)
	case !a.Anthropic:
		res.Status = Skip
		res.Title = "Quota: not known: the answer did not come from the API"
	case a.Class().Refused() && r.Auth.Accepted():
		// The key passed GET /v1/models, yet the API refused this: never
		// let that read as "not known".
		res.Status = Fail
		res.Title = fmt.Sprintf("count_tokens was refused: %d %s %q", a.Status, a.ErrorType, a.Message)
	default:
		res.Status = Skip
		res.Title = "Quota: not known (" + answerWords(a) + ")"
	}
	return res
}

func (r *Report) checkModel() Result {
	switch {
	case r.Target.Model == "" || !r.Testable() || r.Insecure():
		return Result{ID: CheckModel, Status: Skip, Title: "Model: not checked (pass --model to check yours)"}
	case !r.Done[ProbeModel]:
		return pending(CheckModel, "Looking up "+r.Target.Model+"…")
	}
	a := r.Model
	res := Result{ID: CheckModel, Duration: dur(a)}
	switch {
	case a.Accepted():
		res.Status = Pass
		res.Title = "Model: " + r.Target.Model + " is available to this key"
	case a.Status == 404:
		res.Status = Fail
		res.Title = fmt.Sprintf("Model: %s does not exist for this key (%s)", r.Target.Model, a.Message)
		res.Fix = "Use a current model id; `GET /v1/models` lists what this key can use."
	default:
		res.Status = Skip
		res.Title = "Model: not known: " + answerWords(a)
	}
	return res
}

func (r *Report) checkStatusPage() Result {
	if !r.Done[ProbeStatus] {
		return pending(CheckStatusPage, "Reading the status page…")
	}
	s := r.Status
	res := Result{ID: CheckStatusPage}
	if s != nil && s.Answer != nil && s.Answer.Err != nil && s.Answer.Err.Phase == PhaseBadURL {
		return Result{ID: CheckStatusPage, Status: Skip, Title: "Status page: not read (fix the URL first)"}
	}
	if s == nil || s.Answer == nil || !s.Answer.OK() || s.Indicator == "" {
		res.Status = Error
		res.Title = "Status page: could not be read"
		if s != nil && s.Answer != nil {
			res.Title += ": " + answerWords(s.Answer)
			res.Duration = s.Answer.Duration
		}
		return res
	}
	res.Duration = s.Answer.Duration
	comp := s.APIStatus
	if comp == "" {
		comp = "unknown"
	}
	switch {
	case s.Indicator == "none" && (comp == "operational" || comp == "unknown"):
		res.Status = Pass
		res.Title = "Status page: all systems operational"
	case comp == "major_outage" || comp == "partial_outage" || s.Indicator == "major" || s.Indicator == "critical":
		res.Status = Fail
		res.Title = fmt.Sprintf("Status page: %s (API: %s)", s.Description, strings.ReplaceAll(comp, "_", " "))
		res.Fix = "Wait for the incident to end before changing keys."
	default:
		res.Status = Warn
		res.Title = fmt.Sprintf("Status page: %s (API: %s)", s.Description, strings.ReplaceAll(comp, "_", " "))
	}
	if len(s.Incidents) > 0 {
		res.Detail = "Open: " + strings.Join(s.Incidents, "; ")
	}
	return res
}

// proxyNames names the proxy variables in use, or "the proxy settings".
func proxyNames(ps []ProxyVar) string {
	if len(ps) == 0 {
		return "the proxy settings"
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

func dur(a *Answer) time.Duration {
	if a == nil {
		return 0
	}
	return a.Duration
}

// answerWords says in a few words what came back.
func answerWords(a *Answer) string {
	switch {
	case a == nil:
		return "no request made"
	case a.Err != nil:
		return PhaseWords(a.Err.Phase)
	case a.ErrorType != "":
		return fmt.Sprintf("HTTP %d %s", a.Status, a.ErrorType)
	}
	return fmt.Sprintf("HTTP %d", a.Status)
}

// PhaseWords names a transport failure (NetError.Phase) in words, for
// people: never the code itself.
func PhaseWords(phase string) string {
	switch phase {
	case PhaseDNS:
		return "the host name does not resolve"
	case PhaseTCP:
		return "the connection failed"
	case PhaseTimeout:
		return "timed out"
	case PhaseTLSUntrusted:
		return "the certificate is not trusted"
	case PhaseTLS:
		return "the TLS handshake failed"
	case PhaseProxy:
		return "the proxy failed"
	case PhaseInvalidHeader:
		return "the key cannot be sent as a header"
	case PhaseCanceled:
		return "canceled"
	case PhaseInsecure:
		return "not sent over plain HTTP"
	case PhaseBadURL:
		return "the URL is not valid"
	}
	return "no answer"
}

func serverWords(a *Answer) string {
	if a.Server == "" {
		return ""
	}
	return ", server " + a.Server
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown issuer"
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// ProviderKey names another provider's credential with its article, for a
// sentence: "an OpenAI key", "a JSON Web Token (JWT)", "a claude.ai key (a
// browser session cookie, not an API key)"; "another provider's key" when
// the provider is unknown.
func ProviderKey(provider string) string {
	p := strings.TrimSpace(provider)
	switch {
	case p == "":
		return "another provider's key"
	case strings.HasPrefix(p, "a ") || strings.HasPrefix(p, "an "):
		// Already a phrase; the sentence says "not an API key" itself.
		p, _, _ = strings.Cut(p, ", not ")
		return p
	case strings.Contains(p, " or "):
		return "a key of " + p
	}
	name, note, paren := strings.Cut(p, " (")
	out := name + " key"
	if strings.ContainsRune("AEIOUaeioux", rune(name[0])) {
		out = "an " + out
	} else {
		out = "a " + out
	}
	if paren {
		out += " (" + note
	}
	return out
}
