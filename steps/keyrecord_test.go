package steps

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/stub"
)

// recordRun is a run whose key in use has rec in the stub's Admin API,
// looked up with an Admin key (none when admin is false).
func recordRun(t *testing.T, rec stub.KeyRecord, admin bool, opts stub.Options) (*probe.Report, *world) {
	t.Helper()
	w := newWorld(t)
	k := w.key(stub.NewAPIKey())
	if opts.KeyRecords == nil {
		opts.KeyRecords = map[string]stub.KeyRecord{}
	}
	opts.KeyRecords[k] = rec
	w.serve(opts, false)
	w.env.Vars["ANTHROPIC_API_KEY"] = k
	w.env.Now = func() time.Time { return time.Now().UTC() }
	if admin {
		w.env.Vars[probe.VarAdminKey] = w.key(stub.NewAdminKey())
	}
	return probe.Run(context.Background(), w.env), w
}

// TestKeyRecordVerdicts: a disabled, an expired and an archived key each
// get their own verdict, with the key's name and a date; a key that
// expires soon is flagged while it still works.
func TestKeyRecordVerdicts(t *testing.T) {
	now := time.Now().UTC()
	created := time.Date(2026, 9, 14, 8, 30, 0, 0, time.UTC)
	tests := []struct {
		name  string
		rec   stub.KeyRecord
		code  Code
		title []string
		fix   []string
	}{
		{"disabled", stub.KeyRecord{Name: "laptop", Status: stub.StatusInactive, CreatedAt: created}, KeyDisabled,
			[]string{`"laptop" created 2026-09-14`, "disabled", "inactive"}, []string{"reversible", "Re-enable", "ANTHROPIC_API_KEY"}},
		{"expired", stub.KeyRecord{Name: "ci", Status: stub.StatusExpired, ExpiresAt: now.AddDate(0, 0, -3)}, KeyExpired,
			[]string{`"ci"`, "expired on " + now.AddDate(0, 0, -3).Format(time.DateOnly), "(3 days ago)"},
			[]string{"cannot be reactivated", "create a new key", "7 days ahead"}},
		{"past its expiry, still listed active", stub.KeyRecord{Name: "ci", ExpiresAt: now.Add(-5 * time.Hour)}, KeyExpired,
			[]string{`"ci"`, "expired on", "5 hours ago"}, []string{"cannot be reactivated"}},
		{"deleted", stub.KeyRecord{Name: "old", Status: stub.StatusArchived, CreatedAt: created}, KeyRejected,
			[]string{`"old" as archived`, "deleted in the Console, or its owner left", "created 2026-09-14"}, []string{"cannot be restored"}},
		{"workspace archived", stub.KeyRecord{Name: "proto", Status: stub.StatusArchived, Workspace: stub.ArchivedWorkspace}, KeyRejected,
			[]string{`"proto" as archived`, `workspace "Prototypes" was archived on ` + now.AddDate(0, 0, -1).Format(time.DateOnly)},
			[]string{"workspace that is not archived"}},
		{"expires in 3 days", stub.KeyRecord{Name: "demo day", ExpiresAt: now.Add(3*24*time.Hour + time.Hour)}, OK,
			[]string{"until it expires on " + now.Add(3*24*time.Hour+time.Hour).Format(time.DateOnly), "(in 3 days)"},
			[]string{`"demo day" cannot be reactivated`, "successor"}},
		{"expires in a month", stub.KeyRecord{Name: "prod", ExpiresAt: now.AddDate(0, 1, 0)}, OK,
			[]string{"The API accepts"}, []string{"Nothing to fix. Keep this key in one place only."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, _ := recordRun(t, tt.rec, true, stub.Options{})
			d := Diagnose(r)
			if d.Code != tt.code {
				t.Fatalf("%s %q, want %s\n%s", d.Code, d.Title, tt.code, dump(r))
			}
			for _, s := range tt.title {
				if !strings.Contains(d.Title, s) {
					t.Errorf("title %q lacks %q", d.Title, s)
				}
			}
			for _, s := range tt.fix {
				if !strings.Contains(d.Fix, s) {
					t.Errorf("fix %q lacks %q", d.Fix, s)
				}
			}
			for _, o := range d.Also {
				if o.Code == KeyRejected {
					t.Errorf("%s also says key_rejected, whose advice it replaces", d.Code)
				}
			}
			c, _ := r.CheckByID(probe.CheckKeyRecord)
			if tt.code == OK && strings.Contains(tt.name, "3 days") && c.Status != probe.Warn {
				t.Errorf("a key that expires in 3 days: %s %q", c.Status, c.Title)
			}
			p := BuildPage(Input{Report: r}, Permissions)
			if len(p.Facts) == 0 || p.Facts[1].Label != "Name" || !strings.Contains(p.Facts[1].Value, tt.rec.Name) {
				t.Errorf("the permissions step does not show the record: %+v", p.Facts)
			}
		})
	}
}

