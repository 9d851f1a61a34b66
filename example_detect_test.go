package vaultspay_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// The server speaks OAEP with SHA-1; the client starts from the default profile, finds it on its first
// login and reports it, to be written into the configuration (VAULTSPAY_WIRE_PROFILE, or
// WithWireProfile).
func ExampleWithWireProfileDetection() {
	srv := vaultspaytest.NewServer(vaultspaytest.WithWireProfile(vaultspay.WireProfile{KeyWrap: vaultspay.KeyWrapOAEPSHA1}))
	defer srv.Close()
	client := srv.Client(vaultspay.WithWireProfile(vaultspay.WireProfile{}), vaultspay.WithWireProfileDetection())

	err := client.Login(context.Background())
	if errors.Is(err, vaultspay.ErrWireProfileNotFound) {
		log.Fatal("no profile works: is the RSA public key the server's? ", err)
	}
	if err != nil {
		log.Fatal(err)
	}
	d, _ := client.WireProfileDetection()
	fmt.Println(len(d.Refused), "refused")
	fmt.Println(client.WireProfile())
	// Output:
	// 12 refused
	// key-wrap=oaep-sha1,key-encoding=raw,body=json-object,response-iv=header
}
