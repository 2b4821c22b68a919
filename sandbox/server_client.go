package sandbox

import (
	"fmt"

	"github.com/xonvo/xonvo-import/client"
)

// Client returns a client pointed at the server with its credentials; opts
// are applied after those and may override them.
func (s *Server) Client(opts ...client.Option) (*client.Client, error) {
	all := append([]client.Option{client.WithCredentials(s.opts.Username, s.opts.Password)}, opts...)
	c, err := client.New(s.url, all...)
	if err != nil {
		return nil, fmt.Errorf("sandbox: client: %w", err)
	}
	return c, nil
}
