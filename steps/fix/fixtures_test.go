package fix

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
	"unicode/utf16"

	"mvdan.cc/sh/v3/syntax"

	"github.com/fix401/fix401/probe/stub"
	"github.com/fix401/fix401/steps"
)

const stamp = "# disabled by fix401 on 2026-11-29: "

func utf16le(s string) string {
	var b bytes.Buffer
	b.Write([]byte{0xFF, 0xFE})
	for _, u := range utf16.Encode([]rune(s)) {
		b.WriteByte(byte(u))
		b.WriteByte(byte(u >> 8))
	}
	return b.String()
}

// fixture is one world before the fix, and what the plan must do to it.
type fixture struct {
	name string
	// setup builds the world; it returns the stub's options (keys valid
	// and revoked), the files the plan must change with their whole bytes
	// after, and the commands the manual steps must give.
	setup  func(w *world) (opts stub.Options, after map[string]string, commands []string)
	code   steps.Code // the diagnosis before
	stdin  string     // a key given on stdin
	wsID   string     // --workspace-id
	fixed  bool       // the key works after the plan is applied
	manual int        // how many manual steps, when more than the commands
	modes  map[string]os.FileMode
	// parse: shell files that must still parse after the plan.
	parse []string
	// tracked: git tracks these files (relative to the home).
	tracked []string
}

