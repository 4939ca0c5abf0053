package mt

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"yizhi/lang"
)

// maxWrongScriptShare is the share of letters in another script above
// which an answer is refused: the threshold of the target_script QA
// check, so MT never offers what QA would block.
const maxWrongScriptShare = 0.20

// maxConsecutiveFailures is how many batches in a row an engine may fail
// (error, or not one answer accepted) before the rest of the call goes to
// the next engine. One failure may be a blip; three in a row, each maybe
// a full timeout, mean the engine is down or useless for this pair, and
// waiting on it would stall the whole document.
const maxConsecutiveFailures = 3

// Router sends each language pair through its chain of engines. It is
// safe for concurrent use.
type Router struct {
	engines     map[string]Engine
	routes      map[string][]string // "zh-Hans>ug" → engine names
	fallback    []string            // for pairs not in routes
	concurrency map[string]int
	reg         *lang.Registry
	log         *slog.Logger
}

// Result is the draft for one text, and the engine that wrote it. Both
// are empty when no engine produced an acceptable draft.
type Result struct {
	Text, Engine string
}

// NewRouter makes a Router over engines (from NewEngines) in the order
// cfg.Routes gives. Route keys that do not name a supported pair, and
// engine names missing from engines, are logged and skipped; LoadConfig
// has reported them already. log may be nil.
func NewRouter(cfg *Config, engines map[string]Engine, log *slog.Logger) *Router {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Router{
		engines:     engines,
		routes:      make(map[string][]string),
		concurrency: make(map[string]int),
		reg:         registry(),
		log:         log,
	}
	if cfg == nil {
		cfg = &Config{}
	}
	for _, ec := range cfg.Engines {
		if _, ok := engines[ec.Name]; ok {
			r.fallback = append(r.fallback, ec.Name)
		}
		c := ec.Concurrency
		if c <= 0 {
			c = defaultConcurrency[strings.ToLower(ec.Kind)]
		}
		r.concurrency[ec.Name] = max(c, 1)
	}
	known := func(key string, names []string) []string {
		var out []string
		for _, n := range names {
			if _, ok := engines[n]; ok {
				out = append(out, n)
			} else {
				log.Warn("mt route names an engine that is not running", "route", key, "engine", n)
			}
		}
		return out
	}
	for key, names := range cfg.Routes {
		if strings.TrimSpace(key) == "*" {
			r.fallback = known(key, names)
			continue
		}
		src, tgt, _ := strings.Cut(key, ">")
		pair, err := r.pair(src, tgt)
		if err != nil {
			log.Warn("mt route skipped", "route", key, "error", err)
			continue
		}
		r.routes[pair.key] = known(key, names)
	}
	return r
}

type pair struct{ source, target, key string }

func (r *Router) pair(source, target string) (pair, error) {
	s, err1 := r.reg.Canonicalize(strings.TrimSpace(source))
	t, err2 := r.reg.Canonicalize(strings.TrimSpace(target))
	if err := errors.Join(err1, err2); err != nil {
		return pair{}, err
	}
	return pair{s, t, s + ">" + t}, nil
}

// Engines returns the names of the engines tried for a pair, in fallback
// order, leaving out engines without codes for it. It is empty for a pair
// no engine covers (such as zh-Hans>ii), which gets TM and glossary
// suggestions only.
func (r *Router) Engines(source, target string) []string {
	p, err := r.pair(source, target)
	if err != nil {
		return nil
	}
	return r.chain(p)
}

func (r *Router) chain(p pair) []string {
	names, ok := r.routes[p.key]
	if !ok {
		names = r.fallback
	}
	var out []string
	for _, n := range names {
		if e, ok := r.engines[n]; ok && e.Supports(p.source, p.target) {
			out = append(out, n)
		}
	}
	return out
}

