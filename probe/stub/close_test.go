package stub_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/fix401/fix401/probe/stub"
)

// await waits until ch is closed. It is a hang guard, not a speed target:
// it gives up only when go test's own -timeout is nearly spent, so that a
// broken stub fails with the name of what never happened instead of a
// goroutine dump. Without a -timeout it waits for ever.
func await(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	deadline, ok := t.Deadline()
	if !ok {
		<-ch
		return
	}
	guard := time.NewTimer(time.Until(deadline) * 9 / 10)
	defer guard.Stop()
	select {
	case <-ch:
	case <-guard.C:
		t.Fatalf("gave up waiting: %s", what)
	}
}

// closed returns a channel closed once f has returned.
func closed(f func()) <-chan struct{} {
	done := make(chan struct{})
	go func() { f(); close(done) }()
	return done
}

// TestCloseReleasesHang: a client with no deadline is held by hang; Close
// must end that handler and return.
func TestCloseReleasesHang(t *testing.T) {
	srv, err := stub.Start(stub.Options{Scenario: stub.Hang})
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		resp, err := http.Post(srv.URL+"/v1/messages", "application/json", nil)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	await(t, srv.Arrived(1), "the request to reach the hang handler")
	await(t, closed(srv.Close), "Close to return while a request was held")
	if r := srv.Requests(); len(r) != 1 || r[0].Status != 0 {
		t.Errorf("log = %+v, want one unanswered request", r)
	}
	if err := <-errc; err == nil {
		t.Error("the held client got an answer")
	}
	srv.Close() // a second Close is harmless
}

// TestAPICloseAborts: mounted in someone else's server, a held request
// released by API.Close loses its connection instead of getting a 200.
func TestAPICloseAborts(t *testing.T) {
	api, err := stub.Handler(stub.Options{Scenario: stub.Hang})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(api)
	defer ts.Close()
	errc := make(chan error, 1)
	go func() {
		resp, err := http.Get(ts.URL + "/v1/models")
		if err == nil {
			resp.Body.Close()
			err = fmt.Errorf("answered %d", resp.StatusCode)
		} else {
			err = nil
		}
		errc <- err
	}()
	await(t, api.Arrived(1), "the request to reach the hang handler")
	api.Close()
	if err := <-errc; err != nil {
		t.Error(err)
	}
}
