package api

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/tolk-l10n/tolk/internal/auth"
	"github.com/tolk-l10n/tolk/internal/store"
	"github.com/tolk-l10n/tolk/targetrule"
)

// DefaultPseudoLocale is the pseudo locale of a project that names none.
const DefaultPseudoLocale = "qps-ploc"

type projectCreateRequest struct {
	Name          string   `json:"name"`
	SourceLocale  string   `json:"sourceLocale"`
	TargetLocales []string `json:"targetLocales"`
	PseudoLocale  string   `json:"pseudoLocale"`
}

func (a *API) projectCreate(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if !p.Admin {
		return errStatus(http.StatusForbidden, "creating projects needs the admin token")
	}
	var req projectCreateRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	proj, err := req.validate()
	if err != nil {
		return err
	}
	proj, err = a.store.ProjectCreate(r.Context(), proj)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, proj)
	return nil
}

func (req projectCreateRequest) validate() (store.Project, error) {
	p := store.Project{Name: strings.TrimSpace(req.Name), PseudoLocale: req.PseudoLocale}
	if p.Name == "" {
		return p, errBadRequest("name is required")
	}
	var err error
	if p.SourceLocale, err = checkLocale("sourceLocale", req.SourceLocale); err != nil {
		return p, err
	}
	for _, l := range req.TargetLocales {
		l, err := checkLocale("targetLocales", l)
		if err != nil {
			return p, err
		}
		if strings.EqualFold(l, p.SourceLocale) {
			return p, errBadRequest("targetLocales must not contain the source locale %q", l)
		}
		for _, prev := range p.TargetLocales {
			if strings.EqualFold(prev, l) {
				return p, errBadRequest("targetLocales lists %q twice (locales are matched ignoring case)", l)
			}
		}
		p.TargetLocales = append(p.TargetLocales, l)
	}
	if p.PseudoLocale == "" {
		p.PseudoLocale = DefaultPseudoLocale
	}
	if _, err := checkLocale("pseudoLocale", p.PseudoLocale); err != nil {
		return p, err
	}
	return p, nil
}

// localePattern is the syntax of a BCP 47 tag. It is checked by syntax
// only: private-use tags such as the pseudo locale qps-ploc are not in any
// registry but are what teams use.
var localePattern = regexp.MustCompile(`^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$`)

// checkLocale accepts a BCP 47 tag and keeps it as written, which is what
// target rules and file names use.
func checkLocale(field, l string) (string, error) {
	if l == "" {
		return "", errBadRequest("%s is required", field)
	}
	if !localePattern.MatchString(l) {
		return "", errBadRequest("%s: %q is not a BCP 47 locale such as de-DE", field, l)
	}
	return l, nil
}

func (a *API) projectList(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if !p.Admin {
		return errStatus(http.StatusForbidden, "listing projects needs the admin token")
	}
	list, err := a.store.ProjectList(r.Context())
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.Project{}
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}

// project reads the {id} of the path and checks that p sees it.
func (a *API) project(r *http.Request, p auth.Principal, perms ...store.Permission) (store.Project, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return store.Project{}, err
	}
	if len(perms) == 0 && !p.Sees(id) {
		return store.Project{}, p.Check(id, store.Permissions...)
	}
	if len(perms) > 0 {
		if err := p.Check(id, perms...); err != nil {
			return store.Project{}, err
		}
	}
	return a.store.ProjectGet(r.Context(), id)
}

func (a *API) projectGet(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	proj, err := a.project(r, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, proj)
	return nil
}

type tokenCreateRequest struct {
	Name        string   `json:"name"`
	Permissions []string `json:"permissions"`
}

type tokenCreateResponse struct {
	ID          int64              `json:"id"`
	Name        string             `json:"name"`
	ProjectID   int64              `json:"projectId"`
	Permissions []store.Permission `json:"permissions"`
	Token       string             `json:"token"`
}

func (a *API) tokenCreate(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if !p.Admin {
		return errStatus(http.StatusForbidden, "creating tokens needs the admin token")
	}
	proj, err := a.project(r, p)
	if err != nil {
		return err
	}
	var req tokenCreateRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	perms, err := auth.ParsePermissions(req.Permissions)
	if err != nil {
		return errBadRequest("%v", err)
	}
	secret := auth.NewToken()
	t, err := a.store.TokenCreate(r.Context(), store.Token{ProjectID: proj.ID, Name: req.Name, Permissions: perms}, auth.Hash(secret))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, tokenCreateResponse{ID: t.ID, Name: t.Name, ProjectID: proj.ID, Permissions: perms, Token: secret})
	return nil
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

func checkID(kind, id string) error {
	if !idPattern.MatchString(id) {
		return errBadRequest("%s %q: use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit", kind, id)
	}
	return nil
}

func (a *API) targetRulePut(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	proj, err := a.project(r, p, store.PermSettings)
	if err != nil {
		return err
	}
	id := r.PathValue("ruleId")
	if err := checkID("target rule id", id); err != nil {
		return err
	}
	var req struct {
		Rule string `json:"rule"`
	}
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if err := targetrule.Validate(req.Rule); err != nil {
		return errBadRequest("target rule %s: %v", id, err)
	}
	tr := store.TargetRule{ProjectID: proj.ID, ID: id, Rule: req.Rule}
	if err := a.store.TargetRulePut(r.Context(), tr); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, tr)
	return nil
}

func (a *API) targetRuleList(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	proj, err := a.project(r, p)
	if err != nil {
		return err
	}
	list, err := a.store.TargetRuleList(r.Context(), proj.ID)
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.TargetRule{}
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}
