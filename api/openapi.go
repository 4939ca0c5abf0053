package api

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"
)

// openAPIYAML is the API's contract, written by hand next to the handlers
// it describes; api/openapi_test.go holds it to the routes and to real
// answers.
//
//go:embed openapi.yaml
var openAPIYAML []byte

// openAPIJSON is the spec as JSON, converted once, when the program
// starts; every request is served the same bytes. A spec that does not
// load makes /openapi.json a 500 (and fails api/openapi_test.go).
var openAPIJSON, openAPIErr = convertOpenAPI(openAPIYAML)

func convertOpenAPI(spec []byte) ([]byte, error) {
	doc, err := openapi3.NewLoader().LoadFromData(spec)
	if err != nil {
		return nil, fmt.Errorf("api: load openapi.yaml: %w", err)
	}
	return json.Marshal(doc)
}

// openAPI serves the OpenAPI 3 spec; it is public, like the language
// registry, so tools can read the contract before they hold a token.
func (s *Server) openAPI(c *gin.Context) {
	if openAPIErr != nil {
		s.fail(c, openAPIErr)
		return
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "application/json; charset=utf-8", openAPIJSON)
}
