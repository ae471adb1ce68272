// Package stub is a local stand-in for the Anthropic API and its status
// page, with named failure scenarios. It answers the way the real API does
// (status, error envelope, request-id, Cloudflare and rate-limit headers) so
// that fix401's probes, its demo, and a developer's own app pointed at it
// through ANTHROPIC_BASE_URL all see what they would see in production.
//
// Like the API since 2026, it accepts anthropic-version 2023-06-01 and
// 2026-10-21 (and 2023-01-01, the first version, which the API's versioning
// page still lists), and an API key either as x-api-key or as
// Authorization: Bearer (OAuth tokens only as Bearer, with the
// oauth-2025-04-20 beta).
//
// The order a request meets the API's checks: whatever sits in front of the
// API (hang, a captive portal, a proxy, Cloudflare's region block) answers
// first; a CORS preflight (OPTIONS) is answered without credentials; an
// outage fails every other call; the scenario's gateway may drop a
// credential header; then come the browser check (Origin), authentication,
// anthropic-version, anthropic-beta and the scenario's own failure — all
// before routing, so a revoked key gets 401 on any path, and only an
// accepted request meets 404 for a path the API does not have.
//
// Assumptions where the real API's behaviour is not documented:
//   - authentication runs before the anthropic-version check, and an
//     x-api-key header wins over an Authorization header sent with it;
//   - a rejected API key sent as Bearer gets "Invalid bearer token", the
//     message the API gives any refused bearer credential, where x-api-key
//     gets "invalid x-api-key"; a missing credential is still
//     "x-api-key header is required" whichever header the client uses;
//   - the anthropic-beta check comes after authentication and the version
//     check; its wording is the API's as reported in public issue threads
//     (anthropics/claude-code#53855: "Unexpected value(s) `…` for the
//     `anthropic-beta` header. …"), the values the stub knows are the
//     official SDKs' (see knownBetas);
//   - a CORS preflight gets 204 No Content with Access-Control-Allow-Origin
//     *, the methods the API serves, the request's own
//     Access-Control-Request-Headers echoed back (a * would not cover
//     Authorization) and a request-id, whatever the scenario, because it
//     carries no credential: the browser failure shows on the request that
//     follows;
//   - a spend limit (400) refuses only what spends or counts tokens
//     (count_tokens, messages) and leaves /v1/models working, like a low
//     credit balance; the tier cap's 429 refuses every request, and its
//     message is invented (the docs give only status and type);
//   - answers carry every field the official Go SDK v2 declares for them,
//     with zero values, null or "standard" where a plain request would not
//     use the feature (cache_creation, server_tool_use, container,
//     stop_details, diagnostics, capabilities the stub's models do not have);
//   - anthropic-organization-id and rate-limit headers are sent only once a
//     key was accepted;
//   - the 402 billing_error text of the billing-402 scenario is invented.
package stub

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Options configure a stub.
type Options struct {
	// Scenario is a name from Scenarios; empty means healthy.
	Scenario string
	// Latency delays every answer. The slow scenario uses 2s when unset.
	Latency time.Duration
	// ValidKeys, when set, are the only credentials accepted (API keys or
	// OAuth tokens); other well-formed keys get 401 "invalid x-api-key".
	ValidKeys []string
	// RevokedKeys are always rejected with 401 "invalid x-api-key".
	RevokedKeys []string
	// RetryAfter is the retry-after of rate-limited answers; 1s when unset.
	RetryAfter time.Duration
	// RedirectURL is where the redirect scenario points; a host under
	// .invalid when unset, so a client that follows it goes nowhere.
	RedirectURL string
	// Workspace is the one workspace the workspace-required scenario
	// accepts in anthropic-workspace-id; DefaultWorkspace when empty.
	Workspace string
	// AllowNonLoopback lets Serve listen on an address other than loopback.
	AllowNonLoopback bool

	// AdminKeys, when set, are the only Admin keys the Admin API
	// (/v1/organizations/*) accepts; otherwise any well-formed,
	// random-looking Admin key is.
	AdminKeys []string
	// KeyRecords are what the Admin API lists for these API keys (see
	// KeyRecord); a key whose record is not active, or has expired, gets
	// 401 everywhere. Keys of ValidKeys and RevokedKeys, and keys the stub
	// has seen, are listed too, with the scenario's record.
	KeyRecords map[string]KeyRecord
	// Workspaces are the organization's workspaces by id, besides
	// DefaultWorkspace ("Default") and ArchivedWorkspace.
	Workspaces map[string]Workspace
	// ListPadding lists this many keys of other people besides, so that
	// the key list takes more than one page.
	ListPadding int
	// Audience is the aud the federation rule matches at /v1/oauth/token;
	// FederationAudience when empty.
	Audience string
	// Subscriptions are claude.ai subscription (/login) tokens. A plan is
	// not API credit: the credit and usage-limit scenarios do not touch
	// them, and the requests that cost answer 400 "only authorized for use
	// with Claude Code", as the API does for such a token outside Claude
	// Code.
	Subscriptions []string
}

