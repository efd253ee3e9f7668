package main

// line is one model line of a shipment: how many units of which model, in
// which condition.
type line struct {
	Model     string
	Qty       int
	Condition string // new, refurbished, used
	Grade     string // A, B or C for second-hand units
}

// freight says how freight is charged for a shipment, in USD.
type freight struct {
	Kind string // air (per chargeable kg), pallet (per pallet + fixed), flat
	Rate string
	Base string
}

// clearDef is what customs accepted for a shipment that has cleared.
type clearDef struct {
	EntryNumber string
	EntryDays   int // entry date = ship date + EntryDays
	ReleaseDays int // release date = entry date + ReleaseDays
	Port        string
	Regime      string
	Currency    string
	Held        bool
}

// shipDef is one consignment of the program, before assets are drawn.
type shipDef struct {
	ID          string
	Direction   string
	Exporter    string // site key
	Importer    string // site key (importer of record)
	Consignee   string // site key; "" = the importer
	Reason      string
	Rule        string
	Currency    string
	Payment     string
	Invoice     string
	InvoiceDate string
	ShipDate    string
	Mode        string
	Route       string
	Carrier     string
	AWBPrefix   string // IATA airline prefix for air, else the reference itself
	Reference   string
	Freight     freight
	// OnCarriageUSD is the part of the freight from the port or airport of
	// import to an inland named place (a DAP delivery by sea or air to the
	// door): the plan states the freight to the port apart
	// (freight_to_border), and the customs value leaves the rest out.
	OnCarriageUSD string
	Lines         []line
	Permits       []Permit
	Filings       []Filing // export filings at origin
	SpecList      bool
	Clearance     *clearDef
}

const (
	payNoValue = "No payment: no commercial value, value declared for customs purposes only"
	payIntra   = "Intercompany settlement, quarterly netting (transfer price per group policy)"
	payNet30   = "Net 30 days from invoice date, T/T"
	payNet45   = "Net 45 days from delivery, T/T"
)

