package probe

import "strings"

// Class is what an answer means, decided once from its status, error type
// and message (API-FACTS.md: the same status means different fixes). probe
// sorts answers; steps turns a class into a diagnosis and advice.
type Class string

// Answer classes.
const (
	ClassNone          Class = ""                   // no HTTP answer at all (see Answer.Err)
	ClassAccepted      Class = "accepted"           // 2xx from the Anthropic API
	ClassNotAPI        Class = "not_api"            // something else answered: a portal, a gateway, a redirect
	ClassRegionBlocked Class = "region_blocked"     // Cloudflare's 403 "Request not allowed", without the API's envelope
	ClassMissing       Class = "missing_credential" // 401: no credential arrived ("x-api-key header is required")
	ClassInvalid       Class = "invalid_credential" // 401: the credential is not valid (invalid, revoked, expired, archived)
	ClassTokenExpired  Class = "token_expired"      // 401: "OAuth token has expired"
	ClassCORS          Class = "cors"               // 401: a browser request the organization does not allow
	ClassIPNotAllowed  Class = "ip_not_allowed"     // 403: the caller's IP is not on the organization's allowlist
	ClassOAuthOff      Class = "oauth_not_allowed"  // 403: the organization turned OAuth (subscription) access off
	ClassPermission    Class = "permission"         // 403 permission_error, any other
	ClassCodeOnly      Class = "claude_code_only"   // 400: a subscription credential used outside Claude Code
	ClassWorkspace     Class = "workspace"          // 400/404: anthropic-workspace-id missing, malformed or unknown
	ClassOrgDisabled   Class = "org_disabled"       // 400: "This organization has been disabled."
	ClassSpendLimit    Class = "spend_limit"        // 400: the organization's own spend limit is reached
	ClassCreditLow     Class = "credit_low"         // 400: the prepaid credit balance is too low
	ClassBilling       Class = "billing"            // 402 billing_error
	ClassRateLimited   Class = "rate_limited"       // 429
	ClassService       Class = "service"            // 5xx, 529
	ClassNotFound      Class = "not_found"          // 404 not_found_error (a model, a path)
	ClassRefused       Class = "refused"            // any other 4xx from the API
)

// Class sorts the answer. It is a pure function of the answer's fields, so
// an Answer built by hand (a test fixture) is sorted like a measured one.
func (a *Answer) Class() Class {
	if a == nil || a.Err != nil || a.Status == 0 {
		return ClassNone
	}
	msg := strings.ToLower(a.Message)
	if a.Status == 403 && !a.Anthropic && a.ErrorType == "forbidden" && strings.Contains(msg, "request not allowed") {
		return ClassRegionBlocked
	}
	if !a.Anthropic {
		return ClassNotAPI
	}
	switch {
	case a.Status >= 200 && a.Status < 300:
		return ClassAccepted
	case a.Status == 401 && strings.Contains(msg, "header is required"):
		return ClassMissing
	case a.Status == 401 && strings.Contains(msg, "oauth token has expired"):
		return ClassTokenExpired
	case a.Status == 401 && strings.Contains(msg, "cors requests"):
		return ClassCORS
	case a.Status == 401:
		return ClassInvalid
	case a.Status == 403 && strings.Contains(msg, "ip address"):
		return ClassIPNotAllowed
	case a.Status == 403 && strings.Contains(msg, "oauth authentication is currently not allowed"):
		return ClassOAuthOff
	case a.Status == 403:
		return ClassPermission
	case strings.Contains(msg, "only authorized for use with claude code"):
		return ClassCodeOnly
	case strings.Contains(msg, "anthropic-workspace-id") || (a.Status == 404 && strings.HasPrefix(msg, "workspace ")):
		return ClassWorkspace
	case strings.Contains(msg, "organization has been disabled"):
		return ClassOrgDisabled
	case strings.Contains(msg, "specified api usage limits"):
		return ClassSpendLimit
	case strings.Contains(msg, "credit balance"):
		return ClassCreditLow
	case a.Status == 402 || a.ErrorType == "billing_error":
		return ClassBilling
	case a.Status == 429:
		return ClassRateLimited
	case a.Status >= 500:
		return ClassService
	case a.Status == 404:
		return ClassNotFound
	}
	return ClassRefused
}

// Refused reports whether the API itself (or its edge) refused the
// request: any answer that is not accepted and not a transport failure or
// a stranger's answer.
func (c Class) Refused() bool {
	return c != ClassNone && c != ClassAccepted && c != ClassNotAPI
}
