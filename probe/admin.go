package probe

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/fix401/fix401/probe/creds"
	"golang.org/x/net/http/httpguts"
)

// The Admin API keeps a record of every API key of an organization: its
// name, status (active, inactive, expired, archived), expiry, creator and
// workspace. A disabled, an expired and an archived key all get the same
// 401; only this record tells them apart (API-FACTS.md, Admin API). With an
// Admin key fix401 lists the organization's keys and matches the keys it
// found by their Console hint.
//
// An Admin key is a lookup credential only. It goes to the base URL, only
// with GET, only under AdminPathPrefix (adminGet is the one place that
// sends it), and it is never a key candidate: Discover leaves
// ANTHROPIC_ADMIN_API_KEY out wherever it is found.

// VarAdminKey is the variable an Admin key is kept in by convention.
const VarAdminKey = "ANTHROPIC_ADMIN_API_KEY"

// AdminPathPrefix is the only path an Admin key is ever sent to.
const AdminPathPrefix = "/v1/organizations/"

// ProbeAdmin is the probe that looks the keys found up in the Admin API.
const ProbeAdmin = "admin"

// CheckKeyRecord is the check of the Admin API's record of the key in use.
const CheckKeyRecord = "key.record"

// Statuses of a key in the Admin API.
const (
	KeyActive   = "active"
	KeyInactive = "inactive" // disabled in the Console; re-enabling it is possible
	KeyExpired  = "expired"  // past its expiry date; it cannot be reactivated
	KeyArchived = "archived" // deleted, or its workspace was archived
)

// ExpiryWarning is how long before its expiry a working key is flagged.
const ExpiryWarning = 7 * 24 * time.Hour

// Bounds of the lookup: at most MaxAdminPages pages of adminPageSize keys,
// each answer at most maxAdminBody bytes, and the workspaces of at most
// maxWorkspaceLookups keys.
const (
	MaxAdminPages       = 10
	adminPageSize       = 1000
	maxAdminBody        = 8 << 20
	maxWorkspaceLookups = 10
)

// AdminKeyInfo says where the Admin key came from. It never holds the key.
type AdminKeyInfo struct {
	Source string  // "env ANTHROPIC_ADMIN_API_KEY", or "stdin" for --admin-key-stdin
	Kind   KeyKind // KindAdmin for an Admin key (sk-ant-admin01-…)
	// Unusable says why the value cannot be sent at all (it is a reference
	// such as op://…); empty when it can.
	Unusable string
}

// AdminKey returns the Admin key for lookups and where it came from:
// env.AdminKey (--admin-key-stdin), else ANTHROPIC_ADMIN_API_KEY, cleaned
// of stray whitespace and quotes. Both are empty when there is none. The
// key is a secret: redact it like any key.
func AdminKey(env *Env) (key, source string) {
	if env == nil {
		return "", ""
	}
	if k, _ := Hygiene(env.AdminKey); k != "" {
		return k, cmp.Or(env.AdminKeySource, "stdin")
	}
	if k, _ := Hygiene(env.Vars[VarAdminKey]); k != "" {
		return k, "env " + VarAdminKey
	}
	return "", ""
}

func adminKeyInfo(env *Env) *AdminKeyInfo {
	key, src := AdminKey(env)
	if key == "" {
		return nil
	}
	info := &AdminKeyInfo{Source: src}
	info.Kind, _ = Classify(key)
	if what := Reference(key); what != "" {
		info.Unusable = "it is " + what + ", not the key itself"
	}
	return info
}

// KeyRecord is what the Admin API says about one API key.
type KeyRecord struct {
	ID        string
	Name      string
	Status    string    // active, inactive, expired, archived (as listed)
	CreatedAt time.Time // zero when not given
	ExpiresAt time.Time // zero: never expires
	CreatedBy string    // user_… or svac_…; empty when the API did not record it
	// Principal is who the key acts as: "user", "service account", or
	// empty for a workspace key.
	Principal string
	// OrgScoped: the key belongs to no single workspace.
	OrgScoped bool
	// WorkspaceID is the key's workspace; empty for the Default workspace
	// when the API leaves it out.
	WorkspaceID string
	// Workspace is what the Admin API said of that workspace; nil when it
	// was not asked or did not answer.
	Workspace *WorkspaceRecord
}

