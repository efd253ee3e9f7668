package utils

// Generator returns the coefficients of the generator polynomial of the
// given degree, highest degree first (clearpack fork: for an error
// correction computed without polynomial objects, see qr/fast.go). The
// slice is shared: do not modify it.
func (rs *ReedSolomonEncoder) Generator(degree int) []int {
	return rs.getPolynomial(degree).Coefficients
}

// Field returns the Galois field the encoder works in.
func (rs *ReedSolomonEncoder) Field() *GaloisField { return rs.gf }
