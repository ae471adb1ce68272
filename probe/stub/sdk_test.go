package stub_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	anthropic1 "github.com/anthropics/anthropic-sdk-go"
	option1 "github.com/anthropics/anthropic-sdk-go/option"
	pagination1 "github.com/anthropics/anthropic-sdk-go/packages/pagination"
	anthropic "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/anthropics/anthropic-sdk-go/v2/packages/pagination"

	"github.com/fix401/fix401/probe/stub"
)

// The official Go SDKs pointed at the stub must see what they would see
// from the real API: status, error type, request id, and the retries they
// derive from the stub's headers. Both majors people use today run against
// every scenario: v2 sends the key as Authorization: Bearer with
// anthropic-version 2026-10-21, v1 as x-api-key with 2023-06-01.
//
// Each call runs in a synctest bubble over an in-memory network, so the
// clock only moves when every goroutine — SDK, net/http and stub — waits:
// a client's per-attempt timeout can fire only once the stub holds the
// request, and retry back-off costs no real time. Nothing here depends on
// how fast the machine is.

// sdkCall is one SDK method the test calls against every scenario.
type sdkCall struct {
	name   string
	method string
	path   string // what the stub must log
	cost   bool   // spends or counts tokens: billing and spend limits refuse it
}

// sdkModel is the model the calls name: the stub's second, so that a list
// answer cannot be mistaken for a single model.
var sdkModel = stub.Models()[1]

var sdkCalls = []sdkCall{
	{"models.list", http.MethodGet, "/v1/models", false},
	{"models.get", http.MethodGet, "/v1/models/" + sdkModel.ID, false},
	{"messages.count_tokens", http.MethodPost, "/v1/messages/count_tokens", true},
	{"messages.new", http.MethodPost, "/v1/messages", true},
}

// sdkConfig is how a test sets up either major's client.
type sdkConfig struct {
	baseURL string
	key     string
	http    *http.Client
	timeout time.Duration // per attempt
	headers map[string]string
	record  func(*http.Request, func(*http.Request) (*http.Response, error)) (*http.Response, error)
}

// sdkAPIErr is an SDK's *anthropic.Error, read the same way for both majors.
type sdkAPIErr struct {
	status    int
	typ       string
	requestID string
	raw       string
}

// sdkMajor is one major version of the official Go SDK.
type sdkMajor struct {
	name    string
	header  string // the header an API key goes in
	version string // the anthropic-version it sends
	do      func(ctx context.Context, cfg sdkConfig, call string) (any, error)
	apiErr  func(err error) (sdkAPIErr, bool)
	parsed  func(t *testing.T, call sdkCall, value any)
}

var sdkMajors = []sdkMajor{
	{"v2", "authorization", stub.VersionCurrent, doV2, apiErrV2, checkParsedV2},
	{"v1", "x-api-key", stub.VersionLegacy, doV1, apiErrV1, checkParsedV1},
}

func doV2(ctx context.Context, cfg sdkConfig, call string) (any, error) {
	opts := []option.RequestOption{
		option.WithoutEnvironmentDefaults(),
		option.WithHTTPClient(cfg.http),
		option.WithBaseURL(cfg.baseURL),
		option.WithAPIKey(cfg.key),
		option.WithMaxRetries(2),
		option.WithRequestTimeout(cfg.timeout),
		option.WithMiddleware(cfg.record),
	}
	for k, v := range cfg.headers {
		opts = append(opts, option.WithHeader(k, v))
	}
	c := anthropic.NewClient(opts...)
	msgs := []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("Hi there"))}
	switch call {
	case "models.list":
		return c.Models.List(ctx, anthropic.ModelListParams{})
	case "models.get":
		return c.Models.Get(ctx, sdkModel.ID, anthropic.ModelGetParams{})
	case "messages.count_tokens":
		return c.Messages.CountTokens(ctx, anthropic.MessageCountTokensParams{Model: sdkModel.ID, Messages: msgs})
	default:
		return c.Messages.New(ctx, anthropic.MessageNewParams{Model: sdkModel.ID, MaxTokens: 16, Messages: msgs})
	}
}

func doV1(ctx context.Context, cfg sdkConfig, call string) (any, error) {
	opts := []option1.RequestOption{
		option1.WithoutEnvironmentDefaults(),
		option1.WithHTTPClient(cfg.http),
		option1.WithBaseURL(cfg.baseURL),
		option1.WithAPIKey(cfg.key),
		option1.WithMaxRetries(2),
		option1.WithRequestTimeout(cfg.timeout),
		option1.WithMiddleware(cfg.record),
	}
	for k, v := range cfg.headers {
		opts = append(opts, option1.WithHeader(k, v))
	}
	c := anthropic1.NewClient(opts...)
	msgs := []anthropic1.MessageParam{anthropic1.NewUserMessage(anthropic1.NewTextBlock("Hi there"))}
	switch call {
	case "models.list":
		return c.Models.List(ctx, anthropic1.ModelListParams{})
	case "models.get":
		return c.Models.Get(ctx, sdkModel.ID, anthropic1.ModelGetParams{})
	case "messages.count_tokens":
		return c.Messages.CountTokens(ctx, anthropic1.MessageCountTokensParams{Model: sdkModel.ID, Messages: msgs})
	default:
		return c.Messages.New(ctx, anthropic1.MessageNewParams{Model: sdkModel.ID, MaxTokens: 16, Messages: msgs})
	}
}

