package s3_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/s3"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		in      string
		want    s3.Config
		wantErr string // substring of the error; "" for success
	}{
		{in: "s3://audit-trail", want: s3.Config{Bucket: "audit-trail", Endpoint: s3.AWSEndpoint}},
		{in: "s3://audit-trail/clearpack/prod/", want: s3.Config{Bucket: "audit-trail", Prefix: "clearpack/prod", Endpoint: s3.AWSEndpoint}},
		{
			in:   "s3://b01/p?endpoint=minio.internal:9000&insecure=true&region=eu-west-1&mode=GOVERNANCE",
			want: s3.Config{Bucket: "b01", Prefix: "p", Endpoint: "minio.internal:9000", Insecure: true, Region: "eu-west-1", Mode: archive.Governance},
		},
		{in: "s3://b01?mode=compliance", want: s3.Config{Bucket: "b01", Endpoint: s3.AWSEndpoint, Mode: archive.Compliance}},
		{in: "s3://b01?endpoint=10.0.0.5", want: s3.Config{Bucket: "b01", Endpoint: "10.0.0.5"}},

		{in: "file:///var/archive", wantErr: `scheme "file"`},
		{in: "s3://", wantErr: "bucket"},
		{in: "s3://ab", wantErr: "shorter than 3"},
		{in: "s3://Audit", wantErr: "invalid characters"},
		{in: "s3://a_b_c", wantErr: "invalid characters"},
		{in: "s3://192.168.1.1", wantErr: "ip address"},
		{in: "s3://" + strings.Repeat("b", 64), wantErr: "longer than 63"},
		{in: "s3://bkt/a/../b", wantErr: "prefix"},
		{in: "s3://bkt/..", wantErr: "prefix"},
		{in: "s3://bkt/a//b", wantErr: "prefix"},
		{in: "s3://bkt/a b", wantErr: "prefix"},
		{in: "s3://bkt?endpoint=https://minio:9000", wantErr: "without scheme"},
		{in: "s3://bkt?endpoint=minio:99999", wantErr: "port"},
		{in: "s3://bkt?endpoint=", wantErr: "empty"},
		{in: "s3://bkt?insecure=yes", wantErr: "insecure"},
		{in: "s3://bkt?mode=strict", wantErr: "mode"},
		{in: "s3://bkt?endpont=x:1", wantErr: `unknown parameter "endpont"`},
		{in: "s3://bkt?region=a&region=b", wantErr: "2 times"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := s3.ParseURL(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseURL(%q) = %+v, %v; want an error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseURL(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("ParseURL(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			// String gives back a URL that parses to the same configuration.
			again, err := s3.ParseURL(got.String())
			if err != nil || again != got {
				t.Fatalf("round trip through %q = %+v, %v", got.String(), again, err)
			}
		})
	}
}

func TestParseURLRefusesCredentials(t *testing.T) {
	const secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"
	for _, in := range []string{
		"s3://AKIAEXAMPLE:" + secret + "@bucket/p",
		"s3://AKIAEXAMPLE:" + secret + "@bucket/p%zz", // also when the URL is malformed
	} {
		_, err := s3.ParseURL(in)
		if err == nil {
			t.Fatalf("ParseURL accepted credentials in the URL")
		}
		if strings.Contains(err.Error(), secret) {
			t.Fatalf("error repeats the secret: %v", err)
		}
	}
}

func TestCredentialsChain(t *testing.T) {
	file := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(file, []byte("[default]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = secret-from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"AWS environment first", map[string]string{"AWS_ACCESS_KEY_ID": "AKIDFROMENV", "AWS_SECRET_ACCESS_KEY": "s", "MINIO_ROOT_USER": "minioroot", "MINIO_ROOT_PASSWORD": "s"}, "AKIDFROMENV"},
		{"MinIO environment", map[string]string{"MINIO_ROOT_USER": "minioroot", "MINIO_ROOT_PASSWORD": "s"}, "minioroot"},
		{"shared credentials file", map[string]string{}, "AKIDFROMFILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY", "AWS_SESSION_TOKEN",
				"MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD", "MINIO_ACCESS_KEY", "MINIO_SECRET_KEY", "AWS_PROFILE"} {
				t.Setenv(k, tt.env[k])
			}
			t.Setenv("AWS_SHARED_CREDENTIALS_FILE", file)
			v, err := s3.Credentials().GetWithContext(nil)
			if err != nil {
				t.Fatal(err)
			}
			if v.AccessKeyID != tt.want {
				t.Fatalf("Credentials() picked %q, want %q", v.AccessKeyID, tt.want)
			}
		})
	}
}
