// Package yamledit reads and changes one value of a YAML file by a dotted
// key (deploy.tag_pattern, severity.overrides.go/sql-injection,
// alerts.0.for), keeping the rest of the file as it was: comments, blank
// lines, quoting and order. It edits the file's yaml.Node tree and, where
// it can, writes only the changed text; the result always parses to the
// edited tree.
//
// A second document, the defaults, gives the shape of keys the file leaves
// out: setting deploy.workflow in a file without deploy: adds the
// section, and a path through a list only the defaults have (alerts)
// copies that list first, since a list in the file replaces the default.
package yamledit

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// ErrNotFound is a key neither the file nor the defaults have.
var ErrNotFound = errors.New("no such key")

// parse reads a document; an empty one is an empty mapping.
func parse(b []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	if doc.Kind == 0 {
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map"}}}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("the file is not a YAML mapping")
	}
	return &doc, nil
}

// lookup returns the value of key in mapping m, and its key node.
func lookup(m *yaml.Node, key string) (k, v *yaml.Node) {
	m = Deref(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// step is one part of a resolved key: a mapping key or a list index.
type step struct {
	key   string
	index int // -1 for a mapping key
}

// breaksKey reports whether r may not be in a key: a control character or
// a character YAML may read as a line break (a key with a tab and a line
// break was written as a block that yaml.v3 cannot read back).
func breaksKey(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\ufeff'
}

// resolve splits a dotted key into steps, against the file's tree and the
// defaults' together: at a mapping, the longest run of parts that names a
// key of either is one key (rule ids hold dots); a run naming none is a
// new key made of all the parts left.
func resolve(file, defs *yaml.Node, key string) ([]step, error) {
	if key == "" || strings.HasPrefix(key, ".") || strings.HasSuffix(key, ".") || strings.Contains(key, "..") {
		return nil, fmt.Errorf("%q: want a dotted key such as deploy.tag_pattern", key)
	}
	if !utf8.ValidString(key) || strings.ContainsFunc(key, breaksKey) {
		return nil, fmt.Errorf("%q: a key is text on one line, without control characters", key)
	}
	parts := strings.Split(key, ".")
	var out []step
	f, d := file, defs
	for len(parts) > 0 {
		f, d = Deref(f), Deref(d)
		seq := f
		if seq == nil || seq.Kind != yaml.SequenceNode {
			seq = d
		}
		if seq != nil && seq.Kind == yaml.SequenceNode {
			i, err := strconv.Atoi(parts[0])
			if err != nil || i < 0 || i >= len(seq.Content) {
				return nil, fmt.Errorf("%q: %s is a list of %d; want an index from 0 to %d", key, strings.Join(partsOf(out), "."), len(seq.Content), len(seq.Content)-1)
			}
			out = append(out, step{index: i})
			f, d = item(f, i), item(d, i)
			parts = parts[1:]
			continue
		}
		n := 0
		for k := len(parts); k >= 1 && n == 0; k-- {
			name := strings.Join(parts[:k], ".")
			if _, v := lookup(f, name); v != nil {
				n = k
			} else if _, v := lookup(d, name); v != nil {
				n = k
			}
		}
		if n == 0 {
			n = len(parts)
		}
		name := strings.Join(parts[:n], ".")
		out = append(out, step{key: name, index: -1})
		_, fv := lookup(f, name)
		_, dv := lookup(d, name)
		f, d = fv, dv
		parts = parts[n:]
		if len(parts) > 0 && f == nil && d == nil {
			return nil, fmt.Errorf("%q: %w", key, ErrNotFound)
		}
		if len(parts) > 0 && (f != nil && Deref(f).Kind == yaml.ScalarNode && Deref(f).ShortTag() != "!!null" || f == nil && Deref(d).Kind == yaml.ScalarNode) {
			return nil, fmt.Errorf("%q: %s is a single value, not a mapping", key, strings.Join(partsOf(out), "."))
		}
	}
	return out, nil
}

func partsOf(steps []step) []string {
	var s []string
	for _, st := range steps {
		if st.index >= 0 {
			s = append(s, strconv.Itoa(st.index))
		} else {
			s = append(s, st.key)
		}
	}
	return s
}

func item(n *yaml.Node, i int) *yaml.Node {
	n = Deref(n)
	if n == nil || n.Kind != yaml.SequenceNode || i >= len(n.Content) {
		return nil
	}
	return n.Content[i]
}

// Get returns the value in effect at key: the file's, over the defaults'
// (mappings merged key by key, as gitdora reads its configuration). found
// is false when neither has it.
func Get(src, defaults []byte, key string) (value *yaml.Node, found bool, err error) {
	file, err := parse(src)
	if err != nil {
		return nil, false, err
	}
	defs, err := parse(defaults)
	if err != nil {
		return nil, false, fmt.Errorf("defaults: %w", err)
	}
	eff := overlay(defs.Content[0], file.Content[0])
	steps, err := resolve(eff, nil, key)
	if errors.Is(err, ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	n := eff
	for _, st := range steps {
		if st.index >= 0 {
			n = item(n, st.index)
		} else {
			_, n = lookup(n, st.key)
		}
		if n == nil {
			return nil, false, nil
		}
	}
	return Deref(n), true, nil
}

// overlay is the file's tree over the defaults': mappings merge key by
// key, anything else in the file replaces the default.
func overlay(def, file *yaml.Node) *yaml.Node {
	def, file = Deref(def), Deref(file)
	if def == nil {
		return file
	}
	if file == nil {
		return def
	}
	if def.Kind != yaml.MappingNode || file.Kind != yaml.MappingNode {
		return file
	}
	out := *file
	out.Content = nil
	seen := map[string]bool{}
	for i := 0; i+1 < len(def.Content); i += 2 {
		k := def.Content[i]
		_, fv := lookup(file, k.Value)
		out.Content = append(out.Content, k, overlay(def.Content[i+1], fv))
		seen[k.Value] = true
	}
	for i := 0; i+1 < len(file.Content); i += 2 {
		if !seen[file.Content[i].Value] {
			out.Content = append(out.Content, file.Content[i], file.Content[i+1])
		}
	}
	return &out
}

// Scalar reads a value given on a command line: YAML for a single value
// (a number, true, a quoted string), else the text as a string. A list or
// a mapping is refused.
func Scalar(text string) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err == nil && len(doc.Content) == 1 {
		n := doc.Content[0]
		switch n.Kind {
		case yaml.ScalarNode:
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: n.Tag, Value: n.Value, Style: n.Style &^ (yaml.LiteralStyle | yaml.FoldedStyle)}, nil
		case yaml.MappingNode, yaml.SequenceNode:
			if len(n.Content) > 0 {
				return nil, fmt.Errorf("%q is a list or a mapping; set one value at a time, or use gitdora config edit", text)
			}
		}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: text}, nil
}

// Set returns src with the value at key set to value (a scalar, as Scalar
// reads it). changed is false when the file already has that value there.
func Set(src, defaults []byte, key string, value *yaml.Node) (out []byte, changed bool, err error) {
	file, err := parse(src)
	if err != nil {
		return nil, false, err
	}
	defs, err := parse(defaults)
	if err != nil {
		return nil, false, fmt.Errorf("defaults: %w", err)
	}
	steps, err := resolve(file.Content[0], defs.Content[0], key)
	if err != nil {
		return nil, false, err
	}
	// The existing scalar, if the file has one there: keep its quoting.
	if old := at(file.Content[0], steps); old != nil {
		if old.Kind != yaml.ScalarNode {
			return nil, false, fmt.Errorf("%q is a list or a mapping; set one of its values (%s.KEY), or use gitdora config edit", key, key)
		}
		if old.Value == value.Value && sameTag(old, value) {
			return src, false, nil
		}
		nv := *value
		if nv.Tag == "!!str" && old.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			nv.Style = old.Style
		}
		if b, ok := replaceScalar(src, old, &nv); ok {
			if want, err := setTree(file, defs, steps, &nv); err == nil && sameData(b, want) {
				return b, true, nil
			}
		}
		return encodeEdited(file, defs, steps, &nv)
	}
	if b, ok := insert(src, file, defs, steps, value); ok {
		if want, err := setTree(file, defs, steps, value); err == nil && sameData(b, want) {
			return b, true, nil
		}
	}
	return encodeEdited(file, defs, steps, value)
}

