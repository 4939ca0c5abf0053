package mt

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// A criminal judgment of an intermediate court in Xinjiang, sentence by
// sentence, with its Uyghur, Tibetan, traditional Mongolian and English
// versions. The fake engines below translate with this table, as a real
// engine would, so every test checks real text end to end.
var court = []struct{ zh, ug, bo, mn, en string }{
	{
		zh: "本院认为，被告人张某以非法占有为目的，秘密窃取他人财物，数额较大，其行为已构成盗窃罪。",
		ug: "بۇ سوت مۇنداق قارايدۇ: جاۋابكار جاڭ مۇئەييەن قانۇنسىز ئىگىلىۋېلىش مەقسىتىدە باشقىلارنىڭ مال-مۈلكىنى يوشۇرۇن ئوغرىلىغان، سوممىسى بىر قەدەر زور بولۇپ، قىلمىشى ئوغرىلىق جىنايىتىنى تەشكىل قىلغان.",
		bo: "ཁྲིམས་ཁང་འདིས་ངོས་འཛིན་བྱས་པར། ཉེས་འཛུགས་བྱས་མི་ཀྲང་གིས་ཁྲིམས་འགལ་ངང་བདག་བཟུང་བྱེད་པའི་དམིགས་ཡུལ་གྱིས་གཞན་གྱི་ནོར་རྫས་གསང་རྐུ་བྱས་ཤིང་། དེའི་བྱ་སྤྱོད་ལ་རྐུ་མའི་ཉེས་པ་གྲུབ་ཡོད།",
		mn: "ᠡᠨᠡ ᠱᠦᠬᠦ\u202Fᠶᠢᠨ ᠦᠵᠡᠬᠦ\u202Fᠳᠦ ᠂ ᠶᠠᠯᠠᠳᠠᠨ ᠵᠠᠩ ᠬᠤᠯᠤᠭᠠᠢ ᠶᠢᠨ ᠭᠡᠮᠡᠳ ᠦᠢᠯᠡᠳᠦᠭᠰᠡᠨ ᠪᠠᠢᠨᠠ ᠃",
		en: "This Court holds that the defendant Zhang, for the purpose of illegal possession, secretly stole the property of others in a relatively large amount, and his conduct constitutes the crime of theft.",
	},
	{
		zh: "判决如下：被告人张某犯盗窃罪，判处有期徒刑一年，并处罚金人民币五千元。",
		ug: "ھۆكۈم تۆۋەندىكىچە: جاۋابكار جاڭ ئوغرىلىق جىنايىتى ئۆتكۈزگەن، بىر يىل مۇددەتلىك قاماق جازاسى بېرىلىدۇ ھەمدە خەلق پۇلى بەش مىڭ يۈەن جەرىمانە قويۇلىدۇ.",
		bo: "ཐག་གཅོད་གཤམ་གསལ། ཉེས་འཛུགས་བྱས་མི་ཀྲང་ལ་རྐུ་མའི་ཉེས་པ་ཡོད་པས། ལོ་གཅིག་གི་བཙོན་འཇུག་ཉེས་ཆད་བཅད་པ་དང་། མི་དམངས་ཤོག་དངུལ་སྒོར་ལྔ་སྟོང་གི་ཉེས་ཆད་གཏོང་དགོས།",
		mn: "ᠱᠢᠢᠳᠪᠦᠷᠢ ᠢᠯᠡᠷᠡᠬᠦ ᠨᠢ ᠄ ᠶᠠᠯᠠᠳᠠᠨ ᠵᠠᠩ\u202Fᠢ ᠨᠢᠭᠡ ᠵᠢᠯ ᠬᠣᠷᠢᠬᠤ ᠶᠠᠯ\u202Fᠠᠷ ᠱᠡᠢᠳᠬᠡᠪᠡ ᠃",
		en: "The judgment is as follows: the defendant Zhang is guilty of theft and is sentenced to fixed-term imprisonment of one year and a fine of RMB 5,000.",
	},
	{
		zh: "如不服本判决，可在接到判决书的第二日起十日内，通过本院或者直接向新疆维吾尔自治区高级人民法院提出上诉。",
		ug: "بۇ ھۆكۈمگە قايىل بولمىسا، ھۆكۈمنامىنى تاپشۇرۇۋالغان ئىككىنچى كۈندىن باشلاپ ئون كۈن ئىچىدە بۇ سوت ئارقىلىق ياكى بىۋاسىتە شىنجاڭ ئۇيغۇر ئاپتونوم رايونلۇق يۇقىرى خەلق سوتىغا نارازىلىق ئەرزى سۇنسا بولىدۇ.",
		bo: "ཐག་གཅོད་འདི་ལ་ཡིད་མ་ཚིམ་ན། ཐག་གཅོད་ཡིག་ཆ་འབྱོར་བའི་ཉིན་གཉིས་པ་ནས་བཟུང་ཉིན་བཅུའི་ནང་། ཁྲིམས་ཁང་འདི་བརྒྱུད་དམ་ཐད་ཀར་མཐོ་རིམ་མི་དམངས་ཁྲིམས་ཁང་ལ་གོང་སྐྱོར་ཞུ་ཆོག",
		mn: "ᠡᠨᠡ ᠱᠢᠢᠳᠪᠦᠷᠢ\u202Fᠳᠦ ᠰᠡᠳᠬᠢᠯ ᠳᠦᠭᠦᠷᠴᠦ ᠦᠭᠡᠢ ᠪᠣᠯ ᠠᠷᠪᠠᠨ ᠡᠳᠦᠷ\u202Fᠦᠨ ᠳᠣᠲᠣᠷ\u180Eᠠ ᠳᠡᠭᠡᠳᠦ ᠱᠦᠬᠦ\u202Fᠳᠦ ᠳᠠᠪᠠᠵᠤ ᠵᠠᠭᠠᠯᠳᠤᠵᠤ ᠪᠣᠯᠣᠨ\u180Eᠠ ᠃",
		en: "If dissatisfied with this judgment, an appeal may be filed within ten days from the day after receipt of the written judgment, through this Court or directly with the High People's Court of Xinjiang Uygur Autonomous Region.",
	},
}