func apiErrV2(err error) (sdkAPIErr, bool) {
	var e *anthropic.Error
	if !errors.As(err, &e) {
		return sdkAPIErr{}, false
	}
	return sdkAPIErr{e.StatusCode, string(e.Type()), e.RequestID, e.RawJSON()}, true
}

func apiErrV1(err error) (sdkAPIErr, bool) {
	var e *anthropic1.Error
	if !errors.As(err, &e) {
		return sdkAPIErr{}, false
	}
	return sdkAPIErr{e.StatusCode, string(e.Type()), e.RequestID, e.RawJSON()}, true
}

// sdkKind is how a call ends for the SDK's caller.
type sdkKind int

const (
	sdkOK       sdkKind = iota // a parsed answer
	sdkAPIError                // an *anthropic.Error
	sdkNotJSON                 // a 2xx the SDK cannot decode: no *anthropic.Error
	sdkTimeout                 // every attempt ran out of time
)

// sdkWant is what the SDK must surface for one call.
type sdkWant struct {
	kind      sdkKind
	status    int    // status of the answer the SDK acted on
	errType   string // Error.Type(); "" when the body has no envelope
	msgPrefix string // the start of error.message; "" when not checked
	fromAPI   bool   // the API's own answer: request-id and error envelope
	attempts  int    // requests the stub receives with MaxRetries(2)
}

func wantOK() sdkWant { return sdkWant{kind: sdkOK, status: http.StatusOK, fromAPI: true, attempts: 1} }

// wantAPI is an error in the API's envelope. Both majors retry 408, 409,
// 429 and 5xx (and whatever x-should-retry: true asks for), twice by
// default, and never another 4xx (internal/requestconfig shouldRetry).
func wantAPI(status int, typ anthropic.ErrorType) sdkWant {
	attempts := 1
	if status == http.StatusTooManyRequests || status >= 500 {
		attempts = 3
	}
	return sdkWant{kind: sdkAPIError, status: status, errType: string(typ), fromAPI: true, attempts: attempts}
}

// wantMessage is wantAPI whose error.message starts with prefix.
func wantMessage(status int, typ anthropic.ErrorType, prefix string) sdkWant {
	w := wantAPI(status, typ)
	w.msgPrefix = prefix
	return w
}

// wantForeign is an error status from something other than the API.
func wantForeign(status int, typ anthropic.ErrorType) sdkWant {
	return sdkWant{kind: sdkAPIError, status: status, errType: string(typ), attempts: 1}
}

// wantTimeout: an attempt that times out is retried like a lost connection.
func wantTimeout() sdkWant { return sdkWant{kind: sdkTimeout, attempts: 3} }

// sdkCase is one scenario as the SDKs meet it.
type sdkCase struct {
	name     string
	opts     stub.Options
	headers  map[string]string
	timeout  time.Duration // per attempt
	models   sdkWant       // models.list and models.get
	messages sdkWant       // count_tokens and messages
	// drops is the credential header the scenario's gateway removes: the
	// major that sends its key there gets the API's missing-key 401.
	drops    string
	redirect bool // Options.RedirectURL goes to a recording server
}

func (c sdkCase) want(m sdkMajor, call sdkCall) sdkWant {
	switch {
	case c.drops == m.header:
		return wantMessage(401, anthropic.ErrorTypeAuthenticationError, "x-api-key header is required")
	case call.cost:
		return c.messages
	}
	return c.models
}

const stubHost, targetHost = "api.stub.test:80", "login.captive.test:80"

