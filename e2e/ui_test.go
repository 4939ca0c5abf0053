package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// The notice of spine_test.go in Tibetan, segment by segment, with the
// source's numbers and case number kept.
var tibetanNotice = []string{
	"ཞིན་ཅང་ཡུ་གུར་རང་སྐྱོང་ལྗོངས་ཨུ་རུམ་ཆི་གྲོང་ཁྱེར་བར་རིམ་མི་དམངས་ཁྲིམས་ཁང་གི་ཁྲིམས་ཐོག་གསལ་བསྒྲགས།",
	"ཁྲིམས་ཁང་འདིས་ 2024 ལོའི་ཟླ་ 3 ཚེས་ 15 ཉིན་སྔ་དྲོའི་ཆུ་ཚོད་ 9:30 ལ་ཁྲིམས་ཐོག་ 1 པར་ (2023)新01民初45号 རྩོད་གཞི་ཁ་གསལ་ངང་ཞིབ་བཤེར་བྱེད་རྒྱུ་ཡིན།",
	"ཉན་པར་ཕེབས་པར་དགའ་བསུ་ཞུ།",
}

// The memory a court brings along: the notice's title in three languages,
// and the hearing sentence of an older notice, which differs by 依法
// ("according to law"). The new notice's sentence gets it as a fuzzy match.
const (
	olderSentence = "本院定于2024年3月15日上午9时30分在第一法庭依法公开开庭审理(2023)新01民初45号原告阿不都热合曼·买买提与被告新疆某建筑有限公司建设工程施工合同纠纷一案。"
	olderUyghur   = "بۇ سوت 2024-يىلى 3-ئاينىڭ 15-كۈنى چۈشتىن بۇرۇن سائەت 9:30 دا 1-سوت زالىدا (2023)新01民初45号 دېلونى قانۇن بويىچە ئاشكارا سوت ئاچىدۇ."
)

