package sarif

// runState is what a run's members say until the run ends: components
// with their rules, base URIs, artifacts, and the compact results.
type runState struct {
	index      int
	run        Run
	driver     component
	legacyName string // pre-2.1.0 tool.name
	extensions []component
	taxonomies []component
	bases      map[string]uriRef // originalUriBaseIds
	artifacts  []uriRef
	overrides  []override // invocations[].ruleConfigurationOverrides
	raws       [][]raw    // in chunks, so that a large run is never copied to grow
	nraws      int
	sawTool    bool

	seq        int // results met so far (over all results arrays)
	deferredAt int // index of the first result not buffered (read again in a second pass), -1
	res        *resolver
	seen       dedup  // identities given so far
	seenHash   counts // content hash sums given so far
	batch      []Result
}

// bufferResults is how many results of a run are buffered before a run
// that can be read again is left to a second pass.
var bufferResults = 65536

// batchSize is how many results Options.Results receives at a time.
const batchSize = 4096

// newRaw appends a fresh compact result.
func (rs *runState) newRaw() *raw {
	if len(rs.raws) == 0 || len(rs.raws[len(rs.raws)-1]) == cap(rs.raws[len(rs.raws)-1]) {
		size := 1024
		if len(rs.raws) < 6 {
			size = 16 << len(rs.raws) // small runs stay small
		}
		rs.raws = append(rs.raws, make([]raw, 0, size))
	}
	c := &rs.raws[len(rs.raws)-1]
	*c = append(*c, raw{ruleIndex: -1, rule: ref{index: -1}, loc: uriRef{index: -1}, fpRank: 9})
	rs.nraws++
	return &(*c)[len(*c)-1]
}

type component struct {
	name, guid, version string
	rules               []rule
	byID                map[string]int
	taxa                []string // taxa ids (taxonomies)
}

type rule struct {
	id    string
	level string
	sev   secSev
	cwes  []string // from its tags, in order
	rels  []ref    // relationships[].target
}

// ref is a reportingDescriptorReference.
type ref struct {
	id    string
	index int // -1 when absent
	comp  compRef
}

// compRef is a toolComponentReference.
type compRef struct {
	set        bool
	index      int // -1 when absent
	name, guid string
}

// uriRef is an artifactLocation (or a base URI).
type uriRef struct {
	uri, base string
	index     int // artifact index, -1 when absent
}

type override struct {
	desc  ref
	level string
}

// raw is a result as read, before the run's rules and bases are known.
type raw struct {
	ruleID     string
	ruleIndex  int
	rule       ref
	kind       string
	level      string
	sev        secSev
	cwes       []string // from its tags, in order
	taxa       []ref
	loc        uriRef
	line       int
	snippet    uint64 // FNV-1a of the trimmed snippet text
	hasSnippet bool
	message    string
	fp         string
	fpKey      string // key of fp: ranks candidates
	fpRank     int    // 0 primaryLocationLineHash, 1 fingerprints, 2 other partialFingerprints, 3 column fingerprints; 9 none
	suppressed bool
	baseline   string
}
