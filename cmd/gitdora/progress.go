package main

import (
	"io"
	"os"
)

// progressWriter returns w when it is a terminal (progress lines would
// only clutter logs and files), else nil.
func progressWriter(w io.Writer) io.Writer {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return w
}
