package api_test

import (
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/tolk-l10n/tolk/internal/api"
)

// openAPI is the part of docs/openapi.yaml the tests read.
type openAPI struct {
	Paths      map[string]map[string]any `yaml:"paths"`
	Components struct {
		Schemas   map[string]map[string]any `yaml:"schemas"`
		Responses map[string]map[string]any `yaml:"responses"`
	} `yaml:"components"`
}

var methods = []string{"get", "put", "post", "delete", "patch", "head"}

func loadOpenAPI(t *testing.T) *openAPI {
	t.Helper()
	b, err := os.ReadFile("../../docs/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc openAPI
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("docs/openapi.yaml: %v", err)
	}
	return &doc
}

// TestOpenAPIRoutes holds docs/openapi.yaml and the server's routes to the
// same list.
func TestOpenAPIRoutes(t *testing.T) {
	doc := loadOpenAPI(t)
	var documented []string
	for path, item := range doc.Paths {
		for m := range item {
			if slices.Contains(methods, m) {
				documented = append(documented, strings.ToUpper(m)+" "+path)
			}
		}
	}
	served := append(api.Routes(), "GET /healthz")
	slices.Sort(documented)
	slices.Sort(served)
	for _, r := range served {
		if !slices.Contains(documented, r) {
			t.Errorf("%s is served but not in docs/openapi.yaml", r)
		}
	}
	for _, r := range documented {
		if !slices.Contains(served, r) {
			t.Errorf("%s is in docs/openapi.yaml but not served", r)
		}
	}
}

var segment = regexp.MustCompile(`\{[^}]+\}`)

// operation finds the documented operation of a concrete request path.
func (d *openAPI) operation(method, path string) map[string]any {
	path, _, _ = strings.Cut(path, "?")
	for pattern, item := range d.Paths {
		re := regexp.MustCompile("^" + segment.ReplaceAllString(pattern, `[^/]+`) + "$")
		if !re.MatchString(path) {
			continue
		}
		if op, ok := item[strings.ToLower(method)].(map[string]any); ok {
			return op
		}
	}
	return nil
}

// checkResponse checks the status and the JSON fields of an answer against
// the document.
func (d *openAPI) checkResponse(t *testing.T, method, path string, resp *http.Response, body []byte) {
	t.Helper()
	op := d.operation(method, path)
	if op == nil {
		t.Errorf("%s %s: no documented operation", method, path)
		return
	}
	responses, _ := op["responses"].(map[string]any)
	r, ok := responses[strconv.Itoa(resp.StatusCode)]
	if !ok {
		r, ok = responses["default"]
	}
	if !ok {
		t.Errorf("%s %s: status %d not documented", method, path, resp.StatusCode)
		return
	}
	rm := d.resolve(r)
	content, _ := rm["content"].(map[string]any)
	ct, _, _ := strings.Cut(resp.Header.Get("Content-Type"), ";")
	media, ok := content[ct].(map[string]any)
	if !ok {
		if len(content) > 0 {
			t.Errorf("%s %s: content type %q not documented for %d", method, path, ct, resp.StatusCode)
		}
		return
	}
	if !strings.Contains(ct, "json") {
		return
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Errorf("%s %s: answer is not JSON: %v", method, path, err)
		return
	}
	d.checkValue(t, method+" "+path, d.resolve(media["schema"]), v)
}

func (d *openAPI) checkValue(t *testing.T, where string, schema map[string]any, v any) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		props, hasProps := schema["properties"].(map[string]any)
		for _, req := range asStrings(schema["required"]) {
			if _, ok := x[req]; !ok {
				t.Errorf("%s: required field %q missing", where, req)
			}
		}
		if !hasProps {
			return
		}
		for k, val := range x {
			p, ok := props[k]
			if !ok {
				t.Errorf("%s: field %q is not documented", where, k)
				continue
			}
			d.checkValue(t, where+"."+k, d.resolve(p), val)
		}
	case []any:
		if items, ok := schema["items"]; ok {
			for _, it := range x {
				d.checkValue(t, where+"[]", d.resolve(items), it)
			}
		}
	}
}

func (d *openAPI) resolve(v any) map[string]any {
	m, _ := v.(map[string]any)
	ref, ok := m["$ref"].(string)
	if !ok {
		return m
	}
	name := ref[strings.LastIndex(ref, "/")+1:]
	if strings.Contains(ref, "/responses/") {
		return d.Components.Responses[name]
	}
	return d.Components.Schemas[name]
}

func asStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, s := range list {
		if str, ok := s.(string); ok {
			out = append(out, str)
		}
	}
	return out
}
