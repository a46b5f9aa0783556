package sarif

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

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
