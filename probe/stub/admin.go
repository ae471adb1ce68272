package stub

import (
	"crypto/sha256"
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The Admin API's part the stub serves (facts/wif-admin.md, part B): read
// only, for an Admin key.
//
//	GET /v1/organizations/api_keys          the key list: limit (1–1000, 20 by default),
//	                                        after_id, before_id, status, workspace_id
//	GET /v1/organizations/api_keys/{id}     one key
//	GET /v1/organizations/workspaces/{id}   one workspace, with archived_at
//	GET /v1/organizations/me                the organization
//
// Assumptions where the real API's behaviour is not documented:
//   - a request without an Admin key gets the API's 401 ("x-api-key header
//     is required", "invalid x-api-key"); an API key the API accepts (a
//     workspace key) gets 403 permission_error, with a message the stub
//     invents;
//   - the list is ordered newest first; answers carry request-id but not
//     anthropic-organization-id or anthropic-workspace-id;
//   - the scenario's own failure (a 403, a spend limit, a rate limit) is
//     about API keys and never reaches the Admin API; what sits in front of
//     the API (hang, a portal, a gateway, an outage) does.

// Statuses of an API key in the Admin API.
const (
	StatusActive   = "active"
	StatusInactive = "inactive" // disabled in the Console; reversible
	StatusExpired  = "expired"
	StatusArchived = "archived" // deleted in the Console, or its workspace was archived
)

// OrganizationScope, as KeyRecord.Workspace, makes a key organization-wide:
// scope {"type":"organization"}, no workspace.
const OrganizationScope = "organization"

// ArchivedWorkspace is a workspace every stub knows, archived: the key-archived
// scenario's keys belong to it.
const ArchivedWorkspace = "wrkspc_01StubPrototypes"

// KeyRecord is what the stub's Admin API lists for one API key. A key whose
// record is not active, or whose expiry has passed, is refused with 401 on
// every API path, like a revoked key.
type KeyRecord struct {
	Name      string    // "Developer Key" when empty
	Status    string    // StatusActive when empty
	CreatedAt time.Time // 30 days ago when zero
	ExpiresAt time.Time // zero: never expires
	// Workspace is the key's workspace id: DefaultWorkspace when empty,
	// OrganizationScope for an organization-wide key.
	Workspace string
	// CreatedBy is the creator's id, user_… or svac_…; empty: a user the
	// stub names.
	CreatedBy string
}

// Workspace is one workspace of the stub's organization.
type Workspace struct {
	Name       string
	ArchivedAt time.Time // zero: not archived
}

// defaultCreator created every key whose record names no one.
const defaultCreator = "user_01StubDeveloper0000000"

// maxSeen bounds the keys the stub remembers having seen.
const maxSeen = 1000

// works reports whether the record lets its key through at now.
func (k KeyRecord) works(now time.Time) bool {
	return (k.Status == "" || k.Status == StatusActive) && (k.ExpiresAt.IsZero() || now.Before(k.ExpiresAt))
}

// see remembers an issued-looking API key that reached an API path, so the
// Admin API lists it. A scenario's keys are known only once seen.
func (a *API) see(key string) {
	if !WellFormedAPIKey(key) || !issued(key) {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.seen == nil {
		a.seen = map[string]bool{}
	}
	if len(a.seen) < maxSeen {
		a.seen[key] = true
	}
}

// statusRejects reports whether the scenario refuses every API key because
// of what its record says.
func (a *API) statusRejects() bool {
	switch a.opts.Scenario {
	case KeyDisabled, KeyExpired, KeyArchived:
		return true
	}
	return false
}

// keyRecord returns what the Admin API says of key at now: the record of
// Options.KeyRecords, else the scenario's.
func (a *API) keyRecord(key string, now time.Time) KeyRecord {
	rec, ok := a.opts.KeyRecords[key]
	if !ok {
		switch {
		case a.opts.Scenario == KeyDisabled:
			rec.Status = StatusInactive
		case a.opts.Scenario == KeyExpired:
			rec.Status, rec.ExpiresAt = StatusExpired, day(now).AddDate(0, 0, -1)
		case a.opts.Scenario == KeyArchived:
			rec.Status, rec.Workspace = StatusArchived, ArchivedWorkspace
		case a.opts.Scenario == KeyExpiring:
			rec.ExpiresAt = day(now).AddDate(0, 0, 3)
		case a.opts.Scenario == Revoked || a.revoked[key]:
			rec.Status = StatusArchived
		}
	}
	if rec.Name == "" {
		rec.Name = "Developer Key"
	}
	if rec.Status == "" {
		rec.Status = StatusActive
	}
	if rec.CreatedAt.IsZero() {
		rec.CreatedAt = day(now).AddDate(0, 0, -30)
	}
	if rec.Workspace == "" {
		rec.Workspace = DefaultWorkspace
	}
	if rec.CreatedBy == "" {
		rec.CreatedBy = defaultCreator
	}
	return rec
}

func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 9, 0, 0, 0, time.UTC)
}

