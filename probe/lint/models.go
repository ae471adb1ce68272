package lint

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// ModelSource is where the retirement dates below come from.
const ModelSource = "https://platform.claude.com/docs/en/about-claude/model-deprecations"

// retirements are the Claude API (first-party) retirement dates, from
// ModelSource and the API release notes, as of 2026-11-25. A date still in
// the future means the model is deprecated, not yet retired. The -latest and
// -4-0 style aliases point at the snapshot on the same line. Bedrock and
// Vertex set their own dates; ids in their formats are never matched here.
var retirements = map[string]string{
	"claude-1.0": "2024-11-06", "claude-1.1": "2024-11-06", "claude-1.2": "2024-11-06", "claude-1.3": "2024-11-06",
	"claude-instant-1.0": "2024-11-06", "claude-instant-1.1": "2024-11-06", "claude-instant-1.2": "2024-11-06",
	"claude-2.0": "2025-07-21", "claude-2.1": "2025-07-21", "claude-2": "2025-07-21",
	"claude-v1": "2024-11-06", "claude-v1-100k": "2024-11-06", "claude-instant-v1": "2024-11-06", "claude-instant-1": "2024-11-06",
	"claude-3-sonnet-20240229":   "2025-07-21",
	"claude-3-5-sonnet-20240620": "2025-10-28", "claude-3-5-sonnet-20241022": "2025-10-28", "claude-3-5-sonnet-latest": "2025-10-28",
	"claude-3-opus-20240229": "2026-01-05", "claude-3-opus-latest": "2026-01-05",
	"claude-3-7-sonnet-20250219": "2026-02-19", "claude-3-7-sonnet-latest": "2026-02-19",
	"claude-3-5-haiku-20241022": "2026-02-19", "claude-3-5-haiku-latest": "2026-02-19",
	"claude-3-haiku-20240307":  "2026-04-20",
	"claude-sonnet-4-20250514": "2026-06-15", "claude-sonnet-4-0": "2026-06-15",
	"claude-opus-4-20250514": "2026-06-15", "claude-opus-4-0": "2026-06-15",
	"claude-opus-4-1-20250805": "2026-08-05", "claude-opus-4-1": "2026-08-05",
	"claude-sonnet-4-5-20250929": "2026-11-30", "claude-sonnet-4-5": "2026-11-30",
}

// activeModels are ids the API served without a retirement date as of
// 2026-11-25. Anything else is reported as unknown (info only).
var activeModels = map[string]bool{
	"claude-haiku-4-5": true, "claude-haiku-4-5-20251001": true,
	"claude-opus-4-5": true, "claude-opus-4-5-20251101": true,
	"claude-opus-4-6": true, "claude-sonnet-4-6": true, "claude-opus-4-7": true, "claude-opus-4-8": true,
	"claude-opus-5": true, "claude-sonnet-5": true, "claude-fable-5": true, "claude-mythos-5": true, "claude-mythos-preview": true,
	"claude-opus-5-5": true, "claude-sonnet-5-5": true, "claude-haiku-5-5": true, "claude-fable-5-1": true,
}

// checkModel reports a retired, deprecated or unknown model. unknownToo is
// false where the string may not be a model id at all.
func (l *linter) checkModel(id string, line int, unknownToo bool) {
	id = strings.TrimSpace(id)
	if id == "" || strings.ContainsAny(id, "\x00{}$") {
		return // built at run time
	}
	low := strings.ToLower(id)
	if date, ok := retirements[low]; ok {
		d, err := time.Parse(time.DateOnly, date)
		if err == nil && l.now.Before(d) {
			l.add(IDModelDeprecated, Warn, line,
				fmt.Sprintf("Model %s is deprecated and retires on %s.", show(id), date),
				"Move to a current model before then (GET /v1/models lists the ones your key can use). Dates: "+ModelSource)
			return
		}
		l.add(IDModelRetired, Error, line,
			fmt.Sprintf("Model %s was retired on %s; requests to it fail.", show(id), date),
			"Switch to a current model (GET /v1/models lists the ones your key can use). Dates: "+ModelSource)
		return
	}
	if !unknownToo || activeModels[low] || strings.ContainsAny(id, "/@:") || strings.HasPrefix(low, "anthropic.") {
		return
	}
	l.add(IDModelUnknown, Info, line, fmt.Sprintf("%s is not a model id fix401 knows.", show(id)),
		"Compare it with GET /v1/models; models newer than this fix401 are missing from its list.")
}

// goModelConst turns a Go SDK constant name (ModelClaude3_5SonnetLatest,
// ModelClaude_3_Haiku_20240307) into the model id it stands for.
func goModelConst(name string) string {
	name = strings.TrimPrefix(name, "Model")
	var parts []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			parts = append(parts, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	var prev rune
	for _, r := range name {
		switch {
		case r == '_':
			flush()
		case len(cur) > 0 && (unicode.IsDigit(r) != unicode.IsDigit(prev) || unicode.IsUpper(r) && !unicode.IsUpper(prev)):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
		prev = r
	}
	flush()
	id := strings.Join(parts, "-")
	if strings.HasPrefix(id, "claude-2-") || strings.HasPrefix(id, "claude-instant-1-") || strings.HasPrefix(id, "claude-1-") {
		i := strings.LastIndexByte(id, '-')
		id = id[:i] + "." + id[i+1:]
	}
	return id
}
