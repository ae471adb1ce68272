package stub

import (
	"io"
	"net/http"
	"strconv"
)

// intercepted answers for scenarios where something other than the API
// sits in the path (or nothing answers at all). It reports whether it did.
func (x *exchange) intercepted() bool {
	h := x.w.Header()
	switch x.api.opts.Scenario {
	case Hang:
		// The client giving up or the stub's Close ends the wait; the
		// body was already read, so a closed connection is noticed.
		x.wait(-1)
		return true
	case NotAnthropic:
		x.html(http.StatusOK, "nginx", captivePage)
	case Redirect:
		status := http.StatusTemporaryRedirect
		if x.r.Method == http.MethodGet || x.r.Method == http.MethodHead {
			status = http.StatusMovedPermanently
		}
		h.Set("Location", x.api.opts.RedirectURL)
		x.html(status, "nginx", movedPage)
	case ProxyAuth:
		h.Set("Proxy-Authenticate", `Basic realm="corporate proxy"`)
		x.html(http.StatusProxyAuthRequired, "squid", proxyAuthPage)
	case OpenAI:
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("X-Request-Id", "req_"+randString("0123456789abcdef", 32))
		cloudflare(h)
		x.raw(http.StatusUnauthorized, `{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`)
	case RegionBlocked:
		h.Set("Content-Type", "application/json")
		cloudflare(h)
		x.raw(http.StatusForbidden, `{"error":{"type":"forbidden","message":"Request not allowed"}}`)
	default:
		return false
	}
	return true
}

func (x *exchange) html(status int, server, page string) {
	x.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	x.w.Header().Set("Server", server)
	x.raw(status, page)
}

func (x *exchange) raw(status int, body string) {
	x.w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	x.w.WriteHeader(status)
	if x.r.Method != http.MethodHead {
		_, _ = io.WriteString(x.w, body)
	}
}

const captivePage = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Guest Wi-Fi</title></head>
<body>
<h1>Welcome to Guest Wi-Fi</h1>
<p>Accept the terms of use to get online.</p>
<form method="post" action="/accept"><button type="submit">Accept and connect</button></form>
</body>
</html>
`

const movedPage = `<html>
<head><title>Moved</title></head>
<body><h1>Moved</h1><p>This page has moved.</p></body>
</html>
`

const proxyAuthPage = `<!DOCTYPE html>
<html><head><title>Proxy authentication required</title></head>
<body><h1>Proxy authentication required</h1><p>Sign in to the proxy to reach this address.</p></body>
</html>
`
