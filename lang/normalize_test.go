package lang

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestNormalizeKeepsWhatNFKCBreaks(t *testing.T) {
	tests := []struct {
		name, lang, text string
	}{
		{"Mongolian suffix connector", "mn-Mong", "ᠠᠷᠠᠳ\u202fᠤᠨ ᠱᠢᠭᠦᠬᠦ ᠶᠠᠮᠤᠨ ᠰᠠᠷ\u180eᠠ"},
		{"Chinese full-width punctuation", "zh-Hans", "（2023）新民终45号：驳回上诉，维持原判；费用１２３元！？"},
		{"Korean", "ko", "《중화인민공화국 민사소송법》 제170조"},
		{"Uyghur letters", "ug", "ئۈرۈمچى شەھەرلىك ئوتتۇرا خەلق سوت مەھكىمىسى"},
		{"Kazakh high hamza", "kk-Arab", "قازاق ٴتىلى"},
		{"NNBSP anywhere", "en", "12\u202f345"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.lang, tt.text); got != tt.text {
				t.Errorf("Normalize changed the text:\n got %q\nwant %q", got, tt.text)
			}
		})
	}
	// The traps themselves, so the reason for NFC stays visible.
	if norm.NFKC.String("ᠤᠨ\u202fᠤ") == "ᠤᠨ\u202fᠤ" {
		t.Log("NFKC no longer changes U+202F")
	}
	if norm.NFKC.String("，") == "，" {
		t.Log("NFKC no longer maps full-width punctuation")
	}
	if norm.NFKC.String("\uFEE9") != "\u0647" {
		t.Log("NFKC no longer maps FEE9 to U+0647")
	}
}

func TestNormalizeNFC(t *testing.T) {
	tests := []struct{ lang, in, want string }{
		{"fr", "e\u0301te\u0301", "été"},
		{"vi", "Vie\u0323\u0302t", "Việt"},
		// Tibetan: NFC decomposes U+0F43 and U+0F73; compare after NFC.
		{"bo", "\u0F43", "\u0F42\u0FB7"},
		{"bo", "\u0F40\u0F73", "\u0F40\u0F71\u0F72"},
		// Arabic yeh + hamza above composes to ئ.
		{"ug", "\u064A\u0654", "\u0626"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.lang, tt.in); got != tt.want {
			t.Errorf("Normalize(%s, %q) = %q, want %q", tt.lang, tt.in, got, tt.want)
		}
	}
}

// TestNormalizeUyghurPresentationForms: every shaped form of the Uyghur
// alphabet comes back as its letter.
func TestNormalizeUyghurPresentationForms(t *testing.T) {
	letters := map[string][]rune{
		"\u06D5":       {0xFEE9, 0xFEEA},                                 // ە (not ه U+0647)
		"\u06BE":       {0xFBAA, 0xFBAB, 0xFBAC, 0xFBAD, 0xFEEB, 0xFEEC}, // ھ
		"\u06C8":       {0xFBDB, 0xFBDC},                                 // ۈ
		"\u06C7":       {0xFBD7, 0xFBD8},                                 // ۇ
		"\u06C6":       {0xFBD9, 0xFBDA},                                 // ۆ
		"\u06D0":       {0xFBE4, 0xFBE5, 0xFBE6, 0xFBE7},                 // ې
		"\u0649":       {0xFEEF, 0xFEF0, 0xFBE8, 0xFBE9},                 // ى
		"\u06AD":       {0xFBD3, 0xFBD4, 0xFBD5, 0xFBD6},                 // ڭ
		"\u06CB":       {0xFBDE, 0xFBDF},                                 // ۋ
		"\u0698":       {0xFB8A, 0xFB8B},                                 // ژ
		"\u06AF":       {0xFB92, 0xFB93, 0xFB94, 0xFB95},                 // گ
		"\u0643":       {0xFED9, 0xFEDA, 0xFEDB, 0xFEDC},                 // ك
		"\u067E":       {0xFB56, 0xFB57, 0xFB58, 0xFB59},                 // پ
		"\u0686":       {0xFB7A, 0xFB7B, 0xFB7C, 0xFB7D},                 // چ
		"\u0626":       {0xFE89, 0xFE8A, 0xFE8B, 0xFE8C},                 // ئ
		"\u0627":       {0xFE8D, 0xFE8E},                                 // ا
		"\u0628":       {0xFE8F, 0xFE90, 0xFE91, 0xFE92},                 // ب
		"\u062A":       {0xFE95, 0xFE96, 0xFE97, 0xFE98},                 // ت
		"\u062C":       {0xFE9D, 0xFE9E, 0xFE9F, 0xFEA0},                 // ج
		"\u062E":       {0xFEA5, 0xFEA6, 0xFEA7, 0xFEA8},                 // خ
		"\u062F":       {0xFEA9, 0xFEAA},                                 // د
		"\u0631":       {0xFEAD, 0xFEAE},                                 // ر
		"\u0632":       {0xFEAF, 0xFEB0},                                 // ز
		"\u0633":       {0xFEB1, 0xFEB2, 0xFEB3, 0xFEB4},                 // س
		"\u0634":       {0xFEB5, 0xFEB6, 0xFEB7, 0xFEB8},                 // ش
		"\u063A":       {0xFECD, 0xFECE, 0xFECF, 0xFED0},                 // غ
		"\u0641":       {0xFED1, 0xFED2, 0xFED3, 0xFED4},                 // ف
		"\u0642":       {0xFED5, 0xFED6, 0xFED7, 0xFED8},                 // ق
		"\u0644":       {0xFEDD, 0xFEDE, 0xFEDF, 0xFEE0},                 // ل
		"\u0645":       {0xFEE1, 0xFEE2, 0xFEE3, 0xFEE4},                 // م
		"\u0646":       {0xFEE5, 0xFEE6, 0xFEE7, 0xFEE8},                 // ن
		"\u0648":       {0xFEED, 0xFEEE},                                 // و
		"\u064A":       {0xFEF1, 0xFEF2, 0xFEF3, 0xFEF4},                 // ي
		"\u0644\u0627": {0xFEFB, 0xFEFC},                                 // lam-alef ligature
		"\u0626\u0627": {0xFBEA, 0xFBEB},                                 // ئا
		"\u0626\u06D5": {0xFBEC, 0xFBED},                                 // ئە
		"\u0626\u0648": {0xFBEE, 0xFBEF},                                 // ئو
		"\u0626\u06C7": {0xFBF0, 0xFBF1},                                 // ئۇ
		"\u0626\u06C6": {0xFBF2, 0xFBF3},                                 // ئۆ
		"\u0626\u06C8": {0xFBF4, 0xFBF5},                                 // ئۈ
		"\u0626\u06D0": {0xFBF6, 0xFBF7, 0xFBF8},                         // ئې
		"\u0626\u0649": {0xFBF9, 0xFBFA, 0xFBFB},                         // ئى
		"\u0677":       {0xFBDD},                                         // ٷ, one level only
	}
	for want, forms := range letters {
		for _, f := range forms {
			for _, lang := range []string{"ug", "kk-Arab", "kk", "ug-CN", "uig"} {
				if got := Normalize(lang, string(f)); got != want {
					t.Errorf("Normalize(%s, %U) = %U, want %U", lang, f, []rune(got), []rune(want))
				}
			}
			// Other languages keep presentation forms, as NFC does.
			if got := Normalize("ar", string(f)); got != string(f) {
				t.Errorf("Normalize(ar, %U) = %U, want it unchanged", f, []rune(got))
			}
		}
	}
}