// WorkspaceRecord is what the Admin API says about a workspace.
type WorkspaceRecord struct {
	ID         string
	Name       string
	ArchivedAt time.Time // zero: not archived
}

// State is the status that decides at now: a key past its expiry date is
// expired even while the list still calls it active.
func (k KeyRecord) State(now time.Time) string {
	if k.Status == KeyActive && !k.ExpiresAt.IsZero() && !now.Before(k.ExpiresAt) {
		return KeyExpired
	}
	return k.Status
}

// ExpiresWithin reports whether the key still works at now but expires
// within d.
func (k KeyRecord) ExpiresWithin(now time.Time, d time.Duration) bool {
	return k.State(now) == KeyActive && !k.ExpiresAt.IsZero() && k.ExpiresAt.Sub(now) <= d
}

// WorkspaceArchived reports whether the key's workspace is archived, which
// archives its keys.
func (k KeyRecord) WorkspaceArchived() bool {
	return k.Workspace != nil && !k.Workspace.ArchivedAt.IsZero()
}

// KeyLookup is what the Admin API said about the keys found.
type KeyLookup struct {
	Answers []*Answer // every request made, in order: the pages, then the workspaces
	Listed  int       // keys listed on the pages read
	// Complete: every page of the list was read.
	Complete bool
	// Looked are the candidates looked up (indices into Report.Candidates),
	// one per distinct API key.
	Looked []int
	// Records are, by candidate index, the listed keys that carry that
	// candidate's hint: usually one; none for a key of another
	// organization; more when keys share a hint.
	Records map[int][]KeyRecord
	// Stop is the answer that ended the lookup before the list was read
	// (a refusal, no answer, or a page that could not be read); nil when
	// it was read to the end or to MaxAdminPages.
	Stop *Answer
	// Unreadable: Stop is a 2xx answer whose body is not a key list.
	Unreadable bool
}

// Refused reports whether the Admin API refused the Admin key itself (401
// or 403 to the first request): the lookup was skipped, and it says
// nothing about the user's keys.
func (l *KeyLookup) Refused() bool {
	if l == nil || l.Stop == nil || len(l.Answers) == 0 || l.Stop != l.Answers[0] {
		return false
	}
	a := l.Stop
	return a.Err == nil && a.Anthropic && (a.Status == http.StatusUnauthorized || a.Status == http.StatusForbidden)
}

// lookupTargets are the candidates worth a lookup, by index, with their
// hints: one per distinct API key (the key list only holds API keys; an
// Admin key or a token is never looked up as if it were one).
func (r *Report) lookupTargets() map[int]string {
	out := map[int]string{}
	for _, g := range Distinct(r.Candidates) {
		if c := r.Candidates[g[0]]; c.Kind == KindAPI {
			out[g[0]] = c.Hint
		}
	}
	return out
}

// lookupPlanned reports whether the Admin API will be asked: an Admin key
// that can be sent, a base URL it may go to, and a key to look up.
func (r *Report) lookupPlanned() bool {
	return r.AdminKey != nil && r.AdminKey.Unusable == "" && !r.Insecure() && len(r.lookupTargets()) > 0
}

// Records returns the Admin API's records of the key held by candidate i:
// none when it was not looked up or not listed.
func (r *Report) Records(i int) []KeyRecord {
	if r == nil || r.Lookup == nil || i < 0 || i >= len(r.Candidates) {
		return nil
	}
	for j, recs := range r.Lookup.Records {
		if j == i || j < len(r.Candidates) && SameKey(r.Candidates[j], r.Candidates[i]) {
			return recs
		}
	}
	return nil
}

