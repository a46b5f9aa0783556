package collect

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/fact"
)

// Lead times are written exactly and read back to the nanosecond.
func TestSecondsRoundTrip(t *testing.T) {
	for _, d := range []time.Duration{0, time.Second, 90 * time.Minute, -3 * time.Second, 1500 * time.Millisecond, 123456789*time.Second + 987654321,
		-time.Nanosecond, 30 * 365 * 24 * time.Hour} {
		s := seconds(d)
		r := &factRow{index: map[string]int{"x": 0}, rec: []string{s}}
		if got := r.duration("x"); got != d || r.err != nil {
			t.Errorf("%v: written %q, read %v (%v)", d, s, got, r.err)
		}
	}
	if seconds(90*time.Minute) != "5400" || seconds(1500*time.Millisecond) != "1.5" {
		t.Errorf("seconds: %s, %s", seconds(90*time.Minute), seconds(1500*time.Millisecond))
	}
	for _, bad := range []string{"", "x", "1.2.3", "1.1234567891", "+1", "1.+5", "99999999999999999999", "--1", "--9223372037", "-+1"} {
		r := &factRow{index: map[string]int{"x": 0}, rec: []string{bad}}
		if r.duration("x"); r.err == nil {
			t.Errorf("%q read as seconds", bad)
		}
	}
}

// A facts file that lacks a column, or rows that do not parse, are
// errors and problems naming the file and line; the other rows are read.
func TestReadFactsErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("deployments.csv", strings.Join(DeploymentsHeader, ",")+"\n"+
		"d1,2026-03-01T10:00:00Z,abc,production,success,tags,2,true,,,,false,0,0,0,0,api;web,true\n"+
		"d2,yesterday,abc,production,success,tags,2,true,,,,false,0,0,0,0,,true\n"+
		"d3,2026-03-01T10:00:00Z,abc,production,exploded,tags,2,true,,,,false,0,0,0,0,,true\n")
	f, err := ReadFacts(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Deployments) != 1 || f.Deployments[0].ID != "d1" || strings.Join(f.Deployments[0].Services, ",") != "api,web" || !f.Deployments[0].Production ||
		f.Deployments[0].Status != fact.StatusSuccess || f.Deployments[0].Changes != 2 {
		t.Errorf("deployments %+v", f.Deployments)
	}
	if len(f.Problems) != 2 || f.Problems[0].Line != 3 || !strings.Contains(f.Problems[0].Msg, "column time") || !strings.Contains(f.Problems[1].Msg, "column status") {
		t.Errorf("problems %v", f.Problems)
	}
	write("changes.csv", "sha,deployment_id\nabc,d1\n")
	if _, err := ReadFacts(dir); err == nil || !strings.Contains(err.Error(), "changes.csv: no column author") {
		t.Errorf("a file without the columns: %v", err)
	}
	os.Remove(filepath.Join(dir, "changes.csv"))
	if err := os.Symlink("/etc/hostname", filepath.Join(dir, "incidents.csv")); err == nil {
		if _, err := ReadFacts(dir); err == nil || !strings.Contains(err.Error(), "symbolic link is not read") {
			t.Errorf("a link: %v", err)
		}
	}
}

// Any bytes as a facts file read without a panic.
func FuzzReadFacts(f *testing.F) {
	f.Add("findings.csv", strings.Join(FindingsHeader, ",")+"\ns1,semgrep,r1,high,fp,a.go,3,CWE-79,false,0123456789abcdef:2,false,msg,CWE-79;CWE-80\n")
	f.Add("changes.csv", strings.Join(ChangesHeader, ",")+"\nabc,d1,A <a@x>,2026-03-01T10:00:00Z,2026-03-01T10:00:00Z,3600.5,yes,s,false,,api,@o/t,true\n")
	f.Add("scans.csv", strings.Join(ScansHeader, ",")+"\ns1,t,abc,main,2026-03-01T10:00:00Z,,incremental,1,f,,,0,false,1,\"[\"\"a.go\"\"]\",main\n")
	f.Add("slices.csv", "kind,name,path\nservice,api,../x\n")
	f.Fuzz(func(t *testing.T, name, text string) {
		switch name {
		case "deployments.csv", "changes.csv", "incidents.csv", "scans.csv", "findings.csv", "slices.csv":
		default:
			name = "findings.csv"
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		fs, err := ReadExport(dir)
		if err == nil {
			for _, x := range fs.AllFindings() {
				_ = x.Fingerprint() + x.Message()
			}
		}
	})
}

// pulls.csv carries the pull requests of the facts to an organisation
// read from --facts: written and read back, nothing changes.
func TestPullsRoundTrip(t *testing.T) {
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	want := []fact.Pull{
		{ID: "gh-pull-1", Number: 7, Opened: at("2026-03-01T09:00:00Z"), Ready: at("2026-03-01T10:00:00Z"), FirstCommit: at("2026-02-28T08:00:00Z"),
			FirstReview: at("2026-03-01T12:00:00Z"), Approved: at("2026-03-01T13:00:00Z"), Merged: at("2026-03-02T09:00:00Z"),
			MergeSHA: strings.Repeat("a", 40), HeadSHA: strings.Repeat("b", 40), Author: "ada", Source: "github-pulls"},
		{ID: "gl-mr-2", Number: 8, Opened: at("2026-03-03T09:00:00Z"), Draft: true, Author: "bob", Source: "gitlab-merge-requests"},
	}
	dir := t.TempDir()
	var b bytes.Buffer
	if err := WritePullsCSV(&b, want); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "pulls.csv"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := ReadFacts(dir)
	if err != nil || len(f.Problems) > 0 {
		t.Fatalf("%v %v", err, f.Problems)
	}
	if !reflect.DeepEqual(f.Pulls, want) {
		t.Errorf("read back %+v\nwant %+v", f.Pulls, want)
	}
}

// Findings of different tools and rules keep their own, even when a
// hand-edited findings.csv puts a NUL byte where their fields meet.
func TestReadFindingsClassesApart(t *testing.T) {
	dir := t.TempDir()
	text := strings.Join(FindingsHeader, ",") + "\n" +
		"s1,a\x00b,c,high,fp1,a.go,3,,false,0123456789abcdef,false,m,\n" +
		"s1,a,b\x00c,high,fp2,a.go,4,,false,0123456789abcdee,false,m,\n"
	if err := os.WriteFile(filepath.Join(dir, "findings.csv"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	f, sets, err := readFacts(dir)
	if err != nil || len(f.Problems) > 0 {
		t.Fatalf("%v %v", err, f.Problems)
	}
	list := sets["s1"].List
	if len(list) != 2 || list[0].Class.Tool != "a\x00b" || list[0].Class.RuleID != "c" || list[1].Class.Tool != "a" || list[1].Class.RuleID != "b\x00c" {
		for _, x := range list {
			t.Errorf("tool %q rule %q", x.Class.Tool, x.Class.RuleID)
		}
	}
}