// OrganizationID is the anthropic-organization-id the stub reports.
const OrganizationID = "5f0c8a3e-2b7d-4c19-9e6a-1d3f8b2c7a40"

// MaxBody is the largest request body the stub reads; larger ones get the
// 413 that Cloudflare sends in front of the real API.
const MaxBody = 32 << 20

const (
	defaultSlowLatency = 2 * time.Second
	defaultRetryAfter  = time.Second
	defaultRedirectURL = "https://login.captive.invalid/portal"
	maxLogged          = 10000
)

// API versions (anthropic-version) the stub accepts.
const (
	// VersionLegacy is the version Go SDK v1, TS SDK 0.x and curl examples send.
	VersionLegacy = "2023-06-01"
	// VersionCurrent is the version Go SDK v2 and TS SDK 1.x send.
	VersionCurrent = "2026-10-21"
)

var knownVersions = []string{VersionLegacy, VersionCurrent, "2023-01-01"}

// API is the stub's http.Handler. It records every request it receives.
type API struct {
	opts    Options
	valid   map[string]bool
	revoked map[string]bool

	mu       sync.Mutex
	seen     map[string]bool // API keys received, for the Admin API's list
	reqs     []Request
	closed   bool
	inflight sync.WaitGroup
	closing  chan struct{}
	arrived  int // requests received whole (headers and body read)
	finished int // requests recorded, their handler done
	waiters  []waiter

	logMu sync.Mutex
	logw  io.Writer
}

// waiter is a channel to close once a count reaches n.
type waiter struct {
	count *int
	n     int
	ch    chan struct{}
}

// Request is what the stub recorded about one request. It never holds a
// header value that could be a secret: only names, the Bearer scheme and a
// known anthropic-version, so tests can check how credentials were sent.
type Request struct {
	Time    time.Time
	Method  string
	Path    string
	Headers []string // lower-case names of the headers received, sorted
	// Credentials are the credential headers that reached the API, sorted:
	// "authorization" and "x-api-key" as received, less any the scenario's
	// gateway dropped (header-stripped, x-api-key-stripped).
	Credentials []string
	Bearer      bool // the Authorization header received uses the Bearer scheme
	// Key is the Console hint of the credential received (x-api-key, else
	// the Bearer token), such as sk-ant-admin01-abc...wxyz: enough to tell
	// which key went where, never more. Empty for anything else.
	Key       string
	Version   string // the anthropic-version received when it is one the API knows; "unknown" for another; "" when none
	Auth      string // accepted, rejected, missing; empty when auth was not reached
	Status    int    // 0 when no answer was sent (hang, client gone)
	RequestID string // the request-id sent back; empty when none
	// JWT: the headers, query or body held something shaped like a JWT
	// (an identity token).
	JWT bool
}

// Has reports whether the request carried a header called name.
func (r Request) Has(name string) bool {
	_, found := slices.BinarySearch(r.Headers, strings.ToLower(name))
	return found
}

// Auth outcomes recorded in Request.Auth.
const (
	AuthAccepted = "accepted"
	AuthRejected = "rejected"
	AuthMissing  = "missing"
)

