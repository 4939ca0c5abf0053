package mt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"

	"yizhi/lang"
)

// Engine kinds: the protocols this package speaks.
const (
	KindNiuTrans       = "niutrans"
	KindLibreTranslate = "libretranslate"
	KindOpenAI         = "openai"
	KindDeepL          = "deepl"
)

var kinds = []string{KindNiuTrans, KindLibreTranslate, KindOpenAI, KindDeepL}

// DefaultTimeout bounds one HTTP request to an engine. A draft that takes
// longer is better fetched from the next engine in the chain.
const DefaultTimeout = 20 * time.Second

// deeplMaxTexts is DeepL's limit on texts in one /v2/translate request.
const deeplMaxTexts = 50

// Config is the MT configuration: the engines and, per language pair, the
// order in which they are tried. It is read from a YAML or JSON file (JSON
// is YAML) with LoadConfig.
//
//	engines:
//	  - name: niutrans
//	    kind: niutrans
//	    endpoint: https://api.niutrans.com
//	    api_key_env: NIUTRANS_KEY
//	  - name: hunyuan
//	    kind: openai
//	    endpoint: http://vllm:8000
//	    model: tencent/Hunyuan-MT-7B
//	    timeout: 60s
//	routes:
//	  "zh-Hans>mn-Mong": [niutrans, hunyuan]
//	  "*": [hunyuan, niutrans]
type Config struct {
	Engines []EngineConfig `yaml:"engines" json:"engines"`
	// Routes gives the fallback order per pair, key "zh-Hans>ug"; "*" is
	// the order for pairs not listed. Without "*", pairs not listed try
	// every engine in the order of Engines. Engines that lack a code for
	// the pair are skipped, and an empty list switches MT off for a pair.
	Routes map[string][]string `yaml:"routes" json:"routes"`
}

// EngineConfig configures one engine.
type EngineConfig struct {
	Name     string `yaml:"name" json:"name"` // used in routes and recorded with each suggestion
	Kind     string `yaml:"kind" json:"kind"` // niutrans | libretranslate | openai | deepl
	Endpoint string `yaml:"endpoint" json:"endpoint"`
	// APIKey is the key itself; prefer APIKeyEnv, which names the
	// environment variable that holds it, so the file holds no secret.
	APIKey    string `yaml:"api_key" json:"api_key"`
	APIKeyEnv string `yaml:"api_key_env" json:"api_key_env"`
	Model     string `yaml:"model" json:"model"` // openai: the served model name
	// Prompt is the openai system prompt, a template with {source_name},
	// {target_name} and {glossary}; DefaultPrompt if empty. The numbering
	// rules for batches are appended by the engine, so a custom prompt
	// cannot break batch parsing.
	Prompt  string   `yaml:"prompt" json:"prompt"`
	Timeout Duration `yaml:"timeout" json:"timeout"` // per HTTP request; DefaultTimeout if 0
	// Batch is the most segments sent in one call; the kind's default if
	// 0 (NiuTrans 1, DeepL 50, LibreTranslate and openai 20).
	Batch int `yaml:"batch" json:"batch"`
	// Concurrency is how many calls the Router keeps in flight to this
	// engine; the kind's default if 0 (NiuTrans 4, because it takes one
	// text per call, others 2).
	Concurrency int `yaml:"concurrency" json:"concurrency"`
	// Languages maps a BCP 47 tag to the engine's code for it (for openai,
	// the language's name in the prompt). Entries are merged over the
	// kind's defaults; an empty code removes a default.
	Languages map[string]string `yaml:"languages" json:"languages"`
}

// LogValue keeps the key out of logs when a configuration is logged.
func (ec EngineConfig) LogValue() slog.Value {
	key := ""
	if ec.APIKey != "" {
		key = "[redacted]"
	}
	return slog.GroupValue(
		slog.String("name", ec.Name), slog.String("kind", ec.Kind), slog.String("endpoint", ec.Endpoint),
		slog.String("api_key", key), slog.String("api_key_env", ec.APIKeyEnv), slog.String("model", ec.Model),
		slog.Duration("timeout", time.Duration(ec.Timeout)), slog.Int("batch", ec.Batch),
		slog.Int("concurrency", ec.Concurrency), slog.Int("languages", len(ec.Languages)))
}

// Duration is a time.Duration written as "20s" or "1m30s"; a bare number
// means seconds.
type Duration time.Duration

func (d Duration) String() string { return time.Duration(d).String() }

