// Package s3 is the archive driver for S3-compatible object storage with
// object lock (AWS S3, MinIO, Ceph RGW, Versity Gateway). It uses only the S3
// API (minio-go), nothing specific to one server, and is tested against MinIO
// and Versity Gateway.
//
// How the archive contract maps onto S3:
//   - Objects are stored under "<prefix>/<key>" in one bucket that has object
//     lock, and therefore versioning, enabled. New refuses a bucket without
//     object lock unless Config.AllowUnlocked (tests only).
//   - Put is create-only: the PUT (or CompleteMultipartUpload) carries
//     If-None-Match: *, and a 412 from the server becomes archive.ErrExists,
//     so of two racing writers exactly one wins. Put also refuses a key that
//     has any stored version, which a plain If-None-Match would miss when the
//     current version is a delete marker.
//   - With PutOptions.RetainUntil the object is written with its retention
//     (COMPLIANCE unless GOVERNANCE is asked or configured) in the same
//     request, so it is never visible unlocked.
//   - Every upload carries a SHA-256 content checksum that the server checks:
//     objects up to PartSize are read into memory first and sent with
//     x-amz-checksum-sha256 of the whole object (and can be retried); larger
//     or unsized objects go up as multipart with a SHA-256 per part.
//   - A failed or cancelled upload aborts its multipart upload, so nothing
//     becomes visible under the key.
//   - On a versioned bucket, Get, Stat, List, SetLegalHold and Presign use
//     the oldest live version of a key: the one the archive wrote. A later
//     version written behind the driver's back (a plain PUT needs no more
//     than write permission) or a delete marker cannot replace or hide an
//     archived document.
//   - Always pass PutOptions.RetainUntil. A bucket's default retention is
//     not a substitute: Versity Gateway v1.8.0 does not stamp new objects
//     with it (it refuses deletes only while the bucket's lock configuration
//     is younger than the default period) and reports no retention for them.
//   - minio-go retries transient failures (5xx, throttling, network errors)
//     with exponential backoff; permanent ones are returned at once, matching
//     archive.ErrNotFound, archive.ErrExists, archive.ErrLocked or the
//     sentinels of this package, and naming bucket and key.
package s3

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/s3utils"

	"github.com/clearpack/clearpack/archive"
)

var (
	// ErrNoBucket: the bucket does not exist.
	ErrNoBucket = errors.New("bucket does not exist")
	// ErrNotLocked: the bucket has no object lock, so it cannot keep an audit trail.
	ErrNotLocked = errors.New("bucket has no object lock")
	// ErrAccessDenied: the credentials are not allowed to do this.
	ErrAccessDenied = errors.New("access denied")
)

// PartSize is the multipart part size. Objects up to this size are sent in
// one PUT; an upload of unknown size buffers one part at a time, so a Put
// uses at most about this much memory. With S3's 10,000 parts it allows
// objects of up to 160 GiB.
const PartSize = 16 << 20

// MaxPresign is the longest validity of a presigned URL (an S3 limit).
const MaxPresign = 7 * 24 * time.Hour

// Store is an archive in an S3 bucket.
type Store struct {
	client    *minio.Client
	cfg       Config
	locked    bool // bucket has object lock
	versioned bool // bucket keeps versions
}

var (
	_ archive.Store  = (*Store)(nil)
	_ archive.Holder = (*Store)(nil)
)

// Credentials returns the standard credential chain, first match wins:
// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN),
// MINIO_ROOT_USER / MINIO_ROOT_PASSWORD, the shared credentials file
// (AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials, profile AWS_PROFILE),
// then the instance or container role (IAM).
func Credentials() *credentials.Credentials {
	return credentials.NewChainCredentials([]credentials.Provider{
		&credentials.EnvAWS{},
		&credentials.EnvMinio{},
		&credentials.FileAWSCredentials{},
		&credentials.IAM{},
	})
}

func newClient(cfg Config, creds *credentials.Credentials) (*minio.Client, error) {
	if creds == nil {
		return nil, errors.New("no credentials")
	}
	ep := cfg.Endpoint
	if ep == "" {
		ep = AWSEndpoint
	}
	return minio.New(ep, &minio.Options{
		Creds:     creds,
		Secure:    !cfg.Insecure,
		Region:    cfg.Region,
		Transport: cfg.Transport,
		// Needed to send checksums (x-amz-checksum-*), as S3 requires
		// for object-lock uploads.
		TrailingHeaders: true,
	})
}

