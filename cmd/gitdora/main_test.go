package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets testscript scripts run gitdora in-process as a command.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"gitdora": func() { os.Exit(Run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs testdata/script/*.txtar: whole commands as a user runs
// them. Scripts may use git (for fixtures), the shared corpus of SARIF
// files as $CORPUS_SARIF when [corpus] holds, and these extra commands:
//
//	gitref REPO REF   prints the hash REF points at in REPO, or "none"
func TestScripts(t *testing.T) {
	testscript.Run(t, scriptParams())
}

func scriptParams() testscript.Params {
	return testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("GIT_AUTHOR_NAME", "Ada Lovelace")
			env.Setenv("GIT_AUTHOR_EMAIL", "ada@example.com")
			env.Setenv("GIT_COMMITTER_NAME", "Ada Lovelace")
			env.Setenv("GIT_COMMITTER_EMAIL", "ada@example.com")
			env.Setenv("GIT_CONFIG_GLOBAL", env.WorkDir+"/.gitconfig-none")
			env.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			env.Setenv("HOME", env.WorkDir)
			if abs, err := filepath.Abs(corpusSARIF); err == nil {
				env.Setenv("CORPUS_SARIF", abs) // [corpus] says whether it is there
			}
			return nil
		},
		Condition: func(cond string) (bool, error) {
			if cond == "git" {
				_, err := exec.LookPath("git")
				return err == nil, nil
			}
			if cond == "corpus" {
				_, err := os.Stat(corpusSARIF)
				return err == nil, nil
			}
			return false, nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"gitref": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 2 {
					ts.Fatalf("usage: gitref REPO REF")
				}
				out, err := exec.Command("git", "-C", ts.MkAbs(args[0]), "rev-parse", "--verify", "-q", args[1]).Output()
				if err != nil {
					ts.Stdout().Write([]byte("none\n"))
					return
				}
				ts.Stdout().Write(out)
			},
		},
	}
}
