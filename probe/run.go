package probe

import (
	"context"
	"os"

	"github.com/fix401/fix401/probe/creds"
	"strings"
	"sync"
	"time"
)

// Probe names, the keys of Report.Done.
const (
	ProbeNet     = "net"
	ProbeAuth    = "auth"
	ProbeAlt     = "alt"
	ProbeClean   = "clean"
	ProbeOthers  = "others"
	ProbeControl = "control"
	ProbeQuota   = "quota"
	ProbeModel   = "model"
	ProbeStatus  = "status"
)

// withDefaults fills the zero fields of env that have a sensible default.
func withDefaults(env *Env) *Env {
	e := *env
	if e.Now == nil {
		e.Now = time.Now
	}
	if e.Timeout <= 0 {
		e.Timeout = DefaultTimeout
	}
	if e.Vars == nil {
		e.Vars = map[string]string{}
	}
	return &e
}

// Prepare resolves the target, reads the environment and finds every key.
// It touches no network and takes milliseconds.
func Prepare(env *Env) *Report {
	env = withDefaults(env)
	now := env.Now()
	r := &Report{
		StartedAt: now,
		Zone:      zoneName(env, now),
		Target:    ResolveTarget(env),
		Env:       ReadEnvFacts(env),
		Done:      map[string]bool{},

		urlSecrets: envSecrets(env),
	}
	r.Target.Model = env.Model
	if env.Demo && r.Target.BaseURLSource == "flag" {
		r.Target.BaseURLSource = SourceDemo
	}
	r.SDKs = FindSDKs(env.Dir)
	r.Client = ResolveClient(env.For, r.SDKs)
	if r.Client.IsClaudeCode() {
		r.Env.setCustomHeaders(customHeaders(env, true))
	}
	found := discoverFor(env, r.Client.IsClaudeCode())
	r.Candidates, r.FileNotes, r.Profile, r.Federation = found.Candidates, found.Notes, found.Profile, found.Federation
	r.Claude = found.Claude
	r.Active = r.choose(env, r.Candidates)
	r.Provider = ReadRouting(env, r.Client)
	r.AdminKey = adminKeyInfo(env)
	r.CI = DetectCI(env)
	r.Lint = lintFiles(env)
	// The SDKs send a profile's requests to its base_url, before
	// ANTHROPIC_BASE_URL; only --base-url (or the demo's stub) beats it.
	if k := r.ActiveKey(); k != nil && k.Origin == OriginProfile && r.Profile != nil && r.Profile.BaseURL != "" &&
		r.Target.BaseURLSource != "flag" && r.Target.BaseURLSource != SourceDemo && ValidURL(r.Profile.BaseURL) == nil {
		r.Target.BaseURL, r.Target.BaseURLSource = StripURLCredentials(trimURL(r.Profile.BaseURL)), SourceProfile
	}
	return r
}

// SourceProfile is the BaseURLSource when the winning SDK profile's
// base_url decides where requests go.
const SourceProfile = "profile"

// Insecure reports whether the key must not be sent at all because the base
// URL is plain HTTP to a host that is not this machine.
func (r *Report) Insecure() bool { return InsecureBaseURL(r.Target.BaseURL) }

// Planned lists the probes Start will run for this report, so a view can
// show what is still pending.
func (r *Report) Planned() []string {
	ps := []string{ProbeNet, ProbeStatus}
	if r.Insecure() {
		return ps
	}
	ps = append(ps, ProbeControl)
	if r.FederationWins() && !r.Federation.Expired(r.StartedAt) {
		ps = append(ps, ProbeFederation)
	}
	if k := r.ActiveKey(); k != nil && r.Testable() {
		ps = append(ps, ProbeAuth, ProbeQuota)
		if r.Client.AltHeader(k) != "" {
			ps = append(ps, ProbeAlt)
		}
		if k.Clean != k.Value && k.Clean != "" {
			ps = append(ps, ProbeClean)
		}
		if r.Target.Model != "" {
			ps = append(ps, ProbeModel)
		}
	}
	if len(r.otherKeys()) > 0 {
		ps = append(ps, ProbeOthers)
	}
	if r.lookupPlanned() {
		ps = append(ps, ProbeAdmin)
	}
	return ps
}

// Finished reports whether every planned probe has delivered its part.
func (r *Report) Finished() bool {
	for _, p := range r.Planned() {
		if !r.Done[p] {
			return false
		}
	}
	return true
}

// MaxOtherKeys caps how many other keys a run tests: a .env full of keys
// must not become a burst of requests (or a rate limit) at the API. They
// are tested all at once, with the other probes, so a run costs one round
// trip however many keys it found.
const MaxOtherKeys = 20

