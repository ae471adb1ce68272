package steps

import (
	"strings"
	"testing"

	"github.com/fix401/fix401/probe"
)

// refusal is an answer from the API with the given class-deciding fields.
func refusal(label string, status int, typ, msg string) *probe.Answer {
	return answer(label, status, typ, msg)
}

// The refusals of API-FACTS.md's error table, exactly as the API words
// them (the date of the spend limit is an example).
var apiRefusals = []struct {
	status    int
	typ, msg  string
	code      Code
	mustTitle string
}{
	{400, "invalid_request_error", "This organization has been disabled.", OrgDisabled, "disabled"},
	{400, "invalid_request_error", "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.", Billing, "billing"},
	{400, "invalid_request_error", "You have reached your specified API usage limits. You will regain access on 2026-12-01 at 00:00 UTC.", SpendLimit, "2026-12-01 at 00:00 UTC"},
	{400, "invalid_request_error", "anthropic-workspace-id is required when authenticating with an identity-linked API key. Find your workspace ID in the Claude Console.", WorkspaceRequired, "workspace"},
	{400, "invalid_request_error", "anthropic-workspace-id header must be a valid workspace ID.", WorkspaceRequired, "not a workspace id"},
	{404, "not_found_error", "Workspace `wrkspc_01XYZ` not found.", WorkspaceRequired, "workspace"},
	{400, "invalid_request_error", "This credential is only authorized for use with Claude Code and cannot be used for other API requests.", CredentialRestricted, "Claude Code"},
	{402, "billing_error", "This organization has an unpaid balance.", Billing, "billing"},
	{403, "permission_error", "Your IP address isn't in this organization's allowed range.", IPNotAllowed, "allowlist"},
	{403, "permission_error", "OAuth authentication is currently not allowed for this organization.", CredentialRestricted, "OAuth"},
	{403, "permission_error", "Permission denied", PermissionDenied, "403"},
	{429, "rate_limit_error", "This request would exceed your organization's rate limit.", RateLimited, "429"},
	{529, "overloaded_error", "Overloaded", ServiceDegraded, "529"},
}

// TestNeverOKAfterARefusal is the invariant: whatever the API refuses of
// the requests made with the key in use — on /v1/models itself or only on
// count_tokens after /v1/models accepted it — the diagnosis is never ok,
// and each refusal gets its own code.
func TestNeverOKAfterARefusal(t *testing.T) {
	for _, tt := range apiRefusals {
		for _, where := range []string{"auth", "quota"} {
			r := healthy()
			a := refusal(where, tt.status, tt.typ, tt.msg)
			if where == "auth" {
				r.Auth, r.Quota = a, refusal("quota", tt.status, tt.typ, tt.msg)
			} else {
				r.Quota = a
			}
			d := Diagnose(r)
			if d.Code == OK {
				t.Errorf("%s refused with %d %q: diagnosis ok", where, tt.status, tt.msg)
				continue
			}
			if d.Code != tt.code || !strings.Contains(strings.ToLower(d.Title), strings.ToLower(tt.mustTitle)) {
				t.Errorf("%s refused with %d %q: %s %q, want %s mentioning %q", where, tt.status, tt.msg, d.Code, d.Title, tt.code, tt.mustTitle)
			}
			if d.Fix == "" {
				t.Errorf("%s: no fix", d.Code)
			}
		}
	}
	// A refusal nothing else explains is unexplained, naming the request,
	// never ok.
	r := healthy()
	r.Quota = refusal("quota", 400, "invalid_request_error", "Something new the API says")
	r.Quota.Method, r.Quota.URL = "POST", "https://api.anthropic.com/v1/messages/count_tokens"
	if d := Diagnose(r); d.Code != Unexplained || !strings.Contains(d.Title, "/v1/messages/count_tokens") {
		t.Errorf("unknown refusal on count_tokens: %s %q", d.Code, d.Title)
	}
}

func TestRegionBlocked(t *testing.T) {
	r := healthy()
	cf := &probe.Answer{Label: "auth", Method: "GET", URL: "https://api.anthropic.com/v1/models", Status: 403,
		ErrorType: "forbidden", Message: "Request not allowed", Shape: probe.ShapeJSON, Ray: "8f1c2a3b4c5d6e7f-HKG", Attempts: 1}
	ctl := *cf
	ctl.Label = "control"
	r.Auth, r.Control, r.Quota = cf, &ctl, cf
	d := Diagnose(r)
	if d.Code != RegionBlocked || !strings.Contains(d.Fix, "HKG") || !strings.Contains(d.Fix, "archived workspace") {
		t.Errorf("Cloudflare 403: %s %q %q", d.Code, d.Title, d.Fix)
	}
	for _, o := range d.Also {
		if o.Code == NotAnthropic || o.Code == KeyRejected {
			t.Errorf("region_blocked also says %s", o.Code)
		}
	}
	if !unjudged(RegionBlocked) || StepOfCode(RegionBlocked) != Headers {
		t.Error("region_blocked should send to the headers step: the key was never judged")
	}
}

func TestKeyUnresolved(t *testing.T) {
	for v, want := range map[string]string{
		"op://Private/Anthropic/credential": "op run",
		"${ANTHROPIC_KEY}":                  "Nothing expanded it",
		"{{ secrets.ANTHROPIC_API_KEY }}":   "template",
		"%ANTHROPIC_API_KEY%":               "setx",
	} {
		r := with(healthy(), rejected)
		k := &r.Candidates[0]
		k.Value, k.Raw = v, v
		k.Clean, k.Issues = probe.Hygiene(v)
		k.Hint, k.Kind = probe.Hint(k.Clean), probe.KindUnknown
		d := Diagnose(r)
		if d.Code != KeyUnresolved || !strings.Contains(d.Fix, want) {
			t.Errorf("%q: %s %q %q, want key_unresolved with %q", v, d.Code, d.Title, d.Fix, want)
		}
		for _, o := range d.Also {
			if o.Code == KeyRejected || o.Code == KeyMalformed {
				t.Errorf("%q: also %s, whose advice contradicts the fix", v, o.Code)
			}
		}
	}
}

