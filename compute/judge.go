package compute

// judge fills classification and targets of m from its metrics (issue 3).
func (h *History) judge(m *Month) {}
