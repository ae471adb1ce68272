package probe

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// tlsServer is an HTTPS test server answering like the API.
func tlsServer(t *testing.T) *httptest.Server {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("request-id", "req_tls")
		io.WriteString(w, `{"data":[{"type":"model","id":"claude-t"}],"has_more":false}`)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func trusting(srv *httptest.Server) *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	return pool
}

// toLoopback resolves every name to 127.0.0.1 and records the names asked.
type toLoopback struct {
	mu    sync.Mutex
	names []string
}

func (l *toLoopback) lookup(_ context.Context, host string) ([]string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.names = append(l.names, host)
	return []string{"127.0.0.1"}, nil
}

func TestUntrustedCertificate(t *testing.T) {
	srv := tlsServer(t)
	env := testEnv(t, srv.URL)
	env.RootCAs = x509.NewCertPool() // trusts nothing
	c := newClient(t, env)

	a := c.Models(context.Background(), netKey(t, "sk-ant-api03-"))
	n := c.Connect(context.Background())
	for what, e := range map[string]*NetError{"Models": a.Err, "Connect": n.Err} {
		if e == nil || e.Phase != PhaseTLSUntrusted || e.Issuer != "Acme Co" {
			t.Errorf("%s: Err = %+v; want tls_untrusted issued by Acme Co", what, e)
		}
	}
	if a.Attempts != 1 {
		t.Errorf("an untrusted certificate was retried: %d attempts", a.Attempts)
	}
	if n.TCP == 0 || n.TLSVer != "" {
		t.Errorf("TCP %v TLSVer %q; want a TCP time and no TLS version", n.TCP, n.TLSVer)
	}
}

func TestWrongNameCertificate(t *testing.T) {
	srv := tlsServer(t)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	var l toLoopback
	env := testEnv(t, "https://api.anthropic.com:"+port)
	env.RootCAs = trusting(srv)
	env.LookupHost = l.lookup
	c := newClient(t, env)

	a := c.Models(context.Background(), netKey(t, "sk-ant-api03-"))
	n := c.Connect(context.Background())
	for what, e := range map[string]*NetError{"Models": a.Err, "Connect": n.Err} {
		if e == nil || e.Phase != PhaseTLSUntrusted || !strings.Contains(e.Message, "other names") {
			t.Errorf("%s: Err = %+v; want tls_untrusted for other names", what, e)
		}
	}
}

func TestTrustedConnect(t *testing.T) {
	srv := tlsServer(t)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	var l toLoopback
	env := testEnv(t, "https://example.com:"+port) // a name in httptest's certificate
	env.RootCAs = trusting(srv)
	env.LookupHost = l.lookup
	c := newClient(t, env)

	n := c.Connect(context.Background())
	if n.Err != nil {
		t.Fatalf("Err = %+v", n.Err)
	}
	if n.Host != "example.com" || len(n.Addrs) != 1 || n.Addrs[0] != "127.0.0.1" || n.Proxy != "" {
		t.Errorf("host %q addrs %v proxy %q", n.Host, n.Addrs, n.Proxy)
	}
	if n.TLSVer != "TLS 1.3" || n.TLSIssuer != "Acme Co" || n.DNS <= 0 || n.TCP <= 0 || n.TLS <= 0 {
		t.Errorf("got %+v", n)
	}
	a := c.Models(context.Background(), netKey(t, "sk-ant-api03-"))
	if !a.OK() || !a.Anthropic || len(a.ModelIDs) != 1 {
		t.Errorf("Models over trusted TLS: %+v", a)
	}
}

func TestConnectIPLiteralSkipsDNS(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	n := newClient(t, testEnv(t, srv.URL)).Connect(context.Background())
	if n.Err != nil || n.DNS != 0 || n.TCP <= 0 || n.TLSVer != "" {
		t.Errorf("got %+v (err %+v); want TCP only", n, n.Err)
	}
}

func TestConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	env := testEnv(t, "https://"+addr)
	env.Retries = 2
	c := newClient(t, env)

	a := c.Models(context.Background(), netKey(t, "sk-ant-api03-"))
	n := c.Connect(context.Background())
	for what, e := range map[string]*NetError{"Models": a.Err, "Connect": n.Err} {
		if e == nil || e.Phase != PhaseTCP || !strings.Contains(e.Message, "refused") {
			t.Errorf("%s: Err = %+v; want tcp, refused", what, e)
		}
	}
	if a.Attempts != 1 {
		t.Errorf("a refused connection was retried: %d attempts", a.Attempts)
	}
}

func TestDNSFailure(t *testing.T) {
	var d dialRecorder
	env := testEnv(t, "https://api.anthropic.invalid")
	env.DialContext = d.dial
	env.LookupHost = func(_ context.Context, host string) ([]string, error) {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	c := newClient(t, env)
	a := c.Models(context.Background(), netKey(t, "sk-ant-api03-"))
	n := c.Connect(context.Background())
	for what, e := range map[string]*NetError{"Models": a.Err, "Connect": n.Err} {
		if e == nil || e.Phase != PhaseDNS || !strings.Contains(e.Message, "api.anthropic.invalid") {
			t.Errorf("%s: Err = %+v; want dns naming the host", what, e)
		}
	}
	if len(d.addrs) != 0 {
		t.Errorf("dialed %v after a failed lookup", d.addrs)
	}

	// A resolver failing with a plain error is still a DNS failure.
	env.LookupHost = func(context.Context, string) ([]string, error) { return nil, errors.New("resolver down") }
	if a := newClient(t, env).Models(context.Background(), ""); a.Err == nil || a.Err.Phase != PhaseDNS {
		t.Errorf("plain resolver error: Err = %+v, want dns", a.Err)
	}
}

func TestCanceled(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	a := newClient(t, testEnv(t, srv.URL)).Models(ctx, "")
	if a.Err == nil || a.Err.Phase != PhaseCanceled {
		t.Errorf("Err = %+v, want canceled", a.Err)
	}
}

func TestPlainHTTPServerOnHTTPSURL(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	env := testEnv(t, strings.Replace(srv.URL, "http://", "https://", 1))
	c := newClient(t, env)
	a := c.Models(context.Background(), "")
	n := c.Connect(context.Background())
	for what, e := range map[string]*NetError{"Models": a.Err, "Connect": n.Err} {
		if e == nil || e.Phase != PhaseTLS {
			t.Errorf("%s: Err = %+v; want tls", what, e)
		}
	}
}

// connectProxy is an HTTP proxy that tunnels CONNECT to 127.0.0.1 at the
// requested port, or refuses with refuse when that is set.
type connectProxy struct {
	refuse int
	mu     sync.Mutex
	auth   []string
	hosts  []string
}

func (p *connectProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.auth = append(p.auth, r.Header.Get("Proxy-Authorization"))
	p.hosts = append(p.hosts, r.Host)
	p.mu.Unlock()
	if r.Method != http.MethodConnect {
		http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
		return
	}
	if p.refuse != 0 {
		w.WriteHeader(p.refuse)
		return
	}
	_, port, _ := net.SplitHostPort(r.Host)
	up, err := net.Dial("tcp", "127.0.0.1:"+port)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.WriteHeader(http.StatusOK)
	w.(http.Flusher).Flush()
	down, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		up.Close()
		return
	}
	go func() {
		io.Copy(up, buf)
		up.Close()
	}()
	io.Copy(down, up)
	down.Close()
}

