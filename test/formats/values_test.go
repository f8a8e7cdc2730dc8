package formats

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
)

// jsonValues decodes a JSON resource with encoding/json and lists its string
// leaves by key path, the way the format documents its keys: object keys
// joined with "." (a segment's "\", "." and "[" escaped), array elements as
// "[i]". For ARB, "@" members are metadata, not messages.
func jsonValues(data []byte, arb bool) (map[string]string, error) {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for k, v := range doc {
		if arb && strings.HasPrefix(k, "@") {
			continue
		}
		flatten(k, v, out)
	}
	return out, nil
}

// A top-level key is kept as written (dots included), deeper segments are
// escaped; escapeSegment is applied below the top level only.
func flatten(prefix string, v any, out map[string]string) {
	switch x := v.(type) {
	case string:
		out[prefix] = x
	case map[string]any:
		for k, c := range x {
			flatten(prefix+"."+escapeSegment(k), c, out)
		}
	case []any:
		for i, c := range x {
			flatten(fmt.Sprintf("%s[%d]", prefix, i), c, out)
		}
	}
}

var segmentEscapes = strings.NewReplacer(`\`, `\\`, `.`, `\.`, `[`, `\[`)

func escapeSegment(s string) string { return segmentEscapes.Replace(s) }

// resxValues decodes a .resx file with encoding/xml and lists the <value>
// of every string <data>.
func resxValues(data []byte) (map[string]string, error) {
	var doc struct {
		Data []struct {
			Name     string `xml:"name,attr"`
			Type     string `xml:"type,attr"`
			MimeType string `xml:"mimetype,attr"`
			Value    string `xml:"value"`
		} `xml:"data"`
	}
	if err := xml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, d := range doc.Data {
		if d.MimeType == "" && (d.Type == "" || strings.HasPrefix(d.Type, "System.String")) {
			out[d.Name] = d.Value
		}
	}
	return out, nil
}
