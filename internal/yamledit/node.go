package yamledit

import "go.yaml.in/yaml/v3"

// Deref follows aliases and unwraps a document that holds one node, so
// that a reader sees the value; it stops after 8 steps (a cycle of
// aliases ends there).
func Deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && i < 8; i++ {
		switch n.Kind {
		case yaml.AliasNode:
			n = n.Alias
		case yaml.DocumentNode:
			if len(n.Content) != 1 {
				return n
			}
			n = n.Content[0]
		default:
			return n
		}
	}
	return n
}

// IsNull reports whether n is absent, empty or a YAML null.
func IsNull(n *yaml.Node) bool {
	return n == nil || n.Kind == 0 || n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}
