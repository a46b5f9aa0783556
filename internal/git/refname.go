package git

import (
	"fmt"
	"strings"
)

// CheckBranchName checks a branch name as `git check-ref-format --branch`
// does: refs/heads/<name> must be a valid ref name (git-check-ref-format(1)),
// and the name must not be HEAD nor start with '-'. It is stricter than
// git in one case: "@" (git's shorthand for HEAD) is refused too.
func CheckBranchName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("a branch name is empty")
	case name == "HEAD" || name == "@":
		return fmt.Errorf("%q names the checked-out commit, not a branch", name)
	case strings.HasPrefix(name, "-"):
		return fmt.Errorf("%q starts with '-'", name)
	}
	if err := checkRefName("refs/heads/" + name); err != nil {
		return fmt.Errorf("%q is not a valid branch name: %v", name, err)
	}
	return nil
}

// CheckRemoteName checks a remote's name as `git remote add` does:
// refs/remotes/<name>/x must be a valid ref name. A URL is not a name.
func CheckRemoteName(name string) error {
	if name == "" {
		return fmt.Errorf("a remote name is empty")
	}
	if strings.Contains(name, "://") || strings.ContainsAny(name, "@:") {
		// Not echoed: a URL may carry a token.
		return fmt.Errorf("want the name of a configured remote (such as origin), not a URL; add the URL with: git remote add NAME URL")
	}
	if strings.HasPrefix(name, "-") {
		return fmt.Errorf("%q starts with '-'", name)
	}
	if err := checkRefName("refs/remotes/" + name + "/x"); err != nil {
		return fmt.Errorf("%q is not a remote name (want the name of a configured remote, such as origin): %v", name, err)
	}
	return nil
}

// checkRefName applies the rules of git-check-ref-format(1) to a full ref
// name (without --allow-onelevel, --refspec-pattern or --normalize).
func checkRefName(ref string) error {
	if ref == "@" {
		return fmt.Errorf("it is the single character '@'")
	}
	if strings.HasSuffix(ref, ".") {
		return fmt.Errorf("it ends with '.'")
	}
	for _, c := range strings.Split(ref, "/") {
		switch {
		case c == "":
			return fmt.Errorf("it has an empty part (a leading, trailing or double '/')")
		case strings.HasPrefix(c, "."):
			return fmt.Errorf("a part starts with '.'")
		case strings.HasSuffix(c, ".lock"):
			return fmt.Errorf("a part ends with \".lock\"")
		}
	}
	if strings.Contains(ref, "..") {
		return fmt.Errorf("it contains \"..\"")
	}
	if strings.Contains(ref, "@{") {
		return fmt.Errorf("it contains \"@{\"")
	}
	for i := 0; i < len(ref); i++ {
		b := ref[i]
		if b < 0x20 || b == 0x7f {
			return fmt.Errorf("it contains the control character %q", b)
		}
		if strings.IndexByte(" ~^:?*[\\", b) >= 0 {
			return fmt.Errorf("it contains %q", b)
		}
	}
	return nil
}
