package stub

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Model is one entry of the stub's model list, shaped like the API's: every
// field the official Go SDK v2 declares for a model.
type Model struct {
	Type           string       `json:"type"`
	ID             string       `json:"id"`
	DisplayName    string       `json:"display_name"`
	CreatedAt      string       `json:"created_at"`
	MaxInputTokens int          `json:"max_input_tokens"`
	MaxTokens      int          `json:"max_tokens"`
	Capabilities   Capabilities `json:"capabilities"`
	Lifecycle      string       `json:"lifecycle"`     // active, deprecated, retired
	Line           string       `json:"line"`          // haiku, sonnet, opus
	DeprecatedAt   *string      `json:"deprecated_at"` // null while active
	RetiresAt      *string      `json:"retires_at"`    // null while active
}

// Capability says whether a model supports one feature.
type Capability struct {
	Supported bool `json:"supported"`
}

// Capabilities is a model's capabilities object: every key is always
// present, as the API sends it.
type Capabilities struct {
	Batch             Capability `json:"batch"`
	Citations         Capability `json:"citations"`
	CodeExecution     Capability `json:"code_execution"`
	ContextManagement struct {
		ClearThinking20251015 Capability `json:"clear_thinking_20251015"`
		ClearToolUses20250919 Capability `json:"clear_tool_uses_20250919"`
		Compact20260112       Capability `json:"compact_20260112"`
		Supported             bool       `json:"supported"`
	} `json:"context_management"`
	Effort struct {
		High      Capability `json:"high"`
		Low       Capability `json:"low"`
		Max       Capability `json:"max"`
		Medium    Capability `json:"medium"`
		Supported bool       `json:"supported"`
		Xhigh     Capability `json:"xhigh"`
	} `json:"effort"`
	ImageInput  Capability `json:"image_input"`
	PDFInput    Capability `json:"pdf_input"`
	ServerTools struct {
		CodeExecution Capability `json:"code_execution"`
		Supported     bool       `json:"supported"`
		WebSearch     Capability `json:"web_search"`
	} `json:"server_tools"`
	StructuredOutputs Capability `json:"structured_outputs"`
	Thinking          struct {
		Supported bool `json:"supported"`
		Types     struct {
			Adaptive     Capability `json:"adaptive"`
			BetweenTools Capability `json:"between_tools"`
			Disabled     Capability `json:"disabled"`
			Enabled      Capability `json:"enabled"`
		} `json:"types"`
	} `json:"thinking"`
}

// capabilities of the stub's models, which all take images and PDFs, cite,
// think, run server tools and clear tool uses; effort and structured
// outputs vary.
func capabilities(effort, structured bool) Capabilities {
	yes := Capability{true}
	var c Capabilities
	c.Batch, c.Citations, c.CodeExecution, c.ImageInput, c.PDFInput = yes, yes, yes, yes, yes
	c.ContextManagement.Supported = true
	c.ContextManagement.ClearToolUses20250919, c.ContextManagement.ClearThinking20251015 = yes, yes
	if effort {
		c.Effort.Supported = true
		c.Effort.Low, c.Effort.Medium, c.Effort.High = yes, yes, yes
	}
	c.ServerTools.Supported = true
	c.ServerTools.CodeExecution, c.ServerTools.WebSearch = yes, yes
	c.StructuredOutputs.Supported = structured
	c.Thinking.Supported = true
	c.Thinking.Types.Enabled, c.Thinking.Types.Disabled = yes, yes
	return c
}

// Alias is the model's id without its date, which the API also accepts.
func (m Model) Alias() string {
	if i := strings.LastIndexByte(m.ID, '-'); i > 0 && len(m.ID)-i-1 == 8 {
		return m.ID[:i]
	}
	return m.ID
}

func model(id, name, created, line string, maxTokens int, caps Capabilities) Model {
	return Model{Type: "model", ID: id, DisplayName: name, CreatedAt: created, MaxInputTokens: 200000,
		MaxTokens: maxTokens, Capabilities: caps, Lifecycle: "active", Line: line}
}

// models is newest first, as the API lists them.
var models = []Model{
	model("claude-opus-4-5-20251101", "Claude Opus 4.5", "2025-11-24T00:00:00Z", "opus", 64000, capabilities(true, true)),
	model("claude-haiku-4-5-20251001", "Claude Haiku 4.5", "2025-10-15T00:00:00Z", "haiku", 64000, capabilities(false, true)),
	model("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", "2025-09-29T00:00:00Z", "sonnet", 64000, capabilities(false, true)),
	model("claude-opus-4-1-20250805", "Claude Opus 4.1", "2025-08-05T00:00:00Z", "opus", 32000, capabilities(false, true)),
	model("claude-sonnet-4-20250514", "Claude Sonnet 4", "2025-05-22T00:00:00Z", "sonnet", 64000, capabilities(false, false)),
}

