package data

import (
	"fmt"
	"os"

	"github.com/gitdora/gitdora/config"
)

// ConfigFile is the path of the configuration on the data branch.
const ConfigFile = "gitdora.yml"

// ReadConfigFile reads the configuration file at p (--config) over the
// defaults.
func ReadConfigFile(p string) (*config.Settings, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("--config: %w", err)
	}
	return config.Parse(b, p)
}
