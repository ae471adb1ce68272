package stub_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/option"
	"github.com/anthropics/anthropic-sdk-go/packages/pagination"

	"github.com/fix401/fix401/probe/stub"
)

// The official Go SDK pointed at the stub must see what it would see from
// the real API: status, error type, request id, and the retries it derives
// from the stub's headers.

// sdkCall is one SDK method the test calls against every scenario.
type sdkCall struct {
	name   string
	method string
	path   string // what the stub must log
	cost   bool   // spends tokens: the billing scenarios refuse it
	do     func(ctx context.Context, c anthropic.Client) (any, error)
}

// sdkModel is the model the calls name: the stub's second, so that a list
// answer cannot be mistaken for a single model.
var sdkModel = stub.Models()[1]

func sdkMessages() []anthropic.MessageParam {
	return []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("Hi there"))}
}

var sdkCalls = []sdkCall{
	{"models.list", http.MethodGet, "/v1/models", false, func(ctx context.Context, c anthropic.Client) (any, error) {
		return c.Models.List(ctx, anthropic.ModelListParams{})
	}},
	{"models.get", http.MethodGet, "/v1/models/" + sdkModel.ID, false, func(ctx context.Context, c anthropic.Client) (any, error) {
		return c.Models.Get(ctx, sdkModel.ID, anthropic.ModelGetParams{})
	}},
	{"messages.count_tokens", http.MethodPost, "/v1/messages/count_tokens", true, func(ctx context.Context, c anthropic.Client) (any, error) {
		return c.Messages.CountTokens(ctx, anthropic.MessageCountTokensParams{Model: sdkModel.ID, Messages: sdkMessages()})
	}},
	{"messages.new", http.MethodPost, "/v1/messages", true, func(ctx context.Context, c anthropic.Client) (any, error) {
		return c.Messages.New(ctx, anthropic.MessageNewParams{Model: sdkModel.ID, MaxTokens: 16, Messages: sdkMessages()})
	}},
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
	kind     sdkKind
	status   int                 // status of the answer the SDK acted on
	errType  anthropic.ErrorType // Error.Type(); "" when the body has no envelope
	fromAPI  bool                // the API's own answer: request-id and error envelope
	attempts int                 // requests the stub receives with MaxRetries(2)
}

func wantOK() sdkWant { return sdkWant{kind: sdkOK, status: http.StatusOK, fromAPI: true, attempts: 1} }

// wantAPI is an error in the API's envelope; 429, 500 and 529 are retried.
func wantAPI(status int, typ anthropic.ErrorType) sdkWant {
	attempts := 1
	if status == http.StatusTooManyRequests || status >= 500 {
		attempts = 3
	}
	return sdkWant{kind: sdkAPIError, status: status, errType: typ, fromAPI: true, attempts: attempts}
}

// wantForeign is an error status from something other than the API.
func wantForeign(status int, typ anthropic.ErrorType) sdkWant {
	return sdkWant{kind: sdkAPIError, status: status, errType: typ, attempts: 1}
}

func wantTimeout() sdkWant { return sdkWant{kind: sdkTimeout, attempts: 3} }

// sdkCase is one scenario as the SDK meets it.
type sdkCase struct {
	name     string
	opts     stub.Options
	client   []option.RequestOption
	timeout  time.Duration // per attempt
	models   sdkWant       // models.list and models.get
	messages sdkWant       // count_tokens and messages
	redirect bool          // Options.RedirectURL goes to a recording server
}

func (c sdkCase) want(call sdkCall) sdkWant {
	if call.cost {
		return c.messages
	}
	return c.models
}

