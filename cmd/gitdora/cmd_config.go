package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/internal/bounded"
	"github.com/gitdora/gitdora/internal/esc"
	"github.com/gitdora/gitdora/internal/yamledit"
)

// ConfigCmd is `gitdora config`: read or change gitdora.yml on the data branch.
type ConfigCmd struct {
	Get  ConfigGetCmd  `cmd:"" help:"Print gitdora.yml, or the value in effect at KEY."`
	Set  ConfigSetCmd  `cmd:"" help:"Set KEY to VALUE in gitdora.yml, keeping its comments; one commit."`
	Edit ConfigEditCmd `cmd:"" help:"Edit gitdora.yml in $VISUAL or $EDITOR; one commit when it is valid."`
}

// maxConfigSize bounds gitdora.yml as read or edited.
const maxConfigSize = 1 << 20

// ConfigGetCmd is `gitdora config get`.
type ConfigGetCmd struct {
	Key string `arg:"" optional:"" help:"A dotted key, e.g. deploy.tag_pattern or severity.overrides.go/sql-injection."`
}

// Help shows examples.
func (c *ConfigGetCmd) Help() string {
	return "Without KEY, prints gitdora.yml as the data branch holds it (the built-in defaults when it has none).\n" +
		"With KEY, prints the value in effect: the file's, else the default.\n\n" +
		"Examples:\n  gitdora config get\n  gitdora config get deploy.tag_pattern\n  gitdora config get alerts.0"
}

// Run prints the file or the value.
func (c *ConfigGetCmd) Run(g *Globals) error {
	src, where, err := readConfig(g)
	if err != nil {
		return err
	}
	if c.Key == "" {
		_, err := g.Stdout.Write(printable(src))
		return err
	}
	n, ok, err := yamledit.Get(src, config.DefaultYAML, c.Key)
	if err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	if !ok {
		return fmt.Errorf("config get %s: no such key in %s nor in the defaults", c.Key, where)
	}
	var out []byte
	if n.Kind == yaml.ScalarNode {
		out = append([]byte(n.Value), '\n')
	} else {
		var b bytes.Buffer
		enc := yaml.NewEncoder(&b)
		enc.SetIndent(2)
		if err := enc.Encode(n); err != nil {
			return err
		}
		out = b.Bytes()
	}
	_, err = g.Stdout.Write(printable(out))
	return err
}

// readConfig returns gitdora.yml of --config, else of the data branch, else
// the built-in defaults, and names it.
func readConfig(g *Globals) ([]byte, string, error) {
	if g.Config != "" {
		b, err := bounded.ReadFile(g.Config, maxConfigSize, "a gitdora.yml")
		return b, g.Config, err
	}
	store, err := data.Open(g.Repo, g.Data)
	if err != nil {
		return nil, "", err
	}
	b, err := store.ReadFile(data.ConfigFile)
	if errors.Is(err, data.ErrNotExist) {
		return config.DefaultYAML, "gitdora.yml (built in)", nil
	}
	if err == nil && len(b) > maxConfigSize {
		err = fmt.Errorf("%s: larger than %d bytes", store.Where(data.ConfigFile), maxConfigSize)
	}
	return b, store.Where(data.ConfigFile), err
}

// printable escapes b as esc.Line escapes each line, tabs aside, so that
// a hostile gitdora.yml can neither drive the terminal nor start a
// workflow command of the CI runner.
func printable(b []byte) []byte {
	lines := strings.Split(string(b), "\n")
	for i, l := range lines {
		parts := strings.Split(l, "\t")
		for j, p := range parts {
			parts[j] = esc.Line(p)
		}
		lines[i] = strings.Join(parts, "\t")
	}
	return []byte(strings.Join(lines, "\n"))
}

// ConfigSetCmd is `gitdora config set`.
type ConfigSetCmd struct {
	Key   string `arg:"" help:"A dotted key, e.g. deploy.tag_pattern, trunk, targets.lead_time_p50_hours, alerts.0.for."`
	Value string `arg:"" help:"The value, as YAML for one value: text, a number, true or false."`
	pushFlags
}

// Help shows examples.
func (c *ConfigSetCmd) Help() string {
	return "Changes one value of gitdora.yml on the data branch in one commit, keeping the file's comments\n" +
		"and layout. The result is checked as gitdora reads it; an invalid one is not committed.\n\n" +
		"Examples:\n  gitdora config set deploy.tag_pattern 'release-*'\n  gitdora config set trunk develop --push\n" +
		"  gitdora config set severity.overrides.go/sql-injection critical"
}