func sdkCases() []sdkCase {
	same := func(name string, w sdkWant) sdkCase {
		return sdkCase{name: name, opts: stub.Options{Scenario: name}, models: w, messages: w}
	}
	browser := map[string]string{
		"Origin": "https://app.example.com",
		"Anthropic-Dangerous-Direct-Browser-Access": "true",
	}
	stripped := func(name, header string) sdkCase {
		c := same(name, wantOK())
		c.drops = header
		return c
	}
	foreignPage := sdkWant{kind: sdkNotJSON, status: http.StatusOK, attempts: 1}
	return []sdkCase{
		same(stub.Healthy, wantOK()),
		same(stub.Revoked, wantAPI(401, anthropic.ErrorTypeAuthenticationError)),
		same(stub.Forbidden, wantAPI(403, anthropic.ErrorTypePermissionError)),
		same(stub.OrgDisabled, wantMessage(400, anthropic.ErrorTypeInvalidRequestError, "This organization has been disabled.")),
		{name: stub.Billing, opts: stub.Options{Scenario: stub.Billing},
			models: wantOK(), messages: wantMessage(400, anthropic.ErrorTypeInvalidRequestError, "Your credit balance is too low")},
		{name: stub.Billing402, opts: stub.Options{Scenario: stub.Billing402},
			models: wantOK(), messages: wantAPI(402, anthropic.ErrorTypeBillingError)},
		same(stub.RateLimited, wantAPI(429, anthropic.ErrorTypeRateLimitError)),
		{name: stub.SpendLimit, opts: stub.Options{Scenario: stub.SpendLimit}, models: wantOK(),
			messages: wantMessage(400, anthropic.ErrorTypeInvalidRequestError, "You have reached your specified API usage limits. You will regain access on ")},
		same(stub.TierCap, wantAPI(429, anthropic.ErrorTypeRateLimitError)),
		same(stub.Overloaded, wantAPI(529, anthropic.ErrorTypeOverloadedError)),
		same(stub.ServerError, wantAPI(500, anthropic.ErrorTypeAPIError)),
		{name: stub.Outage, opts: stub.Options{Scenario: stub.Outage},
			models:   wantAPI(500, anthropic.ErrorTypeAPIError),
			messages: wantAPI(529, anthropic.ErrorTypeOverloadedError)},
		same(stub.NotAnthropic, foreignPage),
		// Only the token exchange refuses: an API key works as ever.
		same(stub.FederationRejected, wantOK()),
		stripped(stub.HeaderStripped, "authorization"),
		stripped(stub.XAPIKeyStripped, "x-api-key"),
		{name: stub.Redirect, opts: stub.Options{Scenario: stub.Redirect}, redirect: true,
			models: foreignPage, messages: foreignPage},
		same(stub.ProxyAuth, wantForeign(407, "")),
		// The SDKs read the OpenAI body's error.type: a 401 that calls itself
		// an invalid request.
		same(stub.OpenAI, wantForeign(401, anthropic.ErrorTypeInvalidRequestError)),
		same(stub.RegionBlocked, wantForeign(403, "forbidden")),
		same(stub.IPNotAllowed, wantMessage(403, anthropic.ErrorTypePermissionError, "Your IP address isn't in this organization's allowed range.")),
		same(stub.WorkspaceNeeded, wantMessage(400, anthropic.ErrorTypeInvalidRequestError, "anthropic-workspace-id is required")),
		same(stub.KeyDisabled, wantAPI(401, anthropic.ErrorTypeAuthenticationError)),
		same(stub.KeyExpired, wantAPI(401, anthropic.ErrorTypeAuthenticationError)),
		same(stub.KeyArchived, wantAPI(401, anthropic.ErrorTypeAuthenticationError)),
		same(stub.KeyExpiring, wantOK()),
		// API keys are not Claude-Code-only; only subscription tokens are.
		same(stub.CodeOnly, wantOK()),
		{name: stub.CORSBlocked, opts: stub.Options{Scenario: stub.CORSBlocked}, headers: browser,
			models:   wantAPI(401, anthropic.ErrorTypeAuthenticationError),
			messages: wantAPI(401, anthropic.ErrorTypeAuthenticationError)},
		{name: stub.CORSBlocked + "/server-side", opts: stub.Options{Scenario: stub.CORSBlocked},
			models: wantOK(), messages: wantOK()},
		{name: stub.Slow, opts: stub.Options{Scenario: stub.Slow}, timeout: 10 * time.Second,
			models: wantOK(), messages: wantOK()},
		{name: stub.Slow + "/past-timeout", opts: stub.Options{Scenario: stub.Slow}, timeout: time.Second,
			models: wantTimeout(), messages: wantTimeout()},
		{name: stub.Hang, opts: stub.Options{Scenario: stub.Hang}, timeout: 10 * time.Second,
			models: wantTimeout(), messages: wantTimeout()},
	}
}

// sdkAttempt is one response (or failure) the SDK's HTTP client returned.
type sdkAttempt struct {
	status int
	header http.Header
	url    *url.URL
	err    error
}

// hop is a request that followed the redirect to the recording server.
type hop struct {
	method     string
	path       string
	keyArrived bool // the caller's key arrived, in either credential header
	body       int64
}

// sdkOutcome is everything one call produced.
type sdkOutcome struct {
	setupErr error
	key      string
	value    any
	err      error
	attempts []sdkAttempt
	logged   []stub.Request // what the stub received, complete once it closed
	hops     []hop
	elapsed  time.Duration // on the bubble's clock
}

// memNet is an in-memory network of http.Servers reached through
// net.Pipe. Inside a synctest bubble its reads and writes block durably, so
// the bubble's clock stands still while any byte is on its way.
type memNet struct {
	mu        sync.Mutex
	listeners map[string]*memListener
	servers   []*http.Server
	served    sync.WaitGroup
}

