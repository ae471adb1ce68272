package stub_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/fix401/fix401/probe/stub"
)

// listedKey is an APIKey as the Admin API lists it.
type listedKey struct {
	Type           string  `json:"type"`
	ID             string  `json:"id"`
	Name           string  `json:"name"`
	Status         string  `json:"status"`
	PartialKeyHint *string `json:"partial_key_hint"`
	CreatedAt      string  `json:"created_at"`
	ExpiresAt      *string `json:"expires_at"`
	CreatedBy      *struct {
		ID, Type string
	} `json:"created_by"`
	Principal *struct {
		Type   string `json:"type"`
		UserID string `json:"user_id"`
	} `json:"principal"`
	Scope struct {
		Type        string `json:"type"`
		WorkspaceID string `json:"workspace_id"`
	} `json:"scope"`
	WorkspaceID *string `json:"workspace_id"`
}

type keyPage struct {
	Data    []listedKey `json:"data"`
	HasMore bool        `json:"has_more"`
	FirstID *string     `json:"first_id"`
	LastID  *string     `json:"last_id"`
}

func listPage(t *testing.T, base, admin, query string) keyPage {
	t.Helper()
	a := send(t, base, call{path: "/v1/organizations/api_keys" + query, key: admin})
	if a.status != 200 {
		t.Fatalf("list%s: %d %s", query, a.status, a.body)
	}
	checkAPIAnswer(t, a)
	var p keyPage
	if err := json.Unmarshal(a.body, &p); err != nil {
		t.Fatalf("list%s: %v\n%s", query, err, a.body)
	}
	return p
}

func hintOf(key string) string { return key[:16] + "..." + key[len(key)-4:] }

func findHint(p keyPage, key string) *listedKey {
	for i := range p.Data {
		if h := p.Data[i].PartialKeyHint; h != nil && *h == hintOf(key) {
			return &p.Data[i]
		}
	}
	return nil
}

