package probe

import (
	"bufio"
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Phases of a NetError: where a request without an HTTP answer failed.
const (
	PhaseDNS           = "dns"            // the host name does not resolve
	PhaseTCP           = "tcp"            // no connection (refused, unreachable) or the connection dropped
	PhaseTLS           = "tls"            // the TLS handshake failed for another reason than trust
	PhaseTLSUntrusted  = "tls_untrusted"  // the certificate does not verify: unknown issuer, wrong name, expired
	PhaseTimeout       = "timeout"        // no answer within the timeout
	PhaseProxy         = "proxy"          // the proxy cannot be reached or refuses the tunnel
	PhaseCanceled      = "canceled"       // the caller gave up
	PhaseOther         = "other"          // anything else
	PhaseInsecure      = "insecure"       // not sent: the key would travel over plain HTTP to another machine
	PhaseInvalidHeader = "invalid_header" // not sent: the key cannot be an HTTP header value
	PhaseBadURL        = "bad_url"        // not sent: the base or status URL is not an http(s) URL
)

// proxyStatusError is a proxy's refusal to open a tunnel.
type proxyStatusError struct {
	code   int
	status string
}

func (e *proxyStatusError) Error() string { return "the proxy answered CONNECT with " + e.status }

// checkConnectResponse turns a proxy's refusal into a typed error; Go's own
// error for it is only the status text.
func checkConnectResponse(_ context.Context, _ *url.URL, _ *http.Request, resp *http.Response) error {
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	return &proxyStatusError{code: resp.StatusCode, status: resp.Status}
}

// Connect measures the way to the base URL's host: DNS lookup (skipped for
// an IP address, and when an injected DialContext resolves names itself),
// TCP connect and, for https, the TLS handshake against env.RootCAs or the
// system roots. The whole measurement takes at most the client's timeout.
//
// With a proxy in use, DNS and TCP concern the proxy host (Addrs are the
// proxy's) and NetResult.Proxy names it. Through a plain http:// proxy the
// tunnel is opened with CONNECT and the handshake with the API host is
// measured through it, so TLS interception by the proxy shows up here. For
// https:// and socks proxies only the connection to the proxy is measured;
// the API request speaks for the rest of the path.
//
// Err.Phase is classified as for an Answer; a certificate that does not
// verify gives PhaseTLSUntrusted with Err.Issuer set, never PhaseTCP.
func (c *Client) Connect(ctx context.Context) *NetResult {
	outer := ctx
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	host, port := c.base.Hostname(), portOf(c.base)
	r := &NetResult{Host: clean(host, 255)}
	fail := func(err error, proxied bool) *NetResult {
		if proxied {
			err = &net.OpError{Op: "proxyconnect", Net: "tcp", Err: err}
		}
		r.Err, _ = classifyNetErr(outer, err, host, c.timeout, r.Proxy)
		return r
	}

	var p *url.URL
	var err error
	if c.base.Scheme == "https" { // plain HTTP is never proxied (see NewClient)
		if p, err = c.proxy(c.base); err != nil {
			r.Err = &NetError{Phase: PhaseProxy, Message: "the proxy variable does not hold a usable URL"}
			return r
		}
	}
	dialHost, dialPort := host, port
	if p != nil {
		r.Proxy = clean(StripURLCredentials(p.String()), 300)
		dialHost, dialPort = p.Hostname(), portOf(p)
	}

	var addrs []string
	switch {
	case net.ParseIP(dialHost) != nil:
		addrs = []string{dialHost}
	case c.lookup == nil && c.customDial:
		// The injected dialer resolves names; a lookup here would hit real DNS.
	default:
		t0 := time.Now()
		addrs, err = c.resolve(ctx, dialHost)
		r.DNS = time.Since(t0)
		if err != nil {
			return fail(err, p != nil)
		}
	}
	for _, a := range addrs[:min(len(addrs), 8)] {
		r.Addrs = append(r.Addrs, clean(a, 64))
	}

	t0 := time.Now()
	conn, err := c.dialAny(ctx, "tcp", addrs, dialHost, dialPort)
	r.TCP = time.Since(t0)
	if err != nil {
		return fail(err, p != nil)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	if c.base.Scheme != "https" {
		return r
	}
	if p != nil {
		if p.Scheme != "http" {
			return r
		}
		if err := connectTunnel(ctx, conn, p, net.JoinHostPort(host, port)); err != nil {
			if _, ok := err.(*proxyStatusError); ok {
				return fail(err, false)
			}
			return fail(err, true)
		}
	}

	cfg := c.tlsConf.Clone()
	cfg.ServerName = host
	cfg.NextProtos = []string{"h2", "http/1.1"}
	tc := tls.Client(conn, cfg)
	t0 = time.Now()
	err = tc.HandshakeContext(ctx)
	r.TLS = time.Since(t0)
	if err != nil {
		return fail(err, false)
	}
	st := tc.ConnectionState()
	r.TLSVer = tls.VersionName(st.Version)
	if len(st.PeerCertificates) > 0 {
		r.TLSIssuer = issuerName(st.PeerCertificates[0])
	}
	return r
}

// dialAny connects to the first address that answers, or by name when
// there are no addresses (the dialer resolves).
func (c *Client) dialAny(ctx context.Context, network string, addrs []string, host, port string) (net.Conn, error) {
	if len(addrs) == 0 {
		return c.dialer(ctx, network, net.JoinHostPort(host, port))
	}
	var first error
	for _, a := range addrs {
		conn, err := c.dialer(ctx, network, net.JoinHostPort(a, port))
		if err == nil {
			return conn, nil
		}
		if first == nil {
			first = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, first
}

// connectTunnel asks an HTTP proxy on conn for a tunnel to target.
func connectTunnel(ctx context.Context, conn net.Conn, proxy *url.URL, target string) error {
	if d, ok := ctx.Deadline(); ok {
		conn.SetDeadline(d)
		defer conn.SetDeadline(time.Time{})
	}
	req := &http.Request{
		Method: http.MethodConnect,
		URL:    &url.URL{Opaque: target},
		Host:   target,
		Header: http.Header{"User-Agent": {UserAgent}},
	}
	if u := proxy.User; u != nil {
		pw, _ := u.Password()
		req.Header.Set("Proxy-Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(u.Username()+":"+pw)))
	}
	if err := req.Write(conn); err != nil {
		return fmt.Errorf("send CONNECT: %w", err)
	}
	// TLS waits for the client to speak first, so nothing the reader
	// buffers beyond the response can be lost.
	resp, err := http.ReadResponse(bufio.NewReader(io.LimitReader(conn, 64<<10)), req)
	if err != nil {
		return fmt.Errorf("read CONNECT answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return &proxyStatusError{code: resp.StatusCode, status: resp.Status}
	}
	return nil
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "http":
		return "80"
	case "socks5", "socks5h":
		return "1080"
	}
	return "443"
}

// netError classifies a failed request to target.
func (c *Client) netError(parent context.Context, err error, target *url.URL) (*NetError, bool) {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // its text repeats the URL
	}
	proxy := ""
	if p, perr := c.proxy(target); perr == nil && p != nil {
		proxy = clean(StripURLCredentials(p.String()), 300)
	}
	return classifyNetErr(parent, err, target.Hostname(), c.timeout, proxy)
}

// classifyNetErr names the phase in which err happened and says so in
// fix401's words. transient is true for a dropped connection, which a
// retry may cure. A timeout is not transient here: a hung server must cost
// at most one timeout, not one per retry.
func classifyNetErr(parent context.Context, err error, host string, timeout time.Duration, proxy string) (ne *NetError, transient bool) {
	mk := func(phase, format string, args ...any) *NetError {
		return &NetError{Phase: phase, Message: clean(fmt.Sprintf(format, args...), maxMessage)}
	}
	via := ""
	if proxy != "" {
		via = " through the proxy " + proxy
	}
	var (
		pse *proxyStatusError
		op  *net.OpError
		de  *net.DNSError
	)
	switch {
	case errors.Is(parent.Err(), context.Canceled):
		return mk(PhaseCanceled, "canceled before %s answered", host), false
	case errors.As(err, &pse):
		return mk(PhaseProxy, "the proxy %s refused a tunnel to %s: %s", proxy, host, pse.status), false
	case errors.As(err, &op) && op.Op == "proxyconnect":
		if isTimeout(op.Err) {
			return mk(PhaseTimeout, "the proxy %s did not answer within %s", proxy, timeout), false
		}
		return mk(PhaseProxy, "cannot reach the proxy %s: %s", proxy, reason(op.Err)), false
	case isTimeout(err):
		// The run's own deadline (Start) is the timeout; a caller's is not.
		if errors.Is(parent.Err(), context.DeadlineExceeded) && !errors.Is(context.Cause(parent), errRunTimeout) {
			return mk(PhaseTimeout, "the run's time limit ended before %s answered%s", host, via), false
		}
		return mk(PhaseTimeout, "no answer from %s within %s%s", host, timeout, via), false
	case errors.As(err, &de):
		name := de.Name
		if name == "" {
			name = host
		}
		return mk(PhaseDNS, "cannot resolve %s: %s", name, de.Err), false
	}
	if issuer, why, ok := untrusted(err, host); ok {
		ne := mk(PhaseTLSUntrusted, "%s%s", why, via)
		ne.Issuer = issuer
		return ne, false
	}
	if why, ok := tlsFailure(err); ok {
		return mk(PhaseTLS, "TLS handshake with %s failed%s: %s", host, via, why), false
	}
	switch {
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return mk(PhaseTCP, "the connection to %s was closed before an answer came%s", host, via), true
	case errors.As(err, &op) && op.Op == "dial":
		return mk(PhaseTCP, "cannot connect to %s: %s", host, reason(op.Err)), false
	}
	return mk(PhaseOther, "the request to %s failed%s: %s", host, via, err), false
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// reason is the short cause of a connection failure: "connection refused"
// rather than Go's whole "dial tcp 10.0.0.1:443: connect: …" chain.
func reason(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno.Error()
	}
	var de *net.DNSError
	if errors.As(err, &de) {
		return "cannot resolve " + de.Name + ": " + de.Err
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	return err.Error()
}

// untrusted recognises a certificate that does not verify and names the
// issuer of the certificate the server showed.
func untrusted(err error, host string) (issuer, why string, ok bool) {
	var (
		cv  *tls.CertificateVerificationError
		ua  x509.UnknownAuthorityError
		he  x509.HostnameError
		ci  x509.CertificateInvalidError
		sre x509.SystemRootsError
	)
	var cert *x509.Certificate
	if errors.As(err, &cv) && len(cv.UnverifiedCertificates) > 0 {
		cert = cv.UnverifiedCertificates[0]
	}
	switch {
	case errors.As(err, &he):
		why = fmt.Sprintf("the certificate %s presented is for other names", host)
		cert = cmp.Or(cert, he.Certificate)
	case errors.As(err, &ci):
		why = fmt.Sprintf("the certificate %s presented is not valid", host)
		if ci.Reason == x509.Expired {
			why = fmt.Sprintf("the certificate %s presented has expired or is not valid yet", host)
		}
		cert = cmp.Or(cert, ci.Cert)
	case errors.As(err, &ua):
		why = fmt.Sprintf("the certificate %s presented is signed by an authority this machine does not trust", host)
		cert = cmp.Or(cert, ua.Cert)
	case errors.As(err, &sre):
		why = "this machine has no trusted root certificates to check " + host + " against"
	case cv != nil:
		why = fmt.Sprintf("the certificate %s presented does not verify", host)
	default:
		return "", "", false
	}
	if cert != nil {
		issuer = issuerName(cert)
		why += " (issued by " + issuer + ")"
	}
	return issuer, why, true
}

// tlsFailure recognises a handshake that failed for another reason than
// trust: a server that does not speak TLS, an alert, no common version.
func tlsFailure(err error) (string, bool) {
	var (
		rh    tls.RecordHeaderError
		alert tls.AlertError
	)
	msg := err.Error()
	switch {
	case strings.Contains(msg, "server gave HTTP response to HTTPS client"):
		return "the server answered in plain HTTP on an https:// URL", true
	case errors.As(err, &rh):
		return "the server does not speak TLS", true
	case errors.As(err, &alert):
		return "the server sent the alert " + alert.Error(), true
	case strings.Contains(msg, "tls: "):
		return msg, true
	}
	return "", false
}

// issuerName names a certificate's issuer: its common name, with the
// organisation when that adds something.
func issuerName(c *x509.Certificate) string {
	cn := c.Issuer.CommonName
	org := strings.Join(c.Issuer.Organization, ", ")
	s := cn
	switch {
	case cn == "":
		s = org
	case org != "" && !strings.Contains(cn, org):
		s = cn + " (" + org + ")"
	}
	if s == "" {
		s = c.Issuer.String()
	}
	return clean(s, 200)
}