func sameTag(a, b *yaml.Node) bool { return a.ShortTag() == b.ShortTag() }

// at is the file's node at steps, nil when it has none.
func at(n *yaml.Node, steps []step) *yaml.Node {
	for _, st := range steps {
		if st.index >= 0 {
			n = item(n, st.index)
		} else {
			_, n = lookup(n, st.key)
		}
		if n == nil {
			return nil
		}
	}
	return Deref(n)
}

// setTree edits a copy of the file's tree: value at steps, creating the
// mappings on the way and copying a list only the defaults have.
func setTree(file, defs *yaml.Node, steps []step, value *yaml.Node) (*yaml.Node, error) {
	doc := clone(file)
	n, d := doc.Content[0], defs.Content[0]
	for i, st := range steps {
		last := i == len(steps)-1
		n = Deref(n)
		if st.index >= 0 {
			if n.Kind != yaml.SequenceNode || st.index >= len(n.Content) {
				return nil, errors.New("no such list item")
			}
			if last {
				n.Content[st.index] = value
				return doc, nil
			}
			n, d = n.Content[st.index], item(d, st.index)
			continue
		}
		if n.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("%s is not a mapping", st.key)
		}
		_, dv := lookup(d, st.key)
		_, v := lookup(n, st.key)
		if last {
			if v != nil {
				*v = *value
			} else {
				n.Content = append(n.Content, keyNode(st.key), value)
			}
			return doc, nil
		}
		if v == nil || Deref(v).Kind == yaml.ScalarNode && Deref(v).ShortTag() == "!!null" {
			var nv *yaml.Node
			if dv != nil && Deref(dv).Kind == yaml.SequenceNode {
				nv = clone(Deref(dv)) // a list in the file replaces the default whole
			} else {
				nv = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			}
			if v != nil {
				*v = *nv // the tree's node becomes the new one: what follows goes into it
			} else {
				n.Content = append(n.Content, keyNode(st.key), nv)
				v = nv
			}
		}
		n, d = v, dv
	}
	return doc, nil
}

