package data

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/fact"
)

// A batch of any paths and contents, failing or killed at any step of
// its write, leaves a plain directory either untouched or fully written:
// a failed write (before its commit point) changes nothing, and wherever
// the writer dies, readers see the batch whole or not at all, and the next
// writer leaves it so, with no temporary file behind.
func FuzzDirBatch(f *testing.F) {
	f.Add("events/deployments/2026-01.csv\x00scans/2026/01/aaaa/t-1.json\x00scans/2026/01/aaaa/t-1.sarif", []byte("x"), uint8(0), uint8(1), false)
	f.Add("a\x00a/b", []byte("y"), uint8(1), uint8(1), true)
	f.Add("seed.txt\x00b/c/d\x00../x", []byte{}, uint8(3), uint8(2), true)
	f.Add(".gitdora-journal\x00c", []byte("z"), uint8(2), uint8(1), false)
	steps := []string{"stage", "mkdir", "commit", "move", "done"}
	f.Fuzz(func(t *testing.T, names string, content []byte, step, nth uint8, crash bool) {
		dir := t.TempDir()
		writeFiles(t, dir, map[string]string{"seed.txt": "seed", "b/old.txt": "old"})
		before := snapshot(t, dir)
		files := map[string]string{}
		for i, p := range strings.Split(names, "\x00") {
			if p != "" && len(files) < 8 {
				files[p] = fmt.Sprintf("%s%d", content, i)
			}
		}
		after := maps.Clone(before)
		maps.Copy(after, files)
		at, calls := steps[int(step)%len(steps)], 0
		dirFault = func(s string) error {
			if s != at {
				return nil
			}
			if calls++; calls == int(nth%4)+1 {
				if crash {
					return errCrash
				}
				return errors.New("injected")
			}
			return nil
		}
		defer func() { dirFault = nil }()
		_, err := mustOpen(t, "", dir).Update(context.Background(), "x", WriteOptions{}, func(tx *Tx) error {
			for p, c := range files {
				if err := tx.WriteFile(p, []byte(c)); err != nil {
					return err
				}
			}
			return nil
		})
		dirFault = nil
		got := snapshot(t, dir)
		switch {
		case err == nil:
			if d := diffFiles(after, got); d != "" {
				t.Fatalf("written: %s", d)
			}
			return
		case !errors.Is(err, errCrash) && at != "move" && at != "done" || calls == 0:
			if d := diffFiles(before, got); d != "" {
				t.Fatalf("a failed write (%v) changed the directory: %s", err, d)
			}
			return
		}
		seen := view(t, dir)
		whole := diffFiles(before, seen) == "" || diffFiles(after, seen) == ""
		if !whole {
			t.Fatalf("a reader sees part of the batch: %s", diffFiles(after, seen))
		}
		if _, err := mustOpen(t, "", dir).Update(context.Background(), "x", WriteOptions{}, func(*Tx) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if d := diffFiles(seen, snapshot(t, dir)); d != "" {
			t.Fatalf("the next writer left other than what readers saw: %s", d)
		}
	})
}

// Whatever an event CSV holds, reading it never panics and gives rows
// that pass the writer's checks, each id once; a deployment appended to it
// is refused with the file untouched, or appended with every row read
// before still read.
func FuzzEventCSV(f *testing.F) {
	head := strings.Join(DeploymentHeader, ",") + "\n"
	f.Add([]byte(head+"d1,2026-01-05T10:00:00Z,abc,production,success,30,300,false,0,1,0,0,cli\n"), "d2", "2026-01-06T10:00:00Z", "1.5")
	f.Add([]byte("\xef\xbb\xbf"+head+"d1,2026-01-05T10:00:00Z,abc,production,success,1e308,,false,0,1.5,0,0,cli\r\nd1,2026-01-05T10:00:00Z,abc,production,success,,,false,0,0,0,0,x\n"), "d1", "9999-01-01T00:00:00Z", "NaN")
	f.Add([]byte("id,time\n\"a\nb\",x\n"), "d\n2", "0000-01-01T00:00:00Z", "-1")
	f.Fuzz(func(t *testing.T, file []byte, id, at, seconds string) {
		now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		defer func(f func() time.Time) { Now = f }(Now)
		Now = func() time.Time { return now }
		dir := t.TempDir()
		writeFiles(t, dir, map[string]string{"events/deployments/2026-01.csv": string(file)})
		s := mustOpen(t, "", dir)
		rows, _, err := s.Deployments()
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for i := range rows {
			if err := rows[i].checkNow(now); err != nil {
				t.Fatalf("row %+v read but fails the checks: %v", rows[i], err)
			}
			if ids[rows[i].ID] {
				t.Fatalf("id %q read twice", rows[i].ID)
			}
			ids[rows[i].ID] = true
		}
		before := snapshot(t, dir)
		d := Deployment{ID: id, SHA: "abc1234", Environment: "production", Status: string(fact.StatusSuccess), Source: "fuzz"}
		var sec OptFloat
		if err := sec.UnmarshalCSV(seconds); err == nil {
			d.ScanSeconds = sec
		}
		tm, terr := ParseTime(at)
		if terr == nil {
			d.Time = tm
		}
		added := false
		_, err = s.Update(context.Background(), "x", WriteOptions{}, func(tx *Tx) (err error) {
			added, err = tx.AppendDeployment(d)
			return err
		})
		got := snapshot(t, dir)
		if err != nil || !added {
			if dd := diffFiles(before, got); dd != "" {
				t.Fatalf("a refused or repeated append (%v) changed the directory: %s", err, dd)
			}
			return
		}
		again, _, err := s.Deployments()
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, r := range again {
			have[r.ID] = true
		}
		for id := range ids {
			if !have[id] {
				t.Fatalf("row %q was lost by an append", id)
			}
		}
		if !have[d.ID] {
			t.Fatalf("the appended deployment %q is not read back", d.ID)
		}
	})
}
