package lint

import (
	"regexp"
	"strings"
)

// Code that supports several providers keeps each provider's request in its
// own branch or function. Lint judges a header, a key or a model by the
// provider of the code around it: the smallest enclosing block (by
// indentation) that names a provider decides.

type provider int8

const (
	provUnknown   provider = iota
	provAnthropic          // this code talks to Anthropic, or an Anthropic-compatible base URL
	provOther              // this code talks to another provider
)

type markKind int8

const (
	markHost   markKind = iota // a URL's host or API path
	markModel                  // a model id
	markName                   // a variable, identifier or provider name
	markHeader                 // a header only one provider uses
)

type marker struct {
	line int
	p    provider
	kind markKind
}

// ctxIndex answers "which provider is this line's code for?".
type ctxIndex struct {
	indent []int // per line (1-based); -1 for a blank line
	marks  [][]marker
	// sums[k][p][i]: markers of kind k for provider p on lines before i
	sums [4][3][]int
	memo map[[2]int]provider
}

// maxScopeWalk bounds how far up lint looks for a block's start; past it
// the whole input is the scope.
const maxScopeWalk = 2000

var (
	otherHosts = []string{"api.openai.com", "openai.azure.com", "generativelanguage.googleapis.com", "aiplatform.googleapis.com",
		"api.groq.com", "api.mistral.ai", "openrouter.ai", "api.deepseek.com", "api.together.xyz", "api.cohere.ai", "api.cohere.com",
		"api.x.ai", "api.perplexity.ai", "api.fireworks.ai", "huggingface.co", "api.moonshot.cn", "dashscope.aliyuncs.com"}
	reOtherPath   = regexp.MustCompile(`/(?:chat/completions|images/generations|embeddings|responses|audio/|completions$)|:generateContent|:streamGenerateContent|/api/(?:generate|chat)\b`)
	reOtherModel  = regexp.MustCompile(`^(?:gpt-|o[134](?:-|$)|chatgpt|text-embedding|dall-e|whisper|tts-1|gemini|models/gemini|llama|meta-llama|mistral|mixtral|codestral|command-|deepseek|grok|qwen|glm-|openai/|google/|gemini/|groq/|mistral/|ollama/|azure/)`)
	reClaudeModel = regexp.MustCompile(`^(?:anthropic/)?claude-[a-z0-9]`)
	// words in identifiers that name a provider: anthropic_call, OPENAI_KEY
	anthropicWords = []string{"anthropic", "claude"}
	otherWords     = []string{"openai", "gpt", "gemini", "groq", "mistral", "cohere", "deepseek", "perplexity", "ollama", "openrouter", "azure", "grok", "llama"}
	providerNames  = map[string]provider{"anthropic": provAnthropic, "claude": provAnthropic, "openai": provOther, "gpt": provOther, "gemini": provOther, "google": provOther, "groq": provOther, "mistral": provOther, "cohere": provOther, "deepseek": provOther, "ollama": provOther, "openrouter": provOther, "azure": provOther, "xai": provOther, "perplexity": provOther}
	anthropicPaths = []string{"/v1/messages", "/v1/complete", "api.anthropic.com"}
)

// stringProvider says which provider a string literal points at, and how.
func stringProvider(v string) (provider, markKind) {
	low := strings.ToLower(strings.TrimSpace(v))
	if p, ok := providerNames[low]; ok {
		return p, markName
	}
	for _, h := range anthropicPaths {
		if strings.Contains(low, h) {
			return provAnthropic, markHost
		}
	}
	for _, h := range otherHosts {
		if strings.Contains(low, h) {
			return provOther, markHost
		}
	}
	switch {
	case strings.Contains(low, "anthropic-version"), strings.Contains(low, "anthropic-beta"):
		return provAnthropic, markHeader
	case reClaudeModel.MatchString(low):
		return provAnthropic, markModel
	case reOtherModel.MatchString(low) && !strings.Contains(low, " "):
		return provOther, markModel
	case strings.Contains(low, "/") && reOtherPath.MatchString(low):
		return provOther, markHost
	case anthropicVar(v) && reUpperVarName.MatchString(strings.TrimSpace(v)):
		return provAnthropic, markName
	case otherProviderVar(v) && reUpperVarName.MatchString(strings.TrimSpace(v)):
		return provOther, markName
	}
	return provUnknown, markName
}

