package renderers

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/clearpack/clearpack/pipeline/model"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// fixturePack is a realistic refresh shipment: refurbished Dell and HPE
// servers from the Bangkok refurbishment site to Ho Chi Minh City,
// redeployed (no sale), cleared at Cat Lai.
func fixturePack() Pack {
	broker := model.Party{Name: "Công ty Cổ phần Giao nhận Tân Cảng", Address: "722 Điện Biên Phủ, Phường 22, Quận Bình Thạnh, TP. Hồ Chí Minh", Country: "VN", TaxID: "0301234567", Contact: "Trần Thị Mai", Email: "customs@tancang-logistics.example"}
	s := model.Shipment{
		ID: "SGN-2026-0042", Direction: model.Forward, Origin: "TH", Destination: "VN",
		Reason: "redeployment", Incoterms: model.Incoterms{Rule: "DAP", Place: "Ho Chi Minh City"},
		Currency: "USD", PaymentTerms: "No payment: intra-group redeployment",
		InvoiceNumber: "CI-2026-0042", InvoiceDate: "2026-03-09", ShipDate: "2026-03-10",
		Transport: model.Transport{Mode: "air", Route: "BKK-SGN", Carrier: "Thai Airways Cargo", Reference: "AWB 217-48213375"},
		Parties: model.Parties{
			Exporter:         model.Party{Name: "บริษัท สยามดาต้า โซลูชั่นส์ จำกัด", Address: "88 ถนนสีลม แขวงสุริยวงศ์ เขตบางรัก กรุงเทพมหานคร 10500", Country: "TH", TaxID: "0105561234567", Contact: "Somchai Prasert"},
			ExporterOfRecord: model.Party{Name: "Siam Data Solutions Co., Ltd.", Address: "88 Silom Road, Bang Rak, Bangkok 10500", Country: "TH", TaxID: "0105561234567"},
			ImporterOfRecord: model.Party{Name: "Công ty TNHH Giải pháp Số Sài Gòn", Address: "Tầng 12, Tòa nhà Bitexco, 2 Hải Triều, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh", Country: "VN", TaxID: "0316789012"},
			Consignee:        model.Party{Name: "Công ty TNHH Giải pháp Số Sài Gòn — Trung tâm dữ liệu Tân Thuận", Address: "Lô 14, Khu chế xuất Tân Thuận, Quận 7, TP. Hồ Chí Minh", Country: "VN", Contact: "Nguyễn Văn Đức", Phone: "+84 28 3770 1234"},
			Broker:           &broker,
		},
		Declarant: model.Declarant{Name: "Somchai Prasert", Position: "Trade Compliance Manager"},
		Freight:   dec("1850.00"), Insurance: dec("212.50"), Packing: dec("340.00"),
		Packages: []model.Package{
			{ID: "PLT-01", Type: "pallet", Marks: "SGN-2026-0042 / 1 of 2 / FRAGILE", LengthCm: dec("120"), WidthCm: dec("100"), HeightCm: dec("110"), GrossWeightKg: dec("215.4"), Assets: []string{"SDS-SRV-0101", "SDS-SRV-0102", "SDS-SRV-0103", "SDS-SRV-0104"}},
			{ID: "PLT-02", Type: "pallet", Marks: "SGN-2026-0042 / 2 of 2 / FRAGILE", LengthCm: dec("120"), WidthCm: dec("100"), HeightCm: dec("95"), GrossWeightKg: dec("168.2"), Assets: []string{"SDS-SRV-0201", "SDS-SRV-0202", "SDS-SRV-0203"}},
		},
		Permits: []model.Permit{{Type: "Re-import after repair exemption", Number: "18/2016/QĐ-TTg", IssuedBy: "Prime Minister of Viet Nam"}},
	}
	var assets []model.Asset
	for i := 1; i <= 4; i++ {
		a := model.Asset{
			AssetTag: fmt.Sprintf("SDS-SRV-%04d", 100+i), Serial: fmt.Sprintf("7XK%dQ2%d", i, 30+i), Manufacturer: "Dell", Model: "PowerEdge R740",
			PartNumber: "210-AKXJ", Category: "server", Description: "Dell PowerEdge R740 rack server, 2U, 2× Xeon Gold 6248",
			Condition: model.Refurbished, Grade: "A", GradingStandard: "R2v3 Appendix C", TestResult: "Pass: 72 h burn-in", TestedBy: "SDS Lab Bangkok", TestedOn: "2026-02-20",
			Refurbisher: "Siam Data Solutions (R2v3 cert. 2024-0187)", YearOfMfr: 2019, RackUnits: 2,
			CPUModel: "Intel Xeon Gold 6248 2.5 GHz", CPUSockets: 2, CPUCores: 20, Memory: "384 GB DDR4-2933", Storage: "8 × 1.92 TB SAS SSD",
			Network: "4 × 25 GbE SFP28", PowerSupplies: "2 × 1100 W", ManagementController: "iDRAC9 Enterprise", TPM: true, DriveEncryption: "SED",
			HSCode: "8471.50.90", ECCN: "5A992.c", ECCNSource: "manufacturer", CountryOfOrigin: "CN",
			UnitValue: dec("4250.00"), Currency: "USD", ValuationMethod: 6, OriginalCost: dec("18900.00"), DepreciationBasis: "Straight-line, 5 years, 40% residual after 3 yrs",
			NetWeightKg: dec("28.6"), GrossWeightKg: dec("33.1"),
			SanitisationMethod: "purge", SanitisationDate: "2026-02-18", SanitisationOperator: "Anan Wongsakul", SanitisationVerification: "Blancco cert. BL-88213" + fmt.Sprint(i),
			Src: model.Source{File: "inventory.csv", Line: 1 + i},
		}
		assets = append(assets, a)
	}
	for i := 1; i <= 3; i++ {
		a := model.Asset{
			AssetTag: fmt.Sprintf("SDS-SRV-%04d", 200+i), Serial: fmt.Sprintf("CZJ93%d0G7%d", i, i), Manufacturer: "HPE", Model: "ProLiant DL380 Gen10",
			PartNumber: "868703-B21", Category: "server",
			Condition: model.Refurbished, Grade: "B", GradingStandard: "R2v3 Appendix C", TestResult: "Pass", TestedBy: "SDS Lab Bangkok", TestedOn: "2026-02-21",
			Refurbisher: "Siam Data Solutions (R2v3 cert. 2024-0187)", YearOfMfr: 2020, RackUnits: 2,
			CPUModel: "Intel Xeon Silver 4214R", CPUSockets: 2, CPUCores: 12, Memory: "256 GB DDR4-2666", Storage: "4 × 2.4 TB SAS HDD",
			Network: "2 × 10 GbE SFP+", PowerSupplies: "2 × 800 W", ManagementController: "iLO 5", TPM: true, DriveEncryption: "none",
			HSCode: "8471.50.90", ECCN: "5A992.c", ECCNSource: "self", CountryOfOrigin: "CN",
			UnitValue: dec("2875.00"), Currency: "USD", ValuationMethod: 6, OriginalCost: dec("11500.00"), DepreciationBasis: "Straight-line, 5 years",
			NetWeightKg: dec("24.9"), GrossWeightKg: dec("29.8"),
			SanitisationMethod: "clear", SanitisationDate: "2026-02-19", SanitisationOperator: "Anan Wongsakul", SanitisationVerification: "Blancco cert. BL-8830" + fmt.Sprint(i),
			Src: model.Source{File: "inventory.csv", Line: 5 + i},
		}
		assets = append(assets, a)
	}
	for _, a := range assets {
		s.Assets = append(s.Assets, a.AssetTag)
	}
	return Pack{
		Program: "apac-refresh-2026", Shipment: s, Assets: assets, Version: 2, Supersedes: 1, Lang: "vi",
		Clearance: &model.Clearance{
			ShipmentID: s.ID, EntryNumber: "106123456780", EntryDate: "2026-03-11", ReleaseDate: "2026-03-12", Port: "Tan Son Nhat Airport (02B1)",
			Regime: "A12 (import for business)", ImporterTaxID: "0316789012", Currency: "VND",
			Duties: dec("0"), VAT: dec("60512500"), Fees: dec("20000"), Broker: "Công ty Cổ phần Giao nhận Tân Cảng", PODReference: "POD-SGN-77812",
			Lines: []model.ClearanceLine{
				{TariffLine: "8471.50.90", Description: "Dell PowerEdge R740, refurbished", Assets: []string{"SDS-SRV-0101", "SDS-SRV-0102", "SDS-SRV-0103", "SDS-SRV-0104"},
					CustomsValue: dec("385560000"), DutyRate: dec("0"), Duty: dec("0"), VAT: dec("38556000")},
				{TariffLine: "8471.50.90", Assets: []string{"SDS-SRV-0201", "SDS-SRV-0202", "SDS-SRV-0203"},
					CustomsValue: dec("219565000"), DutyRate: dec("0"), Duty: dec("0"), VAT: dec("21956500")},
			},
		},
		Checks: []model.CheckResult{
			{Rule: "vn.used-it-ban", Status: model.Pass, Source: "Circular 31/2015/TT-BTTTT; Decision 18/2016/QĐ-TTg", Detail: "Internal relocation exemption applies: redeployment within the group"},
			{Rule: "vn.used-machinery-age", Status: model.Pass, Source: "Decision 18/2019/QĐ-TTg", Detail: "Oldest unit made 2019: 7 years, limit 10"},
			{Rule: "valuation.consistent-method", Status: model.Warn, Source: "WTO Valuation Agreement", Detail: "inventory.csv:6 field depreciation_basis differs between HPE units of the same model"},
			{Rule: "export.eccn-present", Status: model.Pass, Source: "15 CFR 774", Detail: "All 7 units classified (5A992.c)"},
		},
		PreShipment: map[string]string{
			"commercial-invoice.pdf":    "3b5f0c2e9a1d4e7f8a6b2c0d1e3f5a7b9c8d6e4f2a0b1c3d5e7f9a8b6c4d2e0f",
			"packing-list.pdf":          "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d",
			"condition-declaration.pdf": "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9",
		},
	}
}

