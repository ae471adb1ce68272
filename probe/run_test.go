package probe_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/memnet"
	"github.com/fix401/fix401/probe/stub"
)

// slowEnv is a project with the key in use, one other key in .env, a model
// to look up, and an API that takes latency to answer each request.
func slowEnv(tb testing.TB, latency time.Duration) (*probe.Env, *stub.Server) {
	tb.Helper()
	srv, err := stub.Start(stub.Options{Scenario: stub.Slow, Latency: latency})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(srv.Close)
	env := project(tb)
	env.BaseURL, env.StatusURL = srv.URL, srv.URL
	return env, srv
}

// project is slowEnv without a server: the files, the variables and the
// settings. Its time limit only matters when a test is stuck: a loaded
// machine running -race may take seconds to answer on loopback.
func project(tb testing.TB) *probe.Env {
	tb.Helper()
	home := tb.TempDir()
	dir := filepath.Join(home, "p")
	if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".env"), []byte("ANTHROPIC_API_KEY="+stub.NewAPIKey()+"\n"), 0o600); err != nil {
		tb.Fatal(err)
	}
	return &probe.Env{
		Vars: map[string]string{"ANTHROPIC_API_KEY": stub.NewAPIKey()}, Home: home, Dir: dir,
		Model:   "claude-sonnet-4-5",
		Timeout: time.Minute, Retries: 1, Backoff: 10 * time.Millisecond,
	}
}

// memBase is the address of an API served in memory (memnet): plain HTTP
// to this machine, so a key may be sent; the dialer ignores it.
const memBase = "http://127.0.0.1:8401"

// serveMem serves h in memory for a test inside a synctest bubble and
// points env at it. The server stops when the test ends.
func serveMem(t *testing.T, env *probe.Env, h http.Handler) {
	l, stop := memnet.Serve(h)
	t.Cleanup(stop)
	env.BaseURL, env.StatusURL, env.DialContext = memBase, memBase, l.DialContext
}

// BenchmarkRunSlowAPI measures a full check against an API that answers
// every request after 300 ms. Every probe starts at once, so one run costs
// about one round trip, not the sum of the seven requests it makes.
func BenchmarkRunSlowAPI(b *testing.B) {
	env, srv := slowEnv(b, 300*time.Millisecond)
	before := len(srv.Requests())
	for b.Loop() {
		r := probe.Run(context.Background(), env)
		if !r.Auth.OK() {
			b.Fatalf("auth failed: %+v", r.Auth)
		}
	}
	perRun := float64(len(srv.Requests())-before) / float64(b.N)
	b.ReportMetric(perRun, "requests/op")
	b.ReportMetric(perRun*300, "sequential-ms/op")
}

// TestRunStartsEveryProbeAtOnce proves concurrency without timing: the
// server holds every request until all the requests a run makes are in
// flight together. Probes run one after another would never get there:
// the first would wait at the barrier until it gives up, and the test
// fails. Giving up is a hang guard, not a speed target: it takes a minute,
// once for the whole run, and a working run never reaches it. With
// MaxOtherKeys other keys, every one of them is in flight with the rest.
func TestRunStartsEveryProbeAtOnce(t *testing.T) {
	for _, keys := range []int{1, probe.MaxOtherKeys} {
		t.Run(fmt.Sprintf("%d keys", keys), func(t *testing.T) { testRunAtOnce(t, keys) })
	}
}

