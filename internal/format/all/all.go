// Package all registers every format with the format registry. Import it
// for its side effect.
package all

import (
	_ "github.com/tolk-l10n/tolk/internal/format/android"      // android
	_ "github.com/tolk-l10n/tolk/internal/format/applestrings" // strings
	_ "github.com/tolk-l10n/tolk/internal/format/arb"          // arb
	_ "github.com/tolk-l10n/tolk/internal/format/json"         // json
	_ "github.com/tolk-l10n/tolk/internal/format/po"           // po
	_ "github.com/tolk-l10n/tolk/internal/format/properties"   // properties
	_ "github.com/tolk-l10n/tolk/internal/format/resx"         // resx
	_ "github.com/tolk-l10n/tolk/internal/format/stringsdict"  // stringsdict
	_ "github.com/tolk-l10n/tolk/internal/format/xliff"        // xliff
	_ "github.com/tolk-l10n/tolk/internal/format/yaml"         // yaml
)