func TestNormalizeLegacyUyghurWord(t *testing.T) {
	// مەھكىمە (court) as a legacy editor stored it: م initial, ە as heh
	// final, ھ as heh initial, ك medial, ى medial, م medial, ە as heh final.
	legacy := "\uFEE3\uFEEA\uFEEB\uFEDC\uFBE9\uFEE4\uFEEA"
	want := "مەھكىمە"
	if got := Normalize("ug", legacy); got != want {
		t.Errorf("Normalize(ug, legacy) = %q %U, want %q", got, []rune(got), want)
	}
	if got := norm.NFKC.String(legacy); got == want {
		t.Error("NFKC gets it right now; the de-shaper may be unnecessary")
	} else if !strings.ContainsRune(got, 0x0647) {
		t.Errorf("NFKC = %U; expected the wrong letter U+0647 in it", []rune(got))
	}
	// A sentence mixing shaped text, digits, NNBSP-free spaces and a BOM.
	in := "\uFEFF2023-\uFEF3\uFBE9\uFEE0\uFEF0 \uFEE3\uFEEA\uFEEB\uFEDC\uFBE9\uFEE4\uFEEA."
	if got := Normalize("ug", in); got != "\uFEFF2023-يىلى مەھكىمە." {
		t.Errorf("sentence = %q", got)
	}
}

func TestNormalizeIdempotent(t *testing.T) {
	for _, s := range []string{zhJudgment, boNotice, ugNotice, kkNotice, mnNotice, iiNotice, koNotice, zaNotice, enJudgment,
		"\uFEE9\uFEFB\u0F43\u202f\uFE70"} {
		for _, lang := range []string{"zh-Hans", "ug", "kk-Arab", "bo", "mn-Mong"} {
			once := Normalize(lang, s)
			if twice := Normalize(lang, once); twice != once {
				t.Errorf("Normalize(%s) is not idempotent on %q", lang, s)
			}
		}
	}
}

func TestMatchKey(t *testing.T) {
	// Free variation selectors and the vowel separator choose a glyph,
	// not a word.
	a := "ᠰᠠᠷ\u180eᠠ ᠭ᠋ᠠ"
	b := "ᠰᠠᠷᠠ ᠭᠠ"
	if MatchKey("mn-Mong", a) != MatchKey("mn-Mong", b) {
		t.Errorf("MatchKey(mn-Mong) keeps FVS/MVS: %U", []rune(MatchKey("mn-Mong", a)))
	}
	if got := MatchKey("mn-Mong", "ᠠᠷᠠᠳ\u202fᠤᠨ"); got != "ᠠᠷᠠᠳ\u202fᠤᠨ" {
		t.Errorf("MatchKey drops NNBSP: %q", got)
	}
	if MatchKey("en", "a\u180Bb") != "a\u180Bb" {
		t.Error("MatchKey strips selectors outside Mongolian")
	}
	if MatchKey("ug", "\uFEE9") != "\u06D5" {
		t.Error("MatchKey does not normalize")
	}
}

func ExampleNormalize() {
	fmt.Printf("%U\n", []rune(Normalize("ug", "\uFEE9")))    // legacy ە
	fmt.Printf("%q\n", Normalize("mn-Mong", "ᠠᠷᠠᠳ\u202fᠤᠨ")) // NNBSP kept
	fmt.Println(Normalize("zh-Hans", "驳回上诉，维持原判！"))          // full-width kept
	// Output:
	// [U+06D5]
	// "ᠠᠷᠠᠳ\u202fᠤᠨ"
	// 驳回上诉，维持原判！
}
