package stub

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// knownBetas are the anthropic-beta values the stub accepts: every value of
// the AnthropicBeta enum of anthropic-sdk-go v1.84.0 and v2.15.0 (the two
// are the same list, and include every beta those SDKs send by default),
// plus the two credential betas the SDKs set outside that enum:
// oauth-2025-04-20 (OAuth bearer tokens) and oidc-federation-2026-04-01
// (the federation token exchange). Sorted, for binary search.
var knownBetas = []string{
	"admin-user-sign-out-2026-10-08",
	"advisor-tool-2026-03-01",
	"agent-memory-2026-07-22",
	"analytics-usage-cost-2026-08-24",
	"cache-diagnosis-2026-04-07",
	"ce-claude-code-managed-settings-2026-10-06",
	"ce-plugins-2026-09-01",
	"ce-user-management-2026-07-13",
	"code-execution-2025-05-22",
	"compact-2026-01-12",
	"compact-2026-09-04",
	"computer-use-2024-10-22",
	"computer-use-2025-01-24",
	"computer-use-2025-11-24",
	"context-1m-2025-08-07",
	"context-management-2025-06-27",
	"dev-full-thinking-2025-05-14",
	"dreaming-2026-04-21",
	"efs-2026-10-01",
	"experimental-claude-tag-2026-10-21",
	"extended-cache-ttl-2025-04-11",
	"fallback-credit-2026-06-01",
	"fallback-credit-2026-07-01",
	"fast-mode-2026-02-01",
	"files-api-2025-04-14",
	"google-managed-data-controls-2026-09-01",
	"inline-tools-2026-09-15",
	"interleaved-thinking-2025-05-14",
	"managed-agents-2026-04-01",
	"mcp-client-2025-04-04",
	"mcp-client-2025-11-20",
	"mcp-client-2026-09-15",
	"mcp-tunnels-2026-06-22",
	"message-batches-2024-09-24",
	"message-threads-2026-08-12",
	"mid-conversation-output-config-2026-07-01",
	"mid-conversation-system-clear-at-2026-08-21",
	"mid-conversation-tool-changes-2026-07-01",
	"model-context-window-exceeded-2025-08-26",
	"oauth-2025-04-20",
	"oidc-federation-2026-04-01",
	"output-128k-2025-02-19",
	"output-300k-2026-03-24",
	"pdfs-2024-09-25",
	"prompt-caching-2024-07-31",
	"server-side-fallback-2026-06-01",
	"server-side-fallback-2026-07-01",
	"skills-2025-10-02",
	"spend-limit-reads-2026-09-26",
	"structured-outputs-2025-11-13",
	"task-budgets-2026-03-13",
	"telemetry-destinations-2026-08-11",
	"thinking-binding-controls-2026-08-01",
	"thinking-display-updates-2026-08-18",
	"thinking-token-count-2026-05-13",
	"token-counting-2024-11-01",
	"token-efficient-tools-2025-02-19",
	"user-profiles-2026-03-24",
	"user-profiles-2026-08-18",
	"user-profiles-2026-09-04",
	"user-profiles-billing-2026-10-01",
	"webhooks-2026-10-07",
}

const (
	oauthBeta      = "oauth-2025-04-20"
	federationBeta = "oidc-federation-2026-04-01"
)

// betas returns the anthropic-beta values of h, comma-separated lists
// flattened, blanks dropped.
func betas(h http.Header) []string {
	var out []string
	for _, v := range h.Values("Anthropic-Beta") {
		for b := range strings.SplitSeq(v, ",") {
			if b = strings.TrimSpace(b); b != "" {
				out = append(out, b)
			}
		}
	}
	return out
}

func hasBeta(h http.Header, want string) bool {
	return slices.Contains(betas(h), want)
}

// checkBetas refuses anthropic-beta values the API does not know, in its
// words: each value quoted in backticks, all of them in one message.
func checkBetas(h http.Header) *apiError {
	var unknown []string
	for _, b := range betas(h) {
		if _, known := slices.BinarySearch(knownBetas, b); !known {
			unknown = append(unknown, "`"+b+"`")
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	return &apiError{http.StatusBadRequest, "invalid_request_error", fmt.Sprintf(
		"Unexpected value(s) %s for the `anthropic-beta` header. Please consult our documentation at docs.anthropic.com or try again without the header.",
		strings.Join(unknown, ", "))}
}
