package models

import (
	"fmt"
	"time"
)

// TaskQueue is the one Temporal task queue workflows and activities run on.
const TaskQueue = "yizhi"

// DocumentWorkflowID is the ID of the workflow that owns a document.
func DocumentWorkflowID(documentID int64) string {
	return fmt.Sprintf("document:%d", documentID)
}

// TranslationWorkflowID is the ID of the child workflow that owns one
// document × target language.
func TranslationWorkflowID(documentID int64, lang string) string {
	return fmt.Sprintf("translation:%d:%s", documentID, lang)
}

// Updates: every human action on a translation is one of these, each with a
// validator that rejects a wrong state, competence, lease or four-eyes.
const (
	UpdateClaim   = "claim"
	UpdateRelease = "release"
	UpdateRenew   = "renew"
	UpdateSubmit  = "submit"
	UpdateApprove = "approve"
	UpdateReject  = "reject"
	// revise and withdraw come from editors and source systems, not from
	// the task's claimant: a new source version, or a takedown.
	UpdateRevise   = "revise"
	UpdateWithdraw = "withdraw"
)

// QueryState returns a TranslationState.
const QueryState = "state"

// Claim leases: how long a claimant holds a task before it returns to the pool.
const (
	TranslateLease = 2 * time.Hour
	ReviewLease    = 1 * time.Hour
)

// Lease returns the claim lease for a task of kind k.
func (k TaskKind) Lease() time.Duration {
	if k == TaskReview {
		return ReviewLease
	}
	return TranslateLease
}

// DocumentInput starts a DocumentWorkflow. Text never enters workflow
// history: the workflow carries IDs and the activities read the database.
type DocumentInput struct {
	DocumentID    int64
	SourceVersion int
	Priority      Priority
	Deadline      time.Time
	Profile       string   // ProfileFull or ProfileReview; "" is full
	Jobs          []JobRef // one per target language, sorted by Lang
}

// JobRef names one translation job of a document.
type JobRef struct {
	JobID int64
	Lang  string
}

// DocumentResult reports each language's outcome.
type DocumentResult struct {
	Translations []TranslationResult
}

// TranslationInput starts a TranslationWorkflow.
type TranslationInput struct {
	DocumentID    int64
	JobID         int64
	Lang          string
	SourceVersion int
	Priority      Priority
	Deadline      time.Time
	// Profile "review" skips the translate task: a reviewer edits the
	// machine draft and approves it. Judgments are always "full".
	Profile string
	// EscalateUnclaimedAfter is how long a task may wait in the pool
	// before editors are told; 0 means the priority's default.
	EscalateUnclaimedAfter time.Duration
	// Correction starts a new run for an already published translation
	// (after public feedback): no machine assist, since the drafts hold
	// the published text, and the translate task opens at FirstRound.
	Correction bool
	FeedbackID int64
	FirstRound int
	// BaseRevision continues the read model's revision counter of the
	// job's earlier runs, so this run's projections are not taken as
	// stale.
	BaseRevision int64
	// Revised starts a run for a new source version. Segments the revision
	// left unchanged keep their drafts; if an earlier version was
	// published, OutdatedVersion names it and translation.outdated fires.
	Revised         bool
	OutdatedVersion int
}

// ReviseInput is the input of revise: the document has a new source
// version, and the translation starts over on it.
type ReviseInput struct {
	Actor         Actor
	SourceVersion int
	Deadline      time.Time
	// OutdatedVersion is the published version the revision outdates, 0 if
	// nothing was published.
	OutdatedVersion int
}

// WithdrawInput is the input of withdraw: the document is taken down and
// the translation ends, its open task cancelled.
type WithdrawInput struct {
	Actor Actor
}

// Reminders fire at these shares of the time from intake to deadline.
var ReminderPercents = []int{50, 80}

// EscalateUnclaimedAfter is how long a task of priority p may stay
// unclaimed before it is escalated to editors: an eighth of the deadline
// window, so there is time left to act.
func (p Priority) EscalateUnclaimedAfter() time.Duration {
	w, ok := p.Window()
	if !ok {
		w = NormalWindow
	}
	return w / 8
}

// TranslationResult is what a finished TranslationWorkflow returns.
type TranslationResult struct {
	Lang             string
	State            JobState
	PublishedVersion int
	Rounds           int
}