func checkConfig(cfg Config) error {
	if err := ValidBucket(cfg.Bucket); err != nil {
		return err
	}
	if cfg.Prefix != "" {
		if err := archive.ValidKey(cfg.Prefix); err != nil {
			return fmt.Errorf("prefix: %w", err)
		}
	}
	switch cfg.Mode {
	case "", archive.Compliance, archive.Governance:
	default:
		return fmt.Errorf("retention mode %q: want %s or %s", cfg.Mode, archive.Compliance, archive.Governance)
	}
	return nil
}

// New opens the archive in an existing bucket. It checks that the bucket
// exists and has object lock enabled; a bucket without object lock is refused
// with ErrNotLocked unless cfg.AllowUnlocked.
func New(ctx context.Context, cfg Config, creds *credentials.Credentials) (*Store, error) {
	if err := checkConfig(cfg); err != nil {
		return nil, fmt.Errorf("opening %s: %w", cfg, err)
	}
	client, err := newClient(cfg, creds)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", cfg, err)
	}
	s := &Store{client: client, cfg: cfg}
	locked, _, err := s.lockConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", cfg, err)
	}
	if !locked && !cfg.AllowUnlocked {
		return nil, fmt.Errorf("opening %s: %w: bucket %q cannot keep a write-once audit trail; "+
			"create one with `clearpack archive init`", cfg, ErrNotLocked, cfg.Bucket)
	}
	s.locked = locked
	vc, err := client.GetBucketVersioning(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("opening %s: reading versioning: %w", cfg, s.classify(ctx, "", err))
	}
	s.versioned = vc.Enabled() || locked
	return s, nil
}

// defaultRetention is a bucket's default retention rule.
type defaultRetention struct {
	mode minio.RetentionMode
	days uint // 0: none
}

// lockConfig reports whether the bucket exists with object lock, and its
// default retention.
func (s *Store) lockConfig(ctx context.Context) (bool, defaultRetention, error) {
	ok, err := s.client.BucketExists(ctx, s.cfg.Bucket)
	if err != nil {
		return false, defaultRetention{}, s.classify(ctx, "", err)
	}
	if !ok {
		return false, defaultRetention{}, fmt.Errorf("%w: %q at %s", ErrNoBucket, s.cfg.Bucket, s.endpoint())
	}
	enabled, mode, validity, unit, err := s.client.GetObjectLockConfig(ctx, s.cfg.Bucket)
	if err != nil {
		if isNoLockConfig(err) {
			return false, defaultRetention{}, nil
		}
		return false, defaultRetention{}, fmt.Errorf("reading object lock configuration: %w", s.classify(ctx, "", err))
	}
	var def defaultRetention
	if mode != nil && validity != nil && unit != nil {
		def.mode = *mode
		def.days = *validity
		if *unit == minio.Years {
			def.days = *validity * 365
		}
	}
	return enabled == "Enabled", def, nil
}

func isNoLockConfig(err error) bool {
	var er minio.ErrorResponse
	if !errors.As(err, &er) {
		return false
	}
	return strings.Contains(er.Code, "ObjectLockConfiguration") || er.StatusCode == 404 && er.Code != "NoSuchBucket"
}

