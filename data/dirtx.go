package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// A write to a plain directory lands whole or not at all. Update stages
// the batch's files in a folder of their own inside the directory, then
// commits the batch by renaming a journal into place (one atomic rename),
// then renames the files into the layout, a scan record before its SARIF
// file, and removes the journal. A writer killed before the journal is in
// place leaves only the staging folder, which readers ignore and the next
// writer removes; one killed after it leaves a journal, which readers
// apply to what they read and the next writer completes.
const (
	// tempPrefix starts every name gitdora uses for its own files in a
	// plain directory: readers never take such a name for data.
	tempPrefix = ".gitdora-"
	// journalName is the journal of a committed batch being applied.
	journalName = tempPrefix + "journal"
	// stagePattern names the folder a batch is staged in.
	stagePattern = tempPrefix + "stage-*"
)

// isTemp reports whether a file or folder name is gitdora's own, not data.
func isTemp(name string) bool { return strings.HasPrefix(name, tempPrefix) }

// journal is what a committed batch still has to do: rename each staged
// file (named From in the folder Stage) to its place (To, a path of the
// layout), in order.
type journal struct {
	Stage string      `json:"stage"`
	Files []journaled `json:"files"`
}

type journaled struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// dirFault, when set by a test, is called at each step of a batch write
// ("stage", "mkdir", "commit", "move", "done"); an error it returns fails
// the write there. errCrash makes the write stop as a killed process
// would, leaving everything as it is.
var dirFault func(step string) error

// errCrash is what a test's dirFault returns to stop a write dead.
var errCrash = errors.New("crashed (test)")

func fault(step string) error {
	if dirFault == nil {
		return nil
	}
	return dirFault(step)
}

// writeBatch writes files (layout path → content) into the plain
// directory root as one batch. The caller holds the directory's lock and
// has run recoverDir. On an error before the commit point nothing is left
// behind; after it, the journal stays and the next writer completes it.
func writeBatch(root string, files map[string][]byte, sources map[string]Source) (err error) {
	order := batchOrder(files)
	// Check every path first: no folder on the way may be a file or a
	// symbolic link, and no target a folder.
	var mkdirs []string
	for _, p := range order {
		missing, err := checkDirPath(root, p)
		if err != nil {
			return err
		}
		for _, d := range missing {
			if !slices.Contains(mkdirs, d) {
				mkdirs = append(mkdirs, d)
			}
		}
	}
	stage, err := os.MkdirTemp(root, stagePattern)
	if err != nil {
		return fmt.Errorf("write %s: %w", root, err)
	}
	committed := false
	var made []string
	defer func() {
		if committed || errors.Is(err, errCrash) {
			return
		}
		os.RemoveAll(stage)
		for i := len(made) - 1; i >= 0; i-- {
			os.Remove(filepath.Join(root, filepath.FromSlash(made[i]))) // only if still empty
		}
	}()
	j := journal{Stage: filepath.Base(stage)}
	for i, p := range order {
		name := fmt.Sprintf("%d", i)
		write := func() error { return writeNew(filepath.Join(stage, name), files[p]) }
		if src, ok := sources[p]; ok {
			write = func() error { return writeNewFrom(filepath.Join(stage, name), src) }
		}
		if err := write(); err != nil {
			return fmt.Errorf("write %s: %w", filepath.Join(root, filepath.FromSlash(p)), err)
		}
		if err := fault("stage"); err != nil {
			return err
		}
		j.Files = append(j.Files, journaled{From: name, To: p})
	}
	slices.SortFunc(mkdirs, func(a, b string) int { return strings.Count(a, "/") - strings.Count(b, "/") })
	for _, d := range mkdirs {
		if err := os.Mkdir(filepath.Join(root, filepath.FromSlash(d)), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("write %s: %w", root, err)
		}
		made = append(made, d)
		if err := fault("mkdir"); err != nil {
			return err
		}
	}
	b, err := json.Marshal(j)
	if err != nil {
		return err
	}
	if err := writeNew(filepath.Join(stage, "journal"), b); err != nil {
		return fmt.Errorf("write %s: %w", root, err)
	}
	if err := fault("commit"); err != nil {
		return err
	}
	// The commit point: from here the batch is written, now or by the next writer.
	if err := os.Rename(filepath.Join(stage, "journal"), filepath.Join(root, journalName)); err != nil {
		return fmt.Errorf("write %s: %w", root, err)
	}
	committed = true
	return applyJournal(root, j)
}