func keyNode(k string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k} }

func clone(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, x := range n.Content {
		c.Content[i] = clone(x)
	}
	return &c
}

// encodeEdited is the fallback: the edited tree written whole (comments
// are kept; blank lines are not).
func encodeEdited(file, defs *yaml.Node, steps []step, value *yaml.Node) ([]byte, bool, error) {
	doc, err := setTree(file, defs, steps, value)
	if err != nil {
		return nil, false, err
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, false, err
	}
	// yaml.v3 does not always write what it reads back: a comment after
	// a block scalar kept its trailing line breaks ("|2+") became one of
	// them (FuzzSet). A file that would say anything else is not written.
	if !sameData(b.Bytes(), doc) {
		return nil, false, errors.New("written again with this value, the file would not say the same elsewhere (a comment or the layout around the value); use gitdora config edit")
	}
	return b.Bytes(), true, nil
}

// sameData reports whether b parses to the same data as the tree want.
func sameData(b []byte, want *yaml.Node) bool {
	var got, exp any
	if yaml.Unmarshal(b, &got) != nil {
		return false
	}
	if want.Decode(&exp) != nil {
		return false
	}
	return reflect.DeepEqual(got, exp)
}

// render is the text of a scalar on one line, "" when it needs more.
func render(n *yaml.Node) (string, bool) {
	b, err := yaml.Marshal(n)
	if err != nil {
		return "", false
	}
	s := strings.TrimSuffix(string(b), "\n")
	return s, !strings.Contains(s, "\n")
}

// lineStarts returns the offset of each line of src (line 1 at index 0).
func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// offset is the byte offset of a node's line and (rune) column in src.
func offset(src []byte, starts []int, line, col int) (int, bool) {
	if line < 1 || line > len(starts) {
		return 0, false
	}
	off := starts[line-1]
	for c := 1; c < col; c++ {
		if off >= len(src) || src[off] == '\n' {
			return 0, false
		}
		_, size := utf8.DecodeRune(src[off:])
		off += size
	}
	return off, true
}

// replaceScalar replaces the text of the one-line scalar old with value.
func replaceScalar(src []byte, old, value *yaml.Node) ([]byte, bool) {
	if old.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return nil, false
	}
	starts := lineStarts(src)
	start, ok := offset(src, starts, old.Line, old.Column)
	if !ok {
		return nil, false
	}
	end := start
	rest := src[start:]
	eol := bytes.IndexByte(rest, '\n')
	if eol < 0 {
		eol = len(rest)
	}
	line := rest[:eol]
	switch {
	case old.Style&yaml.DoubleQuotedStyle != 0:
		i := 1
		for ; i < len(line); i++ {
			if line[i] == '\\' {
				i++
				continue
			}
			if line[i] == '"' {
				break
			}
		}
		if len(line) == 0 || line[0] != '"' || i >= len(line) {
			return nil, false
		}
		end = start + i + 1
	case old.Style&yaml.SingleQuotedStyle != 0:
		i := 1
		for ; i < len(line); i++ {
			if line[i] == '\'' {
				if i+1 < len(line) && line[i+1] == '\'' {
					i++
					continue
				}
				break
			}
		}
		if len(line) == 0 || line[0] != '\'' || i >= len(line) {
			return nil, false
		}
		end = start + i + 1
	default:
		text := line
		if i := bytes.Index(text, []byte(" #")); i >= 0 {
			text = text[:i]
		}
		text = bytes.TrimRight(text, " \t\r")
		if string(text) != old.Value && !(old.Value == "" && len(text) == 0) {
			return nil, false // a plain scalar over several lines, or flow syntax
		}
		end = start + len(text)
	}
	v, ok := render(value)
	if !ok {
		return nil, false
	}
	out := append(append(append([]byte{}, src[:start]...), v...), src[end:]...)
	return out, true
}