// Init prepares a bucket for the archive: it creates it with object lock (and
// versioning, which object lock implies) when missing, and sets a default
// retention of defaultDays days (none when 0) in cfg.Mode. It is idempotent on
// a bucket it made before. An existing bucket without object lock is refused
// (S3 servers cannot all enable it later) unless cfg.AllowUnlocked; an
// existing locked bucket whose default retention differs is refused rather
// than changed, since shortening it weakens the audit trail.
func Init(ctx context.Context, cfg Config, creds *credentials.Credentials, defaultDays uint) error {
	if err := checkConfig(cfg); err != nil {
		return fmt.Errorf("initialising %s: %w", cfg, err)
	}
	client, err := newClient(cfg, creds)
	if err != nil {
		return fmt.Errorf("initialising %s: %w", cfg, err)
	}
	s := &Store{client: client, cfg: cfg}
	want := defaultRetention{mode: minio.RetentionMode(s.mode("")), days: defaultDays}
	if defaultDays == 0 {
		want.mode = ""
	}
	locked, have, err := s.lockConfig(ctx)
	switch {
	case errors.Is(err, ErrNoBucket):
		err := client.MakeBucket(ctx, cfg.Bucket, minio.MakeBucketOptions{Region: cfg.Region, ObjectLocking: true})
		if err != nil {
			return fmt.Errorf("initialising %s: creating bucket: %w", cfg, s.classify(ctx, "", err))
		}
	case err != nil:
		return fmt.Errorf("initialising %s: %w", cfg, err)
	case !locked && cfg.AllowUnlocked:
		return nil
	case !locked:
		return fmt.Errorf("initialising %s: %w: bucket %q exists without object lock; use a new bucket",
			cfg, ErrNotLocked, cfg.Bucket)
	case have == want:
		return nil
	default:
		return fmt.Errorf("initialising %s: bucket %q already has a default retention of %d days %s, not %d days %s; "+
			"change it deliberately with your S3 tools", cfg, cfg.Bucket, have.days, have.mode, want.days, want.mode)
	}
	// The bucket was just created with object lock; versioning comes with it,
	// but say so explicitly for servers that need it.
	if err := client.EnableVersioning(ctx, cfg.Bucket); err != nil {
		return fmt.Errorf("initialising %s: enabling versioning: %w", cfg, s.classify(ctx, "", err))
	}
	if defaultDays > 0 {
		mode, unit := want.mode, minio.Days
		if err := client.SetObjectLockConfig(ctx, cfg.Bucket, &mode, &defaultDays, &unit); err != nil {
			return fmt.Errorf("initialising %s: setting default retention: %w", cfg, s.classify(ctx, "", err))
		}
	}
	return nil
}

// ValidBucket checks an S3 bucket name (3-63 characters, lower-case letters,
// digits, dots and hyphens, not an IP address).
func ValidBucket(name string) error {
	if err := checkBucketName(name); err != nil {
		return fmt.Errorf("bucket %q: %w", name, err)
	}
	return nil
}

func checkBucketName(name string) error {
	return s3utils.CheckValidBucketNameStrict(name)
}

func (s *Store) endpoint() string {
	if s.cfg.Endpoint == "" {
		return AWSEndpoint
	}
	return s.cfg.Endpoint
}

// String implements archive.Store.
func (s *Store) String() string { return s.cfg.String() }

// Config returns the configuration the store was opened with.
func (s *Store) Config() Config { return s.cfg }

// Locked reports whether the bucket enforces object lock.
func (s *Store) Locked() bool { return s.locked }

func (s *Store) name(key string) string {
	if s.cfg.Prefix == "" {
		return key
	}
	return s.cfg.Prefix + "/" + key
}

func (s *Store) mode(m archive.RetentionMode) archive.RetentionMode {
	switch {
	case m != "":
		return m
	case s.cfg.Mode != "":
		return s.cfg.Mode
	}
	return archive.Compliance
}

