package probe

// The Claude Code source: the env block and apiKeyHelper of its settings
// files.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// claudeSource yields the credentials in Claude Code's settings files.
type claudeSource struct{}

func (claudeSource) Name() string { return string(OriginClaude) }

func (claudeSource) Find(d *discovery) []Candidate { return d.claude() }

// claude reads Claude Code's settings files: variables of interest in
// their env block, and apiKeyHelper, which is a command and is not run.
func (d *discovery) claude() []Candidate {
	var paths []string
	if d.home != "" {
		paths = append(paths, filepath.Join(d.home, ".claude", "settings.json"))
	}
	for _, name := range []string{"settings.json", "settings.local.json"} {
		if p := filepath.Join(d.dir, ".claude", name); !slices.Contains(paths, p) {
			paths = append(paths, p)
		}
	}
	var out []Candidate
	for _, path := range paths {
		data, ok := d.readFile(path, !strings.HasPrefix(path, filepath.Join(d.home, ".claude")+string(filepath.Separator)) || d.home == "")
		if !ok {
			continue
		}
		out = append(out, d.mark(path, d.scanClaude(path, data))...)
	}
	return out
}

func (d *discovery) scanClaude(path string, data []byte) []Candidate {
	var s struct {
		Env    map[string]json.RawMessage `json:"env"`
		Helper json.RawMessage            `json:"apiKeyHelper"`
	}
	if json.Unmarshal(data, &s) != nil {
		return nil
	}
	projectFirst := !strings.HasPrefix(path, filepath.Join(d.home, ".claude")+string(filepath.Separator)) || d.home == ""
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
