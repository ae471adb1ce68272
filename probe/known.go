package probe

import "strings"

// known is what a Redactor has learnt from the secrets it was given, built
// once per change and then only read: an automaton that finds every whole
// secret in one pass (Aho–Corasick), and the set of every MinPiece-byte
// window of their key material. Masking a text costs one pass for each,
// however many secrets there are.
type known struct {
	secrets []string
	repl    []string // what each whole secret becomes
	ac      automaton
	grams   map[uint64]struct{}
}

// minSecret is the shortest secret a Redactor takes: a shorter one cannot
// be told apart from ordinary text.
const minSecret = 4

// redactedMark stands in for a secret that has no hint to show.
const redactedMark = "[redacted]"

func buildKnown(secrets []string) *known {
	k := &known{secrets: secrets, repl: make([]string, len(secrets)), grams: map[uint64]struct{}{}}
	for i, s := range secrets {
		k.repl[i] = redactedMark
		if keyAntPrefix(s) != "" || otherKey.FindString(s) == s {
			k.repl[i] = Hint(s)
		}
		body := secretBody(s)
		for j := 0; j+MinPiece <= len(body); j++ {
			if w := body[j : j+MinPiece]; allPieceBytes(w) {
				k.grams[gram(w)] = struct{}{}
			}
		}
	}
	k.ac = newAutomaton(secrets)
	return k
}

// mask masks every whole secret, then every run of their pieces.
func (k *known) mask(s string) string {
	if k == nil || len(k.secrets) == 0 {
		return s
	}
	return k.maskPieces(k.maskWhole(s))
}

// maskWhole replaces each whole secret in s: a key by its hint, anything
// else by a marker. A secret shorter than MinPiece counts only as a word of
// its own (no letter, digit, '-' or '_' on either side), so a short
// password does not mask every longer word that holds it.
func (k *known) maskWhole(s string) string {
	type run struct{ start, end, secret int } // secret -1: several overlap
	var runs []run
	add := func(start, end, secret int) {
		// Runs arrive by their end; a new one may swallow earlier ones.
		for len(runs) > 0 && runs[len(runs)-1].end > start {
			last := runs[len(runs)-1]
			runs = runs[:len(runs)-1]
			if last.start < start {
				start, secret = last.start, -1
			}
		}
		runs = append(runs, run{start, end, secret})
	}
	a := &k.ac
	st := int32(0)
	for j := 0; j < len(s); j++ {
		st = a.step(st, s[j])
		for x := st; x != 0; x = a.dict[x] {
			id := a.own[x] - 1
			if id < 0 {
				continue
			}
			n := len(k.secrets[id])
			start := j + 1 - n
			if n < MinPiece && (start > 0 && keyByte(s[start-1]) || j+1 < len(s) && keyByte(s[j+1])) {
				continue
			}
			add(start, j+1, int(id))
			break // the longest secret ending here covers the shorter ones
		}
	}
	if len(runs) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, r := range runs {
		b.WriteString(s[last:r.start])
		if r.secret >= 0 {
			b.WriteString(k.repl[r.secret])
		} else {
			b.WriteString(redactedMark)
		}
		last = r.end
	}
	b.WriteString(s[last:])
	return b.String()
}