// workspace returns the workspace called id at now.
func (a *API) workspace(id string, now time.Time) (Workspace, bool) {
	if w, ok := a.opts.Workspaces[id]; ok {
		return w, true
	}
	switch id {
	case DefaultWorkspace, a.opts.Workspace:
		return Workspace{Name: "Default"}, true
	case ArchivedWorkspace:
		return Workspace{Name: "Prototypes", ArchivedAt: day(now).AddDate(0, 0, -1)}, true
	}
	return Workspace{}, false
}

// apiKeyObject is an APIKey of the Admin API, in its newest shape.
type apiKeyObject struct {
	Type           string     `json:"type"`
	ID             string     `json:"id"`
	CreatedAt      string     `json:"created_at"`
	CreatedBy      *actorRef  `json:"created_by"`
	ExpiresAt      *string    `json:"expires_at"`
	Name           string     `json:"name"`
	PartialKeyHint *string    `json:"partial_key_hint"`
	Principal      *principal `json:"principal"`
	Scope          keyScope   `json:"scope"`
	Status         string     `json:"status"`
	WorkspaceID    *string    `json:"workspace_id"`

	created time.Time
}

type actorRef struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

type principal struct {
	Type             string `json:"type"`
	UserID           string `json:"user_id,omitempty"`
	ServiceAccountID string `json:"service_account_id,omitempty"`
}

type keyScope struct {
	Type        string `json:"type"`
	WorkspaceID string `json:"workspace_id,omitempty"`
}

// keyID is the id the stub gives a key: stable, and no piece of the key.
func keyID(key string) string {
	sum := sha256.Sum256([]byte("fix401 stub api key id\x00" + key))
	return "apikey_01" + base62Of(sum[:], 24)
}

func base62Of(b []byte, n int) string {
	v := new(big.Int).SetBytes(b)
	base := big.NewInt(int64(len(base62)))
	out := make([]byte, n)
	mod := new(big.Int)
	for i := range out {
		v.DivMod(v, base, mod)
		out[i] = base62[mod.Int64()]
	}
	return string(out)
}

// partialHint is the Console's hint of an API key: its first 16
// characters, "..." and its last 4.
func partialHint(key string) string { return key[:16] + "..." + key[len(key)-4:] }

func (a *API) keyObject(key string, now time.Time) apiKeyObject {
	rec := a.keyRecord(key, now)
	hint := partialHint(key)
	o := apiKeyObject{Type: "api_key", ID: keyID(key), Name: rec.Name, PartialKeyHint: &hint, Status: rec.Status,
		CreatedAt: rec.CreatedAt.UTC().Format(time.RFC3339Nano), created: rec.CreatedAt}
	if !rec.ExpiresAt.IsZero() {
		at := rec.ExpiresAt.UTC().Format(time.RFC3339Nano)
		o.ExpiresAt = &at
	}
	typ, p := "user", &principal{Type: "user_actor", UserID: rec.CreatedBy}
	if strings.HasPrefix(rec.CreatedBy, "svac_") {
		typ, p = "service_account", &principal{Type: "service_account_actor", ServiceAccountID: rec.CreatedBy}
	}
	o.CreatedBy, o.Principal = &actorRef{ID: rec.CreatedBy, Type: typ}, p
	switch ws := rec.Workspace; ws {
	case OrganizationScope:
		o.Scope = keyScope{Type: "organization"}
	case DefaultWorkspace:
		// The deprecated workspace_id is null for the Default workspace.
		o.Scope = keyScope{Type: "workspace", WorkspaceID: ws}
	default:
		o.Scope = keyScope{Type: "workspace", WorkspaceID: ws}
		o.WorkspaceID = &ws
	}
	return o
}

// padding is the n-th key of someone else in the organization, listed to
// make the list long (Options.ListPadding); its hint matches no real key.
func padding(n int, now time.Time) apiKeyObject {
	sum := sha256.Sum256([]byte("fix401 stub padding\x00" + strconv.Itoa(n)))
	body := base62Of(sum[:], 7)
	hint := apiKeyPrefix + body[:3] + "..." + body[3:]
	created := day(now).AddDate(0, 0, -31-n%400).Add(-time.Duration(n) * time.Second)
	status := []string{StatusActive, StatusArchived, StatusInactive, StatusExpired}[n%4]
	return apiKeyObject{Type: "api_key", ID: "apikey_01Pad" + base62Of(sum[8:], 21), Name: fmt.Sprintf("Team key %d", n),
		PartialKeyHint: &hint, Status: status, CreatedAt: created.UTC().Format(time.RFC3339Nano), created: created,
		CreatedBy: &actorRef{ID: defaultCreator, Type: "user"}, Principal: &principal{Type: "user_actor", UserID: defaultCreator},
		Scope: keyScope{Type: "workspace", WorkspaceID: DefaultWorkspace}}
}