// batchOrder is the order a batch's files are moved in: everything but
// SARIF files first (so a scan record is in place before its scan), each
// group in path order.
func batchOrder(files map[string][]byte) []string {
	order := make([]string, 0, len(files))
	for p := range files {
		order = append(order, p)
	}
	slices.SortFunc(order, func(a, b string) int {
		sa, sb := strings.HasSuffix(a, ".sarif"), strings.HasSuffix(b, ".sarif")
		if sa != sb {
			if sa {
				return 1
			}
			return -1
		}
		return strings.Compare(a, b)
	})
	return order
}

// checkDirPath checks that the layout path p can be written under root:
// every folder on the way is a folder (not a file, not a symbolic link)
// or missing, and p is a regular file or missing. It returns the missing
// folders, top first.
func checkDirPath(root, p string) ([]string, error) {
	if err := checkPath(p); err != nil {
		return nil, err
	}
	parts := strings.Split(p, "/")
	var missing []string
	for i := range parts {
		sub := strings.Join(parts[:i+1], "/")
		if isTemp(parts[i]) {
			return nil, fmt.Errorf("cannot write %s: names starting %s are gitdora's own", p, tempPrefix)
		}
		if len(missing) > 0 {
			if i < len(parts)-1 {
				missing = append(missing, sub)
			}
			continue
		}
		fi, err := os.Lstat(filepath.Join(root, filepath.FromSlash(sub)))
		if errors.Is(err, fs.ErrNotExist) {
			if i < len(parts)-1 {
				missing = append(missing, sub)
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("cannot write %s: %w", p, err)
		}
		last := i == len(parts)-1
		switch {
		case !last && !fi.IsDir():
			return nil, fmt.Errorf("cannot write %s: %s is not a folder", p, filepath.Join(root, filepath.FromSlash(sub)))
		case last && !fi.Mode().IsRegular():
			return nil, fmt.Errorf("cannot write %s: %s is not a regular file", p, filepath.Join(root, filepath.FromSlash(sub)))
		}
	}
	return missing, nil
}

// writeNew writes b to a new file name.
func writeNew(name string, b []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// writeNewFrom creates the file name with what src reads, checking that
// it reads src.Size bytes.
func writeNewFrom(name string, src Source) error {
	rc, err := src.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	n, err := io.Copy(f, io.LimitReader(rc, src.Size+1))
	if err == nil && n != src.Size {
		err = fmt.Errorf("%d bytes read, %d expected (the file changed?)", n, src.Size)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// sameInDir reports whether the file at layout path p of the plain
// directory root holds what src reads, comparing as it reads both.
func sameInDir(root, p string, src Source) (bool, error) {
	f, err := openInDir(root, p, nil)
	if errors.Is(err, ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || fi.Size() != src.Size {
		return false, nil
	}
	rc, err := src.Open()
	if err != nil {
		return false, err
	}
	defer rc.Close()
	a, b := make([]byte, 64<<10), make([]byte, 64<<10)
	for {
		n, errA := io.ReadFull(f, a)
		m, errB := io.ReadFull(rc, b[:n])
		if m != n || !bytes.Equal(a[:n], b[:m]) {
			return false, nil
		}
		if errA != nil || errB != nil {
			return errors.Is(errA, io.EOF) || errors.Is(errA, io.ErrUnexpectedEOF), nil
		}
	}
}

// applyJournal moves the staged files of j into place (a file already
// moved is skipped: applying a journal twice is applying it once), then
// removes the journal and the staging folder.
func applyJournal(root string, j journal) error {
	stage := filepath.Join(root, j.Stage)
	for _, f := range j.Files {
		from := filepath.Join(stage, f.From)
		if _, err := os.Lstat(from); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		to := filepath.Join(root, filepath.FromSlash(f.To))
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return fmt.Errorf("write %s: %w (the next write completes it)", to, err)
		}
		if err := os.Rename(from, to); err != nil {
			return fmt.Errorf("write %s: %w (the next write completes it)", to, err)
		}
		if err := fault("move"); err != nil {
			return err
		}
	}
	if err := os.Remove(filepath.Join(root, journalName)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("write %s: %w", root, err)
	}
	if err := fault("done"); err != nil {
		return err
	}
	return os.RemoveAll(stage)
}

// readJournal reads the journal of the plain directory root; ok is false
// when there is none.
func readJournal(root string) (j journal, ok bool, err error) {
	f, err := os.Open(filepath.Join(root, journalName))
	if errors.Is(err, fs.ErrNotExist) {
		return journal{}, false, nil
	}
	if err != nil {
		return journal{}, false, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 64<<20))
	if err == nil {
		err = json.Unmarshal(b, &j)
	}
	if err == nil && (!isTemp(j.Stage) || strings.ContainsAny(j.Stage, `/\`)) {
		err = fmt.Errorf("stage %q is not a staging folder", j.Stage)
	}
	for _, f := range j.Files {
		if err == nil && (checkPath(f.To) != nil || f.From == "" || strings.ContainsAny(f.From, `/\`) || f.From == "..") {
			err = fmt.Errorf("entry %q → %q is not a staged file and a layout path", f.From, f.To)
		}
	}
	if err != nil {
		return journal{}, false, fmt.Errorf("%s: %v (a write was interrupted; remove the file and the %s folders to drop it)", filepath.Join(root, journalName), err, tempPrefix+"stage-*")
	}
	return j, true, nil
}

// recoverDir makes the plain directory root whole before a write (the
// caller holds its lock): it completes a committed batch a killed writer
// left, and removes what an uncommitted one left (staging folders, and
// temporary files of older gitdora versions at the root).
func recoverDir(root string) error {
	j, ok, err := readJournal(root)
	if err != nil {
		return err
	}
	if ok {
		// The folders on the way may have changed since the batch was
		// checked (a folder replaced by a symbolic link): check again.
		for _, f := range j.Files {
			if _, err := checkDirPath(root, f.To); err != nil {
				return fmt.Errorf("%s: %w (a write was interrupted; fix the path, or remove the file and the %s folders to drop the write)", filepath.Join(root, journalName), err, tempPrefix+"stage-*")
			}
		}
		if err := applyJournal(root, j); err != nil {
			return err
		}
	}
	ents, err := os.ReadDir(root)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if isTemp(e.Name()) {
			if err := os.RemoveAll(filepath.Join(root, e.Name())); err != nil {
				return fmt.Errorf("remove what an interrupted write left: %w", err)
			}
		}
	}
	return nil
}

// pending is what a reader of a plain directory must add to what it
// finds: the files of a committed batch not moved into place yet (layout
// path → staged file), nil when there is none.
func pending(root string) (map[string]string, error) {
	j, ok, err := readJournal(root)
	if !ok || err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, f := range j.Files {
		staged := filepath.Join(root, j.Stage, f.From)
		if fi, err := os.Lstat(staged); err == nil && fi.Mode().IsRegular() {
			out[f.To] = staged
		}
	}
	return out, nil
}

// withPending adds the pending files under dir ("" for all) to the
// sorted list out.
func withPending(out []string, pend map[string]string, dir string) []string {
	if len(pend) == 0 {
		return out
	}
	for p := range pend {
		if dir == "" || strings.HasPrefix(p, dir+"/") {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// openInDir opens the layout path p of the plain directory root for
// reading: a regular file, reached through folders that are not symbolic
// links (so that reading stays inside the directory); pend, when it has
// p, names where the file is staged.
func openInDir(root, p string, pend map[string]string) (*os.File, error) {
	if staged, ok := pend[p]; ok {
		f, err := os.Open(staged)
		if err == nil {
			return f, nil
		}
		// Moved into place meanwhile: read it there.
	}
	parts := strings.Split(p, "/")
	full := root
	for i, part := range parts {
		full = filepath.Join(full, part)
		fi, err := os.Lstat(full)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", p, ErrNotExist)
		}
		if err != nil {
			return nil, err
		}
		if i < len(parts)-1 && !fi.IsDir() {
			if fi.Mode()&fs.ModeSymlink != 0 {
				return nil, fmt.Errorf("%s: %s is a symbolic link; gitdora reads only inside the data directory", p, full)
			}
			return nil, fmt.Errorf("%s: %w", p, ErrNotExist)
		}
		if i == len(parts)-1 && !fi.Mode().IsRegular() {
			if fi.IsDir() {
				return nil, fmt.Errorf("%s: %w", p, ErrNotExist)
			}
			return nil, fmt.Errorf("%s: %s is not a regular file (a symbolic link, a device or a pipe?)", p, full)
		}
	}
	return os.Open(full)
}
