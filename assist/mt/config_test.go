package mt

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func writeConfig(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
	return path
}

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

const goodYAML = `
engines:
  - name: niutrans
    kind: niutrans
    endpoint: https://api.niutrans.com/
    api_key_env: NIUTRANS_KEY
  - name: hunyuan
    kind: openai
    endpoint: http://vllm:8000
    model: tencent/Hunyuan-MT-7B
    timeout: 1m30s
    batch: 10
  - name: libre
    kind: libretranslate
    endpoint: http://libretranslate:5000
    languages:
      ko: ""          # this server has no Korean model
      zh-CN: zh-Hans  # a newer server's code for Chinese
  - name: deepl
    kind: deepl
    endpoint: https://api-free.deepl.com
    api_key_env: DEEPL_KEY
    timeout: 5
routes:
  "zh>ug-CN": [hunyuan, niutrans]
  "zh-Hans>mn-Mong": [niutrans]
  "*": [deepl, libre, niutrans]
`

func TestLoadConfigYAML(t *testing.T) {
	cfg, err := LoadConfig(writeConfig(t, "mt.yaml", goodYAML), env(map[string]string{"NIUTRANS_KEY": "nt-key", "DEEPL_KEY": "dl-key:fx"}))
	require.NoError(t, err)
	require.Len(t, cfg.Engines, 4)

	nt, hy, lt, dl := cfg.Engines[0], cfg.Engines[1], cfg.Engines[2], cfg.Engines[3]
	require.Equal(t, "nt-key", nt.APIKey, "the key comes from the variable api_key_env names")
	require.Equal(t, "https://api.niutrans.com", nt.Endpoint)
	require.Equal(t, 1, nt.Batch)
	require.Equal(t, Duration(DefaultTimeout), nt.Timeout)
	require.Equal(t, "mo", nt.Languages["mn-Mong"])
	require.Equal(t, "ti", nt.Languages["bo"])
	require.Equal(t, "uy", nt.Languages["ug"])

	require.Equal(t, Duration(90*time.Second), hy.Timeout)
	require.Equal(t, 10, hy.Batch)
	require.Equal(t, DefaultPrompt, hy.Prompt)
	require.Contains(t, hy.Languages["mn-Mong"], "传统蒙古文")

	_, hasKorean := lt.Languages["ko"]
	require.False(t, hasKorean, "an empty code removes a default")
	require.Equal(t, "zh-Hans", lt.Languages["zh-Hans"], "tags are canonicalized, codes kept")

	require.Equal(t, "dl-key:fx", dl.APIKey)
	require.Equal(t, Duration(5*time.Second), dl.Timeout, "a bare number is seconds")
	require.Equal(t, 50, dl.Batch)

	require.Equal(t, map[string][]string{
		"zh-Hans>ug":      {"hunyuan", "niutrans"},
		"zh-Hans>mn-Mong": {"niutrans"},
		"*":               {"deepl", "libre", "niutrans"},
	}, cfg.Routes)
}

func TestLoadConfigJSON(t *testing.T) {
	path := writeConfig(t, "mt.json", `{
  "engines": [{"name": "hunyuan", "kind": "openai", "endpoint": "http://ollama:11434", "model": "hunyuan-mt", "timeout": "45s"}],
  "routes": {"zh-Hans>bo": ["hunyuan"]}
}`)
	cfg, err := LoadConfig(path, env(nil))
	require.NoError(t, err)
	require.Equal(t, Duration(45*time.Second), cfg.Engines[0].Timeout)
	require.Equal(t, []string{"hunyuan"}, cfg.Routes["zh-Hans>bo"])
}

func TestLoadConfigErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		env        map[string]string
		want       string
	}{
		{"unknown kind", `
engines: [{name: g, kind: google, endpoint: "https://translation.googleapis.com"}]`,
			nil, `engines[0].kind: unknown kind "google"`},
		{"missing endpoint", `
engines: [{name: n, kind: niutrans}]`,
			nil, `engines[0].endpoint: missing`},
		{"endpoint without scheme", `
engines: [{name: n, kind: niutrans, endpoint: "api.niutrans.com"}]`,
			nil, `engines[0].endpoint: "api.niutrans.com" is not an http(s) URL`},
		{"unknown language", `
engines: [{name: n, kind: niutrans, endpoint: "https://api.niutrans.com", languages: {tlh: tlh}}]`,
			nil, `engines[0].languages["tlh"]: invalid: language "tlh" is not supported`},
		{"route names unknown engine", `
engines: [{name: niutrans, kind: niutrans, endpoint: "https://api.niutrans.com"}]
routes: {"zh-Hans>ug": [niutrans, google]}`,
			nil, `routes["zh-Hans>ug"][1]: unknown engine "google"`},
		{"route with bad pair", `
engines: [{name: niutrans, kind: niutrans, endpoint: "https://api.niutrans.com"}]
routes: {"zh-Hans to ug": [niutrans]}`,
			nil, `routes["zh-Hans to ug"]: want "source>target"`},
		{"route pair twice", `
engines: [{name: niutrans, kind: niutrans, endpoint: "https://api.niutrans.com"}]
routes: {"zh>ug": [niutrans], "zh-Hans>ug-Arab": [niutrans]}`,
			nil, `is listed twice`},
		{"empty key variable", `
engines: [{name: niutrans, kind: niutrans, endpoint: "https://api.niutrans.com", api_key_env: NIUTRANS_KEY}]`,
			map[string]string{}, `engines[0].api_key_env: environment variable NIUTRANS_KEY is empty`},
		{"deepl without key", `
engines: [{name: deepl, kind: deepl, endpoint: "https://api.deepl.com"}]`,
			nil, `engines[0].api_key: DeepL needs a key`},
		{"openai without model", `
engines: [{name: h, kind: openai, endpoint: "http://vllm:8000"}]`,
			nil, `engines[0].model: missing`},
		{"prompt without target", `
engines: [{name: h, kind: openai, endpoint: "http://vllm:8000", model: m, prompt: "translate"}]`,
			nil, `engines[0].prompt: must contain {target_name}`},
		{"niutrans batch", `
engines: [{name: n, kind: niutrans, endpoint: "https://api.niutrans.com", batch: 10}]`,
			nil, `engines[0].batch: NiuTrans takes one text per call`},
		{"deepl batch", `
engines: [{name: d, kind: deepl, endpoint: "https://api.deepl.com", api_key: k, batch: 100}]`,
			nil, `engines[0].batch: DeepL takes at most 50`},
		{"duplicate name", `
engines:
  - {name: n, kind: niutrans, endpoint: "https://api.niutrans.com"}
  - {name: n, kind: libretranslate, endpoint: "http://lt:5000"}`,
			nil, `engines[1].name: "n" is used twice`},
		{"bad timeout", `
engines: [{name: n, kind: niutrans, endpoint: "https://api.niutrans.com", timeout: fast}]`,
			nil, `duration "fast"`},
		{"misspelt field", `
engines: [{name: n, kind: niutrans, endpoint: "https://api.niutrans.com", apikey: k}]`,
			nil, `field apikey not found`},
		{"no engines", `routes: {}`, nil, `engines: no engine is configured`},
		{"empty file", ``, nil, `the file is empty`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(writeConfig(t, "mt.yaml", tt.yaml), env(tt.env))
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestLoadConfigReportsEveryProblem(t *testing.T) {
	_, err := LoadConfig(writeConfig(t, "mt.yaml", `
engines:
  - {name: a, kind: google, endpoint: "https://x"}
  - {name: b, kind: niutrans}
routes: {"*": [c]}`), env(nil))
	require.Error(t, err)
	for _, want := range []string{"engines[0].kind", "engines[1].endpoint", `routes["*"][0]: unknown engine "c"`} {
		require.Contains(t, err.Error(), want)
	}
}

func TestLoadConfigMissingFile(t *testing.T) {
	_, err := LoadConfig(filepath.Join(t.TempDir(), "none.yaml"), nil)
	require.ErrorIs(t, err, os.ErrNotExist)
}

func TestNewEnginesValidatesHandMadeConfig(t *testing.T) {
	_, err := NewEngines(&Config{Engines: []EngineConfig{{Name: "x", Kind: "systran", Endpoint: "http://x"}}}, nil)
	require.ErrorContains(t, err, `engines[0].kind: unknown kind "systran"`)
}

func TestEngineConfigLogValueRedactsKey(t *testing.T) {
	var b strings.Builder
	log := slog.New(slog.NewTextHandler(&b, nil))
	log.Info("mt engine", "engine", deeplConfig("https://api.deepl.com"))
	require.Contains(t, b.String(), "engine.api_key=[redacted]")
	require.NotContains(t, b.String(), "dl-key")
}
