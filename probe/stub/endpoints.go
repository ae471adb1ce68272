package stub

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Model is one entry of the stub's model list, shaped like the API's.
type Model struct {
	Type        string `json:"type"`
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
	CreatedAt   string `json:"created_at"`
}

// Alias is the model's id without its date, which the API also accepts.
func (m Model) Alias() string {
	if i := strings.LastIndexByte(m.ID, '-'); i > 0 && len(m.ID)-i-1 == 8 {
		return m.ID[:i]
	}
	return m.ID
}

// models is newest first, as the API lists them.
var models = []Model{
	{"model", "claude-opus-4-5-20251101", "Claude Opus 4.5", "2025-11-24T00:00:00Z"},
	{"model", "claude-haiku-4-5-20251001", "Claude Haiku 4.5", "2025-10-15T00:00:00Z"},
	{"model", "claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", "2025-09-29T00:00:00Z"},
	{"model", "claude-opus-4-1-20250805", "Claude Opus 4.1", "2025-08-05T00:00:00Z"},
	{"model", "claude-sonnet-4-20250514", "Claude Sonnet 4", "2025-05-22T00:00:00Z"},
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
	q := x.r.URL.Query()
	limit := 20
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			x.fail(apiError{http.StatusBadRequest, "invalid_request_error", "limit: Input should be between 1 and 1000"})
			return
		}
		limit = n
	}
	page := models
	if after := q.Get("after_id"); after != "" {
		i := slices.IndexFunc(models, func(m Model) bool { return m.ID == after })
		page = models[i+1:] // not found: i is -1, the whole list
	} else if before := q.Get("before_id"); before != "" {
		if i := slices.IndexFunc(models, func(m Model) bool { return m.ID == before }); i >= 0 {
			page = models[max(0, i-limit):i]
		}
	}
	hasMore := len(page) > limit
	page = page[:min(limit, len(page))]
	var first, last *string
	if len(page) > 0 {
		first, last = &page[0].ID, &page[len(page)-1].ID
	}
	x.ok(struct {
		Data    []Model `json:"data"`
		HasMore bool    `json:"has_more"`
		FirstID *string `json:"first_id"`
		LastID  *string `json:"last_id"`
	}{slices.Clone(page), hasMore, first, last})
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

type usage struct {
	InputTokens  int `json:"input_tokens"`
	OutputTokens int `json:"output_tokens"`
}

type textBlock struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type message struct {
	ID           string      `json:"id"`
	Type         string      `json:"type"`
	Role         string      `json:"role"`
	Model        string      `json:"model"`
	Content      []textBlock `json:"content"`
	StopReason   *string     `json:"stop_reason"`
	StopSequence *string     `json:"stop_sequence"`
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
		Content:    []textBlock{{"text", replyText}},
		StopReason: &end,
		Usage:      usage{req.inputTokens(), outTokens},
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
		{"content_block_start", map[string]any{"type": "content_block_start", "index": 0, "content_block": textBlock{"text", ""}}},
		{"ping", map[string]any{"type": "ping"}},
		{"content_block_delta", map[string]any{"type": "content_block_delta", "index": 0,
			"delta": map[string]string{"type": "text_delta", "text": msg.Content[0].Text}}},
		{"content_block_stop", map[string]any{"type": "content_block_stop", "index": 0}},
		{"message_delta", map[string]any{"type": "message_delta",
			"delta": map[string]any{"stop_reason": msg.StopReason, "stop_sequence": nil},
			"usage": map[string]int{"output_tokens": msg.Usage.OutputTokens}}},
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
