package api

import (
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"

	"yizhi/models"
)

// Routing rule limits, from the columns of models.RoutingRule: the lists
// are JSON in TEXT columns, which hold 64 KiB on MySQL.
const (
	maxRuleNameRunes = 128
	maxCourtMatches  = 100
)

// routingRuleRequest is the body of a POST or a PUT; a PUT replaces the
// whole rule, so both take the same fields.
type routingRuleRequest struct {
	Name          string   `json:"name"`
	Priority      int      `json:"priority"`
	CourtContains []string `json:"court_contains"`
	Kinds         []string `json:"kinds"`
	Priorities    []string `json:"priorities"`
	Targets       []string `json:"targets"`
	Profile       string   `json:"profile"`
}

// priorities lists every document priority, for error details.
var priorities = []string{
	string(models.PriorityUrgent), string(models.PriorityHigh), string(models.PriorityNormal), string(models.PriorityLow),
}

func (s *Server) listRoutingRules(c *gin.Context) {
	rules, err := s.store.ListRoutingRules(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": nonNil(rules)})
}

func (s *Server) getRoutingRule(c *gin.Context) {
	id, err := pathID(c, "routing rule")
	if err != nil {
		s.fail(c, err)
		return
	}
	r, err := s.store.RoutingRuleByID(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

// createRoutingRule adds a rule; documents taken in from then on are routed
// by it. Documents already taken in keep their targets and profile.
func (s *Server) createRoutingRule(c *gin.Context) {
	r, err := s.routingRuleFromBody(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.store.CreateRoutingRule(c.Request.Context(), r, currentUser(c)); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, r)
}

func (s *Server) updateRoutingRule(c *gin.Context) {
	id, err := pathID(c, "routing rule")
	if err != nil {
		s.fail(c, err)
		return
	}
	r, err := s.routingRuleFromBody(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	r.ID = id
	if err := s.store.UpdateRoutingRule(c.Request.Context(), r, currentUser(c)); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

func (s *Server) deleteRoutingRule(c *gin.Context) {
	id, err := pathID(c, "routing rule")
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.store.DeleteRoutingRule(c.Request.Context(), id, currentUser(c)); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// routingRuleFromBody reads and validates a rule. Targets are stored
// canonical, because routing compares them with the tags of jobs and
// competences byte for byte.
func (s *Server) routingRuleFromBody(c *gin.Context) (*models.RoutingRule, error) {
	var req routingRuleRequest
	if err := decodeJSON(c, &req); err != nil {
		return nil, err
	}
	req.Name = strings.TrimSpace(req.Name)
	var missing []string
	if req.Name == "" {
		missing = append(missing, "name")
	}
	if len(req.CourtContains) == 0 {
		missing = append(missing, "court_contains")
	}
	if len(req.Targets) == 0 {
		missing = append(missing, "targets")
	}
	if missing != nil {
		return nil, missingFields(missing)
	}
	if len([]rune(req.Name)) > maxRuleNameRunes {
		return nil, models.Errorf(models.EINVALID, "name is longer than %d characters", maxRuleNameRunes)
	}
	if len(req.CourtContains) > maxCourtMatches {
		return nil, models.Errorf(models.EINVALID, "court_contains holds more than %d names", maxCourtMatches)
	}
	r := &models.RoutingRule{Name: req.Name, Priority: req.Priority, Profile: req.Profile}
	for _, part := range req.CourtContains {
		part = strings.TrimSpace(part)
		// Every court name contains the empty string: such a rule would
		// route every document in the country.
		if part == "" {
			return nil, models.Errorf(models.EINVALID, "court_contains holds an empty name, which would match every court")
		}
		if len(part) > maxCourt {
			return nil, models.Errorf(models.EINVALID, "court_contains name %q is longer than %d bytes", part, maxCourt)
		}
		if !contains(r.CourtContains, part) {
			r.CourtContains = append(r.CourtContains, part)
		}
	}
	r.Kinds = []string{}
	for _, k := range req.Kinds {
		if !contains(models.Kinds, k) {
			return nil, models.Errorf(models.EINVALID, "unknown kind %q", k).
				WithDetails(map[string][]string{"kinds": models.Kinds})
		}
		if !contains(r.Kinds, k) {
			r.Kinds = append(r.Kinds, k)
		}
	}
	r.Priorities = []models.Priority{}
	for _, p := range req.Priorities {
		if _, ok := models.Priority(p).Window(); !ok {
			return nil, models.Errorf(models.EINVALID, "unknown priority %q", p).
				WithDetails(map[string][]string{"priorities": priorities})
		}
		if !slices.Contains(r.Priorities, models.Priority(p)) {
			r.Priorities = append(r.Priorities, models.Priority(p))
		}
	}
	for _, raw := range req.Targets {
		tag, err := s.targetLanguage(raw)
		if err != nil {
			return nil, err
		}
		if !contains(r.Targets, tag) {
			r.Targets = append(r.Targets, tag)
		}
	}
	sort.Strings(r.Targets)
	if r.Profile == "" {
		r.Profile = models.ProfileFull
	}
	if !contains(models.Profiles, r.Profile) {
		return nil, models.Errorf(models.EINVALID, "unknown profile %q", r.Profile).
			WithDetails(map[string][]string{"profiles": models.Profiles})
	}
	return r, nil
}
