package data

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
)

// checkedOutRepo makes a repository with a data branch (gitdora.yml and one
// event file) checked out in a linked worktree at <repo>/dora-data, as the
// README once advised.
func checkedOutRepo(t *testing.T) (repo, wt string, s *Store) {
	t.Helper()
	repo = newRepo(t)
	s = mustOpen(t, repo, "")
	if _, err := s.Update(context.Background(), "seed", WriteOptions{}, func(tx *Tx) error {
		if err := tx.WriteFile(ConfigFile, config.DefaultYAML); err != nil {
			return err
		}
		_, err := tx.AppendDeployment(testDeployment("d0", "2025-03-01T10:00:00Z"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	gitRun(t, repo, "worktree", "add", "-q", "dora-data", DefaultBranch)
	return repo, filepath.Join(repo, "dora-data"), s
}

func testDeployment(id, at string) Deployment {
	tm, err := ParseTime(at)
	if err != nil {
		panic(err)
	}
	return Deployment{ID: id, Time: tm, SHA: strings.Repeat("a", 40), Environment: "production", Status: string(fact.StatusSuccess), Source: "cli"}
}

func record(s *Store, id, at string) error {
	_, err := s.Update(context.Background(), "record "+id, WriteOptions{}, func(tx *Tx) error {
		_, err := tx.AppendDeployment(testDeployment(id, at))
		return err
	})
	return err
}

// TestWriterUpdatesACleanCheckout: a write moves the branch and the work
// tree that has it checked out along, index and files, as git merge
// --ff-only would, so a commit made there next keeps the event.
func TestWriterUpdatesACleanCheckout(t *testing.T) {
	repo, wt, s := checkedOutRepo(t)
	// A change to a path the write does not touch is kept, as git keeps it.
	writeFiles(t, wt, map[string]string{"gitdora.yml": "trunk: develop\n", "notes.txt": "untracked\n"})
	if err := record(s, "d1", "2025-03-02T10:00:00Z"); err != nil {
		t.Fatal(err)
	}
	if err := record(s, "d2", "2025-04-02T10:00:00Z"); err != nil { // a new file, in a new month
		t.Fatal(err)
	}
	if got := gitRun(t, wt, "status", "--porcelain"); got != "M gitdora.yml\n?? notes.txt" && got != " M gitdora.yml\n?? notes.txt" {
		t.Errorf("git status in the work tree:\n%s\nwant only the user's own changes", got)
	}
	gitRun(t, wt, "diff", "--quiet", "--cached")     // the index is the new tip's
	gitRun(t, wt, "diff", "--quiet", "--", "events") // and so are the files
	if b, _ := os.ReadFile(filepath.Join(wt, "events/deployments/2025-04.csv")); !strings.Contains(string(b), "\nd2,") {
		t.Errorf("the new month's file in the work tree:\n%s", b)
	}
	gitRun(t, wt, "commit", "-qam", "trunk: develop")
	show := gitRun(t, repo, "show", DefaultBranch+":events/deployments/2025-03.csv")
	if !strings.Contains(show, "\nd1,") {
		t.Errorf("the commit made in the work tree reverted d1:\n%s", show)
	}
	gitRun(t, repo, "fsck", "--strict", "--no-dangling")
}

// TestWriterRefusesADirtyCheckout: local changes to a path the write
// changes, staged or not, an untracked file in its way, or a symbolic link
// above it refuse the write, name the work tree, and move nothing.
func TestWriterRefusesADirtyCheckout(t *testing.T) {
	for name, dirty := range map[string]func(t *testing.T, wt string){
		"modified": func(t *testing.T, wt string) {
			writeFiles(t, wt, map[string]string{"events/deployments/2025-03.csv": "edited\n"})
		},
		"staged": func(t *testing.T, wt string) {
			writeFiles(t, wt, map[string]string{"events/deployments/2025-03.csv": "edited\n"})
			gitRun(t, wt, "add", "events")
		},
		"untracked in the way": func(t *testing.T, wt string) {
			writeFiles(t, wt, map[string]string{"events/deployments/2025-04.csv": "mine\n"})
		},
		"symlink above": func(t *testing.T, wt string) {
			out := t.TempDir()
			if err := os.Symlink(out, filepath.Join(wt, "events", "incidents")); err != nil {
				t.Fatal(err)
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			repo, wt, s := checkedOutRepo(t)
			dirty(t, wt)
			before := refOf(t, repo, DefaultBranch)
			status := gitRun(t, wt, "status", "--porcelain")
			_, err := s.Update(context.Background(), "record", WriteOptions{}, func(tx *Tx) error {
				if _, err := tx.AppendDeployment(testDeployment("d1", "2025-03-02T10:00:00Z")); err != nil {
					return err
				}
				if _, err := tx.AppendDeployment(testDeployment("d2", "2025-04-02T10:00:00Z")); err != nil {
					return err
				}
				return tx.WriteFile("events/incidents/2025-03.csv", []byte(strings.Join(IncidentHeader, ",")+"\n"))
			})
			if !errors.Is(err, ErrCheckedOut) || !strings.Contains(err.Error(), "branch dora-data is checked out at "+wt) {
				t.Fatalf("err = %v, want ErrCheckedOut naming %s", err, wt)
			}
			if refOf(t, repo, DefaultBranch) != before {
				t.Error("the branch moved")
			}
			if got := gitRun(t, wt, "status", "--porcelain"); got != status {
				t.Errorf("git status changed from\n%s\nto\n%s", status, got)
			}
			if _, err := os.Stat(filepath.Join(wt, ".git")); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestWriterUpdatesTheMainWorkTree: a repository whose own HEAD is the
// data branch (a clone of it alone) is kept in step the same way.
func TestWriterUpdatesTheMainWorkTree(t *testing.T) {
	repo, _, s := checkedOutRepo(t)
	clone := filepath.Join(t.TempDir(), "data")
	gitRun(t, repo, "clone", "-q", "--branch", DefaultBranch, repo, clone)
	cs := mustOpen(t, clone, "")
	if err := record(cs, "d1", "2025-03-02T10:00:00Z"); err != nil {
		t.Fatal(err)
	}
	if got := gitRun(t, clone, "status", "--porcelain"); got != "" {
		t.Errorf("git status in the clone:\n%s", got)
	}
	if b, _ := os.ReadFile(filepath.Join(clone, "events/deployments/2025-03.csv")); !strings.Contains(string(b), "\nd1,") {
		t.Errorf("the clone's file:\n%s", b)
	}
	_ = s
}
