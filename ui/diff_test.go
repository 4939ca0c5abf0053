package ui

import (
	"strings"
	"testing"
)

func render(ops []diffOp) string {
	var b strings.Builder
	for _, op := range ops {
		switch op.Kind {
		case '-':
			b.WriteString("[-" + op.Text + "]")
		case '+':
			b.WriteString("[+" + op.Text + "]")
		default:
			b.WriteString(op.Text)
		}
	}
	return b.String()
}

func TestDiffText(t *testing.T) {
	tests := []struct {
		name, old, new string
		unit           diffUnit
		want           string
	}{
		{"same", "欢迎旁听。", "欢迎旁听。", byCharacter, "欢迎旁听。"},
		{"Chinese by character", "在第一法庭公开开庭", "在第二法庭公开审理", byCharacter, "在第[-一][+二]法庭公开[-开庭][+审理]"},
		{"Uyghur by word", "1-سوت زالىدا دېلونى ئاشكارا", "1-سوت زالىدا نومۇرلۇق دېلونى ئاشكارا", byWord,
			"1-سوت زالىدا[+ نومۇرلۇق] دېلونى ئاشكارا"},
		{"Uyghur word replaced whole", "2-سوت زالىدا", "1-سوت زالىدا", byWord, "[-2-سوت][+1-سوت] زالىدا"},
		{"Uyghur words moved", "(2023)新01民初45号 دېلونى قانۇن بويىچە ئاشكارا", "(2023)新01民初45号 نومۇرلۇق دېلونى ئاشكارا", byWord,
			"(2023)新01民初45号[+ نومۇرلۇق] دېلونى[- قانۇن بويىچە] ئاشكارا"},
		// A Tibetan syllable (with its stacks and vowel signs) changes whole.
		{"Tibetan by syllable", "ཁྲིམས་ཁང་", "ཁྲོམས་ཁང་", bySyllable, "[-ཁྲིམས་][+ཁྲོམས་]ཁང་"},
		{"Tibetan shad", "ཡིན། ཁང་", "རེད། ཁང་", bySyllable, "[-ཡིན། ][+རེད། ]ཁང་"},
		// The suffix connector U+202F is not a word break.
		{"Mongolian", "ᠰᠠᠷ\u180eᠠ\u202fᠶᠢᠨ 15", "ᠰᠠᠷ\u180eᠠ\u202fᠶᠢᠨ 16", byWord, "ᠰᠠᠷ\u180eᠠ\u202fᠶᠢᠨ[- 15][+ 16]"},
		// Small common pieces inside a rewrite fold into it.
		{"rewrite reads as one change", "甲甲乙丙丙丁戊戊", "子子乙丑丑丁寅寅", byCharacter, "[-甲甲乙丙丙丁戊戊][+子子乙丑丑丁寅寅]"},
		{"empty old", "", "ئاڭلاشقا", byWord, "[+ئاڭلاشقا]"},
		{"empty new", "ئاڭلاشقا", "", byWord, "[-ئاڭلاشقا]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ops := diffText(tt.old, tt.new, tt.unit)
			if got := render(ops); got != tt.want {
				t.Errorf("diff = %q, want %q", got, tt.want)
			}
			// Both sides can be rebuilt from the diff.
			var old, new strings.Builder
			for _, op := range ops {
				if op.Kind != '+' {
					old.WriteString(op.Text)
				}
				if op.Kind != '-' {
					new.WriteString(op.Text)
				}
			}
			if old.String() != tt.old || new.String() != tt.new {
				t.Errorf("diff does not rebuild its sides: %q / %q", old.String(), new.String())
			}
		})
	}
}

func TestUnitFollowsTheScript(t *testing.T) {
	for script, want := range map[string]diffUnit{"Arab": byWord, "Mong": byWord, "Tibt": bySyllable, "Hans": byCharacter, "Yiii": byCharacter, "Latn": byWord} {
		if got := unitFor(script); got != want {
			t.Errorf("unitFor(%s) = %v, want %v", script, got, want)
		}
	}
}

func TestWordsKeepMongolianSuffixes(t *testing.T) {
	got := words("ᠤᠶᠢᠭᠤᠷ\u202fᠤᠨ ᠥᠪᠡᠷᠲᠡᠭᠡᠨ")
	if len(got) != 2 || got[0] != "ᠤᠶᠢᠭᠤᠷ\u202fᠤᠨ" || got[1] != " ᠥᠪᠡᠷᠲᠡᠭᠡᠨ" {
		t.Errorf("words = %q", got)
	}
}

func TestDiffHTMLEscapes(t *testing.T) {
	got := string(diffHTML(diffText("<b>a</b>", "<b>b</b>", byCharacter)))
	if strings.Contains(got, "<b>") || !strings.Contains(got, "<del>a</del><ins>b</ins>") {
		t.Errorf("diffHTML = %s", got)
	}
}

func TestLongInputsFallBackToReplace(t *testing.T) {
	a, b := strings.Repeat("甲", 2100), strings.Repeat("乙", 2100)
	ops := diffText("x"+a, "y"+b, byCharacter)
	if len(ops) != 2 || ops[0].Kind != '-' || ops[1].Kind != '+' {
		t.Errorf("long diff = %d ops", len(ops))
	}
}

func TestMarkTermsUsesByteOffsetsSafely(t *testing.T) {
	src := "新疆维吾尔自治区乌鲁木齐市中级人民法院开庭公告"
	court := "乌鲁木齐市中级人民法院"
	start := strings.Index(src, court)
	got := string(markTerms(src, []glossaryHit{
		{Term: court, Translation: `"<x>`, Status: "approved", Start: start, End: start + len(court)},
		{Term: "broken", Start: 1, End: 4},                    // inside a character
		{Term: "overlap", Start: start + 3, End: start + 6},   // inside the first hit
		{Term: "out", Start: len(src) - 3, End: len(src) + 3}, // past the end
		{Term: "公告", Translation: "ئېلان", Status: "forbidden", Start: len(src) - 6, End: len(src)},
	}))
	want := `新疆维吾尔自治区<mark class="term" title="&#34;&lt;x&gt;">乌鲁木齐市中级人民法院</mark>开庭<mark class="term forbidden" title="ئېلان">公告</mark>`
	if got != want {
		t.Errorf("markTerms =\n%s\nwant\n%s", got, want)
	}
}

func TestBestSuggestionIsTheHighestMachineScore(t *testing.T) {
	best := bestSuggestion([]suggestion{{Origin: "human", Score: 200}, {Origin: "tm-fuzzy", Score: 87}, {Origin: "mt:niutrans", Score: 90}})
	if best == nil || best.Origin != "mt:niutrans" {
		t.Errorf("best = %+v", best)
	}
	if bestSuggestion(nil) != nil {
		t.Error("a suggestion out of nothing")
	}
}
