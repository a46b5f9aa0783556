package data

import (
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/bounded"
)

// ConfigFile is the path of the configuration on the data branch.
const ConfigFile = "gitdora.yml"

// ReadConfigFile reads the configuration file at p (--config) over the
// defaults. Like gitdora.yml on the data branch, it is read up to 1 MiB.
func ReadConfigFile(p string) (*config.Settings, error) {
	b, err := bounded.ReadFile(p, maxConfigFile, "a gitdora.yml")
	if err != nil {
		return nil, &fact.InputError{Input: "config", Err: err}
	}
	return config.Parse(b, p)
}