// maskPieces replaces every run of text made of MinPiece-byte windows of
// the secrets' key material, when the run looks like key material itself
// (see keyLike).
func (k *known) maskPieces(s string) string {
	if len(k.grams) == 0 || len(s) < MinPiece {
		return s
	}
	var b strings.Builder
	last, start, end := 0, -1, -1
	flush := func() {
		if start >= 0 && keyLike(s[start:end]) {
			b.WriteString(s[last:start])
			b.WriteString(redactedMark)
			last = end
		}
		start, end = -1, -1
	}
	for i := 0; i+MinPiece <= len(s); i++ {
		// A window with a byte that no key material holds matches nothing:
		// jump past that byte.
		if j := badPieceByte(s[i : i+MinPiece]); j >= 0 {
			i += j
			continue
		}
		if _, ok := k.grams[gram(s[i:i+MinPiece])]; !ok {
			continue
		}
		if i >= end {
			flush()
			start = i
		}
		end = i + MinPiece
	}
	flush()
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// keyLike reports whether a run of a secret's characters found in a text
// looks like key material, and so is masked: it holds a digit, or an
// upper-case letter after its first character together with a lower-case
// one.
//
// Why this test, and not a run bounded by characters that cannot belong to
// a key: a window of MinPiece characters of a random key (64 symbols) has
// neither a digit nor a case change inside it about once in 250, so nearly
// every echo is caught, also when the server glues it to other characters
// ("AbCdEfGhXXXX", a key in a path). Words, identifiers and placeholders
// that a secret may share with fix401's own text have neither: "Anthropic",
// "ANTHROPIC_API_KEY", "x-api-key", "your-api-key-here", "xxxxxxxx" — and a
// .env.example full of placeholders, a password made of words or a raw
// value with a comment would otherwise mask them all over the report.
// Requiring a boundary would not stop those (they are words of their own)
// and would let glued echoes through.
func keyLike(run string) bool {
	upper, lower := false, false
	for i := 0; i < len(run); i++ {
		switch c := run[i]; {
		case c >= '0' && c <= '9':
			return true
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z' && i > 0:
			upper = true
		}
	}
	return upper && lower
}

// pieceByte reports whether b can be part of a key's material: the
// alphabets of Anthropic keys, base64 (standard and URL-safe) and JWTs.
func pieceByte(b byte) bool {
	return keyByte(b) || b == '.' || b == '+' || b == '/' || b == '=' || b == '~'
}

func allPieceBytes(w string) bool { return badPieceByte(w) < 0 }

// badPieceByte returns the index of the last byte of w that is not a
// pieceByte, or -1.
func badPieceByte(w string) int {
	for j := len(w) - 1; j >= 0; j-- {
		if !pieceByte(w[j]) {
			return j
		}
	}
	return -1
}

// gram packs a MinPiece-byte window into a map key.
func gram(w string) uint64 {
	_ = w[7]
	return uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
		uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
}

// automaton is an Aho–Corasick automaton over a list of strings. State 0
// is the root.
type automaton struct {
	root [256]int32       // transitions out of the root; 0 stays there
	next map[uint64]int32 // state<<8 | byte → state, for the other states
	fail []int32
	own  []int32 // 1 + the index of the string that ends at a state, or 0
	dict []int32 // the next state on the fail chain where a string ends, or 0
}

func newAutomaton(words []string) automaton {
	a := automaton{next: map[uint64]int32{}, fail: []int32{0}, own: []int32{0}}
	var children [][]int32 // children of each state, to walk the trie breadth first
	children = append(children, nil)
	for i, w := range words {
		st := int32(0)
		for j := 0; j < len(w); j++ {
			nx := a.child(st, w[j])
			if nx == 0 {
				nx = int32(len(a.fail))
				a.fail, a.own = append(a.fail, 0), append(a.own, 0)
				children = append(children, nil)
				children[st] = append(children[st], nx)
				if st == 0 {
					a.root[w[j]] = nx
				} else {
					a.next[uint64(st)<<8|uint64(w[j])] = nx
				}
			}
			st = nx
		}
		if a.own[st] == 0 {
			a.own[st] = int32(i) + 1
		}
	}
	a.dict = make([]int32, len(a.fail))
	// The byte that leads into each state, to follow fail links.
	in := make([]byte, len(a.fail))
	for c, st := range a.root {
		in[st] = byte(c)
	}
	for k, st := range a.next {
		in[st] = byte(k)
	}
	// Breadth first: a state's fail link is shorter than the state, so it
	// is complete before the state's children need it. The root's
	// children fail to the root.
	queue := append([]int32(nil), children[0]...)
	for i := 0; i < len(queue); i++ {
		st := queue[i]
		for _, ch := range children[st] {
			if st != 0 {
				a.fail[ch] = a.step(a.fail[st], in[ch])
			}
			if f := a.fail[ch]; a.own[f] != 0 {
				a.dict[ch] = f
			} else {
				a.dict[ch] = a.dict[f]
			}
			queue = append(queue, ch)
		}
	}
	return a
}

// child is the trie edge from st on c, or 0.
func (a *automaton) child(st int32, c byte) int32 {
	if st == 0 {
		return a.root[c]
	}
	return a.next[uint64(st)<<8|uint64(c)]
}

// step follows c from st, through fail links where st has no edge.
func (a *automaton) step(st int32, c byte) int32 {
	for st != 0 {
		if nx, ok := a.next[uint64(st)<<8|uint64(c)]; ok {
			return nx
		}
		st = a.fail[st]
	}
	return a.root[c]
}
