package sarif

import (
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strconv"
	"strings"
	"time"

	"github.com/gitdora/gitdora/fact"
	"github.com/go-json-experiment/json/jsontext"
)

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

func (r *reader) document() error {
	k, err := r.peek()
	if err != nil {
		return err
	}
	if k != '{' {
		return &Error{Path: "$", Msg: fmt.Sprintf("the document is %s, want a SARIF log (a JSON object with version and runs)", kindName(k))}
	}
	err = r.object(func(name string) error {
		switch name {
		case "version":
			k, err := r.peek()
			if err != nil {
				return err
			}
			if k != '"' {
				return &Error{Path: "$.version", Msg: fmt.Sprintf("version is %s, want \"2.1.0\"", kindName(k))}
			}
			tok, err := r.d.ReadToken()
			if err != nil {
				return err
			}
			r.version, r.sawVersion = tok.String(), true
			r.log.Version = r.version
			if !strings.HasPrefix(r.version, "2.") {
				return &Error{Path: "$.version", Msg: fmt.Sprintf("SARIF version %q is not supported, want \"2.1.0\" (convert older logs with the SARIF Multitool)", r.version)}
			}
			if r.version != "2.1.0" {
				r.note("version", "$.version", "version %q is not 2.1.0 (a pre-release of SARIF 2.1.0?); read as 2.1.0", r.version)
			}
			return nil
		case "runs":
			k, err := r.peek()
			if err != nil {
				return err
			}
			if k != '[' {
				return &Error{Path: "$.runs", Msg: fmt.Sprintf("runs is %s, want an array of runs", kindName(k))}
			}
			r.sawRuns = true
			return r.runs()
		}
		return r.d.SkipValue()
	})
	if err != nil {
		return err
	}
	if k := r.d.PeekKind(); k != 0 {
		return &Error{Path: "$", Offset: r.d.InputOffset(), Msg: "more JSON after the SARIF log object"}
	}
	if _, err := r.d.ReadToken(); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	if !r.sawVersion {
		return &Error{Path: "$.version", Msg: "version is missing, want \"2.1.0\""}
	}
	if !r.sawRuns {
		return &Error{Path: "$.runs", Msg: "runs is missing, want an array of runs"}
	}
	if r.log.Runs == 0 {
		r.note("noruns", "$.runs", "the log has no runs")
	}
	return nil
}

func (r *reader) runs() error {
	return r.array(func(i int) error {
		k, err := r.peek()
		if err != nil {
			return err
		}
		if k != '{' {
			return &Error{Path: fmt.Sprintf("$.runs[%d]", i), Msg: fmt.Sprintf("the run is %s, want an object", kindName(k))}
		}
		rs := &runState{index: i, bases: map[string]uriRef{}, deferredAt: -1}
		rs.run.Index = i
		if err := r.object(func(name string) error { return r.runMember(rs, name) }); err != nil {
			return err
		}
		if !rs.sawTool {
			return &Error{Path: fmt.Sprintf("$.runs[%d].tool", i), Msg: "the run has no tool object, want tool.driver.name"}
		}
		r.prepare(rs)
		r.log.Runs++
		if rs.deferredAt >= 0 {
			r.deferred = append(r.deferred, rs)
			return nil
		}
		return r.emit(rs)
	})
}

