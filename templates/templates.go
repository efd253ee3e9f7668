// Package templates holds clearpack's data, embedded in the binary:
// translations, country profiles, fonts, the HS nomenclature and the JSON
// Schemas of the inputs. Each kind of data has its own file in this package
// with its own embed directive. Nothing here is code that decides; it is data
// that users can read, and (for country profiles) override with files of their
// own.
package templates