// Handler returns the stub API for opts, or an error for an unknown
// scenario. Close it to release requests held by hang or Latency.
func Handler(opts Options) (*API, error) {
	if opts.Scenario == "" {
		opts.Scenario = Healthy
	}
	if _, ok := Lookup(opts.Scenario); !ok {
		return nil, fmt.Errorf("stub: unknown scenario %q", opts.Scenario)
	}
	if opts.Scenario == Slow && opts.Latency == 0 {
		opts.Latency = defaultSlowLatency
	}
	if opts.RetryAfter <= 0 {
		opts.RetryAfter = defaultRetryAfter
	}
	if opts.RedirectURL == "" {
		opts.RedirectURL = defaultRedirectURL
	}
	a := &API{opts: opts, valid: set(opts.ValidKeys), revoked: set(opts.RevokedKeys), closing: make(chan struct{})}
	return a, nil
}

func set(keys []string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// Scenario returns the name of the scenario being played.
func (a *API) Scenario() string { return a.opts.Scenario }

// Requests returns a copy of the requests received so far, oldest first
// (at most the last 10000). A request is in the list once its handler is
// done: see Finished.
func (a *API) Requests() []Request {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.reqs)
}

// Arrived returns a channel that is closed once the stub has received n
// requests whole — headers and body — and begins to answer the last (or to
// hold it, in the hang and slow scenarios). Tests wait on it instead of on a
// clock: a client may give up on a request once it has arrived, and the stub
// still records it.
func (a *API) Arrived(n int) <-chan struct{} { return a.when(&a.arrived, n) }

// Finished returns a channel that is closed once n requests are done and
// recorded, so that Requests holds them.
func (a *API) Finished(n int) <-chan struct{} { return a.when(&a.finished, n) }

func (a *API) when(count *int, n int) <-chan struct{} {
	ch := make(chan struct{})
	a.mu.Lock()
	defer a.mu.Unlock()
	if *count >= n {
		close(ch)
		return ch
	}
	a.waiters = append(a.waiters, waiter{count, n, ch})
	return ch
}

// count adds one to *count and wakes the waiters it satisfies; a.mu held.
func (a *API) count(count *int) {
	*count++
	a.waiters = slices.DeleteFunc(a.waiters, func(w waiter) bool {
		if w.count == count && *count >= w.n {
			close(w.ch)
			return true
		}
		return false
	})
}

func (a *API) arrive() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count(&a.arrived)
}

// Close answers no more requests, releases those held by hang or Latency,
// and waits until every handler has returned.
func (a *API) Close() {
	a.stop()
	a.inflight.Wait()
}

func (a *API) stop() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.closed {
		a.closed = true
		close(a.closing)
	}
}

// enter registers a handler unless the API is closed; Add never races with
// Wait because both happen after checking closed under mu.
func (a *API) enter() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return false
	}
	a.inflight.Add(1)
	return true
}

// ServeHTTP answers one request as the scenario says.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !a.enter() {
		http.Error(w, "stub closed", http.StatusServiceUnavailable)
		return
	}
	defer a.inflight.Done()
	start := time.Now()
	received := headerNames(r.Header)
	creds := slices.DeleteFunc(credentialNames(r.Header), func(n string) bool { return strings.EqualFold(n, a.stripped()) })
	scheme, _, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	rec := &recorder{ResponseWriter: w}
	x := &exchange{api: a, w: rec, r: r, id: newRequestID()}
	x.serve()
	defer func() {
		// A held request released by Close must not get an empty 200.
		if x.aborted {
			panic(http.ErrAbortHandler)
		}
	}()
	a.record(Request{
		Time:        start,
		Method:      r.Method,
		Path:        r.URL.Path,
		Headers:     received,
		Credentials: creds,
		Bearer:      strings.EqualFold(scheme, "Bearer"),
		Key:         credentialHint(r.Header),
		Version:     versionSeen(r.Header),
		Auth:        x.auth,
		Status:      rec.status,
		RequestID:   rec.Header().Get("Request-Id"),
		JWT:         x.jwt,
	}, time.Since(start))
}

func headerNames(h http.Header) []string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, strings.ToLower(k))
	}
	slices.Sort(names)
	return names
}

func credentialNames(h http.Header) []string {
	var names []string
	for _, k := range []string{"Authorization", "X-Api-Key"} {
		if len(h.Values(k)) > 0 {
			names = append(names, strings.ToLower(k))
		}
	}
	return names
}

