package probe

import (
	"strings"
	"time"
)

// NetError is a transport failure, told apart by phase so a timeout or a
// TLS problem is never mistaken for a rejected key.
type NetError struct {
	Phase   string // dns, tcp, tls, tls_untrusted, timeout, proxy, canceled, other
	Message string // sanitized
	Issuer  string // for tls_untrusted: the certificate's issuer
}

// Answer is one HTTP exchange as recorded: what was asked and what came
// back. It holds no secret: the key is never part of it.
type Answer struct {
	Label  string // what the request was for: auth, control, quota, model, candidate, clean, status
	Method string
	URL    string
	Time   time.Time

	Status      int
	ErrorType   string // error.type of the envelope
	Message     string // error.message, sanitized
	RequestID   string // request-id header or body request_id
	OrgID       string // anthropic-organization-id: the organization the credential belongs to
	WorkspaceID string // anthropic-workspace-id, when the API names the workspace
	Ray         string // cf-ray: Cloudflare's id, its suffix the data centre (…-HKG)
	RetryAfter  string
	ShouldRetry string            // x-should-retry
	RateLimit   map[string]string // anthropic-ratelimit-* headers
	ContentType string
	Server      string
	Location    string // a redirect's target (never followed)

	// Shape is what the body looked like: anthropic (the API's JSON or error
	// envelope), html, text, openai, json (other JSON), empty.
	Shape     string
	Anthropic bool // the Anthropic API answered (request-id or its envelope)

	ModelIDs    []string // GET /v1/models: the ids listed
	InputTokens int      // count_tokens

	Attempts int // 1 + retries made
	Duration time.Duration
	Err      *NetError // the request got no HTTP answer
}

// OK reports whether the exchange returned 2xx.
func (a *Answer) OK() bool { return a != nil && a.Err == nil && a.Status >= 200 && a.Status < 300 }

// Accepted reports whether the Anthropic API itself answered 2xx: the key
// worked. A 200 from a proxy page or a mock is OK but not Accepted.
func (a *Answer) Accepted() bool { return a.OK() && a.Anthropic }

// NetResult is the connection to the API host: DNS, TCP, TLS, with timings.
type NetResult struct {
	Host      string
	Addrs     []string
	Proxy     string // proxy URL in use for the base URL, credentials removed
	DNS       time.Duration
	TCP       time.Duration
	TLS       time.Duration
	TLSIssuer string
	TLSVer    string
	Err       *NetError
}

// ProxyVar is one proxy variable, by name, with its URL's credentials removed.
type ProxyVar struct {
	Name  string
	Value string
}

// EnvFacts are the variables that change how SDKs authenticate. Values of
// secrets are never kept here, only names and sanitized forms.
type EnvFacts struct {
	BaseURLVar string // ANTHROPIC_BASE_URL, sanitized; empty when unset
	AuthToken  bool   // ANTHROPIC_AUTH_TOKEN is set and non-empty
	// EmptyVars are the credential variables exported with an empty value
	// (Claude Code's shell exports ANTHROPIC_API_KEY and ANTHROPIC_AUTH_TOKEN
	// empty): some clients send them as they are.
	EmptyVars []string
	// InClaudeCode: CLAUDECODE is set, so this shell was started by Claude
	// Code, which exports the credential variables empty.
	InClaudeCode  bool
	CustomHeaders []string // header names in ANTHROPIC_CUSTOM_HEADERS
	// CustomHeadersFrom is the .env file and line ANTHROPIC_CUSTOM_HEADERS
	// comes from when the environment does not set it; empty for env.
	CustomHeadersFrom string
	Proxies           []ProxyVar
	NoProxy           string
	OAuthToken        bool // CLAUDE_CODE_OAUTH_TOKEN is set
}

// StatusPage is what the Statuspage summary said.
type StatusPage struct {
	Indicator   string // none, minor, major, critical
	Description string
	Component   string // the API component's name
	APIStatus   string // operational, degraded_performance, partial_outage, major_outage, under_maintenance
	Incidents   []string
	Answer      *Answer
}

// CandidateAnswer is the auth answer for one other discovered key.
type CandidateAnswer struct {
	Index  int // into Report.Candidates
	Answer *Answer
}

// Target is what was probed.
type Target struct {
	BaseURL       string
	BaseURLSource string // flag, env:ANTHROPIC_BASE_URL, default, or SourceDemo
	StatusURL     string
	Model         string // --model; empty when not asked
}

