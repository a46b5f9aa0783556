package fact

import "strings"

// Naming words the inputs a message names: given an input in the domain's
// words (repo, data, remote, sha …), the name its caller knows it by. The
// command line names its flags (--repo); nil keeps the domain's words.
type Naming func(input string) string

// Of is input as n words it: input itself when n is nil.
func (n Naming) Of(input string) string {
	if n == nil {
		return input
	}
	return n(input)
}

// Worded is an error whose message names inputs: Word(names) is the
// message with each input worded by names, and Error the message in the
// domain's words (Word(nil)).
type Worded interface {
	error
	Word(names Naming) string
}

// InputError is a value given for an input that cannot be used. Its
// message is INPUT VALUE: WHY, and, worded for a caller, (HINT) after it.
type InputError struct {
	// Input names the input in the domain's words: the field of a request
	// or the option it came in (repo, data, config, remote, push, out,
	// ref, sha, at, as-of …). The command line words it as its flag.
	Input string
	// Value is the value given as the message shows it (quoted where it
	// needs to be); "" when the message shows none.
	Value string
	// Err says why the value cannot be used.
	Err error
	// Hint says what to do about it, naming inputs through names; nil for
	// no advice. It advises the caller who words the inputs: Error, in the
	// domain's words, leaves it out.
	Hint func(names Naming) string
}

func (e *InputError) Error() string { return e.Word(nil) }
func (e *InputError) Unwrap() error { return e.Err }

// Word is the message with the inputs worded by names, the hint included
// (nil names: as Error says it).
func (e *InputError) Word(names Naming) string {
	var b strings.Builder
	b.WriteString(names.Of(e.Input))
	if e.Value != "" {
		b.WriteString(" ")
		b.WriteString(e.Value)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(Word(e.Err, names))
	}
	if e.Hint != nil && names != nil {
		b.WriteString(" (")
		b.WriteString(e.Hint(names))
		b.WriteString(")")
	}
	return b.String()
}

// Word is the message of err with the inputs it names worded by names: a
// Worded error words itself, and an error that wraps others words those
// whose message its own holds (as fmt.Errorf's %w and errors.Join keep
// them, in order). nil names leave the message as Error says it.
func Word(err error, names Naming) string {
	if err == nil {
		return ""
	}
	if w, ok := err.(Worded); ok {
		return w.Word(names)
	}
	msg := err.Error()
	if names == nil {
		return msg
	}
	switch e := err.(type) {
	case interface{ Unwrap() error }:
		// One wrapped error: the wrapper's words usually come first.
		if k := e.Unwrap(); k != nil {
			if old := k.Error(); old != "" {
				if i := strings.LastIndex(msg, old); i >= 0 {
					msg = msg[:i] + Word(k, names) + msg[i+len(old):]
				}
			}
		}
	case interface{ Unwrap() []error }:
		at := 0
		for _, k := range e.Unwrap() {
			if k == nil {
				continue
			}
			old := k.Error()
			i := strings.Index(msg[at:], old)
			if old == "" || i < 0 {
				continue
			}
			i += at
			w := Word(k, names)
			msg = msg[:i] + w + msg[i+len(old):]
			at = i + len(w)
		}
	}
	return msg
}