var fixtures = []fixture{
	{name: "stale export in every shell file, multi-line and fish", code: steps.KeyShadowed, fixed: true, manual: 2,
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			old, fresh := w.key(stub.NewAPIKey()), w.key(stub.NewAPIKey())
			w.env.Vars["ANTHROPIC_API_KEY"] = old
			zshrc := "alias ll='ls -l'\nexport ANTHROPIC_API_KEY=\"" + old + "\"\nexport EDITOR=nvim\n"
			bashrc := "# keys\nexport ANTHROPIC_API_KEY='" + old + "\n'\nPS1='$ '\n"
			fishc := "set -gx EDITOR nvim\nset -gx ANTHROPIC_API_KEY " + old + " # old\n"
			profile := "ANTHROPIC_API_KEY=" + old + "\nexport ANTHROPIC_API_KEY\n"
			w.file(".zshrc", zshrc)
			w.file(".bashrc", bashrc)
			w.file(".config/fish/config.fish", fishc)
			w.file(".profile", profile)
			w.file("project/.gitignore", ".env\n")
			w.file("project/.env", "ANTHROPIC_API_KEY="+fresh+"\n")
			return stub.Options{ValidKeys: []string{fresh}, RevokedKeys: []string{old}}, map[string]string{
				".zshrc":                   "alias ll='ls -l'\n" + stamp + "export ANTHROPIC_API_KEY=\"" + old + "\"\nexport EDITOR=nvim\n",
				".bashrc":                  "# keys\n" + stamp + "export ANTHROPIC_API_KEY='" + old + "\n# '\nPS1='$ '\n",
				".config/fish/config.fish": "set -gx EDITOR nvim\n" + stamp + "set -gx ANTHROPIC_API_KEY " + old + " # old\n",
				".profile":                 stamp + "ANTHROPIC_API_KEY=" + old + "\nexport ANTHROPIC_API_KEY\n",
			}, []string{"unset ANTHROPIC_API_KEY"}
		}},
	{name: "stale export alone in an if block", code: steps.KeyShadowed, fixed: true, manual: 2, parse: []string{".bashrc"},
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			old, fresh := w.key(stub.NewAPIKey()), w.key(stub.NewAPIKey())
			w.env.Vars["ANTHROPIC_API_KEY"] = old
			w.file(".bashrc", "if [ -d ~/work ]; then\n    export ANTHROPIC_API_KEY="+old+"\nfi\n")
			w.file("project/.gitignore", ".env\n")
			w.file("project/.env", "ANTHROPIC_API_KEY="+fresh+"\n")
			return stub.Options{ValidKeys: []string{fresh}, RevokedKeys: []string{old}}, map[string]string{
				".bashrc": "if [ -d ~/work ]; then\n    true " + stamp + "export ANTHROPIC_API_KEY=" + old + "\nfi\n",
			}, []string{"unset ANTHROPIC_API_KEY"}
		}},
	{name: "a rejected key still exported by .zshrc, a working one in use", code: steps.OK, fixed: true,
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			old, fresh := w.key(stub.NewAPIKey()), w.key(stub.NewAPIKey())
			w.env.Vars["ANTHROPIC_API_KEY"] = fresh
			w.file(".zshrc", "export ANTHROPIC_API_KEY="+old+"\n")
			return stub.Options{ValidKeys: []string{fresh}, RevokedKeys: []string{old}}, map[string]string{
				".zshrc": stamp + "export ANTHROPIC_API_KEY=" + old + "\n",
			}, nil
		}},
	{name: "stale .env.local over a working .env, multi-line", code: steps.KeyMalformed, fixed: true,
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			old, fresh := w.key(stub.NewAPIKey()), w.key(stub.NewAPIKey())
			w.file("project/.gitignore", ".env*\n")
			w.file("project/.env", "ANTHROPIC_API_KEY="+fresh+"\n")
			w.file("project/.env.local", "A=1\nANTHROPIC_API_KEY=\""+old+"\n\"\nB=2\n")
			return stub.Options{ValidKeys: []string{fresh}, RevokedKeys: []string{old}}, map[string]string{
				"project/.env.local": "A=1\n" + stamp + "ANTHROPIC_API_KEY=\"" + old + "\n# \"\nB=2\n",
			}, nil
		}},
	{name: "dead key in .env, a new one on stdin", code: steps.OK, fixed: true,
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			old, fresh := w.key(stub.NewAPIKey()), w.key(stub.NewAPIKey())
			w.env.StdinKey, w.env.HasStdinKey = fresh, true
			w.file("project/.gitignore", ".env\n")
			w.file("project/.env", "X=1\nANTHROPIC_API_KEY='"+old+"' # from 2025\n")
			return stub.Options{ValidKeys: []string{fresh}, RevokedKeys: []string{old}}, map[string]string{
				"project/.env": "X=1\nANTHROPIC_API_KEY='" + fresh + "' # from 2025\n",
			}, nil
		}},
	{name: "dead key exported from .zshrc, a new one on stdin", code: steps.OK,
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			old, fresh := w.key(stub.NewAPIKey()), w.key(stub.NewAPIKey())
			w.env.StdinKey, w.env.HasStdinKey = fresh, true
			w.env.Vars["ANTHROPIC_API_KEY"] = old
			w.file(".zshrc", "export ANTHROPIC_API_KEY=\""+old+"\"\n")
			w.file(".bashrc", "export ANTHROPIC_API_KEY="+old+"\n")
			return stub.Options{ValidKeys: []string{fresh}, RevokedKeys: []string{old}}, map[string]string{
				".zshrc":  "export ANTHROPIC_API_KEY=\"" + fresh + "\"\n",
				".bashrc": "export ANTHROPIC_API_KEY=" + fresh + "\n",
			}, []string{"unset ANTHROPIC_API_KEY", "source ~/.bashrc"}
		}},
	{name: "workspace id added to the custom headers in .env", code: steps.OK, wsID: stub.DefaultWorkspace, fixed: true,
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			k := w.key(stub.NewAPIKey())
			w.env.For = "python"
			w.file("project/.gitignore", ".env\n")
			w.file("project/.env", "ANTHROPIC_CUSTOM_HEADERS=\"x-trace: 1\"\nANTHROPIC_API_KEY="+k+"\n")
			return stub.Options{Scenario: stub.WorkspaceNeeded, ValidKeys: []string{k}}, map[string]string{
				"project/.env": "ANTHROPIC_CUSTOM_HEADERS=\"x-trace: 1\\nanthropic-workspace-id: " + stub.DefaultWorkspace + "\"\nANTHROPIC_API_KEY=" + k + "\n",
			}, nil
		}},
	{name: "no key at all, a new one on stdin", code: steps.OK, fixed: true,
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			fresh := w.key(stub.NewAPIKey())
			w.env.StdinKey, w.env.HasStdinKey = fresh, true
			return stub.Options{ValidKeys: []string{fresh}}, map[string]string{
				"project/.env":       "ANTHROPIC_API_KEY=" + fresh + "\n",
				"project/.gitignore": ".env\n",
			}, nil
		}},
	{name: "newline, quotes and a zero-width space, CRLF .env", code: steps.KeyMalformed, fixed: true,
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			k := w.key(stub.NewAPIKey())
			w.file("project/.gitignore", ".env\n")
			w.file("project/.env", "A=1\r\nANTHROPIC_API_KEY=\"'"+k+"\u200b'\\n\"\r\nB=2\r\n")
			return stub.Options{ValidKeys: []string{k}}, map[string]string{
				"project/.env": "A=1\r\nANTHROPIC_API_KEY=\"" + k + "\"\r\nB=2\r\n",
			}, nil
		}},
	{name: "smart quotes, unquoted", code: steps.KeyMalformed, fixed: true,
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			k := w.key(stub.NewAPIKey())
			w.file("project/.gitignore", ".env\n")
			w.file("project/.env", "ANTHROPIC_API_KEY=\u201c"+k+"\u201d \n")
			return stub.Options{ValidKeys: []string{k}}, map[string]string{
				"project/.env": "ANTHROPIC_API_KEY=" + k + " \n",
			}, nil
		}},
	{name: "exported key with \\r from a CRLF .zshrc", code: steps.KeyMalformed,
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			k := w.key(stub.NewAPIKey())
			w.env.Vars["ANTHROPIC_API_KEY"] = k + "\r"
			w.file(".zshrc", "export A=1\r\nexport ANTHROPIC_API_KEY="+k+"\r\n")
			return stub.Options{ValidKeys: []string{k}}, map[string]string{
				".zshrc": "export A=1\r\nexport ANTHROPIC_API_KEY=" + k + "\n",
			}, []string{"source ~/.zshrc"}
		}},
	{name: "UTF-8 byte-order mark", code: steps.OK, fixed: true,
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			k := w.key(stub.NewAPIKey())
			w.file("project/.gitignore", ".env\n")
			w.file("project/.env", "\ufeffANTHROPIC_API_KEY="+k+"\n")
			return stub.Options{ValidKeys: []string{k}}, map[string]string{
				"project/.env": "ANTHROPIC_API_KEY=" + k + "\n",
			}, nil
		}},
	{name: "UTF-16 .env", code: steps.KeyNotLoaded, fixed: true,
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			k := w.key(stub.NewAPIKey())
			w.file("project/.gitignore", ".env\n")
			w.file("project/.env", utf16le("ANTHROPIC_API_KEY="+k+"\r\n"))
			return stub.Options{ValidKeys: []string{k}}, map[string]string{
				"project/.env": "ANTHROPIC_API_KEY=" + k + "\r\n",
			}, nil
		}},
	{name: "API key in ANTHROPIC_AUTH_TOKEN, refused", code: steps.KeyWrongKind,
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			k := w.key(stub.NewAPIKey())
			w.file("project/.gitignore", ".env\n")
			w.file("project/.env", "ANTHROPIC_AUTH_TOKEN="+k+"\n")
			return stub.Options{Scenario: stub.Revoked}, map[string]string{
				"project/.env": "ANTHROPIC_API_KEY=" + k + "\n",
			}, nil
		}},
	{name: "API key exported as ANTHROPIC_AUTH_TOKEN from .bashrc, refused", code: steps.KeyWrongKind,
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			k := w.key(stub.NewAPIKey())
			w.env.Vars["ANTHROPIC_AUTH_TOKEN"] = k
			w.file(".bashrc", "export PATH=$PATH:~/bin\nexport ANTHROPIC_AUTH_TOKEN=\""+k+"\"\n")
			return stub.Options{Scenario: stub.Revoked}, map[string]string{
				".bashrc": "export PATH=$PATH:~/bin\nexport ANTHROPIC_API_KEY=\"" + k + "\"\n",
			}, []string{"unset ANTHROPIC_AUTH_TOKEN", "source ~/.bashrc"}
		}},
	{name: "workspace id proved by --workspace-id", code: steps.OK, wsID: stub.DefaultWorkspace, fixed: true,
		// The check after the fix reads the header from .env, as the app's
		// dotenv loader would: no --workspace-id, nothing in the environment.
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			k := w.key(stub.NewAPIKey())
			w.env.For = "python" // a client that sends ANTHROPIC_CUSTOM_HEADERS
			w.file("project/.gitignore", ".env\n")
			w.file("project/.env", "ANTHROPIC_API_KEY="+k+"\n")
			return stub.Options{Scenario: stub.WorkspaceNeeded, ValidKeys: []string{k}}, map[string]string{
				"project/.env": "ANTHROPIC_API_KEY=" + k + "\nANTHROPIC_CUSTOM_HEADERS=\"anthropic-workspace-id: " + stub.DefaultWorkspace + "\"\n",
			}, nil
		}},
	{name: "credentials file readable by others", code: steps.ProfileBroken, fixed: true,
		modes: map[string]os.FileMode{".config/anthropic/credentials/default.json": 0o600},
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			tok := w.key(stub.NewOAuthToken())
			w.file(".config/anthropic/configs/default.json",
				`{"version":"1.0","authentication":{"type":"user_oauth"},"organization_id":"`+stub.OrganizationID+`","base_url":"`+w.env.BaseURL+`"}`)
			creds := `{"version":"1.0","access_token":"` + tok + `","expires_at":` + strconv.FormatInt(clock.Add(time.Hour).Unix(), 10) + `}`
			p := w.file(".config/anthropic/credentials/default.json", creds)
			if err := os.Chmod(p, 0o644); err != nil {
				w.t.Fatal(err)
			}
			return stub.Options{ValidKeys: []string{tok}}, map[string]string{
				".config/anthropic/credentials/default.json": creds,
			}, nil
		}},
	{name: ".env with a key, not ignored", code: steps.OK, fixed: true,
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			k := w.key(stub.NewAPIKey())
			w.file("project/.gitignore", "node_modules/\n!.env\n.env.*") // no final newline
			w.file("project/.env", "ANTHROPIC_API_KEY="+k+"\n")
			return stub.Options{ValidKeys: []string{k}}, map[string]string{
				"project/.gitignore": "node_modules/\n!.env\n.env.*\n.env\n",
			}, nil
		}},
	{name: ".env with a key, committed", code: steps.OK, fixed: true, manual: 2, tracked: []string{"project/.env"},
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			k := w.key(stub.NewAPIKey())
			w.file("project/.env", "ANTHROPIC_API_KEY="+k+"\n")
			return stub.Options{ValidKeys: []string{k}}, map[string]string{
				"project/.gitignore": ".env\n",
			}, []string{"git -C " + steps.ShellQuote(filepath.Join(w.env.Home, "project")) + " rm --cached .env"}
		}},
	{name: "exported empty, hiding the key in .env", code: steps.KeyShadowed, fixed: true,
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			k := w.key(stub.NewAPIKey())
			w.env.Vars["ANTHROPIC_API_KEY"] = ""
			w.file(".zshrc", "export ANTHROPIC_API_KEY=\nexport B=1\n")
			w.file("project/.gitignore", ".env\n")
			w.file("project/.env", "ANTHROPIC_API_KEY="+k+"\n")
			return stub.Options{ValidKeys: []string{k}}, map[string]string{
				".zshrc": stamp + "export ANTHROPIC_API_KEY=\nexport B=1\n",
			}, []string{"unset ANTHROPIC_API_KEY"}
		}},
	{name: "set without export in .zshrc", code: steps.KeyNotLoaded,
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			k := w.key(stub.NewAPIKey())
			w.file(".zshrc", "ANTHROPIC_API_KEY="+k+"\n")
			return stub.Options{ValidKeys: []string{k}}, map[string]string{
				".zshrc": "export ANTHROPIC_API_KEY=" + k + "\n",
			}, []string{"source ~/.zshrc"}
		}},
	{name: "a refused key in .zshrc, not exported: not exported either", code: steps.KeyNotLoaded, manual: 2,
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			k := w.key(stub.NewAPIKey())
			w.file(".zshrc", "ANTHROPIC_API_KEY="+k+"\n")
			return stub.Options{RevokedKeys: []string{k}}, map[string]string{}, []string{"fix401 fix --key-stdin"}
		}},
	{name: "a name no SDK reads", code: steps.KeyNotLoaded, fixed: true,
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			k := w.key(stub.NewAPIKey())
			w.file("project/.gitignore", ".env\n")
			w.file("project/.env", "CLAUDE_API_KEY="+k+"\n")
			return stub.Options{ValidKeys: []string{k}}, map[string]string{
				"project/.env": "ANTHROPIC_API_KEY=" + k + "\n",
			}, nil
		}},
	{name: "ANTHROPIC_AUTH_TOKEN beside the key", code: steps.AuthConflict, manual: 3,
		setup: func(w *world) (stub.Options, map[string]string, []string) {
			k, tok := w.key(stub.NewAPIKey()), w.key(stub.NewOAuthToken())
			w.env.Vars["ANTHROPIC_API_KEY"] = k
			w.env.Vars["ANTHROPIC_AUTH_TOKEN"] = tok
			w.file(".bashrc", "export ANTHROPIC_AUTH_TOKEN="+tok+"\n")
			return stub.Options{Scenario: stub.Revoked}, map[string]string{
				".bashrc": stamp + "export ANTHROPIC_AUTH_TOKEN=" + tok + "\n",
			}, []string{"unset ANTHROPIC_AUTH_TOKEN"}
		}},
}

