package sarif

import (
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

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
					switch {
					case ok && v < 1:
						r.notef("startline0", "startLine %d (lines start at 1); read as unknown", v)
					case ok && v >= 1<<31:
						r.notef("startlinebig", "startLine %d (more than 2^31 lines); read as unknown", v)
					case ok:
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
