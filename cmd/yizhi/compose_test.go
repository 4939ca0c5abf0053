package main

import (
	"cmp"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
	"gopkg.in/yaml.v3"
)

// These tests read docker-compose.yml and the Dockerfile, which cannot be run
// here, and check what can be checked by reading: that every yizhi service
// gets the configuration its subcommand needs, in values LoadConfig accepts.

// yizhiServices maps each compose service built from the Dockerfile to the
// subcommand it runs.
var yizhiServices = map[string]string{
	"migrate": "migrate",
	"api":     "api",
	"worker":  "worker",
}

type composeFile struct {
	Services map[string]composeService `yaml:"services"`
}

type composeService struct {
	Image       string              `yaml:"image"`
	Build       composeBuild        `yaml:"build"`
	Command     composeStrings      `yaml:"command"`
	Environment composeEnvironment  `yaml:"environment"`
	Healthcheck *composeHealthcheck `yaml:"healthcheck"`
	DependsOn   composeDependsOn    `yaml:"depends_on"`
	Ports       []string            `yaml:"ports"`
}

type composeHealthcheck struct {
	Test    composeStrings `yaml:"test"`
	Disable bool           `yaml:"disable"`
}

// composeBuild is `build: .` or `build: {context: ., dockerfile: …}`.
type composeBuild struct {
	Context, Dockerfile string
}

func (b *composeBuild) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		b.Context = n.Value
		return nil
	}
	var long struct {
		Context    string `yaml:"context"`
		Dockerfile string `yaml:"dockerfile"`
	}
	err := n.Decode(&long)
	b.Context, b.Dockerfile = long.Context, long.Dockerfile
	return err
}

// composeStrings is a command or test given as a list or as one string.
type composeStrings []string

func (s *composeStrings) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*s = strings.Fields(n.Value)
		return nil
	}
	var list []string
	err := n.Decode(&list)
	*s = list
	return err
}

// composeEnvironment is `environment:` as a map or as a list of KEY=value.
type composeEnvironment map[string]string

func (e *composeEnvironment) UnmarshalYAML(n *yaml.Node) error {
	*e = composeEnvironment{}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			(*e)[n.Content[i].Value] = n.Content[i+1].Value
		}
		return nil
	case yaml.SequenceNode:
		for _, item := range n.Content {
			key, value, _ := strings.Cut(item.Value, "=")
			(*e)[key] = value
		}
		return nil
	}
	return fmt.Errorf("line %d: environment is neither a map nor a list", n.Line)
}

// composeDependsOn maps each dependency to its condition; the short list
// form means service_started.
type composeDependsOn map[string]string

func (d *composeDependsOn) UnmarshalYAML(n *yaml.Node) error {
	*d = composeDependsOn{}
	if n.Kind == yaml.SequenceNode {
		for _, item := range n.Content {
			(*d)[item.Value] = "service_started"
		}
		return nil
	}
	var long map[string]struct {
		Condition string `yaml:"condition"`
	}
	if err := n.Decode(&long); err != nil {
		return err
	}
	for name, dep := range long {
		(*d)[name] = cmp.Or(dep.Condition, "service_started")
	}
	return nil
}

func loadCompose(t *testing.T) composeFile {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var f composeFile
	if err := yaml.Unmarshal(raw, &f); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	return f
}

