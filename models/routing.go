package models

import (
	"slices"
	"sort"
	"strings"
	"time"
)

// Workflow profiles: how many human steps a translation goes through.
const (
	// ProfileFull is assist → translate → review → publish.
	ProfileFull = "full"
	// ProfileReview is assist → review with editing → publish, for short
	// notices where a second human pass adds little.
	ProfileReview = "review"
)

// Profiles lists every workflow profile.
var Profiles = []string{ProfileFull, ProfileReview}

// RoutingRule names target languages, and a workflow profile, for the
// documents of matching courts. A rule matches when the court name contains
// any of CourtContains and, if set, the document's kind is one of Kinds and
// its priority one of Priorities. Rules live in the database so an admin
// can change routing without a release; DefaultRoutes seed an empty table.
type RoutingRule struct {
	ID int64 `gorm:"primaryKey" json:"id"`
	// Priority orders the rules for people reading them, lower first.
	// Routing itself is a union over every matching rule, so the order
	// never changes a result.
	Priority      int        `gorm:"not null;default:0" json:"priority"`
	Name          string     `gorm:"size:128;not null" json:"name"`
	CourtContains []string   `gorm:"serializer:json;type:text" json:"court_contains"`
	Kinds         []string   `gorm:"serializer:json;type:text" json:"kinds"`
	Priorities    []Priority `gorm:"serializer:json;type:text" json:"priorities"`
	Targets       []string   `gorm:"serializer:json;type:text" json:"targets"`
	Profile       string     `gorm:"size:16;not null;default:full" json:"profile"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// MinorityLanguages are the seven ethnic languages of China's
// ethnic-language translation work, as canonical tags.
var MinorityLanguages = []string{"mn-Mong", "bo", "ug", "kk-Arab", "ko", "ii", "za"}

// DefaultRoutes follow where each language is an official language of
// local government, and where courts hear many foreign-related cases. They
// seed the routing table of a new database.
var DefaultRoutes = []RoutingRule{
	{Priority: 10, Name: "Xinjiang", CourtContains: []string{"新疆"}, Targets: []string{"ug", "kk-Arab"}, Profile: ProfileFull},
	{Priority: 20, Name: "Tibet and Tibetan areas", CourtContains: []string{"西藏", "青海", "甘孜", "阿坝", "甘南", "迪庆", "天祝"}, Targets: []string{"bo"}, Profile: ProfileFull},
	{Priority: 30, Name: "Inner Mongolia and Mongol areas", CourtContains: []string{"内蒙古", "海西蒙古族", "博尔塔拉蒙古", "巴音郭楞蒙古"}, Targets: []string{"mn-Mong"}, Profile: ProfileFull},
	{Priority: 40, Name: "Yanbian", CourtContains: []string{"延边", "长白朝鲜族"}, Targets: []string{"ko"}, Profile: ProfileFull},
	{Priority: 50, Name: "Liangshan", CourtContains: []string{"凉山", "楚雄彝族", "红河哈尼族彝族"}, Targets: []string{"ii"}, Profile: ProfileFull},
	{Priority: 60, Name: "Guangxi", CourtContains: []string{"广西", "文山壮族"}, Targets: []string{"za"}, Profile: ProfileFull},
	{Priority: 70, Name: "Maritime courts", CourtContains: []string{"海事法院"}, Targets: []string{"en"}, Profile: ProfileFull},
	{Priority: 80, Name: "International commercial court", CourtContains: []string{"国际商事法庭", "国际商事法院"}, Targets: []string{"en"}, Profile: ProfileFull},
	{Priority: 90, Name: "Supreme People's Court", CourtContains: []string{"最高人民法院"}, Targets: append(append([]string{}, MinorityLanguages...), "en"), Profile: ProfileFull},
}

// Route returns the sorted union of the targets of every rule that matches
// the court, kind and priority, and the profile they call for. The lighter
// review profile needs every matching rule to agree, so a rule cannot drop
// the translate step another rule relies on; judgments always get the full
// profile, and so does a document no rule matches.
func Route(rules []RoutingRule, court, kind string, priority Priority) (targets []string, profile string) {
	set := map[string]bool{}
	matched, allReview := false, true
	for _, r := range rules {
		if !r.Matches(court, kind, priority) {
			continue
		}
		matched = true
		allReview = allReview && r.Profile == ProfileReview
		for _, t := range r.Targets {
			set[t] = true
		}
	}
	targets = make([]string, 0, len(set))
	for t := range set {
		targets = append(targets, t)
	}
	sort.Strings(targets)
	return targets, IntakeProfile(kind, profileIf(matched && allReview))
}

func profileIf(review bool) string {
	if review {
		return ProfileReview
	}
	return ProfileFull
}

// IntakeProfile returns the profile a document of this kind gets when
// profile is asked for: judgments are always fully translated and reviewed,
// and an empty profile means full.
func IntakeProfile(kind, profile string) string {
	if kind == KindJudgment || profile == "" {
		return ProfileFull
	}
	return profile
}

// Matches reports whether the rule applies to a document of this court,
// kind and priority.
func (r RoutingRule) Matches(court, kind string, priority Priority) bool {
	if len(r.Kinds) > 0 && !slices.Contains(r.Kinds, kind) {
		return false
	}
	if len(r.Priorities) > 0 && !slices.Contains(r.Priorities, priority) {
		return false
	}
	for _, part := range r.CourtContains {
		if part != "" && strings.Contains(court, part) {
			return true
		}
	}
	return false
}
