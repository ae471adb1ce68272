package probe

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fix401/fix401/probe/memnet"
)

const keyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

// netKey builds a fresh, well-formed key with the given prefix at run time,
// so no key literal lives in the source.
func netKey(t testing.TB, prefix string) string {
	t.Helper()
	b := make([]byte, 93)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] = keyAlphabet[int(b[i])%len(keyAlphabet)]
	}
	return prefix + string(b) + "AA"
}

// hits counts requests to a handler.
type hits struct{ n atomic.Int64 }

func (h *hits) wrap(f http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h.n.Add(1)
		f(w, r)
	}
}

// noDNS fails the test if any name is looked up: tests never touch real DNS.
func noDNS(t *testing.T) func(context.Context, string) ([]string, error) {
	return func(_ context.Context, host string) ([]string, error) {
		t.Errorf("unexpected DNS lookup of %q", host)
		return nil, errors.New("no DNS in tests")
	}
}

// testEnv is an Env for a loopback server: fast backoff, and a time limit
// that only a stuck test reaches. A loaded machine running -race may take
// seconds to answer on loopback; a test that needs a probe to time out
// runs in a synctest bubble instead (memEnv), where the limit passes on a
// fake clock.
func testEnv(t *testing.T, base string) *Env {
	return &Env{
		Vars:       map[string]string{},
		BaseURL:    base,
		StatusURL:  base,
		Timeout:    time.Minute,
		Backoff:    time.Millisecond,
		LookupHost: noDNS(t),
	}
}

// memBase is the base URL of a memEnv: plain HTTP to this machine, so a key
// may be sent; the dialer ignores it.
const memBase = "http://127.0.0.1:8401"

// memEnv serves h in memory, for a test inside a synctest bubble, and
// returns a testEnv whose client dials it. The server stops when the test
// ends; a handler held on a request sees its context end.
func memEnv(t *testing.T, h http.Handler) *Env {
	l, stop := memnet.Serve(h)
	t.Cleanup(stop)
	env := testEnv(t, memBase)
	env.DialContext = l.DialContext
	return env
}

func newClient(t *testing.T, env *Env) *Client {
	t.Helper()
	c, err := NewClient(env)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

func TestResolveTarget(t *testing.T) {
	tests := []struct {
		name             string
		env              Env
		base, src, statu string
	}{
		{"default", Env{}, DefaultBaseURL, "default", DefaultStatusURL},
		{"env var", Env{Vars: map[string]string{"ANTHROPIC_BASE_URL": "https://gw.example.com/anthropic/"}},
			"https://gw.example.com/anthropic", "env:ANTHROPIC_BASE_URL", DefaultStatusURL},
		{"flag wins", Env{BaseURL: "http://127.0.0.1:8401//", StatusURL: "http://127.0.0.1:9/",
			Vars: map[string]string{"ANTHROPIC_BASE_URL": "https://gw.example.com"}},
			"http://127.0.0.1:8401", "flag", "http://127.0.0.1:9"},
		{"empty env var", Env{Vars: map[string]string{"ANTHROPIC_BASE_URL": "  "}}, DefaultBaseURL, "default", DefaultStatusURL},
		{"credentials removed", Env{BaseURL: "https://bob:hunter2@gw.example.com/"}, "https://gw.example.com", "flag", DefaultStatusURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ResolveTarget(&tt.env)
			want := Target{BaseURL: tt.base, BaseURLSource: tt.src, StatusURL: tt.statu}
			if got != want {
				t.Errorf("ResolveTarget = %+v, want %+v", got, want)
			}
		})
	}
}

func TestInsecureBaseURL(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"https://api.anthropic.com", false},
		{"http://api.anthropic.com", true},
		{"HTTP://gateway.internal:8080/v1", true},
		{"http://10.0.0.5", true},
		{"http://localhost:8401", false},
		{"http://LOCALHOST", false},
		{"http://127.0.0.1:8401", false},
		{"http://127.9.8.7", false},
		{"http://[::1]:8401", false},
		{"http://localhost.evil.example", true},
		{"http://user:pw@127.0.0.1", false},
		{"https://10.0.0.5", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := InsecureBaseURL(tt.url); got != tt.want {
			t.Errorf("InsecureBaseURL(%q) = %v, want %v", tt.url, got, tt.want)
		}
	}
}

func TestNewClientRejectsBadURLs(t *testing.T) {
	for _, env := range []*Env{
		{BaseURL: "ftp://api.anthropic.com"},
		{BaseURL: "api.anthropic.com"},
		{BaseURL: "https://bob:s3cret@gw.example.com:99999999999"},
		{BaseURL: "https://bob:s3cret@gw.example.com:http"},
		{BaseURL: "https://:443"},
		{StatusURL: "mailto:ops@example.com"},
	} {
		_, err := NewClient(env)
		if !errors.Is(err, ErrBadURL) {
			t.Errorf("NewClient(%q, %q) error = %v, want ErrBadURL", env.BaseURL, env.StatusURL, err)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("error repeats the URL's password: %v", err)
		}
	}
}

