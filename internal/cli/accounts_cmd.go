package cli

import (
	"bytes"
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

func newAccountsCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{Use: "accounts", Short: "Create, update, pause, unpause and inactivate accounts"}
	cmd.AddCommand(newAccountWriteCmd(env, false), newAccountWriteCmd(env, true))
	for _, name := range []string{"pause", "unpause", "inactivate"} {
		cmd.AddCommand(newAccountStateCmd(env, name))
	}
	return cmd
}

// accountFlags are the documented account fields as flags.
type accountFlags struct {
	file       string
	acc        client.Account
	attributes []string
	areaCode   int
	jsonOut    bool
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
	fl.BoolVar(&f.jsonOut, "json", false, `print {"id": N} for machines`)
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

func newAccountWriteCmd(env *Env, update bool) *cobra.Command {
	f := &accountFlags{}
	conn := &connFlags{}
	cmd := &cobra.Command{Use: "create", Short: "Create an account and print its id", Args: cobra.NoArgs}
	if update {
		cmd.Use, cmd.Short, cmd.Args = "update ID", "Update an account's fields", cobra.ExactArgs(1)
	}
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		acc, err := f.account(cmd)
		if err != nil {
			return err
		}
		c, err := conn.connect(cmd.Context(), env)
		if err != nil {
			return fail(err)
		}
		defer c.Close()
		var id int64
		if update {
			if c.sandbox != nil {
				c.sandbox.CreateAccount(args[0])
			}
			id, err = c.client.UpdateAccount(cmd.Context(), args[0], acc)
		} else {
			id, err = c.client.CreateAccount(cmd.Context(), acc)
		}
		if err != nil {
			return c.apiError(err)
		}
		if f.jsonOut {
			return json.NewEncoder(env.Stdout).Encode(client.AccountID{ID: id})
		}
		verb := "created"
		if update {
			verb = "updated"
		}
		fmt.Fprintf(env.Stdout, "account %d %s\n", id, verb)
		return nil
	}
	f.register(cmd)
	conn.register(cmd)
	return cmd
}

func newAccountStateCmd(env *Env, name string) *cobra.Command {
	conn := &connFlags{}
	cmd := &cobra.Command{
		Use:   name + " ID",
		Short: strings.ToUpper(name[:1]) + name[1:] + " an account",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := conn.connect(cmd.Context(), env)
			if err != nil {
				return fail(err)
			}
			defer c.Close()
			if c.sandbox != nil {
				c.sandbox.CreateAccount(args[0])
			}
			ctx, id := cmd.Context(), args[0]
			switch name {
			case "pause":
				err = c.client.PauseAccount(ctx, id)
			case "unpause":
				err = c.client.UnpauseAccount(ctx, id)
			default:
				err = c.client.InactivateAccount(ctx, id)
			}
			if err != nil {
				return c.apiError(err)
			}
			fmt.Fprintf(env.Stdout, "account %s: %s done\n", id, name)
			return nil
		},
	}
	conn.register(cmd)
	return cmd
}
