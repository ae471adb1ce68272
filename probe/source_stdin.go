package probe

// The stdin source: a key given with --key-stdin or pasted in the wizard,
// tested instead of the environment's.

// stdinSource yields the key given on stdin, if any.
type stdinSource struct{}

func (stdinSource) Name() string { return string(OriginStdin) }

func (stdinSource) Find(d *discovery) []Candidate {
	if !d.env.HasStdinKey {
		return nil
	}
	src := d.env.StdinSource
	if src == "" {
		src = "stdin"
	}
	return []Candidate{finish(Candidate{Source: src, Origin: OriginStdin, Value: d.env.StdinKey, Raw: d.env.StdinKey})}
}
