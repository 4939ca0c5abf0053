package models

import (
	"reflect"
	"testing"
)

func TestRouteTargets(t *testing.T) {
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
		if got := RouteTargets(DefaultRoutes, tt.court, KindJudgment); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("RouteTargets(%s) = %v, want %v", tt.court, got, tt.want)
		}
	}
}

func TestRouteTargetsKinds(t *testing.T) {
	rules := []RoutingRule{{CourtContains: []string{"新疆"}, Kinds: []string{KindJudgment}, Targets: []string{"ug"}}}
	if got := RouteTargets(rules, "新疆高院", KindNews); len(got) != 0 {
		t.Errorf("news routed to %v; the rule is for judgments only", got)
	}
}