func versionSeen(h http.Header) string {
	switch v := h.Values("Anthropic-Version"); {
	case len(v) == 0:
		return ""
	case slices.Contains(knownVersions, v[0]):
		return v[0]
	}
	return "unknown"
}

func (a *API) record(req Request, d time.Duration) {
	a.mu.Lock()
	if len(a.reqs) >= maxLogged {
		a.reqs = slices.Delete(a.reqs, 0, len(a.reqs)-maxLogged+1)
	}
	a.reqs = append(a.reqs, req)
	a.count(&a.finished)
	a.mu.Unlock()
	if a.logw == nil {
		return
	}
	id := req.RequestID
	if id == "" {
		id = "-"
	}
	status := "-"
	if req.Status != 0 {
		status = strconv.Itoa(req.Status)
	}
	a.logMu.Lock()
	defer a.logMu.Unlock()
	fmt.Fprintf(a.logw, "%s %s %s %s %s %s\n", req.Time.Format("15:04:05.000"),
		req.Method, printable(req.Path), status, id, d.Round(time.Millisecond))
}

// printable keeps what a request's path holds from forging log lines or
// driving the terminal: a path with anything strconv does not call
// printable (C0 and C1 controls, bidi overrides, invalid UTF-8) is logged
// quoted, those characters escaped.
func printable(s string) string {
	more := ""
	if len(s) > 200 {
		n := 200
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s, more = s[:n], "…"
	}
	if !utf8.ValidString(s) || strings.ContainsFunc(s, func(c rune) bool { return !strconv.IsPrint(c) }) {
		return strconv.Quote(s) + more
	}
	return s + more
}

// wait returns true after d (never, when d is negative), false when the
// request or the stub ends first.
func (x *exchange) wait(d time.Duration) bool {
	var after <-chan time.Time
	if d >= 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		after = t.C
	}
	select {
	case <-after:
		return true
	case <-x.r.Context().Done():
		return false
	case <-x.api.closing:
		x.aborted = true
		return false
	}
}

// recorder remembers the status written.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// exchange is one request being answered.
type exchange struct {
	api  *API
	w    http.ResponseWriter
	r    *http.Request
	id   string
	body []byte
	auth string
	org  bool // the key was accepted: the organization is known

	token string // the OAuth token accepted, if any

	aborted bool // released by Close: drop the connection, send nothing
	jwt     bool // the request carried something shaped like a JWT
}

// apiError is an answer in the API's error envelope.
type apiError struct {
	status int
	typ    string
	msg    string
}

type endpoint int

const (
	epNone endpoint = iota
	epModels
	epModel
	epMessages
	epCountTokens
	epAdminKeys      // GET /v1/organizations/api_keys
	epAdminKey       // GET /v1/organizations/api_keys/{id}
	epAdminWorkspace // GET /v1/organizations/workspaces/{id}
	epAdminMe        // GET /v1/organizations/me
	epAdminOther     // anything else under /v1/organizations/
)

// adminPrefix is where the Admin API lives.
const adminPrefix = "/v1/organizations/"

func (ep endpoint) admin() bool { return ep >= epAdminKeys }

func route(r *http.Request) (endpoint, string) {
	p := r.URL.Path
	switch {
	case p == "/v1/models" && r.Method == http.MethodGet:
		return epModels, ""
	case strings.HasPrefix(p, "/v1/models/") && r.Method == http.MethodGet:
		id := strings.TrimPrefix(p, "/v1/models/")
		if id == "" || strings.Contains(id, "/") {
			return epNone, ""
		}
		return epModel, id
	case p == "/v1/messages" && r.Method == http.MethodPost:
		return epMessages, ""
	case p == "/v1/messages/count_tokens" && r.Method == http.MethodPost:
		return epCountTokens, ""
	case strings.HasPrefix(p, adminPrefix):
		rest := strings.TrimPrefix(p, adminPrefix)
		one := func(prefix string) string {
			id, ok := strings.CutPrefix(rest, prefix)
			if !ok || id == "" || strings.Contains(id, "/") {
				return ""
			}
			return id
		}
		switch {
		case r.Method != http.MethodGet:
		case rest == "api_keys":
			return epAdminKeys, ""
		case rest == "me":
			return epAdminMe, ""
		case one("api_keys/") != "":
			return epAdminKey, one("api_keys/")
		case one("workspaces/") != "":
			return epAdminWorkspace, one("workspaces/")
		}
		return epAdminOther, ""
	}
	return epNone, ""
}