func TestRedirectIsReportedNotFollowed(t *testing.T) {
	var target hits
	dst := httptest.NewServer(target.wrap(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("request-id", "req_dst")
		w.Write([]byte(`{"data":[],"has_more":false}`))
	}))
	defer dst.Close()
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, dst.URL+"/v1/models", http.StatusTemporaryRedirect)
	}))
	defer src.Close()

	a := newClient(t, testEnv(t, src.URL)).Models(context.Background(), netKey(t, "sk-ant-api03-"))
	if a.Status != http.StatusTemporaryRedirect || a.Location != dst.URL+"/v1/models" {
		t.Errorf("got status %d location %q, want 307 to %s", a.Status, a.Location, dst.URL)
	}
	if a.Anthropic {
		t.Error("a redirect was taken for the API's answer")
	}
	if n := target.n.Load(); n != 0 {
		t.Errorf("the redirect target got %d requests, want 0", n)
	}
}

// dialRecorder records every dial and refuses it.
type dialRecorder struct {
	mu    sync.Mutex
	addrs []string
}

func (d *dialRecorder) dial(_ context.Context, _, addr string) (net.Conn, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.addrs = append(d.addrs, addr)
	return nil, errors.New("refused by the test")
}

func TestKeyNeverSentOverPlainHTTPToAnotherHost(t *testing.T) {
	var d dialRecorder
	env := &Env{
		BaseURL:     "http://api.example.com",
		DialContext: d.dial,
		LookupHost:  func(context.Context, string) ([]string, error) { return []string{"192.0.2.1"}, nil },
	}
	c := newClient(t, env)
	key := netKey(t, "sk-ant-api03-")
	for _, a := range []*Answer{
		c.Models(context.Background(), key),
		c.Model(context.Background(), key, "claude-x"),
		c.CountTokens(context.Background(), key),
	} {
		if a.Err == nil || a.Err.Phase != PhaseInsecure {
			t.Errorf("%s %s: Err = %+v, want phase %q", a.Method, a.URL, a.Err, PhaseInsecure)
		}
	}
	if len(d.addrs) != 0 {
		t.Errorf("dialed %v; nothing may be sent", d.addrs)
	}
}

func TestKeyWithControlCharacterNotSent(t *testing.T) {
	var h hits
	srv := httptest.NewServer(h.wrap(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	a := newClient(t, testEnv(t, srv.URL)).Models(context.Background(), netKey(t, "sk-ant-api03-")+"\n")
	if a.Err == nil || a.Err.Phase != PhaseInvalidHeader {
		t.Errorf("Err = %+v, want phase %q", a.Err, PhaseInvalidHeader)
	}
	if h.n.Load() != 0 {
		t.Error("the request was sent")
	}
}

func TestHugeBodyIsBounded(t *testing.T) {
	const size = 10 << 20
	chunk := []byte(strings.Repeat("<p>filler</p>", 64<<10/13))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<!DOCTYPE html><html><head><title>Proxy says hi</title></head><body>"))
		for n := 0; n < size; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	c := newClient(t, testEnv(t, srv.URL))

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	a := c.Models(context.Background(), netKey(t, "sk-ant-api03-"))
	runtime.ReadMemStats(&after)

	if a.Err != nil || a.Status != 200 || a.Shape != ShapeHTML || a.Message != "Proxy says hi" {
		t.Errorf("got status %d shape %q message %q err %+v, want 200 html with the title", a.Status, a.Shape, a.Message, a.Err)
	}
	// Reading the whole body would allocate at least its 10 MB; a bounded
	// read costs about 2 MB (4.6 MB under -race).
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > size*3/4 {
		t.Errorf("allocated %d bytes for a %d-byte body; want well under its size", alloc, size)
	}
}

// countingReader is an endless reader that counts what was taken from it.
type countingReader struct{ n int64 }

func (r *countingReader) Read(p []byte) (int, error) {
	r.n += int64(len(p))
	return len(p), nil
}

func TestReadBoundedStopsAtLimit(t *testing.T) {
	var r countingReader
	b, err := readBounded(&r, MaxBody)
	if err != nil || len(b) != MaxBody {
		t.Fatalf("readBounded = %d bytes, %v; want %d", len(b), err, MaxBody)
	}
	if r.n > MaxBody+512 {
		t.Errorf("read %d bytes from the source, want about %d", r.n, MaxBody)
	}
}

// TestHungServerCostsOneTimeout runs on synctest's fake clock: the
// client's deadline passes once the server holds the request and nothing
// else can happen, so the request always arrives first and the cost of a
// hung server is measured exactly, not against a margin.
func TestHungServerCostsOneTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var h hits
		env := memEnv(t, h.wrap(func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done() // never answers; the client's giving up ends it
		}))
		env.Timeout = 10 * time.Second
		env.Retries = 3

		start := time.Now()
		a := newClient(t, env).Models(context.Background(), netKey(t, "sk-ant-api03-"))
		if a.Err == nil || a.Err.Phase != PhaseTimeout || !strings.Contains(a.Err.Message, "within 10s") {
			t.Fatalf("Err = %+v, want phase timeout after the 10s limit", a.Err)
		}
		if a.Attempts != 1 || h.n.Load() != 1 {
			t.Errorf("attempts %d, hits %d: a hung server must not be asked again", a.Attempts, h.n.Load())
		}
		if took := time.Since(start); took != env.Timeout || a.Duration != env.Timeout {
			t.Errorf("a hung server cost %v (answer says %v), want exactly one timeout, %v", took, a.Duration, env.Timeout)
		}
	})
}

func TestHungBodyIsCutAtTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		env := memEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("request-id", "req_slow")
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"type":"error","error":{"type":"authentication_error","message":"invalid`))
			w.(http.Flusher).Flush()
			<-r.Context().Done() // the body never ends
		}))
		env.Timeout = 10 * time.Second

		start := time.Now()
		a := newClient(t, env).Models(context.Background(), netKey(t, "sk-ant-api03-"))
		if a.Err != nil || a.Status != 401 || a.RequestID != "req_slow" || !a.Anthropic {
			t.Errorf("got %+v; want the 401 headers kept though the body never ended", a)
		}
		if took := time.Since(start); took != env.Timeout {
			t.Errorf("reading the endless body took %v, want it cut at the timeout, %v", took, env.Timeout)
		}
	})
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name      string
		retries   int
		statuses  []int // answered in turn; the last repeats
		header    map[string]string
		wantHits  int64
		wantFinal int
	}{
		{"429 retried to the limit", 2, []int{429}, nil, 3, 429},
		{"529 retried to the limit", 1, []int{529}, nil, 2, 529},
		{"zero means the default", 0, []int{500}, nil, 1 + DefaultRetries, 500},
		{"negative means none", -1, []int{503}, nil, 1, 503},
		{"capped", 1000, []int{502}, nil, 1 + MaxRetries, 502},
		{"success after a 503", 3, []int{503, 200}, nil, 2, 200},
		{"401 never retried", 3, []int{401}, nil, 1, 401},
		{"403 never retried", 3, []int{403}, nil, 1, 403},
		{"400 never retried", 3, []int{400}, nil, 1, 400},
		{"x-should-retry false", 3, []int{429}, map[string]string{"x-should-retry": "false"}, 1, 429},
		{"short retry-after honoured", 1, []int{429}, map[string]string{"retry-after": "0"}, 2, 429},
		{"long retry-after not waited for", 3, []int{429}, map[string]string{"retry-after": "60"}, 1, 429},
		{"retry-after-ms", 1, []int{529}, map[string]string{"retry-after-ms": "5"}, 2, 529},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h hits
			srv := httptest.NewServer(h.wrap(func(w http.ResponseWriter, r *http.Request) {
				i := min(int(h.n.Load())-1, len(tt.statuses)-1)
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.Header().Set("request-id", "req_1")
				w.WriteHeader(tt.statuses[i])
				w.Write([]byte(`{"type":"error","error":{"type":"some_error","message":"m"}}`))
			}))
			defer srv.Close()
			env := testEnv(t, srv.URL)
			env.Retries = tt.retries

			a := newClient(t, env).Models(context.Background(), netKey(t, "sk-ant-api03-"))
			if got := h.n.Load(); got != tt.wantHits || int64(a.Attempts) != tt.wantHits {
				t.Errorf("hits %d, attempts %d; want %d", got, a.Attempts, tt.wantHits)
			}
			if a.Status != tt.wantFinal {
				t.Errorf("final status %d, want %d", a.Status, tt.wantFinal)
			}
		})
	}
}

