package rules

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/clearpack/clearpack/internal/hash128"
	"github.com/clearpack/clearpack/pipeline/model"
)

// Input is what Check works on: the plan and the records it refers to, as
// read and validated by ingest.
type Input struct {
	Plan       *model.Plan
	Assets     map[string]*model.Asset     // by asset tag
	Clearances map[string]*model.Clearance // by shipment id
	// Asset, when set, is used instead of Assets: it finds an asset by tag
	// (ingest.Batch.Asset, which reads it back from the batch's store when
	// the batch was indexed). The checks call it for each shipment's
	// assets when they need them and do not keep what it returns, so a
	// plan's assets are never all in memory at once.
	Asset func(tag string) (*model.Asset, bool)
	// Clearance, when set, is used instead of Clearances: it finds a
	// shipment's clearance by its id (ingest.Batch.Clearance, which reads
	// it back from the batch's store when the batch was indexed). It is
	// called when a shipment is reported, and what it returns is not kept.
	Clearance func(id string) (*model.Clearance, bool)
	// Reported are asset tags absent from Assets whose absence the input
	// check already reports (ingest.Batch.Reported); they are not called
	// missing a second time.
	Reported map[string]bool
}

// Report is the outcome of the checks for one shipment.
type Report struct {
	ShipmentID  string          `json:"shipment_id"`
	Direction   model.Direction `json:"direction"`
	Origin      string          `json:"origin"`
	Destination string          `json:"destination"`
	// Results holds every rule checked, in the order of the check table.
	Results []model.CheckResult `json:"results"`
	// Documents this shipment requires, in print order: commercial-invoice,
	// packing-list, condition-declaration, spec-list-origin,
	// spec-list-destination, post-clearance, compliance-summary.
	Documents []model.DocKind `json:"documents"`
	// Language is the destination's customs language (BCP 47).
	Language string `json:"language"`
	// RetentionYears is the longer of the origin's and the destination's
	// record-retention periods.
	RetentionYears int `json:"retention_years"`
	// Extras is what the destination's rules add to the documents' content
	// (invoice fields, a sworn not-waste statement); renderers.Pack.Extras.
	Extras model.DocExtras `json:"extras,omitzero"`
}

// OK reports whether no check failed (warnings do not stop a shipment).
func (r Report) OK() bool {
	for _, c := range r.Results {
		if c.Status == model.Fail {
			return false
		}
	}
	return true
}

// Count returns how many results have the status.
func (r Report) Count(s model.CheckStatus) int {
	n := 0
	for _, c := range r.Results {
		if c.Status == s {
			n++
		}
	}
	return n
}

// Result returns the results of a rule (a rule may give several, one per
// permit rule for instance).
func (r Report) Result(rule string) []model.CheckResult {
	var out []model.CheckResult
	for _, c := range r.Results {
		if c.Rule == rule || strings.HasPrefix(c.Rule, rule+": ") {
			out = append(out, c)
		}
	}
	return out
}

// shipment is one shipment with everything its checks need, resolved once.
type shipment struct {
	book      *Book
	s         *model.Shipment
	assets    []*model.Asset
	missing   []string // asset tags not in the inventory
	origin    *Profile // never nil: the generic profile when the country has none
	dest      *Profile
	hasOrigin bool
	hasDest   bool
	// originGeneric, destGeneric: the country has no profile (nor a customs
	// union's); only the checks that hold everywhere run for its side.
	originGeneric, destGeneric bool
	clearance                  *model.Clearance
	shipDate                   time.Time
	// cross holds the results of the cross-shipment checks for this shipment.
	cross []model.CheckResult
}

func (sh *shipment) secondHand() []*model.Asset {
	var out []*model.Asset
	for _, a := range sh.assets {
		if a.Condition.IsSecondHand() {
			out = append(out, a)
		}
	}
	return out
}

