package lang

import (
	"math"
	"testing"
)

func TestScriptShare(t *testing.T) {
	tests := []struct {
		name      string
		lang      string
		text      string
		share     float64
		minLetter int
	}{
		// The case the MT filter exists for: a Cyrillic (Mongolia)
		// answer where Chinese courts publish traditional script.
		{"cyrillic for mn-Mong", "mn-Mong", "Монгол Улсын Дээд шүүх хэргийг хянан хэлэлцэв.", 1, 30},
		{"autonym cyrillic", "mn-Mong", "Монгол хэл", 1, 9},
		{"traditional Mongolian", "mn-Mong", "ᠮᠣᠩᠭᠣᠯ ᠬᠡᠯᠡ", 0, 9},
		// NNBSP joins the suffix ᠶᠢᠨ to its stem; it is not a letter
		// and must not break anything.
		{"traditional with NNBSP suffix", "mn-Mong", "ᠰᠢᠭᠦᠬᠦ\u202Fᠶᠢᠨ ᠱᠢᠢᠳᠬᠡᠪᠦᠷᠢ ᠃", 0, 10},
		{"bare mn means traditional", "mn", "Монгол хэл", 1, 9},
		{"Uyghur court name", "ug", "شىنجاڭ ئۇيغۇر ئاپتونوم رايونلۇق يۇقىرى خەلق سوت مەھكىمىسى", 0, 40},
		// Case numbers stay in Chinese inside a translation.
		{"Uyghur with case number", "ug", "(2023)新01刑初15号 دېلو ئوچۇق سوت قىلىندى.", 0, 15},
		{"Tibetan for ug", "ug", "བོད་རང་སྐྱོང་ལྗོངས་མཐོ་རིམ་མི་དམངས་ཁྲིམས་ཁང་།", 1, 20},
		{"Tibetan for bo", "bo", "བོད་རང་སྐྱོང་ལྗོངས་མཐོ་རིམ་མི་དམངས་ཁྲིམས་ཁང་།", 0, 20},
		{"copied Chinese for ug", "ug", "本院认为，被告人的行为已构成盗窃罪。", 1, 15},
		{"Chinese for zh-Hans", "zh-Hans", "本院认为，被告人的行为已构成盗窃罪。", 0, 15},
		{"Hangul for ko", "ko", "피고인을 징역 3년에 처한다.", 0, 8},
		{"Yi for ii", "ii", "ꆈꌠꉙ", 0, 3},
		{"no letters", "ug", "2023-12-31 ، 45.", 0, 0},
		{"empty", "bo", "", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			share, letters := ScriptShare(tt.lang, tt.text)
			if math.Abs(share-tt.share) > 1e-9 {
				t.Errorf("share = %v, want %v", share, tt.share)
			}
			if letters < tt.minLetter || (tt.minLetter == 0 && letters != 0) {
				t.Errorf("letters = %d, want at least %d", letters, tt.minLetter)
			}
		})
	}
}

func TestScriptShareMixed(t *testing.T) {
	// One Latin abbreviation in a Uyghur sentence is a small share, well
	// under the 20% at which QA and the MT filter refuse a text.
	share, letters := ScriptShare("ug", "DNA ئېكىسپېرتلىق باھالاش پىكرى ئىسپاتلىق كۈچكە ئىگە.")
	if share <= 0 || share >= 0.2 {
		t.Errorf("share = %v (of %d letters), want a small positive share", share, letters)
	}
}

func TestScriptShareUnknownScript(t *testing.T) {
	// "qaa" (private use) names no script; nothing can be judged
	// wrong, but the letters are still counted.
	share, letters := ScriptShare("qaa", "Монгол хэл")
	if share != 0 || letters != 9 {
		t.Errorf("ScriptShare(qaa) = %v, %d; want 0, 9", share, letters)
	}
}

func TestExpectedScript(t *testing.T) {
	for lang, want := range map[string]string{
		"mn-Mong": "Mong", "mn": "Mong", "bo": "Tibt", "ug": "Arab", "ug-CN": "Arab",
		"kk-Arab": "Arab", "ko": "Hang", "ii": "Yiii", "za": "Latn", "ja": "Jpan",
		"zh-Hans": "Hans", "en": "Latn", "ru": "Cyrl", "el": "Grek",
		"qaa": "", "": "", "not a tag": "",
	} {
		if got := ExpectedScript(lang); got != want {
			t.Errorf("ExpectedScript(%q) = %q, want %q", lang, got, want)
		}
	}
}