// KeyRecordOf returns the record of the key held by candidate i when the
// list names exactly one key with its hint.
func (r *Report) KeyRecordOf(i int) (KeyRecord, bool) {
	recs := r.Records(i)
	if len(recs) != 1 {
		return KeyRecord{}, false
	}
	return recs[0], true
}

// Clock is the time the report's verdicts are judged at: when it started.
func (r *Report) Clock() time.Time {
	if r == nil || r.StartedAt.IsZero() {
		return time.Now()
	}
	return r.StartedAt
}

// adminGet sends a GET with the Admin key to path under AdminPathPrefix on
// the base URL, and nowhere else: it is the only place an Admin key leaves
// the process. Nothing of the user's client goes with it (custom headers,
// workspace id).
func (c *Client) adminGet(ctx context.Context, path, rawPath string, q url.Values, key string) (*Answer, []byte) {
	u := endpoint(c.base, path, rawPath)
	u.RawQuery = q.Encode()
	refuse := func(phase, msg string) (*Answer, []byte) {
		return &Answer{Label: "admin", Method: http.MethodGet, URL: clean(StripURLCredentials(u.String()), 500),
			Time: c.now(), Err: &NetError{Phase: phase, Message: msg}}, nil
	}
	switch {
	case !strings.HasPrefix(path, AdminPathPrefix) || strings.Contains(path, ".."):
		return refuse(PhaseOther, "not sent: an Admin key only goes to "+AdminPathPrefix)
	case !keyAllowed(c.base):
		return refuse(PhaseInsecure, "not sent: the base URL is plain HTTP to another machine, so the Admin key would cross the network unencrypted")
	case !httpguts.ValidHeaderFieldValue(key):
		return refuse(PhaseInvalidHeader, "the Admin key holds a control character, so it cannot be sent as an HTTP header")
	}
	d := *c
	d.keyHeader, d.version, d.extra = creds.HeaderAPIKey, creds.VersionLegacy, nil
	a, body := d.do(ctx, request{label: "admin", method: http.MethodGet, url: u, key: key, max: maxAdminBody})
	a.ModelIDs = nil // a key list is no model list
	return a, body
}

// apiKeyJSON is an APIKey of the Admin API, in its newest and older shapes.
type apiKeyJSON struct {
	ID             string  `json:"id"`
	Name           string  `json:"name"`
	PartialKeyHint *string `json:"partial_key_hint"`
	Status         string  `json:"status"`
	CreatedAt      string  `json:"created_at"`
	ExpiresAt      *string `json:"expires_at"`
	CreatedBy      *struct {
		ID string `json:"id"`
	} `json:"created_by"`
	Principal *struct {
		Type             string `json:"type"`
		ID               string `json:"id"`
		UserID           string `json:"user_id"`
		ServiceAccountID string `json:"service_account_id"`
	} `json:"principal"`
	Scope *struct {
		Type        string `json:"type"`
		WorkspaceID string `json:"workspace_id"`
	} `json:"scope"`
	WorkspaceID *string `json:"workspace_id"`
}

func (k apiKeyJSON) record() KeyRecord {
	rec := KeyRecord{ID: clean(k.ID, 100), Name: clean(k.Name, 200), Status: strings.ToLower(clean(k.Status, 30)),
		CreatedAt: parseTime(k.CreatedAt)}
	if k.ExpiresAt != nil {
		rec.ExpiresAt = parseTime(*k.ExpiresAt)
	}
	if k.CreatedBy != nil {
		rec.CreatedBy = clean(k.CreatedBy.ID, 100)
	}
	if p := k.Principal; p != nil {
		switch {
		case strings.HasPrefix(p.Type, "user"):
			rec.Principal = "user"
		case strings.HasPrefix(p.Type, "service_account"):
			rec.Principal = "service account"
		}
	}
	switch {
	case k.Scope != nil && k.Scope.Type == "organization":
		rec.OrgScoped = true
	case k.Scope != nil && k.Scope.WorkspaceID != "":
		rec.WorkspaceID = clean(k.Scope.WorkspaceID, 100)
	case k.WorkspaceID != nil:
		rec.WorkspaceID = clean(*k.WorkspaceID, 100)
	}
	return rec
}