// Run sets the value.
func (c *ConfigSetCmd) Run(g *Globals) error {
	if g.Config != "" {
		return errors.New("config set changes gitdora.yml on the data branch; --config names another file, edit that one yourself")
	}
	value, err := yamledit.Scalar(c.Value)
	if err != nil {
		return fmt.Errorf("config set %s: %w", c.Key, err)
	}
	return g.writeConfig(c.pushFlags, "gitdora config set "+c.Key, func(old []byte, where string) ([]byte, error) {
		b, _, err := yamledit.Set(old, config.DefaultYAML, c.Key, value)
		if err != nil {
			return nil, fmt.Errorf("config set %s: %s: %w", c.Key, where, err)
		}
		return b, nil
	})
}

// writeConfig changes gitdora.yml on the data branch in one commit: edit
// turns the file (the defaults when there is none) into the new one, which
// must parse as gitdora reads it.
func (g *Globals) writeConfig(p pushFlags, msg string, edit func(old []byte, where string) ([]byte, error)) error {
	store, err := data.Open(g.Repo, g.Data)
	if err != nil {
		return err
	}
	where := store.Where(data.ConfigFile)
	res, err := g.write(store, msg, p, func(tx *data.Tx) error {
		old, err := tx.ReadFile(data.ConfigFile)
		if errors.Is(err, data.ErrNotExist) {
			old = config.DefaultYAML
		} else if err != nil {
			return err
		}
		b, err := edit(old, where)
		if err != nil {
			return err
		}
		if len(b) > maxConfigSize {
			return fmt.Errorf("%s: the new file is larger than %d bytes", where, maxConfigSize)
		}
		if _, err := config.Parse(b, where+" (as changed)"); err != nil {
			return fmt.Errorf("not committed: %w", err)
		}
		return tx.WriteFile(data.ConfigFile, b)
	})
	if err != nil {
		return err
	}
	switch {
	case !res.Changed:
		g.Log.Info(where + " already says so; nothing changed")
	case res.Commit != "":
		attrs := []any{"commit", short(res.Commit)}
		if p.Push {
			attrs = append(attrs, "pushed_to", p.Remote)
		}
		g.Log.Info("changed "+where, attrs...)
	default:
		g.Log.Info("changed " + where)
	}
	return nil
}

// ConfigEditCmd is `gitdora config edit`.
type ConfigEditCmd struct {
	pushFlags
}

// Help shows an example.
func (c *ConfigEditCmd) Help() string {
	return "Opens a copy of gitdora.yml in $VISUAL, else $EDITOR, else vi. When the editor exits and the\n" +
		"file changed, it is checked as gitdora reads it and committed to the data branch in one commit;\n" +
		"an invalid file is not committed, and the copy is kept so that the edit is not lost.\n\n" +
		"Example:\n  EDITOR=nano gitdora config edit --push"
}

// Run edits the file.
func (c *ConfigEditCmd) Run(g *Globals) error {
	if g.Config != "" {
		return errors.New("config edit changes gitdora.yml on the data branch; --config names another file, edit that one yourself")
	}
	editor := strings.TrimSpace(os.Getenv("VISUAL"))
	if editor == "" {
		editor = strings.TrimSpace(os.Getenv("EDITOR"))
	}
	if editor == "" {
		editor = "vi"
	}
	var edited []byte
	tmp := ""
	defer func() {
		if tmp != "" {
			os.RemoveAll(filepath.Dir(tmp))
		}
	}()
	err := g.writeConfig(c.pushFlags, "gitdora config edit", func(old []byte, where string) ([]byte, error) {
		if edited != nil { // a retry on a new tip: the edit is made once
			return edited, nil
		}
		dir, err := os.MkdirTemp("", "gitdora-config-")
		if err != nil {
			return nil, err
		}
		tmp = filepath.Join(dir, "gitdora.yml")
		if err := os.WriteFile(tmp, old, 0o600); err != nil {
			return nil, err
		}
		// As git runs its editor: through the shell, so that EDITOR may
		// hold arguments ("code --wait").
		cmd := exec.Command("sh", "-c", editor+` "$@"`, editor, tmp)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, g.Stderr, g.Stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("editor %q: %w; nothing was committed", editor, err)
		}
		b, err := bounded.ReadFile(tmp, maxConfigSize, "a gitdora.yml")
		if err != nil {
			return nil, err
		}
		if _, err := config.Parse(b, "gitdora.yml (as edited)"); err != nil {
			// Kept, so that the edit is not lost.
			keep := filepath.Join(os.TempDir(), filepath.Base(dir)+".yml")
			if os.Rename(tmp, keep) != nil {
				keep, tmp = tmp, ""
			}
			return nil, fmt.Errorf("not committed: %w (your edit is kept in %s)", err, keep)
		}
		edited = b
		return b, nil
	})
	return err
}
