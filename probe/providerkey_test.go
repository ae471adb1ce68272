package probe

import "testing"

func TestProviderKey(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"OpenAI", "an OpenAI key"},
		{"OpenRouter", "an OpenRouter key"},
		{"AWS", "an AWS key"},
		{"xAI", "an xAI key"},
		{"Groq", "a Groq key"},
		{"Hugging Face", "a Hugging Face key"},
		{"", "another provider's key"},
		{"OpenAI or an OpenAI-compatible service", "a key of OpenAI or an OpenAI-compatible service"},
		{"a JSON Web Token (JWT), not an API key", "a JSON Web Token (JWT)"},
		{"claude.ai (a browser session cookie, not an API key)", "a claude.ai key (a browser session cookie, not an API key)"},
	} {
		if got := ProviderKey(tt.in); got != tt.want {
			t.Errorf("ProviderKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Every provider Classify names reads as a phrase with its article.
	for _, o := range keyOtherPrefixes {
		if got := ProviderKey(o.provider); got == "" || got[0] != 'a' {
			t.Errorf("ProviderKey(%q) = %q", o.provider, got)
		}
	}
}
