package ui

import (
	"net/http"
	"strings"
)

// Mount serves the workbench under /ui/ and everything else with the API,
// on one listener. A browser that opens the bare address is sent to the
// workbench; every API path, / for API clients included, is the API's as
// before.
func Mount(api, workbench http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := r.URL.Path; {
		case p == "/ui" || strings.HasPrefix(p, "/ui/"):
			workbench.ServeHTTP(w, r)
		case p == "/" && (r.Method == http.MethodGet || r.Method == http.MethodHead) &&
			strings.Contains(r.Header.Get("Accept"), "text/html"):
			http.Redirect(w, r, "/ui/", http.StatusFound)
		default:
			api.ServeHTTP(w, r)
		}
	})
}
