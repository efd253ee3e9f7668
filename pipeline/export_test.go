package pipeline

// HoldProgram turns the run's spool off (true) or on, for tests that compare
// the two; it returns the undo.
func HoldProgram(on bool) (undo func()) {
	was := holdProgram
	holdProgram = on
	return func() { holdProgram = was }
}

// SpoolDir makes spools in dir; it returns the undo.
func SpoolDir(dir string) (undo func()) {
	was := spoolDir
	spoolDir = dir
	return func() { spoolDir = was }
}
