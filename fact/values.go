package fact

// Status is the outcome of a deployment.
type Status string

// Deployment statuses.
const (
	StatusSuccess Status = "success"
	StatusFailure Status = "failure"
	StatusBlocked Status = "blocked" // stopped by the security gate
)

// Category is what kind of failure an incident is.
type Category string

// Incident categories.
const (
	CategorySecurity    Category = "security"
	CategoryReliability Category = "reliability"
	CategoryOther       Category = "other"
)

// Severity is the severity of an incident or a finding.
type Severity string

// Severities, worst first. Info is tracked for findings only.
const (
	SeverityCritical Severity = "critical"
	SeverityHigh     Severity = "high"
	SeverityMedium   Severity = "medium"
	SeverityLow      Severity = "low"
	SeverityInfo     Severity = "info"
)

// Statuses, Categories and Severities list the accepted values of those
// enums (Severities without info, which incidents do not take).
var (
	Statuses   = []Status{StatusSuccess, StatusFailure, StatusBlocked}
	Categories = []Category{CategorySecurity, CategoryReliability, CategoryOther}
	Severities = []Severity{SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow}
)

// Names returns values of one of these types as plain strings, in order.
func Names[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
