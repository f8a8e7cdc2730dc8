package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/tolk-l10n/tolk/client"
)

func init() {
	register(command{name: "upload", usage: "upload the source files of a manifest, then write their tokenized form", run: runUpload})
}

// checksumFile is where upload keeps the checksum of its last run, relative
// to the repository.
const checksumFile = ".tolk/upload.sha256"

const uploadHelp = `Uploads every source file listed in the manifest (a JSON array of
{"filepath","fileId","parserId","targetRule"}; other fields of an entry
are accepted and ignored; file paths use '/' and are taken relative to
-repo), then downloads the sources export (the files with every text
wrapped in its string token) into the target folder (default: the
repository itself, so that the sources are replaced by their tokenized form).
A listed file whose real path (symbolic links resolved) is outside -repo is
refused (exit 7).

A checksum over the server URL, the manifest, the target folder, every
listed file and every file the run wrote into the target folder (paths and
bytes) is stored in <repo>/` + checksumFile + `, followed by the list of
the files written. It is computed after the run, over the files as the run
left them: when the tokenized files replace the sources and a pipeline
commits them, the next run with nothing changed finds the same checksum and
prints "nothing changed since the last upload; skipped" instead of
uploading the tokenized files again; a tokenized file deleted or edited
since makes the next run do the work. A pipeline commits the checksum file
with the tokenized files. Use -force to upload anyway.
`

// manifestEntry is one file of a Rigi upload manifest.
type manifestEntry struct {
	FilePath   string `json:"filepath"`
	FileID     string `json:"fileId"`
	ParserID   string `json:"parserId"`
	TargetRule string `json:"targetRule"`

	rel string // slash-separated, relative to the repository
	abs string
}

func runUpload(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, pf := newProjectFlags("upload", stderr)
	repo := fs.String("repo", ".", "repository root; manifest paths are relative to it")
	manifest := fs.String("manifest", "", "the manifest file (required)")
	target := fs.String("targetfolder", "", "folder the tokenized files are written to (default: -repo)")
	force := fs.Bool("force", false, "upload even when the checksum says nothing changed")
	fs.Usage = modeUsage(fs, stderr, "tolk upload -url <server>/projects/<id> -repo <dir> -manifest <file> [-targetfolder <dir>]", uploadHelp+authHelp)
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
	}
	if *manifest == "" {
		return usageError(stdout, stderr, "upload", pf.json, "-manifest is required")
	}
	if *target == "" {
		*target = *repo
	}
	out := newOutput("upload", stdout, stderr, pf.json)
	ctx, cancel := context.WithTimeout(ctx, pf.timeout)
	defer cancel()
	res, err := upload(ctx, pf, *repo, *manifest, *target, *force, out)
	if err != nil {
		return out.fail(err)
	}
	if res["skipped"] == true {
		return out.ok(res, "nothing changed since the last upload; skipped")
	}
	return out.ok(res, fmt.Sprintf("%d files uploaded (%d strings), %d tokenized files written to %s",
		res["uploaded"], res["strings"], len(res["files"].([]string)), *target))
}

func upload(ctx context.Context, pf *projectFlags, repo, manifestPath, target string, force bool, out *output) (map[string]any, error) {
	start := time.Now()
	c, project, err := pf.client(out.stderr)
	if err != nil {
		return nil, err
	}
	raw, entries, err := readManifest(manifestPath, repo)
	if err != nil {
		return nil, err
	}
	targetRel := relOrAbs(repo, target)
	stored, prevWritten := readChecksumFile(filepath.Join(repo, filepath.FromSlash(checksumFile)))
	before, err := uploadChecksum(c.ServerURL(), project, raw, target, targetRel, entries, prevWritten)
	if err != nil {
		return nil, err
	}
	if !force && stored == before {
		return map[string]any{"project": project, "skipped": true, "checksum": before}, nil
	}
	res := map[string]any{"project": project, "skipped": false}
	strs, ids := 0, make([]string, len(entries))
	for i, e := range entries {
		out.status("uploading %d/%d %s…", i+1, len(entries), e.rel)
		r, err := uploadEntry(ctx, c, project, e)
		if err != nil {
			return nil, err
		}
		strs += r.Strings
		ids[i] = e.FileID
	}
	res["uploaded"], res["strings"] = len(entries), strs
	exp, written, err := exportAndUnpack(ctx, c, project, client.Sources, client.ExportOptions{FileIDs: ids}, target, out)
	if err != nil {
		return nil, err
	}
	after, err := uploadChecksum(c.ServerURL(), project, raw, target, targetRel, entries, written)
	if err != nil {
		return nil, err
	}
	content := after + "\n" + strings.Join(written, "\n") + "\n"
	if err := writeFileAtomic(filepath.Join(repo, filepath.FromSlash(checksumFile)), []byte(content)); err != nil {
		return nil, err
	}
	res["jobId"], res["files"], res["checksum"], res["seconds"] = exp.JobID, written, after, time.Since(start).Seconds()
	return res, nil
}

func uploadEntry(ctx context.Context, c *client.Client, project int64, e manifestEntry) (*client.FileResult, error) {
	f, err := os.Open(e.abs)
	if err != nil {
		return nil, inputErr{err}
	}
	defer f.Close()
	return c.UploadFile(ctx, project, client.FileUpload{FileID: e.FileID, Path: e.rel, Parser: e.ParserID, TargetRule: e.TargetRule}, f)
}

