package main

import (
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/clearpack/clearpack/archive/s3"
)

// parseS3URL parses an s3:// archive or inbox URL and fills in what it
// leaves out from the AWS environment, as the AWS CLI and SDKs do: the
// endpoint from AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL (an http:// one is
// reached without TLS), the region from AWS_REGION or AWS_DEFAULT_REGION.
// What the URL says wins.
func parseS3URL(raw string, lookupEnv func(string) (string, bool)) (s3.Config, error) {
	cfg, err := s3.ParseURL(raw)
	if err != nil {
		return s3.Config{}, err
	}
	u, _ := url.Parse(raw) // parsed above
	q := u.Query()
	env := func(names ...string) (string, string) {
		for _, n := range names {
			if v, ok := lookupEnv(n); ok && strings.TrimSpace(v) != "" {
				return n, strings.TrimSpace(v)
			}
		}
		return "", ""
	}
	if !q.Has("endpoint") {
		if name, v := env("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"); v != "" {
			ep, err := url.Parse(v)
			if err != nil || (ep.Scheme != "http" && ep.Scheme != "https") || ep.Host == "" || (ep.Path != "" && ep.Path != "/") || ep.User != nil {
				return s3.Config{}, fmt.Errorf("environment %s: want http(s)://host[:port], without a path or credentials", name)
			}
			cfg.Endpoint = ep.Host
			if !q.Has("insecure") {
				cfg.Insecure = ep.Scheme == "http"
			}
		}
	}
	if !q.Has("region") {
		if _, v := env("AWS_REGION", "AWS_DEFAULT_REGION"); v != "" {
			cfg.Region = v
		}
	}
	return cfg, nil
}

// parseS3 is parseS3URL over the process environment.
func parseS3(raw string) (s3.Config, error) { return parseS3URL(raw, os.LookupEnv) }
