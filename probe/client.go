package probe

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fix401/fix401/probe/creds"
	"golang.org/x/net/http/httpguts"
	"golang.org/x/net/http/httpproxy"
)

// UserAgent is sent with every request; main sets it from its version.
var UserAgent = "fix401/0.1.0"

// ErrBadURL is returned by NewClient for a base or status URL that is not
// an absolute http(s) URL with a host.
var ErrBadURL = errors.New("not an absolute http:// or https:// URL")

// MaxRetries caps Env.Retries, so a typo cannot make a check run for hours.
const MaxRetries = 5

// maxRetryWait is the longest retry-after fix401 honours. A server asking
// for a longer pause gets no retry: the answer in hand is reported, and the
// check never stalls.
const maxRetryWait = 3 * time.Second

// Client sends fix401's probes to one API and one status page. It never
// follows a redirect, reads at most MaxBody bytes of any answer, gives each
// attempt at most the timeout, and sends a key only to the base URL, only
// over HTTPS or plain HTTP to this machine. A Client is safe for concurrent
// use.
type Client struct {
	base    *url.URL // as configured, user info included
	status  *url.URL
	hc      *http.Client
	proxy   func(*url.URL) (*url.URL, error)
	tlsConf *tls.Config
	dialer  func(ctx context.Context, network, addr string) (net.Conn, error)
	// customDial: the dialer was injected and resolves names itself.
	customDial bool
	lookup     func(ctx context.Context, host string) ([]string, error) // nil: the dialer resolves
	model      string                                                   // Env.Model, for CountTokens
	timeout    time.Duration
	retries    int
	backoff    time.Duration
	now        func() time.Time

	// How a credential is sent, as the user's client sends it (see As and
	// Via): the header an API key goes in, the anthropic-version, and the
	// non-credential headers of ANTHROPIC_CUSTOM_HEADERS.
	keyHeader string
	version   string
	extra     []creds.Header
}

