package steps

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/stub"
)

// profile writes the SDK profile name as `ant auth login` does, with a
// refresh token, and its credentials file at mode.
func (w *world) profile(name, tok string, expires time.Time, mode os.FileMode) {
	w.t.Helper()
	w.file(".config/anthropic/configs/"+name+".json",
		`{"version":"1.0","authentication":{"type":"user_oauth"},"organization_id":"`+stub.OrganizationID+`","base_url":"`+w.env.BaseURL+`"}`)
	creds := ".config/anthropic/credentials/" + name + ".json"
	w.file(creds, `{"version":"1.0","access_token":"`+tok+`","expires_at":`+strconv.FormatInt(expires.Unix(), 10)+`}`)
	if err := os.Chmod(filepath.Join(w.env.Home, creds), mode); err != nil {
		w.t.Fatal(err)
	}
}

// The fixes of the profile tier name the file and the command.
func TestProfileFixes(t *testing.T) {
	tests := []struct {
		name  string
		setup func(w *world)
		code  Code
		want  []string
	}{
		{"group-readable credentials", func(w *world) {
			w.profile("default", w.key(stub.NewOAuthToken()), time.Now().Add(time.Hour), 0o644)
		}, ProfileBroken, []string{"chmod 600 ", filepath.Join(".config", "anthropic", "credentials", "default.json")}},
		{"named profile missing", func(w *world) {
			w.env.Vars["ANTHROPIC_PROFILE"] = "prod"
		}, ProfileBroken, []string{`"prod"`, "ant auth login"}},
		{"expired login", func(w *world) {
			tok := w.key(stub.NewOAuthToken())
			w.env.Vars["FIX401_TEST_REVOKED"] = tok
			w.profile("default", tok, time.Now().Add(-50*time.Hour), 0o600)
		}, TokenExpired, []string{"2 days ago", "ant auth login"}},
		{"API key shadows a working profile", func(w *world) {
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
			w.env.Vars["FIX401_TEST_REVOKED"] = w.env.Vars["ANTHROPIC_API_KEY"]
			w.profile("default", w.key(stub.NewOAuthToken()), time.Now().Add(time.Hour), 0o600)
		}, KeyShadowed, []string{"unset ANTHROPIC_API_KEY", "the SDK will use your profile"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			tt.setup(w)
			revoked := w.env.Vars["FIX401_TEST_REVOKED"]
			delete(w.env.Vars, "FIX401_TEST_REVOKED")
			w.serve(stub.Options{RevokedKeys: []string{revoked}}, false)
			r := probe.Run(context.Background(), w.env)
			d := Diagnose(r)
			if d.Code != tt.code {
				t.Fatalf("diagnosis %s (%s), want %s\nchecks:\n%s", d.Code, d.Title, tt.code, dump(r))
			}
			for _, s := range tt.want {
				if !strings.Contains(d.Title+" "+d.Fix, s) {
					t.Errorf("%q not in %q / %q", s, d.Title, d.Fix)
				}
			}
		})
	}
}

// A curl-style client reads no profile: an API key that fails is not
// "shadowing" it, and a profile alone is no key for it.
func TestCurlReadsNoProfile(t *testing.T) {
	w := newWorld(t)
	w.serve(stub.Options{}, false)
	w.env.For = "curl"
	w.profile("default", w.key(stub.NewOAuthToken()), time.Now().Add(time.Hour), 0o600)
	r := probe.Run(context.Background(), w.env)
	if d := Diagnose(r); d.Code != NoKey {
		t.Fatalf("diagnosis %s (%s), want no_key for curl", d.Code, d.Title)
	}
}
