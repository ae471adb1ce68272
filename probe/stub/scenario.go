package stub

// Scenario is one named behaviour of the stub.
type Scenario struct {
	Name        string
	Description string
}

// Scenario names.
const (
	Healthy         = "healthy"
	Revoked         = "revoked"
	Forbidden       = "forbidden"
	OrgDisabled     = "org-disabled"
	Billing         = "billing"
	Billing402      = "billing-402"
	RateLimited     = "rate-limited"
	SpendLimit      = "spend-limit"
	TierCap         = "tier-cap"
	Overloaded      = "overloaded"
	ServerError     = "server-error"
	Outage          = "outage"
	NotAnthropic    = "not-anthropic"
	HeaderStripped  = "header-stripped"
	XAPIKeyStripped = "x-api-key-stripped"
	Redirect        = "redirect"
	ProxyAuth       = "proxy-auth"
	OpenAI          = "openai"
	RegionBlocked   = "region-blocked"
	CORSBlocked     = "cors-blocked"
	IPNotAllowed    = "ip-not-allowed"
	WorkspaceNeeded = "workspace-required"
	CodeOnly        = "claude-code-only"
	KeyDisabled     = "key-disabled"
	KeyExpired      = "key-expired"
	KeyArchived     = "key-archived"
	KeyExpiring     = "key-expiring"
	// FederationRejected refuses every assertion at /v1/oauth/token.
	FederationRejected = "federation-rejected"
	Slow               = "slow"
	Hang               = "hang"
)

var scenarios = []Scenario{
	{Healthy, "accepts any well-formed, random-looking API key (or only Options.ValidKeys), as x-api-key or Bearer"},
	{Revoked, "401 authentication_error \"invalid x-api-key\" (\"Invalid bearer token\" as Bearer) for every key, on every path"},
	{Forbidden, "accepted keys get 403 permission_error"},
	{OrgDisabled, "accepted keys get 400 \"This organization has been disabled.\""},
	{Billing, "models list works; count_tokens and messages get 400 credit balance too low"},
	{Billing402, "models list works; count_tokens and messages get 402 billing_error"},
	{RateLimited, "accepted keys get 429 rate_limit_error with retry-after"},
	{SpendLimit, "models list works; count_tokens and messages get 400 \"You have reached your specified API usage limits\" (the org's own limit)"},
	{TierCap, "accepted keys get 429 rate_limit_error with no retry-after: the usage tier's monthly cap"},
	{Overloaded, "accepted keys get 529 overloaded_error"},
	{ServerError, "accepted keys get 500 api_error"},
	{Outage, "every API call gets 500 or 529, and the status page reports a major outage"},
	{NotAnthropic, "an HTML captive-portal page answers every API path, with no request-id"},
	{HeaderStripped, "a gateway drops the Authorization header: Bearer clients get 401 \"x-api-key header is required\", x-api-key clients work"},
	{XAPIKeyStripped, "a gateway drops the x-api-key header: x-api-key clients get 401 \"x-api-key header is required\", Bearer clients work"},
	{Redirect, "every API path redirects (301/307) to another host, with no request-id"},
	{ProxyAuth, "a proxy answers 407 Proxy Authentication Required"},
	{OpenAI, "an OpenAI-shaped 401 invalid_api_key answers, as from a gateway or the wrong base URL"},
	{RegionBlocked, "Cloudflare answers 403 forbidden \"Request not allowed\", with no request-id"},
	{CORSBlocked, "browser requests from accepted keys get 401: CORS not allowed for this organization"},
	{IPNotAllowed, "accepted keys get 403 permission_error: the caller's IP is not on the organization's allowlist"},
	{WorkspaceNeeded, "API keys are identity-linked: 400 without anthropic-workspace-id, 400 for a malformed one, 404 for any but wrkspc_01StubWorkspace"},
	{CodeOnly, "models list works; count_tokens and messages refuse OAuth tokens as Claude-Code-only (400)"},
	{KeyDisabled, "every API key gets 401: it was disabled in the Console; the Admin API lists the keys the stub knows (or has seen) as inactive"},
	{KeyExpired, "every API key gets 401: the Admin API lists the keys the stub knows (or has seen) as expired yesterday"},
	{KeyArchived, "every API key gets 401: the Admin API lists the keys the stub knows (or has seen) as archived, with their workspace \"Prototypes\", archived yesterday"},
	{KeyExpiring, "keys work, but the Admin API lists the keys the stub knows (or has seen) as expiring in 3 days"},
	{FederationRejected, "POST /v1/oauth/token refuses every identity token with the opaque 401 \"Authentication failed\" (the rule does not match)"},
	{Slow, "normal answers, each after Options.Latency (2s when unset)"},
	{Hang, "API paths never answer until the client gives up"},
}

// Scenarios returns every scenario in a stable order, healthy first.
func Scenarios() []Scenario {
	return append([]Scenario(nil), scenarios...)
}

// Lookup returns the scenario called name.
func Lookup(name string) (Scenario, bool) {
	for _, s := range scenarios {
		if s.Name == name {
			return s, true
		}
	}
	return Scenario{}, false
}
