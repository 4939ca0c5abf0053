package mt

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"unicode"
)

// openAI speaks the OpenAI chat-completions protocol as vLLM, Ollama and
// hosted services serve it: POST {endpoint}/v1/chat/completions with
// {model, messages: [system, user], temperature: 0} and an optional
// "Authorization: Bearer KEY"; the answer is choices[0].message.content.
//
// A batch goes as numbered lines ("[1] …", "[2] …") in one message and
// the model is told to answer line by line with the same numbers. Models
// do not always comply, so the answer is parsed leniently, and if it still
// does not give exactly one translation per number, the batch is asked
// again one text per call: slower, but never misaligned.
type openAI struct {
	base
	model  string
	prompt string
	path   string
}

// openaiMaxBytes bounds the source text in one batch (about 2,700 Chinese
// characters). The answer in Tibetan or Mongolian runs to four times the
// characters, and it must fit the context of a 7B model.
const openaiMaxBytes = 8000

// maxPromptTerms bounds the glossary lines in one prompt.
const maxPromptTerms = 100

func newOpenAI(ec EngineConfig, client *http.Client) *openAI {
	e := &openAI{base: newBase(ec, client), model: ec.Model, prompt: ec.Prompt, path: "/v1/chat/completions"}
	// Accept an endpoint configured with the /v1 that OpenAI's own
	// clients expect in their base URL.
	if strings.HasSuffix(e.endpoint, "/v1") {
		e.path = "/chat/completions"
	}
	return e
}

type chatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type chatRequest struct {
	Model       string        `json:"model"`
	Messages    []chatMessage `json:"messages"`
	Temperature float64       `json:"temperature"` // 0, sent explicitly: drafts must be reproducible
	Stream      bool          `json:"stream"`
}

type chatAnswer struct {
	Choices []struct {
		Message      chatMessage `json:"message"`
		FinishReason string      `json:"finish_reason"`
	} `json:"choices"`
	Error json.RawMessage `json:"error"` // {"message": …} (OpenAI, vLLM) or a string (Ollama)
}

func (e *openAI) Translate(ctx context.Context, req Request) ([]string, error) {
	srcName, tgtName, err := e.pairCodes(req)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(req.Texts))
	for _, c := range chunks(req.Texts, e.batch, openaiMaxBytes) {
		texts := req.Texts[c[0]:c[1]]
		got, err := e.batchCall(ctx, srcName, tgtName, texts, req.Glossary)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

// batchCall translates texts in one call if it can, else one by one.
func (e *openAI) batchCall(ctx context.Context, srcName, tgtName string, texts []string, glossary []Term) ([]string, error) {
	// A text with a line break of its own cannot travel as one numbered
	// line.
	single := len(texts) == 1
	for _, t := range texts {
		single = single || strings.ContainsAny(t, "\r\n")
	}
	if !single {
		var user strings.Builder
		for i, t := range texts {
			fmt.Fprintf(&user, "[%d] %s\n", i+1, t)
		}
		system := e.system(srcName, tgtName, texts, glossary) + fmt.Sprintf(
			"\n\n输入共 %d 行，每行以方括号编号开头，如“[1] ”。请逐行翻译，输出恰好 %d 行，每行以相同的编号开头，不要合并、拆分或遗漏任何一行，不要输出其他内容。",
			len(texts), len(texts))
		content, complete, err := e.chat(ctx, system, user.String())
		if err != nil {
			return nil, err
		}
		if complete {
			if got, ok := parseNumbered(content, len(texts)); ok {
				return got, nil
			}
		}
	}
	out := make([]string, len(texts))
	for i, t := range texts {
		content, complete, err := e.chat(ctx, e.system(srcName, tgtName, texts[i:i+1], glossary), t)
		if err != nil {
			return nil, err
		}
		if !complete {
			return nil, fmt.Errorf("%s: answer cut off at the model's length limit", e.name)
		}
		out[i] = content
	}
	return out, nil
}

// system renders the prompt template with the glossary terms that occur in
// texts; the rest of the glossary would only dilute the prompt.
func (e *openAI) system(srcName, tgtName string, texts []string, glossary []Term) string {
	var g strings.Builder
	seen := make(map[Term]bool)
	n := 0
	for _, term := range glossary {
		if n == maxPromptTerms || term.Source == "" || term.Target == "" || seen[term] {
			continue
		}
		for _, t := range texts {
			if strings.Contains(t, term.Source) {
				if n == 0 {
					g.WriteString("\n\n术语表（左边的原文必须译为右边的译文）：")
				}
				fmt.Fprintf(&g, "\n%s → %s", term.Source, term.Target)
				seen[term] = true
				n++
				break
			}
		}
	}
	prompt := e.prompt
	if g.Len() > 0 && !strings.Contains(prompt, "{glossary}") {
		prompt += "{glossary}"
	}
	return strings.NewReplacer("{source_name}", srcName, "{target_name}", tgtName, "{glossary}", g.String()).Replace(prompt)
}

// chat sends one conversation and returns the cleaned answer and whether
// the model finished it (rather than hitting its length limit).
func (e *openAI) chat(ctx context.Context, system, user string) (string, bool, error) {
	body, err := json.Marshal(chatRequest{
		Model:    e.model,
		Messages: []chatMessage{{Role: "system", Content: system}, {Role: "user", Content: user}},
	})
	if err != nil {
		return "", false, fmt.Errorf("%s: %w: %v", e.name, ErrBadRequest, err)
	}
	var h http.Header
	if e.apiKey != "" {
		h = http.Header{"Authorization": {"Bearer " + e.apiKey}}
	}
	status, data, err := e.post(ctx, e.path, "application/json", body, h)
	if err != nil {
		return "", false, err
	}
	var ans chatAnswer
	jsonErr := json.Unmarshal(data, &ans)
	if status != http.StatusOK {
		msg := errorMessage(ans.Error)
		if msg == "" {
			msg = string(data)
		}
		return "", false, e.statusError(status, msg)
	}
	if jsonErr != nil {
		return "", false, fmt.Errorf("%s: unreadable answer: %v", e.name, jsonErr)
	}
	if msg := errorMessage(ans.Error); msg != "" {
		return "", false, fmt.Errorf("%s: %s", e.name, shorten(msg))
	}
	if len(ans.Choices) == 0 {
		return "", false, fmt.Errorf("%s: answer without choices", e.name)
	}
	c := ans.Choices[0]
	return cleanChat(c.Message.Content), c.FinishReason != "length", nil
}

func errorMessage(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var obj struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(raw, &obj) == nil && obj.Message != "" {
		return obj.Message
	}
	return string(raw)
}

// cleanChat removes what chat models wrap around an answer: a reasoning
// block (<think>…</think>, as Qwen3 and DeepSeek-R1 emit) and Markdown
// code fences.
func cleanChat(s string) string {
	for {
		i := strings.Index(s, "<think>")
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], "</think>")
		if j < 0 {
			s = s[:i] // never closed: everything after it is reasoning
			break
		}
		s = s[:i] + s[i+j+len("</think>"):]
	}
	lines := strings.Split(s, "\n")
	kept := lines[:0]
	for _, l := range lines {
		if !strings.HasPrefix(strings.TrimSpace(l), "```") {
			kept = append(kept, l)
		}
	}
	return trimSpace(strings.Join(kept, "\n"))
}

