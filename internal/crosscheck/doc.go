// Package crosscheck holds only a test: it decodes the same rtnetlink
// messages with package ynl and with github.com/jsimonetti/rtnetlink/v2
// and compares the names and values both give. It is a module of its own
// so that the root module gains no requirement from it.
package crosscheck
