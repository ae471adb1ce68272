package probe_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/stub"
)

// adminWorld is a project whose key is looked up with an Admin key, against
// a stub on loopback.
func adminWorld(t *testing.T, opts stub.Options) (*probe.Env, *stub.Server) {
	t.Helper()
	srv, err := stub.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	env := project(t)
	env.BaseURL, env.StatusURL, env.Model = srv.URL, srv.URL, ""
	return env, srv
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestAdminKeyOnlyReachesTheAdminAPI is the safety rule for Admin keys
// (DESIGN.md): the Admin key goes only to GET /v1/organizations/* on the
// base URL, in x-api-key, with nothing of the user's client beside it; it
// is never a key candidate, even where it is also written into .env or a
// shell file; an Admin key found under another name is never tested; and
// no user key goes to the Admin API. The stub's log (method, path, header
// names, the hint of the credential) is the evidence.
func TestAdminKeyOnlyReachesTheAdminAPI(t *testing.T) {
	for _, how := range []string{"env", "stdin"} {
		t.Run(how, func(t *testing.T) {
			admin, stray, user := stub.NewAdminKey(), stub.NewAdminKey(), stub.NewAPIKey()
			env, srv := adminWorld(t, stub.Options{AdminKeys: []string{admin},
				KeyRecords: map[string]stub.KeyRecord{user: {Name: "laptop", Status: stub.StatusInactive}}})
			env.Vars["ANTHROPIC_API_KEY"] = user
			env.Vars["ANTHROPIC_CUSTOM_HEADERS"] = "anthropic-workspace-id: wrkspc_01Custom\nX-Team: blue"
			env.WorkspaceID = "wrkspc_01Flag"
			env.For = "go" // the Go SDK v2 sends keys as Authorization: Bearer
			if how == "env" {
				env.Vars[probe.VarAdminKey] = admin
			} else {
				env.AdminKey = admin + "\n"
			}
			writeFile(t, filepath.Join(env.Dir, ".env"), "ANTHROPIC_ADMIN_API_KEY="+admin+"\nOPS_ADMIN_KEY="+stray+"\n")
			writeFile(t, filepath.Join(env.Home, ".zshrc"), "export ANTHROPIC_ADMIN_API_KEY='"+admin+"'\n")

			r := probe.Run(context.Background(), env)
			for _, c := range r.Candidates {
				if c.Var == probe.VarAdminKey || c.Clean == admin {
					t.Errorf("the Admin key is a key candidate: %s", c.Source)
				}
			}
			if !r.Finished() || r.Lookup == nil || len(r.Lookup.Answers) == 0 {
				t.Fatalf("no lookup: %+v", r.Lookup)
			}
			srv.Close() // every request recorded
			adminHint, strayHint := probe.Hint(admin), probe.Hint(stray)
			sent := 0
			for _, q := range srv.Requests() {
				toAdmin := strings.HasPrefix(q.Path, probe.AdminPathPrefix)
				switch {
				case q.Key == strayHint:
					t.Errorf("an Admin key found in .env was sent: %s %s", q.Method, q.Path)
				case q.Key == adminHint:
					sent++
					if q.Method != http.MethodGet || !toAdmin {
						t.Errorf("the Admin key went to %s %s", q.Method, q.Path)
					}
					if !slices.Equal(q.Credentials, []string{"x-api-key"}) || q.Bearer || q.Has("anthropic-workspace-id") || q.Has("x-team") {
						t.Errorf("%s %s carried %v (bearer %v) and headers %v", q.Method, q.Path, q.Credentials, q.Bearer, q.Headers)
					}
				case toAdmin:
					t.Errorf("%s %s went to the Admin API with %q, not the Admin key", q.Method, q.Path, q.Key)
				}
			}
			if sent == 0 {
				t.Fatal("the Admin key was never used")
			}
			for _, a := range r.Requests() {
				if strings.Contains(a.URL+a.Message, admin[15:40]) {
					t.Errorf("an answer holds the Admin key: %+v", a)
				}
			}
			if rec, ok := r.KeyRecordOf(r.Active); !ok || rec.Name != "laptop" || rec.Status != probe.KeyInactive {
				t.Errorf("record of the key in use: %+v %v", rec, ok)
			}
		})
	}
}

// TestAdminKeyNotSentAlongARedirect: a redirect from the Admin API is
// reported, never followed, so the Admin key cannot leave the base URL.
func TestAdminKeyNotSentAlongARedirect(t *testing.T) {
	var elsewhere int
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere++ }))
	defer other.Close()
	api, err := stub.Handler(stub.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer api.Close()
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, probe.AdminPathPrefix) {
			http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
			return
		}
		api.ServeHTTP(w, r)
	}))
	defer front.Close()
	env := project(t)
	env.BaseURL, env.StatusURL, env.Model = front.URL, front.URL, ""
	env.Vars[probe.VarAdminKey] = stub.NewAdminKey()
	r := probe.Run(context.Background(), env)
	if elsewhere != 0 {
		t.Fatalf("the redirect was followed %d times", elsewhere)
	}
	c, _ := r.CheckByID(probe.CheckKeyRecord)
	if c.Status != probe.Error || r.Lookup.Answers[0].Location == "" {
		t.Errorf("a redirect is a failed lookup: %s %q, %+v", c.Status, c.Title, r.Lookup.Answers[0])
	}
}