func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}
	}
	return t
}

// workspaceID is the shape of an id worth asking about.
var workspaceID = regexp.MustCompile(`^wrkspc_[A-Za-z0-9]{1,64}$`)

// LookupKeys lists the organization's keys with the Admin key, page by
// page (limit 1000, after_id), and keeps the records whose
// partial_key_hint equals a hint of hints (candidate index → hint); then
// asks for the workspace of each key found. The lookup stops at the first
// refusal, failure or unreadable page: what was read by then is kept.
func (c *Client) LookupKeys(ctx context.Context, adminKey string, hints map[int]string) *KeyLookup {
	l := &KeyLookup{Records: map[int][]KeyRecord{}}
	want := map[string][]int{}
	for i, h := range hints {
		want[h] = append(want[h], i)
		l.Looked = append(l.Looked, i)
	}
	slices.Sort(l.Looked)
	after := ""
	for range MaxAdminPages {
		q := url.Values{"limit": {fmt.Sprint(adminPageSize)}}
		if after != "" {
			q.Set("after_id", after)
		}
		path := AdminPathPrefix + "api_keys"
		a, body := c.adminGet(ctx, path, path, q, adminKey)
		l.Answers = append(l.Answers, a)
		if !a.Accepted() {
			l.Stop = a
			break
		}
		var page struct {
			Data    []apiKeyJSON `json:"data"`
			HasMore bool         `json:"has_more"`
			LastID  *string      `json:"last_id"`
		}
		if err := json.Unmarshal(body, &page); err != nil || page.Data == nil {
			l.Stop, l.Unreadable = a, true
			break
		}
		for _, k := range page.Data {
			l.Listed++
			if k.PartialKeyHint == nil {
				continue
			}
			for _, i := range want[*k.PartialKeyHint] {
				l.Records[i] = append(l.Records[i], k.record())
			}
		}
		if !page.HasMore {
			l.Complete = true
			break
		}
		if page.LastID == nil || *page.LastID == "" || *page.LastID == after {
			l.Stop, l.Unreadable = a, true // a next page fix401 cannot ask for
			break
		}
		after = *page.LastID
	}
	c.lookupWorkspaces(ctx, adminKey, l)
	return l
}

// lookupWorkspaces asks for the workspace of every key found, so that an
// archived workspace, which archives its keys, can be named with its date.
func (c *Client) lookupWorkspaces(ctx context.Context, adminKey string, l *KeyLookup) {
	var ids []string
	for _, i := range l.Looked {
		for _, rec := range l.Records[i] {
			if id := rec.WorkspaceID; workspaceID.MatchString(id) && !slices.Contains(ids, id) && len(ids) < maxWorkspaceLookups {
				ids = append(ids, id)
			}
		}
	}
	for _, id := range ids {
		path := AdminPathPrefix + "workspaces/" + id
		a, body := c.adminGet(ctx, path, path, nil, adminKey)
		l.Answers = append(l.Answers, a)
		var w struct {
			ID         string  `json:"id"`
			Name       string  `json:"name"`
			ArchivedAt *string `json:"archived_at"`
		}
		if !a.Accepted() || json.Unmarshal(body, &w) != nil {
			continue
		}
		ws := &WorkspaceRecord{ID: id, Name: clean(w.Name, 200)}
		if w.ArchivedAt != nil {
			ws.ArchivedAt = parseTime(*w.ArchivedAt)
		}
		for i, recs := range l.Records {
			for j := range recs {
				if recs[j].WorkspaceID == id {
					l.Records[i][j].Workspace = ws
				}
			}
		}
	}
}
