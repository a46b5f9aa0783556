package gate

import (
	"os"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/gitdora/gitdora/policy"
)

// ReadWith leaves out what the policy exempts (counted as Exempt), counts
// what an expired exemption names, keeps the results of the severities
// asked for, and Judge blocks on block_on and warns on warn_on.
func TestReadWithPolicy(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "scan.sarif")
	log := `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Semgrep", "rules": [
	   {"id": "sqli", "properties": {"security-severity": "9.1"}},
	   {"id": "xss", "properties": {"security-severity": "7.5"}},
	   {"id": "weak", "properties": {"security-severity": "5.0"}}]}},
	  "results": [
	   {"ruleId": "sqli", "message": {"text": "1"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/db.py"}, "region": {"startLine": 4}}}]},
	   {"ruleId": "sqli", "message": {"text": "2"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "tests/db_test.py"}}}]},
	   {"ruleId": "xss", "message": {"text": "3"}, "partialFingerprints": {"primaryLocationLineHash": "aa:1"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "web/a.js"}}}]},
	   {"ruleId": "xss", "message": {"text": "4"}, "partialFingerprints": {"primaryLocationLineHash": "bb:1"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "web/b.js"}}}]},
	   {"ruleId": "weak", "message": {"text": "5"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/h.py"}}}]},
	   {"ruleId": "weak", "message": {"text": "6"}, "suppressions": [{"kind": "inSource"}]}]}]}`
	if err := os.WriteFile(name, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(`
exemptions:
  paths: ["tests/**"]
  findings:
    - {rule_id: xss, fingerprint: "aa:1", justification: j, expires: 2026-06-01}
    - {rule_id: weak, file: "src/*.py", justification: j, expires: 2026-03-01}
`), &n); err != nil {
		t.Fatal(err)
	}
	p, err := policy.Parse(&n)
	if err != nil {
		t.Fatal(err)
	}
	today := policy.Date{Year: 2026, Month: 4, Day: 1}
	g, _ := p.Gate(policy.PullRequest) // blocks on critical, high; warns on medium
	rep, err := ReadWith([]string{name}, Options{Policy: p, Today: today, Keep: append(g.BlockOn, g.WarnOn...)})
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Sum
	if s.Open["critical"] != 1 || s.Open["high"] != 1 || s.Open["medium"] != 1 || s.Exempt != 2 || s.Suppressed != 1 {
		t.Errorf("sum %+v: want 1 critical, 1 high, 1 medium open, 2 exempt (tests/**, xss aa:1), 1 suppressed", s)
	}
	weak := &p.Exemptions.Findings[1]
	if len(rep.Expired) != 1 || rep.Expired[weak] != 1 {
		t.Errorf("expired %v: want the weak exemption naming 1 result", rep.Expired)
	}
	v := rep.Judge(g)
	if v.Outcome != policy.Block || v.Blocking != 2 || v.Warning != 1 || len(v.Block) != 2 || len(v.Warn) != 1 {
		t.Fatalf("verdict %+v: want block, 2 blocking, 1 warning", v)
	}
	if f := v.Block[0]; f.RuleID != "sqli" || f.File != "src/db.py" || f.Line != 4 || f.Log != name || f.Message != "1" {
		t.Errorf("first blocking finding %+v", f)
	}
	if f := v.Warn[0]; f.RuleID != "weak" || f.File != "src/h.py" {
		t.Errorf("warning %+v", f)
	}
	main, _ := p.Gate(policy.Main) // blocks on critical; warns on high, medium
	if v := rep.Judge(main); v.Outcome != policy.Block || v.Blocking != 1 || v.Warning != 2 || len(v.Warn) != 2 {
		t.Errorf("main verdict %+v: want 1 blocking, 2 warnings", v)
	}
	pre, _ := p.Gate(policy.PreCommit) // warns on critical
	if v := rep.Judge(pre); v.Outcome != policy.Warn || v.Blocking != 0 || v.Warning != 1 {
		t.Errorf("pre_commit verdict %+v: want a warning", v)
	}
	// Before the weak exemption expired, it exempts its result.
	rep, err = ReadWith([]string{name}, Options{Policy: p, Today: policy.Date{Year: 2026, Month: 3, Day: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Sum.Exempt != 3 || rep.Sum.Open["medium"] != 0 || len(rep.Expired) != 0 || len(rep.Findings) != 0 {
		t.Errorf("on its last day: %+v, expired %v, findings %d", rep.Sum, rep.Expired, len(rep.Findings))
	}
}