// NewClient builds a client from env: the base URL as ResolveTarget picks
// it, the proxy from env.Vars (HTTPS_PROXY, HTTP_PROXY, NO_PROXY and their
// lower-case forms, read the way Go programs read them; ALL_PROXY is not
// used by Go and so not here either), env.RootCAs (nil: the system roots),
// env.DialContext and env.LookupHost when set, TLS 1.2 or newer.
//
// When env.LookupHost is set, every host is resolved with it and the
// resulting addresses are dialed (with env.DialContext when set); when only
// env.DialContext is set, it receives host names and resolves them itself.
//
// env.Timeout (0: DefaultTimeout) bounds each attempt, answer body included.
// env.Retries is how often a transient failure is retried: 0 means
// DefaultRetries, a negative value means never, and at most MaxRetries.
// env.Backoff (0: DefaultBackoff) is the first pause between attempts.
func NewClient(env *Env) (*Client, error) {
	if env == nil {
		env = &Env{}
	}
	rawBase, _ := baseURL(env)
	base, err := parseHTTPURL(rawBase)
	if err != nil {
		return nil, fmt.Errorf("base URL %s: %w", Redact(StripURLCredentials(rawBase)), err)
	}
	status, err := parseHTTPURL(statusURL(env))
	if err != nil {
		return nil, fmt.Errorf("status URL %s: %w", Redact(StripURLCredentials(statusURL(env))), err)
	}
	c := &Client{
		base:    base,
		status:  status,
		model:   env.Model,
		timeout: env.Timeout,
		retries: env.Retries,
		backoff: env.Backoff,
		now:     env.Now,
		lookup:  env.LookupHost,
		tlsConf: &tls.Config{RootCAs: env.RootCAs, MinVersion: tls.VersionTLS12},

		keyHeader: creds.HeaderAPIKey,
		version:   creds.VersionLegacy,
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	switch {
	case c.retries == 0:
		c.retries = DefaultRetries
	case c.retries < 0:
		c.retries = 0
	case c.retries > MaxRetries:
		c.retries = MaxRetries
	}
	if c.backoff <= 0 {
		c.backoff = DefaultBackoff
	}
	if c.now == nil {
		c.now = time.Now
	}
	c.dialer = env.DialContext
	c.customDial = env.DialContext != nil
	if c.dialer == nil {
		c.dialer = (&net.Dialer{}).DialContext
	}
	c.proxy = proxyConfig(env.Vars).ProxyFunc()

	tr := &http.Transport{
		// Plain HTTP only ever goes to this machine, and through a proxy it
		// would hand the key to the proxy in clear text: never proxy it.
		Proxy: func(r *http.Request) (*url.URL, error) {
			if r.URL.Scheme != "https" {
				return nil, nil
			}
			return c.proxy(r.URL)
		},
		OnProxyConnectResponse: checkConnectResponse,
		DialContext:            c.dial,
		TLSClientConfig:        c.tlsConf.Clone(),
		TLSHandshakeTimeout:    c.timeout,
		ResponseHeaderTimeout:  c.timeout,
		MaxResponseHeaderBytes: 256 << 10,
		ForceAttemptHTTP2:      true,
		MaxIdleConnsPerHost:    4,
		IdleConnTimeout:        30 * time.Second,
	}
	c.hc = &http.Client{
		Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	return c, nil
}

// As returns a copy of c that sends credentials the way cl does: an API
// key in cl.KeyHeader, cl.Version as anthropic-version, and the headers of
// custom when cl applies ANTHROPIC_CUSTOM_HEADERS. Credential headers in
// custom are left out: fix401 sends the credential it tests, and the
// custom-header check reports them. The copy shares c's connections.
func (c *Client) As(cl creds.Client, custom []creds.Header) *Client {
	d := *c
	d.keyHeader, d.version, d.extra = cl.KeyHeader, cl.Version, nil
	if cl.CustomHeaders {
		for _, h := range custom {
			if !creds.IsCredentialHeader(h.Name) && httpguts.ValidHeaderFieldName(h.Name) &&
				httpguts.ValidHeaderFieldValue(h.Value) {
				d.extra = append(d.extra, h)
			}
		}
	}
	return &d
}

// WithHeader returns a copy of c that sends name: value with every
// key-carrying request, in place of any header of that name from
// ANTHROPIC_CUSTOM_HEADERS.
func (c *Client) WithHeader(name, value string) *Client {
	d := *c
	d.extra = []creds.Header{{Name: name, Value: value}}
	for _, h := range c.extra {
		if !strings.EqualFold(h.Name, name) {
			d.extra = append(d.extra, h)
		}
	}
	return &d
}

// Via returns a copy of c that sends an API key in header instead
// (creds.HeaderAPIKey or creds.HeaderBearer); everything else is the same.
func (c *Client) Via(header string) *Client {
	d := *c
	d.keyHeader = header
	return &d
}

// Target returns what this client probes, without credentials.
func (c *Client) Target() Target {
	return Target{
		BaseURL:   StripURLCredentials(c.base.String()),
		StatusURL: StripURLCredentials(c.status.String()),
	}
}

// ResolveTarget says which API and status page a run probes: env.BaseURL
// (source "flag"), else ANTHROPIC_BASE_URL from env.Vars (source
// "env:ANTHROPIC_BASE_URL"), else DefaultBaseURL (source "default"); the
// status page is env.StatusURL, else DefaultStatusURL. Surrounding spaces
// and trailing slashes are trimmed and user info (user:pass@) is removed,
// so a Target is safe to show; the client still uses the user info.
func ResolveTarget(env *Env) Target {
	if env == nil {
		env = &Env{}
	}
	raw, src := baseURL(env)
	return Target{
		BaseURL:       StripURLCredentials(raw),
		BaseURLSource: src,
		StatusURL:     StripURLCredentials(statusURL(env)),
	}
}

func baseURL(env *Env) (string, string) {
	if u := trimURL(env.BaseURL); u != "" {
		return u, "flag"
	}
	if u := trimURL(env.Vars["ANTHROPIC_BASE_URL"]); u != "" {
		return u, "env:ANTHROPIC_BASE_URL"
	}
	return DefaultBaseURL, "default"
}

func statusURL(env *Env) string {
	if u := trimURL(env.StatusURL); u != "" {
		return u
	}
	return DefaultStatusURL
}

func trimURL(s string) string { return strings.TrimRight(strings.TrimSpace(s), "/") }

// ValidURL reports whether raw is an absolute http(s) URL fix401 can use,
// with an error that never repeats the URL (it may hold credentials).
func ValidURL(raw string) error {
	_, err := parseHTTPURL(trimURL(raw))
	return err
}

func parseHTTPURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, ErrBadURL // url.Error would repeat the raw URL, credentials included
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.Opaque != "" {
		return nil, ErrBadURL
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, ErrBadURL
		}
	}
	return u, nil
}

