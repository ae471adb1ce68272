package steps

import (
	"time"

	"github.com/fix401/fix401/probe"
)

// JSON is `fix401 check --json`, schema 1 (DESIGN.md). Field names and
// meanings are a contract for scripts: add, never rename.
type JSON struct {
	Schema    int        `json:"schema"`
	Tool      JSONTool   `json:"tool"`
	StartedAt string     `json:"started_at"`
	TimeZone  string     `json:"time_zone"`
	Target    JSONTarget `json:"target"`
	Client    JSONClient `json:"client"`
	Key       *JSONKey   `json:"key"`
	// Credentials are every credential found, with its role for the
	// client and what the API said of it.
	Credentials []JSONCredential `json:"credentials"`
	Diagnosis   JSONDiagnosis    `json:"diagnosis"`
	Checks      []JSONCheck      `json:"checks"`
	Requests    []JSONRequest    `json:"requests"`
	// CI is the CI run fix401 was part of; absent outside CI.
	CI *JSONCI `json:"ci,omitempty"`

	// Provider is where Claude Code sends its requests, when a
	// CLAUDE_CODE_USE_* flag is set anywhere (absent otherwise).
	Provider *JSONProvider `json:"provider,omitempty"`
}

// JSONTool names the tool and its version.
type JSONTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// JSONTarget is what was probed.
type JSONTarget struct {
	BaseURL   string `json:"base_url"`
	StatusURL string `json:"status_url"`
}

// JSONClient is the client whose requests the probes reproduced: name is
// what --for takes (go, python, typescript, curl), version the SDK version
// the project names (empty when none), auth_header where it puts an API
// key (x-api-key or authorization), api_version its anthropic-version, and
// from how it was chosen (project, flag, assumed).
type JSONClient struct {
	Name       string `json:"name"`
	Version    string `json:"version"`
	AuthHeader string `json:"auth_header"`
	APIVersion string `json:"api_version"`
	Label      string `json:"label"`
	From       string `json:"from"`
}

// JSONKey is the key in use, by hint only, with the organization and
// workspace the API named for it, and its record in the Admin API when an
// Admin key looked it up.
type JSONKey struct {
	Source         string         `json:"source"`
	Hint           string         `json:"hint"`
	Kind           string         `json:"kind"`
	OrganizationID string         `json:"organization_id,omitempty"`
	WorkspaceID    string         `json:"workspace_id,omitempty"`
	AdminRecord    *JSONKeyRecord `json:"admin_record,omitempty"`
}

// JSONCredential is one credential found. role: winner (the one the client
// uses), overridden (the client reads it, but something before it in its
// chain wins), unused (found, never read by the client); result: accepted,
// rejected (401, or a refused token exchange), not_received (a 401 saying
// no key arrived), refused (another refusal), expired, incomplete (a
// federation setup that cannot exchange), no_answer, not_tested. A
// federation setup is one entry of kind "federation", with no hint: its
// token is never shown.
type JSONCredential struct {
	Source         string         `json:"source"`
	Kind           string         `json:"kind"`
	Hint           string         `json:"hint"`
	Role           string         `json:"role"`
	Result         string         `json:"result"`
	OrganizationID string         `json:"organization_id,omitempty"`
	WorkspaceID    string         `json:"workspace_id,omitempty"`
	AdminRecord    *JSONKeyRecord `json:"admin_record,omitempty"`
}

// JSONDiagnosis is the one diagnosis.
type JSONDiagnosis struct {
	Code  Code   `json:"code"`
	Title string `json:"title"`
	Fix   string `json:"fix"`
	Step  StepID `json:"step"`
}

// JSONCheck is one check.
type JSONCheck struct {
	ID         string       `json:"id"`
	Step       StepID       `json:"step"`
	Status     probe.Status `json:"status"`
	Title      string       `json:"title"`
	Detail     string       `json:"detail"`
	Fix        string       `json:"fix"`
	DurationMS int64        `json:"duration_ms"`
}

// JSONRequest is one HTTP exchange. label says what it was for: auth (the
// key in use, as the client sends it), auth-alt (the same key in the other
// header), clean, candidate, control, quota, model, status.
type JSONRequest struct {
	Label     string `json:"label"`
	Method    string `json:"method"`
	URL       string `json:"url"`
	Status    int    `json:"status"`
	ErrorType string `json:"error_type"`
	Message   string `json:"message"`
	RequestID string `json:"request_id"`
}

