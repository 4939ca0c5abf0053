package mt

import (
	"fmt"
	"net/http"
)

// NewEngines builds one Engine per configured engine. cfg is validated
// and completed with defaults as LoadConfig does, except that api_key_env
// is not read here (LoadConfig has done that). client carries the
// transport (proxies, TLS); nil means the default transport with more idle
// connections per host. Timeouts come
// from each engine's configuration, not from the client.
func NewEngines(cfg *Config, client *http.Client) (map[string]Engine, error) {
	if cfg == nil {
		return nil, fmt.Errorf("mt: no configuration")
	}
	norm, err := cfg.normalize(nil)
	if err != nil {
		return nil, fmt.Errorf("mt config: %w", err)
	}
	if client == nil {
		// The default transport keeps two idle connections per host;
		// the Router keeps up to Concurrency requests in flight to one
		// engine, and reconnecting for each would cost a TLS handshake.
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 16
		client = &http.Client{Transport: t}
	}
	engines := make(map[string]Engine, len(norm.Engines))
	for _, ec := range norm.Engines {
		var e Engine
		switch ec.Kind {
		case KindNiuTrans:
			e = &niutrans{newBase(ec, client)}
		case KindLibreTranslate:
			e = &libreTranslate{newBase(ec, client)}
		case KindOpenAI:
			e = newOpenAI(ec, client)
		case KindDeepL:
			e = &deepl{newBase(ec, client)}
		}
		engines[ec.Name] = e
	}
	return engines, nil
}