func (r *reader) runMember(rs *runState, name string) error {
	switch name {
	case "tool":
		k, err := r.peek()
		if err != nil {
			return err
		}
		if k != '{' {
			return &Error{Path: r.path(), Offset: r.d.InputOffset(), Msg: fmt.Sprintf("tool is %s, want an object with driver.name", kindName(k))}
		}
		rs.sawTool = true
		err = r.object(func(name string) error {
			switch name {
			case "driver":
				return r.objectOf("driver", "tool.driver", func(name string) error { return r.component(&rs.driver, name) })
			case "extensions":
				return r.arrayOf("extensions", "tool.extensions", func(int) error {
					rs.extensions = append(rs.extensions, component{})
					c := &rs.extensions[len(rs.extensions)-1]
					return r.objectOf("extension", "tool.extensions element", func(name string) error { return r.component(c, name) })
				})
			case "name":
				s, err := r.str("toolname", "tool.name")
				if s != "" {
					rs.legacyName = s
					r.notef("legacytool", "tool.name instead of tool.driver.name (a pre-2.1.0 log); tool.name used")
				}
				return err
			case "version", "semanticVersion":
				s, err := r.str("toolversion", "tool.version")
				if rs.driver.version == "" {
					rs.driver.version = s
				}
				return err
			}
			return r.d.SkipValue()
		})
		if rs.driver.name == "" {
			rs.driver.name = rs.legacyName
		}
		return err
	case "results":
		k, err := r.peek()
		if err != nil {
			return err
		}
		switch k {
		case '[':
		case 'n':
			r.notef("resultsnull", "results is null; read as absent (the tool could not determine its results)")
			return r.d.SkipValue()
		default:
			return &Error{Path: r.path(), Offset: r.d.InputOffset(), Msg: fmt.Sprintf("results is %s, want an array of results", kindName(k))}
		}
		rs.run.HasResults = true
		return r.array(func(i int) error {
			k, err := r.peek()
			if err != nil {
				return err
			}
			if k != '{' {
				return &Error{Path: fmt.Sprintf("$.runs[%d].results[%d]", rs.index, i), Offset: r.d.InputOffset(), Msg: fmt.Sprintf("the result is %s, want an object", kindName(k))}
			}
			rs.seq++
			if rs.deferredAt < 0 && r.o.Reopen != nil && rs.nraws >= bufferResults {
				rs.deferredAt, rs.raws, rs.nraws = rs.seq-1, nil, 0
			}
			if rs.deferredAt >= 0 {
				return r.d.SkipValue()
			}
			return r.result(rs.newRaw())
		})
	case "invocations":
		return r.arrayOf("invocations", "invocations", func(i int) error {
			return r.objectOf("invocation", "invocation", func(name string) error {
				switch name {
				case "startTimeUtc", "endTimeUtc":
					t, err := r.timeValue("invtime", name)
					if i == 0 && name == "startTimeUtc" {
						rs.run.Start = t
					} else if i == 0 {
						rs.run.End = t
					}
					return err
				case "ruleConfigurationOverrides":
					return r.arrayOf("overrides", "ruleConfigurationOverrides", func(int) error {
						var o override
						o.desc.index = -1
						err := r.objectOf("override", "ruleConfigurationOverride", func(name string) error {
							switch name {
							case "descriptor":
								return r.ref(&o.desc)
							case "configuration":
								return r.objectOf("configuration", "configuration", func(name string) error {
									if name == "level" {
										s, err := r.level("overridelevel")
										o.level = s
										return err
									}
									return r.d.SkipValue()
								})
							}
							return r.d.SkipValue()
						})
						if o.level != "" {
							rs.overrides = append(rs.overrides, o)
						}
						return err
					})
				}
				return r.d.SkipValue()
			})
		})
	case "automationDetails":
		return r.objectOf("automation", "automationDetails", func(name string) error {
			switch name {
			case "id":
				s, err := r.str("automationid", "automationDetails.id")
				rs.run.AutomationID = s
				return err
			case "guid", "correlationGuid":
				s, err := r.str("guid", "automationDetails."+name)
				if err == nil && s != "" && !isGUID(s) {
					r.notef("badguid", "automationDetails.%s %q is not a GUID (version 1-5, RFC 4122 variant)", name, s)
				}
				return err
			}
			return r.d.SkipValue()
		})
	case "originalUriBaseIds":
		return r.keyedOf("bases", "originalUriBaseIds", func(name string) error {
			u := uriRef{index: -1}
			if k, err := r.peek(); err != nil {
				return err
			} else if k == '"' {
				r.notef("basestring", "a base URI is a string (pre-2.1.0), want an object with uri; the string is used")
				s, err := r.str("base", "base URI")
				u.uri = s
				rs.bases[name] = u
				return err
			}
			err := r.uriObject(&u, "base")
			rs.bases[name] = u
			return err
		})
	case "artifacts":
		return r.arrayOf("artifacts", "artifacts", func(int) error {
			u := uriRef{index: -1}
			err := r.objectOf("artifact", "artifact", func(name string) error {
				if name == "location" {
					return r.uriObject(&u, "artifactlocation")
				}
				return r.d.SkipValue()
			})
			rs.artifacts = append(rs.artifacts, u)
			return err
		})
	case "taxonomies":
		return r.arrayOf("taxonomies", "taxonomies", func(int) error {
			rs.taxonomies = append(rs.taxonomies, component{})
			c := &rs.taxonomies[len(rs.taxonomies)-1]
			return r.objectOf("taxonomy", "taxonomy", func(name string) error { return r.component(c, name) })
		})
	case "files", "automationId", "automationLogicalId", "logicalId", "instanceGuid", "baselineInstanceGuid", "resources":
		r.notef("pre21"+name, "%s is a pre-2.1.0 member of a run; ignored", name)
	case "newlineSequences":
		seen := map[string]bool{}
		return r.arrayOf("newlines", "newlineSequences", func(int) error {
			s, err := r.str("newline", "newlineSequences element")
			if seen[s] {
				r.notef("newlinesdup", "newlineSequences lists %q twice (its elements must be unique)", s)
			}
			seen[s] = true
			return err
		})
	}
	return r.d.SkipValue()
}

