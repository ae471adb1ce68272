package probe

// The Claude Code source: the env block and apiKeyHelper of its settings
// files.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
)

// claudeSource yields the credentials in Claude Code's stores: the env
// block and apiKeyHelper of its settings files (managed, local, project,
// user), and, when Claude Code is the client, what /login left:
// ~/.claude/.credentials.json and ~/.claude.json.
type claudeSource struct{}

func (claudeSource) Name() string { return string(OriginClaude) }

func (claudeSource) Find(d *discovery) []Candidate {
	out := d.claude()
	if d.cc != nil {
		out = append(out, d.claudeLogin()...)
	}
	return out
}

// claude reads Claude Code's settings files, highest scope first:
// variables of interest in their env block, and apiKeyHelper, which is a
// command and is not run.
func (d *discovery) claude() []Candidate {
	files := d.settingsFiles()
	var out []Candidate
	for _, f := range files {
		projectFirst := f.Scope == ScopeLocal || f.Scope == ScopeProject
		data, ok := d.readFile(f.Path, projectFirst)
		if !ok {
			continue
		}
		if d.cc != nil {
			if d.cc.scopes == nil {
				d.cc.scopes = map[string]string{}
			}
			d.cc.scopes[f.Path] = f.Scope
		}
		out = append(out, d.mark(f.Path, d.scanClaude(f.Path, data, projectFirst))...)
	}
	return out
}

func (d *discovery) scanClaude(path string, data []byte, projectFirst bool) []Candidate {
	var s struct {
		Env    map[string]json.RawMessage `json:"env"`
		Helper json.RawMessage            `json:"apiKeyHelper"`
	}
	if json.Unmarshal(data, &s) != nil {
		return nil
	}
	var names []string
	for _, name := range KeyVars {
		if _, ok := s.Env[name]; ok {
			names = append(names, name)
		}
	}
	var others []string
	for name, raw := range s.Env {
		if !slices.Contains(KeyVars, name) && strings.Contains(string(raw), "sk-ant-") {
			others = append(others, name)
		}
	}
	sort.Strings(others)
	names = append(names, others...)
	if len(names) > MaxFileCandidates {
		d.note(path, d.label(path, 0, projectFirst), fmt.Sprintf("%d variables hold keys: only the first %d were read", len(names), MaxFileCandidates))
		names = names[:MaxFileCandidates]
	}
	var out []Candidate
	for _, name := range names {
		var v string
		if json.Unmarshal(s.Env[name], &v) != nil {
			continue
		}
		line := jsonKeyLine(data, name)
		out = append(out, finish(Candidate{Source: d.label(path, line, projectFirst), Origin: OriginClaude, Var: name,
			Path: path, Line: line, Exported: true, Value: v, Raw: string(s.Env[name])}))
	}
	var helper string
	if len(s.Helper) > 0 && json.Unmarshal(s.Helper, &helper) == nil && helper != "" {
		line := jsonKeyLine(data, VarHelper)
		c := Candidate{Source: d.label(path, line, projectFirst), Origin: OriginClaude, Var: VarHelper,
			Path: path, Line: line, Raw: helper}
		out = append(out, unresolved(c, "apiKeyHelper runs a command to get the key; fix401 does not run it"))
	}
	return out
}

// jsonKeyLine returns the 1-based line of the first `"name":` in data, or 0.
func jsonKeyLine(data []byte, name string) int {
	re := regexp.MustCompile(`"` + regexp.QuoteMeta(name) + `"\s*:`)
	loc := re.FindIndex(data)
	if loc == nil {
		return 0
	}
	return bytes.Count(data[:loc[0]], []byte{'\n'}) + 1
}

// maxClaudeConfig bounds the read of ~/.claude.json, which also keeps
// Claude Code's per-project history and grows to megabytes; the fields
// fix401 wants are read from what fits.
const maxClaudeConfig = 8 << 20

