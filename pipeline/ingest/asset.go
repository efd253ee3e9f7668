package ingest

import (
	"encoding/json"
	"strings"

	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/shopspring/decimal"
)

// assetFrom fills an Asset from a checked record. It is the hot path of a
// large inventory, so it sets fields directly instead of going through JSON.
// Equal values are shared through in; the asset tag and serial, unique per
// row, are only copied.
func assetFrom(m map[string]any, in *interner) *model.Asset {
	a := &model.Asset{}
	for k, v := range m {
		switch x := v.(type) {
		case string:
			setAssetString(a, k, x, in)
		case json.Number:
			n, err := x.Int64()
			if err != nil {
				continue
			}
			switch k {
			case "year_of_manufacture":
				a.YearOfMfr = int(n)
			case "rack_units":
				a.RackUnits = int(n)
			case "cpu_sockets":
				a.CPUSockets = int(n)
			case "cpu_cores":
				a.CPUCores = int(n)
			case "valuation_method":
				a.ValuationMethod = int(n)
			}
		case bool:
			if k == "tpm" {
				a.TPM = x
			}
		case map[string]any:
			if k == "extra" {
				a.Extra = make(map[string]string, len(x))
				for ek, ev := range x {
					if s, ok := ev.(string); ok {
						a.Extra[in.str(ek)] = in.str(s)
					}
				}
			}
		}
	}
	return a
}

func setAssetString(a *model.Asset, k, s string, in *interner) {
	dec := func() decimal.Decimal { return in.dec(s) }
	switch k {
	case "asset_tag":
		a.AssetTag = strings.Clone(s)
		return
	case "serial":
		a.Serial = strings.Clone(s)
		return
	case "hs_code":
		a.HSCode = in.str(normHS(s))
		return
	}
	s = in.str(s)
	switch k {
	case "manufacturer":
		a.Manufacturer = s
	case "model":
		a.Model = s
	case "part_number":
		a.PartNumber = s
	case "category":
		a.Category = s
	case "description":
		a.Description = s
	case "condition":
		a.Condition = model.Condition(s)
	case "grade":
		a.Grade = s
	case "grading_standard":
		a.GradingStandard = s
	case "test_result":
		a.TestResult = s
	case "tested_by":
		a.TestedBy = s
	case "tested_on":
		a.TestedOn = s
	case "refurbisher":
		a.Refurbisher = s
	case "cpu_model":
		a.CPUModel = s
	case "memory":
		a.Memory = s
	case "storage":
		a.Storage = s
	case "network":
		a.Network = s
	case "power_supplies":
		a.PowerSupplies = s
	case "management_controller":
		a.ManagementController = s
	case "drive_encryption":
		a.DriveEncryption = s
	case "eccn":
		a.ECCN = s
	case "eccn_source":
		a.ECCNSource = s
	case "license_exception":
		a.LicenseException = s
	case "country_of_origin":
		a.CountryOfOrigin = s
	case "unit_value":
		a.UnitValue = dec()
	case "currency":
		a.Currency = s
	case "original_cost":
		a.OriginalCost = dec()
	case "depreciation_basis":
		a.DepreciationBasis = s
	case "net_weight_kg":
		a.NetWeightKg = dec()
	case "gross_weight_kg":
		a.GrossWeightKg = dec()
	case "sanitisation_method":
		a.SanitisationMethod = s
	case "sanitisation_text":
		a.SanitisationText = s
	case "tpm_text":
		a.TPMText = s
	case "sanitisation_date":
		a.SanitisationDate = s
	case "sanitisation_operator":
		a.SanitisationOperator = s
	case "sanitisation_verification":
		a.SanitisationVerification = s
	}
}