func testRunAtOnce(t *testing.T, keys int) {
	api, err := stub.Handler(stub.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := int32(6 + keys) // auth, the key sent the other way, control, quota, model, status, and each other key
	var inflight, peak atomic.Int32
	release := make(chan struct{})
	var once sync.Once
	giveUp := make(chan struct{})
	guard := time.AfterFunc(time.Minute, func() { close(giveUp) })
	defer guard.Stop()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inflight.Add(1)
		defer inflight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		if n >= want {
			once.Do(func() { close(release) })
		}
		select {
		case <-release:
			api.ServeHTTP(w, r)
		case <-giveUp:
			http.Error(w, "barrier gave up", http.StatusGatewayTimeout)
		}
	}))
	defer srv.Close()
	env := project(t)
	withKeys(t, env, keys)
	// Longer than the guard: the barrier, not the client, decides.
	env.BaseURL, env.StatusURL, env.Retries, env.Timeout = srv.URL, srv.URL, 0, 2*time.Minute

	r := probe.Run(context.Background(), env)
	if got := peak.Load(); got < want {
		t.Fatalf("at most %d requests were in flight together, want %d", got, want)
	}
	for _, a := range r.Requests() {
		if a.Label != "status" && !a.Anthropic {
			t.Errorf("%s %s: %+v", a.Method, a.URL, a)
		}
	}
	if !r.Finished() || len(r.Others) != keys {
		t.Fatalf("report not finished: %v, %d other keys", r.Done, len(r.Others))
	}
}

// TestRunCancel: Ctrl-C mid-probe ends the run at once, with no part
// delivered after Run returns.
func TestRunCancel(t *testing.T) {
	srv, err := stub.Start(stub.Options{Scenario: stub.Hang})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	env, _ := slowEnv(t, 0)
	env.BaseURL, env.StatusURL, env.Timeout = srv.URL, srv.URL, time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	r := probe.Prepare(env)
	parts := probe.Start(ctx, env, r)
	cancel()
	closed := make(chan struct{})
	go func() {
		for p := range parts {
			p(r)
		}
		close(closed)
	}()
	// The server never answers and the timeout is a minute: only the
	// cancel can close the channel. The bound is a hang guard, not a speed
	// target.
	select {
	case <-closed:
	case <-time.After(20 * time.Second):
		t.Fatal("cancelling did not release the probes")
	}
}

// TestPlainHTTPIsNeverProxied: a key over plain HTTP goes only to this
// machine, never through a proxy that would read it in clear text (review
// finding: "localhost." passed the loopback rule but not the proxy bypass).
func TestPlainHTTPIsNeverProxied(t *testing.T) {
	srv, err := stub.Start(stub.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var proxied atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxied.Add(1)
		http.Error(w, "proxy", http.StatusBadGateway)
	}))
	defer proxy.Close()
	_, port, _ := strings.Cut(strings.TrimPrefix(srv.URL, "http://"), ":")
	for _, host := range []string{"localhost.", "LOCALHOST"} {
		env, _ := slowEnv(t, 0)
		env.BaseURL, env.StatusURL = "http://"+host+":"+port, srv.URL
		env.Vars["HTTP_PROXY"], env.Vars["http_proxy"] = proxy.URL, proxy.URL
		env.LookupHost = func(ctx context.Context, h string) ([]string, error) { return []string{"127.0.0.1"}, nil }
		r := probe.Run(context.Background(), env)
		if n := proxied.Load(); n != 0 {
			t.Fatalf("%s: the proxy received %d requests", host, n)
		}
		if !r.Auth.Accepted() {
			t.Errorf("%s: %+v", host, r.Auth)
		}
	}
}

// TestRetriesFitInTheTimeout: a 5xx that arrives late is not asked again
// when another attempt would overrun --timeout (review finding: 3× timeout),
// and one that arrives early is. It runs in a synctest bubble, so every
// attempt takes exactly the server's latency on the fake clock, whatever
// the machine's load.
func TestRetriesFitInTheTimeout(t *testing.T) {
	const timeout = 200 * time.Millisecond
	for _, tt := range []struct {
		latency time.Duration
		retried bool
	}{
		{150 * time.Millisecond, false}, // a second attempt would end at 300ms
		{50 * time.Millisecond, true},   // a second attempt ends by 101ms
	} {
		t.Run(tt.latency.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var hits atomic.Int32
				env := &probe.Env{Timeout: timeout, Retries: 3, Backoff: time.Millisecond}
				serveMem(t, env, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					hits.Add(1)
					time.Sleep(tt.latency)
					w.Header().Set("request-id", "req_slow")
					http.Error(w, `{"type":"error","error":{"type":"api_error","message":"x"}}`, http.StatusServiceUnavailable)
				}))
				c, err := probe.NewClient(env)
				if err != nil {
					t.Fatal(err)
				}
				a := c.Models(context.Background(), "k")
				if a.Status != http.StatusServiceUnavailable || int(hits.Load()) != a.Attempts {
					t.Fatalf("status %d, %d attempts, %d hits", a.Status, a.Attempts, hits.Load())
				}
				if !tt.retried && a.Attempts != 1 {
					t.Errorf("%d attempts: a second slow attempt would overrun the timeout", a.Attempts)
				}
				if tt.retried && a.Attempts < 2 {
					t.Errorf("%d attempt: a retry that fits in the timeout was not made", a.Attempts)
				}
				if a.Duration > timeout {
					t.Errorf("the attempts took %v, more than the %v timeout", a.Duration, timeout)
				}
			})
		})
	}
}