func (sh *shipment) inScope(s Scope) []*model.Asset {
	var out []*model.Asset
	for _, a := range sh.assets {
		if s.Matches(a) {
			out = append(out, a)
		}
	}
	return out
}

// check is one named rule of the table.
type check struct {
	name string
	run  func(sh *shipment) []model.CheckResult
}

// checks is the table Check runs, in report order. Each function is small
// and has its own test proving it catches its fault.
func checks() []check {
	return []check{
		{"profile", checkProfile},
		{"parties", checkParties},
		{"export-parties", checkExportParties},
		{"return-roles", checkReturnRoles},
		{"hs-code", checkHSCode},
		{"hs-national-length", checkHSLength},
		{"national-line", checkNationalLine},
		{"hs-category", checkHSCategory},
		{"eccn", checkECCN},
		{"export-controls", checkExportControls},
		{"export-filing", checkExportFilings},
		{"cross-shipment", func(sh *shipment) []model.CheckResult { return sh.cross }},
		{"second-hand-record", checkSecondHandRecord},
		{"valuation", checkValuation},
		{"valuation-declaration", checkValuationDeclaration},
		{"import-entry", checkImportEntry},
		{"chapter-99", checkChapter99},
		{"origin-marking", checkMarking},
		{"used-import", checkUsedImport},
		{"banned-category", checkBanned},
		{"permit", checkPermits},
		{"age-limit", checkAge},
		{"not-waste", checkNotWaste},
		{"documents", checkDocuments},
		{"incoterms", checkIncoterms},
		{"spec-list", checkSpecList},
		{"clearance", checkClearance},
		{"entry-number", checkEntryNumber},
		{"clearance-lines", checkClearanceLines},
		{"customs-value", checkCustomsValue},
		{"taxes", checkTaxes},
		{"invoice-extras", checkInvoiceExtras},
		{"export-obligations", checkExportObligations},
	}
}

// Check runs every check over every shipment of the plan and returns one
// Report per shipment, in plan order. Cross-shipment checks (the same model
// gets the same HS subheading and ECCN; the same unit gets the same value
// basis) put a failure into every shipment involved, naming both.
func (b *Book) Check(in Input) []Report {
	c := b.Prepare(in)
	reports := make([]Report, c.Len())
	for i := range reports {
		reports[i] = c.Report(i)
	}
	return reports
}

// Checked is a plan whose cross-shipment checks are done; each shipment's
// report is made on demand by Report, so a large plan never holds every
// report at once, nor, with Input.Asset, every asset. It is safe for
// concurrent use (as is Input.Asset, then).
type Checked struct {
	book *Book
	in   Input
	// profiles: one copy of each profile shared by the plan's shipments (a
	// Profile is over a kilobyte; a plan may have tens of thousands of
	// shipments); read only once Prepare returns.
	profiles map[string]*Profile
	// crossFail[r]: the failures of crossRules[r] by shipment index.
	crossFail []map[int]*faults
	hashes    hash128.Hasher
	// err is the first failure to read a shipment back whole
	// (model.Plan.Shipment).
	errMu sync.Mutex
	err   error
}

// Err is the first failure to read a shipment of the plan back whole (a
// plan kept outside the heap, ingest.Index): the shipment's Report was
// made from its outline. Callers check it once the reports are made.
func (c *Checked) Err() error {
	c.errMu.Lock()
	defer c.errMu.Unlock()
	return c.err
}

// Len is the number of shipments.
func (c *Checked) Len() int {
	if c.in.Plan == nil {
		return 0
	}
	return c.in.Plan.Len()
}

