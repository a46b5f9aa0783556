package demo

import (
	"fmt"

	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/internal/gen"
)

// monorepoServices is what a monorepo demo adds to gitdora.yml: its three
// services by path (shared libraries in more than one), and its teams
// from CODEOWNERS.
const monorepoServices = `
# The services of this monorepo and their teams (docs/services.md).
services:
  - name: api
    paths: ["services/api/**", "services/search/**", "libs/common/**", "libs/proto/**"]
  - name: web
    paths: ["web/**", "libs/common/**"]
  - name: billing
    paths: ["services/billing/**", "libs/proto/**"]
teams:
  source: codeowners
`

// configureServices adds the services and teams to gitdora.yml.
func configureServices(tx *data.Tx) error {
	b, err := tx.ReadFile(data.ConfigFile)
	if err != nil {
		return err
	}
	return tx.WriteFile(data.ConfigFile, append(b, monorepoServices...))
}

// codeFile is the path of code file file of module mod: as the default
// layout has it, or the monorepo's.
func (p *Plan) codeFile(mod, file int) string {
	if p.Monorepo {
		return gen.MonoPath(mod, file)
	}
	return fmt.Sprintf("src/mod%02d/file%02d.go", mod, file)
}
