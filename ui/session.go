package ui

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"time"
)

// Cookie names. Both are sealed: encrypted and authenticated with the
// session key, so the browser can neither read nor forge them.
const (
	sessionCookie = "yizhi_session"
	flashCookie   = "yizhi_flash"
	localeCookie  = "yizhi_hl"
	cookiePath    = "/ui"
)

// SessionLifetime is how long a sign-in lasts; a working day with room.
const SessionLifetime = 12 * time.Hour

// csrfHeader carries the CSRF token of fetch requests; forms use the
// csrfField instead.
const (
	csrfHeader = "X-CSRF-Token"
	csrfField  = "csrf"
)

// session is what the sealed cookie holds. A visitor who has not signed in
// has a session too, without a token, so the sign-in form is protected
// against CSRF like every other form.
type session struct {
	Token   string `json:"t,omitempty"`
	CSRF    string `json:"c"`
	Expires int64  `json:"e"`
	// What the token may do, probed at sign-in, for the navigation only:
	// the API decides every request on its own.
	Tasks  bool `json:"k,omitempty"`
	Editor bool `json:"d,omitempty"`
}

// SignedIn reports whether the session holds a token; templates ask this,
// never for the token itself.
func (s *session) SignedIn() bool { return s != nil && s.Token != "" }

func newSession(now time.Time) *session {
	return &session{CSRF: randomToken(), Expires: now.Add(SessionLifetime).Unix()}
}

// sealer encrypts cookie values with AES-256-GCM. The cookie's name is the
// additional data, so a value cannot be moved from one cookie to another.
type sealer struct{ aead cipher.AEAD }

func newSealer(key []byte) *sealer {
	// The configured key may be any string of enough entropy; hashing it
	// gives exactly the 32 bytes AES-256 wants.
	sum := sha256.Sum256(append([]byte("yizhi ui cookies v1\x00"), key...))
	block, err := aes.NewCipher(sum[:])
	if err != nil {
		panic(err) // a 32-byte key is always valid
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return &sealer{aead: aead}
}

func (s *sealer) seal(name string, v any) (string, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plain, []byte(name))), nil
}

var errBadCookie = errors.New("cookie is not one this server sealed")

func (s *sealer) open(name, value string, v any) error {
	raw, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil || len(raw) < s.aead.NonceSize() {
		return errBadCookie
	}
	nonce, box := raw[:s.aead.NonceSize()], raw[s.aead.NonceSize():]
	plain, err := s.aead.Open(nil, nonce, box, []byte(name))
	if err != nil {
		return errBadCookie
	}
	return json.Unmarshal(plain, v)
}

// readSession returns the request's session, or nil when there is none or
// it is expired or forged.
func (u *UI) readSession(r *http.Request, now time.Time) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	var s session
	if u.sealer.open(sessionCookie, c.Value, &s) != nil || s.CSRF == "" || now.Unix() >= s.Expires {
		return nil
	}
	return &s
}

func (u *UI) writeSession(w http.ResponseWriter, s *session) error {
	value, err := u.sealer.seal(sessionCookie, s)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: value, Path: cookiePath,
		Expires: time.Unix(s.Expires, 0), HttpOnly: true, Secure: u.secure, SameSite: http.SameSiteStrictMode,
	})
	return nil
}

// flash is a one-time message shown on the next page, after a redirect.
type flash struct {
	Kind string   `json:"k"` // success, warning, error
	Key  string   `json:"m"` // catalogue key
	Args []string `json:"a,omitempty"`
}

// Text is the flash in the interface language.
func (f *flash) Text(l *locale) string {
	args := make([]any, len(f.Args))
	for i, a := range f.Args {
		args[i] = a
	}
	return l.T(f.Key, args...)
}

func (u *UI) setFlash(w http.ResponseWriter, f flash) {
	value, err := u.sealer.seal(flashCookie, f)
	if err != nil {
		u.log.Error("seal flash", "err", err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: flashCookie, Value: value, Path: cookiePath, MaxAge: 300,
		HttpOnly: true, Secure: u.secure, SameSite: http.SameSiteStrictMode,
	})
}

// takeFlash reads and clears the flash.
func (u *UI) takeFlash(w http.ResponseWriter, r *http.Request) *flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: cookiePath, MaxAge: -1, HttpOnly: true, Secure: u.secure, SameSite: http.SameSiteStrictMode})
	var f flash
	if u.sealer.open(flashCookie, c.Value, &f) != nil {
		return nil
	}
	return &f
}

func randomToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// crossSite reports a request that another site made the browser send.
// Browsers send Sec-Fetch-Site; older ones at least send Origin on POST.
func crossSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return false
	case "":
	default: // cross-site, same-site (a sibling subdomain is not us)
		return true
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	o, err := url.Parse(origin)
	return err != nil || o.Host == "" || o.Host != r.Host
}

// validCSRF compares the request's token with the session's in constant
// time: from the form field, or the header for fetch requests.
func validCSRF(r *http.Request, s *session) bool {
	got := r.Header.Get(csrfHeader)
	if got == "" {
		got = r.PostFormValue(csrfField)
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.CSRF)) == 1
}
