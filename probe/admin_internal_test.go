package probe

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// TestHungAdminAPICostsOneTimeout: a lookup whose first page never comes
// costs one timeout and one request, on synctest's exact clock.
func TestHungAdminAPICostsOneTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var h hits
		env := memEnv(t, h.wrap(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
		env.Timeout, env.Retries = 10*time.Second, 3
		start := time.Now()
		l := newClient(t, env).LookupKeys(context.Background(), netKey(t, PrefixAdmin), map[int]string{0: "sk-ant-api03-abc...wxyz"})
		if len(l.Answers) != 1 || l.Stop != l.Answers[0] || l.Stop.Err == nil || l.Stop.Err.Phase != PhaseTimeout || l.Complete {
			t.Fatalf("lookup: %+v", l)
		}
		if took := time.Since(start); took != env.Timeout || h.n.Load() != 1 {
			t.Errorf("a hung Admin API cost %v and %d requests, want one timeout (%v) and one", took, h.n.Load(), env.Timeout)
		}
	})
}

// TestAdminGetOnlyUnderOrganizations: the one function that sends an Admin
// key refuses any other path before a byte leaves.
func TestAdminGetOnlyUnderOrganizations(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var h hits
		env := memEnv(t, h.wrap(func(w http.ResponseWriter, r *http.Request) {}))
		c := newClient(t, env)
		for _, p := range []string{"/v1/models", "/v1/messages", "/v1/organizations/../models", "/v1/oauth/token", "/"} {
			a, body := c.adminGet(context.Background(), p, p, nil, netKey(t, PrefixAdmin))
			if a.Err == nil || body != nil {
				t.Errorf("%s: sent (%+v)", p, a)
			}
		}
		if h.n.Load() != 0 {
			t.Errorf("%d requests reached the server", h.n.Load())
		}
	})
}

// TestLookupStops: a page that is no key list, a list that cannot be
// paged, and a list longer than MaxAdminPages end the lookup, keeping what
// was read, and say so.
func TestLookupStops(t *testing.T) {
	page := func(w http.ResponseWriter, body string) {
		w.Header().Set("request-id", "req_admin")
		w.Header().Set("content-type", "application/json")
		fmt.Fprint(w, body)
	}
	for _, tt := range []struct {
		name       string
		serve      func(n int, w http.ResponseWriter, r *http.Request)
		pages      int
		complete   bool
		unreadable bool
	}{
		{"not a key list", func(n int, w http.ResponseWriter, r *http.Request) { page(w, `{"id":"x"}`) }, 1, false, true},
		{"no cursor", func(n int, w http.ResponseWriter, r *http.Request) {
			page(w, `{"data":[],"has_more":true,"last_id":null}`)
		}, 1, false, true},
		{"endless", func(n int, w http.ResponseWriter, r *http.Request) {
			page(w, fmt.Sprintf(`{"data":[{"id":"apikey_%d","partial_key_hint":"sk-ant-api03-zzz...%04d","status":"active"}],"has_more":true,"last_id":"apikey_%d"}`, n, n, n))
		}, MaxAdminPages, false, false},
		{"one page", func(n int, w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("limit") != "1000" || r.Header.Get("x-api-key") == "" || r.Header.Get("anthropic-version") != "2023-06-01" {
				http.Error(w, "bad request", 400)
				return
			}
			page(w, `{"data":[{"id":"apikey_1","name":"mine","partial_key_hint":"sk-ant-api03-abc...wxyz","status":"inactive",`+
				`"created_at":"2026-09-14T08:30:00Z","expires_at":null,"created_by":null,"principal":{"id":"user_1","type":"user"},"workspace_id":null}],`+
				`"has_more":false,"first_id":"apikey_1","last_id":"apikey_1"}`)
		}, 1, true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var h hits
				env := memEnv(t, h.wrap(func(w http.ResponseWriter, r *http.Request) { tt.serve(int(h.n.Load()), w, r) }))
				l := newClient(t, env).LookupKeys(context.Background(), netKey(t, PrefixAdmin), map[int]string{0: "sk-ant-api03-abc...wxyz"})
				if len(l.Answers) != tt.pages || l.Complete != tt.complete || l.Unreadable != tt.unreadable {
					t.Fatalf("%d pages, complete %v, unreadable %v: %+v", len(l.Answers), l.Complete, l.Unreadable, l)
				}
				r := &Report{StartedAt: time.Now(), Active: 0, AdminKey: &AdminKeyInfo{Source: "stdin", Kind: KindAdmin},
					Candidates: []Candidate{{Source: "env ANTHROPIC_API_KEY", Clean: "k", Kind: KindAPI, Hint: "sk-ant-api03-abc...wxyz"}},
					Lookup:     l, Done: map[string]bool{ProbeAdmin: true}}
				c := r.checkKeyRecord()
				switch tt.name {
				case "not a key list", "no cursor":
					if c.Status != Error || !strings.Contains(c.Title, "could not be read") {
						t.Errorf("check: %s %q", c.Status, c.Title)
					}
				case "endless":
					if c.Status != Skip || !strings.Contains(c.Title, "not among the keys read") || !strings.Contains(c.Title, "reads at most 10 pages") {
						t.Errorf("check: %s %q", c.Status, c.Title)
					}
				case "one page":
					rec, ok := r.KeyRecordOf(0)
					if !ok || rec.Name != "mine" || rec.Principal != "user" || rec.WorkspaceID != "" || rec.CreatedBy != "" || c.Status != Fail {
						t.Errorf("old-shape record: %+v, check %s %q", rec, c.Status, c.Title)
					}
					if got := WorkspaceWords(rec, time.UTC); got != "Default" {
						t.Errorf("workspace %q", got)
					}
				}
			})
		})
	}
}