type memListener struct {
	addr  memAddr
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

type memAddr string

func (a memAddr) Network() string { return "mem" }
func (a memAddr) String() string  { return string(a) }

func (l *memListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *memListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *memListener) Addr() net.Addr { return l.addr }

// serve answers requests for addr ("host:port") with h.
func (n *memNet) serve(addr string, h http.Handler) {
	l := &memListener{addr: memAddr(addr), conns: make(chan net.Conn), done: make(chan struct{})}
	srv := &http.Server{Handler: h}
	n.mu.Lock()
	if n.listeners == nil {
		n.listeners = map[string]*memListener{}
	}
	n.listeners[addr] = l
	n.servers = append(n.servers, srv)
	n.mu.Unlock()
	n.served.Go(func() { _ = srv.Serve(l) })
}

func (n *memNet) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	n.mu.Lock()
	l := n.listeners[addr]
	n.mu.Unlock()
	if l == nil {
		return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("no such host in the test's network")}
	}
	client, server := net.Pipe()
	var err error
	select {
	case l.conns <- server:
		return client, nil
	case <-l.done:
		err = net.ErrClosed
	case <-ctx.Done():
		err = ctx.Err()
	}
	client.Close()
	server.Close()
	return nil, &net.OpError{Op: "dial", Net: network, Err: err}
}

// close stops every server and returns once they are done.
func (n *memNet) close() {
	n.mu.Lock()
	servers := n.servers
	n.mu.Unlock()
	for _, s := range servers {
		_ = s.Close()
	}
	n.served.Wait()
}

// runSDKCall runs one call of one major against one scenario. It must run
// in a synctest bubble, and leaves nothing running there.
func runSDKCall(c sdkCase, m sdkMajor, call sdkCall) (out sdkOutcome) {
	out.key = stub.NewAPIKey()
	var memnet memNet
	defer memnet.close()
	opts := c.opts
	var (
		hopMu sync.Mutex
		hops  []hop
	)
	if c.redirect {
		memnet.serve(targetHost, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			arrived := r.Header.Get("X-Api-Key") == out.key || r.Header.Get("Authorization") == "Bearer "+out.key
			hopMu.Lock()
			hops = append(hops, hop{r.Method, r.URL.Path, arrived, r.ContentLength})
			hopMu.Unlock()
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte("<html><body>Sign in to continue</body></html>"))
		}))
		opts.RedirectURL = "http://" + strings.TrimSuffix(targetHost, ":80") + "/portal"
	}
	api, err := stub.Handler(opts)
	if err != nil {
		out.setupErr = err
		return out
	}
	defer api.Close()
	memnet.serve(stubHost, api)

	transport := &http.Transport{DialContext: memnet.dial}
	defer transport.CloseIdleConnections()
	var mu sync.Mutex
	record := func(req *http.Request, next func(*http.Request) (*http.Response, error)) (*http.Response, error) {
		res, err := next(req)
		a := sdkAttempt{err: err}
		if res != nil {
			a.status, a.header, a.url = res.StatusCode, res.Header.Clone(), res.Request.URL
		}
		mu.Lock()
		out.attempts = append(out.attempts, a)
		mu.Unlock()
		return res, err
	}
	timeout := c.timeout
	if timeout == 0 {
		timeout = time.Minute
	}
	cfg := sdkConfig{
		baseURL: "http://" + strings.TrimSuffix(stubHost, ":80"),
		key:     out.key,
		http:    &http.Client{Transport: transport},
		timeout: timeout,
		headers: c.headers,
		record:  record,
	}
	start := time.Now()
	out.value, out.err = m.do(context.Background(), cfg, call.name)
	out.elapsed = time.Since(start)
	// Every goroutine left is idle: the stub has recorded every request
	// that reached it, including one its client has just given up on.
	synctest.Wait()
	transport.CloseIdleConnections()
	memnet.close()
	api.Close()
	out.logged = api.Requests()
	hopMu.Lock()
	out.hops = hops
	hopMu.Unlock()
	return out
}

func TestOfficialGoSDK(t *testing.T) {
	cases := sdkCases()
	covered := map[string]bool{}
	for _, c := range cases {
		covered[c.opts.Scenario] = true
	}
	for _, s := range stub.Scenarios() {
		if !covered[s.Name] {
			t.Errorf("scenario %s has no SDK case", s.Name)
		}
	}
	for _, m := range sdkMajors {
		t.Run(m.name, func(t *testing.T) {
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					for _, call := range sdkCalls {
						t.Run(call.name, func(t *testing.T) {
							synctest.Test(t, func(t *testing.T) {
								out := runSDKCall(c, m, call)
								if out.setupErr != nil {
									t.Fatal(out.setupErr)
								}
								t.Logf("%d request(s) in %v of the bubble's clock", len(out.logged), out.elapsed)
								checkSDKOutcome(t, c, m, call, c.want(m, call), out)
							})
						})
					}
				})
			}
		})
	}
}

