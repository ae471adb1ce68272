package bounds

import (
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

func TestShellNesting(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		min, max int // the estimate must lie in [min, max]
	}{
		{"empty", "", 0, 0},
		{"plain assignment", "export ANTHROPIC_API_KEY=sk-ant-api03-x\n", 0, 0},
		{"subshell", "(a)", 1, 1},
		{"nested subshells", "( ( (a) ) )", 3, 3},
		{"command substitution in quotes", `X="$(cat f)"`, 2, 2},
		{"closers in single quotes close nothing", "( ( echo ')))' ) )", 2, 2},
		{"closers in double quotes close nothing", `( ( echo ")))" ) )`, 3, 3},
		{"openers in single quotes open nothing", "echo '(((((('", 0, 0},
		{"escaped parenthesis", `echo \( \( \(`, 0, 0},
		{"comment", "# ((((((\na=1", 0, 0},
		{"hash inside a word is no comment", "a=x#(b)", 1, 1},
		{"if in if", "if a; then if b; then c; fi; fi", 2, 2},
		{"elif and else nest", "if a; then b; elif c; then d; else e; fi", 3, 3},
		{"loop", "for x in 1 2; do while a; do b; done; done", 2, 2},
		{"case patterns are no closers", "case x in a) b;; (c) d;; esac", 2, 2},
		{"arithmetic", "echo $((1+(2*3)))", 3, 6},
		{"test clause", "[[ ! -f x && ( -n y ) ]]", 2, 8},
		{"parameter default", "echo ${A:-${B:-c}}", 2, 2},
		{"quoted here-document is literal", "cat <<'EOF'\n((((( $( ${\nEOF\necho", 1, 1}, // the body is one level
		{"unquoted here-document expands", "cat <<EOF\n$(a $(b))\nEOF\n", 3, 3},
		{"here-document with <<- and a tab", "cat <<-EOF\n\t((((\n\tEOF\n(a)", 1, 1},
		{"here-string is no here-document", "cat <<< x\n(a)", 1, 1},
		{"statement ends release operators", "a && b && c\nd | e", 1, 2},
		{"function heads in a row", "f() g() h() { a; }", 4, 4},
		{"functions one after another", strings.Repeat("f() { a; }\n", 50), 2, 2},
		{"backticks", "echo `a`; echo `b`", 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ShellNesting(tt.src); got < tt.min || got > tt.max {
				t.Errorf("ShellNesting(%q) = %d, want %d…%d", tt.src, got, tt.min, tt.max)
			}
			if got, want := ShellNesting([]byte(tt.src)), ShellNesting(tt.src); got != want {
				t.Errorf("[]byte gives %d, string %d", got, want)
			}
		})
	}
}

// hostile are inputs that drive the mvdan.cc/sh parser deep enough to
// overflow the stack, a fatal error, at these sizes or a little beyond;
// each must be caught before the parser sees it.
func hostile(n int) map[string]string {
	return map[string]string{
		"parentheses":          strings.Repeat("(", n),
		"balanced parentheses": strings.Repeat("(", n) + "a" + strings.Repeat(")", n),
		"quote tricks":         strings.Repeat("( ')' ", n),
		"command substitution": "echo " + strings.Repeat("$(", n),
		"in double quotes":     "echo " + strings.Repeat(`"$(`, n),
		"process substitution": "a " + strings.Repeat("<(", n),
		"arithmetic":           "echo $((" + strings.Repeat("(", n),
		"parameter":            "echo " + strings.Repeat("${a:-", n),
		"groups":               strings.Repeat("{ ", n),
		"if":                   strings.Repeat("if ", n),
		"test negation":        "[[ " + strings.Repeat("! ", n) + "a ]]",
		"test parentheses":     "[[ " + strings.Repeat("( ", n),
		"ternary":              "echo $((" + strings.Repeat("1?", n),
		"let assignment":       "let " + strings.Repeat("a=", n) + "1",
		"function heads":       strings.Repeat("f()\n", n),
		"time":                 strings.Repeat("time ", n) + "a",
		"elif":                 "if a; then b; " + strings.Repeat("elif a; then b; ", n) + "fi",
		"backticks":            "echo " + strings.Repeat("`(", n),
		"after a here-doc":     "cat <<EOF\nx\nEOF\n" + strings.Repeat("(", n),
	}
}

func TestShellNestingCatchesDeepInput(t *testing.T) {
	for name, src := range hostile(150_000) {
		if got := ShellNesting(src); got <= MaxShellNesting {
			t.Errorf("%s (%d bytes): nesting %d, not past %d", name, len(src), got, MaxShellNesting)
		}
	}
}