// Translate drafts texts from source to target. Each engine in the chain
// gets, in batches of its MaxBatch, the texts still without an accepted
// draft; so a failing, slow or wrong engine only costs the texts it
// failed on. Answers are NFC-normalized (lang.Normalize) and refused if
// empty or if more than a fifth of their letters are in the wrong script
// (lang.ScriptShare): a refused text is left for the next engine and is
// never offered. Blank texts get no draft, and repeated texts are sent
// once.
//
// The error is nil whenever anything was translated, and when nothing was
// but no engine failed (no engine for the pair, or every answer refused):
// a retry would change nothing. When nothing was translated and an engine
// failed transiently, the error is transient, so the activity is retried;
// when every engine failed permanently, it satisfies IsPermanent. If ctx
// ends, the error is ctx's.
func (r *Router) Translate(ctx context.Context, source, target string, texts []string, glossary []Term) ([]Result, error) {
	results := make([]Result, len(texts))
	p, err := r.pair(source, target)
	if err != nil {
		return results, fmt.Errorf("mt %s>%s: %w: %w", source, target, ErrUnsupportedPair, err)
	}

	// Unique non-blank texts; dupes[i] lists the other indices with the
	// same text.
	first := make(map[string]int)
	dupes := make(map[int][]int)
	var pending []int
	for i, t := range texts {
		if trimSpace(t) == "" {
			continue
		}
		if j, ok := first[t]; ok {
			dupes[j] = append(dupes[j], i)
			continue
		}
		first[t] = i
		pending = append(pending, i)
	}
	if len(pending) == 0 {
		return results, nil
	}
	chain := r.chain(p)
	if len(chain) == 0 {
		r.log.Debug("no MT engine for the pair", "pair", p.key)
		return results, nil
	}

	var transient, permanent []error
	answered := false
	for _, name := range chain {
		if len(pending) == 0 {
			break
		}
		if err := ctx.Err(); err != nil {
			return results, err
		}
		pass := r.run(ctx, r.engines[name], name, p, texts, pending, glossary, results)
		answered = answered || pass.answered
		for _, err := range pass.errs {
			if IsPermanent(err) {
				permanent = append(permanent, err)
			} else {
				transient = append(transient, err)
			}
		}
		var left []int
		for _, i := range pending {
			if results[i].Engine == "" {
				left = append(left, i)
			}
		}
		if len(left) > 0 && (len(pass.errs) > 0 || pass.refused > 0 || pass.skipped > 0) {
			attrs := []any{"engine", name, "pair", p.key, "translated", len(pending) - len(left), "left", len(left),
				"refused", pass.refused, "failed_batches", len(pass.errs), "skipped_batches", pass.skipped}
			if len(pass.errs) > 0 {
				attrs = append(attrs, "error", joinSome(pass.errs))
			}
			r.log.Warn("mt engine fell through", attrs...)
		}
		pending = left
	}
	if err := ctx.Err(); err != nil {
		return results, err
	}
	for i, others := range dupes {
		for _, j := range others {
			results[j] = results[i]
		}
	}

	translated := len(first) - len(pending)
	switch {
	case translated > 0:
		return results, nil
	case len(transient) > 0:
		// Only the transient errors: joined with a permanent one, the
		// whole would read as permanent and never be retried.
		return results, fmt.Errorf("mt %s: nothing translated: %w", p.key, joinSome(transient))
	case len(permanent) > 0 && !answered:
		return results, fmt.Errorf("mt %s: every engine failed: %w", p.key, joinSome(permanent))
	}
	return results, nil
}

// joinSome joins the first few errors: a document of 400 segments that
// NiuTrans refused one by one would otherwise make a 400-line error. The
// errors left out are of the same class (transient or permanent) as those
// kept, so IsPermanent reads the same.
func joinSome(errs []error) error {
	const keep = 3
	if len(errs) <= keep {
		return errors.Join(errs...)
	}
	return fmt.Errorf("%w\n(and %d more)", errors.Join(errs[:keep]...), len(errs)-keep)
}

// pass is what one engine did in one Translate call.
type pass struct {
	errs     []error
	answered bool // some batch came back with answers, accepted or not
	refused  int  // answers refused as empty or in the wrong script
	skipped  int  // batches not sent after the engine was given up
}