// interpolation matches compose's ${NAME}, ${NAME:-default}, ${NAME-default},
// ${NAME:?message} and ${NAME?message}.
var interpolation = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}`)

// interpolate resolves compose variables the way `docker compose config`
// would with an .env that sets every required variable to a placeholder.
func interpolate(s string) string {
	escaped := strings.Split(s, "$$") // $$ is a literal $, never a variable
	for i, part := range escaped {
		escaped[i] = interpolation.ReplaceAllStringFunc(part, func(m string) string {
			parts := interpolation.FindStringSubmatch(m)
			if op := parts[2]; op == ":-" || op == "-" {
				return parts[3]
			}
			// Letters and digits only, and long enough to pass as an admin
			// token or a session key.
			return "placeholder0123456789abcdefghijklmnopqrs"
		})
	}
	return strings.Join(escaped, "$")
}

func TestComposeHasEveryService(t *testing.T) {
	f := loadCompose(t)
	for _, name := range []string{"mysql", "temporal", "temporal-ui", "migrate", "api", "worker"} {
		if _, ok := f.Services[name]; !ok {
			t.Errorf("docker-compose.yml has no %q service", name)
		}
	}
}

func TestComposeYizhiServicesRunTheImage(t *testing.T) {
	f := loadCompose(t)
	for name, sub := range yizhiServices {
		s := f.Services[name]
		if s.Build.Context != "." || (s.Build.Dockerfile != "" && s.Build.Dockerfile != "Dockerfile") {
			t.Errorf("%s: want `build: .` (the repository's Dockerfile), got %+v", name, s.Build)
		}
		if len(s.Command) != 1 || s.Command[0] != sub {
			t.Errorf("%s: command is %q, want [%q]", name, s.Command, sub)
		}
	}

	dockerfile, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(dockerfile), `ENTRYPOINT ["/usr/local/bin/yizhi"]`) {
		t.Error(`Dockerfile: want ENTRYPOINT ["/usr/local/bin/yizhi"], so compose's command is the subcommand`)
	}
	users := regexp.MustCompile(`(?m)^USER\s+(\S+)`).FindAllStringSubmatch(string(dockerfile), -1)
	if len(users) == 0 || slices.Contains([]string{"root", "0", "0:0", "root:root"}, users[len(users)-1][1]) {
		t.Error("Dockerfile: the runtime stage must switch to a non-root USER")
	}
}

func TestComposeHealthchecks(t *testing.T) {
	f := loadCompose(t)
	for name, s := range f.Services {
		if name == "migrate" {
			if s.Healthcheck != nil {
				t.Errorf("migrate runs once and exits; a healthcheck would never pass")
			}
			continue
		}
		if s.Healthcheck == nil || s.Healthcheck.Disable || len(s.Healthcheck.Test) == 0 || s.Healthcheck.Test[0] == "NONE" {
			t.Errorf("%s has no healthcheck", name)
			continue
		}
		if sub, ok := yizhiServices[name]; ok {
			// The runtime image holds nothing but yizhi, so yizhi checks itself.
			want := []string{"CMD", "/usr/local/bin/yizhi", "healthcheck", sub}
			if !slices.Equal(s.Healthcheck.Test, want) {
				t.Errorf("%s: healthcheck is %q, want %q", name, s.Healthcheck.Test, want)
			}
		}
	}
}

func TestComposeDependencies(t *testing.T) {
	f := loadCompose(t)
	want := map[string]map[string]string{
		"temporal":    {"mysql": "service_healthy"},
		"temporal-ui": {"temporal": "service_healthy"},
		"migrate":     {"mysql": "service_healthy"},
		"api":         {"migrate": "service_completed_successfully", "temporal": "service_healthy"},
		"worker":      {"migrate": "service_completed_successfully", "temporal": "service_healthy"},
	}
	for name, deps := range want {
		for dep, condition := range deps {
			if got := f.Services[name].DependsOn[dep]; got != condition {
				t.Errorf("%s depends on %s with condition %q, want %q", name, dep, got, condition)
			}
		}
	}
	for name, s := range f.Services {
		for dep := range s.DependsOn {
			if _, ok := f.Services[dep]; !ok {
				t.Errorf("%s depends on %s, which is not a service", name, dep)
			}
		}
	}
}

