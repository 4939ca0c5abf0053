package models

import (
	"sort"
	"strings"
)

// RoutingRule names target languages for the documents of matching courts.
// A rule matches when the court name contains any of CourtContains and,
// if Kinds is set, the document's kind is one of them.
type RoutingRule struct {
	Name          string   `json:"name"`
	CourtContains []string `json:"court_contains"`
	Kinds         []string `json:"kinds,omitempty"`
	Targets       []string `json:"targets"`
}

// MinorityLanguages are the seven ethnic languages of China's
// ethnic-language translation work, as canonical tags.
var MinorityLanguages = []string{"mn-Mong", "bo", "ug", "kk-Arab", "ko", "ii", "za"}

// DefaultRoutes follow where each language is an official language of
// local government, and where courts hear many foreign-related cases.
var DefaultRoutes = []RoutingRule{
	{Name: "Xinjiang", CourtContains: []string{"新疆"}, Targets: []string{"ug", "kk-Arab"}},
	{Name: "Tibet and Tibetan areas", CourtContains: []string{"西藏", "青海", "甘孜", "阿坝", "甘南", "迪庆", "天祝"}, Targets: []string{"bo"}},
	{Name: "Inner Mongolia and Mongol areas", CourtContains: []string{"内蒙古", "海西蒙古族", "博尔塔拉蒙古", "巴音郭楞蒙古"}, Targets: []string{"mn-Mong"}},
	{Name: "Yanbian", CourtContains: []string{"延边", "长白朝鲜族"}, Targets: []string{"ko"}},
	{Name: "Liangshan", CourtContains: []string{"凉山", "楚雄彝族", "红河哈尼族彝族"}, Targets: []string{"ii"}},
	{Name: "Guangxi", CourtContains: []string{"广西", "文山壮族"}, Targets: []string{"za"}},
	{Name: "Maritime courts", CourtContains: []string{"海事法院"}, Targets: []string{"en"}},
	{Name: "International commercial court", CourtContains: []string{"国际商事法庭", "国际商事法院"}, Targets: []string{"en"}},
	{Name: "Supreme People's Court", CourtContains: []string{"最高人民法院"}, Targets: append(append([]string{}, MinorityLanguages...), "en")},
}

// RouteTargets returns the sorted union of the targets of every rule that
// matches the court and kind.
func RouteTargets(rules []RoutingRule, court, kind string) []string {
	set := map[string]bool{}
	for _, r := range rules {
		if !r.matches(court, kind) {
			continue
		}
		for _, t := range r.Targets {
			set[t] = true
		}
	}
	out := make([]string, 0, len(set))
	for t := range set {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

func (r RoutingRule) matches(court, kind string) bool {
	if len(r.Kinds) > 0 {
		ok := false
		for _, k := range r.Kinds {
			ok = ok || k == kind
		}
		if !ok {
			return false
		}
	}
	for _, part := range r.CourtContains {
		if strings.Contains(court, part) {
			return true
		}
	}
	return false
}
