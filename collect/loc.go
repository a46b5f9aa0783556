package collect

import (
	"bytes"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/git"
)

// codeExtensions are the file extensions counted as code for the scan budget.
var codeExtensions = map[string]bool{}

func init() {
	for _, e := range strings.Fields(".go .py .js .mjs .cjs .ts .tsx .jsx .java .kt .kts .scala .groovy .rb .php .cs .fs .vb " +
		".c .h .cc .cpp .cxx .hh .hpp .hxx .m .mm .rs .swift .dart .ex .exs .erl .hs .clj .lua .pl .pm .r .jl " +
		".sh .bash .ps1 .sql .tf .hcl .vue .svelte .elm .ml .zig .nim .sol") {
		codeExtensions[e] = true
	}
}

// vendoredDirs are folders of other people's code, not counted.
var vendoredDirs = map[string]bool{"vendor": true, "node_modules": true, "third_party": true, "third-party": true, ".git": true}

// maxCountedFile is the size above which a file is taken as generated and not counted.
const maxCountedFile = 1 << 20

// codeLOC is the size of the code base for the scan-duration budget:
// scan_budget.loc when set; else, when there are scans to judge, the
// lines of the code files (by extension, outside vendored folders,
// under 1 MiB) in the tree of the trunk (else HEAD); else 0, unknown.
// Counting reads every code file once, so it is skipped when nothing
// needs it.
func codeLOC(o Options, f *fact.Facts, cr *codeRepo) int {
	if o.Config.ScanBudget.LOC > 0 {
		return o.Config.ScanBudget.LOC
	}
	if len(f.Scans) == 0 {
		return 0
	}
	var tip git.Hash
	for _, name := range []string{"refs/heads/" + o.Config.Trunk, "refs/remotes/origin/" + o.Config.Trunk, "HEAD"} {
		if h, err := cr.h.Ref(name); err == nil {
			tip = h
			break
		}
	}
	if tip.IsZero() {
		return 0
	}
	b, err := cr.objects.read(tip, git.CommitObject)
	if err != nil {
		return 0
	}
	info, err := parseCommit(b, zones{})
	if err != nil || info.tree.IsZero() {
		return 0
	}
	n, err := countTree(cr.objects, info.tree)
	if err != nil {
		if o.Log != nil {
			o.Log.Warn("could not count the lines of code; the scan budget is unknown", "err", err)
		}
		return 0
	}
	return n
}

// countTree counts the lines of the code files under root. A file over
// maxCountedFile is skipped by its size, before its content is read.
func countTree(objs *objectReader, root git.Hash) (int, error) {
	var files []git.Hash
	queue := []git.Hash{root}
	for len(queue) > 0 {
		d := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		b, err := objs.read(d, git.TreeObject)
		if err != nil {
			return 0, err
		}
		for len(b) > 0 {
			sp := bytes.IndexByte(b, ' ')
			nul := bytes.IndexByte(b, 0)
			if sp < 0 || nul < sp || nul+21 > len(b) {
				break
			}
			mode, name := string(b[:sp]), string(b[sp+1:nul])
			var h git.Hash
			copy(h[:], b[nul+1:nul+21])
			b = b[nul+21:]
			switch {
			case mode == "40000":
				if !vendoredDirs[name] {
					queue = append(queue, h)
				}
			case (mode == "100644" || mode == "100755") && codeExtensions[strings.ToLower(path.Ext(name))]:
				files = append(files, h)
			}
		}
	}
	lines := 0
	buf := make([]byte, 32<<10)
	for _, h := range files {
		n, err := countLines(objs.h, h, buf)
		if err != nil {
			return 0, err
		}
		lines += n
	}
	return lines, nil
}

// countLines counts the lines of blob h (a last line without a newline
// counts); 0 for a blob over maxCountedFile, whose content is not read.
func countLines(hist History, h git.Hash, buf []byte) (int, error) {
	typ, size, rc, err := hist.Stream(h)
	if err != nil {
		return 0, fmt.Errorf("blob %s: %w", h, err)
	}
	defer rc.Close()
	if typ != git.BlobObject {
		return 0, fmt.Errorf("blob %s: is a %s", h, typ)
	}
	if size == 0 || size > maxCountedFile {
		return 0, nil
	}
	lines, last := 0, byte('\n')
	for {
		n, err := rc.Read(buf)
		if n > 0 {
			lines += bytes.Count(buf[:n], []byte{'\n'})
			last = buf[n-1]
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("blob %s: %w", h, err)
		}
	}
	if last != '\n' {
		lines++
	}
	return lines, nil
}