// UnmarshalYAML implements yaml.Unmarshaler.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := parseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*d = v
	return nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (d *Duration) UnmarshalJSON(b []byte) error {
	s := string(b)
	if uq, err := strconv.Unquote(s); err == nil {
		s = uq
	}
	v, err := parseDuration(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalYAML implements yaml.Marshaler.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// MarshalJSON implements json.Marshaler.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

func parseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if secs, err := strconv.ParseFloat(s, 64); err == nil {
		return Duration(secs * float64(time.Second)), nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("duration %q: want a number of seconds or a Go duration such as 20s", s)
	}
	return Duration(v), nil
}

// DefaultPrompt is the openai system prompt. It is in Chinese because the
// models served for this work (Hunyuan-MT, Qwen) are strongest with
// Chinese instructions, and it names court disclosure so the register is
// formal.
const DefaultPrompt = "你是人民法院司法公开文书的专业翻译。请把用户给出的{source_name}文本翻译成{target_name}，" +
	"译文须忠实、准确、正式，保留数字、日期、金额和案号（如（2023）新01刑初15号）原样，只输出译文，不要解释或添加任何内容。{glossary}"

var registry = sync.OnceValue(lang.NewRegistry)

// LoadConfig reads the MT configuration at path (YAML or JSON), fills in
// defaults and validates it. getenv resolves api_key_env (os.Getenv if
// nil). Every problem is reported, each naming its field, for example
// `engines[1].kind: unknown kind "google"`.
func LoadConfig(path string, getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("mt config: %w", err)
	}
	var cfg Config
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true) // a misspelt key must not silently fall back to a default
	if err := dec.Decode(&cfg); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("mt config %s: the file is empty", path)
		}
		return nil, fmt.Errorf("mt config %s: %w", path, err)
	}
	out, err := cfg.normalize(getenv)
	if err != nil {
		return nil, fmt.Errorf("mt config %s: %w", path, err)
	}
	return out, nil
}

// normalize returns a validated copy of c with defaults filled in, tags
// canonical and keys resolved. With getenv nil, api_key_env is not read
// (NewEngines uses that on configs LoadConfig has already resolved).
func (c *Config) normalize(getenv func(string) string) (*Config, error) {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	out := &Config{Routes: make(map[string][]string, len(c.Routes))}
	if len(c.Engines) == 0 {
		fail("engines: no engine is configured (leave the MT configuration unset to run without MT)")
	}
	seen := make(map[string]bool)
	for i, ec := range c.Engines {
		field := fmt.Sprintf("engines[%d]", i)
		ec.Name = strings.TrimSpace(ec.Name)
		switch {
		case ec.Name == "":
			fail("%s.name: missing", field)
		case seen[ec.Name]:
			fail("%s.name: %q is used twice", field, ec.Name)
		}
		seen[ec.Name] = true
		n, engErrs := normalizeEngine(ec, field, getenv)
		errs = append(errs, engErrs...)
		out.Engines = append(out.Engines, n)
	}

	reg := registry()
	for key, names := range c.Routes {
		field := fmt.Sprintf("routes[%q]", key)
		canon := "*"
		if strings.TrimSpace(key) != "*" {
			src, tgt, ok := strings.Cut(key, ">")
			if !ok {
				fail("%s: want \"source>target\", such as \"zh-Hans>ug\", or \"*\"", field)
				continue
			}
			s, err1 := reg.Canonicalize(strings.TrimSpace(src))
			t, err2 := reg.Canonicalize(strings.TrimSpace(tgt))
			if err := errors.Join(err1, err2); err != nil {
				fail("%s: %v", field, err)
				continue
			}
			canon = s + ">" + t
		}
		if _, dup := out.Routes[canon]; dup {
			fail("%s: the pair %s is listed twice", field, canon)
			continue
		}
		var route []string
		for j, name := range names {
			switch {
			case !seen[name]:
				fail("%s[%d]: unknown engine %q", field, j, name)
			case slices.Contains(route, name):
				fail("%s[%d]: engine %q is listed twice", field, j, name)
			default:
				route = append(route, name)
			}
		}
		out.Routes[canon] = route
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

func normalizeEngine(ec EngineConfig, field string, getenv func(string) string) (EngineConfig, []error) {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(field+"."+format, args...)) }

	ec.Kind = strings.ToLower(strings.TrimSpace(ec.Kind))
	if !slices.Contains(kinds, ec.Kind) {
		fail("kind: unknown kind %q (want %s)", ec.Kind, strings.Join(kinds, ", "))
		return ec, errs
	}
	ec.Endpoint = strings.TrimRight(strings.TrimSpace(ec.Endpoint), "/")
	if ec.Endpoint == "" {
		fail("endpoint: missing")
	} else if u, err := url.Parse(ec.Endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		fail("endpoint: %q is not an http(s) URL", ec.Endpoint)
	}
	if ec.APIKey == "" && ec.APIKeyEnv != "" && getenv != nil {
		ec.APIKey = getenv(ec.APIKeyEnv)
		if ec.APIKey == "" {
			fail("api_key_env: environment variable %s is empty", ec.APIKeyEnv)
		}
	}
	if ec.Kind == KindDeepL && ec.APIKey == "" && ec.APIKeyEnv == "" {
		fail("api_key: DeepL needs a key (set api_key_env)")
	}
	if ec.Kind == KindOpenAI {
		if strings.TrimSpace(ec.Model) == "" {
			fail("model: missing (the model name the server serves, e.g. tencent/Hunyuan-MT-7B)")
		}
		if ec.Prompt == "" {
			ec.Prompt = DefaultPrompt
		} else if !strings.Contains(ec.Prompt, "{target_name}") {
			fail("prompt: must contain {target_name}, or the model is not told which language to write")
		}
	}
	switch {
	case ec.Timeout < 0:
		fail("timeout: must not be negative")
	case ec.Timeout == 0:
		ec.Timeout = Duration(DefaultTimeout)
	}
	switch {
	case ec.Batch < 0:
		fail("batch: must not be negative")
	case ec.Batch == 0:
		ec.Batch = defaultBatch[ec.Kind]
	case ec.Kind == KindNiuTrans && ec.Batch > 1:
		fail("batch: NiuTrans takes one text per call; leave batch unset")
	case ec.Kind == KindDeepL && ec.Batch > deeplMaxTexts:
		fail("batch: DeepL takes at most %d texts per request", deeplMaxTexts)
	}
	switch {
	case ec.Concurrency < 0:
		fail("concurrency: must not be negative")
	case ec.Concurrency == 0:
		ec.Concurrency = defaultConcurrency[ec.Kind]
	}

	reg := registry()
	codes := make(map[string]string)
	for tag, code := range defaultLanguages(ec.Kind) {
		codes[tag] = code
	}
	// Sorted, so that two spellings of one language resolve the same
	// way on every start.
	for _, tag := range sortedKeys(ec.Languages) {
		canon, err := reg.Canonicalize(tag)
		if err != nil {
			fail("languages[%q]: %v", tag, err)
			continue
		}
		if code := strings.TrimSpace(ec.Languages[tag]); code == "" {
			delete(codes, canon)
		} else {
			codes[canon] = code
		}
	}
	ec.Languages = codes
	return ec, errs
}

