package gen

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// WriteFastImport writes m as a `git fast-import` stream. Every commit
// names its parents explicitly, so the stream does not depend on what the
// branches point at while it is read; the branches and tags are set at
// the end.
func WriteFastImport(w io.Writer, m *Model) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	data := func(s string) {
		fmt.Fprintf(bw, "data %d\n%s\n", len(s), s)
	}
	for i := range m.Commits {
		c := &m.Commits[i]
		fmt.Fprintf(bw, "commit %s\nmark :%d\n", Trunk, i+1)
		fmt.Fprintf(bw, "author %s\ncommitter %s\n", c.Author.git(), c.Committer.git())
		data(c.Message)
		for k, p := range c.Parents {
			if k == 0 {
				fmt.Fprintf(bw, "from :%d\n", p+1)
			} else {
				fmt.Fprintf(bw, "merge :%d\n", p+1)
			}
		}
		for _, f := range c.Files {
			fmt.Fprintf(bw, "M 100644 inline %s\n", f.Path)
			data(f.Content)
		}
		bw.WriteString("\n")
	}
	for _, r := range m.Refs {
		fmt.Fprintf(bw, "reset %s\nfrom :%d\n\n", r.Name, r.Commit+1)
	}
	for _, t := range m.Tags {
		if !t.Annotated {
			fmt.Fprintf(bw, "reset refs/tags/%s\nfrom :%d\n\n", t.Name, t.Commit+1)
			continue
		}
		fmt.Fprintf(bw, "tag %s\nfrom :%d\ntagger %s\n", t.Name, t.Commit+1, t.Tagger.git())
		data(t.Message)
	}
	bw.WriteString("done\n")
	return bw.Flush()
}

// ImportWithGit creates a repository in dir (which may exist and be empty)
// holding m, with the git binary: `git init` and `git fast-import`. HEAD
// names the trunk. It is for tests and benchmarks; the product writes
// repositories with WriteStorer.
func ImportWithGit(dir string, m *Model) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	git := func(stdin io.Reader, args ...string) error {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Stdin = stdin
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("git %s: %v\n%s", strings.Join(args, " "), err, out.String())
		}
		return nil
	}
	if err := git(nil, "init", "-q", "-b", strings.TrimPrefix(Trunk, "refs/heads/")); err != nil {
		return err
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(WriteFastImport(pw, m)) }()
	err := git(pr, "fast-import", "--quiet", "--done", "--force")
	pr.Close()
	return err
}