// Actor is the user behind a human action, as the API authenticated them.
// The workflow validators judge competence and four-eyes from it.
type Actor struct {
	UserID     int64
	Name       string
	Roles      []Role
	Translates []string // canonical tags the actor may translate into
	Reviews    []string // canonical tags the actor may review
}

// CanWork reports whether the actor has competence for a task of kind k in
// language lang.
func (a Actor) CanWork(k TaskKind, lang string) bool {
	langs := a.Translates
	if k == TaskReview {
		langs = a.Reviews
	}
	for _, l := range langs {
		if l == lang {
			return true
		}
	}
	return false
}

// TaskActionInput is the input of claim, release, renew, submit and approve.
type TaskActionInput struct {
	Actor  Actor
	TaskID int64
}

// SegmentComment is a reviewer's note on one segment.
type SegmentComment struct {
	Index   int    `json:"index"`
	Comment string `json:"comment"`
}

// RejectInput is the input of reject. Comment is required.
type RejectInput struct {
	Actor           Actor
	TaskID          int64
	Comment         string
	SegmentComments []SegmentComment
}

// TaskView is the workflow's view of its current task.
type TaskView struct {
	ID             int64
	Kind           TaskKind
	State          TaskState
	Round          int
	ClaimantID     int64
	LeaseExpiresAt time.Time
	Escalated      bool // open too long without a claim; editors were told
}

// TranslationState is the result of QueryState and of every Update: the
// workflow's current state after the action.
type TranslationState struct {
	DocumentID       int64
	Lang             string
	Phase            JobState
	Revision         int64
	Round            int
	Task             TaskView
	TranslatorID     int64 // who submitted the round under review
	PublishedVersion int
	Overdue          bool
}

// Projection is one read-model write. It carries the workflow's revision so
// a late write never overwrites a newer one.
type Projection struct {
	JobID            int64
	Revision         int64
	JobState         JobState
	Round            int
	PublishedVersion int
	Task             TaskView // zero ID: no current task
	ClosedTasks      []TaskView
	Overdue          bool
	Audit            *AuditEvent    // appended in the same transaction, if set
	Notifications    []Notification // inserted in the same transaction
}

// PublishInput asks an activity to write an immutable published version.
type PublishInput struct {
	JobID        int64
	ReviewTaskID int64
	TranslatorID int64
	ReviewerID   int64
	FeedbackID   int64 // set on a correction run: the feedback it answers
}

// PublishResult reports the version written (or found, on a retry).
type PublishResult struct {
	Version     int
	ContentHash string
}

// ReviewInput records a rejection's comments.
type ReviewInput struct {
	JobID           int64
	TaskID          int64
	Round           int
	AuthorID        int64
	Comment         string
	SegmentComments []SegmentComment
}

// OpenTaskInput asks an activity to create a task row.
type OpenTaskInput struct {
	JobID int64
	Kind  TaskKind
	Round int
}

// Activity names. Workflows call activities by these names so that the
// workflows package depends on models alone; worker_test checks that each
// one is a method of *activities.Activities.
const (
	ActivityApplyProjection = "ApplyProjection"
	ActivityMachineAssist   = "MachineAssist"
	ActivityOpenTask        = "OpenTask"
	ActivityReviseJob       = "ReviseJob"
	ActivityRecordReview    = "RecordReview"
	ActivityPublishVersion  = "PublishVersion"
	ActivityWebhookTargets  = "WebhookTargets"
	ActivityDeliverWebhook  = "DeliverWebhook"
)

// ReviseJobInput moves a job onto a new source version.
type ReviseJobInput struct {
	JobID         int64
	SourceVersion int
	Deadline      time.Time // zero: keep the job's deadline
}

// AssistInput asks for machine assist on one translation job.
type AssistInput struct {
	JobID int64
}

// AssistResult counts what machine assist found.
type AssistResult struct {
	Segments  int // segments in the source version, title included
	Suggested int // segments with at least one suggestion
	MT        int // segments with a machine translation
	TermHits  int // termbase entries found in the source
}

// Workflow type names, as DESIGN.md calls them. The API starts and the
// Document workflow spawns by these names.
const (
	WorkflowDocument    = "DocumentWorkflow"
	WorkflowTranslation = "TranslationWorkflow"
)