func checkSDKOutcome(t *testing.T, c sdkCase, m sdkMajor, call sdkCall, want sdkWant, out sdkOutcome) {
	if out.err != nil && strings.Contains(out.err.Error(), out.key) {
		t.Error("the SDK's error text holds the key")
	}
	checkStubLog(t, c, m, call, want, out)

	apierr, isAPIErr := m.apiErr(out.err)
	switch want.kind {
	case sdkOK:
		if out.err != nil {
			t.Fatalf("err = %v, want an answer", out.err)
		}
		m.parsed(t, call, out.value)
	case sdkAPIError:
		if !isAPIErr {
			t.Fatalf("err = %v (%T), want *anthropic.Error", out.err, out.err)
		}
		checkAPIError(t, want, apierr, out)
	case sdkNotJSON:
		if out.err == nil || isAPIErr {
			t.Fatalf("err = %v, want a decoding error for a page that is not JSON", out.err)
		}
	case sdkTimeout:
		if !errors.Is(out.err, context.DeadlineExceeded) || isAPIErr {
			t.Fatalf("err = %v, want context.DeadlineExceeded", out.err)
		}
	}

	if len(out.attempts) != want.attempts {
		t.Fatalf("the SDK made %d attempts, want %d", len(out.attempts), want.attempts)
	}
	for k, a := range out.attempts {
		if want.kind == sdkTimeout {
			if a.err == nil {
				t.Errorf("attempt %d: got status %d, want no answer", k, a.status)
			}
			continue
		}
		if a.err != nil || a.status != want.status {
			t.Errorf("attempt %d: status %d, err %v; want %d", k, a.status, a.err, want.status)
			continue
		}
		// Every attempt's id is the one the stub logged for that request.
		if !c.redirect && a.header.Get("Request-Id") != out.logged[k].RequestID {
			t.Errorf("attempt %d: request-id %q, the stub logged %q", k, a.header.Get("Request-Id"), out.logged[k].RequestID)
		}
		// The SDK retries because the stub asks it to, and only then.
		if retry := a.header.Get("X-Should-Retry") == "true"; retry != (want.attempts > 1) {
			t.Errorf("attempt %d: x-should-retry %q with %d attempts", k, a.header.Get("X-Should-Retry"), want.attempts)
		}
	}
	if c.opts.Scenario == stub.RateLimited {
		checkRetryAfter(t, out)
	}
	if c.redirect {
		checkRedirect(t, m, call, out)
	}
}

// checkStubLog compares what the stub received with what the SDK reports,
// and checks that each major sends its key and version its own way.
func checkStubLog(t *testing.T, c sdkCase, m sdkMajor, call sdkCall, want sdkWant, out sdkOutcome) {
	if len(out.logged) != want.attempts {
		t.Fatalf("the stub received %d requests, want %d", len(out.logged), want.attempts)
	}
	other := map[string]string{"authorization": "x-api-key", "x-api-key": "authorization"}[m.header]
	for k, r := range out.logged {
		if r.Method != call.method || r.Path != call.path {
			t.Errorf("request %d: %s %s, want %s %s", k, r.Method, r.Path, call.method, call.path)
		}
		if !r.Has(m.header) || r.Has(other) || r.Bearer != (m.header == "authorization") || r.Version != m.version {
			t.Errorf("request %d: headers %v, bearer %v, version %q; want %s and anthropic-version %s, no %s",
				k, r.Headers, r.Bearer, r.Version, m.header, m.version, other)
		}
		reached := []string{m.header}
		if c.drops == m.header {
			reached = nil
		}
		if !slices.Equal(r.Credentials, reached) {
			t.Errorf("request %d: credentials %v reached the API, want %v", k, r.Credentials, reached)
		}
		status := want.status
		switch {
		case want.kind == sdkTimeout:
			status = 0
		case c.redirect && call.method == http.MethodGet:
			status = http.StatusMovedPermanently
		case c.redirect:
			status = http.StatusTemporaryRedirect
		}
		if r.Status != status {
			t.Errorf("request %d: the stub sent %d, want %d", k, r.Status, status)
		}
		if fromAPI := want.fromAPI && want.kind != sdkTimeout; fromAPI != requestIDRE.MatchString(r.RequestID) || !fromAPI && r.RequestID != "" {
			t.Errorf("request %d: the stub logged request-id %q", k, r.RequestID)
		}
	}
}

