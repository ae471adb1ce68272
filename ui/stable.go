package ui

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/fix401/fix401/probe"
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
	for _, r := range []*probe.Report{m.report, m.first} {
		if r != nil {
			stabilizeReport(r)
		}
	}
}

func stabilizeReport(r *probe.Report) {
	r.StartedAt, r.Zone = StableClock, StableZone
	hints := map[string]string{}
	for i := range r.Candidates {
		c := &r.Candidates[i]
		if _, ok := hints[c.Clean]; !ok {
			hints[c.Clean] = standIn(c.Hint, len(hints)+1)
		}
		c.Hint = hints[c.Clean]
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
	for i, a := range r.Requests() {
		if a.RequestID != "" {
			a.RequestID = fmt.Sprintf("req_011C%020d", i+1)
		}
		a.Time, a.Duration = StableClock, 0
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