// TestAdminAPIAuthentication: only an Admin key reads the Admin API; a
// workspace key is refused with 403, anything else with the API's 401, and
// an Admin key is no key for the Messages API.
func TestAdminAPIAuthentication(t *testing.T) {
	admin, user := stub.NewAdminKey(), stub.NewAPIKey()
	srv, err := stub.Start(stub.Options{ValidKeys: []string{user}, AdminKeys: []string{admin}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, tt := range []struct {
		name    string
		c       call
		status  int
		errType string
		message string
	}{
		{"no key", call{path: "/v1/organizations/api_keys"}, 401, "authentication_error", "x-api-key header is required"},
		{"an API key", call{path: "/v1/organizations/api_keys", key: user}, 403, "permission_error", ""},
		{"an unknown admin key", call{path: "/v1/organizations/me", key: stub.NewAdminKey()}, 401, "authentication_error", "invalid x-api-key"},
		{"the admin key", call{path: "/v1/organizations/me", key: admin}, 200, "", ""},
		{"the admin key as Bearer", call{path: "/v1/organizations/me", bearer: admin}, 200, "", ""},
		{"the admin key on models", call{path: "/v1/models", key: admin}, 401, "authentication_error", "invalid x-api-key"},
		{"no such admin path", call{path: "/v1/organizations/users", key: admin}, 404, "not_found_error", ""},
		{"admin writes are not served", call{path: "/v1/organizations/api_keys", method: "POST", body: "{}", key: admin}, 404, "not_found_error", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := send(t, srv.URL, tt.c)
			if a.status != tt.status || a.env.Error.Type != tt.errType || tt.message != "" && a.env.Error.Message != tt.message {
				t.Fatalf("%d %s %q, want %d %s %q", a.status, a.env.Error.Type, a.env.Error.Message, tt.status, tt.errType, tt.message)
			}
			checkAPIAnswer(t, a)
			if a.header.Get("anthropic-workspace-id") != "" {
				t.Error("an Admin API answer names a workspace")
			}
		})
	}
	// The log tells the keys apart by their hints, and only by them.
	var adminPaths []string
	for _, r := range srv.Requests() {
		if strings.Contains(r.Key, admin[16:28]) || strings.Contains(r.Key, user[16:28]) {
			t.Fatalf("the log holds a piece of a key: %+v", r)
		}
		if r.Key == admin[:18]+"..."+admin[len(admin)-4:] {
			adminPaths = append(adminPaths, r.Path)
		}
	}
	if len(adminPaths) != 5 {
		t.Errorf("the log names the admin key on %v, want its 5 requests", adminPaths)
	}
}

// TestAdminKeyList: the records of Options.KeyRecords in the newest shape,
// their effect on the keys, and the scenario's records for the rest.
func TestAdminKeyList(t *testing.T) {
	admin := stub.NewAdminKey()
	good, off, gone, late, soon, org := stub.NewAPIKey(), stub.NewAPIKey(), stub.NewAPIKey(), stub.NewAPIKey(), stub.NewAPIKey(), stub.NewAPIKey()
	now := time.Now()
	created := time.Date(2026, 9, 14, 8, 30, 0, 0, time.UTC)
	srv, err := stub.Start(stub.Options{
		ValidKeys:   []string{good, soon, org},
		RevokedKeys: []string{gone},
		KeyRecords: map[string]stub.KeyRecord{
			off:  {Name: "laptop", Status: stub.StatusInactive, CreatedAt: created, CreatedBy: "user_01Alice"},
			late: {Name: "ci", ExpiresAt: now.Add(-time.Hour), Workspace: "wrkspc_01Team"},
			soon: {Name: "demo day", ExpiresAt: now.Add(72 * time.Hour), CreatedBy: "svac_01Robot"},
			org:  {Name: "everywhere", Workspace: stub.OrganizationScope},
		},
		Workspaces: map[string]stub.Workspace{"wrkspc_01Team": {Name: "Team"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for key, want := range map[string]int{good: 200, off: 401, gone: 401, late: 401, soon: 200, org: 200} {
		if a := send(t, srv.URL, call{path: "/v1/models", key: key}); a.status != want {
			t.Errorf("%s: %d, want %d", hintOf(key), a.status, want)
		}
	}
	p := listPage(t, srv.URL, admin, "?limit=1000")
	if p.HasMore || len(p.Data) != 6 || p.FirstID == nil || *p.FirstID != p.Data[0].ID || *p.LastID != p.Data[5].ID {
		t.Fatalf("list: %+v", p)
	}
	for _, tt := range []struct {
		key, name, status, scope, ws string
		wsField, expires             bool
	}{
		{good, "Developer Key", "active", "workspace", stub.DefaultWorkspace, false, false},
		{off, "laptop", "inactive", "workspace", stub.DefaultWorkspace, false, false},
		{gone, "Developer Key", "archived", "workspace", stub.DefaultWorkspace, false, false},
		{late, "ci", "active", "workspace", "wrkspc_01Team", true, true},
		{soon, "demo day", "active", "workspace", stub.DefaultWorkspace, false, true},
		{org, "everywhere", "active", "organization", "", false, false},
	} {
		k := findHint(p, tt.key)
		if k == nil {
			t.Errorf("%s is not listed", hintOf(tt.key))
			continue
		}
		if k.Type != "api_key" || !strings.HasPrefix(k.ID, "apikey_01") || k.Name != tt.name || k.Status != tt.status ||
			k.Scope.Type != tt.scope || k.Scope.WorkspaceID != tt.ws || (k.WorkspaceID != nil) != tt.wsField || (k.ExpiresAt != nil) != tt.expires {
			t.Errorf("%s: %+v", tt.name, k)
		}
		if _, err := time.Parse(time.RFC3339, k.CreatedAt); err != nil || k.CreatedBy == nil || k.Principal == nil {
			t.Errorf("%s: created %q by %+v as %+v", tt.name, k.CreatedAt, k.CreatedBy, k.Principal)
		}
		if strings.Contains(string(mustJSON(t, k)), tt.key[16:40]) {
			t.Errorf("%s: the record holds the key", tt.name)
		}
	}
	if k := findHint(p, off); k.CreatedAt != "2026-09-14T08:30:00Z" || k.CreatedBy.ID != "user_01Alice" || k.Principal.UserID != "user_01Alice" {
		t.Errorf("laptop: %+v", k)
	}
	if k := findHint(p, soon); k.CreatedBy.Type != "service_account" || k.Principal.Type != "service_account_actor" {
		t.Errorf("a service account's key: %+v %+v", k.CreatedBy, k.Principal)
	}
	// Filters and one key by id.
	if f := listPage(t, srv.URL, admin, "?status=inactive"); len(f.Data) != 1 || f.Data[0].Name != "laptop" {
		t.Errorf("status=inactive: %+v", f.Data)
	}
	one := send(t, srv.URL, call{path: "/v1/organizations/api_keys/" + findHint(p, late).ID, key: admin})
	if one.status != 200 || !strings.Contains(string(one.body), `"name":"ci"`) {
		t.Errorf("one key: %d %s", one.status, one.body)
	}
	if a := send(t, srv.URL, call{path: "/v1/organizations/api_keys?limit=0", key: admin}); a.status != 400 {
		t.Errorf("limit=0: %d", a.status)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAdminKeyListPages: a list longer than a page pages with has_more and
// after_id, every key once.
func TestAdminKeyListPages(t *testing.T) {
	admin, mine := stub.NewAdminKey(), stub.NewAPIKey()
	srv, err := stub.Start(stub.Options{ListPadding: 1500, KeyRecords: map[string]stub.KeyRecord{
		mine: {Name: "old", CreatedAt: time.Now().AddDate(-3, 0, 0)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	first := listPage(t, srv.URL, admin, "?limit=1000")
	if !first.HasMore || len(first.Data) != 1000 || findHint(first, mine) != nil {
		t.Fatalf("first page: %d keys, has_more %v", len(first.Data), first.HasMore)
	}
	second := listPage(t, srv.URL, admin, "?limit=1000&after_id="+*first.LastID)
	if second.HasMore || len(second.Data) != 501 || findHint(second, mine) == nil {
		t.Fatalf("second page: %d keys, has_more %v", len(second.Data), second.HasMore)
	}
	ids := map[string]bool{}
	for _, k := range append(first.Data, second.Data...) {
		if ids[k.ID] {
			t.Fatalf("%s listed twice", k.ID)
		}
		ids[k.ID] = true
	}
	if def := listPage(t, srv.URL, admin, ""); len(def.Data) != 20 || !def.HasMore {
		t.Errorf("default page: %d keys", len(def.Data))
	}
}

// TestAdminWorkspaces: a workspace says whether it was archived, and when.
func TestAdminWorkspaces(t *testing.T) {
	admin := stub.NewAdminKey()
	srv, err := stub.Start(stub.Options{Workspaces: map[string]stub.Workspace{
		"wrkspc_01Old": {Name: "Old", ArchivedAt: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var ws struct {
		Type, ID, Name string
		ArchivedAt     *string `json:"archived_at"`
	}
	for _, tt := range []struct{ id, name, archived string }{
		{stub.DefaultWorkspace, "Default", ""},
		{"wrkspc_01Old", "Old", "2026-11-20T10:00:00Z"},
		{stub.ArchivedWorkspace, "Prototypes", "*"},
	} {
		a := send(t, srv.URL, call{path: "/v1/organizations/workspaces/" + tt.id, key: admin})
		ws.ArchivedAt = nil
		if err := json.Unmarshal(a.body, &ws); a.status != 200 || err != nil || ws.Type != "workspace" || ws.ID != tt.id || ws.Name != tt.name {
			t.Errorf("%s: %d %s", tt.id, a.status, a.body)
			continue
		}
		switch {
		case tt.archived == "" && ws.ArchivedAt != nil,
			tt.archived == "*" && ws.ArchivedAt == nil,
			tt.archived != "" && tt.archived != "*" && (ws.ArchivedAt == nil || *ws.ArchivedAt != tt.archived):
			t.Errorf("%s: archived_at %v, want %q", tt.id, ws.ArchivedAt, tt.archived)
		}
	}
	if a := send(t, srv.URL, call{path: "/v1/organizations/workspaces/wrkspc_01Nope", key: admin}); a.status != 404 || a.env.Error.Type != "not_found_error" {
		t.Errorf("unknown workspace: %d %s", a.status, a.body)
	}
}

// TestStatusScenariosListSeenKeys: in the key-* scenarios the stub knows a
// key once it has seen it, and lists it with the scenario's status.
func TestStatusScenariosListSeenKeys(t *testing.T) {
	for scenario, want := range map[string]string{
		stub.KeyDisabled: "inactive", stub.KeyExpired: "expired", stub.KeyArchived: "archived", stub.KeyExpiring: "active",
		stub.Revoked: "archived", stub.Healthy: "active",
	} {
		t.Run(scenario, func(t *testing.T) {
			admin, key := stub.NewAdminKey(), stub.NewAPIKey()
			srv, err := stub.Start(stub.Options{Scenario: scenario})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			if p := listPage(t, srv.URL, admin, ""); len(p.Data) != 0 {
				t.Fatalf("keys listed before any was seen: %+v", p.Data)
			}
			send(t, srv.URL, call{path: "/v1/models", key: key})
			send(t, srv.URL, call{path: "/v1/models", key: "sk-ant-api03-" + strings.Repeat("a", 93) + "AA"}) // made up: never listed
			p := listPage(t, srv.URL, admin, "")
			k := findHint(p, key)
			if len(p.Data) != 1 || k == nil || k.Status != want {
				t.Fatalf("list: %+v, want the key as %s", p.Data, want)
			}
			switch scenario {
			case stub.KeyExpired, stub.KeyExpiring:
				at, err := time.Parse(time.RFC3339, deref(k.ExpiresAt))
				if err != nil || (scenario == stub.KeyExpired) != at.Before(time.Now()) {
					t.Errorf("expires_at %v (%v)", deref(k.ExpiresAt), err)
				}
			case stub.KeyArchived:
				if k.Scope.WorkspaceID != stub.ArchivedWorkspace {
					t.Errorf("workspace %q, want the archived one", k.Scope.WorkspaceID)
				}
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