// stripped is the credential header the scenario's gateway drops before
// the API sees the request, or "".
func (a *API) stripped() string {
	switch a.opts.Scenario {
	case HeaderStripped:
		return "Authorization"
	case XAPIKeyStripped:
		return "X-Api-Key"
	}
	return ""
}

func (x *exchange) serve() {
	a, r := x.api, x.r
	body, err := io.ReadAll(http.MaxBytesReader(x.w, r.Body, MaxBody))
	a.arrive()
	if err != nil {
		if _, tooBig := errors.AsType[*http.MaxBytesError](err); tooBig {
			x.tooLarge()
		}
		return
	}
	x.body = body
	if a.opts.Latency > 0 && !x.wait(a.opts.Latency) {
		return
	}
	x.jwt = carriesJWT(r, body)
	if r.URL.Path == statusSummaryPath || r.URL.Path == statusPath {
		x.statusPage()
		return
	}
	if r.URL.Path == TokenPath {
		x.oauthToken()
		return
	}
	if x.intercepted() {
		return
	}
	if r.Method == http.MethodOptions {
		x.preflight()
		return
	}
	ep, id := route(r)
	if a.opts.Scenario == Outage {
		if ep == epMessages || ep == epCountTokens {
			x.fail(errOverloaded)
		} else {
			x.fail(errInternal)
		}
		return
	}
	if h := a.stripped(); h != "" {
		r.Header.Del(h)
	}
	if e := x.admit(ep); e != nil {
		x.fail(*e)
		return
	}
	if ep.admin() {
		x.admin(ep, id)
		return
	}
	switch ep {
	case epModels:
		x.listModels()
	case epModel:
		x.getModel(id)
	case epCountTokens:
		x.countTokens()
	case epMessages:
		x.createMessage()
	default:
		x.fail(apiError{http.StatusNotFound, "not_found_error", "Not Found"})
	}
}

// admit runs the checks every request meets before routing: the browser
// opt-in, the credential, the version, the betas and the scenario's own
// failure. It returns the first refusal, or nil.
func (x *exchange) admit(ep endpoint) *apiError {
	r := x.r
	if r.Header.Get("Origin") != "" {
		if !strings.EqualFold(r.Header.Get("Anthropic-Dangerous-Direct-Browser-Access"), "true") {
			return &apiError{http.StatusUnauthorized, "authentication_error",
				"CORS requests must set 'anthropic-dangerous-direct-browser-access' header"}
		}
		x.w.Header().Set("Access-Control-Allow-Origin", "*")
		x.w.Header().Set("Access-Control-Expose-Headers", "*")
	}
	if ep.admin() {
		if e := x.authenticateAdmin(); e != nil {
			return e
		}
		if e := checkVersion(r.Header.Values("Anthropic-Version")); e != nil {
			return e
		}
		return checkBetas(r.Header)
	}
	oauth, e := x.authenticate()
	if e != nil {
		return e
	}
	if e := checkVersion(r.Header.Values("Anthropic-Version")); e != nil {
		return e
	}
	if e := checkBetas(r.Header); e != nil {
		return e
	}
	return x.scenarioError(ep, oauth)
}

// preflightMethods are the methods the API serves, as a preflight lists them.
const preflightMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS"

// preflightHeaders are allowed when a preflight names none.
const preflightHeaders = "accept, anthropic-beta, anthropic-dangerous-direct-browser-access, anthropic-version, " +
	"anthropic-workspace-id, authorization, content-type, x-api-key"

