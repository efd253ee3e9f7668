package renderers

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/clearpack/clearpack/pipeline/rules"
)

// sampleJob is one document of the sample program (testdata/sample, what
// make demo runs), with the pack the pipeline renders it from.
type sampleJob struct {
	name string
	kind model.DocKind
	pack Pack
}

// sampleJobs reads the sample program and checks it as the pipeline does,
// and returns every document its shipments require, in plan order. Under
// -short only the first document of each kind.
func sampleJobs(t *testing.T) []sampleJob {
	t.Helper()
	ctx := context.Background()
	b, err := ingest.Load(ctx, ingest.Files{
		Inventory:  "../testdata/sample/inventory.csv",
		Plan:       "../testdata/sample/plan.yaml",
		Clearances: "../testdata/sample/clearances.yaml",
	}, ingest.Limits{})
	if err != nil {
		t.Fatalf("reading the sample: %v", err)
	}
	book, err := rules.Load("")
	if err != nil {
		t.Fatal(err)
	}
	reps := map[string]rules.Report{}
	for _, r := range book.Check(rules.Input{Plan: b.Plan, Assets: b.Assets, Clearances: b.Clearances, Reported: b.Reported}) {
		reps[r.ShipmentID] = r
	}
	seen := map[model.DocKind]bool{}
	var jobs []sampleJob
	for _, sh := range b.Plan.Shipments {
		rep := reps[sh.ID]
		p := Pack{Program: b.Plan.Program, Shipment: sh, Clearance: b.Clearances[sh.ID],
			Version: 1, Lang: rep.Language, Checks: rep.Results, Extras: rep.Extras}
		for _, tag := range sh.Assets {
			p.Assets = append(p.Assets, *b.Assets[tag])
		}
		for _, k := range rep.Documents {
			if testing.Short() && seen[k] {
				continue
			}
			seen[k] = true
			jobs = append(jobs, sampleJob{name: sh.ID + "/" + string(k), kind: k, pack: p})
		}
	}
	if len(jobs) < 7 {
		t.Fatalf("the sample makes %d documents, expected every kind", len(jobs))
	}
	return jobs
}

// TestPDFA3Tagged: every document kind in every language, and every
// document of the sample program, is what it claims: PDF/A-3b and tagged.
// veraPDF cannot be installed here; this checks what poppler and qpdf can
// read back (README, "Archival PDF"): the XMP claim, the sRGB output
// intent with a three-component ICC profile, every font embedded, a
// trailer /ID, no encryption, JavaScript, LZW or transparency, the attached JSON as an
// associated file with its MIME type, qpdf finding no damage, and a
// structure tree whose title heading comes first, whose tables have header
// cells, whose label/value rows pair a row header with its value, whose
// figures have alternate text, and whose text is in the order it is drawn.
func TestPDFA3Tagged(t *testing.T) {
	r := testRenderer(t)
	for _, lang := range layoutLangs {
		for _, k := range Kinds() {
			t.Run(lang+"/"+string(k), func(t *testing.T) {
				p := fixturePack()
				if lang == "pt-BR" {
					p = brazilPack()
				}
				p.Lang = lang
				d, err := r.Render(context.Background(), k, p)
				if err != nil {
					t.Fatal(err)
				}
				// poppler reads a structure tree's text in 10-16 s a
				// document: the text and its order are read from the
				// Vietnamese documents only, the structure from all.
				withText := lang == "vi" && (!testing.Short() || k == model.CommercialInvoice)
				checkArchival(t, r, d, p, withText)
			})
		}
	}
	for _, j := range sampleJobs(t) {
		t.Run("sample/"+j.name, func(t *testing.T) {
			d, err := r.Render(context.Background(), j.kind, j.pack)
			if err != nil {
				t.Fatal(err)
			}
			checkArchival(t, r, d, j.pack, false)
		})
	}
}