// Wrong answers real engines give: Mongolia's Cyrillic Mongolian where
// Chinese courts publish traditional script.
var cyrillic = map[string]string{
	court[0].zh: "Шүүхийн үзэж байгаагаар шүүгдэгч Жан хулгайн гэмт хэрэг үйлдсэн байна.",
	court[1].zh: "Шүүгдэгч Жанг хулгайн гэмт хэрэгт буруутгаж, нэг жилийн хорих ял шийтгэв.",
	court[2].zh: "Энэ шийдвэрийг эс зөвшөөрвөл арав хоногийн дотор давж заалдаж болно.",
}

// evidence makes as many distinct court sentences as a batch test needs.
func evidence(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("第%d项证据经庭审质证，本院予以确认。", i+1)
	}
	return out
}

var evidenceRE = regexp.MustCompile(`^第(\d+)项证据经庭审质证，本院予以确认。$`)

// translateAs is the fake engines' dictionary. target is canonical
// (ug, bo, mn-Mong, mn-Cyrl for the wrong answer, en). Text it does not
// know is "translated" by copying it, as NiuTrans does with what it cannot
// translate.
func translateAs(target, zh string) string {
	for _, c := range court {
		if c.zh == zh {
			switch target {
			case "ug":
				return c.ug
			case "bo":
				return c.bo
			case "mn-Mong":
				return c.mn
			case "mn-Cyrl":
				return cyrillic[zh]
			case "en":
				return c.en
			}
		}
	}
	if m := evidenceRE.FindStringSubmatch(zh); m != nil {
		switch target {
		case "ug":
			return m[1] + "-ئىسپات سوت مەيدانىدا دەلىللەنگەن، بۇ سوت ئۇنى جەزملەشتۈرىدۇ."
		case "en":
			return "Evidence item " + m[1] + " was cross-examined in court and is confirmed by this Court."
		case "bo":
			return "དཔང་རྟགས་ཨང་" + m[1] + " པ་ཁྲིམས་ཁང་འདིས་ངོས་འཛིན་བྱས།"
		}
	}
	return zh
}

