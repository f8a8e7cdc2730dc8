package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/tolk-l10n/tolk/client"
)

// The flow of the process API: join the project's room over Socket.IO,
// start the export, wait for the completion event of this job, download
// and verify the ZIP, leave the room. Export does all of it.
func ExampleClient_Export() {
	c, err := client.New("http://127.0.0.1:8080", os.Getenv("TOLK_TOKEN"))
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	res, err := c.Export(ctx, 1, client.Targets, client.ExportOptions{
		Locales: []string{"de-DE", "ja-JP"},
		File:    "translations.zip", // replaced only by a complete, verified download
	})
	var jobErr *client.JobError
	var apiErr *client.Error
	switch {
	case errors.As(err, &jobErr):
		log.Fatalf("the export failed on the server: %s", jobErr.Message)
	case errors.As(err, &apiErr):
		log.Fatalf("the server refused: %d %s: %s", apiErr.Status, apiErr.Title, apiErr.Detail)
	case err != nil:
		log.Fatal(err)
	}
	fmt.Printf("job %d: %d bytes, sha256 %s\n", res.JobID, res.Size, res.SHA256)
	// Unpack at the target-rule paths, all or nothing, refusing entries
	// that would land outside the folder.
	files, err := client.ExtractZip(ctx, "translations.zip", ".")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.Join(files, "\n"))
}

// Setting up a project with the admin token, then working with a project
// token that has only the permissions a CI pipeline needs.
func ExampleClient_CreateProject() {
	ctx := context.Background()
	admin, err := client.New("http://127.0.0.1:8080", os.Getenv("TOLK_ADMIN_TOKEN"))
	if err != nil {
		log.Fatal(err)
	}
	p, err := admin.CreateProject(ctx, client.ProjectCreate{Name: "web", SourceLocale: "en", TargetLocales: []string{"de-DE", "ja-JP"}})
	if err != nil {
		log.Fatal(err)
	}
	tok, err := admin.CreateToken(ctx, p.ID, "ci", []string{client.PermSettings, client.PermUploadWorkspace,
		client.PermTokenize, client.PermDownloadTranslations})
	if err != nil {
		log.Fatal(err)
	}
	c, _ := client.New("http://127.0.0.1:8080", tok.Secret)
	if _, err := c.SetTargetRule(ctx, p.ID, "TR_json", "$(sourceFilePath)/$(targetLocale)$(sourceFileExt)"); err != nil {
		log.Fatal(err)
	}
	f, err := os.Open("locales/en.json")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	res, err := c.UploadFile(ctx, p.ID, client.FileUpload{FileID: "en", Path: "locales/en.json", Parser: "json", TargetRule: "TR_json"}, f)
	var apiErr *client.Error
	if errors.As(err, &apiErr) && apiErr.Line > 0 {
		log.Fatalf("%s:%d:%d: %s", apiErr.File, apiErr.Line, apiErr.Column, apiErr.Detail)
	} else if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Strings, "strings")
}

func ExampleExpandTargetRule() {
	// Locales are written as the project spells them.
	for _, locale := range []string{"de-DE", "ja-JP", "sr-Latn-RS"} {
		p, _ := client.ExpandTargetRule("$(sourceFilePath)/$(targetLocale)$(sourceFileExt)", "locales/en.json", locale)
		fmt.Println(p)
	}
	p, _ := client.ExpandTargetRule("$(sourceFilePath)/../values-$(androidQualifier)/$(sourceFileName)", "res/values/strings.xml", "de-DE")
	fmt.Println(p)
	_, err := client.ExpandTargetRule("../../$(targetLocale).json", "locales/en.json", "de-DE")
	fmt.Println(err)
	// Output:
	// locales/de-DE.json
	// locales/ja-JP.json
	// locales/sr-Latn-RS.json
	// res/values-de-rDE/strings.xml
	// rule "../../$(targetLocale).json" resolves to "../../de-DE.json", outside the project
}