func checkArchival(t *testing.T, r *Renderer, d Document, p Pack, withText bool) {
	t.Helper()
	path := write(t, d)

	meta := run(t, "pdfinfo", "-meta", path)
	for _, want := range []string{"<pdfaid:part>3</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>"} {
		if !strings.Contains(meta, want) {
			t.Errorf("XMP lacks %s", want)
		}
	}
	if info := run(t, "pdfinfo", path); !strings.Contains(info, "\nTagged:          yes\n") {
		t.Errorf("pdfinfo does not see a tagged PDF:\n%s", info)
	}
	check, err := exec.Command(needTool(t, "qpdf"), "--check", path).CombinedOutput()
	if err != nil || !strings.Contains(string(check), "No syntax or stream encoding errors") || strings.Contains(string(check), "WARNING") {
		t.Errorf("qpdf --check: %v\n%s", err, check)
	}
	fonts := strings.Split(strings.TrimSpace(run(t, "pdffonts", path)), "\n")
	if len(fonts) < 3 {
		t.Errorf("pdffonts lists no font:\n%s", strings.Join(fonts, "\n"))
	}
	for _, ln := range fonts[min(2, len(fonts)):] {
		// name type encoding emb sub uni object ID: emb is the fourth
		// field from the end.
		f := strings.Fields(ln)
		if len(f) < 7 || f[len(f)-5] != "yes" {
			t.Errorf("font not embedded: %s", ln)
		}
	}

	objs := qpdfObjects(t, path)
	checkObjects(t, objs, d)

	tree := structTree(t, path, withText)
	if tree.typ != "Document" || len(tree.kids) == 0 {
		t.Fatalf("structure tree root is %q with %d children, expected Document", tree.typ, len(tree.kids))
	}
	l := r.labels(localeOf(p.Lang, p.Shipment.Destination))
	title := l.En("title." + string(d.Kind))
	if h := tree.kids[0]; h.typ != "H1" || (withText && (len(h.text) == 0 || h.text[0] != title)) {
		t.Errorf("the first structure element is %s %q, expected H1 %q", h.typ, h.text, title)
	}
	headed := false
	tree.walk(func(e *structNode) {
		if e.typ != "Table" {
			return
		}
		if len(e.kids) == 0 {
			t.Errorf("an empty table")
			return
		}
		first := e.kids[0]
		for _, tr := range e.kids {
			if tr.typ != "TR" || len(tr.kids) == 0 {
				t.Errorf("a table's child is %s with %d cells, expected TR", tr.typ, len(tr.kids))
				return
			}
		}
		if first.kids[0].typ == "TH" && first.kids[0].has("/Scope /Row") {
			// label/value rows: each a row header and its value
			for _, tr := range e.kids {
				if len(tr.kids) != 2 || tr.kids[0].typ != "TH" || !tr.kids[0].has("/Scope /Row") || tr.kids[1].typ != "TD" {
					t.Errorf("a label/value row is %s, expected TH (/Scope /Row) then TD", tr)
				}
			}
			return
		}
		for _, th := range first.kids {
			if th.typ != "TH" || !th.has("/Scope /Column") || (withText && len(th.text) == 0) {
				t.Errorf("a table's first row has %s, expected column header cells", th)
			}
		}
		for _, tr := range e.kids[1:] {
			for _, td := range tr.kids {
				if td.typ != "TD" {
					t.Errorf("a body row of a table has a %s", td.typ)
				}
			}
		}
		headed = true
	})
	if !headed {
		t.Errorf("no table with column header cells")
	}
	if d.Kind == model.PackingList {
		n := 0
		tree.walk(func(e *structNode) {
			if e.typ == "H2" {
				n++
			}
		})
		if n < 2 {
			t.Errorf("the packing list has %d H2 section headings, expected its packages and contents", n)
		}
	}
	if !withText {
		return
	}
	// Reading order: the structure's text, in tree order, is the page
	// content's in drawing order (pdftotext -raw), artifacts aside.
	raw := squash(run(t, "pdftotext", "-raw", "-enc", "UTF-8", path, "-"))
	at := 0
	tree.walk(func(e *structNode) {
		for _, s := range e.text {
			s = squash(s)
			if s == "" {
				continue
			}
			i := strings.Index(raw[at:], s)
			if i < 0 {
				t.Errorf("%s %q is out of reading order (or not on the page)", e.typ, s)
				continue
			}
			at += i + len(s)
		}
	})
}

// structNode is an element of the structure tree as pdfinfo -struct-text
// prints it.
type structNode struct {
	typ   string
	attrs []string
	text  []string
	kids  []*structNode
}

func (n *structNode) has(attr string) bool {
	for _, a := range n.attrs {
		if a == attr {
			return true
		}
	}
	return false
}

func (n *structNode) String() string { return fmt.Sprintf("%s%v%q", n.typ, n.attrs, n.text) }

func (n *structNode) walk(fn func(*structNode)) {
	fn(n)
	for _, k := range n.kids {
		k.walk(fn)
	}
}

// structTree reads the structure tree back with poppler (pdfinfo -struct:
// elements indented by depth and their attributes; with -struct-text also
// the text of each element's marked content, in tree order).
func structTree(t *testing.T, path string, withText bool) *structNode {
	t.Helper()
	flag := "-struct"
	if withText {
		flag = "-struct-text"
	}
	out := run(t, "pdfinfo", flag, path)
	root := &structNode{}
	stack := []*structNode{root} // stack[i] is at indent 2*(i-1)
	var last *structNode
	for _, ln := range strings.Split(out, "\n") {
		body := strings.TrimLeft(ln, " ")
		if body == "" {
			continue
		}
		indent := len(ln) - len(body)
		switch {
		case strings.HasPrefix(body, `"`):
			if last != nil {
				last.text = append(last.text, strings.TrimSuffix(strings.TrimPrefix(body, `"`), `"`))
			}
		case strings.HasPrefix(body, "/"):
			if last != nil {
				last.attrs = append(last.attrs, body)
			}
		default:
			depth := indent/2 + 1
			if depth > len(stack) {
				t.Fatalf("pdfinfo -struct-text: unexpected indent: %q", ln)
			}
			stack = stack[:depth]
			f := strings.Fields(body)
			n := &structNode{typ: strings.TrimSuffix(f[0], ":")}
			parent := stack[depth-1]
			parent.kids = append(parent.kids, n)
			stack = append(stack, n)
			last = n
		}
	}
	if len(root.kids) != 1 {
		t.Fatalf("pdfinfo -struct-text: %d roots:\n%s", len(root.kids), out)
	}
	return root.kids[0]
}