func checkAPIError(t *testing.T, want sdkWant, apierr sdkAPIErr, out sdkOutcome) {
	if apierr.status != want.status {
		t.Errorf("StatusCode = %d, want %d", apierr.status, want.status)
	}
	if apierr.typ != want.errType {
		t.Errorf("Type() = %q, want %q", apierr.typ, want.errType)
	}
	last := out.logged[len(out.logged)-1]
	if apierr.requestID != last.RequestID {
		t.Errorf("RequestID = %q, the stub logged %q for the last attempt", apierr.requestID, last.RequestID)
	}
	if !want.fromAPI {
		return
	}
	var env struct {
		Type  string `json:"type"`
		Error struct {
			Type    string `json:"type"`
			Message string `json:"message"`
		} `json:"error"`
		RequestID string `json:"request_id"`
	}
	if err := json.Unmarshal([]byte(apierr.raw), &env); err != nil {
		t.Fatalf("RawJSON is not the API's envelope: %v", err)
	}
	if env.Type != "error" || env.Error.Type != apierr.typ || env.Error.Message == "" || env.RequestID != apierr.requestID {
		t.Errorf("envelope %+v does not match Type() %q and RequestID %q", env, apierr.typ, apierr.requestID)
	}
	if !strings.HasPrefix(env.Error.Message, want.msgPrefix) {
		t.Errorf("message %q, want it to start %q", env.Error.Message, want.msgPrefix)
	}
}

// stubModelIDs are the ids of the stub's models, newest first.
func stubModelIDs() []string {
	var ids []string
	for _, m := range stub.Models() {
		ids = append(ids, m.ID)
	}
	return ids
}

func checkParsedV1(t *testing.T, call sdkCall, value any) {
	switch call.name {
	case "models.list":
		page, ok := value.(*pagination1.Page[anthropic1.ModelInfo])
		if !ok {
			t.Fatalf("value is %T", value)
		}
		checkPage(t, page.RawJSON(), len(page.Data))
	case "models.get":
		m, ok := value.(*anthropic1.ModelInfo)
		if !ok {
			t.Fatalf("value is %T", value)
		}
		created, err := time.Parse(time.RFC3339, sdkModel.CreatedAt)
		if err != nil {
			t.Fatal(err)
		}
		if m.ID != sdkModel.ID || m.DisplayName != sdkModel.DisplayName || !m.CreatedAt.Equal(created) || m.Type != "model" ||
			m.MaxInputTokens != int64(sdkModel.MaxInputTokens) || m.MaxTokens != int64(sdkModel.MaxTokens) {
			t.Errorf("model %q %q %v %q %d %d, want %+v", m.ID, m.DisplayName, m.CreatedAt, m.Type, m.MaxInputTokens, m.MaxTokens, sdkModel)
		}
	case "messages.count_tokens":
		n, ok := value.(*anthropic1.MessageTokensCount)
		if !ok {
			t.Fatalf("value is %T", value)
		}
		if n.InputTokens < 1 || !n.JSON.InputTokens.Valid() {
			t.Errorf("input_tokens = %d (%s)", n.InputTokens, n.RawJSON())
		}
	case "messages.new":
		msg, ok := value.(*anthropic1.Message)
		if !ok {
			t.Fatalf("value is %T", value)
		}
		if !strings.HasPrefix(msg.ID, "msg_") || msg.Role != "assistant" || msg.Model != sdkModel.ID ||
			msg.StopReason != anthropic1.StopReasonEndTurn || msg.Usage.InputTokens < 1 || msg.Usage.OutputTokens < 1 ||
			msg.Usage.ServiceTier != anthropic1.UsageServiceTierStandard {
			t.Errorf("message %q role %q model %q stop %q usage %+v", msg.ID, msg.Role, msg.Model, msg.StopReason, msg.Usage)
		}
		if len(msg.Content) != 1 || msg.Content[0].Type != "text" || msg.Content[0].Text == "" {
			t.Errorf("content %+v, want one text block", msg.Content)
		}
	}
}

// checkPage checks a model list page, as raw JSON and as many models as
// the SDK decoded: every model, in order, on one page.
func checkPage(t *testing.T, raw string, decoded int) {
	t.Helper()
	var page struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
		HasMore bool   `json:"has_more"`
		FirstID string `json:"first_id"`
		LastID  string `json:"last_id"`
	}
	if err := json.Unmarshal([]byte(raw), &page); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range page.Data {
		got = append(got, m.ID)
	}
	want := stubModelIDs()
	if decoded != len(want) {
		t.Errorf("the SDK decoded %d models, want %d", decoded, len(want))
	}
	if !slices.Equal(got, want) || page.FirstID != want[0] || page.LastID != want[len(want)-1] || page.HasMore {
		t.Errorf("page %v first %q last %q more %v, want %v", got, page.FirstID, page.LastID, page.HasMore, want)
	}
}

