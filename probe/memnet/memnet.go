// Package memnet is an in-memory network for tests: a net.Listener whose
// connections are net.Pipe pairs made by its own DialContext, and Serve to
// put an http.Handler behind it.
//
// It exists for tests that run inside a testing/synctest bubble. There, time
// only advances when every goroutine of the bubble is durably blocked, and a
// goroutine waiting on a real socket never is; one waiting on a pipe is. So a
// client held by a server that never answers reaches its timeout on the
// bubble's fake clock, at once and at exactly the configured duration, and a
// timer in the test (a barrier's give-up, a handler's sleep) fires only when
// nothing else can happen any more. No wall-clock margin is involved.
//
// Nothing outside tests imports this package.
package memnet

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
)

// Listener hands out the server ends of the pipes its DialContext makes.
type Listener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

// Listen returns a listener that nothing is connected to yet.
func Listen() *Listener {
	return &Listener{conns: make(chan net.Conn), done: make(chan struct{})}
}

// Accept waits for DialContext, or for Close.
func (l *Listener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Close stops Accept and makes later dials fail. It is safe to call more
// than once.
func (l *Listener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

// Addr is the listener's pipe address.
func (l *Listener) Addr() net.Addr { return addr{} }

// ErrRefused is what DialContext returns once the listener is closed.
var ErrRefused = errors.New("memnet: connection refused")

// DialContext connects to the listener, whatever network and address it is
// given: it fits probe.Env.DialContext and http.Transport.DialContext.
func (l *Listener) DialContext(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.done:
	case <-ctx.Done():
	}
	client.Close()
	server.Close()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return nil, ErrRefused
}

type addr struct{}

func (addr) Network() string { return "memnet" }
func (addr) String() string  { return "memnet" }

// Serve serves h on a new Listener. stop closes the server and every
// connection it accepted, and returns once Serve has returned; handlers
// held on a request see its context end.
func Serve(h http.Handler) (l *Listener, stop func()) {
	l = Listen()
	srv := &http.Server{Handler: h}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(l)
	}()
	return l, func() {
		_ = srv.Close()
		<-served
	}
}
