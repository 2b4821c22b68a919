package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/xonvo/xonvo-import/client"
)

// accountWriteOptions are the options of accounts create and update.
type accountWriteOptions struct {
	app     *app
	Conn    connOptions
	Update  bool
	ID      string         // update: the account
	Account client.Account // the file's fields with the flags' on top
	Replace bool           // update: fields not given may be cleared
	JSON    bool
}

// accountStateOptions are the options of accounts pause|unpause|inactivate.
type accountStateOptions struct {
	app  *app
	Conn connOptions
	Verb string
	ID   string
}

func newAccountsCmd(a *app, writeF func(context.Context, *accountWriteOptions) error, stateF func(context.Context, *accountStateOptions) error) *cobra.Command {
	cmd := &cobra.Command{Use: "accounts", Short: "Create, update, pause, unpause and inactivate accounts"}
	cmd.AddCommand(newAccountWriteCmd(a, false, writeF), newAccountWriteCmd(a, true, writeF))
	for _, name := range []string{"pause", "unpause", "inactivate"} {
		cmd.AddCommand(newAccountStateCmd(a, name, stateF))
	}
	return cmd
}

// accountFlags are the documented account fields as flags.
type accountFlags struct {
	file       string
	acc        client.Account
	attributes []string
	areaCode   int
}

func (f *accountFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.file, "file", "", "account fields from a JSON or YAML file (flags given too override it)")
	fl.StringVar(&f.acc.Name, "name", "", "account name")
	fl.StringVar(&f.acc.PhoneNumber, "phone-number", "", "account phone number")
	fl.StringVar(&f.acc.Email, "email", "", "account email")
	fl.StringVar(&f.acc.Description, "description", "", "what the account sells")
	fl.StringVar(&f.acc.CountryIso3, "country-iso3", "", "country, ISO 3166 alpha-3 (USA)")
	fl.StringVar(&f.acc.State, "state", "", "state, e.g. WI")
	fl.StringVar(&f.acc.Timezone, "timezone", "", "timezone, e.g. US/Arizona")
	fl.StringVar(&f.acc.Type, "type", "", "account type, e.g. ECOMMERCE")
	fl.StringVar(&f.acc.AIAssistantName, "ai-assistant-name", "", "the AI assistant's name")
	fl.StringVar(&f.acc.Website, "website", "", "website")
	fl.IntVar(&f.areaCode, "area-code", 0, "area code (a number)")
	fl.StringArrayVar(&f.attributes, "attribute", nil, "attribute KEY=VALUE (repeatable)")
}

// account merges the file and the flags that were set.
func (f *accountFlags) account(cmd *cobra.Command) (client.Account, error) {
	var acc client.Account
	if f.file != "" {
		b, err := os.ReadFile(f.file)
		if err != nil {
			return acc, err
		}
		// YAML is read as generic data and passed through JSON, so both
		// formats use the API's field names and refuse unknown ones through
		// the one definition, client.Account.
		if ext := strings.ToLower(filepath.Ext(f.file)); ext == ".yaml" || ext == ".yml" {
			var doc map[string]any
			if err = yaml.Unmarshal(b, &doc); err == nil {
				b, err = json.Marshal(doc)
			}
		}
		if err == nil {
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.DisallowUnknownFields()
			err = dec.Decode(&acc)
		}
		if err != nil {
			return acc, fmt.Errorf("%s: %w", f.file, err)
		}
	}
	set := func(name string, dst *string, v string) {
		if cmd.Flags().Changed(name) {
			*dst = v
		}
	}
	set("name", &acc.Name, f.acc.Name)
	set("phone-number", &acc.PhoneNumber, f.acc.PhoneNumber)
	set("email", &acc.Email, f.acc.Email)
	set("description", &acc.Description, f.acc.Description)
	set("country-iso3", &acc.CountryIso3, f.acc.CountryIso3)
	set("state", &acc.State, f.acc.State)
	set("timezone", &acc.Timezone, f.acc.Timezone)
	set("type", &acc.Type, f.acc.Type)
	set("ai-assistant-name", &acc.AIAssistantName, f.acc.AIAssistantName)
	set("website", &acc.Website, f.acc.Website)
	if cmd.Flags().Changed("area-code") {
		ac := f.areaCode
		acc.AreaCode = &ac
	}
	for _, kv := range f.attributes {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return acc, fmt.Errorf("--attribute %q: want KEY=VALUE", kv)
		}
		if acc.Attributes == nil {
			acc.Attributes = map[string]string{}
		}
		acc.Attributes[strings.TrimSpace(k)] = v
	}
	if acc.Name == "" {
		return acc, errors.New("an account needs a name (--name or the file's name field)")
	}
	return acc, nil
}