// checkParsedV2 decodes the stub's answers with the current SDK's types and
// checks that every field they declare arrived: present (or null where the
// API sends null), no field the SDK does not know, and the values.
func checkParsedV2(t *testing.T, call sdkCall, value any) {
	switch call.name {
	case "models.list":
		page, ok := value.(*pagination.Page[anthropic.ModelInfo])
		if !ok {
			t.Fatalf("value is %T", value)
		}
		checkPage(t, page.RawJSON(), len(page.Data))
		for _, m := range page.Data {
			if m.MaxTokens <= 0 || !m.JSON.Capabilities.Valid() {
				t.Errorf("listed model %s lacks max_tokens or capabilities", m.ID)
			}
		}
	case "models.get":
		m, ok := value.(*anthropic.ModelInfo)
		if !ok {
			t.Fatalf("value is %T", value)
		}
		checkModelV2(t, m)
	case "messages.count_tokens":
		n, ok := value.(*anthropic.MessageTokensCount)
		if !ok {
			t.Fatalf("value is %T", value)
		}
		if n.InputTokens < 1 || !n.JSON.InputTokens.Valid() || len(n.JSON.ExtraFields) > 0 {
			t.Errorf("count %s", n.RawJSON())
		}
	case "messages.new":
		msg, ok := value.(*anthropic.Message)
		if !ok {
			t.Fatalf("value is %T", value)
		}
		checkMessageV2(t, msg)
	}
}

// fieldsMissing names the fields that are neither valid nor, where the API
// sends null, null.
func fieldsMissing(fields map[string]fieldState) []string {
	var missing []string
	for name, f := range fields {
		if !f.valid && !(f.nullOK && f.raw == "null") {
			missing = append(missing, name)
		}
	}
	slices.Sort(missing)
	return missing
}

type fieldState struct {
	valid  bool
	raw    string
	nullOK bool
}

type respField interface {
	Valid() bool
	Raw() string
}

func present(f respField) fieldState { return fieldState{valid: f.Valid(), raw: f.Raw()} }
func nullable(f respField) fieldState {
	return fieldState{valid: f.Valid(), raw: f.Raw(), nullOK: true}
}
func extra[F any](m map[string]F) bool { return len(m) > 0 }

func checkModelV2(t *testing.T, m *anthropic.ModelInfo) {
	created, err := time.Parse(time.RFC3339, sdkModel.CreatedAt)
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != sdkModel.ID || m.DisplayName != sdkModel.DisplayName || !m.CreatedAt.Equal(created) || m.Type != "model" ||
		m.MaxInputTokens <= 0 || m.MaxTokens <= 0 || m.MaxInputTokens != int64(sdkModel.MaxInputTokens) ||
		m.MaxTokens != int64(sdkModel.MaxTokens) || m.Lifecycle != anthropic.ModelInfoLifecycleActive || m.Line != anthropic.ModelLineHaiku {
		t.Errorf("model %q %q %v %q in %d out %d %q %q, want %+v", m.ID, m.DisplayName, m.CreatedAt, m.Type,
			m.MaxInputTokens, m.MaxTokens, m.Lifecycle, m.Line, sdkModel)
	}
	j, c := m.JSON, m.Capabilities
	missing := fieldsMissing(map[string]fieldState{
		"id": present(j.ID), "type": present(j.Type), "display_name": present(j.DisplayName),
		"created_at": present(j.CreatedAt), "max_input_tokens": present(j.MaxInputTokens),
		"max_tokens": present(j.MaxTokens), "capabilities": present(j.Capabilities),
		"lifecycle": present(j.Lifecycle), "line": nullable(j.Line),
		"deprecated_at": nullable(j.DeprecatedAt), "retires_at": nullable(j.RetiresAt),
		"capabilities.batch": present(c.JSON.Batch), "capabilities.citations": present(c.JSON.Citations),
		"capabilities.code_execution": present(c.JSON.CodeExecution), "capabilities.context_management": present(c.JSON.ContextManagement),
		"capabilities.effort": present(c.JSON.Effort), "capabilities.image_input": present(c.JSON.ImageInput),
		"capabilities.pdf_input": present(c.JSON.PDFInput), "capabilities.server_tools": present(c.JSON.ServerTools),
		"capabilities.structured_outputs": present(c.JSON.StructuredOutputs), "capabilities.thinking": present(c.JSON.Thinking),
		"capabilities.context_management.compact_20260112": present(c.ContextManagement.JSON.Compact20260112),
		"capabilities.effort.xhigh":                        present(c.Effort.JSON.Xhigh),
		"capabilities.server_tools.web_search":             present(c.ServerTools.JSON.WebSearch),
		"capabilities.thinking.types":                      present(c.Thinking.JSON.Types),
		"capabilities.thinking.types.adaptive":             present(c.Thinking.Types.JSON.Adaptive),
	})
	if len(missing) > 0 {
		t.Errorf("the SDK found no %v in %s", missing, m.RawJSON())
	}
	if extra(j.ExtraFields) || extra(c.JSON.ExtraFields) {
		t.Errorf("fields the SDK does not declare: %v %v", j.ExtraFields, c.JSON.ExtraFields)
	}
	if !c.ImageInput.Supported || !c.Thinking.Supported || !c.Thinking.Types.Enabled.Supported {
		t.Errorf("capabilities %s", c.RawJSON())
	}
}