// Models returns the models the stub knows, newest first.
func Models() []Model { return slices.Clone(models) }

func findModel(id string) (Model, bool) {
	for _, m := range models {
		if m.ID == id || m.Alias() == id {
			return m, true
		}
	}
	return Model{}, false
}

func (x *exchange) listModels() {
	limit, ok := x.pageLimit()
	if !ok {
		return
	}
	x.ok(paginate(models, func(m Model) string { return m.ID }, x.r.URL.Query(), limit))
}

// pageLimit reads ?limit= as the API does: 20 when absent, 1 to 1000. It
// answers the 400 itself and returns false for any other value.
func (x *exchange) pageLimit() (int, bool) {
	s := x.r.URL.Query().Get("limit")
	if s == "" {
		return 20, true
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 1000 {
		x.fail(apiError{http.StatusBadRequest, "invalid_request_error", "limit: Input should be between 1 and 1000"})
		return 0, false
	}
	return n, true
}

// listPage is one page of a list endpoint, as the API sends it.
type listPage[T any] struct {
	Data    []T     `json:"data"`
	HasMore bool    `json:"has_more"`
	FirstID *string `json:"first_id"`
	LastID  *string `json:"last_id"`
}

// paginate cuts the page that after_id or before_id asks for out of all:
// limit items after after_id (an unknown id: from the start), or the limit
// items before before_id.
func paginate[T any](all []T, id func(T) string, q url.Values, limit int) listPage[T] {
	page := all
	if after := q.Get("after_id"); after != "" {
		i := slices.IndexFunc(all, func(o T) bool { return id(o) == after })
		page = all[i+1:] // not found: i is -1, the whole list
	} else if before := q.Get("before_id"); before != "" {
		if i := slices.IndexFunc(all, func(o T) bool { return id(o) == before }); i >= 0 {
			page = all[max(0, i-limit):i]
		}
	}
	out := listPage[T]{HasMore: len(page) > limit}
	out.Data = slices.Clone(page[:min(limit, len(page))])
	if len(out.Data) > 0 {
		first, last := id(out.Data[0]), id(out.Data[len(out.Data)-1])
		out.FirstID, out.LastID = &first, &last
	}
	return out
}

func (x *exchange) getModel(id string) {
	m, ok := findModel(id)
	if !ok {
		x.fail(apiError{http.StatusNotFound, "not_found_error", "model: " + id})
		return
	}
	x.ok(m)
}

// messageRequest holds the fields of a Messages request the stub checks.
type messageRequest struct {
	Model     *string         `json:"model"`
	Messages  json.RawMessage `json:"messages"`
	System    json.RawMessage `json:"system"`
	MaxTokens *int            `json:"max_tokens"`
	Stream    bool            `json:"stream"`
}

// parseMessage validates the body; it answers and returns false on error.
func (x *exchange) parseMessage(needMaxTokens bool) (messageRequest, Model, bool) {
	var req messageRequest
	bad := func(msg string) (messageRequest, Model, bool) {
		x.fail(apiError{http.StatusBadRequest, "invalid_request_error", msg})
		return req, Model{}, false
	}
	if err := json.Unmarshal(x.body, &req); err != nil {
		return bad("The request body is not valid JSON.")
	}
	switch {
	case req.Model == nil:
		return bad("model: Field required")
	case len(req.Messages) == 0 || string(req.Messages) == "null":
		return bad("messages: Field required")
	case needMaxTokens && req.MaxTokens == nil:
		return bad("max_tokens: Field required")
	}
	var msgs []json.RawMessage
	if json.Unmarshal(req.Messages, &msgs) != nil {
		return bad("messages: Input should be a valid list")
	}
	m, ok := findModel(*req.Model)
	if !ok {
		x.fail(apiError{http.StatusNotFound, "not_found_error", "model: " + *req.Model})
		return req, Model{}, false
	}
	return req, m, true
}

// inputTokens is a rough, deterministic count: four bytes a token.
func (req messageRequest) inputTokens() int {
	return max(1, (len(req.Messages)+len(req.System))/4)
}

func (x *exchange) countTokens() {
	req, _, ok := x.parseMessage(false)
	if !ok {
		return
	}
	x.ok(struct {
		InputTokens int `json:"input_tokens"`
	}{req.inputTokens()})
}

const replyText = "Hello from the fix401 stub."

// usage is a message's usage, with every field the SDKs declare; the stub
// uses no cache, server tool or thinking, so those count zero.
type usage struct {
	InputTokens              int `json:"input_tokens"`
	CacheCreationInputTokens int `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int `json:"cache_read_input_tokens"`
	CacheCreation            struct {
		Ephemeral5mInputTokens int `json:"ephemeral_5m_input_tokens"`
		Ephemeral1hInputTokens int `json:"ephemeral_1h_input_tokens"`
	} `json:"cache_creation"`
	OutputTokens        int `json:"output_tokens"`
	OutputTokensDetails struct {
		ThinkingTokens int `json:"thinking_tokens"`
	} `json:"output_tokens_details"`
	ServerToolUse struct {
		WebSearchRequests int `json:"web_search_requests"`
		WebFetchRequests  int `json:"web_fetch_requests"`
	} `json:"server_tool_use"`
	ServiceTier  string `json:"service_tier"`
	InferenceGeo string `json:"inference_geo"`
	Speed        string `json:"speed"`
}

func newUsage(in, out int) usage {
	return usage{InputTokens: in, OutputTokens: out, ServiceTier: "standard", InferenceGeo: "global", Speed: "standard"}
}

type textBlock struct {
	Type      string `json:"type"`
	Text      string `json:"text"`
	Citations []any  `json:"citations"` // null: the stub cites nothing
}

type message struct {
	ID           string      `json:"id"`
	Type         string      `json:"type"`
	Role         string      `json:"role"`
	Model        string      `json:"model"`
	Content      []textBlock `json:"content"`
	StopReason   *string     `json:"stop_reason"`
	StopSequence *string     `json:"stop_sequence"`
	StopDetails  any         `json:"stop_details"` // null: not a refusal
	Container    any         `json:"container"`    // null: no code execution
	Diagnostics  any         `json:"diagnostics"`  // null: none asked for
	Usage        usage       `json:"usage"`
}

func (x *exchange) createMessage() {
	req, m, ok := x.parseMessage(true)
	if !ok {
		return
	}
	outTokens := len(strings.Fields(replyText)) + 2
	end := "end_turn"
	msg := message{
		ID: newMessageID(), Type: "message", Role: "assistant", Model: m.ID,
		Content:    []textBlock{{Type: "text", Text: replyText}},
		StopReason: &end,
		Usage:      newUsage(req.inputTokens(), outTokens),
	}
	if !req.Stream {
		x.ok(msg)
		return
	}
	x.stream(msg)
}

// stream sends msg as the API's server-sent events.
func (x *exchange) stream(msg message) {
	x.apiHeaders()
	h := x.w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	x.w.WriteHeader(http.StatusOK)
	start := msg
	start.Content, start.StopReason = []textBlock{}, nil
	start.Usage.OutputTokens = 1
	events := []struct {
		name string
		data any
	}{
		{"message_start", map[string]any{"type": "message_start", "message": start}},
		{"content_block_start", map[string]any{"type": "content_block_start", "index": 0, "content_block": textBlock{Type: "text"}}},
		{"ping", map[string]any{"type": "ping"}},
		{"content_block_delta", map[string]any{"type": "content_block_delta", "index": 0,
			"delta": map[string]string{"type": "text_delta", "text": msg.Content[0].Text}}},
		{"content_block_stop", map[string]any{"type": "content_block_stop", "index": 0}},
		{"message_delta", map[string]any{"type": "message_delta",
			"delta": map[string]any{"stop_reason": msg.StopReason, "stop_sequence": nil, "stop_details": nil, "container": nil},
			"usage": map[string]any{"input_tokens": msg.Usage.InputTokens, "output_tokens": msg.Usage.OutputTokens,
				"cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
				"output_tokens_details": msg.Usage.OutputTokensDetails, "server_tool_use": msg.Usage.ServerToolUse}}},
		{"message_stop", map[string]any{"type": "message_stop"}},
	}
	for _, e := range events {
		b, err := marshal(e.data)
		if err != nil {
			return
		}
		if _, err := fmt.Fprintf(x.w, "event: %s\ndata: %s\n\n", e.name, b); err != nil {
			return
		}
		if f, ok := x.w.(http.Flusher); ok {
			f.Flush()
		}
	}
}
