package data

// GitUser is who the git configuration of the repository at repoPath
// names as its user (user.name, else user.email; the repository's own
// configuration first, then the user's), or "" when it names none or
// there is no repository.
func GitUser(repoPath string) string {
	r, err := OpenRepo(repoPath)
	if err != nil {
		return ""
	}
	name, email := r.Identity()
	if name != "" {
		return name
	}
	return email
}