// bigPack is the fixture with n units spread over lines distinct invoice
// lines (unit values differ per line), packed 20 units to a pallet.
func bigPack(n, lines int) Pack {
	p := fixturePack()
	base := p.Assets[:]
	p.Assets = make([]model.Asset, 0, n)
	p.Shipment.Assets = nil
	p.Shipment.Packages = nil
	for i := 0; i < n; i++ {
		a := base[i%len(base)]
		line := i % lines
		a.AssetTag = fmt.Sprintf("BIG-%05d", i+1)
		a.Serial = fmt.Sprintf("SN%07dX", i+1)
		a.UnitValue = dec("1000.00").Add(decimal.NewFromInt(int64(line * 25)))
		a.Src = model.Source{File: "inventory.csv", Line: i + 2}
		p.Assets = append(p.Assets, a)
		p.Shipment.Assets = append(p.Shipment.Assets, a.AssetTag)
		if i%20 == 0 {
			p.Shipment.Packages = append(p.Shipment.Packages, model.Package{
				ID: fmt.Sprintf("PLT-%03d", i/20+1), Type: "pallet", Marks: "BIG / FRAGILE",
				LengthCm: dec("120"), WidthCm: dec("100"), HeightCm: dec("180"), GrossWeightKg: dec("690.5"),
			})
		}
		pk := &p.Shipment.Packages[len(p.Shipment.Packages)-1]
		pk.Assets = append(pk.Assets, a.AssetTag)
	}
	return p
}