func checkMessageV2(t *testing.T, msg *anthropic.Message) {
	if !strings.HasPrefix(msg.ID, "msg_") || msg.Role != "assistant" || msg.Model != sdkModel.ID ||
		msg.StopReason != anthropic.StopReasonEndTurn {
		t.Errorf("message %q role %q model %q stop %q", msg.ID, msg.Role, msg.Model, msg.StopReason)
	}
	if len(msg.Content) != 1 || msg.Content[0].Type != "text" || msg.Content[0].Text == "" {
		t.Errorf("content %+v, want one text block", msg.Content)
	}
	j, u := msg.JSON, msg.Usage
	if u.InputTokens < 1 || u.OutputTokens < 1 || u.ServiceTier != anthropic.UsageServiceTierStandard ||
		u.Speed != anthropic.UsageSpeedStandard || u.InferenceGeo == "" {
		t.Errorf("usage %s", u.RawJSON())
	}
	missing := fieldsMissing(map[string]fieldState{
		"id": present(j.ID), "type": present(j.Type), "role": present(j.Role), "model": present(j.Model),
		"content": present(j.Content), "stop_reason": present(j.StopReason), "stop_sequence": nullable(j.StopSequence),
		"stop_details": nullable(j.StopDetails), "container": nullable(j.Container), "diagnostics": nullable(j.Diagnostics),
		"usage":                             present(j.Usage),
		"usage.input_tokens":                present(u.JSON.InputTokens),
		"usage.output_tokens":               present(u.JSON.OutputTokens),
		"usage.cache_creation_input_tokens": present(u.JSON.CacheCreationInputTokens),
		"usage.cache_read_input_tokens":     present(u.JSON.CacheReadInputTokens),
		"usage.cache_creation":              present(u.JSON.CacheCreation),
		"usage.cache_creation.ephemeral_5m": present(u.CacheCreation.JSON.Ephemeral5mInputTokens),
		"usage.cache_creation.ephemeral_1h": present(u.CacheCreation.JSON.Ephemeral1hInputTokens),
		"usage.server_tool_use":             present(u.JSON.ServerToolUse),
		"usage.server_tool_use.web_search":  present(u.ServerToolUse.JSON.WebSearchRequests),
		"usage.server_tool_use.web_fetch":   present(u.ServerToolUse.JSON.WebFetchRequests),
		"usage.service_tier":                present(u.JSON.ServiceTier),
		"usage.inference_geo":               present(u.JSON.InferenceGeo),
		"usage.output_tokens_details":       present(u.JSON.OutputTokensDetails),
		"usage.speed":                       present(u.JSON.Speed),
	})
	if len(missing) > 0 {
		t.Errorf("the SDK found no %v in %s", missing, msg.RawJSON())
	}
	if extra(j.ExtraFields) || extra(u.JSON.ExtraFields) {
		t.Errorf("fields the SDK does not declare: %v %v", j.ExtraFields, u.JSON.ExtraFields)
	}
}

// checkRetryAfter: the SDK waits the retry-after the stub sends (1s when
// unset) before each retry. On the bubble's clock the gap is exact, but a
// lower bound says what matters.
func checkRetryAfter(t *testing.T, out sdkOutcome) {
	for k := 1; k < len(out.logged); k++ {
		if gap := out.logged[k].Time.Sub(out.logged[k-1].Time); gap < time.Second {
			t.Errorf("retry %d came %v after the previous request, before retry-after", k, gap)
		}
	}
}

// checkRedirect records what each SDK does with the stub's redirect to
// another host: it follows it and resends the body of a 307. net/http
// copies x-api-key to the new host like any custom header, so v1's key
// reaches the portal; it drops Authorization on a redirect to another
// domain, so v2's does not. fix401 itself never follows a redirect.
func checkRedirect(t *testing.T, m sdkMajor, call sdkCall, out sdkOutcome) {
	if len(out.hops) != 1 {
		t.Fatalf("%d requests reached the redirect target, want 1 (the SDK follows)", len(out.hops))
	}
	h := out.hops[0]
	if h.method != call.method || h.path != "/portal" {
		t.Errorf("the redirect target got %s %s, want %s /portal", h.method, h.path, call.method)
	}
	if leaks := m.header == "x-api-key"; h.keyArrived != leaks {
		t.Errorf("the key reached the redirect target: %v, want %v for a key sent as %s", h.keyArrived, leaks, m.header)
	}
	if call.method == http.MethodPost && h.body <= 0 {
		t.Errorf("a 307 should resend the body; the target got %d bytes", h.body)
	}
	if a := out.attempts[0]; a.url == nil || a.url.Host != strings.TrimSuffix(targetHost, ":80") {
		t.Errorf("the SDK's answer came from %v, want the redirect target %s", a.url, targetHost)
	}
}