// TestLookupPagesAndWorkspaces: the key in use is on the second page of a
// long list; every page is read with limit=1000 and after_id, and the
// key's workspace is asked for and named, archived or not.
func TestLookupPagesAndWorkspaces(t *testing.T) {
	user, other := stub.NewAPIKey(), stub.NewAPIKey()
	archived := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	env, srv := adminWorld(t, stub.Options{ListPadding: 1200, KeyRecords: map[string]stub.KeyRecord{
		user:  {Name: "ci bot", Status: stub.StatusArchived, CreatedAt: time.Now().AddDate(-2, 0, 0), Workspace: "wrkspc_01Old", CreatedBy: "svac_01Robot"},
		other: {Name: "fresh", CreatedAt: time.Now()},
	}, Workspaces: map[string]stub.Workspace{"wrkspc_01Old": {Name: "Old", ArchivedAt: archived}}})
	env.Vars["ANTHROPIC_API_KEY"] = user
	writeFile(t, filepath.Join(env.Dir, ".env"), "ANTHROPIC_API_KEY="+other+"\n")
	env.Vars[probe.VarAdminKey] = stub.NewAdminKey()
	env.Now = func() time.Time { return time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC) }

	r := probe.Run(context.Background(), env)
	l := r.Lookup
	if l == nil || !l.Complete || l.Stop != nil || l.Listed != 1202 {
		t.Fatalf("lookup: %+v", l)
	}
	var pages []string
	for _, q := range srv.Requests() {
		if q.Path == "/v1/organizations/api_keys" {
			pages = append(pages, q.Path)
		}
	}
	if len(pages) != 2 || !strings.Contains(l.Answers[0].URL, "limit=1000") || !strings.Contains(l.Answers[1].URL, "after_id=apikey_01") {
		t.Errorf("pages asked: %v, %s, %s", pages, l.Answers[0].URL, l.Answers[1].URL)
	}
	rec, ok := r.KeyRecordOf(r.Active)
	if !ok || rec.Name != "ci bot" || rec.Status != probe.KeyArchived || rec.Principal != "service account" || rec.CreatedBy != "svac_01Robot" ||
		rec.Workspace == nil || rec.Workspace.Name != "Old" || !rec.Workspace.ArchivedAt.Equal(archived) {
		t.Fatalf("record: %+v (workspace %+v)", rec, rec.Workspace)
	}
	if fresh := r.Records(1); len(fresh) != 1 || fresh[0].Name != "fresh" || fresh[0].Workspace == nil || fresh[0].Workspace.Name != "Default" {
		t.Errorf("the other key's record: %+v", fresh)
	}
	c, _ := r.CheckByID(probe.CheckKeyRecord)
	if c.Status != probe.Fail || !strings.Contains(c.Title, `"ci bot"`) || !strings.Contains(c.Title, `workspace "Old" was archived on 2026-11-20`) ||
		!strings.Contains(c.Detail, `"fresh", active`) {
		t.Errorf("check: %s %q\n%s", c.Status, c.Title, c.Detail)
	}
}

