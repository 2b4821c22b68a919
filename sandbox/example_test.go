package sandbox_test

import (
	"context"
	"fmt"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/sandbox"
	"github.com/xonvo/xonvo-import/wire"
)

// A test starts the sandbox in-process, talks to it through the real client,
// and looks at what it stored.
func ExampleNewServer() {
	srv, err := sandbox.NewServer(sandbox.Options{Accounts: []string{"18"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	c, err := srv.Client()
	if err != nil {
		fmt.Println(err)
		return
	}
	err = c.AddLeadsBulk(context.Background(), client.BulkLeads{LeadsByAccountID: map[string][]wire.Lead{
		"18": {{FirstName: "John", LastName: "Smith", Phone: "+1333-111-8888", Timestamp: "06-23-2021 22:55:23", ExternalID: "EXT-1"}},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range srv.Leads() {
		fmt.Println(l.AccountID, l.ExternalID, l.Status, l.ReceivedCount)
	}
	// Output: 18 EXT-1 active 1
}
