package s3

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/clearpack/clearpack/archive"
)

// AWSEndpoint is used when the archive URL names no endpoint.
const AWSEndpoint = "s3.amazonaws.com"

// Config says where the archive lives. ParseURL builds one from
// `s3://bucket/prefix?endpoint=host:port&insecure=true&region=r&mode=governance`.
type Config struct {
	Bucket string
	// Prefix is prepended to every key ("<prefix>/<key>"); empty for none.
	Prefix string
	// Endpoint is host[:port], without scheme. AWSEndpoint when empty.
	Endpoint string
	Region   string
	// Insecure selects plain HTTP. TLS is the default.
	Insecure bool
	// Mode is the retention mode for objects whose PutOptions name none:
	// archive.Compliance when empty.
	Mode archive.RetentionMode
	// AllowUnlocked lets New and Init accept a bucket without object lock.
	// For tests only: such a bucket protects nothing.
	AllowUnlocked bool
	// Transport, when set, replaces the HTTP transport (custom CAs,
	// proxies, fault injection in tests).
	Transport http.RoundTripper
}

// String is the archive URL of the configuration, without secrets (a Config
// holds none).
func (c Config) String() string {
	u := url.URL{Scheme: "s3", Host: c.Bucket, Path: "/" + c.Prefix}
	q := url.Values{}
	if c.Endpoint != "" && c.Endpoint != AWSEndpoint {
		q.Set("endpoint", c.Endpoint)
	}
	if c.Region != "" {
		q.Set("region", c.Region)
	}
	if c.Insecure {
		q.Set("insecure", "true")
	}
	if c.Mode != "" {
		q.Set("mode", strings.ToLower(string(c.Mode)))
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// ParseURL parses an archive URL of the form
//
//	s3://bucket[/prefix][?endpoint=host:port][&insecure=true][&region=r][&mode=compliance|governance]
//
// Credentials never belong in the URL: one with a user part is refused (and
// the secret is not repeated in the error). Unknown parameters are refused so
// that a typo does not silently weaken the archive.
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the whole URL, which may hold a secret
		}
		return Config{}, fmt.Errorf("parsing archive URL: %w", err)
	}
	if u.Scheme != "s3" {
		return Config{}, fmt.Errorf("parsing archive URL: scheme %q, want s3://bucket/prefix", u.Scheme)
	}
	if u.User != nil {
		return Config{}, errors.New("parsing archive URL: credentials do not belong in the URL; " +
			"set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or use ~/.aws/credentials")
	}
	cfg := Config{Bucket: u.Host, Endpoint: AWSEndpoint}
	if err := ValidBucket(cfg.Bucket); err != nil {
		return Config{}, fmt.Errorf("parsing archive URL: %w", err)
	}
	cfg.Prefix = strings.TrimSuffix(strings.TrimPrefix(u.Path, "/"), "/")
	if cfg.Prefix != "" {
		if err := archive.ValidKey(cfg.Prefix); err != nil {
			return Config{}, fmt.Errorf("parsing archive URL: prefix: %w", err)
		}
	}
	if u.Fragment != "" || u.Opaque != "" {
		return Config{}, errors.New("parsing archive URL: unexpected fragment or opaque part")
	}
	for name, vals := range u.Query() {
		if len(vals) != 1 {
			return Config{}, fmt.Errorf("parsing archive URL: parameter %q given %d times", name, len(vals))
		}
		v := vals[0]
		switch name {
		case "endpoint":
			if err := checkEndpoint(v); err != nil {
				return Config{}, fmt.Errorf("parsing archive URL: endpoint %q: %w", v, err)
			}
			cfg.Endpoint = v
		case "insecure":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return Config{}, fmt.Errorf("parsing archive URL: insecure=%q: want true or false", v)
			}
			cfg.Insecure = b
		case "region":
			if v == "" || strings.ContainsAny(v, "/ ") {
				return Config{}, fmt.Errorf("parsing archive URL: region %q is not a region name", v)
			}
			cfg.Region = v
		case "mode":
			switch strings.ToUpper(v) {
			case string(archive.Compliance):
				cfg.Mode = archive.Compliance
			case string(archive.Governance):
				cfg.Mode = archive.Governance
			default:
				return Config{}, fmt.Errorf("parsing archive URL: mode=%q: want compliance or governance", v)
			}
		default:
			return Config{}, fmt.Errorf("parsing archive URL: unknown parameter %q (known: endpoint, insecure, region, mode)", name)
		}
	}
	return cfg, nil
}

// checkEndpoint accepts host or host:port, without scheme or path.
func checkEndpoint(ep string) error {
	if ep == "" {
		return errors.New("empty")
	}
	if strings.Contains(ep, "://") || strings.ContainsAny(ep, "/?#@ ") {
		return errors.New("want host or host:port, without scheme or path")
	}
	host := ep
	if h, port, err := net.SplitHostPort(ep); err == nil {
		p, perr := strconv.Atoi(port)
		if perr != nil || p < 1 || p > 65535 {
			return fmt.Errorf("port %q is not a number in 1..65535", port)
		}
		host = h
	}
	if host == "" {
		return errors.New("missing host")
	}
	return nil
}
