package asyncio_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// The UDP echo server and client of Python's asyncio documentation, in one
// program, with each protocol's callbacks turned into a task that awaits
// RecvFrom.
//
//	class EchoServerProtocol:
//	    def connection_made(self, transport):
//	        self.transport = transport
//	    def datagram_received(self, data, addr):
//	        print(f"Received {data.decode()!r}")
//	        self.transport.sendto(data, addr)
//
//	async def main():
//	    loop = asyncio.get_running_loop()
//	    server, _ = await loop.create_datagram_endpoint(
//	        EchoServerProtocol, local_addr=('127.0.0.1', 0))
//	    port = server.get_extra_info('sockname')[1]
//	    client, protocol = await loop.create_datagram_endpoint(
//	        EchoClientProtocol, remote_addr=('127.0.0.1', port))
//	    ...
func ExampleCreateDatagramEndpoint() {
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		server, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0))
		if err != nil {
			return struct{}{}, err
		}
		echo := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			for {
				data, addr, err := server.RecvFrom(a)
				if errors.Is(err, asyncio.ErrEndpointClosed) {
					return struct{}{}, nil // transport.close()
				}
				if err != nil {
					return struct{}{}, err
				}
				fmt.Printf("Server received %q\n", data)
				if err := server.SendTo(data, addr); err != nil {
					return struct{}{}, err
				}
			}
		}))
		client, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithRemoteAddr("127.0.0.1", int(server.LocalAddr().Port())))
		if err != nil {
			return struct{}{}, err
		}
		defer client.Close()
		fmt.Printf("Client sends %q\n", "Hello World!")
		if err := client.SendTo([]byte("Hello World!"), netip.AddrPort{}); err != nil {
			return struct{}{}, err
		}
		data, _, err := client.RecvFrom(a)
		if err != nil {
			return struct{}{}, err
		}
		fmt.Printf("Client received %q\n", data)
		server.Close()
		return echo.Await(a)
	}))
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// Client sends "Hello World!"
	// Server received "Hello World!"
	// Client received "Hello World!"
}