// key_shadowed for any failure: a rejected key, and a key whose
// organization has no credit while a key of another organization works;
// but not when the working key bills to the same organization.
func TestShadowedByAnyFailure(t *testing.T) {
	credit := func(r *probe.Report) {
		r.Auth.OrgID = "org-a"
		r.Quota = refusal("quota", 400, "invalid_request_error", "Your credit balance is too low to access the Anthropic API.")
		r.Quota.OrgID = "org-a"
		r.Candidates = append(r.Candidates, cand(probe.OriginDotenv, ".env:1"))
		r.Others = []probe.CandidateAnswer{{Index: 1, Answer: answer("candidate", 200, "", "")}}
	}
	other := with(healthy(), credit)
	other.Others[0].Answer.OrgID = "org-b"
	if d := Diagnose(other); d.Code != KeyShadowed || !strings.Contains(d.Title, "another organization") {
		t.Errorf("no credit, other org's key works: %s %q", d.Code, d.Title)
	}
	same := with(healthy(), credit)
	same.Others[0].Answer.OrgID = "org-a"
	if d := Diagnose(same); d.Code != Billing || !strings.Contains(d.Fix, "org-a") || !strings.Contains(d.Fix, "Pro or Max") {
		t.Errorf("no credit, same org: %s %q %q, want billing naming the org and the plan", d.Code, d.Title, d.Fix)
	}
}

// A zsh user with the old key in ~/.zshrc and ~/.bashrc hears about both.
func TestShadowedNamesEveryShellFile(t *testing.T) {
	r := with(healthy(), shadowed)
	old := r.Candidates[0]
	for _, src := range []string{"~/.zshrc:41", "~/.bashrc:12"} {
		c := old
		c.Origin, c.Source = probe.OriginShell, src
		c.Line = 41
		if strings.HasSuffix(src, ":12") {
			c.Line = 12
		}
		r.Candidates = append(r.Candidates, c)
	}
	d := Diagnose(r)
	if d.Code != KeyShadowed || !strings.Contains(d.Fix, "line 41 of ~/.zshrc") || !strings.Contains(d.Fix, "line 12 of ~/.bashrc") {
		t.Errorf("%s %q", d.Code, d.Fix)
	}
}

// Every row of the table is reachable and consistent: a step, a severity,
// nothing superseding itself, and the fallback last.
func TestCodeTable(t *testing.T) {
	seen := map[Code]bool{}
	for i, r := range codeTable {
		if seen[r.Code] {
			t.Errorf("%s twice", r.Code)
		}
		seen[r.Code] = true
		if r.Step.Index() < 0 || r.Severity == "" {
			t.Errorf("%s: step %q severity %q", r.Code, r.Step, r.Severity)
		}
		if (r.Match == nil) != (r.Code == Unexplained) || (r.Code == Unexplained) != (i == len(codeTable)-1) {
			t.Errorf("%s: only the fallback, last, has no match", r.Code)
		}
		for _, c := range r.Supersedes {
			if c == r.Code || !seen[c] && row(c).Match == nil {
				t.Errorf("%s supersedes %s", r.Code, c)
			}
		}
	}
}

// A hung API names what hung: the connection was made, no answer came.
func TestHungAPINamesTheHost(t *testing.T) {
	hung := func(label string) *probe.Answer {
		return &probe.Answer{Label: label, Method: "GET", URL: "https://llm-gw.corp.example/v1/models",
			Err: &probe.NetError{Phase: "timeout", Message: "no answer from llm-gw.corp.example within 10s"}}
	}
	r := healthy()
	r.Target = probe.Target{BaseURL: "https://llm-gw.corp.example", BaseURLSource: "env:ANTHROPIC_BASE_URL"}
	r.Net = &probe.NetResult{Host: "llm-gw.corp.example", TLSVer: "TLS 1.3"}
	r.Auth, r.Control, r.Quota = hung("auth"), hung("control"), hung("quota")
	d := Diagnose(r)
	if d.Code != NetworkUnreachable || !strings.Contains(d.Title, "llm-gw.corp.example accepted the connection, then never answered") ||
		!strings.Contains(d.Fix, "gateway") {
		t.Errorf("%s %q %q", d.Code, d.Title, d.Fix)
	}
	// No connection at all stays a connection problem.
	r.Net.Err = &probe.NetError{Phase: "tcp", Message: "connection refused"}
	if d := Diagnose(r); strings.Contains(d.Title, "accepted the connection") {
		t.Errorf("no connection, yet %q", d.Title)
	}
}

// key_wrong_kind names another provider's key in plain English, whatever
// the provider's phrase looks like.
func TestWrongKindReadsAsEnglish(t *testing.T) {
	for _, p := range []string{"OpenAI", "a JSON Web Token (JWT)", "Google", ""} {
		r := with(healthy(), rejected)
		r.Candidates[0].Kind, r.Candidates[0].Provider = probe.KindOther, p
		d := Diagnose(r)
		if d.Code != KeyWrongKind || strings.Contains(d.Title, "a a ") || strings.Contains(d.Title, "key key") ||
			strings.Contains(d.Title, "a OpenAI") {
			t.Errorf("%q: %s %q", p, d.Code, d.Title)
		}
	}
}
