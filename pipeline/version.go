package pipeline

// Version is clearpack's release, recorded in every manifest. Builds stamp it
// with -ldflags "-X github.com/clearpack/clearpack/pipeline.Version=v1.2.3".
var Version = "v0.1.0-dev"