// uriObject reads an artifactLocation: uri, uriBaseId, index.
func (r *reader) uriObject(u *uriRef, key string) error {
	return r.objectOf(key, "artifact location", func(name string) error {
		switch name {
		case "uri":
			s, err := r.istr("uri", "uri")
			u.uri = s
			return err
		case "uriBaseId":
			s, err := r.istr("uribaseid", "uriBaseId")
			u.base = s
			return err
		case "index":
			v, ok, err := r.integer("artifactindex", "artifact index")
			if ok {
				u.index = int(v)
			}
			return err
		}
		return r.d.SkipValue()
	})
}

// component reads a member of a toolComponent (driver, extension, taxonomy).
func (r *reader) component(c *component, name string) error {
	switch name {
	case "name":
		s, err := r.str("componentname", "tool component name")
		c.name = s
		return err
	case "guid":
		s, err := r.str("guid", "guid")
		c.guid = s
		return err
	case "version", "semanticVersion":
		s, err := r.str("componentversion", "tool component "+name)
		if c.version == "" || name == "version" {
			c.version = s
		}
		return err
	case "rules":
		return r.arrayOf("rules", "rules", func(int) error {
			c.rules = append(c.rules, rule{})
			ru := &c.rules[len(c.rules)-1]
			return r.objectOf("rule", "rule", func(name string) error { return r.ruleMember(ru, name) })
		})
	case "taxa":
		return r.arrayOf("taxa", "taxa", func(int) error {
			var id string
			err := r.objectOf("taxon", "taxon", func(name string) error {
				if name == "id" {
					s, err := r.str("taxonid", "taxon id")
					id = s
					return err
				}
				return r.d.SkipValue()
			})
			c.taxa = append(c.taxa, id)
			return err
		})
	}
	return r.d.SkipValue()
}

func (r *reader) ruleMember(ru *rule, name string) error {
	switch name {
	case "id":
		s, err := r.istr("ruleid", "rule id")
		ru.id = s
		return err
	case "defaultConfiguration":
		return r.objectOf("defaultconfig", "defaultConfiguration", func(name string) error {
			if name == "level" {
				s, err := r.level("rulelevel")
				ru.level = s
				return err
			}
			return r.d.SkipValue()
		})
	case "properties":
		return r.properties(&ru.cwes, &ru.sev)
	case "relationships":
		return r.arrayOf("relationships", "relationships", func(int) error {
			return r.objectOf("relationship", "relationship", func(name string) error {
				if name == "target" {
					t := ref{index: -1}
					err := r.ref(&t)
					ru.rels = append(ru.rels, t)
					return err
				}
				return r.d.SkipValue()
			})
		})
	}
	return r.d.SkipValue()
}

// properties reads a property bag for its tags (CWEs) and security-severity.
func (r *reader) properties(cwes *[]string, sev *secSev) error {
	return r.objectOf("properties", "properties", func(name string) error {
		switch name {
		case "tags":
			return r.stringList("tags", "tags", func(s string) {
				*cwes = addCWE(*cwes, cweOf(s))
			})
		case "security-severity":
			return r.score("securityseverity", sev)
		}
		return r.d.SkipValue()
	})
}