// TestKeyRecordNeverJudgesByItself: a refused lookup, a key the API
// accepts although the list says disabled, and a key of another
// organization give no record verdict.
func TestKeyRecordNeverJudgesByItself(t *testing.T) {
	t.Run("admin key refused", func(t *testing.T) {
		r, _ := recordRun(t, stub.KeyRecord{Status: stub.StatusInactive}, true, stub.Options{AdminKeys: []string{stub.NewAdminKey()}})
		if d := Diagnose(r); d.Code != KeyRejected || strings.Contains(d.Title, "Admin") {
			t.Errorf("%s %q: a refused lookup says nothing of the key", d.Code, d.Title)
		}
		c, _ := r.CheckByID(probe.CheckKeyRecord)
		if c.Status != probe.Skip || !strings.Contains(c.Title, "lookup skipped") {
			t.Errorf("check: %s %q", c.Status, c.Title)
		}
		if p := BuildPage(Input{Report: r}, Permissions); len(p.Facts) != 0 {
			t.Errorf("facts without a record: %+v", p.Facts)
		}
	})
	t.Run("the API accepts it", func(t *testing.T) {
		r := with(healthy(), func(r *probe.Report) {
			r.AdminKey = &probe.AdminKeyInfo{Source: "env " + probe.VarAdminKey, Kind: probe.KindAdmin}
			r.Lookup = &probe.KeyLookup{Complete: true, Listed: 1, Looked: []int{0},
				Records: map[int][]probe.KeyRecord{0: {{Name: "twin", Status: probe.KeyInactive}}},
				Answers: []*probe.Answer{answer("admin", 200, "", "")}}
			r.Done[probe.ProbeAdmin] = true
		})
		if d := Diagnose(r); d.Code != OK {
			t.Errorf("%s %q: the API's own answer wins", d.Code, d.Title)
		}
		if c, _ := r.CheckByID(probe.CheckKeyRecord); c.Status != probe.Warn || !strings.Contains(c.Title, "share its hint") {
			t.Errorf("check: %s %q", c.Status, c.Title)
		}
	})
	t.Run("another organization's key", func(t *testing.T) {
		r := with(healthy(), func(r *probe.Report) {
			r.Auth = answer("auth", 401, "authentication_error", "invalid x-api-key")
			r.AdminKey = &probe.AdminKeyInfo{Source: "env " + probe.VarAdminKey, Kind: probe.KindAdmin}
			r.Lookup = &probe.KeyLookup{Complete: true, Listed: 12, Looked: []int{0}, Records: map[int][]probe.KeyRecord{},
				Answers: []*probe.Answer{answer("admin", 200, "", "")}}
			r.Done[probe.ProbeAdmin] = true
		})
		if _, ok := r.KeyRecordOf(r.Active); ok {
			t.Fatal("a record for a key the list does not hold")
		}
		if d := Diagnose(r); d.Code != KeyRejected {
			t.Errorf("%s %q", d.Code, d.Title)
		}
		if c, _ := r.CheckByID(probe.CheckKeyRecord); c.Status != probe.Warn || !strings.Contains(c.Title, "no key with the hint") ||
			!strings.Contains(c.Title, "12 keys listed") {
			t.Errorf("check: %s %q", c.Status, c.Title)
		}
	})
}