// parseNumbered reads n numbered translations from a batch answer. It
// accepts the markers models use in place of the requested "[k]" (【k】,
// (k), k. and k、), skips a preamble before the first marker, and joins a
// translation the model wrapped onto several lines. It fails unless every
// number from 1 to n appears exactly once.
func parseNumbered(content string, n int) ([]string, bool) {
	out := make([]string, n)
	seen := make([]bool, n)
	cur := -1
	for _, line := range strings.Split(content, "\n") {
		line = trimSpace(line)
		if line == "" {
			continue
		}
		if k, rest, ok := splitMarker(line); ok && k >= 1 && k <= n {
			if seen[k-1] {
				return nil, false
			}
			cur, seen[k-1], out[k-1] = k-1, true, rest
			continue
		}
		if cur >= 0 { // a wrapped line, or a number that is part of the text
			out[cur] = trimSpace(out[cur] + " " + line)
		}
	}
	// An empty line under its number is still aligned: the Router
	// refuses it and asks the next engine for that text alone.
	for i := range out {
		if !seen[i] {
			return nil, false
		}
	}
	return out, true
}

// splitMarker splits a leading line number off line: "[3] text" → 3,
// "text". Full-width brackets and digits count too.
func splitMarker(line string) (int, string, bool) {
	rs := []rune(line)
	i := 0
	bracketed := false
	if i < len(rs) && strings.ContainsRune("[【(（［", rs[i]) {
		bracketed = true
		i++
	}
	start := i
	num := 0
	for i < len(rs) && i-start < 4 {
		d, ok := digit(rs[i])
		if !ok {
			break
		}
		num = num*10 + d
		i++
	}
	if i == start || i == len(rs) {
		return 0, "", false
	}
	closers := ".、:：)）"
	if bracketed {
		closers = "]】)）］"
	}
	if !strings.ContainsRune(closers, rs[i]) {
		return 0, "", false
	}
	return num, trimSpace(string(rs[i+1:])), true
}

func digit(r rune) (int, bool) {
	switch {
	case '0' <= r && r <= '9':
		return int(r - '0'), true
	case '０' <= r && r <= '９':
		return int(r - '０'), true
	}
	return 0, false
}

// trimSpace is strings.TrimSpace without U+202F: a Mongolian NNBSP joins a
// suffix to its word and is text, not padding.
func trimSpace(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r != '\u202F' && unicode.IsSpace(r) })
}
