package data

import (
	"fmt"
	"io"
	"os"

	"github.com/gitdora/gitdora/config"
)

// ConfigFile is the path of the configuration on the data branch.
const ConfigFile = "gitdora.yml"

// ReadConfigFile reads the configuration file at p (--config) over the
// defaults. Like gitdora.yml on the data branch, it is read up to 1 MiB.
func ReadConfigFile(p string) (*config.Settings, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("--config: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxConfigFile+1))
	if err != nil {
		return nil, fmt.Errorf("--config: %w", err)
	}
	if len(b) > maxConfigFile {
		return nil, fmt.Errorf("--config: %s: more than %d bytes, want a gitdora.yml", p, maxConfigFile)
	}
	return config.Parse(b, p)
}
