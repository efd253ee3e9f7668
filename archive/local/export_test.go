package local

// NewNamedTemps opens dir like New but stages every Put in a named temporary
// file, the path taken where O_TMPFILE is unsupported.
func NewNamedTemps(dir string) (*Store, error) {
	s, err := New(dir)
	if err != nil {
		return nil, err
	}
	s.anon = false
	return s, nil
}

// StagesUnnamed says whether s stages puts in unnamed files.
func (s *Store) StagesUnnamed() bool { return s.anon }