// shipDefs lists the 20 consignments in plan order: 16 forward (one of them,
// APL26-BR-03, deliberately without the Brazilian import licence), 4 returns.
func shipDefs() []shipDef {
	return []shipDef{
		{
			ID: "APL26-VN-01", Direction: "forward", Exporter: "SG", Importer: "VN", Consignee: "VN-DC",
			Reason: "sale", Rule: "DAP", Currency: "USD", Payment: payNet30,
			Invoice: "MCS-INV-26-0011", InvoiceDate: "2026-02-06", ShipDate: "2026-02-10",
			Mode: "air", Route: "SIN-SGN", Carrier: "Singapore Airlines Cargo", AWBPrefix: "618",
			Freight:       freight{Kind: "air", Rate: "2.10"},
			OnCarriageUSD: "95.00",
			Lines:         []line{{Model: "R650", Qty: 8, Condition: "new"}, {Model: "N93180", Qty: 2, Condition: "new"}},
			Clearance: &clearDef{EntryNumber: "105830416274", EntryDays: 1, ReleaseDays: 1, Currency: "VND",
				Port:   "Chi cục Hải quan cửa khẩu Cảng hàng không quốc tế Tân Sơn Nhất (SGN)",
				Regime: "A11 – Nhập kinh doanh tiêu dùng (import for domestic consumption)"},
		},
		{
			ID: "APL26-ID-01", Direction: "forward", Exporter: "SG", Importer: "ID",
			Reason: "intra-company transfer", Rule: "DAP", Currency: "USD", Payment: payIntra,
			Invoice: "MCS-INV-26-0014", InvoiceDate: "2026-02-16", ShipDate: "2026-02-17",
			Mode: "sea", Route: "SGSIN-IDTPP", Carrier: "Samudera Shipping Line", Reference: "SSLSIN2602178841",
			Freight:       freight{Kind: "pallet", Rate: "95.00", Base: "350.00"},
			OnCarriageUSD: "165.00",
			Lines: []line{{Model: "R750", Qty: 6, Condition: "new"}, {Model: "ME4024", Qty: 1, Condition: "new"},
				{Model: "C9300", Qty: 2, Condition: "new"}},
			Clearance: &clearDef{EntryNumber: "040300-004512-20260220", EntryDays: 3, ReleaseDays: 2, Currency: "IDR",
				Port:   "Pelabuhan Tanjung Priok (KPU Bea dan Cukai Tipe A Tanjung Priok)",
				Regime: "BC 2.0 – Impor untuk dipakai (import for use)"},
		},
		{
			ID: "APL26-TH-01", Direction: "forward", Exporter: "SG", Importer: "TH",
			Reason: "sale", Rule: "DAP", Currency: "USD", Payment: payNet30,
			Invoice: "MCS-INV-26-0019", InvoiceDate: "2026-03-02", ShipDate: "2026-03-03",
			Mode: "air", Route: "SIN-BKK", Carrier: "Thai Airways Cargo", AWBPrefix: "217",
			Freight:       freight{Kind: "air", Rate: "1.95"},
			OnCarriageUSD: "85.00",
			Lines:         []line{{Model: "R650", Qty: 8, Condition: "new"}, {Model: "PSU750", Qty: 4, Condition: "new"}},
			Clearance: &clearDef{EntryNumber: "A2801690300412", EntryDays: 1, ReleaseDays: 1, Currency: "THB",
				Port:   "ด่านศุลกากรท่าอากาศยานสุวรรณภูมิ (Suvarnabhumi Airport Customs)",
				Regime: "Import for home consumption (ใบขนสินค้าขาเข้า)"},
		},
		{
			ID: "APL26-MY-01", Direction: "forward", Exporter: "SG", Importer: "MY",
			Reason: "sale", Rule: "DAP", Currency: "USD", Payment: payNet45,
			Invoice: "MCS-INV-26-0022", InvoiceDate: "2026-03-09", ShipDate: "2026-03-10",
			Mode: "road", Route: "Singapore (Tuas Checkpoint) - Johor Bahru - Cyberjaya", Carrier: "Trans-Causeway Haulage Sdn. Bhd.", Reference: "TCH-CMR-260310-0457",
			Freight: freight{Kind: "flat", Base: "1450.00"},
			Lines: []line{{Model: "R650", Qty: 10, Condition: "new"}, {Model: "N93180", Qty: 2, Condition: "new"},
				{Model: "C9300", Qty: 2, Condition: "new"}},
			Clearance: &clearDef{EntryNumber: "K1-B17-20260311-004521", EntryDays: 1, ReleaseDays: 1, Currency: "MYR",
				Port:   "Bangunan Sultan Iskandar (BSI), Johor Bahru",
				Regime: "K1 – Import for home consumption"},
		},
		{
			ID: "APL26-PH-01", Direction: "forward", Exporter: "SG", Importer: "PH",
			Reason: "intra-company transfer", Rule: "CIP", Currency: "USD", Payment: payIntra,
			Invoice: "MCS-INV-26-0025", InvoiceDate: "2026-03-17", ShipDate: "2026-03-17",
			Mode: "air", Route: "SIN-MNL", Carrier: "Philippine Airlines Cargo", AWBPrefix: "079",
			Freight: freight{Kind: "air", Rate: "2.40"},
			Lines: []line{{Model: "R750", Qty: 6, Condition: "new"}, {Model: "ME4024", Qty: 1, Condition: "new"},
				{Model: "RAILS", Qty: 6, Condition: "new"}},
			Clearance: &clearDef{EntryNumber: "IED-P03-2026-0004521", EntryDays: 1, ReleaseDays: 2, Currency: "PHP",
				Port:   "Port of NAIA (Ninoy Aquino International Airport), Pasay City",
				Regime: "Consumption entry (formal)"},
		},
		{
			ID: "APL26-BR-01", Direction: "forward", Exporter: "US", Importer: "BR",
			Reason: "sale", Rule: "CIP", Currency: "BRL", Payment: "Pagamento a 60 dias da data da fatura, transferência bancária (60 days from invoice date)",
			Invoice: "MCI-INV-26-0103", InvoiceDate: "2026-03-20", ShipDate: "2026-03-24",
			Mode: "air", Route: "DFW-GRU", Carrier: "LATAM Cargo", AWBPrefix: "045",
			Freight:  freight{Kind: "air", Rate: "4.60"},
			SpecList: true,
			Filings:  []Filing{{Type: "AES ITN", Number: "X20260323418207", Date: "2026-03-23", IssuedBy: "U.S. Census Bureau AESDirect"}},
			Lines:    []line{{Model: "R750", Qty: 6, Condition: "new"}, {Model: "ME4024", Qty: 1, Condition: "new"}},
			Clearance: &clearDef{EntryNumber: "26BR0000452137-6", EntryDays: 2, ReleaseDays: 3, Currency: "BRL",
				Port:   "Alfândega da Receita Federal do Brasil no Aeroporto Internacional de Guarulhos (GRU)",
				Regime: "Importação comum para consumo (DUIMP)"},
		},
		{
			ID: "APL26-MX-01", Direction: "forward", Exporter: "US", Importer: "MX", Consignee: "MX-DC",
			Reason: "sale", Rule: "DAP", Currency: "MXN", Payment: "Crédito a 30 días de la fecha de factura (net 30 days)",
			Invoice: "MCI-INV-26-0108", InvoiceDate: "2026-04-06", ShipDate: "2026-04-07",
			Mode: "road", Route: "Round Rock TX - Laredo TX - Nuevo Laredo - Querétaro", Carrier: "Transportes Frontera Norte, S.A. de C.V.", Reference: "BOL-TFN-260407-1183",
			Freight: freight{Kind: "flat", Base: "2850.00"},
			Filings: []Filing{{Type: "AES ITN", Number: "X20260406418533", Date: "2026-04-06", IssuedBy: "U.S. Census Bureau AESDirect"}},
			Lines: []line{{Model: "R650", Qty: 8, Condition: "new"}, {Model: "N93180", Qty: 2, Condition: "new"},
				{Model: "C9300", Qty: 2, Condition: "new"}},
			Permits: []Permit{{Type: "NOM certificate", Number: "NYCE/CP/NOM-019-SE-2021/2026/01284", IssuedBy: "NYCE (organismo de certificación acreditado)", ValidUntil: "2027-01-31"}},
			Clearance: &clearDef{EntryNumber: "262434566000412", EntryDays: 2, ReleaseDays: 0, Currency: "MXN",
				Port:   "Aduana de Nuevo Laredo (240)",
				Regime: "A1 – Importación definitiva"},
		},
		{
			ID: "APL26-CO-01", Direction: "forward", Exporter: "US", Importer: "CO",
			Reason: "redeployment", Rule: "DAP", Currency: "USD", Payment: payNoValue,
			Invoice: "MCI-INV-26-0112", InvoiceDate: "2026-04-20", ShipDate: "2026-04-21",
			Mode: "air", Route: "DFW-MIA-BOG", Carrier: "Avianca Cargo", AWBPrefix: "729",
			Freight:       freight{Kind: "air", Rate: "3.80"},
			OnCarriageUSD: "120.00",
			Filings:       []Filing{{Type: "AES ITN", Number: "X20260420419012", Date: "2026-04-20", IssuedBy: "U.S. Census Bureau AESDirect"}},
			Lines:         []line{{Model: "R740", Qty: 5, Condition: "refurbished", Grade: "A"}},
			Permits:       []Permit{{Type: "import-licence", Number: "LI-VUCE-2026-0045127", IssuedBy: "Ministerio de Comercio, Industria y Turismo (VUCE)", ValidUntil: "2026-10-15"}},
			Clearance: &clearDef{EntryNumber: "482026000045127", EntryDays: 2, ReleaseDays: 2, Currency: "COP",
				Port:   "Aeropuerto Internacional El Dorado (BOG) – Dirección Seccional de Aduanas de Bogotá",
				Regime: "Importación ordinaria (C100)"},
		},
		{
			ID: "APL26-VN-02", Direction: "forward", Exporter: "SG", Importer: "VN",
			Reason: "redeployment", Rule: "DAP", Currency: "USD", Payment: payNoValue,
			Invoice: "MCS-INV-26-0031", InvoiceDate: "2026-05-04", ShipDate: "2026-05-05",
			Mode: "air", Route: "SIN-SGN", Carrier: "Vietnam Airlines Cargo", AWBPrefix: "738",
			Freight:       freight{Kind: "air", Rate: "2.10"},
			OnCarriageUSD: "70.00",
			Lines:         []line{{Model: "R640", Qty: 6, Condition: "refurbished", Grade: "A"}},
			Permits:       []Permit{{Type: "relocation-exception", Number: "1482/BKHCN-CVT", IssuedBy: "Bộ Khoa học và Công nghệ (Ministry of Science and Technology)", ValidUntil: "2026-12-31"}},
		},
		{
			ID: "APL26-MX-02", Direction: "forward", Exporter: "US", Importer: "MX",
			Reason: "intra-company transfer", Rule: "DAP", Currency: "USD", Payment: payIntra,
			Invoice: "MCI-INV-26-0117", InvoiceDate: "2026-05-18", ShipDate: "2026-05-19",
			Mode: "air", Route: "DFW-QRO", Carrier: "American Airlines Cargo", AWBPrefix: "001",
			Freight:       freight{Kind: "air", Rate: "3.10"},
			OnCarriageUSD: "110.00",
			Filings:       []Filing{{Type: "AES ITN", Number: "X20260518419370", Date: "2026-05-18", IssuedBy: "U.S. Census Bureau AESDirect"}},
			Lines:         []line{{Model: "DL360G10", Qty: 6, Condition: "refurbished", Grade: "A"}},
			Permits:       []Permit{{Type: "NOM certificate", Number: "NYCE/CP/NOM-019-SE-2021/2026/01391", IssuedBy: "NYCE (organismo de certificación acreditado)", ValidUntil: "2027-03-31"}},
			Clearance: &clearDef{EntryNumber: "266434566000587", EntryDays: 1, ReleaseDays: 6, Currency: "MXN", Held: true,
				Port:   "Aduana de Querétaro (640)",
				Regime: "A1 – Importación definitiva"},
		},
		{
			ID: "APL26-ID-02", Direction: "forward", Exporter: "SG", Importer: "ID",
			Reason: "redeployment", Rule: "DAP", Currency: "USD", Payment: payNoValue,
			Invoice: "MCS-INV-26-0038", InvoiceDate: "2026-06-08", ShipDate: "2026-06-09",
			Mode: "air", Route: "SIN-CGK", Carrier: "Garuda Indonesia Cargo", AWBPrefix: "126",
			Freight:       freight{Kind: "air", Rate: "2.30"},
			OnCarriageUSD: "120.00",
			Lines:         []line{{Model: "DL380G10", Qty: 6, Condition: "refurbished", Grade: "A"}},
			Permits: []Permit{
				{Type: "import-approval", Number: "04.PI-54.26.0123", IssuedBy: "Kementerian Perdagangan, Direktorat Jenderal Perdagangan Luar Negeri", ValidUntil: "2026-12-31"},
				{Type: "pre-shipment-inspection", Number: "LS-SI-2026-004512", IssuedBy: "PT Surveyor Indonesia (Persero)", ValidUntil: "2026-07-09"},
			},
		},
		{
			ID: "APL26-TH-02", Direction: "forward", Exporter: "SG", Importer: "TH",
			Reason: "redeployment", Rule: "DAP", Currency: "USD", Payment: payNoValue,
			Invoice: "MCS-INV-26-0041", InvoiceDate: "2026-06-22", ShipDate: "2026-06-23",
			Mode: "air", Route: "SIN-BKK", Carrier: "Thai Airways Cargo", AWBPrefix: "217",
			Freight:       freight{Kind: "air", Rate: "1.95"},
			OnCarriageUSD: "85.00",
			Lines:         []line{{Model: "R740", Qty: 5, Condition: "refurbished", Grade: "A"}},
			Permits:       []Permit{{Type: "used-eee-import-permit", Number: "DIW-UEE-2569-00871", IssuedBy: "กรมโรงงานอุตสาหกรรม (Department of Industrial Works)", ValidUntil: "2026-12-31"}},
		},
		{
			ID: "APL26-MY-02", Direction: "forward", Exporter: "SG", Importer: "MY",
			Reason: "sale", Rule: "DAP", Currency: "USD", Payment: payNet30,
			Invoice: "MCS-INV-26-0046", InvoiceDate: "2026-07-13", ShipDate: "2026-07-14",
			Mode: "road", Route: "Singapore (Tuas Checkpoint) - Johor Bahru - Cyberjaya", Carrier: "Trans-Causeway Haulage Sdn. Bhd.", Reference: "TCH-CMR-260714-0612",
			Freight: freight{Kind: "flat", Base: "1450.00"},
			Lines:   []line{{Model: "R640", Qty: 8, Condition: "refurbished", Grade: "B"}},
		},
		{
			ID: "APL26-BR-02", Direction: "forward", Exporter: "US", Importer: "BR",
			Reason: "redeployment", Rule: "CIP", Currency: "USD", Payment: payNoValue,
			Invoice: "MCI-INV-26-0124", InvoiceDate: "2026-07-31", ShipDate: "2026-08-04",
			Mode: "sea", Route: "USHOU-BRSSZ", Carrier: "Maersk", Reference: "MAEU264118093",
			Freight: freight{Kind: "pallet", Rate: "310.00", Base: "650.00"},
			Filings: []Filing{{Type: "AES ITN", Number: "X20260803420144", Date: "2026-08-03", IssuedBy: "U.S. Census Bureau AESDirect"}},
			Lines:   []line{{Model: "R740xd", Qty: 6, Condition: "refurbished", Grade: "A"}},
			Permits: []Permit{{Type: "LI", Number: "26/1834527-3", IssuedBy: "SECEX / DECEX (Siscomex)", IssuedOn: "2026-07-15", ValidUntil: "2026-10-29"}},
		},
		{
			// Deliberately held: refurbished servers into Brazil with no
			// non-automatic import licence (LI). See README.md.
			ID: "APL26-BR-03", Direction: "forward", Exporter: "US", Importer: "BR",
			Reason: "sale", Rule: "CIP", Currency: "USD", Payment: payNet30,
			Invoice: "MCI-INV-26-0127", InvoiceDate: "2026-08-17", ShipDate: "2026-08-18",
			Mode: "air", Route: "DFW-GRU", Carrier: "LATAM Cargo", AWBPrefix: "045",
			Freight: freight{Kind: "air", Rate: "4.60"},
			Filings: []Filing{{Type: "AES ITN", Number: "X20260817420519", Date: "2026-08-17", IssuedBy: "U.S. Census Bureau AESDirect"}},
			Lines:   []line{{Model: "R640", Qty: 5, Condition: "refurbished", Grade: "A"}},
		},
		{
			ID: "APL26-CL-01", Direction: "forward", Exporter: "US", Importer: "CL",
			Reason: "sale", Rule: "DAP", Currency: "USD", Payment: payNet30,
			Invoice: "MCI-INV-26-0131", InvoiceDate: "2026-08-31", ShipDate: "2026-09-01",
			Mode: "air", Route: "DFW-MIA-SCL", Carrier: "LATAM Cargo", AWBPrefix: "045",
			Freight:       freight{Kind: "air", Rate: "4.90"},
			OnCarriageUSD: "140.00",
			Filings:       []Filing{{Type: "AES ITN", Number: "X20260831420866", Date: "2026-08-31", IssuedBy: "U.S. Census Bureau AESDirect"}},
			Lines: []line{{Model: "R650", Qty: 4, Condition: "new"}, {Model: "DL360G10", Qty: 4, Condition: "refurbished", Grade: "A"},
				{Model: "RAILS", Qty: 4, Condition: "new"}},
		},
		{
			ID: "APL26-RET-VN-01", Direction: "return", Exporter: "VN", Importer: "SG-REFURB",
			Reason: "return for refurbishment", Rule: "FCA", Currency: "USD", Payment: payNoValue,
			Invoice: "GPSSG-XK-26-0003", InvoiceDate: "2026-03-13", ShipDate: "2026-03-16",
			Mode: "air", Route: "SGN-SIN", Carrier: "Vietnam Airlines Cargo", AWBPrefix: "738",
			Filings: []Filing{{Type: "tờ khai xuất khẩu", Number: "305412873640", Date: "2026-03-15", IssuedBy: "Chi cục Hải quan cửa khẩu Cảng hàng không quốc tế Tân Sơn Nhất"}},
			Freight: freight{Kind: "air", Rate: "2.20"},
			Lines:   []line{{Model: "R640", Qty: 6, Condition: "used", Grade: "C"}},
			Clearance: &clearDef{EntryNumber: "TN26031845120", EntryDays: 1, ReleaseDays: 0, Currency: "SGD",
				Port:   "Changi Airfreight Centre (SIN)",
				Regime: "IN permit – import for refurbishment, GST payable"},
		},
		{
			ID: "APL26-RET-ID-01", Direction: "return", Exporter: "ID", Importer: "SG-REFURB",
			Reason: "return for refurbishment", Rule: "FCA", Currency: "USD", Payment: payNoValue,
			Invoice: "SDN-EKS-26-0007", InvoiceDate: "2026-07-06", ShipDate: "2026-07-07",
			Mode: "air", Route: "CGK-SIN", Carrier: "Garuda Indonesia Cargo", AWBPrefix: "126",
			Filings: []Filing{{Type: "PEB", Number: "040300-000871", Date: "2026-07-06", IssuedBy: "KPU Bea dan Cukai Tipe C Soekarno-Hatta"}},
			Freight: freight{Kind: "air", Rate: "2.30"},
			Lines:   []line{{Model: "DL360G10", Qty: 5, Condition: "used", Grade: "C"}},
		},
		{
			ID: "APL26-RET-MX-01", Direction: "return", Exporter: "MX", Importer: "US-REFURB",
			Reason: "return for refurbishment", Rule: "FCA", Currency: "USD", Payment: payNoValue,
			Invoice: "CDQ-EXP-26-0015", InvoiceDate: "2026-09-14", ShipDate: "2026-09-15",
			Mode: "road", Route: "Querétaro - Nuevo Laredo - Laredo TX - Round Rock TX", Carrier: "Transportes Frontera Norte, S.A. de C.V.", Reference: "BOL-TFN-260915-1420",
			Freight: freight{Kind: "flat", Base: "1900.00"},
			Filings: []Filing{
				{Type: "pedimento de exportación", Number: "26 64 3456 6001187", Date: "2026-09-14", IssuedBy: "Aduana de Querétaro (640), agente aduanal patente 3456"},
				{Type: "CFDI", Number: "5F2A9C41-7B3D-4E8A-9C12-3D7E1B6A0F48", Date: "2026-09-14", IssuedBy: "SAT (Complemento para Comercio Exterior 2.0)"},
			},
			Lines: []line{{Model: "DL380G10", Qty: 6, Condition: "used", Grade: "C"}},
		},
		{
			ID: "APL26-RET-BR-01", Direction: "return", Exporter: "BR", Importer: "US-REFURB",
			Reason: "return for refurbishment", Rule: "FCA", Currency: "USD", Payment: payNoValue,
			Invoice: "SNSP-EXP-26-0004", InvoiceDate: "2026-10-05", ShipDate: "2026-10-06",
			Mode: "air", Route: "GRU-DFW", Carrier: "LATAM Cargo", AWBPrefix: "045",
			Freight: freight{Kind: "air", Rate: "4.40"},
			Filings: []Filing{
				{Type: "DU-E", Number: "26BR0011874523", Date: "2026-10-05", IssuedBy: "Portal Único Siscomex (Receita Federal)"},
				{Type: "NF-e", Number: "35261034567812000135550010000012341100452198", Date: "2026-10-05", IssuedBy: "SEFAZ-SP"},
			},
			Lines: []line{{Model: "R740", Qty: 4, Condition: "used", Grade: "C"}},
		},
	}
}

// spares are units in the Singapore hub on no shipment.
func spares() []line {
	return []line{
		{Model: "R650", Qty: 3, Condition: "new"},
		{Model: "ME4024", Qty: 1, Condition: "new"},
		{Model: "PSU750", Qty: 2, Condition: "new"},
		{Model: "R640", Qty: 2, Condition: "refurbished", Grade: "B"},
	}
}