// insert adds the keys of steps the file lacks, as block lines below the
// deepest mapping it has on the way (or in place of an empty {}).
func insert(src []byte, file, defs *yaml.Node, steps []step, value *yaml.Node) ([]byte, bool) {
	// The deepest node the file has on the way, and the first step it lacks.
	var keyOf *yaml.Node // the key node of n (nil at the root)
	n := file.Content[0]
	i := 0
	for ; i < len(steps); i++ {
		st := steps[i]
		if st.index >= 0 {
			return nil, false // through a list: left to the fallback
		}
		k, v := lookup(n, st.key)
		if v == nil {
			break
		}
		if Deref(v).Kind != yaml.MappingNode {
			return nil, false
		}
		keyOf, n = k, Deref(v)
	}
	if n.Kind != yaml.MappingNode || i == len(steps) {
		return nil, false
	}
	d := defs.Content[0]
	for _, st := range steps[:i] {
		_, d = lookup(d, st.key)
	}
	for _, st := range steps[i : len(steps)-1] {
		_, d = lookup(d, st.key)
		if d != nil && Deref(d).Kind == yaml.SequenceNode {
			return nil, false // a list to copy: left to the fallback
		}
	}
	v, ok := render(value)
	if !ok {
		return nil, false
	}
	lines := func(indent int) string {
		var b strings.Builder
		for j, st := range steps[i:] {
			k, ok := render(keyNode(st.key))
			if !ok {
				return ""
			}
			b.WriteString(strings.Repeat(" ", indent+2*j) + k + ":")
			if j == len(steps[i:])-1 {
				b.WriteString(" " + v)
			}
			b.WriteString("\n")
		}
		return b.String()
	}
	starts := lineStarts(src)
	switch {
	case n.Style&yaml.FlowStyle != 0:
		if len(n.Content) > 0 || keyOf == nil {
			return nil, false
		}
		start, ok := offset(src, starts, n.Line, n.Column)
		if !ok || !bytes.HasPrefix(src[start:], []byte("{}")) {
			return nil, false
		}
		text := lines(keyOf.Column - 1 + 2)
		if text == "" {
			return nil, false
		}
		return append(append(append([]byte{}, src[:start-1]...), "\n"+strings.TrimSuffix(text, "\n")...), src[start+2:]...), true
	case len(n.Content) == 0:
		if keyOf != nil {
			return nil, false
		}
		text := lines(0)
		if text == "" {
			return nil, false
		}
		out := append([]byte{}, src...)
		if len(out) > 0 && out[len(out)-1] != '\n' {
			out = append(out, '\n')
		}
		return append(out, text...), true
	}
	last := lastLine(n)
	if last < 1 || last > len(starts) {
		return nil, false
	}
	text := lines(n.Content[0].Column - 1)
	if text == "" {
		return nil, false
	}
	pos := len(src)
	if last < len(starts) {
		pos = starts[last]
	}
	prefix := append([]byte{}, src[:pos]...)
	if len(prefix) > 0 && prefix[len(prefix)-1] != '\n' {
		prefix = append(prefix, '\n')
	}
	return append(append(prefix, text...), src[pos:]...), true
}

// lastLine is the last line a node's text is on, 0 when a block or
// multi-line scalar makes it unknown.
func lastLine(n *yaml.Node) int {
	n = Deref(n)
	if n.Kind == yaml.ScalarNode && (n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 || strings.Contains(n.Value, "\n")) {
		return 0
	}
	l := n.Line
	for _, c := range n.Content {
		cl := lastLine(c)
		if cl == 0 {
			return 0
		}
		l = max(l, cl)
	}
	return l
}
