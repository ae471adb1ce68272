package probe

// The environment source: the process's own variables, the first place
// every client looks.

import (
	"slices"
	"sort"
	"strings"
)

// envSource yields the variables of this process that hold or name a key.
type envSource struct{}

func (envSource) Name() string { return string(OriginEnv) }

func (envSource) Find(d *discovery) []Candidate { return d.environment() }

func (d *discovery) environment() []Candidate {
	var out []Candidate
	add := func(name string) {
		v := d.env.Vars[name]
		out = append(out, finish(Candidate{Source: "env " + name, Origin: OriginEnv, Var: name, Exported: true, Value: v, Raw: v}))
	}
	for _, name := range KeyVars {
		if _, ok := d.env.Vars[name]; ok {
			add(name)
		}
	}
	var others []string
	for name, v := range d.env.Vars {
		if !slices.Contains(KeyVars, name) && strings.Contains(v, "sk-ant-") {
			others = append(others, name)
		}
	}
	sort.Strings(others)
	for _, name := range others {
		add(name)
	}
	return out
}