// missingFields names the account fields acc leaves empty: the API's PUT
// replaces the whole account, so an update without them clears them.
func missingFields(acc client.Account) []string {
	var out []string
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"name", acc.Name != ""}, {"phoneNumber", acc.PhoneNumber != ""}, {"email", acc.Email != ""},
		{"description", acc.Description != ""}, {"countryIso3", acc.CountryIso3 != ""}, {"state", acc.State != ""},
		{"timezone", acc.Timezone != ""}, {"type", acc.Type != ""}, {"attributes", len(acc.Attributes) > 0},
		{"aiAssistantName", acc.AIAssistantName != ""}, {"website", acc.Website != ""}, {"areaCode", acc.AreaCode != nil},
	} {
		if !f.set {
			out = append(out, f.name)
		}
	}
	return out
}

func newAccountWriteCmd(a *app, update bool, runF func(context.Context, *accountWriteOptions) error) *cobra.Command {
	f := &accountFlags{}
	o := &accountWriteOptions{app: a, Update: update}
	cmd := &cobra.Command{Use: "create", Short: "Create an account and print its id", Args: cobra.NoArgs}
	if update {
		cmd.Use, cmd.Short, cmd.Args = "update ID", "Replace an account's fields (the API's PUT sets every field)", cobra.ExactArgs(1)
	}
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		acc, err := f.account(cmd)
		if err != nil {
			return err
		}
		o.Account = acc
		if update {
			o.ID = args[0]
			if missing := missingFields(acc); len(missing) > 0 && !o.Replace {
				return fmt.Errorf("accounts update replaces the whole account (the API's PUT): %s would be cleared; "+
					"give every field (e.g. --file with the full account), or add --replace to clear them", strings.Join(missing, ", "))
			}
		}
		if runF != nil {
			return runF(cmd.Context(), o)
		}
		return runAccountWrite(cmd.Context(), o)
	}
	f.register(cmd)
	cmd.Flags().BoolVar(&o.JSON, "json", false, `print {"id": N} for machines`)
	if update {
		cmd.Flags().BoolVar(&o.Replace, "replace", false, "send the update although fields not given will be cleared")
	}
	o.Conn.register(cmd)
	return cmd
}

func runAccountWrite(ctx context.Context, o *accountWriteOptions) error {
	env := o.app.env
	c, err := o.Conn.connect(ctx, o.app)
	if err != nil {
		return fail(err)
	}
	defer c.Close()
	var id int64
	if o.Update {
		id, err = c.client.UpdateAccount(ctx, o.ID, o.Account)
	} else {
		id, err = c.client.CreateAccount(ctx, o.Account)
	}
	if err != nil {
		return c.apiError(err)
	}
	if o.JSON {
		return json.NewEncoder(env.Stdout).Encode(client.AccountID{ID: id})
	}
	verb := "created"
	if o.Update {
		verb = "updated"
	}
	fmt.Fprintf(env.Stdout, "account %d %s\n", id, verb)
	return nil
}

func newAccountStateCmd(a *app, name string, runF func(context.Context, *accountStateOptions) error) *cobra.Command {
	o := &accountStateOptions{app: a, Verb: name}
	cmd := &cobra.Command{
		Use:   name + " ID",
		Short: strings.ToUpper(name[:1]) + name[1:] + " an account",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ID = args[0]
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runAccountState(cmd.Context(), o)
		},
	}
	o.Conn.register(cmd)
	return cmd
}

func runAccountState(ctx context.Context, o *accountStateOptions) error {
	c, err := o.Conn.connect(ctx, o.app)
	if err != nil {
		return fail(err)
	}
	defer c.Close()
	switch o.Verb {
	case "pause":
		err = c.client.PauseAccount(ctx, o.ID)
	case "unpause":
		err = c.client.UnpauseAccount(ctx, o.ID)
	default:
		err = c.client.InactivateAccount(ctx, o.ID)
	}
	if err != nil {
		return c.apiError(err)
	}
	fmt.Fprintf(o.app.env.Stdout, "account %s: %s done\n", o.ID, o.Verb)
	return nil
}