// Put implements archive.Store. See the package documentation.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, opts archive.PutOptions) error {
	if err := archive.ValidKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("storing %s: %w", key, err)
	}
	mode := s.mode(opts.Mode)
	if mode != archive.Compliance && mode != archive.Governance {
		return fmt.Errorf("storing %s: retention mode %q: want %s or %s", key, mode, archive.Compliance, archive.Governance)
	}
	// A plain If-None-Match only looks at the current version; a key whose
	// archived version is hidden by a delete marker is still taken.
	if _, err := s.resolve(ctx, key); err == nil {
		return fmt.Errorf("storing %s: %w", key, archive.ErrExists)
	} else if !errors.Is(err, archive.ErrNotFound) {
		return fmt.Errorf("storing %s: %w", key, err)
	}

	po := minio.PutObjectOptions{
		ContentType: opts.ContentType,
		PartSize:    PartSize,
	}
	if po.ContentType == "" {
		po.ContentType = "application/octet-stream"
	}
	po.SetMatchETagExcept("*")
	if !opts.RetainUntil.IsZero() {
		po.Mode = minio.RetentionMode(mode)
		po.RetainUntilDate = opts.RetainUntil.UTC()
	}

	body := io.Reader(archive.ContextReader(ctx, r))
	if size >= 0 && size <= PartSize {
		// Small enough to hold: read it all first, so a short reader fails
		// before anything is sent, the checksum of the whole object goes in
		// the request, and minio-go can resend it on a transient error.
		b, err := io.ReadAll(io.LimitReader(body, size+1))
		if err != nil {
			return fmt.Errorf("storing %s: reading: %w", key, err)
		}
		if int64(len(b)) != size {
			return fmt.Errorf("storing %s: read %d bytes, expected %d", key, len(b), size)
		}
		sum := sha256.Sum256(b)
		po.UserMetadata = map[string]string{"x-amz-checksum-sha256": base64.StdEncoding.EncodeToString(sum[:])}
		po.DisableMultipart = true
		body = bytes.NewReader(b)
		if _, err := s.client.PutObject(ctx, s.cfg.Bucket, s.name(key), body, size, po); err != nil {
			err = s.classify(ctx, key, err)
			// A PUT that landed but whose reply was lost is retried by
			// minio-go, and the retry meets its own object: If-None-Match
			// refuses it. The same bytes under the key mean our write won.
			if errors.Is(err, archive.ErrExists) && s.holds(ctx, key, sum) {
				return nil
			}
			return fmt.Errorf("storing %s: %w", key, err)
		}
		return nil
	}
	if size >= 0 {
		body = &exactReader{r: body, left: size}
	}
	if err := s.putMultipart(ctx, key, body, po); err != nil {
		return fmt.Errorf("storing %s: %w", key, err)
	}
	return nil
}

// holds reports whether the object archived under key is exactly the bytes
// whose SHA-256 is sum.
func (s *Store) holds(ctx context.Context, key string, sum [32]byte) bool {
	rc, err := s.Get(ctx, key)
	if err != nil {
		return false
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, io.LimitReader(rc, PartSize+1)); err != nil {
		return false
	}
	return bytes.Equal(h.Sum(nil), sum[:])
}

// maxParts is S3's limit on the parts of one upload.
const maxParts = 10000

