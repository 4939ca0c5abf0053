package e2e

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// webhookReceiver is a portal's endpoint: it verifies Standard Webhooks
// signatures on its own, and keeps one event per webhook-id.
type webhookReceiver struct {
	srv    *httptest.Server
	secret string

	mu     sync.Mutex
	events map[string]receivedEvent
	order  []string
}

type receivedEvent struct {
	Type string
	Lang string
}

func newWebhookReceiver(t *testing.T) *webhookReceiver {
	w := &webhookReceiver{events: map[string]receivedEvent{}}
	w.srv = httptest.NewServer(http.HandlerFunc(w.serve))
	t.Cleanup(w.srv.Close)
	return w
}

func (w *webhookReceiver) serve(rw http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	id, ts := r.Header.Get("webhook-id"), r.Header.Get("webhook-timestamp")
	w.mu.Lock()
	secret := w.secret
	w.mu.Unlock()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || id == "" || ts == "" {
		http.Error(rw, "unsigned", http.StatusBadRequest)
		return
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + ts + "." + string(body)))
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if !strings.Contains(" "+r.Header.Get("webhook-signature")+" ", " "+want+" ") {
		http.Error(rw, "bad signature", http.StatusUnauthorized)
		return
	}
	var payload struct {
		Type string `json:"type"`
		Data struct {
			Lang string `json:"lang"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &payload) != nil {
		http.Error(rw, "bad body", http.StatusBadRequest)
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, dup := w.events[id]; !dup {
		w.events[id] = receivedEvent{Type: payload.Type, Lang: payload.Data.Lang}
		w.order = append(w.order, id)
	}
	rw.WriteHeader(http.StatusNoContent)
}

func (w *webhookReceiver) received() []receivedEvent {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]receivedEvent, 0, len(w.order))
	for _, id := range w.order {
		out = append(out, w.events[id])
	}
	return out
}
