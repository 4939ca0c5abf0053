package lang

import (
	"reflect"
	"sort"
	"testing"
)

func TestParseCN(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		pos  bool
	}{
		{"二〇二三", 2023, false},
		{"一九九八", 1998, false},
		{"一百七十", 170, true},
		{"十五", 15, true},
		{"十", 10, true},
		{"二十", 20, true},
		{"一千二百三十四", 1234, true},
		{"一百零五", 105, true},
		{"三万五千", 35000, true},
		{"十万", 100000, true},
		{"二十五万三千", 253000, true},
		{"一亿二千万", 120000000, true},
		{"两千", 2000, true},
		{"壹万贰仟叁佰肆拾伍", 12345, true},
		{"九十五", 95, true},
		{"三十", 30, true},
		{"一万亿", 1000000000000, true},
	}
	for _, tt := range tests {
		v, pos, ok := parseCN([]rune(tt.in))
		if !ok || v != tt.want || pos != tt.pos {
			t.Errorf("parseCN(%s) = %d, %v, %v; want %d, %v", tt.in, v, pos, ok, tt.want, tt.pos)
		}
	}
	for _, bad := range []string{"二三十", "一二百"} {
		if v, _, ok := parseCN([]rune(bad)); ok {
			t.Errorf("parseCN(%s) = %d, want failure", bad, v)
		}
	}
}

func mentionValues(ms []numMention) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.values[0])
	}
	return out
}

func TestExtractSourceNumbers(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"二审案件受理费人民币12,345.67元", []string{"12345.67"}},
		{"依照第一百七十条第一款第一项", []string{"170", "1", "1"}},
		{"第一条", []string{"1"}},
		{"二〇二三年五月六日", []string{"2023", "5", "6"}},
		{"2023年5月6日上午9时30分", []string{"2023", "5", "6", "9", "30"}},
		{"自公告之日起经过三十日", []string{"30"}},
		{"十五日内", []string{"15"}},
		{"一千二百三十四元", []string{"1234"}},
		{"百分之五", []string{"5"}},
		{"赔偿12万元", []string{"12"}},
		{"第5,6项", []string{"5", "6"}},
		{"2023.5.6", []string{"2023", "5", "6"}},
		{"１２３号", []string{"123"}},
		// Words, not numbers.
		{"一审判决、一方当事人、两名被告、三年、十分重要、千万注意、万一、百姓、统一", nil},
		{"第一审", nil},
		{"三四天", nil},
	}
	for _, tt := range tests {
		got := mentionValues(extractSourceNumbers(tt.in, nil))
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("extract(%s) = %v, want %v", tt.in, got, tt.want)
		}
	}
	// Multipliers accept every common rendering.
	ms := extractSourceNumbers("赔偿12万元", nil)
	want := []string{"12", "120000", "120", "0.12"}
	if !reflect.DeepEqual(ms[0].values, want) {
		t.Errorf("12万 values = %v, want %v", ms[0].values, want)
	}
	ms = extractSourceNumbers("1.5亿元", nil)
	if !containsString(ms[0].values, "150000000") || !containsString(ms[0].values, "150") || !containsString(ms[0].values, "1.5") {
		t.Errorf("1.5亿 values = %v", ms[0].values)
	}
	// Months are marked.
	ms = extractSourceNumbers("2023年5月6日", nil)
	if ms[1].month != 5 || ms[2].month != 0 {
		t.Errorf("month marks = %d, %d", ms[1].month, ms[2].month)
	}
	ms = extractSourceNumbers("二〇二三年十二月一日", nil)
	if len(ms) != 3 || ms[1].month != 12 || ms[2].values[0] != "1" {
		t.Errorf("二〇二三年十二月一日 = %+v", ms)
	}
	// Skipped spans (case numbers) are not read.
	src := "（2023）新民终45号判决赔偿100元"
	cases := findCaseNumbers(src)
	if got := mentionValues(extractSourceNumbers(src, spansOf(cases))); !reflect.DeepEqual(got, []string{"100"}) {
		t.Errorf("with skip = %v", got)
	}
}

