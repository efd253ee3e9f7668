// Package fontfamily contains all default font families.
package fontfamily

const (
	// Arial represents an arial DefaultFont.
	Arial string = "arial"
	// Helvetica represents a helvetica DefaultFont.
	Helvetica string = "helvetica"
	// Symbol represents a symbol DefaultFont.
	Symbol string = "symbol"
	// ZapBats represents a zapfdingbats DefaultFont.
	ZapBats string = "zapfdingbats"
	// Courier represents a courier DefaultFont.
	Courier string = "courier"
)