// withKeys replaces the project's .env with n other keys, each under its
// own name.
func withKeys(tb testing.TB, env *probe.Env, n int) {
	tb.Helper()
	var sb strings.Builder
	for i := range n {
		fmt.Fprintf(&sb, "ANTHROPIC_API_KEY_%d=%s\n", i, stub.NewAPIKey())
	}
	if err := os.WriteFile(filepath.Join(env.Dir, ".env"), []byte(sb.String()), 0o600); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkRunSlowAPIManyKeys is BenchmarkRunSlowAPI with MaxOtherKeys
// other keys found: every key is tested at once, so a run still costs
// about one round trip (it cost five when keys went four at a time).
func BenchmarkRunSlowAPIManyKeys(b *testing.B) {
	env, srv := slowEnv(b, 300*time.Millisecond)
	withKeys(b, env, probe.MaxOtherKeys)
	before := len(srv.Requests())
	for b.Loop() {
		r := probe.Run(context.Background(), env)
		if !r.Auth.OK() || len(r.Others) != probe.MaxOtherKeys {
			b.Fatalf("auth %+v, %d other keys tested", r.Auth, len(r.Others))
		}
	}
	perRun := float64(len(srv.Requests())-before) / float64(b.N)
	b.ReportMetric(perRun, "requests/op")
}

// TestHungAPICostsOneTimeout: an API that accepts every request and never
// answers costs a run exactly one --timeout, however many keys it tests
// (with keys tested four at a time, MaxOtherKeys of them cost five). In a
// synctest bubble, with the API in memory, every probe gives up at the
// same instant of the fake clock: the bound is exact, with no margin.
func TestHungAPICostsOneTimeout(t *testing.T) {
	for _, keys := range []int{1, probe.MaxOtherKeys} {
		t.Run(fmt.Sprintf("%d keys", keys), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				env := project(t)
				withKeys(t, env, keys)
				env.Timeout, env.Retries = 2*time.Second, probe.MaxRetries
				var hits atomic.Int32
				serveMem(t, env, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					hits.Add(1)
					// Read whole, a request's context ends when the client
					// hangs up (count_tokens has a body).
					_, _ = io.Copy(io.Discard, r.Body)
					<-r.Context().Done()
				}))
				start := time.Now()
				r := probe.Run(context.Background(), env)
				if took := time.Since(start); took != env.Timeout {
					t.Errorf("the run took %v against a hung API, want exactly the %v timeout", took, env.Timeout)
				}
				if !r.Finished() || len(r.Others) != keys {
					t.Fatalf("finished %v, %d of %d other keys tested", r.Finished(), len(r.Others), keys)
				}
				for _, a := range r.Requests() {
					if a.Err == nil || a.Err.Phase != probe.PhaseTimeout || !strings.HasSuffix(a.Err.Message, "within 2s") || a.Attempts != 1 {
						t.Errorf("%s %s (%s): %d attempts, %+v; want one attempt that timed out", a.Method, a.URL, a.Label, a.Attempts, a.Err)
					}
				}
				if got, want := int(hits.Load()), len(r.Requests()); got != want {
					t.Errorf("the API received %d requests for %d probes", got, want)
				}
			})
		})
	}
}