var defaultBatch = map[string]int{
	KindNiuTrans:       1,
	KindLibreTranslate: 20,
	KindOpenAI:         20,
	KindDeepL:          deeplMaxTexts,
}

var defaultConcurrency = map[string]int{
	KindNiuTrans:       4,
	KindLibreTranslate: 2,
	KindOpenAI:         2,
	KindDeepL:          2,
}

// defaultLanguages are the codes each kind uses for the registry's
// languages. They are not BCP 47: NiuTrans says ti for Tibetan, uy for
// Uyghur, mo for traditional Mongolian (its mn is Cyrillic) and zyb for
// (Yongbei) Zhuang. No engine covers Yi.
func defaultLanguages(kind string) map[string]string {
	switch kind {
	case KindNiuTrans:
		return map[string]string{
			"zh-Hans": "zh", "bo": "ti", "ug": "uy", "mn-Mong": "mo", "kk-Arab": "kk",
			"ko": "ko", "za": "zyb", "en": "en", "fr": "fr", "ru": "ru", "ar": "ar",
			"es": "es", "ja": "ja", "pt": "pt", "de": "de", "vi": "vi", "lo": "lo",
			"my": "my", "th": "th", "ky": "ky",
		}
	case KindLibreTranslate:
		// Argos models: major languages only, none of the minority
		// languages except Korean.
		return map[string]string{
			"zh-Hans": "zh", "ko": "ko", "en": "en", "fr": "fr", "ru": "ru", "ar": "ar",
			"es": "es", "ja": "ja", "pt": "pt", "de": "de",
		}
	case KindDeepL:
		// Target codes; the engine drops the variant (ZH-HANS → ZH,
		// EN-GB → EN) for source_lang, which takes none. Courts publish
		// British English.
		return map[string]string{
			"zh-Hans": "ZH-HANS", "ko": "KO", "en": "EN-GB", "fr": "FR", "ru": "RU",
			"ar": "AR", "es": "ES", "ja": "JA", "pt": "PT-PT", "de": "DE",
		}
	case KindOpenAI:
		// Names for the prompt, in Chinese like the prompt. Where a
		// language has several scripts the name says which, because
		// that is what models get wrong.
		reg := registry()
		names := map[string]string{reg.Source().Tag: reg.Source().NameZH}
		for _, l := range reg.All() {
			if l.Tag == "ii" || l.Tag == "za" {
				continue // no chat model we know of writes Nuosu Yi or standard Zhuang
			}
			names[l.Tag] = l.NameZH
		}
		names["kk-Arab"] = "哈萨克语（中国哈萨克文，阿拉伯字母）"
		names["ug"] = "维吾尔语（阿拉伯字母维吾尔文）"
		names["mn-Mong"] = "蒙古语（传统蒙古文，回鹘式蒙古文字母，不要用西里尔字母）"
		names["ko"] = "朝鲜语（中国朝鲜族使用的韩文字母）"
		return names
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