// ref reads a reportingDescriptorReference.
func (r *reader) ref(t *ref) error {
	return r.objectOf("ref", "reference", func(name string) error {
		switch name {
		case "id":
			s, err := r.istr("refid", "reference id")
			t.id = s
			return err
		case "index":
			v, ok, err := r.integer("refindex", "reference index")
			if ok {
				t.index = int(v)
			}
			return err
		case "toolComponent":
			t.comp = compRef{set: true, index: -1}
			return r.objectOf("toolcomponent", "toolComponent", func(name string) error {
				switch name {
				case "index":
					v, ok, err := r.integer("refindex", "toolComponent index")
					if ok {
						t.comp.index = int(v)
					}
					return err
				case "name":
					s, err := r.str("componentname", "toolComponent name")
					t.comp.name = s
					return err
				case "guid":
					s, err := r.str("guid", "toolComponent guid")
					t.comp.guid = s
					return err
				}
				return r.d.SkipValue()
			})
		}
		return r.d.SkipValue()
	})
}

// result reads one result object into x.
func (r *reader) result(x *raw) error {
	hasMessage := false
	err := r.object(func(name string) error {
		switch name {
		case "ruleId":
			s, err := r.istr("ruleid", "ruleId")
			x.ruleID = s
			return err
		case "ruleIndex":
			v, ok, err := r.integer("ruleindex", "ruleIndex")
			if ok {
				x.ruleIndex = int(v)
			}
			return err
		case "rule":
			return r.ref(&x.rule)
		case "kind":
			s, err := r.istr("kind", "kind")
			x.kind = s
			return err
		case "level":
			s, err := r.istr("level", "level")
			x.level = s
			return err
		case "message":
			hasMessage = true
			return r.message(&x.message)
		case "fixes":
			return r.arrayOf("fixes", "fixes", func(int) error {
				return r.objectOf("fix", "fix", func(name string) error {
					if name == "artifactChanges" {
						k, err := r.peek()
						if err != nil {
							return err
						}
						if k != '[' {
							r.notef("artifactchanges", "fixes[].artifactChanges is %s, want an array; the fix is ignored", kindName(k))
						}
					}
					return r.d.SkipValue()
				})
			})
		case "locations":
			return r.arrayOf("locations", "locations", func(i int) error {
				if i > 0 {
					return r.d.SkipValue()
				}
				return r.objectOf("location", "location", func(name string) error {
					if name == "physicalLocation" {
						return r.physical(x)
					}
					return r.d.SkipValue()
				})
			})
		case "partialFingerprints":
			return r.fingerprints(x, true)
		case "fingerprints":
			return r.fingerprints(x, false)
		case "suppressions":
			return r.arrayOf("suppressions", "suppressions", func(int) error {
				status := ""
				err := r.objectOf("suppression", "suppression", func(name string) error {
					if name == "status" {
						s, err := r.str("status", "suppression status")
						status = s
						return err
					}
					return r.d.SkipValue()
				})
				if status == "" || status == "accepted" {
					x.suppressed = true
				}
				return err
			})
		case "baselineState":
			s, err := r.istr("baseline", "baselineState")
			x.baseline = s
			switch s {
			case "", "new", "unchanged", "updated", "absent":
			default:
				r.notef("baselineenum", "baselineState %q is not new, unchanged, updated or absent; ignored", s)
			}
			return err
		case "properties":
			return r.properties(&x.cwes, &x.sev)
		case "taxa":
			return r.arrayOf("resulttaxa", "taxa", func(int) error {
				t := ref{index: -1}
				err := r.ref(&t)
				x.taxa = append(x.taxa, t)
				return err
			})
		}
		return r.d.SkipValue()
	})
	if err == nil && !hasMessage {
		r.notef("nomessage", "a result has no message (required)")
	}
	return err
}

