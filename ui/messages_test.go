package ui

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"yizhi/models"
)

// sortedKeys returns a catalogue's keys in order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var verbRE = regexp.MustCompile(`%[-+# 0]*[0-9]*(\.[0-9]+)?[a-zA-Z%]`)

// Both interface languages have every message, with the same printf verbs
// in the same order, so no page shows a key or a %!d(MISSING).
func TestCataloguesAreComplete(t *testing.T) {
	_, raw, err := loadLocales()
	if err != nil {
		t.Fatal(err)
	}
	zh, en := raw["zh"], raw["en"]
	for _, k := range sortedKeys(zh) {
		other, ok := en[k]
		if !ok {
			t.Errorf("en lacks %q", k)
			continue
		}
		if a, b := strings.Join(verbRE.FindAllString(zh[k], -1), " "), strings.Join(verbRE.FindAllString(other, -1), " "); a != b {
			t.Errorf("%q: zh has verbs %q, en %q", k, a, b)
		}
		if strings.TrimSpace(zh[k]) == "" || strings.TrimSpace(other) == "" {
			t.Errorf("%q is empty", k)
		}
	}
	for _, k := range sortedKeys(en) {
		if _, ok := zh[k]; !ok {
			t.Errorf("zh lacks %q", k)
		}
	}
	// The scripts' messages take {0}-style arguments, not printf verbs,
	// because they reach the browser unformatted.
	for _, k := range clientMessages {
		if _, ok := zh[k]; !ok {
			t.Errorf("client message %q is not in the catalogue", k)
		}
		if verbRE.MatchString(zh[k]) || verbRE.MatchString(en[k]) {
			t.Errorf("client message %q has a printf verb", k)
		}
	}
}

var (
	templateKeyRE = regexp.MustCompile(`\.T "([^"]+)"`)
	goKeyRE       = regexp.MustCompile(`"((?:app|nav|signin|flash|error|tasks|time|task|translate|origin|severity|term|review|documents|document|withdraw|attention|feedback|feedbackstate|stats|js)\.[a-z_0-9]+)"`)
)

// Every key the templates and the Go code name is in the catalogue, and so
// is every value of the API's vocabulary that pages name by key.
func TestEveryUsedKeyExists(t *testing.T) {
	_, raw, err := loadLocales()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]string{}
	err = fs.WalkDir(templateFiles, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFiles, path)
		for _, m := range templateKeyRE.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = path
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	goFiles, _ := filepath.Glob("*.go")
	for _, path := range goFiles {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goKeyRE.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = path
		}
	}
	if len(used) < 100 {
		t.Fatalf("found only %d keys; is the scan broken?", len(used))
	}
	vocab := map[string][]string{
		"kind.":          models.Kinds,
		"priority.":      {string(models.PriorityUrgent), string(models.PriorityHigh), string(models.PriorityNormal), string(models.PriorityLow)},
		"taskkind.":      {string(models.TaskTranslate), string(models.TaskReview)},
		"taskstate.":     {string(models.TaskPending), string(models.TaskOpen), string(models.TaskClaimed), string(models.TaskSubmitted), string(models.TaskApproved), string(models.TaskRejected), string(models.TaskCancelled)},
		"jobstate.":      {string(models.JobPending), string(models.JobAssisting), string(models.JobTranslating), string(models.JobReviewing), string(models.JobPublished), string(models.JobCancelled)},
		"severity.":      {"blocking", "warning"},
		"term.":          {models.TermApproved, models.TermForbidden, models.TermDeprecated},
		"feedbackstate.": {models.FeedbackOpen, models.FeedbackDismissed, models.FeedbackCorrecting, models.FeedbackResolved, "all"},
	}
	for prefix, values := range vocab {
		for _, v := range values {
			used[prefix+v] = "the API's vocabulary"
		}
	}
	for _, k := range []string{"tasks.title", "translate.title", "review.title", "documents.title", "document.title",
		"attention.title", "feedback.title", "stats.title", "signin.title", "error.title"} {
		used[k] = "page titles"
	}
	for key, where := range used {
		for _, code := range localeCodes {
			if _, ok := raw[code][key]; !ok {
				t.Errorf("%s uses %q, which messages/%s.json lacks", where, key, code)
			}
		}
	}
}

// Templates hold no interface text of their own: what a person reads comes
// from the catalogue. Markup, symbols and numbers are all that is left.
func TestTemplatesHaveNoLiteralText(t *testing.T) {
	tagRE := regexp.MustCompile(`(?s)<[^>]*>|\{\{.*?\}\}`)
	letterRE := regexp.MustCompile(`\p{L}{2,}`)
	allowed := map[string]bool{"Ctrl": true} // the key's own name, as printed on keyboards
	err := fs.WalkDir(templateFiles, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFiles, path)
		if err != nil {
			return err
		}
		text := tagRE.ReplaceAllString(string(b), " ")
		for _, w := range letterRE.FindAllString(text, -1) {
			if !allowed[w] {
				t.Errorf("%s: literal text %q; put it in the catalogue", path, w)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