// listed returns every key the Admin API lists, newest first: the keys of
// Options (ValidKeys, RevokedKeys, KeyRecords), the keys seen, and the
// padding.
func (a *API) listed(now time.Time) []apiKeyObject {
	known := map[string]bool{}
	for _, k := range a.opts.ValidKeys {
		known[k] = true
	}
	for _, k := range a.opts.RevokedKeys {
		known[k] = true
	}
	for k := range a.opts.KeyRecords {
		known[k] = true
	}
	a.mu.Lock()
	for k := range a.seen {
		known[k] = true
	}
	a.mu.Unlock()
	var out []apiKeyObject
	for k := range known {
		if WellFormedAPIKey(k) {
			out = append(out, a.keyObject(k, now))
		}
	}
	for n := range a.opts.ListPadding {
		out = append(out, padding(n, now))
	}
	slices.SortFunc(out, func(x, y apiKeyObject) int {
		if c := y.created.Compare(x.created); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
	return out
}

// authenticateAdmin checks the credential of an Admin API request: an Admin
// key in x-api-key (or as a Bearer token).
func (x *exchange) authenticateAdmin() *apiError {
	h := x.r.Header
	key := ""
	if v := h.Values("X-Api-Key"); len(v) > 0 {
		key = v[0]
		if len(v) > 1 {
			key = "\x00" // two keys: refused
		}
	} else if scheme, tok, _ := strings.Cut(h.Get("Authorization"), " "); strings.EqualFold(scheme, "Bearer") {
		key = strings.TrimSpace(tok)
	}
	switch {
	case key == "":
		x.auth = AuthMissing
		return &apiError{http.StatusUnauthorized, "authentication_error", "x-api-key header is required"}
	case x.api.acceptsAdminKey(key):
		x.auth = AuthAccepted
		return nil
	case strings.HasPrefix(key, apiKeyPrefix) && x.api.acceptsAPIKey(key):
		x.auth = AuthAccepted
		return &apiError{http.StatusForbidden, "permission_error",
			"This API key cannot use the Admin API. Use an Admin API key (sk-ant-admin01-…) from the Console."}
	}
	x.auth = AuthRejected
	return &errInvalidKey
}

func (a *API) acceptsAdminKey(key string) bool {
	if a.revoked[key] {
		return false
	}
	if len(a.opts.AdminKeys) > 0 {
		return slices.Contains(a.opts.AdminKeys, key)
	}
	body, ok := strings.CutPrefix(key, adminKeyPrefix)
	if !ok || len(body) != keyBodyLen+2 || !strings.HasSuffix(body, "AA") || !onlyFrom(body, keyAlphabet) {
		return false
	}
	seen := map[rune]bool{}
	for _, c := range body {
		seen[c] = true
	}
	return len(seen) >= 32
}

// admin answers an Admin API request that passed authentication.
func (x *exchange) admin(ep endpoint, id string) {
	now := time.Now()
	switch ep {
	case epAdminKeys:
		x.listKeys(now)
	case epAdminKey:
		for _, o := range x.api.listed(now) {
			if o.ID == id {
				x.ok(o)
				return
			}
		}
		x.fail(apiError{http.StatusNotFound, "not_found_error", "API key `" + printable(id) + "` not found."})
	case epAdminWorkspace:
		w, ok := x.api.workspace(id, now)
		if !ok {
			x.fail(apiError{http.StatusNotFound, "not_found_error", "Workspace `" + printable(id) + "` not found."})
			return
		}
		var archived *string
		if !w.ArchivedAt.IsZero() {
			at := w.ArchivedAt.UTC().Format(time.RFC3339Nano)
			archived = &at
		}
		x.ok(struct {
			Type          string            `json:"type"`
			ID            string            `json:"id"`
			Name          string            `json:"name"`
			CreatedAt     string            `json:"created_at"`
			ArchivedAt    *string           `json:"archived_at"`
			DisplayColor  string            `json:"display_color"`
			DataResidency map[string]string `json:"data_residency"`
		}{"workspace", id, w.Name, day(now).AddDate(-1, 0, 0).Format(time.RFC3339Nano), archived, "#6C5BB9",
			map[string]string{"allowed_inference_geos": "unrestricted", "default_inference_geo": "global", "workspace_geo": "us"}})
	case epAdminMe:
		x.ok(struct {
			ID   string `json:"id"`
			Type string `json:"type"`
			Name string `json:"name"`
		}{OrganizationID, "organization", "Stub Organization"})
	default:
		x.fail(apiError{http.StatusNotFound, "not_found_error", "Not Found"})
	}
}

// listKeys answers GET /v1/organizations/api_keys with one page.
func (x *exchange) listKeys(now time.Time) {
	q := x.r.URL.Query()
	limit, ok := x.pageLimit()
	if !ok {
		return
	}
	status := q.Get("status")
	if status != "" && !slices.Contains([]string{StatusActive, StatusInactive, StatusExpired, StatusArchived}, status) {
		x.fail(apiError{http.StatusBadRequest, "invalid_request_error",
			"status: Input should be 'active', 'archived', 'expired' or 'inactive'"})
		return
	}
	ws := q.Get("workspace_id")
	all := slices.DeleteFunc(x.api.listed(now), func(o apiKeyObject) bool {
		return status != "" && o.Status != status || ws != "" && o.Scope.WorkspaceID != ws
	})
	x.ok(paginate(all, func(o apiKeyObject) string { return o.ID }, q, limit))
}