// message reads a message: its text, else its id and arguments.
func (r *reader) message(dst *string) error {
	k, err := r.peek()
	if err != nil {
		return err
	}
	if k == '"' {
		s, err := r.str("message", "message")
		r.notef("messagestring", "message is a string, want an object with text; the string is used")
		*dst = s
		return err
	}
	var text, id string
	var args []string
	err = r.objectOf("message", "message", func(name string) error {
		switch name {
		case "text":
			s, err := r.str("messagetext", "message text")
			text = s
			return err
		case "id":
			s, err := r.str("messageid", "message id")
			id = s
			return err
		case "arguments":
			return r.stringList("arguments", "message arguments", func(s string) { args = append(args, s) })
		}
		return r.d.SkipValue()
	})
	switch {
	case text != "":
		*dst = text
	case id != "":
		*dst = strings.Join(append([]string{id}, args...), " ")
	}
	return err
}

// physical reads the primary location's physicalLocation.
func (r *reader) physical(x *raw) error {
	return r.objectOf("physical", "physicalLocation", func(name string) error {
		switch name {
		case "artifactLocation":
			return r.uriObject(&x.loc, "artifactlocation")
		case "fileLocation":
			r.notef("filelocation", "fileLocation is a pre-2.1.0 member (artifactLocation in 2.1.0); read as artifactLocation")
			return r.uriObject(&x.loc, "artifactlocation")
		case "region":
			members := 0
			err := r.objectOf("region", "region", func(name string) error {
				members++
				switch name {
				case "startLine":
					v, ok, err := r.integer("startline", "startLine")
					if ok && v < 1 {
						r.notef("startline0", "startLine %d (lines start at 1); read as unknown", v)
					} else if ok && v < 1<<31 {
						x.line = int(v)
					}
					return err
				case "snippet":
					return r.objectOf("snippet", "snippet", func(name string) error {
						if name == "text" {
							s, err := r.str("snippettext", "snippet text")
							if s = strings.TrimSpace(s); s != "" {
								x.snippet, x.hasSnippet = fnv64(s), true
							}
							return err
						}
						return r.d.SkipValue()
					})
				}
				return r.d.SkipValue()
			})
			if err == nil && members == 0 {
				r.notef("emptyregion", "a region is empty (want startLine, charOffset or byteOffset)")
			}
			return err
		}
		return r.d.SkipValue()
	})
}

// fingerprints reads partialFingerprints (partial) or fingerprints and
// keeps the best candidate for the identity (docs/metrics.md, "Findings"): the
// primaryLocationLineHash, else a fingerprints value, else another partial
// fingerprint (column fingerprints last); ties go to the smallest key.
func (r *reader) fingerprints(x *raw, partial bool) error {
	return r.keyedOf("fingerprints", "fingerprints", func(key string) error {
		v, err := r.fingerprintValue()
		if err != nil || v == "" {
			return err
		}
		rank := 1
		if partial {
			switch {
			case key == "primaryLocationLineHash":
				rank = 0
			case strings.Contains(strings.ToLower(key), "column"):
				rank = 3
			default:
				rank = 2
			}
		}
		if rank < x.fpRank || rank == x.fpRank && key < x.fpKey {
			x.fp, x.fpKey, x.fpRank = v, key, rank
		}
		return nil
	})
}

// fingerprintValue reads one fingerprint: a string, or (as some tools
// write) an object whose value member holds it.
func (r *reader) fingerprintValue() (string, error) {
	k, err := r.peek()
	if err != nil {
		return "", err
	}
	switch k {
	case '"':
		tok, err := r.d.ReadToken()
		return tok.String(), err
	case '{':
		r.notef("fpobject", "a fingerprint is an object, want a string; its value member is used")
		v := ""
		err := r.object(func(name string) error {
			if name == "value" {
				s, err := r.str("fpvalue", "fingerprint value")
				v = s
				return err
			}
			return r.d.SkipValue()
		})
		if v == "" {
			r.notef("fpnovalue", "a fingerprint object has no string value member; ignored")
		}
		return v, err
	case '0', 't', 'f':
		return r.str("fpnumber", "a fingerprint")
	}
	if k != 'n' {
		r.notef("fpkind", "a fingerprint is %s, want a string; ignored", kindName(jsontext.Kind(k)))
	}
	return "", r.d.SkipValue()
}