// TestLookupSkipped: a 401 or a 403 from the Admin API skips the lookup
// with the reason and says nothing of the user's key; so do an insecure
// base URL and a value that is no key.
func TestLookupSkipped(t *testing.T) {
	for _, tt := range []struct {
		name  string
		admin func(user string) string
		want  string
	}{
		{"unknown admin key", func(string) string { return stub.NewAdminKey() }, "lookup skipped: the Admin API refused the key from env ANTHROPIC_ADMIN_API_KEY (401"},
		{"an API key", func(string) string { return stub.NewAPIKey() }, "may not read the Admin API (403"},
		{"a reference", func(string) string { return "op://Private/Anthropic Admin/credential" }, "cannot be sent: it is a 1Password reference"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			user := stub.NewAPIKey()
			env, srv := adminWorld(t, stub.Options{AdminKeys: []string{stub.NewAdminKey()}})
			env.Vars["ANTHROPIC_API_KEY"] = user
			env.Vars[probe.VarAdminKey] = tt.admin(user)
			r := probe.Run(context.Background(), env)
			c, _ := r.CheckByID(probe.CheckKeyRecord)
			if c.Status != probe.Skip || !strings.Contains(c.Title, tt.want) {
				t.Errorf("%s %q, want skip with %q", c.Status, c.Title, tt.want)
			}
			if _, ok := r.KeyRecordOf(r.Active); ok {
				t.Error("a refused lookup gave a record")
			}
			if tt.name == "a reference" {
				for _, q := range srv.Requests() {
					if strings.HasPrefix(q.Path, probe.AdminPathPrefix) {
						t.Errorf("a reference was sent to %s", q.Path)
					}
				}
			}
		})
	}
	// Plain HTTP to another machine: nothing is sent, the Admin key least of all.
	env := project(t)
	env.BaseURL, env.StatusURL = "http://api.example.com", "http://api.example.com"
	env.Vars[probe.VarAdminKey] = stub.NewAdminKey()
	r := probe.Prepare(env)
	if slices.Contains(r.Planned(), probe.ProbeAdmin) {
		t.Error("a lookup is planned over plain HTTP to another machine")
	}
	if c, _ := r.CheckByID(probe.CheckKeyRecord); c.Status != probe.Skip || !strings.Contains(c.Title, "plain HTTP") {
		t.Errorf("insecure: %s %q", c.Status, c.Title)
	}
}

// TestNoLookupWithoutAdminKey: no Admin key, no lookup and no check.
func TestNoLookupWithoutAdminKey(t *testing.T) {
	env, srv := adminWorld(t, stub.Options{})
	r := probe.Run(context.Background(), env)
	if r.AdminKey != nil || r.Lookup != nil || slices.Contains(r.Planned(), probe.ProbeAdmin) {
		t.Fatalf("admin %+v, lookup %+v", r.AdminKey, r.Lookup)
	}
	if _, ok := r.CheckByID(probe.CheckKeyRecord); ok {
		t.Error("a key.record check without an Admin key")
	}
	for _, q := range srv.Requests() {
		if strings.HasPrefix(q.Path, probe.AdminPathPrefix) {
			t.Errorf("asked %s without an Admin key", q.Path)
		}
	}
}

// TestKeyRecordVerdicts: the check's verdict for each state of the key in
// use, judged at the run's start.
func TestKeyRecordVerdicts(t *testing.T) {
	// The stub judges keys by the real clock, so the run starts now too.
	now := time.Now().UTC().Truncate(time.Minute)
	at := func(d time.Duration) string { return now.Add(d).Format("2006-01-02 15:04 UTC") }
	day := 24 * time.Hour
	for _, tt := range []struct {
		name   string
		rec    stub.KeyRecord
		status probe.Status
		title  string
	}{
		{"active", stub.KeyRecord{Name: "dev"}, probe.Pass, `"dev" (sk-ant-api03-`},
		{"expires in 3 days", stub.KeyRecord{Name: "dev", ExpiresAt: now.Add(3 * day)}, probe.Warn, "works, but expires on " + at(3*day) + ", in 3 days"},
		{"expires in 30 days", stub.KeyRecord{Name: "dev", ExpiresAt: now.Add(30 * day)}, probe.Pass, "expires " + at(30*day) + " (in 30 days)"},
		{"disabled", stub.KeyRecord{Name: "dev", Status: stub.StatusInactive}, probe.Fail, "is disabled in the Console"},
		{"expired", stub.KeyRecord{Name: "dev", Status: stub.StatusExpired, ExpiresAt: now.Add(-2 * day)}, probe.Fail, "expired on " + at(-2*day)},
		{"past its date", stub.KeyRecord{Name: "dev", ExpiresAt: now.Add(-time.Hour)}, probe.Fail, "expired on " + at(-time.Hour)},
		{"deleted", stub.KeyRecord{Name: "dev", Status: stub.StatusArchived}, probe.Fail, "deleted in the Console"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			user := stub.NewAPIKey()
			env, _ := adminWorld(t, stub.Options{KeyRecords: map[string]stub.KeyRecord{user: tt.rec}})
			env.Vars["ANTHROPIC_API_KEY"] = user
			env.Vars[probe.VarAdminKey] = stub.NewAdminKey()
			env.Now = func() time.Time { return now }
			r := probe.Run(context.Background(), env)
			c, _ := r.CheckByID(probe.CheckKeyRecord)
			if c.Status != tt.status || !strings.Contains(c.Title, tt.title) {
				t.Errorf("%s %q, want %s with %q", c.Status, c.Title, tt.status, tt.title)
			}
		})
	}
}

func TestRelativeWords(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for d, want := range map[time.Duration]string{
		72 * time.Hour: "in 3 days", 5 * time.Hour: "in 5 hours", 30 * time.Second: "in 1 minute",
		-49 * time.Hour: "2 days ago", -90 * time.Minute: "90 minutes ago",
	} {
		if got := probe.RelativeWords(now, now.Add(d)); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}
