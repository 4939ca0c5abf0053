package api

import "github.com/gin-gonic/gin"

// Routes lists what the server's router serves, so the spec tests can hold
// the OpenAPI document to it.
func (s *Server) Routes() gin.RoutesInfo { return s.engine.Routes() }

// OpenAPIYAML is the embedded spec, as written.
var OpenAPIYAML = openAPIYAML