// claudeLogin reads what /login leaves: the claude.ai token in
// ~/.claude/.credentials.json, and ~/.claude.json's primaryApiKey (a
// Console login's key) and oauthAccount (a claude.ai account is signed
// in). On macOS the token is in the Keychain instead, which fix401 does
// not read.
func (d *discovery) claudeLogin() []Candidate {
	if d.home == "" {
		return nil
	}
	cc := d.cc
	var out []Candidate
	cc.CredentialsPath = filepath.Join(d.home, ".claude", ".credentials.json")
	credsFound := false
	if data, ok := d.readFile(cc.CredentialsPath, false); ok {
		credsFound = true
		out = append(out, d.mark(cc.CredentialsPath, d.scanClaudeCredentials(data))...)
	}
	cc.ConfigPath = filepath.Join(d.home, ".claude.json")
	data, err := ReadRegular(cc.ConfigPath, maxClaudeConfig)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		d.note(cc.ConfigPath, d.label(cc.ConfigPath, 0, false), "not read: "+readError(err))
	default:
		out = append(out, d.mark(cc.ConfigPath, d.scanClaudeConfig(data))...)
	}
	cc.Keychain = goos == "darwin" && !credsFound && cc.OAuthAccount
	return out
}

// scanClaudeCredentials reads claudeAiOauth from .credentials.json.
func (d *discovery) scanClaudeCredentials(data []byte) []Candidate {
	cc := d.cc
	var f struct {
		OAuth *struct {
			AccessToken  string          `json:"accessToken"`
			RefreshToken string          `json:"refreshToken"`
			ExpiresAt    json.RawMessage `json:"expiresAt"`
			Scopes       []string        `json:"scopes"`
			Subscription string          `json:"subscriptionType"`
		} `json:"claudeAiOauth"`
	}
	if json.Unmarshal(data, &f) != nil {
		d.note(cc.CredentialsPath, d.label(cc.CredentialsPath, 0, false), "is not valid JSON: Claude Code cannot read its login either")
		return nil
	}
	o := f.OAuth
	if o == nil {
		return nil
	}
	cc.HasRefresh, cc.refresh = o.RefreshToken != "", o.RefreshToken
	var ms float64
	if json.Unmarshal(o.ExpiresAt, &ms) == nil && ms > 0 && ms < 1e14 {
		cc.ExpiresAt = time.UnixMilli(int64(ms))
	}
	for _, sc := range o.Scopes {
		if len(cc.Scopes) < 16 {
			cc.Scopes = append(cc.Scopes, clipText(sc))
		}
	}
	cc.Subscription = clipText(o.Subscription)
	if o.AccessToken == "" {
		return nil
	}
	cc.HasLogin = true
	line := jsonKeyLine(data, "accessToken")
	return []Candidate{finish(Candidate{Source: d.label(cc.CredentialsPath, line, false), Origin: OriginClaude, Var: VarClaudeLogin,
		Path: cc.CredentialsPath, Line: line, Exported: true, Value: o.AccessToken, Raw: o.AccessToken})}
}

// scanClaudeConfig reads the top-level primaryApiKey and oauthAccount of
// ~/.claude.json, token by token, skipping everything else; a file cut
// short by the bound keeps what was read before the cut.
func (d *discovery) scanClaudeConfig(data []byte) []Candidate {
	cc := d.cc
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var out []Candidate
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			break
		}
		name, _ := t.(string)
		var raw json.RawMessage
		if dec.Decode(&raw) != nil {
			break
		}
		switch name {
		case "oauthAccount":
			var acct map[string]json.RawMessage
			cc.OAuthAccount = json.Unmarshal(raw, &acct) == nil && len(acct) > 0
		case VarPrimaryKey:
			var v string
			if json.Unmarshal(raw, &v) != nil || v == "" {
				continue
			}
			cc.PrimaryKey = true
			line := jsonKeyLine(data, VarPrimaryKey)
			out = append(out, finish(Candidate{Source: d.label(cc.ConfigPath, line, false), Origin: OriginClaude, Var: VarPrimaryKey,
				Path: cc.ConfigPath, Line: line, Exported: true, Value: v, Raw: v}))
		}
	}
	return out
}
