package stub

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"sync"
	"time"
)

// DefaultAddr is where Serve listens when addr is empty.
const DefaultAddr = "127.0.0.1:8401"

// InterceptCA is the issuer of the certificate StartTLS serves, named like
// the CA of a corporate TLS-inspecting proxy.
const InterceptCA = "Acme Corp TLS Inspection CA"

// Server is a stub listening on loopback.
type Server struct {
	// URL is the base URL: http://127.0.0.1:PORT, or https:// for StartTLS.
	URL string

	api    *API
	srv    *http.Server
	pool   *x509.CertPool
	cancel context.CancelFunc
	once   sync.Once
}

// Start serves the stub over plain HTTP on 127.0.0.1 and a free port.
func Start(opts Options) (*Server, error) { return start(opts, false) }

// StartTLS serves the stub over HTTPS with a certificate issued by
// InterceptCA, which nothing trusts: clients fail verification the way they
// do behind an intercepting proxy, unless they trust CertPool.
func StartTLS(opts Options) (*Server, error) { return start(opts, true) }

func start(opts Options, useTLS bool) (*Server, error) {
	api, err := Handler(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("stub: listen: %w", err)
	}
	s := &Server{api: api, URL: "http://" + ln.Addr().String()}
	s.srv = newHTTPServer(api)
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.srv.BaseContext = func(net.Listener) context.Context { return ctx }
	if !useTLS {
		go func() { _ = s.srv.Serve(ln) }()
		return s, nil
	}
	cert, pool, err := interceptCert()
	if err != nil {
		cancel()
		_ = ln.Close()
		return nil, err
	}
	s.pool = pool
	s.URL = "https://" + ln.Addr().String()
	s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	go func() { _ = s.srv.ServeTLS(ln, "", "") }()
	return s, nil
}

// newHTTPServer silences net/http's own log: a client refusing the TLS
// certificate is the expected outcome, not an error to print.
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
}

// Close stops the server, ends held requests, and returns once every
// handler has returned. It is safe to call more than once.
func (s *Server) Close() {
	s.once.Do(func() {
		_ = s.srv.Close()
		s.api.stop()
		s.cancel()
		s.api.inflight.Wait()
	})
}

// Requests returns what the server received so far, oldest first.
func (s *Server) Requests() []Request { return s.api.Requests() }

// Arrived returns a channel closed once the server has received n
// requests whole; see API.Arrived.
func (s *Server) Arrived(n int) <-chan struct{} { return s.api.Arrived(n) }

// Finished returns a channel closed once n requests are done and recorded;
// see API.Finished.
func (s *Server) Finished(n int) <-chan struct{} { return s.api.Finished(n) }

// Scenario returns the name of the scenario being played.
func (s *Server) Scenario() string { return s.api.Scenario() }

// CertPool returns a pool holding InterceptCA for a StartTLS server, so a
// client can choose to trust it; nil for a plain HTTP server.
func (s *Server) CertPool() *x509.CertPool { return s.pool }

// interceptCert makes a CA named InterceptCA and a certificate it signed
// for api.anthropic.com, localhost and 127.0.0.1.
func interceptCert() (tls.Certificate, *x509.CertPool, error) {
	fail := func(err error) (tls.Certificate, *x509.CertPool, error) {
		return tls.Certificate{}, nil, fmt.Errorf("stub: make certificate: %w", err)
	}
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fail(err)
	}
	ca := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: InterceptCA, Organization: []string{"Acme Corp"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		return fail(err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return fail(err)
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fail(err)
	}
	leaf := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: "api.anthropic.com"},
		DNSNames:     []string{"api.anthropic.com", "localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &leafKey.PublicKey, caKey)
	if err != nil {
		return fail(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	return tls.Certificate{Certificate: [][]byte{leafDER, caDER}, PrivateKey: leafKey}, pool, nil
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		panic("stub: crypto/rand failed: " + err.Error())
	}
	return n
}

// Serve runs the stub on addr (DefaultAddr when empty) until ctx ends,
// writing one line per request to logw: time, method, path, status,
// request-id and duration, never a header value. It refuses an address
// that is not loopback unless opts.AllowNonLoopback is set, because the
// healthy stub accepts any well-formed key.
func Serve(ctx context.Context, addr string, opts Options, logw io.Writer) error {
	if addr == "" {
		addr = DefaultAddr
	}
	if err := checkAddr(addr, opts.AllowNonLoopback); err != nil {
		return err
	}
	api, err := Handler(opts)
	if err != nil {
		return err
	}
	if logw == nil {
		logw = io.Discard
	}
	api.logw = logw
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("stub: listen: %w", err)
	}
	base, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := newHTTPServer(api)
	srv.BaseContext = func(net.Listener) context.Context { return base }
	fmt.Fprintf(logw, "fix401 stub: scenario %s on http://%s (status page at /api/v2/summary.json)\n",
		api.Scenario(), ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	_ = srv.Close()
	api.stop()
	cancel()
	api.inflight.Wait()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("stub: serve: %w", err)
	}
	return nil
}

func checkAddr(addr string, allowAny bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("stub: address %q: %w", addr, err)
	}
	if allowAny || host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("stub: refusing to listen on %q: not a loopback address, and the stub accepts any well-formed key", addr)
}