func TestTargetNumbers(t *testing.T) {
	tests := []struct {
		in   string
		must []string
	}{
		{"RMB 12,345.67", []string{"12345.67"}},
		{"12.345,67 RMB", []string{"12345.67"}},        // de, es, pt
		{"12\u202f345,67 yuans", []string{"12345.67"}}, // fr with NNBSP
		{"12\u00a0345,67 юаня", []string{"12345.67"}},  // ru with NBSP
		{"12 345,67", []string{"12345.67"}},            // space grouping
		{"١٢٬٣٤٥٫٦٧ يوان", []string{"12345.67"}},       // Arabic-Indic
		{"۱۲۳۴۵", []string{"12345"}},                   // extended Arabic-Indic
		{"༢༠༢༣ལོའི་ཟླ་༦", []string{"2023", "6"}},       // Tibetan digits
		{"᠒᠐᠒᠓ ᠣᠨ", []string{"2023"}},                  // Mongolian digits
		{"１２３", []string{"123"}},                       // full-width
		{"9:30 a.m.", []string{"9", "30"}},
		{"2023-يىلى 6-ئاينىڭ", []string{"2023", "6"}},
		{"Article 170(1)(i)", []string{"170", "1"}},
		{"12,345", []string{"12345", "12.345"}},
		{"12345.00", []string{"12345"}},
	}
	for _, tt := range tests {
		var got []string
		targetNumbers(tt.in, func(v string) { got = append(got, v) })
		for _, m := range tt.must {
			if !containsString(got, m) {
				sort.Strings(got)
				t.Errorf("targetNumbers(%q) = %v, missing %s", tt.in, got, m)
			}
		}
	}
}

func TestScaled(t *testing.T) {
	tests := []struct {
		v    string
		e    int
		want string
	}{
		{"12", 4, "120000"}, {"1.5", 8, "150000000"}, {"120000", -3, "120"},
		{"120000", -6, "0.12"}, {"0.5", 1, "5"}, {"12345.67", -2, "123.4567"}, {"3", -2, "0.03"},
	}
	for _, tt := range tests {
		if got := scaled(tt.v, tt.e); got != tt.want {
			t.Errorf("scaled(%s, %d) = %s, want %s", tt.v, tt.e, got, tt.want)
		}
	}
	for in, want := range map[string]string{"0012": "12", "3.00": "3", "0": "0", "000": "0", "0.50": "0.5", "12.": "12"} {
		if got := canonDecimal(in); got != want {
			t.Errorf("canonDecimal(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestFindCaseNumbers(t *testing.T) {
	tests := []struct {
		in                 string
		text, year, serial string
	}{
		{"依据（2023）最高法民终123号判决", "（2023）最高法民终123号", "2023", "123"},
		{"审理(2023)京0105民初12345号案件", "(2023)京0105民初12345号", "2023", "12345"},
		{"（2023）新民终45号", "（2023）新民终45号", "2023", "45"},
		{"法〔2021〕184号通知", "〔2021〕184号", "2021", "184"},
		{"（２０２３）新０１民初７号", "（２０２３）新０１民初７号", "2023", "7"},
		{"（2010）粤高法民三初字第1号", "（2010）粤高法民三初字第1号", "2010", "1"},
	}
	for _, tt := range tests {
		cs := findCaseNumbers(tt.in)
		if len(cs) != 1 || cs[0].text != tt.text || cs[0].year != tt.year || cs[0].serial != tt.serial {
			t.Errorf("findCaseNumbers(%s) = %+v", tt.in, cs)
		}
	}
	for _, none := range []string{"（2023年）", "(原审原告)", "（一）", "(2023)", "（2023）新民终号", "（2023）新民终45", "（20234）新民终45号"} {
		if cs := findCaseNumbers(none); len(cs) != 0 {
			t.Errorf("findCaseNumbers(%s) = %+v, want none", none, cs)
		}
	}
	if cs := findCaseNumbers("（2023）新民终45号与（2022）新01民初3号"); len(cs) != 2 {
		t.Errorf("two case numbers: %+v", cs)
	}
}