// putMultipart uploads r in parts of PartSize, each with its SHA-256 (as
// signed payload hash and as x-amz-checksum-sha256), and completes the
// upload with If-None-Match: *. minio-go's own multipart path sends the
// condition only when it creates the upload, where AWS S3 and Versity do not
// look; they check it on CompleteMultipartUpload. Any failure, a cancelled
// context included, aborts the upload so no part lingers.
func (s *Store) putMultipart(ctx context.Context, key string, r io.Reader, po minio.PutObjectOptions) (err error) {
	core := minio.Core{Client: s.client}
	name := s.name(key)
	po.UserMetadata = map[string]string{"x-amz-checksum-algorithm": "SHA256"}
	id, err := core.NewMultipartUpload(ctx, s.cfg.Bucket, name, po)
	if err != nil {
		return s.classify(ctx, key, err)
	}
	defer func() {
		if err != nil {
			// Abort even when ctx is cancelled: that is when it matters.
			actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
			defer cancel()
			_ = core.AbortMultipartUpload(actx, s.cfg.Bucket, name, id)
		}
	}()
	buf := make([]byte, PartSize)
	var parts []minio.CompletePart
	for n := 1; ; n++ {
		got, rerr := io.ReadFull(r, buf)
		if rerr != nil && rerr != io.EOF && rerr != io.ErrUnexpectedEOF {
			return fmt.Errorf("reading part %d: %w", n, rerr)
		}
		if got == 0 && n > 1 {
			break
		}
		if n > maxParts {
			return fmt.Errorf("object larger than %d parts of %d bytes", maxParts, PartSize)
		}
		sum := sha256.Sum256(buf[:got])
		part, err := core.PutObjectPart(ctx, s.cfg.Bucket, name, id, n, bytes.NewReader(buf[:got]), int64(got), minio.PutObjectPartOptions{
			Sha256Hex:    hex.EncodeToString(sum[:]),
			CustomHeader: http.Header{"X-Amz-Checksum-Sha256": {base64.StdEncoding.EncodeToString(sum[:])}},
		})
		if err != nil {
			return fmt.Errorf("uploading part %d: %w", n, s.classify(ctx, key, err))
		}
		parts = append(parts, minio.CompletePart{PartNumber: n, ETag: part.ETag, ChecksumSHA256: part.ChecksumSHA256})
		if rerr != nil { // short or empty read: that was the last part
			break
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var co minio.PutObjectOptions
	co.SetMatchETagExcept("*")
	if _, err := core.CompleteMultipartUpload(ctx, s.cfg.Bucket, name, id, parts, co); err != nil {
		return s.classify(ctx, key, err)
	}
	return nil
}

// retention reads the retention of one version with GET ?retention. It does
// not use minio-go's GetObjectRetention, which insists on a <Retention> root
// element; Versity v1.8.0 answers with <ObjectLockRetention>.
func (s *Store) retention(ctx context.Context, name, versionID string) (archive.RetentionMode, time.Time, error) {
	q := url.Values{"retention": {""}}
	if versionID != "" {
		q.Set("versionId", versionID)
	}
	u, err := s.client.Presign(ctx, http.MethodGet, s.cfg.Bucket, name, time.Minute, q)
	if err != nil {
		return "", time.Time{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", time.Time{}, err
	}
	hc := &http.Client{Transport: s.cfg.Transport} // nil: http.DefaultTransport
	resp, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the presigned URL
		}
		return "", time.Time{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if err != nil {
		return "", time.Time{}, err
	}
	if resp.StatusCode != http.StatusOK {
		er := minio.ErrorResponse{StatusCode: resp.StatusCode}
		_ = xml.Unmarshal(body, &er)
		return "", time.Time{}, er
	}
	// No XMLName field: any root element is accepted.
	var r struct {
		Mode            string
		RetainUntilDate string
	}
	if err := xml.Unmarshal(body, &r); err != nil {
		return "", time.Time{}, fmt.Errorf("decoding retention: %w", err)
	}
	if r.Mode == "" {
		return "", time.Time{}, nil
	}
	until, err := time.Parse(time.RFC3339Nano, r.RetainUntilDate)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("decoding retention: retain-until %q: %w", r.RetainUntilDate, err)
	}
	return archive.RetentionMode(strings.ToUpper(r.Mode)), until.UTC(), nil
}

// version is the archived version of a key.
type version struct {
	id   string // "" when the bucket keeps no versions
	size int64
	mod  time.Time
}

// resolve finds the oldest live version of key: the one the archive wrote.
func (s *Store) resolve(ctx context.Context, key string) (version, error) {
	name := s.name(key)
	if !s.versioned {
		oi, err := s.client.StatObject(ctx, s.cfg.Bucket, name, minio.StatObjectOptions{})
		if err != nil {
			return version{}, s.classify(ctx, key, err)
		}
		return version{size: oi.Size, mod: oi.LastModified}, nil
	}
	lctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the listing goroutine when we break early
	var found *version
	// Versions come sorted by key, newest first; key itself sorts before
	// every longer key with that prefix, so the first other key ends it.
	for oi := range s.client.ListObjects(lctx, s.cfg.Bucket, minio.ListObjectsOptions{
		Prefix:       name,
		WithVersions: true,
	}) {
		if oi.Err != nil {
			return version{}, s.classify(ctx, key, oi.Err)
		}
		if oi.Key != name {
			break
		}
		if oi.IsDeleteMarker {
			continue
		}
		if found == nil || !oi.LastModified.After(found.mod) {
			found = &version{id: oi.VersionID, size: oi.Size, mod: oi.LastModified}
		}
	}
	if err := ctx.Err(); err != nil {
		return version{}, err
	}
	if found == nil {
		return version{}, fmt.Errorf("%w: %s", archive.ErrNotFound, s.where(key))
	}
	if found.id == "null" {
		found.id = ""
	}
	return *found, nil
}

// Get implements archive.Store.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := archive.ValidKey(key); err != nil {
		return nil, err
	}
	v, err := s.resolve(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", key, err)
	}
	obj, err := s.client.GetObject(ctx, s.cfg.Bucket, s.name(key), minio.GetObjectOptions{VersionID: v.id, Checksum: true})
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", key, s.classify(ctx, key, err))
	}
	// GetObject is lazy: make the request now so that errors surface here.
	if _, err := obj.Stat(); err != nil {
		obj.Close()
		return nil, fmt.Errorf("reading %s: %w", key, s.classify(ctx, key, err))
	}
	return obj, nil
}