// run sends the pending texts to one engine, at most its concurrency at a
// time, and records accepted answers in results.
func (r *Router) run(ctx context.Context, e Engine, name string, p pair, texts []string, pending []int, glossary []Term, results []Result) pass {
	size := max(e.MaxBatch(), 1)
	var batches [][]int
	for i := 0; i < len(pending); i += size {
		batches = append(batches, pending[i:min(i+size, len(pending))])
	}

	var (
		mu          sync.Mutex
		out         pass
		consecutive int
		stopped     bool
	)
	work := make(chan []int)
	var wg sync.WaitGroup
	workers := min(max(r.concurrency[name], 1), len(batches))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for batch := range work {
				mu.Lock()
				stop := stopped || ctx.Err() != nil
				if stop {
					out.skipped++
				}
				mu.Unlock()
				if stop {
					continue
				}
				req := Request{Source: p.source, Target: p.target, Texts: make([]string, len(batch))}
				for k, i := range batch {
					req.Texts[k] = texts[i]
				}
				req.Glossary = relevantTerms(glossary, req.Texts)
				answers, err := e.Translate(ctx, req)
				if err == nil && len(answers) != len(batch) {
					err = fmt.Errorf("%s: %d answers for %d texts", name, len(answers), len(batch))
				}
				ok := make([]bool, len(answers))
				if err == nil {
					for k, i := range batch {
						answers[k], ok[k] = r.accept(p.target, texts[i], answers[k], req.Glossary)
					}
				}

				mu.Lock()
				accepted := 0
				if err != nil {
					if ctx.Err() == nil { // the caller's cancellation is not the engine's failure
						out.errs = append(out.errs, err)
					}
				} else {
					out.answered = true
					for k, i := range batch {
						if ok[k] {
							results[i] = Result{Text: answers[k], Engine: name}
							accepted++
						} else {
							out.refused++
						}
					}
				}
				switch {
				case err != nil && fatalForEngine(err):
					stopped = true
				case accepted > 0:
					consecutive = 0
				default:
					consecutive++
					stopped = stopped || consecutive >= maxConsecutiveFailures
				}
				mu.Unlock()
			}
		}()
	}
	for _, b := range batches {
		work <- b
	}
	close(work)
	wg.Wait()
	return out
}

// accept normalizes an answer and decides whether it may be offered.
func (r *Router) accept(target, source, answer string, glossary []Term) (string, bool) {
	text := lang.Normalize(target, trimSpace(answer))
	if text == "" {
		return "", false
	}
	// Letters that may be in another script legitimately are taken out
	// before judging: approved glossary renderings, and Latin tokens the
	// source already had (DNA, GPS, a company name). Case numbers are
	// skipped by ScriptShare itself.
	check := text
	for _, t := range glossary {
		if t.Target != "" && strings.Contains(source, t.Source) {
			check = strings.ReplaceAll(check, t.Target, " ")
		}
	}
	for _, tok := range latinTokens(source) {
		check = strings.ReplaceAll(check, tok, " ")
	}
	if share, letters := lang.ScriptShare(target, check); letters > 0 && share > maxWrongScriptShare {
		return "", false
	}
	return text, true
}

// latinTokens returns the runs of ASCII letters and digits in s that hold
// at least two letters.
func latinTokens(s string) []string {
	var out []string
	start, letters := -1, 0
	flush := func(end int) {
		if start >= 0 && letters >= 2 {
			out = append(out, s[start:end])
		}
		start, letters = -1, 0
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		isLetter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if isLetter || '0' <= c && c <= '9' {
			if start < 0 {
				start = i
			}
			if isLetter {
				letters++
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
	return out
}

// relevantTerms keeps the glossary terms that occur in texts: only those
// can matter to the engine, and a prompt holds only so many.
func relevantTerms(glossary []Term, texts []string) []Term {
	var out []Term
	for _, t := range glossary {
		if t.Source == "" {
			continue
		}
		for _, s := range texts {
			if strings.Contains(s, t.Source) {
				out = append(out, t)
				break
			}
		}
	}
	return out
}
