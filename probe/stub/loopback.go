package stub

import (
	"context"
	"net"
	"os"
)

// DialLoopback dials like net.Dialer but only to a loopback address: a
// probe.Env.DialContext for tests, so that nothing they run can leave the
// machine, whatever base URL a case ends up with.
func DialLoopback(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, _ := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, &net.OpError{Op: "dial", Net: network, Err: os.ErrPermission}
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}

// LookupLocalhost resolves localhost to 127.0.0.1 and no other name: a
// probe.Env.LookupHost for tests, so that no name reaches a DNS server.
func LookupLocalhost(_ context.Context, host string) ([]string, error) {
	if host == "localhost" {
		return []string{"127.0.0.1"}, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}
