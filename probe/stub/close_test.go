package stub

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestCloseReleasesHang: a client with no deadline is held by hang; Close
// must end that handler and return.
func TestCloseReleasesHang(t *testing.T) {
	srv, err := Start(Options{Scenario: Hang})
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
	for i := 0; srv.api.held.Load() == 0; i++ {
		if i == 1000 {
			t.Fatal("the request never reached the hang handler")
		}
		time.Sleep(10 * time.Millisecond)
	}
	closed := make(chan struct{})
	go func() { srv.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return while a request was held")
	}
	if n := srv.api.held.Load(); n != 0 {
		t.Errorf("%d requests still held after Close", n)
	}
	if err := <-errc; err == nil {
		t.Error("the held client got an answer")
	}
	srv.Close() // a second Close is harmless
}

// TestAPICloseAborts: mounted in someone else's server, a held request
// released by API.Close loses its connection instead of getting a 200.
func TestAPICloseAborts(t *testing.T) {
	api, err := Handler(Options{Scenario: Hang})
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
	for i := 0; api.held.Load() == 0; i++ {
		if i == 1000 {
			t.Fatal("the request never reached the hang handler")
		}
		time.Sleep(10 * time.Millisecond)
	}
	api.Close()
	if err := <-errc; err != nil {
		t.Error(err)
	}
}
