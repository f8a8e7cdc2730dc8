package client

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

func projectPath(id int64, rest string) string {
	return "/api/projects/" + strconv.FormatInt(id, 10) + rest
}

// CreateProject creates a project (admin token).
func (c *Client) CreateProject(ctx context.Context, p ProjectCreate) (*Project, error) {
	var out Project
	if err := c.doJSON(ctx, http.MethodPost, "/api/projects", p, &out); err != nil {
		return nil, fmt.Errorf("creating project %q: %w", p.Name, err)
	}
	return &out, nil
}

// Projects lists the projects (admin token).
func (c *Client) Projects(ctx context.Context) ([]Project, error) {
	var out []Project
	if err := c.doJSON(ctx, http.MethodGet, "/api/projects", nil, &out); err != nil {
		return nil, fmt.Errorf("listing projects: %w", err)
	}
	return out, nil
}

// Project reads one project.
func (c *Client) Project(ctx context.Context, id int64) (*Project, error) {
	var out Project
	if err := c.doJSON(ctx, http.MethodGet, projectPath(id, ""), nil, &out); err != nil {
		return nil, fmt.Errorf("reading project %d: %w", id, err)
	}
	return &out, nil
}

// CreateToken creates a project token (admin token). The returned Secret is
// shown only this once.
func (c *Client) CreateToken(ctx context.Context, projectID int64, name string, permissions []string) (*Token, error) {
	in := map[string]any{"name": name, "permissions": permissions}
	var out Token
	if err := c.doJSON(ctx, http.MethodPost, projectPath(projectID, "/tokens"), in, &out); err != nil {
		return nil, fmt.Errorf("creating token %q for project %d: %w", name, projectID, err)
	}
	return &out, nil
}

// SetTargetRule creates or replaces a target rule.
func (c *Client) SetTargetRule(ctx context.Context, projectID int64, ruleID, rule string) (*TargetRule, error) {
	var out TargetRule
	path := projectPath(projectID, "/targetrules/"+url.PathEscape(ruleID))
	if err := c.doJSON(ctx, http.MethodPut, path, map[string]string{"rule": rule}, &out); err != nil {
		return nil, fmt.Errorf("setting target rule %s of project %d: %w", ruleID, projectID, err)
	}
	return &out, nil
}

// TargetRules lists a project's target rules.
func (c *Client) TargetRules(ctx context.Context, projectID int64) ([]TargetRule, error) {
	var out []TargetRule
	if err := c.doJSON(ctx, http.MethodGet, projectPath(projectID, "/targetrules"), nil, &out); err != nil {
		return nil, fmt.Errorf("listing target rules of project %d: %w", projectID, err)
	}
	return out, nil
}

// Files lists a project's workspace files.
func (c *Client) Files(ctx context.Context, projectID int64) ([]File, error) {
	var out []File
	if err := c.doJSON(ctx, http.MethodGet, projectPath(projectID, "/files"), nil, &out); err != nil {
		return nil, fmt.Errorf("listing files of project %d: %w", projectID, err)
	}
	return out, nil
}

// UploadFile stores a source file in the workspace, replacing the file of
// the same id.
func (c *Client) UploadFile(ctx context.Context, projectID int64, f FileUpload, body io.Reader) (*FileResult, error) {
	q := url.Values{"path": {f.Path}}
	if f.Parser != "" {
		q.Set("parser", f.Parser)
	}
	if f.TargetRule != "" {
		q.Set("targetRule", f.TargetRule)
	}
	target := c.endpoint(projectPath(projectID, "/files/"+url.PathEscape(f.FileID)), q)
	req, err := c.newRequest(ctx, http.MethodPut, target, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	var out FileResult
	status, err := c.send(req, &out)
	if err != nil {
		return nil, fmt.Errorf("uploading %s as file %s: %w", f.Path, f.FileID, err)
	}
	out.Created = status == http.StatusCreated
	return &out, nil
}

// UploadTranslation stores a translated file for a workspace file and a
// locale; status is the status given to the stored strings (e.g.
// "translated"; "" for the server's default).
func (c *Client) UploadTranslation(ctx context.Context, projectID int64, fileID, locale, status string, body io.Reader) (*TranslationResult, error) {
	q := url.Values{}
	if status != "" {
		q.Set("status", status)
	}
	path := projectPath(projectID, "/files/"+url.PathEscape(fileID)+"/translations/"+url.PathEscape(locale))
	req, err := c.newRequest(ctx, http.MethodPut, c.endpoint(path, q), body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	var out TranslationResult
	if _, err := c.send(req, &out); err != nil {
		return nil, fmt.Errorf("uploading %s translation of file %s: %w", locale, fileID, err)
	}
	return &out, nil
}

// Job reads the state of an export job.
func (c *Client) Job(ctx context.Context, projectID, jobID int64) (*Job, error) {
	var out Job
	path := projectPath(projectID, "/process/jobs/"+strconv.FormatInt(jobID, 10))
	if err := c.doJSON(ctx, http.MethodGet, path, nil, &out); err != nil {
		return nil, fmt.Errorf("reading job %d: %w", jobID, err)
	}
	return &out, nil
}