// prepare completes a run's own fields once all its members are read, and
// makes the resolver of its results.
func (r *reader) prepare(rs *runState) {
	run := &rs.run
	run.Tool = rs.driver.name
	run.ToolVersion = rs.driver.version
	if run.Tool == "" {
		r.note("notool", fmt.Sprintf("$.runs[%d].tool.driver.name", rs.index), "the tool has no name")
	}
	id := strings.ToLower(run.AutomationID)
	run.Incremental = strings.Contains(id, "incremental")
	if !run.Start.IsZero() && !run.End.IsZero() && run.End.Before(run.Start) {
		r.note("invorder", fmt.Sprintf("$.runs[%d].invocations[0]", rs.index), "endTimeUtc is before startTimeUtc; the scan duration is unknown")
		run.Start = time.Time{}
	}
	rs.res = newResolver(r, rs)
	for _, a := range rs.artifacts {
		if u := rs.res.uri(a, 0); u != "" {
			run.Artifacts = append(run.Artifacts, u)
		}
	}
	if !run.HasResults {
		r.note("noresults", fmt.Sprintf("$.runs[%d]", rs.index), "the run has no results array (the tool may not have run); it fixes no finding")
	}
	rs.seen, rs.seenHash = dedup{newCounts(rs.seq)}, newCounts(rs.seq)
	run.Count = rs.seq
}

// resolveOne resolves result i of a run into out.
func (r *reader) resolveOne(rs *runState, x *raw, out *Result, i int) {
	rs.res.result(x, out, i)
	if x.fp == "" {
		out.Fingerprint = fact.Hash{Sum: out.ContentHash.Sum}.String()
	}
	out.Fingerprint = rs.seen.give(out.RuleID, out.Fingerprint)
	out.ContentHash.N = rs.seenHash.add(out.ContentHash.Sum) + 1
}

// add passes one resolved result on: into the current batch of
// Options.Results, else into the run's Results.
func (r *reader) add(rs *runState, x *raw, i int) error {
	var out *Result
	if r.o.Results != nil {
		if rs.batch == nil {
			rs.batch = make([]Result, 0, batchSize)
		}
		rs.batch = append(rs.batch, Result{})
		out = &rs.batch[len(rs.batch)-1]
	} else {
		rs.run.Results = append(rs.run.Results, Result{})
		out = &rs.run.Results[len(rs.run.Results)-1]
	}
	r.resolveOne(rs, x, out, i)
	r.log.Results++
	if len(rs.batch) == batchSize {
		return r.flush(rs)
	}
	return nil
}

// flush hands the current batch to Options.Results.
func (r *reader) flush(rs *runState) error {
	if len(rs.batch) == 0 {
		return nil
	}
	err := r.o.Results(&rs.run, rs.batch)
	rs.batch = rs.batch[:0]
	return err
}

// emit resolves a run's buffered results, passes them on, then the run.
func (r *reader) emit(rs *runState) error {
	if r.o.Results == nil {
		rs.run.Results = make([]Result, 0, rs.nraws)
	}
	i := 0
	for ci, chunk := range rs.raws {
		for j := range chunk {
			if err := r.add(rs, &chunk[j], i); err != nil {
				return err
			}
			i++
		}
		rs.raws[ci] = nil // let the chunk go as soon as its results are made
	}
	rs.raws = nil
	if err := r.flush(rs); err != nil {
		return err
	}
	if r.each != nil {
		return r.each(&rs.run)
	}
	return nil
}