func courtMemory() string {
	tu := func(zh string, targets map[string]string) string {
		var b strings.Builder
		b.WriteString("<tu><tuv xml:lang=\"zh-CN\"><seg>" + zh + "</seg></tuv>")
		for lang, text := range targets {
			b.WriteString("<tuv xml:lang=\"" + lang + "\"><seg>" + text + "</seg></tuv>")
		}
		b.WriteString("</tu>\n")
		return b.String()
	}
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<tmx version="1.4"><header srclang="zh-CN" segtype="sentence"/><body>` + "\n" +
		tu(noticeTitle, map[string]string{"ug": uyghurDraft[0], "mn-Mong": mongolianDraft[0], "bo": tibetanNotice[0]}) +
		tu(olderSentence, map[string]string{"ug": olderUyghur}) +
		"</body></tmx>\n"
}

// chromiumPath finds Debian's chromium; under CI its absence fails.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	skipOrFail(t, "no chromium on PATH (apt-get install chromium fonts-noto-core fonts-noto-cjk)")
	return ""
}

// browser is one headless chromium tab on the system's server.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func newBrowser(t *testing.T, path, base string) *browser {
	t.Helper()
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1440, 1000),
	)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return &browser{t: t, ctx: ctx, base: base}
}

func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.fail("%s: %v", what, err)
	}
}

// fail stops the test with a screenshot of where the browser was.
func (b *browser) fail(format string, args ...any) {
	b.t.Helper()
	b.screenshot("failure-" + strings.ReplaceAll(b.t.Name(), "/", "-"))
	loc, _ := b.evalString("location.pathname + location.search")
	b.t.Fatalf("at %s: "+format, append([]any{loc}, args...)...)
}

func (b *browser) open(path string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path))
}

func (b *browser) click(sel string) {
	b.t.Helper()
	b.do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

func (b *browser) evalString(js string) (string, error) {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[string](js))
}

func (b *browser) eval(js string) string {
	b.t.Helper()
	s, err := b.evalString(js)
	if err != nil {
		b.fail("evaluate %s: %v", js, err)
	}
	return s
}

// waitFor polls a JavaScript condition until it holds. It survives page
// loads, during which the condition cannot be evaluated. The bound is a
// safety net, not a performance assertion.
func (b *browser) waitFor(what, js string) {
	b.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ok, err := b.evalString("String(!!(" + js + "))")
		if err == nil && ok == "true" && b.ready() {
			return
		}
		if time.Now().After(deadline) {
			b.fail("gave up waiting for %s (%s)", what, js)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (b *browser) ready() bool {
	s, err := b.evalString(`document.readyState + "/" + document.fonts.status`)
	return err == nil && s == "complete/loaded"
}

// at waits until the browser shows path with the element sel.
func (b *browser) at(path, sel string) {
	b.t.Helper()
	b.waitFor(path+" "+sel, fmt.Sprintf(`location.pathname === %q && document.querySelector(%q)`, path, sel))
}

// typeInto replaces a field's text the way an input method does.
func (b *browser) typeInto(id, text string) {
	b.t.Helper()
	b.eval(fmt.Sprintf(`(() => { const el = document.getElementById(%q); el.focus(); el.select(); return "" })()`, id))
	b.do("type into "+id, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: text})
		return err
	}))
}

func (b *browser) value(id string) string {
	b.t.Helper()
	return b.eval(fmt.Sprintf(`document.getElementById(%q).value`, id))
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	return b.eval(fmt.Sprintf(`(document.querySelector(%q) || {}).textContent || ""`, sel))
}

func (b *browser) style(sel, property string) string {
	b.t.Helper()
	return b.eval(fmt.Sprintf(`getComputedStyle(document.querySelector(%q))[%q]`, sel, property))
}

// saved waits for the autosave of what was just typed.
func (b *browser) saved() {
	b.t.Helper()
	b.waitFor("autosave", `document.getElementById("save-status").dataset.state === "saved"`)
}

func (b *browser) signIn(u *user) {
	b.t.Helper()
	b.open("/ui/?hl=zh") // the browser asks for English; the courts' default is Chinese
	b.at("/ui/signin", "#token")
	b.typeInto("token", u.token)
	b.click("#signin")
	b.waitFor("signed in as "+u.Name, `location.pathname !== "/ui/signin" && document.getElementById("signout")`)
}

func (b *browser) signOut() {
	b.t.Helper()
	b.click("#signout")
	b.at("/ui/signin", "#token")
}

// screenshotDir is test-output/screenshots at the repository's root.
func screenshotDir(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join("..", "test-output", "screenshots"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func (b *browser) screenshot(name string) {
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(screenshotDir(b.t), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
	}
}

// TestUIWorkbench drives the workbench in a real browser against the real
// server, Temporal and the worker: a Uyghur task through a reject loop to
// the portal, a lost claim race, and the Mongolian and Tibetan pages, with
// their scripts' direction and writing mode checked in computed styles.
func TestUIWorkbench(t *testing.T) {
	chrome := chromiumPath(t)
	s := startSystem(t)
	cms := s.createUser("court-cms", []string{"source"}, nil)
	editor := s.createUser("editor", []string{"editor"}, nil)
	aygul := s.createUser("aygul", []string{"translator"}, map[string][]string{"translator": {"ug"}})
	mehmet := s.createUser("mehmet", []string{"translator"}, map[string][]string{"translator": {"ug"}})
	bayar := s.createUser("bayar", []string{"translator"}, map[string][]string{"translator": {"mn-Mong"}})
	tashi := s.createUser("tashi", []string{"translator"}, map[string][]string{"translator": {"bo"}})
	erkin := s.createUser("erkin", []string{"reviewer"}, map[string][]string{"reviewer": {"ug", "mn-Mong", "bo"}})
	portal := s.createUser("court-portal", []string{"portal"}, nil)

	req, err := http.NewRequest("POST", s.api.URL+"/v1/tm/import", strings.NewReader(courtMemory()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+editor.token)
	req.Header.Set("Content-Type", "application/x-tmx+xml")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("TM import: %s", resp.Status)
	}

	var doc, race createdDocument
	cms.must(http.StatusCreated, "POST", "/v1/documents", map[string]any{
		"external_id": "xj-urumqi-2024-hearing-0315-ui", "court": "新疆维吾尔自治区乌鲁木齐市中级人民法院",
		"kind": "hearing_notice", "title": noticeTitle, "body": noticeBody, "priority": "high",
		"targets": []string{"ug", "mn-Mong", "bo"},
	}, &doc)
	cms.must(http.StatusCreated, "POST", "/v1/documents", map[string]any{
		"external_id": "xj-urumqi-2024-hearing-0422-ui", "court": "新疆维吾尔自治区乌鲁木齐市中级人民法院",
		"kind": "hearing_notice", "title": noticeTitle, "body": "本院定于2024年4月22日公开开庭审理(2024)新01民初7号案件。\n欢迎旁听。",
		"targets": []string{"ug"},
	}, &race)
	ugTask := aygul.openTask(doc.ID, "translate")
	raceTask := aygul.openTask(race.ID, "translate")
	mnTask := bayar.openTask(doc.ID, "translate")
	boTask := tashi.openTask(doc.ID, "translate")

	b := newBrowser(t, chrome, s.api.URL)

	t.Run("translator claims a Uyghur task, uses suggestions, fixes a blocking issue and submits", func(t *testing.T) {
		b.t = t
		b.signIn(aygul)
		b.at("/ui/tasks", fmt.Sprintf("#task-%d", ugTask))
		b.click(fmt.Sprintf("#claim-%d", ugTask))
		b.at(fmt.Sprintf("/ui/tasks/%d", ugTask), "#target-0")
		if !strings.Contains(b.text("#flash"), "已领取任务") {
			t.Errorf("no claim message: %q", b.text("#flash"))
		}
		// Right to left from the registry, in the computed style of the
		// editor, the preview and a suggestion.
		for _, sel := range []string{"#target-0", "#target-1", "#preview", "#sug-1-1"} {
			if got := b.style(sel, "direction"); got != "rtl" {
				t.Errorf("%s direction = %q, want rtl", sel, got)
			}
		}
		if got := b.eval(`document.getElementById("target-0").getAttribute("lang")`); got != "ug" {
			t.Errorf("target lang = %q", got)
		}
		if got := b.text("#seg-0 .origin-badge"); !strings.Contains(got, "100%") && !strings.Contains(got, "101%") {
			t.Errorf("title suggestion origin = %q", got)
		}
		if got := b.text("#seg-1 .origin-badge"); !strings.Contains(got, "翻译记忆") || strings.Contains(got, "100%") {
			t.Errorf("fuzzy suggestion origin = %q", got)
		}

		// Ctrl+1 puts suggestion 1 back over what was typed.
		b.typeInto("target-0", "x")
		b.do("Ctrl+1", chromedp.KeyEvent("1", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
		if got := b.value("target-0"); got != uyghurDraft[0] {
			t.Errorf("after Ctrl+1 segment 0 = %q", got)
		}
		// Ctrl+Enter goes to the next segment.
		b.do("Ctrl+Enter", chromedp.KeyEvent("\r", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
		if got := b.eval(`document.activeElement.id`); got != "target-1" {
			t.Errorf("after Ctrl+Enter the focus is on %q", got)
		}
		// One click uses the fuzzy match; the translator then drops its
		// "according to law", which this notice does not say.
		b.typeInto("target-1", "x")
		b.click("#use-1-1")
		if got := b.value("target-1"); got != olderUyghur {
			t.Errorf("after using suggestion 1, segment 1 = %q", got)
		}
		b.typeInto("target-1", uyghurDraft[1])
		// Tibetan letters in a Uyghur translation: a blocking issue, shown
		// inline after the autosave.
		b.typeInto("target-2", tibetanText)
		b.saved()
		b.waitFor("the blocking issue inline", `document.querySelector("#qa-2 li.blocking")`)
		if got := b.eval(`document.getElementById("preview").querySelector('p[data-index="2"]').textContent`); got != tibetanText {
			t.Errorf("preview of segment 2 = %q", got)
		}
		b.screenshot("translate-ug")

		// Submit shows the blocking issue instead of submitting.
		b.click("#submit")
		b.at(fmt.Sprintf("/ui/tasks/%d/submit", ugTask), "#blocking-issues")
		if mine := aygul.mine(); len(mine) != 1 || mine[0] != ugTask {
			t.Fatalf("after a refused submit aygul holds %v", mine)
		}
		b.typeInto("target-2", uyghurDraft[2])
		b.saved()
		b.click("#submit")
		b.at("/ui/tasks", "#flash.success")
		if mine := aygul.mine(); len(mine) != 0 {
			t.Fatalf("after submit aygul still holds %v", mine)
		}
		// The drafts the browser saved are what was submitted.
		var task struct {
			Segments []struct {
				Draft  string `json:"draft"`
				Origin string `json:"origin"`
			} `json:"segments"`
		}
		editor.must(http.StatusOK, "GET", fmt.Sprintf("/v1/tasks/%d", ugTask), nil, &task)
		if task.Segments[0].Draft != uyghurDraft[0] || task.Segments[1].Draft != uyghurDraft[1] || task.Segments[2].Draft != uyghurDraft[2] {
			t.Fatalf("submitted drafts = %+v", task.Segments)
		}
		b.signOut()
	})

	var round2 int64
	t.Run("reviewer rejects with a comment, translator resubmits, reviewer approves", func(t *testing.T) {
		b.t = t
		review := erkin.openTask(doc.ID, "review")
		b.signIn(erkin)
		b.at("/ui/tasks", fmt.Sprintf("#task-%d", review))
		b.click(fmt.Sprintf("#claim-%d", review))
		b.at(fmt.Sprintf("/ui/tasks/%d", review), "#reject")
		// Against the machine suggestion the reviewer sees the dropped words.
		if got := b.text("#diff-machine-1 del"); !strings.Contains(got, "قانۇن بويىچە") {
			t.Errorf("difference to the machine suggestion: %q", got)
		}
		if got := b.style("#translation-1", "direction"); got != "rtl" {
			t.Errorf("translation direction = %q", got)
		}
		// Without a comment the browser does not send the rejection.
		b.click("#reject")
		if got := b.eval(`String(document.getElementById("comment").validity.valueMissing)`); got != "true" {
			t.Errorf("empty comment valid: %s", got)
		}
		b.typeInto("comment", "请补充案号前的“编号”一词")
		b.typeInto("comment-1", "نومۇرلۇق دېگەن سۆزنى قوشۇڭ")
		b.click("#reject")
		b.at("/ui/tasks", "#flash.success")
		b.signOut()

		// The translator finds the task back in her list, with the comments.
		mine := aygul.mine()
		if len(mine) != 1 {
			t.Fatalf("after reject aygul holds %v", mine)
		}
		round2 = mine[0]
		b.signIn(aygul)
		b.at("/ui/tasks", fmt.Sprintf("#open-%d", round2))
		b.click(fmt.Sprintf("#open-%d", round2))
		b.at(fmt.Sprintf("/ui/tasks/%d", round2), "#review-comments")
		if got := b.text("#review-comments"); !strings.Contains(got, "请补充案号前的“编号”一词") {
			t.Errorf("overall comment = %q", got)
		}
		if got := b.text("#seg-1 ul.comments"); !strings.Contains(got, "نومۇرلۇق دېگەن سۆزنى قوشۇڭ") {
			t.Errorf("segment comment = %q", got)
		}
		b.typeInto("target-1", uyghurRevised)
		b.saved()
		b.click("#submit")
		b.at("/ui/tasks", "#flash.success")
		b.signOut()

		// The reviewer sees what changed since the previous round.
		review2 := erkin.openTask(doc.ID, "review")
		b.signIn(erkin)
		b.at("/ui/tasks", fmt.Sprintf("#task-%d", review2))
		b.click(fmt.Sprintf("#claim-%d", review2))
		b.at(fmt.Sprintf("/ui/tasks/%d", review2), "#approve")
		if got := b.text("#diff-prev-1 ins"); !strings.Contains(got, "نومۇرلۇق") {
			t.Errorf("difference to the previous round: %q", got)
		}
		b.screenshot("review-ug")
		b.click("#approve")
		b.at("/ui/tasks", "#flash.success")
		if got := b.text("#flash"); !strings.Contains(got, "第 1 版已发布") {
			t.Errorf("approve message = %q", got)
		}
		b.signOut()
	})

	t.Run("the portal API returns the version", func(t *testing.T) {
		var ug published
		portal.must(http.StatusOK, "GET", fmt.Sprintf("/v1/published/%d?lang=ug", doc.ID), nil, &ug)
		if ug.Version != 1 || ug.Dir != "rtl" || ug.Title != uyghurDraft[0] ||
			!strings.Contains(ug.Body, uyghurRevised) || !strings.Contains(ug.Body, uyghurDraft[2]) {
			t.Fatalf("Uyghur version = %+v", ug)
		}
	})

	t.Run("a stale list that loses the claim race says so", func(t *testing.T) {
		b.t = t
		b.signIn(mehmet)
		b.at("/ui/tasks", fmt.Sprintf("#claim-%d", raceTask))
		aygul.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/claim", raceTask), nil, nil)
		b.click(fmt.Sprintf("#claim-%d", raceTask))
		b.at("/ui/tasks", "#flash.warning")
		if got := b.text("#flash"); !strings.Contains(got, "刚刚被其他人领取") {
			t.Errorf("race message = %q", got)
		}
		b.screenshot("claim-race")
		if b.eval(`String(!!document.getElementById("error-page"))`) != "false" {
			t.Error("the lost race shows an error page")
		}
		if b.eval(fmt.Sprintf(`String(!!document.getElementById("task-%d"))`, raceTask)) != "false" {
			t.Error("the list still offers the task someone else holds")
		}
		b.signOut()
	})

	t.Run("traditional Mongolian is vertical", func(t *testing.T) {
		b.t = t
		b.signIn(bayar)
		b.at("/ui/tasks", fmt.Sprintf("#claim-%d", mnTask))
		b.click(fmt.Sprintf("#claim-%d", mnTask))
		b.at(fmt.Sprintf("/ui/tasks/%d", mnTask), "#target-0")
		for _, sel := range []string{"#target-0", "#target-1", "#preview"} {
			if got := b.style(sel, "writingMode"); got != "vertical-lr" {
				t.Errorf("%s writing-mode = %q, want vertical-lr", sel, got)
			}
			if got := b.style(sel, "direction"); got != "ltr" {
				t.Errorf("%s direction = %q", sel, got)
			}
		}
		for i, text := range mongolianDraft {
			b.typeInto(fmt.Sprintf("target-%d", i), text)
		}
		b.saved()
		b.screenshot("translate-mn-Mong")
		b.click("#submit")
		b.at("/ui/tasks", "#flash.success")
		b.signOut()

		review := erkin.openTask(doc.ID, "review")
		b.signIn(erkin)
		b.click(fmt.Sprintf("#claim-%d", review))
		b.at(fmt.Sprintf("/ui/tasks/%d", review), "#approve")
		for _, sel := range []string{"#translation-0", "#preview"} {
			if got := b.style(sel, "writingMode"); got != "vertical-lr" {
				t.Errorf("review %s writing-mode = %q", sel, got)
			}
		}
		b.screenshot("review-mn-Mong")
		b.click("#approve")
		b.at("/ui/tasks", "#flash.success")
		b.signOut()
	})

	t.Run("Tibetan with a machine translation", func(t *testing.T) {
		b.t = t
		b.signIn(tashi)
		b.click(fmt.Sprintf("#claim-%d", boTask))
		b.at(fmt.Sprintf("/ui/tasks/%d", boTask), "#target-0")
		if got := b.text("#seg-1 .origin-badge"); !strings.Contains(got, "niutrans") {
			t.Errorf("MT suggestion origin = %q", got)
		}
		if got := b.style("#target-1", "fontFamily"); !strings.Contains(got, "Tibetan") {
			t.Errorf("Tibetan font = %q", got)
		}
		for i, text := range tibetanNotice {
			b.typeInto(fmt.Sprintf("target-%d", i), text)
		}
		b.saved()
		if n := b.eval(`String(document.querySelectorAll("ul.qa li.blocking").length)`); n != "0" {
			t.Errorf("Tibetan draft has %s blocking issues: %s", n, b.text("ul.qa"))
		}
		b.screenshot("translate-bo")
		b.click("#submit")
		b.at("/ui/tasks", "#flash.success")
		b.signOut()

		review := erkin.openTask(doc.ID, "review")
		b.signIn(erkin)
		b.click(fmt.Sprintf("#claim-%d", review))
		b.at(fmt.Sprintf("/ui/tasks/%d", review), "#approve")
		b.screenshot("review-bo")
		b.signOut()
	})

	t.Run("editor views and statistics", func(t *testing.T) {
		b.t = t
		b.signIn(editor)
		b.open("/ui/documents")
		b.at("/ui/documents", fmt.Sprintf("#doc-%d", doc.ID))
		b.click(fmt.Sprintf("#doc-%d a.doc-title", race.ID))
		b.at(fmt.Sprintf("/ui/documents/%d", race.ID), "#withdraw")
		b.typeInto("reason", "当事人申请，涉及隐私")
		b.typeInto("public_reason", "本公告已撤回。")
		b.eval(`(() => { document.querySelector('input[name="confirm"]').checked = true; return "" })()`)
		b.click("#withdraw")
		b.at(fmt.Sprintf("/ui/documents/%d", race.ID), "#withdrawal")
		b.open("/ui/documents")
		b.at("/ui/documents", fmt.Sprintf("#doc-%d.withdrawn", race.ID))
		b.screenshot("documents")
		b.open("/ui/attention")
		b.at("/ui/attention", "h1")

		// A reader reports an error on the Uyghur version; the editor
		// answers it from the inbox.
		reader := &user{s: s, Name: "reader"}
		var fb struct {
			ID int64 `json:"id"`
		}
		reader.must(http.StatusAccepted, "POST", fmt.Sprintf("/v1/published/%d/ug/feedback", doc.ID), map[string]any{
			"text": "ئاخىرقى جۈملىدە خاتالىق بار.", "contact": "reader@example.org",
		}, &fb)
		b.open("/ui/feedback")
		b.at("/ui/feedback", fmt.Sprintf("#feedback-%d", fb.ID))
		if got := b.eval(fmt.Sprintf(`document.querySelector("#feedback-%d blockquote").dir`, fb.ID)); got != "rtl" {
			t.Errorf("feedback text dir = %q", got)
		}
		b.screenshot("feedback")
		b.typeInto(fmt.Sprintf("answer-%d", fb.ID), "经核对，译文无误。")
		b.click(fmt.Sprintf("#dismiss-%d", fb.ID))
		b.at("/ui/feedback", "#flash.success")

		statsReady := editor.do("GET", "/v1/stats", nil).Status == http.StatusOK
		for _, tag := range []string{"ug", "mn-Mong", "bo"} {
			path := "/ui/stats?lang=" + tag
			if tag == "bo" {
				path += "&hl=en" // one in the other interface language
			}
			b.open(path)
			if statsReady {
				b.at("/ui/stats", "#chart-coverage")
				if n := b.eval(`String(document.querySelectorAll("svg.chart").length)`); n != "5" {
					t.Errorf("stats page draws %s charts", n)
				}
				if b.eval(`String(!!document.querySelector("svg.chart g.focus"))`) != "true" {
					t.Errorf("stats for %s: no chart highlights the language", tag)
				}
			} else {
				t.Logf("GET /v1/stats is not there yet; the page says so")
				b.at("/ui/stats", "#stats-unavailable")
			}
			b.screenshot("stats-" + tag)
		}
		b.signOut()
	})
}
