package fact

import "fmt"

// Problem is input that was skipped, and why: a bad row, a bad file.
type Problem struct {
	File string // as data.Store.Where names it
	Line int    // 0 when the whole file is concerned
	Msg  string
}

// String writes the problem as FILE:LINE: MSG (FILE: MSG without a line).
func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return p.File + ": " + p.Msg
}
