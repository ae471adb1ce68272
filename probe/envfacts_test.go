package probe

import (
	"reflect"
	"strings"
	"testing"
)

func TestStripURLCredentials(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://api.anthropic.com", "https://api.anthropic.com"},
		{"http://bob:hunter2@proxy.corp:3128", "http://proxy.corp:3128"},
		{"http://bob@proxy.corp:3128/", "http://proxy.corp:3128/"},
		{"http://bob:p@ss@proxy.corp", "http://proxy.corp"},
		{"socks5://u:p@127.0.0.1:1080", "socks5://127.0.0.1:1080"},
		{"bob:hunter2@proxy.corp:3128", "proxy.corp:3128"},
		{"https://host/path@not-userinfo", "https://host/path@not-userinfo"},
		{"https://host?to=a@b", "https://host?to=a@b"},
		{"http://bob:pw@[::1]:80/x", "http://[::1]:80/x"},
		{"http://%zz:pw@bad url", "http://bad url"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := StripURLCredentials(tt.in); got != tt.want {
			t.Errorf("StripURLCredentials(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzStripURLCredentials(f *testing.F) {
	f.Add("http", "bob", "hunter2", "proxy.corp:3128")
	f.Add("https", "", "x", "h")
	f.Fuzz(func(t *testing.T, scheme, user, pass, host string) {
		if pass == "" || strings.ContainsAny(user+pass+host, "/?#@") || strings.Contains(scheme, "://") ||
			strings.ContainsAny(scheme, "/?#@") {
			t.Skip()
		}
		raw := scheme + "://" + user + ":" + pass + "@" + host + "/p"
		if got := StripURLCredentials(raw); got != scheme+"://"+host+"/p" {
			t.Errorf("StripURLCredentials(%q) = %q", raw, got)
		}
	})
}

func TestReadEnvFacts(t *testing.T) {
	token := netKey(t, "sk-ant-oat01-")
	env := &Env{Vars: map[string]string{
		"ANTHROPIC_BASE_URL":       "https://u:pw@gw.example.com/anthropic",
		"ANTHROPIC_AUTH_TOKEN":     token,
		"ANTHROPIC_CUSTOM_HEADERS": "X-Team: blue\r\nAuthorization: Bearer " + token + "\n\njust-a-value\n anthropic-beta : x",
		"HTTPS_PROXY":              "http://alice:s3cret@proxy.corp:3128",
		"http_proxy":               "proxy.corp:3128",
		"ALL_PROXY":                "socks5://bob:s3cret@127.0.0.1:1080",
		"no_proxy":                 "localhost,.internal",
		"CLAUDE_CODE_OAUTH_TOKEN":  token,
	}}
	got := ReadEnvFacts(env)
	want := EnvFacts{
		BaseURLVar:    "https://gw.example.com/anthropic",
		AuthToken:     true,
		CustomHeaders: []string{"X-Team", "Authorization", "anthropic-beta"},
		Proxies: []ProxyVar{
			{"HTTPS_PROXY", "http://proxy.corp:3128"},
			{"http_proxy", "proxy.corp:3128"},
			{"ALL_PROXY", "socks5://127.0.0.1:1080"},
		},
		NoProxy:    "localhost,.internal",
		OAuthToken: true,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadEnvFacts =\n%+v\nwant\n%+v", got, want)
	}
	// An exported empty token is not a token, but it is remembered: the
	// Python SDK sends it as "Bearer " and fails.
	empty := ReadEnvFacts(&Env{Vars: map[string]string{"ANTHROPIC_AUTH_TOKEN": "", "ANTHROPIC_API_KEY": " "}})
	if want := (EnvFacts{EmptyVars: []string{"ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"}}); !reflect.DeepEqual(empty, want) {
		t.Errorf("ReadEnvFacts(empty) = %+v, want %+v", empty, want)
	}
}