// TestFixtures: each kind of change on real files, probed against the
// stub: the whole file after the plan, the manual steps, and for the
// fixes a file edit completes, the key works once the plan is applied
// and a second plan changes nothing.
func TestFixtures(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, stub.Options{})
			w.stub.Close()
			opts, after, commands := fx.setup(w)
			s, err := stub.Start(opts)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(s.Close)
			rewriteURL(t, w, s.URL)
			w.env.WorkspaceID = fx.wsID
			r, d := w.run()
			if d.Code != fx.code {
				t.Fatalf("diagnosis %s (%s), want %s", d.Code, d.Title, fx.code)
			}
			tracked := func(path string) bool {
				for _, rel := range fx.tracked {
					if path == filepath.Join(w.env.Home, rel) {
						return true
					}
				}
				return false
			}
			p := MakeWith(r, d, readFile, Options{Dir: w.env.Dir, Now: func() time.Time { return clock }, WorkspaceID: fx.wsID, Tracked: tracked})
			if len(p.Changes) != len(after) {
				t.Errorf("%d changes, want %d:\n%s", len(p.Changes), len(after), describe(p))
			}
			for rel, want := range after {
				c := changeFor(t, p, filepath.Join(w.env.Home, rel))
				if string(c.After) != want {
					t.Errorf("%s after:\n%q\nwant:\n%q", rel, c.After, want)
				}
				if m := fx.modes[rel]; c.Mode != m {
					t.Errorf("%s: mode %#o, want %#o", rel, c.Mode, m)
				}
				if len(c.Why) == 0 {
					t.Errorf("%s: a change without a reason", rel)
				}
				if slices.Contains(fx.parse, rel) {
					if _, err := syntax.NewParser().Parse(bytes.NewReader(c.After), rel); err != nil {
						t.Errorf("%s no longer parses: %v", rel, err)
					}
				}
			}
			// Exact: a step by hand that is not needed makes fix401 fix
			// exit 1 after a fix that worked.
			if want := max(fx.manual, len(commands)); len(p.Manual) != want {
				t.Errorf("%d manual steps, want %d:\n%s", len(p.Manual), want, describe(p))
			}
			for _, cmd := range commands {
				if !hasCommand(p, cmd) {
					t.Errorf("no manual step runs %q:\n%s", cmd, describe(p))
				}
			}
			noKeyIn(t, p, w.keys)
			if !fx.fixed {
				return
			}
			w.apply(p)
			w.env.StdinKey, w.env.HasStdinKey = "", false
			w.env.WorkspaceID = ""
			r2, d2 := w.run()
			if d2.Code != steps.OK {
				t.Fatalf("after the plan: %s (%s)\nplan:\n%s", d2.Code, d2.Title, describe(p))
			}
			p2 := MakeWith(r2, d2, readFile, Options{Dir: w.env.Dir, Now: func() time.Time { return clock }})
			if len(p2.Changes) != 0 {
				t.Errorf("a second plan changes files:\n%s", describe(p2))
			}
		})
	}
}

// rewriteURL points the world, and the files that name the old stub, at
// the stub that serves the fixture's keys.
func rewriteURL(t *testing.T, w *world, url string) {
	t.Helper()
	old := w.env.BaseURL
	w.env.BaseURL, w.env.StatusURL = url, url
	p := filepath.Join(w.env.Home, ".config/anthropic/configs/default.json")
	if data, err := os.ReadFile(p); err == nil {
		if err := os.WriteFile(p, bytes.ReplaceAll(data, []byte(old), []byte(url)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
