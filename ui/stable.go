package ui

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps"
)

// StableClock is the time a stable snapshot claims to be taken at.
var StableClock = time.Date(2026, 11, 25, 17, 3, 11, 0, time.FixedZone("CET", 3600))

// StableZone is the time-zone name a stable snapshot shows.
const StableZone = "Europe/Berlin"

// StableHost stands in for the stub's random loopback port.
const StableHost = "127.0.0.1:8401"

// stabilize replaces what differs from run to run of the same demo — the
// random keys' hints, request ids, the stub's port, timings, the platform
// and the clock — with fixed stand-ins of the same shape, so the same demo
// always draws the same screen (screenshots, golden files). The report is
// changed in place; secrets stay known to the redactor.
func (m *Model) stabilize() {
	m.platform = "linux/amd64"
	m.opts.Now = func() time.Time { return StableClock }
	st := &stabilizer{hints: map[string]string{}, byHint: map[string]string{}}
	var seen []*probe.Report
	for _, r := range []*probe.Report{m.first, appRun(m.firstApp, false), appRun(m.firstApp, true),
		m.report, appRun(m.app, false), appRun(m.app, true)} {
		if r != nil && !slices.Contains(seen, r) {
			seen = append(seen, r)
			st.report(r)
		}
	}
	for _, a := range []*steps.AppView{m.firstApp, m.app} {
		if a == nil {
			continue
		}
		for i := range a.Shell {
			v := &a.Shell[i]
			for _, h := range []*string{&v.Here, &v.New} {
				if s, ok := st.byHint[*h]; ok {
					*h = s
				}
			}
		}
	}
	if m.fx != nil {
		// A fix's diffs and reasons name keys by their hints too.
		hints := func(p *string) {
			for real, s := range st.byHint {
				*p = strings.ReplaceAll(*p, real, s)
			}
		}
		for i := range m.fx.items {
			hints(&m.fx.items[i].diff)
		}
		for i := range m.fx.plan.Changes {
			c := &m.fx.plan.Changes[i]
			c.Why = slices.Clone(c.Why)
			for j := range c.Why {
				hints(&c.Why[j].Title)
			}
		}
		m.fx.plan.Manual = slices.Clone(m.fx.plan.Manual)
		for i := range m.fx.plan.Manual {
			hints(&m.fx.plan.Manual[i].Title)
			hints(&m.fx.plan.Manual[i].Command)
		}
	}
}

// appRun is a's run from this terminal, or from a new one.
func appRun(a *steps.AppView, newTerminal bool) *probe.Report {
	switch {
	case a == nil:
		return nil
	case newTerminal:
		return a.New
	}
	return a.Here
}

// stabilizer hands out stand-ins, the same for the same key across runs.
type stabilizer struct {
	hints  map[string]string // clean key → stand-in hint
	byHint map[string]string // real hint → stand-in hint
	ids    int               // request ids handed out
	runs   int               // reports stabilized: each run a little later
}

// StabilizeReport gives a finished demo report fixed stand-ins for what
// differs between runs, so `fix401 demo --snapshot check` prints the same
// text every time. Never use it on a real check: it rewrites evidence.
func StabilizeReport(r *probe.Report) {
	(&stabilizer{hints: map[string]string{}, byHint: map[string]string{}}).report(r)
}

func (st *stabilizer) report(r *probe.Report) {
	if r == nil {
		return
	}
	at := StableClock.Add(time.Duration(st.runs) * 2 * time.Minute)
	st.runs++
	r.StartedAt, r.Zone = at, StableZone
	for i := range r.Candidates {
		c := &r.Candidates[i]
		if _, ok := st.hints[c.Clean]; !ok {
			st.hints[c.Clean] = standIn(c.Hint, len(st.hints)+1)
			st.byHint[c.Hint] = st.hints[c.Clean]
		}
		c.Hint = st.hints[c.Clean]
	}
	host := ""
	if u, err := url.Parse(r.Target.BaseURL); err == nil {
		host = u.Host
	}
	fix := func(s *string) {
		if host != "" {
			*s = strings.ReplaceAll(*s, host, StableHost)
		}
	}
	fix(&r.Target.BaseURL)
	fix(&r.Target.StatusURL)
	fix(&r.Env.BaseURLVar)
	for i := range r.Env.Proxies {
		fix(&r.Env.Proxies[i].Value)
	}
	for _, a := range r.Requests() {
		if a.RequestID != "" {
			st.ids++
			a.RequestID = fmt.Sprintf("req_011C%020d", st.ids)
		}
		a.Time, a.Duration = at, 0
		fix(&a.URL)
		fix(&a.Location)
	}
	if n := r.Net; n != nil {
		fix(&n.Host)
		fix(&n.Proxy)
		for i := range n.Addrs {
			fix(&n.Addrs[i])
		}
		n.DNS, n.TCP, n.TLS = 0, 0, 0
	}
}

// standIn keeps a hint's shape (prefix, 3 characters, "...", 4) with
// fixed characters: k01...h001 for the first key found, and so on.
func standIn(hint string, n int) string {
	i := strings.Index(hint, "...")
	if i < 3 || len(hint) < i+7 {
		return hint
	}
	return hint[:i-3] + fmt.Sprintf("k%02d", n) + "..." + fmt.Sprintf("h%03d", n) + hint[i+7:]
}