func TestConnectionResetIsRetried(t *testing.T) {
	var h hits
	srv := httptest.NewServer(h.wrap(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer srv.Close()
	env := testEnv(t, srv.URL)
	env.Retries = 2

	a := newClient(t, env).Models(context.Background(), netKey(t, "sk-ant-api03-"))
	if a.Err == nil || a.Err.Phase != PhaseTCP {
		t.Fatalf("Err = %+v, want phase tcp", a.Err)
	}
	if a.Attempts != 3 || h.n.Load() != 3 {
		t.Errorf("attempts %d, hits %d; want 3 and 3", a.Attempts, h.n.Load())
	}
}

// TestBackoffEndsWithContext cancels while the client pauses between two
// attempts. In a synctest bubble, synctest.Wait returns once nothing can
// happen but the pause's timer, so the cancel lands inside the pause every
// time; the fake clock shows the pause was cut, not waited out.
func TestBackoffEndsWithContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var h hits
		env := memEnv(t, h.wrap(func(w http.ResponseWriter, r *http.Request) {
			// retry-after 2s puts a floor under the jittered pause.
			w.Header().Set("retry-after", "2")
			w.WriteHeader(http.StatusServiceUnavailable)
		}))
		env.Retries = 3
		env.Backoff = time.Hour
		// Any pause up to the backoff's hour fits in the retry budget, so
		// the client does pause rather than give up at once.
		env.Timeout = 3 * time.Hour
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		c := newClient(t, env)

		start := time.Now()
		done := make(chan *Answer)
		go func() { done <- c.Models(ctx, netKey(t, "sk-ant-api03-")) }()
		synctest.Wait()
		select {
		case a := <-done:
			t.Fatalf("the client returned instead of pausing after a 503: attempts %d, status %d", a.Attempts, a.Status)
		default:
		}
		cancel()
		a := <-done
		if h.n.Load() != 1 || a.Attempts != 1 {
			t.Errorf("hits %d, attempts %d; want 1 and 1", h.n.Load(), a.Attempts)
		}
		if took := time.Since(start); took != 0 {
			t.Errorf("the cancel ended the pause after %v of it, want at once", took)
		}
	})
}

func TestSleepEndsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	go cancel()
	if err := sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("sleep = %v, want context.Canceled", err)
	}
	if err := sleep(context.Background(), time.Millisecond); err != nil {
		t.Errorf("sleep = %v, want nil", err)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC)
	tests := []struct {
		h    map[string]string
		want time.Duration
		ok   bool
	}{
		{nil, 0, false},
		{map[string]string{"retry-after": "2"}, 2 * time.Second, true},
		{map[string]string{"retry-after": "0.5"}, 500 * time.Millisecond, true},
		{map[string]string{"retry-after": "-3"}, 0, false},
		{map[string]string{"retry-after": "soon"}, 0, false},
		{map[string]string{"retry-after": "1e300"}, 24 * time.Hour, true},
		{map[string]string{"retry-after": "Wed, 25 Nov 2026 17:00:07 GMT"}, 7 * time.Second, true},
		{map[string]string{"retry-after": "Wed, 25 Nov 2026 16:00:00 GMT"}, 0, true},
		{map[string]string{"retry-after-ms": "250", "retry-after": "9"}, 250 * time.Millisecond, true},
	}
	for _, tt := range tests {
		h := http.Header{}
		for k, v := range tt.h {
			h.Set(k, v)
		}
		got, ok := retryAfter(h, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("retryAfter(%v) = %v, %v; want %v, %v", tt.h, got, ok, tt.want, tt.ok)
		}
	}
}

func TestPauseIsJitteredAndBounded(t *testing.T) {
	c := &Client{backoff: 100 * time.Millisecond}
	for n := range 4 {
		ceiling := c.backoff << n
		for range 50 {
			d, ok := c.pause(n, attempt{})
			if !ok || d < 0 || d > ceiling {
				t.Fatalf("pause(%d) = %v, %v; want within [0, %v]", n, d, ok, ceiling)
			}
		}
	}
	if d, ok := c.pause(0, attempt{wait: time.Second, hasWait: true}); !ok || d != time.Second {
		t.Errorf("pause with retry-after 1s = %v, %v; want 1s", d, ok)
	}
	if _, ok := c.pause(0, attempt{wait: time.Minute, hasWait: true}); ok {
		t.Error("a retry-after of a minute was waited for")
	}
}

func TestUserAgentAndNoKeyWithoutOne(t *testing.T) {
	got := make(chan http.Header, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Clone()
		io.WriteString(w, `{"data":[],"has_more":false}`)
	}))
	defer srv.Close()
	newClient(t, testEnv(t, srv.URL)).Models(context.Background(), "")
	h := <-got
	if h.Get("User-Agent") != UserAgent {
		t.Errorf("User-Agent %q, want %q", h.Get("User-Agent"), UserAgent)
	}
	if h.Get("x-api-key") != "" || h.Get("Authorization") != "" {
		t.Error("a credential was sent for an empty key")
	}
}

func BenchmarkModels(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("request-id", "req_bench")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_bench"}`)
	}))
	defer srv.Close()
	c, err := NewClient(&Env{BaseURL: srv.URL})
	if err != nil {
		b.Fatal(err)
	}
	key := netKey(b, "sk-ant-api03-")
	b.ReportAllocs()
	for b.Loop() {
		if a := c.Models(context.Background(), key); a.Status != http.StatusUnauthorized {
			b.Fatalf("status %d", a.Status)
		}
	}
}
