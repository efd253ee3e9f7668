package pack

import (
	"encoding/json"
	"fmt"

	"github.com/clearpack/clearpack/pipeline/model"
)

// Rejection is the archived report of a shipment stopped at the desk
// (failed validation), stored as RejectionName in the shipment's rejection
// directory with a detached signature beside it.
type Rejection struct {
	Program     string              `json:"program"`
	ProgramName string              `json:"program_name,omitempty"` // as the plan writes it
	Shipment    string              `json:"shipment"`
	Origin      string              `json:"origin"`
	Destination string              `json:"destination"`
	InputDigest string              `json:"input_digest"`
	Reasons     []string            `json:"reasons"`
	Checks      []model.CheckResult `json:"checks"`
}

// Marshal is the report's archived form (indented JSON).
func (r *Rejection) Marshal() ([]byte, error) {
	return json.MarshalIndent(r, "", "  ")
}

// ParseRejection reads an archived report.
func ParseRejection(b []byte) (*Rejection, error) {
	var r Rejection
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("rejection report: %w", err)
	}
	return &r, nil
}
