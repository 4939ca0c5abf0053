package models

import "time"

// Feed entry kinds: what happened to a document's translation.
const (
	FeedPublished = "published" // a new version is served
	FeedOutdated  = "outdated"  // the source changed; the version is served, marked outdated
	FeedWithdrawn = "withdrawn" // the document was taken down; nothing is served
	// FeedRevised records a new source version. Portals never see it (it
	// names no published version); API processes read it to drop the
	// source text they cache for documents with nothing published yet.
	FeedRevised = "revised"
)

// PortalFeedKinds are the entries the portals' feed lists.
var PortalFeedKinds = []string{FeedPublished, FeedOutdated, FeedWithdrawn}

// FeedEntry is one line of the portals' feed. Seq is handed out under a
// lock held until commit, so entries become visible in Seq order and a
// reader paging by Seq never skips one that commits later.
type FeedEntry struct {
	ID         int64     `gorm:"primaryKey" json:"-"`
	Seq        int64     `gorm:"uniqueIndex;not null" json:"seq"`
	Kind       string    `gorm:"size:16;not null" json:"kind"`
	DocumentID int64     `gorm:"index;not null" json:"document_id"`
	Lang       string    `gorm:"size:35;index;not null" json:"lang"`
	Version    int       `gorm:"not null" json:"version"` // the published version concerned
	At         time.Time `gorm:"index;not null" json:"at"`
}
