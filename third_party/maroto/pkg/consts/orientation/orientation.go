// Package orientation contains all orientations.
package orientation

// Type is a representation of a page orientation.
type Type string

const (
	// Vertical represents the portrait orientation.
	Vertical Type = "vertical"
	// Horizontal represents the landscape orientation.
	Horizontal Type = "horizontal"
)
