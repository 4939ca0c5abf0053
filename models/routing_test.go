package models

import (
	"reflect"
	"testing"
)

func TestRouteDefaults(t *testing.T) {
	tests := []struct {
		court string
		want  []string
	}{
		{"新疆维吾尔自治区高级人民法院", []string{"kk-Arab", "ug"}},
		{"西藏自治区拉萨市中级人民法院", []string{"bo"}},
		{"四川省甘孜藏族自治州中级人民法院", []string{"bo"}},
		{"内蒙古自治区呼和浩特市中级人民法院", []string{"mn-Mong"}},
		{"吉林省延边朝鲜族自治州中级人民法院", []string{"ko"}},
		{"四川省凉山彝族自治州中级人民法院", []string{"ii"}},
		{"广西壮族自治区南宁市中级人民法院", []string{"za"}},
		{"上海海事法院", []string{"en"}},
		{"最高人民法院第一国际商事法庭", []string{"bo", "en", "ii", "kk-Arab", "ko", "mn-Mong", "ug", "za"}},
		{"北京市朝阳区人民法院", []string{}},
	}
	for _, tt := range tests {
		got, profile := Route(DefaultRoutes, tt.court, KindJudgment, PriorityNormal)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Route(%s) = %v, want %v", tt.court, got, tt.want)
		}
		if profile != ProfileFull {
			t.Errorf("Route(%s) profile = %q, want full", tt.court, profile)
		}
	}
}

func TestRouteKindsAndPriorities(t *testing.T) {
	rules := []RoutingRule{
		{CourtContains: []string{"新疆"}, Kinds: []string{KindJudgment}, Targets: []string{"ug"}},
		{CourtContains: []string{"新疆"}, Priorities: []Priority{PriorityUrgent}, Targets: []string{"en"}},
	}
	if got, _ := Route(rules, "新疆高院", KindNews, PriorityNormal); len(got) != 0 {
		t.Errorf("news routed to %v; one rule is for judgments, the other for urgent documents", got)
	}
	if got, _ := Route(rules, "新疆高院", KindNews, PriorityUrgent); !reflect.DeepEqual(got, []string{"en"}) {
		t.Errorf("urgent news routed to %v, want [en]", got)
	}
	if got, _ := Route(rules, "新疆高院", KindJudgment, PriorityUrgent); !reflect.DeepEqual(got, []string{"en", "ug"}) {
		t.Errorf("urgent judgment routed to %v, want the union [en ug]", got)
	}
}

func TestRouteProfile(t *testing.T) {
	notices := RoutingRule{CourtContains: []string{"新疆"}, Kinds: []string{KindHearingNotice, KindJudgment}, Targets: []string{"ug"}, Profile: ProfileReview}
	xinjiang := RoutingRule{CourtContains: []string{"新疆"}, Targets: []string{"kk-Arab"}, Profile: ProfileFull}
	tests := []struct {
		name  string
		rules []RoutingRule
		kind  string
		want  string
	}{
		{"every match says review", []RoutingRule{notices}, KindHearingNotice, ProfileReview},
		{"one match says full", []RoutingRule{notices, xinjiang}, KindHearingNotice, ProfileFull},
		{"judgments are always full", []RoutingRule{notices}, KindJudgment, ProfileFull},
		{"no match is full", []RoutingRule{notices}, KindNews, ProfileFull},
	}
	for _, tt := range tests {
		if _, got := Route(tt.rules, "新疆高院", tt.kind, PriorityNormal); got != tt.want {
			t.Errorf("%s: profile %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestIntakeProfile(t *testing.T) {
	for _, tt := range []struct{ kind, asked, want string }{
		{KindJudgment, ProfileReview, ProfileFull},
		{KindHearingNotice, ProfileReview, ProfileReview},
		{KindHearingNotice, "", ProfileFull},
	} {
		if got := IntakeProfile(tt.kind, tt.asked); got != tt.want {
			t.Errorf("IntakeProfile(%s, %q) = %q, want %q", tt.kind, tt.asked, got, tt.want)
		}
	}
}