// preflight answers a CORS preflight: no credential, no body.
func (x *exchange) preflight() {
	h := x.w.Header()
	allow := preflightHeaders
	if req := x.r.Header.Get("Access-Control-Request-Headers"); headerList(req) {
		allow = req
	}
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", preflightMethods)
	h.Set("Access-Control-Allow-Headers", allow)
	h.Set("Access-Control-Max-Age", "86400")
	h.Set("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
	h.Set("Request-Id", x.id)
	cloudflare(h)
	x.w.WriteHeader(http.StatusNoContent)
}

// headerList reports whether s is a comma-separated list of header names,
// the only thing a preflight echoes back.
func headerList(s string) bool {
	if strings.TrimSpace(s) == "" || len(s) > 1000 {
		return false
	}
	for name := range strings.SplitSeq(s, ",") {
		name = strings.TrimSpace(name)
		if name == "" || strings.IndexFunc(name, func(c rune) bool {
			return !(c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
		}) >= 0 {
			return false
		}
	}
	return true
}

var (
	errOverloaded = apiError{529, "overloaded_error", "Overloaded"}
	errInternal   = apiError{http.StatusInternalServerError, "api_error", "Internal server error"}
	errInvalidKey = apiError{http.StatusUnauthorized, "authentication_error", "invalid x-api-key"}
)

const invalidBearer = "Invalid bearer token"

// authenticate checks the credential like the real API: x-api-key first,
// then Authorization: Bearer, which may carry an API key (accepted like
// x-api-key) or an OAuth token (which needs its beta header).
func (x *exchange) authenticate() (oauth bool, _ *apiError) {
	a, h := x.api, x.r.Header
	reject := func(msg string) *apiError {
		x.auth = AuthRejected
		return &apiError{http.StatusUnauthorized, "authentication_error", msg}
	}
	missing := func() *apiError {
		x.auth = AuthMissing
		return &apiError{http.StatusUnauthorized, "authentication_error", "x-api-key header is required"}
	}
	if keys := h.Values("X-Api-Key"); len(keys) > 0 {
		a.see(keys[0])
		switch {
		case len(keys) > 1:
			return false, reject(errInvalidKey.msg)
		case keys[0] == "":
			return false, missing()
		case !a.acceptsAPIKey(keys[0]):
			return false, reject(errInvalidKey.msg)
		}
		x.auth, x.org = AuthAccepted, true
		return false, nil
	}
	authz := h.Values("Authorization")
	switch {
	case len(authz) == 0 || authz[0] == "":
		return false, missing()
	case len(authz) > 1:
		return false, reject(invalidBearer)
	}
	scheme, tok, _ := strings.Cut(authz[0], " ")
	tok = strings.TrimSpace(tok)
	switch {
	case !strings.EqualFold(scheme, "Bearer"):
		return false, reject(invalidBearer)
	case strings.HasPrefix(tok, apiKeyPrefix):
		a.see(tok)
		if !a.acceptsAPIKey(tok) {
			return false, reject(invalidBearer)
		}
		x.auth, x.org = AuthAccepted, true
		return false, nil
	case !strings.HasPrefix(tok, oauthPrefix):
		return false, reject(invalidBearer)
	case !hasBeta(h, oauthBeta):
		return false, reject("OAuth authentication is currently not supported.")
	case !a.acceptsOAuth(tok):
		return false, reject(invalidBearer)
	}
	x.auth, x.org, x.token = AuthAccepted, true, tok
	return true, nil
}

func (a *API) acceptsAPIKey(key string) bool {
	if a.opts.Scenario == Revoked || a.revoked[key] || strings.HasPrefix(key, adminKeyPrefix) || a.statusRejects() {
		return false
	}
	if rec, ok := a.opts.KeyRecords[key]; ok && !rec.works(time.Now()) {
		return false
	}
	if len(a.valid) > 0 {
		return a.valid[key]
	}
	return WellFormedAPIKey(key) && issued(key)
}

// issued tells a key that could have come from the Console from one that
// was made up by hand, such as fix401's control key: real keys are random,
// so their 93 characters use dozens of distinct symbols, while a patterned
// key uses few. No account owns a patterned key, so the API rejects it.
func issued(key string) bool {
	seen := map[rune]bool{}
	for _, c := range key[len(apiKeyPrefix):] {
		seen[c] = true
	}
	return len(seen) >= 32
}

func (a *API) acceptsOAuth(tok string) bool {
	if a.opts.Scenario == Revoked || a.revoked[tok] {
		return false
	}
	if isMinted(tok) {
		return true
	}
	if len(a.valid) > 0 {
		return a.valid[tok]
	}
	return wellFormedOAuth(tok)
}

func checkVersion(vals []string) *apiError {
	if len(vals) == 0 || vals[0] == "" {
		return &apiError{http.StatusBadRequest, "invalid_request_error", "anthropic-version: header is required"}
	}
	if !slices.Contains(knownVersions, vals[0]) {
		return &apiError{http.StatusBadRequest, "invalid_request_error",
			fmt.Sprintf("anthropic-version: %q is not a valid version", vals[0])}
	}
	return nil
}

// codeOnlyMessage is the API's answer to a subscription token used
// outside Claude Code (API-FACTS.md).
const codeOnlyMessage = "This credential is only authorized for use with Claude Code and cannot be used for other API requests."

// scenarioError is the failure an accepted request meets, if any, on any
// path: ep only tells the requests that spend from those that do not.
func (x *exchange) scenarioError(ep endpoint, oauth bool) *apiError {
	costs := ep == epMessages || ep == epCountTokens
	if oauth && slices.Contains(x.api.opts.Subscriptions, x.token) {
		if costs {
			return &apiError{http.StatusBadRequest, "invalid_request_error", codeOnlyMessage}
		}
		return nil
	}
	switch x.api.opts.Scenario {
	case Forbidden:
		if oauth {
			return &apiError{http.StatusForbidden, "permission_error", "OAuth authentication is currently not allowed for this organization."}
		}
		return &apiError{http.StatusForbidden, "permission_error", "Permission denied"}
	case OrgDisabled:
		return &apiError{http.StatusBadRequest, "invalid_request_error", "This organization has been disabled."}
	case Billing:
		if costs {
			return &apiError{http.StatusBadRequest, "invalid_request_error",
				"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}
		}
	case Billing402:
		if costs {
			return &apiError{http.StatusPaymentRequired, "billing_error", "This organization has an unpaid balance. Update its payment method to continue."}
		}
	case SpendLimit:
		if costs {
			return &apiError{http.StatusBadRequest, "invalid_request_error",
				"You have reached your specified API usage limits. You will regain access on " + nextMonth(time.Now()) + " at 00:00 UTC."}
		}
	case RateLimited:
		secs := max(1, int(x.api.opts.RetryAfter.Round(time.Second)/time.Second))
		x.w.Header().Set("Retry-After", strconv.Itoa(secs))
		x.rateLimitHeaders(0, time.Now().Add(time.Duration(secs)*time.Second))
		return &apiError{http.StatusTooManyRequests, "rate_limit_error",
			"This request would exceed your organization's rate limit of 50 requests per minute."}
	case TierCap:
		x.rateLimitHeaders(0, time.Now().Add(time.Minute))
		return &apiError{http.StatusTooManyRequests, "rate_limit_error",
			"Your organization has reached the monthly usage limit of its usage tier. Access returns on " +
				nextMonth(time.Now()) + " at 00:00 UTC, or sooner at a higher tier."}
	case Overloaded:
		return &errOverloaded
	case ServerError:
		return &errInternal
	case IPNotAllowed:
		return &apiError{http.StatusForbidden, "permission_error", "Your IP address isn't in this organization's allowed range."}
	case WorkspaceNeeded:
		if oauth {
			return nil
		}
		return x.workspaceError()
	case CodeOnly:
		if oauth && costs {
			return &apiError{http.StatusBadRequest, "invalid_request_error", codeOnlyMessage}
		}
	case CORSBlocked:
		if x.r.Header.Get("Origin") != "" {
			return &apiError{http.StatusUnauthorized, "authentication_error",
				"CORS requests are not allowed for this Organization because of its settings. If you believe this in error, contact support at https://support.anthropic.com/."}
		}
	}
	return nil
}

// DefaultWorkspace is the workspace the workspace-required scenario knows
// when Options.Workspace is empty.
const DefaultWorkspace = "wrkspc_01StubWorkspace"

// workspaceError is the identity-linked key's answer: the workspace header
// is required, must look like an id, and must name a workspace the key may
// act in.
func (x *exchange) workspaceError() *apiError {
	id := strings.TrimSpace(x.r.Header.Get("Anthropic-Workspace-Id"))
	known := x.api.opts.Workspace
	if known == "" {
		known = DefaultWorkspace
	}
	switch {
	case id == "":
		return &apiError{http.StatusBadRequest, "invalid_request_error",
			"anthropic-workspace-id is required when authenticating with an identity-linked API key. Find your workspace ID in the Claude Console."}
	case !strings.HasPrefix(id, "wrkspc_") || len(id) < len("wrkspc_")+4 || len(id) > 64:
		return &apiError{http.StatusBadRequest, "invalid_request_error", "anthropic-workspace-id header must be a valid workspace ID."}
	case id != known:
		return &apiError{http.StatusNotFound, "not_found_error", "Workspace `" + printable(id) + "` not found."}
	}
	x.w.Header().Set("Anthropic-Workspace-Id", id)
	return nil
}

func nextMonth(now time.Time) string {
	y, m, _ := now.UTC().Date()
	return time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// apiHeaders are the headers of every answer from the API itself.
func (x *exchange) apiHeaders() {
	h := x.w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Request-Id", x.id)
	if x.org {
		h.Set("Anthropic-Organization-Id", OrganizationID)
		if h.Get("Anthropic-Ratelimit-Requests-Remaining") == "" {
			x.rateLimitHeaders(49, time.Now().Add(1200*time.Millisecond))
		}
	}
	cloudflare(h)
}

func cloudflare(h http.Header) {
	h.Set("Server", "cloudflare")
	h.Set("Cf-Ray", newRay())
	h.Set("Cf-Cache-Status", "DYNAMIC")
	h.Set("Via", "1.1 google")
	h.Set("X-Robots-Tag", "none")
}

func (x *exchange) rateLimitHeaders(requestsLeft int, reset time.Time) {
	h := x.w.Header()
	at := reset.UTC().Format(time.RFC3339)
	for _, l := range []struct {
		name         string
		limit, spare int
	}{
		{"requests", 50, requestsLeft},
		{"tokens", 100000, 100000},
		{"input-tokens", 80000, 80000},
		{"output-tokens", 20000, 20000},
	} {
		p := "Anthropic-Ratelimit-" + l.name + "-"
		h.Set(p+"Limit", strconv.Itoa(l.limit))
		h.Set(p+"Remaining", strconv.Itoa(l.spare))
		h.Set(p+"Reset", at)
	}
}

// fail answers with the API's error envelope.
func (x *exchange) fail(e apiError) {
	x.apiHeaders()
	if e.status == http.StatusTooManyRequests || e.status >= 500 {
		x.w.Header().Set("X-Should-Retry", "true")
	}
	x.writeJSON(e.status, struct {
		Type  string `json:"type"`
		Error struct {
			Type    string `json:"type"`
			Message string `json:"message"`
		} `json:"error"`
		RequestID string `json:"request_id"`
	}{Type: "error", Error: struct {
		Type    string `json:"type"`
		Message string `json:"message"`
	}{e.typ, e.msg}, RequestID: x.id})
}

// ok answers 200 with v as the API's JSON.
func (x *exchange) ok(v any) {
	x.apiHeaders()
	x.writeJSON(http.StatusOK, v)
}

func (x *exchange) writeJSON(status int, v any) {
	b, err := marshal(v)
	if err != nil {
		http.Error(x.w, "stub: "+err.Error(), http.StatusInternalServerError)
		return
	}
	x.w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	x.w.WriteHeader(status)
	_, _ = x.w.Write(b)
}

// marshal writes JSON without HTML escaping, as the API does.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encode answer: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// tooLarge is Cloudflare's answer to an oversized body: not the API's
// envelope, and no request-id.
func (x *exchange) tooLarge() {
	h := x.w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Connection", "close")
	cloudflare(h)
	x.w.WriteHeader(http.StatusRequestEntityTooLarge)
	_, _ = io.WriteString(x.w, `{"error":{"type":"request_too_large","message":"Request exceeds the maximum allowed number of bytes."}}`)
}