// SourceDemo is the BaseURLSource of a simulated environment (fix401 demo),
// where the built-in stub stands in for the API.
const SourceDemo = "demo"

// Report is everything one run measured. Probes fill it part by part; the
// steps package reads it.
type Report struct {
	StartedAt time.Time
	Zone      string
	Target    Target
	Env       EnvFacts

	// SDKs are the Anthropic SDKs the project names; Client is the client
	// whose requests the probes reproduce.
	SDKs   []SDK
	Client ClientInfo

	Candidates []Candidate
	Active     int         // index of the key in use, -1 when there is none
	FileNotes  []FileNote  // files discovery skipped, read in part, or read despite their encoding
	Profile    *Profile    // the SDK profile the SDKs would load; nil without a config directory
	Federation *Federation // Workload Identity Federation; nil when not configured
	Claude     *ClaudeCode // Claude Code's stores; nil unless Claude Code is the client
	// Exchange is POST /v1/oauth/token when the federation token is the
	// credential in use; Auth and Quota are then the minted token's.
	Exchange *Answer

	Net       *NetResult
	Auth      *Answer           // GET /v1/models with the key in use, sent as the client sends it
	AltAuth   *Answer           // the same, with the key in the other header (x-api-key vs Bearer)
	CleanAuth *Answer           // the same with the cleaned key, when hygiene failed
	Others    []CandidateAnswer // every other distinct candidate
	Control   *Answer           // a well-formed invalid key: must be a clean 401
	Quota     *Answer           // POST /v1/messages/count_tokens
	Model     *Answer           // GET /v1/models/{id}, with --model
	Status    *StatusPage

	Lint []LintResult // the user's own request code, with check --lint

	// Provider is where Claude Code sends its requests when a
	// CLAUDE_CODE_USE_* flag is set anywhere; nil when none is.
	Provider *Routing

	// AdminKey says where the Admin key came from, nil without one; Lookup
	// is what the Admin API said about the keys found (nil until asked).
	AdminKey *AdminKeyInfo
	Lookup   *KeyLookup

	// CI is the CI run fix401 is part of (GitHub Actions, GitLab CI); nil
	// outside CI.
	CI *CI

	Done map[string]bool // which probes have finished: net, auth, alt, clean, others, control, quota, model, admin, status

	urlSecrets []string // the passwords of the base and proxy URLs (Prepare)
}

// Secrets lists every secret the run knows, for a Redactor: each
// candidate's value in every form, a profile's refresh token, the
// federation identity token and a minted token, the cloud providers' secrets
// (AWS keys and tokens, the Foundry key, ADC and SSO secrets), and the passwords of the
// base, status and proxy URLs. The text of a reference nobody resolved (op://…, ${VAR},
// an apiKeyHelper command) is not a secret, was sent nowhere and is left
// out, unless a key is written inside it.
func (r *Report) Secrets() []string {
	if r == nil {
		return nil
	}
	var out []string
	for _, c := range r.Candidates {
		out = append(out, c.Value, c.Clean)
		if c.Value != "" || strings.Contains(c.Raw, "sk-ant-") {
			out = append(out, c.Raw)
		}
	}
	if p := r.Profile; p != nil {
		out = append(out, p.refresh)
	}
	if f := r.Federation; f != nil {
		out = append(out, f.assertion, f.minted)
	}
	if r.Provider != nil {
		out = append(out, r.Provider.secrets...)
	}
	out = append(out, r.Claude.secrets()...)
	return append(out, r.urlSecrets...)
}

// ActiveKey returns the key in use, or nil.
func (r *Report) ActiveKey() *Candidate {
	if r == nil || r.Active < 0 || r.Active >= len(r.Candidates) {
		return nil
	}
	return &r.Candidates[r.Active]
}

// Requests lists every HTTP exchange made, in a stable order.
func (r *Report) Requests() []*Answer {
	var out []*Answer
	add := func(a *Answer) {
		if a != nil {
			out = append(out, a)
		}
	}
	add(r.Exchange)
	add(r.Auth)
	add(r.AltAuth)
	add(r.CleanAuth)
	for _, o := range r.Others {
		add(o.Answer)
	}
	add(r.Control)
	add(r.Quota)
	add(r.Model)
	if r.Lookup != nil {
		for _, a := range r.Lookup.Answers {
			add(a)
		}
	}
	if r.Status != nil {
		add(r.Status.Answer)
	}
	return out
}

// Part is one probe's finished measurement, applied to a Report. The wizard
// applies parts in its Update as they arrive; Run applies them all.
type Part func(*Report)