func sdkCases() []sdkCase {
	same := func(name string, w sdkWant) sdkCase {
		return sdkCase{name: name, opts: stub.Options{Scenario: name}, models: w, messages: w}
	}
	browser := []option.RequestOption{
		option.WithHeader("Origin", "https://app.example.com"),
		option.WithHeader("Anthropic-Dangerous-Direct-Browser-Access", "true"),
	}
	return []sdkCase{
		same(stub.Healthy, wantOK()),
		same(stub.Revoked, wantAPI(401, anthropic.ErrorTypeAuthenticationError)),
		same(stub.Forbidden, wantAPI(403, anthropic.ErrorTypePermissionError)),
		same(stub.OrgDisabled, wantAPI(400, anthropic.ErrorTypeInvalidRequestError)),
		{name: stub.Billing, opts: stub.Options{Scenario: stub.Billing},
			models: wantOK(), messages: wantAPI(400, anthropic.ErrorTypeInvalidRequestError)},
		{name: stub.Billing402, opts: stub.Options{Scenario: stub.Billing402},
			models: wantOK(), messages: wantAPI(402, anthropic.ErrorTypeBillingError)},
		same(stub.RateLimited, wantAPI(429, anthropic.ErrorTypeRateLimitError)),
		{name: stub.SpendLimit, opts: stub.Options{Scenario: stub.SpendLimit},
			models: wantOK(), messages: wantAPI(400, anthropic.ErrorTypeInvalidRequestError)},
		same(stub.TierCap, wantAPI(429, anthropic.ErrorTypeRateLimitError)),
		same(stub.Overloaded, wantAPI(529, anthropic.ErrorTypeOverloadedError)),
		same(stub.ServerError, wantAPI(500, anthropic.ErrorTypeAPIError)),
		{name: stub.Outage, opts: stub.Options{Scenario: stub.Outage},
			models:   wantAPI(500, anthropic.ErrorTypeAPIError),
			messages: wantAPI(529, anthropic.ErrorTypeOverloadedError)},
		same(stub.NotAnthropic, sdkWant{kind: sdkNotJSON, status: http.StatusOK, attempts: 1}),
		// The SDK sends x-api-key: a gateway that drops Authorization lets it
		// through, one that drops x-api-key leaves no key.
		same(stub.HeaderStripped, wantOK()),
		same(stub.XAPIKeyStripped, wantAPI(401, anthropic.ErrorTypeAuthenticationError)),
		{name: stub.Redirect, opts: stub.Options{Scenario: stub.Redirect}, redirect: true,
			models:   sdkWant{kind: sdkNotJSON, status: http.StatusOK, attempts: 1},
			messages: sdkWant{kind: sdkNotJSON, status: http.StatusOK, attempts: 1}},
		same(stub.ProxyAuth, wantForeign(407, "")),
		// The SDK reads the OpenAI body's error.type: a 401 that calls itself
		// an invalid request.
		same(stub.OpenAI, wantForeign(401, anthropic.ErrorTypeInvalidRequestError)),
		same(stub.RegionBlocked, wantForeign(403, "forbidden")),
		{name: stub.CORSBlocked, opts: stub.Options{Scenario: stub.CORSBlocked}, client: browser,
			models:   wantAPI(401, anthropic.ErrorTypeAuthenticationError),
			messages: wantAPI(401, anthropic.ErrorTypeAuthenticationError)},
		{name: stub.CORSBlocked + "/server-side", opts: stub.Options{Scenario: stub.CORSBlocked},
			models: wantOK(), messages: wantOK()},
		{name: stub.Slow, opts: stub.Options{Scenario: stub.Slow, Latency: 200 * time.Millisecond},
			models: wantOK(), messages: wantOK()},
		{name: stub.Slow + "/past-timeout", opts: stub.Options{Scenario: stub.Slow}, timeout: 150 * time.Millisecond,
			models: wantTimeout(), messages: wantTimeout()},
		{name: stub.Hang, opts: stub.Options{Scenario: stub.Hang}, timeout: 150 * time.Millisecond,
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
	keyArrived bool // the x-api-key header carried the caller's key
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
	target   string // host of the recording server
	elapsed  time.Duration
}

func runSDKCall(ctx context.Context, c sdkCase, call sdkCall) (out sdkOutcome) {
	out.key = stub.NewAPIKey()
	opts := c.opts
	var (
		hopMu sync.Mutex
		hops  []hop
	)
	if c.redirect {
		target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hopMu.Lock()
			hops = append(hops, hop{r.Method, r.URL.Path, r.Header.Get("X-Api-Key") == out.key, r.ContentLength})
			hopMu.Unlock()
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte("<html><body>Sign in to continue</body></html>"))
		}))
		defer func() {
			target.Close()
			hopMu.Lock()
			out.hops = hops
			hopMu.Unlock()
		}()
		opts.RedirectURL = target.URL + "/portal"
		out.target = target.Listener.Addr().String()
	}
	srv, err := stub.Start(opts)
	if err != nil {
		out.setupErr = err
		return out
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.Proxy = nil
	defer transport.CloseIdleConnections()
	var mu sync.Mutex
	record := func(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
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
		timeout = 5 * time.Second
	}
	client := anthropic.NewClient(append([]option.RequestOption{
		option.WithoutEnvironmentDefaults(),
		option.WithHTTPClient(&http.Client{Transport: transport}),
		option.WithBaseURL(srv.URL),
		option.WithAPIKey(out.key),
		option.WithMaxRetries(2),
		option.WithRequestTimeout(timeout),
		option.WithMiddleware(record),
	}, c.client...)...)
	start := time.Now()
	out.value, out.err = call.do(ctx, client)
	out.elapsed = time.Since(start)
	srv.Close()
	out.logged = srv.Requests()
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

	// The calls run at once, outside t.Parallel's limit of GOMAXPROCS,
	// because most of their time is the SDK's backoff between retries.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	outcomes := make([][]sdkOutcome, len(cases))
	var wg sync.WaitGroup
	for i, c := range cases {
		outcomes[i] = make([]sdkOutcome, len(sdkCalls))
		for j, call := range sdkCalls {
			wg.Go(func() { outcomes[i][j] = runSDKCall(ctx, c, call) })
		}
	}
	wg.Wait()

	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for j, call := range sdkCalls {
				t.Run(call.name, func(t *testing.T) {
					out := outcomes[i][j]
					if out.setupErr != nil {
						t.Fatal(out.setupErr)
					}
					t.Logf("%d request(s) in %v", len(out.logged), out.elapsed.Round(time.Millisecond))
					checkSDKOutcome(t, c, call, c.want(call), out)
				})
			}
		})
	}
}