// astNesting counts, along the deepest path of a parsed file, the nodes
// that the parser reaches by recursion.
func astNesting(f *syntax.File) int {
	deepest, depth := 0, 0
	var stack []bool
	syntax.Walk(f, func(n syntax.Node) bool {
		if n == nil {
			if stack[len(stack)-1] {
				depth--
			}
			stack = stack[:len(stack)-1]
			return true
		}
		nests := false
		switch x := n.(type) {
		case *syntax.Subshell, *syntax.Block, *syntax.CmdSubst, *syntax.ProcSubst, *syntax.ArithmCmd,
			*syntax.ArithmExp, *syntax.ParenArithm, *syntax.UnaryArithm, *syntax.BinaryArithm, *syntax.DblQuoted,
			*syntax.TestClause, *syntax.ParenTest, *syntax.UnaryTest, *syntax.BinaryTest, *syntax.IfClause,
			*syntax.WhileClause, *syntax.ForClause, *syntax.CaseClause, *syntax.FuncDecl, *syntax.TimeClause,
			*syntax.CoprocClause:
			nests = true
		case *syntax.ParamExp:
			nests = !x.Short
		}
		if nests {
			depth++
			deepest = max(deepest, depth)
		}
		stack = append(stack, nests)
		return true
	})
	return deepest
}

// FuzzShellNesting checks the estimate against the parser: for whatever
// the parser accepts, the nesting of the tree is at most twice the
// estimate and a few levels. The slack absorbs corners where the scanner
// reads a token differently (POSIX "((", function heads); what must never
// pass is an estimate that stays flat while the true depth grows.
// MaxShellNesting is a hundred times below the depth that overflows.
func FuzzShellNesting(f *testing.F) {
	for _, s := range []string{
		"export A=\"$(cat <<EOF\n${B:-x}\nEOF\n)\"\n",
		"if [[ -n $X && ( $Y == z ) ]]; then f() { (( a = b ? 1 : 2 )); }; elif x; then :; else y; fi",
		"case $x in (a|b) echo ')' ;; *) `echo $(( 1 << 2 ))` ;; esac",
		"for ((i=0; i<3; i++)); do echo ${a[$i]#x} $'it\\'s' \"q\\\"\"; done # c (",
		"time { coproc c { ! a | b || d; }; }",
		"let a=b=c+1 x=2 && [[ ! ! a ]]",
		"diff <(sort a) >(tee b) <<-X\n\t$(x)\n\tX\n",
		"cat <<A <<'B'\n$(a)\nA\n$(\nB\n(z)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		est := ShellNesting(src)
		if len(src) > 4096 {
			return // the parser's own stack is at stake only in the estimate above
		}
		for _, lang := range []syntax.LangVariant{syntax.LangBash, syntax.LangZsh, syntax.LangPOSIX} {
			file, err := syntax.NewParser(syntax.Variant(lang)).Parse(strings.NewReader(src), "")
			if err != nil {
				continue
			}
			if got := astNesting(file); got > 2*est+4 {
				t.Fatalf("%s: the parser nests %d levels, the estimate is %d:\n%q", lang, got, est, src)
			}
		}
	})
}

func BenchmarkShellNesting(b *testing.B) {
	src := []byte(strings.Repeat("if [[ -f ~/.x ]]; then\n  export A=\"$(cat ~/.x)\" # (\nfi\nalias l='ls -l'\n", 10000))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		ShellNesting(src)
	}
}

// TestShellNestingBoundIsSafe parses text right at the bound: the parser
// must take it in its stride, or the bound is too high.
func TestShellNestingBoundIsSafe(t *testing.T) {
	n := MaxShellNesting / 2 // (( opens two levels per parenthesis pair
	src := "echo $((" + strings.Repeat("(", n-2) + "1" + strings.Repeat(")", n-2) + "))"
	if est := ShellNesting(src); est > MaxShellNesting {
		t.Fatalf("estimate %d", est)
	}
	src = strings.Repeat("(", MaxShellNesting-1) + "a" + strings.Repeat(")", MaxShellNesting-1)
	if est := ShellNesting(src); est != MaxShellNesting-1 {
		t.Fatalf("estimate %d, want %d", est, MaxShellNesting-1)
	}
	if _, err := syntax.NewParser().Parse(strings.NewReader(src), ""); err != nil {
		t.Fatal(err)
	}
}

func TestParseShell(t *testing.T) {
	p := syntax.NewParser()
	if f, err := ParseShell(p, "export A=1\n", "x"); err != nil || len(f.Stmts) != 1 {
		t.Errorf("plain text: %v", err)
	}
	if _, err := ParseShell(p, []byte("a=(\n"), "x"); err == nil || err == ErrTooDeep {
		t.Errorf("a syntax error comes from the parser: %v", err)
	}
	for name, src := range hostile(150_000) {
		if _, err := ParseShell(p, []byte(src), "x"); err != ErrTooDeep {
			t.Errorf("%s: %v, want ErrTooDeep", name, err)
		}
	}
}