// InsecureBaseURL reports whether raw is plain http:// to a host other than
// this machine (localhost, 127.0.0.0/8, ::1). A key sent there would cross
// the network in clear text, so the client refuses to send one.
func InsecureBaseURL(raw string) bool {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return false
	}
	return strings.EqualFold(u.Scheme, "http") && !isLoopback(u.Hostname())
}

// keyAllowed is the client's own copy of the rule: HTTPS, or plain HTTP
// to this machine.
func keyAllowed(u *url.URL) bool {
	return u.Scheme == "https" || (u.Scheme == "http" && isLoopback(u.Hostname()))
}

func isLoopback(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func proxyConfig(vars map[string]string) *httpproxy.Config {
	get := func(names ...string) string {
		for _, n := range names {
			if v := vars[n]; v != "" {
				return v
			}
		}
		return ""
	}
	return &httpproxy.Config{
		HTTPProxy:  get("HTTP_PROXY", "http_proxy"),
		HTTPSProxy: get("HTTPS_PROXY", "https_proxy"),
		NoProxy:    get("NO_PROXY", "no_proxy"),
		// Go ignores HTTP_PROXY under CGI, where a client can set it (httpoxy).
		CGI: vars["REQUEST_METHOD"] != "",
	}
}

// dial connects to addr, resolving with the injected resolver when there
// is one so that tests and the demo never touch real DNS.
func (c *Client) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	if c.lookup == nil {
		return c.dialer(ctx, network, addr)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	if net.ParseIP(host) != nil {
		return c.dialer(ctx, network, addr)
	}
	addrs, err := c.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	return c.dialAny(ctx, network, addrs, host, port)
}

// resolve looks host up with the injected resolver (or the system's) and
// always fails with a *net.DNSError, so failures classify the same way.
func (c *Client) resolve(ctx context.Context, host string) ([]string, error) {
	lookup := c.lookup
	if lookup == nil {
		lookup = net.DefaultResolver.LookupHost
	}
	addrs, err := lookup(ctx, host)
	if err == nil && len(addrs) == 0 {
		err = errors.New("no addresses")
	}
	if err != nil {
		var de *net.DNSError
		if errors.As(err, &de) {
			return nil, err
		}
		return nil, &net.DNSError{Err: err.Error(), Name: host, IsTimeout: errors.Is(err, context.DeadlineExceeded)}
	}
	return addrs, nil
}

// request is one exchange to make, possibly several times.
type request struct {
	label  string
	method string
	url    *url.URL
	body   []byte
	key    string // empty: no credential at all
	max    int64  // the most of the answer's body to read; 0: MaxBody
	beta   string // anthropic-beta to send, for a request without a key
}

// attempt is one try's outcome.
type attempt struct {
	a         *Answer
	body      []byte
	transient bool          // another try may get a different answer
	wait      time.Duration // the pause the server asked for
	hasWait   bool
}

// do runs r with retries and returns the last attempt's answer and body.
func (c *Client) do(ctx context.Context, r request) (*Answer, []byte) {
	start := time.Now()
	// Retries fit in one --timeout, and in the caller's deadline (the
	// run's, from Start) when it comes sooner.
	end := start.Add(c.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(end) {
		end = d
	}
	var at attempt
	for n := 0; ; n++ {
		t0 := time.Now()
		at = c.once(ctx, r)
		took := time.Since(t0)
		at.a.Attempts = n + 1
		if n >= c.retries || !at.transient || ctx.Err() != nil {
			break
		}
		wait, ok := c.pause(n, at)
		// A slow failing server is not asked again when another attempt
		// like the last would overrun the deadline.
		if !ok || time.Now().Add(wait+took).After(end) || sleep(ctx, wait) != nil {
			break
		}
	}
	at.a.Time = c.now()
	at.a.Duration = time.Since(start)
	return at.a, at.body
}

func (c *Client) once(ctx context.Context, r request) attempt {
	a := &Answer{Label: r.label, Method: r.method, URL: clean(StripURLCredentials(r.url.String()), 500)}
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	var rd io.Reader
	if r.body != nil {
		rd = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(actx, r.method, r.url.String(), rd)
	if err != nil {
		a.Err = &NetError{Phase: PhaseOther, Message: "cannot build the request"}
		return attempt{a: a}
	}
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set("Accept", "application/json")
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.beta != "" {
		req.Header.Set("anthropic-beta", r.beta)
	}
	if r.key != "" {
		req.Header.Set("anthropic-version", c.version)
		for _, h := range c.extra {
			req.Header.Set(h.Name, h.Value)
		}
		setAuth(req.Header, r.key, c.keyHeader)
	}

	resp, err := c.hc.Do(req)
	if err != nil {
		ne, transient := c.netError(ctx, err, r.url)
		a.Err = ne
		return attempt{a: a, transient: transient}
	}
	defer resp.Body.Close()
	// A body cut short by the timeout or a reset is still classified: the
	// status line and headers are the server's real answer.
	limit := r.max
	if limit <= 0 {
		limit = MaxBody
	}
	body, _ := readBounded(resp.Body, limit)
	classify(a, resp, body)
	at := attempt{a: a, body: body, transient: retryableStatus(resp)}
	at.wait, at.hasWait = retryAfter(resp.Header, c.now())
	return at
}

// closeIdle closes the connections the client keeps open for reuse: a run
// is over, and the next one builds its own client.
func (c *Client) closeIdle() { c.hc.CloseIdleConnections() }

// setAuth puts key in header. An OAuth token always goes as a Bearer token
// with the oauth beta, as every SDK sends one.
func setAuth(h http.Header, key, header string) {
	if strings.HasPrefix(key, PrefixOAuthAccess) {
		h.Set("Authorization", "Bearer "+key)
		addBeta(h, oauthBeta)
		return
	}
	if header == creds.HeaderBearer {
		h.Set("Authorization", "Bearer "+key)
		return
	}
	h.Set("x-api-key", key)
}

const oauthBeta = "oauth-2025-04-20"

// addBeta appends b to anthropic-beta unless it is there already (a custom
// header may have set other betas).
func addBeta(h http.Header, b string) {
	cur := h.Get("anthropic-beta")
	for v := range strings.SplitSeq(cur, ",") {
		if strings.TrimSpace(v) == b {
			return
		}
	}
	if cur == "" {
		h.Set("anthropic-beta", b)
		return
	}
	h.Set("anthropic-beta", cur+","+b)
}

// readBounded reads at most limit bytes of r, so a huge answer costs at most
// limit bytes of memory.
func readBounded(r io.Reader, limit int64) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r, limit))
}