// ToJSON builds the schema-1 document for a finished report. The caller
// marshals it and passes the text through the redactor.
func ToJSON(r *probe.Report, d Diagnosis, version string) JSON {
	j := JSON{
		Schema:    1,
		Tool:      JSONTool{Name: "fix401", Version: version},
		StartedAt: r.StartedAt.Format(time.RFC3339),
		TimeZone:  r.Zone,
		Target:    JSONTarget{BaseURL: r.Target.BaseURL, StatusURL: r.Target.StatusURL},
		Client: JSONClient{Name: r.Client.ID, Version: r.Client.SDK.Version, AuthHeader: r.Client.KeyHeader,
			APIVersion: r.Client.Version, Label: r.Client.Label(), From: r.Client.From},
		Diagnosis: JSONDiagnosis{Code: d.Code, Title: d.Title, Fix: d.Fix, Step: d.Step},
		Checks:    []JSONCheck{},
		Requests:  []JSONRequest{},
	}
	if k := r.ActiveKey(); k != nil {
		org, ws := r.Owner(r.Active)
		j.Key = &JSONKey{Source: jsonSource(k), Hint: k.Hint, Kind: string(k.Kind), OrganizationID: org, WorkspaceID: ws,
			AdminRecord: jsonRecord(r, r.Active)}
	}
	j.Credentials = jsonCredentials(r)
	j.CI = jsonCI(r)
	j.Provider = jsonProvider(r)
	for _, c := range r.Checks() {
		j.Checks = append(j.Checks, JSONCheck{ID: c.ID, Step: StepOfCheck(c.ID), Status: c.Status, Title: c.Title,
			Detail: c.Detail, Fix: c.Fix, DurationMS: c.Duration.Milliseconds()})
	}
	for _, a := range r.Requests() {
		req := JSONRequest{Label: a.Label, Method: a.Method, URL: a.URL, Status: a.Status, ErrorType: a.ErrorType, Message: a.Message, RequestID: a.RequestID}
		if a.Err != nil {
			req.ErrorType = a.Err.Phase
			req.Message = a.Err.Message
		}
		j.Requests = append(j.Requests, req)
	}
	return j
}

func jsonCredentials(r *probe.Report) []JSONCredential {
	out := []JSONCredential{}
	tested := map[int]*probe.Answer{}
	for _, o := range r.Others {
		tested[o.Index] = o.Answer
	}
	if k := r.ActiveKey(); k != nil {
		tested[r.Active] = r.Auth
		// Another place holding the very same key shares its result.
		for i := range r.Candidates {
			if _, ok := tested[i]; !ok && r.Candidates[i].Clean != "" && r.Candidates[i].Clean == k.Clean {
				tested[i] = r.Auth
			}
		}
	}
	for _, e := range r.Chain() {
		if e.Index < 0 {
			out = append(out, JSONCredential{Source: e.Source, Kind: e.Kind, Role: e.Role, Result: federationResult(r)})
			continue
		}
		c := &r.Candidates[e.Index]
		org, ws := r.Owner(e.Index)
		res := resultWord(tested[e.Index])
		if c.Origin == probe.OriginProfile && r.Profile.Expired(r.StartedAt) && res != "accepted" {
			res = "expired"
		}
		out = append(out, JSONCredential{Source: jsonSource(c), Kind: string(c.Kind), Hint: c.Hint, Role: e.Role,
			Result: res, OrganizationID: org, WorkspaceID: ws, AdminRecord: jsonRecord(r, e.Index)})
	}
	return out
}

// federationResult is what became of the federation setup, in one word:
// incomplete, expired, rejected (the exchange refused it), accepted (the
// minted token works), refused (the API refused the minted token),
// no_answer, not_tested.
func federationResult(r *probe.Report) string {
	f := r.Federation
	switch {
	case len(f.Missing) > 0 || f.TokenProblem != "":
		return "incomplete"
	case f.Expired(r.StartedAt):
		return "expired"
	case r.Exchange == nil || !r.FederationWins():
		return "not_tested"
	case r.Exchange.Err != nil:
		return "no_answer"
	case !r.Exchange.OK():
		return "rejected"
	}
	return resultWord(r.Auth)
}

// resultWord is what the API said of one credential, in one word.
func resultWord(a *probe.Answer) string {
	switch c := a.Class(); {
	case a == nil:
		return "not_tested"
	case c == probe.ClassAccepted:
		return "accepted"
	case c == probe.ClassMissing:
		return "not_received" // a gateway dropped the header: the key was never judged
	case c == probe.ClassInvalid || c == probe.ClassTokenExpired:
		return "rejected"
	case c.Refused():
		return "refused"
	}
	return "no_answer"
}

// jsonSource names a key's source the way schema 1 does: env:NAME for a
// variable, file:line for a file (as shown), stdin for a piped key.
func jsonSource(k *probe.Candidate) string {
	switch k.Origin {
	case probe.OriginEnv:
		return "env:" + k.Var
	case probe.OriginStdin:
		return "stdin"
	}
	return k.Source
}
