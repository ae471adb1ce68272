package steps

import (
	"slices"
	"strings"

	"github.com/fix401/fix401/probe"
)

// The rule of the cloud provider flags: a CLAUDE_CODE_USE_* flag sends
// Claude Code to Bedrock, Vertex AI, Foundry or Claude Platform on AWS,
// where the Anthropic key and login are not used at all.

// ProviderOverride: for Claude Code, a provider flag routes the requests
// away from the Anthropic key.
const ProviderOverride Code = "provider_override"

// providerExplain is what the headers step says first when the diagnosis
// is provider_override.
const providerExplain = "Claude Code can send its requests to a cloud provider instead of the Anthropic API. " +
	"One variable switches it, and then your Anthropic key and login are never read: a 401 or 403 comes from that provider."

// routedClaudeCode returns the flag that sends Claude Code elsewhere, when
// the run is about Claude Code; nil otherwise. An SDK ignores the flags.
func routedClaudeCode(r *probe.Report) *probe.FlagSetting {
	p := r.Provider
	if p == nil || !p.ClaudeCode || !p.Routed() {
		return nil
	}
	return p.Known()
}

func ruleProviderOverride(r *probe.Report) (Diagnosis, bool) {
	a := routedClaudeCode(r)
	if a == nil {
		return Diagnosis{}, false
	}
	p := r.Provider
	res, _ := r.CheckByID(probe.CheckProviderFlag)
	d := Diagnosis{Code: ProviderOverride, Title: res.Title}
	var off []string
	for _, f := range p.TurnedOn() {
		step := "delete " + lineWords(f.Source)
		switch f.Origin {
		case probe.OriginEnv:
			step = "`unset " + f.Var + "`"
		case probe.OriginClaude:
			step = "remove " + f.Var + " from the env block of " + f.Source
		}
		if !slices.Contains(off, step) {
			off = append(off, step)
		}
	}
	d.Fix = "To use your Anthropic key: " + joinAnd(off) + ", then start Claude Code again. " +
		"To use " + a.Provider.Name + ": " + providerNext(r, a)
	return d, true
}

// lineWords names a shell file's line for a fix: "line 12 of ~/.zshrc".
func lineWords(source string) string {
	i := strings.LastIndexByte(source, ':')
	if i < 0 {
		return source
	}
	return "line " + source[i+1:] + " of " + source[:i]
}

// providerNext is the provider's first failing item, else its first
// warning, else the proving command.
func providerNext(r *probe.Report, a *probe.FlagSetting) string {
	prefix := "provider." + a.Provider.ID + "."
	var fail, warn *probe.Result
	var cmd string
	for _, c := range r.Checks() {
		if !strings.HasPrefix(c.ID, prefix) {
			continue
		}
		switch {
		case c.Status == probe.Fail && fail == nil:
			fail = &c
		case c.Status == probe.Warn && warn == nil:
			warn = &c
		case strings.HasSuffix(c.ID, ".identity"):
			if i := strings.IndexByte(c.Title, '`'); i >= 0 {
				cmd = c.Title[i:]
			}
		}
	}
	first := fail
	if first == nil {
		first = warn
	}
	prove := "prove the identity there with " + cmd + "."
	if cmd == "" {
		prove = "its setup is not one fix401 knows how to check."
	}
	if first == nil {
		return "its settings look complete; " + prove
	}
	s := lowerFirst(first.Title)
	if first.Fix != "" {
		s += ": " + lowerFirst(strings.TrimSuffix(first.Fix, "."))
	}
	return s + "; then " + prove
}

// providerFacts are the routing lines of the headers step: where Claude
// Code goes and why, when a provider flag is set anywhere.
func providerFacts(r *probe.Report) []Fact {
	p := r.Provider
	if p == nil {
		return nil
	}
	goes := "the Anthropic API (no provider flag is on)"
	if a := p.Lead(); a != nil {
		goes = a.Provider.Name
	}
	facts := []Fact{{Label: "Claude Code goes to", Value: goes}}
	if !p.ClaudeCode {
		facts = append(facts, Fact{Label: "Your client", Value: r.Client.Name + ": it ignores the provider flags"})
	}
	if vs := p.ProviderVarsSet(); len(vs) > 0 {
		facts = append(facts, Fact{Label: "Provider variables", Value: strings.Join(vs, ", ")})
	}
	return facts
}

// providerRow is the checklist's provider item, when a flag is set
// anywhere.
func providerRow(r *probe.Report, c ChecklistRow) (ChecklistRow, bool) {
	p := r.Provider
	if p == nil {
		return c, false
	}
	res, _ := r.CheckByID(probe.CheckProviderFlag)
	c.Status = res.Status
	switch a := p.Lead(); {
	case a != nil && p.ClaudeCode:
		c.Result = "Claude Code goes to " + a.Provider.Name + " (" + a.Var + " in " + a.Where() + ")"
	case a != nil:
		c.Result = a.Var + " is on; the SDK ignores it"
	default:
		c.Result = lowerFirst(shortTitle(res.Title))
	}
	return c, true
}

// JSONProvider is where Claude Code sends its requests: provider is the
// id of the provider whose flag is on (bedrock, foundry, anthropic_aws,
// mantle, vertex, gateway) or "anthropic"; claude_code says whether the
// run is about Claude Code (else the flags only concern Claude Code, not
// the client checked); flags are every place a flag is set.
type JSONProvider struct {
	Provider   string     `json:"provider"`
	ClaudeCode bool       `json:"claude_code"`
	Flags      []JSONFlag `json:"flags"`
}

// JSONFlag is one place a provider flag is set. source is env:NAME or
// file:line; state is on, off, unclear or unknown (set by a command);
// seen says whether Claude Code gets it: now, new_terminal (exported by a
// shell file this terminal predates), not (not exported), overridden,
// inherited (the shell line the environment likely got it from).
type JSONFlag struct {
	Var    string `json:"var"`
	Source string `json:"source"`
	State  string `json:"state"`
	Seen   string `json:"seen"`
}

func jsonProvider(r *probe.Report) *JSONProvider {
	p := r.Provider
	if p == nil {
		return nil
	}
	j := &JSONProvider{Provider: "anthropic", ClaudeCode: p.ClaudeCode, Flags: []JSONFlag{}}
	if a := p.Lead(); a != nil {
		j.Provider = a.Provider.ID
	}
	for _, f := range p.Flags {
		src := f.Source
		if f.Origin == probe.OriginEnv {
			src = "env:" + f.Var
		}
		j.Flags = append(j.Flags, JSONFlag{Var: f.Var, Source: src, State: string(f.State), Seen: string(f.Seen)})
	}
	return j
}
