package pipeline

// PrintsTransport exposes printsTransport to the external tests.
var PrintsTransport = printsTransport