func TestProxyTunnel(t *testing.T) {
	srv := tlsServer(t)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	var p connectProxy
	proxy := httptest.NewServer(&p)
	defer proxy.Close()
	pu, _ := url.Parse(proxy.URL)
	pu.User = url.UserPassword("alice", "pr0xy-pw")

	env := testEnv(t, "https://example.com:"+port)
	env.RootCAs = trusting(srv)
	env.Vars = map[string]string{"HTTPS_PROXY": pu.String()}
	c := newClient(t, env) // noDNS: the proxy, not fix401, resolves example.com

	n := c.Connect(context.Background())
	if n.Err != nil {
		t.Fatalf("Connect through the proxy: %+v", n.Err)
	}
	if n.Proxy != proxy.URL || n.TLSVer == "" || n.TLSIssuer != "Acme Co" {
		t.Errorf("proxy %q TLS %q issuer %q; want %q, a TLS version, Acme Co", n.Proxy, n.TLSVer, n.TLSIssuer, proxy.URL)
	}
	a := c.Models(context.Background(), netKey(t, "sk-ant-api03-"))
	if !a.OK() || !a.Anthropic {
		t.Errorf("Models through the proxy: %+v err %+v", a, a.Err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.hosts) != 2 || p.hosts[0] != "example.com:"+port {
		t.Errorf("proxy saw %v", p.hosts)
	}
	for _, h := range p.auth {
		if h == "" {
			t.Error("the proxy's credentials were not sent to it")
		}
	}
}

func TestProxyRefuses(t *testing.T) {
	p := &connectProxy{refuse: http.StatusProxyAuthRequired}
	proxy := httptest.NewServer(p)
	defer proxy.Close()
	pu, _ := url.Parse(proxy.URL)
	pu.User = url.UserPassword("alice", "pr0xy-pw")

	env := testEnv(t, DefaultBaseURL)
	env.Vars = map[string]string{"https_proxy": pu.String()}
	c := newClient(t, env)
	a := c.Models(context.Background(), netKey(t, "sk-ant-api03-"))
	n := c.Connect(context.Background())
	for what, e := range map[string]*NetError{"Models": a.Err, "Connect": n.Err} {
		if e == nil || e.Phase != PhaseProxy || !strings.Contains(e.Message, "407") {
			t.Errorf("%s: Err = %+v; want proxy with the 407", what, e)
		}
		if e != nil && strings.Contains(e.Message, "pr0xy-pw") {
			t.Errorf("%s: the proxy password leaks: %q", what, e.Message)
		}
	}
	if n.Proxy != proxy.URL {
		t.Errorf("NetResult.Proxy = %q, want %q without credentials", n.Proxy, proxy.URL)
	}
}

func TestProxyUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	env := testEnv(t, DefaultBaseURL)
	env.Vars = map[string]string{"HTTPS_PROXY": "http://" + addr}
	c := newClient(t, env)
	a := c.Models(context.Background(), "")
	n := c.Connect(context.Background())
	for what, e := range map[string]*NetError{"Models": a.Err, "Connect": n.Err} {
		if e == nil || e.Phase != PhaseProxy {
			t.Errorf("%s: Err = %+v; want proxy", what, e)
		}
	}
}

func TestNoProxyAndLoopbackBypass(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"data":[],"has_more":false}`)
	}))
	defer srv.Close()
	env := testEnv(t, srv.URL)
	env.Vars = map[string]string{"HTTPS_PROXY": "http://127.0.0.1:1", "HTTP_PROXY": "http://127.0.0.1:1"}
	c := newClient(t, env)
	if a := c.Models(context.Background(), ""); !a.OK() {
		t.Errorf("loopback went through the proxy: %+v", a.Err)
	}
	if n := c.Connect(context.Background()); n.Proxy != "" || n.Err != nil {
		t.Errorf("Connect: proxy %q err %+v", n.Proxy, n.Err)
	}

	env = testEnv(t, DefaultBaseURL)
	env.Vars = map[string]string{"HTTPS_PROXY": "http://127.0.0.1:1", "NO_PROXY": ".anthropic.com"}
	var d dialRecorder
	env.DialContext = d.dial
	env.LookupHost = (&toLoopback{}).lookup
	newClient(t, env).Models(context.Background(), "")
	if len(d.addrs) != 1 || d.addrs[0] != "127.0.0.1:443" {
		t.Errorf("with NO_PROXY the API host should be dialed directly; dialed %v", d.addrs)
	}
}