// second reads the input again for the runs whose results were too many
// to buffer: their context is known now, so each result is resolved as
// it streams. Notes already made in the first pass are not made again.
func (r *reader) second() error {
	rc, err := r.o.Reopen()
	if err != nil {
		return fmt.Errorf("read again: %w", err)
	}
	defer rc.Close()
	in, err := r.input(rc, false)
	if err != nil {
		return err
	}
	r.d = jsontext.NewDecoder(in, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	byIndex := map[int]*runState{}
	for _, rs := range r.deferred {
		byIndex[rs.index] = rs
		if r.o.Results == nil {
			rs.run.Results = nil
		}
	}
	err = r.object(func(name string) error {
		if name != "runs" {
			return r.d.SkipValue()
		}
		return r.array(func(i int) error {
			rs := byIndex[i]
			if rs == nil {
				return r.d.SkipValue()
			}
			seq := 0
			return r.object(func(name string) error {
				if name != "results" {
					return r.d.SkipValue()
				}
				return r.array(func(int) error {
					var x raw
					x.ruleIndex, x.rule.index, x.loc.index, x.fpRank = -1, -1, -1, 9
					r.mute = seq < rs.deferredAt
					err := r.result(&x)
					r.mute = false
					if err != nil {
						return err
					}
					seq++
					return r.add(rs, &x, seq-1)
				})
			})
		})
	})
	if err != nil {
		return err
	}
	for _, rs := range r.deferred {
		if err := r.flush(rs); err != nil {
			return err
		}
		if r.each != nil {
			if err := r.each(&rs.run); err != nil {
				return err
			}
		}
	}
	return nil
}

// dedup gives identities their :2, :3 … suffixes within a run. It keys
// by a 64-bit hash of rule id and fingerprint, so that a run of half a
// million results costs megabytes, not tens of them.
type dedup struct{ counts }

// give returns fp, or fp with :n appended for its n-th use in the run
// (skipping a suffix that a tool's own fingerprint already took).
func (d dedup) give(ruleID, fp string) string {
	n := d.add(pairHash(ruleID, fp))
	if n == 0 {
		return fp
	}
	for i := n + 1; ; i++ {
		cand := fp + ":" + strconv.FormatUint(uint64(i), 10)
		if ck := pairHash(ruleID, cand); !d.has(ck) {
			d.add(ck)
			return cand
		}
	}
}

// counts counts the uses of 64-bit keys. Most keys are used once: they
// cost a slot in an open-addressing set (8 bytes, at most three quarters
// full; a Go map takes about 30 bytes a key), the others a count beside
// it as well.
type counts struct {
	set  *set64
	more map[uint64]uint32 // uses after the first
}

func newCounts(n int) counts { return counts{set: newSet64(n), more: map[uint64]uint32{}} }

// add counts a use of k and returns how many there were before.
func (c counts) add(k uint64) uint32 {
	if c.set.add(k) {
		return 0
	}
	n := c.more[k] + 1
	c.more[k] = n
	return n
}

// has reports whether k was used.
func (c counts) has(k uint64) bool { return c.set.has(k) }

// set64 is a set of 64-bit keys: open addressing with linear probing,
// 0 marking an empty slot (the key 0 is kept aside).
type set64 struct {
	slots []uint64 // a power of two
	n     int
	zero  bool
}

func newSet64(n int) *set64 {
	size := 16
	for size*3/4 < n {
		size *= 2
	}
	return &set64{slots: make([]uint64, size)}
}

// slot is where the search for k starts (Fibonacci hashing).
func (s *set64) slot(k uint64) int {
	return int((k * 0x9e3779b97f4a7c15) >> (64 - bits.TrailingZeros(uint(len(s.slots)))))
}

// add puts k in the set and reports whether it was new.
func (s *set64) add(k uint64) bool {
	if k == 0 {
		was := s.zero
		s.zero = true
		return !was
	}
	if (s.n+1)*4 > len(s.slots)*3 {
		s.grow()
	}
	i, ok := s.find(k)
	if !ok {
		s.slots[i] = k
		s.n++
	}
	return !ok
}

// has reports whether k is in the set.
func (s *set64) has(k uint64) bool {
	if k == 0 {
		return s.zero
	}
	_, ok := s.find(k)
	return ok
}

// find returns the slot of k (k ≠ 0) and whether it holds k, else the
// empty slot where k would go.
func (s *set64) find(k uint64) (int, bool) {
	mask := len(s.slots) - 1
	for i := s.slot(k); ; i = (i + 1) & mask {
		switch s.slots[i] {
		case k:
			return i, true
		case 0:
			return i, false
		}
	}
}

func (s *set64) grow() {
	old := s.slots
	s.slots, s.n = make([]uint64, 2*len(old)), 0
	for _, k := range old {
		if k != 0 {
			s.add(k)
		}
	}
}

// isGUID checks the GUID pattern of the SARIF schema.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'):
			return false
		}
	}
	return s[14] >= '1' && s[14] <= '5' && strings.ContainsRune("89abAB", rune(s[19]))
}
