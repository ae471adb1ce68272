package probe_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/creds"
	"github.com/fix401/fix401/probe/stub"
	"github.com/fix401/fix401/steps"
)

// On macOS, a signed-in claude.ai account with no credentials file keeps
// its token in the Keychain: the diagnosis says fix401 cannot see it and
// names `claude /status`, never "create a key in the Console". On Linux
// the same files are a plain no_key.
func TestClaudeKeychainDiagnosis(t *testing.T) {
	for _, g := range []string{"darwin", "linux"} {
		restore := probe.SetGOOSForTest(g)
		home := t.TempDir()
		if err := os.WriteFile(filepath.Join(home, ".claude.json"), []byte(`{"oauthAccount":{"accountUuid":"u"}}`), 0o600); err != nil {
			t.Fatal(err)
		}
		srv, err := stub.Start(stub.Options{})
		if err != nil {
			t.Fatal(err)
		}
		r := probe.Run(t.Context(), &probe.Env{Home: home, Dir: t.TempDir(), For: creds.ClaudeCode, Vars: map[string]string{},
			BaseURL: srv.URL, StatusURL: srv.URL, Timeout: time.Minute})
		srv.Close()
		restore()
		d := steps.Diagnose(r)
		mac := g == "darwin"
		if d.Code != steps.NoKey || strings.Contains(d.Title, "Keychain") != mac || strings.Contains(d.Fix, "claude /status") != mac {
			t.Errorf("%s: %s %q → %q", g, d.Code, d.Title, d.Fix)
		}
	}
}