// otherKeys returns the index of one candidate per distinct key other than
// the key in use, in discovery order, at most MaxOtherKeys. Candidates
// without a value (an apiKeyHelper command) are not tested.
func (r *Report) otherKeys() []int {
	seen := map[string]bool{}
	if k := r.ActiveKey(); k != nil {
		seen[k.Clean] = true
		seen[k.Value] = true
	}
	var out []int
	for i, c := range r.Candidates {
		// Another user's key is listed, never tried: it is not the user's
		// to use, and a key that worked would read as the fix. An Admin key
		// is never tested as if it were an API key; only the key in use is
		// sent as it is, to show what the API says of it.
		if i == r.Active || c.Clean == "" || c.Foreign || seen[c.Clean] || c.Kind == KindAdmin {
			continue
		}
		seen[c.Clean] = true
		out = append(out, i)
		if len(out) == MaxOtherKeys {
			break
		}
	}
	return out
}

// Start launches every network probe at once. Each finished probe sends
// one Part; the channel is closed when all are done or ctx ends. Start
// reads r but never changes it: the caller applies the parts.
//
// The probes share one deadline, env.Timeout from now: a server that
// accepts and never answers costs the run one timeout, however many keys
// it tests, retries included.
func Start(ctx context.Context, env *Env, r *Report) <-chan Part {
	env = withDefaults(env)
	if r.Target.BaseURLSource == SourceProfile && r.Profile != nil {
		e := *env
		e.BaseURL = r.Profile.BaseURL
		env = &e
	}
	out := make(chan Part, 16)
	client, err := NewClient(env)
	if err != nil {
		// Every planned probe ends at once with the same reason, so each
		// check and the diagnosis read one consistent story.
		fail := func(label string) *Answer {
			return &Answer{Label: label, Err: &NetError{Phase: PhaseBadURL, Message: Redact(err.Error())}}
		}
		go func() {
			defer close(out)
			out <- func(r *Report) {
				r.Net = &NetResult{Err: fail("net").Err}
				r.Status = &StatusPage{Answer: fail("status")}
				for _, p := range r.Planned() {
					r.Done[p] = true
					switch p {
					case ProbeAuth:
						r.Auth = fail("auth")
					case ProbeAlt:
						r.AltAuth = fail("auth-alt")
					case ProbeClean:
						r.CleanAuth = fail("clean")
					case ProbeControl:
						r.Control = fail("control")
					case ProbeQuota:
						r.Quota = fail("quota")
					case ProbeModel:
						r.Model = fail("model")
					case ProbeAdmin:
						a := fail("admin")
						r.Lookup = &KeyLookup{Answers: []*Answer{a}, Stop: a}
					case ProbeFederation:
						r.Exchange = fail("exchange")
					case ProbeOthers:
						for _, i := range r.otherKeys() {
							r.Others = append(r.Others, CandidateAnswer{Index: i, Answer: fail("candidate")})
						}
					}
				}
			}
		}()
		return out
	}

	// Every key-carrying request goes out the way the user's client sends
	// it; the key in use is also sent the other way, to tell a stripped
	// header from a rejected key.
	headers, _ := customHeaders(env, r.Client.IsClaudeCode())
	client = client.As(r.Client.Client, creds.CustomHeaders(headers))
	switch k := r.ActiveKey(); {
	case env.WorkspaceID != "":
		client = client.WithHeader(WorkspaceHeader, env.WorkspaceID)
	case k != nil && k.Origin == OriginProfile && r.Profile != nil && r.Profile.WorkspaceID != "":
		// The SDKs send a profile's workspace_id with its token.
		client = client.WithHeader(WorkspaceHeader, r.Profile.WorkspaceID)
	}

	// A part is delivered unless the caller gives up; the run's deadline
	// only ends the probes.
	caller := ctx
	ctx, cancel := context.WithTimeoutCause(ctx, env.Timeout, errRunTimeout)
	var wg sync.WaitGroup
	run := func(name string, f func() Part) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := f()
			select {
			case out <- func(r *Report) { p(r); r.Done[name] = true }:
			case <-caller.Done():
			}
		}()
	}
	planned := map[string]bool{}
	for _, p := range r.Planned() {
		planned[p] = true
	}

	run(ProbeNet, func() Part {
		n := client.Connect(ctx)
		return func(r *Report) { r.Net = n }
	})
	run(ProbeStatus, func() Part {
		s := client.Status(ctx)
		return func(r *Report) { r.Status = s }
	})
	if planned[ProbeControl] {
		run(ProbeControl, func() Part {
			a := labelled("control", client.Models(ctx, ControlKey()))
			return func(r *Report) { r.Control = a }
		})
	}
	if k := r.ActiveKey(); k != nil && r.Testable() {
		key := *k
		kc := client.Via(r.Client.HeaderFor(k))
		run(ProbeAuth, func() Part {
			a := labelled("auth", kc.Models(ctx, key.Value))
			return func(r *Report) { r.Auth = a }
		})
		if planned[ProbeAlt] {
			alt := client.Via(r.Client.AltHeader(k))
			run(ProbeAlt, func() Part {
				a := labelled("auth-alt", alt.Models(ctx, key.Value))
				return func(r *Report) { r.AltAuth = a }
			})
		}
		run(ProbeQuota, func() Part {
			a := labelled("quota", kc.CountTokens(ctx, key.Value))
			return func(r *Report) { r.Quota = a }
		})
		if planned[ProbeClean] {
			run(ProbeClean, func() Part {
				a := labelled("clean", kc.Models(ctx, key.Clean))
				return func(r *Report) { r.CleanAuth = a }
			})
		}
		if planned[ProbeModel] {
			run(ProbeModel, func() Part {
				a := labelled("model", kc.Model(ctx, key.Value, env.Model))
				return func(r *Report) { r.Model = a }
			})
		}
	}
	if planned[ProbeAdmin] {
		key, _ := AdminKey(env)
		hints := r.lookupTargets()
		run(ProbeAdmin, func() Part {
			l := client.LookupKeys(ctx, key, hints)
			return func(r *Report) { r.Lookup = l }
		})
	}
	if planned[ProbeFederation] {
		run(ProbeFederation, func() Part { return federationPart(ctx, client, r.Federation) })
	}
	if others := r.otherKeys(); len(others) > 0 {
		keys := make([]string, len(others))
		via := make([]*Client, len(others))
		for i, idx := range others {
			keys[i] = r.Candidates[idx].Clean
			via[i] = client.Via(r.Client.HeaderFor(&r.Candidates[idx]))
		}
		run(ProbeOthers, func() Part {
			res := make([]CandidateAnswer, len(others))
			var owg sync.WaitGroup
			for i := range others {
				owg.Go(func() {
					res[i] = CandidateAnswer{Index: others[i], Answer: labelled("candidate", via[i].Models(ctx, keys[i]))}
				})
			}
			owg.Wait()
			return func(r *Report) { r.Others = res }
		})
	}
	go func() {
		wg.Wait()
		cancel()
		client.closeIdle()
		close(out)
	}()
	return out
}

