package importer

import (
	"context"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/mapping"
	"github.com/xonvo/xonvo-import/wire"
)

// Agents sends each row with POST /agent.
type Agents struct {
	Client *client.Client
}

// Kind implements Action.
func (Agents) Kind() mapping.Kind { return mapping.KindAgent }

// Key implements Action.
func (Agents) Key() string { return "agents.add" }

// Batched implements Action.
func (Agents) Batched() bool { return false }

// ExtraColumns implements Action.
func (Agents) ExtraColumns() []string { return nil }

// Prepare implements Action.
func (Agents) Prepare(res *mapping.Result, it *Item) string {
	it.Lead = ownLead(res)
	return ""
}

// Encode implements Action.
func (Agents) Encode(it *Item, scratch []byte) ([]byte, error) {
	agent := wire.AgentOf(it.Lead)
	return scratch, encodeJSON(it, &agent)
}

// Body implements Action.
func (Agents) Body(items []*Item) []byte { return items[0].Payload }

// Send implements Action.
func (a Agents) Send(ctx context.Context, items []*Item, _ []byte) error {
	return a.Client.AddAgent(ctx, wire.AgentOf(items[0].Lead))
}
