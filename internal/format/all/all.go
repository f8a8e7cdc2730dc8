// Package all registers every format with the format registry. Import it
// for its side effect.
package all

import (
	_ "github.com/tolk-l10n/tolk/internal/format/json"
)