// errRunTimeout is the cause of the deadline Start gives every probe of a
// run: a probe that meets it did not get an answer within the timeout.
// net/http returns a context's cause as the request's error, so it is a
// deadline like any other: errors.Is(err, context.DeadlineExceeded).
var errRunTimeout error = runTimeout{}

type runTimeout struct{}

func (runTimeout) Error() string        { return "no answer within the timeout" }
func (runTimeout) Timeout() bool        { return true }
func (runTimeout) Is(target error) bool { return target == context.DeadlineExceeded }

// WorkspaceHeader names the workspace an identity-linked key acts in.
const WorkspaceHeader = "anthropic-workspace-id"

// Run prepares a report, runs every probe at once and waits for all of them.
func Run(ctx context.Context, env *Env) *Report {
	r := Prepare(env)
	for p := range Start(ctx, env, r) {
		p(r)
	}
	return r
}

func labelled(label string, a *Answer) *Answer {
	if a != nil {
		a.Label = label
	}
	return a
}

// ControlKey returns a well-formed API key that no account owns. The API
// must reject it with a clean 401: proof that the endpoint judges keys and
// that the request itself is well formed.
func ControlKey() string {
	body := strings.Repeat("fix401-control-key-0000", 5)[:93]
	return "sk-ant-api03-" + body + "AA"
}

// zoneName returns the IANA name of the local time zone where it can be
// known, else the abbreviation.
func zoneName(env *Env, now time.Time) string {
	if tz := env.Vars["TZ"]; tz != "" {
		return strings.TrimPrefix(tz, ":")
	}
	if now.Location() != time.Local {
		return now.Location().String()
	}
	if link, err := os.Readlink("/etc/localtime"); err == nil {
		if i := strings.Index(link, "zoneinfo/"); i >= 0 {
			return link[i+len("zoneinfo/"):]
		}
	}
	name, _ := now.Zone()
	return name
}