// TestKeyRecordWithoutAdminKey: step 3 says what the lookup would tell and
// how to get an Admin key; the checklist and the JSON stay as they were.
func TestKeyRecordWithoutAdminKey(t *testing.T) {
	r, _ := recordRun(t, stub.KeyRecord{Status: stub.StatusInactive}, false, stub.Options{})
	if d := Diagnose(r); d.Code != KeyRejected {
		t.Fatalf("%s: without an Admin key a disabled key is a rejected one", d.Code)
	}
	p := BuildPage(Input{Report: r}, Permissions)
	if len(p.Facts) != 1 || p.Facts[0].Label != "Key record" {
		t.Fatalf("facts: %+v", p.Facts)
	}
	for _, s := range []string{"disabled, expired or archived", "ANTHROPIC_ADMIN_API_KEY", "--admin-key-stdin", "platform.claude.com/settings/admin-keys"} {
		if !strings.Contains(p.Facts[0].Value, s) {
			t.Errorf("the hint lacks %q: %s", s, p.Facts[0].Value)
		}
	}
	if _, ok := r.CheckByID(probe.CheckKeyRecord); ok {
		t.Error("a key.record check without an Admin key")
	}
}

// TestKeyRecordInOutputs: the record reaches the JSON (key and
// credentials), the checklist and the report, by hint only.
func TestKeyRecordInOutputs(t *testing.T) {
	created := time.Date(2026, 9, 14, 8, 30, 0, 0, time.UTC)
	r, w := recordRun(t, stub.KeyRecord{Name: "laptop", Status: stub.StatusInactive, CreatedAt: created, CreatedBy: "user_01Alice",
		Workspace: "wrkspc_01Team"}, true, stub.Options{Workspaces: map[string]stub.Workspace{"wrkspc_01Team": {Name: "Team"}}})
	d := Diagnose(r)
	j := ToJSON(r, d, "test")
	want := JSONKeyRecord{ID: j.Key.AdminRecord.ID, Name: "laptop", Status: "inactive", CreatedAt: "2026-09-14T08:30:00Z",
		CreatedBy: "user_01Alice", WorkspaceID: "wrkspc_01Team", WorkspaceName: "Team"}
	if j.Key.AdminRecord == nil || *j.Key.AdminRecord != want || !strings.HasPrefix(want.ID, "apikey_01") {
		t.Errorf("key.admin_record = %+v, want %+v", j.Key.AdminRecord, want)
	}
	if len(j.Credentials) != 1 || j.Credentials[0].AdminRecord == nil || j.Credentials[0].AdminRecord.Name != "laptop" {
		t.Errorf("credentials: %+v", j.Credentials)
	}
	b, err := json.Marshal(j)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"admin_record":{"id":"apikey_01`) || !strings.Contains(string(b), `"workspace_archived":false`) {
		t.Errorf("JSON: %s", b)
	}
	row := rowByID(ChecklistRows(r, nil), "credentials")
	if !strings.Contains(row.Result, "disabled (inactive) in the Admin API") {
		t.Errorf("credentials row: %q", row.Result)
	}
	md := SummaryMarkdown(SummaryInput{Report: r, Version: "test"})
	for _, s := range []string{`- **Key record (Admin API):** "laptop", disabled (inactive), created 2026-09-14 by user_01Alice, never expires, workspace Team (wrkspc_01Team)`,
		"[✗] Key record:", "GET /v1/organizations/api_keys (admin)", "`key_disabled`"} {
		if !strings.Contains(md, s) {
			t.Errorf("the report lacks %q:\n%s", s, md)
		}
	}
	for _, k := range w.keys {
		body := k[strings.LastIndex(k[:16], "-")+1:]
		for i := 0; i+probe.MinPiece <= len(body); i++ {
			if strings.Contains(md+string(b), body[i:i+probe.MinPiece]) {
				t.Fatalf("a piece of a key is in the output")
			}
		}
	}
}