func checkSDKOutcome(t *testing.T, c sdkCase, call sdkCall, want sdkWant, out sdkOutcome) {
	if out.err != nil && strings.Contains(out.err.Error(), out.key) {
		t.Error("the SDK's error text holds the key")
	}
	checkStubLog(t, call, want, out, c.redirect)

	var apierr *anthropic.Error
	isAPIErr := errors.As(out.err, &apierr)
	switch want.kind {
	case sdkOK:
		if out.err != nil {
			t.Fatalf("err = %v, want an answer", out.err)
		}
		checkParsed(t, call, out.value)
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
		if k < len(out.logged) && !c.redirect && a.header.Get("Request-Id") != out.logged[k].RequestID {
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
		checkRedirect(t, call, out)
	}
}

// checkStubLog compares what the stub received with what the SDK reports.
func checkStubLog(t *testing.T, call sdkCall, want sdkWant, out sdkOutcome, redirect bool) {
	if len(out.logged) != want.attempts {
		t.Fatalf("the stub received %d requests, want %d", len(out.logged), want.attempts)
	}
	for k, r := range out.logged {
		if r.Method != call.method || r.Path != call.path {
			t.Errorf("request %d: %s %s, want %s %s", k, r.Method, r.Path, call.method, call.path)
		}
		if !r.Has("x-api-key") || !r.Has("anthropic-version") || r.Has("authorization") {
			t.Errorf("request %d: headers %v, want x-api-key and anthropic-version, no authorization", k, r.Headers)
		}
		status := want.status
		switch {
		case want.kind == sdkTimeout:
			status = 0
		case redirect && call.method == http.MethodGet:
			status = http.StatusMovedPermanently
		case redirect:
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

func checkAPIError(t *testing.T, want sdkWant, apierr *anthropic.Error, out sdkOutcome) {
	if apierr.StatusCode != want.status {
		t.Errorf("StatusCode = %d, want %d", apierr.StatusCode, want.status)
	}
	if apierr.Type() != want.errType {
		t.Errorf("Type() = %q, want %q", apierr.Type(), want.errType)
	}
	last := out.logged[len(out.logged)-1]
	if apierr.RequestID != last.RequestID {
		t.Errorf("RequestID = %q, the stub logged %q for the last attempt", apierr.RequestID, last.RequestID)
	}
	if !want.fromAPI {
		return
	}
	var env struct {
		Type  string `json:"type"`
		Error struct {
			Type    anthropic.ErrorType `json:"type"`
			Message string              `json:"message"`
		} `json:"error"`
		RequestID string `json:"request_id"`
	}
	if err := json.Unmarshal([]byte(apierr.RawJSON()), &env); err != nil {
		t.Fatalf("RawJSON is not the API's envelope: %v", err)
	}
	if env.Type != "error" || env.Error.Type != apierr.Type() || env.Error.Message == "" || env.RequestID != apierr.RequestID {
		t.Errorf("envelope %+v does not match Type() %q and RequestID %q", env, apierr.Type(), apierr.RequestID)
	}
}

func checkParsed(t *testing.T, call sdkCall, value any) {
	switch call.name {
	case "models.list":
		page, ok := value.(*pagination.Page[anthropic.ModelInfo])
		if !ok {
			t.Fatalf("value is %T", value)
		}
		var got, want []string
		for _, m := range page.Data {
			got = append(got, m.ID)
		}
		for _, m := range stub.Models() {
			want = append(want, m.ID)
		}
		if !slices.Equal(got, want) || page.FirstID != want[0] || page.LastID != want[len(want)-1] || page.HasMore {
			t.Errorf("page %v first %q last %q more %v, want %v", got, page.FirstID, page.LastID, page.HasMore, want)
		}
	case "models.get":
		m, ok := value.(*anthropic.ModelInfo)
		if !ok {
			t.Fatalf("value is %T", value)
		}
		created, err := time.Parse(time.RFC3339, sdkModel.CreatedAt)
		if err != nil {
			t.Fatal(err)
		}
		if m.ID != sdkModel.ID || m.DisplayName != sdkModel.DisplayName || !m.CreatedAt.Equal(created) || m.Type != "model" {
			t.Errorf("model %q %q %v %q, want %+v", m.ID, m.DisplayName, m.CreatedAt, m.Type, sdkModel)
		}
	case "messages.count_tokens":
		n, ok := value.(*anthropic.MessageTokensCount)
		if !ok {
			t.Fatalf("value is %T", value)
		}
		var raw struct {
			InputTokens int64 `json:"input_tokens"`
		}
		if err := json.Unmarshal([]byte(n.RawJSON()), &raw); err != nil {
			t.Fatal(err)
		}
		if n.InputTokens < 1 || n.InputTokens != raw.InputTokens || !n.JSON.InputTokens.Valid() {
			t.Errorf("input_tokens = %d, the answer says %d", n.InputTokens, raw.InputTokens)
		}
	case "messages.new":
		msg, ok := value.(*anthropic.Message)
		if !ok {
			t.Fatalf("value is %T", value)
		}
		if !strings.HasPrefix(msg.ID, "msg_") || msg.Role != "assistant" || msg.Model != sdkModel.ID ||
			msg.StopReason != anthropic.StopReasonEndTurn || msg.Usage.InputTokens < 1 || msg.Usage.OutputTokens < 1 {
			t.Errorf("message %q role %q model %q stop %q usage %+v", msg.ID, msg.Role, msg.Model, msg.StopReason, msg.Usage)
		}
		if len(msg.Content) != 1 || msg.Content[0].Type != "text" || msg.Content[0].Text == "" {
			t.Errorf("content %+v, want one text block", msg.Content)
		}
	}
}

// checkRetryAfter: the SDK waits the retry-after the stub sends (1s when
// unset) before each retry. A lower bound, so a slow machine cannot fail it.
func checkRetryAfter(t *testing.T, out sdkOutcome) {
	for k := 1; k < len(out.logged); k++ {
		if gap := out.logged[k].Time.Sub(out.logged[k-1].Time); gap < time.Second {
			t.Errorf("retry %d came %v after the previous request, before retry-after", k, gap)
		}
	}
}

// checkRedirect records what the SDK does with the stub's redirect: it
// follows it, and net/http copies x-api-key to the new address like any
// custom header. fix401 itself never follows one.
func checkRedirect(t *testing.T, call sdkCall, out sdkOutcome) {
	if len(out.hops) != 1 {
		t.Fatalf("%d requests reached the redirect target, want 1 (the SDK follows)", len(out.hops))
	}
	h := out.hops[0]
	if h.method != call.method || h.path != "/portal" {
		t.Errorf("the redirect target got %s %s, want %s /portal", h.method, h.path, call.method)
	}
	if !h.keyArrived {
		t.Error("the key did not reach the redirect target; the SDK or net/http now drops x-api-key on a redirect")
	}
	if call.method == http.MethodPost && h.body <= 0 {
		t.Errorf("a 307 should resend the body; the target got %d bytes", h.body)
	}
	if a := out.attempts[0]; a.url == nil || a.url.Host != out.target {
		t.Errorf("the SDK's answer came from %v, want the redirect target %s", a.url, out.target)
	}
}
