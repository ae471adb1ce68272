package probe

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

const summaryJSON = `{
  "page": {"id": "p1", "name": "Claude"},
  "status": {"indicator": "minor", "description": "Partially Degraded Service"},
  "components": [
    {"name": "claude.ai", "status": "operational"},
    {"name": "Claude API (api.anthropic.com)", "status": "degraded_performance"},
    {"name": "Claude Code", "status": "operational"}
  ],
  "incidents": [
    {"name": "Elevated errors on the API", "status": "investigating"},
    {"name": "Old thing", "status": "resolved"}
  ]
}`

func TestStatusPage(t *testing.T) {
	var mu sync.Mutex
	var leaked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/status/api/v2/summary.json" {
			w.Header().Set("request-id", "req_api")
			io.WriteString(w, `{"data":[],"has_more":false}`)
			return
		}
		mu.Lock()
		for _, h := range []string{"x-api-key", "Authorization", "anthropic-beta", "anthropic-version"} {
			if r.Header.Get(h) != "" {
				leaked = append(leaked, h)
			}
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, summaryJSON)
	}))
	defer srv.Close()
	env := testEnv(t, srv.URL)
	env.StatusURL = srv.URL + "/status/"
	c := newClient(t, env)
	// The same client has just sent both kinds of key: none may follow.
	c.Models(context.Background(), netKey(t, "sk-ant-api03-"))
	c.Models(context.Background(), netKey(t, "sk-ant-oat01-"))

	sp := c.Status(context.Background())
	if sp.Answer == nil || !sp.Answer.OK() || sp.Answer.Label != "status" || sp.Answer.Anthropic || sp.Answer.Shape != ShapeJSON {
		t.Fatalf("answer %+v", sp.Answer)
	}
	if sp.Indicator != "minor" || sp.Description != "Partially Degraded Service" ||
		sp.Component != "Claude API (api.anthropic.com)" || sp.APIStatus != "degraded_performance" {
		t.Errorf("got %+v", sp)
	}
	if len(sp.Incidents) != 1 || sp.Incidents[0] != "Elevated errors on the API" {
		t.Errorf("incidents %v", sp.Incidents)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(leaked) > 0 {
		t.Errorf("the status page received %v", leaked)
	}
}

func TestStatusPageNotJSON(t *testing.T) {
	tests := []struct {
		name, body string
		status     int
		shape      string
	}{
		{"html", "<html><title>Blocked</title></html>", 200, ShapeHTML},
		{"broken json", `{"status": {`, 200, ShapeJSON},
		{"server error", `oops`, 500, ShapeText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			env := testEnv(t, srv.URL)
			env.Retries = -1
			sp := newClient(t, env).Status(context.Background())
			if sp.Answer == nil || sp.Answer.Shape != tt.shape || sp.Answer.Status != tt.status {
				t.Errorf("answer %+v, want shape %q status %d", sp.Answer, tt.shape, tt.status)
			}
			if sp.Indicator != "" || sp.Component != "" || sp.APIStatus != "" {
				t.Errorf("fields filled from a bad page: %+v", sp)
			}
		})
	}
}

func TestStatusPageUnreachable(t *testing.T) {
	env := testEnv(t, DefaultBaseURL)
	env.StatusURL = "https://status.invalid"
	env.LookupHost = func(_ context.Context, host string) ([]string, error) {
		return nil, &net.DNSError{Err: "no such host", Name: host}
	}
	sp := newClient(t, env).Status(context.Background())
	if sp.Answer == nil || sp.Answer.Err == nil || sp.Answer.Err.Phase != PhaseDNS {
		t.Errorf("answer %+v, want a DNS error", sp.Answer)
	}
}