// Prepare runs the checks that look across shipments (same model, same HS
// and ECCN; same unit, same value basis) and readies the rest.
func (b *Book) Prepare(in Input) *Checked {
	c := &Checked{book: b, in: in, profiles: map[string]*Profile{}, hashes: hash128.New()}
	if in.Plan == nil {
		return c
	}
	if c.in.Asset == nil {
		assets := in.Assets
		c.in.Asset = func(tag string) (*model.Asset, bool) {
			a, ok := assets[tag]
			return a, ok && a != nil
		}
	}
	if c.in.Clearance == nil {
		clearances := in.Clearances
		c.in.Clearance = func(id string) (*model.Clearance, bool) {
			cl, ok := clearances[id]
			return cl, ok && cl != nil
		}
	}
	for i := range in.Plan.Len() {
		s := in.Plan.Outline(i)
		c.profile(s.Origin)
		c.profile(s.Destination)
	}
	c.crossCheck()
	return c
}

// profile finds (once) the profile of a country.
func (c *Checked) profile(cc string) (*Profile, bool) {
	none := &c.book.generic
	if p, ok := c.profiles[cc]; ok {
		return p, p != none
	}
	p, ok := c.book.lookup(cc)
	if !ok {
		c.profiles[cc] = none
		return none, false
	}
	c.profiles[cc] = &p
	return &p, true
}

// assets finds the assets with the tags (a shipment's), in their order.
func (c *Checked) assets(tags []string) []*model.Asset {
	var out []*model.Asset
	for _, tag := range tags {
		if a, ok := c.in.Asset(tag); ok {
			out = append(out, a)
		}
	}
	return out
}

// shipment resolves shipment i for its checks.
func (c *Checked) shipment(i int) *shipment {
	s, err := c.in.Plan.Shipment(i)
	if err != nil {
		c.errMu.Lock()
		if c.err == nil {
			c.err = err
		}
		c.errMu.Unlock()
		o := c.in.Plan.Outline(i) // what is left to check: the run fails on c.Err()
		s = &model.Shipment{ID: o.ID, Direction: o.Direction, Origin: o.Origin, Destination: o.Destination,
			ShipDate: o.ShipDate, Assets: o.Assets, Src: o.Src}
	}
	sh := &shipment{book: c.book, s: s}
	for _, tag := range s.Assets {
		if a, ok := c.in.Asset(tag); ok {
			sh.assets = append(sh.assets, a)
		} else if !c.in.Reported[tag] {
			sh.missing = append(sh.missing, tag)
		}
	}
	sh.origin, sh.hasOrigin = c.profile(s.Origin)
	sh.dest, sh.hasDest = c.profile(s.Destination)
	sh.originGeneric, sh.destGeneric = !sh.hasOrigin && s.Origin != "", !sh.hasDest && s.Destination != ""
	sh.clearance, _ = c.in.Clearance(s.ID)
	sh.shipDate, _ = model.Date(s.ShipDate)
	sh.cross = c.crossResults(i)
	return sh
}

// Release says shipment i's Report is made and will not be asked for
// again. Nothing of a shipment is held between reports (its assets are
// found when it is reported), so there is nothing to let go of; kept for
// the callers that say so.
func (c *Checked) Release(i int) {}

// Report checks shipment i of the plan (in plan order).
func (c *Checked) Report(i int) Report {
	sh := c.shipment(i)
	r := Report{
		ShipmentID:  sh.s.ID,
		Direction:   sh.s.Direction,
		Origin:      sh.s.Origin,
		Destination: sh.s.Destination,
		Documents:   sh.documents(),
		Language:    "en",
	}
	r.Extras = sh.extras()
	if sh.hasDest {
		r.Language = sh.dest.Language.Code
	}
	if sh.hasDest || sh.destGeneric {
		r.RetentionYears = sh.dest.Retention.Years
	}
	if sh.hasOrigin || sh.originGeneric {
		r.RetentionYears = max(r.RetentionYears, sh.origin.Retention.Years)
	}
	for _, chk := range checks() {
		r.Results = append(r.Results, chk.run(sh)...)
	}
	return r
}

