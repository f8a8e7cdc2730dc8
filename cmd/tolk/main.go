// Command tolk is the tolk localization server and its command-line client.
package main

import (
	"os"

	"github.com/tolk-l10n/tolk/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:]))
}
