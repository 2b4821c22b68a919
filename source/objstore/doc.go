// Package objstore reads and moves objects in S3, Google Cloud Storage and
// Azure Blob Storage through gocloud.dev/blob, one dependency for the three
// clouds.
//
// A location is a URL: s3://bucket/key, gs://bucket/key, azblob://container/key.
// The query string goes to gocloud's URL opener unchanged (region, endpoint,
// use_path_style, disable_https, … for S3-compatible servers); credentials
// come from each cloud's standard chain, never from the URL. Because a query
// may still carry something secret, and gocloud quotes the URL in its errors,
// the query is never displayed: String drops it, and every error is scrubbed
// of the query and its values before it leaves this package (*Error).
//
// Keys may hold glob patterns (path.Match): the bucket is listed from the
// longest literal prefix and the rest is matched, so * never crosses a "/".
// The drivers register themselves with gocloud's default URL mux when this
// package is imported, which is how gocloud is meant to be used.
package objstore