func retryableStatus(resp *http.Response) bool {
	if strings.EqualFold(strings.TrimSpace(resp.Header.Get("x-should-retry")), "false") {
		return false
	}
	switch resp.StatusCode {
	case 408, 429, 500, 502, 503, 504, 529:
		return true
	}
	return false
}

// pause returns how long to wait before attempt+1: exponential backoff with
// full jitter, or the server's retry-after when that is longer. ok is false
// when the server asks for a pause longer than maxRetryWait.
func (c *Client) pause(n int, at attempt) (time.Duration, bool) {
	ceiling := c.backoff << n
	if ceiling <= 0 {
		ceiling = c.backoff
	}
	wait := time.Duration(rand.Int64N(int64(ceiling) + 1))
	if at.hasWait {
		if at.wait > maxRetryWait {
			return 0, false
		}
		wait = max(wait, at.wait)
	}
	return wait, true
}

// retryAfter reads the pause a server asked for: retry-after-ms, then
// retry-after in seconds or as an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	if v := strings.TrimSpace(h.Get("retry-after-ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			return seconds(ms / 1000), true
		}
	}
	v := strings.TrimSpace(h.Get("retry-after"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return seconds(s), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// seconds converts s to a Duration without overflowing: a day stands for
// anything longer.
func seconds(s float64) time.Duration {
	if s > 86400 {
		return 24 * time.Hour
	}
	return time.Duration(s * float64(time.Second))
}

// sleep waits d or until ctx ends, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
