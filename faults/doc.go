// Package faults holds clearpack's fault tests (there is no code to import
// here): each builds bin/clearpack into a temporary directory and drives it as
// a user or a scheduler would, then breaks something under it (SIGKILL at ten
// points of a run, MinIO stopped mid-run, a full disk, keys that cannot be
// used, a clock that jumps backwards) and checks what the user is left with:
// a clear error, an archive whose complete packs all verify, no pack doubled,
// nothing corrupt, and a rerun that completes the batch.
//
//	go test ./faults/        (make faults; also part of make test)
package faults