// Stat implements archive.Store. On a locked bucket it reports the
// retention mode, retain-until date and legal hold of the archived version.
func (s *Store) Stat(ctx context.Context, key string) (archive.Info, error) {
	if err := archive.ValidKey(key); err != nil {
		return archive.Info{}, err
	}
	v, err := s.resolve(ctx, key)
	if err != nil {
		return archive.Info{}, fmt.Errorf("reading %s: %w", key, err)
	}
	info := archive.Info{Key: key, Size: v.size, ModTime: v.mod}
	if !s.locked {
		return info, nil
	}
	// HeadObject reports retention and legal hold in standard headers; the
	// dedicated calls are the fallback. Versity v1.8.0 leaves the lock
	// headers out for a version that is no longer current (after a delete
	// marker or a newer version), so the fallback matters.
	name := s.name(key)
	oi, err := s.client.StatObject(ctx, s.cfg.Bucket, name, minio.StatObjectOptions{VersionID: v.id})
	if err != nil {
		return archive.Info{}, fmt.Errorf("reading %s: %w", key, s.classify(ctx, key, err))
	}
	if m := oi.Metadata.Get("X-Amz-Object-Lock-Mode"); m != "" {
		info.Mode = archive.RetentionMode(strings.ToUpper(m))
		until, err := time.Parse(time.RFC3339Nano, oi.Metadata.Get("X-Amz-Object-Lock-Retain-Until-Date"))
		if err != nil {
			return archive.Info{}, fmt.Errorf("reading retention of %s: bad retain-until date: %w", key, err)
		}
		info.RetainUntil = until.UTC()
	} else {
		mode, until, err := s.retention(ctx, name, v.id)
		switch {
		case err == nil:
			info.Mode, info.RetainUntil = mode, until
		case !isNoLockConfig(err):
			return archive.Info{}, fmt.Errorf("reading retention of %s: %w", key, s.classify(ctx, key, err))
		}
	}
	if h := oi.Metadata.Get("X-Amz-Object-Lock-Legal-Hold"); h != "" {
		info.LegalHold = strings.EqualFold(h, "ON")
	} else {
		hold, err := s.client.GetObjectLegalHold(ctx, s.cfg.Bucket, name, minio.GetObjectLegalHoldOptions{VersionID: v.id})
		switch {
		case err == nil:
			info.LegalHold = hold != nil && *hold == minio.LegalHoldEnabled
		case !isNoLockConfig(err):
			return archive.Info{}, fmt.Errorf("reading legal hold of %s: %w", key, s.classify(ctx, key, err))
		}
	}
	return info, nil
}

// listPrefix is the bucket prefix a listing of the archive's prefix asks
// for, and what to strip from the keys it returns to get archive keys.
func (s *Store) listPrefix(prefix string) (full, strip string) {
	full = s.name(prefix)
	if s.cfg.Prefix != "" {
		strip = s.cfg.Prefix + "/"
		if prefix == "" {
			full = strip
		}
	}
	return full, strip
}

// List implements archive.Store.
func (s *Store) List(ctx context.Context, prefix string, fn func(archive.Info) error) error {
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	full, strip := s.listPrefix(prefix)
	var pending *archive.Info // the key being collected (versions come newest first)
	emit := func() error {
		if pending == nil {
			return nil
		}
		in := *pending
		pending = nil
		return fn(in)
	}
	for oi := range s.client.ListObjects(lctx, s.cfg.Bucket, minio.ListObjectsOptions{
		Prefix:       full,
		Recursive:    true,
		WithVersions: s.versioned,
	}) {
		if oi.Err != nil {
			return fmt.Errorf("listing %s: %w", prefix, s.classify(ctx, prefix, oi.Err))
		}
		key := strings.TrimPrefix(oi.Key, strip)
		if pending != nil && pending.Key != key {
			if err := emit(); err != nil {
				return err
			}
		}
		if oi.IsDeleteMarker {
			continue
		}
		// Later entries of the same key are older versions: keep the oldest.
		pending = &archive.Info{Key: key, Size: oi.Size, ModTime: oi.LastModified}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("listing %s: %w", prefix, err)
	}
	return emit()
}