// qpdfObjects is the document's objects as qpdf reads them (JSON v2:
// "obj:N 0 R" → {"value": …} or {"stream": {"dict": …}}), with the
// trailer under "trailer".
func qpdfObjects(t *testing.T, path string) map[string]map[string]any {
	t.Helper()
	out := run(t, "qpdf", "--json=2", "--json-key=qpdf", path)
	var doc struct {
		Qpdf []json.RawMessage `json:"qpdf"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Qpdf) < 2 {
		t.Fatalf("qpdf --json: %v", err)
	}
	var objs map[string]map[string]any
	if err := json.Unmarshal(doc.Qpdf[1], &objs); err != nil {
		t.Fatalf("qpdf --json: %v", err)
	}
	return objs
}

func checkObjects(t *testing.T, objs map[string]map[string]any, d Document) {
	t.Helper()
	dict := func(ref any) map[string]any {
		s, _ := ref.(string)
		o := objs["obj:"+s]
		if o == nil {
			return nil
		}
		if v, ok := o["value"].(map[string]any); ok {
			return v
		}
		if st, ok := o["stream"].(map[string]any); ok {
			v, _ := st["dict"].(map[string]any)
			return v
		}
		return nil
	}
	trailer, _ := objs["trailer"]["value"].(map[string]any)
	if id, _ := trailer["/ID"].([]any); len(id) != 2 {
		t.Errorf("trailer has no /ID: %v", trailer)
	}
	if trailer["/Encrypt"] != nil {
		t.Errorf("the document is encrypted")
	}
	cat := dict(trailer["/Root"])
	intents, _ := cat["/OutputIntents"].([]any)
	if len(intents) != 1 {
		t.Fatalf("catalog has %d output intents, expected the sRGB one", len(intents))
	}
	oi := dict(intents[0])
	icc := dict(oi["/DestOutputProfile"])
	if oi["/S"] != "/GTS_PDFA1" || icc == nil || icc["/N"] != float64(3) {
		t.Errorf("output intent %v with profile %v, expected /GTS_PDFA1 and an ICC stream with /N 3", oi, icc)
	}
	if m, _ := cat["/MarkInfo"].(map[string]any); m["/Marked"] != true {
		t.Errorf("catalog /MarkInfo is %v", cat["/MarkInfo"])
	}
	af, _ := cat["/AF"].([]any)
	if len(af) != 1 {
		t.Fatalf("catalog /AF is %v, expected the attached JSON", cat["/AF"])
	}
	spec := dict(af[0])
	ef, _ := spec["/EF"].(map[string]any)
	file := dict(ef["/F"])
	if spec["/AFRelationship"] != "/Data" || spec["/UF"] == nil || file["/Subtype"] != "/application/json" {
		t.Errorf("attachment %v / %v, expected /AFRelationship /Data, /UF and /Subtype application/json", spec, file)
	}
	figures, qr, sig := 0, false, false
	for k, o := range objs {
		if k == "trailer" {
			continue
		}
		b, _ := json.Marshal(o)
		for _, bad := range []string{`"/JavaScript"`, `"/JS"`, `"/LZWDecode"`, `"/Encrypt"`, `"/SMask"`, `"/Transparency"`} {
			if strings.Contains(string(b), bad) {
				t.Errorf("%s has %s", k, bad)
			}
		}
		v := dict(strings.TrimPrefix(k, "obj:"))
		switch {
		case v["/Type"] == "/Page":
			if _, ok := v["/StructParents"]; !ok {
				t.Errorf("page %s has no /StructParents", k)
			}
		case v["/Type"] == "/StructElem" && v["/S"] == "/Figure":
			figures++
			alt, _ := v["/Alt"].(string)
			qr = qr || strings.HasPrefix(alt, "u:QR code: ")
			sig = sig || strings.HasPrefix(alt, "u:Signature")
			if alt == "" {
				t.Errorf("figure %s has no /Alt", k)
			}
		}
	}
	if !qr {
		t.Errorf("no figure with the QR code's alternate text")
	}
	if d.SignatureBox != nil && !sig {
		t.Errorf("no figure for the signature box")
	}
}