// fake is an httptest server that counts its calls and the texts they
// carried, and remembers every text it was sent.
type fake struct {
	*httptest.Server
	calls atomic.Int32
	mu    sync.Mutex
	texts []string
}

func (f *fake) saw(texts ...string) {
	f.mu.Lock()
	f.texts = append(f.texts, texts...)
	f.mu.Unlock()
}

func (f *fake) received() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.texts...)
}

func newFake(t *testing.T, h func(f *fake, w http.ResponseWriter, r *http.Request)) *fake {
	t.Helper()
	f := &fake{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.calls.Add(1)
		h(f, w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// niutransCanon maps NiuTrans target codes back to tags for translateAs.
var niutransCanon = map[string]string{"uy": "ug", "ti": "bo", "mo": "mn-Mong", "mn": "mn-Cyrl", "en": "en"}

// niutransServer answers like NiuTrans, translating with translateAs.
func niutransServer(t *testing.T) *fake {
	return newFake(t, func(f *fake, w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/NiuTransServer/translation" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		if err := r.ParseForm(); err != nil {
			writeJSON(w, 200, map[string]string{"error_code": "000000", "error_msg": "Request params was error"})
			return
		}
		if r.PostForm.Get("apikey") != "nt-key" {
			writeJSON(w, 200, map[string]string{"error_code": "13001", "error_msg": "apikey is invalid"})
			return
		}
		src := r.PostForm.Get("src_text")
		f.saw(src)
		target, ok := niutransCanon[r.PostForm.Get("to")]
		if r.PostForm.Get("from") != "zh" || !ok {
			writeJSON(w, 200, map[string]string{"error_code": "13007", "error_msg": "language not supported"})
			return
		}
		// NiuTrans ends its answers with a line break.
		writeJSON(w, 200, map[string]string{"from": "zh", "to": r.PostForm.Get("to"), "tgt_text": translateAs(target, src) + "\n"})
	})
}

// libreServer answers like LibreTranslate, with q as a string or array.
func libreServer(t *testing.T) *fake {
	return newFake(t, func(f *fake, w http.ResponseWriter, r *http.Request) {
		var req struct {
			Q      any    `json:"q"`
			Source string `json:"source"`
			Target string `json:"target"`
			Format string `json:"format"`
			APIKey string `json:"api_key"`
		}
		if r.URL.Path != "/translate" || json.NewDecoder(r.Body).Decode(&req) != nil {
			writeJSON(w, 400, map[string]string{"error": "Invalid request"})
			return
		}
		if req.APIKey != "lt-key" {
			writeJSON(w, 403, map[string]string{"error": "Invalid API key"})
			return
		}
		if req.Source != "zh" || req.Format != "text" {
			writeJSON(w, 400, map[string]string{"error": req.Source + " is not supported"})
			return
		}
		switch q := req.Q.(type) {
		case string:
			f.saw(q)
			writeJSON(w, 200, map[string]string{"translatedText": translateAs(req.Target, q)})
		case []any:
			var out []string
			for _, s := range q {
				f.saw(s.(string))
				out = append(out, translateAs(req.Target, s.(string)))
			}
			writeJSON(w, 200, map[string][]string{"translatedText": out})
		}
	})
}

var deeplCanon = map[string]string{"EN-GB": "en"}

// deeplServer answers like DeepL.
func deeplServer(t *testing.T) *fake {
	return newFake(t, func(f *fake, w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "DeepL-Auth-Key dl-key" {
			writeJSON(w, 403, map[string]string{"message": "Wrong key"})
			return
		}
		var req struct {
			Text       []string `json:"text"`
			SourceLang string   `json:"source_lang"`
			TargetLang string   `json:"target_lang"`
		}
		if r.URL.Path != "/v2/translate" || json.NewDecoder(r.Body).Decode(&req) != nil || len(req.Text) > 50 {
			writeJSON(w, 400, map[string]string{"message": "Bad request"})
			return
		}
		target, ok := deeplCanon[req.TargetLang]
		if req.SourceLang != "ZH" || !ok {
			writeJSON(w, 400, map[string]string{"message": "Value for 'target_lang' not supported."})
			return
		}
		type tr struct {
			Detected string `json:"detected_source_language"`
			Text     string `json:"text"`
		}
		var out []tr
		for _, s := range req.Text {
			f.saw(s)
			out = append(out, tr{"ZH", translateAs(target, s)})
		}
		writeJSON(w, 200, map[string][]tr{"translations": out})
	})
}

// openaiTarget recognizes the target language from the prompt's name for it.
func openaiTarget(system string) string {
	switch {
	case strings.Contains(system, "维吾尔语"):
		return "ug"
	case strings.Contains(system, "藏语"):
		return "bo"
	case strings.Contains(system, "蒙古语"):
		return "mn-Mong"
	case strings.Contains(system, "英语"):
		return "en"
	}
	return ""
}

type chatCall struct {
	System, User string
	Model        string
	Temperature  *float64
	Auth         string
}

// openaiServer answers chat completions. answer gets the request and the
// numbered (or single) texts it carried and returns the content.
func openaiServer(t *testing.T, answer func(c chatCall, texts []string) string) *fake {
	return newFake(t, func(f *fake, w http.ResponseWriter, r *http.Request) {
		var req struct {
			Model       string   `json:"model"`
			Temperature *float64 `json:"temperature"`
			Messages    []struct {
				Role, Content string
			} `json:"messages"`
		}
		if r.URL.Path != "/v1/chat/completions" || json.NewDecoder(r.Body).Decode(&req) != nil || len(req.Messages) != 2 ||
			req.Messages[0].Role != "system" || req.Messages[1].Role != "user" {
			writeJSON(w, 400, map[string]any{"error": map[string]string{"message": "bad request"}})
			return
		}
		c := chatCall{System: req.Messages[0].Content, User: req.Messages[1].Content, Model: req.Model,
			Temperature: req.Temperature, Auth: r.Header.Get("Authorization")}
		texts := numberedTexts(c.User)
		f.saw(texts...)
		content := answer(c, texts)
		writeJSON(w, 200, map[string]any{"choices": []map[string]any{
			{"index": 0, "message": map[string]string{"role": "assistant", "content": content}, "finish_reason": "stop"},
		}})
	})
}

var numberedRE = regexp.MustCompile(`^\[(\d+)\] (.*)$`)

// numberedTexts splits a batch message into its texts; a message without
// numbers is one text.
func numberedTexts(user string) []string {
	lines := strings.Split(strings.TrimRight(user, "\n"), "\n")
	var out []string
	for _, l := range lines {
		m := numberedRE.FindStringSubmatch(l)
		if m == nil {
			return []string{user}
		}
		out = append(out, m[2])
	}
	return out
}

// numbered answers a batch the way the prompt asks.
func numbered(texts []string, tr func(i int, s string) string) string {
	var b strings.Builder
	for i, s := range texts {
		b.WriteString("[" + strconv.Itoa(i+1) + "] " + tr(i, s) + "\n")
	}
	return b.String()
}

// honest is an openai answer function that translates correctly.
func honest(c chatCall, texts []string) string {
	target := openaiTarget(c.System)
	if len(texts) == 1 && !strings.HasPrefix(c.User, "[1] ") {
		return translateAs(target, texts[0])
	}
	return numbered(texts, func(_ int, s string) string { return translateAs(target, s) })
}

// engine builds one engine through NewEngines, as the worker does.
func engine(t *testing.T, ec EngineConfig) Engine {
	t.Helper()
	engines, err := NewEngines(&Config{Engines: []EngineConfig{ec}}, nil)
	require.NoError(t, err)
	return engines[ec.Name]
}

func zhTexts() []string {
	return []string{court[0].zh, court[1].zh, court[2].zh}
}

func column(f func(i int) string) []string {
	return []string{f(0), f(1), f(2)}
}
