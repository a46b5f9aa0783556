package data

import (
	"context"
	"strings"
	"testing"
)

// TestTxDirs lists folders of the tip and of what is staged, in a data
// branch and in a plain directory.
func TestTxDirs(t *testing.T) {
	repo := newRepo(t)
	for name, s := range map[string]*Store{"branch": mustOpen(t, repo, ""), "directory": mustOpen(t, repo, t.TempDir())} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			seed := []string{"gitdora.yml", "scans/2025/12/aaa/x-1.sarif", "scans/2025/12/aaa/x-1.json", "scans/2026/01/bbb/y-2.sarif", "scans/2026/01/note.txt", "ci/2026/01/7.json"}
			if _, err := s.Update(ctx, "seed", WriteOptions{}, func(tx *Tx) error {
				for _, p := range seed {
					if err := tx.WriteFile(p, []byte(p)); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			_, err := s.Update(ctx, "more", WriteOptions{}, func(tx *Tx) error {
				for _, p := range []string{"scans/2026/02/ccc/z-3.sarif", "scans/2026/01/bbb/w-4.sarif", "scans/2026/01/other.txt"} {
					if err := tx.WriteFile(p, []byte(p)); err != nil {
						return err
					}
				}
				for _, c := range []struct {
					dir   string
					depth int
					want  string
				}{
					{"", 1, "ci scans"},
					{"scans", 1, "scans/2025 scans/2026"},
					{"scans", 2, "scans/2025/12 scans/2026/01 scans/2026/02"},
					{"/scans/", 3, "scans/2025/12/aaa scans/2026/01/bbb scans/2026/02/ccc"},
					{"scans/2026", 2, "scans/2026/01/bbb scans/2026/02/ccc"},
					{"scans", 4, ""}, // files only below the sha folders
					{"scans/2026/01/bbb", 1, ""},
					{"nope", 1, ""},
					{"gitdora.yml", 1, ""},
				} {
					got, err := tx.Dirs(c.dir, c.depth)
					if err != nil {
						return err
					}
					if strings.Join(got, " ") != c.want {
						t.Errorf("Dirs(%q, %d) = %q, want %q", c.dir, c.depth, got, c.want)
					}
				}
				if _, err := tx.Dirs("scans", 0); err == nil {
					t.Error("Dirs(scans, 0) did not fail")
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			// On the new tip (folders found before are remembered by tree
			// hash), a new month and a new commit folder show.
			_, err = s.Update(ctx, "again", WriteOptions{}, func(tx *Tx) error {
				for i := 0; i < 2; i++ {
					got, err := tx.Dirs("scans", 3)
					if err != nil {
						return err
					}
					if want := "scans/2025/12/aaa scans/2026/01/bbb scans/2026/02/ccc"; strings.Join(got, " ") != want {
						t.Errorf("Dirs(scans, 3) = %q, want %q", got, want)
					}
				}
				return tx.WriteFile("scans/2026/03/ddd/v-5.sarif", nil)
			})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Update(ctx, "last", WriteOptions{}, func(tx *Tx) error {
				got, err := tx.Dirs("scans", 3)
				if want := "scans/2025/12/aaa scans/2026/01/bbb scans/2026/02/ccc scans/2026/03/ddd"; strings.Join(got, " ") != want {
					t.Errorf("Dirs(scans, 3) = %q, want %q", got, want)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