// documents lists the documents the shipment requires, in print order.
func (sh *shipment) documents() []model.DocKind {
	want := map[model.DocKind]bool{
		model.CommercialInvoice: true,
		model.PackingList:       true,
		model.ComplianceSummary: true,
	}
	if len(sh.secondHand()) > 0 {
		want[model.ConditionDeclaration] = true
	}
	if sh.s.SpecListRequested {
		want[model.SpecListOrigin] = true
		want[model.SpecListDestination] = true
	}
	for _, d := range sh.requiredDocs() {
		want[d.rule.Kind] = true
	}
	if sh.clearance != nil {
		want[model.PostClearance] = true
	}
	var out []model.DocKind
	for _, k := range []model.DocKind{
		model.CommercialInvoice, model.PackingList, model.ConditionDeclaration,
		model.SpecListOrigin, model.SpecListDestination, model.PostClearance,
		model.ComplianceSummary,
	} {
		if want[k] {
			out = append(out, k)
		}
	}
	return out
}

// docNeed is a document a profile demands for this shipment.
type docNeed struct {
	rule    DocRule
	country string
}

// requiredDocs are the profile rules that demand a document for at least one
// unit of the shipment: the origin's export documents, the destination's
// import documents.
func (sh *shipment) requiredDocs() []docNeed {
	var out []docNeed
	if sh.hasOrigin {
		for _, d := range sh.origin.ExportDocuments {
			if len(sh.inScope(d.AppliesTo)) > 0 {
				out = append(out, docNeed{d, sh.s.Origin})
			}
		}
	}
	if sh.hasDest {
		for _, d := range sh.dest.ImportDocuments {
			if len(sh.inScope(d.AppliesTo)) > 0 {
				out = append(out, docNeed{d, sh.s.Destination})
			}
		}
	}
	return out
}

// faults collects what one check found wrong; result turns them into a
// CheckResult.
type faults struct {
	fail, warn []string
}

func (f *faults) failf(format string, a ...any) { f.fail = append(f.fail, fmt.Sprintf(format, a...)) }
func (f *faults) warnf(format string, a ...any) { f.warn = append(f.warn, fmt.Sprintf(format, a...)) }

// add records a fault as a failure, or as a warning when the rule behind it
// is unsourced.
func (f *faults) add(b Basis, format string, a ...any) {
	if b.Confidence == Unsourced {
		f.warnf(format+" (rule unsourced: warning only)", a...)
		return
	}
	f.failf(format, a...)
}

// maxListed is how many faults a Detail lists before "and N more".
const maxListed = 12

func (f faults) result(rule, source, passDetail string) model.CheckResult {
	r := model.CheckResult{Rule: rule, Source: source, Status: model.Pass, Detail: passDetail}
	var list []string
	switch {
	case len(f.fail) > 0:
		r.Status = model.Fail
		list = append(slices.Clip(f.fail), f.warn...)
	case len(f.warn) > 0:
		r.Status = model.Warn
		list = f.warn
	default:
		return r
	}
	if len(list) > maxListed {
		list = append(slices.Clip(list[:maxListed]), fmt.Sprintf("and %d more", len(list)-maxListed))
	}
	r.Detail = strings.Join(list, "; ")
	return r
}

// at names an asset field where a fault is: "inventory.csv:12: asset A-1: hs_code".
func at(a *model.Asset, field string) string {
	return fmt.Sprintf("%s: asset %s: %s", src(a.Src), a.AssetTag, field)
}

// shipAt names a shipment field: "plan.yaml:40: shipment S1: permits".
func shipAt(s *model.Shipment, field string) string {
	return fmt.Sprintf("%s: shipment %s: %s", src(s.Src), s.ID, field)
}

func src(s model.Source) string {
	if s.File == "" {
		return "(input)"
	}
	if s.Line == 0 {
		return s.File
	}
	return fmt.Sprintf("%s:%d", s.File, s.Line)
}

func units(n int) string {
	if n == 1 {
		return "1 unit"
	}
	return fmt.Sprintf("%d units", n)
}
