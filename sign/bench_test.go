package sign

import "testing"

// BenchmarkSign signs an unsigned image in an in-process registry:
// resolve the tag, look for existing signatures, sign, write the signature
// image. Pushing the image is not timed.
func BenchmarkSign(b *testing.B) {
	host := newRegistry(b)
	sv, _ := keys(b, 0)
	ref := "registry:" + host + "/app:v1"
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		pushRandom(b, host+"/app:v1")
		b.StartTimer()
		if _, err := Sign(b.Context(), ref, sv); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify verifies an image with one signature in an in-process
// registry.
func BenchmarkVerify(b *testing.B) {
	host := newRegistry(b)
	sv, v := keys(b, 0)
	pushRandom(b, host+"/app:v1")
	ref := "registry:" + host + "/app:v1"
	if _, err := Sign(b.Context(), ref, sv); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Verify(b.Context(), ref, v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignKeyless signs an unsigned image keyless against the
// in-process Fulcio and Rekor: resolve the tag, get a certificate, sign,
// log, write the signature image.
func BenchmarkSignKeyless(b *testing.B) {
	host := newRegistry(b)
	s := newSigstore(b)
	k := keylessOf(b, s, testIssuer, testSubject)
	ref := "registry:" + host + "/app:v1"
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		pushRandom(b, host+"/app:v1")
		b.StartTimer()
		if _, err := SignKeyless(b.Context(), ref, k); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyKeyless verifies an image with one keyless signature,
// SCT included.
func BenchmarkVerifyKeyless(b *testing.B) {
	host := newRegistry(b)
	s := newSigstore(b)
	pushRandom(b, host+"/app:v1")
	ref := "registry:" + host + "/app:v1"
	if _, err := SignKeyless(b.Context(), ref, keylessOf(b, s, testIssuer, testSubject)); err != nil {
		b.Fatal(err)
	}
	ids := []Identity{{Issuer: testIssuer, Subject: testSubject}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := VerifyKeyless(b.Context(), ref, trustOf(s), ids); err != nil {
			b.Fatal(err)
		}
	}
}
