package models

import "time"

// Role is what a user may do. Language competence is separate (Competence),
// because a translator of ug is not a translator of bo.
type Role string

const (
	RoleAdmin      Role = "admin"
	RoleEditor     Role = "editor"     // manages documents, approves, handles escalations and feedback
	RoleReviewer   Role = "reviewer"   // reviews in the languages of their competences
	RoleTranslator Role = "translator" // translates in the languages of their competences
	RoleSource     Role = "source"     // a CMS that submits documents
	RolePortal     Role = "portal"     // reads published content only
)

// Roles lists every role, in the order the API documents them.
var Roles = []Role{RoleAdmin, RoleEditor, RoleReviewer, RoleTranslator, RoleSource, RolePortal}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, known := range Roles {
		if r == known {
			return true
		}
	}
	return false
}

// Priority decides a translation's deadline.
type Priority string

const (
	PriorityUrgent Priority = "urgent"
	PriorityHigh   Priority = "high"
	PriorityNormal Priority = "normal"
	PriorityLow    Priority = "low"
)

// Deadline windows per priority, from DESIGN.md.
const (
	UrgentWindow = 4 * time.Hour
	HighWindow   = 24 * time.Hour
	NormalWindow = 72 * time.Hour
	LowWindow    = 7 * 24 * time.Hour
)

// Window returns the time a translation of this priority has from intake to
// publication, and false for an unknown priority.
func (p Priority) Window() (time.Duration, bool) {
	switch p {
	case PriorityUrgent:
		return UrgentWindow, true
	case PriorityHigh:
		return HighWindow, true
	case PriorityNormal:
		return NormalWindow, true
	case PriorityLow:
		return LowWindow, true
	}
	return 0, false
}

// Kinds of court disclosure content.
const (
	KindJudgment      = "judgment"
	KindAnnouncement  = "announcement"
	KindHearingNotice = "hearing_notice"
	KindPressRelease  = "press_release"
	KindFilingGuide   = "filing_guide"
	KindLaw           = "law"
	KindNews          = "news"
)

// Kinds lists every kind of document the intake accepts.
var Kinds = []string{KindJudgment, KindAnnouncement, KindHearingNotice, KindPressRelease, KindFilingGuide, KindLaw, KindNews}

// SourceLang is the language courts write in.
const SourceLang = "zh-Hans"

// User is a person or a system (a CMS, a portal) with a bearer token.
// Only the token's sha256 is stored.
type User struct {
	ID          int64        `gorm:"primaryKey" json:"id"`
	Name        string       `gorm:"size:128;uniqueIndex;not null" json:"name"`
	Roles       []Role       `gorm:"serializer:json;type:text" json:"roles"`
	Competences []Competence `gorm:"foreignKey:UserID" json:"competences"`
	TokenHash   string       `gorm:"size:64;uniqueIndex;not null" json:"-"`
	Disabled    bool         `json:"disabled"`
	CreatedAt   time.Time    `json:"created_at"`
}

// HasRole reports whether u holds role r.
func (u *User) HasRole(r Role) bool {
	for _, have := range u.Roles {
		if have == r {
			return true
		}
	}
	return false
}

// Languages returns the canonical tags u may work in for role r.
func (u *User) Languages(r Role) []string {
	var langs []string
	for _, c := range u.Competences {
		if c.Role == r {
			langs = append(langs, c.Lang)
		}
	}
	return langs
}

// Actor is the part of a user a workflow needs to judge a human action.
func (u *User) Actor() Actor {
	return Actor{
		UserID:     u.ID,
		Name:       u.Name,
		Roles:      append([]Role(nil), u.Roles...),
		Translates: u.Languages(RoleTranslator),
		Reviews:    u.Languages(RoleReviewer),
	}
}

// Competence says that a user may act in Role (translator or reviewer) for
// the language Lang (a canonical tag).
type Competence struct {
	ID     int64  `gorm:"primaryKey" json:"-"`
	UserID int64  `gorm:"uniqueIndex:ux_competence;not null" json:"-"`
	Role   Role   `gorm:"size:16;uniqueIndex:ux_competence;not null" json:"role"`
	Lang   string `gorm:"size:35;uniqueIndex:ux_competence;not null" json:"lang"`
}

