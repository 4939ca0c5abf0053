package store

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"

	"gorm.io/gorm"

	"yizhi/models"
)

// StatsFilter selects the translation jobs the figures of Stats are taken
// over. Empty fields select everything.
type StatsFilter struct {
	Court string
	Kind  string
	Lang  string // a canonical tag
	// Since and Until bound the jobs' creation: Since <= created_at < Until.
	Since, Until time.Time
	// Now is when a task's deadline counts as passed; zero means now.
	Now time.Time
}

// LanguageStats are the opinion's item-27 figures (how accurate, timely and
// complete the disclosure is) for one target language, or for all of them.
// A ratio or duration is nil when there is nothing to take it over (no jobs,
// no publications, no decided reviews), which is not the same as 0.
type LanguageStats struct {
	Lang string `json:"lang,omitempty"`
	// Targeted counts jobs (documents × this language); Published those
	// with at least one published version.
	Targeted  int      `json:"targeted"`
	Published int      `json:"published"`
	Coverage  *float64 `json:"coverage"` // Published / Targeted
	// Hours from a job's creation to its first published version.
	MedianHoursToPublish *float64 `json:"median_hours_to_publish"`
	P90HoursToPublish    *float64 `json:"p90_hours_to_publish"`
	// OnTime counts published jobs first published at or before the job's
	// deadline; OnTimeShare is OnTime / Published.
	OnTime      int      `json:"on_time"`
	OnTimeShare *float64 `json:"on_time_share"`
	// ReviewsDecided counts approved and rejected review tasks;
	// RejectionRate is the rejected share of them.
	ReviewsDecided int      `json:"reviews_decided"`
	RejectionRate  *float64 `json:"rejection_rate"`
	// Tasks waiting for someone: open or claimed; of those, the ones past
	// their deadline (or flagged overdue by the workflow) and the ones
	// escalated for nobody claiming them in time.
	OpenTasks      int `json:"open_tasks"`
	OverdueTasks   int `json:"overdue_tasks"`
	EscalatedTasks int `json:"escalated_tasks"`
	// Withdrawn counts the jobs of withdrawn documents. They are left out
	// of every other figure: a withdrawn document is no longer disclosed,
	// so it neither owes a translation nor counts as one delivered.
	Withdrawn int `json:"withdrawn"`

	toPublish       []time.Duration
	reviewsRejected int
}

// Stats holds the figures per target language, sorted by tag, and over all
// languages together.
type Stats struct {
	GeneratedAt time.Time       `json:"generated_at"`
	Languages   []LanguageStats `json:"languages"`
	Totals      LanguageStats   `json:"totals"`
}

// jobCounts is one language's job counts, computed by the database.
type jobCounts struct {
	Lang      string
	Targeted  int64
	Withdrawn int64
}

// publishedJob is what timeliness needs of one published job: three
// timestamps. Durations are computed in Go because SQLite and MySQL share
// no date arithmetic.
type publishedJob struct {
	Lang             string
	CreatedAt        time.Time
	Deadline         time.Time
	FirstPublishedAt time.Time
}

// taskCounts is one language's task counts, computed by the database.
type taskCounts struct {
	Lang            string
	ReviewsApproved int64
	ReviewsRejected int64
	OpenTasks       int64
	OverdueTasks    int64
	EscalatedTasks  int64
}

