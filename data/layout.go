package data

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"
	"time"
)

// Folders of the data branch layout (docs/data-branch.md).
const (
	DeploymentsDir = "events/deployments"
	IncidentsDir   = "events/incidents"
	ScansDir       = "scans"
	CIDir          = "ci"
)

// DeploymentFile is the CSV that holds a deployment at t: the month as t is written.
func DeploymentFile(t time.Time) string { return path.Join(DeploymentsDir, t.Format("2006-01")+".csv") }

// IncidentFile is the CSV that holds an incident opened at t.
func IncidentFile(t time.Time) string { return path.Join(IncidentsDir, t.Format("2006-01")+".csv") }

// ScanFile is where a SARIF file with content b, of tool at commit sha and
// scanned at t (UTC month), is stored: scans/YYYY/MM/<sha>/<tool>-<sha256[:12]>.sarif.
func ScanFile(t time.Time, sha, tool string, b []byte) string {
	return ScanFileOf(t, sha, tool, sha256.Sum256(b))
}

// ScanFileOf is ScanFile of the content whose sha256 is sum.
func ScanFileOf(t time.Time, sha, tool string, sum [32]byte) string {
	t = t.UTC()
	return path.Join(ScansDir, t.Format("2006"), t.Format("01"), sha, SafeName(tool)+"-"+hex.EncodeToString(sum[:])[:12]+".sarif")
}

// CIFile is where the CI run record with id runID, started at t (UTC month), is stored.
func CIFile(t time.Time, runID int64) string {
	t = t.UTC()
	return path.Join(CIDir, t.Format("2006"), t.Format("01"), fmt.Sprintf("%d.json", runID))
}

// SafeName turns a tool name into a file-name part: lower case letters,
// digits, '.', '_' and '-', other runs of characters becoming one '-', at
// most MaxToolName bytes (a file name has room for 255).
func SafeName(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if b.Len() > MaxToolName {
			break
		}
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
		if ok && !(r == '.' && b.Len() == 0) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	out := b.String()
	if len(out) > MaxToolName {
		out = out[:MaxToolName] // ASCII only: any cut is a character boundary
	}
	out = strings.Trim(out, "-.")
	if out == "" {
		return "tool"
	}
	return out
}

// ScanPath is what a stored SARIF file's path says about it.
type ScanPath struct {
	Month string // YYYY-MM
	SHA   string
	Tool  string // SafeName of the tool
	Hash  string // first 12 hex digits of the content's sha256
}

// ParseScanPath reads a path written by ScanFile.
func ParseScanPath(p string) (ScanPath, bool) {
	var parts [5]string // split by hand: a data branch has thousands
	rest := p
	for i := range 4 {
		var ok bool
		if parts[i], rest, ok = strings.Cut(rest, "/"); !ok {
			return ScanPath{}, false
		}
	}
	parts[4] = rest
	if strings.Contains(rest, "/") || parts[0] != ScansDir || !strings.HasSuffix(parts[4], ".sarif") {
		return ScanPath{}, false
	}
	base := strings.TrimSuffix(parts[4], ".sarif")
	i := strings.LastIndexByte(base, '-')
	if i <= 0 || len(base)-i-1 != 12 {
		return ScanPath{}, false
	}
	return ScanPath{Month: parts[1] + "-" + parts[2], SHA: parts[3], Tool: base[:i], Hash: base[i+1:]}, true
}