// Document is one piece of disclosure content. Its text lives in
// SourceVersion rows; a revision adds a version and bumps CurrentVersion.
type Document struct {
	ID             int64     `gorm:"primaryKey" json:"id"`
	ExternalID     string    `gorm:"size:191;uniqueIndex;not null" json:"external_id"`
	Court          string    `gorm:"size:191;index;not null" json:"court"`
	Kind           string    `gorm:"size:32;index;not null" json:"kind"`
	Priority       Priority  `gorm:"size:16;not null" json:"priority"`
	Profile        string    `gorm:"size:16;not null;default:full" json:"profile"` // fixed at intake, so a routing change leaves running work alone
	SourceLang     string    `gorm:"size:35;not null" json:"source_lang"`
	CurrentVersion int       `gorm:"not null" json:"version"`
	Deadline       time.Time `json:"deadline"`
	// IntakeHash identifies the content of the request that created the
	// document, so a repeated POST with the same external_id can be told
	// apart from a conflicting one.
	IntakeHash string `gorm:"size:64;not null" json:"-"`
	// A withdrawn document is never served again: portals get 410 Gone
	// with PublicReason. WithdrawnReason is the editors' internal reason;
	// it stays in the database and the audit trail only.
	WithdrawnAt     *time.Time `json:"withdrawn_at,omitempty"`
	WithdrawnBy     int64      `json:"withdrawn_by,omitempty"`
	WithdrawnReason string     `gorm:"type:text" json:"-"`
	PublicReason    string     `gorm:"type:text" json:"-"`
	CreatedBy       int64      `json:"created_by"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

// Withdrawn reports whether the document has been taken down.
func (d *Document) Withdrawn() bool { return d.WithdrawnAt != nil }

// SourceVersion is the immutable source text of one version of a document.
type SourceVersion struct {
	ID          int64     `gorm:"primaryKey" json:"-"`
	DocumentID  int64     `gorm:"uniqueIndex:ux_source_version;not null" json:"document_id"`
	Version     int       `gorm:"uniqueIndex:ux_source_version;not null" json:"version"`
	Title       string    `gorm:"type:text;not null" json:"title"`
	Body        string    `gorm:"type:longtext;not null" json:"body"`
	ContentHash string    `gorm:"size:64;not null" json:"content_hash"`
	CreatedAt   time.Time `json:"created_at"`
}

// Segment is one sentence of a source version, as the segmenter cut it.
// Index 0 is always the title, so the title is translated, reviewed and
// remembered like any other sentence; body segments start at 1.
type Segment struct {
	ID         int64  `gorm:"primaryKey" json:"-"`
	DocumentID int64  `gorm:"uniqueIndex:ux_segment;not null" json:"-"`
	Version    int    `gorm:"uniqueIndex:ux_segment;not null" json:"-"`
	Index      int    `gorm:"column:seg_index;uniqueIndex:ux_segment;not null" json:"index"`
	Text       string `gorm:"type:longtext;not null" json:"text"`
	Hash       string `gorm:"size:64;index;not null" json:"-"`
	// Changed marks a segment of a revision that the previous version did
	// not have word for word: its translation must be redone.
	Changed bool `gorm:"not null;default:false" json:"changed"`
}

// JobState is where one document × language stands.
type JobState string

const (
	JobPending     JobState = "pending"     // created, workflow not yet running
	JobAssisting   JobState = "assisting"   // machine assist is preparing drafts
	JobTranslating JobState = "translating" // a translate task is open or claimed
	JobReviewing   JobState = "reviewing"   // a review task is open or claimed
	JobPublished   JobState = "published"
	JobCancelled   JobState = "cancelled"
)

// TranslationJob is the read model of one TranslationWorkflow. Revision is
// the workflow's counter; a projection write only lands if it is newer.
type TranslationJob struct {
	ID               int64     `gorm:"primaryKey" json:"id"`
	DocumentID       int64     `gorm:"uniqueIndex:ux_job;not null" json:"document_id"`
	Lang             string    `gorm:"size:35;uniqueIndex:ux_job;not null" json:"lang"`
	SourceVersion    int       `gorm:"not null" json:"source_version"`
	State            JobState  `gorm:"size:16;index;not null" json:"state"`
	Round            int       `gorm:"not null" json:"round"`
	TaskID           *int64    `json:"task_id"`
	Deadline         time.Time `json:"deadline"`
	PublishedVersion int       `gorm:"not null" json:"published_version"`
	// Overdue is set by the workflow when the deadline passes unpublished.
	Overdue   bool      `gorm:"not null;default:false" json:"overdue"`
	Revision  int64     `gorm:"not null" json:"-"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// TaskKind is the human step a task stands for.
type TaskKind string

const (
	TaskTranslate TaskKind = "translate"
	TaskReview    TaskKind = "review"
)

// TaskState is the life of one task.
type TaskState string

const (
	// TaskPending is a task row the workflow has created but not yet
	// offered; lists leave it out, so nobody claims a task the workflow
	// does not know is current.
	TaskPending   TaskState = "pending"
	TaskOpen      TaskState = "open"      // in the pool, anyone competent may claim
	TaskClaimed   TaskState = "claimed"   // held by ClaimantID until LeaseExpiresAt
	TaskSubmitted TaskState = "submitted" // translate task handed to review
	TaskApproved  TaskState = "approved"  // review task approved; the version is published
	TaskRejected  TaskState = "rejected"  // review task sent back to the translator
	TaskCancelled TaskState = "cancelled"
)

// Closed reports whether the task is finished.
func (s TaskState) Closed() bool {
	return s != TaskPending && s != TaskOpen && s != TaskClaimed
}

// Task is the read model of one human step. The workflow owns the truth;
// this row lets the API list and show tasks without asking Temporal.
type Task struct {
	ID             int64      `gorm:"primaryKey" json:"id"`
	JobID          int64      `gorm:"uniqueIndex:ux_task_round;not null" json:"job_id"`
	DocumentID     int64      `gorm:"index;not null" json:"document_id"`
	Lang           string     `gorm:"size:35;index:ix_task_pool;not null" json:"lang"`
	Kind           TaskKind   `gorm:"size:16;index:ix_task_pool;uniqueIndex:ux_task_round;not null" json:"kind"`
	State          TaskState  `gorm:"size:16;index:ix_task_pool;not null" json:"state"`
	Round          int        `gorm:"uniqueIndex:ux_task_round;not null" json:"round"`
	ClaimantID     *int64     `gorm:"index" json:"claimant_id"`
	LeaseExpiresAt *time.Time `json:"lease_expires_at"`
	Priority       Priority   `gorm:"size:16;not null" json:"priority"`
	Deadline       time.Time  `json:"deadline"`
	// Overdue and Escalated put a task at the top of lists: its job missed
	// the deadline, or nobody claimed it in time.
	Overdue   bool       `gorm:"not null;default:false" json:"overdue"`
	Escalated bool       `gorm:"not null;default:false" json:"escalated"`
	Revision  int64      `gorm:"not null" json:"-"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	ClosedAt  *time.Time `json:"closed_at"`
}

// Draft is the current target text of one segment of a job. It survives a
// rejection so the translator picks up where the reviewer left them.
type Draft struct {
	ID           int64     `gorm:"primaryKey" json:"-"`
	JobID        int64     `gorm:"uniqueIndex:ux_draft;not null" json:"-"`
	SegmentIndex int       `gorm:"uniqueIndex:ux_draft;not null" json:"index"`
	Text         string    `gorm:"type:longtext;not null" json:"text"`
	Origin       string    `gorm:"size:64;not null" json:"origin"` // human, or the suggestion origin it started from
	UpdatedBy    int64     `json:"updated_by"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// RoundDraft is the text a segment had when a round was submitted for
// review, so the next round's reviewer and translator can see what changed
// since. Drafts themselves are overwritten as people type.
type RoundDraft struct {
	ID            int64  `gorm:"primaryKey" json:"-"`
	JobID         int64  `gorm:"uniqueIndex:ux_round_draft;not null" json:"-"`
	Round         int    `gorm:"uniqueIndex:ux_round_draft;not null" json:"round"`
	SegmentIndex  int    `gorm:"uniqueIndex:ux_round_draft;not null" json:"index"`
	SourceVersion int    `gorm:"not null" json:"source_version"`
	Text          string `gorm:"type:longtext;not null" json:"text"`
}

// Suggestion origins. An MT suggestion's origin is "mt:" + engine name.
const (
	OriginTMContext = "tm-context" // same segment with the same neighbours: 101%
	OriginTMExact   = "tm-exact"   // same segment: 100%
	OriginTMFuzzy   = "tm-fuzzy"
	OriginHuman     = "human"
	OriginMTPrefix  = "mt:"
)

// Suggestion is one machine-assist candidate for one segment. Score is 0–101.
type Suggestion struct {
	ID           int64  `gorm:"primaryKey" json:"-"`
	JobID        int64  `gorm:"index:ix_suggestion;not null" json:"-"`
	SegmentIndex int    `gorm:"index:ix_suggestion;not null" json:"index"`
	Origin       string `gorm:"size:64;not null" json:"origin"`
	Score        int    `gorm:"not null" json:"score"`
	Text         string `gorm:"type:longtext;not null" json:"text"`
	Ref          string `gorm:"size:191" json:"ref,omitempty"` // TM entry id or engine request id
}

// GlossaryHit is a termbase entry found in a segment by machine assist,
// with the byte span of the term in the segment's source text.
type GlossaryHit struct {
	ID           int64  `gorm:"primaryKey" json:"-"`
	JobID        int64  `gorm:"index:ix_glossary_hit;not null" json:"-"`
	SegmentIndex int    `gorm:"index:ix_glossary_hit;not null" json:"-"`
	EntryID      int64  `gorm:"not null" json:"entry_id"`
	Term         string `gorm:"size:255;not null" json:"term"`
	Translation  string `gorm:"type:text;not null" json:"translation"`
	Status       string `gorm:"size:16;not null" json:"status"`
	SourceRef    string `gorm:"size:255" json:"source_ref,omitempty"`
	Start        int    `gorm:"not null" json:"start"`
	End          int    `gorm:"column:end_offset;not null" json:"end"`
}

// ReviewComment is a reviewer's comment on a rejected round. SegmentIndex
// is nil for the comment on the whole translation.
type ReviewComment struct {
	ID           int64     `gorm:"primaryKey" json:"-"`
	JobID        int64     `gorm:"index;not null" json:"-"`
	TaskID       int64     `gorm:"not null" json:"task_id"`
	Round        int       `gorm:"not null" json:"round"`
	SegmentIndex *int      `json:"index,omitempty"`
	Comment      string    `gorm:"type:text;not null" json:"comment"`
	AuthorID     int64     `json:"author_id"`
	CreatedAt    time.Time `json:"created_at"`
}

// PublishedVersion is an immutable published translation. Only Outdated
// changes after it is written, when a newer source version arrives.
type PublishedVersion struct {
	ID              int64     `gorm:"primaryKey" json:"-"`
	DocumentID      int64     `gorm:"uniqueIndex:ux_published;not null" json:"document_id"`
	Lang            string    `gorm:"size:35;uniqueIndex:ux_published;not null" json:"lang"`
	Version         int       `gorm:"uniqueIndex:ux_published;not null" json:"version"`
	JobID           int64     `gorm:"not null" json:"-"`
	ReviewTaskID    int64     `gorm:"uniqueIndex;not null" json:"-"` // one publication per approval, so a retried publish is a no-op
	SourceVersion   int       `gorm:"not null" json:"source_version"`
	SourceHash      string    `gorm:"size:64;not null" json:"source_hash"`
	Title           string    `gorm:"type:text;not null" json:"title"`
	Body            string    `gorm:"type:longtext;not null" json:"body"`
	ContentHash     string    `gorm:"size:64;not null" json:"content_hash"`
	TranslatorID    int64     `json:"translator_id"`
	ReviewerID      int64     `json:"reviewer_id"`
	MachineAssisted bool      `json:"machine_assisted"`
	Engines         string    `gorm:"size:255;not null;default:''" json:"engines"` // MT engines whose output was kept, comma-separated
	Outdated        bool      `gorm:"not null" json:"outdated"`
	PublishedAt     time.Time `gorm:"index" json:"published_at"`
}

// TMEntry is one approved segment pair in the translation memory.
type TMEntry struct {
	ID         int64     `gorm:"primaryKey" json:"id"`
	SourceLang string    `gorm:"size:35;index:ix_tm_lookup;not null" json:"source_lang"`
	TargetLang string    `gorm:"size:35;index:ix_tm_lookup;not null" json:"target_lang"`
	SourceHash string    `gorm:"size:64;index:ix_tm_lookup;not null" json:"-"`
	SourceText string    `gorm:"type:longtext;not null" json:"source"`
	TargetText string    `gorm:"type:longtext;not null" json:"target"`
	PrevHash   string    `gorm:"size:64" json:"-"` // hash of the previous source segment, for 101% context matches
	NextHash   string    `gorm:"size:64" json:"-"`
	DocumentID int64     `json:"document_id"`
	Court      string    `gorm:"size:191" json:"court"`
	Kind       string    `gorm:"size:32" json:"kind"`
	ApprovedBy int64     `json:"approved_by"`
	CreatedAt  time.Time `json:"created_at"`
}

// Glossary entry statuses.
const (
	TermApproved   = "approved"
	TermForbidden  = "forbidden"
	TermDeprecated = "deprecated"
)

// GlossaryEntry is one termbase entry for a language pair.
type GlossaryEntry struct {
	ID          int64     `gorm:"primaryKey" json:"id"`
	SourceLang  string    `gorm:"size:35;index:ix_glossary_pair;not null" json:"source_lang"`
	TargetLang  string    `gorm:"size:35;index:ix_glossary_pair;not null" json:"target_lang"`
	Term        string    `gorm:"size:255;not null" json:"term"`
	Translation string    `gorm:"type:text;not null" json:"translation"`
	Domain      string    `gorm:"size:64" json:"domain"`
	Status      string    `gorm:"size:16;not null" json:"status"`
	SourceRef   string    `gorm:"size:255" json:"source_ref"` // e.g. 法〔2021〕184号
	Notes       string    `gorm:"type:text" json:"notes"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// AuditEvent is one link of the append-only, hash-chained audit trail.
// Hash = sha256(PrevHash || canonical event); see store.AppendAudit.
type AuditEvent struct {
	ID int64 `gorm:"primaryKey" json:"id"`
	// Key makes an append idempotent: an activity retried after a lost
	// reply appends nothing twice.
	Key         string    `gorm:"size:191;uniqueIndex;not null" json:"-"`
	At          time.Time `gorm:"not null" json:"at"`
	ActorID     int64     `json:"actor_id"`
	Actor       string    `gorm:"size:128" json:"actor"`
	Action      string    `gorm:"size:48;index;not null" json:"action"`
	DocumentID  int64     `gorm:"index" json:"document_id"`
	Lang        string    `gorm:"size:35" json:"lang,omitempty"`
	Version     int       `json:"version,omitempty"`
	ContentHash string    `gorm:"size:64" json:"content_hash,omitempty"`
	Details     string    `gorm:"type:text" json:"details,omitempty"` // canonical JSON
	PrevHash    string    `gorm:"size:64;not null" json:"prev_hash"`
	Hash        string    `gorm:"size:64;uniqueIndex;not null" json:"hash"`
}

// Notification tells people something needs them: a deadline coming, a
// task overdue or left unclaimed. UserID 0 addresses everyone with Role.
type Notification struct {
	ID         int64     `gorm:"primaryKey" json:"id"`
	Role       Role      `gorm:"size:16;index" json:"role,omitempty"`
	UserID     int64     `gorm:"index" json:"user_id,omitempty"`
	Kind       string    `gorm:"size:32;not null" json:"kind"`
	DocumentID int64     `gorm:"index" json:"document_id"`
	Lang       string    `gorm:"size:35" json:"lang"`
	TaskID     int64     `json:"task_id,omitempty"`
	MessageZH  string    `gorm:"type:text;not null" json:"message_zh"`
	MessageEN  string    `gorm:"type:text;not null" json:"message_en"`
	CreatedAt  time.Time `json:"created_at"`
}

// AllModels lists every table, in dependency order, for migrations.
func AllModels() []any {
	return []any{
		&User{}, &Competence{}, &Document{}, &SourceVersion{}, &Segment{},
		&TranslationJob{}, &Task{}, &Draft{}, &RoundDraft{}, &Suggestion{}, &GlossaryHit{}, &ReviewComment{},
		&PublishedVersion{}, &TMEntry{}, &GlossaryEntry{}, &AuditEvent{}, &Notification{}, &Feedback{}, &RoutingRule{},
		&WebhookSubscription{}, &WebhookDelivery{}, &FeedEntry{},
	}
}
