package bounds

import (
	"bytes"
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// ErrTooDeep is ParseShell's answer for text that nests past
// MaxShellNesting.
var ErrTooDeep = fmt.Errorf("nested more than %d levels deep", MaxShellNesting)

// ParseShell parses src with p, named name in errors, unless ShellNesting
// says it nests past MaxShellNesting: then it returns ErrTooDeep without
// handing the text to the parser.
func ParseShell[T ~string | ~[]byte](p *syntax.Parser, src T, name string) (*syntax.File, error) {
	if ShellNesting(src) > MaxShellNesting {
		return nil, ErrTooDeep
	}
	switch s := any(src).(type) {
	case string:
		return p.Parse(strings.NewReader(s), name)
	case []byte:
		return p.Parse(bytes.NewReader(s), name)
	}
	return p.Parse(strings.NewReader(string(src)), name)
}