// Stats computes the item-27 figures over the jobs f selects, with three
// grouped queries (jobs, first publications, tasks) and the percentiles in
// Go. The three reads are not one snapshot: work landing between them can
// put a figure off by one for this answer, which a dashboard bears better
// than a read transaction, which on SQLite takes the write lock.
func (s *Store) Stats(ctx context.Context, f StatsFilter) (*Stats, error) {
	at := dbTime(f.Now)
	if at.IsZero() {
		at = now()
	}
	db := s.db.WithContext(ctx)

	var jobs []jobCounts
	err := s.statsJobs(db, f).
		Select("j.lang AS lang, " +
			"SUM(CASE WHEN d.withdrawn_at IS NULL THEN 1 ELSE 0 END) AS targeted, " +
			"SUM(CASE WHEN d.withdrawn_at IS NULL THEN 0 ELSE 1 END) AS withdrawn").
		Group("j.lang").Scan(&jobs).Error
	if err != nil {
		return nil, err
	}

	// The first publication is version 1's row in practice; taking the
	// lowest version keeps that true should numbering ever change, and
	// selecting a plain column keeps its type, which an aggregate of a time
	// loses on SQLite.
	var published []publishedJob
	err = s.statsJobs(db, f).
		Joins("JOIN published_versions p ON p.document_id = j.document_id AND p.lang = j.lang").
		Where("p.version = (SELECT MIN(q.version) FROM published_versions q WHERE q.document_id = j.document_id AND q.lang = j.lang)").
		Where("d.withdrawn_at IS NULL").
		Select("j.lang AS lang, j.created_at AS created_at, j.deadline AS deadline, p.published_at AS first_published_at").
		Scan(&published).Error
	if err != nil {
		return nil, err
	}

	var tasks []taskCounts
	waiting := "t.state IN ('" + string(models.TaskOpen) + "', '" + string(models.TaskClaimed) + "')"
	review := "t.kind = '" + string(models.TaskReview) + "'"
	err = s.statsJobs(db, f).
		Joins("JOIN tasks t ON t.job_id = j.id").
		Where("d.withdrawn_at IS NULL").
		Select("t.lang AS lang, "+
			"SUM(CASE WHEN "+review+" AND t.state = ? THEN 1 ELSE 0 END) AS reviews_approved, "+
			"SUM(CASE WHEN "+review+" AND t.state = ? THEN 1 ELSE 0 END) AS reviews_rejected, "+
			"SUM(CASE WHEN "+waiting+" THEN 1 ELSE 0 END) AS open_tasks, "+
			"SUM(CASE WHEN "+waiting+" AND (t.overdue = ? OR t.deadline < ?) THEN 1 ELSE 0 END) AS overdue_tasks, "+
			"SUM(CASE WHEN "+waiting+" AND t.escalated = ? THEN 1 ELSE 0 END) AS escalated_tasks",
			models.TaskApproved, models.TaskRejected, true, at, true).
		Group("t.lang").Scan(&tasks).Error
	if err != nil {
		return nil, err
	}

	byLang := map[string]*LanguageStats{}
	lang := func(tag string) *LanguageStats {
		if l, ok := byLang[tag]; ok {
			return l
		}
		l := &LanguageStats{Lang: tag}
		byLang[tag] = l
		return l
	}
	if f.Lang != "" {
		lang(f.Lang) // asked for, so listed even with nothing to count
	}
	for _, j := range jobs {
		l := lang(j.Lang)
		l.Targeted, l.Withdrawn = int(j.Targeted), int(j.Withdrawn)
	}
	for _, p := range published {
		l := lang(p.Lang)
		l.Published++
		l.toPublish = append(l.toPublish, p.FirstPublishedAt.Sub(p.CreatedAt))
		if !p.FirstPublishedAt.After(p.Deadline) {
			l.OnTime++
		}
	}
	for _, t := range tasks {
		l := lang(t.Lang)
		l.ReviewsDecided = int(t.ReviewsApproved + t.ReviewsRejected)
		l.reviewsRejected = int(t.ReviewsRejected)
		l.OpenTasks, l.OverdueTasks, l.EscalatedTasks = int(t.OpenTasks), int(t.OverdueTasks), int(t.EscalatedTasks)
	}

	out := &Stats{GeneratedAt: at, Languages: make([]LanguageStats, 0, len(byLang))}
	for _, l := range byLang {
		out.Totals.add(l)
		l.finish()
		out.Languages = append(out.Languages, *l)
	}
	out.Totals.finish()
	slices.SortFunc(out.Languages, func(a, b LanguageStats) int { return cmp.Compare(a.Lang, b.Lang) })
	return out, nil
}

// statsJobs is the selection every query of Stats starts from: the jobs,
// with their documents, that f selects.
func (s *Store) statsJobs(db *gorm.DB, f StatsFilter) *gorm.DB {
	q := db.Table("translation_jobs j").Joins("JOIN documents d ON d.id = j.document_id")
	if f.Court != "" {
		q = q.Where("d.court = ?", f.Court)
	}
	if f.Kind != "" {
		q = q.Where("d.kind = ?", f.Kind)
	}
	if f.Lang != "" {
		q = q.Where("j.lang = ?", f.Lang)
	}
	if !f.Since.IsZero() {
		q = q.Where("j.created_at >= ?", dbTime(f.Since))
	}
	if !f.Until.IsZero() {
		q = q.Where("j.created_at < ?", dbTime(f.Until))
	}
	return q
}

// add counts l into the totals.
func (t *LanguageStats) add(l *LanguageStats) {
	t.Targeted += l.Targeted
	t.Published += l.Published
	t.OnTime += l.OnTime
	t.ReviewsDecided += l.ReviewsDecided
	t.reviewsRejected += l.reviewsRejected
	t.OpenTasks += l.OpenTasks
	t.OverdueTasks += l.OverdueTasks
	t.EscalatedTasks += l.EscalatedTasks
	t.Withdrawn += l.Withdrawn
	t.toPublish = append(t.toPublish, l.toPublish...)
}

// finish derives the ratios and percentiles from the counts.
func (l *LanguageStats) finish() {
	l.Coverage = ratio(l.Published, l.Targeted)
	l.OnTimeShare = ratio(l.OnTime, l.Published)
	l.RejectionRate = ratio(l.reviewsRejected, l.ReviewsDecided)
	slices.Sort(l.toPublish)
	l.MedianHoursToPublish = hoursPercentile(l.toPublish, 0.5)
	l.P90HoursToPublish = hoursPercentile(l.toPublish, 0.9)
}

func ratio(part, whole int) *float64 {
	if whole == 0 {
		return nil
	}
	r := float64(part) / float64(whole)
	return &r
}

// hoursPercentile is the p-quantile of sorted durations in hours, rounded
// to the hundredth, interpolating linearly between the two nearest ranks
// (so the median of an even count is the mean of the middle two).
func hoursPercentile(sorted []time.Duration, p float64) *float64 {
	if len(sorted) == 0 {
		return nil
	}
	rank := p * float64(len(sorted)-1)
	lo := int(math.Floor(rank))
	hi := min(lo+1, len(sorted)-1)
	d := float64(sorted[lo]) + (rank-float64(lo))*float64(sorted[hi]-sorted[lo])
	h := math.Round(d/float64(time.Hour)*100) / 100
	return &h
}