// readManifest reads and checks the manifest and resolves its paths.
func readManifest(path, repo string) ([]byte, []manifestEntry, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, inputErr{fmt.Errorf("reading the manifest: %w", err)}
	}
	// Unknown fields are ignored: Rigi manifests may carry more.
	var entries []manifestEntry
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&entries); err != nil {
		return nil, nil, inputErr{fmt.Errorf("manifest %s: %w", path, err)}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, nil, inputErr{fmt.Errorf("manifest %s: unexpected data after the JSON array (offset %d)", path, dec.InputOffset())}
	}
	if len(entries) == 0 {
		return nil, nil, inputErr{fmt.Errorf("manifest %s lists no file", path)}
	}
	seen := map[string]bool{}
	for i := range entries {
		e := &entries[i]
		if e.FilePath == "" || e.FileID == "" || e.ParserID == "" {
			return nil, nil, inputErr{fmt.Errorf("manifest %s: entry %d needs filepath, fileId and parserId", path, i+1)}
		}
		if seen[e.FileID] {
			return nil, nil, inputErr{fmt.Errorf("manifest %s: fileId %q appears twice", path, e.FileID)}
		}
		seen[e.FileID] = true
		if e.rel, e.abs, err = repoPath(repo, e.FilePath); err != nil {
			return nil, nil, inputErr{fmt.Errorf("manifest %s: entry %d: %w", path, i+1, err)}
		}
	}
	return raw, entries, nil
}

// repoPath resolves a manifest path: relative to the repository when it
// exists there, else relative to the working folder; either way it must
// exist and lie inside the repository, symbolic links resolved.
func repoPath(repo, p string) (rel, abs string, err error) {
	if strings.Contains(p, "\\") {
		return "", "", fmt.Errorf("%s: paths must use '/', not '\\'", p)
	}
	root, err := filepath.Abs(repo)
	if err != nil {
		return "", "", err
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if errors.Is(err, fs.ErrNotExist) {
		return "", "", fmt.Errorf("the repository -repo %s does not exist", repo)
	}
	if err != nil {
		return "", "", fmt.Errorf("the repository -repo %s: %w", repo, err)
	}
	abs = filepath.Clean(filepath.FromSlash(p))
	if !filepath.IsAbs(abs) {
		if _, err := os.Lstat(filepath.Join(root, abs)); err == nil {
			abs = filepath.Join(root, abs)
		} else if _, err := os.Lstat(abs); err == nil {
			abs, _ = filepath.Abs(abs)
		} else {
			return "", "", fmt.Errorf("%s: not found in the repository %s", p, repo)
		}
	}
	r, err := filepath.Rel(root, abs)
	if err != nil || !filepath.IsLocal(r) {
		return "", "", fmt.Errorf("%s is outside the repository %s", p, repo)
	}
	real, err := filepath.EvalSymlinks(abs)
	if errors.Is(err, fs.ErrNotExist) {
		return "", "", fmt.Errorf("%s: not found (a dangling symbolic link)", p)
	}
	if err != nil {
		return "", "", fmt.Errorf("resolving %s: %w", p, err)
	}
	if !within(realRoot, real) {
		return "", "", fmt.Errorf("%s is a symbolic link to %s, outside the repository %s", p, real, repo)
	}
	return filepath.ToSlash(r), abs, nil
}

// relOrAbs names dir relative to the repository when it is inside it.
func relOrAbs(repo, dir string) string {
	root, err1 := filepath.Abs(repo)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return dir
	}
	if r, err := filepath.Rel(root, d); err == nil && (r == "." || filepath.IsLocal(r)) {
		return filepath.ToSlash(r)
	}
	return d
}

// uploadChecksum hashes everything a run depends on, each part prefixed by
// its length so that no two inputs collide: the inputs, and the files
// written into the target folder (a missing one hashes as missing, so that
// deleting an output makes the next run do the work).
func uploadChecksum(server string, project int64, manifest []byte, target, targetRel string, entries []manifestEntry, written []string) (string, error) {
	h := sha256.New()
	part := func(b []byte) {
		h.Write([]byte(strconv.Itoa(len(b)) + ":"))
		h.Write(b)
	}
	part([]byte("tolk upload v2"))
	part([]byte(server + "/projects/" + strconv.FormatInt(project, 10)))
	part(manifest)
	part([]byte(targetRel))
	for _, e := range entries {
		b, err := os.ReadFile(e.abs)
		if err != nil {
			return "", inputErr{fmt.Errorf("reading %s: %w", e.rel, err)}
		}
		part([]byte(e.rel))
		part(b)
	}
	part([]byte("written " + strconv.Itoa(len(written))))
	for _, w := range written {
		part([]byte(w))
		if b, err := os.ReadFile(filepath.Join(target, filepath.FromSlash(w))); err == nil {
			part([]byte{1})
			part(b)
		} else {
			part([]byte{0}) // missing or unreadable
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// readChecksumFile reads the stored checksum and the files that run wrote;
// a missing or garbled file gives "", which matches no checksum.
func readChecksumFile(path string) (sum string, written []string) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", nil
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for _, l := range lines[1:] {
		if l = strings.TrimSpace(l); l != "" && filepath.IsLocal(filepath.FromSlash(l)) {
			written = append(written, l)
		}
	}
	return strings.TrimSpace(lines[0]), written
}

// writeFileAtomic writes a file through a temporary file in the same
// folder and a rename.
func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tolk-"+filepath.Base(path)+"-*.tmp")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
