package main

import "errors"

// errNotImplemented marks a command whose issue is still open. It goes away
// with the last stub.
var errNotImplemented = errors.New("not implemented yet")