// SetLegalHold implements archive.Holder: it places or lifts a legal hold on
// the archived version of key. A held object cannot be deleted by anyone,
// whatever its retention, until the hold is lifted.
func (s *Store) SetLegalHold(ctx context.Context, key string, on bool) error {
	if err := archive.ValidKey(key); err != nil {
		return err
	}
	v, err := s.resolve(ctx, key)
	if err != nil {
		return fmt.Errorf("setting legal hold on %s: %w", key, err)
	}
	status := minio.LegalHoldDisabled
	if on {
		status = minio.LegalHoldEnabled
	}
	err = s.client.PutObjectLegalHold(ctx, s.cfg.Bucket, s.name(key), minio.PutObjectLegalHoldOptions{VersionID: v.id, Status: &status})
	if err != nil {
		return fmt.Errorf("setting legal hold on %s: %w", key, s.classify(ctx, key, err))
	}
	return nil
}

// Presign returns a URL that lets anyone holding it download the archived
// version of key for ttl (at most MaxPresign), without credentials.
func (s *Store) Presign(ctx context.Context, key string, ttl time.Duration) (*url.URL, error) {
	if err := archive.ValidKey(key); err != nil {
		return nil, err
	}
	if ttl <= 0 || ttl > MaxPresign {
		return nil, fmt.Errorf("presigning %s: validity %v must be between 1s and %v", key, ttl, MaxPresign)
	}
	v, err := s.resolve(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("presigning %s: %w", key, err)
	}
	params := url.Values{}
	if v.id != "" {
		params.Set("versionId", v.id)
	}
	u, err := s.client.PresignedGetObject(ctx, s.cfg.Bucket, s.name(key), ttl, params)
	if err != nil {
		return nil, fmt.Errorf("presigning %s: %w", key, s.classify(ctx, key, err))
	}
	return u, nil
}

func (s *Store) where(key string) string {
	if key == "" {
		return fmt.Sprintf("bucket %q at %s", s.cfg.Bucket, s.endpoint())
	}
	return fmt.Sprintf("bucket %q key %q at %s", s.cfg.Bucket, s.name(key), s.endpoint())
}

// classify turns a minio-go error into one that matches the archive
// sentinels and names bucket and key. The server's message is kept: it holds
// no secrets (requests are signed, credentials never sent).
func (s *Store) classify(ctx context.Context, key string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	var er minio.ErrorResponse
	if !errors.As(err, &er) {
		return err
	}
	detail := er.Code
	if er.Message != "" {
		detail += ": " + er.Message
	}
	var sentinel error
	switch {
	case er.Code == "PreconditionFailed" || er.StatusCode == 412:
		sentinel = archive.ErrExists
	case er.Code == "NoSuchBucket":
		sentinel = ErrNoBucket
	case er.Code == "NoSuchKey" || er.Code == "NoSuchVersion" || er.StatusCode == 404:
		sentinel = archive.ErrNotFound
	case er.Code == "ObjectLocked" || strings.Contains(er.Message, "WORM") ||
		er.Code == "AccessDenied" && strings.Contains(strings.ToLower(er.Message), "lock"):
		sentinel = archive.ErrLocked
	case er.Code == "AccessDenied" || er.Code == "InvalidAccessKeyId" || er.Code == "SignatureDoesNotMatch" || er.StatusCode == 403:
		sentinel = ErrAccessDenied
	case strings.Contains(er.Message, "ObjectLockConfiguration") || strings.Contains(er.Message, "object lock") ||
		er.Code == "InvalidBucketObjectLockConfiguration":
		sentinel = ErrNotLocked
	default:
		return fmt.Errorf("%s: %s", s.where(key), detail)
	}
	return fmt.Errorf("%w: %s (%s)", sentinel, s.where(key), detail)
}

// exactReader fails an upload whose reader ends before the declared size,
// so that minio-go aborts it instead of completing a truncated object.
type exactReader struct {
	r    io.Reader
	left int64
}

func (e *exactReader) Read(p []byte) (int, error) {
	if e.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > e.left {
		p = p[:e.left]
	}
	n, err := e.r.Read(p)
	e.left -= int64(n)
	if err == io.EOF && e.left > 0 {
		return n, fmt.Errorf("reader ended %d bytes before the declared size: %w", e.left, io.ErrUnexpectedEOF)
	}
	if err == io.EOF {
		err = nil
	}
	return n, err
}
