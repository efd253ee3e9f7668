package main

import "github.com/shopspring/decimal"

// spec is one hardware model as it appears on an inventory line: maker's
// specification, classification and a value basis in USD.
type spec struct {
	Key          string
	Manufacturer string
	Model        string
	PartNumber   string
	Category     string
	Description  string
	RackUnits    int
	CPUModel     string
	CPUSockets   int
	CPUCores     int // cores per processor
	Memory       string
	Storage      string
	Network      string
	PSU          string
	Mgmt         string
	TPM          bool
	Encryption   string // SED, none
	HS6          string // the international subheading, the same in every destination
	ECCN         string
	Origin       string // ISO 3166-1 alpha-2
	Serial       serialStyle
	NewValue     decimal.Decimal // USD, new unit price
	OrigCost     decimal.Decimal // USD, purchase cost of a second-hand unit
	RefurbPrice  decimal.Decimal // USD, transaction price of a refurbished unit sold
	NetKg        decimal.Decimal
	GrossKg      decimal.Decimal // boxed
	Pack         packClass
}

type serialStyle int

const (
	dellServiceTag serialStyle = iota
	hpeSerial
	ciscoSerial
	partSerial
)

type packClass int

const (
	pack1U packClass = iota
	pack2U
	packStorage
	packSwitch
	packSmall
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// specs lists the models of the program. Each model has exactly one HS
// subheading and one ECCN, whatever the destination.
func specTable() map[string]spec {
	return map[string]spec{
		"R640": {
			Key: "R640", Manufacturer: "Dell", Model: "PowerEdge R640", PartNumber: "210-AKWU",
			Category: "server", Description: "Dell PowerEdge R640 rack server 1U, 2x Intel Xeon Gold 6130, 384 GB RAM, 10 x 2.5in bays",
			RackUnits: 1, CPUModel: "Intel Xeon Gold 6130 (16C, 2.10 GHz)", CPUSockets: 2, CPUCores: 16,
			Memory: "384 GB DDR4-2666 (12x 32 GB RDIMM)", Storage: "2x 240 GB M.2 SATA (BOSS-S1 RAID1); 8x 1.92 TB SAS SSD SED (PERC H740P)",
			Network: "2x 10GbE SFP+ + 2x 1GbE BASE-T (Intel X710/i350 rNDC)", PSU: "2x 750 W Platinum hot-plug (1+1)",
			Mgmt: "iDRAC9 Enterprise", TPM: true, Encryption: "SED", HS6: "847150", ECCN: "5A992.c", Origin: "CN",
			Serial: dellServiceTag, NewValue: d("11800.00"), OrigCost: d("11800.00"), RefurbPrice: d("3650.00"),
			NetKg: d("19.90"), GrossKg: d("26.80"), Pack: pack1U,
		},
		"R740": {
			Key: "R740", Manufacturer: "Dell", Model: "PowerEdge R740", PartNumber: "210-AKXJ",
			Category: "server", Description: "Dell PowerEdge R740 rack server 2U, 2x Intel Xeon Gold 6138, 512 GB RAM, 16 x 2.5in bays",
			RackUnits: 2, CPUModel: "Intel Xeon Gold 6138 (20C, 2.00 GHz)", CPUSockets: 2, CPUCores: 20,
			Memory: "512 GB DDR4-2666 (16x 32 GB RDIMM)", Storage: "2x 240 GB M.2 SATA (BOSS-S1 RAID1); 16x 1.2 TB 10K SAS SED (PERC H740P)",
			Network: "2x 25GbE SFP28 + 2x 1GbE BASE-T (Broadcom 57414/5720 rNDC)", PSU: "2x 1100 W Platinum hot-plug (1+1)",
			Mgmt: "iDRAC9 Enterprise", TPM: true, Encryption: "SED", HS6: "847150", ECCN: "5A992.c", Origin: "CN",
			Serial: dellServiceTag, NewValue: d("14200.00"), OrigCost: d("14200.00"), RefurbPrice: d("4400.00"),
			NetKg: d("28.00"), GrossKg: d("36.50"), Pack: pack2U,
		},
		"R740xd": {
			Key: "R740xd", Manufacturer: "Dell", Model: "PowerEdge R740xd", PartNumber: "210-AKZR",
			Category: "server", Description: "Dell PowerEdge R740xd rack server 2U, 2x Intel Xeon Gold 6230, 384 GB RAM, 24 x 2.5in bays",
			RackUnits: 2, CPUModel: "Intel Xeon Gold 6230 (20C, 2.10 GHz)", CPUSockets: 2, CPUCores: 20,
			Memory: "384 GB DDR4-2933 (12x 32 GB RDIMM)", Storage: "2x 240 GB M.2 SATA (BOSS-S1 RAID1); 24x 2.4 TB 10K SAS SED (PERC H740P)",
			Network: "4x 10GbE SFP+ (Intel X710 rNDC)", PSU: "2x 1100 W Platinum hot-plug (1+1)",
			Mgmt: "iDRAC9 Enterprise", TPM: true, Encryption: "SED", HS6: "847150", ECCN: "5A992.c", Origin: "CN",
			Serial: dellServiceTag, NewValue: d("17600.00"), OrigCost: d("17600.00"), RefurbPrice: d("5900.00"),
			NetKg: d("29.50"), GrossKg: d("38.00"), Pack: pack2U,
		},
		"R650": {
			Key: "R650", Manufacturer: "Dell", Model: "PowerEdge R650", PartNumber: "210-AYJZ",
			Category: "server", Description: "Dell PowerEdge R650 rack server 1U, 2x Intel Xeon Gold 6338, 512 GB RAM, 10 x 2.5in NVMe bays",
			RackUnits: 1, CPUModel: "Intel Xeon Gold 6338 (32C, 2.00 GHz)", CPUSockets: 2, CPUCores: 32,
			Memory: "512 GB DDR4-3200 (16x 32 GB RDIMM)", Storage: "2x 480 GB M.2 SATA (BOSS-S2 RAID1); 8x 3.84 TB NVMe SSD",
			Network: "2x 25GbE SFP28 OCP 3.0 (Broadcom 57414) + 2x 1GbE LOM", PSU: "2x 1400 W Platinum hot-plug (1+1)",
			Mgmt: "iDRAC9 Datacenter", TPM: true, Encryption: "none", HS6: "847150", ECCN: "5A992.c", Origin: "CN",
			Serial: dellServiceTag, NewValue: d("14650.00"), Pack: pack1U,
			NetKg: d("20.20"), GrossKg: d("27.40"),
		},
		"R750": {
			Key: "R750", Manufacturer: "Dell", Model: "PowerEdge R750", PartNumber: "210-AYCG",
			Category: "server", Description: "Dell PowerEdge R750 rack server 2U, 2x Intel Xeon Gold 6348, 1 TB RAM, 12 x 2.5in bays",
			RackUnits: 2, CPUModel: "Intel Xeon Gold 6348 (28C, 2.60 GHz)", CPUSockets: 2, CPUCores: 28,
			Memory: "1024 GB DDR4-3200 (16x 64 GB RDIMM)", Storage: "2x 480 GB M.2 SATA (BOSS-S2 RAID1); 12x 3.84 TB SAS SSD SED (PERC H755)",
			Network: "4x 25GbE SFP28 OCP 3.0 (Broadcom 57504) + 2x 1GbE LOM", PSU: "2x 1400 W Platinum hot-plug (1+1)",
			Mgmt: "iDRAC9 Enterprise", TPM: true, Encryption: "SED", HS6: "847150", ECCN: "5A992.c", Origin: "CN",
			Serial: dellServiceTag, NewValue: d("21900.00"), Pack: pack2U,
			NetKg: d("32.50"), GrossKg: d("41.00"),
		},
		"DL360G10": {
			Key: "DL360G10", Manufacturer: "HPE", Model: "ProLiant DL360 Gen10", PartNumber: "867959-B21",
			Category: "server", Description: "HPE ProLiant DL360 Gen10 rack server 1U, 2x Intel Xeon Gold 5218, 256 GB RAM, 8 SFF bays",
			RackUnits: 1, CPUModel: "Intel Xeon Gold 5218 (16C, 2.30 GHz)", CPUSockets: 2, CPUCores: 16,
			Memory: "256 GB DDR4-2933 (8x 32 GB RDIMM)", Storage: "8x 960 GB SAS SSD (Smart Array P408i-a)",
			Network: "4x 1GbE embedded + 2x 10/25GbE SFP28 (HPE 640FLR-SFP28)", PSU: "2x 800 W Flex Slot Platinum hot-plug",
			Mgmt: "iLO 5 Advanced", TPM: true, Encryption: "none", HS6: "847150", ECCN: "5A992.c", Origin: "CZ",
			Serial: hpeSerial, NewValue: d("9400.00"), OrigCost: d("9400.00"), RefurbPrice: d("2950.00"),
			NetKg: d("15.90"), GrossKg: d("22.50"), Pack: pack1U,
		},
		"DL380G10": {
			Key: "DL380G10", Manufacturer: "HPE", Model: "ProLiant DL380 Gen10", PartNumber: "868703-B21",
			Category: "server", Description: "HPE ProLiant DL380 Gen10 rack server 2U, 2x Intel Xeon Gold 6248, 768 GB RAM, 8 SFF bays",
			RackUnits: 2, CPUModel: "Intel Xeon Gold 6248 (20C, 2.50 GHz)", CPUSockets: 2, CPUCores: 20,
			Memory: "768 GB DDR4-2933 (24x 32 GB RDIMM)", Storage: "6x 2.4 TB 10K SAS HDD + 2x 480 GB SATA SSD (Smart Array P816i-a)",
			Network: "4x 1GbE embedded + 2x 10/25GbE SFP28 (HPE 640SFP28)", PSU: "2x 800 W Flex Slot Platinum hot-plug",
			Mgmt: "iLO 5 Advanced", TPM: true, Encryption: "none", HS6: "847150", ECCN: "5A992.c", Origin: "CZ",
			Serial: hpeSerial, NewValue: d("12900.00"), OrigCost: d("12900.00"), RefurbPrice: d("3900.00"),
			NetKg: d("22.00"), GrossKg: d("30.20"), Pack: pack2U,
		},
		"ME4024": {
			Key: "ME4024", Manufacturer: "Dell", Model: "PowerVault ME4024", PartNumber: "210-AQIF",
			Category: "storage", Description: "Dell PowerVault ME4024 SAN storage array 2U, dual controller, 24x 1.92 TB SAS SSD SED",
			RackUnits: 2, Memory: "2x 8 GB controller cache", Storage: "24x 1.92 TB SAS SSD SED (46 TB raw)",
			Network: "8x 10GbE iSCSI SFP+ (4 per controller) + 2x 1GbE management", PSU: "2x 580 W hot-plug",
			Mgmt: "PowerVault Manager (dual controller)", TPM: false, Encryption: "SED", HS6: "847170", ECCN: "5A992.c", Origin: "CN",
			Serial: dellServiceTag, NewValue: d("26400.00"), Pack: packStorage,
			NetKg: d("27.80"), GrossKg: d("37.60"),
		},
		"N93180": {
			Key: "N93180", Manufacturer: "Cisco", Model: "Nexus 93180YC-FX", PartNumber: "N9K-C93180YC-FX",
			Category: "network-switch", Description: "Cisco Nexus 93180YC-FX data centre switch 1U, 48x 1/10/25G SFP28 + 6x 40/100G QSFP28",
			RackUnits: 1, Network: "48x 1/10/25 Gbit/s SFP28 + 6x 40/100 Gbit/s QSFP28", PSU: "2x 500 W AC hot-plug",
			Mgmt: "NX-OS, 1x RJ-45 management + console", Encryption: "none", HS6: "851762", ECCN: "5A992.c", Origin: "CN",
			Serial: ciscoSerial, NewValue: d("11350.00"), Pack: packSwitch,
			NetKg: d("8.90"), GrossKg: d("12.40"),
		},
		"C9300": {
			Key: "C9300", Manufacturer: "Cisco", Model: "Catalyst 9300-48P", PartNumber: "C9300-48P-E",
			Category: "network-switch", Description: "Cisco Catalyst 9300-48P access switch 1U, 48x 1G PoE+, network module 4x 10G SFP+",
			RackUnits: 1, Network: "48x 10/100/1000 PoE+ + C9300-NM-4G/4X network module (4x 10G SFP+)", PSU: "1x 715 W AC (PWR-C1-715WAC)",
			Mgmt: "IOS XE, 1x RJ-45 management + console", Encryption: "none", HS6: "851762", ECCN: "5A992.c", Origin: "CN",
			Serial: ciscoSerial, NewValue: d("6850.00"), Pack: packSwitch,
			NetKg: d("7.60"), GrossKg: d("10.90"),
		},
		"PSU750": {
			Key: "PSU750", Manufacturer: "Dell", Model: "750 W Platinum hot-plug power supply", PartNumber: "450-AEBN",
			Category: "power-supply", Description: "Dell 750 W hot-plug power supply (spare), 80 PLUS Platinum, for PowerEdge 14G/15G servers",
			PSU: "750 W, 100-240 V AC", Encryption: "none", HS6: "850440", ECCN: "EAR99", Origin: "CN",
			Serial: partSerial, NewValue: d("245.00"), Pack: packSmall,
			NetKg: d("0.90"), GrossKg: d("1.30"),
		},
		"RAILS": {
			Key: "RAILS", Manufacturer: "Dell", Model: "ReadyRails sliding rails with cable management arm", PartNumber: "770-BBBC",
			Category: "part", Description: "Dell ReadyRails sliding rails with cable management arm, for 1U PowerEdge servers (parts and accessories of 8471 machines)",
			Encryption: "none", HS6: "847330", ECCN: "EAR99", Origin: "CN",
			Serial: partSerial, NewValue: d("96.00"), Pack: packSmall,
			NetKg: d("3.10"), GrossKg: d("3.90"),
		},
	}
}

// nationalHS gives the tariff line per HS subheading and importing country.
// The 6-digit subheading is international; the extension is the national
// one (AHTN 8 digits in ASEAN, NCM in Brazil, TIGIE fracción plus NICO in
// Mexico (10 digits), 10 digits in
// Colombia, Malaysia and the United States). Illustrative: VERIFY against the
// national tariff before relying on them.
func nationalHSTable() map[string]map[string]string {
	return map[string]map[string]string{
		"847150": {"VN": "84715090", "ID": "84715090", "TH": "84715090", "MY": "8471509000", "PH": "84715090",
			"BR": "84715010", "MX": "8471500100", "CO": "8471500000", "CL": "84715000", "SG": "84715090", "US": "8471500150"},
		"847170": {"VN": "84717099", "ID": "84717099", "TH": "84717099", "MY": "8471709900", "PH": "84717099",
			"BR": "84717090", "MX": "8471700100", "CO": "8471700000", "CL": "84717000", "SG": "84717099", "US": "8471700000"},
		"851762": {"VN": "85176299", "ID": "85176299", "TH": "85176299", "MY": "8517629900", "PH": "85176299",
			"BR": "85176259", "MX": "8517629999", "CO": "8517620000", "CL": "85176200", "SG": "85176299", "US": "8517620090"},
		"850440": {"VN": "85044090", "ID": "85044090", "TH": "85044090", "MY": "8504409000", "PH": "85044090",
			"BR": "85044090", "MX": "8504409999", "CO": "8504409000", "CL": "85044090", "SG": "85044090", "US": "8504409580"},
		"847330": {"VN": "84733090", "ID": "84733090", "TH": "84733090", "MY": "8473309000", "PH": "84733090",
			"BR": "84733099", "MX": "8473309999", "CO": "8473300000", "CL": "84733000", "SG": "84733090", "US": "8473301180"},
	}
}