// newCtxIndex finds the provider markers of a source file.
func newCtxIndex(s *srcFile) *ctxIndex {
	n := len(s.lineStarts)
	c := &ctxIndex{indent: make([]int, n+2), marks: make([][]marker, n+2)}
	for i := 1; i <= n; i++ {
		start := s.lineStarts[i-1]
		end := len(s.skel)
		if i < n {
			end = s.lineStarts[i] - 1
		}
		line := s.skel[start:end]
		t := strings.TrimLeft(line, " \t")
		if strings.TrimSpace(t) == "" {
			c.indent[i] = -1
		} else {
			c.indent[i] = len(line) - len(t)
		}
		if c.indent[i] < 0 {
			continue
		}
		low := strings.ToLower(line)
		if containsAny(low, anthropicWords) {
			c.marks[i] = append(c.marks[i], marker{i, provAnthropic, markName})
		}
		if containsAny(low, otherWords) {
			c.marks[i] = append(c.marks[i], marker{i, provOther, markName})
		}
	}
	for i := range s.strs {
		t := &s.strs[i]
		if p, k := stringProvider(t.val); p != provUnknown && t.line <= n {
			c.marks[t.line] = append(c.marks[t.line], marker{t.line, p, k})
		}
	}
	for k := range c.sums {
		for p := range c.sums[k] {
			c.sums[k][p] = make([]int, len(c.marks)+1)
		}
	}
	for i, ms := range c.marks {
		for k := range c.sums {
			for p := range c.sums[k] {
				c.sums[k][p][i+1] = c.sums[k][p][i]
			}
		}
		for _, m := range ms {
			c.sums[m.kind][m.p][i+1]++
		}
	}
	c.memo = map[[2]int]provider{}
	return c
}

// at returns the provider of the code on line.
func (c *ctxIndex) at(line int) provider { return c.atExcept(line, -1) }

// atExcept is at, ignoring markers of kind skip.
func (c *ctxIndex) atExcept(line int, skip markKind) provider {
	if c == nil || line < 1 || line >= len(c.indent) {
		return provUnknown
	}
	key := [2]int{line, int(skip)}
	if p, ok := c.memo[key]; ok {
		return p
	}
	p := c.walk(line, skip)
	c.memo[key] = p
	return p
}

func (c *ctxIndex) walk(line int, skip markKind) provider {
	lo, hi := line, line
	ind := c.indent[line]
	for p := line; ind < 0 && p > 0; p-- {
		ind = c.indent[p]
	}
	for {
		if p, decided := c.decide(line, lo, hi, skip); decided {
			return p
		}
		if lo <= 1 && hi >= len(c.indent)-1 {
			return provUnknown
		}
		// widen to the block of the nearest line above with less indent
		p := lo - 1
		for p >= 1 && lo-p < maxScopeWalk && (c.indent[p] < 0 || c.indent[p] >= ind) {
			p--
		}
		if p < 1 || ind <= 0 || lo-p >= maxScopeWalk {
			lo, hi = 1, len(c.indent)-1
			continue
		}
		ind = c.indent[p]
		lo = p
		for hi+1 < len(c.indent) && hi-line < maxScopeWalk && (c.indent[hi+1] < 0 || c.indent[hi+1] > ind) {
			hi++
		}
	}
}

// decide looks at the markers of lines lo..hi: one provider decides; both
// are settled by the marker nearest to line.
func (c *ctxIndex) decide(line, lo, hi int, skip markKind) (provider, bool) {
	hi = min(hi, len(c.marks)-1)
	count := func(p provider) int {
		n := 0
		for k := range c.sums {
			if markKind(k) != skip {
				n += c.sums[k][p][hi+1] - c.sums[k][p][lo]
			}
		}
		return n
	}
	a, o := count(provAnthropic), count(provOther)
	switch {
	case a > 0 && o == 0:
		return provAnthropic, true
	case o > 0 && a == 0:
		return provOther, true
	case a == 0:
		return provUnknown, false
	}
	for d := 0; line-d >= lo || line+d <= hi; d++ {
		found := provUnknown
		for _, i := range []int{line - d, line + d} {
			if i < lo || i > hi {
				continue
			}
			for _, m := range c.marks[i] {
				if m.kind == skip {
					continue
				}
				if found != provUnknown && found != m.p {
					return provUnknown, true // as near on both sides
				}
				found = m.p
			}
		}
		if found != provUnknown {
			return found, true
		}
	}
	return provUnknown, true
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
