package ingest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/collect/findings"
	"github.com/gitdora/gitdora/collect/sarif"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/data"
)

// Reindexed says what Reindex did.
type Reindexed struct {
	Written  []string // normalised findings written where there were none
	Rebuilt  []string // rebuilt: of an older format version
	Repaired []string // rebuilt: they could not be read
	Current  int      // scans whose normalised findings are of this version and read
	// Left are scans Reindex cannot rebuild, each with why: no SARIF file
	// (scans.keep_raw: false), a SARIF file that does not read, normalised
	// findings a newer gitdora wrote.
	Left []string
	// Parsed counts the SARIF files read: content stored for several
	// scans (with the same repository root) is read once.
	Parsed int
}

// Changed reports whether Reindex staged anything.
func (r *Reindexed) Changed() bool { return len(r.Written)+len(r.Rebuilt)+len(r.Repaired) > 0 }

// Reindex stages, for every stored scan whose SARIF file is kept, its
// normalised findings when it has none, when they are of an older format
// version, or when they cannot be read: made from the SARIF file with the
// repository root of its scan record, as ingest makes them
// (docs/data-branch.md). Normalised findings that read are left as they
// are, so a second Reindex stages nothing. tmp holds the normalised
// findings of large files until they are stored (removed by the caller).
func Reindex(tx *data.Tx, lim config.Limits, tmp string) (*Reindexed, error) {
	files, err := tx.List(data.ScansDir)
	if err != nil {
		return nil, err
	}
	out := &Reindexed{}
	have := map[string]bool{}
	for _, p := range files {
		have[p] = true
	}
	made := map[string]data.Source{} // by SARIF content and root
	good := map[string]bool{}        // normalised findings that read, by content
	for _, p := range files {
		var sarifPath string
		switch {
		case strings.HasSuffix(p, ".sarif"):
			sarifPath = p
		case strings.HasSuffix(p, findings.Ext):
			sarifPath = strings.TrimSuffix(p, findings.Ext) + ".sarif"
			if have[sarifPath] {
				continue // seen with its SARIF file
			}
		default:
			continue
		}
		if _, ok := data.ParseScanPath(sarifPath); !ok {
			continue // not where ingest stores scans: collect says so
		}
		norm := collect.FindingsFile(sarifPath)
		why, stale := "", true
		if have[norm] {
			why, stale = checkNormalised(tx, norm, lim, good)
			if !stale {
				out.Current++
				continue
			}
		}
		if !have[sarifPath] {
			out.Left = append(out.Left, norm+": "+why+"; its SARIF file was not kept (scans.keep_raw: false), so it cannot be rebuilt")
			continue
		}
		if strings.HasPrefix(why, "written by a newer") {
			out.Left = append(out.Left, norm+": "+why+"; left as it is")
			continue
		}
		root := recordRoot(tx, sarifPath)
		key := tx.Blob(sarifPath)
		if key != "" {
			key += "\x00" + root
		}
		src, ok := made[key]
		if !ok || key == "" {
			src, err = normalise(tx, sarifPath, root, lim, tmp)
			if err != nil {
				out.Left = append(out.Left, sarifPath+": "+err.Error())
				continue
			}
			out.Parsed++
			if key != "" {
				made[key] = src
			}
		}
		if err := tx.WriteSource(norm, src); err != nil {
			return nil, err
		}
		switch {
		case !have[norm]:
			out.Written = append(out.Written, norm)
		case strings.HasPrefix(why, "of format version"):
			out.Rebuilt = append(out.Rebuilt, norm)
		default:
			out.Repaired = append(out.Repaired, norm+" ("+why+")")
		}
	}
	return out, nil
}

// checkNormalised reads the normalised findings at p (good: contents that
// read, remembered) and says why they must be rebuilt (stale), "" when
// they need not.
func checkNormalised(tx *data.Tx, p string, lim config.Limits, good map[string]bool) (why string, stale bool) {
	key := tx.Blob(p)
	if key != "" && good[key] {
		return "", false
	}
	rc, err := tx.Open(p)
	if err != nil {
		return err.Error(), true
	}
	defer rc.Close()
	var b strings.Builder
	if _, err := io.Copy(&b, io.LimitReader(rc, int64(lim.SARIFBytes)+1)); err != nil {
		return err.Error(), true
	}
	if int64(b.Len()) > int64(lim.SARIFBytes) {
		return fmt.Sprintf("more than limits.sarif_bytes (%s)", lim.SARIFBytes), true
	}
	f, err := findings.Decode(b.String())
	var ve *findings.VersionError
	switch {
	case errors.As(err, &ve) && ve.Found > findings.Version:
		return fmt.Sprintf("written by a newer gitdora (format version %d)", ve.Found), true
	case errors.As(err, &ve):
		return fmt.Sprintf("of format version %d, older than %d", ve.Found, findings.Version), true
	case err != nil:
		return err.Error(), true
	}
	for i := range f.Runs {
		if _, err := f.Runs[i].Set("", nil, nil); err != nil {
			return err.Error(), true
		}
	}
	if key != "" {
		good[key] = true
	}
	return "", false
}

// recordRoot is the repository root the scan record of the SARIF file at
// p keeps, "" when it has none (or there is no readable record).
func recordRoot(tx *data.Tx, p string) string {
	b, err := tx.ReadFile(collect.ScanMetaFile(p))
	if err != nil || len(b) > 1<<20 {
		return ""
	}
	var m collect.ScanMeta
	if json.Unmarshal(b, &m) != nil {
		return ""
	}
	return m.Root
}

// normalise reads the stored SARIF file at p into its normalised findings
// with root, as ingest makes them, and returns them to stage: in memory,
// else (a large file) in a file under tmp.
func normalise(tx *data.Tx, p, root string, lim config.Limits, tmp string) (data.Source, error) {
	rc, err := tx.Open(p)
	if err != nil {
		return data.Source{}, err
	}
	defer rc.Close()
	size := &counter{}
	w, opts := normaliser(metaRoot(root), lim, func() (io.ReadCloser, error) { return tx.Open(p) }, size)
	log, err := sarif.Read(rc, opts, w.Run)
	if err != nil {
		return data.Source{}, sarifError("the SARIF file", err, lim)
	}
	src, _, err := findingsSource(w, log, size.n, tmp, "reindex-*")
	return src, err
}
