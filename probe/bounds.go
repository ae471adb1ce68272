package probe

// Bounds on what Discover reads and computes. Each keeps a broken or
// hostile file from costing more than a few MiB, a noticeable time, or a
// crash. Past a bound a file is read in part or not at all, or a
// candidate is reported as not evaluated, always with a note saying so
// (FileNote, or the candidate's IssueUnresolved detail). The nesting of
// shell text is bounded by bounds.MaxShellNesting.
const (
	// MaxKeyFile is how many bytes of one file Discover reads: the rest
	// of a larger file is ignored, cut at the last whole line.
	MaxKeyFile = 1 << 20

	// MaxFileCandidates is how many candidates one file yields; the scan
	// of a file stops at the bound.
	MaxFileCandidates = 100

	// MaxCandidates is how many candidates Discover returns in all; the
	// sources read last (shell files, then Claude Code's settings) lose
	// theirs first.
	MaxCandidates = 500

	// MaxValue is the longest value, in bytes, that Discover computes by
	// expanding variables (A=${B}${B} in a .env or a shell file). A key
	// or token is well under 1 KiB; a longer expansion is not computed.
	MaxValue = 4 << 10

	// MaxExpansionDepth is how long a chain of variables one value may
	// read through (A=${B}, B=${C}, …) before it is not computed.
	MaxExpansionDepth = 16

	// MaxExpandedTotal is how many bytes the expansions of one file may
	// add to it in all; past it, further expanding values are not
	// computed.
	MaxExpandedTotal = 256 << 10

	// MaxFishConfD is how many files of ~/.config/fish/conf.d are read.
	MaxFishConfD = 50
)
