package kms_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/shipshape-dev/shipshape/sign/kms"
)

// Signer takes a key URI of one of the supported services; credentials come
// from the environment, as the cloud SDKs read them. A URI of any other
// kind is refused before anything is contacted.
func ExampleSigner() {
	fmt.Println(kms.Schemes())
	_, err := kms.Signer(context.Background(), "myplugin://release-key")
	fmt.Println(errors.Is(err, kms.ErrUnsupportedURI))
	// Output:
	// [awskms:// azurekms:// gcpkms:// hashivault://]
	// true
}
