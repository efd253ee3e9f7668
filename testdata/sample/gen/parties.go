package main

// Party is model.Party as written in the plan.
type Party struct {
	Name    string `yaml:"name"`
	Address string `yaml:"address"`
	Country string `yaml:"country"`
	TaxID   string `yaml:"tax_id,omitempty"`
	Contact string `yaml:"contact,omitempty"`
	Email   string `yaml:"email,omitempty"`
	Phone   string `yaml:"phone,omitempty"`
}

// site is one legal entity of the program, with the people who act for it.
type site struct {
	Party
	Declarant Declarant
	// Broker is the customs broker this entity uses when it imports.
	Broker Party
	// Airport or port code used in routes and package marks.
	Gateway string
	// Place is the Incoterms named place for deliveries to this entity.
	Place string
}

// sites returns every entity of the program by key. Tax ids carry valid check
// digits where the country defines one (CNPJ, NIT, RUT, Thai TIN).
func sites() map[string]site {
	return map[string]site{
		"SG": {
			Party: Party{
				Name:    "Meridian Compute Pte. Ltd.",
				Address: "18 Changi North Crescent, #03-02, Singapore 499626",
				Country: "SG", TaxID: "201934512K",
				Contact: "Tan Wei Ling", Email: "trade.compliance@meridian-compute.example", Phone: "+65 6545 8120",
			},
			Declarant: Declarant{Name: "Tan Wei Ling", Position: "Trade Compliance Manager"},
			Broker: Party{Name: "Changi Customs Services Pte. Ltd.", Address: "9 Airline Road, #02-18 Cargo Agents Building D, Singapore 819827",
				Country: "SG", TaxID: "200812345W", Contact: "Muhammad Faizal", Email: "entries@changi-customs.example", Phone: "+65 6214 3300"},
			Gateway: "SIN", Place: "Meridian Compute Refurbishment Centre, Singapore",
		},
		"SG-REFURB": {
			Party: Party{
				Name:    "Meridian Compute Pte. Ltd. (Refurbishment Centre)",
				Address: "21 Tuas South Avenue 2, #02-10, Singapore 637601",
				Country: "SG", TaxID: "201934512K",
				Contact: "Lim Jun Hao", Email: "refurb.sg@meridian-compute.example", Phone: "+65 6861 0450",
			},
			Broker: Party{Name: "Changi Customs Services Pte. Ltd.", Address: "9 Airline Road, #02-18 Cargo Agents Building D, Singapore 819827",
				Country: "SG", TaxID: "200812345W", Contact: "Muhammad Faizal", Email: "entries@changi-customs.example", Phone: "+65 6214 3300"},
			Gateway: "SIN", Place: "Tuas, Singapore",
		},
		"US": {
			Party: Party{
				Name:    "Meridian Compute Inc.",
				Address: "1200 Industrial Boulevard, Building C, Round Rock, TX 78664, United States",
				Country: "US", TaxID: "82-4519637",
				Contact: "Rebecca Alvarez", Email: "export.compliance@meridian-compute.example", Phone: "+1 512 555 0142",
			},
			Declarant: Declarant{Name: "Rebecca Alvarez", Position: "Export Compliance Manager"},
			Gateway:   "DFW",
		},
		"US-REFURB": {
			Party: Party{
				Name:    "Meridian Compute Inc. (Refurbishment and ITAD Center)",
				Address: "1200 Industrial Boulevard, Building D, Round Rock, TX 78664, United States",
				Country: "US", TaxID: "82-4519637",
				Contact: "Carlos Mendoza", Email: "itad.tx@meridian-compute.example", Phone: "+1 512 555 0187",
			},
			Broker: Party{Name: "Lone Star Customs Brokers LLC", Address: "1802 Jefferson Street, Suite 210, Laredo, TX 78040, United States",
				Country: "US", TaxID: "74-2961583", Contact: "Linda Garza", Email: "entries@lonestar-cb.example", Phone: "+1 956 555 0119"},
			Gateway: "DFW", Place: "Round Rock, Texas",
		},
		// Viet Nam's addresses follow the 2025 reform (district level abolished on
		// 2025-07-01): street, ward (phường), province-level city.
		"VN": {
			Party: Party{
				Name:    "Công ty TNHH Giải pháp Số Sài Gòn",
				Address: "Tầng 9, Tòa nhà Sài Gòn Số, 45 Nguyễn Huệ, Phường Sài Gòn, Thành phố Hồ Chí Minh, Việt Nam",
				Country: "VN", TaxID: "0316245871",
				Contact: "Nguyễn Thị Thu Hà", Email: "thuha.nguyen@giaiphapso-saigon.example", Phone: "+84 28 3822 4567",
			},
			Declarant: Declarant{Name: "Nguyễn Thị Thu Hà", Position: "Giám đốc Vận hành (Operations Director)"},
			Broker: Party{Name: "Công ty TNHH Dịch vụ Hải quan Tân Sơn Nhất", Address: "39B Trường Sơn, Phường Tân Sơn Nhất, Thành phố Hồ Chí Minh, Việt Nam",
				Country: "VN", TaxID: "0305998812", Contact: "Trần Minh Quân", Email: "khaibao@tsn-haiquan.example", Phone: "+84 28 3848 1190"},
			Gateway: "SGN", Place: "Phường Sài Gòn, Thành phố Hồ Chí Minh",
		},
		"VN-DC": {
			Party: Party{
				Name:    "Công ty Cổ phần Trung tâm Dữ liệu Tân Thuận",
				Address: "Lô 12, Đường số 8, Phường Tân Mỹ, Thành phố Hồ Chí Minh, Việt Nam",
				Country: "VN", TaxID: "0314778902",
				Contact: "Lê Hoàng Phúc", Email: "nhanhang@ttdl-tanthuan.example", Phone: "+84 28 3775 2040",
			},
			Gateway: "SGN", Place: "Phường Tân Mỹ, Thành phố Hồ Chí Minh",
		},
		"ID": {
			Party: Party{
				Name:    "PT Solusi Data Nusantara",
				Address: "Menara Jaya Lt. 15, Jl. Jend. Sudirman Kav. 52-53, Senayan, Kebayoran Baru, Jakarta Selatan 12190, Indonesia",
				Country: "ID", TaxID: "0912345678015000",
				Contact: "Dewi Lestari", Email: "dewi.lestari@solusidata-nusantara.example", Phone: "+62 21 5290 1188",
			},
			Declarant: Declarant{Name: "Dewi Lestari", Position: "Manajer Operasional (Operations Manager)"},
			Broker: Party{Name: "PT Jasa Kepabeanan Soekarno-Hatta", Address: "Kawasan Cargo Bandara Soekarno-Hatta, Gedung 521, Tangerang, Banten 15126, Indonesia",
				Country: "ID", TaxID: "0823456789402000", Contact: "Rizky Pratama", Email: "ppjk@jk-soetta.example", Phone: "+62 21 5591 2277"},
			Gateway: "CGK", Place: "Jakarta Selatan",
		},
		"TH": {
			Party: Party{
				Name:    "บริษัท ดาต้าเซ็นเตอร์ กรุงเทพ จำกัด",
				Address: "เลขที่ 99 อาคารสีลมคอมเพล็กซ์ ชั้น 21 ถนนสีลม แขวงสีลม เขตบางรัก กรุงเทพมหานคร 10500",
				Country: "TH", TaxID: thaiTIN("010556512345"),
				Contact: "สมชาย ศรีสุข (Somchai Srisuk)", Email: "somchai@datacenter-bkk.example", Phone: "+66 2 234 5678",
			},
			Declarant: Declarant{Name: "สมชาย ศรีสุข (Somchai Srisuk)", Position: "ผู้จัดการฝ่ายปฏิบัติการ (Operations Manager)"},
			Broker: Party{Name: "บริษัท สุวรรณภูมิ ชิปปิ้ง จำกัด", Address: "เลขที่ 777 หมู่ 7 ถนนกิ่งแก้ว ตำบลราชาเทวะ อำเภอบางพลี จังหวัดสมุทรปราการ 10540",
				Country: "TH", TaxID: thaiTIN("011554876543"), Contact: "วิภาวดี แก้วมณี", Email: "customs@suvarnabhumi-shipping.example", Phone: "+66 2 134 9090"},
			Gateway: "BKK", Place: "Bang Rak, Bangkok",
		},
		"MY": {
			Party: Party{
				Name:    "Pusat Data Cyberjaya Sdn. Bhd.",
				Address: "Lot 3-1, Jalan Teknokrat 5, 63000 Cyberjaya, Selangor Darul Ehsan, Malaysia",
				Country: "MY", TaxID: "C2098765410",
				Contact: "Nurul Aisyah binti Ahmad", Email: "nurul.aisyah@pusatdata-cyberjaya.example", Phone: "+60 3 8318 2200",
			},
			Broker: Party{Name: "Tuas-Johor Customs Forwarding Sdn. Bhd.", Address: "No. 12, Jalan Perjiranan 10, Bandar Dato Onn, 81100 Johor Bahru, Johor, Malaysia",
				Country: "MY", TaxID: "C2312456780", Contact: "Ahmad Firdaus bin Ismail", Email: "k1@tuasjohor-forwarding.example", Phone: "+60 7 355 8100"},
			Gateway: "KUL", Place: "Cyberjaya, Selangor",
		},
		"PH": {
			Party: Party{
				Name:    "Manila Data Systems Inc.",
				Address: "12F Ayala Tower One, Ayala Avenue corner Paseo de Roxas, Makati City 1226, Metro Manila, Philippines",
				Country: "PH", TaxID: "009-876-543-000",
				Contact: "Maria Cristina Dela Cruz", Email: "mc.delacruz@maniladata.example", Phone: "+63 2 8817 4500",
			},
			Broker: Party{Name: "NAIA Customs Brokerage Corp.", Address: "Unit 204, PAIRCARGO Building, NAIA Avenue, Pasay City 1300, Philippines",
				Country: "PH", TaxID: "005-431-876-000", Contact: "Jose Ramon Villanueva", Email: "entries@naia-brokerage.example", Phone: "+63 2 8851 3366"},
			Gateway: "MNL", Place: "Makati City, Metro Manila",
		},
		"BR": {
			Party: Party{
				Name:    "Soluções em Nuvem São Paulo Ltda.",
				Address: "Avenida Paulista, 1578, 10º andar, Bela Vista, São Paulo – SP, CEP 01310-200, Brasil",
				Country: "BR", TaxID: cnpj("345678120001"),
				Contact: "João Gonçalves", Email: "joao.goncalves@solucoesnuvem-sp.example", Phone: "+55 11 3251-4400",
			},
			Declarant: Declarant{Name: "João Gonçalves", Position: "Diretor de Operações (Operations Director)"},
			Broker: Party{Name: "Despachos Aduaneiros Guarulhos Ltda.", Address: "Rodovia Hélio Smidt, s/nº, Terminal de Cargas, Aeroporto Internacional, Guarulhos – SP, CEP 07190-100, Brasil",
				Country: "BR", TaxID: cnpj("218765430001"), Contact: "Ana Carolina Souza", Email: "despacho@dag-guarulhos.example", Phone: "+55 11 2445-9100"},
			Gateway: "GRU", Place: "São Paulo – SP",
		},
		"MX": {
			Party: Party{
				Name:    "Centro de Datos Querétaro, S.A. de C.V.",
				Address: "Av. Constituyentes 1050, Col. Parque Industrial Querétaro, C.P. 76220, Santiago de Querétaro, Qro., México",
				Country: "MX", TaxID: "CDQ180612K47",
				Contact: "María Fernanda Ávila", Email: "mf.avila@cdq.example", Phone: "+52 442 215 3300",
			},
			Declarant: Declarant{Name: "María Fernanda Ávila", Position: "Gerente de Operaciones (Operations Manager)"},
			Broker: Party{Name: "Agencia Aduanal Hernández y Asociados, S.C. (patente 3456)", Address: "Av. Guerrero 2210, Col. Juárez, C.P. 88000, Nuevo Laredo, Tamps., México",
				Country: "MX", TaxID: "AAH950214QJ3", Contact: "José Luis Ramírez Hernández", Email: "pedimentos@aa-hernandez.example", Phone: "+52 867 712 4400"},
			Gateway: "QRO", Place: "Santiago de Querétaro, Qro.",
		},
		"MX-DC": {
			Party: Party{
				Name:    "Operadora de Centros de Datos del Bajío, S.A. de C.V.",
				Address: "Carretera Estatal 431 km 2.2, Parque Tecnológico Innovación, C.P. 76246, El Marqués, Qro., México",
				Country: "MX", TaxID: "OCD190325MN8",
				Contact: "Ricardo Peña Nieto", Email: "recepcion@ocd-bajio.example", Phone: "+52 442 196 8000",
			},
			Gateway: "QRO", Place: "El Marqués, Qro.",
		},
		"CO": {
			Party: Party{
				Name:    "Soluciones Tecnológicas Bogotá S.A.S.",
				Address: "Carrera 7 # 71-21, Torre B, Piso 9, Bogotá D.C., Colombia",
				Country: "CO", TaxID: nit("901245678"),
				Contact: "Andrés Felipe Muñoz", Email: "andres.munoz@soltec-bogota.example", Phone: "+57 601 742 8800",
			},
			Broker: Party{Name: "Agencia de Aduanas Eldorado S.A.S. Nivel 1", Address: "Avenida Calle 26 # 103-09, Zona Franca Aeropuerto, Bogotá D.C., Colombia",
				Country: "CO", TaxID: nit("830114567"), Contact: "Camila Rodríguez Peña", Email: "importaciones@aa-eldorado.example", Phone: "+57 601 439 2200"},
			Gateway: "BOG", Place: "Bogotá D.C.",
		},
		"CL": {
			Party: Party{
				Name:    "Servicios Informáticos Ñuñoa SpA",
				Address: "Avenida Irarrázaval 2401, Oficina 508, Ñuñoa, Región Metropolitana, Chile",
				Country: "CL", TaxID: rut(77654321),
				Contact: "Valentina Núñez Briones", Email: "vnunez@sinunoa.example", Phone: "+56 2 2341 7700",
			},
			Broker: Party{Name: "Agencia de Aduanas Rojas y Cía. Ltda.", Address: "Avenida Américo Vespucio 901, Pudahuel, Santiago, Chile",
				Country: "CL", TaxID: rut(78123456), Contact: "Ignacio Rojas Fernández", Email: "despachos@aa-rojas.example", Phone: "+56 2 2690 1500"},
			Gateway: "SCL", Place: "Ñuñoa, Santiago",
		},
	}
}
