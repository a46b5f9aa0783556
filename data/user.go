package data

import (
	"github.com/go-git/go-git/v5/config"
)

// GitUser is who the git configuration of the repository at repoPath
// names as its user (user.name, else user.email; the repository's own
// configuration first, then the user's), or "" when it names none or
// there is no repository.
func GitUser(repoPath string) string {
	r, err := OpenRepo(repoPath)
	if err != nil {
		return ""
	}
	cfg, err := r.ConfigScoped(config.GlobalScope)
	if err != nil {
		return ""
	}
	if cfg.User.Name != "" {
		return cfg.User.Name
	}
	return cfg.User.Email
}
