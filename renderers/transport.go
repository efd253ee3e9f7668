package renderers

import "github.com/clearpack/clearpack/pipeline/model"

// PrintsTransport says whether a document kind prints the shipment's
// transport (mode, route, carrier reference). A re-routing re-issues these
// and carries the others over unchanged. pipeline's TestPrintsTransport
// guards the list against what the renderers really print.
func PrintsTransport(kind model.DocKind) bool {
	return kind == model.CommercialInvoice || kind == model.PackingList
}