// TestComposeYizhiEnvironment checks each yizhi service's environment against
// configVars: what its subcommand must be told is there, nothing unknown or
// unused is, and LoadConfig accepts the values.
func TestComposeYizhiEnvironment(t *testing.T) {
	f := loadCompose(t)
	for name, s := range f.Services {
		sub, isYizhi := yizhiServices[name]
		for key := range s.Environment {
			if !strings.HasPrefix(key, "YIZHI_") {
				continue
			}
			i := slices.IndexFunc(configVars, func(v configVar) bool { return v.Name == key })
			switch {
			case !isYizhi:
				t.Errorf("%s sets %s, but only yizhi's own services read YIZHI_ variables", name, key)
			case i < 0:
				t.Errorf("%s sets %s, which configVars does not know (a typo?)", name, key)
			case !slices.Contains(configVars[i].UsedBy, sub):
				t.Errorf("%s sets %s, which `yizhi %s` does not read", name, key, sub)
			}
		}
		if !isYizhi {
			continue
		}
		for _, v := range configVars {
			if v.SetInProduction && slices.Contains(v.UsedBy, sub) && s.Environment[v.Name] == "" {
				t.Errorf("%s: `yizhi %s` needs %s set in a deployment", name, sub, v.Name)
			}
		}

		env := map[string]string{}
		for key, value := range s.Environment {
			env[key] = interpolate(value)
		}
		c, err := LoadConfig(envOf(env))
		if err != nil {
			t.Errorf("%s: LoadConfig rejects the compose environment:\n%v", name, err)
			continue
		}
		if c.DatabaseDriver != databaseDriverMySQL {
			t.Errorf("%s: the database is %s, want MySQL", name, c.DatabaseDriver)
		} else if dsn, err := mysql.ParseDSN(c.DatabaseDSN); err == nil {
			host, _, _ := net.SplitHostPort(dsn.Addr)
			if _, ok := f.Services[host]; !ok {
				t.Errorf("%s: the database host %q is not a compose service", name, host)
			}
			if !strings.Contains(c.DatabaseDSN, "charset=utf8mb4") {
				t.Errorf("%s: the database URL does not ask for charset=utf8mb4", name)
			}
		}
		if sub == "migrate" {
			continue
		}
		if host, _, _ := net.SplitHostPort(c.TemporalAddress); f.Services[host].Image == "" {
			t.Errorf("%s: YIZHI_TEMPORAL_ADDRESS host %q is not a compose service", name, host)
		}
		if sub == "api" {
			_, port, _ := net.SplitHostPort(c.HTTPAddr)
			published := slices.ContainsFunc(s.Ports, func(p string) bool { return strings.HasSuffix(p, ":"+port) })
			if !published {
				t.Errorf("api listens on port %s, which its ports %q do not publish", port, s.Ports)
			}
		}
	}
}

func TestComposeMySQL(t *testing.T) {
	s := loadCompose(t).Services["mysql"]
	if !strings.HasPrefix(s.Image, "mysql:8") {
		t.Errorf("mysql image %q, want mysql:8.x", s.Image)
	}
	if !slices.Contains(s.Command, "--character-set-server=utf8mb4") ||
		!slices.ContainsFunc(s.Command, func(arg string) bool { return strings.HasPrefix(arg, "--collation-server=utf8mb4_") }) {
		t.Errorf("mysql command %q must make utf8mb4 the server's character set and collation", s.Command)
	}
	if s.Environment["MYSQL_DATABASE"] != "yizhi" {
		t.Errorf("mysql must create database yizhi, MYSQL_DATABASE is %q", s.Environment["MYSQL_DATABASE"])
	}
}

func TestComposeTemporalPersistsToMySQL(t *testing.T) {
	f := loadCompose(t)
	s := f.Services["temporal"]
	if !strings.HasPrefix(s.Image, "temporalio/auto-setup:") {
		t.Errorf("temporal image %q, want temporalio/auto-setup", s.Image)
	}
	if s.Environment["DB"] != "mysql8" {
		t.Errorf("temporal DB=%q, want mysql8", s.Environment["DB"])
	}
	if seed := s.Environment["MYSQL_SEEDS"]; f.Services[seed].Image == "" || !strings.HasPrefix(f.Services[seed].Image, "mysql:") {
		t.Errorf("temporal MYSQL_SEEDS=%q, want the mysql service", seed)
	}
}

func TestComposeImagesArePinned(t *testing.T) {
	for name, s := range loadCompose(t).Services {
		if s.Image == "" {
			continue // built from the Dockerfile
		}
		_, tag, ok := strings.Cut(s.Image, ":")
		if !ok || tag == "latest" || !strings.ContainsAny(tag, "0123456789") {
			t.Errorf("%s: image %q is not pinned to a version", name, s.Image)
		}
	}
}

func TestInterpolate(t *testing.T) {
	tests := map[string]string{
		"${A:-x}":            "x",
		"${A-}":              "",
		"a${B:?set B}c":      "aplaceholder0123456789abcdefghijklmnopqrsc",
		"${C}":               "placeholder0123456789abcdefghijklmnopqrs",
		"$${literal}":        "${literal}",
		"tcp(mysql:3306)/db": "tcp(mysql:3306)/db",
	}
	for in, want := range tests {
		if got := interpolate(in); got != want {
			t.Errorf("interpolate(%q) = %q, want %q", in, got, want)
		}
	}
}
